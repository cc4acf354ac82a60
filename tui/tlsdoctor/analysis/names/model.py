"""What the names step returns: the result dataclasses and their JSON shape.

Data only: no matching rules, no rendering, no I/O. Certificate text is kept
exactly as presented (`SanVerdict.value`); renderers make it safe. The
`to_json()` shapes are part of the report's JSON contract: extend, never rename.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from tlsdoctor.findings import Finding

IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


class SanKind(StrEnum):
    DNS = "dns"
    IP = "ip"
    URI = "uri"
    EMAIL = "email"
    CN = "cn"
    OTHER = "other"


class Verdict(StrEnum):
    """`invalid`: a presented identifier RFC 9525 / the BRs say MUST be ignored."""

    MATCH = "match"
    NO_MATCH = "no-match"
    INVALID = "invalid"


@dataclass(frozen=True)
class LabelDiff:
    """One row of the label diff. Rows are paired from the right (TLD with TLD)
    and stored in display order, left-most label first; None = no label there."""

    presented: str | None
    reference: str | None
    same: bool

    def to_json(self) -> dict[str, object]:
        return {"presented": self.presented, "reference": self.reference, "same": self.same}


@dataclass(frozen=True)
class SanVerdict:
    kind: SanKind
    value: str  # exactly as in the certificate (untrusted text, unmodified)
    normalised: str | None  # lower-case A-label / canonical IP text
    verdict: Verdict
    reason: str  # a code of tlsdoctor.reasons
    detail: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    similarity: float = 0.0
    labels: tuple[LabelDiff, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "value": self.value,
            "normalised": self.normalised,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "detail": dict(self.detail),
            "similarity": round(self.similarity, 4),
            "labels": [row.to_json() for row in self.labels],
        }


@dataclass(frozen=True)
class ClientVerdict:
    """Would this client accept the certificate for the target? `note` is a reason code.
    `model_only`: no real client checks this column (the browsers), its documented rules only;
    `checked_with`: the real client (and version) the conformance suite checked it against;
    `versions`: from which version on `accepts` holds, when older versions decide the other way."""

    client: str
    accepts: bool
    note: str
    model_only: bool = False
    checked_with: str | None = None
    versions: Mapping[str, str] | None = None  # {"since": "1.20", "why": "…"}

    def to_json(self) -> dict[str, object]:
        return {
            "client": self.client,
            "accepts": self.accepts,
            "note": self.note,
            "model_only": self.model_only,
            "checked_with": self.checked_with,
            "versions": dict(self.versions) if self.versions else None,
        }


@dataclass(frozen=True)
class AddressVerdict:
    """One address the client may reach, and what its certificate is worth for the name.

    `matched` is the RFC 9525 verdict on that address's leaf (None: no certificate
    came from it, `error` says why); `ok` adds the chain and the asked clients'
    rules (no error finding on that certificate). `on_path`: the client itself may
    connect there (not only clients without its pin or hosts line)."""

    address: str
    on_path: bool
    leaf_sha256: str | None = None
    subject: str | None = None
    matched: bool | None = None
    ok: bool | None = None
    closest: str | None = None
    problems: tuple[str, ...] = ()  # codes of the error findings on this certificate
    rejected_by: tuple[str, ...] = ()  # clients whose name rules refuse this certificate
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "address": self.address,
            "on_path": self.on_path,
            "matched": self.matched,
            "ok": self.ok,
            "leaf_sha256": self.leaf_sha256,
            "subject": self.subject,
            "closest": self.closest,
            "problems": list(self.problems),
            "rejected_by": list(self.rejected_by),
            "error": self.error,
        }


@dataclass(frozen=True)
class NamesResult:
    reference: str  # ascii host, no trailing dot
    display_reference: str
    is_ip: bool
    verdicts: tuple[SanVerdict, ...]  # every SAN, then every CN, in certificate order
    matched: bool  # the RFC 9525 verdict
    closest: SanVerdict | None
    common_names: tuple[str, ...]
    clients: tuple[ClientVerdict, ...]
    findings: tuple[Finding, ...]
    trailing_dot: bool = False  # the user wrote `name.`; see the client matrix
    san_error: str | None = None  # the SAN extension could not be decoded
    addresses: tuple[AddressVerdict, ...] = ()  # a verdict per address (the walk; empty for `inspect`)

    def to_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "display_reference": self.display_reference,
            "is_ip": self.is_ip,
            "trailing_dot": self.trailing_dot,
            "matched": self.matched,
            "closest": self.closest.to_json() if self.closest else None,
            "common_names": list(self.common_names),
            "verdicts": [v.to_json() for v in self.verdicts],
            "clients": [c.to_json() for c in self.clients],
            "findings": [f.to_json() for f in self.findings],
            "san_error": self.san_error,
            "addresses": [a.to_json() for a in self.addresses],
        }
