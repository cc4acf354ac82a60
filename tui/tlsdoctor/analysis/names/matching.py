"""The RFC 9525 rules for one presented identifier and one reference, and the lenient reading.

`match_name` is the bare DNS-ID rule (with a reason code); `v4_mapped` the one
IP-ID subtlety; `lenient_dns` / `lenient_covers` / `glob_label` say what a lenient,
Java-like reader would see. Pure string and address rules: no certificates, no
findings, no client models, no I/O.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import TYPE_CHECKING

from tlsdoctor.analysis.names.model import IPAddr, Verdict
from tlsdoctor.errors import BadInput
from tlsdoctor.target import to_a_label

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower_ascii(text: str) -> str:
    """ASCII-only lower case (no locale or Unicode surprises, like the clients)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


_LABEL_OK = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")


@functools.lru_cache(maxsize=4096)  # a certificate's thousands of SANs share their parent labels
def _valid_label(label: str) -> bool:
    return _LABEL_OK.fullmatch(label) is not None


def _valid_name(name: str) -> bool:
    """LDH labels of 1..63 characters, at most 253 in all. Underscores are accepted
    (OpenSSL, curl and Go match them exactly); the LDH-only oracle in the property
    tests (cryptography's verifier) refuses them. Checked label by label (one regex
    over the whole name cost the 3,000-SAN case a fifth of its verdicts, issue 13);
    as that regex's `$` did, one final newline is ignored."""
    if len(name) > 253:
        return False
    body = name[:-1] if name.endswith("\n") else name
    return all(_valid_label(label) for label in body.split("."))


_MAYBE_IP = re.compile(r"^[0-9.]+$|:")


def parse_ip(text: str) -> IPAddr | None:
    """The address `text` spells, or None for anything else (host names included)."""
    if not _MAYBE_IP.search(text):  # cheap test first: parsing raises on every host name
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def v4_mapped(a: IPAddr, b: IPAddr) -> bool:
    """True when one is the IPv4-mapped IPv6 form (::ffff:a.b.c.d) of the other."""
    for six, four in ((a, b), (b, a)):
        if isinstance(six, ipaddress.IPv6Address) and isinstance(four, ipaddress.IPv4Address):
            return six.ipv4_mapped == four
    return False


@functools.cache
def _public_suffix_lists() -> tuple[PublicSuffixList, PublicSuffixList]:
    """The whole PSL and its ICANN part, parsed once on first use (about 50 ms)."""
    from publicsuffixlist import PublicSuffixList  # lazy: only a matching wildcard asks

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
    name = lower_ascii(presented)
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


@functools.lru_cache(maxsize=64)
def _reference_labels(reference_ascii: str) -> list[str] | None:
    """The reference's labels (None for an IP literal). Cached: a certificate's thousands of
    SANs are all matched against the same name (issue 13); callers only read the list."""
    reference = lower_ascii(reference_ascii).rstrip(".")
    return None if parse_ip(reference) is not None else reference.split(".")


def match_name(presented_dns: str, reference_ascii: str) -> tuple[Verdict, str]:
    """The RFC 9525 DNS-ID rule for one presented dNSName and one reference name.

    `reference_ascii` is the A-label host (case and a trailing dot do not
    matter). Returns the verdict and a reason code; an IP reference never
    matches a dNSName (`ip-vs-dns`).
    """
    ref = _reference_labels(reference_ascii)
    if ref is None:
        return Verdict.NO_MATCH, "ip-vs-dns"
    problem, labels = _shape(presented_dns)
    if problem is not None:
        return Verdict.INVALID, problem
    if labels[0] == "*":
        return _wildcard_verdict(labels, ref)
    if labels == ref:
        return Verdict.MATCH, "exact"
    return Verdict.NO_MATCH, "different-name"


def lenient_dns(presented: str) -> str | None:
    """The name a lenient reader sees: U-labels to A-labels, trailing dot dropped."""
    text = presented.removesuffix(".")
    if not text:
        return None
    if text.isascii():
        return lower_ascii(text)
    try:
        return to_a_label(text)
    except BadInput:
        return None


def glob_label(pattern: str, label: str) -> bool:
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


def lenient_covers(presented: str, reference: str) -> bool:
    """Would a lenient, Java-like reader match this name (any `*`, per label)?"""
    name = lenient_dns(presented)
    if name is None:
        return False
    p, r = name.split("."), reference.split(".")
    return len(p) == len(r) and all(glob_label(a, b) if "*" in a else a == b for a, b in zip(p, r))
