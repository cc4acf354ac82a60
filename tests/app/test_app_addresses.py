"""The app shows a verdict per address and which asked clients fail (issue 10 §2, §4), on the demo lab."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from test_app import SIZE, plain, wait_for_walk
from textual.widgets import DataTable, Static

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import WalkScreen
from tlsdoctor.app.widgets import StepList
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


def _rows(table: DataTable) -> list[str]:
    return [" | ".join(str(getattr(c, "plain", c)) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_names_pane_judges_every_address(lab: Lab) -> None:
    options = lab.options_for("divergent")
    app = TlsDoctorApp(options)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.walk_screen()  # the walk may already be asking which address (a dialog over it)
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen)
        screen.query_one(StepList).select_step(StepId.NAMES)
        await pilot.pause()
        rows = _rows(screen.query_one("#addresses-table", DataTable))
        assert len(rows) == 2
        assert [r.split(" | ")[0] for r in rows].count("✗") == 1
        assert any("old-pool" in r for r in rows), rows


async def test_the_status_line_names_the_failing_client(lab: Lab) -> None:
    """A CN-only certificate: OpenSSL still reads the Common Name, Go does not."""
    options = dataclasses.replace(lab.options_for("cn-only"), clients=("openssl", "go"))
    app = TlsDoctorApp(options)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen)
        assert screen.state.report is not None and screen.state.report.clients is not None
        assert screen.state.report.clients.to_json() == {"asked": ["openssl", "go"], "fail": ["go"], "pass": ["openssl"]}
        status = plain(screen.query_one("#status-line", Static))
        assert "problem found" in status and "fails for go; passes for openssl" in status
