"""Step 6, chain: does the presented chain build to a trusted root, and if not, exactly why.

Pure: no I/O, no clock (the caller passes `at`), no textual. Input is the DER
the server sent (leaf first, exactly as sent), the trust stores already
loaded, and any intermediates fetched via AIA. cryptography's
`x509.verification` gives the authoritative verdict per store; this module
explains it: issuer/subject links, order, missing intermediate, untrusted
root, validity of every certificate, and the leaf's EKU.

The per-store verdict is independent of the host name (the names step owns
name matching): it is built with `PolicyBuilder.build_client_verifier()`
and the WebPKI extension policies, with the clientAuth EKU requirement
replaced by a serverAuth one (see `_policies`). A server verifier with the
target name is also run and its result kept as `server_error`, so a reader
can see cryptography's full verdict too.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import verification as xv
from cryptography.x509.oid import ExtendedKeyUsageOID

from tlsdoctor.analysis.certinfo import CertSummary, describe, load_der
from tlsdoctor.facts.trust import STORE_CLIENTS, TrustAnchors
from tlsdoctor.findings import Code, Finding, Severity

if TYPE_CHECKING:
    from tlsdoctor.facts.aia import AiaFetch
    from tlsdoctor.target import Target

_SHA256 = hashes.SHA256()
MAX_PRESENTED = 16  # certificates analysed per chain; more are counted, not parsed


@dataclass(frozen=True)
class Link:
    """Is presented certificate `child` issued by presented certificate `parent` (the next one sent)?"""

    child: int
    parent: int
    name_match: bool  # child's issuer name equals parent's subject
    key_id_match: bool | None  # child's AKI equals parent's SKI (None: one is absent)
    signature_ok: bool

    @property
    def ok(self) -> bool:
        return self.name_match and self.signature_ok

    def to_json(self) -> dict[str, Any]:
        return {
            "child": self.child,
            "parent": self.parent,
            "name_match": self.name_match,
            "key_id_match": self.key_id_match,
            "signature_ok": self.signature_ok,
        }


@dataclass(frozen=True)
class StoreVerdict:
    """cryptography's verdict for one trust store, host name left out (see module docstring)."""

    store: str
    anchors: int
    ok: bool
    error: str | None
    chain: tuple[tuple[str, str], ...] = ()  # (sha256 hex, subject) leaf first
    server_error: str | None = None  # build_server_verifier(target) error, None when it passed or was not run
    with_fetched: bool | None = None  # verdict when AIA-fetched intermediates are added (None: nothing fetched)
    lenient_ok: bool | None = None  # when rejected: would RFC 5280 / OpenSSL-style rules accept it?

    def to_json(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "clients": list(STORE_CLIENTS.get(self.store, ())),
            "anchors": self.anchors,
            "ok": self.ok,
            "error": self.error,
            "chain": [{"sha256": fp, "subject": subject} for fp, subject in self.chain],
            "server_error": self.server_error,
            "with_fetched": self.with_fetched,
            "lenient_ok": self.lenient_ok,
        }


@dataclass(frozen=True)
class ChainResult:
    presented: tuple[CertSummary, ...]
    parse_errors: tuple[tuple[int, str], ...]
    presented_count: int  # as sent (may exceed MAX_PRESENTED)
    links: tuple[Link, ...]
    path: tuple[int, ...]  # presented positions that link leaf → top, in linking order
    verdicts: tuple[StoreVerdict, ...]
    findings: tuple[Finding, ...]
    aia_attempts: tuple[dict[str, Any], ...] = ()

    @property
    def verdict(self) -> str:
        return "problem" if any(f.severity is Severity.ERROR for f in self.findings) else "ok"

    def verdict_for(self, store: str) -> StoreVerdict | None:
        return next((v for v in self.verdicts if v.store == store), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "presented": [s.to_json() for s in self.presented],
            "parse_errors": [{"position": i, "error": e} for i, e in self.parse_errors],
            "presented_count": self.presented_count,
            "analysed": len(self.presented),
            "links": [link.to_json() for link in self.links],
            "path": list(self.path),
            "verdicts": [v.to_json() for v in self.verdicts],
            "aia": list(self.aia_attempts),
            "findings": [f.to_json() for f in self.findings],
        }


# --- helpers -------------------------------------------------------------------------


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except Exception:
        return False
    return True


def _identity(cert: x509.Certificate) -> tuple[bytes, bytes]:
    """Subject + public key: how stores recognise an anchor (a re-issued root is the same anchor)."""
    try:
        spki = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except Exception:
        spki = cert.fingerprint(_SHA256)
    return cert.subject.public_bytes(), spki


