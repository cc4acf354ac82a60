"""SVG snapshots at 80×24, in English and Chinese, of the guided walk asking a question.

Deterministic: the walk under the dialog is the recorded walk of
test_app_snapshots (fixed target, time and results), and the question is built
by the engine's own `hosts_question` from a fixed hosts line and DNS answer.
Update with `pytest tests/app/test_app_questions_snapshots.py --snapshot-update`
and look at each picture before accepting it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_app_snapshots import replay_app

from tlsdoctor.analysis.hosts import hosts_view, parse_hosts
from tlsdoctor.app.screens.question import QuestionDialog
from tlsdoctor.i18n import set_language
from tlsdoctor.questions import hosts_question


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def _hosts_dialog() -> QuestionDialog:
    entries = parse_hosts("127.0.0.1 localhost\n10.0.0.24 wrong.example.test  # old server, pinned by hand\n")
    question = hosts_question(hosts_view(entries, "wrong.example.test", ("10.0.0.23",), "/etc/hosts"))
    assert question is not None
    return QuestionDialog(question)


async def _ask_hosts(pilot: Any) -> None:
    await pilot.pause(0.2)
    await pilot.app.push_screen(_hosts_dialog())
    await pilot.pause(0.2)
    await pilot.press("down")  # the reader's eye moves off the default: both marks must show
    await pilot.pause(0.1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hosts_question_at_80x24(snap_compare: Any, lang: str) -> None:
    """The hosts question over the walk at 80×24: a bordered dialog saying
    "step 3/8 Hosts file", the question "The hosts file and DNS disagree. Which
    does the failing client use?" in bold, its evidence literally ("hosts file
    line: 2: 10.0.0.24 wrong.example.test  # old server, pinned by hand" and
    "DNS answers: 10.0.0.23"), the four answers with ● before the default ("I
    don't know: …") and the second answer highlighted, and the hint "Enter
    answers · Esc takes the default (●)" whole; in zh every word Chinese
    (hosts 文件与 DNS 不一致…, 默认) with the evidence unchanged, nothing cut
    off, no line starting with closing punctuation."""
    assert snap_compare(replay_app(lang), terminal_size=(80, 24), run_before=_ask_hosts)
