"""The app's screens, one per module: `walk`, `form`, `picker`, `explain` (a dialog), `knowledge`.

Screens consume the walk's event stream and the knowledge base; none opens a
socket. The names below are re-exported for callers of `tlsdoctor.app.screens`
(the walk messages too, since the walk screen is where they arrive).
"""

from ..messages import (
    StepFinishedMessage,
    StepProgressMessage,
    StepStartedMessage,
    WalkCancelledMessage,
    WalkFinishedMessage,
)
from .explain import ExplainDialog
from .form import FormScreen
from .knowledge import KnowledgeScreen
from .picker import PickerScreen
from .walk import WalkScreen

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
