"""A walk's life in the app: replaced by a re-run or cancelled while it asks, it leaves nothing
behind (no second question on screen, no thread waiting for an answer, no "cancelled" on the
walk that replaced it). Real walks against the lab's loopback servers, driven with the Pilot."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
from test_app import wait_for_walk, walk_app
from test_app_questions import question_on_screen

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import WalkScreen
from tlsdoctor.app.screens.question import QuestionDialog
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId
from tlsdoctor.request import build_request


def walk_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "tlsdoctor-walk" and t.is_alive()]


async def threads_settle(pilot: object, most: int, timeout: float = 5.0) -> list[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(walk_threads()) > most and loop.time() < deadline:
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    return walk_threads()


@pytest.mark.parametrize("how", ["rerun", "cancel"])
async def test_a_walk_replaced_while_it_asks_takes_its_question_and_thread_away(lab: Lab, how: str) -> None:
    app, _messages = walk_app(lab, "hosts-override")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()
        assert screen is not None
        first = await question_on_screen(pilot, app)
        if how == "rerun":
            app._walk_action(WalkScreen.action_rerun)  # from the palette, over the open question
            second = await question_on_screen(pilot, app)
            assert second is not first
        else:
            screen.workers.cancel_group(screen, "walk")
            await pilot.pause(0.3)
        stack = [s for s in app.screen_stack if isinstance(s, QuestionDialog)]
        assert first not in stack, "the replaced walk's question is still on screen"
        assert len(stack) == (1 if how == "rerun" else 0)
        assert len(await threads_settle(pilot, 1 if how == "rerun" else 0)) == (1 if how == "rerun" else 0)
        if how == "rerun":
            await wait_for_walk(pilot, screen)
            assert screen.state.report is not None and not screen.state.cancelled
            assert await threads_settle(pilot, 0) == []
        else:
            assert screen.state.cancelled


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listener that accepts and never speaks: a handshake there waits for its timeout."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


async def test_a_rerun_while_walking_is_not_reported_as_cancelled(silent_port: int) -> None:
    options = build_request("127.0.0.1", port=silent_port, timeout=1.0, use_system_store=False)
    app = TlsDoctorApp(options, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()
        assert screen is not None
        await pilot.pause(0.3)  # the first walk waits on the silent server
        await pilot.press("r")
        await wait_for_walk(pilot, screen)
        await pilot.pause(0.3)  # the first worker's end arrives after the new walk began
        assert screen.state.report is not None
        assert not screen.state.cancelled
        assert "cancelled" not in str(screen.query_one("#status-line").render())


async def test_a_walk_begun_before_the_app_is_shown_from_its_first_event(lab: Lab) -> None:
    """`tlsdoctor HOST` starts the walk before Textual is imported (walk.start): the events made
    meanwhile wait, and the app shows the whole walk, in order, as if it had started it."""
    from tlsdoctor.walk import start, walk_report

    options = lab.options_for("wrong-host")
    early = start(options)
    deadline = asyncio.get_running_loop().time() + 15
    while not any(kind == "end" for kind, _v in list(early._waiting)):  # the walk ends before any consumer comes
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    messages: list[object] = []
    app = TlsDoctorApp(options, lang="en", early=early)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = app.walk_screen()
        assert screen is not None
        await wait_for_walk(pilot, screen)
        report = screen.state.report
        assert report is not None
        expected = walk_report(options)
        assert report.verdict == expected.verdict == "problem"
        assert [f.code for f in report.findings] == [f.code for f in expected.findings]
        started = [m.event.step for m in messages if type(m).__name__ == "StepStartedMessage"]  # type: ignore[attr-defined]
        assert list(dict.fromkeys(started)) == list(StepId)  # every step, from the first, in order
        assert screen.early is None  # a re-run walks afresh
    assert await_no_walk_threads()


async def test_a_walk_begun_before_the_app_waits_for_its_question(lab: Lab) -> None:
    from tlsdoctor.walk import start

    options = lab.options_for("hosts-override")
    early = start(options)
    await asyncio.sleep(0.5)  # the walk reaches its question and waits: nobody can answer yet
    assert walk_threads() == ["tlsdoctor-walk"]
    app = TlsDoctorApp(options, lang="en", early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()
        assert screen is not None
        dialog = await question_on_screen(pilot, app)
        assert dialog.question.id == "hosts"
        await wait_for_walk(pilot, screen)  # Esc: the default
        assert screen.state.report is not None and screen.state.path


def await_no_walk_threads(timeout: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while walk_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not walk_threads()
