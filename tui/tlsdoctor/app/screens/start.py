"""The start of the guided walk: what is wrong? (`tlsdoctor` without a target; an expert skips it
with `tlsdoctor HOST`).

Four roads: a client says the name does not match, or a client certificate is
refused (the form, then the walk); I have an error message (paste it: `explain`
fills in the client and, when the message names it, the host); I have
certificate files (offline: the `inspect` engine, shown as a walk of its two
steps). The answer is the first entry of the path taken. Files are read and
judged in a worker; this screen never opens a socket.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tlsdoctor.errors import BadInput
from tlsdoctor.facts.questions import Answer, AnsweredBy
from tlsdoctor.facts.steps import StepFinished, StepResult, StepStarted, WalkFinished
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import N_, _, current_language
from tlsdoctor.questions import PASTED_CLIENTS, START_LABELS, start_record
from tlsdoctor.render.labels import safe_text

from ..display import lazy_gettext
from .explain import CHECK_HOST, ExplainDialog
from .form import FormScreen
from .question import PathSuggester
from .walk import WalkScreen

OFFLINE = N_("Offline: judged from certificate files only.")
FILE_FIELDS = (
    ("cert", N_("Certificate (PEM or DER; may hold the chain after it)"), "server.pem"),
    ("chain", N_("Intermediates (PEM, optional)"), "chain.pem"),
    ("ca", N_("Trust anchor (PEM, optional)"), "root.pem"),
    ("host", N_("Host name or IP the client asks for"), "api.example.com"),
)


class StartScreen(Screen[None]):
    """What is wrong? Four answers, four roads into the walk.

    The app's keys apply (`l` switches the language: no field takes letters here), so the footer
    shows each once and, at 80 columns, whole."""

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("tlsdoctor  ", "bold"), _("What is wrong?")), id="status-line")
        yield OptionList(*(Option(_(label), id=value) for value, label in START_LABELS.items()), id="start-choices")
        yield Static(_("An expert skips this with `tlsdoctor HOST`."), id="start-hint", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#start-choices")
    def _on_choice(self, event: OptionList.OptionSelected) -> None:
        start = {"start": Answer(event.option.id or "name", by=AnsweredBy.USER)}
        if event.option.id == "error":
            dialog = ExplainDialog(guided=True)

            def explained(result: str | None) -> None:
                if result == CHECK_HOST:
                    self.app.push_screen(FormScreen(*self._from_message(dialog, start)))

            self.app.push_screen(dialog, explained)
        elif event.option.id == "files":
            self.app.push_screen(OfflineScreen())
        else:
            self.app.push_screen(FormScreen(answers=start))

    @staticmethod
    def _from_message(dialog: ExplainDialog, start: dict[str, Answer]) -> tuple[dict[str, str], dict[str, Answer]]:
        """The form's defaults and the walk's answers from the pasted message: its host and its client."""
        from tlsdoctor.explain.host import host_in_message  # lazy: start-up cost

        answers = dict(start)
        client = dialog.explanation.client if dialog.explanation is not None else None
        if client is not None and client in PASTED_CLIENTS:
            answers["client"] = Answer(PASTED_CLIENTS[client], by=AnsweredBy.PASTED)
        host = host_in_message(dialog.text)
        return ({"target": host} if host else {}), answers

    async def relocalise(self, lang: str) -> None:
        await self.recompose()
        self.on_mount()


class OfflineScreen(Screen[None]):
    """Certificate files and a host name: the `inspect` engine, shown as a walk of its two steps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "check", lazy_gettext("Start"), id="offline-start"),
        Binding("escape", "app.pop_screen", lazy_gettext("Back"), id="offline-back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("tlsdoctor  ", "bold"), _(START_LABELS["files"])), id="status-line")
        with VerticalScroll(id="form"):
            for key, label, placeholder in FILE_FIELDS:
                yield Label(_(label), classes="field-label")
                yield Input(placeholder=placeholder, suggester=PathSuggester() if key != "host" else None, id=f"o-{key}")
            yield Label("", markup=False, id="offline-error", classes="field-error")
            yield Button(_("Check the files"), id="offline-check", variant="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#o-cert", Input).focus()

    def value(self, key: str) -> str:
        return self.query_one(f"#o-{key}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#offline-check")
    def action_check(self) -> None:
        if not self.value("cert") or not self.value("host"):
            self._error(_("Give the certificate file and the host name."))
            return
        self.inspect({key: self.value(key) for key, _label, _placeholder in FILE_FIELDS}, current_language())

    def _error(self, text: str) -> None:
        label = self.query_one("#offline-error", Label)
        label.update("✗ " + safe_text(text))
        label.set_class(bool(text), "shown")

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspect")
    def inspect(self, values: dict[str, str], lang: str) -> None:
        """Off the UI loop: read the files (bad input is one line under the fields), judge them."""
        from tlsdoctor.offline import inspect_report  # lazy: start-up cost
        from tlsdoctor.request import WalkOptions, read_input_file  # lazy: start-up cost

        cert = read_input_file(values["cert"], "--cert file")
        chain = read_input_file(values["chain"], "--chain file") if values["chain"] else b""
        ca = read_input_file(values["ca"], "--ca file") if values["ca"] else b""
        report = inspect_report(cert, chain=chain, ca=ca, host=values["host"], at=dt.datetime.now(dt.UTC), lang=lang)
        target = report.target
        assert target is not None
        ran = {s.step: s for s in report.steps}
        events: list[object] = []
        for step in StepId:
            result = ran.get(step) or StepResult(step, StepStatus.SKIPPED, skipped_reason=OFFLINE)
            events += [StepStarted(step), StepFinished(result)]
        events.append(WalkFinished(report))
        answers = {"start": Answer("files", by=AnsweredBy.USER)}
        start = start_record(answers)
        report = dataclasses.replace(report, path=(start,) if start is not None else ())
        events[-1] = WalkFinished(report)
        events.insert(0, start)
        options = WalkOptions(target=target, lang=lang, answers=answers)
        self.app.call_from_thread(self.app.push_screen, WalkScreen(options, replay=events))  # type: ignore[arg-type]

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "inspect" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self._error(str(error) if isinstance(error, BadInput) else safe_text(error))
