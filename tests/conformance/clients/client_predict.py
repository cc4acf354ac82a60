"""What tlsdoctor predicts for each client: the names step's matrix and the chain step's per-client findings.

The prediction is the product's own: `inspect_certificates` (the engine of
`tlsdoctor inspect`: the names step and the chain step on the certificates the
server sends, the case's anchors as `--ca`, the clock now). A client column
refuses when the names matrix says so, or when a chain finding of severity
error names it: a finding that splits the clients (`evidence["clients"]` and
`evidence["accepting"]`: weak-key, weak-signature, name-constraints …) counts
for the clients it lists; any other error counts for every client.
"""

from __future__ import annotations

from dataclasses import dataclass

from client_cases import Served
from cryptography.hazmat.primitives import serialization

from tlsdoctor.findings import Severity
from tlsdoctor.offline import InspectResult, inspect_certificates


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


@dataclass(frozen=True)
class Prediction:
    """tlsdoctor's word on one column; `versioned` rules apply from a client version on."""

    column: str
    reasons: tuple[str, ...]  # why it refuses, whatever its version: "names: <note>", chain finding codes
    versioned: tuple[tuple[str, str, bool], ...] = ()  # (label, since version, refuses from then on)
    model_only: bool = False

    def for_release(self, release: str | None) -> tuple[bool, tuple[str, ...]]:
        """(accepts, why it refuses) for a client of this release (None: the baseline)."""
        reasons = list(self.reasons)
        for label, since, refuses in self.versioned:
            newer = release is not None and _release(release) >= _release(since)
            if newer == refuses:  # refuses from `since` on, or refused only before it
                reasons.append(f"{label} [{'since' if newer else 'before'} {since}]")
        return not reasons, tuple(reasons)

    @property
    def accepts(self) -> bool:
        return self.for_release(None)[0]


def _pem(served: Served) -> tuple[bytes, bytes]:
    sent = (served.leaf.cert, *served.chain)
    return (
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in sent),
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in served.trust),
    )


def inspect_served(served: Served) -> InspectResult:
    """tlsdoctor's own verdict on what the case serves, for the host the client asks for."""
    cert, ca = _pem(served)
    return inspect_certificates(cert, ca=ca, host=served.host, at=None)


def _label(code: str, evidence: dict[str, object]) -> str:
    reason = evidence.get("reason")
    return f"{code} ({reason})" if isinstance(reason, str) else code


def predictions(result: InspectResult) -> dict[str, Prediction]:
    """One prediction per column of the names matrix."""
    assert result.names is not None
    out: dict[str, Prediction] = {}
    for verdict in result.names.clients:
        column = verdict.client
        reasons: list[str] = []
        versioned: list[tuple[str, str, bool]] = []
        if verdict.versions:  # `accepts` holds from `since` on; before it the client decides the other way
            versioned.append((f"names: {verdict.note}", verdict.versions["since"], not verdict.accepts))
        elif not verdict.accepts:
            reasons.append(f"names: {verdict.note}")
        for finding in result.chain.findings:
            evidence = dict(finding.evidence)
            label = _label(finding.code.value, evidence)
            if "accepting" not in evidence:  # not split by client: an error stops every client
                if finding.severity is Severity.ERROR:
                    reasons.append(label)
                continue
            refusing = evidence.get("clients")
            versions = evidence.get("versions")
            rule = versions.get(column) if isinstance(versions, dict) else None
            if isinstance(rule, dict):  # the version decides (the clients list holds the older behaviour)
                versioned.append((label, str(rule["since"]), bool(rule["refuses"])))
            elif isinstance(refusing, list) and column in refusing:
                reasons.append(label)
        out[column] = Prediction(column, tuple(dict.fromkeys(reasons)), tuple(versioned), verdict.model_only)
    return out
