"""Issue 11 §1 in the app: the walk pauses and asks where only a person can answer, the breadcrumb
keeps the path taken, and `r` after a fix shows what changed since the last run.

Real walks against the lab's loopback servers, driven with Textual's pilot: each
question is answered with the keys a person would press, and each answer changes
the verdict or the fixes. The re-run test swaps a lab server's certificate
between runs (stop it, start a fixed one on the same address and port).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_app import plain, screen_text, wait_for_walk, walk_app
from textual.widgets import Input, OptionList, Static

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import WalkScreen
from tlsdoctor.app.screens.explain import ExplainDialog
from tlsdoctor.app.screens.form import FormScreen
from tlsdoctor.app.screens.question import PathSuggester, QuestionDialog
from tlsdoctor.app.screens.start import OfflineScreen, StartScreen
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.facts.questions import AnsweredBy, QuestionId
from tlsdoctor.lab.tls_server import TlsServer, VHost
from tlsdoctor.request import build_request

SMALL = (80, 24)


async def question_on_screen(pilot: Any, app: TlsDoctorApp, timeout: float = 15.0) -> QuestionDialog:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(app.screen, QuestionDialog):
        assert loop.time() < deadline, "no question was asked"
        await pilot.pause(0.05)
    await pilot.pause()
    return app.screen


async def choose(pilot: Any, dialog: QuestionDialog, value: str) -> None:
    """Move the highlight to `value` with the arrow keys and press Enter, as a person would."""
    values = [c.value for c in dialog.question.choices]
    choices = dialog.query_one(OptionList)
    steps = values.index(value) - (choices.highlighted or 0)
    for _ in range(abs(steps)):
        await pilot.press("down" if steps > 0 else "up")
    await pilot.press("enter")


async def answered_walk(lab: Lab, scenario: str, value: str | None, size: tuple[int, int] = (120, 40)) -> tuple[Any, str]:
    """Walk `scenario`, answer its one question with `value` (None: Esc, the default): the report and the breadcrumb."""
    app, _m = walk_app(lab, scenario)
    async with app.run_test(size=size) as pilot:
        screen = app.walk_screen()  # the question may already be on screen over it
        assert isinstance(screen, WalkScreen)
        dialog = await question_on_screen(pilot, app)
        if value is None:
            await pilot.press("escape")
        else:
            await choose(pilot, dialog, value)
        await wait_for_walk(pilot, screen)
        await pilot.pause(0.2)
        crumb = screen.query_one("#breadcrumb", Static)
        assert crumb.display, "the path taken stays visible"
        return screen.state.report, plain(crumb)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


# each question, each answer ------------------------------------------------------------------------


async def test_hosts_question_shows_its_evidence_and_a_default(lab: Lab) -> None:
    app, _m = walk_app(lab, "hosts-override")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await question_on_screen(pilot, app)
        assert dialog.question.id is QuestionId.HOSTS
        text = screen_text(dialog)
        assert "127.0.0.24 moved.example.test" in text and "127.0.0.23" in text, "the evidence is beside the question"
        choices = dialog.query_one(OptionList)
        assert choices.highlighted == 0 and "●" in str(choices.get_option_at_index(0).prompt), "the default is marked"
        assert "waiting for your answer" in plain(app.screen_stack[-2].query_one("#status-line", Static))
        await pilot.press("escape")
        await wait_for_walk(pilot, app.screen_stack[-1])  # type: ignore[arg-type]


async def test_l_switches_the_language_while_a_question_is_asked(lab: Lab) -> None:
    """A modal dialog stops the app's keys: the question has its own `l`, and keeps the highlight."""
    app, _m = walk_app(lab, "hosts-override")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await question_on_screen(pilot, app)
        await pilot.press("down")
        await pilot.press("l")
        await pilot.pause(0.2)
        assert app.screen is dialog
        assert "hosts 文件与 DNS 不一致" in screen_text(dialog) and "127.0.0.24 moved.example.test" in screen_text(dialog)
        assert dialog.query_one(OptionList).highlighted == 1 and app.focused is dialog.query_one(OptionList)
        assert "等待你的回答" in plain(app.screen_stack[-2].query_one("#status-line", Static)), "the walk under it too"
        await pilot.press("l")
        await pilot.pause(0.2)
        assert "The hosts file and DNS disagree" in screen_text(dialog)
        await pilot.press("enter")
        screen = app.walk_screen()
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen)
        assert screen.state.report is not None and screen.state.report.path[-1].value == "intended"


