"""How an expected client name differs from the one a certificate carries: labels, path segments, environment words.

Pure string comparison (DNS names align from the right, URI paths from the
left); no certificates and no findings here.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from typing import TypedDict

# Words that name a deployment environment inside host names and SPIFFE paths.
ENVIRONMENT_WORDS = frozenset(
    {
        "prod", "production", "prd", "live",
        "staging", "stage", "stg",
        "dev", "devel", "development",
        "test", "testing", "tst",
        "qa", "uat", "preprod", "sandbox", "sbx",
        "int", "integration", "demo", "perf", "canary",
    }
)  # fmt: skip


class LabelDiff(TypedDict):
    """One label (or URI path segment) that differs; None where one name has no label there."""

    position: int
    expected: str | None
    certificate: str | None


def _segments(name: str) -> list[str]:
    if "://" in name:
        return name.split("/")
    return name.rstrip(".").split(".")


def _same(expected: str, actual: str, *, dns: bool) -> bool:
    """DNS labels compare case-insensitively; URI path segments exactly."""
    return fnmatch.fnmatchcase(actual.lower(), expected.lower()) if dns else fnmatch.fnmatchcase(actual, expected)


def label_diff(expected: str, actual: str) -> tuple[LabelDiff, ...]:
    """Labels (or URI path segments) that differ; DNS names align from the right.

    A label of `expected` may be a glob (`client-*`). Both names are shown as
    written (the certificate's case kept), compared as their kind compares.
    """
    exp, act = _segments(expected), _segments(actual)
    width = max(len(exp), len(act))
    from_right = "://" not in expected
    if from_right:
        exp = [""] * (width - len(exp)) + exp
        act = [""] * (width - len(act)) + act
    else:
        exp = exp + [""] * (width - len(exp))
        act = act + [""] * (width - len(act))
    diffs: list[LabelDiff] = []
    for i, (e, a) in enumerate(zip(exp, act, strict=True)):
        if not _same(e, a, dns=from_right):
            diffs.append({"position": i, "expected": e or None, "certificate": a or None})
    return tuple(diffs)


def _tokens(label: str) -> list[str]:
    return [t for t in re.split(r"[-_]", label.lower()) if t]


def environment_swap(expected: str, actual: str) -> tuple[str, str] | None:
    """(expected env, certificate env) when the names differ only in environment words."""
    diffs = label_diff(expected, actual)
    if not diffs:
        return None
    swap: tuple[str, str] | None = None
    for d in diffs:
        e, a = _tokens(d["expected"] or ""), _tokens(d["certificate"] or "")
        if len(e) != len(a) or not e:
            return None
        for te, ta in zip(e, a, strict=True):
            if fnmatch.fnmatchcase(ta, te):
                continue
            if te in ENVIRONMENT_WORDS and ta in ENVIRONMENT_WORDS:
                swap = swap or (te, ta)
            else:
                return None
    return swap


def closest(expected: str, candidates: Sequence[str]) -> str | None:
    """The candidate with the fewest differing labels (the first one on a tie)."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (len(label_diff(expected, c)), candidates.index(c)))
