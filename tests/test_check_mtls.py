"""`tlsdoctor check` with a client certificate, end to end against the lab's strict mTLS server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tlsdoctor.cli import main
from tlsdoctor.lab.scenarios import Lab


def run(lab: Lab, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, str]:
    code = main(["check", *lab.command_line("mtls-required"), "--format", "json", "--timeout", "2", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out), out


def codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"] if f["severity"] == "error"}


def test_without_client_certificate_the_server_requirement_is_named(lab: Lab, capsys) -> None:
    code, report, _ = run(lab, capsys)
    assert code == 1
    assert "mtls-cert-required" in codes(report)
    assert report["diagnosis"][0]["kb_id"].startswith("MTLS-")


def test_right_client_certificate_is_accepted(lab: Lab, capsys) -> None:
    cert, key = lab.client_files()
    code, report, _ = run(lab, capsys, "--client-cert", str(cert), "--client-key", str(key), "--expect-client-identity", "client-prod.example.test")
    client = next(s for s in report["steps"] if s["id"] == "client")
    assert client["status"] == "ok", client["findings"]
    assert code == 0 and report["verdict"] == "ok"


def test_staging_certificate_where_prod_is_expected(lab: Lab, capsys) -> None:
    cert, key = lab.client_files(name="client-staging.example.test")
    code, report, _ = run(
        lab, capsys, "--client-cert", str(cert), "--client-key", str(key), "--expect-client-identity", r"^CN=client-prod\.example\.test"
    )
    assert code == 1
    assert "mtls-identity-mismatch" in codes(report)


def test_key_that_does_not_match_is_found_and_never_printed(lab: Lab, capsys, tmp_path: Path) -> None:
    cert, _key = lab.client_files()
    _other_cert, other_key = lab.client_files(name="someone-else.example.test")
    code, report, out = run(lab, capsys, "--client-cert", str(cert), "--client-key", str(other_key))
    assert "mtls-key-mismatch" in codes(report)
    key_lines = [l for l in other_key.read_text().splitlines() if l and not l.startswith("-----")]
    assert not any(line in out for line in key_lines)
