"""SVG snapshots of the app's main screens, in English and Chinese.

Pictures must be deterministic: the walk screens replay a recorded stream of
engine events (fixed target, fixed time, fixed elapsed times, a names result
computed from a lab certificate, the diagnosis ranked by the real knowledge
base) instead of a live walk, whose ports, keys and timings change every run.
Update with `pytest tests/test_app_snapshots.py --snapshot-update` and look at
each picture before accepting it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.widgets import StepList
from tlsdoctor.findings import StepId, StepStatus, worst_status
from tlsdoctor.i18n import set_language

AT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def recorded_walk(lang: str) -> tuple[Any, list[Any]]:
    """A finished walk of wrong.example.test whose certificate names other.example.test."""
    from tlsdoctor.analysis.names import check_names
    from tlsdoctor.diagnosis import build_report
    from tlsdoctor.facts.steps import (
        StepFinished,
        StepResult,
        StepStarted,
        WalkFinished,
    )
    from tlsdoctor.lab.certs import make_pki
    from tlsdoctor.request import WalkOptions
    from tlsdoctor.target import parse_target
    from tlsdoctor.walk import TargetView

    target = parse_target("wrong.example.test")
    options = WalkOptions(target=target, at=AT, lang=lang)
    leaf = make_pki().leaf(dns=["other.example.test", "www.other.example.test"], cn="other.example.test")
    names = check_names(leaf.cert, target)
    steps = [
        StepResult(StepId.TARGET, StepStatus.OK, TargetView(target, target.sni), elapsed_ms=0.2),
        StepResult(StepId.DNS, StepStatus.OK, None, elapsed_ms=12),
        StepResult(StepId.HOSTS, StepStatus.OK, None, elapsed_ms=1),
        StepResult(StepId.FETCH, StepStatus.OK, None, elapsed_ms=21),
        StepResult(StepId.NAMES, worst_status(names.findings), names, names.findings, elapsed_ms=2),
        StepResult(StepId.CHAIN, StepStatus.OK, None, elapsed_ms=4),
        StepResult(
            StepId.CLIENT,
            StepStatus.SKIPPED,
            skipped_reason="No client certificate was given and the server did not ask for one.",
        ),
    ]
    report = build_report(target, steps, options, AT, elapsed_ms=3)
    events: list[Any] = []
    for result in report.steps:
        events += [StepStarted(result.step), StepFinished(result)]
    events.append(WalkFinished(report))
    return options, events


def replay_app(lang: str) -> TlsDoctorApp:
    options, events = recorded_walk(lang)
    return TlsDoctorApp(options, lang=lang, replay=events)


def select(step: StepId) -> Any:
    async def run_before(pilot: Any) -> None:
        await pilot.pause(0.2)
        pilot.app.screen.query_one(StepList).select_step(step)
        await pilot.pause(0.2)

    return run_before


async def _settle(pilot: Any) -> None:
    await pilot.pause(0.2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_form_at_80x24(snap_compare: Any, lang: str) -> None:
    """The start form at 80×24: a title line, the target field focused with its
    placeholder, the port/CA/client fields below, and the footer with ctrl+s
    Start, l language and ^p palette; in zh the labels in Chinese (when the
    catalog has them) and nothing cut off or overlapping."""
    assert snap_compare(TlsDoctorApp(None, lang=lang), terminal_size=(80, 24), run_before=_settle)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_picker(snap_compare: Any, lang: str) -> None:
    """The demo picker: numbered scenarios (1. Healthy host, 2. Wrong host, …),
    each with a dim line saying what is broken and its host name; the first
    one highlighted; the footer shows enter Run."""
    app = TlsDoctorApp(None, lang=lang, demo=True, lab=object())  # the picker touches the lab only on selection
    assert snap_compare(app, terminal_size=(110, 34), run_before=_settle)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_names_step(snap_compare: Any, lang: str) -> None:
    """The walk screen after a walk of wrong.example.test at 120×40: the status
    line says "✗ problem found · most likely: TLS-1002"; the verdict card (finding,
    evidence, fix 1 and its selected command) across the top; on the left the 8
    numbered steps with "✓ ok 12ms"-style states, 7 skipped with its reason
    whole (not cut with "…"), 5 Names highlighted as "✗ failed"; on the right
    the names evidence: closest SAN other.example.test highlighted, the label
    diff (other vs wrong, ^ marks), every SAN with its verdict in words ("does
    not match", "不匹配" in zh) and reason, and the per-client matrix all
    "✗ rejects" with a translated note."""
    assert snap_compare(replay_app(lang), terminal_size=(120, 40), run_before=select(StepId.NAMES))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_diagnosis_step(snap_compare: Any, lang: str) -> None:
    """Step 8 selected: TLS-1002 ranked first with fix rate, confidence and
    "because: hostname-mismatch", its workarounds with success rates (TLS-1002's
    are the seed's: no "estimate"; TLS-1003's and TLS-1005's say "estimate"
    beside each figure) and "$ …" commands built from wrong.example.test:443,
    and the dead ends set apart by a warning bar with "⚠ dead end (70% fail)";
    in zh the knowledge texts are Chinese."""
    assert snap_compare(replay_app(lang), terminal_size=(120, 40), run_before=select(StepId.DIAGNOSIS))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_at_80x24_needs_no_key_press(snap_compare: Any, lang: str) -> None:
    """The screen of a shared call, as the walk ends (no key pressed): one status
    line "wrong.example.test:443 ✗ problem found · most likely: TLS-1002 · 0.04s";
    under it the verdict card: "finding ✗ hostname-mismatch: …", "evidence the
    certificate holds other.example.test, www.other.example.test / the client
    asked for wrong.example.test", "fix 1 TLS-1002 (95% success) Reissue the
    certificate …" (no "estimate": the seed's own figure) and the command
    "▶ $ certbot certonly --standalone -d wrong.example.test" wrapped before
    "-d other.example.test -d www.other.example.test", selected (▶). Below: the
    eight steps one line each (5 ✗ Names highlighted, 7 "-" skipped) and the
    names evidence. No host name is cut inside (never "other.ex/ample.test"), no
    Chinese line starts with "。" or "，", nothing sits under a toast, and the
    footer starts "c Copy  ] Next command" ("c 复制  ] 下一条命令" in zh) with
    "^p palette" ("^p 命令面板") as an ordinary key."""
    assert snap_compare(replay_app(lang), terminal_size=(80, 24), run_before=select(StepId.NAMES))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_diagnosis_at_80x24(snap_compare: Any, lang: str) -> None:
    """Step 8 at 80×24, the card still on top: the pane lists "1) TLS-1002 …"
    with its rates "fix rate 90% · confidence 87% · score …" (no "estimates":
    seed figures), "because: hostname-mismatch (…)", and the fixes wrapped
    between words. In zh the entry title wraps without a line that starts with
    "：" or "，"."""
    assert snap_compare(replay_app(lang), terminal_size=(80, 24), run_before=select(StepId.DIAGNOSIS))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_knowledge_browser(snap_compare: Any, lang: str) -> None:
    """The knowledge browser open on TLS-1002: a search field and the list of
    entries (id over title) on the left with TLS-1002 highlighted, the entry
    rendered as Markdown on the right (title, rates, root cause), in the
    selected language."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause(0.1)
        pilot.app.action_knowledge("TLS-1002")
        await pilot.pause(0.5)

    assert snap_compare(TlsDoctorApp(None, lang=lang), terminal_size=(120, 36), run_before=run_before)