class _Store:
    """An anchor set indexed for the two questions the analysis asks."""

    def __init__(self, certs: Sequence[x509.Certificate]) -> None:
        self.certs = tuple(certs)
        self.ids = {_identity(c) for c in self.certs}
        self.by_subject: dict[bytes, list[x509.Certificate]] = {}
        for c in self.certs:
            self.by_subject.setdefault(c.subject.public_bytes(), []).append(c)

    def contains(self, cert: x509.Certificate) -> bool:
        return _identity(cert) in self.ids

    def issuer_of(self, cert: x509.Certificate) -> x509.Certificate | None:
        for candidate in self.by_subject.get(cert.issuer.public_bytes(), ()):
            if _issued_by(cert, candidate):
                return candidate
        return None


def _eku_has(cert_eku: x509.ExtendedKeyUsage, *oids: x509.ObjectIdentifier) -> bool:
    return any(o in cert_eku for o in oids)


def _ca_eku_validator(policy: Any, cert: x509.Certificate, ext: x509.ExtendedKeyUsage | None) -> None:
    """CA certificates that restrict EKU must allow serverAuth (OpenSSL and WebPKI both check this)."""
    if ext is not None and not _eku_has(ext, ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE):
        raise ValueError("CA certificate's extendedKeyUsage does not allow serverAuth")


def _policies(lenient: bool = False) -> tuple[xv.ExtensionPolicy, xv.ExtensionPolicy]:
    """WebPKI defaults, with EKU judged for a *server* even though we build a client verifier.

    The leaf's EKU content is our own finding (`eku-no-server-auth`), so the EE
    policy lets any EKU through (non-critical, as CA/B requires); CA
    certificates must allow serverAuth. `lenient` relaxes the rules RFC 5280
    and OpenSSL do not enforce but WebPKI verifiers do (a CA certificate as
    the leaf, a critical EKU, a missing AKI, non-critical name constraints), so the analysis
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
        )
        ca = ca.may_be_present(x509.NameConstraints, agnostic, None)
    return ca, ee


def _error_text(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _server_subject(target: Target) -> xv.Subject:
    if target.is_ip:
        return xv.IPAddress(ipaddress.ip_address(target.ascii_host))
    return xv.DNSName(target.ascii_host)


def _verify(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    at: dt.datetime,
    max_chain_depth: int | None,
    *,
    lenient: bool = False,
) -> tuple[bool, str | None, tuple[x509.Certificate, ...]]:
    if not anchors:
        return False, "no trust anchors in this store", ()
    ca_policy, ee_policy = _policies(lenient)
    try:
        builder = xv.PolicyBuilder().store(xv.Store(list(anchors))).time(at)
        if max_chain_depth is not None:
            builder = builder.max_chain_depth(max_chain_depth)
        builder = builder.extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
        verified = builder.build_client_verifier().verify(leaf, list(intermediates))
    except Exception as exc:  # VerificationError, or ValueError on odd input
        return False, _error_text(exc), ()
    return True, None, tuple(verified.chain)


def _server_error(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    at: dt.datetime,
    target: Target,
    max_chain_depth: int | None,
) -> str | None:
    if not anchors:
        return None
    try:
        builder = xv.PolicyBuilder().store(xv.Store(list(anchors))).time(at)
        if max_chain_depth is not None:
            builder = builder.max_chain_depth(max_chain_depth)
        builder.build_server_verifier(_server_subject(target)).verify(leaf, list(intermediates))
    except Exception as exc:
        return _error_text(exc)
    return None


def _floor(at: dt.datetime) -> dt.datetime:
    """Validity has second granularity (RFC 5280 §4.1.2.5): compare the floored time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.replace(microsecond=0)


def _days(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 86400)


def _who(position: int | str, summary: CertSummary) -> dict[str, Any]:
    return {"position": position, "subject": summary.subject, "sha256": summary.sha256}


# --- the analysis ----------------------------------------------------------------------


