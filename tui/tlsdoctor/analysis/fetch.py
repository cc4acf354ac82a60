"""What the fetch step concludes from the handshakes: faults, the default-vhost trap, divergent addresses.

Pure: takes the `Handshake`s the probe recorded and the addresses the client
really uses; no I/O, no clock. Certificates are compared by the SHA-256 of
their DER, never by name. It also picks the `primary` handshake, the one whose
chain the names and chain steps examine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from tlsdoctor.facts.tls import FetchError, Handshake, SniMode
from tlsdoctor.findings import Code, Finding, Severity

_FAULT_CODES: dict[FetchError, Code] = {
    FetchError.REFUSED: Code.CONNECT_REFUSED,
    FetchError.TIMEOUT: Code.CONNECT_TIMEOUT,
    FetchError.UNREACHABLE: Code.CONNECT_TIMEOUT,  # no route: the client hangs or fails like a timeout
    FetchError.NOT_TLS: Code.NOT_TLS,
    FetchError.RESET: Code.HANDSHAKE_FAILED,
    FetchError.HANDSHAKE: Code.HANDSHAKE_FAILED,
    FetchError.STARTTLS_REFUSED: Code.STARTTLS_REFUSED,
}
_FAULT_ORDER = (Code.CONNECT_REFUSED, Code.CONNECT_TIMEOUT, Code.STARTTLS_REFUSED, Code.NOT_TLS, Code.HANDSHAKE_FAILED)

# OpenSSL's default limit on the certificate list a client accepts (SSL_CTX_set_max_cert_list:
# 100 kB). Clients built on OpenSSL (curl, Python, Node, git, wget) refuse a larger one with
# "excessive message size"; the probe cannot raise it (pyOpenSSL does not expose the call),
# so it sees exactly what those clients see.
CLIENT_CERT_LIST_LIMIT = 102_400
OFFERED_VERSIONS = ("TLSv1.2", "TLSv1.3")  # what the probe offers, as modern clients do
ALERT_NAMES = {  # RFC 8446 6 / RFC 5246 7.2
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
    40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
    44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
    47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
    51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
    86: "inappropriate_fallback", 90: "user_canceled", 109: "missing_extension",
    110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
    115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
}
_RECORD_ERRORS = ("bad record type", "record layer failure", "wrong version number", "bad record mac",
                  "decryption failed", "record overflow", "unexpected record", "packet length too long",
                  "unexpected message", "decode error", "length mismatch", "bad packet length")


@dataclass(frozen=True)
class FetchView:
    """The fetch step's result: every handshake, the one to analyse further, and the findings."""

    handshakes: tuple[Handshake, ...]
    primary: Handshake | None
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "handshakes": handshakes_json(self.handshakes),
            "primary": _ref(self.primary) if self.primary is not None else None,
            "findings": [f.to_json() for f in self.findings],
        }


def handshakes_json(handshakes: Sequence[Handshake]) -> list[dict[str, Any]]:
    """Each handshake's JSON, each chain's PEM once: a handshake that received the same chain
    as an earlier one has `chain_pem: []` and `chain_pem_from`, the index of the handshake
    that carries it (null on the one that does). Three SNI modes on one address used to
    repeat the same certificates three times (issue 13; docs/DESIGN.md)."""
    first: dict[tuple[str, ...], int] = {}
    out = []
    for index, handshake in enumerate(handshakes):
        chain = handshake.chain_sha256
        carrier = first.setdefault(chain, index) if chain else index
        data = handshake.to_json() if carrier == index else handshake.to_json(with_pem=False)
        data["chain_pem_from"] = None if carrier == index else carrier
        out.append(data)
    return out


def _ref(handshake: Handshake) -> dict[str, Any]:
    return {"address": handshake.address, "port": handshake.port, "sni_mode": handshake.sni_mode.value}


def leaf_fingerprint(handshake: Handshake) -> str | None:
    """Hex SHA-256 of the presented leaf's DER (None when nothing was presented)."""
    return hashlib.sha256(handshake.presented_chain[0]).hexdigest() if handshake.presented_chain else None


