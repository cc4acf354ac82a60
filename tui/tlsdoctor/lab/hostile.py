"""Hostile TLS peers on loopback: servers that misbehave on purpose, to prove the probe stays bounded.

Each is a `LoopbackServer` (start/stop, context manager, bounded threads):
a real handshake dripped one byte at a time, garbage right after a real
ServerHello, an immediate fatal alert, a TLS 1.0-only server, and builders
for the certificates hostile servers present (1 MB, a 100-certificate
chain, an issuer loop, 10,000 SANs) that the ordinary `TlsServer` sends.
Test and demo infrastructure only: loopback addresses, never the network,
and nothing here is imported by the probe or the analysis.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from OpenSSL import SSL

from tlsdoctor.lab import certs
from tlsdoctor.lab.tcp import LoopbackServer
from tlsdoctor.lab.tls_server import ConnectionRecord, TlsServer, VHost

__all__ = [
    "ALERT_HANDSHAKE_FAILURE",
    "GARBAGE",
    "AlertServer",
    "DripTlsServer",
    "GarbageAfterHelloServer",
    "Tls10OnlyServer",
    "huge_certificate",
    "long_chain",
    "loop_chain",
]

ALERT_HANDSHAKE_FAILURE = 40
GARBAGE = bytes(range(0xDE, 0x100)) * 512  # ~17 KB that is no TLS record (first byte 0xde)
_RECORD_HEADER = 5
_HELLO_WAIT = 2.0  # seconds a hostile server waits for the ClientHello


def _tls_records(data: bytes) -> list[bytes]:
    """Split TLS records (5-byte header + length); a cut-off tail is returned as the last item."""
    records = []
    while data:
        size = _RECORD_HEADER + int.from_bytes(data[3:5], "big") if len(data) >= _RECORD_HEADER else len(data)
        records.append(data[:size])
        data = data[size:]
    return records


class _BioTlsServer(TlsServer):
    """A `TlsServer` driven over memory BIOs, so a subclass decides what goes on the wire."""

    def _server_flight(self, sock: socket.socket) -> bytes:
        """Read the ClientHello and return the server's first flight, as OpenSSL wrote it."""
        conn = SSL.Connection(self._default_ctx, None)
        conn.set_app_data(ConnectionRecord())
        conn.set_accept_state()
        out = b""
        while not out and not self.stopping.is_set():
            data = self.recv_some(sock, timeout=_HELLO_WAIT)
            if not data:
                return b""
            conn.bio_write(data)
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                pass
            except SSL.Error:
                pass  # its alert is in the outgoing BIO
            while True:
                try:
                    chunk = conn.bio_read(65536)
                except SSL.WantReadError:
                    break
                if not chunk:
                    break
                out += chunk
        return out


class DripTlsServer(_BioTlsServer):
    """A real TLS server whose first flight is sent one byte every `interval` seconds."""

    def __init__(self, default: VHost, *, interval: float = 0.2, **kwargs: object) -> None:
        super().__init__(default, **kwargs)  # type: ignore[arg-type]
        self.interval = interval
        self.bytes_sent = 0

    def handle(self, sock: socket.socket) -> None:
        flight = self._server_flight(sock)
        for i in range(len(flight)):
            if self.stopping.is_set():
                return
            try:
                sock.sendall(flight[i : i + 1])
            except OSError:
                return  # the client gave up and closed
            self.bytes_sent += 1
            if self.stopping.wait(self.interval):
                return


class GarbageAfterHelloServer(_BioTlsServer):
    """Sends a real ServerHello record, then `GARBAGE` instead of the rest of the handshake."""

    def handle(self, sock: socket.socket) -> None:
        flight = self._server_flight(sock)
        records = _tls_records(flight)
        if not records:
            return
        try:
            sock.sendall(records[0] + GARBAGE)
        except OSError:
            return
        self.lingering_close(sock)


