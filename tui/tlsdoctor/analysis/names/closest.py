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

    A shared prefix and suffix never change the distance, so they are cut first.
    The rest is Myers' bit-parallel algorithm (Hyyrö's formulation): the columns
    of `a` are the bits of one int, so each character of `b` costs a dozen
    integer operations instead of a row of the textbook table. Kept over the
    plain programme for speed: on 3,000 SANs that table was half of the names
    step (issue 13); the tests hold both to the same answers.
    """
    shortest = min(len(a), len(b))
    start = 0
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if not a or not b:
        return len(a) + len(b)
    positions: dict[str, int] = {}  # character → the bits of `a` where it stands
    for i, char in enumerate(a):
        positions[char] = positions.get(char, 0) | (1 << i)
    mask = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    plus, minus, distance = mask, 0, len(a)  # vertical deltas +1 / -1 of the current column; its last cell
    for char in b:
        equal = positions.get(char, 0)
        x_vertical = equal | minus
        x_horizontal = (((equal & plus) + plus) ^ plus) | equal
        h_plus = minus | ~(x_horizontal | plus)
        h_minus = plus & x_horizontal
        if h_plus & last:
            distance += 1
        elif h_minus & last:
            distance -= 1
        h_plus = (h_plus << 1) | 1  # the top row grows by one per character of `b`
        h_minus <<= 1
        plus = (h_minus | ~(x_vertical | h_plus)) & mask
        minus = h_plus & x_vertical
    return distance


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


def dns_score(presented: list[str], ref: list[str]) -> float:
    """Right-aligned, label-aware closeness in 0..1.

    The two right-most positions (the likely registrable domain) weigh double,
    so `api.example.org` is further from `api.example.com` than `www.example.com` is.
    """
    width = max(len(presented), len(ref))
    total = weight_sum = 0.0
    for back in range(1, width + 1):  # from the TLD leftwards
        p = presented[-back] if back <= len(presented) else None
        r = ref[-back] if back <= len(ref) else None
        score = 1.0 if (p == r and p is not None) else _label_score(p, r, back == len(presented))
        weight = 2.0 if back <= 2 else 1.0
        total += score * weight
        weight_sum += weight
    return total / weight_sum if weight_sum else 0.0


def dns_rows(presented: list[str], ref: list[str]) -> tuple[LabelDiff, ...]:
    """The label diff: rows paired from the right (TLD with TLD), left-most label first."""
    width = max(len(presented), len(ref))
    rows: list[LabelDiff] = []
    for back in range(1, width + 1):
        p = presented[-back] if back <= len(presented) else None
        r = ref[-back] if back <= len(ref) else None
        leftmost = back == len(presented)
        same = p is not None and r is not None and (p == r or (p == "*" and leftmost and len(presented) == len(ref)))
        rows.append(LabelDiff(presented=p, reference=r, same=same))
    rows.reverse()
    return tuple(rows)


def dns_similarity(presented: list[str], ref: list[str]) -> tuple[float, tuple[LabelDiff, ...]]:
    """`dns_score` and `dns_rows` together."""
    return dns_score(presented, ref), dns_rows(presented, ref)


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