def leaf_subject(handshake: Handshake) -> str | None:
    """The leaf's subject as RFC 4514 text, exactly as encoded (None if it does not parse)."""
    if not handshake.presented_chain:
        return None
    try:
        return x509.load_der_x509_certificate(handshake.presented_chain[0]).subject.rfc4514_string()
    except ValueError:
        return None


def choose_primary(handshakes: Sequence[Handshake], used_addresses: Sequence[str]) -> Handshake | None:
    """The SNI handshake the client would make: on the first address it really uses that
    succeeded, else any successful SNI one, else any successful one, else a failed
    SNI one that still received the server's chain."""
    sni_ok = [h for h in handshakes if h.ok and h.sni_mode == SniMode.SNI and h.presented_chain]
    for address in used_addresses:
        for handshake in sni_ok:
            if handshake.address == address:
                return handshake
    if sni_ok:
        return sni_ok[0]
    any_ok = next((h for h in handshakes if h.ok and h.presented_chain), None)
    if any_ok is not None:
        return any_ok
    # A TLS 1.2 server that wants a client certificate fails the handshake after
    # sending its own chain: that chain can still be examined.
    return next((h for h in handshakes if h.sni_mode == SniMode.SNI and h.presented_chain), None)


def analyse_fetch(handshakes: Sequence[Handshake], *, used_addresses: Sequence[str]) -> FetchView:
    handshakes = tuple(handshakes)
    findings = [
        *_fault_findings(handshakes),
        *_sni_default_findings(handshakes),
        *_divergent_findings(handshakes),
    ]
    return FetchView(
        handshakes=handshakes,
        primary=choose_primary(handshakes, used_addresses),
        findings=tuple(findings),
    )


def _fault_findings(handshakes: tuple[Handshake, ...]) -> list[Finding]:
    """One finding per fault code, listing every failed attempt.

    Only handshake-phase failures count here (`ok` is False); what happens
    after a completed handshake (a TLS 1.3 client-certificate rejection, an
    HTTP answer) belongs to the client step. An error when the SNI handshake
    itself failed (what every modern client does); a warning when only the
    no-SNI or bogus-SNI attempts failed (only old clients are hit).
    """
    groups: dict[Code, list[Handshake]] = {}
    for handshake in handshakes:
        if handshake.ok or handshake.error is None:
            continue
        groups.setdefault(_FAULT_CODES[handshake.error], []).append(handshake)
    findings = []
    for code in _FAULT_ORDER:
        failed = groups.get(code)
        if not failed:
            continue
        severity = Severity.ERROR if any(h.sni_mode == SniMode.SNI for h in failed) else Severity.WARNING
        evidence: dict[str, Any] = {
            "addresses": list(dict.fromkeys(h.address for h in failed)),
            "port": failed[0].port,
            "attempts": [
                {
                    "address": h.address,
                    "port": h.port,
                    "sni_mode": h.sni_mode.value,
                    "server_name": h.server_name,
                    "error": h.error.value if h.error else None,
                    "detail": h.error_detail,
                    "alert": h.alert,
                    "alert_during": h.alert_during,
                    "certificate_requested": h.certificate_requested,
                    "elapsed_ms": round(h.elapsed_ms, 1),
                    "phase": h.phase,
                    **attempt_reason(h),
                }
                for h in failed
            ],
        }
        alerts = sorted({h.alert for h in failed if h.alert is not None})
        if alerts:
            evidence["alerts"] = alerts
        if code is Code.STARTTLS_REFUSED:  # the server's own words, one line, as it said them
            first = failed[0]
            evidence.update(protocol=first.starttls, reason=f"starttls-{first.starttls_reason}", server_said=first.error_detail)
        findings.append(Finding(code, severity, evidence))
    return findings


