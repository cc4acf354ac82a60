"""`analyse_chain`: step 6 from the DER the server sent to a `ChainResult` (verdicts, links, findings).

Pure: no I/O, no clock (the caller passes `at`). Input is the DER the server
sent (leaf first, exactly as sent), the trust stores already loaded, and any
intermediates fetched via AIA. This module only puts the parts together:
verify.py gives the verdicts, links.py the issuer path, explain.py and
policy.py the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography import x509

from tlsdoctor.analysis.certinfo import describe, load_der
from tlsdoctor.analysis.chain.clientpolicy import (
    anchor_findings,
    key_and_signature_findings,
    name_constraint_findings,
    profile_findings,
    root_above,
    size_findings,
)
from tlsdoctor.analysis.chain.explain import (
    order_findings,
    too_long_findings,
    trust_findings,
    verifier_findings,
)
from tlsdoctor.analysis.chain.links import (
    AnchorIndex,
    build_path,
    link,
    path_from_verdict,
)
from tlsdoctor.analysis.chain.model import MAX_PRESENTED, ChainResult, error_text
from tlsdoctor.analysis.chain.policy import (
    eku_findings,
    floor_time,
    rule_findings,
    validity_findings,
)
from tlsdoctor.analysis.chain.verify import store_verdicts
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Code, Finding, Severity

if TYPE_CHECKING:
    from tlsdoctor.facts.aia import AiaFetch
    from tlsdoctor.target import Target


def _parse_all(ders: Sequence[bytes]) -> list[x509.Certificate]:
    """The certificates that parse (AIA-fetched ones: a bad one is simply not used)."""
    out = []
    for der in ders[:MAX_PRESENTED]:
        try:
            out.append(load_der(der))
        except ValueError:
            continue
    return out


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
    at = floor_time(at)
    certs: list[x509.Certificate] = []
    positions: list[int] = []  # index into `presented` of each parsed certificate
    parse_errors: list[tuple[int, str]] = []
    for i, der in enumerate(presented[:MAX_PRESENTED]):
        try:
            certs.append(load_der(der))
            positions.append(i)
        except ValueError as exc:
            parse_errors.append((i, error_text(exc)))
    summaries = tuple(describe(c) for c in certs)
    attempts = tuple(a.to_json() for a in aia_attempts)

    if not certs or positions[0] != 0:
        # Without a readable leaf there is nothing to verify: say so, once.
        no_leaf = Finding(
            Code.CHAIN_UNTRUSTED,
            Severity.ERROR,
            {"reason": "no-leaf", "parse_errors": [{"position": i, "error": e} for i, e in parse_errors]},
        )
        return ChainResult(summaries, tuple(parse_errors), len(presented), (), (), (), (no_leaf,), attempts)

    links = tuple(
        link(certs[k - 1], certs[k], summaries[k - 1], summaries[k], positions[k - 1], positions[k])
        for k in range(1, len(certs))
    )
    fetched_certs = _parse_all(fetched)
    verdicts = store_verdicts(
        certs[0], certs[1:], fetched_certs, anchors=anchors, target=target, at=at, max_chain_depth=max_chain_depth
    )

    primary_name = anchors.primary()
    store = AnchorIndex(anchors.effective(primary_name) if primary_name else ())
    primary = next((v for v in verdicts if v.store == primary_name), None)

    path, anchor, anchored = path_from_verdict(certs, primary, store) or build_path(certs, store)
    findings = order_findings(certs, summaries, positions, path, store)
    anchor_summary = describe(anchor) if anchor is not None else None
    findings += key_and_signature_findings(certs, summaries, positions, path, anchor, anchor_summary)
    findings += name_constraint_findings(certs, summaries, positions, path, anchor, anchor_summary)
    # The certificate the client's trust stops at: a store anchor above the path, or a sent one the store holds.
    trusted_top = anchor if anchor is not None else (certs[path[-1]] if anchored and store.contains(certs[path[-1]]) else None)
    if trusted_top is not None and not root_above(trusted_top, store):
        findings += anchor_findings(trusted_top, anchor_summary if anchor is not None else summaries[path[-1]], summaries[0])
    findings += profile_findings(certs, summaries, positions, path)
    findings += size_findings([len(presented[i]) for i in positions])
    if not anchored:
        findings += trust_findings(certs, summaries, positions, path, store, anchors, fetched_certs, primary, attempts)
    findings += validity_findings(certs, summaries, positions, path, anchor, at)
    findings += eku_findings(summaries[0])
    findings += rule_findings(certs, summaries, positions, path, anchor)
    if len(presented) > MAX_PRESENTED:
        findings = too_long_findings(findings, len(presented), positions[-1])
    findings += verifier_findings(verdicts, primary, findings)
    return ChainResult(
        presented=summaries,
        parse_errors=tuple(parse_errors),
        presented_count=len(presented),
        links=links,
        path=tuple(positions[i] for i in path),
        verdicts=verdicts,
        findings=tuple(findings),
        aia_attempts=attempts,
    )
