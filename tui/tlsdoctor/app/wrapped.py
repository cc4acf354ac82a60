"""Styled text that wraps where `linebreak` allows, at whatever width the widget gets.

`Wrapped` is a Textual Visual around a `Content`: at render time it breaks the
plain text with `linebreak.wrap_spans` (names and paths stay whole, CJK lines
never start with `。`), indents continuation lines by `hang` cells and hands
lines that already fit to Textual, which then has nothing left to fold. No
widget here; `prose()` makes the `Static` that shows one.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from .linebreak import wrap_spans


class Wrapped(Visual):
    """A Content wrapped at break opportunities; continuation lines indented by `hang` cells."""

    def __init__(self, content: Content, *, hang: int = 0, command: bool = False) -> None:
        self.content = content
        self.hang = hang
        self.command = command
        self._cache: tuple[int, Content] | None = None

    def wrapped(self, width: int) -> Content:
        """The content with a newline at each break, as laid out at `width` cells."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        plain = self.content.plain
        spans = wrap_spans(plain, width, self.hang, command=self.command)
        hang = min(max(self.hang, 0), max(width, 2) // 2)
        lines = [(Content(" " * hang) if n and hang else Content("")) + self.content[s:e] for n, (s, e) in enumerate(spans)]
        result = Content("\n").join(lines)
        self._cache = (width, result)
        return result

    @property
    def plain(self) -> str:
        return self.content.plain

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.wrapped(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.wrapped(width).get_height(rules, width)


def prose(content: Content | str, *, hang: int = 0, command: bool = False, classes: str | None = None, id: str | None = None) -> Static:
    """A Static whose text wraps at break opportunities (see `linebreak`)."""
    body = content if isinstance(content, Content) else Content(content)
    return Static(Wrapped(body, hang=hang, command=command), classes=classes, id=id)