async def test_a_question_asked_while_screen_sharing_shows_placeholders(lab: Lab) -> None:
    """Redaction covers the dialog's evidence (the hosts line comes before its step's result) and the
    status line under it (the dialog suspends the walk screen, which must not drop its filter)."""
    app, _m = walk_app(lab, "hosts-override", redact=True)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await question_on_screen(pilot, app)
        await pilot.pause(0.2)
        status = plain(app.screen_stack[-2].query_one("#status-line", Static))
        shown = screen_text(dialog) + "\n" + status
        assert "waiting for your answer" in status
        for real in ("moved.example.test", "127.0.0.24", "127.0.0.23"):
            assert real not in shown, f"{real} shows while screen sharing"
        assert "hosts file line" in shown
        await pilot.press("escape")
        await wait_for_walk(pilot, app.screen)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "verdict", "top"),
    [(None, "problem", "TLS-1008"), ("stale", "problem", "TLS-1008"), ("intended", "problem", "TLS-1002"), ("dns", "ok", None)],
)
async def test_each_hosts_answer_changes_the_verdict_or_the_fix(lab: Lab, value: str | None, verdict: str, top: str | None) -> None:
    report, crumb = await answered_walk(lab, "hosts-override", value)
    assert report is not None and report.verdict == verdict
    assert (report.diagnosis[0].kb_id if report.diagnosis else None) == top
    assert "3 " in crumb
    said = {None: "not known whether", "stale": "line is stale", "intended": "line is intended", "dns": "uses DNS"}[value]
    assert said in crumb
    assert report.path[-1].by is (AnsweredBy.DEFAULT if value is None else AnsweredBy.USER)


@pytest.mark.parametrize(("value", "verdict", "top"), [("127.0.0.21", "ok", None), ("127.0.0.22", "problem", "TLS-1002"), ("intermittent", "problem", "TLS-1007")])
async def test_each_address_answer_changes_the_verdict_or_the_fix(lab: Lab, value: str, verdict: str, top: str | None) -> None:
    report, crumb = await answered_walk(lab, "divergent", value)
    assert "4 " in crumb
    assert report is not None and report.verdict == verdict
    assert (report.diagnosis[0].kb_id if report.diagnosis else None) == top
    assert report.path[-1].value == value


async def test_client_certificate_question_loads_a_file_typed_with_completion(lab: Lab) -> None:
    cert, key = lab.client_files(tag="pilot")
    app, _m = walk_app(lab, "mtls-required")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()
        dialog = await question_on_screen(pilot, app)
        assert dialog.question.id is QuestionId.CLIENT_CERT
        await choose(pilot, dialog, "load")
        field = dialog.query_one("#question-cert", Input)
        assert dialog.files_shown and app.focused is field
        suggestion = await PathSuggester().get_suggestion(str(cert)[:-2])
        assert suggestion == str(cert), "the path completes from the file system"
        field.value = str(cert)
        dialog.query_one("#question-key", Input).value = str(key)
        await pilot.press("enter")
        await wait_for_walk(pilot, screen)  # type: ignore[arg-type]
        report = screen.state.report  # type: ignore[attr-defined]
        assert report.verdict == "ok" and "mtls-cert-required" not in {f.code.value for f in report.findings}
        assert str(cert) in plain(screen.query_one("#breadcrumb", Static))


