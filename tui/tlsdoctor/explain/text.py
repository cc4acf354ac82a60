"""The text the rules read: escapes removed, whitespace normalised, offsets mapped back.

ANSI/OSC escapes are stripped, then the rules run on two views of the text, one
with every whitespace run collapsed to one space (lines wrapped at a space) and
one with line breaks and their indentation removed (tokens split mid-word by
wrapping). Offsets map back to the cleaned input, so an excerpt is the exact
original slice, line breaks included. `InputSize` says how much of the input
was read. Pure: no rules, no I/O.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Required, TypedDict

# Only the start of a paste is read: real error output is short, logs put it early.
MAX_CHARS = 1_000_000

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), DCS/SOS/PM/APC (ESC P|X|^|_ ... ESC \), other
# two-byte escapes, and 8-bit CSI. A string sequence is removed only when it is terminated on its own
# line: an unterminated one (a stray "ESC ]") loses just its introducer, never the text after it.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\n\r]{0,4096}(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b\n\r]{0,4096}\x1b\\"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_WHITESPACE = re.compile(r"\s+")


class InputSizeJson(TypedDict, total=False):
    chars: Required[int]
    read: Required[int]
    cut: Required[bool]
    chars_at_least: bool  # only when true: `chars` is a lower bound (reading stdin stopped)


@dataclass(frozen=True)
class InputSize:
    """How much of the input was read: a paste longer than MAX_CHARS is cut, and the report says so."""

    chars: int  # characters in the whole input (a lower bound when not `exact`)
    read: int  # characters read, from the start
    exact: bool = True

    @property
    def cut(self) -> bool:
        return self.read < self.chars or not self.exact

    def to_json(self) -> InputSizeJson:
        data: InputSizeJson = {"chars": self.chars, "read": self.read, "cut": self.cut}
        if not self.exact:
            data["chars_at_least"] = True
        return data


def input_size(text: str, total_chars: int | None = None, *, exact: bool = True) -> InputSize:
    """The size of `text`, the start of an input of `total_chars` characters (default: all of it)."""
    return InputSize(max(len(text), total_chars or 0), min(len(text), MAX_CHARS), exact)


@dataclass(frozen=True)
class View:
    """A normalised copy of the cleaned text, with offsets back into it."""

    text: str
    lowered: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]

    def to_orig(self, index: int) -> int:
        k = bisect.bisect_right(self.norm_starts, index) - 1
        return self.orig_starts[k] + (index - self.norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.to_orig(start), self.to_orig(start)
        return self.to_orig(start), self.to_orig(end - 1) + 1


def _make_view(cleaned: str, runs: list[tuple[int, int]], join_lines: bool) -> View:
    """Collapse each whitespace run to one space; with `join_lines`, drop runs holding a line break."""
    pieces: list[str] = []
    norm_starts, orig_starts = [0], [0]
    pos = npos = 0
    for a, b in runs:
        run = cleaned[a:b]
        # A line break joins without a space, unless the line ended in a space (wrapped at a word).
        repl = "" if join_lines and ("\n" in run or "\r" in run) and run[0] in "\r\n" else " "
        if run == repl:
            continue
        pieces.append(cleaned[pos:a])
        npos += a - pos
        norm_starts.append(npos)
        orig_starts.append(a)
        pieces.append(repl)
        npos += len(repl)
        norm_starts.append(npos)
        orig_starts.append(b)
        pos = b
    pieces.append(cleaned[pos:])
    text = "".join(pieces)
    return View(text, text.lower(), tuple(norm_starts), tuple(orig_starts))


def clean(text: str) -> str:
    """The first MAX_CHARS characters without terminal escapes (nothing else is changed)."""
    return _ANSI.sub("", text[:MAX_CHARS])


def views(cleaned: str) -> list[View]:
    """Whitespace collapsed; plus, when there are line breaks, lines joined without a space."""
    runs = [m.span() for m in _WHITESPACE.finditer(cleaned)]
    out = [_make_view(cleaned, runs, join_lines=False)]
    if "\n" in cleaned or "\r" in cleaned:
        out.append(_make_view(cleaned, runs, join_lines=True))
    return out
