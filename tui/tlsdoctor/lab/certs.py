"""A certificate factory on `cryptography`: roots, intermediates and leaves of every odd shape.

The lab (tests and `tlsdoctor demo`) needs certificates that real CAs would
never issue: CN-only, partial wildcards, thousands of SANs, expired,
clientAuth-only, with an AIA URL pointing at a loopback server. Each call is
one readable line in a test. Keys are EC P-256 by default (fast to make);
RSA on request.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

EKU_SERVER = (ExtendedKeyUsageOID.SERVER_AUTH,)
EKU_CLIENT = (ExtendedKeyUsageOID.CLIENT_AUTH,)
EKU_BOTH = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)

_KEY_CACHE: list[PrivateKey] = []


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_key(kind: str = "ec") -> PrivateKey:
    """"ec" (P-256), "rsa" (2048 bits) or "rsa-N" (N bits, e.g. "rsa-1024" for a key clients refuse)."""
    if kind == "rsa" or kind.startswith("rsa-"):
        bits = int(kind[4:]) if kind.startswith("rsa-") else 2048
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return ec.generate_private_key(ec.SECP256R1())


def _sign(builder: x509.CertificateBuilder, signer: PrivateKey, signature_hash: str) -> x509.Certificate:
    """Sign with SHA-256 (or SHA-384); "sha1" makes the signature clients refuse.

    cryptography no longer signs with SHA-1, so that one is re-signed through
    pyOpenSSL (OpenSSL's X509_sign), which still does: the lab needs it.
    """
    if signature_hash != "sha1":
        return builder.sign(signer, hashes.SHA384() if signature_hash == "sha384" else hashes.SHA256())
    import warnings  # lazy: only the SHA-1 case needs pyOpenSSL's legacy API

    from OpenSSL import crypto  # lazy: as above

    draft = crypto.X509.from_cryptography(builder.sign(signer, hashes.SHA256()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        draft.sign(crypto.PKey.from_cryptography_key(signer), "sha1")
    return draft.to_cryptography()


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key. `chain` is the issuers above it, nearest first."""

    cert: x509.Certificate
    key: PrivateKey = field(repr=False)
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def chain_pem(self, *, include_leaf: bool = True) -> bytes:
        certs = ((self.cert,) if include_leaf else ()) + self.chain
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def _name(cn: str | None, org: str | None = "tlsdoctor lab") -> x509.Name:
    attrs = []
    if cn is not None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if org is not None:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def _general_names(
    dns: Sequence[str], ips: Sequence[str], uris: Sequence[str], emails: Sequence[str]
) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    names += [x509.UniformResourceIdentifier(u) for u in uris]
    names += [x509.RFC822Name(e) for e in emails]
    return names


def _aia(url: str) -> x509.AuthorityInformationAccess:
    return x509.AuthorityInformationAccess(
        [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(url))]
    )


def make_ca(
    cn: str = "tlsdoctor Lab Root CA",
    *,
    issuer: Issued | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    path_length: int | None = None,
    aia_url: str | None = None,
    key_kind: str = "ec",
    org: str | None = "tlsdoctor lab",
    permitted: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> Issued:
    """A root (no `issuer`) or an intermediate CA signed by `issuer`.

    `permitted` / `excluded`: DNS name constraints (RFC 5280 §4.2.1.10), e.g.
    `permitted=["example.test"]` limits every name below this CA to that subtree.
    """
    key = new_key(key_kind)
    start = not_before or now() - dt.timedelta(days=30)
    end = not_after or now() + dt.timedelta(days=3650)
    subject = _name(cn, org)
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
    if aia_url:
        builder = builder.add_extension(_aia(aia_url), critical=False)
    if permitted or excluded:
        builder = builder.add_extension(
            x509.NameConstraints(
                permitted_subtrees=[x509.DNSName(n) for n in permitted] or None,
                excluded_subtrees=[x509.DNSName(n) for n in excluded] or None,
            ),
            critical=True,
        )
    cert = builder.sign(signer_key, hashes.SHA256())
    chain = ((issuer.cert,) + issuer.chain) if issuer else ()
    return Issued(cert=cert, key=key, chain=chain)


def make_leaf(
    issuer: Issued | None,
    *,
    dns: Sequence[str] = (),
    ips: Sequence[str] = (),
    uris: Sequence[str] = (),
    emails: Sequence[str] = (),
    cn: str | None = None,
    org: str | None = "tlsdoctor lab",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    eku: Sequence[x509.ObjectIdentifier] | None = EKU_SERVER,
    aia_url: str | None = None,
    san: bool = True,
    san_critical: bool | None = None,
    key: PrivateKey | None = None,
    key_kind: str = "ec",
    signature_hash: str = "sha256",
) -> Issued:
    """An end-entity certificate. `issuer=None` makes it self-signed.

    `san=False` leaves the SAN extension out entirely (a CN-only certificate).
    DNS names are written as given: partial wildcards (`f*.example.com`),
    multi-label wildcards and trailing dots are all allowed, because the lab
    needs the broken ones. `eku=None` leaves EKU out.
    """
    key = key or new_key(key_kind)
    start = not_before or now() - dt.timedelta(days=1)
    end = not_after or start + dt.timedelta(days=90)
    subject = _name(cn, org) if (cn is not None or org is not None) else x509.Name([])
    signer = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=isinstance(key, rsa.RSAPrivateKey),
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    names = _general_names(dns, ips, uris, emails)
    if san and names:
        critical = san_critical if san_critical is not None else len(subject) == 0
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=critical)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    if aia_url:
        builder = builder.add_extension(_aia(aia_url), critical=False)
    cert = _sign(builder, signer, signature_hash)
    chain = ((issuer.cert,) + issuer.chain) if issuer else ()
    return Issued(cert=cert, key=key, chain=chain)


def expired(days_ago: int = 10) -> dict[str, dt.datetime]:
    """Keyword arguments for a certificate that expired `days_ago` days ago."""
    return {"not_before": now() - dt.timedelta(days=days_ago + 90), "not_after": now() - dt.timedelta(days=days_ago)}


def not_yet_valid(days_ahead: int = 10) -> dict[str, dt.datetime]:
    return {"not_before": now() + dt.timedelta(days=days_ahead), "not_after": now() + dt.timedelta(days=days_ahead + 90)}


def many_sans(count: int, base: str = "example.test", *, include: Sequence[str] = ()) -> list[str]:
    """`count` distinct DNS names under `base` (plus `include`), for the thousands-of-SANs cases."""
    return list(include) + [f"host-{i:05d}.{base}" for i in range(count - len(include))]


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass(frozen=True)
class Pki:
    """A root → intermediate hierarchy, the usual shape of a public CA."""

    root: Issued
    intermediate: Issued

    def leaf(self, **kwargs: object) -> Issued:
        return make_leaf(self.intermediate, **kwargs)  # type: ignore[arg-type]


def make_pki(name: str = "tlsdoctor Lab", *, aia_url: str | None = None, key_kind: str = "ec") -> Pki:
    root = make_ca(f"{name} Root CA", key_kind=key_kind)
    intermediate = make_ca(f"{name} Intermediate CA", issuer=root, path_length=0, aia_url=aia_url, key_kind=key_kind)
    return Pki(root=root, intermediate=intermediate)