async def test_a_certificate_that_does_not_load_is_asked_again_whole_at_80x24(lab: Lab, tmp_path: Path) -> None:
    """Asked again: the reason, the path typed before, the fields in the answers' place and the hint
    on screen (at 80×24 the fields used to push the hint and the password off the dialog)."""
    missing = str(tmp_path / "client-prod.pem")
    app, _m = walk_app(lab, "mtls-required")
    async with app.run_test(size=SMALL) as pilot:
        dialog = await question_on_screen(pilot, app)
        await choose(pilot, dialog, "load")
        assert not dialog.query_one(OptionList).display and "Esc goes back" in plain(dialog.query_one("#question-hint", Static))
        dialog.query_one("#question-cert", Input).value = missing
        await pilot.press("enter")
        again = dialog
        for _ in range(100):
            if isinstance(app.screen, QuestionDialog) and app.screen is not dialog:
                again = app.screen
                break
            await pilot.pause(0.05)
        assert again is not dialog, "the question is asked again"
        await pilot.pause(0.2)
        assert again.question.error and "client-prod.pem" in screen_text(again)
        field = again.query_one("#question-cert", Input)
        assert field.value == missing and app.focused is field, "the path typed before, ready to correct"
        for part in ("#question-error", "#question-cert", "#question-password", "#question-hint"):
            region = again.query_one(part).region
            assert region.height >= 1 and region.bottom <= SMALL[1], f"{part} is cut off at 80×24"
        assert field.region.height == 1
        await pilot.press("escape")  # back to the answers
        assert again.query_one(OptionList).display and app.focused is again.query_one(OptionList)
        await pilot.press("escape")  # the default: go on without
        screen = app.walk_screen()
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen)
        assert screen.state.report is not None and screen.state.report.diagnosis[0].kb_id == "MTLS-2002"


async def test_without_a_client_certificate_the_refusal_stays(lab: Lab) -> None:
    report, _crumb = await answered_walk(lab, "mtls-required", "without")
    assert report is not None and report.diagnosis[0].kb_id == "MTLS-2002"


async def test_the_start_question_and_the_client_question_pick_java_fixes(lab: Lab) -> None:
    options = lab.options_for("untrusted-root")
    app = TlsDoctorApp(None, lang="en", guided=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # a client says the name does not match
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.answers["start"].value == "name"
        # the form is what the user types; the lab's own DNS, hosts file and root come along
        await app.switch_screen(WalkScreen(type(options)(**{**options.__dict__, "answers": form.answers})))
        screen = app.walk_screen()
        dialog = await question_on_screen(pilot, app)
        assert dialog.question.id is QuestionId.CLIENT
        await choose(pilot, dialog, "java")
        await wait_for_walk(pilot, screen)  # type: ignore[arg-type]
        report = screen.state.report  # type: ignore[attr-defined]
        commands = [c for w in report.diagnosis[0].workarounds for c in w.commands]
        assert any(c.startswith("keytool") for c in commands) and not any("NODE_EXTRA_CA_CERTS" in c for c in commands)
        crumb = plain(screen.query_one("#breadcrumb", Static))
        assert "the name does not match" in crumb and "the failing client is Java" in crumb


async def test_the_start_screen_footer_shows_each_key_once_and_l_switches() -> None:
    app = TlsDoctorApp(None, lang="en", guided=True)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, StartScreen)
        shown = [str(b.binding.description) for b in app.screen.active_bindings.values() if b.binding.show]
        assert len(shown) == len(set(shown)), f"a key twice in the footer: {shown}"
        await pilot.press("l")
        await pilot.pause(0.2)
        assert "出了什么问题" in plain(app.screen.query_one("#status-line", Static))


async def test_a_pasted_error_fills_the_host_and_the_client() -> None:
    app = TlsDoctorApp(None, lang="en", guided=True)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one(OptionList).highlighted = 2
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExplainDialog) and dialog.guided
        dialog.query_one("#pasted").text = "x509: certificate is valid for other.example.test, not api.example.test"
        await pilot.click("#check-host")
        await pilot.pause(0.2)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#f-target", Input).value == "api.example.test"
        assert form.answers["client"].value == "go" and form.answers["client"].by is AnsweredBy.PASTED


