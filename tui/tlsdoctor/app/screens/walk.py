"""The walk screen: the verdict card on top, steps on the left, the selected step's evidence on the right.

It runs `tlsdoctor.walk.walk()` in an async worker and turns each engine event
into a typed message (`app.messages`); the handlers store it in `WalkState`
and everything on screen is rebuilt from that state, so a language switch
(recompose) keeps results and the selected step. The engine's event stream
is the only thing this screen consumes: it never opens sockets, reads files
or parses certificates. At 80×24 the status line, the verdict card (top
finding, its evidence, top fix and its command) and the step list fit with no
key press; a row is kept for the path taken (`#breadcrumb`, empty until the
walk asks questions). Confirmations go to the message line (`CopySelection`),
never over the evidence.

Where the walk asks (a `Question` event) the worker opens a `QuestionDialog`
and sends its `Answer` back into the stream; each settled question (`Answered`)
joins the breadcrumb. `r` runs the walk again with the same answers and shows
what changed since the last run (`compare.compare_reports`) in the card.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.worker import Worker, WorkerState

from tlsdoctor.facts.questions import Answer, AnsweredBy, Question
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import _, current_language
from tlsdoctor.redact import Redactor
from tlsdoctor.render.labels import safe_text
from tlsdoctor.render.report import render_report
from tlsdoctor.walk import Event

from ..display import lazy_gettext, set_display_filter
from ..messages import (
    AnsweredMessage,
    StepFinishedMessage,
    StepProgressMessage,
    StepStartedMessage,
    WalkCancelledMessage,
    WalkFinishedMessage,
    message_for,
)
from ..state import WalkState
from ..widgets.breadcrumb import breadcrumb
from ..widgets.evidence import EvidencePane
from ..widgets.message import MessageLine
from ..widgets.status import status_line
from ..widgets.steps import StepList
from ..widgets.verdict import verdict_card
from .copying import CopySelection
from .question import QuestionDialog
from .sharing import Sharing

if TYPE_CHECKING:
    from tlsdoctor.probe.background import ThreadedGenerator
    from tlsdoctor.request import WalkOptions

ServerLog = Callable[[], Sequence[str]]  # the demo's lab: what its server logged for this walk


class WalkScreen(CopySelection, Sharing):
    """The verdict card on top, steps on the left, the selected step's evidence on the right."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - Textual declares it an instance attribute
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_command", lazy_gettext("Copy"), id="copy-command"),
        Binding("right_square_bracket", "next_command", lazy_gettext("Next command"), key_display="]", id="next-command"),
        Binding("left_square_bracket", "previous_command", lazy_gettext("Previous command"), key_display="[", show=False, id="previous-command"),
        Binding("r", "rerun", lazy_gettext("Re-run"), id="rerun"),
        Binding("escape", "cancel_or_back", lazy_gettext("Cancel/back"), id="cancel"),
        Binding("m", "copy_report", lazy_gettext("Copy report"), show=False, id="copy-report"),
        Binding("n", "next_problem", lazy_gettext("Next problem"), show=False, id="next-problem"),
        Binding("x", "toggle_redaction", lazy_gettext("Redact"), show=False, id="toggle-redaction"),
    ]

    def __init__(
        self,
        options: WalkOptions,
        *,
        name: str | None = None,
        back_allowed: bool = True,
        replay: Sequence[Event] | None = None,
        server_log: ServerLog | None = None,
        redact: bool = False,
        early: ThreadedGenerator[Event, Answer] | None = None,
    ) -> None:
        """`replay`: engine events recorded earlier, shown instead of a live walk (fixed pictures, tests);
        `server_log`: the demo lab's log of this scenario's server, read when the walk ends;
        `redact`: start in screen-sharing mode (`--redact`);
        `early`: the first walk of `options`, already begun (`walk.start`): shown instead of starting one."""
        super().__init__(name=name)
        self.options = options
        self.asked_options = options  # as given: a re-run that asks again starts from these
        self.answers: dict[str, Answer] = {}  # what the user answered in this screen's walks
        self.server_log = server_log
        self.replay = tuple(replay) if replay is not None else None
        self.early = early
        self.state = WalkState(redact=redact)
        self.walker: Worker[None] | None = None  # the running walk's worker (a re-run replaces it)
        self.redactor: Redactor | None = None  # one per screen: the same name keeps its placeholder
        self.back_allowed = back_allowed
        self.selected: StepId = StepId.TARGET
        self._relocalise_later = False  # the language changed while a dialog covered this screen

    # layout ----------------------------------------------------------------------------
    @property
    def target_text(self) -> str:
        t = self.options.target
        host = f"[{t.display_host}]" if ":" in t.display_host else t.display_host
        return f"{host}:{t.port}"

    def compose(self) -> ComposeResult:
        yield Static(status_line(self.state, self.target_text), id="status-line")
        yield Static(breadcrumb(self.state), id="breadcrumb", classes="-shown" if self.state.path else "")  # the path taken
        report = self.state.report
        with Vertical(id="verdict", classes="-shown" if report and (report.diagnosis or report.comparison) else ""):
            yield from verdict_card(self.state)
        with Horizontal(id="walk-body"):
            yield StepList(self.state, id="steps")
            with VerticalScroll(id="evidence"):
                yield EvidencePane(self.state, self.selected, id="evidence-pane")
        yield MessageLine(id="message-line")
        yield Footer(show_command_palette=False)  # the palette key is an ordinary, translated key (app BINDINGS)

    async def refresh_verdict(self) -> None:
        """Rebuild the verdict card from the stored report (shown only when there is a diagnosis)."""
        card = self.query_one("#verdict", Vertical)
        await card.remove_children()
        widgets = list(verdict_card(self.state))
        card.set_class(bool(widgets), "-shown")
        if widgets:
            await card.mount_all(widgets)

    @property
    def step_list(self) -> StepList:
        return self.query_one(StepList)

    def on_mount(self) -> None:
        self.step_list.select_step(self.selected)
        self.step_list.focus()
        self.set_interval(0.1, self._tick)
        if not self.state.events:
            self.start_walk()
        else:
            self.reset_copy_target()

    async def on_screen_resume(self) -> None:
        self._update_redaction()
        if self._relocalise_later:  # the language changed under a dialog
            self._relocalise_later = False
            await self._recompose_keeping_place()
        self.step_list.select_step(self.selected)

    async def on_screen_suspend(self) -> None:
        if not isinstance(self.app.screen, ModalScreen):  # a dialog over the walk (a question) shows its names redacted alike
            set_display_filter(None)

    def _tick(self) -> None:
        """Running time moves even when no event arrives."""
        if self.state.running is not None and not self.state.finished and not self.state.cancelled:
            if not self.query(StepList) or not self.query("#status-line"):  # mid-recompose (a language switch)
                return
            self._refresh_status()
            self.step_list.refresh_steps((self.state.running,))

    def _refresh_status(self) -> None:
        self.query_one("#status-line", Static).update(status_line(self.state, self.target_text))

    async def show_step(self, step: StepId) -> None:
        """Rebuild the evidence pane for `step` from the stored state."""
        self.selected = step
        scroll = self.query_one("#evidence", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(EvidencePane(self.state, step, id="evidence-pane"))
        scroll.scroll_home(animate=False)
        self.reset_copy_target()

    @on(OptionList.OptionHighlighted, "#steps")
    async def _on_step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is None:
            return
        step = StepId(event.option.id)
        if step is not self.selected or not self.query("#evidence-pane"):
            await self.show_step(step)

    # the worker ------------------------------------------------------------------------
    def start_walk(self) -> None:
        self.state.reset()
        crumb = self.query_one("#breadcrumb", Static)
        crumb.update(breadcrumb(self.state))
        crumb.remove_class("-shown")
        self.state.began = time.monotonic()
        self.step_list.refresh_steps()
        self._refresh_status()
        self.call_next(self.refresh_verdict)
        self.walker = self.run_walk()

    @work(exclusive=True, group="walk", exit_on_error=False)
    async def run_walk(self) -> None:
        if self.replay is not None:
            self.state.replayed = True
            for event in self.replay:
                message = message_for(event)
                if message is not None:  # a recorded walk's questions were answered: their Answered events follow
                    self.post_message(message)
            return
        from tlsdoctor.walk import drive, walk  # lazy: start-up cost (probes, analysis)

        stream = self.early.stream() if self.early is not None else walk(self.options)
        self.early = None  # a re-run walks afresh
        await drive(stream, self.ask, self._post_event)  # a cancelled walk (Esc, a re-run) stops its thread

    def _post_event(self, event: Event) -> None:
        message = message_for(event)
        if message is not None:
            self.post_message(message)

    async def ask(self, question: Question) -> Answer:
        """Open the question dialog over the walk and wait for the answer (the walk waits too).
        A walk cancelled meanwhile takes its question away with it."""
        self.state.asking = question
        self._update_redaction()  # the question's evidence (a hosts line, addresses) is shown redacted too
        self._refresh_status()
        earlier = self.answers.get(question.id) if question.error else None  # asked again: what was typed
        dialog = QuestionDialog(question, earlier)
        try:
            answer = await self.app.push_screen_wait(dialog)
        except BaseException:
            if self.app.screen is dialog:
                self.app.pop_screen()
            raise
        self.state.asking = None
        self._refresh_status()
        if answer.by is AnsweredBy.USER:
            self.answers[question.id] = answer
        return answer

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "walk" or event.worker is not self.walker:
            return  # a walk replaced by a re-run says nothing about the new one
        if event.state is WorkerState.ERROR:
            self.state.error = safe_text(event.worker.error)
            self._refresh_status()
        elif event.state is WorkerState.CANCELLED and not self.state.finished:
            self.state.cancelled = True
            self._refresh_status()
            self.step_list.refresh_steps()  # the running step and every step that never ran: "cancelled"
            self.call_next(self.show_step, self.selected)
            self.post_message(WalkCancelledMessage())

    @on(StepStartedMessage)
    async def _on_started(self, message: StepStartedMessage) -> None:
        step = message.event.step
        self.state.events.append(message.event)
        self.state.running = step
        self.state.started[step] = time.monotonic()
        self.step_list.refresh_steps((step,))
        self._refresh_status()
        if step is self.selected:
            await self.show_step(step)

    @on(AnsweredMessage)
    def _on_answered(self, message: AnsweredMessage) -> None:
        self.state.events.append(message.event)
        self.state.path.append(message.event)
        crumb = self.query_one("#breadcrumb", Static)
        crumb.update(breadcrumb(self.state))
        crumb.add_class("-shown")

    @on(StepProgressMessage)
    def _on_progress(self, message: StepProgressMessage) -> None:
        ev = message.event
        self.state.events.append(ev)
        self.state.progress[ev.step] = (ev.done, ev.total, ev.detail)
        self._refresh_status()

    @on(StepFinishedMessage)
    async def _on_finished(self, message: StepFinishedMessage) -> None:
        result = message.event.result
        self.state.events.append(message.event)
        self.state.record(result)
        self._update_redaction()
        self.step_list.refresh_steps((result.step,))
        self._refresh_status()
        if result.step is self.selected:
            await self.show_step(result.step)

    @on(WalkFinishedMessage)
    async def _on_walk_finished(self, message: WalkFinishedMessage) -> None:
        self.state.events.append(message.event)
        self.state.report = message.event.report
        if self.state.previous is not None and self.state.report is not None and not self.state.replayed:
            from tlsdoctor.compare import compare_reports  # lazy: start-up cost (only a re-run needs it)

            self.state.report = dataclasses.replace(self.state.report, comparison=compare_reports(self.state.previous, self.state.report))
        if self.state.report is not None and self.state.report.lang != current_language():
            self.state.relocalise(self.options, current_language())
        self.state.ended = time.monotonic()
        self.state.running = None
        if self.server_log is not None:
            self.state.server_log = tuple(self.server_log())
        self.step_list.refresh_steps()
        self._refresh_status()
        self.select_copy_target(None)
        await self.refresh_verdict()
        focus = self.state.first_failing()
        self.step_list.select_step(focus)
        await self.show_step(focus)

    # language ---------------------------------------------------------------------------
    async def relocalise(self, lang: str) -> None:
        """Called by the app after `set_language`: re-render everything from the stored state.

        Under a dialog (a question the walk waits on) the lines that show around it are redrawn in
        place and the rest when the dialog closes: recomposing a screen whose worker is asking
        would pull its widgets from under the worker."""
        self.state.relocalise(self.options, lang)
        if self.app.screen is not self:
            self._relocalise_later = True
            self._refresh_status()
            self.query_one("#breadcrumb", Static).update(breadcrumb(self.state))
            self.step_list.refresh_steps()
            return
        await self._recompose_keeping_place()

    async def _recompose_keeping_place(self) -> None:
        """Rebuild every widget from the state; the selected step, the focus and a copy selection stay usable."""
        await self.recompose()
        self.step_list.select_step(self.selected)
        self.step_list.focus()
        self.copy_target = None
        self.reset_copy_target()

    # actions ----------------------------------------------------------------------------
    @property
    def walking(self) -> bool:
        return any(w.group == "walk" and w.is_running for w in self.workers)

    def action_cancel_or_back(self) -> None:
        if self.walking:
            self.workers.cancel_group(self, "walk")
        elif self.back_allowed and len(self.app.screen_stack) > 2:
            self.dismiss(None)

    def action_rerun(self) -> None:
        """Run the walk again with this walk's answers (after a fix) and show what changed."""
        kept = {key: dataclasses.replace(a, by=AnsweredBy.EARLIER) for key, a in self.answers.items()}
        self.options = dataclasses.replace(self.asked_options, answers={**self.asked_options.answers, **kept})
        self.start_walk()

    def action_rerun_asking(self) -> None:
        """Run the walk again and ask every question again."""
        self.answers.clear()
        self.options = self.asked_options
        self.start_walk()

    def report_markdown(self) -> str | None:
        return render_report(self.state.report, "md", self.redaction()) if self.state.report is not None else None

    def action_copy_report(self) -> None:
        text = self.report_markdown()
        if text is None:
            self.say(_("The report is not ready yet."), "warning")
            return
        self.app.copy_to_clipboard(text)
        self.say(_("Copied the report as Markdown ({n} lines).").format(n=text.count("\n")))

    def action_next_problem(self) -> None:
        order = list(StepId)
        start = order.index(self.selected) + 1
        for step in order[start:] + order[:start]:
            if self.state.status(step) in (StepStatus.FAIL, StepStatus.ERROR, StepStatus.WARN):
                self.step_list.select_step(step)
                return

    # redaction (screen sharing) ---------------------------------------------------------
    async def action_toggle_redaction(self) -> None:
        self.state.redact = not self.state.redact
        self._update_redaction()
        await self._recompose_keeping_place()
        self.say(_("Redaction on: names, addresses and fingerprints are placeholders.") if self.state.redact else _("Redaction off."))
