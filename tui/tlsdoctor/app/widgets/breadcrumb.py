"""The breadcrumb: the path the walk took, one row under the status line.

Each settled question as its step number and what was said ("3 the hosts file
line is intended"), the user's own answers bold, defaults dim, so both people
on a call see why the verdict is what it is. The evidence each answer rested on
is in its step's pane and in every export. Drawn from `WalkState.path`.
"""

from __future__ import annotations

from textual.content import Content

from tlsdoctor.facts.questions import AnsweredBy
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _
from tlsdoctor.summaries import answered_by_note, answered_text

from ..display import lit
from ..state import WalkState


def breadcrumb(state: WalkState) -> Content:
    """`path ▸ 1 the failing client is Java ▸ 3 the hosts file line is intended` (empty without questions)."""
    if not state.path:
        return Content("")
    parts: list[Content | str | tuple[str, str]] = [(_("path"), "bold $primary")]
    for a in state.path:
        step = StepId(a.step)
        style = "dim" if a.by is AnsweredBy.DEFAULT else "bold"
        parts += [" ▸ ", (f"{step.number} ", "$primary"), lit(answered_text(a), style)]
        if a.by is not AnsweredBy.USER:
            parts.append((answered_by_note(a), "dim"))
    return Content.assemble(*parts)
