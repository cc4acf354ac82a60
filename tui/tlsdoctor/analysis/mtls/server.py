"""What a real server said about the client certificate: TLS alerts, silent closes and HTTP rejections → `mtls-*` findings.

Pure: reads a recorded `Handshake` (facts.tls); makes no connection. Alert
names come from the one table, `facts.alerts`.

Code choices where the contract was silent:
- Alert 45 certificate_expired is `mtls-bad-certificate` with
  `reason: "expired"` (as an expired client certificate found before
  connecting is: `cert-expired` belongs to the chain step).
- Alert 49 access_denied ("valid certificate, but access was denied") is
  `mtls-identity-mismatch` with `reason: "access-denied"`: the TLS layer
  accepted the certificate, the identity was refused.
- Alert 44 certificate_revoked, 42 bad_certificate, 46 certificate_unknown and
  any other alert after a client certificate was sent are
  `mtls-bad-certificate` with the alert in evidence.
"""

from __future__ import annotations

from tlsdoctor.analysis.mtls.cas import ca_comparison, issuer_in_file
from tlsdoctor.analysis.mtls.model import Collector, Evidence, HandshakeSummary
from tlsdoctor.analysis.token import TokenView
from tlsdoctor.facts.alerts import ALERT_NAMES
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.facts.tls import Handshake
from tlsdoctor.findings import Code, Severity

# Fetch errors that mean the server was never reached: the fetch step reports those.
_NOT_REACHED = frozenset({"refused", "timeout", "unreachable", "not-tls"})


def _alert_name(h: Handshake) -> str | None:
    return ALERT_NAMES.get(h.alert) if h.alert is not None else None


def handshake_summary(h: Handshake) -> HandshakeSummary:
    """The parts of a handshake that matter for client authentication (no certificates)."""
    return {
        "address": h.address,
        "port": h.port,
        "server_name": h.server_name,
        "ok": h.ok,
        "protocol": h.protocol,
        "error": str(h.error) if h.error is not None else None,
        "error_detail": h.error_detail,
        "alert": h.alert,
        "alert_name": _alert_name(h),
        "alert_during": h.alert_during,
        "certificate_requested": h.certificate_requested,
        "acceptable_client_cas": list(h.acceptable_client_cas),
        "client_cert_sent": h.client_cert_sent,
        "http_status": h.http_status,
        "http_reason": h.http_reason,
        "http_body_excerpt": h.http_body_excerpt,
    }


def _server_evidence(h: Handshake, **extra: object) -> Evidence:
    ev: Evidence = {
        "alert": h.alert,
        "alert_name": _alert_name(h),
        "alert_during": h.alert_during,
        "protocol": h.protocol,
        "client_cert_sent": h.client_cert_sent,
        "acceptable_client_cas": list(h.acceptable_client_cas),
    }
    if h.http_status is not None:
        ev.update(http_status=h.http_status, http_reason=h.http_reason, http_body_excerpt=h.http_body_excerpt)
    return {**extra, "server": ev}


def _http_text(h: Handshake) -> str:
    return " ".join(x for x in (h.http_reason, h.http_body_excerpt) if x).casefold()


def _alert(view: ClientCertView | None, h: Handshake, alert: int, out: Collector) -> None:
    """A TLS alert from the server, read against what we sent."""
    sent = view is not None and h.client_cert_sent
    cas = list(h.acceptable_client_cas)
    if alert == 116 or (alert == 40 and h.certificate_requested and not sent):
        out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
    elif view is None:
        if h.certificate_requested:
            out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
    elif alert == 48:
        comparison = ca_comparison(view, cas)
        if not issuer_in_file(view) and not comparison["leaf_issuer_accepted"]:
            out.add(
                Code.MTLS_CHAIN_INCOMPLETE,
                Severity.ERROR,
                _server_evidence(h, missing_issuer=view.leaf.issuer.rfc4514_string(), **comparison),
            )
        else:
            out.add(Code.MTLS_UNKNOWN_CA, Severity.ERROR, {**comparison, **_server_evidence(h)})
    elif alert == 43:
        out.add(Code.MTLS_EKU_NO_CLIENT_AUTH, Severity.ERROR, _server_evidence(h))
    elif alert == 45:
        out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {"reason": "expired", **_server_evidence(h)})
    elif alert == 49:
        out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, {"reason": "access-denied", **_server_evidence(h)})
    elif alert in (42, 44, 46) or h.certificate_requested:
        reason = ALERT_NAMES.get(alert, str(alert)).replace("_", "-")
        out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {"reason": reason, **_server_evidence(h)})


def _http_rejection(sent: bool, h: Handshake, status: int, token: TokenView | None, out: Collector) -> None:
    """An HTTP error after a completed handshake (nginx's 495/496, 401/403 from the application)."""
    cas = list(h.acceptable_client_cas)
    text = _http_text(h)
    if status == 496 or (status == 400 and "no required ssl certificate" in text):
        out.add(
            Code.MTLS_CERT_REQUIRED,
            Severity.ERROR,
            {"server_kind": "nginx", **_server_evidence(h, acceptable_client_cas=cas)},
        )
    elif status == 495 or (status == 400 and "ssl certificate error" in text):
        evidence = {"reason": "http-400", "server_kind": "nginx", **_server_evidence(h)}
        out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, evidence)
    elif status in (401, 403) and not sent and h.certificate_requested:
        out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
    elif status == 401 and token is not None and "invalid_token" in text:
        out.add(Code.MTLS_CNF_MISMATCH, Severity.ERROR, {"token": token.reference, **_server_evidence(h)})
    elif status in (401, 403) and sent:
        out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, {"reason": f"http-{status}", **_server_evidence(h)})


def interpret(view: ClientCertView | None, h: Handshake, token: TokenView | None, out: Collector) -> None:
    """Add what the server's reaction says about our client certificate (or its absence) to `out`."""
    if h.error is not None and str(h.error) in _NOT_REACHED:
        return  # never reached TLS: the fetch step owns that
    sent = view is not None and h.client_cert_sent

    if h.alert is not None:
        _alert(view, h, h.alert, out)
        return

    closed = h.error is not None and str(h.error) == "reset" and h.http_status is None
    if closed and h.certificate_requested:
        silent = {"reason": "closed-without-alert", "note": "server closed without an alert (Node-style server)"}
        if sent:
            out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {**silent, **_server_evidence(h)})
        else:
            evidence = {**silent, **_server_evidence(h, acceptable_client_cas=list(h.acceptable_client_cas))}
            out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, evidence)
        return

    if h.http_status is not None and h.http_status >= 400:
        _http_rejection(sent, h, h.http_status, token, out)
