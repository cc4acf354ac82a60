"""Run cryptography's `x509.verification` once per trust store: the authoritative trust verdicts.

The per-store verdict is independent of the host name (the names step owns
name matching): it is built with `PolicyBuilder.build_client_verifier()`
and the WebPKI extension policies, with the clientAuth EKU requirement
replaced by a serverAuth one (see `policies`). A server verifier with the
target name is also run and its result kept as `server_error`, so a reader
can see cryptography's full verdict too.

Pure (the time is a parameter). It only records verdicts: explaining them is
explain.py's job, and it builds no findings.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from cryptography import x509
from cryptography.x509 import verification as xv
from cryptography.x509.oid import ExtendedKeyUsageOID

from tlsdoctor.analysis.chain.model import StoreVerdict, error_text, fingerprint
from tlsdoctor.facts.trust import TrustAnchors

if TYPE_CHECKING:
    from tlsdoctor.target import Target


class Verification(NamedTuple):
    ok: bool
    error: str | None
    chain: tuple[x509.Certificate, ...]  # the verified chain, leaf first (empty when rejected)


def _ca_eku_validator(policy: xv.Policy, cert: x509.Certificate, ext: x509.ExtendedKeyUsage | None) -> None:
    """CA certificates that restrict EKU must allow serverAuth (OpenSSL and WebPKI both check this)."""
    allowed = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)
    if ext is not None and not any(oid in ext for oid in allowed):
        raise ValueError("CA certificate's extendedKeyUsage does not allow serverAuth")


def policies(lenient: bool = False) -> tuple[xv.ExtensionPolicy, xv.ExtensionPolicy]:
    """WebPKI defaults, with EKU judged for a *server* even though we build a client verifier.

    The leaf's EKU content is our own finding (`eku-no-server-auth`), so the EE
    policy lets any EKU through (non-critical, as CA/B requires); CA
    certificates must allow serverAuth. `lenient` relaxes the rules RFC 5280
    and OpenSSL do not enforce but WebPKI verifiers do (a CA certificate as
    the leaf, a critical EKU, a missing AKI, non-critical name constraints, a critical SAN beside a
    subject or no SAN at all: the names step judges names), so the analysis
    can tell "rejected by strict verifiers only" from "rejected".
    """
    agnostic = xv.Criticality.AGNOSTIC
    ca = xv.ExtensionPolicy.webpki_defaults_ca().may_be_present(x509.ExtendedKeyUsage, agnostic, _ca_eku_validator)
    ee = xv.ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.ExtendedKeyUsage, agnostic if lenient else xv.Criticality.NON_CRITICAL, None
    )
    if lenient:
        ee = (
            ee.may_be_present(x509.BasicConstraints, agnostic, None)
            .may_be_present(x509.KeyUsage, agnostic, None)
            .may_be_present(x509.AuthorityKeyIdentifier, agnostic, None)
            .may_be_present(x509.SubjectAlternativeName, agnostic, None)
        )
        ca = ca.may_be_present(x509.NameConstraints, agnostic, None)
    return ca, ee


def _server_subject(target: Target) -> xv.Subject:
    if target.is_ip:
        return x509.IPAddress(ipaddress.ip_address(target.ascii_host))
    return x509.DNSName(target.ascii_host)


_STORES: list[tuple[Sequence[x509.Certificate], xv.Store]] = []  # the last few, by identity


def _store(anchors: Sequence[x509.Certificate]) -> xv.Store:
    """One verifier store per sequence of anchors: each store's verdict builds up to three
    verifiers (strict, lenient, server) over the same ~150-300 roots (issue 13). Found by
    identity, not by hashing 300 certificates per question; the sequence is kept alive with it."""
    if not isinstance(anchors, tuple):  # only an immutable sequence may be remembered
        return xv.Store(list(anchors))
    for seen, store in _STORES:
        if seen is anchors:
            return store
    store = xv.Store(list(anchors))
    _STORES[:] = [*_STORES[-7:], (anchors, store)]
    return store


def _builder(anchors: Sequence[x509.Certificate], at: dt.datetime, max_chain_depth: int | None) -> xv.PolicyBuilder:
    builder = xv.PolicyBuilder().store(_store(anchors)).time(at)
    if max_chain_depth is not None:
        builder = builder.max_chain_depth(max_chain_depth)
    return builder


def verify(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    at: dt.datetime,
    max_chain_depth: int | None,
    *,
    lenient: bool = False,
) -> Verification:
    """cryptography's verdict on `leaf` + `intermediates` against `anchors`, host name left out."""
    if not anchors:
        return Verification(False, "no trust anchors in this store", ())
    ca_policy, ee_policy = policies(lenient)
    try:
        builder = _builder(anchors, at, max_chain_depth).extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
        verified = builder.build_client_verifier().verify(leaf, list(intermediates))
    except Exception as exc:  # noqa: BLE001 - VerificationError, or ValueError on odd input: both are the verdict
        return Verification(False, error_text(exc), ())
    return Verification(True, None, tuple(verified.chain))


def server_error(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    at: dt.datetime,
    target: Target,
    max_chain_depth: int | None,
) -> str | None:
    """What `build_server_verifier(target)` says (None: it accepts, or there is nothing to verify against)."""
    if not anchors:
        return None
    try:
        verifier = _builder(anchors, at, max_chain_depth).build_server_verifier(_server_subject(target))
        verifier.verify(leaf, list(intermediates))
    except Exception as exc:  # noqa: BLE001 - VerificationError, or ValueError on odd input: both are the verdict
        return error_text(exc)
    return None


def store_verdicts(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    fetched: Sequence[x509.Certificate],
    *,
    anchors: TrustAnchors,
    target: Target | None,
    at: dt.datetime,
    max_chain_depth: int | None,
) -> tuple[StoreVerdict, ...]:
    """One verdict per trust store, in `anchors.verdict_stores()` order."""
    verdicts: list[StoreVerdict] = []
    for name in anchors.verdict_stores():
        trusted = anchors.effective(name)
        ok, error, chain = verify(trusted, leaf, intermediates, at, max_chain_depth)
        lenient_ok = None
        if not ok:
            lenient_ok, _, chain = verify(trusted, leaf, intermediates, at, max_chain_depth, lenient=True)
        with_fetched = None
        if fetched:
            with_fetched = verify(trusted, leaf, [*intermediates, *fetched], at, max_chain_depth).ok
        verdicts.append(
            StoreVerdict(
                store=name,
                anchors=len(trusted),
                ok=ok,
                error=error,
                chain=tuple((fingerprint(c), c.subject.rfc4514_string()) for c in chain),
                server_error=server_error(trusted, leaf, intermediates, at, target, max_chain_depth) if target else None,
                with_fetched=with_fetched,
                lenient_ok=lenient_ok,
            )
        )
    return tuple(verdicts)
