"""One verdict per presented identifier (dNSName, iPAddress, URI, e-mail, other, CN),
with its reason code, string parameters (`detail`) and similarity; `label_rows` draws
the label diff of one verdict (check_names asks it for the closest ones only).

Verdicts follow RFC 9525 only; what each client does is `clients`, and the
findings are `findings`. Reasons are codes of `tlsdoctor.reasons` (no sentences
here, no second table); no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

from tlsdoctor.analysis.names.closest import dns_rows, dns_score, ip_similarity
from tlsdoctor.analysis.names.matching import (
    lenient_covers,
    lenient_dns,
    match_name,
    parse_ip,
    public_suffix_section,
    v4_mapped,
)
from tlsdoctor.analysis.names.model import (
    IPAddr,
    LabelDiff,
    SanKind,
    SanVerdict,
    Verdict,
)


def _detail(**values: str) -> Mapping[str, str]:
    return MappingProxyType(values)


def as_written(rows: tuple[LabelDiff, ...], value: str) -> tuple[LabelDiff, ...]:
    """The diff rows with the certificate's labels as the certificate writes them (case kept);
    compared case-insensitively all the same. Unchanged when the labels do not line up."""
    written = value.removesuffix(".").split(".")
    presented = [row.presented for row in rows if row.presented is not None]
    if len(written) != len(presented) or [w.lower() for w in written] != presented:
        return rows
    it = iter(written)
    return tuple(LabelDiff(next(it), row.reference, row.same) if row.presented is not None else row for row in rows)


def dns_verdict(value: str, reference: str, ref_labels: list[str], ref_ip: IPAddr | None) -> SanVerdict:
    """A dNSName SAN against the reference host (or the reference IP: never a match)."""
    lenient = lenient_dns(value)
    if ref_ip is not None:
        as_ip = parse_ip(value)
        same = as_ip is not None and as_ip == ref_ip
        return SanVerdict(
            kind=SanKind.DNS,
            value=value,
            normalised=lenient,
            verdict=Verdict.NO_MATCH,
            reason="ip-vs-dns",
            detail=_detail(same_address="yes" if same else "no"),
            similarity=1.0 if same else 0.0,
        )
    verdict, reason = match_name(value, reference)
    detail: dict[str, str] = {"reference": reference}
    labels_for_score = lenient.split(".") if lenient else []
    if reason == "wildcard-apex":
        detail["base"] = reference
    elif reason == "wildcard-depth":
        base = ".".join(labels_for_score[1:])
        detail["base"] = base
        detail["depth"] = str(len(ref_labels) - len(labels_for_score) + 1)
    elif reason == "idna-u-label-in-cert":
        if lenient:
            detail["a_label"] = lenient
        else:  # not even an A-label can be made of it: never "it should be " and nothing
            reason = "idna-no-a-label"
    if verdict is Verdict.MATCH and labels_for_score[:1] == ["*"]:
        section = public_suffix_section(".".join(labels_for_score[1:]))
        if section is not None:
            detail["public_suffix"] = ".".join(labels_for_score[1:])
            detail["public_suffix_section"] = section
    if verdict is Verdict.INVALID:
        detail["would_match"] = "yes" if lenient_covers(value, reference) else "no"
    similarity = dns_score(labels_for_score, ref_labels) if labels_for_score else 0.0
    if verdict is Verdict.MATCH:
        similarity = 1.0
    return SanVerdict(
        kind=SanKind.DNS,
        value=value,
        normalised=lenient,
        verdict=verdict,
        reason=reason,
        detail=MappingProxyType(detail),  # a fresh dict, read-only from here on
        similarity=min(similarity, 1.0 if verdict is Verdict.MATCH else 0.99),
    )


def ip_verdict(value: IPAddr, ref_ip: IPAddr | None) -> SanVerdict:
    """An iPAddress SAN against the reference IP (or a host name: never a match)."""
    text = str(value)
    if ref_ip is None:
        return SanVerdict(SanKind.IP, text, text, Verdict.NO_MATCH, "dns-vs-ip")
    similarity = ip_similarity(value, ref_ip)[0]
    if value == ref_ip:
        verdict, reason = Verdict.MATCH, "ip-match"
    elif v4_mapped(value, ref_ip):
        verdict, reason = Verdict.NO_MATCH, "ip-v4-mapped"
    else:
        verdict, reason = Verdict.NO_MATCH, "ip-different"
    return SanVerdict(SanKind.IP, text, text, verdict, reason, _detail(reference=str(ref_ip)), similarity)


def _host_of_uri(value: str) -> str | None:
    try:
        return urlsplit(value).hostname
    except ValueError:
        return None


def other_verdict(kind: SanKind, value: str, reference: str, ref_labels: list[str]) -> SanVerdict:
    """URI / e-mail / other SANs never identify a TLS server by name (RFC 9525 §6.2)."""
    host = _host_of_uri(value) if kind is SanKind.URI else value.rpartition("@")[2] if kind is SanKind.EMAIL else None
    similarity = 0.0
    if host:
        lenient = lenient_dns(host)
        if lenient:
            similarity = 0.5 * dns_score(lenient.split("."), ref_labels)
    reason = {SanKind.URI: "uri-not-used", SanKind.EMAIL: "email-not-used"}.get(kind, "other-not-used")
    return SanVerdict(kind, value, None, Verdict.NO_MATCH, reason, _detail(reference=reference), similarity)


def cn_verdict(cn: str, reference: str, ref_labels: list[str], ref_ip: IPAddr | None, san_present: bool) -> SanVerdict:
    """RFC 9525 §2: the CN is never an identifier; `detail.legacy` says what a CN-reading client would do."""
    if ref_ip is not None:
        as_ip = parse_ip(cn)
        legacy_match = as_ip is not None and as_ip == ref_ip
        similarity = 1.0 if legacy_match else (ip_similarity(as_ip, ref_ip)[0] if as_ip else 0.0)
        normalised = str(as_ip) if as_ip else lenient_dns(cn)
    else:
        legacy_verdict, _legacy_reason = match_name(cn, reference)
        legacy_match = legacy_verdict is Verdict.MATCH
        normalised = lenient_dns(cn)
        similarity = dns_score(normalised.split("."), ref_labels) if normalised else 0.0
    reason = "cn-ignored-san-present" if san_present else "cn-used-no-san"
    return SanVerdict(
        kind=SanKind.CN,
        value=cn,
        normalised=normalised,
        verdict=Verdict.NO_MATCH,
        reason=reason,
        detail=_detail(reference=reference, legacy="match" if legacy_match else "no-match"),
        similarity=min(similarity, 0.99) if not legacy_match else 1.0,
    )


def label_rows(verdict: SanVerdict, ref_labels: list[str], ref_ip: IPAddr | None) -> tuple[LabelDiff, ...]:
    """The label diff of one verdict against the reference: dNSName SANs and the CN label by
    label against a host name, iPAddress SANs group by group against an IP; () otherwise."""
    if verdict.kind is SanKind.IP:
        presented = parse_ip(verdict.value)
        return ip_similarity(presented, ref_ip)[1] if presented is not None and ref_ip is not None else ()
    if verdict.kind in (SanKind.DNS, SanKind.CN) and ref_ip is None and verdict.normalised:
        return as_written(dns_rows(verdict.normalised.split("."), ref_labels), verdict.value)
    return ()
