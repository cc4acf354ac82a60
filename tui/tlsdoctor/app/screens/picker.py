"""The demo picker (`tlsdoctor demo`): pick a broken setup; the real walk runs against the lab's server.

Lists the lab's scenarios and opens a walk screen with the options the lab
gives for the chosen one. It touches the lab only on selection (so a picture
of the list needs no running lab) and never opens sockets itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tlsdoctor.i18n import _, current_language

from ..display import lazy_gettext, lit
from .walk import WalkScreen

if TYPE_CHECKING:
    from tlsdoctor.demo import DemoLab as Lab


class PickerScreen(Screen[None]):
    """`tlsdoctor demo`: pick a broken setup; the real walk runs against the lab's local server."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "pick", lazy_gettext("Run"), show=True, id="pick")]

    def __init__(self, lab: Lab) -> None:
        super().__init__()
        self.lab = lab
        self.highlighted = 0

    def compose(self) -> ComposeResult:
        from tlsdoctor.lab.scenarios import SCENARIOS  # lazy: start-up cost

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
        yield Footer(show_command_palette=False)  # the palette key is an ordinary, translated key (app BINDINGS)

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
        self.app.push_screen(WalkScreen(options, server_log=lambda: self.lab.server_log(scenario_id)))

    async def relocalise(self, lang: str) -> None:
        await self.recompose()
