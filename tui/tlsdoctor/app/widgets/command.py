"""A ready-to-copy shell command on screen: focus it and press c to copy.

Holds the command text exactly as built (from the knowledge base's templates
and the walk's target); shown literally, never as markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..display import lit


class CommandLine(Static, can_focus=True):
    """One ready-to-copy shell command; focus it and press c to copy."""

    DEFAULT_CSS = """
    CommandLine { padding: 0 1 0 4; }
    CommandLine:focus { background: $primary 30%; }
    """

    def __init__(self, command: str, *, id: str | None = None) -> None:
        self.command = command
        super().__init__(Content.assemble(("$ ", "bold"), lit(command)), id=id)
