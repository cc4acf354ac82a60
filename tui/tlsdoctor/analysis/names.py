"""Step 5, NAMES: does the certificate cover the name, and if not, exactly why.

`check_names(cert, target)` gives every presented identifier (each SAN, then
each subject CN) its own verdict and reason code, the RFC 9525 verdict, the
closest candidate with a label-by-label diff, a per-client matrix and the
findings. Like pyca/service-identity it reports *every* reason, not the first.
`match_name(presented, reference)` is the bare RFC 9525 DNS-ID rule.

Pure: no I/O, no clock, no textual. Certificate text is kept exactly as
presented (`SanVerdict.value`); renderers make it safe. Reasons are stable
codes with string parameters (`detail`); `tlsdoctor.reasons.reason_text()` turns one into a
translated sentence for renderers that want it.

Severities of the findings raised here:
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
- `hostname-mismatch` WARNING with `reason: underscore` when the name matches
  only through dNSNames with an underscore (RFC 5280 4.2.1.6 preferred name
  syntax, CA/B BR 7.1.2.7.12): OpenSSL, curl, Go and browsers accept them,
  Java and WebPKI verifiers (rustls, cryptography) report a name mismatch.

The per-client matrix reproduces each client's own matching code (OpenSSL
`X509_check_host`/`X509_check_ip`, curl's hostcheck, Node's
`checkServerIdentity`, Java's `HostnameChecker`, Go's `VerifyHostname`) as
documented in reference/error-messages.md §3.1. For an IP target the
`openssl` column models `s_client -verify_ip` (X509_check_ip).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID
from publicsuffixlist import PublicSuffixList

from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.target import Target, to_a_label

IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


class SanKind(StrEnum):
    DNS = "dns"
    IP = "ip"
    URI = "uri"
    EMAIL = "email"
    CN = "cn"
    OTHER = "other"


class Verdict(StrEnum):
    """`invalid`: a presented identifier RFC 9525 / the BRs say MUST be ignored."""

    MATCH = "match"
    NO_MATCH = "no-match"
    INVALID = "invalid"


@dataclass(frozen=True)
class LabelDiff:
    """One row of the label diff. Rows are paired from the right (TLD with TLD)
    and stored in display order, left-most label first; None = no label there."""

    presented: str | None
    reference: str | None
    same: bool

    def to_json(self) -> dict[str, Any]:
        return {"presented": self.presented, "reference": self.reference, "same": self.same}


@dataclass(frozen=True)
class SanVerdict:
    kind: SanKind
    value: str  # exactly as in the certificate (untrusted text, unmodified)
    normalised: str | None  # lower-case A-label / canonical IP text
    verdict: Verdict
    reason: str
    detail: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    similarity: float = 0.0
    labels: tuple[LabelDiff, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "value": self.value,
            "normalised": self.normalised,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "detail": dict(self.detail),
            "similarity": round(self.similarity, 4),
            "labels": [row.to_json() for row in self.labels],
        }


@dataclass(frozen=True)
class ClientVerdict:
    """Would this client accept the certificate for the target? `note` is a reason code."""

    client: str
    accepts: bool
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"client": self.client, "accepts": self.accepts, "note": self.note}


@dataclass(frozen=True)
class NamesResult:
    reference: str  # ascii host, no trailing dot
    display_reference: str
    is_ip: bool
    verdicts: tuple[SanVerdict, ...]  # every SAN, then every CN, in certificate order
    matched: bool  # the RFC 9525 verdict
    closest: SanVerdict | None
    common_names: tuple[str, ...]
    clients: tuple[ClientVerdict, ...]
    findings: tuple[Finding, ...]
    trailing_dot: bool = False  # the user wrote `name.`; see the client matrix
    san_error: str | None = None  # the SAN extension could not be decoded

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "display_reference": self.display_reference,
            "is_ip": self.is_ip,
            "trailing_dot": self.trailing_dot,
            "matched": self.matched,
            "closest": self.closest.to_json() if self.closest else None,
            "common_names": list(self.common_names),
            "verdicts": [v.to_json() for v in self.verdicts],
            "clients": [c.to_json() for c in self.clients],
            "findings": [f.to_json() for f in self.findings],
            "san_error": self.san_error,
        }


# --------------------------------------------------------------------------- RFC 9525 DNS-ID rule

def _lower(text: str) -> str:
    """ASCII-only lower case (no locale or Unicode surprises, like the clients)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


_NAME_OK = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


def _valid_name(name: str) -> bool:
    """LDH labels of 1..63 characters, at most 253 in all. Underscores are accepted
    (OpenSSL, curl and Go match them exactly); the LDH-only oracle in the property
    tests (cryptography's verifier) refuses them."""
    return len(name) <= 253 and _NAME_OK.match(name) is not None


