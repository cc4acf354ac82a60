"""Describe one X.509 certificate as plain, JSON-ready facts: `describe(cert) -> CertSummary`.

Pure: no I/O, no clock. Values are kept exactly as they are in the
certificate (renderers make them safe). It never raises on an odd
certificate: a missing or undecodable extension yields an empty field and a
line in `problems`, because the certificates people need diagnosed are often
the broken ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from dataclasses import dataclass
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

_Ext = TypeVar("_Ext", bound=x509.ExtensionType)


@dataclass(frozen=True)
class CertSummary:
    """What a person needs to recognise a certificate and reason about a chain."""

    subject: str
    issuer: str
    common_names: tuple[str, ...]
    san_dns: tuple[str, ...]
    san_ip: tuple[str, ...]
    san_uri: tuple[str, ...]
    san_email: tuple[str, ...]
    serial_hex: str
    sha256: str
    not_before: dt.datetime
    not_after: dt.datetime
    key_type: str
    key_size: int | None
    key_curve: str | None
    signature_algorithm: str
    is_ca: bool
    path_length: int | None
    self_issued: bool
    self_signed: bool
    ski: str | None
    aki: str | None
    eku: tuple[tuple[str, str], ...]  # (dotted OID, name)
    has_eku: bool
    ca_issuers: tuple[str, ...]
    ocsp: tuple[str, ...]
    problems: tuple[str, ...] = ()

    @property
    def sha256_short(self) -> str:
        """The first 8 bytes as colon hex: enough to tell certificates apart on screen."""
        return ":".join(self.sha256[i : i + 2] for i in range(0, 16, 2)).upper()

    @property
    def eku_oids(self) -> tuple[str, ...]:
        return tuple(oid for oid, _ in self.eku)

    def to_json(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "common_names": list(self.common_names),
            "sans": {
                "dns": list(self.san_dns),
                "ip": list(self.san_ip),
                "uri": list(self.san_uri),
                "email": list(self.san_email),
            },
            "serial": self.serial_hex,
            "sha256": self.sha256,
            "sha256_short": self.sha256_short,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "key": {"type": self.key_type, "size": self.key_size, "curve": self.key_curve},
            "signature_algorithm": self.signature_algorithm,
            "is_ca": self.is_ca,
            "path_length": self.path_length,
            "self_issued": self.self_issued,
            "self_signed": self.self_signed,
            "ski": self.ski,
            "aki": self.aki,
            "eku": [{"oid": oid, "name": name} for oid, name in self.eku] if self.has_eku else None,
            "aia": {"ca_issuers": list(self.ca_issuers), "ocsp": list(self.ocsp)},
            "problems": list(self.problems),
        }


def _rfc4514(name: x509.Name, problems: list[str], what: str) -> str:
    try:
        return name.rfc4514_string()
    except Exception as exc:  # noqa: BLE001 - odd attribute encodings: recorded in problems
        problems.append(f"{what}: cannot render as RFC 4514 ({exc})")
        return ""


def _key(cert: x509.Certificate, problems: list[str]) -> tuple[str, int | None, str | None]:
    try:
        key = cert.public_key()
    except Exception as exc:  # noqa: BLE001 - unsupported or malformed key: recorded in problems
        problems.append(f"public key: {exc}")
        return "unknown", None, None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    return type(key).__name__, None, None


def _extension(cert: x509.Certificate, ext_type: type[_Ext], problems: list[str]) -> _Ext | None:
    """The extension's value, or None when absent or undecodable (recorded in problems)."""
    try:
        return cert.extensions.get_extension_for_class(ext_type).value
    except x509.ExtensionNotFound:
        return None
    except Exception as exc:  # noqa: BLE001 - duplicate or malformed extensions: recorded in problems
        problems.append(f"{ext_type.__name__}: {exc}")
        return None


def _ip_text(value: object) -> str:
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    return str(value)  # networks (name constraints style) kept as text


def _oid_name(oid: x509.ObjectIdentifier) -> str:
    """cryptography's short name for a known OID, else the dotted string."""
    name = getattr(oid, "_name", "Unknown OID")
    return oid.dotted_string if name == "Unknown OID" else str(name)


def self_signed(cert: x509.Certificate) -> bool:
    """Does the certificate's signature verify with its own key (and name itself as issuer)?"""
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # noqa: BLE001 - any failure (key type, signature, encoding) means "not self-signed"
        return False
    return True


