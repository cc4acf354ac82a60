"""The command line as a contract: exit codes, one-line errors, no traceback, headless faces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tlsdoctor
from tlsdoctor.cli import main
from tlsdoctor.lab import certs

PACKAGE_PARENT = str(Path(tlsdoctor.__file__).resolve().parents[1])


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "tlsdoctor", *args], capture_output=True, text=True, env=env, input=stdin, timeout=60
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "http://example.com"],
        ["check", "exa mple.com"],
        ["check", "example.com:99999"],
        ["check", "[::1"],
        ["check", "a:b:c"],
        ["check", "example.com", "--timeout", "0"],
        ["check", "example.com", "--nameserver", "not-an-ip"],
        ["check", "example.com", "--resolve", "example.com:443"],
        ["check", "example.com", "--ca", "/nonexistent/ca.pem"],
        ["check", "example.com", "--client-cert", "/nonexistent/c.pem"],
        ["check", "example.com", "--expect-client-identity", "re:(unclosed"],
        ["check", "example.com", "--token", "not.a.jwt"],
        ["check", "example.com", "--lang", "fr"],
        ["check"],
        ["inspect", "--cert", "/nonexistent.pem", "--host", "x.example"],
        ["kb", "NOPE-9999"],
        ["check", "example.com", "--no-such-option"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("tlsdoctor: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_garbage_pem_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN CERTIFICATE-----\nnot base64!!\n-----END CERTIFICATE-----\n")
    assert main(["inspect", "--cert", str(bad), "--host", "a.example"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_no_traceback_from_a_real_process() -> None:
    result = run_cli("check", "gopher://nope")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr


def test_inspect_finds_the_mismatch_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = certs.make_pki()
    leaf = pki.leaf(dns=["api.example.com"], cn="api.example.com")
    (tmp_path / "leaf.pem").write_bytes(leaf.cert_pem)
    (tmp_path / "chain.pem").write_bytes(pki.intermediate.cert_pem)
    (tmp_path / "ca.pem").write_bytes(pki.root.cert_pem)
    base = ["inspect", "--cert", str(tmp_path / "leaf.pem"), "--chain", str(tmp_path / "chain.pem"), "--ca", str(tmp_path / "ca.pem")]
    assert main([*base, "--host", "api.example.com", "--format", "json"]) == 0
    ok = json.loads(capsys.readouterr().out)
    assert ok["verdict"] == "ok"
    assert main([*base, "--host", "www.example.com", "--format", "json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert "hostname-mismatch" in {f["code"] for f in bad["findings"]}
    assert bad["diagnosis"][0]["kb_id"] == "TLS-1002"


def test_inspect_at_a_time_after_expiry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = certs.make_pki()
    leaf = pki.leaf(dns=["api.example.com"])
    (tmp_path / "leaf.pem").write_bytes(leaf.chain_pem(include_leaf=True))
    (tmp_path / "ca.pem").write_bytes(pki.root.cert_pem)
    code = main(["inspect", "--cert", str(tmp_path / "leaf.pem"), "--ca", str(tmp_path / "ca.pem"), "--host", "api.example.com", "--at", "2099-01-01T00:00:00Z", "--format", "json"])
    assert code == 1
    assert "cert-expired" in {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_explain_recognises_curl(capsys: pytest.CaptureFixture[str]) -> None:
    text = "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'"
    assert main(["explain", text, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["client"] == "curl"
    assert data["findings"][0]["code"] == "hostname-mismatch"
    assert data["diagnosis"][0]["kb_id"] == "TLS-1002"
    assert "target" not in data and "steps" not in data


def test_explain_reads_stdin_and_ignores_unrelated_text() -> None:
    result = run_cli("explain", "-", "--format", "json", stdin="KeyError: 'user_id'\n")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["findings"] == [] and data["client"] is None


def test_kb_lists_entries_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert len(entries) >= 15
    assert any(e["id"] == "TLS-1002" for e in entries)


def test_csr_writes_cnf_and_csr_and_never_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leaf = certs.make_leaf(None, dns=["client-prod.example.com"])
    key = tmp_path / "client.key"
    key.write_bytes(leaf.key_pem)
    out = tmp_path / "client.csr"
    assert main(["csr", "--key", str(key), "--name", "client-prod.example.com", "--name", "api-client.example.com", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.exists() and (tmp_path / "san.cnf").exists()
    body = [l for l in leaf.key_pem.decode().splitlines() if not l.startswith("-----")]
    assert not any(line in printed for line in body)
    assert main(["csr", "--key", str(key), "--name", "x.example.com", "--out", str(out)]) == 2


def test_check_and_inspect_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from tlsdoctor import cli, walk, diagnosis, request, demo, knowledge, explain, offline\n"
        "from tlsdoctor.render import text, markdown, json\n"
        "from tlsdoctor.probe import tls, dns, hosts\n"
        "from tlsdoctor.analysis import names, chain, fetch, mtls\n"
        "cli.main(['kb', 'TLS-1002', '--format', 'json'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
