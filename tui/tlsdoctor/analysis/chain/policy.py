"""Policy rules on the server's chain that the verifier's yes/no does not spell out: validity, EKU, strict-profile rules.

Each function turns certificates (and the path the issuer links found) into
findings. Pure: the time is a parameter. No verification and no path
building here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from tlsdoctor.analysis.certinfo import CertSummary, describe
from tlsdoctor.analysis.chain.clientpolicy import any_eku_split, eku_split, split_but
from tlsdoctor.analysis.chain.model import Evidence, error_text, who
from tlsdoctor.findings import Code, Finding, Severity


def floor_time(at: dt.datetime) -> dt.datetime:
    """Validity has second granularity (RFC 5280 §4.1.2.5): compare the floored time (naive means UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.replace(microsecond=0)


def _days(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 86400)


def _extensions(cert: x509.Certificate) -> x509.Extensions | BaseException:
    """The certificate's extensions, or why they cannot be read."""
    try:
        return cert.extensions
    except Exception as exc:  # noqa: BLE001 - duplicate, malformed or unsupported extensions: the reason is the evidence
        return exc


def validity_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    anchor: x509.Certificate | None,
    at: dt.datetime,
) -> list[Finding]:
    """Every presented certificate, plus the store anchor the path ends at."""
    checked: list[tuple[int | str, CertSummary, bool]] = [
        (positions[i], summaries[i], i in path) for i in range(len(certs))
    ]
    if anchor is not None:
        checked.append(("anchor", describe(anchor), True))
    findings = []
    for position, summary, used in checked:
        severity = Severity.ERROR if used else Severity.WARNING
        # Java takes the anchor as given (a TrustAnchor has no validity); every other client checks it.
        clients = split_but("java") if position == "anchor" else {}
        if at > summary.not_after:
            findings.append(
                Finding(
                    Code.CERT_EXPIRED,
                    severity,
                    {
                        **who(position, summary),
                        "not_after": summary.not_after.isoformat(),
                        "at": at.isoformat(),
                        "days": _days(at - summary.not_after),
                        "on_path": used,
                        **clients,
                    },
                )
            )
        elif at < summary.not_before:
            findings.append(
                Finding(
                    Code.CERT_NOT_YET_VALID,
                    severity,
                    {
                        **who(position, summary),
                        "not_before": summary.not_before.isoformat(),
                        "at": at.isoformat(),
                        "days": _days(summary.not_before - at),
                        "on_path": used,
                        **clients,
                    },
                )
            )
    return findings


def rule_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    anchor: x509.Certificate | None,
) -> list[Finding]:
    """Certificates on the path that a client cannot even read, and rules only strict verifiers apply."""
    findings: list[Finding] = []
    for i in path:
        extensions = _extensions(certs[i])
        if isinstance(extensions, BaseException):
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.ERROR,
                    {"reason": "malformed-extensions", **who(positions[i], summaries[i]), "error": error_text(extensions)},
                )
            )
    checked_ca: list[tuple[x509.Certificate, Evidence]] = [(certs[i], who(positions[i], summaries[i])) for i in path if i != 0]
    if anchor is not None:
        checked_ca.append((anchor, {"position": "anchor", "subject": anchor.subject.rfc4514_string()}))
    for cert, named in checked_ca:
        extensions = _extensions(cert)
        if isinstance(extensions, BaseException):
            continue
        nc = next((e for e in extensions if e.oid == ExtensionOID.NAME_CONSTRAINTS), None)
        if nc is not None and not nc.critical:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {"reason": "nc-not-critical", **named, "rule": "RFC 5280 4.2.1.10: nameConstraints must be critical"},
                )
            )
    root = anchor if anchor is not None else (certs[path[-1]] if summaries[path[-1]].self_signed and path[-1] != 0 else None)
    if root is not None:
        extensions = _extensions(root)
        has_eku = not isinstance(extensions, BaseException) and any(
            e.oid == ExtensionOID.EXTENDED_KEY_USAGE for e in extensions
        )
        if has_eku:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {"reason": "root-has-eku", "subject": root.subject.rfc4514_string(), "rule": "CA/B Forum BR 7.1.2.1.2: root certificates must not carry extendedKeyUsage"},
                )
            )
    return findings


def eku_findings(summary: CertSummary) -> list[Finding]:
    """Does the server's certificate (`summary` of the leaf) allow serverAuth, as WebPKI clients and Apple platforms require?"""
    server, any_eku = ExtendedKeyUsageOID.SERVER_AUTH.dotted_string, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string
    evidence: Evidence = {"subject": summary.subject, "eku": [{"oid": o, "name": n} for o, n in summary.eku]}
    if not summary.has_eku and any(p.startswith("ExtendedKeyUsage:") for p in summary.problems):
        return []  # unreadable extensions: reported as chain-untrusted "malformed-extensions"
    if not summary.has_eku:
        # Allowed by RFC 5280 and OpenSSL, but Apple platforms and the CA/B Forum require serverAuth.
        return [
            Finding(
                Code.EKU_NO_SERVER_AUTH,
                Severity.WARNING,
                {**evidence, "reason": "no-eku-extension", "rule": "CA/B Forum BR 7.1.2.7.10; Apple TLS requirements (iOS 13, macOS 10.15)"},
            )
        ]
    oids = summary.eku_oids
    if server in oids and any_eku not in oids:
        return []
    if any_eku in oids:
        # With serverAuth beside it every client accepts; alone, OpenSSL and Firefox refuse it.
        with_server = server in oids
        return [
            Finding(
                Code.EKU_NO_SERVER_AUTH,
                Severity.WARNING if with_server else Severity.ERROR,
                {**evidence, "reason": "any-eku", "server_auth": with_server, "rule": "CA/B Forum BR 7.1.2.7.10 (anyExtendedKeyUsage forbidden); rejected by WebPKI verifiers",
                 **(eku_split(True) if with_server else any_eku_split())},
            )
        ]  # fmt: skip
    return [Finding(Code.EKU_NO_SERVER_AUTH, Severity.ERROR, {**evidence, "reason": "no-server-auth", **eku_split(False)})]
