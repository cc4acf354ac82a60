"""The names step's entry point: `check_names(cert, target)`.

Wires the parts together (read the identifiers, judge each one, pick the
closest, run the client matrix, raise the findings) and adds no rule of its
own. Pure: no I/O, no clock, no textual.
"""

from __future__ import annotations

import dataclasses
import heapq

from cryptography import x509

from tlsdoctor.analysis.names.client_matrix import client_verdicts
from tlsdoctor.analysis.names.closest import closest_verdict
from tlsdoctor.analysis.names.findings import names_findings
from tlsdoctor.analysis.names.identifiers import Reference, idna2003_form, read_presented
from tlsdoctor.analysis.names.matching import lower_ascii, parse_ip
from tlsdoctor.analysis.names.model import IPAddr, NamesResult, SanKind, SanVerdict, Verdict
from tlsdoctor.analysis.names.verdicts import (
    cn_verdict,
    dns_verdict,
    ip_verdict,
    label_rows,
    other_verdict,
)
from tlsdoctor.target import Target

MAX_LABEL_DIFFS = 16
"""Identifiers that carry a label diff: the closest ones (all of them on most certificates).
A certificate with thousands of SANs used to carry a diff for each, 1.4 MB of JSON that
nobody reads past the first few (issue 13); docs/DESIGN.md says so."""


def with_label_diffs(
    verdicts: list[SanVerdict], ref_labels: list[str], ref_ip: IPAddr | None, *, also: int | None = None, limit: int = MAX_LABEL_DIFFS
) -> tuple[SanVerdict, ...]:
    """The verdicts, the `limit` most similar (ties: certificate order) and the one at index `also`
    with their label diff."""
    chosen = set(heapq.nsmallest(limit, range(len(verdicts)), key=lambda i: (-verdicts[i].similarity, i)))
    if also is not None:
        chosen.add(also)
    out = list(verdicts)
    for i in sorted(chosen):
        rows = label_rows(verdicts[i], ref_labels, ref_ip)
        if rows:
            out[i] = dataclasses.replace(verdicts[i], labels=rows)
    return tuple(out)


def check_names(cert: x509.Certificate, target: Target) -> NamesResult:
    """Every presented identifier against the target, with reasons, clients and findings."""
    p = read_presented(cert)
    reference = lower_ascii(target.ascii_host).rstrip(".")
    ref_ip = parse_ip(reference) if target.is_ip else None
    ref_labels = reference.split(".")
    verdicts: list[SanVerdict] = []
    for kind, value in p.order:
        if not isinstance(value, str):  # an iPAddress SAN
            verdicts.append(ip_verdict(value, ref_ip))
        elif kind is SanKind.DNS:
            verdicts.append(dns_verdict(value, reference, ref_labels, ref_ip))
        else:
            verdicts.append(other_verdict(kind, value, reference, ref_labels))
    has_id_san = bool(p.dns or p.ips)
    for cn in p.cns:
        verdicts.append(cn_verdict(cn, reference, ref_labels, ref_ip, has_id_san))
    matched = any(v.verdict is Verdict.MATCH for v in verdicts)
    nearest = None if matched else closest_verdict(tuple(verdicts))
    at = next((i for i, v in enumerate(verdicts) if v is nearest), None)
    all_verdicts = with_label_diffs(verdicts, ref_labels, ref_ip, also=at)
    closest = all_verdicts[at] if at is not None else None
    idna2003 = idna2003_form(target.display_host, reference) if ref_ip is None else None
    ref = Reference(host=reference, trailing_dot=target.trailing_dot, ip=ref_ip, idna2003=idna2003)
    clients = client_verdicts(p, ref, all_verdicts)
    return NamesResult(
        reference=reference,
        display_reference=target.display_host,
        is_ip=target.is_ip,
        verdicts=all_verdicts,
        matched=matched,
        closest=closest,
        common_names=p.cns,
        clients=clients,
        findings=tuple(names_findings(target, p, all_verdicts, matched, closest, clients)),
        trailing_dot=target.trailing_dot,
        san_error=p.san_error,
    )
