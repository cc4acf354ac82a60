"""Errors that end a command with exit code 2 and one line on stderr.

Only bad usage and bad input raise; network faults never do (they are findings).
"""


class BadInput(ValueError):
    """The user gave us something we cannot work with (target, file, option).

    The message is one line, already fit to print after "tlsdoctor: ".
    """
