"""The export dialog: where to write a report or a screenshot, asked before anything is written.

Opens with a default path (the export directory, named after the target, the
next free name) that the user can accept with Enter or edit. It dismisses with
the chosen path, or None on Esc; it never overwrites: a path that exists is
refused under the field, with the next free name offered instead. Writing
is the app's job (`exports.write_file_once`); this dialog only asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tlsdoctor.i18n import _

from ..display import lazy_gettext, lit
from ..exports import free_path


class ExportDialog(ModalScreen[Path | None]):
    """Ask for the path of an export; dismiss with it (None: cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", lazy_gettext("Cancel"), id="cancel-export")]

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog #export-box { width: 90%; max-width: 100; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    ExportDialog Input { margin: 1 0 0 0; }
    ExportDialog #export-error { color: $error; height: auto; }
    ExportDialog .buttons { height: auto; margin: 1 0 0 0; }
    """

    def __init__(self, what: str, default: Path) -> None:
        super().__init__()
        self.what = what
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(Content.assemble((self.what, "bold")), classes="heading")
            yield Label(_("Save to (Enter saves, Esc cancels):"))
            yield Input(str(self.default), id="export-path")
            yield Static("", id="export-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="export-save", variant="primary")
                yield Button(_("Cancel"), id="export-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def action_save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        error = self.query_one("#export-error", Static)
        if not text:
            error.update(_("Give a file name."))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            path = path / self.default.name
        if path.exists():
            other = free_path(path.parent, path.stem, path.suffix)
            error.update(
                Content.assemble(
                    lit(_("{path} exists and is never overwritten; the next free name is filled in.").format(path=path))
                )
            )
            self.query_one("#export-path", Input).value = str(other)
            return
        if not path.parent.is_dir():
            error.update(lit(_("The folder {folder} does not exist.").format(folder=path.parent)))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
