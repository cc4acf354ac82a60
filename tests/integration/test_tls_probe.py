"""The TLS fetch probe and the fetch analysis, against real loopback servers.

Every case next to its opposite: the chain exactly as sent, with and without
SNI; every network fault as data within its deadline; client certificates
accepted and refused in TLS 1.2 and 1.3; and the findings the fetch step
raises from what it saw.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL

from tlsdoctor.analysis.fetch import analyse_fetch
from tlsdoctor.facts.tls import (
    BOGUS_SNI,
    ClientCredentials,
    FetchError,
    Handshake,
    SniMode,
)
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.certs import EKU_CLIENT, Issued, Pki, make_ca, make_leaf, make_pki
from tlsdoctor.lab.tcp import (
    BlackHoleServer,
    PlainHttpServer,
    ResetServer,
    closed_port,
    start_on_same_port,
)
from tlsdoctor.lab.tls_server import (
    ClientAuth,
    HttpBehaviour,
    TlsServer,
    VHost,
    serve_tls,
)
from tlsdoctor.probe.tls import DETAIL_SILENT_CLOSE, fetch, fetch_all

TLS12, TLS13 = SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("Probe Test")


@pytest.fixture(scope="module")
def site(pki: Pki) -> Issued:
    return pki.leaf(dns=["site.test"], cn="site.test")


@pytest.fixture(scope="module")
def default_site(pki: Pki) -> Issued:
    return pki.leaf(dns=["default.test"], cn="default.test")


@pytest.fixture(scope="module")
def alice(pki: Pki) -> Issued:
    return pki.leaf(cn="alice", dns=["alice.clients.test"], eku=EKU_CLIENT)


def creds(issued: Issued, *chain: bytes) -> ClientCredentials:
    return ClientCredentials(chain_der=(issued.der, *chain), key_pem=issued.key_pem)


def der_of(issued: Issued | Pki) -> bytes:
    cert = issued.cert if isinstance(issued, Issued) else issued.intermediate.cert
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def vhosts(site: Issued, default_site: Issued) -> Iterator[TlsServer]:
    """Default vhost `default.test`, SNI vhost `site.test` (the classic default-vhost trap)."""
    with serve_tls(VHost.of(default_site), {"site.test": VHost.of(site)}) as server:
        yield server


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


# --- the presented chain -------------------------------------------------------


async def test_chain_is_fetched_exactly_as_sent(pki: Pki, site: Issued) -> None:
    chain = (pki.root.cert, pki.intermediate.cert)  # reversed, root included: kept as is
    with serve_tls(VHost(site, chain=chain)) as server:
        handshake = await fetch("127.0.0.1", server.port, "site.test", SniMode.SNI, 2)
    assert handshake.ok and handshake.error is None
    assert list(handshake.presented_chain) == [site.der, der_of(pki.root), der_of(pki)]
    assert handshake.protocol == "TLSv1.3" and handshake.cipher
    assert handshake.server_name == "site.test"
    assert not handshake.certificate_requested


@pytest.mark.parametrize(
    ("mode", "sent", "leaf"),
    [(SniMode.SNI, "site.test", "site"), (SniMode.NO_SNI, None, "default"), (SniMode.BOGUS, BOGUS_SNI, "default")],
)
async def test_sni_modes(
    vhosts: TlsServer, site: Issued, default_site: Issued, mode: SniMode, sent: str | None, leaf: str
) -> None:
    handshake = await fetch("127.0.0.1", vhosts.port, "site.test", mode, 2)
    assert handshake.ok
    assert handshake.server_name == sent
    assert vhosts.records[-1].server_name == sent  # what the server really received
    assert handshake.presented_chain[0] == {"site": site.der, "default": default_site.der}[leaf]


async def test_ip_literal_target_sends_no_sni(vhosts: TlsServer, default_site: Issued) -> None:
    handshake = await fetch("127.0.0.1", vhosts.port, "127.0.0.1", SniMode.SNI, 2)
    assert handshake.ok and handshake.server_name is None
    assert vhosts.records[-1].server_name is None
    assert handshake.presented_chain[0] == default_site.der


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback here")
async def test_ipv6_loopback(site: Issued) -> None:
    with serve_tls(site, address="::1") as server:
        handshake = await fetch("::1", server.port, "site.test", SniMode.SNI, 2)
    assert handshake.ok and handshake.address == "::1"
    assert handshake.presented_chain[0] == site.der


async def test_to_json_is_json_ready_and_has_the_chain(pki: Pki, site: Issued, alice: Issued) -> None:
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,), require=False)) as server:
        handshake = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2, client=creds(alice, der_of(pki))
        )
    data = handshake.to_json()
    text = json.dumps(data)
    assert data["chain_sha256"] == list(handshake.chain_sha256) and len(data["chain_sha256"]) == 2
    assert data["chain_pem"][0].startswith("-----BEGIN CERTIFICATE-----")
    assert data["sni_mode"] == "sni" and data["client_cert_sent"] is True
    assert "PRIVATE KEY" not in text and "PRIVATE KEY" not in repr(handshake)
    assert "PRIVATE" not in repr(creds(alice)) and "PRIVATE" not in str(creds(alice))


def test_client_credentials_from_pem(pki: Pki, alice: Issued) -> None:
    loaded = ClientCredentials.from_pem(alice.chain_pem(), alice.key_pem)
    assert loaded.chain_der == (alice.der, der_of(pki), pki.root.der)
    assert "PRIVATE" not in repr(loaded)
    with pytest.raises(ValueError):
        ClientCredentials.from_pem(b"not a certificate", alice.key_pem)


# --- network faults as data -------------------------------------------------------


async def test_refused_port() -> None:
    handshake = await fetch("127.0.0.1", closed_port(), "site.test", SniMode.SNI, 2)
    assert not handshake.ok and handshake.error == FetchError.REFUSED
    assert handshake.error_detail and "refused" in handshake.error_detail.lower()


async def test_black_hole_times_out_on_the_deadline() -> None:
    with BlackHoleServer() as hole:
        started = time.monotonic()
        handshake = await fetch("127.0.0.1", hole.port, "site.test", SniMode.SNI, 1.0)
        elapsed = time.monotonic() - started
    assert handshake.error == FetchError.TIMEOUT and not handshake.ok
    assert 0.9 <= elapsed < 3.0


async def test_drip_feeding_server_still_ends_on_the_deadline() -> None:
    """A server that sends one byte of a TLS-looking record at a time must not stretch the deadline."""

    class Drip(BlackHoleServer):
        def handle(self, sock: socket.socket) -> None:
            for byte in b"\x16\x03\x03\x40\x00" + b"\x00" * 100:
                if self.stopping.wait(0.1):
                    return
                sock.sendall(bytes([byte]))

    with Drip() as drip:
        started = time.monotonic()
        handshake = await fetch("127.0.0.1", drip.port, "site.test", SniMode.SNI, 1.0)
        elapsed = time.monotonic() - started
    assert handshake.error == FetchError.TIMEOUT
    assert elapsed < 3.0


async def test_reset_server_is_reset() -> None:
    with ResetServer() as reset:
        handshake = await fetch("127.0.0.1", reset.port, "site.test", SniMode.SNI, 2)
    assert handshake.error == FetchError.RESET and not handshake.ok


async def test_plain_http_is_not_tls() -> None:
    with PlainHttpServer() as http:
        handshake = await fetch("127.0.0.1", http.port, "site.test", SniMode.SNI, 2)
    assert handshake.error == FetchError.NOT_TLS and not handshake.ok
    assert handshake.error_detail


async def test_unparseable_address_is_unreachable_not_raised() -> None:
    handshake = await fetch("not-an-ip", 443, "site.test", SniMode.SNI, 1)
    assert handshake.error == FetchError.UNREACHABLE


async def test_fetch_all_runs_in_parallel_and_keeps_order() -> None:
    holes = [BlackHoleServer(address=f"127.0.0.{i}") for i in (2, 3, 4)]
    try:
        port = start_on_same_port(holes)
        started = time.monotonic()
        handshakes = await fetch_all(["127.0.0.2", "127.0.0.3", "127.0.0.4"], port, "site.test", 1.0)
        elapsed = time.monotonic() - started
    finally:
        for hole in holes:
            hole.stop()
    assert elapsed < 2.5  # nine attempts of 1 s each, in parallel: about one timeout
    assert [(h.address, h.sni_mode) for h in handshakes] == [
        (a, m) for a in ("127.0.0.2", "127.0.0.3", "127.0.0.4") for m in (SniMode.SNI, SniMode.NO_SNI, SniMode.BOGUS)
    ]
    assert {h.error for h in handshakes} == {FetchError.TIMEOUT}


async def test_fetch_all_semaphore_bounds_parallelism() -> None:
    with BlackHoleServer() as hole:
        started = time.monotonic()
        handshakes = await fetch_all(
            ["127.0.0.1"], hole.port, None, 0.3, modes=(SniMode.SNI, SniMode.NO_SNI), max_parallel=1
        )
        elapsed = time.monotonic() - started
    assert len(handshakes) == 2
    assert elapsed >= 0.55  # one after the other


# --- client certificates -------------------------------------------------------------


@pytest.mark.parametrize("version", [TLS12, TLS13])
async def test_client_cert_accepted(pki: Pki, site: Issued, alice: Issued, version: int) -> None:
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,)), max_version=version, http=HttpBehaviour.ok()) as server:
        handshake = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2,
            client=creds(alice, der_of(pki)), read_after_handshake=True, http_host="site.test",
        )
        record = server.records[-1]
    assert handshake.ok and handshake.error is None and handshake.alert is None
    assert handshake.protocol == ("TLSv1.3" if version == TLS13 else "TLSv1.2")
    assert handshake.certificate_requested and handshake.client_cert_sent
    assert handshake.acceptable_client_cas == (pki.root.cert.subject.rfc4514_string(),)
    assert handshake.http_status == 200 and handshake.http_body_excerpt == "hello"
    assert record.client_verified and record.client_chain[0].subject == alice.cert.subject


@pytest.mark.parametrize(("version", "during"), [(TLS12, "handshake"), (TLS13, "read")])
async def test_client_cert_from_another_ca_gets_unknown_ca(pki: Pki, site: Issued, version: int, during: str) -> None:
    stranger = make_leaf(make_ca("Stranger CA"), cn="mallory", eku=EKU_CLIENT)
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,)), max_version=version) as server:
        handshake = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2,
            client=creds(stranger), read_after_handshake=True, http_host="site.test",
        )
    assert handshake.alert == 48 and handshake.alert_during == during
    assert handshake.error == FetchError.HANDSHAKE
    assert handshake.ok is (version == TLS13)  # TLS 1.3: the handshake completes, the read fails
    assert handshake.error_detail and "unknown ca" in handshake.error_detail
    assert handshake.client_cert_sent


@pytest.mark.parametrize(("version", "alert"), [(TLS12, 40), (TLS13, 116)])
async def test_no_client_cert(pki: Pki, site: Issued, version: int, alert: int) -> None:
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert, pki.intermediate.cert)), max_version=version) as server:
        handshake = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2, read_after_handshake=True, read_window=1.0
        )
    assert handshake.alert == alert and handshake.error == FetchError.HANDSHAKE
    assert handshake.certificate_requested and not handshake.client_cert_sent
    assert handshake.acceptable_client_cas == (
        pki.root.cert.subject.rfc4514_string(),
        pki.intermediate.cert.subject.rfc4514_string(),
    )
    assert handshake.elapsed_ms < 1500
    assert handshake.presented_chain[0] == site.der  # TLS 1.2 too: the server's chain came before the refusal


async def test_certificate_request_with_empty_ca_list_is_still_seen(pki: Pki, site: Issued) -> None:
    auth = ClientAuth((pki.root.cert,), require=False, send_ca_list=False)
    with serve_tls(site, client_auth=auth) as server:
        handshake = await fetch("127.0.0.1", server.port, "site.test", SniMode.SNI, 2)
    assert handshake.ok and handshake.certificate_requested and handshake.acceptable_client_cas == ()


async def test_mismatched_client_key_is_data_and_never_shown(pki: Pki, site: Issued, alice: Issued) -> None:
    wrong = ClientCredentials(chain_der=(alice.der,), key_pem=make_leaf(None, cn="x").key_pem)
    with serve_tls(site) as server:
        handshake = await fetch("127.0.0.1", server.port, "site.test", SniMode.SNI, 2, client=wrong)
    assert not handshake.ok and handshake.error == FetchError.HANDSHAKE
    assert handshake.error_detail == "client key does not match the client certificate"


@pytest.mark.parametrize("version", [TLS12, TLS13])
@pytest.mark.parametrize(
    ("http", "client", "status", "excerpt"),
    [
        (HttpBehaviour.reject_no_cert(), None, 400, "No required SSL certificate was sent"),
        (HttpBehaviour.reject_no_cert(), "alice", 200, "hello"),
        (HttpBehaviour.reject_identity("bob"), "alice", 403, "Client certificate identity not mapped"),
        (HttpBehaviour.reject_identity("alice.clients.test"), "alice", 200, "hello"),
    ],
)
async def test_http_rejections(
    pki: Pki, site: Issued, alice: Issued, version: int, http: HttpBehaviour, client: str | None, status: int, excerpt: str
) -> None:
    auth = ClientAuth((pki.root.cert,), require=http.kind != "reject_no_cert")
    with serve_tls(site, client_auth=auth, max_version=version, http=http) as server:
        handshake = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2,
            client=creds(alice, der_of(pki)) if client else None, read_after_handshake=True, http_host="site.test",
        )
    assert handshake.ok and handshake.error is None and handshake.alert is None
    assert handshake.http_status == status
    assert handshake.http_body_excerpt is not None and excerpt in handshake.http_body_excerpt
    assert len(handshake.http_body_excerpt) <= 200


@pytest.mark.parametrize("version", [TLS12, TLS13])
async def test_silent_close_is_detected(pki: Pki, site: Issued, alice: Issued, version: int) -> None:
    stranger = make_leaf(make_ca("Stranger CA"), cn="mallory", eku=EKU_CLIENT)
    auth = ClientAuth((pki.root.cert,))
    with serve_tls(site, client_auth=auth, max_version=version, http=HttpBehaviour.silent_close()) as server:
        rejected = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2,
            client=creds(stranger), read_after_handshake=True, http_host="site.test",
        )
        accepted = await fetch(
            "127.0.0.1", server.port, "site.test", SniMode.SNI, 2,
            client=creds(alice, der_of(pki)), read_after_handshake=True, http_host="site.test",
        )
    assert rejected.ok and rejected.alert is None
    assert rejected.error == FetchError.RESET and rejected.error_detail == DETAIL_SILENT_CLOSE
    assert accepted.error is None and accepted.http_status == 200


# --- the fetch analysis ------------------------------------------------------------------


def codes(handshakes: tuple[Handshake, ...] | list[Handshake], used: list[str]) -> dict[Code, dict]:
    view = analyse_fetch(handshakes, used_addresses=used)
    json.dumps(view.to_json())  # JSON-ready
    return {f.code: {"severity": f.severity, **f.evidence} for f in view.findings}


async def test_analysis_sni_default_cert(vhosts: TlsServer, site: Issued, default_site: Issued) -> None:
    handshakes = await fetch_all(["127.0.0.1"], vhosts.port, "site.test", 2)
    found = codes(handshakes, ["127.0.0.1"])
    assert set(found) == {Code.SNI_DEFAULT_CERT}
    evidence = found[Code.SNI_DEFAULT_CERT]
    assert evidence["severity"] == Severity.WARNING
    assert evidence["address"] == "127.0.0.1" and evidence["modes"] == ["no-sni", "bogus-sni"]
    assert evidence["sni_sha256"] == handshakes[0].leaf_sha256
    assert "CN=site.test" in evidence["sni_subject"] and "CN=default.test" in evidence["default_subject"]
    view = analyse_fetch(handshakes, used_addresses=["127.0.0.1"])
    assert view.primary is handshakes[0] and view.primary.presented_chain[0] == site.der


async def test_analysis_same_cert_everywhere_is_clean(site: Issued) -> None:
    with serve_tls(site) as server:
        handshakes = await fetch_all(["127.0.0.1"], server.port, "site.test", 2)
    assert codes(handshakes, ["127.0.0.1"]) == {}


async def test_analysis_ip_divergent_certs(site: Issued, pki: Pki) -> None:
    old = pki.leaf(dns=["site.test"], cn="site.test old")
    servers = [TlsServer(VHost.of(site), address="127.0.0.2"), TlsServer(VHost.of(old), address="127.0.0.3")]
    try:
        port = start_on_same_port(servers)
        handshakes = await fetch_all(["127.0.0.2", "127.0.0.3"], port, "site.test", 2, modes=(SniMode.SNI,))
    finally:
        for server in servers:
            server.stop()
    found = codes(handshakes, ["127.0.0.3"])
    assert set(found) == {Code.IP_DIVERGENT_CERTS}
    evidence = found[Code.IP_DIVERGENT_CERTS]
    assert evidence["severity"] == Severity.ERROR and evidence["distinct"] == 2
    assert [c["address"] for c in evidence["certificates"]] == ["127.0.0.2", "127.0.0.3"]
    assert "CN=site.test old" in evidence["certificates"][1]["subject"]
    primary = analyse_fetch(handshakes, used_addresses=["127.0.0.3"]).primary
    assert primary is not None and primary.address == "127.0.0.3"  # the address the client really uses


async def test_analysis_network_faults(site: Issued) -> None:
    servers = [PlainHttpServer(address="127.0.0.2"), ResetServer(address="127.0.0.3"), BlackHoleServer(address="127.0.0.4")]
    try:
        port = start_on_same_port(servers)
        refused_port = closed_port("127.0.0.5")
        handshakes = await fetch_all(["127.0.0.2", "127.0.0.3", "127.0.0.4"], port, "site.test", 1.0, modes=(SniMode.SNI,))
        refused = await fetch("127.0.0.5", refused_port, "site.test", SniMode.SNI, 1.0)
    finally:
        for server in servers:
            server.stop()
    found = codes([*handshakes, refused], ["127.0.0.2"])
    assert set(found) == {Code.NOT_TLS, Code.HANDSHAKE_FAILED, Code.CONNECT_TIMEOUT, Code.CONNECT_REFUSED}
    assert found[Code.NOT_TLS]["addresses"] == ["127.0.0.2"]
    assert found[Code.HANDSHAKE_FAILED]["attempts"][0]["error"] == "reset"
    assert found[Code.CONNECT_TIMEOUT]["addresses"] == ["127.0.0.4"]
    assert found[Code.CONNECT_REFUSED]["addresses"] == ["127.0.0.5"]
    assert {f["severity"] for f in found.values()} == {Severity.ERROR}
    assert analyse_fetch([*handshakes, refused], used_addresses=["127.0.0.2"]).primary is None


async def test_analysis_handshake_failure_carries_the_alert(pki: Pki, site: Issued) -> None:
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,)), max_version=TLS12) as server:
        handshakes = await fetch_all(["127.0.0.1"], server.port, "site.test", 2, modes=(SniMode.SNI,))
    found = codes(handshakes, ["127.0.0.1"])
    assert found[Code.HANDSHAKE_FAILED]["alerts"] == [40]
    assert found[Code.HANDSHAKE_FAILED]["attempts"][0]["alert"] == 40
    assert found[Code.HANDSHAKE_FAILED]["attempts"][0]["certificate_requested"] is True
    primary = analyse_fetch(handshakes, used_addresses=["127.0.0.1"]).primary
    assert primary is not None and not primary.ok and primary.presented_chain[0] == site.der


async def test_analysis_only_no_sni_failing_is_a_warning(site: Issued) -> None:
    """When only the no-SNI attempt fails, only old clients are hurt."""
    with serve_tls(site) as server:
        ok = await fetch("127.0.0.1", server.port, "site.test", SniMode.SNI, 2)
    with BlackHoleServer() as hole:
        stuck = await fetch("127.0.0.1", hole.port, "site.test", SniMode.NO_SNI, 0.3)
    found = codes([ok, stuck], ["127.0.0.1"])
    assert found[Code.CONNECT_TIMEOUT]["severity"] == Severity.WARNING


def test_analysis_of_nothing() -> None:
    view = analyse_fetch([], used_addresses=[])
    assert view.primary is None and view.findings == ()


async def test_probe_is_usable_from_a_running_loop_concurrently(site: Issued) -> None:
    with serve_tls(site) as server:
        results = await asyncio.gather(*(fetch("127.0.0.1", server.port, "site.test", SniMode.SNI, 2) for _ in range(5)))
    assert all(h.ok and h.presented_chain[0] == site.der for h in results)
