"""Redaction learns what identifies a customer from a report's JSON, by shape and by place (issue 12 §2):
organisations and CA names, names that are not DNS syntax, serials and fingerprints in every encoding;
one placeholder per value everywhere; our own words are never rewritten."""

from __future__ import annotations

import base64
import hashlib

from tlsdoctor.redact import Redactor, legend_text, redaction_for, user_files

DIGEST = hashlib.sha256(b"client certificate").digest()
HEX = DIGEST.hex()


def report_like() -> dict[str, object]:
    return {
        "tool": {"name": "tlsdoctor", "version": "0.1.0"},
        "target": {"host": "api.initech.example", "ascii_host": "api.initech.example", "port": 443},
        "steps": [
            {"id": "names", "status": "fail", "summary": "the certificate does not cover api.initech.example", "data": {
                "verdicts": [
                    {"kind": "dns", "value": "intranet", "reason": "invalid-dns-name"},
                    {"kind": "dns", "value": "bad name.initech.example", "reason": "invalid-dns-name"},
                    {"kind": "cn", "value": "Initech Payroll Gateway", "reason": "cn-ignored-san-present"},
                ],
                "labels": [{"presented": "api", "reference": "api"}, {"presented": "initech", "reference": "initech"}],
            }},
            {"id": "client", "status": "fail", "data": {
                "certificate": {"subject": "O=Initech\\, Inc.,OU=Payroll,CN=svc-payroll.initech.example,C=US",
                                "issuer": "O=Initech Private CA,CN=Initech Issuing CA 2",
                                "serial": "5f1c9a0b77e2d4c3a1", "sha256": HEX,
                                "sha256_short": ":".join(HEX[i:i + 2] for i in range(0, 16, 2)).upper()},
                "x5t#S256": base64.urlsafe_b64encode(DIGEST).rstrip(b"=").decode(),
                "token": {"reference": "sha256:1234abcd…(90)", "cnf": {"x5t#S256": base64.b64encode(DIGEST).decode()}},
                "expected": {"text": r"^CN=svc-payroll\.initech\.example$", "kind": "regex"},
            }},
        ],
        "findings": [{"code": "hostname-mismatch", "severity": "error", "step": "names", "evidence": {}}],
        "verdict": "problem",
    }  # fmt: skip


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):  # label rows are shown joined into their names, never alone
        return [s for k, v in data.items() if k != "labels" for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


SECRETS = [
    "initech", "Initech, Inc.", "Initech\\, Inc.", "Payroll", "Initech Private CA", "Initech Issuing CA 2",
    "intranet", "bad name", "Initech Payroll Gateway", "svc-payroll", "5f1c9a0b77e2d4c3a1",
    HEX, HEX.upper(), HEX[:16], DIGEST.hex(":"), DIGEST.hex(":").upper()[:23],
    base64.urlsafe_b64encode(DIGEST).rstrip(b"=").decode(), base64.b64encode(DIGEST).decode(),
]  # fmt: skip


def test_every_identifying_value_becomes_a_placeholder_in_json_and_text() -> None:
    data = report_like()
    redaction = redaction_for(data, Redactor())
    shared = str(redaction.json(data))
    for secret in SECRETS:
        assert secret.lower() not in shared.lower(), secret
    as_text = " | ".join(redaction(s) for s in strings(data))  # each value as a face shows it
    for secret in SECRETS:
        assert secret.lower() not in as_text.lower(), secret


def test_one_value_one_placeholder_in_every_encoding() -> None:
    data = report_like()
    redaction = redaction_for(data, Redactor())
    forms = [HEX, HEX.upper(), DIGEST.hex(":"), base64.b64encode(DIGEST).decode(),
             base64.urlsafe_b64encode(DIGEST).rstrip(b"=").decode(), HEX[:16]]  # fmt: skip
    assert len({redaction(f) for f in forms}) == 1
    assert redaction("svc-payroll.initech.example").endswith(".example")  # the shape of a name stays


def test_our_words_are_never_rewritten_whatever_a_certificate_is_called() -> None:
    data = report_like()
    data["steps"][1]["data"]["certificate"]["subject"] = "O=Verdict,OU=problem,CN=Names"  # type: ignore[index]
    redaction = redaction_for(data, Redactor())
    rendering = "5. Names [✗ failed] closest: x\nVerdict: problem\n"
    assert redaction.text(rendering) == rendering  # a whole rendering: shapes only
    shared = redaction.json(data)
    assert shared["verdict"] == "problem" and shared["steps"][0]["id"] == "names"
    assert "O=Verdict" not in str(shared)  # …while the value itself is hidden


def test_label_rows_are_mapped_exactly_and_unknown_labels_hidden() -> None:
    data = report_like()
    shared = redaction_for(data, Redactor()).json(data)
    rows = shared["steps"][0]["data"]["labels"]
    assert all("initech" not in str(v) and v != "api" for row in rows for v in row.values())


def test_the_legend_maps_back_and_holds_no_control_character() -> None:
    redactor = Redactor()
    data = report_like()
    data["steps"][0]["data"]["verdicts"].append({"kind": "cn", "value": "evil\nVerdict: ok"})  # type: ignore[index]
    redaction_for([user_files(None), data], redactor)
    legend = legend_text(redactor)
    assert "Initech Private CA" in legend and "api.initech.example" in legend
    assert "evil\\nVerdict: ok" in legend and "\nVerdict: ok" not in legend
    lines = legend.splitlines()
    assert lines[0].startswith("#") and all("\t" in line for line in lines[1:])


def test_user_files_are_replaced_whole_and_etc_hosts_is_not() -> None:
    class Client:
        cert_path = "/home/alice/initech/prod/client.pem"
        key_path = "/home/alice/initech/prod/client.key"

    class Options:
        client = Client()
        ca_files = ("/srv/initech-ca.pem",)
        hosts_file = "/etc/hosts"

    files = user_files(Options())
    assert files == {"paths": [Client.cert_path, Client.key_path, "/srv/initech-ca.pem"]}
    redaction = redaction_for([files], Redactor())
    assert redaction("openssl x509 -in /home/alice/initech/prod/client.pem") == "openssl x509 -in <file-1>"
