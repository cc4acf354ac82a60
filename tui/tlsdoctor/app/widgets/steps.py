"""The numbered step list of the walk screen, each step with its live state.

Two lines per step (title, then symbol + word + time, or the skip reason),
drawn from `WalkState`; status is never told by colour alone. Reads the state,
never changes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import STATUS_SYMBOLS, STATUS_WORDS, step_title

from ..display import STATUS_STYLE, lit
from ..state import WalkState

STEP_TEXT_WIDTH = 30  # cells for a step's second line inside the 36-cell list


def status_content(state: WalkState, step: StepId) -> Content:
    """Symbol + word (+ time): status is never told by colour alone."""
    status = state.status(step)
    if status is StepStatus.RUNNING:
        if state.cancelled:
            return Content.styled("– " + _("cancelled"), "$warning")
        label = f"… {_(STATUS_WORDS[status])} {state.elapsed(step):.1f}s"
        done = state.progress.get(step)
        if done and done[1]:
            label += f" ({done[0]}/{done[1]})"
        return Content.styled(label, STATUS_STYLE[status])
    label = f"{STATUS_SYMBOLS[status]} {_(STATUS_WORDS[status])}"
    if status is StepStatus.SKIPPED:
        return Content.styled(label, STATUS_STYLE[status])
    if step in state.results:
        label += f" {state.results[step].elapsed_ms:.0f}ms"
    return Content.styled(label, STATUS_STYLE[status])


def step_prompt(state: WalkState, step: StepId) -> Content:
    """Two lines per step: `4 Fetch certificates` / `  ✓ ok 12ms` (or the skip reason)."""
    head = Content.assemble((f"{step.number} ", "bold"), (step_title(step), "bold" if step is state.running else ""))
    second = Content.assemble("  ", status_content(state, step))
    result = state.results.get(step)
    if result is not None and result.status is StepStatus.SKIPPED and result.skipped_reason:
        # one line: the full reason is in the evidence pane
        reason = lit(_(result.skipped_reason), "dim italic").truncate(STEP_TEXT_WIDTH, ellipsis=True)
        second = second.append(Content("\n  ")).append(reason)
    return Content("\n").join([head, second])


class StepList(OptionList):
    """The eight numbered steps of the tree with their live state."""

    DEFAULT_CSS = """
    StepList { width: 36; height: 1fr; }
    StepList > .option-list--option { padding: 0 1; }
    """

    def __init__(self, state: WalkState, *, id: str | None = None) -> None:
        self.state = state
        super().__init__(*(Option(step_prompt(state, s), id=s.value) for s in StepId), id=id)

    def refresh_steps(self, steps: Iterable[StepId] = tuple(StepId)) -> None:
        for step in steps:
            self.replace_option_prompt(step.value, step_prompt(self.state, step))

    @property
    def selected_step(self) -> StepId:
        return list(StepId)[self.highlighted or 0]

    def select_step(self, step: StepId) -> None:
        self.highlighted = list(StepId).index(step)
