"""The per-client matrix: every model of `clients` run on one certificate, and
for each refusal the sharpest reason a person can act on.

Runs the rules; does not define them (that is `clients`) and raises no
findings (that is `findings`). No I/O.
"""

from __future__ import annotations

from dataclasses import replace

from tlsdoctor.analysis.names.client_notes import MODEL_ONLY, checked_with
from tlsdoctor.analysis.names.clients import CLIENT_RULES, ClientRule
from tlsdoctor.analysis.names.identifiers import Presented, Reference
from tlsdoctor.analysis.names.matching import lower_ascii, v4_mapped
from tlsdoctor.analysis.names.model import ClientVerdict, SanKind, SanVerdict, Verdict


def cannot_match(pattern: str, host: str) -> bool:
    """A quick, safe reject shared by the client rules (thousands of SANs): with no
    `*` and no Unicode, every client compares literally (case and trailing
    dots aside), so a name that differs after that cannot match anywhere."""
    return "*" not in pattern and pattern.isascii() and lower_ascii(pattern).rstrip(".") != host


def _rejection_note(rule: ClientRule, p: Presented, ref: Reference, general: str) -> str:
    """Why a client refuses: the trailing dot or its IDNA 2003 conversion when that alone decides, else `general`."""
    if ref.trailing_dot and rule(p, replace(ref, trailing_dot=False))[0]:
        return "trailing-dot"
    if ref.idna2003 and rule(p, replace(ref, idna2003=None))[0]:
        return "idna2003"
    return general


def _general_rejection(p: Presented, ref: Reference, verdicts: tuple[SanVerdict, ...]) -> str:
    """The sharpest client-independent reason a refusing client has, else `no-match`."""
    if ref.ip is not None:
        if any(v.kind is SanKind.DNS and v.detail.get("same_address") == "yes" for v in verdicts):
            return "ip-vs-dns"
        if any(v4_mapped(ip, ref.ip) for ip in p.ips):
            return "ip-v4-mapped"
    if any(v.kind is SanKind.CN and v.detail.get("legacy") == "match" for v in verdicts):
        return "cn-ignored-san-present" if (p.dns or p.ips) else "cn-only"
    for v in verdicts:
        if v.kind is SanKind.DNS and v.verdict is Verdict.INVALID and v.detail.get("would_match") == "yes":
            return v.reason
    return "no-match"


def _versions(client: str, p: Presented, ref: Reference, accepts: bool) -> dict[str, str] | None:
    """Where an older release of the client decides the other way (the model follows the newer one)."""
    if client == "go" and not accepts and ref.ip is None and "." not in ref.host and "*" in p.dns:
        # Go 1.19 (checked) matches a bare `*` to a one-label host; the current source refuses it
        # (validHostname: "Bare wildcards are not allowed"). The release in between is not pinned: 1.20 assumed.
        return {"since": "1.20", "why": "bare-wildcard"}
    return None


def client_verdicts(p: Presented, ref: Reference, verdicts: tuple[SanVerdict, ...]) -> tuple[ClientVerdict, ...]:
    """One verdict per client of `CLIENT_RULES`, in its order."""
    p = replace(p, candidates=tuple(d for d in p.dns if not cannot_match(d, ref.host)))
    general: str | None = None
    out = []
    for client, rule in CLIENT_RULES.items():
        accepts, note = rule(p, ref)
        if not accepts:
            if general is None:
                general = _general_rejection(p, ref, verdicts)
            note = _rejection_note(rule, p, ref, general)
        out.append(
            ClientVerdict(
                client, accepts, note, model_only=client in MODEL_ONLY, checked_with=checked_with(client), versions=_versions(client, p, ref, accepts)
            )
        )
    return tuple(out)
