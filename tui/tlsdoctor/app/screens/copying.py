"""What `c` copies on the walk screen: one visibly selected command, moved with Tab, `]`/`[` or a click.

A mixin of the walk screen. Exactly one `Selectable` (a command line, or a dead
end) carries the selection mark `▶`; focusing one selects it, so the keyboard
and the mouse move the same selection. When the evidence pane is rebuilt the
selection falls back to the verdict card's command, which is always on
screen. A dead end can be selected (the user may be reading it) but has
nothing to copy: `c` says so instead of silently copying another command.
Confirmations go to the screen's message line, never over the evidence.
"""

from __future__ import annotations

from textual import events, on
from textual.screen import Screen

from tlsdoctor.i18n import _

from ..widgets.command import Selectable
from ..widgets.message import MessageLine


class CopySelection(Screen[None]):
    """The selection `c` copies, and the message line that confirms it."""

    copy_target: Selectable | None = None

    # messages ---------------------------------------------------------------------------
    def say(self, message: str, severity: str = "information") -> None:
        """A confirmation in the message line (the app routes its notifications here too)."""
        lines = self.query(MessageLine)
        if lines:
            lines.first().say(message, severity)
        else:
            self.app.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    # selection --------------------------------------------------------------------------
    def selectables(self) -> list[Selectable]:
        return [w for w in self.query(Selectable) if w.display]

    def select_copy_target(self, target: Selectable | None) -> None:
        previous = self.copy_target
        if previous is not None and previous is not target and previous.is_mounted:
            previous.set_selected(False)
        self.copy_target = target
        if target is not None:
            target.set_selected(True)

    def reset_copy_target(self) -> None:
        """Back to the card's command (or the first command on screen) when the old one is gone."""
        if self.copy_target is not None and self.copy_target.is_attached:
            self.copy_target.set_selected(True)
            return
        commands = [w for w in self.selectables() if w.copy_text is not None]
        self.select_copy_target(commands[0] if commands else None)

    @on(events.DescendantFocus)
    def _selection_follows_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Selectable):
            self.select_copy_target(event.widget)

    def _move_selection(self, step: int) -> None:
        items = self.selectables()
        if not items:
            self.say(_("No command to copy yet."), "warning")
            return
        current = items.index(self.copy_target) if self.copy_target in items else -1
        target = items[(current + step) % len(items)]
        target.focus()
        target.scroll_visible(animate=False)

    def action_next_command(self) -> None:
        self._move_selection(1)

    def action_previous_command(self) -> None:
        self._move_selection(-1)

    def selected_command(self) -> str | None:
        target = self.copy_target
        return target.copy_text if target is not None and target.is_attached else None

    def action_copy_command(self) -> None:
        target = self.copy_target if self.copy_target is not None and self.copy_target.is_attached else None
        if target is None:
            self.say(_("No command to copy yet."), "warning")
            return
        command = target.copy_text
        if command is None:
            self.say(_("A dead end has nothing to copy: it is shown so that nobody tries it."), "warning")
            return
        self.app.copy_to_clipboard(command)
        self.say(_("Copied: {command}").format(command=command))
