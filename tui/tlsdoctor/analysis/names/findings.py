"""The findings the names step raises, with their severities.

- `hostname-mismatch` ERROR whenever RFC 9525 finds no match.
- `wildcard-apex`, `wildcard-depth` ERROR when not matched (they explain the
  failure); not raised when another SAN matches (then they are irrelevant).
- `wildcard-partial` (also raised for `www.*.example.com` and `*.*.example.com`
  shapes, with `reason` in the evidence) ERROR when not matched and that
  wildcard is the closest SAN or would cover the host under a lenient glob;
  WARNING otherwise (lenient clients still honour it, public CAs must not issue it).
- `cn-only` ERROR: no dNSName/iPAddress SAN at all; RFC 9525, Go, Chrome,
  Firefox and requests reject it even when the CN equals the host.
- `ip-not-in-san` ERROR: an IP target with no equal iPAddress SAN.
- `cn-not-in-san` WARNING (CA/B BR 7.1.4.3): a CN that is not character for
  character one of the SAN values. Clients do not care; public CAs must not issue it.
- `wildcard-partial` with `reason: wildcard-public-suffix` when the name matches
  only through a wildcard on a public suffix (Public Suffix List, via
  `publicsuffixlist`; CA/B BR 3.2.2.6): ERROR for `*.tld` (browsers, OpenSSL,
  curl, Python and Node refuse it), WARNING for longer suffixes (`*.co.uk`,
  `*.s3.amazonaws.com`: Chrome refuses ICANN suffixes, most clients accept).
  A `*.tld` is then not a cover at all: `hostname-mismatch` ERROR beside it,
  with the same reason (only Java, and only for private roots, accepts it).
- `hostname-mismatch` WARNING with `reason: underscore` when the name matches
  only through dNSNames with an underscore (RFC 5280 4.2.1.6 preferred name
  syntax, CA/B BR 7.1.2.7.12): OpenSSL, curl, Go and browsers accept them,
  Java and WebPKI verifiers (rustls, cryptography) report a name mismatch.

Findings are built from the verdicts and the client matrix already computed:
no matching here, no sentences (evidence carries codes and values), no I/O.
"""

from __future__ import annotations

import ipaddress

from tlsdoctor.analysis.names.identifiers import Presented
from tlsdoctor.analysis.names.matching import parse_ip, v4_mapped
from tlsdoctor.analysis.names.model import ClientVerdict, SanKind, SanVerdict, Verdict
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.target import Target

_WILDCARD_INVALID = ("wildcard-partial", "wildcard-not-leftmost", "multiple-wildcards")


