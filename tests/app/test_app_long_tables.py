"""A certificate with thousands of names (issue 13): the names pane draws its table line by line,
every row still there, untrusted text still literal; ordinary certificates keep their DataTable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import DataTable

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import WalkScreen
from tlsdoctor.app.widgets import EvidencePane, StepList
from tlsdoctor.app.widgets.linetable import LONG_TABLE, LineTable
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId

SIZE = (160, 50)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


async def _walk(pilot, screen: WalkScreen) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + 30
    while screen.state.report is None and screen.state.error is None:
        assert asyncio.get_running_loop().time() < deadline, "the walk did not finish in time"
        await pilot.pause(0.05)
    await pilot.pause()


async def test_three_thousand_names_are_drawn_line_by_line(lab: Lab) -> None:
    app = TlsDoctorApp(lab.options_for("many-sans"), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        await _walk(pilot, screen)
        screen.query_one(StepList).select_step(StepId.NAMES)
        await pilot.pause()
        assert screen.query_one(EvidencePane).step is StepId.NAMES
        table = screen.query_one("#names-table", LineTable)
        assert table.count == 3001 > LONG_TABLE  # 3,000 SANs and the CN
        assert not [w for w in screen.query("#names-table") if isinstance(w, DataTable)]
        header = table.line_content(0).plain
        assert "Kind" in header and "Name" in header and "Reason" in header
        rows = [table.line_content(y).plain for y in (1, 3000, 3001)]
        assert "host-00000" in rows[0] and "DNS" in rows[0] and "does not match" in rows[0]  # the verdict in words, as the short table says it
        assert "host-02999" in rows[1] and "CN" in rows[2]
        closest = screen.state.report and next(s for s in screen.state.report.steps if s.step is StepId.NAMES).data.closest
        assert closest is not None
        assert any("← closest" in table.line_content(y).plain and closest.value in table.line_content(y).plain for y in range(1, 3002))
        first_screen = table.render_line(1).text
        assert "host-00000" in first_screen
        assert table.size.height == 3002  # the header and every row is in the scrollable height, built only when shown


class _One(App[None]):
    def __init__(self, table: LineTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def test_a_long_table_shows_untrusted_text_literally() -> None:
    hostile = "[b]bold?[/b] \x1b[31mred\u202eevil"
    from tlsdoctor.app.display import lit

    rows = [(Content("DNS"), lit(hostile if i == 5 else f"name-{i}")) for i in range(LONG_TABLE + 50)]
    table = LineTable(("Kind", "Name"), (3, 60), len(rows), lambda i: rows[i])
    async with _One(table).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = table.render_line(6).text
        assert "[b]bold?[/b]" in shown  # markup is text, not style
        assert "\x1b" not in shown and "\u202e" not in shown  # controls are shown inert, never sent
        assert "name-0" in table.render_line(1).text
        assert table.render_line(len(rows) + 5).text.strip() == ""
