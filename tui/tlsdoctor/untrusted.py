"""Untrusted text (certificate fields, DNS answers, server text, file lines) made inert and kept on one line.

A server writes its own certificate: a line feed, U+2028 or U+0085 in a CN
would print a `Verdict: ok` line of the server's choosing, an ESC sequence
would restyle the terminal, a bidi control would reorder what a person reads.
`inert` is the one function every face (text, Markdown, the app) passes
untrusted values through; `JSON_UNSAFE` is the same set for JSON output, where
the characters become `\\uXXXX` escapes. Idempotent: escapes are printable.
Core: no I/O, imports nothing of tlsdoctor.
"""

from __future__ import annotations

import re

# C0 (line feed and tab included), DEL, C1 (U+0085 NEL included), soft hyphen, Arabic letter mark,
# Mongolian vowel separator, zero-width and bidi marks, line and paragraph separators, bidi
# embeddings and isolates, invisible operators, BOM, interlinear annotations.
_BEYOND_C0 = r"\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
UNSAFE = re.compile(f"[\\x00-\\x1f{_BEYOND_C0}]")
# json.dumps escapes C0 itself (its own line feeds are layout); the others occur only inside strings
JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def inert(value: object) -> str:
    """One line of literal text: controls, separators, bidi and zero-width characters as visible escapes."""
    return UNSAFE.sub(_escape, "" if value is None else str(value))


def json_escape(text: str) -> str:
    """JSON text (from json.dumps) with those characters as `\\uXXXX` escapes: same data, nothing hidden."""
    return JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
