"""The client's road and the clients asked (issue 10 §1, §2, §4): pure weighing of findings.

`analysis.path` decides what a finding means on the road the client takes
(--resolve pin, hosts line, DNS); `analysis.clientset` what it means for the
clients named with `--client`. Each rule has its failing case beside its passing one.
"""

from __future__ import annotations

import pytest

from tlsdoctor.analysis.clientset import (
    MODEL_CLIENTS,
    clients_verdict,
    parse_clients,
    weigh_for_clients,
    weigh_names,
)
from tlsdoctor.analysis.path import (
    Road,
    is_off_path,
    road_for,
    weigh_divergent,
    weigh_dns,
    weigh_faults,
)
from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity

NX = Finding(Code.DNS_NXDOMAIN, Severity.ERROR, {"name": "api.example.test"})
SIDE = Finding(Code.DNS_TIMEOUT, Severity.WARNING, {"name": "api.example.test"})
REFUSED = Finding(Code.CONNECT_REFUSED, Severity.ERROR, {"addresses": ["192.0.2.9"]})
WEAK_KEY = Finding(
    Code.WEAK_KEY,
    Severity.ERROR,
    {"bits": 1024, "clients": ["openssl", "curl", "python-ssl", "requests"], "accepting": ["node", "java", "go", "chrome", "firefox"]},
)
UNDERSCORE = Finding(Code.HOSTNAME_MISMATCH, Severity.WARNING, {"reason": "underscore", "rejected_by": ["java"]})
MISMATCH = Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, {"host": "api.example.test"})
EXPIRED = Finding(Code.CERT_EXPIRED, Severity.ERROR, {})
EVERYONE = dict.fromkeys(MODEL_CLIENTS, True)


# --- the road ---------------------------------------------------------------------------------


def test_a_pin_wins_over_a_hosts_line_which_wins_over_dns() -> None:
    assert road_for(["10.0.0.7"], ["10.0.0.8"]) is Road.RESOLVE
    assert road_for([], ["10.0.0.8"]) is Road.HOSTS
    assert road_for([], []) is Road.DNS


def test_dns_failure_on_the_dns_road_stays_an_error() -> None:
    assert weigh_dns([NX, SIDE], Road.DNS) == (NX, SIDE)


def test_dns_failure_with_a_pin_is_a_warning_for_clients_without_it() -> None:
    (nx, side) = weigh_dns([NX, SIDE], Road.RESOLVE)
    assert nx.severity is Severity.WARNING and side.severity is Severity.INFO
    assert is_off_path(nx) and nx.evidence["note"] == "clients-without-the-pin-fail"
    assert nx.evidence["name"] == "api.example.test"  # the observed evidence is kept


def test_dns_failure_with_a_hosts_answer_is_information() -> None:
    (nx,) = weigh_dns([NX], Road.HOSTS)
    assert nx.severity is Severity.INFO and nx.evidence["road"] == "hosts"


def test_a_fault_on_an_address_only_others_reach_is_context() -> None:
    (off,) = weigh_faults([REFUSED], ["10.0.0.7"], Road.RESOLVE)
    assert off.severity is Severity.WARNING and is_off_path(off)
    (off,) = weigh_faults([REFUSED], ["10.0.0.7"], Road.HOSTS)
    assert off.severity is Severity.WARNING, "the node DNS names is down for everyone without the hosts line"


def test_a_fault_on_the_clients_own_address_stays_an_error() -> None:
    assert weigh_faults([REFUSED], ["192.0.2.9"], Road.RESOLVE) == (REFUSED,)
    assert weigh_faults([REFUSED], ["10.0.0.7"], Road.DNS) == (REFUSED,)


def test_divergent_certificates_that_are_all_fine_are_a_warning() -> None:
    divergent = Finding(Code.IP_DIVERGENT_CERTS, Severity.ERROR, {"distinct": 2})
    (fine,) = weigh_divergent([divergent], every_address_fine=True)
    assert fine.severity is Severity.WARNING and fine.evidence["every_address_fine"] is True
    assert weigh_divergent([divergent], every_address_fine=False) == (divergent,)


