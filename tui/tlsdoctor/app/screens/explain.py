"""The explain dialog: paste an error message from any client and see what it points to.

`tlsdoctor.explain` recognises the client and the findings; the knowledge
base ranks the entries; the dialog dismisses with the id of the entry to open
(or None). The pasted text is untrusted: every excerpt is shown literally.
Opened from the start question (`guided`), it also offers to check the host the
message names: it dismisses with `CHECK_HOST`, its `explanation` and `text` say
the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tlsdoctor.i18n import _, current_language

if TYPE_CHECKING:
    from tlsdoctor.explain import Explanation
from tlsdoctor.summaries import finding_title

from ..display import lazy_gettext, lit

CHECK_HOST = "check-host"  # dismissed with this: walk the host the message names (guided)


class ExplainDialog(ModalScreen[str | None]):
    """Paste an error message; see what it points to. Dismisses with a knowledge id to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", lazy_gettext("Close"), id="close"),
        # priority: the text area has focus and would take ctrl+e (end of line) for itself
        Binding("ctrl+e", "explain", lazy_gettext("Explain"), id="explain", priority=True),
    ]

    def __init__(self, text: str = "", *, guided: bool = False) -> None:
        super().__init__()
        self.text = text
        self.guided = guided
        self.entries: list[str] = []
        self.explanation: Explanation | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Paste an error message (any client), then press Explain (ctrl+e)."), classes="heading")
            yield TextArea(self.text, id="pasted", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Explain"), id="do-explain", variant="primary")
                if self.guided:
                    yield Button(_("Check the host"), id="check-host")
                yield Button(_("Close"), id="close")
            yield VerticalScroll(id="explain-result")
            yield OptionList(id="explain-entries")

    @on(Button.Pressed, "#do-explain")
    async def _pressed_explain(self) -> None:
        await self.action_explain()

    @on(Button.Pressed, "#check-host")
    async def _pressed_check(self) -> None:
        await self.action_explain()
        self.dismiss(CHECK_HOST)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

    async def action_explain(self) -> None:
        from tlsdoctor.explain import explain  # lazy: start-up cost
        from tlsdoctor.knowledge import diagnose  # lazy: start-up cost

        self.text = self.query_one("#pasted", TextArea).text
        explanation = self.explanation = explain(self.text)
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
            excerpt = f.evidence.get("excerpt")
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