class AlertServer(LoopbackServer):
    """Answers the ClientHello with one fatal alert record and closes."""

    def __init__(self, *, description: int = ALERT_HANDSHAKE_FAILURE, address: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(address=address, port=port)
        self.description = description

    def handle(self, sock: socket.socket) -> None:
        if not self.recv_some(sock, timeout=_HELLO_WAIT):
            return
        try:
            sock.sendall(bytes((21, 3, 3, 0, 2, 2, self.description)))  # alert, TLS 1.2, fatal
        except OSError:
            return
        self.lingering_close(sock)


class Tls10OnlyServer(TlsServer):
    """A server that speaks TLS 1.0 only (OpenSSL needs security level 0 for that)."""

    def __init__(self, default: VHost, **kwargs: object) -> None:
        super().__init__(default, min_version=SSL.TLS1_VERSION, max_version=SSL.TLS1_VERSION, **kwargs)  # type: ignore[arg-type]

    def _context(self, vhost: VHost, *, with_sni_callback: bool = False) -> SSL.Context:
        ctx = super()._context(vhost, with_sni_callback=with_sni_callback)
        ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
        return ctx


# ---------------------------------------------------------------------------
# Certificates hostile servers present
# ---------------------------------------------------------------------------

_PADDING_OID = x509.ObjectIdentifier("1.3.6.1.4.1.55555.7.1")  # private arc: an opaque extension


def huge_certificate(issuer: certs.Issued, host: str, size: int = 1024 * 1024) -> certs.Issued:
    """A leaf for `host` made about `size` bytes long by an opaque non-critical extension."""
    base = certs.make_leaf(issuer, dns=[host], cn=host)
    builder = (
        x509.CertificateBuilder()
        .subject_name(base.cert.subject)
        .issuer_name(base.cert.issuer)
        .public_key(base.key.public_key())
        .serial_number(base.cert.serial_number)
        .not_valid_before(base.cert.not_valid_before_utc)
        .not_valid_after(base.cert.not_valid_after_utc)
    )
    for ext in base.cert.extensions:
        builder = builder.add_extension(ext.value, critical=ext.critical)
    builder = builder.add_extension(x509.UnrecognizedExtension(_PADDING_OID, b"\x00" * size), critical=False)
    return certs.Issued(cert=builder.sign(issuer.key, hashes.SHA256()), key=base.key, chain=base.chain)


@dataclass(frozen=True)
class HostileChain:
    """A leaf and EXACTLY the certificates a hostile server sends after it; `anchor` may be trusted."""

    leaf: certs.Issued
    sent: tuple[x509.Certificate, ...]
    anchor: x509.Certificate

    def vhost(self) -> VHost:
        return VHost(self.leaf, chain=self.sent)


def long_chain(host: str, length: int = 100) -> HostileChain:
    """A chain of `length` certificates: leaf + (length - 1) CAs, each issued by the next; the root not sent."""
    authority = certs.make_ca("Hostile Root 000")
    cas = [authority]
    for i in range(1, length - 1):
        authority = certs.make_ca(f"Hostile CA {i:03d}", issuer=authority)
        cas.append(authority)
    leaf = certs.make_leaf(authority, dns=[host], cn=host)
    sent = tuple(ca.cert for ca in reversed(cas))  # nearest issuer first, root last
    return HostileChain(leaf=leaf, sent=sent, anchor=cas[0].cert)


_CA_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
    key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
)


def _ca_cert(subject: str, issuer: str, key: certs.PrivateKey, signer: certs.PrivateKey) -> x509.Certificate:
    start = certs.now() - dt.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_CA_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
        .sign(signer, hashes.SHA256())
    )


def loop_chain(host: str) -> HostileChain:
    """Leaf issued by A, A issued by B, B issued by A: a path builder that follows issuers never ends."""
    key_a, key_b = certs.new_key(), certs.new_key()
    ca_a = _ca_cert("Loop CA A", "Loop CA B", key_a, key_b)
    ca_b = _ca_cert("Loop CA B", "Loop CA A", key_b, key_a)
    leaf = certs.make_leaf(certs.Issued(ca_a, key_a), dns=[host], cn=host)
    return HostileChain(leaf=leaf, sent=(ca_a, ca_b), anchor=ca_b)


def many_san_leaf(issuer: certs.Issued, host_zone: str, count: int = 10_000, *, include: Sequence[str] = ()) -> certs.Issued:
    """A leaf with `count` DNS SANs (10,000 is ~250 KB, over OpenSSL's 100 KB certificate-list limit)."""
    names = certs.many_sans(count, host_zone, include=include)
    return certs.make_leaf(issuer, dns=names, cn=names[0])
