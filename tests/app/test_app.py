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
from textual.widgets import (
    DataTable,
    Input,
    Label,
    Markdown,
    OptionList,
    Static,
    TextArea,
    Tree,
)

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
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.i18n import current_language, set_language
from tlsdoctor.lab.scenarios import HOSTILE_CN

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


async def wait_for_walk(pilot: Any, screen: WalkScreen, timeout: float = 15.0, answers: dict[str, Any] | None = None) -> None:
    """Wait until the walk ends; a question it asks on the way is answered from `answers`
    (question id → choice value, or an `Answer`), else with its default (Esc)."""
    import asyncio

    from tlsdoctor.app.screens.question import QuestionDialog
    from tlsdoctor.facts.questions import Answer

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    answered: set[int] = set()
    while screen.state.report is None and screen.state.error is None and not screen.state.cancelled:
        assert loop.time() < deadline, "the walk did not finish in time"
        dialog = screen.app.screen
        if isinstance(dialog, QuestionDialog) and id(dialog) not in answered and dialog.query("#question-choices"):
            answered.add(id(dialog))
            given = (answers or {}).get(dialog.question.id)
            if given is None:
                dialog.action_take_default()
            else:
                dialog.dismiss(given if isinstance(given, Answer) else Answer(given))
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
        # without a key press, the failing step already says what to do and what not to do
        assert "→ 8. Diagnosis" in text and "TLS-1002" in text
        assert "95% success" in text and "dead end" in text
        assert screen.query(CommandLine) and screen.query(DeadEnd)
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
        assert "TLS-1002" in status and "发现问题" in status
        assert top.title in screen_text(screen)  # under the failing step, with the dead end to avoid
        assert [m.event.result.step for m in engine_messages(messages) if isinstance(m, StepFinishedMessage)] == list(StepId)


async def test_live_language_switch_keeps_results_and_selected_step(lab: Lab) -> None:
    app, messages = walk_app(lab, "wrong-host")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        report_before = screen.state.report
        assert screen.query_one(StepList).selected_step is StepId.NAMES
        await pilot.press("l")
        await pilot.pause()
        assert current_language() == "zh"
        # same screen, same results, same step; nothing re-ran
        assert app.screen is screen
        assert screen.query_one(StepList).selected_step is StepId.NAMES
        assert screen.query_one(EvidencePane).step is StepId.NAMES
        assert screen.state.report.findings == report_before.findings
        assert len([m for m in engine_messages(messages) if isinstance(m, WalkFinishedMessage)]) == 1
        # the diagnosis is now told in Chinese
        top = screen.state.report.diagnosis[0]
        assert top.kb_id == "TLS-1002" and top.title != report_before.diagnosis[0].title
        assert any("\u4e00" <= ch <= "\u9fff" for ch in top.title)
        assert top.title in screen_text(screen)
        assert "发现问题" in plain(screen.query_one("#status-line", Static))
        # the verdict card is told again in Chinese, and its command is still the one c copies
        card = screen_text(screen.query_one("#verdict"))
        assert "方案 1" in card and screen.selected_command() == top.workarounds[0].commands[0]
        # binding labels are lazy strings, rendered in the new language by the refreshed footer
        from textual.widgets import Footer

        labels = {b.binding.key: str(b.binding.description) for b in app.active_bindings.values()}
        assert labels["l"] and labels["r"]
        footer_keys = [str(k.description) for k in screen.query_one(Footer).query("FooterKey")]
        assert labels["r"] in footer_keys
        await pilot.press("l")
        await pilot.pause()
        assert current_language() == "en"
        assert screen.state.report.diagnosis[0].title == report_before.diagnosis[0].title