def analyse_chain(
    presented: Sequence[bytes],
    *,
    target: Target | None,
    at: dt.datetime,
    anchors: TrustAnchors,
    fetched: Sequence[bytes] = (),
    aia_attempts: Sequence[AiaFetch] = (),
    max_chain_depth: int | None = None,
) -> ChainResult:
    """Explain the presented chain against every store; findings are judged on the primary store."""
    at = _floor(at)
    certs: list[x509.Certificate] = []
    positions: list[int] = []  # index into `presented` of each parsed certificate
    parse_errors: list[tuple[int, str]] = []
    for i, der in enumerate(presented[:MAX_PRESENTED]):
        try:
            certs.append(load_der(der))
            positions.append(i)
        except Exception as exc:
            parse_errors.append((i, _error_text(exc)))
    summaries = tuple(describe(c) for c in certs)
    attempts = tuple(_attempt_json(a) for a in aia_attempts)
    findings: list[Finding] = []

    if not certs or positions[0] != 0:
        # Without a readable leaf there is nothing to verify: say so, once.
        findings.append(
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {"reason": "no-leaf", "parse_errors": [{"position": i, "error": e} for i, e in parse_errors]},
            )
        )
        return ChainResult(summaries, tuple(parse_errors), len(presented), (), (), (), tuple(findings), attempts)

    links = tuple(_link(certs[k - 1], certs[k], summaries[k - 1], summaries[k], positions[k - 1], positions[k]) for k in range(1, len(certs)))
    fetched_certs = _parse_all(fetched)

    # Per-store verdicts from cryptography.
    leaf, intermediates = certs[0], certs[1:]
    verdicts: list[StoreVerdict] = []
    for name in anchors.verdict_stores():
        trusted = anchors.effective(name)
        ok, error, chain = _verify(trusted, leaf, intermediates, at, max_chain_depth)
        lenient_ok = None
        if not ok:
            lenient_ok, _, lenient_chain = _verify(trusted, leaf, intermediates, at, max_chain_depth, lenient=True)
            chain = lenient_chain
        with_fetched = None
        if fetched_certs:
            with_fetched = _verify(trusted, leaf, intermediates + fetched_certs, at, max_chain_depth)[0]
        server_error = _server_error(trusted, leaf, intermediates, at, target, max_chain_depth) if target else None
        verdicts.append(
            StoreVerdict(
                store=name,
                anchors=len(trusted),
                ok=ok,
                error=error,
                chain=tuple((c.fingerprint(_SHA256).hex(), c.subject.rfc4514_string()) for c in chain),
                server_error=server_error,
                with_fetched=with_fetched,
                lenient_ok=lenient_ok,
            )
        )

    primary_name = anchors.primary()
    store = _Store(anchors.effective(primary_name) if primary_name else ())
    primary = next((v for v in verdicts if v.store == primary_name), None)

    path, anchor, anchored = _path_from_verdict(certs, primary, store) or _build_path(certs, store)
    findings += _order_findings(certs, summaries, positions, path, anchor, store)
    findings += _trust_findings(
        certs, summaries, positions, path, anchor, anchored, store, anchors, primary_name, fetched_certs,
        primary, attempts,
    )
    findings += _validity_findings(certs, summaries, positions, path, anchor, at)
    findings += _eku_findings(certs[0], summaries[0])
    findings += _rule_findings(certs, summaries, positions, path, anchor)
    if len(presented) > MAX_PRESENTED:
        # The path ran off the end of what was analysed: the chain is too long, not missing a link.
        findings = [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**f.evidence, "reason": "too-long", "presented_count": len(presented), "analysed": MAX_PRESENTED,
                 "openssl_default_depth": 100},
            )
            if f.code is Code.CHAIN_INCOMPLETE and f.evidence.get("top", {}).get("position") == positions[-1]
            else f
            for f in findings
        ]
        findings.append(
            Finding(
                Code.CHAIN_ORDER,
                Severity.WARNING,
                {"kind": "too-many", "presented_count": len(presented), "analysed": MAX_PRESENTED},
            )
        )
    # The verifier is the authority: a rejection no explanation above covers is still a problem.
    if primary is not None and not primary.ok and not any(f.severity is Severity.ERROR for f in findings):
        strict_only = bool(primary.lenient_ok)
        findings.append(
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.WARNING if strict_only else Severity.ERROR,
                {
                    "reason": "strict-verifier-rejects" if strict_only else "verifier-rejected",
                    "store": primary.store,
                    "error": primary.error,
                    "rule": _rule_for(primary.error or "") if strict_only else None,
                },
            )
        )
    # Other stores that disagree with the primary one (e.g. system trusts it, certifi does not).
    if primary is not None and primary.ok and primary_name != "custom":
        failing = [v.store for v in verdicts if not v.ok and v.store != primary_name]
        if failing:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {
                        "reason": "store-differs",
                        "trusted_by": [v.store for v in verdicts if v.ok],
                        "untrusted_by": failing,
                        "clients": [c for s in failing for c in STORE_CLIENTS.get(s, ())],
                        "errors": {v.store: v.error for v in verdicts if not v.ok},
                    },
                )
            )
    return ChainResult(
        presented=summaries,
        parse_errors=tuple(parse_errors),
        presented_count=len(presented),
        links=links,
        path=tuple(positions[i] for i in path),
        verdicts=tuple(verdicts),
        findings=tuple(findings),
        aia_attempts=attempts,
    )


