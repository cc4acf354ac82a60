"""Screens of the app: the form, the walk, the demo picker, the explain dialog, the knowledge browser.

The walk screen runs `tlsdoctor.walk.walk()` in an async worker and turns
each engine event into a typed message; everything on screen is rebuilt
from the stored `WalkState`, so a language switch (recompose) keeps results
and the selected step. Screens never open sockets themselves. Untrusted text
goes through `widgets.lit`/`lit_text`; notifications use `markup=False`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Markdown,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tlsdoctor.errors import BadInput
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import N_, _, current_language, lazy_gettext
from tlsdoctor.render.labels import safe_text
from tlsdoctor.request import parse_nameserver
from tlsdoctor.summaries import finding_title

from .widgets import CommandLine, EvidencePane, StepList, WalkState, lit, status_line

# --------------------------------------------------------------------------- messages


class WalkMessage(Message):
    """Base of the messages the walk worker posts (one per engine event); they stay on the walk screen."""

    bubble = False

    def __init__(self, event: Any) -> None:
        self.event = event
        super().__init__()


class StepStartedMessage(WalkMessage):
    """A step began (event: walk.StepStarted)."""


class StepProgressMessage(WalkMessage):
    """A step reported progress (event: walk.StepProgress)."""


class StepFinishedMessage(WalkMessage):
    """A step finished (event: walk.StepFinished, with its StepResult)."""


class WalkFinishedMessage(WalkMessage):
    """The walk ended with its report (event: walk.WalkFinished)."""


class WalkCancelledMessage(Message):
    """The user cancelled the walk (Escape)."""

    bubble = False


def message_for(event: Any) -> WalkMessage:
    from tlsdoctor.facts.steps import (
        StepFinished,
        StepProgress,
        StepStarted,
        WalkFinished,
    )

    kinds: dict[type, type[WalkMessage]] = {
        StepStarted: StepStartedMessage,
        StepProgress: StepProgressMessage,
        StepFinished: StepFinishedMessage,
        WalkFinished: WalkFinishedMessage,
    }
    return kinds[type(event)](event)


def relocalise_report(report: Any, options: Any, lang: str) -> Any:
    """The same report with its diagnosis texts in `lang` (knowledge texts are chosen per language)."""
    from tlsdoctor.knowledge import diagnose
    from tlsdoctor.diagnosis import command_context

    if report is None or report.target is None:
        return report
    diagnosis = diagnose(report.findings, command_context(report.target, report.steps, options), lang=lang)
    steps = tuple(dataclasses.replace(s, data=diagnosis) if s.step is StepId.DIAGNOSIS else s for s in report.steps)
    return dataclasses.replace(report, diagnosis=diagnosis, steps=steps, lang=lang)


# --------------------------------------------------------------------------- walk screen


class WalkScreen(Screen[None]):
    """Steps on the left, the selected step's evidence on the right, progress on top."""

    BINDINGS = [
        Binding("escape", "cancel_or_back", lazy_gettext("Cancel/back"), id="cancel"),
        Binding("r", "rerun", lazy_gettext("Re-run"), id="rerun"),
        Binding("c", "copy_command", lazy_gettext("Copy command"), id="copy-command"),
        Binding("m", "copy_report", lazy_gettext("Copy report"), show=False, id="copy-report"),
        Binding("n", "next_problem", lazy_gettext("Next problem"), show=False, id="next-problem"),
        Binding("x", "toggle_redaction", lazy_gettext("Redact"), show=False, id="toggle-redaction"),
    ]

    def __init__(
        self, options: Any, *, name: str | None = None, back_allowed: bool = True, replay: Sequence[Any] | None = None
    ) -> None:
        """`replay`: engine events recorded earlier, shown instead of a live walk (fixed pictures, tests)."""
        super().__init__(name=name)
        self.options = options
        self.replay = tuple(replay) if replay is not None else None
        self.state = WalkState()
        self.redactor: Any = None  # one per screen: the same name keeps its placeholder
        self.back_allowed = back_allowed
        self.selected: StepId = StepId.TARGET

    # layout ----------------------------------------------------------------------------
    @property
    def target_text(self) -> str:
        t = self.options.target
        host = f"[{t.display_host}]" if ":" in t.display_host else t.display_host
        return f"{host}:{t.port}"

    def compose(self) -> ComposeResult:
        yield Static(status_line(self.state, self.target_text), id="status-line")
        with Horizontal(id="walk-body"):
            yield StepList(self.state, id="steps")
            with VerticalScroll(id="evidence"):
                yield EvidencePane(self.state, self.selected, id="evidence-pane")
        yield Footer()

    @property
    def step_list(self) -> StepList:
        return self.query_one(StepList)

    def on_mount(self) -> None:
        self.step_list.select_step(self.selected)
        self.step_list.focus()
        self.set_interval(0.1, self._tick)
        if not self.state.events:
            self.start_walk()

    async def on_screen_resume(self) -> None:
        self._update_redaction()
        self.step_list.select_step(self.selected)

    def _tick(self) -> None:
        """Running time moves even when no event arrives."""
        if self.state.running is not None and not self.state.finished and not self.state.cancelled:
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

    @on(OptionList.OptionHighlighted, "#steps")
    async def _on_step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        step = StepId(event.option.id)
        if step is not self.selected or not self.query("#evidence-pane"):
            await self.show_step(step)

    # the worker ------------------------------------------------------------------------
    def start_walk(self) -> None:
        self.state.reset()
        self.state.began = time.monotonic()
        self.step_list.refresh_steps()
        self._refresh_status()
        self.run_walk()

    @work(exclusive=True, group="walk", exit_on_error=False)
    async def run_walk(self) -> None:
        from tlsdoctor.walk import walk

        if self.replay is not None:
            self.state.replayed = True
            for event in self.replay:
                self.post_message(message_for(event))
            return
        async for event in walk(self.options):
            self.post_message(message_for(event))

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "walk":
            return
        if event.state is WorkerState.ERROR:
            self.state.error = safe_text(event.worker.error)
            self._refresh_status()
        elif event.state is WorkerState.CANCELLED and not self.state.finished:
            self.state.cancelled = True
            self._refresh_status()
            if self.state.running is not None:
                self.step_list.refresh_steps((self.state.running,))
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
        self.state.results[result.step] = result
        self._update_redaction()
        self.step_list.refresh_steps((result.step,))
        self._refresh_status()
        if result.step is self.selected:
            await self.show_step(result.step)

    @on(WalkFinishedMessage)
    async def _on_walk_finished(self, message: WalkFinishedMessage) -> None:
        self.state.events.append(message.event)
        report = message.event.report
        if report is not None and report.lang != current_language():
            report = relocalise_report(report, self.options, current_language())
            self.state.results[StepId.DIAGNOSIS] = report.diagnosis_step
        self.state.report = report
        self.state.ended = time.monotonic()
        self.state.running = None
        self.step_list.refresh_steps()
        self._refresh_status()
        focus = self.state.first_failing()
        self.step_list.select_step(focus)
        await self.show_step(focus)

    # language ---------------------------------------------------------------------------
    async def relocalise(self, lang: str) -> None:
        """Called by the app after `set_language`: re-render everything from the stored state."""
        if self.state.report is not None:
            self.state.report = relocalise_report(self.state.report, self.options, lang)
            self.state.results[StepId.DIAGNOSIS] = self.state.report.diagnosis_step
        await self.recompose()
        self.step_list.select_step(self.selected)
        self.step_list.focus()

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
        self.start_walk()

    def selected_command(self) -> str | None:
        focused = self.app.focused
        if isinstance(focused, CommandLine):
            return focused.command
        report = self.state.report
        if report is not None:
            for d in report.diagnosis:
                for w in d.workarounds:
                    if w.commands:
                        return w.commands[0]
        return None

    def action_copy_command(self) -> None:
        command = self.selected_command()
        if command is None:
            self.notify(_("No command to copy yet."), severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(command)
        self.notify(_("Copied: {command}").format(command=safe_text(command)), markup=False)

    def report_markdown(self) -> str | None:
        from tlsdoctor.render.markdown import render_markdown

        return self.shareable(render_markdown(self.state.report)) if self.state.report is not None else None

    # redaction (screen sharing) ---------------------------------------------------------
    def _update_redaction(self) -> None:
        """Point the widgets' display filter at this walk's names (or clear it)."""
        from tlsdoctor.app.widgets import set_display_filter

        if not self.state.redact:
            set_display_filter(None)
            return
        from tlsdoctor.redact import Redactor, redaction_for

        self.redactor = self.redactor or Redactor()
        data = [self.options.target.to_json(), *(r.to_json() for r in self.state.results.values())]
        set_display_filter(redaction_for(data, self.redactor))

    def shareable(self, text: str) -> str:
        """An export or copy of the report, redacted when screen-sharing mode is on."""
        if not self.state.redact:
            return text
        from tlsdoctor.redact import redaction_for

        data = [self.options.target.to_json(), *(r.to_json() for r in self.state.results.values())]
        return redaction_for(data, self.redactor)(text)

    async def action_toggle_redaction(self) -> None:
        self.state.redact = not self.state.redact
        self._update_redaction()
        await self.recompose()
        self.step_list.select_step(self.selected)
        self.notify(
            _("Redaction on: names, addresses and fingerprints are placeholders.") if self.state.redact else _("Redaction off."),
            markup=False,
        )

    async def on_screen_suspend(self) -> None:
        from tlsdoctor.app.widgets import set_display_filter

        set_display_filter(None)

    def action_copy_report(self) -> None:
        text = self.report_markdown()
        if text is None:
            self.notify(_("The report is not ready yet."), severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(_("Copied the report as Markdown ({n} lines).").format(n=text.count("\n")), markup=False)

    def action_next_problem(self) -> None:
        order = list(StepId)
        start = order.index(self.selected) + 1
        for step in order[start:] + order[:start]:
            if self.state.status(step) in (StepStatus.FAIL, StepStatus.ERROR, StepStatus.WARN):
                self.step_list.select_step(step)
                return


# --------------------------------------------------------------------------- form


FORM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("target", N_("Target (host, host:port or https:// URL)"), "www.example.com:443"),
    ("port", N_("Port (optional, overrides the target's)"), "443"),
    ("ca", N_("Extra CA file (PEM, optional)"), "/path/to/ca.pem"),
    ("client-cert", N_("Client certificate (optional, for mTLS)"), "/path/to/client.pem"),
    ("client-key", N_("Client key (optional)"), "/path/to/client.key"),
    ("identity", N_("Expected client identity (optional)"), "client.example.com"),
    ("nameserver", N_("Nameserver (optional, ADDR[:PORT])"), "1.1.1.1"),
)


class FormScreen(Screen[None]):
    """`tlsdoctor` without a target: what to check, validated as you type."""

    BINDINGS = [
        Binding("ctrl+s", "start", lazy_gettext("Start"), id="start"),
        # letters go to the inputs here, so the language key is f2
        Binding("f2", "app.switch_language", lazy_gettext("中文/English"), id="form-language"),
    ]

    def __init__(self, defaults: dict[str, str] | None = None) -> None:
        super().__init__()
        self.values: dict[str, str] = dict(defaults or {})
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("tlsdoctor  ", "bold"), _("What should we check?")), id="status-line")
        with VerticalScroll(id="form"):
            for key, label, placeholder in FORM_FIELDS:
                yield Label(_(label), classes="field-label")
                yield Input(value=self.values.get(key, ""), placeholder=placeholder, id=f"f-{key}")
                yield Label("", markup=False, id=f"err-{key}", classes="field-error")
            yield Button(_("Start the walk"), id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.validate_all()
        self.query_one("#f-target", Input).focus()

    @on(Input.Changed)
    def _on_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.values[event.input.id.removeprefix("f-")] = event.value
        self.validate_all()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def _on_submit(self) -> None:
        self.action_start()

    def _check(self) -> tuple[dict[str, str], Any]:
        """Every field's error (translated one line) and the WalkOptions when all are valid."""
        from tlsdoctor.target import parse_target
        from tlsdoctor.request import WalkOptions

        errors: dict[str, str] = {}
        v = {k: self.values.get(k, "").strip() for k, _l, _p in FORM_FIELDS}
        target = None
        if not v["target"]:
            errors["target"] = _("Type a host name, host:port or an https:// URL.")
        else:
            try:
                target = parse_target(v["target"])
            except BadInput as exc:
                errors["target"] = str(exc)
        if v["port"]:
            if not v["port"].isdecimal() or not 0 < int(v["port"]) < 65536:
                errors["port"] = _("The port must be a number from 1 to 65535.")
            elif target is not None:
                target = dataclasses.replace(target, port=int(v["port"]))
        for key in ("ca", "client-cert", "client-key"):
            if v[key] and not Path(v[key]).expanduser().is_file():
                errors[key] = _("No such file: {path}").format(path=v[key])
        if v["client-key"] and not v["client-cert"]:
            errors["client-key"] = _("A key needs a client certificate.")
        expected = None
        if v["identity"]:
            from tlsdoctor.analysis.mtls import parse_expected_identity

            try:
                expected = parse_expected_identity(v["identity"])
            except BadInput as exc:
                errors["identity"] = str(exc)
        nameservers: tuple[Any, ...] = ()
        if v["nameserver"]:
            try:
                nameservers = (parse_nameserver(v["nameserver"]),)
            except BadInput as exc:
                errors["nameserver"] = str(exc)
        if errors or target is None:
            return errors, None
        client = None
        if v["client-cert"]:
            from tlsdoctor.probe.clientfiles import load_client_material

            try:
                client = load_client_material(str(Path(v["client-cert"]).expanduser()), v["client-key"] or None, None)
            except BadInput as exc:
                errors["client-cert"] = str(exc)
                return errors, None
        options = WalkOptions(
            target=target,
            nameservers=nameservers,
            ca_files=(str(Path(v["ca"]).expanduser()),) if v["ca"] else (),
            client=client,
            expected_identity=expected,
            lang=current_language(),
        )
        return errors, options

    def validate_all(self) -> Any:
        errors, options = self._check()
        self.errors = errors
        for key, _l, _p in FORM_FIELDS:
            label = self.query_one(f"#err-{key}", Label)
            shown = errors.get(key, "")
            # only complain about an empty target once someone typed something
            if key == "target" and not self.values.get("target"):
                shown = ""
            label.update(("✗ " + safe_text(shown)) if shown else "")
            label.set_class(bool(shown), "shown")
        self.query_one("#start", Button).disabled = options is None
        return options

    def action_start(self) -> None:
        options = self.validate_all()
        if options is None:
            return
        self.app.push_screen(WalkScreen(options))

    async def relocalise(self, lang: str) -> None:
        await self.recompose()
        self.validate_all()


# --------------------------------------------------------------------------- demo picker


class PickerScreen(Screen[None]):
    """`tlsdoctor demo`: pick a broken setup; the real walk runs against the lab's local server."""

    BINDINGS = [Binding("enter", "pick", lazy_gettext("Run"), show=True, id="pick")]

    def __init__(self, lab: Any) -> None:
        super().__init__()
        self.lab = lab
        self.highlighted = 0

    def compose(self) -> ComposeResult:
        from tlsdoctor.lab.scenarios import SCENARIOS

        yield Static(
            Content.assemble(("tlsdoctor demo  ", "bold"), _("Pick a broken setup: a real server on this machine shows it.")),
            id="status-line",
        )
        options = []
        for i, s in enumerate(SCENARIOS, 1):
            prompt = Content.assemble(
                (f"{i:>2}. ", "bold"), (_(s.title), "bold"), "\n     ", lit(_(s.broken), "dim"), "\n     ", lit(s.host, "italic")
            )
            options.append(Option(prompt, id=s.id))
        yield OptionList(*options, id="scenarios")
        yield Footer()

    def on_mount(self) -> None:
        scenarios = self.query_one("#scenarios", OptionList)
        scenarios.highlighted = self.highlighted
        scenarios.focus()

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _remember(self, event: OptionList.OptionHighlighted) -> None:
        self.highlighted = event.option_index

    @on(OptionList.OptionSelected, "#scenarios")
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.run_scenario(event.option.id)

    def action_pick(self) -> None:
        scenarios = self.query_one("#scenarios", OptionList)
        if scenarios.highlighted is not None:
            option = scenarios.get_option_at_index(scenarios.highlighted)
            assert option.id is not None
            self.run_scenario(option.id)

    def run_scenario(self, scenario_id: str) -> None:
        options = self.lab.options_for(scenario_id, lang=current_language())
        self.app.push_screen(WalkScreen(options))

    async def relocalise(self, lang: str) -> None:
        await self.recompose()


# --------------------------------------------------------------------------- explain dialog


class ExplainDialog(ModalScreen[str | None]):
    """Paste an error message; see what it points to. Dismisses with a knowledge id to open, or None."""

    BINDINGS = [
        Binding("escape", "close", lazy_gettext("Close"), id="close"),
        Binding("ctrl+e", "explain", lazy_gettext("Explain"), id="explain"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text
        self.entries: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Paste an error message (any client), then press Explain (ctrl+e)."), classes="heading")
            yield TextArea(self.text, id="pasted", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Explain"), id="do-explain", variant="primary")
                yield Button(_("Close"), id="close")
            yield VerticalScroll(id="explain-result")
            yield OptionList(id="explain-entries")

    @on(Button.Pressed, "#do-explain")
    async def _pressed_explain(self) -> None:
        await self.action_explain()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

    async def action_explain(self) -> None:
        from tlsdoctor.explain import explain
        from tlsdoctor.knowledge import diagnose

        self.text = self.query_one("#pasted", TextArea).text
        explanation = explain(self.text)
        diagnosis = diagnose(explanation.findings, None, lang=current_language())
        result = self.query_one("#explain-result", VerticalScroll)
        await result.remove_children()
        lines: list[Static] = [
            Static(Content.assemble((_("Recognised client") + ": ", "bold"), lit(explanation.client or _("unknown"))))
        ]
        if not explanation.findings:
            lines.append(Static(Content.styled(_("No known TLS error was recognised in this text."), "$warning")))
        for f in explanation.findings:
            lines.append(Static(Content.assemble(("• ", "bold"), (f.code.value, "bold"), ": ", finding_title(f.code))))
            excerpt = f.evidence.get("excerpt") if hasattr(f.evidence, "get") else None
            if excerpt:
                lines.append(Static(Content.assemble("   «", lit(excerpt, "italic"), "»")))
        await result.mount_all(lines)
        entries = self.query_one("#explain-entries", OptionList)
        entries.clear_options()
        self.entries = [d.kb_id for d in diagnosis]
        entries.add_options(
            Option(Content.assemble((d.kb_id, "bold"), " ", d.title, ("  " + f"{d.score:.2f}", "dim")), id=d.kb_id)
            for d in diagnosis
        )

    @on(OptionList.OptionSelected, "#explain-entries")
    def _open_entry(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


# --------------------------------------------------------------------------- knowledge browser


class KnowledgeScreen(Screen[None]):
    """Browse and search the knowledge base; an entry in the current language."""

    BINDINGS = [
        Binding("escape", "back", lazy_gettext("Back"), id="back"),
        Binding("f2", "app.switch_language", lazy_gettext("中文/English"), id="kb-language"),
    ]

    def __init__(self, entry_id: str | None = None) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("tlsdoctor  ", "bold"), _("Knowledge base")), id="status-line")
        with Horizontal(id="kb-body"):
            with Vertical(id="kb-side"):
                yield Input(self.query_text, placeholder=_("Search id, title or error text"), id="kb-search")
                yield OptionList(id="kb-list")
            with VerticalScroll(id="kb-view"):
                yield Markdown("", id="kb-entry")
        yield Footer()

    def _matching(self) -> list[Any]:
        from tlsdoctor.knowledge import load_knowledge

        needle = self.query_text.strip().lower()
        entries = list(load_knowledge().entries)
        if not needle:
            return entries

        def haystack(e: Any) -> str:
            texts = [e.id, e.slug, e.category, e.title.get("en"), e.title.get("zh")]
            texts += [message for messages in e.errors.values() for message in messages]
            return " ".join(str(t) for t in texts).lower()

        return [e for e in entries if needle in haystack(e)]

    def _fill(self) -> None:
        lang = current_language()
        kb_list = self.query_one("#kb-list", OptionList)
        kb_list.clear_options()
        entries = self._matching()
        kb_list.add_options(Option(Content.assemble((e.id, "bold"), "\n", e.title.get(lang)), id=e.id) for e in entries)
        ids = [e.id for e in entries]
        if self.entry_id in ids:
            kb_list.highlighted = ids.index(self.entry_id)
        elif ids:
            kb_list.highlighted = 0

    async def on_mount(self) -> None:
        self._fill()
        await self.show_entry(self.entry_id)
        self.query_one("#kb-list", OptionList).focus()

    async def show_entry(self, entry_id: str | None) -> None:
        from tlsdoctor.knowledge import render_kb

        if entry_id is None:
            return
        self.entry_id = entry_id
        await self.query_one("#kb-entry", Markdown).update(render_kb(entry_id, "md", current_language()))

    @on(OptionList.OptionHighlighted, "#kb-list")
    async def _on_highlight(self, event: OptionList.OptionHighlighted) -> None:
        await self.show_entry(event.option.id)

    @on(Input.Changed, "#kb-search")
    def _on_search(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._fill()

    def action_back(self) -> None:
        self.dismiss(None)

    async def relocalise(self, lang: str) -> None:
        await self.recompose()
        self._fill()
        await self.show_entry(self.entry_id)