async def test_escape_cancels_a_walk_stuck_on_a_black_hole(lab: Lab) -> None:
    messages: list[Any] = []
    app = TlsDoctorApp(lab.options_for("black-hole", timeout=10.0), lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        for _ in range(100):
            if screen.state.running is StepId.FETCH:
                break
            await pilot.pause(0.02)
        assert screen.state.running is StepId.FETCH
        await pilot.pause(0.2)
        assert "running" in plain(screen.query_one("#status-line", Static)) or "step 4/8" in plain(screen.query_one("#status-line", Static))
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert screen.state.cancelled
        assert screen.state.report is None
        assert not screen.walking
        received = engine_messages(messages)
        assert any(isinstance(m, WalkCancelledMessage) for m in received)
        assert not any(isinstance(m, WalkFinishedMessage) for m in received)
        assert "cancelled" in plain(screen.query_one("#status-line", Static))
        assert screen.state.status(StepId.DNS) is StepStatus.OK  # what finished stays


async def test_rerun_runs_every_step_again(lab: Lab) -> None:
    app, messages = walk_app(lab, "healthy")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        assert screen.state.report.verdict == "ok"
        assert screen.query_one(StepList).selected_step is StepId.DIAGNOSIS
        await pilot.press("r")
        await pilot.pause(0.05)
        await wait_for_walk(pilot, screen)
        finished = [m for m in engine_messages(messages) if isinstance(m, WalkFinishedMessage)]
        assert len(finished) == 2
        assert "nothing wrong found" in plain(screen.query_one("#status-line", Static))


async def test_copy_command_and_report_and_export_never_overwrite(lab: Lab, tmp_path: Path) -> None:
    app, _messages = walk_app(lab, "wrong-host", export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        host = screen.options.target.ascii_host
        await pilot.press("c")
        assert host in app.clipboard and "\n" not in app.clipboard
        # focusing another command and pressing c copies that one
        screen.query_one(StepList).select_step(StepId.DIAGNOSIS)
        await pilot.pause()
        commands = list(screen.query(CommandLine))
        assert len(commands) >= 2
        commands[1].focus()
        await pilot.press("c")
        assert app.clipboard == commands[1].command
        await pilot.press("m")
        assert app.clipboard.startswith("# tlsdoctor:") and "TLS-1002" in app.clipboard
        md = app.export_report("md")
        md_again = app.export_report("md")
        js = app.export_report("json")
        svg = app.export_svg()
    assert md is not None and md_again is not None and js is not None
    assert md != md_again and md.exists() and md_again.exists()
    assert md.read_text(encoding="utf-8") == md_again.read_text(encoding="utf-8")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["verdict"] == "problem" and data["diagnosis"][0]["kb_id"] == "TLS-1002"
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert not list(tmp_path.glob(".tlsdoctor-*")), "temporary files are cleaned up"


def test_write_new_file_adds_a_suffix_instead_of_overwriting(tmp_path: Path) -> None:
    first = write_new_file(tmp_path, "r", ".md", "one")
    (tmp_path / "r-2.md").write_text("someone else's", encoding="utf-8")
    second = write_new_file(tmp_path, "r", ".md", "two")
    assert first.name == "r.md" and second.name == "r-3.md"
    assert first.read_text() == "one" and (tmp_path / "r-2.md").read_text() == "someone else's"


async def test_hostile_certificate_text_is_shown_literally(lab: Lab) -> None:
    app, _messages = walk_app(lab, "hostile-text")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        assert app.is_running, "[@click=app.quit] must not be a live link"
        for step in (StepId.NAMES, StepId.FETCH, StepId.CHAIN):
            screen.query_one(StepList).select_step(step)
            await pilot.pause()
            text = screen_text(screen)
            assert "[bold]x[/bold]" in text, step
            assert "[$accent]y" in text, step
            assert "[@click=app.quit]z" in text, step
            assert "\\x1b[31mred" in text and "\x1b" not in text, step
            assert "\\u202e" in text and "\u202e" not in text, step
        assert HOSTILE_CN.startswith("[bold]x[/bold]")


async def test_form_validates_as_you_type_and_starts_the_walk(lab: Lab, tmp_path: Path) -> None:
    app = TlsDoctorApp(None, lang="en")
    run = lab.run("wrong-host")
    ns = lab.nameserver()
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, FormScreen)
        target = form.query_one("#f-target", Input)
        target.value = "bad host:99999"
        await pilot.pause()
        error = form.query_one("#err-target", Label)
        assert "✗" in plain(error) and error.display
        assert form.query_one("#start").disabled
        form.query_one("#f-nameserver", Input).value = "not-an-ip"
        await pilot.pause()
        assert "IP address" in plain(form.query_one("#err-nameserver", Label))
        form.query_one("#f-nameserver", Input).value = f"{ns.address}:{ns.port}"
        form.query_one("#f-ca", Input).value = str(tmp_path / "missing.pem")
        await pilot.pause()
        assert "missing.pem" in plain(form.query_one("#err-ca", Label))
        form.query_one("#f-ca", Input).value = str(lab.ca_file)
        target.value = run.target
        await pilot.pause()
        assert not form.query_one("#start").disabled
        assert plain(form.query_one("#err-target", Label)) == ""
        options = form.validate_all()
        assert options.target.port == run.port and options.ca_files == (str(lab.ca_file),)
        # the form's walk uses the system hosts file: point it at the lab's through the options
        form.values["target"] = run.target
        app.push_screen(WalkScreen(options.__class__(**{**options.__dict__, "hosts_file": str(lab.hosts_file), "use_system_store": False})))
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        await wait_for_walk(pilot, walk)
        assert walk.state.report.diagnosis[0].kb_id == "TLS-1002"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form


async def test_demo_picker_runs_a_scenario_and_returns(lab: Lab) -> None:
    app = TlsDoctorApp(None, lang="zh", demo=True, lab=lab)
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        scenarios = picker.query_one("#scenarios", OptionList)
        ids = [scenarios.get_option_at_index(i).id for i in range(scenarios.option_count)]
        assert "wrong-host" in ids and "healthy" in ids
        scenarios.highlighted = ids.index("wrong-host")
        await pilot.press("enter")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        await wait_for_walk(pilot, walk)
        assert walk.state.report.diagnosis[0].kb_id == "TLS-1002"
        assert walk.options.target.display_host == "wrong.example.test"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is picker
        assert picker.query_one("#scenarios", OptionList).highlighted == ids.index("wrong-host")


async def test_explain_dialog_finds_the_entry_and_opens_it(lab: Lab) -> None:
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.action_explain()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExplainDialog)
        pasted = (
            "[bold]curl: (60) SSL: no alternative certificate subject name matches target host name "
            "'x.example.test'[$accent] [@click=app.quit]q\x1b[31m"
        )
        dialog.query_one(TextArea).text = pasted
        await dialog.action_explain()
        await pilot.pause()
        text = screen_text(dialog)
        assert "hostname-mismatch" in text and "curl" in text
        assert "TLS-1002" in dialog.entries
        entries = dialog.query_one("#explain-entries", OptionList)
        entries.highlighted = dialog.entries.index("TLS-1002")
        entries.focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        kb = app.screen
        assert isinstance(kb, KnowledgeScreen) and kb.entry_id == "TLS-1002"
        assert "TLS-1002" in kb.query_one(Markdown).source


