"""More of the client's path (issue 10 §1, §2, §4), on real DNS and TLS servers on loopback.

Beside the acceptance cases in test_client_path.py: a fault or a wrong certificate
on an address only other clients reach is context; the event stream keeps its
order while a pinned address is fetched during DNS; a chain that differs on one
node names that node; `--client` turns a client-specific finding into an error
only for the clients that refuse it.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sites import MakeSite, Site, codes, findings, step

from tlsdoctor.facts.steps import StepFinished, StepProgress, StepStarted
from tlsdoctor.findings import StepId
from tlsdoctor.lab import certs
from tlsdoctor.lab.tls_server import VHost
from tlsdoctor.request import build_request
from tlsdoctor.walk import walk

HOST = "api.example.test"


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("Path Rules Lab")


def test_a_dead_old_node_only_dns_names_is_context_for_a_pinned_client(make_site: MakeSite, pki: certs.Pki) -> None:
    """Pre-cutover: DNS still names the old node (nothing listens there), --resolve pins the new one."""
    site = make_site(zone={HOST: {"A": ["127.0.0.72"]}}, servers={"127.0.0.71": VHost.of(pki.leaf(dns=[HOST]))}, trust=[pki.root.cert])
    code, report = site.check(HOST, *site.resolve(HOST, "127.0.0.71"))
    assert (code, codes(report, "error")) == (0, set())
    (refused,) = findings(report, "connect-refused")
    assert refused["severity"] == "warning" and refused["evidence"]["off_path"] is True
    assert refused["evidence"]["addresses"] == ["127.0.0.72"]
    assert not report["diagnosis"], "context is shown, not ranked"


def test_a_dead_node_the_client_itself_uses_stays_an_error(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"A": ["127.0.0.71"]}}, servers={"127.0.0.71": VHost.of(pki.leaf(dns=[HOST]))}, trust=[pki.root.cert])
    code, report = site.check(HOST, *site.resolve(HOST, "127.0.0.72"))
    assert code == 1 and "connect-refused" in codes(report, "error")


def test_a_wrong_certificate_only_dns_names_is_a_warning_with_a_hosts_line(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(
        zone={HOST: {"A": ["127.0.0.74"]}},
        servers={"127.0.0.73": VHost.of(pki.leaf(dns=[HOST])), "127.0.0.74": VHost.of(pki.leaf(dns=["old.example.test"]))},
        trust=[pki.root.cert], hosts=f"127.0.0.1 localhost\n127.0.0.73 {HOST}\n",
    )  # fmt: skip
    code, report = site.check(HOST)
    assert (code, codes(report, "error")) == (0, set())
    (mismatch,) = findings(report, "hostname-mismatch")
    assert mismatch["severity"] == "warning" and mismatch["evidence"]["addresses"] == ["127.0.0.74"]
    rows = {r["address"]: (r["on_path"], r["matched"]) for r in step(report, "names")["data"]["addresses"]}
    assert rows == {"127.0.0.73": (True, True), "127.0.0.74": (False, False)}
    (divergent,) = findings(report, "ip-divergent-certs")
    assert divergent["severity"] == "warning" and divergent["evidence"]["off_path"] is True, "only others reach the wrong node"


def test_a_chain_that_differs_on_one_node_names_that_node(make_site: MakeSite, pki: certs.Pki) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = pki.leaf(dns=[HOST], not_before=now - dt.timedelta(days=90), not_after=now - dt.timedelta(days=1))
    site = make_site(
        zone={HOST: {"A": ["127.0.0.75", "127.0.0.76"]}},
        servers={"127.0.0.75": VHost.of(pki.leaf(dns=[HOST])), "127.0.0.76": VHost.of(expired)},
        trust=[pki.root.cert],
    )
    code, report = site.check(HOST)
    assert code == 1
    (stale,) = [f for f in findings(report, "cert-expired") if f["severity"] == "error"]
    assert stale["evidence"]["addresses"] == ["127.0.0.76"]
    rows = {r["address"]: (r["matched"], r["ok"]) for r in step(report, "names")["data"]["addresses"]}
    assert rows == {"127.0.0.75": (True, True), "127.0.0.76": (True, False)}
    assert "ip-divergent-certs" in codes(report, "error")
    _, markdown = site.run(HOST, fmt="md")
    assert "127.0.0.76" in markdown.split("## 6.")[1]


def test_events_stay_in_step_order_while_the_pin_is_fetched_during_dns(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"behaviour": "silent"}}, servers={"127.0.0.77": VHost.of(pki.leaf(dns=[HOST]))}, trust=[pki.root.cert])
    events = asyncio.run(_events(site, "127.0.0.77"))
    started = [e.step for e in events if isinstance(e, StepStarted)]
    assert started == list(StepId)
    order = [(type(e).__name__, getattr(e, "step", None) or e.result.step) for e in events if isinstance(e, (StepStarted, StepFinished, StepProgress))]
    fetch_started = order.index(("StepStarted", StepId.FETCH))
    assert all(i > fetch_started for i, (kind, s) in enumerate(order) if kind == "StepProgress" and s is StepId.FETCH)
    assert order.index(("StepFinished", StepId.DNS)) < fetch_started
    server = site.servers["127.0.0.77"]
    assert server.records, "the pinned address was fetched"


async def _events(site: Site, address: str) -> list[object]:
    options = build_request(
        HOST, port=site.port, resolves=[f"{HOST}:{site.port}:{address}"],
        nameservers=[f"{site.dns.address}:{site.dns.port}"], hosts_file=str(site.hosts_file),
        ca_files=[str(site.ca_file)], timeout=1.0, offline=True,
    )  # fmt: skip
    return [event async for event in walk(options)]


def test_an_rsa_1024_key_is_an_error_for_curl_and_a_warning_for_java(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"A": ["127.0.0.78"]}}, servers={"127.0.0.78": VHost.of(pki.leaf(dns=[HOST], key_kind="rsa-1024"))}, trust=[pki.root.cert])
    curl_code, curl = site.check(HOST, "--client", "curl")
    java_code, java = site.check(HOST, "--client=java")
    assert (curl_code, findings(curl, "weak-key")[0]["severity"]) == (1, "error")
    assert (java_code, findings(java, "weak-key")[0]["severity"]) == (0, "warning")
    assert curl["clients"] == {"asked": ["curl"], "fail": ["curl"], "pass": []}
    assert java["clients"] == {"asked": ["java"], "fail": [], "pass": ["java"]}
    _, both = site.check(HOST, "--client", "java,python")
    assert both["clients"] == {"asked": ["java", "python"], "fail": ["python"], "pass": ["java"]}
    _, text = site.text(HOST, "--client", "java", "--client", "node")
    assert "Clients: fail: none · pass: java, node" in text


def test_without_client_every_client_is_listed(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"A": ["127.0.0.79"]}}, servers={"127.0.0.79": VHost.of(pki.leaf(dns=[HOST]))}, trust=[pki.root.cert])
    code, report = site.check(HOST)
    assert code == 0
    assert report["clients"]["fail"] == [] and len(report["clients"]["pass"]) == 9
