"""Regenerate screenshots/*.svg from the real app, in English and Chinese.

Runs the real walks against the lab's loopback servers (`tlsdoctor.demo.DemoLab`),
drives the app with Textual's pilot, and saves each main screen with
`App.export_screenshot` (Chinese text widths fixed: Rich issue #2742).

    PYTHONPATH=tui python scripts/screenshots.py [--out screenshots] [--size 140x42]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))

from tlsdoctor.app.main import TlsDoctorApp, fix_cjk_svg
from tlsdoctor.app.screens import ExplainDialog, WalkScreen
from tlsdoctor.app.screens.question import QuestionDialog
from tlsdoctor.app.widgets import StepList
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId

PASTED_ERROR = (
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'wrong.example.test'\n"
    "More details here: https://curl.se/docs/sslcerts.html"
)


async def _walk_done(pilot: Any, app: TlsDoctorApp) -> WalkScreen:
    """The walk screen once its walk has ended; a question asked on the way takes its default
    (Esc), as `check` does (the divergent scenario asks which address the client reaches)."""
    screen = app.walk_screen()
    assert screen is not None
    answered: set[int] = set()
    for _ in range(300):
        if screen.state.report is not None or screen.state.error or screen.state.cancelled:
            break
        dialog = app.screen
        if isinstance(dialog, QuestionDialog) and id(dialog) not in answered and dialog.query("#question-choices"):
            answered.add(id(dialog))
            dialog.action_take_default()
        await pilot.pause(0.05)
    await pilot.pause(0.2)
    return screen


def _select(step: StepId) -> Callable[[Any, TlsDoctorApp], Awaitable[None]]:
    async def go(pilot: Any, app: TlsDoctorApp) -> None:
        screen = await _walk_done(pilot, app)
        screen.query_one(StepList).select_step(step)
        await pilot.pause(0.2)

    return go


async def _explain(pilot: Any, app: TlsDoctorApp) -> None:
    app.action_explain()
    await pilot.pause(0.2)
    dialog = app.screen
    assert isinstance(dialog, ExplainDialog)
    from textual.widgets import TextArea

    dialog.query_one(TextArea).text = PASTED_ERROR
    await dialog.action_explain()
    await pilot.pause(0.2)


async def _knowledge(pilot: Any, app: TlsDoctorApp) -> None:
    app.action_knowledge("TLS-1002")
    await pilot.pause(0.5)


def _seed_walk(lab: Lab, lang: str) -> TlsDoctorApp:
    """The mTLS seed's case, with the lab server's log read at the end of the walk (as the demo does)."""
    options = lab.options_for("mtls-identity", lang=lang)
    return TlsDoctorApp(options, lang=lang, server_log=lambda: lab.server_log("mtls-identity"))


async def _nothing(pilot: Any, app: TlsDoctorApp) -> None:
    await pilot.pause(0.3)


async def _question(pilot: Any, app: TlsDoctorApp) -> None:
    """The walk pauses at step 3 and asks (the hosts file and DNS disagree): the dialog over the walk."""
    for _ in range(300):
        if isinstance(app.screen, QuestionDialog):
            break
        await pilot.pause(0.05)
    assert isinstance(app.screen, QuestionDialog), "the hosts-override walk asked no question"
    await pilot.pause(0.3)


SHARED_CALL = (80, 24)  # the screen of a shared call (issue 11)


async def _walk_only(pilot: Any, app: TlsDoctorApp) -> None:
    await _walk_done(pilot, app)


async def shoot(out: Path, size: tuple[int, int]) -> list[Path]:
    written: list[Path] = []
    with Lab() as lab:
        plans: list[tuple[str, Callable[[str], TlsDoctorApp], Callable[[Any, TlsDoctorApp], Awaitable[None]]]] = [
            # `tlsdoctor` without a target: what is wrong?
            ("start", lambda lang: TlsDoctorApp(None, lang=lang, guided=True), _nothing),
            ("form", lambda lang: TlsDoctorApp(None, lang=lang), _nothing),
            ("demo-picker", lambda lang: TlsDoctorApp(None, lang=lang, demo=True, lab=lab), _nothing),
            ("walk-names", lambda lang: TlsDoctorApp(lab.options_for("wrong-host", lang=lang), lang=lang), _select(StepId.NAMES)),
            ("walk-diagnosis", lambda lang: TlsDoctorApp(lab.options_for("wrong-host", lang=lang), lang=lang), _select(StepId.DIAGNOSIS)),
            ("walk-fetch", lambda lang: TlsDoctorApp(lab.options_for("divergent", lang=lang), lang=lang), _select(StepId.FETCH)),
            ("walk-chain", lambda lang: TlsDoctorApp(lab.options_for("incomplete-chain", lang=lang, offline=True), lang=lang), _select(StepId.CHAIN)),
            # the hosts file and DNS disagree: which does the failing client use?
            ("question-hosts", lambda lang: TlsDoctorApp(lab.options_for("hosts-override", lang=lang), lang=lang), _question),
            ("explain", lambda lang: TlsDoctorApp(None, lang=lang), _explain),
            ("knowledge", lambda lang: TlsDoctorApp(None, lang=lang), _knowledge),
            # at 80×24, as the walk ends, no key pressed: the card says what, why and what to run
            ("walk-80x24", lambda lang: TlsDoctorApp(lab.options_for("wrong-host", lang=lang), lang=lang), _walk_only),
            ("walk-mtls-identity-80x24", lambda lang: _seed_walk(lab, lang), _walk_only),
        ]
        for name, make, drive in plans:
            for lang in ("en", "zh"):
                app = make(lang)
                async with app.run_test(size=SHARED_CALL if name.endswith("80x24") else size) as pilot:
                    await pilot.pause(0.2)
                    await drive(pilot, app)
                    svg = fix_cjk_svg(app.export_screenshot(title=f"tlsdoctor — {name} ({lang})"))
                path = out / f"{name}-{lang}.svg"
                path.write_text(svg, encoding="utf-8")
                written.append(path)
                print(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    parser.add_argument("--size", default="140x42", help="COLSxROWS")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(out, (cols, rows)))


if __name__ == "__main__":
    main()