_MAYBE_IP = re.compile(r"^[0-9.]+$|:")


def _parse_ip(text: str) -> IPAddr | None:
    if not _MAYBE_IP.search(text):  # cheap test first: parsing raises on every host name
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.cache
def _public_suffix_lists() -> tuple[PublicSuffixList, PublicSuffixList]:
    """The whole PSL and its ICANN part, parsed once on first use (about 50 ms)."""
    return PublicSuffixList(), PublicSuffixList(only_icann=True)


def public_suffix_section(name: str) -> str | None:
    """`icann` or `private` when `name` is itself a public suffix (`com`, `co.uk`,
    `s3.amazonaws.com`), else None. Unknown single labels count as ICANN, as in the PSL."""
    everything, icann = _public_suffix_lists()
    if not everything.is_public(name):
        return None
    return "icann" if icann.is_public(name) else "private"


def _wildcard_verdict(labels: list[str], ref: list[str]) -> tuple[Verdict, str]:
    """`labels` is `['*', rest...]`, already valid; `ref` the reference labels."""
    rest = labels[1:]
    n = len(rest)
    if len(ref) == n + 1 and ref[1:] == rest:
        return Verdict.MATCH, ("wildcard-public-suffix" if n == 1 else "wildcard-one-label")
    if ref == rest:
        return Verdict.NO_MATCH, "wildcard-apex"
    if len(ref) > n + 1 and ref[-n:] == rest:
        return Verdict.NO_MATCH, "wildcard-depth"
    return Verdict.NO_MATCH, "different-name"


def _shape(presented: str) -> tuple[str | None, list[str]]:
    """Why a presented DNS name is invalid (a reason code), or None; and its labels."""
    if not presented:
        return "invalid-dns-name", []
    if not presented.isascii():
        return "idna-u-label-in-cert", []
    if presented.endswith("."):
        return "trailing-dot", []
    name = _lower(presented)
    labels = name.split(".")
    stars = presented.count("*")
    if stars:
        if stars > 1:
            return "multiple-wildcards", labels
        if "*" not in labels[0]:
            return "wildcard-not-leftmost", labels
        if labels[0] != "*":
            return "wildcard-partial", labels
        if len(labels) < 2 or not _valid_name(name[2:]):
            return "invalid-dns-name", labels
        return None, labels
    if not _valid_name(name):
        return "invalid-dns-name", labels
    return None, labels


def match_name(presented_dns: str, reference_ascii: str) -> tuple[Verdict, str]:
    """The RFC 9525 DNS-ID rule for one presented dNSName and one reference name.

    `reference_ascii` is the A-label host (case and a trailing dot do not
    matter). Returns the verdict and a reason code; an IP reference never
    matches a dNSName (`ip-vs-dns`).
    """
    reference = _lower(reference_ascii).rstrip(".")
    if _parse_ip(reference) is not None:
        return Verdict.NO_MATCH, "ip-vs-dns"
    problem, labels = _shape(presented_dns)
    if problem is not None:
        return Verdict.INVALID, problem
    ref = reference.split(".")
    if labels[0] == "*":
        return _wildcard_verdict(labels, ref)
    if labels == ref:
        return Verdict.MATCH, "exact"
    return Verdict.NO_MATCH, "different-name"


def _lenient_dns(presented: str) -> str | None:
    """The name a lenient reader sees: U-labels to A-labels, trailing dot dropped."""
    text = presented[:-1] if presented.endswith(".") else presented
    if not text:
        return None
    if text.isascii():
        return _lower(text)
    try:
        return to_a_label(text)
    except BadInput:
        return None


def _glob_label(pattern: str, label: str) -> bool:
    """`*` as any run of characters inside one label (what lenient clients do).

    Greedy left-to-right search, no regex: a hostile `*a*a*a…` pattern cannot
    make it backtrack."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return pattern == label
    first, last = pieces[0], pieces[-1]
    if len(first) + len(last) > len(label) or not label.startswith(first) or not label.endswith(last):
        return False
    position, end = len(first), len(label) - len(last)
    for middle in pieces[1:-1]:
        found = label.find(middle, position, end)
        if found < 0:
            return False
        position = found + len(middle)
    return True


def _lenient_covers(presented: str, reference: str) -> bool:
    """Would a lenient, Java-like reader match this name (any `*`, per label)?"""
    name = _lenient_dns(presented)
    if name is None:
        return False
    p, r = name.split("."), reference.split(".")
    return len(p) == len(r) and all(_glob_label(a, b) if "*" in a else a == b for a, b in zip(p, r))


# --------------------------------------------------------------------------- similarity and label diff


@functools.lru_cache(maxsize=4096)  # SAN lists repeat their parent labels thousands of times
def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, bit-parallel (Myers 1999 / Hyyrö 2003): labels are at
    most 63 characters, so one Python int holds a whole DP column. Fast enough for
    thousands of SANs."""
    if a == b:
        return 0
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:  # a shared prefix costs nothing
        start += 1
    a, b = a[start:], b[start:]
    if not a or not b:
        return len(a) + len(b)
    m = len(a)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = full, 0, m
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv & full
    return score


