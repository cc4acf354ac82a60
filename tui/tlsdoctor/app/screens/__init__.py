"""The app's screens, one per module: `walk`, `form`, `picker`, `explain` (a dialog), `knowledge`.

Screens consume the walk's event stream and the knowledge base; none opens a
socket. The names below are re-exported for callers of `tlsdoctor.app.screens`
(the walk messages too, since the walk screen is where they arrive).
"""

from typing import TYPE_CHECKING

from ..messages import (
    StepFinishedMessage,
    StepProgressMessage,
    StepStartedMessage,
    WalkCancelledMessage,
    WalkFinishedMessage,
)
from .form import FormScreen
from .picker import PickerScreen
from .walk import WalkScreen

if TYPE_CHECKING:
    from .explain import ExplainDialog
    from .knowledge import KnowledgeScreen


def __getattr__(name: str) -> object:
    """The dialogs opened on demand load when first asked for: the knowledge screen brings
    Markdown and its parser, ~25 ms of the app's cold start (issue 13)."""
    if name == "ExplainDialog":
        from .explain import ExplainDialog  # lazy: start-up cost (see above)

        return ExplainDialog
    if name == "KnowledgeScreen":
        from .knowledge import KnowledgeScreen  # lazy: start-up cost (see above)

        return KnowledgeScreen
    raise AttributeError(name)

__all__ = [
    "ExplainDialog",
    "FormScreen",
    "KnowledgeScreen",
    "PickerScreen",
    "StepFinishedMessage",
    "StepProgressMessage",
    "StepStartedMessage",
    "WalkCancelledMessage",
    "WalkFinishedMessage",
    "WalkScreen",
]
