"""Widgets of the walk screen: the step list, the status line and the evidence panes.

Each module holds one kind of thing (`steps`, `status`, `evidence` and the
panes it dispatches to, `command`, `blocks`). Widgets draw from `WalkState`
and the walk's step data; none opens a socket, reads a file or parses a
certificate. The names below are re-exported for callers of `tlsdoctor.app.widgets`.
"""

from .command import CommandLine
from .diagnosis import DeadEnd
from .evidence import EvidencePane
from .steps import StepList

__all__ = ["CommandLine", "DeadEnd", "EvidencePane", "StepList"]
