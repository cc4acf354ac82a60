"""The walk's questions against the lab's real servers: each answer, sent from a dict, changes the
verdict or the fixes; `check` never asks (no standard input) and takes `--answer`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tlsdoctor.demo import DemoLab
from tlsdoctor.diagnosis import Report
from tlsdoctor.facts.questions import Answer, AnsweredBy, Question, QuestionId
from tlsdoctor.render.markdown import render_markdown
from tlsdoctor.render.text import render_text
from tlsdoctor.walk import run_walk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lab() -> Iterator[DemoLab]:
    with DemoLab() as running:
        yield running


def walk(lab: DemoLab, scenario: str, given: Mapping[str, Answer | str], asked: list[Question] | None = None, **kw: Any) -> Report:
    """Walk a scenario, answering each question from `given` (a missing one: no answer, the default)."""

    async def ask(question: Question) -> Answer | None:
        if asked is not None:
            asked.append(question)
        answer = given.get(question.id)
        return Answer(answer) if isinstance(answer, str) else answer

    return asyncio.run(run_walk(lab.options_for(scenario, timeout=2.0, **kw), ask))


def codes(report: Report, severity: str = "error") -> set[str]:
    return {f.code.value for f in report.findings if f.severity.value == severity}


def top(report: Report) -> str | None:
    return report.diagnosis[0].kb_id if report.diagnosis else None


# hosts file and DNS disagree ----------------------------------------------------------------------


def test_hosts_answers_change_the_verdict_and_the_top_fix(lab: DemoLab) -> None:
    asked: list[Question] = []
    unknown = walk(lab, "hosts-override", {}, asked)
    assert [q.id for q in asked] == [QuestionId.HOSTS]
    assert asked[0].evidence[-1].value == "127.0.0.23", "DNS's answer is beside the question"
    assert top(unknown) == "TLS-1008" and "hosts-override" in codes(unknown, "warning")
    stale = walk(lab, "hosts-override", {"hosts": "stale"})
    assert "hosts-override" in codes(stale) and top(stale) == "TLS-1008"
    intended = walk(lab, "hosts-override", {"hosts": "intended"})
    assert top(intended) == "TLS-1002", "an intended line: the server it points at needs the right certificate"
    assert "hosts-override" not in codes(intended) | codes(intended, "warning")
    dns = walk(lab, "hosts-override", {"hosts": "dns"})
    assert dns.verdict == "ok" and not dns.diagnosis, "DNS's address serves a good certificate"
    names = dns.step(dns.steps[4].step)
    assert names is not None and names.data.addresses[0].address in ("127.0.0.23", "127.0.0.24")
    assert [a.value for a in dns.path] == ["dns"] and dns.path[0].by is AnsweredBy.USER


# addresses serve different certificates ---------------------------------------------------------


def test_address_answers_change_the_verdict(lab: DemoLab) -> None:
    asked: list[Question] = []
    walk(lab, "divergent", {}, asked)
    (question,) = asked
    assert [c.value for c in question.choices] == ["127.0.0.21", "127.0.0.22", "intermittent", "unknown"]
    assert "old-pool.example.test" in question.choice("127.0.0.22").detail  # type: ignore[union-attr]
    good = walk(lab, "divergent", {"address": "127.0.0.21"})
    assert good.verdict == "ok", "the node this client reaches is fine: the name is not why it fails"
    bad = walk(lab, "divergent", {"address": "127.0.0.22"})
    assert top(bad) == "TLS-1002" and "hostname-mismatch" in codes(bad) and "ip-divergent-certs" not in codes(bad)
    flaky = walk(lab, "divergent", {"address": "intermittent"})
    assert top(flaky) == "TLS-1007"
    (divergent,) = [f for f in flaky.findings if f.code.value == "ip-divergent-certs"]
    assert divergent.evidence["answer"] == "intermittent" and divergent.evidence["leads"]


# a client certificate is asked for -------------------------------------------------------------------


def test_loading_a_client_certificate_changes_the_verdict(lab: DemoLab) -> None:
    cert, key = lab.client_files(tag="q-good")
    stranger = lab.client_files(pki=lab.stranger, tag="q-stranger")
    without = walk(lab, "mtls-required", {})
    assert "mtls-cert-required" in codes(without) and without.path[-1].value == "without"
    loaded = walk(lab, "mtls-required", {"client-cert": Answer("load", cert_file=str(cert), key_file=str(key))})
    assert loaded.verdict == "ok" and str(cert) in loaded.path[-1].detail
    unknown_ca = walk(lab, "mtls-required", {"client-cert": Answer("load", cert_file=str(stranger[0]), key_file=str(stranger[1]))})
    assert "mtls-unknown-ca" in codes(unknown_ca) and top(unknown_ca) == "MTLS-2003"


def test_a_file_that_does_not_load_is_asked_for_again_with_the_reason(lab: DemoLab, tmp_path: Path) -> None:
    asked: list[Question] = []
    report = walk(lab, "mtls-required", {"client-cert": Answer("load", cert_file=str(tmp_path / "missing.pem"))}, asked)
    assert [q.error is not None for q in asked] == [False, True, True]
    assert "missing.pem" in (asked[1].error or "")
    assert report.path[-1].value == "without" and report.path[-1].by is AnsweredBy.DEFAULT


# which client fails (the guided intake) ------------------------------------------------------------


def test_the_client_answer_picks_the_fixes(lab: DemoLab) -> None:
    asked: list[Question] = []
    start = {"start": Answer("name", by=AnsweredBy.USER)}
    java = walk(lab, "untrusted-root", {"client": "java"}, asked, answers=start)
    assert asked[0].id is QuestionId.CLIENT
    commands = [c for w in java.diagnosis[0].workarounds for c in w.commands]
    assert any(c.startswith("keytool") for c in commands) and not any("NODE_EXTRA_CA_CERTS" in c for c in commands)
    node = walk(lab, "untrusted-root", {"client": "node"}, answers=start)
    commands = [c for w in node.diagnosis[0].workarounds for c in w.commands]
    assert any("NODE_EXTRA_CA_CERTS" in c for c in commands) and not any(c.startswith("keytool") for c in commands)
    assert java.clients is not None and java.clients.to_json()["asked"] == ["java"]
    assert [a.question.value for a in java.path] == ["start", "client"]


def test_tlsdoctor_host_without_the_intake_does_not_ask_which_client(lab: DemoLab) -> None:
    asked: list[Question] = []
    walk(lab, "wrong-host", {}, asked)
    assert asked == []


# every export carries the path taken -------------------------------------------------------------


def test_text_markdown_and_json_carry_the_path_taken(lab: DemoLab) -> None:
    report = walk(lab, "hosts-override", {"hosts": "intended"}, clients=("java",))
    text, md, data = render_text(report), render_markdown(report), report.to_json()
    assert "The user said: the failing client is Java; the hosts file line is intended." in text
    assert "Path taken" in md and "intended" in md
    assert [(p["question"], p["answer"], p["by"]) for p in data["path"]] == [("client", "java", "option"), ("hosts", "intended", "user")]
    assert data["path"][1]["step"] == "hosts" and data["path"][1]["evidence"][-1] == {"label": "DNS answers", "value": "127.0.0.23"}


# check never asks ---------------------------------------------------------------------------------


def _check(lab: DemoLab, scenario: str, *extra: str) -> tuple[int, str, str]:
    args = [*lab.command_line(scenario), "--timeout", "2", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tui")}
    done = subprocess.run(
        [sys.executable, "-m", "tlsdoctor", "check", *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, env=env
    )
    return done.returncode, done.stdout, done.stderr


def test_check_never_asks_and_takes_answers_as_options(lab: DemoLab) -> None:
    code, out, _err = _check(lab, "hosts-override", "--format", "json")
    data = json.loads(out)
    assert code == 1 and [(p["question"], p["by"]) for p in data["path"]] == [("hosts", "default")]
    code, out, _err = _check(lab, "hosts-override", "--format", "json", "--answer", "hosts=dns")
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "ok" and data["path"][0]["by"] == "option"
    code, _out, err = _check(lab, "hosts-override", "--answer", "hosts=perhaps")
    assert code == 2 and err.count("\n") == 1 and "--answer" in err