def _attempt_json(attempt: Any) -> dict[str, Any]:
    if hasattr(attempt, "to_json"):
        return dict(attempt.to_json())
    return {"url": getattr(attempt, "url", None), "ok": getattr(attempt, "ok", None)}


def _parse_all(ders: Sequence[bytes]) -> list[x509.Certificate]:
    out = []
    for der in ders[:MAX_PRESENTED]:
        try:
            out.append(load_der(der))
        except Exception:
            continue
    return out


def _link(
    child: x509.Certificate, parent: x509.Certificate, cs: CertSummary, ps: CertSummary, ci: int, pi: int
) -> Link:
    key_id = None if cs.aki is None or ps.ski is None else cs.aki == ps.ski
    return Link(
        child=ci,
        parent=pi,
        name_match=child.issuer == parent.subject,
        key_id_match=key_id,
        signature_ok=_issued_by(child, parent),
    )


def _build_path(
    certs: Sequence[x509.Certificate], store: _Store
) -> tuple[list[int], x509.Certificate | None, bool]:
    """Follow issuers through the presented certificates until one is trusted.

    Returns the path (indexes into `certs`), the store certificate that
    anchors it (None when the last cert on the path is itself in the store or
    nothing anchors it) and whether it is anchored at all.
    """
    path = [0]
    while True:
        current = certs[path[-1]]
        if store.contains(current):
            return path, None, True
        issuer = store.issuer_of(current)
        if issuer is not None:
            return path, issuer, True
        if _issued_by(current, current):  # a root nobody trusts: the path ends here
            return path, None, False
        nxt = _next_presented(certs, path)
        if nxt is None:
            return path, None, False
        path.append(nxt)


def _path_from_verdict(
    certs: Sequence[x509.Certificate], primary: StoreVerdict | None, store: _Store
) -> tuple[list[int], x509.Certificate | None, bool] | None:
    """The path cryptography verified (strictly or leniently), as presented positions."""
    if primary is None or not primary.chain:
        return None
    by_fp = {c.fingerprint(_SHA256).hex(): i for i, c in enumerate(certs)}
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
        return path, None, True
    return path, store.issuer_of(last), True


def _rule_for(error: str) -> str:
    """Name the rule a strict (WebPKI) verifier applied where RFC 5280 / OpenSSL are lenient."""
    if "basicConstraints.cA" in error or "keyCertSign" in error:
        return "CA/B Forum BR 7.1.2.7.8: a CA certificate must not be the server certificate (OpenSSL accepts it)"
    if "extendedKeyUsage" in error or "EKU" in error or "critical" in error and "2.5.29.37" in error:
        return "CA/B Forum BR 7.1.2.7.10: extendedKeyUsage must not be critical"
    if "2.5.29.35" in error or "authorityKeyIdentifier" in error:
        return "RFC 5280 4.2.1.1: authorityKeyIdentifier required (also Python 3.13+ VERIFY_X509_STRICT)"
    if "nameConstraints" in error:
        return "RFC 5280 4.2.1.10: nameConstraints must be critical"
    return "WebPKI profile (CA/B Forum Baseline Requirements)"


def _next_presented(certs: Sequence[x509.Certificate], path: list[int]) -> int | None:
    current = certs[path[-1]]
    candidates = [j for j in range(1, len(certs)) if j not in path and _issued_by(current, certs[j])]
    if not candidates:
        return None
    preferred = path[-1] + 1
    return preferred if preferred in candidates else candidates[0]


