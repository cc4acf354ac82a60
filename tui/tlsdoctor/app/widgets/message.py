"""The message line: short confirmations ("Copied: …", "Saved …") in a row of their own, never over the evidence.

Textual's toasts sit on top of the bottom-right corner, which on an 80×24
screen is where the diagnosis is. This line takes a row above the footer while
it has something to say and gives it back after a few seconds. One line, cut
with an ellipsis: a confirmation, not content (what was copied stays selected
on screen). Text is shown literally.
"""

from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ..display import lit

SEVERITY_STYLE = {"information": "$success", "warning": "$warning bold", "error": "$error bold"}
SEVERITY_MARK = {"information": "✓ ", "warning": "! ", "error": "✗ "}


class MessageLine(Static):
    """One row above the footer for a few seconds; hidden when there is nothing to say."""

    DEFAULT_CSS = """
    MessageLine { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; display: none; }
    MessageLine.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._timer: Timer | None = None
        self.text = ""

    def say(self, message: str, severity: str = "information", timeout: float = 4.0) -> None:
        self.text = message
        mark = SEVERITY_MARK.get(severity, "")
        self.update(Content.assemble((mark, SEVERITY_STYLE.get(severity, "")), lit(message)))
        self.add_class("-shown")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout, self.clear)

    def clear(self) -> None:
        self.text = ""
        self.remove_class("-shown")
        self.update("")
