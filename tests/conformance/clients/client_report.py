"""The conformance report: the case × client table, the versions seen, the skipped clients, explain's gaps.

Also the two judgements the tests make, so the report and the tests cannot
disagree: `disagreement()` (observed ≠ predicted, with everything a person
needs to see why) and `explain_check()` (does `tlsdoctor explain` recognise a
client's refusal text as that client, and as the problem tlsdoctor predicted).
"""

from __future__ import annotations

from dataclasses import dataclass

from client_runners import Client, Observation, not_a_verdict
from client_session import Run

from tlsdoctor.analysis.chain.clientpolicy import ALL_CLIENTS
from tlsdoctor.analysis.names.client_notes import MODEL_ONLY
from tlsdoctor.explain import explain

# The finding codes a refusal for each predicted reason may be read as (explain reads texts, not chains:
# "unable to get local issuer certificate" is a missing intermediate as much as an unknown root).
_CHAIN_CODES = {"chain-untrusted", "chain-incomplete", "self-signed"}
_NAMES_CODES = {"hostname-mismatch", "ip-not-in-san", "cn-only", "wildcard-apex", "wildcard-depth", "wildcard-partial"}


def disagreement(case_id: str, client: Client, accepts: bool, why: tuple[str, ...], seen: Observation, release: str | None) -> str | None:
    """None when the client did what tlsdoctor predicted; else one paragraph that says it all."""
    broken = not_a_verdict(seen)
    if broken is not None:
        return f"case {case_id}: {client.name} never reached the server ({broken}): a harness fault, not a verdict\n  output: {seen.text.strip()[:600]}"
    if seen.accepted == accepts:
        return None
    predicted = "accept" if accepts else "refuse (" + "; ".join(why) + ")"
    did = "accepted" if seen.accepted else f"refused: {seen.detail}"
    version = f" {release}" if release else ""
    return (
        f"case {case_id}: {client.name}{version} (column {client.column!r}) — tlsdoctor predicted it would {predicted}, "
        f"but it {did}\n  command: {' '.join(seen.argv)[:400]}\n  output: {seen.text.strip()[:800]}"
    )


@dataclass(frozen=True)
class ExplainResult:
    client: str
    case_id: str
    recognised_as: str | None  # the client explain named
    codes: tuple[str, ...]  # the finding codes explain named
    expected_codes: tuple[str, ...]

    @property
    def problem_ok(self) -> bool:
        return bool(set(self.codes) & set(self.expected_codes))


def _expected_codes(why: tuple[str, ...]) -> tuple[str, ...]:
    codes: list[str] = []
    for reason in why:
        code = reason.split(" ")[0]
        if reason.startswith("names:"):
            codes += sorted(_NAMES_CODES)
        else:
            codes += sorted(_CHAIN_CODES) if code in _CHAIN_CODES else [code]
    return tuple(dict.fromkeys(codes))


def explain_check(run: Run, client: Client) -> list[ExplainResult]:
    """`tlsdoctor explain` on every refusal this client printed."""
    out = []
    for case_id, seen in run.observed.get(client.name, {}).items():
        if seen.accepted:
            continue
        _accepts, why = run.expected(client, case_id)
        found = explain(seen.text or seen.detail)
        out.append(ExplainResult(client.name, case_id, found.client, tuple(f.code.value for f in found.findings), _expected_codes(why)))
    return out


def _cell(run: Run, client: Client, case_id: str) -> str:
    seen = run.observed.get(client.name, {}).get(case_id)
    if seen is None:
        return "–"
    accepts, why = run.expected(client, case_id)
    mark = "✓" if seen.accepted else "✗"
    return f"**{mark}≠**" if disagreement(case_id, client, accepts, why, seen, None) else mark


def markdown(run: Run) -> str:
    """The whole report as Markdown (✓ accepted, ✗ refused, **≠** disagrees with tlsdoctor)."""
    clients = run.clients
    lines = ["# Real TLS clients against tlsdoctor's per-client predictions", "",
             "Written by `TLSDOCTOR_CLIENTS_REPORT=FILE python -m pytest tests/conformance/clients`.", ""]  # fmt: skip
    total = sum(len(v) for v in run.observed.values())
    agree = sum(1 for c in clients for cid in run.observed.get(c.name, {}) if "≠" not in _cell(run, c, cid))
    lines += [f"{len(run.cases)} cases × {len(clients)} clients: {agree} of {total} observations agree with the prediction.", ""]
    lines += ["## Versions", ""] + [f"- {name}: {version}" for name, version in run.versions.items()]
    lines += ["", "## Skipped", ""] + ([f"- {name}: {why}" for name, why in run.skipped.items()] or ["- none"])
    lines += [f"- {name}: model only — no real client can run here; predicted from its documented rules" for name in ALL_CLIENTS if name in MODEL_ONLY]
    lines += [f"- {name}: broke: {why}" for name, why in run.errors.items()]
    head = [c.name for c in clients] + [f"{m} (model)" for m in ALL_CLIENTS if m in MODEL_ONLY]
    lines += ["", "## Table", "", "✓ accepted, ✗ refused; the model-only columns show the prediction.", ""]
    lines += ["| case | host | " + " | ".join(head) + " |", "|---|---|" + "---|" * len(head)]
    for case_id, case in run.cases.items():
        cells = [_cell(run, c, case_id) for c in clients]
        cells += ["✓" if case.predicted[m].accepts else "✗" for m in ALL_CLIENTS if m in MODEL_ONLY]
        lines.append(f"| {case_id} | `{case.served.host}` | " + " | ".join(cells) + " |")
    lines += ["", "## Explain gaps", ""]
    gaps = [r for c in clients for r in explain_check(run, c) if r.recognised_as != c.explain_as or not r.problem_ok]
    by_client = {c.name: c for c in clients}
    for r in gaps:
        seen = run.observed[r.client][r.case_id]
        lines.append(
            f"- {r.client} / {r.case_id}: explain says client={r.recognised_as} codes={list(r.codes)}; "
            f"expected client={by_client[r.client].explain_as} and one of {list(r.expected_codes)} — `{seen.detail[:160]}`"
        )
    if not gaps:
        lines.append("- none")
    return "\n".join(lines) + "\n"