def _order_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: list[int],
    anchor: x509.Certificate | None,
    store: _Store,
) -> list[Finding]:
    findings: list[Finding] = []
    sent = [{"position": positions[i], "subject": summaries[i].subject} for i in range(len(certs))]
    if path != list(range(len(path))):
        findings.append(
            Finding(
                Code.CHAIN_ORDER,
                Severity.WARNING,
                {
                    "kind": "misordered",
                    "order_sent": sent,
                    "order_linking": [{"position": positions[i], "subject": summaries[i].subject} for i in path],
                },
            )
        )
    unused = [i for i in range(len(certs)) if i not in path]
    roots_sent = [
        i for i in unused if store.contains(certs[i]) or (summaries[i].self_signed and _issued_by(certs[path[-1]], certs[i]))
    ]
    if store.contains(certs[path[-1]]) and path[-1] != 0 and summaries[path[-1]].self_signed:
        roots_sent.append(path[-1])
    for i in roots_sent:
        findings.append(Finding(Code.CHAIN_ORDER, Severity.INFO, {"kind": "root-sent", **_who(positions[i], summaries[i])}))
    extra = [i for i in unused if i not in roots_sent]
    if extra:
        findings.append(
            Finding(
                Code.CHAIN_ORDER,
                Severity.WARNING,
                {
                    "kind": "unrelated",
                    "certificates": [_who(positions[i], summaries[i]) for i in extra],
                    "order_sent": sent,
                },
            )
        )
    return findings


def _trust_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: list[int],
    anchor: x509.Certificate | None,
    anchored: bool,
    store: _Store,
    anchors: TrustAnchors,
    primary_name: str | None,
    fetched: Sequence[x509.Certificate],
    primary: StoreVerdict | None,
    attempts: tuple[dict[str, Any], ...],
) -> list[Finding]:
    if anchored:
        return []
    top_index = path[-1]
    top, top_summary = certs[top_index], summaries[top_index]
    tried = list(anchors.verdict_stores())
    other_stores = [n for n in tried if n != primary_name and _Store(anchors.effective(n)).issuer_of(top) is not None]
    base = {
        "top": _who(positions[top_index], top_summary),
        "stores_tried": tried,
        "primary_store": primary_name,
    }
    if top_summary.self_signed:
        if top_index == 0:
            return [Finding(Code.SELF_SIGNED, Severity.ERROR, {**base, "subject": top_summary.subject})]
        return [Finding(Code.CHAIN_UNTRUSTED, Severity.ERROR, {**base, "reason": "untrusted-root"})]
    # A issued by B issued by A: nothing is missing, the issuers go round in a circle and never reach a root.
    loop_back = next((i for i in path[:-1] if _issued_by(top, certs[i])), None)
    if loop_back is not None:
        return [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**base, "reason": "issuer-loop", "issuer": top_summary.issuer, "loops_to": _who(positions[loop_back], summaries[loop_back])},
            )
        ]
    missing = {
        "missing_issuer": top_summary.issuer,
        "aki": top_summary.aki,
        "aia_urls": list(top_summary.ca_issuers),
        "aia_attempts": list(attempts),
    }
    # Does an AIA-fetched certificate continue the path to a trusted root?
    chain_from_fetch = _extend_with(top, fetched, store)
    if chain_from_fetch is not None:
        found, reaches_anchor = chain_from_fetch
        return [
            Finding(
                Code.CHAIN_INCOMPLETE,
                Severity.ERROR,
                {
                    **base,
                    **missing,
                    "aia_found": True,
                    "fetched": [{"subject": c.subject.rfc4514_string(), "sha256": c.fingerprint(_SHA256).hex()} for c in found],
                    "verifies_with_fetched": bool(primary.with_fetched) if primary else reaches_anchor,
                    "browsers_may_work": True,
                },
            )
        ]
    if other_stores:
        return [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**base, **missing, "reason": "not-in-this-store", "trusted_by": other_stores},
            )
        ]
    if top_summary.self_issued:
        return [Finding(Code.CHAIN_UNTRUSTED, Severity.ERROR, {**base, **missing, "reason": "unknown-issuer", "ambiguous": True})]
    return [
        Finding(
            Code.CHAIN_INCOMPLETE,
            Severity.ERROR,
            {**base, **missing, "aia_found": False, "ambiguous": True, "browsers_may_work": bool(top_summary.ca_issuers)},
        )
    ]


def _extend_with(
    top: x509.Certificate, fetched: Sequence[x509.Certificate], store: _Store
) -> tuple[list[x509.Certificate], bool] | None:
    """Follow issuers through fetched certificates; None when none of them issued `top`."""
    found: list[x509.Certificate] = []
    current = top
    while len(found) < len(fetched):
        nxt = next((c for c in fetched if c not in found and _issued_by(current, c)), None)
        if nxt is None:
            break
        found.append(nxt)
        if store.contains(nxt) or store.issuer_of(nxt) is not None:
            return found, True
        current = nxt
    return (found, False) if found else None


