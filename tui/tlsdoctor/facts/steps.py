"""The walk's results and events: what every face consumes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tlsdoctor.findings import Finding, StepId, StepStatus


@dataclass(frozen=True)
class StepResult:
    step: StepId
    status: StepStatus
    data: Any = None  # a frozen dataclass with to_json(), or None
    findings: tuple[Finding, ...] = ()
    skipped_reason: str | None = None  # a msgid (translated by renderers)
    elapsed_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = self.data.to_json() if hasattr(self.data, "to_json") else self.data
        return {
            "id": self.step.value,
            "number": self.step.number,
            "status": self.status.value,
            "skipped_reason": self.skipped_reason,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "data": data,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class StepStarted:
    step: StepId


@dataclass(frozen=True)
class StepProgress:
    step: StepId
    done: int
    total: int
    detail: str = ""  # untrusted text possible (an address): render literally


@dataclass(frozen=True)
class StepFinished:
    result: StepResult


ReportT = TypeVar("ReportT")


@dataclass(frozen=True)
class WalkFinished(Generic[ReportT]):
    """The walk ended. `report` is a `diagnosis.Report`: a type parameter, because facts sit
    below the diagnosis (`walk.Event` names the real type)."""

    report: ReportT
