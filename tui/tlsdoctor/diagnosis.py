"""The diagnosis: every step's result and finding joined into one `Report`, ranked by the knowledge base.

`build_report` adds the diagnosis step (the ranked knowledge entries, their
commands filled in with this target's real names by `command_context`).
`Report.to_json()` is the JSON contract of docs/DESIGN.md. Nothing here renders
text for a person (that is `tlsdoctor.render`); no rich, no textual, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tlsdoctor import __version__
from tlsdoctor.analysis.clientset import MODEL_CLIENTS, ClientsVerdict, clients_verdict
from tlsdoctor.analysis.path import is_off_path
from tlsdoctor.facts.questions import Answered
from tlsdoctor.facts.steps import StepResult
from tlsdoctor.findings import Finding, Severity, StepId, StepStatus, worst_status
from tlsdoctor.questions import is_set_aside, leads
from tlsdoctor.summaries import answered_text, step_summary

if TYPE_CHECKING:
    from tlsdoctor.analysis.mtls import ExpectedIdentity
    from tlsdoctor.facts.client import ClientMaterial
    from tlsdoctor.knowledge.commands import CommandContext
    from tlsdoctor.knowledge.rank import Diagnosis
    from tlsdoctor.protocols import ProtocolChoice
    from tlsdoctor.target import Target


class Request(Protocol):
    """What the diagnosis reads of the walk's request (`request.WalkOptions` is one)."""

    @property
    def lang(self) -> str: ...
    @property
    def client(self) -> ClientMaterial | None: ...
    @property
    def expected_identity(self) -> ExpectedIdentity | None: ...
    @property
    def ca_files(self) -> tuple[str, ...]: ...
    @property
    def clients(self) -> tuple[str, ...]: ...
    @property
    def protocol(self) -> ProtocolChoice: ...


@dataclass(frozen=True, repr=False)
class Report:
    target: Target | None  # None: a report of `explain` (pasted text, no walk)
    steps: tuple[StepResult, ...]  # in step order, the diagnosis step last
    findings: tuple[Finding, ...]
    diagnosis: tuple[Diagnosis, ...]
    at: dt.datetime
    lang: str = "en"
    client: str | None = None  # explain: the recognised client
    extra: dict[str, Any] = field(default_factory=dict)  # JSON values added to the top level
    clients: ClientsVerdict | None = None  # which of the asked clients fail and pass (a walk or `inspect`)
    path: tuple[Answered, ...] = ()  # the questions settled on the way, in order (the path taken)
    comparison: Any = None  # a `compare.Comparison` with the run before (a re-run), else None
    context: CommandContext | None = None  # the names the commands were filled with (a re-ranking keeps them)

    def __repr__(self) -> str:
        # Short on purpose: asyncio formats the repr of a task's result on shutdown, and a
        # full report (thousands of SANs) would cost tens of milliseconds for nothing.
        return f"Report(target={self.target!r}, findings={len(self.findings)}, verdict={self.verdict!r})"

    @property
    def verdict(self) -> str:
        return "problem" if any(f.severity is Severity.ERROR for f in self.findings) else "ok"

    @property
    def exit_code(self) -> int:
        return 1 if self.verdict == "problem" else 0

    @property
    def judged_clients(self) -> tuple[str, ...]:
        """The clients the walk judged for (`--client` or the answer to "which client fails?"); empty: all."""
        asked = self.clients.asked if self.clients is not None else ()
        return () if set(asked) >= set(MODEL_CLIENTS) else tuple(asked)

    @property
    def diagnosis_step(self) -> StepResult | None:
        return self.step(StepId.DIAGNOSIS)

    def step(self, step: StepId) -> StepResult | None:
        return next((s for s in self.steps if s.step is step), None)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tool": {"name": "tlsdoctor", "version": __version__}}
        if self.target is not None:
            data["target"] = self.target.to_json()
            data["at"] = self.at.isoformat()
            data["steps"] = [
                {**s.to_json(), "summary": step_summary(s)} for s in self.steps if s.step is not StepId.DIAGNOSIS
            ]
        else:
            data["client"] = self.client
        data["findings"] = [f.to_json() for f in self.findings]
        data["diagnosis"] = [d.to_json() for d in self.diagnosis]
        data["verdict"] = self.verdict
        if self.clients is not None:
            data["clients"] = self.clients.to_json()
        if self.target is not None:
            data["path"] = [{**a.to_json(), "said": answered_text(a)} for a in self.path]
        if self.comparison is not None:
            data["since_last_run"] = self.comparison.to_json()
        data.update(self.extra)
        return data