def _label_score(presented: str | None, reference: str | None, leftmost: bool) -> float:
    if presented == "*" and leftmost and reference is None:
        return 0.5  # a wildcard one label short of the apex: close, not a match
    if presented is None or reference is None:
        return 0.0
    if presented == reference:
        return 1.0
    if presented == "*" and leftmost:
        return 0.9
    if "*" in presented and _glob_label(presented, reference):
        return 0.85
    longest = max(len(presented), len(reference))
    return 0.8 * (1.0 - _edit_distance(presented, reference) / longest)


def _dns_similarity(presented: list[str], ref: list[str]) -> tuple[float, tuple[LabelDiff, ...]]:
    """Right-aligned, label-aware closeness in 0..1, plus the diff rows.

    The two right-most positions (the likely registrable domain) weigh double,
    so `api.example.org` is further from `api.example.com` than `www.example.com` is.
    """
    width = max(len(presented), len(ref))
    total = weight_sum = 0.0
    rows: list[LabelDiff] = []
    for back in range(1, width + 1):  # from the TLD leftwards
        p = presented[-back] if back <= len(presented) else None
        r = ref[-back] if back <= len(ref) else None
        leftmost = back == len(presented)
        score = 1.0 if (p == r and p is not None) else _label_score(p, r, leftmost)
        weight = 2.0 if back <= 2 else 1.0
        total += score * weight
        weight_sum += weight
        same = p is not None and r is not None and (p == r or (p == "*" and leftmost and len(presented) == len(ref)))
        rows.append(LabelDiff(presented=p, reference=r, same=same))
    rows.reverse()
    return (total / weight_sum if weight_sum else 0.0), tuple(rows)


def _ip_similarity(presented: IPAddr, reference: IPAddr) -> tuple[float, tuple[LabelDiff, ...]]:
    if presented == reference:
        return 1.0, _ip_rows(presented, reference)
    if presented.version != reference.version:
        mapped = _v4_mapped(presented, reference)
        return (0.95 if mapped else 0.0), ()
    bits = presented.max_prefixlen
    common = bits - (int(presented) ^ int(reference)).bit_length()
    return 0.9 * common / bits, _ip_rows(presented, reference)


def _ip_rows(presented: IPAddr, reference: IPAddr) -> tuple[LabelDiff, ...]:
    if presented.version == 4:
        p, r = str(presented).split("."), str(reference).split(".")
    else:
        p, r = presented.exploded.split(":"), reference.exploded.split(":")
    return tuple(LabelDiff(presented=a, reference=b, same=a == b) for a, b in zip(p, r))


def _v4_mapped(a: IPAddr, b: IPAddr) -> bool:
    """True when one is the IPv4-mapped IPv6 form (::ffff:a.b.c.d) of the other."""
    for six, four in ((a, b), (b, a)):
        if isinstance(six, ipaddress.IPv6Address) and isinstance(four, ipaddress.IPv4Address):
            return six.ipv4_mapped == four
    return False


# --------------------------------------------------------------------------- reading the certificate


@dataclass(frozen=True)
class _Presented:
    """The identifiers of one certificate, in the shapes the client rules need."""

    dns: tuple[str, ...]
    ips: tuple[IPAddr, ...]
    uris: tuple[str, ...]
    others: tuple[tuple[SanKind, str], ...]
    order: tuple[tuple[SanKind, object], ...]  # every SAN in certificate order
    cns: tuple[str, ...]
    has_san_extension: bool
    san_error: str | None
    # The dNSNames that could match the current reference at all (see `_cannot_match`):
    # the client rules loop over these, and test `dns` for "has any dNSName".
    candidates: tuple[str, ...] = ()


def _other_text(name: x509.GeneralName) -> str:
    if isinstance(name, x509.DirectoryName):
        return name.value.rfc4514_string()
    if isinstance(name, x509.RegisteredID):
        return name.value.dotted_string
    if isinstance(name, x509.OtherName):
        return f"{name.type_id.dotted_string}:{name.value.hex()}"
    return repr(name.value)