def _validity_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: list[int],
    anchor: x509.Certificate | None,
    at: dt.datetime,
) -> list[Finding]:
    """Every presented certificate, plus the store anchor the path ends at."""
    checked: list[tuple[int | str, CertSummary, bool]] = [
        (positions[i], summaries[i], i in path) for i in range(len(certs))
    ]
    if anchor is not None:
        checked.append(("anchor", describe(anchor), True))
    findings = []
    for position, summary, used in checked:
        severity = Severity.ERROR if used else Severity.WARNING
        if at > summary.not_after:
            findings.append(
                Finding(
                    Code.CERT_EXPIRED,
                    severity,
                    {
                        **_who(position, summary),
                        "not_after": summary.not_after.isoformat(),
                        "at": at.isoformat(),
                        "days": _days(at - summary.not_after),
                        "on_path": used,
                    },
                )
            )
        elif at < summary.not_before:
            findings.append(
                Finding(
                    Code.CERT_NOT_YET_VALID,
                    severity,
                    {
                        **_who(position, summary),
                        "not_before": summary.not_before.isoformat(),
                        "at": at.isoformat(),
                        "days": _days(summary.not_before - at),
                        "on_path": used,
                    },
                )
            )
    return findings


def _rule_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: list[int],
    anchor: x509.Certificate | None,
) -> list[Finding]:
    """Certificates on the path that a client cannot even read, and rules only strict verifiers apply."""
    findings: list[Finding] = []
    for i in path:
        try:
            extensions = certs[i].extensions
        except Exception as exc:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.ERROR,
                    {"reason": "malformed-extensions", **_who(positions[i], summaries[i]), "error": _error_text(exc)},
                )
            )
            continue
    checked_ca = [(certs[i], _who(positions[i], summaries[i])) for i in path if i != 0]
    if anchor is not None:
        checked_ca.append((anchor, {"position": "anchor", "subject": anchor.subject.rfc4514_string()}))
    for cert, who in checked_ca:
        try:
            nc = next((e for e in cert.extensions if e.oid == x509.oid.ExtensionOID.NAME_CONSTRAINTS), None)
        except Exception:
            continue
        if nc is not None and not nc.critical:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {"reason": "nc-not-critical", **who, "rule": "RFC 5280 4.2.1.10: nameConstraints must be critical"},
                )
            )
    root = anchor if anchor is not None else (certs[path[-1]] if summaries[path[-1]].self_signed and path[-1] != 0 else None)
    if root is not None:
        try:
            has_eku = any(e.oid == x509.oid.ExtensionOID.EXTENDED_KEY_USAGE for e in root.extensions)
        except Exception:
            has_eku = False
        if has_eku:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {"reason": "root-has-eku", "subject": root.subject.rfc4514_string(), "rule": "CA/B Forum BR 7.1.2.1.2: root certificates must not carry extendedKeyUsage"},
                )
            )
    return findings


def _eku_findings(leaf: x509.Certificate, summary: CertSummary) -> list[Finding]:
    server, any_eku = ExtendedKeyUsageOID.SERVER_AUTH.dotted_string, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string
    evidence = {"subject": summary.subject, "eku": [{"oid": o, "name": n} for o, n in summary.eku]}
    if not summary.has_eku and any(p.startswith("ExtendedKeyUsage:") for p in summary.problems):
        return []  # unreadable extensions: reported as chain-untrusted "malformed-extensions"
    if not summary.has_eku:
        # Allowed by RFC 5280 and OpenSSL, but Apple platforms and the CA/B Forum require serverAuth.
        return [
            Finding(
                Code.EKU_NO_SERVER_AUTH,
                Severity.WARNING,
                {**evidence, "reason": "no-eku-extension", "rule": "CA/B Forum BR 7.1.2.7.10; Apple TLS requirements (iOS 13, macOS 10.15)"},
            )
        ]
    oids = summary.eku_oids
    if server in oids and any_eku not in oids:
        return []
    if any_eku in oids:
        return [
            Finding(
                Code.EKU_NO_SERVER_AUTH,
                Severity.WARNING,
                {**evidence, "reason": "any-eku", "server_auth": server in oids, "rule": "CA/B Forum BR 7.1.2.7.10 (anyExtendedKeyUsage forbidden); rejected by WebPKI verifiers"},
            )
        ]
    return [Finding(Code.EKU_NO_SERVER_AUTH, Severity.ERROR, {**evidence, "reason": "no-server-auth"})]
