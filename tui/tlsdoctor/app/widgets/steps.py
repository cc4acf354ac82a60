"""The numbered step list of the walk screen, each step with its live state.

Drawn from `WalkState`; status is never told by colour alone (a symbol, and
a word where there is room). Two shapes: at 80 columns one short line per
step (`5 ✗ Names`; the evidence pane gets the room and its title has the rest),
wider two lines (title, then `✗ failed 2ms`) and a skipped step's reason
whole, wrapped under it, never cut. Reads the state, never changes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import STATUS_SYMBOLS, STATUS_WORDS, step_title

from ..display import STATUS_STYLE, lit
from ..state import WalkState
from ..words import SHORT_STEP_TITLES
from ..wrapped import Wrapped

COMPACT_BELOW = 32  # list width (cells) under which a step takes one line


def status_content(state: WalkState, step: StepId) -> Content:
    """Symbol + word (+ time): status is never told by colour alone."""
    status = state.status(step)
    if state.cancelled and status in (StepStatus.RUNNING, StepStatus.WAITING):
        return Content.styled("– " + _("cancelled"), "$warning")
    if status is StepStatus.RUNNING:
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


def _symbol(state: WalkState, step: StepId) -> Content:
    status = state.status(step)
    if state.cancelled and status in (StepStatus.RUNNING, StepStatus.WAITING):
        return Content.styled("–", "$warning")
    return Content.styled(STATUS_SYMBOLS[status], STATUS_STYLE[status])


def step_prompt(state: WalkState, step: StepId, *, compact: bool = False) -> Wrapped:
    """`5 ✗ Names` (compact), or `5 Names` / `  ✗ failed 2ms` and then the whole skip reason, if any."""
    style = "bold" if step is state.running else ""
    if compact:
        return Wrapped(Content.assemble((f"{step.number} ", "bold"), _symbol(state, step), " ", (_(SHORT_STEP_TITLES[step]), style)), hang=4)
    head = Content.assemble((f"{step.number} ", "bold"), (step_title(step), style))
    lines = [head, status_content(state, step)]  # lines after the first are indented by the hang
    result = state.results.get(step)
    if result is not None and result.status is StepStatus.SKIPPED and result.skipped_reason:
        lines.append(lit(_(result.skipped_reason), "dim italic"))
    return Wrapped(Content("\n").join(lines), hang=2)


class StepList(OptionList):
    """The eight numbered steps of the tree with their live state."""

    DEFAULT_CSS = """
    StepList { width: 36; height: 1fr; }
    StepList > .option-list--option { padding: 0 1; }
    """

    def __init__(self, state: WalkState, *, id: str | None = None) -> None:
        self.state = state
        self.one_line = False
        super().__init__(*(Option(step_prompt(state, s), id=s.value) for s in StepId), id=id)

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self.one_line:
            self.one_line = compact
            self.refresh_steps()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went: the text width changed without a resize, so lay the steps out again."""
        self.refresh_steps()

    def refresh_steps(self, steps: Iterable[StepId] = tuple(StepId)) -> None:
        for step in steps:
            self.replace_option_prompt(step.value, step_prompt(self.state, step, compact=self.one_line))

    @property
    def selected_step(self) -> StepId:
        return list(StepId)[self.highlighted or 0]

    def select_step(self, step: StepId) -> None:
        self.highlighted = list(StepId).index(step)
