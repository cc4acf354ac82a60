"""Files the app writes: new files that never overwrite, and SVG screenshots fixed for CJK.

The only module of the app that writes to disk. It holds no widget and knows
nothing of the walk beyond the target a file is named after.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:
    from tlsdoctor.request import WalkOptions


def free_path(directory: Path, stem: str, suffix: str) -> Path:
    """`stem.md` in `directory`, else `stem-2.md`, `stem-3.md` …: the first name not taken (the dialog's default)."""
    for n in range(1, 1000):
        path = directory / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if not path.exists():
            return path
    return directory / f"{stem}-{os.getpid()}{suffix}"


def write_file_once(path: Path, data: str) -> Path:
    """Write `data` to exactly `path`, atomically, never over an existing file (FileExistsError then)."""
    fd, tmp = tempfile.mkstemp(prefix=".tlsdoctor-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.link(tmp, path)
        return path
    finally:
        os.unlink(tmp)


def write_new_file(directory: Path, stem: str, suffix: str, data: str) -> Path:
    """Write atomically and never overwrite: `stem.md`, else `stem-2.md`, `stem-3.md` …

    The text goes to a temporary file in the same directory first; `os.link`
    then gives it its final name only if that name is free (atomic on POSIX).
    """
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tlsdoctor-", suffix=suffix, dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        for n in range(1, 1000):
            path = directory / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, path)
            except FileExistsError:
                continue
            return path
        raise FileExistsError(f"too many files named {stem}*{suffix} in {directory}")
    finally:
        os.unlink(tmp)


_SVG_TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.e+-]+)("[^>]*>)([^<]*)(</text>)')


def fix_cjk_svg(svg: str) -> str:
    """Rich's SVG export sizes text by characters, not cells, squeezing CJK (Rich issue #2742).

    Each `<text>` gets `textLength` = cell width × cells instead of × characters.
    """

    def fix(match: re.Match[str]) -> str:
        text = html.unescape(match.group(4))
        chars, cells = len(text), cell_len(text)
        if not chars or chars == cells:
            return match.group(0)
        length = float(match.group(2)) / chars * cells
        return f"{match.group(1)}{length:g}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _SVG_TEXT.sub(fix, svg)


def file_stem(options: WalkOptions | None) -> str:
    """`tlsdoctor-www.example.com-443`: exports are named after the walk's target."""
    if options is None:
        return "tlsdoctor"
    target = options.target
    return "tlsdoctor-" + re.sub(r"[^A-Za-z0-9._-]+", "_", f"{target.ascii_host}-{target.port}")