def check_readable(cert: x509.Certificate) -> x509.Certificate:
    """Force the fields cryptography parses lazily; ValueError when one is malformed.

    `load_der_x509_certificate` accepts a certificate whose subject, issuer or
    validity cannot be decoded and raises only when the field is first read:
    a hostile server (or a damaged file) could then crash any step that reads
    it. Calling this right after loading turns that into a parse error.
    """
    try:
        cert.subject.rfc4514_string()
        cert.issuer.rfc4514_string()
        _ = (cert.not_valid_before_utc, cert.not_valid_after_utc, cert.serial_number)
        _ = cert.signature_algorithm_oid
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - anything else the lazy parser throws is a parse error too
        raise ValueError(" ".join(str(exc).split()) or type(exc).__name__) from None
    return cert


@functools.lru_cache(maxsize=64)
def load_der(der: bytes) -> x509.Certificate:
    """Parse one DER certificate completely enough for every step (ValueError otherwise).

    Cached: the fetch, names and chain steps read the same few certificates, and a
    certificate object parses its extensions once (3,000 SANs were decoded three
    times, issue 13). Certificates are immutable, so sharing one is safe."""
    return check_readable(x509.load_der_x509_certificate(der))


def describe(cert: x509.Certificate) -> CertSummary:
    """Summarise a certificate. Never raises."""
    problems: list[str] = []
    subject = _rfc4514(cert.subject, problems, "subject")
    issuer = _rfc4514(cert.issuer, problems, "issuer")
    try:
        common_names = tuple(str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME))
    except Exception as exc:  # noqa: BLE001 - recorded in problems; describe() never raises
        problems.append(f"common name: {exc}")
        common_names = ()

    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    uris: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    san = _extension(cert, x509.SubjectAlternativeName, problems)
    if san is not None:
        dns = tuple(san.get_values_for_type(x509.DNSName))
        ips = tuple(_ip_text(v) for v in san.get_values_for_type(x509.IPAddress))
        uris = tuple(san.get_values_for_type(x509.UniformResourceIdentifier))
        emails = tuple(san.get_values_for_type(x509.RFC822Name))

    try:
        serial_hex = format(cert.serial_number, "x")
    except Exception as exc:  # noqa: BLE001 - recorded in problems; describe() never raises
        problems.append(f"serial: {exc}")
        serial_hex = ""
    sha256 = cert.fingerprint(hashes.SHA256()).hex()
    key_type, key_size, key_curve = _key(cert, problems)
    try:
        oid = cert.signature_algorithm_oid
        signature_algorithm = _oid_name(oid)
    except Exception as exc:  # noqa: BLE001 - recorded in problems; describe() never raises
        problems.append(f"signature algorithm: {exc}")
        signature_algorithm = "unknown"

    bc = _extension(cert, x509.BasicConstraints, problems)
    ski_ext = _extension(cert, x509.SubjectKeyIdentifier, problems)
    aki_ext = _extension(cert, x509.AuthorityKeyIdentifier, problems)
    eku_ext = _extension(cert, x509.ExtendedKeyUsage, problems)
    eku = tuple((o.dotted_string, _oid_name(o)) for o in eku_ext) if eku_ext is not None else ()

    ca_issuers: list[str] = []
    ocsp: list[str] = []
    aia = _extension(cert, x509.AuthorityInformationAccess, problems)
    for desc in aia or ():
        if isinstance(desc.access_location, x509.UniformResourceIdentifier):
            if desc.access_method == AuthorityInformationAccessOID.CA_ISSUERS:
                ca_issuers.append(desc.access_location.value)
            elif desc.access_method == AuthorityInformationAccessOID.OCSP:
                ocsp.append(desc.access_location.value)

    return CertSummary(
        subject=subject,
        issuer=issuer,
        common_names=common_names,
        san_dns=dns,
        san_ip=ips,
        san_uri=uris,
        san_email=emails,
        serial_hex=serial_hex,
        sha256=sha256,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_size=key_size,
        key_curve=key_curve,
        signature_algorithm=signature_algorithm,
        is_ca=bool(bc.ca) if bc is not None else False,
        path_length=bc.path_length if bc is not None else None,
        self_issued=cert.subject == cert.issuer,
        self_signed=self_signed(cert),
        ski=ski_ext.digest.hex() if ski_ext is not None else None,
        aki=aki_ext.key_identifier.hex() if aki_ext is not None and aki_ext.key_identifier else None,
        eku=eku,
        has_eku=eku_ext is not None,
        ca_issuers=tuple(ca_issuers),
        ocsp=tuple(ocsp),
        problems=tuple(problems),
    )


__all__ = ["CertSummary", "check_readable", "describe", "load_der", "self_signed"]
