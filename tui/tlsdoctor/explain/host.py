"""The host a pasted error message names, when it names one (curl, Go, Node, Python, Java, URLs).

The guided walk fills the target with it after `explain` (the user can edit it).
Pure: text in, a host name or None out; the first pattern that matches wins,
most specific first. The text is untrusted: the result is checked as a target
by the request builder like anything typed.
"""

from __future__ import annotations

import re

_HOST = r"([A-Za-z0-9*_](?:[A-Za-z0-9_.*-]{0,252}[A-Za-z0-9_])?)"
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"target host name '" + _HOST + r"'",  # curl
        r"certificate is valid for [^\n]*?, not " + _HOST,  # Go
        r"Host: " + _HOST + r"\.? is not in the cert's altnames",  # Node
        r"certificate is not valid for '" + _HOST + r"'",  # Python 3.7+
        r"hostname '" + _HOST + r"' doesn't match",  # Python, older
        r"No subject alternative (?:DNS )?names? matching (?:IP address )?" + _HOST + r" found",  # Java
        r"No name matching " + _HOST + r" found",  # Java
        r"\(host='" + _HOST + r"'",  # urllib3 / requests: HTTPSConnectionPool(host='…', …)
        r"https://" + _HOST + r"(?=[:/\s'\"]|$)",  # any URL
        r"(?:connect to|connecting to) " + _HOST + r" port \d+",  # curl
    )
)


def host_in_message(text: str) -> str | None:
    """The host name the message names (None when it names none)."""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(1).rstrip(".")
    return None
