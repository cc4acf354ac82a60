"""What the client step returns (`ClientResult`), the handshake summary it carries, and the collector findings go into.

Plain data: no checks (checks.py), no reading of what a server did
(server.py). JSON never holds key material or a whole token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.mtls.cas import CaList
from tlsdoctor.analysis.mtls.identity import ExpectedIdentity
from tlsdoctor.analysis.token import TokenView
from tlsdoctor.findings import Code, Finding, Severity, StepStatus, worst_status

Evidence = dict[str, object]  # a finding's JSON-ready evidence


class HandshakeSummary(TypedDict):
    """The parts of a handshake that matter for client authentication (no certificates)."""

    address: str
    port: int
    server_name: str | None
    ok: bool
    protocol: str | None
    error: str | None
    error_detail: str | None
    alert: int | None
    alert_name: str | None
    alert_during: str | None
    certificate_requested: bool
    acceptable_client_cas: list[str]
    client_cert_sent: bool
    http_status: int | None
    http_reason: str | None
    http_body_excerpt: str | None


@dataclass(frozen=True)
class ClientResult:
    """Everything step 7 learned. JSON never holds key material or a whole token."""

    findings: tuple[Finding, ...]
    certificate: CertSummary | None = None
    chain: tuple[CertSummary, ...] = ()
    identities: tuple[str, ...] = ()
    expected: ExpectedIdentity | None = None
    matched: tuple[str, ...] = ()
    x5t_s256: str | None = None
    token: TokenView | None = None
    key_matches: bool | None = None
    key_file_mode: int | None = None
    handshake: HandshakeSummary | None = None
    ca_match: CaList | None = None  # a CaComparison when a client certificate was given
    openssl_view: tuple[str, ...] = ()
    commands: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> StepStatus:
        return worst_status(self.findings)

    @property
    def key_readable_by_others(self) -> bool:
        return self.key_file_mode is not None and bool(self.key_file_mode & 0o077)

    def to_json(self) -> dict[str, object]:
        return {
            "certificate": self.certificate.to_json() if self.certificate else None,
            "chain": [c.to_json() for c in self.chain],
            "identities": list(self.identities),
            "expected": self.expected.to_json() if self.expected else None,
            "matched": list(self.matched),
            "x5t#S256": self.x5t_s256,
            "token": self.token.to_json() if self.token else None,
            "key_matches": self.key_matches,
            "key_file_mode": format(self.key_file_mode, "04o") if self.key_file_mode is not None else None,
            "key_readable_by_others": self.key_readable_by_others,
            "handshake": dict(self.handshake) if self.handshake is not None else None,
            "ca_match": dict(self.ca_match) if self.ca_match is not None else None,
            "openssl_view": list(self.openssl_view),
            "commands": [{"purpose": p, "command": c} for p, c in self.commands],
            "findings": [f.to_json() for f in self.findings],
        }


_RANK: Mapping[Severity, int] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Collector:
    """Findings by code; a second sighting of a code (the server confirming it) merges into the first."""

    def __init__(self) -> None:
        self._items: dict[Code, tuple[Severity, Evidence]] = {}

    def add(self, code: Code, severity: Severity, evidence: Evidence) -> None:
        if code not in self._items:
            self._items[code] = (severity, evidence)
            return
        old_sev, old_ev = self._items[code]
        extra = {k: v for k, v in evidence.items() if k not in old_ev}
        merged = {**old_ev, **extra, "server": evidence.get("server"), "confirmed_by_server": True}
        best = old_sev if _RANK[old_sev] >= _RANK[severity] else severity
        self._items[code] = (best, merged)

    def findings(self) -> tuple[Finding, ...]:
        return tuple(Finding(code, sev, ev) for code, (sev, ev) in self._items.items())