def _read(cert: x509.Certificate) -> _Presented:
    dns: list[str] = []
    ips: list[IPAddr] = []
    uris: list[str] = []
    others: list[tuple[SanKind, str]] = []
    order: list[tuple[SanKind, object]] = []
    has_ext = False
    san_error: str | None = None
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        has_ext = True
        for gn in ext.value:
            if isinstance(gn, x509.DNSName):
                dns.append(gn.value)
                order.append((SanKind.DNS, gn.value))
            elif isinstance(gn, x509.IPAddress) and isinstance(gn.value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
                ips.append(gn.value)
                order.append((SanKind.IP, gn.value))
            elif isinstance(gn, x509.UniformResourceIdentifier):
                uris.append(gn.value)
                order.append((SanKind.URI, gn.value))
            elif isinstance(gn, x509.RFC822Name):
                others.append((SanKind.EMAIL, gn.value))
                order.append((SanKind.EMAIL, gn.value))
            else:
                others.append((SanKind.OTHER, _other_text(gn)))
                order.append((SanKind.OTHER, _other_text(gn)))
    except x509.ExtensionNotFound:
        pass
    except ValueError as exc:  # malformed extensions: the broken certificates are the interesting ones
        san_error = str(exc)
    cns: list[str] = []
    try:
        for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
            value = attr.value
            cns.append(value if isinstance(value, str) else value.decode("utf-8", "replace"))
    except ValueError:
        pass
    return _Presented(
        dns=tuple(dns),
        ips=tuple(ips),
        uris=tuple(uris),
        others=tuple(others),
        order=tuple(order),
        cns=tuple(cns),
        has_san_extension=has_ext,
        san_error=san_error,
        candidates=tuple(dns),
    )


# --------------------------------------------------------------------------- per-SAN verdicts


def _detail(**values: str) -> Mapping[str, str]:
    return MappingProxyType(values)


def _dns_verdict(value: str, reference: str, ref_labels: list[str], ref_ip: IPAddr | None) -> SanVerdict:
    lenient = _lenient_dns(value)
    if ref_ip is not None:
        as_ip = _parse_ip(value)
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
        detail["a_label"] = lenient or ""
    if verdict is Verdict.MATCH and labels_for_score[:1] == ["*"]:
        section = public_suffix_section(".".join(labels_for_score[1:]))
        if section is not None:
            detail["public_suffix"] = ".".join(labels_for_score[1:])
            detail["public_suffix_section"] = section
    if verdict is Verdict.INVALID:
        detail["would_match"] = "yes" if _lenient_covers(value, reference) else "no"
    similarity, rows = _dns_similarity(labels_for_score, ref_labels) if labels_for_score else (0.0, ())
    if verdict is Verdict.MATCH:
        similarity = 1.0
    return SanVerdict(
        kind=SanKind.DNS,
        value=value,
        normalised=lenient,
        verdict=verdict,
        reason=reason,
        detail=_detail(**detail),
        similarity=min(similarity, 1.0 if verdict is Verdict.MATCH else 0.99),
        labels=rows,
    )


def _ip_verdict(value: IPAddr, ref_ip: IPAddr | None) -> SanVerdict:
    text = str(value)
    if ref_ip is None:
        return SanVerdict(SanKind.IP, text, text, Verdict.NO_MATCH, "dns-vs-ip")
    similarity, rows = _ip_similarity(value, ref_ip)
    if value == ref_ip:
        verdict, reason = Verdict.MATCH, "ip-match"
    elif _v4_mapped(value, ref_ip):
        verdict, reason = Verdict.NO_MATCH, "ip-v4-mapped"
    else:
        verdict, reason = Verdict.NO_MATCH, "ip-different"
    return SanVerdict(SanKind.IP, text, text, verdict, reason, _detail(reference=str(ref_ip)), similarity, rows)


def _host_of_uri(value: str) -> str | None:
    try:
        return urlsplit(value).hostname
    except ValueError:
        return None


def _other_verdict(kind: SanKind, value: str, reference: str, ref_labels: list[str]) -> SanVerdict:
    """URI / e-mail / other SANs never identify a TLS server by name (RFC 9525 §6.2)."""
    host = _host_of_uri(value) if kind is SanKind.URI else value.rpartition("@")[2] if kind is SanKind.EMAIL else None
    similarity = 0.0
    if host:
        lenient = _lenient_dns(host)
        if lenient:
            similarity = 0.5 * _dns_similarity(lenient.split("."), ref_labels)[0]
    reason = {SanKind.URI: "uri-not-used", SanKind.EMAIL: "email-not-used"}.get(kind, "other-not-used")
    return SanVerdict(kind, value, None, Verdict.NO_MATCH, reason, _detail(reference=reference), similarity)


def _cn_verdict(cn: str, reference: str, ref_labels: list[str], ref_ip: IPAddr | None, san_present: bool) -> SanVerdict:
    """RFC 9525 §2: the CN is never an identifier; `detail.legacy` says what a CN-reading client would do."""
    if ref_ip is not None:
        as_ip = _parse_ip(cn)
        legacy_match = as_ip is not None and as_ip == ref_ip
        similarity = 1.0 if legacy_match else (_ip_similarity(as_ip, ref_ip)[0] if as_ip else 0.0)
        rows: tuple[LabelDiff, ...] = ()
        normalised = str(as_ip) if as_ip else _lenient_dns(cn)
    else:
        legacy_verdict, legacy_reason = match_name(cn, reference)
        legacy_match = legacy_verdict is Verdict.MATCH
        normalised = _lenient_dns(cn)
        similarity, rows = _dns_similarity(normalised.split("."), ref_labels) if normalised else (0.0, ())
    reason = "cn-ignored-san-present" if san_present else "cn-used-no-san"
    return SanVerdict(
        kind=SanKind.CN,
        value=cn,
        normalised=normalised,
        verdict=Verdict.NO_MATCH,
        reason=reason,
        detail=_detail(reference=reference, legacy="match" if legacy_match else "no-match"),
        similarity=min(similarity, 0.99) if not legacy_match else 1.0,
        labels=rows,
    )


_KIND_RANK = {SanKind.DNS: 5, SanKind.IP: 4, SanKind.CN: 3, SanKind.URI: 2, SanKind.EMAIL: 1, SanKind.OTHER: 0}


def _closest(verdicts: tuple[SanVerdict, ...]) -> SanVerdict | None:
    """Best non-matching candidate: dNSName/iPAddress SANs first (the CN is ignored
    when they exist), then the highest similarity, DNS before other kinds on a tie."""
    candidates = [v for v in verdicts if v.verdict is not Verdict.MATCH]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda v: (v.kind in (SanKind.DNS, SanKind.IP), round(v.similarity, 6), _KIND_RANK[v.kind]),
    )


