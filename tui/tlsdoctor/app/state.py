"""What the walk screen knows, apart from the widgets that show it.

`WalkState` holds every engine event received, the step results and the
report; rebuilt widgets (a language switch recomposes the screen) draw from it.
Values a pane needs that the step data does not carry are computed once, when
the step's `StepFinished` event arrives, into small frozen view models
(`HandshakeRow`): pure functions of the step data, never recomputed at render
time. Nothing here imports textual or opens a socket.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tlsdoctor.diagnosis import command_context, rank_findings
from tlsdoctor.facts.questions import Answered, Question
from tlsdoctor.facts.steps import StepResult
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.walk import Event

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.request import WalkOptions
    from tlsdoctor.walk import FetchStepData


# --------------------------------------------------------------------------- view models


@dataclass(frozen=True)
class HandshakeRow:
    """One row of the fetch table: a handshake as the pane shows it (raw text; the pane makes it inert)."""

    address: str
    used: bool  # an address the client really uses (marked `*`)
    sni_mode: str
    fingerprint: str | None  # hex SHA-256 of the leaf's DER; None when nothing was presented
    subject: str | None  # the leaf's subject, RFC 4514, exactly as encoded; None when it does not parse
    protocol: str | None
    error_kind: str | None  # a facts.tls.FetchError value; None when the handshake worked
    error_detail: str | None  # the TLS library's own text (evidence, shown literally)
    alert: int | None
    divergent: bool  # its leaf differs from the one the client gets (the primary handshake's)

    @property
    def failed(self) -> bool:
        return self.error_kind is not None


def leaf_subject(leaf_der: bytes) -> str | None:
    """The leaf's subject as RFC 4514 text (None when the certificate does not parse)."""
    from cryptography import x509  # lazy: start-up cost (only a fetch result needs it)

    try:
        return x509.load_der_x509_certificate(leaf_der).subject.rfc4514_string()
    except ValueError:
        return None


def handshake_rows(data: FetchStepData) -> tuple[HandshakeRow, ...]:
    """The fetch table's rows, from the fetch step's data; each distinct leaf is parsed once."""
    view = data.view
    primary_fp = view.primary.leaf_sha256 if view.primary is not None else None
    used = set(data.used_addresses)
    subjects: dict[str, str | None] = {}
    rows = []
    for h in view.handshakes:
        fp = h.leaf_sha256
        if fp is not None and h.leaf_der is not None and fp not in subjects:
            subjects[fp] = leaf_subject(h.leaf_der)
        rows.append(
            HandshakeRow(
                address=h.address,
                used=h.address in used,
                sni_mode=h.sni_mode.value,
                fingerprint=fp,
                subject=subjects.get(fp) if fp is not None else None,
                protocol=h.protocol,
                error_kind=h.error.value if h.error else None,
                error_detail=h.error_detail if h.error else None,
                alert=h.alert if h.error else None,
                divergent=fp is not None and primary_fp is not None and fp != primary_fp,
            )
        )
    return tuple(rows)


# --------------------------------------------------------------------------- walk state


@dataclass
class WalkState:
    """What the walk screen knows: rebuilt widgets (e.g. after a language switch) come from here."""

    results: dict[StepId, StepResult] = field(default_factory=dict)
    started: dict[StepId, float] = field(default_factory=dict)  # monotonic start per step
    progress: dict[StepId, tuple[int, int, str]] = field(default_factory=dict)  # done, total, detail
    running: StepId | None = None
    report: Report | None = None
    began: float | None = None
    ended: float | None = None
    cancelled: bool = False
    error: str | None = None
    events: list[Event] = field(default_factory=list)  # every engine event, in order (tests read it)
    redact: bool = False  # screen-sharing mode: names, addresses and fingerprints as placeholders
    replayed: bool = False  # events came from a recording: times are the recorded ones
    fetch_rows: tuple[HandshakeRow, ...] = ()  # the fetch step's table, computed when it finished
    server_log: tuple[str, ...] = ()  # demo only: what the lab's server logged (read when the walk ends)
    path: list[Answered] = field(default_factory=list)  # the questions settled so far (the breadcrumb)
    asking: Question | None = None  # the question on screen, while the walk waits for its answer
    previous: Report | None = None  # the last run's report, kept for the comparison after a re-run

    def reset(self) -> None:
        """Forget the walk (a re-run); screen-sharing mode and the last finished report stay."""
        fresh = WalkState(redact=self.redact, previous=self.report or self.previous)
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def record(self, result: StepResult) -> None:
        """A step finished: keep its result and compute what its pane needs beyond the step data."""
        self.results[result.step] = result
        if result.step is StepId.FETCH:
            self.fetch_rows = handshake_rows(result.data) if result.data is not None else ()

    @property
    def total_seconds(self) -> float:
        if self.replayed:
            return sum(r.elapsed_ms for r in self.results.values()) / 1000
        return (self.ended or 0) - (self.began or 0)

    @property
    def finished(self) -> bool:
        return self.report is not None

    def status(self, step: StepId) -> StepStatus:
        if step in self.results:
            return self.results[step].status
        if step is self.running:
            return StepStatus.RUNNING
        return StepStatus.WAITING

    def elapsed(self, step: StepId) -> float:
        """Seconds the step took (or has taken so far, while it runs)."""
        if step in self.results:
            return self.results[step].elapsed_ms / 1000
        if step in self.started:
            return time.monotonic() - self.started[step]
        return 0.0

    def first_failing(self) -> StepId:
        """Where the eye should go when the walk ends: first failure, else first warning, else the diagnosis."""
        for wanted in ((StepStatus.FAIL, StepStatus.ERROR), (StepStatus.WARN,)):
            for step in StepId:
                if step is not StepId.DIAGNOSIS and self.status(step) in wanted:
                    return step
        return StepId.DIAGNOSIS

    def relocalise(self, options: WalkOptions, lang: str) -> None:
        """Tell the stored report's diagnosis in `lang`; the findings stay as they are."""
        if self.report is None:
            return
        self.report = relocalised_report(self.report, options, lang)
        diagnosis_step = self.report.diagnosis_step
        if diagnosis_step is not None:
            self.results[StepId.DIAGNOSIS] = diagnosis_step


def relocalised_report(report: Report, options: WalkOptions, lang: str) -> Report:
    """The same report with its diagnosis texts in `lang` (knowledge texts are chosen per language)."""
    if report.target is None:
        return report
    ctx = report.context or command_context(report.target, report.steps, options)
    diagnosis = rank_findings(report.findings, ctx, lang, clients=report.judged_clients)
    steps = tuple(dataclasses.replace(s, data=diagnosis) if s.step is StepId.DIAGNOSIS else s for s in report.steps)
    return dataclasses.replace(report, diagnosis=diagnosis, steps=steps, lang=lang)
