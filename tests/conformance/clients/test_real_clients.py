"""Every prediction of tlsdoctor's per-client matrix checked against the real clients on this machine.

One test per (case, client): the client's observed accept/refuse must equal
what tlsdoctor predicts for its column (the names matrix and the chain
findings that name clients; versioned rules at the version that runs). A
disagreement fails with the case, the client and its version, the prediction
and its reasons, what the client did and everything it printed. A client that
is not installed is skipped with the reason; CI (CI=true) must not skip the
ones `.ci/run` installs. The browsers cannot run here: their columns are
model-only, which the names step's JSON says (`model_only`).
"""

from __future__ import annotations

import os

import pytest
from client_cases import CASES
from client_report import disagreement, explain_check
from client_runners import Client, Curl, Observation, Wget, all_clients, not_a_verdict
from client_session import ALL_IDS, UNSERVED, Run

from tlsdoctor.analysis.names import check_names
from tlsdoctor.analysis.names.client_notes import MODEL_ONLY
from tlsdoctor.lab.certs import make_pki
from tlsdoctor.target import parse_target

CLIENTS = {c.name: c for c in all_clients()}
REQUIRED_IN_CI = ("openssl", "curl", "python-ssl", "requests", "node", "wget")  # what .ci/run makes sure of


def _client(run: Run, name: str) -> Client:
    if name in run.skipped:
        pytest.skip(f"{name}: {run.skipped[name]}")
    if name in run.errors:
        pytest.fail(f"{name} could not be run: {run.errors[name]}")
    return next(c for c in run.clients if c.name == name)


@pytest.mark.parametrize("client_name", list(CLIENTS))
@pytest.mark.parametrize("case_id", ALL_IDS)
def test_real_client_does_what_tlsdoctor_predicts(conformance: Run, case_id: str, client_name: str) -> None:
    client = _client(conformance, client_name)
    if case_id in UNSERVED:
        pytest.skip(UNSERVED[case_id])
    seen = conformance.observed[client_name][case_id]
    accepts, why = conformance.expected(client, case_id)
    problem = disagreement(case_id, client, accepts, why, seen, conformance.releases.get(client_name))
    assert problem is None, problem


@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_explain_never_names_another_client(conformance: Run, client_name: str) -> None:
    """Each refusal text, pasted into `tlsdoctor explain`, is read as this client or (a gap, listed in the
    report) as no client at all; never as another one."""
    client = _client(conformance, client_name)
    results = explain_check(conformance, client)
    wrong = [f"{r.case_id}: explain says {r.recognised_as}" for r in results if r.recognised_as not in (None, client.explain_as)]
    assert not wrong, f"{client_name}: {wrong}"
    if client.explain_as is not None:
        recognised = [r for r in results if r.recognised_as == client.explain_as]
        assert results == [] or recognised, f"explain recognises none of {client_name}'s {len(results)} refusals"


def test_the_corpus_is_big_enough_and_every_case_ran(conformance: Run) -> None:
    assert len(CASES) >= 60 and len(ALL_IDS) == len(set(ALL_IDS))
    assert set(conformance.cases) == set(ALL_IDS) - set(UNSERVED)
    assert len(UNSERVED) <= 2, UNSERVED  # only the ::1 cases may be missing, on a machine without IPv6
    for name, observed in conformance.observed.items():
        assert set(observed) == set(conformance.cases), name


def test_both_verdicts_occur_for_every_client(conformance: Run) -> None:
    """A client that accepts everything (or nothing) would mean the harness is broken, not the client."""
    for name, observed in conformance.observed.items():
        verdicts = {seen.accepted for seen in observed.values()}
        assert verdicts == {True, False}, name


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises which clients are installed")
def test_ci_runs_the_clients_it_installs(conformance: Run) -> None:
    missing = {name: why for name, why in conformance.skipped.items() if name in REQUIRED_IN_CI}
    assert not missing, missing


def test_a_disagreement_names_case_client_prediction_and_output() -> None:
    seen = Observation("curl", "n-wild", False, "curl: (60) SSL: no alternative certificate subject name matches", "curl: (60) …", ("curl", "https://x/"))
    text = disagreement("n-wild", Curl(), True, (), seen, None)
    assert text is not None
    assert all(part in text for part in ("n-wild", "curl", "predicted it would accept", "refused: curl: (60)", "curl: (60) …"))
    assert disagreement("n-wild", Curl(), False, ("names: no-match",), seen, None) is None


def test_a_refusal_that_never_reached_the_server_is_a_harness_fault() -> None:
    seen = Observation("java", "lab-idn", False, "java.net.ConnectException: Connection refused", "")
    assert not_a_verdict(seen) in {"ConnectException", "Connection refused"}
    text = disagreement("lab-idn", Curl(), False, ("names: no-match",), seen, None)
    assert text is not None and "never reached the server" in text


def test_an_absent_client_is_skipped_with_a_reason() -> None:
    class Missing(Wget):
        executable = "tlsdoctor-no-such-client"

    reason = Missing().skip_reason()
    assert reason is not None and "not installed" in reason


def test_the_names_json_marks_the_browser_columns_model_only() -> None:
    leaf = make_pki("Model Only").leaf(dns=["api.example.test"])
    result = check_names(leaf.cert, parse_target("api.example.test"))
    flags = {str(c["client"]): c["model_only"] for c in (v.to_json() for v in result.clients)}
    assert {name for name, flag in flags.items() if flag} == set(MODEL_ONLY) == {"chrome", "firefox"}
    assert not set(MODEL_ONLY) & {c.column for c in CLIENTS.values()}