def command_context(target: Target, steps: Sequence[StepResult], options: Request) -> CommandContext:
    """The real names the knowledge base fills its commands with."""
    from tlsdoctor.knowledge.commands import CommandContext  # lazy: only a report with something to rank

    by_id = {s.step: s for s in steps}
    addresses: tuple[str, ...] = ()
    cert_names: tuple[str, ...] = ()
    fetch = by_id.get(StepId.FETCH)
    if fetch is not None and fetch.data is not None:
        addresses = tuple(fetch.data.used_addresses) or tuple(fetch.data.addresses)
    names = by_id.get(StepId.NAMES)
    if names is not None and names.data is not None:
        cert_names = tuple(v.value for v in names.data.verdicts if v.kind.value in ("dns", "ip"))
    client = options.client
    expected = options.expected_identity
    return CommandContext(
        host=target.ascii_host,
        display_host=target.display_host,
        port=target.port,
        addresses=addresses,
        cert_names=cert_names,
        client_cert=client.cert_path if client is not None else None,
        client_key=client.key_path if client is not None else None,
        ca_file=options.ca_files[0] if options.ca_files else None,
        expected_client_identity=expected.text if expected is not None else None,
        client_csr=expected.csr_names() if expected is not None else None,
        protocol=options.protocol.name,
        starttls=options.protocol.starttls,
        client_format=client.source_format if client is not None else None,
        client_alias=client.alias if client is not None else None,
    )


def _matrices(steps: Sequence[StepResult]) -> list[dict[str, bool]]:
    """The names step's client matrices: one per certificate on the client's path (the first one's when
    the step has no per-address verdicts)."""
    names = next((s for s in steps if s.step is StepId.NAMES and s.data is not None), None)
    if names is None:
        return []
    rows = [r for r in names.data.addresses if r.on_path and r.leaf_sha256 is not None]
    if rows:
        return [{c: c not in r.rejected_by for c in MODEL_CLIENTS} for r in rows]
    return [{c.client: c.accepts for c in names.data.clients}]


def rank_findings(
    findings: Sequence[Finding], ctx: CommandContext, lang: str, *, clients: Sequence[str] = ()
) -> tuple[Diagnosis, ...]:
    """The ranked diagnosis. Context off the client's road (DNS when the address is pinned), or made
    context by the user's answer (an intended hosts line), is shown among the findings, never ranked:
    it cannot be why this client fails. An entry explaining a finding the user's answer leads with
    (a stale hosts line, an intermittent failure) comes first; `clients` pick each fix's commands."""
    from tlsdoctor.knowledge.rank import diagnose  # lazy: start-up cost (see build_report)

    ranked = diagnose(_on_road(findings), ctx, lang=lang, clients=clients)
    first = {f.code.value for f in findings if leads(f)}
    return tuple(sorted(ranked, key=lambda d: not first & set(d.because)))


def _on_road(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that can be why this client fails (see rank_findings)."""
    return [f for f in findings if not is_off_path(f) and not is_set_aside(f)]


def build_report(
    target: Target,
    steps: Sequence[StepResult],
    options: Request,
    at: dt.datetime,
    *,
    elapsed_ms: float = 0.0,
    path: Sequence[Answered] = (),
) -> Report:
    """Join the steps, rank the diagnosis, and add the diagnosis step itself."""
    findings = tuple(f for s in steps for f in s.findings)
    # Only errors and warnings are ranked (knowledge.rank.diagnose): a healthy report needs no
    # command context, ranking code or entry, and does not import them (issue 13).
    rankable = worst_status(_on_road(findings)) is not StepStatus.OK
    ctx = command_context(target, steps, options) if rankable else None
    diagnosis = rank_findings(findings, ctx, options.lang, clients=options.clients) if ctx is not None else ()
    status = StepStatus.FAIL if any(f.severity is Severity.ERROR for f in findings) else (
        StepStatus.WARN if any(f.severity is Severity.WARNING for f in findings) else StepStatus.OK
    )
    diagnosis_step = StepResult(step=StepId.DIAGNOSIS, status=status, data=diagnosis, elapsed_ms=elapsed_ms)
    return Report(
        target=target,
        steps=(*steps, diagnosis_step),
        findings=findings,
        diagnosis=diagnosis,
        at=at,
        lang=options.lang,
        clients=clients_verdict(findings, _matrices(steps), options.clients),
        path=tuple(path),
        context=ctx,
    )
