"""Analysis: pure functions over probe data. Same input, same findings.

No I/O here (no sockets, no files, no clock reads: the time is a parameter),
and no textual.
"""
