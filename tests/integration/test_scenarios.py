"""Each lab scenario, checked with `tlsdoctor check … --format json` against the lab's own DNS,
yields the finding a TLS expert would name; a healthy host yields verdict ok and exit 0."""

from __future__ import annotations

import json
import time

import pytest

from tlsdoctor.cli import main
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.lab.scenarios import HOSTILE_CN, SCENARIOS


def check_json(lab: Lab, scenario_id: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["check", *lab.command_line(scenario_id), "--format", "json", "--timeout", "2", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def error_codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"] if f["severity"] in ("error", "warning")}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_scenario_yields_the_expected_finding(lab: Lab, scenario, capsys) -> None:
    code, report = check_json(lab, scenario.id, capsys)
    found = error_codes(report)
    assert set(scenario.expect) <= found, (scenario.id, found)
    if scenario.expect:
        assert report["diagnosis"], "a broken setup must produce a diagnosis"
    if any(f["severity"] == "error" for f in report["findings"]):
        assert code == 1 and report["verdict"] == "problem"
    else:
        assert code == 0 and report["verdict"] == "ok"


def test_healthy_host_is_ok_with_no_findings(lab: Lab, capsys) -> None:
    code, report = check_json(lab, "healthy", capsys)
    assert code == 0
    assert report["verdict"] == "ok"
    assert error_codes(report) == set()
    assert [s["id"] for s in report["steps"]] == ["target", "dns", "hosts", "fetch", "names", "chain", "client"]


def test_wrong_host_ranks_tls_1002_first_with_real_names(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "wrong-host", capsys)
    top = report["diagnosis"][0]
    assert top["kb_id"] == "TLS-1002"
    assert [w["success_rate"] for w in top["workarounds"]] == [0.95, 0.85]
    assert sorted(d["fail_rate"] for d in top["dead_ends"]) == [0.3, 0.4, 0.7]
    commands = " ".join(c for w in top["workarounds"] for c in w["commands"])
    assert "wrong.example.test" in commands
    names = next(s for s in report["steps"] if s["id"] == "names")["data"]
    assert names["closest"]["value"] in ("other.example.test", "www.other.example.test")


def test_wildcard_apex_explains_the_apex(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "wildcard-apex", capsys)
    finding = next(f for f in report["findings"] if f["code"] == "hostname-mismatch")
    assert "*.wild.test" in json.dumps(finding["evidence"])


def test_incomplete_chain_is_told_apart_and_aia_is_fetched(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "incomplete-chain", capsys)
    assert "chain-incomplete" in error_codes(report)
    assert "chain-untrusted" not in error_codes(report)
    chain = next(s for s in report["steps"] if s["id"] == "chain")["data"]
    assert chain["aia"], "the intermediate should have been fetched from the AIA URL"
    assert lab.aia.requests, "the lab's AIA server was asked"


def test_offline_does_not_fetch_aia(lab: Lab, capsys) -> None:
    before = len(lab.aia.requests)
    _code, report = check_json(lab, "incomplete-chain", capsys, "--offline")
    assert "chain-incomplete" in error_codes(report)
    assert len(lab.aia.requests) == before


def test_hosts_override_shows_where_the_client_really_goes(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "hosts-override", capsys)
    hosts = next(s for s in report["steps"] if s["id"] == "hosts")["data"]
    assert hosts["source"] == "hosts"
    assert hosts["used_addresses"] == ["127.0.0.24"]
    assert hosts["dns_addresses"] == ["127.0.0.23"]


def test_divergent_addresses_are_both_probed(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "divergent", capsys)
    fetch = next(s for s in report["steps"] if s["id"] == "fetch")["data"]
    assert sorted(fetch["addresses"]) == ["127.0.0.21", "127.0.0.22"]


def test_certificate_text_appears_in_json_exactly(lab: Lab, capsys) -> None:
    _code, report = check_json(lab, "hostile-text", capsys)
    names = next(s for s in report["steps"] if s["id"] == "names")["data"]
    assert HOSTILE_CN in names["common_names"]


def test_text_output_makes_hostile_text_inert(lab: Lab, capsys) -> None:
    main(["check", *lab.command_line("hostile-text"), "--timeout", "2"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31mred" in out
    assert "[bold]x[/bold]" in out


def test_black_hole_ends_within_twice_the_timeout(lab: Lab, capsys) -> None:
    start = time.monotonic()
    code = main(["check", *lab.command_line("black-hole"), "--timeout", "2", "--format", "json"])
    elapsed = time.monotonic() - start
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert "connect-timeout" in error_codes(report)
    assert elapsed < 4.5, elapsed


def test_resolve_pin_wins_over_dns(lab: Lab, capsys) -> None:
    run = lab.run("healthy")
    lab.run("wrong-host")
    pin = f"{run.scenario.host}:{run.port}:127.0.0.11"  # the wrong-host server's address
    code, report = check_json(lab, "healthy", capsys, "--resolve", pin)
    hosts = next(s for s in report["steps"] if s["id"] == "hosts")["data"]
    assert hosts["source"] == "resolve"
    # the wrong-host server listens on another port, so the pinned address refuses or differs
    assert code == 1


def test_check_in_chinese_prints_chinese(lab: Lab, capsys) -> None:
    main(["check", *lab.command_line("wrong-host"), "--timeout", "2", "--lang", "zh"])
    out = capsys.readouterr().out
    assert "主机名" in out or "证书" in out
