"""`--redact`: no real name, address or fingerprint of the walk survives in any format,
the same name always maps to the same placeholder, and the shape of a mismatch stays visible."""

from __future__ import annotations

import json
import re

import pytest

from tlsdoctor.cli import main
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.redact import Redactor


def test_shape_of_a_wildcard_mismatch_stays_visible() -> None:
    r = Redactor()
    wildcard, deep = r.name("*.corp.acme.com"), r.name("a.b.corp.acme.com")
    assert wildcard.startswith("*.") and wildcard.endswith(".com")
    assert deep.endswith(wildcard[2:]) and deep.count(".") == wildcard.count(".") + 1
    assert r.name("A.b.corp.acme.com.") == deep  # case and trailing dot do not change the placeholder
    assert r.name("acme.co.uk").endswith(".co.uk")
    assert "acme" not in wildcard + deep


def test_addresses_map_into_documentation_ranges() -> None:
    r = Redactor()
    assert r.address("10.1.2.3").startswith("192.0.2.")
    assert r.address("10.1.2.3") == r.address("10.1.2.3") != r.address("10.1.2.4")
    assert r.address("fd00::1").startswith("2001:db8::")


@pytest.mark.parametrize("fmt", ["text", "md", "json", "jsonl"])
@pytest.mark.parametrize("scenario_id", ["wrong-host", "hosts-override", "idn", "divergent"])
def test_redacted_output_holds_none_of_the_real_names(lab: Lab, capsys, fmt: str, scenario_id: str) -> None:
    base = ["check", *lab.command_line(scenario_id), "--timeout", "2"]
    main([*base, "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    main([*base, "--format", fmt, "--redact"])
    redacted = capsys.readouterr().out
    secrets = {real["target"]["ascii_host"], real["target"]["host"]}
    for step in real["steps"]:
        text = json.dumps(step["data"], ensure_ascii=False)
        secrets.update(re.findall(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", text))
        secrets.update(re.findall(r"[0-9a-f]{64}", text))
    names = next(s for s in real["steps"] if s["id"] == "names")["data"]
    if names:
        secrets.update(v["value"] for v in names["verdicts"] if v["kind"] in ("dns", "ip"))
    assert secrets
    leaked = sorted(s for s in secrets if s and s.lower() in redacted.lower())
    assert not leaked
    assert "BEGIN CERTIFICATE" not in redacted
    if fmt == "jsonl":  # one line, the same report
        assert redacted.count("\n") == 1 and json.loads(redacted)["target"]["ascii_host"] != real["target"]["ascii_host"]


def test_same_name_same_placeholder_across_the_report(lab: Lab, capsys) -> None:
    main(["check", *lab.command_line("wrong-host"), "--timeout", "2", "--format", "json", "--redact"])
    data = json.loads(capsys.readouterr().out)
    host = data["target"]["ascii_host"]
    assert host.startswith("h") and ".zone-" in host
    commands = " ".join(c for d in data["diagnosis"] for w in d["workarounds"] for c in w["commands"])
    assert host in commands


# --- issue 12 §2: everything that identifies the customer, in every output ---------------------------


def _identifying(real: dict) -> set[str]:
    """What a shared screen must not show, read from the unredacted report: names, organisations and
    CA names (each value of each DN), SANs, identities, serials, fingerprints in every encoding, the
    token's cnf, addresses."""
    import base64

    found: set[str] = set()

    def walk(data: object, key: str = "") -> None:
        if isinstance(data, dict):
            for k, v in data.items():
                if k not in ("diagnosis", "tool", "label_diff", "labels", "environment"):
                    walk(v, k)
        elif isinstance(data, list):
            for v in data:
                walk(v, key)
        elif isinstance(data, str) and data:
            if key in ("subject", "issuer", "missing_issuer", "server_accepts", "our_issuers", "acceptable_client_cas"):
                found.update(p.split("=", 1)[1] for p in re.split(r"(?<!\\),", data) if "=" in p and not p.startswith("C="))
            elif key in ("common_names", "dns", "value", "identities", "matched", "x5t#S256", "certificate_value",
                         "token_value", "serial", "ski", "aki", "host", "ascii_host", "qname", "expected", "pattern"):
                found.add(data.split(":", 1)[1] if data.startswith(("DNS:", "URI:", "email:")) else data.removeprefix("CN="))
            elif key == "sha256":
                raw = bytes.fromhex(data)
                found.update({data, raw.hex(":"), base64.b64encode(raw).decode(), data[:16]})
            found.update(re.findall(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", data))

    walk(real)
    return {s for s in found if len(s) >= 4}


def test_mtls_report_shares_no_name_organisation_serial_fingerprint_or_claim(lab: Lab, capsys, tmp_path) -> None:
    import base64
    import stat

    cert, key = lab.client_files(name="client-staging.example.test")
    other, _ = lab.client_files(name="client-initech.example.test")
    from cryptography import x509

    from tlsdoctor.analysis.mtls import x5t_s256

    bound_to = x5t_s256(x509.load_pem_x509_certificates(other.read_bytes())[0])
    claims = {"sub": "alice@initech.example", "iss": "https://idp.initech.example", "aud": "payroll", "cnf": {"x5t#S256": bound_to}}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    token = f"eyJhbGciOiJub25lIn0.{payload}.c2lnbmF0dXJl"
    base = ["check", *lab.command_line("mtls-required"), "--timeout", "2", "--client-cert", str(cert),
            "--client-key", str(key), "--token", token, "--expect-client-identity", r"^CN=client-prod\.example\.test$"]  # fmt: skip
    main([*base, "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    secrets = _identifying(real) | {bound_to, "alice", "initech", "payroll", str(cert.parent)}
    assert {"tlsdoctor lab", "client-staging.example.test", "mtls.example.test"} <= secrets
    shared = {}
    for fmt in ("text", "md", "json"):
        legend = tmp_path / f"legend-{fmt}.txt"
        assert main([*base, "--format", fmt, "--redact-legend", str(legend)]) == 1
        shared[fmt] = capsys.readouterr().out
        leaked = sorted(s for s in secrets if s.lower() in shared[fmt].lower())
        assert not leaked, (fmt, leaked)
        assert stat.S_IMODE(legend.stat().st_mode) == 0o600
        kept = legend.read_text(encoding="utf-8")
        assert "client-staging.example.test" in kept and "tlsdoctor Lab Clients Intermediate CA" in kept
    # one placeholder per value, whatever the face
    host = json.loads(shared["json"])["target"]["ascii_host"]
    assert host in shared["text"] and host in shared["md"]
    assert legend.read_text(encoding="utf-8") == (tmp_path / "legend-text.txt").read_text(encoding="utf-8")
