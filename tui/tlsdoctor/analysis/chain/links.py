"""Issuer/subject links: who issued whom among the presented certificates, a store's anchors and AIA-fetched ones.

Pure: names, key identifiers and signatures only. No trust verdicts (those
come from cryptography's verifier in verify.py) and no findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.chain.model import Link, StoreVerdict, fingerprint

_SHA256 = hashes.SHA256()


class IssuerPath(NamedTuple):
    """A path from the leaf up through presented certificates (indexes into the parsed list)."""

    path: list[int]
    anchor: x509.Certificate | None  # the store certificate that anchors it (None: the top is itself trusted, or nothing anchors it)
    anchored: bool


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Does `parent`'s key verify `child`'s signature, with matching names?

    A SHA-1 or MD5 signature is checked too (cryptography's own check refuses
    those algorithms outright): a weak signature is a policy question for the
    clients (`weak-signature`), not a missing issuer.
    """
    try:
        child.verify_directly_issued_by(parent)
    except ValueError as exc:
        return "signature algorithm" in str(exc).lower() and _legacy_signature_ok(child, parent)
    except Exception:  # noqa: BLE001 - any failure (names, key type, signature, odd encoding) means "not issued by"
        return False
    return True


def _legacy_signature_ok(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """The signature check for hash algorithms cryptography's certificate API no longer accepts."""
    try:
        algorithm = child.signature_hash_algorithm
        key = parent.public_key()
        if child.issuer != parent.subject or algorithm is None:
            return False
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes, ec.ECDSA(algorithm))
        else:
            return False
    except Exception:  # noqa: BLE001 - a bad signature, an unknown algorithm, an odd key: not issued by
        return False
    return True


def _spki(cert: x509.Certificate) -> bytes:
    """The public key, DER-encoded: with the subject, how stores recognise an anchor (a re-issued root is the same anchor)."""
    from cryptography.hazmat.primitives import serialization  # lazy: start-up cost; rarely asked

    try:
        return cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # noqa: BLE001 - an unreadable key: fall back to the certificate's own hash
        return cert.fingerprint(_SHA256)


class AnchorIndex:
    """A store's anchors indexed by subject for the two questions the analysis asks.

    Keys are re-encoded only for the anchors whose subject is asked about: a store
    holds ~150 roots, a chain meets one or two of them (issue 13).
    """

    def __init__(self, certs: Sequence[x509.Certificate]) -> None:
        self.certs = tuple(certs)
        self.by_subject: dict[bytes, list[x509.Certificate]] = {}
        for c in self.certs:
            self.by_subject.setdefault(c.subject.public_bytes(), []).append(c)

    def contains(self, cert: x509.Certificate) -> bool:
        """Is `cert` one of the anchors: the same subject and the same public key?"""
        candidates = self.by_subject.get(cert.subject.public_bytes(), ())
        if not candidates:
            return False
        key = _spki(cert)
        return any(_spki(c) == key for c in candidates)

    def issuer_of(self, cert: x509.Certificate) -> x509.Certificate | None:
        for candidate in self.by_subject.get(cert.issuer.public_bytes(), ()):
            if issued_by(cert, candidate):
                return candidate
        return None


def link(
    child: x509.Certificate, parent: x509.Certificate, cs: CertSummary, ps: CertSummary, ci: int, pi: int
) -> Link:
    """The link between two certificates sent one after the other."""
    key_id = None if cs.aki is None or ps.ski is None else cs.aki == ps.ski
    return Link(
        child=ci,
        parent=pi,
        name_match=child.issuer == parent.subject,
        key_id_match=key_id,
        signature_ok=issued_by(child, parent),
    )


def next_presented(certs: Sequence[x509.Certificate], path: list[int]) -> int | None:
    """The presented certificate that issued the top of `path` (the next one sent, when it did)."""
    current = certs[path[-1]]
    candidates = [j for j in range(1, len(certs)) if j not in path and issued_by(current, certs[j])]
    if not candidates:
        return None
    preferred = path[-1] + 1
    return preferred if preferred in candidates else candidates[0]


def build_path(certs: Sequence[x509.Certificate], store: AnchorIndex) -> IssuerPath:
    """Follow issuers through the presented certificates until one is trusted.

    Returns the path (indexes into `certs`), the store certificate that
    anchors it (None when the last cert on the path is itself in the store or
    nothing anchors it) and whether it is anchored at all.
    """
    path = [0]
    while True:
        current = certs[path[-1]]
        if store.contains(current):
            return IssuerPath(path, None, True)
        issuer = store.issuer_of(current)
        if issuer is not None:
            return IssuerPath(path, issuer, True)
        if issued_by(current, current):  # a root nobody trusts: the path ends here
            return IssuerPath(path, None, False)
        nxt = next_presented(certs, path)
        if nxt is None:
            return IssuerPath(path, None, False)
        path.append(nxt)


def path_from_verdict(
    certs: Sequence[x509.Certificate], primary: StoreVerdict | None, store: AnchorIndex
) -> IssuerPath | None:
    """The path cryptography verified (strictly or leniently), as indexes into `certs`."""
    if primary is None or not primary.chain:
        return None
    by_fp = {fingerprint(c): i for i, c in enumerate(certs)}
    path: list[int] = []
    for fp, _ in primary.chain:
        if fp in by_fp and by_fp[fp] not in path:
            path.append(by_fp[fp])
        else:
            break
    if not path or path[0] != 0:
        return None
    last = certs[path[-1]]
    if store.contains(last):
        return IssuerPath(path, None, True)
    return IssuerPath(path, store.issuer_of(last), True)


def extend_with(
    top: x509.Certificate, fetched: Sequence[x509.Certificate], store: AnchorIndex
) -> tuple[list[x509.Certificate], bool] | None:
    """Follow issuers through fetched certificates; None when none of them issued `top`.

    Returns the fetched certificates on the way and whether they reach the store.
    """
    found: list[x509.Certificate] = []
    current = top
    while len(found) < len(fetched):
        nxt = next((c for c in fetched if c not in found and issued_by(current, c)), None)
        if nxt is None:
            break
        found.append(nxt)
        if store.contains(nxt) or store.issuer_of(nxt) is not None:
            return found, True
        current = nxt
    return (found, False) if found else None
