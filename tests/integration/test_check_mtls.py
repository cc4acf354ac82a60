"""`tlsdoctor check` with a client certificate, end to end against the lab's strict mTLS server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tlsdoctor.cli import main
from tlsdoctor.demo import DemoLab as Lab


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
    _code, report, out = run(lab, capsys, "--client-cert", str(cert), "--client-key", str(other_key))
    assert "mtls-key-mismatch" in codes(report)
    key_lines = [l for l in other_key.read_text().splitlines() if l and not l.startswith("-----")]
    assert not any(line in out for line in key_lines)


def test_token_and_key_never_appear_and_loose_key_mode_is_warned(lab: Lab, capsys, tmp_path: Path) -> None:
    import base64

    cert, key = lab.client_files()
    key.chmod(0o644)
    payload = base64.urlsafe_b64encode(json.dumps({"sub": "svc", "cnf": {"x5t#S256": "A" * 43}}).encode()).rstrip(b"=").decode()
    token = f"eyJhbGciOiJub25lIn0.{payload}.c2lnbmF0dXJlLXNlY3JldC1ieXRlcw"
    outputs = []
    for fmt in ("json", "text", "md"):
        main(["check", *lab.command_line("mtls-required"), "--timeout", "2", "--format", fmt,
              "--client-cert", str(cert), "--client-key", str(key), "--token", token])
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
    everything = "\n".join(outputs)
    assert "readable by other users" in outputs[0]
    assert token not in everything and payload not in everything and "c2lnbmF0dXJlLXNlY3JldC1ieXRlcw" not in everything
    key_lines = [l for l in key.read_text().splitlines() if l and not l.startswith("-----")]
    assert not any(line in everything for line in key_lines)
    assert "mtls-cnf-mismatch" in everything
    key.chmod(0o600)
