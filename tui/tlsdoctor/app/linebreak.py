"""Where a line may break: between words, around CJK characters, never inside a name, path or command word.

Textual wraps at white space only and folds any longer "word" at the edge, so
`other.example.test` became `other.ex`/`ample.test` and a Chinese sentence (no
spaces) was cut anywhere, even before `。`. This module decides the breaks
instead, in the spirit of Unicode's line breaking (UAX #14), kept small:

- a break is allowed after white space, and before or after a wide (CJK)
  character, except before closing punctuation (`。，）」` …, never at a line's
  start) and after opening punctuation (`（「` …, never at a line's end);
- a run of non-CJK characters (a host name, a path, a command word) is never
  broken; only when it alone is wider than the line is it broken after a
  separator (`. / - _ , : = & ?`), and only when even a piece between
  separators is wider than the line is it cut at the edge.

Pure: plain strings and cell widths; no textual (the app's `Wrapped` visual
applies the breaks to styled content).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from rich.cells import cell_len

# No break before these (closing and terminal punctuation, small kana, iteration marks).
CLOSING = frozenset(
    "、。，．：；！？）］｝」』】〕〉》〗〙〛”’…‥・ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ゛゜ヽヾ〜％‰℃"
    ".,:;!?)]}%"
)
# No break after these (opening punctuation).
OPENING = frozenset("（［｛「『【〔〈《〖〘〚“‘([{")
# Where an over-long word may break, after the character.
SEPARATORS = frozenset("./-_,:;=&?@|\\")

Span = tuple[int, int]  # [start, end) of one line in the text, trailing spaces excluded


def is_wide(ch: str) -> bool:
    """A character that takes two cells (CJK ideographs, kana, hangul, full-width forms)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def break_allowed(before: str, after: str) -> bool:
    """May a line end between `before` and `after`?"""
    if after.isspace():
        return False
    if before.isspace():
        return True
    if after in CLOSING or before in OPENING:
        return False
    return is_wide(before) or is_wide(after)


def _flag_before(text: str, start: int, i: int) -> bool:
    """Is the word before the spaces ending at `i` an option (`-d`, `--name`) whose value starts at `i`?"""
    j = i
    while j > start and text[j - 1].isspace():
        j -= 1
    k = j
    while k > start and not text[k - 1].isspace():
        k -= 1
    return text[k:j].startswith("-") and not text[i].startswith("-")


def _segments(text: str, start: int, end: int, command: bool) -> Iterator[Span]:
    """The unbreakable pieces of text[start:end], each with the spaces that follow it.

    In a command an option stays with its value (`-d wrong.example.test` moves as one piece)."""
    seg = start
    for i in range(start + 1, end):
        if break_allowed(text[i - 1], text[i]) and not (command and _flag_before(text, start, i)):
            yield seg, i
            seg = i
    if seg < end:
        yield seg, end


def _split_long(text: str, start: int, end: int, first: int, width: int) -> Iterator[Span]:
    """Pieces of an over-long word: after separators where possible, else cut at the edge.

    `first` is the room left on the current line for the first piece."""
    room = first
    piece = start
    last_sep = -1  # position after the last separator seen in the current piece
    used = 0
    i = start
    while i < end:
        w = cell_len(text[i])
        if used + w > room and i > piece:
            cut = last_sep if last_sep > piece else i
            yield piece, cut
            # measure the next piece afresh from the cut: what was carried over may itself be too wide
            piece, room, last_sep, used, i = cut, width, -1, 0, cut
            continue
        used += w
        if text[i] in SEPARATORS:
            last_sep = i + 1
        i += 1
    if piece < end:
        yield piece, end


def wrap_spans(text: str, width: int, hang: int = 0, *, command: bool = False) -> list[Span]:
    """The lines of `text` at `width` cells; lines after the first lose `hang` cells (the caller indents them).

    Explicit newlines are kept. Trailing spaces are not part of a line; a line
    never starts with closing punctuation unless a single word is wider than the
    line. `command`: a shell command, whose options keep their values.
    """
    width = max(width, 2)
    hang = min(max(hang, 0), width // 2)
    lines: list[Span] = []
    pos = 0
    for paragraph in text.split("\n"):
        p_start, p_end = pos, pos + len(paragraph)
        pos = p_end + 1
        line_start, used, room = p_start, 0, width - (hang if lines else 0)
        for s, e in _segments(text, p_start, p_end, command):
            core = text[s:e].rstrip()
            core_w, full_w = cell_len(core), cell_len(text[s:e])
            if used + core_w <= room:
                used += full_w
                continue
            if used > 0:
                lines.append((line_start, s))
                line_start, used, room = s, 0, width - hang
            if core_w <= room:
                used = full_w
                continue
            pieces = list(_split_long(text, s, s + len(core), room, width - hang))
            for ps, pe in pieces[:-1]:
                lines.append((ps, pe))
            line_start = pieces[-1][0]
            used = cell_len(text[line_start:e])
            room = width - hang
        lines.append((line_start, p_end))
    return [(s, s + len(text[s:e].rstrip())) for s, e in lines]


def wrap_text(text: str, width: int, hang: int = 0, *, command: bool = False) -> list[str]:
    """`wrap_spans` as strings, continuation lines indented by `hang` spaces (for tests and plain faces)."""
    hang = min(max(hang, 0), max(width, 2) // 2)
    out = []
    for n, (s, e) in enumerate(wrap_spans(text, width, hang, command=command)):
        out.append((" " * hang if n else "") + text[s:e])
    return out
