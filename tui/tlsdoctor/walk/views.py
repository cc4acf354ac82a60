"""What the target and fetch steps hand on: the target as the walk reads it, and the fetch view
with where its addresses came from. Data only (their JSON is part of the report's contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tlsdoctor.analysis.fetch import FetchView
from tlsdoctor.protocols import ProtocolChoice
from tlsdoctor.request import ResolvePin
from tlsdoctor.target import Target


@dataclass(frozen=True)
class TargetView:
    target: Target
    sni: str | None
    resolves: tuple[ResolvePin, ...] = ()
    protocol: ProtocolChoice = field(default_factory=ProtocolChoice)  # what is spoken before TLS, and why

    def to_json(self) -> dict[str, Any]:
        data = self.target.to_json()
        data["sni"] = self.sni
        data["resolve"] = [f"{p.host}:{p.port}:{p.address}" for p in self.resolves]
        data["protocol"] = self.protocol.to_json()
        return data


@dataclass(frozen=True)
class FetchStepData:
    """The fetch view plus where the addresses came from."""

    view: FetchView
    addresses: tuple[str, ...]
    used_addresses: tuple[str, ...]
    truncated_from: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.view.to_json()
        data["addresses"] = list(self.addresses)
        data["used_addresses"] = list(self.used_addresses)
        data["truncated_from"] = self.truncated_from
        return data
