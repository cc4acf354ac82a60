"""The lab's TLS and TCP servers: they start, stop, route SNI, send the chain as told, check clients.

Checked with a plain blocking pyOpenSSL client (not the probe), so a bug in
the probe cannot hide a bug in the lab.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL

from tlsdoctor.lab.certs import EKU_CLIENT, Issued, Pki, make_ca, make_leaf, make_pki
from tlsdoctor.lab.tcp import (
    BlackHoleServer,
    PlainHttpServer,
    ResetServer,
    closed_port,
    set_recv_timeout,
    start_on_same_port,
)
from tlsdoctor.lab.tls_server import (
    ClientAuth,
    HttpBehaviour,
    TlsServer,
    VHost,
    serve_tls,
)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("Lab Test")


@pytest.fixture(scope="module")
def site(pki: Pki) -> Issued:
    return pki.leaf(dns=["site.test"], cn="site.test")


@pytest.fixture(scope="module")
def other_site(pki: Pki) -> Issued:
    return pki.leaf(dns=["other.test"], cn="other.test")


@pytest.fixture(scope="module")
def client_cert(pki: Pki) -> Issued:
    return pki.leaf(cn="alice", eku=EKU_CLIENT)


class Seen:
    """What the lab test client saw."""

    def __init__(self) -> None:
        self.chain: list[x509.Certificate] = []
        self.alert: int | None = None
        self.error: str | None = None
        self.protocol: str | None = None
        self.ca_names: list[x509.Name] = []


def handshake(
    port: int,
    sni: str | None = None,
    *,
    address: str = "127.0.0.1",
    client: Issued | None = None,
    client_chain: tuple[x509.Certificate, ...] = (),
    read: bool = False,
) -> Seen:
    """A blocking pyOpenSSL handshake (1 s socket timeout); `read` waits for the TLS 1.3 verdict."""
    seen = Seen()
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_verify(SSL.VERIFY_NONE)

    def info(conn: SSL.Connection, where: int, ret: int) -> None:
        if where & SSL.SSL_CB_READ_ALERT == SSL.SSL_CB_READ_ALERT and seen.alert is None:
            seen.alert = ret & 0xFF

    ctx.set_info_callback(info)
    if client is not None:
        ctx.use_certificate(client.cert)
        ctx.use_privatekey(client.key)
        for cert in client_chain:
            ctx.add_extra_chain_cert(cert)
    with socket.create_connection((address, port), timeout=2) as sock:
        sock.settimeout(None)  # pyOpenSSL wants a blocking fd; SO_RCVTIMEO bounds it
        set_recv_timeout(sock, 2.0)
        conn = SSL.Connection(ctx, sock)
        conn.set_connect_state()
        if sni:
            conn.set_tlsext_host_name(sni.encode())
        try:
            conn.do_handshake()
            seen.chain = conn.get_peer_cert_chain(as_cryptography=True) or []
            seen.protocol = conn.get_protocol_version_name()
            seen.ca_names = conn.get_client_ca_list(as_cryptography=True)
            if read:
                conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                conn.recv(1024)
        except (SSL.Error, OSError) as exc:
            seen.error = repr(exc)
    return seen


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def ders(certs: list[x509.Certificate] | tuple[x509.Certificate, ...]) -> list[bytes]:
    return [der(c) for c in certs]


def wait_until_gone(server: TlsServer | BlackHoleServer, timeout: float = 1.5) -> list[threading.Thread]:
    end = time.monotonic() + timeout
    while server.live_threads() and time.monotonic() < end:
        time.sleep(0.02)
    return server.live_threads()


def port_is_free(address: str, port: int) -> bool:
    """Nothing listens there (SO_REUSEADDR: TIME_WAIT leftovers do not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


# --- lifecycle -------------------------------------------------------------------


def test_server_stops_cleanly_frees_port_and_threads(site: Issued) -> None:
    before = threading.active_count()
    server = TlsServer(VHost.of(site))
    server.start()
    port = server.port
    assert port > 0 and not port_is_free("127.0.0.1", port)
    assert handshake(port, "site.test").chain
    holder = socket.create_connection(("127.0.0.1", port))  # a client that never speaks
    time.sleep(0.05)
    started = time.monotonic()
    server.stop()
    holder.close()
    assert time.monotonic() - started < 1.5
    assert wait_until_gone(server) == []
    assert port_is_free("127.0.0.1", port)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert threading.active_count() <= before


def test_black_hole_holds_until_stop(site: Issued) -> None:
    server = BlackHoleServer().start()
    try:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=0.3)
        with pytest.raises(socket.timeout):
            sock.recv(1)  # never speaks
    finally:
        server.stop()
    assert sock.recv(1) == b""  # closed on stop
    sock.close()
    assert wait_until_gone(server) == []


