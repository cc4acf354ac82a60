"""A ready-to-copy shell command on screen, and the mark that says which one `c` copies.

Holds the command text exactly as built (from the knowledge base's templates
and the walk's target); shown literally, never as markup, and wrapped between
its words (an option stays with its value), never inside a name or a path.
`Selectable` is what the walk screen's copy selection can rest on: a command,
or a dead end (which has nothing to copy, and says so). The selected one shows
`▶` (not colour alone) and a background.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..display import lit
from ..wrapped import Wrapped

MARK = "▶ "
NO_MARK = "  "


class Selectable(Static, can_focus=True):
    """Something the copy selection can rest on; the selected one carries `-selected` and `▶`."""

    selected = False

    def body(self, mark: str) -> Wrapped:
        """What the widget shows, `mark` in front."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.update(self.body(MARK if self.selected else NO_MARK))

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self.set_class(selected, "-selected")
        if self.is_mounted:
            self.update(self.body(MARK if selected else NO_MARK))

    @property
    def copy_text(self) -> str | None:
        """What `c` copies when this is selected (None: nothing to copy here)."""
        return None


class CommandLine(Selectable):
    """One ready-to-copy shell command; selected (Tab, `]`, a click), `c` copies it."""

    DEFAULT_CSS = """
    CommandLine { padding: 0 1 0 2; }
    CommandLine.-selected { background: $primary 25%; }
    CommandLine:focus { background: $primary 40%; }
    """

    def __init__(self, command: str, *, id: str | None = None, classes: str | None = None) -> None:
        self.command = command
        super().__init__(self.body(NO_MARK), id=id, classes=classes)

    def body(self, mark: str) -> Wrapped:
        return Wrapped(Content.assemble((mark, "bold"), ("$ ", "bold"), lit(self.command)), hang=6, command=True)

    @property
    def copy_text(self) -> str:
        return self.command
