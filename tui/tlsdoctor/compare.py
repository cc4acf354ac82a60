"""Re-run and compare: what changed between two walks of the same target (after a fix).

A problem is a finding of severity error or warning that is on the client's
road and not set aside by an answer. Problems are compared by their code: one
that was there and is gone is resolved, one in both runs is still failing (with
its severity now), one only in the new run is new. The verdicts and the top
knowledge entries of both runs come along. Pure: two reports in, a comparison
out; no rendering, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tlsdoctor.analysis.path import is_off_path
from tlsdoctor.diagnosis import Report
from tlsdoctor.findings import Finding, Severity
from tlsdoctor.questions import is_set_aside

_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)


@dataclass(frozen=True)
class Change:
    """One problem code across the two runs (severity None: not a problem in that run)."""

    code: str
    step: str
    before: Severity | None
    after: Severity | None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "step": self.step,
            "before": self.before.value if self.before else None,
            "after": self.after.value if self.after else None,
        }


@dataclass(frozen=True)
class Comparison:
    verdict_before: str
    verdict_after: str
    top_before: str | None  # the most likely knowledge entry of each run
    top_after: str | None
    resolved: tuple[Change, ...]
    still_failing: tuple[Change, ...]
    new: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.resolved or self.new) or self.verdict_before != self.verdict_after

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict_before": self.verdict_before,
            "verdict_after": self.verdict_after,
            "top_before": self.top_before,
            "top_after": self.top_after,
            "resolved": [c.to_json() for c in self.resolved],
            "still_failing": [c.to_json() for c in self.still_failing],
            "new": [c.to_json() for c in self.new],
        }


def problems(findings: Sequence[Finding]) -> dict[str, tuple[str, Severity]]:
    """Problem code → (step, worst severity), in report order."""
    out: dict[str, tuple[str, Severity]] = {}
    for f in findings:
        if f.severity is Severity.INFO or is_off_path(f) or is_set_aside(f):
            continue
        known = out.get(f.code.value)
        if known is None or _ORDER.index(f.severity) > _ORDER.index(known[1]):
            out[f.code.value] = (f.step.value, f.severity)
    return out


def compare_reports(before: Report, after: Report) -> Comparison:
    """What changed from `before` to `after`."""
    old, now = problems(before.findings), problems(after.findings)
    return Comparison(
        verdict_before=before.verdict,
        verdict_after=after.verdict,
        top_before=before.diagnosis[0].kb_id if before.diagnosis else None,
        top_after=after.diagnosis[0].kb_id if after.diagnosis else None,
        resolved=tuple(Change(c, step, sev, None) for c, (step, sev) in old.items() if c not in now),
        still_failing=tuple(Change(c, step, old[c][1], sev) for c, (step, sev) in now.items() if c in old),
        new=tuple(Change(c, step, None, sev) for c, (step, sev) in now.items() if c not in old),
    )
