"""The knowledge browser: list, search and read the knowledge base's entries in the current language.

Reads the knowledge base (`tlsdoctor.knowledge`, loaded once and cached) and
renders an entry as Markdown; it never changes an entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tlsdoctor.i18n import _, current_language

from ..display import lazy_gettext

if TYPE_CHECKING:
    from tlsdoctor.knowledge import Entry


def entry_haystack(entry: Entry) -> str:
    """What a search looks in: id, slug, category, both titles and every error message."""
    texts = [entry.id, entry.slug, entry.category, entry.title.get("en"), entry.title.get("zh")]
    texts += [message for messages in entry.errors.values() for message in messages]
    return " ".join(str(t) for t in texts).lower()


class KnowledgeScreen(Screen[None]):
    """Browse and search the knowledge base; an entry in the current language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", lazy_gettext("Back"), id="back"),
        Binding("f2", "app.switch_language", lazy_gettext("中文"), id="kb-language"),
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
        yield Footer(show_command_palette=False)  # the palette key is an ordinary, translated key (app BINDINGS)

    def _matching(self) -> list[Entry]:
        from tlsdoctor.knowledge import load_knowledge  # lazy: start-up cost

        needle = self.query_text.strip().lower()
        entries = list(load_knowledge().entries)
        if not needle:
            return entries
        return [e for e in entries if needle in entry_haystack(e)]

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
        from tlsdoctor.knowledge import render_kb  # lazy: start-up cost

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