def test_reset_server_resets_and_plain_http_answers_400() -> None:
    with ResetServer() as reset, PlainHttpServer() as http:
        with socket.create_connection(("127.0.0.1", reset.port), timeout=2) as sock:
            sock.sendall(b"\x16\x03\x01hello")
            with pytest.raises(ConnectionResetError):
                sock.recv(10)
        with socket.create_connection(("127.0.0.1", http.port), timeout=2) as sock:
            sock.sendall(b"\x16\x03\x01hello")
            assert sock.recv(100).startswith(b"HTTP/1.1 400 Bad Request")


def test_closed_port_refuses() -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", closed_port()), timeout=1)


def test_start_on_same_port_binds_every_address(site: Issued, other_site: Issued) -> None:
    servers = [
        TlsServer(VHost.of(site), address="127.0.0.2"),
        TlsServer(VHost.of(other_site), address="127.0.0.3"),
    ]
    try:
        port = start_on_same_port(servers)
        assert [s.port for s in servers] == [port, port]
        assert der(handshake(port, "x.test", address="127.0.0.2").chain[0]) == site.der
        assert der(handshake(port, "x.test", address="127.0.0.3").chain[0]) == other_site.der
    finally:
        for server in servers:
            server.stop()


# --- SNI and chain --------------------------------------------------------------


@pytest.fixture
def sni_server(site: Issued, other_site: Issued) -> Iterator[TlsServer]:
    with serve_tls(VHost.of(site), {"Other.Test": VHost.of(other_site)}) as server:
        yield server


@pytest.mark.parametrize(
    ("sni", "expected"),
    [("other.test", "other"), ("OTHER.test", "other"), ("site.test", "site"), ("unknown.test", "site"), (None, "site")],
)
def test_sni_routes_to_the_right_certificate(
    sni_server: TlsServer, site: Issued, other_site: Issued, sni: str | None, expected: str
) -> None:
    seen = handshake(sni_server.port, sni)
    assert der(seen.chain[0]) == {"site": site.der, "other": other_site.der}[expected]
    assert sni_server.records[-1].server_name == sni


@pytest.mark.parametrize(
    "shape",
    ["leaf-only", "normal", "with-root", "reversed", "extra"],
)
def test_chain_is_sent_exactly_as_configured(pki: Pki, site: Issued, shape: str) -> None:
    stranger = make_ca("Stranger CA").cert
    chain = {
        "leaf-only": (),
        "normal": (pki.intermediate.cert,),
        "with-root": (pki.intermediate.cert, pki.root.cert),
        "reversed": (pki.root.cert, pki.intermediate.cert),
        "extra": (stranger, pki.intermediate.cert),
    }[shape]
    # client_auth puts the PKI in the server's store: OpenSSL must still not complete the chain.
    with serve_tls(VHost(site, chain=chain), client_auth=ClientAuth((pki.root.cert,), require=False)) as server:
        seen = handshake(server.port, "site.test")
    assert ders(seen.chain) == [site.der, *ders(chain)]


def test_vhost_of_leaves_the_root_out(pki: Pki, site: Issued) -> None:
    assert VHost.of(site).chain == (pki.intermediate.cert,)
    assert VHost.of(site, include_root=True).chain == (pki.intermediate.cert, pki.root.cert)


# --- client authentication --------------------------------------------------------


@pytest.mark.parametrize("version", [SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION])
def test_client_auth_strict(pki: Pki, site: Issued, client_cert: Issued, version: int) -> None:
    stranger = make_leaf(make_ca("Stranger CA"), cn="mallory", eku=EKU_CLIENT)
    auth = ClientAuth((pki.root.cert,))
    with serve_tls(site, client_auth=auth, max_version=version, http=HttpBehaviour.ok()) as server:
        good = handshake(server.port, "site.test", client=client_cert, client_chain=(pki.intermediate.cert,), read=True)
        none = handshake(server.port, "site.test", read=True)
        bad = handshake(server.port, "site.test", client=stranger, read=True)
        records = list(server.records)
    assert good.alert is None and good.chain
    assert [r.client_verified for r in records] == [True, False, False]
    assert ders(records[0].client_chain) == [client_cert.der, der(pki.intermediate.cert)]
    assert none.alert == (116 if version == SSL.TLS1_3_VERSION else 40)
    assert bad.alert == 48
    assert records[2].verify_errors  # the server saw why


def test_client_auth_ca_list_override_and_empty(pki: Pki, site: Issued) -> None:
    advertised = x509.Name.from_rfc4514_string("CN=Advertised Only,O=Elsewhere")
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,), require=False, ca_list=(advertised,))) as server:
        assert handshake(server.port).ca_names == [advertised]
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert,), require=False, send_ca_list=False)) as server:
        assert handshake(server.port).ca_names == []
    with serve_tls(site, client_auth=ClientAuth((pki.root.cert, pki.intermediate.cert), require=False)) as server:
        assert handshake(server.port).ca_names == [pki.root.cert.subject, pki.intermediate.cert.subject]


def test_http_behaviour_needs_client_auth(site: Issued) -> None:
    with pytest.raises(ValueError):
        TlsServer(VHost.of(site), http=HttpBehaviour.reject_no_cert())
