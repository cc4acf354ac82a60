"""Agreement with the x509-limbo subset (see /work/shared/data/limbo/README.md).

Each testcase runs as one `inspect --cert PEER --chain INTERMEDIATES --ca TRUSTED
--host NAME --at TIME` (names step + chain step). "Agree": SUCCESS ↔ verdict ok;
FAILURE ↔ verdict problem, or verdict ok with a WARNING whose code *and* reason
name the rule limbo checks (RULE_WARNINGS: an explicit list of (code, reason)
pairs, so no unrelated warning, such as an incidental `cn-not-in-san`, can
count). The cases we do not agree with are listed in KNOWN_GAPS with the
reason: they are strict xfails, so fixing one turns the suite red until the
table is updated.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from tlsdoctor.findings import Severity
from tlsdoctor.offline import InspectResult, inspect_certificates

LIMBO_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "limbo"
LIMBO_FILE = LIMBO_DIR / "limbo-subset.json"
if not LIMBO_FILE.is_file():
    pytest.skip(f"x509-limbo subset not found at {LIMBO_FILE}", allow_module_level=True)

CASES: dict[str, dict[str, Any]] = {t["id"]: t for t in json.loads(LIMBO_FILE.read_text())["testcases"]}

# FAILURE cases where real clients accept the chain: verdict ok is right if this (code, reason)
# warning says why. A reason of None means the code alone names the rule.
RULE_WARNINGS: dict[str, frozenset[tuple[str, str | None]]] = {
    "webpki::eku::ee-anyeku": frozenset({("eku-no-server-auth", "any-eku")}),  # CA/B 7.1.2.7.10
    "webpki::eku::ee-without-eku": frozenset({("eku-no-server-auth", "no-eku-extension")}),  # CA/B 7.1.2.7.10, Apple
    "webpki::eku::ee-critical-eku": frozenset({("chain-untrusted", "strict-verifier-rejects")}),  # CA/B 7.1.2.7.10
    "webpki::eku::root-has-eku": frozenset({("chain-untrusted", "root-has-eku")}),  # CA/B 7.1.2.1.2
    "webpki::ca-as-leaf": frozenset({("chain-untrusted", "strict-verifier-rejects")}),  # CA/B 7.1.2.7.8 (OpenSSL accepts)
    "rfc5280::nc::permitted-dns-match-noncritical": frozenset({("chain-untrusted", "nc-not-critical")}),  # RFC 5280 4.2.1.10
    "rfc5280::san::underscore-dns": frozenset({("hostname-mismatch", "underscore")}),  # RFC 5280 4.2.1.6; Java refuses
    # RFC 5280 4.2.1.6 SAN criticality: cryptography refuses; OpenSSL, curl, Python, Node and Java accept (issue 10 §4)
    "rfc5280::san::noncritical-with-empty-subject": frozenset({("chain-untrusted", "strict-verifier-rejects")}),
    "webpki::san::san-critical-with-nonempty-subject": frozenset({("chain-untrusted", "strict-verifier-rejects")}),
    **{case_id: frozenset({("cn-not-in-san", None)}) for case_id in CASES if case_id.startswith("webpki::cn::")},
    # CA/B 3.2.2.6; `*.co.uk` (Chrome refuses) and `*.s3.amazonaws.com` (PSL private section) are warnings.
    **{
        case_id: frozenset({("wildcard-partial", "wildcard-public-suffix")})
        for case_id in CASES
        if case_id.startswith("webpki::san::public-suffix")
    },
}

# Cases we cannot agree with, and why (strict xfail). Each is a limit of cryptography 50's verifier,
# which gives the chain verdict.
KNOWN_GAPS: dict[str, str] = {
    "pathlen::self-issued-certs-pathlen": (
        "cryptography 50 cannot build through a self-issued (key rollover) intermediate: "
        "'candidates exhausted: signature does not match'"
    ),
    "pathlen::max-chain-depth-1-self-issued": (
        "cryptography 50 cannot build through a self-issued (key rollover) intermediate: "
        "'candidates exhausted: signature does not match'"
    ),
    "rfc5280::nc::permitted-dn-match": (
        "cryptography 50 rejects directoryName name constraints: "
        "'critical nameConstraints extension contains an unsupported directoryName constraint'"
    ),
}
AGREED = 141  # of 144, measured with cryptography 50.0.2 and publicsuffixlist 1.1.2; = len(CASES) - len(KNOWN_GAPS)


@functools.cache
def run_case(case_id: str) -> InspectResult:
    case = CASES[case_id]
    peer_name = case["expected_peer_name"]
    at = dt.datetime.fromisoformat(case["validation_time"]) if case["validation_time"] else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # limbo's odd serials
        return inspect_certificates(
            case["peer_certificate"].encode(),
            chain="".join(case["untrusted_intermediates"]).encode(),
            ca="".join(case["trusted_certs"]).encode(),
            host=peer_name["value"] if peer_name else None,
            at=at,
            max_chain_depth=case["max_chain_depth"],
        )


def agrees(case_id: str, result: InspectResult) -> bool:
    if CASES[case_id]["expected_result"] == "SUCCESS":
        return result.verdict == "ok"
    if result.verdict == "problem":
        return True
    allowed = RULE_WARNINGS.get(case_id, frozenset())
    return any(
        f.severity is Severity.WARNING
        and ((f.code.value, f.evidence.get("reason")) in allowed or (f.code.value, None) in allowed)
        for f in result.findings
    )


def _param(case_id: str) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[case_id])] if case_id in KNOWN_GAPS else []
    return pytest.param(case_id, id=case_id, marks=marks)


@pytest.mark.parametrize("case_id", [_param(case_id) for case_id in CASES])
def test_limbo_case(case_id: str) -> None:
    result = run_case(case_id)
    expected = CASES[case_id]["expected_result"]
    summary = [(f.code.value, f.severity.value) for f in result.findings]
    assert agrees(case_id, result), f"expected {expected}, got {result.verdict} with {summary}"


def test_limbo_agreement_summary(capsys: pytest.CaptureFixture[str]) -> None:
    disagreed = sorted(case_id for case_id in CASES if not agrees(case_id, run_case(case_id)))
    agreed = len(CASES) - len(disagreed)
    with capsys.disabled():
        print(f"\nx509-limbo agreement: {agreed}/{len(CASES)}; known gaps: {', '.join(disagreed)}")
    assert len(CASES) == 144
    assert disagreed == sorted(KNOWN_GAPS)
    assert agreed == AGREED


def test_rule_tables_name_real_cases() -> None:
    """A typo in a table would silently drop a rule or a gap."""
    assert set(KNOWN_GAPS) <= set(CASES) and set(RULE_WARNINGS) <= set(CASES)
    assert all(CASES[case_id]["expected_result"] == "FAILURE" for case_id in RULE_WARNINGS)
    assert not set(KNOWN_GAPS) & set(RULE_WARNINGS)
