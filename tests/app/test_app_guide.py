"""Issue 11 §2–§5 as a new user meets them: the 80×24 screen of a shared call, every word translated, keys that keep their word.

Real walks against the lab's loopback servers (and one recorded walk for the
layout checks), driven with Textual's pilot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_app import plain, screen_text, wait_for_walk, walk_app
from textual.widgets import Footer, Input, OptionList, Static, TextArea

from tlsdoctor.app.linebreak import CLOSING
from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import ExplainDialog, PickerScreen, WalkScreen
from tlsdoctor.app.screens.export import ExportDialog
from tlsdoctor.app.widgets import CommandLine, DeadEnd, StepList
from tlsdoctor.app.widgets.command import Selectable
from tlsdoctor.app.widgets.message import MessageLine
from tlsdoctor.app.wrapped import Wrapped
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.request import build_request

SMALL = (80, 24)


def selected(screen: WalkScreen) -> list[Selectable]:
    return [w for w in screen.query(Selectable) if w.has_class("-selected")]


def laid_out_lines(widget: Any) -> list[str]:
    """The lines a wrapped widget shows at its current width."""
    visual = widget.content if hasattr(widget, "content") else None
    if not isinstance(visual, Wrapped):
        return plain(widget).split("\n")
    return visual.wrapped(widget.content_region.width).plain.split("\n")


# §2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80x24_verdict_finding_evidence_fix_and_command_need_no_key_press(lab: Lab, lang: str) -> None:
    app, _m = walk_app(lab, "wrong-host", lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        await pilot.pause(0.2)
        height = SMALL[1] - 1  # the footer's row
        card = screen.query_one("#verdict")
        command = screen.query_one("#card-command", CommandLine)
        status = screen.query_one("#status-line", Static)
        for widget in (status, card, command):
            region = widget.region
            assert region.width > 0 and region.bottom <= height, (widget, region)
        text = screen_text(card)
        assert "hostname-mismatch" in text and "TLS-1002" in text
        assert "other.example.test" in text and "wrong.example.test" in text  # the evidence
        assert "certbot certonly" in command.command and command.has_class("-selected")
        # names, paths and commands are never broken inside a word; CJK lines never start with 。，）
        for widget in [*screen.query("#verdict Static"), *screen.query("#evidence-pane Static")]:
            lines = laid_out_lines(widget)
            for line in lines:
                assert not line.strip() or line.strip()[0] not in CLOSING, (line, lines)
            joined = "\n".join(lines)
            for name in ("wrong.example.test", "other.example.test"):
                if name in plain(widget).replace("\n", " "):
                    assert name in joined, (name, lines)
        # all eight steps are on screen
        steps = screen.query_one(StepList)
        assert steps.region.bottom <= height and steps.one_line


async def test_skip_reason_is_whole_at_160_columns(lab: Lab) -> None:
    app, _m = walk_app(lab, "wrong-host")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        steps = screen.query_one(StepList)
        prompt = steps.get_option_at_index(list(StepId).index(StepId.CLIENT)).prompt
        assert isinstance(prompt, Wrapped)
        shown = " ".join(prompt.wrapped(steps.scrollable_content_region.width - 2).plain.split())
        assert "No client certificate was given and the server did not ask for one." in shown
        assert "…" not in shown


async def test_confirmations_go_to_the_message_line_not_over_the_evidence(lab: Lab) -> None:
    app, _m = walk_app(lab, "wrong-host")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        await pilot.press("c")
        await pilot.pause()
        line = screen.query_one(MessageLine)
        assert line.display and line.text.startswith("Copied: certbot")
        assert not app._notifications, "no toast over the diagnosis"


# §3 -----------------------------------------------------------------------------------------


async def test_the_mtls_pane_speaks_chinese_not_dict_keys(lab: Lab) -> None:
    app, _m = walk_app(lab, "mtls-required", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.walk_screen()  # the walk may already be asking for a client certificate
        await wait_for_walk(pilot, screen)
        screen.query_one(StepList).select_step(StepId.CLIENT)
        await pilot.pause(0.2)
        text = screen_text(screen.query_one("#evidence-pane"))
        for key in ("server_name", "certificate_requested", "acceptable_client_cas", "error_detail", "ok ", "True"):
            assert key not in text, key
        assert "服务器要求客户端证书" in text and "TLS 握手" in text and "SNI 服务器名" in text


async def test_dns_errors_are_told_from_their_kind_in_chinese(lab: Lab) -> None:
    ns = lab.nameserver()
    options = build_request("nowhere.example.test", nameservers=[str(ns)], hosts_file=str(lab.hosts_file), timeout=2.0, lang="zh")
    app = TlsDoctorApp(options, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        screen.query_one(StepList).select_step(StepId.DNS)
        await pilot.pause(0.2)
        text = screen_text(screen.query_one("#evidence-pane"))
        assert "名称不存在（NXDOMAIN）" in text
        assert "does not exist" not in text and "（nxdomain）" not in text and "(nxdomain)" not in text


@pytest.mark.parametrize(("lang", "words"), [("en", ("palette", "Copy")), ("zh", ("命令面板", "复制"))])
async def test_footer_keys_including_the_palette_are_translated(lab: Lab, lang: str, words: tuple[str, str]) -> None:
    app, _m = walk_app(lab, "wrong-host", lang=lang)
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_for_walk(pilot, app.screen)
        keys = [str(k.description) for k in app.screen.query_one(Footer).query("FooterKey")]
        assert all(word in keys for word in words), keys
        if lang == "zh":
            assert "palette" not in keys


# §4 -----------------------------------------------------------------------------------------


async def test_after_redaction_the_arrow_keys_still_move_through_the_steps(lab: Lab) -> None:
    app, _m = walk_app(lab, "wrong-host")
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        steps = screen.query_one(StepList)
        assert steps.selected_step is StepId.NAMES
        await pilot.press("x")
        await pilot.pause()
        assert screen.state.redact
        assert isinstance(app.focused, StepList)
        await pilot.press("down")
        await pilot.pause()
        assert screen.query_one(StepList).selected_step is StepId.CHAIN
        assert len(selected(screen)) == 1, "the copy selection survives the redraw"


async def test_ctrl_e_explains_while_typing_in_the_dialog() -> None:
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.action_explain()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExplainDialog)
        area = dialog.query_one(TextArea)
        assert app.focused is area
        area.text = "curl: (60) SSL: no alternative certificate subject name matches target host name 'x.example.test'"
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "TLS-1002" in dialog.entries
        assert "curl" in screen_text(dialog)


async def test_c_copies_the_visibly_selected_command_and_the_selection_moves(lab: Lab) -> None:
    app, _m = walk_app(lab, "wrong-host")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        card = screen.query_one("#card-command", CommandLine)
        assert selected(screen) == [card] and "▶" in plain(card)
        await pilot.press("c")
        assert app.clipboard == card.command
        # step 8: move the selection through its commands and onto a dead end
        screen.query_one(StepList).select_step(StepId.DIAGNOSIS)
        await pilot.pause(0.2)
        assert selected(screen) == [card], "the card's command stays selected while it is on screen"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        now = selected(screen)
        assert len(now) == 1 and now[0] is not card and "▶" in plain(now[0]) and "▶" not in plain(card)
        await pilot.press("c")
        assert app.clipboard == now[0].copy_text
        for _ in range(40):
            if isinstance(selected(screen)[0], DeadEnd):
                break
            await pilot.press("right_square_bracket")
            await pilot.pause()
        dead = selected(screen)
        assert len(dead) == 1 and isinstance(dead[0], DeadEnd)
        before = app.clipboard
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == before, "a dead end copies nothing, and never another command"
        assert "dead end" in screen.query_one(MessageLine).text
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert isinstance(selected(screen)[0], CommandLine)


async def test_export_asks_for_the_path_with_a_default_and_never_overwrites(lab: Lab, tmp_path: Path) -> None:
    app, _m = walk_app(lab, "wrong-host", export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_walk(pilot, app.screen)
        app.ask_export("md")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one(Input)
        default = Path(field.value)
        assert default.parent == tmp_path and default.suffix == ".md" and "wrong.example.test" in default.name
        assert not list(tmp_path.glob("*.md")), "nothing is written before the user says where"
        await pilot.press("enter")
        await pilot.pause()
        assert default.exists() and "TLS-1002" in default.read_text(encoding="utf-8")
        # a path that exists is refused, and the next free name is offered
        app.ask_export("md")
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one(Input)
        assert field.value != str(default)
        field.value = str(default)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "never overwritten" in plain(dialog.query_one("#export-error", Static))
        assert field.value != str(default)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert sorted(p.name for p in tmp_path.iterdir()) == [default.name]


async def test_after_esc_the_steps_that_never_ran_say_cancelled(lab: Lab) -> None:
    app = TlsDoctorApp(lab.options_for("black-hole", timeout=10.0), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for _ in range(200):
            if screen.state.running is StepId.FETCH:
                break
            await pilot.pause(0.02)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert screen.state.cancelled
        steps = screen.query_one(StepList)
        for step in (StepId.FETCH, StepId.NAMES, StepId.CHAIN, StepId.CLIENT, StepId.DIAGNOSIS):
            prompt = steps.get_option_at_index(list(StepId).index(step)).prompt
            assert "cancelled" in prompt.plain and "waiting" not in prompt.plain, (step, prompt.plain)
        assert screen.state.status(StepId.DNS) is StepStatus.OK
        steps.select_step(StepId.CHAIN)
        await pilot.pause(0.2)
        pane = screen_text(screen.query_one("#evidence-pane"))
        assert "cancelled" in pane and "waiting" not in pane


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_estimated_rates_say_so_beside_the_figure(lab: Lab, lang: str) -> None:
    """TLS-1002's figures are the seed's own; MTLS-2001's are estimates, and the walk says so."""
    word = "estimate" if lang == "en" else "估计值"
    app, _m = walk_app(lab, "wrong-host", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_walk(pilot, app.screen)
        assert word not in screen_text(app.screen.query_one("#verdict"))
    app, _m = walk_app(lab, "mtls-identity", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for_walk(pilot, screen)
        assert word in screen_text(screen.query_one("#verdict"))
        screen.query_one(StepList).select_step(StepId.DIAGNOSIS)
        await pilot.pause(0.2)
        pane = screen_text(screen.query_one("#evidence-pane"))
        fixes = [line for line in pane.split("\n") if "90%" in line or "85%" in line]
        assert fixes and all(word in line for line in fixes), fixes


# §5 -----------------------------------------------------------------------------------------


async def test_the_demo_shows_the_mtls_seed_case_with_the_servers_log_line(lab: Lab) -> None:
    app = TlsDoctorApp(None, lang="en", demo=True, lab=lab)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        scenarios = picker.query_one("#scenarios", OptionList)
        ids = [scenarios.get_option_at_index(i).id for i in range(scenarios.option_count)]
        assert {"mtls-identity", "mtls-unknown-ca", "mtls-no-intermediate"} <= set(ids)
        scenarios.highlighted = ids.index("mtls-identity")
        await pilot.press("enter")
        await pilot.pause(0.2)
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        await wait_for_walk(pilot, walk)
        card = screen_text(walk.query_one("#verdict"))
        assert "mtls-identity-mismatch" in card and "MTLS-2001" in card
        assert "HTTP 403" in card and "client-prod.example.com" in card and "client-staging.example.com" in card
        assert "mTLS authentication failed: certificate CN 'client-staging.example.com'" in card
        assert walk.query_one(StepList).selected_step is StepId.CLIENT
        pane = screen_text(walk.query_one("#evidence-pane"))
        assert "Server log" in pane and "does not match expected identity 'client-prod.example.com'" in pane
