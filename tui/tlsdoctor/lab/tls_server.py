"""Real TLS servers on loopback (pyOpenSSL) for the broken setups of the field.

Why pyOpenSSL and not `ssl`: the stdlib cannot choose the CA names sent in a
CertificateRequest, nor send a chain exactly as given (wrong order, missing
intermediate, root included). Here a `VHost.chain` is sent byte for byte after
the leaf, SNI picks the vhost, `ClientAuth` asks for (and checks) a client
certificate, and `HttpBehaviour` imitates what nginx or Node do after the
handshake. Test and demo infrastructure only: loopback addresses, bounded
threads, everything stops in about a second. Never used against the network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from OpenSSL import SSL, crypto

from tlsdoctor.lab.certs import Issued, PrivateKey
from tlsdoctor.lab.http import (
    IDENTITY_REJECT_BODY,
    NGINX_CERT_ERROR_BODY,
    NGINX_NO_CERT_BODY,
    HttpBehaviour,
    HttpKind,
    http_response,
)
from tlsdoctor.lab.tcp import LoopbackServer, set_recv_timeout, start_on_same_port

__all__ = [
    "ClientAuth",
    "ConnectionRecord",
    "HttpBehaviour",
    "HttpKind",
    "TlsServer",
    "VHost",
    "serve_tls",
    "start_on_same_port",
]

_SSL_MODE_NO_AUTO_CHAIN = 0x00000008  # openssl/ssl.h; pyOpenSSL exports no name for it
_CONN_TIMEOUT = 5.0  # a silent client holds a connection thread at most this long


@dataclass(frozen=True)
class VHost:
    """A certificate, its key, and `chain`: EXACTLY the certificates sent after the leaf."""

    cert: Issued | x509.Certificate
    key: PrivateKey | None = field(default=None, repr=False)
    chain: tuple[x509.Certificate, ...] = ()

    @classmethod
    def of(cls, issued: Issued, *, include_root: bool = False) -> VHost:
        """The usual, correct setup: leaf + intermediates (+ the root if asked)."""
        chain = tuple(c for c in issued.chain if include_root or c.issuer != c.subject)
        return cls(cert=issued, chain=chain)

    @property
    def leaf(self) -> x509.Certificate:
        return self.cert.cert if isinstance(self.cert, Issued) else self.cert

    @property
    def private_key(self) -> PrivateKey:
        if self.key is not None:
            return self.key
        if isinstance(self.cert, Issued):
            return self.cert.key
        raise ValueError("VHost needs a key when cert is a bare certificate")


@dataclass(frozen=True)
class ClientAuth:
    """Ask for a client certificate and verify it against `ca_certs`.

    `send_ca_list=False` sends an empty CA list; `ca_list` overrides the names
    advertised (e.g. advertise a CA other than the one that verifies).
    """

    ca_certs: tuple[x509.Certificate, ...]
    require: bool = True
    send_ca_list: bool = True
    ca_list: tuple[x509.Name, ...] | None = None
    verify_depth: int = 4


@dataclass
class ConnectionRecord:
    """What the server saw on one connection (for tests and the demo)."""

    server_name: str | None = None
    at: float = field(default_factory=time.monotonic)  # when the connection was accepted (time.monotonic)
    client_chain: tuple[x509.Certificate, ...] = ()  # as the client sent it, leaf first
    verify_errors: list[tuple[int, int]] = field(default_factory=list)  # (depth, X509 error number)
    handshake_ok: bool = False
    error: str | None = None
    http_status: int | None = None
    closed_silently: bool = False

    @property
    def client_verified(self) -> bool:
        return bool(self.client_chain) and not self.verify_errors


_PLACEHOLDER_KEY = ec.generate_private_key(ec.SECP256R1())


def _name_holder(name: x509.Name) -> x509.Certificate:
    """A throwaway certificate whose subject is `name`: pyOpenSSL's non-deprecated
    way to put an arbitrary name in the CertificateRequest is `add_client_ca(cert)`."""
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(_PLACEHOLDER_KEY.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=1))
        .sign(_PLACEHOLDER_KEY, hashes.SHA256())
    )


def _identities(cert: x509.Certificate) -> list[str]:
    names = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return names
    for general_name in san:
        names.append(str(general_name.value))
    return names


class TlsServer(LoopbackServer):
    """A TLS server on loopback: SNI vhosts, an exact chain, optional client auth and HTTP."""

    def __init__(
        self,
        default: VHost,
        sni: Mapping[str, VHost] | None = None,
        *,
        min_version: int | None = None,
        max_version: int | None = None,
        client_auth: ClientAuth | None = None,
        http: HttpBehaviour | None = None,
        address: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(address=address, port=port)
        if http is not None and http.kind != HttpKind.OK and client_auth is None:
            raise ValueError("this HTTP behaviour needs client_auth")
        self.default = default
        self.sni = {name.lower().rstrip("."): vhost for name, vhost in (sni or {}).items()}
        self.min_version = min_version
        self.max_version = max_version
        self.client_auth = client_auth
        self.http = http
        self.records: list[ConnectionRecord] = []
        self._default_ctx = self._context(default, with_sni_callback=True)
        self._sni_ctx = {name: self._context(vhost) for name, vhost in self.sni.items()}

    # TLS configuration ---------------------------------------------------
    def _context(self, vhost: VHost, *, with_sni_callback: bool = False) -> SSL.Context:
        ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
        if self.min_version is not None:
            ctx.set_min_proto_version(self.min_version)
        if self.max_version is not None:
            ctx.set_max_proto_version(self.max_version)
        # Security level 0: the lab must be able to serve what clients refuse (RSA-1024, SHA-1);
        # judging such certificates is the client's job (and tlsdoctor's), not the server's.
        ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
        ctx.use_certificate(vhost.leaf)
        ctx.use_privatekey(vhost.private_key)
        for cert in vhost.chain:  # sent exactly as given, after the leaf
            ctx.add_extra_chain_cert(cert)
        # Never let OpenSSL complete the chain from the trust store (the
        # client-auth CAs live there): a leaf-only vhost must send the leaf only.
        ctx.set_mode(_SSL_MODE_NO_AUTO_CHAIN)
        auth = self.client_auth
        if auth is not None:
            store = ctx.get_cert_store()
            assert store is not None
            for ca in auth.ca_certs:
                store.add_cert(crypto.X509.from_cryptography(ca))
            if auth.send_ca_list:
                if auth.ca_list is not None:
                    for name in auth.ca_list:
                        ctx.add_client_ca(_name_holder(name))
                else:
                    for ca in auth.ca_certs:
                        ctx.add_client_ca(ca)
            mode = SSL.VERIFY_PEER
            if auth.require and not (self.http is not None and self.http.kind == HttpKind.REJECT_NO_CERT):
                mode |= SSL.VERIFY_FAIL_IF_NO_PEER_CERT
            ctx.set_verify(mode, self._verify)
            ctx.set_verify_depth(auth.verify_depth)
        else:
            ctx.set_verify(SSL.VERIFY_NONE)
        if with_sni_callback:
            ctx.set_tlsext_servername_callback(self._on_sni)
        return ctx

    def _verify(self, conn: SSL.Connection, cert: Any, errnum: int, depth: int, ok: int) -> bool:
        record: ConnectionRecord = conn.get_app_data()
        if not ok:
            record.verify_errors.append((depth, errnum))
        if self.http is not None and self.http.permissive_tls:
            return True  # decide after the handshake, like nginx and Node
        return bool(ok)

    def _on_sni(self, conn: SSL.Connection) -> None:
        raw = conn.get_servername()
        record: ConnectionRecord = conn.get_app_data()
        if raw is None:
            return
        name = raw.decode("ascii", errors="replace")
        record.server_name = name
        ctx = self._sni_ctx.get(name.lower().rstrip("."))
        if ctx is not None:
            conn.set_context(ctx)

    # connection handling ---------------------------------------------------
    def handle(self, sock: socket.socket) -> None:
        record = ConnectionRecord()
        self.records.append(record)
        set_recv_timeout(sock, _CONN_TIMEOUT)
        conn = SSL.Connection(self._default_ctx, sock)
        conn.set_app_data(record)
        conn.set_accept_state()
        try:
            conn.do_handshake()
        except SSL.WantReadError:
            record.error = "timeout"
            return
        except SSL.Error as exc:
            record.error = _one_line(exc)
            # The alert is on its way; drain the client's data (a TLS 1.3
            # client may already have sent a request) so close() sends FIN,
            # not an RST that could overtake the alert.
            self.lingering_close(sock)
            return
        record.handshake_ok = True
        record.client_chain = _client_chain(conn)
        if self.http is None:
            self._drain_tls(conn)
        else:
            self._answer_http(conn, record)
        self.lingering_close(sock)

    def _drain_tls(self, conn: SSL.Connection) -> None:
        """No HTTP: read until the client closes (bounded by the socket timeout or stop)."""
        while not self.stopping.is_set():
            try:
                if not conn.recv(65536):
                    return
            except (SSL.Error, OSError):
                return
        return

    def _read_request(self, conn: SSL.Connection) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536 and not self.stopping.is_set():
            try:
                chunk = conn.recv(65536)
            except (SSL.Error, OSError):
                break
            if not chunk:
                break
            data += chunk
        return data

    def _answer_http(self, conn: SSL.Connection, record: ConnectionRecord) -> None:
        assert self.http is not None
        kind = self.http.kind
        if kind == HttpKind.SILENT_CLOSE and not record.client_verified:
            record.closed_silently = True
            return  # the caller closes the socket: FIN, no alert, no close_notify
        request = self._read_request(conn)
        if not request:
            return
        response = self._decide(record)
        try:
            conn.sendall(response)
            conn.shutdown()  # close_notify
        except (SSL.Error, OSError):
            pass

    def _decide(self, record: ConnectionRecord) -> bytes:
        assert self.http is not None
        kind = self.http.kind
        if kind == HttpKind.REJECT_NO_CERT:
            if not record.client_chain:
                record.http_status = 400
                return http_response(400, "Bad Request", NGINX_NO_CERT_BODY, "text/html")
            if record.verify_errors:
                record.http_status = 400
                return http_response(400, "Bad Request", NGINX_CERT_ERROR_BODY, "text/html")
        if kind == HttpKind.REJECT_IDENTITY:
            expected = (self.http.expected_identity or "").lower()
            names = [n.lower() for n in _identities(record.client_chain[0])] if record.client_chain else []
            if expected not in names:
                record.http_status = 403
                return http_response(403, "Forbidden", IDENTITY_REJECT_BODY)
        record.http_status = 200
        return http_response(200, "OK", "hello")


def _client_chain(conn: SSL.Connection) -> tuple[x509.Certificate, ...]:
    """The client's certificates, leaf first (on a server, OpenSSL's peer chain omits the leaf)."""
    leaf = conn.get_peer_certificate(as_cryptography=True)
    if leaf is None:
        return ()
    return (leaf, *(conn.get_peer_cert_chain(as_cryptography=True) or ()))


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, SSL.Error) and exc.args and isinstance(exc.args[0], list):
        return "; ".join(str(part[-1]) for part in exc.args[0]) or type(exc).__name__
    return " ".join(str(exc).split()) or type(exc).__name__


@contextlib.contextmanager
def serve_tls(default: VHost | Issued, sni: Mapping[str, VHost] | None = None, **kwargs: Any) -> Iterator[TlsServer]:
    """A started `TlsServer`, stopped on exit. A bare `Issued` means `VHost.of(issued)`."""
    vhost = VHost.of(default) if isinstance(default, Issued) else default
    server = TlsServer(vhost, sni, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()
