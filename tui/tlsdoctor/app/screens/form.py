"""The start form (`tlsdoctor` without a target): what to check, validated as you type.

Keystrokes run the cheap syntax check of `app.form_fields` (no file is read);
Start loads the client certificate and key once, in a worker thread off the
UI loop, and opens the walk when the request is complete. A file that does
not load is reported under its field. Error texts are shown literally.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _, current_language
from tlsdoctor.render.labels import safe_text

from ..display import lazy_gettext
from ..form_fields import (
    FORM_FIELDS,
    ClientFiles,
    FieldCheck,
    check_fields,
    with_client_files,
)
from ..messages import RequestReady
from .walk import WalkScreen

if TYPE_CHECKING:
    from tlsdoctor.facts.questions import Answer
    from tlsdoctor.request import WalkOptions


class FormScreen(Screen[None]):
    """`tlsdoctor` without a target: what to check, validated as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", lazy_gettext("Start"), id="start"),
        # letters go to the inputs here, so the language key is f2
        Binding("f2", "app.switch_language", lazy_gettext("中文"), id="form-language"),
    ]

    def __init__(self, defaults: dict[str, str] | None = None, answers: dict[str, Answer] | None = None) -> None:
        """`answers`: the guided walk's answers so far (what is wrong, the client a pasted message names)."""
        super().__init__()
        self.values: dict[str, str] = dict(defaults or {})
        self.answers = dict(answers or {})
        self.errors: dict[str, str] = {}
        self.checked = FieldCheck()
        self.load_error: str | None = None  # the client files did not load on the last Start
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("tlsdoctor  ", "bold"), _("What should we check?")), id="status-line")
        with VerticalScroll(id="form"):
            for key, label, placeholder in FORM_FIELDS:
                yield Label(_(label), classes="field-label")
                yield Input(value=self.values.get(key, ""), placeholder=placeholder, id=f"f-{key}")
                yield Label("", markup=False, id=f"err-{key}", classes="field-error")
            yield Button(_("Start the walk"), id="start", variant="primary")
        yield Footer(show_command_palette=False)  # the palette key is an ordinary, translated key (app BINDINGS)

    def on_mount(self) -> None:
        self.validate_all()
        self.query_one("#f-target", Input).focus()

    @on(Input.Changed)
    def _on_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            key = event.input.id.removeprefix("f-")
            self.values[key] = event.value
            if key in ("client-cert", "client-key"):
                self.load_error = None
        self.validate_all()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def _on_submit(self) -> None:
        self.action_start()

    def validate_all(self) -> WalkOptions | None:
        """Check every field's syntax and show the errors; the request's options when all are valid.

        The options do not hold the client material yet: Start loads it.
        """
        self.checked = check_fields(self.values, current_language())
        errors = dict(self.checked.errors)
        if self.load_error is not None:
            errors.setdefault("client-cert", self.load_error)
        self.errors = errors
        for key, _label, _placeholder in FORM_FIELDS:
            label = self.query_one(f"#err-{key}", Label)
            shown = errors.get(key, "")
            # only complain about an empty target once someone typed something
            if key == "target" and not self.values.get("target"):
                shown = ""
            label.update(("✗ " + safe_text(shown)) if shown else "")
            label.set_class(bool(shown), "shown")
        self.query_one("#start", Button).disabled = self.checked.options is None or self.loading
        return self.checked.options

    def action_start(self) -> None:
        options = self.validate_all()
        if options is None or self.loading:
            return
        self.loading = True
        self.query_one("#start", Button).disabled = True
        self.load_request(options, self.checked.client_files)

    @work(thread=True, exclusive=True, exit_on_error=False, group="request")
    def load_request(self, options: WalkOptions, files: ClientFiles | None) -> None:
        """Once per Start, off the UI loop: read and parse the client files, then hand the request back."""
        self.post_message(RequestReady(with_client_files(options, files)))

    @on(RequestReady)
    def _on_request_ready(self, message: RequestReady) -> None:
        self.loading = False
        self.validate_all()
        options = message.options
        if self.answers:
            options = dataclasses.replace(options, answers={**self.answers, **options.answers})
        self.app.push_screen(WalkScreen(options))

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "request" or event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self.loading = False
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            self.load_error = str(error) if isinstance(error, BadInput) else safe_text(error)
        self.validate_all()

    async def relocalise(self, lang: str) -> None:
        await self.recompose()
        self.validate_all()