def names_findings(
    target: Target,
    p: Presented,
    verdicts: tuple[SanVerdict, ...],
    matched: bool,
    closest: SanVerdict | None,
    clients: tuple[ClientVerdict, ...] = (),
) -> list[Finding]:
    """Every finding about the names, in report order (see the module docstring)."""
    findings: list[Finding] = []
    sans = [v.value for v in verdicts if v.kind is not SanKind.CN]
    has_id_san = bool(p.dns or p.ips)
    if not matched:
        evidence: dict[str, object] = {
            "host": target.display_host,
            "ascii_host": target.ascii_host,
            "closest": closest.value if closest else None,
            "closest_kind": closest.kind.value if closest else None,
            "closest_reason": closest.reason if closest else None,
            "sans": sans,
            "cn": list(p.cns),
        }
        if p.san_error:
            evidence["san_error"] = p.san_error
        findings.append(Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, evidence))
        for code in (Code.WILDCARD_APEX, Code.WILDCARD_DEPTH):
            hits = [v.value for v in verdicts if v.kind is SanKind.DNS and v.reason == code.value]
            if hits:
                findings.append(Finding(code, Severity.ERROR, {"host": target.ascii_host, "wildcards": hits}))
    for v in verdicts:
        if v.kind is SanKind.DNS and v.reason in _WILDCARD_INVALID:
            intended = not matched and (v is closest or v.detail.get("would_match") == "yes")
            findings.append(
                Finding(
                    Code.WILDCARD_PARTIAL,
                    Severity.ERROR if intended else Severity.WARNING,
                    {"host": target.ascii_host, "wildcard": v.value, "reason": v.reason, "would_match": v.detail.get("would_match") == "yes"},
                )
            )
    if not has_id_san and p.cns and p.san_error is None:
        cn_matches = any(v.kind is SanKind.CN and v.detail.get("legacy") == "match" for v in verdicts)
        findings.append(
            Finding(
                Code.CN_ONLY,
                Severity.ERROR,
                {"host": target.ascii_host, "cn": list(p.cns), "cn_matches_host": cn_matches, "san_present": p.has_san_extension},
            )
        )
    if target.is_ip and not matched:
        ref_ip = ipaddress.ip_address(target.ascii_host)
        findings.append(
            Finding(
                Code.IP_NOT_IN_SAN,
                Severity.ERROR,
                {
                    "ip": target.ascii_host,
                    "ip_sans": [str(ip) for ip in p.ips],
                    "as_dns_name": any(parse_ip(d) == ref_ip for d in p.dns),
                    "in_cn": any(parse_ip(cn) == ref_ip for cn in p.cns),
                    "v4_mapped": any(v4_mapped(ip, ref_ip) for ip in p.ips),
                },
            )
        )
    if matched:
        findings.extend(_policy_findings(target, verdicts, clients))
    if has_id_san:
        san_texts = set(p.dns) | {str(ip) for ip in p.ips}
        outside = [cn for cn in p.cns if cn not in san_texts]
        if outside:
            findings.append(Finding(Code.CN_NOT_IN_SAN, Severity.WARNING, {"cn": outside, "sans": sans}))
    return findings


_PUBLIC_SUFFIX_RULE = "CA/B Forum BR 3.2.2.6: no wildcard in front of a registry-controlled or public suffix"
_UNDERSCORE_RULE = "RFC 5280 4.2.1.6 (preferred name syntax); CA/B Forum BR 7.1.2.7.12: dNSName labels are letters, digits and hyphens"


def _policy_findings(
    target: Target, verdicts: tuple[SanVerdict, ...], clients: tuple[ClientVerdict, ...]
) -> list[Finding]:
    """The name matches under RFC 9525, but only through SANs a rule forbids: say which rule.

    Raised only when every matching identifier breaks the rule (another, clean
    match makes it irrelevant)."""
    winners = [v for v in verdicts if v.verdict is Verdict.MATCH]
    rejected_by = [c.client for c in clients if not c.accepts]
    if winners and all(v.kind is SanKind.DNS and "public_suffix" in v.detail for v in winners):
        refused = [v for v in winners if v.reason == "wildcard-public-suffix"]
        mismatch = (
            [
                Finding(
                    Code.HOSTNAME_MISMATCH,
                    Severity.ERROR,
                    {
                        "host": target.ascii_host,
                        "reason": "wildcard-public-suffix",
                        "sans": [v.value for v in refused],
                        "rejected_by": rejected_by,
                        "rule": _PUBLIC_SUFFIX_RULE,
                    },
                )
            ]
            if len(refused) == len(winners)
            else []
        )
        return mismatch + [
            Finding(
                Code.WILDCARD_PARTIAL,
                Severity.ERROR if v.reason == "wildcard-public-suffix" else Severity.WARNING,
                {
                    "host": target.ascii_host,
                    "wildcard": v.value,
                    "reason": "wildcard-public-suffix",
                    "would_match": True,
                    "public_suffix": v.detail["public_suffix"],
                    "section": v.detail["public_suffix_section"],
                    "rejected_by": rejected_by,
                    "rule": _PUBLIC_SUFFIX_RULE,
                },
            )
            for v in winners
        ]
    if winners and all(v.kind is SanKind.DNS and "_" in (v.normalised or "") for v in winners):
        return [
            Finding(
                Code.HOSTNAME_MISMATCH,
                Severity.WARNING,
                {
                    "host": target.ascii_host,
                    "reason": "underscore",
                    "sans": [v.value for v in winners],
                    "rejected_by": rejected_by,
                    "rule": _UNDERSCORE_RULE,
                },
            )
        ]
    return []

