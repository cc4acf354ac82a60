"""The engine of `tlsdoctor inspect`: judge certificate files without any network.

Takes the bytes of `--cert`, `--chain` and `--ca` (PEM or DER), the `--host`
name or IP and an optional `--at` time, and runs the names step (when a host
is given) and the chain step on them. No network: no AIA fetch. Reads the
system trust store only when asked (`use_system_store`); reads the clock only
when `at` is None. Bad input → `BadInput` with one line.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tlsdoctor.analysis.certinfo import check_readable, load_der
from tlsdoctor.analysis.chain import ChainResult, analyse_chain
from tlsdoctor.analysis.names import NamesResult, check_names
from tlsdoctor.diagnosis import Report, build_report
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.steps import StepResult
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Finding, Severity, StepId, worst_status
from tlsdoctor.i18n import _
from tlsdoctor.probe.truststore import system_store
from tlsdoctor.request import WalkOptions
from tlsdoctor.target import Target, parse_target


@dataclass(frozen=True)
class InspectResult:
    target: Target | None
    names: NamesResult | None  # None when no host was given
    chain: ChainResult
    findings: tuple[Finding, ...]
    at: dt.datetime

    @property
    def verdict(self) -> str:
        return "problem" if any(f.severity is Severity.ERROR for f in self.findings) else "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target.to_json() if self.target else None,
            "at": self.at.isoformat(),
            "names": self.names.to_json() if self.names is not None else None,
            "chain": self.chain.to_json(),
            "findings": [f.to_json() for f in self.findings],
            "verdict": self.verdict,
        }


def _load(data: bytes, what: str, *, required: bool) -> list[x509.Certificate]:
    """Certificates from PEM (any number) or one DER certificate."""
    if not data.strip():
        if required:
            raise BadInput(_("{what} is empty").format(what=what))
        return []
    with warnings.catch_warnings():  # odd serials etc. are findings, not noise
        warnings.simplefilter("ignore")
        try:
            if b"-----BEGIN" in data:
                certs = [check_readable(c) for c in x509.load_pem_x509_certificates(data)]
            else:
                certs = [load_der(data)]
        except ValueError as exc:
            raise BadInput(_("{what} is not a PEM or DER certificate ({error})").format(what=what, error=str(exc).splitlines()[0][:120])) from None
    if not certs:
        raise BadInput(_("{what} holds no certificate").format(what=what))
    return certs


def inspect_certificates(
    cert_pem_or_der: bytes,
    *,
    chain: bytes = b"",
    ca: bytes = b"",
    host: str | None,
    at: dt.datetime | None,
    use_system_store: bool = False,
    max_chain_depth: int | None = None,
) -> InspectResult:
    """Names + chain findings for a certificate, its chain file and CA file, at a moment.

    `--cert` may hold the whole chain (leaf first); `--chain` adds more
    intermediates after it. `host=None` skips the names step.
    """
    certs = _load(cert_pem_or_der, "--cert", required=True)
    certs += _load(chain, "--chain", required=False)
    anchors_list = _load(ca, "--ca", required=False)
    target = parse_target(host) if host is not None else None
    when = at if at is not None else dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)

    stores: dict[str, tuple[x509.Certificate, ...]] = {}
    sources: dict[str, tuple[str, ...]] = {}
    load_ms: dict[str, float] = {}
    if use_system_store:
        stores["system"], sources["system"], load_ms["system"] = system_store()
    if anchors_list or not use_system_store:
        stores["custom"] = tuple(anchors_list)
        sources["custom"] = ("--ca",) if anchors_list else ()
    anchors = TrustAnchors(stores=stores, sources=sources, load_ms=load_ms)

    presented = [c.public_bytes(serialization.Encoding.DER) for c in certs]
    chain_result = analyse_chain(presented, target=target, at=when, anchors=anchors, max_chain_depth=max_chain_depth)
    names = check_names(certs[0], target) if target is not None else None
    findings = (names.findings if names is not None else ()) + chain_result.findings
    return InspectResult(target=target, names=names, chain=chain_result, findings=findings, at=when)


def inspect_report(
    cert: bytes, *, chain: bytes = b"", ca: bytes = b"", host: str, at: dt.datetime, use_system_store: bool = False, lang: str = "en"
) -> Report:
    """`inspect` as a report (the names and chain steps): what `tlsdoctor inspect` prints and the app shows."""
    result = inspect_certificates(cert, chain=chain, ca=ca, host=host, at=at, use_system_store=use_system_store)
    steps = []
    if result.names is not None:
        steps.append(StepResult(StepId.NAMES, worst_status(result.names.findings), result.names, tuple(result.names.findings)))
    steps.append(StepResult(StepId.CHAIN, worst_status(result.chain.findings), result.chain, tuple(result.chain.findings)))
    assert result.target is not None
    return build_report(result.target, steps, WalkOptions(target=result.target, lang=lang), at)
