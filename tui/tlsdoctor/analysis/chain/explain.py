"""Explain the verdicts: turn the issuer links and cryptography's per-store errors into findings and reasons.

Order (misordered, root sent, unrelated certificates), trust (missing
intermediate, untrusted root, issuer loop, another store trusts it), chains
too long to analyse, and the verifier's own word when nothing else explains a
rejection. Pure: it reads verdicts (verify.py) and paths (links.py); it runs
no verifier itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.chain.links import AnchorIndex, extend_with, issued_by
from tlsdoctor.analysis.chain.model import (
    MAX_PRESENTED,
    Evidence,
    StoreVerdict,
    fingerprint,
    who,
)
from tlsdoctor.facts.trust import STORE_CLIENTS, TrustAnchors
from tlsdoctor.findings import Code, Finding, Severity

OPENSSL_DEFAULT_DEPTH = 100


def rule_for(error: str) -> str:
    """Name the rule a strict (WebPKI) verifier applied where RFC 5280 / OpenSSL are lenient."""
    if "basicConstraints.cA" in error or "keyCertSign" in error:
        return "CA/B Forum BR 7.1.2.7.8: a CA certificate must not be the server certificate (OpenSSL accepts it)"
    if "extendedKeyUsage" in error or "EKU" in error or ("critical" in error and "2.5.29.37" in error):
        return "CA/B Forum BR 7.1.2.7.10: extendedKeyUsage must not be critical"
    if "2.5.29.35" in error or "authorityKeyIdentifier" in error:
        return "RFC 5280 4.2.1.1: authorityKeyIdentifier required (also Python 3.13+ VERIFY_X509_STRICT)"
    if "subjectAltName" in error or "2.5.29.17" in error:
        if "critical" in error:
            return "RFC 5280 4.2.1.6: subjectAltName must not be critical when the subject is not empty (cryptography enforces it; OpenSSL, curl, Python, Node and Java accept it)"
        return "CA/B Forum BR 7.1.2.7.12: a server certificate must carry subjectAltName (cryptography enforces it in the chain; the names step says which clients accept the Common Name)"
    if "nameConstraints" in error:
        return "RFC 5280 4.2.1.10: nameConstraints must be critical"
    return "WebPKI profile (CA/B Forum Baseline Requirements)"


def order_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    store: AnchorIndex,
) -> list[Finding]:
    """Misordered certificates, a root sent along, and certificates that belong to no path."""
    findings: list[Finding] = []
    sent = [{"position": positions[i], "subject": summaries[i].subject} for i in range(len(certs))]
    if list(path) != list(range(len(path))):
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
        i for i in unused if store.contains(certs[i]) or (summaries[i].self_signed and issued_by(certs[path[-1]], certs[i]))
    ]
    if store.contains(certs[path[-1]]) and path[-1] != 0 and summaries[path[-1]].self_signed:
        roots_sent.append(path[-1])
    for i in roots_sent:
        findings.append(Finding(Code.CHAIN_ORDER, Severity.INFO, {"kind": "root-sent", **who(positions[i], summaries[i])}))
    extra = [i for i in unused if i not in roots_sent]
    if extra:
        findings.append(
            Finding(
                Code.CHAIN_ORDER,
                Severity.WARNING,
                {
                    "kind": "unrelated",
                    "certificates": [who(positions[i], summaries[i]) for i in extra],
                    "order_sent": sent,
                },
            )
        )
    return findings


def trust_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    store: AnchorIndex,
    anchors: TrustAnchors,
    fetched: Sequence[x509.Certificate],
    primary: StoreVerdict | None,
    attempts: Sequence[Evidence],
) -> list[Finding]:
    """Why an unanchored path does not reach the primary store: the one most likely reason."""
    primary_name = anchors.primary()
    top_index = path[-1]
    top, top_summary = certs[top_index], summaries[top_index]
    tried = list(anchors.verdict_stores())
    other_stores = [n for n in tried if n != primary_name and AnchorIndex(anchors.effective(n)).issuer_of(top) is not None]
    base: Evidence = {
        "top": who(positions[top_index], top_summary),
        "stores_tried": tried,
        "primary_store": primary_name,
    }
    if top_summary.self_signed:
        if top_index == 0:
            return [Finding(Code.SELF_SIGNED, Severity.ERROR, {**base, "subject": top_summary.subject})]
        return [Finding(Code.CHAIN_UNTRUSTED, Severity.ERROR, {**base, "reason": "untrusted-root"})]
    # A issued by B issued by A: nothing is missing, the issuers go round in a circle and never reach a root.
    loop_back = next((i for i in path[:-1] if issued_by(top, certs[i])), None)
    if loop_back is not None:
        return [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**base, "reason": "issuer-loop", "issuer": top_summary.issuer, "loops_to": who(positions[loop_back], summaries[loop_back])},
            )
        ]
    # The issuer was sent (its name is the top's issuer name) but its key does not verify the
    # top's signature: nothing is missing, the signature is bad (a tampered or mis-issued
    # certificate, or the wrong intermediate with the same name).
    named_issuer = next(
        (i for i in range(len(certs)) if i not in path and certs[i].subject == top.issuer and i != top_index), None
    )
    if named_issuer is not None:
        return [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**base, "reason": "bad-signature", "issuer": top_summary.issuer,
                 "sent_issuer": who(positions[named_issuer], summaries[named_issuer])},
            )
        ]  # fmt: skip
    missing: Evidence = {
        "missing_issuer": top_summary.issuer,
        "aki": top_summary.aki,
        "aia_urls": list(top_summary.ca_issuers),
        "aia_attempts": list(attempts),
    }
    # Does an AIA-fetched certificate continue the path to a trusted root?
    chain_from_fetch = extend_with(top, fetched, store)
    if chain_from_fetch is not None:
        found, reaches_anchor = chain_from_fetch
        if not reaches_anchor and found and found[-1].issuer == found[-1].subject:
            # AIA gave the issuer: a root that no store holds. Nothing was missing but trust.
            return [
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.ERROR,
                    {**base, **missing, "reason": "unknown-root", "issuer": found[-1].subject.rfc4514_string(),
                     "aia_found": True, "clients": list(dict.fromkeys(c for n in tried for c in STORE_CLIENTS.get(n, ())))},
                )
            ]  # fmt: skip
        return [
            Finding(
                Code.CHAIN_INCOMPLETE,
                Severity.ERROR,
                {
                    **base,
                    **missing,
                    "aia_found": True,
                    "fetched": [{"subject": c.subject.rfc4514_string(), "sha256": fingerprint(c)} for c in found],
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
    if top_index != 0 and top_summary.is_ca:
        # The server sent its intermediates and stops at a CA whose issuer (a root, as servers
        # rightly leave roots out) is in no store: nothing is missing from what it sends; the
        # client lacks that root. Serving "the full chain" changes nothing.
        return [
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.ERROR,
                {**base, **missing, "reason": "unknown-root", "issuer": top_summary.issuer,
                 "clients": list(dict.fromkeys(c for n in tried for c in STORE_CLIENTS.get(n, ())))},
            )
        ]  # fmt: skip
    return [
        Finding(
            Code.CHAIN_INCOMPLETE,
            Severity.ERROR,
            {**base, **missing, "aia_found": False, "ambiguous": True, "browsers_may_work": bool(top_summary.ca_issuers)},
        )
    ]


def too_long_findings(findings: Sequence[Finding], presented_count: int, last_position: int) -> list[Finding]:
    """More certificates than analysed: a path that ran off the end is too long, not missing a link."""
    capped = [
        Finding(
            Code.CHAIN_UNTRUSTED,
            Severity.ERROR,
            {**f.evidence, "reason": "too-long", "presented_count": presented_count, "analysed": MAX_PRESENTED,
             "openssl_default_depth": OPENSSL_DEFAULT_DEPTH},
        )
        if (f.code is Code.CHAIN_INCOMPLETE or f.evidence.get("reason") == "unknown-root")
        and f.evidence.get("top", {}).get("position") == last_position
        else f
        for f in findings
    ]  # fmt: skip
    capped.append(
        Finding(
            Code.CHAIN_ORDER,
            Severity.WARNING,
            {"kind": "too-many", "presented_count": presented_count, "analysed": MAX_PRESENTED},
        )
    )
    return capped


def verifier_findings(
    verdicts: Sequence[StoreVerdict], primary: StoreVerdict | None, findings: Sequence[Finding]
) -> list[Finding]:
    """cryptography's word where the findings so far leave it unsaid.

    The verifier is the authority: a rejection no explanation covers is still
    a problem. And other stores that disagree with the primary one (e.g. system
    trusts it, certifi does not) are worth a warning.
    """
    out: list[Finding] = []
    if primary is not None and not primary.ok and not any(f.severity is Severity.ERROR for f in findings):
        strict_only = bool(primary.lenient_ok)
        out.append(
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.WARNING if strict_only else Severity.ERROR,
                {
                    "reason": "strict-verifier-rejects" if strict_only else "verifier-rejected",
                    "store": primary.store,
                    "error": primary.error,
                    "rule": rule_for(primary.error or "") if strict_only else None,
                },
            )
        )
    if primary is not None and primary.ok and primary.store != "custom":
        failing = [v.store for v in verdicts if not v.ok and v.store != primary.store]
        if failing:
            out.append(
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
    return out
