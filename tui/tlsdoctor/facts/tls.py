"""Facts of a TLS handshake: what one attempt against one address saw on the wire."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from cryptography import x509

BOGUS_SNI = "tlsdoctor-unknown-name.invalid"


class SniMode(StrEnum):
    """Which server name the ClientHello carries."""

    SNI = "sni"  # the target's A-label (what a real client sends)
    NO_SNI = "no-sni"  # none at all (old clients, IP-literal targets)
    BOGUS = "bogus-sni"  # a name the server cannot know: shows its default certificate


class FetchError(StrEnum):
    REFUSED = "refused"  # TCP RST on connect
    TIMEOUT = "timeout"  # connect or handshake did not finish in time
    UNREACHABLE = "unreachable"  # no route / address family unavailable / other OS error
    NOT_TLS = "not-tls"  # the peer spoke something else (HTTP, SSH, garbage)
    RESET = "reset"  # the peer closed or reset the connection mid-handshake
    HANDSHAKE = "handshake"  # a TLS-level failure (alert received, protocol error)
    STARTTLS_REFUSED = "starttls-refused"  # the plaintext preamble did not let TLS start (error_detail: the server's words)


@dataclass(frozen=True)
class ClientCredentials:
    """A client certificate (leaf first, then the chain to send) and its key, in memory.

    The key never leaves this object: no repr, no output.
    """

    chain_der: tuple[bytes, ...]
    key_pem: bytes

    def __repr__(self) -> str:  # never print key material
        return f"ClientCredentials(certs={len(self.chain_der)})"

    @classmethod
    def from_pem(cls, certs_pem: bytes, key_pem: bytes) -> ClientCredentials:
        """From a PEM bundle (leaf first, then the chain to send) and a PEM key.

        Raises ValueError when the bundle holds no certificate; the key is not
        parsed here (a bad key becomes a handshake result, not an exception).
        """
        from cryptography.hazmat.primitives import serialization  # lazy: start-up cost (mTLS only)

        certs = x509.load_pem_x509_certificates(certs_pem)
        return cls(
            chain_der=tuple(c.public_bytes(serialization.Encoding.DER) for c in certs),
            key_pem=key_pem,
        )

    __str__ = __repr__


@dataclass(frozen=True)
class Handshake:
    """One TLS handshake attempt against one address, as seen on the wire."""

    address: str
    port: int
    sni_mode: SniMode
    server_name: str | None  # the SNI actually sent (None for NO_SNI)
    ok: bool  # handshake completed
    presented_chain: tuple[bytes, ...] = ()  # DER, exactly as sent, leaf first (kept even if the handshake then failed)
    protocol: str | None = None  # "TLSv1.3"
    cipher: str | None = None
    error: FetchError | None = None
    error_detail: str | None = None  # the library's one-line text
    alert: int | None = None  # TLS alert number received from the peer, if any
    alert_during: str | None = None  # "handshake" or "read" (TLS 1.3 rejects client certs on read)
    elapsed_ms: float = 0.0
    certificate_requested: bool = False  # the server sent a CertificateRequest
    acceptable_client_cas: tuple[str, ...] = ()  # RFC 4514 names from the CertificateRequest
    client_cert_sent: bool = False
    http_status: int | None = None  # when a minimal HTTP request was made after the handshake
    http_reason: str | None = None
    http_body_excerpt: str | None = None  # first bytes of the body, decoded leniently
    # Added by the implementation (defaults keep the contract):
    bytes_after_handshake: int = 0  # application bytes read after the handshake
    phase: str | None = None  # where it ended badly: "connect", "preamble", "handshake", "read"
    starttls: str | None = None  # the protocol spoken before TLS ("smtp", "postgres", …), None: TLS at once
    starttls_reason: str | None = None  # a refused preamble: not-offered, refused, unexpected-reply, closed, tls-at-once

    @property
    def leaf_der(self) -> bytes | None:
        return self.presented_chain[0] if self.presented_chain else None

    @property
    def leaf_sha256(self) -> str | None:
        """Hex SHA-256 of the leaf's DER: the identity used to compare certificates."""
        return hashlib.sha256(self.presented_chain[0]).hexdigest() if self.presented_chain else None

    @property
    def chain_sha256(self) -> tuple[str, ...]:
        return tuple(hashlib.sha256(der).hexdigest() for der in self.presented_chain)

    def chain_certificates(self) -> tuple[x509.Certificate, ...]:
        """The presented chain parsed (a certificate that does not parse is skipped)."""
        certs = []
        for der in self.presented_chain:
            try:
                certs.append(x509.load_der_x509_certificate(der))
            except ValueError:
                continue
        return tuple(certs)

    def to_json(self, *, with_pem: bool = True) -> dict[str, object]:
        """The handshake as JSON; `with_pem=False` leaves `chain_pem` empty (the report gives
        each chain's PEM once, see `analysis.fetch.handshakes_json`)."""
        return {
            "address": self.address,
            "port": self.port,
            "sni_mode": self.sni_mode.value,
            "server_name": self.server_name,
            "ok": self.ok,
            "protocol": self.protocol,
            "cipher": self.cipher,
            "error": self.error.value if self.error is not None else None,
            "error_detail": self.error_detail,
            "alert": self.alert,
            "alert_during": self.alert_during,
            "phase": self.phase,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "chain_sha256": list(self.chain_sha256),
            "chain_pem": [_der_to_pem(der) for der in self.presented_chain] if with_pem else [],
            "certificate_requested": self.certificate_requested,
            "acceptable_client_cas": list(self.acceptable_client_cas),
            "client_cert_sent": self.client_cert_sent,
            "http_status": self.http_status,
            "http_reason": self.http_reason,
            "http_body_excerpt": self.http_body_excerpt,
            "bytes_after_handshake": self.bytes_after_handshake,
            "starttls": self.starttls,
            "starttls_reason": self.starttls_reason,
        }


def _der_to_pem(der: bytes) -> str:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