def attempt_reason(handshake: Handshake) -> dict[str, Any]:
    """Name what happened to one failed attempt, as evidence keys (a slug plus the facts behind it).

    `reason`: "protocol-version" (no common TLS version), "message-too-large" (a
    handshake message, in practice the certificate list, over the size OpenSSL
    clients accept), "malformed-record" (bytes that are no valid TLS record
    mid-handshake), "alert" (the peer sent an alert), "no-answer-in-time",
    "peer-closed"; absent when nothing more specific is known.
    """
    detail = (handshake.error_detail or "").lower()
    out: dict[str, Any] = {}
    if handshake.alert is not None:
        out["alert_name"] = ALERT_NAMES.get(handshake.alert, f"alert_{handshake.alert}")
    if handshake.alert == 70 or "protocol version" in detail or "unsupported protocol" in detail:
        out.update(reason="protocol-version", offered_versions=list(OFFERED_VERSIONS))
    elif "excessive message size" in detail:
        out.update(reason="message-too-large", client_limit_bytes=CLIENT_CERT_LIST_LIMIT)
    elif handshake.error is FetchError.STARTTLS_REFUSED:
        out.update(reason=f"starttls-{handshake.starttls_reason}", protocol=handshake.starttls)
    elif handshake.error is FetchError.TIMEOUT and handshake.phase == "preamble":
        out.update(reason="starttls-no-answer", protocol=handshake.starttls)
    elif handshake.error is FetchError.TIMEOUT:
        out["reason"] = "no-answer-in-time"
    elif handshake.alert is not None:
        out["reason"] = "alert"
    elif handshake.error is FetchError.HANDSHAKE and any(r in detail for r in _RECORD_ERRORS):
        out["reason"] = "malformed-record"
    elif handshake.error is FetchError.RESET:
        out["reason"] = "peer-closed"
    return out


def _sni_default_findings(handshakes: tuple[Handshake, ...]) -> list[Finding]:
    """The no-SNI (or unknown-SNI) client gets another certificate than the SNI client.

    One finding per distinct (SNI leaf, default leaf) pair, listing the
    addresses and modes where it happens. Only when SNI really carried a name.
    """
    sni_by_address: dict[str, Handshake] = {}
    for handshake in handshakes:
        if handshake.ok and handshake.sni_mode == SniMode.SNI and handshake.server_name and handshake.presented_chain:
            sni_by_address.setdefault(handshake.address, handshake)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for handshake in handshakes:
        if not handshake.ok or handshake.sni_mode == SniMode.SNI or not handshake.presented_chain:
            continue
        sni = sni_by_address.get(handshake.address)
        if sni is None:
            continue
        sni_fp, default_fp = leaf_fingerprint(sni), leaf_fingerprint(handshake)
        if sni_fp == default_fp or sni_fp is None or default_fp is None:
            continue
        entry = pairs.setdefault(
            (sni_fp, default_fp),
            {
                "address": handshake.address,
                "port": handshake.port,
                "server_name": sni.server_name,
                "sni_sha256": sni_fp,
                "sni_subject": leaf_subject(sni),
                "default_sha256": default_fp,
                "default_subject": leaf_subject(handshake),
                "addresses": [],
                "modes": [],
            },
        )
        if handshake.address not in entry["addresses"]:
            entry["addresses"].append(handshake.address)
        if handshake.sni_mode.value not in entry["modes"]:
            entry["modes"].append(handshake.sni_mode.value)
    return [Finding(Code.SNI_DEFAULT_CERT, Severity.WARNING, evidence) for evidence in pairs.values()]


def _divergent_findings(handshakes: tuple[Handshake, ...]) -> list[Finding]:
    """Addresses of one name present different leaf certificates to the SNI client."""
    per_address: dict[str, Handshake] = {}
    for handshake in handshakes:
        if handshake.ok and handshake.sni_mode == SniMode.SNI and handshake.presented_chain:
            per_address.setdefault(handshake.address, handshake)
    fingerprints = {leaf_fingerprint(h) for h in per_address.values()}
    if len(fingerprints) < 2:
        return []
    evidence = {
        "port": next(iter(per_address.values())).port,
        "distinct": len(fingerprints),
        "certificates": [
            {"address": address, "sha256": leaf_fingerprint(h), "subject": leaf_subject(h)}
            for address, h in per_address.items()
        ],
    }
    return [Finding(Code.IP_DIVERGENT_CERTS, Severity.ERROR, evidence)]
