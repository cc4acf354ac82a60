"""The evidence pane: the selected step's result, drawn from the stored walk state.

Title and status, the step's summary and findings, then the step's own pane
(`resolution`, `certificates`, `client`, `diagnosis`), and under a failing step
the knowledge entry its findings lead to. Everything comes from `WalkState`
(step results, the view models computed when a step finished, the report);
nothing is parsed or probed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget

from tlsdoctor.facts.steps import StepResult
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import step_title
from tlsdoctor.summaries import step_summary

from ..display import lit
from ..state import WalkState
from ..wrapped import prose
from .blocks import answered_lines, finding_lines
from .certificates import chain_pane, fetch_pane, names_pane
from .client import client_pane
from .diagnosis import diagnosis_hint, diagnosis_pane
from .resolution import dns_pane, hosts_pane, target_pane
from .steps import status_content


def step_pane(state: WalkState, result: StepResult) -> Iterator[Widget]:
    """The widgets of one step's own evidence (its data is the walk's, as that step produced it)."""
    data = result.data
    match result.step:
        case StepId.TARGET:
            yield from target_pane(data)
        case StepId.DNS:
            yield from dns_pane(data)
        case StepId.HOSTS:
            yield from hosts_pane(data)
        case StepId.FETCH:
            yield from fetch_pane(data, state.fetch_rows)
        case StepId.NAMES:
            yield from names_pane(data)
        case StepId.CHAIN:
            at = state.report.at if state.report is not None else dt.datetime.now(dt.UTC)
            yield from chain_pane(data, at)
        case StepId.CLIENT:
            yield from client_pane(data, state.server_log)
        case StepId.DIAGNOSIS:
            yield from diagnosis_pane(data)


class EvidencePane(Widget):
    """The selected step's evidence, built from its stored result."""

    DEFAULT_CSS = """
    EvidencePane { height: auto; }
    EvidencePane DataTable { height: auto; max-height: 30; margin: 0 0 1 0; }
    EvidencePane Tree { height: auto; }
    EvidencePane .heading { margin: 1 0 0 0; }
    """

    def __init__(self, state: WalkState, step: StepId, *, id: str | None = None) -> None:
        self.state = state
        self.step = step
        super().__init__(id=id)

    def compose(self) -> ComposeResult:
        state, step = self.state, self.step
        yield prose(
            Content.assemble((f"{step.number}. {step_title(step)}  ", "bold"), status_content(state, step)), classes="pane-title"
        )
        result = state.results.get(step)
        if result is None:
            if state.cancelled:
                text = _("cancelled: this step never ran. Press r to run the walk again.")
            elif step is state.running:
                text = _("running…")
            else:
                text = _("waiting for the earlier steps")
            yield prose(Content.styled(text, "dim"))
            return
        yield prose(lit(step_summary(result), "italic"), classes="summary")
        yield from answered_lines([a for a in state.path if a.step is step])
        yield from finding_lines(result.findings)
        if result.data is None:
            return
        yield prose("")
        yield from step_pane(state, result)
        report = state.report
        problems = {f.code.value for f in result.findings if f.severity.value in ("error", "warning")}
        if report is not None and step is not StepId.DIAGNOSIS and problems:
            shown = report.diagnosis[0].kb_id if report.diagnosis else None
            yield from diagnosis_hint(report.diagnosis, problems, shown=shown)
