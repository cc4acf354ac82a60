"""Rank knowledge entries against findings: `diagnose(findings) → (Diagnosis, …)`, best first.

A Diagnosis is one entry in one language with its commands filled in for this
target and its dead ends ordered for this user. Pure: no I/O beyond loading the
(cached) knowledge base when none is given; it must not render text or import
textual/rich.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.knowledge.clientfix import commands_for
from tlsdoctor.knowledge.commands import CommandContext, render_command
from tlsdoctor.knowledge.langs import check_lang

if TYPE_CHECKING:
    from tlsdoctor.knowledge.model import Entry, KnowledgeBase

SEVERITY_WEIGHT: Mapping[Severity, float] = {Severity.ERROR: 1.0, Severity.WARNING: 0.6, Severity.INFO: 0.25}
_SEVERITY_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)


class WorkaroundJson(TypedDict):
    rank: int
    success_rate: float
    text: str
    commands: list[str]


class DeadEndJson(TypedDict):
    fail_rate: float
    text: str
    why: str
    relevant: bool


class DiagnosisJson(TypedDict):
    """One item of the report's `diagnosis` list (the JSON contract)."""

    kb_id: str
    slug: str
    title: str
    score: float
    because: list[str]
    fix_rate: float
    confidence: float
    workarounds: list[WorkaroundJson]
    dead_ends: list[DeadEndJson]
    rates_estimated: bool


@dataclass(frozen=True)
class RenderedWorkaround:
    rank: int
    success_rate: float
    text: str
    commands: tuple[str, ...]

    def to_json(self) -> WorkaroundJson:
        return {"rank": self.rank, "success_rate": self.success_rate, "text": self.text, "commands": list(self.commands)}


@dataclass(frozen=True)
class RankedDeadEnd:
    fail_rate: float
    text: str
    why: str
    relevant: bool

    def to_json(self) -> DeadEndJson:
        return {"fail_rate": self.fail_rate, "text": self.text, "why": self.why, "relevant": self.relevant}


@dataclass(frozen=True)
class Diagnosis:
    """One ranked knowledge entry with its commands filled in for this target."""

    kb_id: str
    slug: str
    title: str
    score: float
    because: tuple[str, ...]
    fix_rate: float
    confidence: float
    workarounds: tuple[RenderedWorkaround, ...] = field(default=())
    dead_ends: tuple[RankedDeadEnd, ...] = field(default=())
    rates_estimated: bool = True  # False only for a seed's own recorded figures (TLS-1002)

    def to_json(self) -> DiagnosisJson:
        return {
            "kb_id": self.kb_id,
            "slug": self.slug,
            "title": self.title,
            "score": self.score,
            "because": list(self.because),
            "fix_rate": self.fix_rate,
            "confidence": self.confidence,
            "workarounds": [w.to_json() for w in self.workarounds],
            "dead_ends": [d.to_json() for d in self.dead_ends],
            "rates_estimated": self.rates_estimated,
        }


def score_entry(entry: Entry, severities: Mapping[Code, Severity]) -> tuple[float, tuple[Code, ...]]:
    """Score in 0..1 and the codes that earned it (score 0 when nothing matches).

    score = severity × directness × (0.75 + 0.10 specific + 0.05 breadth + 0.10 quality):
    - severity: weight of the worst matched finding (error 1, warning 0.6, info 0.25);
    - directness: 1 when a code the entry explains (`findings`) matched, 0.7 when
      only one of its `related` codes did, so a direct explanation always ranks
      above an alternative cause at the same severity;
    - specific: 0 for a `generic` umbrella entry (TLS-1002), 1 otherwise, so the
      wildcard entry outranks TLS-1002 when both explain the same error;
    - breadth: how many of its codes matched (0 for one, 1 for three or more);
    - quality: fix_rate × confidence of the entry.
    """
    primary = [c for c in entry.findings if c in severities]
    related = [c for c in entry.related if c in severities]
    matched = tuple(primary + related)
    if not matched:
        return 0.0, ()
    worst = max((severities[c] for c in matched), key=_SEVERITY_ORDER.index)
    directness = 1.0 if primary else 0.7
    specific = 0.0 if entry.scope == "generic" else 1.0
    breadth = min(len(matched) - 1, 2) / 2
    score = SEVERITY_WEIGHT[worst] * directness * (0.75 + 0.10 * specific + 0.05 * breadth + 0.10 * entry.quality)
    return round(score, 3), matched


def _dead_ends(entry: Entry, found: frozenset[Code], lang: str) -> tuple[RankedDeadEnd, ...]:
    """Relevant dead ends first (they are the trap this user is near), then by fail rate."""
    ranked = [
        RankedDeadEnd(d.fail_rate, d.text.get(lang), d.why.get(lang), bool(d.relevant_to & found))
        for d in entry.dead_ends
    ]
    order = sorted(range(len(ranked)), key=lambda i: (not ranked[i].relevant, -ranked[i].fail_rate, i))
    return tuple(ranked[i] for i in order)


def diagnosis_for(
    entry: Entry,
    ctx: CommandContext | None,
    lang: str = "en",
    *,
    score: float = 1.0,
    because: Sequence[Code] = (),
    found: frozenset[Code] | None = None,
    clients: Sequence[str] = (),
) -> Diagnosis:
    """One entry as a Diagnosis; dead ends are judged against `found` (default: `because`); with
    `clients` (the failing ones) each fix shows their commands first and not the other clients'."""
    return Diagnosis(
        kb_id=entry.id,
        slug=entry.slug,
        title=entry.title.get(lang),
        score=score,
        because=tuple(c.value for c in because),
        fix_rate=entry.fix_rate,
        confidence=entry.confidence,
        workarounds=tuple(
            RenderedWorkaround(w.rank, w.success_rate, w.text.get(lang), tuple(c for t in commands_for(w.commands, clients) if (c := render_command(t, ctx))))
            for w in entry.workarounds
        ),
        dead_ends=_dead_ends(entry, frozenset(because) if found is None else found, lang),
        rates_estimated=entry.rates_estimated,
    )


def diagnose(
    findings: Sequence[Finding],
    ctx: CommandContext | None = None,
    *,
    lang: str = "en",
    kb: KnowledgeBase | None = None,
    protocol: str | None = None,
    clients: Sequence[str] = (),
) -> tuple[Diagnosis, ...]:
    """Findings → ranked entries (best first, ties by id). Info-only input gives nothing.

    Entries written for some protocols or client formats only rank when `ctx`
    says so (or, without a context, `protocol`: what `explain` read from the client).
    """
    check_lang(lang)
    if not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings):
        return ()
    severities: dict[Code, Severity] = {}
    for f in findings:
        if f.code not in severities or _SEVERITY_ORDER.index(f.severity) > _SEVERITY_ORDER.index(severities[f.code]):
            severities[f.code] = f.severity
    found = frozenset(severities)
    if kb is None:
        from tlsdoctor.knowledge.load import load_knowledge  # lazy: a run without findings loads no entry

        kb = load_knowledge()
    scored = []
    protocol = ctx.protocol if ctx is not None else protocol
    client_format = ctx.client_format if ctx is not None else None
    for entry in kb.entries:
        if not entry.applies(protocol, client_format):
            continue
        score, matched = score_entry(entry, severities)
        if not matched or all(severities[c] is Severity.INFO for c in matched):
            continue
        scored.append((score, entry, matched))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    # dead ends are judged against everything found, not only this entry's codes
    return tuple(
        diagnosis_for(entry, ctx, lang, score=score, because=matched, found=found, clients=clients) for score, entry, matched in scored
    )
