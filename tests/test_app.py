"""Pilot tests of the Textual app: full walks against real lab servers, in both languages.

Every walk here is the real engine against loopback servers from
`tlsdoctor.lab.scenarios.Lab` (real DNS responder, hosts file, TLS servers,
certificates). The tests assert on the engine events the app received (its
typed messages) and on what the widgets hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Label, Markdown, OptionList, Static, TextArea, Tree

from tlsdoctor.app.main import TlsDoctorApp, write_new_file
from tlsdoctor.app.screens import (
    ExplainDialog,
    FormScreen,
    KnowledgeScreen,
    PickerScreen,
    StepFinishedMessage,
    StepStartedMessage,
    WalkCancelledMessage,
    WalkFinishedMessage,
    WalkScreen,
)
from tlsdoctor.app.widgets import CommandLine, DeadEnd, EvidencePane, StepList
from tlsdoctor.findings import Code, StepId, StepStatus
from tlsdoctor.i18n import current_language, set_language
from tlsdoctor.lab.scenarios import HOSTILE_CN, Lab

SIZE = (160, 50)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def plain(widget: Any) -> str:
    """What a Static/Label shows, as plain text."""
    content = widget.content if hasattr(widget, "content") else widget.render()
    return getattr(content, "plain", str(content))


def screen_text(screen: Any) -> str:
    """Every Static's text, every DataTable cell and every Tree label on the screen."""
    parts: list[str] = []
    for static in screen.query(Static):
        parts.append(plain(static))
    for table in screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" | ".join(str(getattr(c, "plain", c)) for c in table.get_row_at(row)))
    for tree in screen.query(Tree):
        stack = [tree.root]
        while stack:
            node = stack.pop()
            parts.append(str(getattr(node.label, "plain", node.label)))
            stack.extend(node.children)
    for option_list in screen.query(OptionList):
        for i in range(option_list.option_count):
            prompt = option_list.get_option_at_index(i).prompt
            parts.append(str(getattr(prompt, "plain", prompt)))
    return "\n".join(parts)


async def wait_for_walk(pilot: Any, screen: WalkScreen, timeout: float = 15.0) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while screen.state.report is None and screen.state.error is None and not screen.state.cancelled:
        assert loop.time() < deadline, "the walk did not finish in time"
        await pilot.pause(0.05)
    await pilot.pause()
    assert screen.state.error is None, screen.state.error


def engine_messages(messages: list[Any]) -> list[Any]:
    """The walk messages the app received, once each (Textual's hook may see a message twice)."""
    kinds = (StepStartedMessage, StepFinishedMessage, WalkFinishedMessage, WalkCancelledMessage)
    return list({id(m): m for m in messages if isinstance(m, kinds)}.values())


def walk_app(lab: Lab, scenario: str, lang: str = "en", **kwargs: Any) -> tuple[TlsDoctorApp, list[Any]]:
    messages: list[Any] = []
    app = TlsDoctorApp(lab.options_for(scenario, lang=lang), lang=lang, **kwargs)
    return app, messages


async def test_walk_of_wrong_host_focuses_names_and_ranks_tls_1002(lab: Lab) -> None:
    app, messages = walk_app(lab, "wrong-host")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen)
        received = engine_messages(messages)
        started = [m.event.step for m in received if isinstance(m, StepStartedMessage)]
        finished = [m.event.result.step for m in received if isinstance(m, StepFinishedMessage)]
        assert started == list(StepId)
        assert finished == list(StepId)
        assert sum(isinstance(m, WalkFinishedMessage) for m in received) == 1
        assert isinstance(received[-1], WalkFinishedMessage)
        # focus goes to the first failing step: 5 names
        assert screen.state.status(StepId.NAMES) is StepStatus.FAIL
        assert screen.query_one(StepList).selected_step is StepId.NAMES
        pane = screen.query_one(EvidencePane)
        assert pane.step is StepId.NAMES
        text = screen_text(screen)
        assert "5 Names" in text and "✗ failed" in text
        assert "hostname-mismatch" in text
        assert "closest" in text
        names = screen.query_one("#names-table", DataTable)
        assert names.row_count >= 1
        # the status line names the verdict and the top entry
        status = plain(screen.query_one("#status-line", Static))
        assert "problem found" in status and "TLS-1002" in status
        # the diagnosis pane: TLS-1002 first, workarounds with commands, dead ends set apart
        screen.query_one(StepList).select_step(StepId.DIAGNOSIS)
        await pilot.pause()
        assert screen.query_one(EvidencePane).step is StepId.DIAGNOSIS
        diagnosis_text = screen_text(screen)
        assert diagnosis_text.index("TLS-1002") < diagnosis_text.index("TLS-1003")
        assert "success" in diagnosis_text and "DEAD END" in diagnosis_text
        host = lab.options_for("wrong-host").target.ascii_host
        commands = [c.command for c in screen.query(CommandLine)]
        assert any(host in c for c in commands)
        assert screen.query(DeadEnd)


async def test_walk_in_chinese_shows_chinese_steps_and_diagnosis(lab: Lab) -> None:
    app, messages = walk_app(lab, "wrong-host", lang="zh")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        assert current_language() == "zh"
        top = screen.state.report.diagnosis[0]
        assert top.kb_id == "TLS-1002"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in top.title), top.title
        status = plain(screen.query_one("#status-line", Static))
        assert top.title in status
        assert [m.event.result.step for m in engine_messages(messages) if isinstance(m, StepFinishedMessage)] == list(StepId)
