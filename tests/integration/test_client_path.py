"""Truth along the client's path (issue 10 §1, §2, §5): a finding counts where the failing client goes.

Each rule has its failing case beside its passing one, on real DNS and TLS servers on
loopback. `--resolve` and a hosts-file line take DNS off the client's road: a DNS
failure is then context, never the error or the top diagnosis. Every address a client
may reach is judged, not only the first one.
"""

from __future__ import annotations

import socket
import time

import pytest
from sites import MakeSite, codes, findings, step

from tlsdoctor.lab import certs
from tlsdoctor.lab.tls_server import VHost

ZONE_HOST = "api.example.test"


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("Client Path Lab")


def _leaf(pki: certs.Pki, *names: str, ips: tuple[str, ...] = ()) -> VHost:
    return VHost.of(pki.leaf(dns=list(names), ips=list(ips), cn=names[0] if names else None))


# --- §1 the resolution path decides what DNS findings mean ------------------------------------


def test_a_pinned_address_takes_dns_off_the_clients_path(make_site: MakeSite, pki: certs.Pki) -> None:
    """curl's pre-cutover test: the name does not resolve yet, `--resolve` pins the new server."""
    site = make_site(zone={}, servers={"127.0.0.41": _leaf(pki, ZONE_HOST)}, trust=[pki.root.cert])
    code, report = site.check(ZONE_HOST, *site.resolve(ZONE_HOST, "127.0.0.41"))
    assert (code, report["verdict"]) == (0, "ok"), codes(report, "error")
    assert not codes(report, "error")
    dns = findings(report, "dns-nxdomain")
    assert dns and all(f["severity"] in ("info", "warning") for f in dns)
    assert all(d["kb_id"] != "NET-3001" for d in report["diagnosis"][:1])


def test_without_the_pin_the_same_name_does_not_resolve(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={}, servers={"127.0.0.41": _leaf(pki, ZONE_HOST)}, trust=[pki.root.cert])
    code, report = site.check(ZONE_HOST)
    assert (code, report["verdict"]) == (1, "problem")
    assert "dns-nxdomain" in codes(report, "error")
    assert report["diagnosis"][0]["kb_id"] == "NET-3001"


def test_a_hosts_line_the_client_uses_takes_dns_off_its_path(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(
        zone={}, servers={"127.0.0.42": _leaf(pki, ZONE_HOST)}, trust=[pki.root.cert],
        hosts=f"127.0.0.1 localhost\n127.0.0.42 {ZONE_HOST}\n",
    )  # fmt: skip
    code, report = site.check(ZONE_HOST)
    assert (code, report["verdict"]) == (0, "ok"), codes(report, "error")
    assert "hosts-override" not in codes(report), "DNS gave no answer: there is nothing to override"


def test_a_hosts_line_that_differs_from_a_dns_answer_is_an_override(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(
        zone={ZONE_HOST: {"A": ["127.0.0.43"]}},
        servers={"127.0.0.42": _leaf(pki, ZONE_HOST), "127.0.0.43": _leaf(pki, ZONE_HOST)},
        trust=[pki.root.cert], hosts=f"127.0.0.1 localhost\n127.0.0.42 {ZONE_HOST}\n",
    )  # fmt: skip
    code, report = site.check(ZONE_HOST)
    assert "hosts-override" in codes(report)
    assert not codes(report, "error") and code == 0  # both servers are healthy: an override is not an error


def test_localhost_refused_is_about_the_connection_not_dns(make_site: MakeSite) -> None:
    """`localhost:1`: the hosts file answers; nothing listens. The fix is the server, not the hosts file."""
    site = make_site(zone={})
    code, report = site.check("localhost")
    assert code == 1
    assert "connect-refused" in codes(report, "error")
    assert not {"dns-nxdomain", "dns-no-address", "dns-timeout", "dns-error"} & codes(report, "error")
    assert report["diagnosis"][0]["kb_id"] == "NET-3002"
    commands = [c for d in report["diagnosis"] for w in d["workarounds"] for c in w["commands"]]
    assert not [c for c in commands if "localhost" in c and "hosts" in c], commands


def test_a_pinned_address_does_not_wait_for_a_silent_resolver(make_site: MakeSite, pki: certs.Pki) -> None:
    """The handshakes start at once; a resolver that never answers costs no time before them."""
    server = _leaf(pki, ZONE_HOST)
    site = make_site(zone={ZONE_HOST: {"behaviour": "silent"}}, servers={"127.0.0.44": server}, trust=[pki.root.cert])
    started = time.monotonic()
    code, report = site.check(ZONE_HOST, *site.resolve(ZONE_HOST, "127.0.0.44"), timeout=4.0)
    first_connection = min(r.at for r in site.servers["127.0.0.44"].records)
    assert first_connection - started < 2.0, "the handshake waited for DNS"  # DNS alone takes 4 s here
    assert code == 0 and report["verdict"] == "ok"
    assert {f["severity"] for f in findings(report, "dns-timeout")} <= {"info", "warning"}


# --- §2 every address tells its own story ------------------------------------------------------


@pytest.mark.parametrize("stale_first", [False, True], ids=["stale-second", "stale-first"])
def test_a_stale_node_behind_round_robin_is_a_mismatch_naming_its_address(
    make_site: MakeSite, pki: certs.Pki, stale_first: bool
) -> None:
    good, stale = "127.0.0.51", "127.0.0.52"
    order = [stale, good] if stale_first else [good, stale]
    site = make_site(
        zone={"lb.example.test": {"A": order}},
        servers={good: _leaf(pki, "lb.example.test"), stale: _leaf(pki, "lb-old.example.test")},
        trust=[pki.root.cert],
    )
    code, report = site.check("lb.example.test")
    assert code == 1
    mismatch = [f for f in findings(report, "hostname-mismatch") if f["severity"] == "error"]
    assert mismatch, codes(report)
    named = {a for f in mismatch for a in f["evidence"].get("addresses", [])}
    assert named == {stale}
    per_address = {row["address"]: row["matched"] for row in step(report, "names")["data"]["addresses"]}
    assert per_address == {good: True, stale: False}
    _, text = site.text("lb.example.test")
    names_section = text.split("5. ")[1].split("6. ")[0]
    assert stale in names_section and good in names_section


def test_two_healthy_nodes_are_no_mismatch(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(
        zone={"lb.example.test": {"A": ["127.0.0.53", "127.0.0.54"]}},
        servers={a: _leaf(pki, "lb.example.test") for a in ("127.0.0.53", "127.0.0.54")},
        trust=[pki.root.cert],
    )
    code, report = site.check("lb.example.test")
    assert "hostname-mismatch" not in codes(report)
    assert code == 0, codes(report, "error")  # two certificates for one name: not a mismatch
    assert all(row["matched"] for row in step(report, "names")["data"]["addresses"])


# --- §5 names: --resolve with IPv6 ------------------------------------------------------------------


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_resolve_takes_an_ipv6_address(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={}, servers={"::1": _leaf(pki, "v6.example.test")}, trust=[pki.root.cert])
    code, report = site.check("v6.example.test", *site.resolve("v6.example.test", "::1"))
    assert code == 0, codes(report, "error")
    assert step(report, "fetch")["data"]["used_addresses"] == ["::1"]


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_an_ipv6_literal_target_matches_an_ip_san(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={}, servers={"::1": _leaf(pki, "v6.example.test", ips=("::1",))}, trust=[pki.root.cert])
    code, report = site.check(f"[::1]:{site.port}")
    assert code == 0, codes(report, "error")
    assert step(report, "names")["data"]["matched"] is True
