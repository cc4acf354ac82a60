"""The engine: run the rule tables over pasted text, weigh what matched, build the Explanation.

Matching (needles first, then the regex on each text view), dropping generic
matches inside a scoped rule's span, recognising the client, reading a
handshake_failure as "client certificate required" when the text talks about
client certificates, and summing weights per finding code (a fallback rule's
codes only when nothing specific matched, a hint's only when neither did; see
`Rule`). Pure: no I/O, no
clock, deterministic, never raises on any text. The rules themselves are data
in `tlsdoctor.explain.rules`; this module must not hold patterns of its own
(beyond what the rules say) or render anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypedDict

from tlsdoctor.explain.rule import Rule, Weighted, present
from tlsdoctor.explain.rules import (
    CLIENT_CERT_CONTEXT,
    CLIENT_MARKERS,
    CLIENT_ORDER,
    RULE_CLIENT_RANK,
    RULES,
)
from tlsdoctor.explain.text import (
    InputSize,
    InputSizeJson,
    View,
    clean,
    input_size,
    views,
)
from tlsdoctor.findings import Code, Finding, Severity

_CODE_ORDER: Mapping[Code, int] = MappingProxyType({code: i for i, code in enumerate(Code)})
_SPECIFIC, _FALLBACK, _HINT = "specific", "fallback", "hint"  # how much a rule's match says (Rule.hint/fallback)


class MatchJson(TypedDict):
    code: str
    client: str | None
    pattern: str
    excerpt: str
    weight: float


class ExplanationJson(TypedDict):
    client: str | None
    findings: list[dict[str, object]]
    matches: list[MatchJson]
    input: InputSizeJson


@dataclass(frozen=True)
class Match:
    """One recognised token in the text."""

    code: Code
    client: str | None  # the rule's own client, else the client recognised for the whole text
    pattern_id: str  # stable id of the rule that fired
    excerpt: str  # the matched text exactly as received (ANSI escapes removed)
    weight: float  # how specific the rule is (hints are small)

    def to_json(self) -> MatchJson:
        return {
            "code": self.code.value,
            "client": self.client,
            "pattern": self.pattern_id,
            "excerpt": self.excerpt,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Explanation:
    """What a pasted error text points to: the client and the findings, most likely first."""

    client: str | None
    findings: tuple[Finding, ...]
    matches: tuple[Match, ...]
    input: InputSize

    def to_json(self) -> ExplanationJson:
        return {
            "client": self.client,
            "findings": [f.to_json() for f in self.findings],
            "matches": [m.to_json() for m in self.matches],
            "input": self.input.to_json(),
        }


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    rule: Rule
    codes: Weighted


def _find_hits(text_views: list[View]) -> list[_Hit]:
    hits: dict[tuple[str, int], _Hit] = {}
    for view in text_views:
        for rule in RULES:
            if not present(rule.needles, view.lowered):
                continue
            for m in rule.regex.finditer(view.text):
                start, end = view.span(*m.span())
                if (rule.id, start) in hits or end <= start:
                    continue
                codes = rule.classify(m) if rule.classify else rule.codes
                if codes:
                    hits[(rule.id, start)] = _Hit(start, end, rule, codes)
    scopes = [h for h in hits.values() if h.rule.scope]
    kept = [
        h
        for h in hits.values()
        if h.rule.scope or not any(s.start <= h.start and h.end <= s.end for s in scopes)
    ]
    kept.sort(key=lambda h: (h.start, h.rule.id))
    return kept


def _find_client(text_views: list[View], hits: list[_Hit]) -> str | None:
    """The most likely client: highest-ranked marker, then most markers, then a fixed order."""
    scores: dict[str, tuple[int, int]] = {}

    def add(client: str, rank: int) -> None:
        best, count = scores.get(client, (0, 0))
        scores[client] = (max(best, rank), count + 1)

    for marker in CLIENT_MARKERS:
        if any(present(marker.needles, view.lowered) and marker.regex.search(view.text) for view in text_views):
            add(marker.client, marker.rank)
    for hit in hits:
        if hit.rule.client:
            add(hit.rule.client, RULE_CLIENT_RANK)
    if not scores:
        return None
    order = {client: i for i, client in enumerate(CLIENT_ORDER)}
    return min(scores, key=lambda c: (-scores[c][0], -scores[c][1], order.get(c, len(order)), c))


def _is_handshake_alert(hit: _Hit) -> bool:
    codes = dict(hit.codes)
    return hit.rule.handshake_alert or (Code.HANDSHAKE_FAILED in codes and Code.MTLS_CERT_REQUIRED in codes)


def _swap_for_client_cert(codes: Weighted) -> Weighted:
    """With client certificates in play, a handshake_failure most likely means "none was sent"."""
    weights = dict(codes)
    failed, required = weights.get(Code.HANDSHAKE_FAILED, 0.0), weights.get(Code.MTLS_CERT_REQUIRED, 0.0)
    if failed <= required:
        return codes
    weights[Code.HANDSHAKE_FAILED], weights[Code.MTLS_CERT_REQUIRED] = required, failed
    return tuple(sorted(weights.items(), key=lambda item: -item[1]))


def _rank(matches: list[Match], kinds: list[str]) -> tuple[Finding, ...]:
    """Sum weights per code: specific codes first; fallback codes when nothing specific matched
    (errors all the same: the text says something failed); hint codes, as info, when neither did."""
    pairs = list(zip(matches, kinds, strict=True))
    strong = {m.code for m, kind in pairs if kind == _SPECIFIC} or {m.code for m, kind in pairs if kind == _FALLBACK}
    totals: dict[Code, float] = {}
    best: dict[Code, Match] = {}
    for m in matches:
        if strong and m.code not in strong:
            continue
        totals[m.code] = totals.get(m.code, 0.0) + m.weight
        if m.code not in best or m.weight > best[m.code].weight:
            best[m.code] = m
    severity = Severity.ERROR if strong else Severity.INFO
    ordered = sorted(totals, key=lambda code: (-round(totals[code], 6), _CODE_ORDER[code]))
    return tuple(
        Finding(
            code=code,
            severity=severity,
            evidence={"excerpt": best[code].excerpt, "client": best[code].client, "pattern": best[code].pattern_id},
        )
        for code in ordered
    )


def _kind(rule: Rule) -> str:
    return _HINT if rule.hint else _FALLBACK if rule.fallback else _SPECIFIC


def explain(text: str, *, total_chars: int | None = None, exact: bool = True) -> Explanation:
    """Recognise pasted TLS error output (see the package docstring). Never raises on any str.

    `text` may be the start of a longer input of `total_chars` characters (a lower bound
    unless `exact`): the Explanation's `input` says how much was read.
    """
    if not isinstance(text, str):
        raise TypeError("explain() takes text (str)")
    size = input_size(text, total_chars, exact=exact)
    cleaned = clean(text)
    text_views = views(cleaned)
    hits = _find_hits(text_views)
    if not hits:
        return Explanation(client=None, findings=(), matches=(), input=size)
    client = _find_client(text_views, hits)

    # A handshake_failure alert plus talk of client certificates: the server wanted one.
    context = CLIENT_CERT_CONTEXT.search(cleaned) if any(_is_handshake_alert(h) for h in hits) else None

    matches: list[Match] = []
    kinds: list[str] = []
    seen: set[tuple[str, Code]] = set()
    for hit in hits:
        excerpt = cleaned[hit.start : hit.end]
        codes = _swap_for_client_cert(hit.codes) if context and _is_handshake_alert(hit) else hit.codes
        for code, weight in codes:
            if (hit.rule.id, code) in seen:
                continue
            seen.add((hit.rule.id, code))
            matches.append(Match(code, hit.rule.client or client, hit.rule.id, excerpt, round(weight, 3)))
            kinds.append(_kind(hit.rule))

    if context:
        matches.append(Match(Code.MTLS_CERT_REQUIRED, client, "context.client-cert", context.group(), 0.5))
        kinds.append(_SPECIFIC)

    return Explanation(client=client, findings=_rank(matches, kinds), matches=tuple(matches), input=size)
