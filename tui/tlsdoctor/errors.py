"""Errors that end a command with exit code 2 and one line on stderr, and the input bound past which input is bad.

Only bad usage and bad input raise; network faults never do (they are findings).
"""

MAX_INPUT_BYTES = 1024 * 1024  # the most a user's input file (or pasted text on stdin) may hold


class BadInput(ValueError):
    """The user gave us something we cannot work with (target, file, option).

    The message is one line, already fit to print after "tlsdoctor: ".
    """
