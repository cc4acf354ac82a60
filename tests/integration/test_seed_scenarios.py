"""The seeds' own cases in the lab: every symptom of shared/seeds has a scenario that shows it for real.

The mTLS seed's symptoms: `tlsv1 alert unknown ca` in the handshake; the server's log line
`mTLS authentication failed: certificate CN 'client-staging.example.com' does not match expected
identity 'client-prod.example.com'`; `403 Forbidden: Client certificate identity not mapped to any
authorized user`; "the certificate is valid and trusted but identity mapping fails". The TLS-1002
seed's symptom is the hostname mismatch itself.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import StepId
from tlsdoctor.lab.scenarios import PROD_CLIENT, STAGING_CLIENT, scenario
from tlsdoctor.walk import run_walk

SEED_LOG_LINE = (
    "mTLS authentication failed: certificate CN 'client-staging.example.com' "
    "does not match expected identity 'client-prod.example.com'"
)


def walk(lab: Lab, scenario_id: str) -> Any:
    return asyncio.run(run_walk(lab.options_for(scenario_id, timeout=2.0)))


def client_data(report: Any) -> Any:
    return next(s for s in report.steps if s.step is StepId.CLIENT).data


def test_staging_certificate_where_prod_is_expected_is_refused_with_403_and_logged(lab: Lab) -> None:
    """The seed's case: the certificate verifies (valid, trusted), the identity does not, HTTP says 403."""
    before = lab.server_log("mtls-identity") if "mtls-identity" in lab.running else []
    report = walk(lab, "mtls-identity")
    assert report.diagnosis[0].kb_id == "MTLS-2001"
    data = client_data(report)
    assert f"DNS:{STAGING_CLIENT}" in data.identities and f"CN={STAGING_CLIENT}" in data.identities
    assert data.expected is not None and data.expected.text == PROD_CLIENT
    hs = data.handshake
    assert hs["ok"] and hs["alert"] is None, "the TLS layer accepted the certificate"
    assert hs["http_status"] == 403 and "not mapped to any authorized user" in (hs["http_body_excerpt"] or "")
    finding = next(f for f in report.findings if f.code.value == "mtls-identity-mismatch")
    assert finding.evidence["environment"] == {"expected": "prod", "certificate": "staging"}
    chain_ok = next(s for s in report.steps if s.step is StepId.CHAIN).status.value == "ok"
    assert chain_ok, "the server's own certificate is fine: only the client identity is wrong"
    log = lab.server_log("mtls-identity")
    assert SEED_LOG_LINE in log and len(log) >= len(before)


def test_client_certificate_from_an_unknown_ca_gets_alert_unknown_ca(lab: Lab) -> None:
    report = walk(lab, "mtls-unknown-ca")
    hs = client_data(report).handshake
    assert hs["alert"] == 48 and hs["alert_name"] == "unknown_ca"
    assert {f.code.value for f in report.findings} >= {"mtls-unknown-ca"}
    assert any("unable to get local issuer certificate" in line for line in lab.server_log("mtls-unknown-ca"))


def test_client_chain_without_intermediate_is_told_apart_from_an_unknown_ca(lab: Lab) -> None:
    report = walk(lab, "mtls-no-intermediate")
    codes = {f.code.value for f in report.findings}
    assert "mtls-chain-incomplete" in codes and "mtls-unknown-ca" not in codes
    assert client_data(report).handshake["alert"] == 48


@pytest.mark.parametrize(
    ("symptom", "scenario_id"),
    [
        ("hostname mismatch (TLS-1002)", "wrong-host"),
        ("SSL handshake error: tlsv1 alert unknown ca", "mtls-unknown-ca"),
        ("Intermediate CA not included in the client certificate chain", "mtls-no-intermediate"),
        ("mTLS authentication failed: certificate CN … does not match expected identity …", "mtls-identity"),
        ("403 Forbidden: Client certificate identity not mapped to any authorized user", "mtls-identity"),
        ("Certificate is valid and trusted but identity mapping fails", "mtls-identity"),
    ],
)
def test_every_seed_symptom_has_a_scenario(symptom: str, scenario_id: str) -> None:
    assert scenario(scenario_id).expect, symptom


def test_the_check_command_line_of_a_client_scenario_presents_its_certificate(lab: Lab) -> None:
    args = lab.command_line("mtls-identity")
    assert "--client-cert" in args and "--client-key" in args
    assert args[args.index("--expect-client-identity") + 1] == PROD_CLIENT
    assert "--client-cert" not in lab.command_line("wrong-host")
