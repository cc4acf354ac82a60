"""How close a presented name is to the reference: a similarity score, the
label-by-label diff, and the choice of the closest non-matching identifier.

Scores only rank candidates and draw the diff; they never decide a match (that
is `matching`). Pure: no certificates, no findings, no I/O.
"""

from __future__ import annotations

import functools

from tlsdoctor.analysis.names.matching import glob_label, v4_mapped
from tlsdoctor.analysis.names.model import (
    IPAddr,
    LabelDiff,
    SanKind,
    SanVerdict,
    Verdict,
)


@functools.lru_cache(maxsize=4096)  # SAN lists repeat their parent labels thousands of times
def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: inserting, deleting or replacing a character costs 1.

    The textbook dynamic programme, one row at a time. A shared prefix and suffix
    never change the distance, so they are cut first: in a list of thousands of
    SANs (`host-00017` against `host-99999`) that leaves a few characters each.
    """
    shortest = min(len(a), len(b))
    start = 0
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    previous = list(range(len(b) + 1))  # distances from a[:0] to each prefix of b
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _label_score(presented: str | None, reference: str | None, leftmost: bool) -> float:
    if presented == "*" and leftmost and reference is None:
        return 0.5  # a wildcard one label short of the apex: close, not a match
    if presented is None or reference is None:
        return 0.0
    if presented == reference:
        return 1.0
    if presented == "*" and leftmost:
        return 0.9
    if "*" in presented and glob_label(presented, reference):
        return 0.85
    longest = max(len(presented), len(reference))
    return 0.8 * (1.0 - edit_distance(presented, reference) / longest)


def dns_similarity(presented: list[str], ref: list[str]) -> tuple[float, tuple[LabelDiff, ...]]:
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


def ip_similarity(presented: IPAddr, reference: IPAddr) -> tuple[float, tuple[LabelDiff, ...]]:
    """Closeness by shared leading bits (0.95 for the IPv4-mapped form), plus the diff rows."""
    if presented == reference:
        return 1.0, _ip_rows(presented, reference)
    if presented.version != reference.version:
        mapped = v4_mapped(presented, reference)
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


_KIND_RANK = {SanKind.DNS: 5, SanKind.IP: 4, SanKind.CN: 3, SanKind.URI: 2, SanKind.EMAIL: 1, SanKind.OTHER: 0}


def closest_verdict(verdicts: tuple[SanVerdict, ...]) -> SanVerdict | None:
    """Best non-matching candidate: dNSName/iPAddress SANs first (the CN is ignored
    when they exist), then the highest similarity, DNS before other kinds on a tie."""
    candidates = [v for v in verdicts if v.verdict is not Verdict.MATCH]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda v: (v.kind in (SanKind.DNS, SanKind.IP), round(v.similarity, 6), _KIND_RANK[v.kind]),
    )
