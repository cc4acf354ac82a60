"""A long table drawn one line at a time: only the rows on screen are ever built.

A DataTable builds, stores and measures every cell when it is filled: the names
pane of a certificate with 3,000 SANs spent half a second on that before it
showed (issue 13). This widget is given the number of rows, the column widths
and a function that builds one row; Textual asks it only for the lines in view
(the evidence pane scrolls it). Panes keep a DataTable for ordinary lengths and
use this one past `LONG_TABLE` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

LONG_TABLE = 200  # rows: from here on a pane draws its table line by line

Row = Callable[[int], Sequence[Content]]


class LineTable(Widget):
    """`count` rows of `widths`-wide cells under a bold header; `row(i)` builds row i when shown."""

    DEFAULT_CSS = """
    LineTable {
        height: auto;
        width: 1fr;
    }
    """
    GAP = 2  # cells between columns

    def __init__(self, headers: Sequence[str], widths: Sequence[int], count: int, row: Row, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headers = tuple(headers)
        self.widths = tuple(max(w, cell_len(h)) for w, h in zip(widths, headers, strict=True))
        self.count = count
        self.row = row

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.count + 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self.widths) + self.GAP * (len(self.widths) - 1)

    def line_content(self, y: int) -> Content:
        """Line `y` as content: the header, then row y - 1, each cell cut or padded to its column."""
        cells = [Content.styled(h, "bold") for h in self.headers] if y == 0 else list(self.row(y - 1))
        gap = " " * self.GAP
        parts = []
        for cell, width in zip(cells, self.widths, strict=False):
            fitted = cell.truncate(width, ellipsis=True) if cell.cell_length > width else cell
            parts.append(fitted.pad_right(width - fitted.cell_length))
        return Content(gap).join(parts)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not 0 <= y <= self.count:
            return Strip.blank(width, self.visual_style.rich_style)
        strips = Visual.to_strips(self, self.line_content(y), width, 1, self.visual_style, pad=True)
        return strips[0] if strips else Strip.blank(width, self.visual_style.rich_style)