# --------------------------------------------------------------------------- per-client rules


@dataclass(frozen=True)
class _Ref:
    host: str  # ascii, lower case, no trailing dot
    trailing_dot: bool
    ip: IPAddr | None

    @property
    def typed(self) -> str:
        """The host as the user typed it (with its trailing dot)."""
        return self.host + "." if self.trailing_dot else self.host


_ClientRule = Callable[[_Presented, _Ref], tuple[bool, str]]


def _cannot_match(pattern: str, host: str) -> bool:
    """A quick, safe reject shared by the client rules (thousands of SANs): with no
    `*` and no Unicode, every client below compares literally (case and trailing
    dots aside), so a name that differs after that cannot match anywhere."""
    return "*" not in pattern and pattern.isascii() and _lower(pattern).rstrip(".") != host


def _accept_note(pattern: str, host: str) -> str:
    """Why a client accepted a name, in RFC 9525 reason codes (lenient shapes keep their code)."""
    verdict, reason = match_name(pattern, host)
    return reason if verdict is not Verdict.NO_MATCH else "exact"


# OpenSSL crypto/x509/v3_utl.c, flags 0 or X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS.
def _openssl_valid_star(pattern: str, no_partial: bool) -> int | None:
    if "*" not in pattern:  # no star: OpenSSL compares literally either way
        return None
    star: int | None = None
    label_start, hyphen, idna = True, False, False
    dots = 0
    n = len(pattern)
    for i, ch in enumerate(pattern):
        if ch == "*":
            at_start = label_start
            at_end = i == n - 1 or pattern[i + 1] == "."
            if star is not None or idna or dots:
                return None
            if no_partial and (not at_start or not at_end):
                return None
            if not at_start and not at_end:
                return None
            star = i
            label_start = False
        elif ch.isascii() and ch.isalnum():
            if label_start and pattern[i : i + 4].lower() == "xn--":
                idna = True
            hyphen = label_start = False
        elif ch == ".":
            if hyphen or label_start:
                return None
            label_start, hyphen, idna = True, False, False
            dots += 1
        elif ch == "-":
            if label_start:
                return None
            hyphen = True
        else:
            return None
    if label_start or hyphen or dots < 2:
        return None
    return star


def _openssl_check_host(pattern: str, subject: str, *, no_partial: bool) -> bool:
    star = _openssl_valid_star(pattern, no_partial)
    if star is None:
        return _lower(pattern) == _lower(subject)  # equal_nocase
    prefix, suffix = pattern[:star], pattern[star + 1 :]
    if len(subject) < len(prefix) + len(suffix):
        return False
    if _lower(subject[: len(prefix)]) != _lower(prefix) or _lower(subject[len(subject) - len(suffix) :]) != _lower(suffix):
        return False
    middle = subject[len(prefix) : len(subject) - len(suffix)]
    allow_idna = False
    if not prefix and suffix.startswith("."):
        if not middle:
            return False
        allow_idna = True
    if not allow_idna and _lower(subject[:4]) == "xn--":
        return False
    if middle == "*":
        return True
    return all(c.isascii() and (c.isalnum() or c == "-") for c in middle)