async def test_certificate_files_are_judged_offline(lab: Lab, tmp_path: Path) -> None:
    issued = lab.pki.leaf(dns=["other.example.test"])
    cert = tmp_path / "server.pem"
    cert.write_bytes(issued.cert_pem)
    app = TlsDoctorApp(None, lang="en", guided=True)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one(OptionList).highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OfflineScreen)
        app.screen.query_one("#o-cert", Input).value = str(cert)
        app.screen.query_one("#o-ca", Input).value = str(lab.ca_file)
        app.screen.query_one("#o-host", Input).value = "api.example.test"
        await pilot.click("#offline-check")
        for _ in range(100):
            if isinstance(app.screen, WalkScreen) and app.screen.state.report is not None:
                break
            await pilot.pause(0.05)
        screen = app.walk_screen()  # the question may already be on screen over it
        assert isinstance(screen, WalkScreen) and screen.state.report is not None
        assert "hostname-mismatch" in {f.code.value for f in screen.state.report.findings}
        assert "certificate files" in plain(screen.query_one("#breadcrumb", Static))


# re-run and compare -------------------------------------------------------------------------------


async def test_rerun_after_a_fix_shows_what_changed(lab: Lab, tmp_path: Path) -> None:
    wrong = VHost.of(lab.pki.leaf(dns=["other.example.test"]))
    fixed = VHost.of(lab.pki.leaf(dns=["fix.example.test"]))
    server = TlsServer(wrong, address="127.0.0.40").start()
    port = server.port
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.40 fix.example.test\n", encoding="utf-8")
    options = build_request(
        f"fix.example.test:{port}", nameservers=[str(lab.nameserver())], hosts_file=str(hosts),
        ca_files=[str(lab.ca_file)], timeout=2.0, use_system_store=False,
    )  # fmt: skip
    app = TlsDoctorApp(options, lang="en", export_dir=tmp_path)
    try:
        async with app.run_test(size=SMALL) as pilot:
            screen = app.screen
            assert isinstance(screen, WalkScreen)
            await wait_for_walk(pilot, screen)
            assert screen.state.report is not None and screen.state.report.verdict == "problem"
            assert screen.state.report.comparison is None, "a first run has nothing to compare with"
            server.stop()  # the fix: the same address and port now serve the right certificate
            server = TlsServer(fixed, address="127.0.0.40", port=port).start()
            await pilot.press("r")
            await pilot.pause()
            await wait_for_walk(pilot, screen)
            await pilot.pause(0.2)
            report = screen.state.report
            assert report is not None and report.verdict == "ok"
            comparison = report.comparison
            assert comparison is not None and [c.code for c in comparison.resolved] == ["hostname-mismatch"]
            assert comparison.verdict_before == "problem" and not comparison.new
            card = screen_text(screen.query_one("#verdict"))
            assert screen.query_one("#verdict").display and "since the last run" in card and "resolved" in card
            assert "hostname-mismatch" in card
            written = app.export_report("json", tmp_path / "after.json")
            assert written is not None
            data = json.loads(written.read_text(encoding="utf-8"))
            assert data["since_last_run"]["resolved"][0]["code"] == "hostname-mismatch"
            assert "Since the last run" in (screen.report_markdown() or "")
    finally:
        server.stop()


async def test_rerun_keeps_the_answers_and_asking_again_asks(lab: Lab) -> None:
    app, _m = walk_app(lab, "hosts-override")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()  # the question may already be on screen over it
        assert isinstance(screen, WalkScreen)
        await wait_for_walk(pilot, screen, answers={"hosts": "dns"})
        await pilot.press("r")
        await pilot.pause()
        await wait_for_walk(pilot, screen, answers={})  # a question now would be answered with the default
        report = screen.state.report
        assert report is not None and report.path[-1].value == "dns" and report.path[-1].by is AnsweredBy.EARLIER
        assert report.comparison is not None and not report.comparison.changed
        screen.action_rerun_asking()
        dialog = await question_on_screen(pilot, app)
        assert dialog.question.id is QuestionId.HOSTS
        await pilot.press("escape")
        await wait_for_walk(pilot, screen)