# --- the clients asked ---------------------------------------------------------------------------


def test_client_names_are_repeatable_and_comma_separated() -> None:
    assert parse_clients(["java,curl", "python", "java"]) == ("java", "curl", "python-ssl")
    assert parse_clients([]) == ()


@pytest.mark.parametrize("bad", ["lynx", "java,lynx", "python3"])
def test_an_unknown_client_is_bad_input(bad: str) -> None:
    with pytest.raises(BadInput, match="lynx|python3"):
        parse_clients([bad])


def test_a_finding_is_an_error_only_for_the_clients_that_refuse() -> None:
    (for_curl,) = weigh_for_clients([WEAK_KEY], ["curl"])
    (for_java,) = weigh_for_clients([WEAK_KEY], ["java"])
    assert for_curl.severity is Severity.ERROR and for_java.severity is Severity.WARNING
    assert weigh_for_clients([WEAK_KEY, EXPIRED], []) == (WEAK_KEY, EXPIRED), "no --client: the analysis's severities"
    assert weigh_for_clients([EXPIRED], ["java"]) == (EXPIRED,), "a finding that names no client concerns them all"


def test_the_names_matrix_decides_for_the_clients_asked() -> None:
    java_refuses = EVERYONE | {"java": False}
    (java,) = weigh_names([UNDERSCORE], java_refuses, ["java"], host="my_api.example.test")
    (curl,) = weigh_names([UNDERSCORE], java_refuses, ["curl"], host="my_api.example.test")
    assert java.severity is Severity.ERROR and curl.severity is Severity.WARNING


def test_a_name_error_every_asked_client_accepts_is_a_warning() -> None:
    openssl_accepts = dict.fromkeys(MODEL_CLIENTS, False) | {"openssl": True}
    (mismatch,) = weigh_names([MISMATCH], openssl_accepts, ["openssl"], host="api.example.test")
    assert mismatch.severity is Severity.WARNING and mismatch.evidence["accepted_by"] == ["openssl"]
    (mismatch,) = weigh_names([MISMATCH], openssl_accepts, ["go"], host="api.example.test")
    assert mismatch.severity is Severity.ERROR


def test_a_refusal_no_finding_names_becomes_a_mismatch() -> None:
    added = weigh_names([], EVERYONE | {"node": False}, ["node"], host="api.example.test")
    assert [(f.code, f.severity, f.evidence["rejected_by"]) for f in added] == [(Code.HOSTNAME_MISMATCH, Severity.ERROR, ["node"])]
    assert weigh_names([], EVERYONE | {"node": False}, ["curl"], host="api.example.test") == ()


def test_the_verdict_says_who_fails_and_who_passes() -> None:
    verdict = clients_verdict([WEAK_KEY], [EVERYONE], ["java", "curl"])
    assert (verdict.fail, verdict.passed) == (("curl",), ("java",))
    assert clients_verdict([EXPIRED], [EVERYONE], ["java"]).fail == ("java",)
    everyone = clients_verdict([], [EVERYONE | {"python-ssl": False}], [])
    assert everyone.fail == ("python-ssl",) and everyone.to_json()["fail"] == ["python"]
    assert len(everyone.to_json()["asked"]) == 9


def test_context_fails_nobody() -> None:
    (nx,) = weigh_dns([NX], Road.RESOLVE)
    assert clients_verdict([nx], [EVERYONE], []).fail == ()


def test_divergent_certificates_wrong_only_off_the_road_are_context() -> None:
    divergent = Finding(Code.IP_DIVERGENT_CERTS, Severity.ERROR, {"distinct": 2})
    (off,) = weigh_divergent([divergent], every_address_fine=False, path_fine=True, road=Road.HOSTS)
    assert off.severity is Severity.WARNING and is_off_path(off)
    assert weigh_divergent([divergent], every_address_fine=False, path_fine=True, road=Road.DNS) == (divergent,)
    assert weigh_divergent([divergent], every_address_fine=False, path_fine=False, road=Road.HOSTS) == (divergent,)