def _openssl_style(p: _Presented, ref: _Ref, *, host: str, no_partial: bool, use_cn: bool) -> tuple[bool, str]:
    """X509_check_host / X509_check_ip: the subject CN only when no dNSName SAN exists."""
    if ref.ip is not None:  # X509_check_ip: iPAddress SANs, octet for octet, never the CN
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    for pattern in p.candidates:
        if _openssl_check_host(pattern, host, no_partial=no_partial):
            return True, _accept_note(pattern, ref.host)
    if use_cn and not p.dns:
        for cn in p.cns:
            if _openssl_check_host(cn, host, no_partial=no_partial):
                return True, "cn-used-no-san"
    return False, "no-match"


def _rule_openssl(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """`s_client -verify_hostname` / nginx upstream: X509_check_host flags 0, name as typed."""
    return _openssl_style(p, ref, host=ref.typed, no_partial=False, use_cn=True)


def _rule_python_ssl(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """CPython ssl: NO_PARTIAL_WILDCARDS, hostname_checks_common_name=True, name as typed."""
    return _openssl_style(p, ref, host=ref.typed, no_partial=True, use_cn=True)


def _rule_requests(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """urllib3 2.x: like ssl, but the CN is off and the trailing dot is stripped."""
    return _openssl_style(p, ref, host=ref.host, no_partial=True, use_cn=False)


# curl lib/vtls/hostcheck.c + openssl.c verifyhost
def _curl_hostmatch(pattern: str, host: str) -> bool:
    pattern = pattern[:-1] if pattern.endswith(".") else pattern
    host = host[:-1] if host.endswith(".") else host
    if not pattern or not host:
        return False
    if not pattern.startswith("*."):
        return _lower(pattern) == _lower(host)
    if _parse_ip(host) is not None:
        return False
    first_dot = pattern.find(".")
    if first_dot == pattern.rfind("."):  # at least two dots in a wildcard pattern
        return _lower(pattern) == _lower(host)
    host_dot = host.find(".")
    if host_dot <= 0:
        return False
    return _lower(host[host_dot:]) == _lower(pattern[first_dot:])


def _rule_curl(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """curl (OpenSSL backend): dots stripped, `*.` only, last CN only when no DNS or IP SAN."""
    if ref.ip is not None:
        if ref.ip in p.ips:
            return True, "ip-match"
    else:
        for pattern in p.candidates:
            if _curl_hostmatch(pattern, ref.typed):
                return True, _accept_note(pattern, ref.host)
    if not p.dns and not p.ips and p.cns and _curl_hostmatch(p.cns[-1], ref.typed):
        return True, "cn-used-no-san"
    return False, "no-match"


# Node lib/tls.js checkServerIdentity (after CVE-2021-44531)
def _node_split(host: str) -> list[str]:
    return _lower(host[:-1] if host.endswith(".") else host).split(".")


def _node_check(host_parts: list[str], pattern: str) -> bool:
    if not pattern:
        return False
    parts = _node_split(pattern)
    if len(parts) != len(host_parts) or "" in parts:
        return False
    if any(re.search(r"[^\x21-\x7f]", part) for part in parts):
        return False
    if parts[1:] != host_parts[1:]:
        return False
    first, host_first = parts[0], host_parts[0]
    pieces = first.split("*")
    if len(pieces) == 1 or "xn--" in first:
        return host_first == first
    if len(pieces) > 2 or len(parts) <= 2:
        return False
    prefix, suffix = pieces
    return len(prefix) + len(suffix) <= len(host_first) and host_first.startswith(prefix) and host_first.endswith(suffix)


def _rule_node(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """Node 20: `prefix*suffix` allowed (not in xn--, not *.tld); CN when no dNSName SAN."""
    if ref.ip is not None:  # canonicalizeIP on both sides: textual, so ::ffff:a.b.c.d stays different
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    host_parts = _node_split(ref.host)
    if p.dns:
        for pattern in p.candidates:
            if _node_check(host_parts, pattern):
                return True, _accept_note(pattern, ref.host)
        return False, "no-match"
    if any(_node_check(host_parts, cn) for cn in p.cns):
        return True, "cn-used-no-san"
    return False, "no-match"


# Java sun.security.util.HostnameChecker (TYPE_TLS)
def _java_idn(name: str) -> str | None:
    """IDN.toASCII: U-labels become A-labels; `*` survives (no STD3 rules here)."""
    if name.isascii():
        return _lower(name)
    try:
        return ".".join(
            _lower(label) if label.isascii() else to_a_label(label) for label in name.split(".")
        )
    except BadInput:
        return None


def _java_sni_valid(name: str) -> bool:
    """SNIHostName's check: STD3 LDH labels, no empty label, no trailing dot."""
    labels = name.split(".")
    return all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels) and len(name) <= 255


def _java_match_wildcards(name: str, template: str) -> bool:
    index = template.find("*")
    if index == -1:
        return name == template
    beginning = True
    after = template
    while index != -1:
        before = after[:index]
        after = after[index + 1 :]
        start = name.find(before)
        if start == -1 or (beginning and start != 0):
            return False
        beginning = False
        name = name[start + len(before) :]
        index = after.find("*")
    return name.endswith(after)


def _java_is_matched(name: str, template: str) -> bool:
    template_ascii = _java_idn(template)
    if template_ascii is None or template_ascii in ("*", "*."):
        return False
    last = template_ascii.rfind("*")
    if last != -1 and "." not in template_ascii[last:]:
        return False
    if not _java_sni_valid(template_ascii.replace("*", "z")):
        return False
    names = [t for t in name.split(".") if t]  # StringTokenizer drops empty tokens
    temps = [t for t in template_ascii.split(".") if t]
    return len(names) == len(temps) and all(_java_match_wildcards(a, b) for a, b in zip(names, temps))


def _rule_java(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """Java 17: `*` anywhere (matchAllWildcards); CN (most specific) when no dNSName SAN."""
    if ref.ip is not None:
        if not p.has_san_extension:
            return False, "no-match"
        for ip in p.ips:
            if ip == ref.ip:
                return True, "ip-match"
            if _v4_mapped(ip, ref.ip):  # InetAddress turns ::ffff:a.b.c.d into an Inet4Address
                return True, "ip-v4-mapped"
        return False, "no-match"
    for pattern in p.candidates:
        if _java_is_matched(ref.host, pattern):
            return True, _accept_note(pattern, ref.host)
    if p.dns:
        return False, "no-match"
    if p.cns and _java_is_matched(ref.host, p.cns[-1]):
        return True, "cn-used-no-san"
    return False, "no-match"


# Go crypto/x509 verify.go
def _go_valid_hostname(host: str, pattern: bool) -> bool:
    if not pattern:
        host = host[:-1] if host.endswith(".") else host
    if not host or host == "*":
        return False
    for i, part in enumerate(host.split(".")):
        if not part:
            return False
        if pattern and i == 0 and part == "*":
            continue
        for j, c in enumerate(part):
            if c.isascii() and (c.isalnum() or c == "_" or (c == "-" and j != 0)):
                continue
            return False
    return True


def _go_match_hostnames(pattern: str, host: str) -> bool:
    pattern, host = _lower(pattern), _lower(host[:-1] if host.endswith(".") else host)
    if not pattern or not host:
        return False
    p, h = pattern.split("."), host.split(".")
    return len(p) == len(h) and all((i == 0 and a == "*") or a == b for i, (a, b) in enumerate(zip(p, h)))


def _rule_go(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """Go ≥1.17: `*` only as the whole left-most label, never the CN; IPs via ip.Equal."""
    if ref.ip is not None:
        for ip in p.ips:
            if ip == ref.ip:
                return True, "ip-match"
            if _v4_mapped(ip, ref.ip):  # net.IP.Equal treats both forms as one address
                return True, "ip-v4-mapped"
        return False, "no-match"
    candidate = _lower(ref.typed)
    valid_candidate = _go_valid_hostname(candidate, pattern=False)
    for pattern in p.candidates:
        if valid_candidate and _go_valid_hostname(pattern, pattern=True):
            if _go_match_hostnames(pattern, candidate):
                return True, _accept_note(pattern, ref.host)
        elif pattern and pattern != "." and _lower(pattern) == candidate:
            return True, _accept_note(pattern, ref.host)
    return False, "no-match"


def _rule_browser(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """Chrome ≥58 / Firefox ≥48: RFC 9525, no CN, no `*.tld`; a reference trailing dot is fine."""
    if ref.ip is not None:
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    for pattern in p.candidates:
        verdict, reason = match_name(pattern, ref.host)
        if verdict is Verdict.MATCH and reason != "wildcard-public-suffix":
            return True, reason
    return False, "no-match"


def _rule_chrome(p: _Presented, ref: _Ref) -> tuple[bool, str]:
    """Chrome: the browser rule, and no wildcard on an ICANN public suffix (`*.co.uk`);
    private PSL entries (`*.s3.amazonaws.com`) are allowed (registry_controlled_domains,
    EXCLUDE_PRIVATE_REGISTRIES)."""
    if ref.ip is not None:
        return _rule_browser(p, ref)
    for pattern in p.candidates:
        verdict, reason = match_name(pattern, ref.host)
        if verdict is Verdict.MATCH and reason != "wildcard-public-suffix":
            if reason == "wildcard-one-label" and public_suffix_section(_lower(pattern)[2:]) == "icann":
                continue
            return True, reason
    return False, "no-match"


CLIENT_RULES: Mapping[str, _ClientRule] = MappingProxyType(
    {
        "openssl": _rule_openssl,
        "curl": _rule_curl,
        "python-ssl": _rule_python_ssl,
        "requests": _rule_requests,
        "node": _rule_node,
        "java": _rule_java,
        "go": _rule_go,
        "chrome": _rule_chrome,
        "firefox": _rule_browser,
    }
)


def _rejection_note(rule: _ClientRule, p: _Presented, ref: _Ref, general: str) -> str:
    """Why a client refuses: the trailing dot when that alone decides, else `general`."""
    if ref.trailing_dot and rule(p, _Ref(ref.host, False, ref.ip))[0]:
        return "trailing-dot"
    return general


def _general_rejection(p: _Presented, ref: _Ref, verdicts: tuple[SanVerdict, ...]) -> str:
    """The sharpest client-independent reason a refusing client has, else `no-match`."""
    if ref.ip is not None:
        if any(v.kind is SanKind.DNS and v.detail.get("same_address") == "yes" for v in verdicts):
            return "ip-vs-dns"
        if any(_v4_mapped(ip, ref.ip) for ip in p.ips):
            return "ip-v4-mapped"
    if any(v.kind is SanKind.CN and v.detail.get("legacy") == "match" for v in verdicts):
        return "cn-ignored-san-present" if (p.dns or p.ips) else "cn-only"
    for v in verdicts:
        if v.kind is SanKind.DNS and v.verdict is Verdict.INVALID and v.detail.get("would_match") == "yes":
            return v.reason
    return "no-match"


def _clients(p: _Presented, ref: _Ref, verdicts: tuple[SanVerdict, ...]) -> tuple[ClientVerdict, ...]:
    p = replace(p, candidates=tuple(d for d in p.dns if not _cannot_match(d, ref.host)))
    general: str | None = None
    out = []
    for client, rule in CLIENT_RULES.items():
        accepts, note = rule(p, ref)
        if not accepts:
            if general is None:
                general = _general_rejection(p, ref, verdicts)
            note = _rejection_note(rule, p, ref, general)
        out.append(ClientVerdict(client=client, accepts=accepts, note=note))
    return tuple(out)


# --------------------------------------------------------------------------- findings


_WILDCARD_INVALID = ("wildcard-partial", "wildcard-not-leftmost", "multiple-wildcards")


def _findings(
    target: Target,
    p: _Presented,
    verdicts: tuple[SanVerdict, ...],
    matched: bool,
    closest: SanVerdict | None,
    clients: tuple[ClientVerdict, ...] = (),
) -> list[Finding]:
    findings: list[Finding] = []
    sans = [v.value for v in verdicts if v.kind is not SanKind.CN]
    has_id_san = bool(p.dns or p.ips)
    if not matched:
        evidence: dict[str, Any] = {
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
                    "as_dns_name": any(_parse_ip(d) == ref_ip for d in p.dns),
                    "in_cn": any(_parse_ip(cn) == ref_ip for cn in p.cns),
                    "v4_mapped": any(_v4_mapped(ip, ref_ip) for ip in p.ips),
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
        return [
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


# --------------------------------------------------------------------------- entry point


def check_names(cert: x509.Certificate, target: Target) -> NamesResult:
    """Every presented identifier against the target, with reasons, clients and findings."""
    p = _read(cert)
    reference = _lower(target.ascii_host).rstrip(".")
    ref_ip = _parse_ip(reference) if target.is_ip else None
    ref_labels = reference.split(".")
    verdicts: list[SanVerdict] = []
    for kind, value in p.order:
        if kind is SanKind.DNS:
            verdicts.append(_dns_verdict(str(value), reference, ref_labels, ref_ip))
        elif kind is SanKind.IP:
            verdicts.append(_ip_verdict(value, ref_ip))  # type: ignore[arg-type]
        else:
            verdicts.append(_other_verdict(kind, str(value), reference, ref_labels))
    has_id_san = bool(p.dns or p.ips)
    for cn in p.cns:
        verdicts.append(_cn_verdict(cn, reference, ref_labels, ref_ip, has_id_san))
    all_verdicts = tuple(verdicts)
    matched = any(v.verdict is Verdict.MATCH for v in all_verdicts)
    closest = None if matched else _closest(all_verdicts)
    ref = _Ref(host=reference, trailing_dot=target.trailing_dot, ip=ref_ip)
    clients = _clients(p, ref, all_verdicts)
    return NamesResult(
        reference=reference,
        display_reference=target.display_host,
        is_ip=target.is_ip,
        verdicts=all_verdicts,
        matched=matched,
        closest=closest,
        common_names=p.cns,
        clients=clients,
        findings=tuple(_findings(target, p, all_verdicts, matched, closest, clients)),
        trailing_dot=target.trailing_dot,
        san_error=p.san_error,
    )
