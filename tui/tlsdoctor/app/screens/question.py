"""The question dialog: the walk pauses where only a person can answer, and asks here.

A typed `ModalScreen[Answer]` (posting's dialogs): the question, the evidence it
rests on (shown literally: hosts lines, subjects, addresses), the answers with
the default highlighted. Enter takes the highlighted answer, Esc takes the
default; the walk goes on either way. A file answer (a client certificate)
opens fields for the certificate (PEM or PKCS#12), the key and a password, the
paths completed from the file system as you type (Textual has no file dialog).
The walk loads the files; one that does not load is asked for again with the
reason and the paths typed before. While the fields are open they take the
answers' place (at 80×24 everything fits, the hint too). `l` (or f2 in the
fields) switches the language here as everywhere, keeping the highlight and
what was typed. This dialog only asks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tlsdoctor.facts.questions import Answer, AnsweredBy, Question
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import step_title

from ..display import lazy_gettext, lit

MAX_LISTED = 200  # directory entries read for one completion


class PathSuggester(Suggester):
    """Completes a path from the file system: the first entry of its folder that starts with what was typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = os.path.expanduser(value)
        folder, stem = os.path.split(typed)
        try:
            with os.scandir(folder or ".") as entries:
                names = sorted(e.name + ("/" if e.is_dir() else "") for _n, e in zip(range(MAX_LISTED), entries, strict=False))
        except OSError:
            return None
        match = next((n for n in names if n.startswith(stem) and n != stem and (stem or not n.startswith("."))), None)
        return value + match[len(stem) :] if match is not None else None


