"""What the chain step returns: links, per-store verdicts, the result, and the evidence shapes they share.

Plain data and small helpers over it: no verification (verify.py), no path
building (links.py), no findings logic (explain.py, policy.py), no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.facts.trust import STORE_CLIENTS
from tlsdoctor.findings import Finding, Severity

MAX_PRESENTED = 16  # certificates analysed per chain; more are counted, not parsed

_SHA256 = hashes.SHA256()

Evidence = dict[str, object]  # a finding's JSON-ready evidence


@dataclass(frozen=True)
class Link:
    """Is presented certificate `child` issued by presented certificate `parent` (the next one sent)?"""

    child: int
    parent: int
    name_match: bool  # child's issuer name equals parent's subject
    key_id_match: bool | None  # child's AKI equals parent's SKI (None: one is absent)
    signature_ok: bool

    @property
    def ok(self) -> bool:
        return self.name_match and self.signature_ok

    def to_json(self) -> dict[str, object]:
        return {
            "child": self.child,
            "parent": self.parent,
            "name_match": self.name_match,
            "key_id_match": self.key_id_match,
            "signature_ok": self.signature_ok,
        }


@dataclass(frozen=True)
class StoreVerdict:
    """cryptography's verdict for one trust store, host name left out (see `chain.verify`)."""

    store: str
    anchors: int
    ok: bool
    error: str | None
    chain: tuple[tuple[str, str], ...] = ()  # (sha256 hex, subject) leaf first
    server_error: str | None = None  # build_server_verifier(target) error, None when it passed or was not run
    with_fetched: bool | None = None  # verdict when AIA-fetched intermediates are added (None: nothing fetched)
    lenient_ok: bool | None = None  # when rejected: would RFC 5280 / OpenSSL-style rules accept it?

    def to_json(self) -> dict[str, object]:
        return {
            "store": self.store,
            "clients": list(STORE_CLIENTS.get(self.store, ())),
            "anchors": self.anchors,
            "ok": self.ok,
            "error": self.error,
            "chain": [{"sha256": fp, "subject": subject} for fp, subject in self.chain],
            "server_error": self.server_error,
            "with_fetched": self.with_fetched,
            "lenient_ok": self.lenient_ok,
        }


@dataclass(frozen=True)
class ChainResult:
    """Everything step 6 learned about the presented chain."""

    presented: tuple[CertSummary, ...]
    parse_errors: tuple[tuple[int, str], ...]
    presented_count: int  # as sent (may exceed MAX_PRESENTED)
    links: tuple[Link, ...]
    path: tuple[int, ...]  # presented positions that link leaf → top, in linking order
    verdicts: tuple[StoreVerdict, ...]
    findings: tuple[Finding, ...]
    aia_attempts: tuple[dict[str, object], ...] = ()  # AiaFetch.to_json() of each caIssuers fetch

    @property
    def verdict(self) -> str:
        return "problem" if any(f.severity is Severity.ERROR for f in self.findings) else "ok"

    def verdict_for(self, store: str) -> StoreVerdict | None:
        return next((v for v in self.verdicts if v.store == store), None)

    def to_json(self) -> dict[str, object]:
        return {
            "presented": [s.to_json() for s in self.presented],
            "parse_errors": [{"position": i, "error": e} for i, e in self.parse_errors],
            "presented_count": self.presented_count,
            "analysed": len(self.presented),
            "links": [link.to_json() for link in self.links],
            "path": list(self.path),
            "verdicts": [v.to_json() for v in self.verdicts],
            "aia": list(self.aia_attempts),
            "findings": [f.to_json() for f in self.findings],
        }


def fingerprint(cert: x509.Certificate) -> str:
    """Hex SHA-256 of the certificate's DER: how the chain step names a certificate."""
    return cert.fingerprint(_SHA256).hex()


def who(position: int | str, summary: CertSummary) -> Evidence:
    """The evidence that names one certificate: where it was sent (or "anchor"), its subject and hash."""
    return {"position": position, "subject": summary.subject, "sha256": summary.sha256}


def error_text(exc: BaseException) -> str:
    """An exception as one line of evidence (its class name when it has no message)."""
    return str(exc) or type(exc).__name__
