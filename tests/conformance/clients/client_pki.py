"""Certificates the lab factory does not make: one general builder for the conformance corpus.

`tlsdoctor.lab.certs` covers the usual odd shapes (partial wildcards, CN-only,
expired, RSA-1024 keys, SHA-1 leaves). The client-conformance corpus also needs
CAs signed with SHA-1, EC P-192 issuers, IP name constraints, a leaf without an
authorityKeyIdentifier, a leaf that claims to be a CA and critical EKUs. `cert()`
makes any of them in one call; it returns the lab's `Issued`, so everything
else (servers, chains, PEM) stays the lab's.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from OpenSSL import crypto

from tlsdoctor.lab.certs import EKU_SERVER, Issued, PrivateKey, new_key, now

AnyKey = PrivateKey | ed25519.Ed25519PrivateKey


def key(kind: str) -> AnyKey:
    """"ec" (P-256), "p384", "p192", "ed25519", "rsa" or "rsa-N"."""
    curves: dict[str, ec.EllipticCurve] = {"p384": ec.SECP384R1(), "p192": ec.SECP192R1()}
    if kind in curves:
        return ec.generate_private_key(curves[kind])
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return new_key(kind)


@dataclass(frozen=True)
class Constraints:
    """RFC 5280 name constraints: DNS subtrees and IP networks (CIDR text)."""

    permitted_dns: Sequence[str] = ()
    excluded_dns: Sequence[str] = ()
    permitted_ips: Sequence[str] = ()
    excluded_ips: Sequence[str] = ()

    def extension(self) -> x509.NameConstraints:
        def names(dns: Sequence[str], ips: Sequence[str]) -> list[x509.GeneralName] | None:
            out: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
            out += [x509.IPAddress(ipaddress.ip_network(i)) for i in ips]
            return out or None

        return x509.NameConstraints(
            permitted_subtrees=names(self.permitted_dns, self.permitted_ips),
            excluded_subtrees=names(self.excluded_dns, self.excluded_ips),
        )


def _sign(builder: x509.CertificateBuilder, signer: AnyKey, digest: str) -> x509.Certificate:
    """SHA-256/384 through cryptography; SHA-1 re-signed through pyOpenSSL (cryptography refuses to)."""
    if isinstance(signer, ed25519.Ed25519PrivateKey):
        return builder.sign(signer, None)
    if digest != "sha1":
        return builder.sign(signer, hashes.SHA384() if digest == "sha384" else hashes.SHA256())
    draft = crypto.X509.from_cryptography(builder.sign(signer, hashes.SHA256()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        draft.sign(crypto.PKey.from_cryptography_key(signer), "sha1")
    return draft.to_cryptography()


def _key_usage(*, ca: bool, rsa_key: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=rsa_key and not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def cert(
    cn: str | None,
    issuer: Issued | None,
    *,
    ca: bool = False,
    key_kind: str = "ec",
    digest: str = "sha256",
    dns: Sequence[str] = (),
    ips: Sequence[str] = (),
    san_critical: bool = False,
    eku: Sequence[x509.ObjectIdentifier] | None = None,
    eku_critical: bool = False,
    constraints: Constraints | None = None,
    path_length: int | None = None,
    aki: bool = True,
    days: tuple[int, int] = (-30, 365),
) -> Issued:
    """One certificate: a root (`issuer=None`, `ca=True`), an intermediate or a leaf.

    A leaf gets serverAuth unless `eku` says otherwise; `days` is (not before,
    not after) relative to now. Everything else is off unless asked for.
    """
    private = key(key_kind)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [])
    signer = issuer.key if issuer else private
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now() + dt.timedelta(days=days[0]))
        .not_valid_after(now() + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
        .add_extension(_key_usage(ca=ca, rsa_key=isinstance(private, rsa.RSAPrivateKey)), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False)
    )
    if aki:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=san_critical)
    usage = eku if eku is not None else (() if ca else EKU_SERVER)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(usage)), critical=eku_critical)
    if constraints is not None:
        builder = builder.add_extension(constraints.extension(), critical=True)
    chain = ((issuer.cert, *issuer.chain)) if issuer else ()
    return Issued(cert=_sign(builder, signer, digest), key=private, chain=chain)  # type: ignore[arg-type]


ANY_EKU = (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,)