class QuestionDialog(ModalScreen[Answer]):
    """Ask one of the walk's questions; dismiss with the Answer (Esc: the default)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "take_default", lazy_gettext("Default"), id="question-default"),
        # a modal screen stops the app's keys: the language key is this dialog's own (f2 in the fields)
        Binding("l", "app.switch_language", lazy_gettext("中文"), show=False, id="question-language"),
        Binding("f2", "app.switch_language", lazy_gettext("中文"), show=False, id="question-language-f2"),
    ]

    DEFAULT_CSS = """
    QuestionDialog { align: center middle; }
    QuestionDialog #question-box { width: 96%; max-width: 110; height: auto; max-height: 96%; border: thick $primary; background: $surface; padding: 0 1; }
    QuestionDialog #question-prompt { text-style: bold; }
    QuestionDialog .question-evidence { color: $text-muted; }
    QuestionDialog #question-error { color: $error; }
    QuestionDialog #question-choices { height: auto; max-height: 10; margin: 1 0 0 0; }
    QuestionDialog #question-files { display: none; height: auto; margin: 1 0 0 0; }
    QuestionDialog #question-box.-files #question-files { display: block; }
    QuestionDialog #question-box.-files #question-choices { display: none; }
    QuestionDialog Input { border: none; height: 1; padding: 0 1; background: $primary 10%; margin: 0 0 1 0; }
    QuestionDialog Input:focus { border: none; background: $primary 30%; }
    QuestionDialog #question-hint { color: $text-muted; }
    """

    def __init__(self, question: Question, earlier: Answer | None = None) -> None:
        """`earlier`: the answer this question got before it was asked again (its paths fill the fields)."""
        super().__init__()
        self.question = question
        self.earlier = earlier

    def compose(self) -> ComposeResult:
        q = self.question
        with Vertical(id="question-box"):
            yield Label(_("step {n}/8 {title}").format(n=q.step.number, title=step_title(q.step)), markup=False)
            yield Static(_(q.prompt), id="question-prompt", markup=False)
            for item in q.evidence:
                yield Static(Content.assemble(_(item.label) + _(": "), lit(item.value, "bold")), classes="question-evidence")
            if q.error:
                yield Static(lit("✗ " + q.error), id="question-error")
            yield OptionList(*self._options(), id="question-choices")
            with Vertical(id="question-files"):
                yield Label(_("Certificate file (PEM or PKCS#12):"), markup=False)
                yield Input(self._earlier("cert_file"), placeholder="client.pem", suggester=PathSuggester(), id="question-cert")
                yield Label(_("Key file (empty: in the certificate file):"), markup=False)
                yield Input(self._earlier("key_file"), placeholder="client.key", suggester=PathSuggester(), id="question-key")
                yield Label(_("Password (empty: none):"), markup=False)
                yield Input(password=True, id="question-password")
            yield Static(self._hint(), id="question-hint", markup=False)

    def _options(self) -> list[Option]:
        options = []
        for choice in self.question.choices:
            mark = "● " if choice.value == self.question.default else "  "
            detail = (" ", lit(choice.detail, "bold")) if choice.detail else ("",)
            options.append(Option(Content.assemble(mark, _(choice.label), *detail), id=choice.value))
        return options

    def _earlier(self, field: str) -> str:
        value = getattr(self.earlier, field, None) if self.question.error else None
        return value or ""

    def _hint(self) -> str:
        if self.files_shown:
            return _("Enter loads the file · Esc goes back to the answers")
        return _("Enter answers · Esc takes the default (●)")

    def on_mount(self) -> None:
        if not self.query(OptionList):  # dismissed before it was drawn (an answer came at once)
            return
        choices = self.query_one(OptionList)
        values = [c.value for c in self.question.choices]
        choices.highlighted = values.index(self.question.default) if self.question.default in values else 0
        if self.question.error:  # asked again after a file did not load: straight to the fields
            self._show_files()
        else:
            choices.focus()

    @property
    def files_shown(self) -> bool:
        return bool(self.query("#question-box.-files"))

    def _show_files(self, shown: bool = True) -> None:
        """The file fields in the answers' place (Esc: the answers again)."""
        self.query_one("#question-box").set_class(shown, "-files")
        self.query_one("#question-hint", Static).update(self._hint())
        if shown:
            self.query_one("#question-cert", Input).focus()
        else:
            self.query_one(OptionList).focus()

    async def relocalise(self, lang: str) -> None:
        """Re-ask in the language just set, keeping the highlighted answer, the fields and what was typed."""
        highlighted = self.query_one(OptionList).highlighted
        files = self.files_shown
        typed = {i.id: i.value for i in self.query(Input) if i.id}
        focused = self.focused.id if self.focused is not None else None
        await self.recompose()
        for key, value in typed.items():
            self.query_one(f"#{key}", Input).value = value
        self.query_one(OptionList).highlighted = highlighted
        self._show_files(files)
        # at once, not later as `focus()` does: the focus the recompose dropped must not be reset after this
        self.set_focus(self.query_one(f"#{focused}") if focused and self.query(f"#{focused}") else self.query_one(OptionList))

    @on(OptionList.OptionSelected, "#question-choices")
    def _on_choice(self, event: OptionList.OptionSelected) -> None:
        choice = self.question.choice(event.option.id or "")
        if choice is None:
            return
        if choice.file:
            self._show_files()
            return
        self.dismiss(Answer(choice.value, by=AnsweredBy.USER))

    @on(Input.Submitted)
    def _on_files(self) -> None:
        cert = self.query_one("#question-cert", Input).value.strip()
        if not cert:
            self.query_one("#question-cert", Input).focus()
            return
        key = self.query_one("#question-key", Input).value.strip()
        password = self.query_one("#question-password", Input).value
        choice = next(c for c in self.question.choices if c.file)
        self.dismiss(
            Answer(
                choice.value,
                cert_file=str(Path(cert).expanduser()),
                key_file=str(Path(key).expanduser()) if key else None,
                password=password or None,
                by=AnsweredBy.USER,
            )
        )

    def action_take_default(self) -> None:
        if self.files_shown:  # Esc leaves the file fields first
            self._show_files(False)
            return
        self.dismiss(Answer(self.question.default, by=AnsweredBy.DEFAULT))