async def test_knowledge_browser_searches_and_switches_language() -> None:
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.action_knowledge("TLS-1002")
        await pilot.pause(0.3)
        kb = app.screen
        assert isinstance(kb, KnowledgeScreen)
        english = kb.query_one(Markdown).source
        assert "TLS-1002" in english
        kb.query_one("#kb-search", Input).value = "wildcard"
        await pilot.pause()
        listed = kb.query_one("#kb-list", OptionList)
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        assert "TLS-1003" in ids and 0 < len(ids) < 10
        listed.highlighted = ids.index("TLS-1003")
        await pilot.pause()
        assert kb.entry_id == "TLS-1003"
        english = kb.query_one(Markdown).source
        await app.switch_language("zh")
        await pilot.pause(0.3)
        kb = app.screen
        assert isinstance(kb, KnowledgeScreen) and kb.entry_id == "TLS-1003"
        assert kb.query_one("#kb-search", Input).value == "wildcard"
        chinese = kb.query_one(Markdown).source
        assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


async def test_palette_offers_the_app_commands() -> None:
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Switch language to 中文", "Export report as Markdown", "Export report as JSON", "Save SVG screenshot",
                       "Copy selected command", "Re-run the walk", "Explain a pasted error", "Browse the knowledge base"):
            assert wanted in titles
        assert any(t.startswith("Open knowledge entry TLS-1002") for t in titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "CommandPalette" in type(app.screen).__name__


async def test_redaction_toggle_hides_names_on_screen_and_in_exports(lab: Lab, tmp_path: Path) -> None:
    """Screen-sharing mode: `x` replaces the walk's names and addresses everywhere, `x` again restores them."""
    app, messages = walk_app(lab, "wrong-host", export_dir=tmp_path)
    host = lab.options_for("wrong-host").target.ascii_host
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        assert host in screen_text(screen)
        await pilot.press("x")
        await pilot.pause()
        shown = screen_text(screen)
        assert host not in shown and "other.example.test" not in shown
        assert ".zone-1.test" in shown
        path = app.export_report("md")
        assert path is not None
        exported = path.read_text(encoding="utf-8")
        assert host not in exported and "127.0.0.11" not in exported and "zone-1" in exported
        await pilot.press("x")
        await pilot.pause()
        assert host in screen_text(screen)
