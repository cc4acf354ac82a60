"""Rules for mutual TLS: alerts by number, server-side logs, key pairs and RFC 8705 token binding.

The alert names as each client prints them are `alerts.ALERT_RULES`; here are
their numeric forms (`SSL alert number 48`, `error:0A000418`), what servers log
when a client certificate is missing or wrong, and the classifiers that read
whose certificate a server-side message is about. Data: this module must not
match text or do I/O.
"""

from __future__ import annotations

import re

from tlsdoctor.explain.classify import by_number
from tlsdoctor.explain.rule import Classifier, Rule, Weighted
from tlsdoctor.explain.rules.codes import (
    ALERT_CODES,
    CLIENT_VERIFY_CODES,
    UNTRUSTED_OR_INCOMPLETE,
    VERIFY_CODES,
)
from tlsdoctor.findings import Code as C


def _alert_by_openssl_code(m: re.Match[str]) -> Weighted:
    """`error:0A000418` / `error:14094418`: SSL reason 1000+N is "alert N received"."""
    reason = int(m.group("reason"), 16) - 1000
    return tuple((code, w * 0.8) for code, w in ALERT_CODES.get(reason, ()))


_client_verify_number = by_number("num", 1.0, CLIENT_VERIFY_CODES)


def _nginx_client_verify(m: re.Match[str]) -> Weighted:
    return _client_verify_number(m) or ((C.MTLS_BAD_CERTIFICATE, 1.5),)


def _go_client_verify(m: re.Match[str]) -> Weighted:
    """A Go server failed to verify the CLIENT certificate: the x509 text is about it."""
    inner = (m.group("inner") or "").lower()
    if "unknown authority" in inner:
        return ((C.MTLS_UNKNOWN_CA, 2.0), (C.MTLS_CHAIN_INCOMPLETE, 1.0))
    if "incompatible key usage" in inner:
        return ((C.MTLS_EKU_NO_CLIENT_AUTH, 2.0),)
    return ((C.MTLS_BAD_CERTIFICATE, 2.0),)


def _peer_rejected_server_cert(m: re.Match[str]) -> Weighted:
    """A server log says the CLIENT sent an alert: the client rejected OUR server certificate."""
    alert = re.sub(r"[ _]", " ", (m.group("alert") or "").lower())
    if "unknown ca" in alert or "authority" in alert:
        return ((C.CHAIN_UNTRUSTED, 2.0), (C.CHAIN_INCOMPLETE, 1.2))
    if "expired" in alert:
        return ((C.CERT_EXPIRED, 2.0),)
    # bad_certificate / certificate_unknown: Go and Java clients send these for every verify failure.
    return ((C.CHAIN_UNTRUSTED, 1.5), (C.HOSTNAME_MISMATCH, 1.0), (C.CHAIN_INCOMPLETE, 0.8))


def _envoy_stat(downstream: Weighted, upstream: Weighted) -> Classifier:
    """An Envoy stat: about the client's certificate (listener), or the upstream's (cluster)."""

    def classify(m: re.Match[str]) -> Weighted:
        return upstream if (m.group("scope") or "").lower().startswith("cluster") else downstream

    return classify


MTLS_RULES: tuple[Rule, ...] = (
    # alerts by number (by name, as each client prints them: alerts.ALERT_RULES)
    Rule("openssl.alert-number", r"SSL alert number (?P<num>\d{1,3})\b", (), classify=by_number("num", 0.8, ALERT_CODES), needles=("ssl alert number ",)),
    Rule("openssl.alert-code", r"\berror:(?:0A000|14094)(?P<reason>4[0-9A-F]{2})\b", (), classify=_alert_by_openssl_code, needles=("error:",)),
    Rule("curl.alert-45-trap", r"SSL certificate verification failed(?!\s*[:.(])",
         ((C.MTLS_BAD_CERTIFICATE, 1.2), (C.CERT_EXPIRED, 0.3)), "curl", needles=("ssl certificate verification failed",)),
    Rule("gnutls.fatal-alert", r"A TLS fatal alert has been received",
         ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.5)), handshake_alert=True, needles=("a tls fatal alert has been received",)),
    # server-side logs and pages
    Rule("server.no-peer-cert", r"peer did not return a certificate|\bPEER_DID_NOT_RETURN_A_CERTIFICATE\b",
         ((C.MTLS_CERT_REQUIRED, 2.0),), needles=("peer did not return a certificate", "peer_did_not_return_a_certificate")),
    Rule("envoy.no-client-cert", r"peer did not provide required client certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "envoy", needles=("peer did not provide required client certificate",)),
    Rule("java.empty-client-chain", r"Empty client certificate chain", ((C.MTLS_CERT_REQUIRED, 2.0),), "java", needles=("empty client certificate chain",)),
    Rule("go.no-client-cert", r"tls: client didn't provide a certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "go", needles=("tls: client didn't provide a certificate",)),
    Rule("go.client-verify", r"tls: failed to verify client'?s? certificate: (?P<inner>x509: .{0,300})", (), "go",
         scope=True, classify=_go_client_verify, needles=("tls: failed to verify client",)),
    Rule("go.peer-rejected", r"http: TLS handshake error from \S{1,80}: remote error: tls: (?P<alert>[a-z ]{3,40})",
         (), "go", scope=True, classify=_peer_rejected_server_cert, needles=("http: tls handshake error from ",)),
    Rule("nginx.no-client-cert-log", r"client sent no required SSL certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "nginx", needles=("client sent no required ssl certificate",)),
    Rule("nginx.no-client-cert-page", r"No required SSL certificate was sent", ((C.MTLS_CERT_REQUIRED, 2.0),), "nginx", needles=("no required ssl certificate was sent",)),
    Rule("nginx.client-verify", r"client SSL certificate verify error: \((?P<num>\d{1,3}):[^)\n]{0,200}\)", (), "nginx",
         scope=True, classify=_nginx_client_verify, needles=("client ssl certificate verify error: (",)),
    Rule("nginx.cert-error-page", r"\bThe SSL certificate error\b", ((C.MTLS_BAD_CERTIFICATE, 2.0),), "nginx", needles=("the ssl certificate error",)),
    Rule("nginx.upstream-verify", r"upstream SSL certificate verify error: \((?P<num>\d{1,3}):", (), "nginx",
         classify=by_number("num", 1.0, VERIFY_CODES), needles=("upstream ssl certificate verify error: (",)),
    Rule("nginx.downstream-alert",
         r"SSL_do_handshake\(\) failed \(.{0,400}?alert (?P<alert>unknown ca|bad certificate|certificate unknown|"
         r"certificate expired).{0,200}?\) while SSL handshaking(?! to upstream)",
         (), "nginx", scope=True, classify=_peer_rejected_server_cert, needles=("ssl_do_handshake() failed (",)),
    Rule("nss.no-client-cert", r"client certificate not found", ((C.MTLS_CERT_REQUIRED, 1.5),), needles=("client certificate not found",)),
    Rule("chrome.ERR_BAD_SSL_CLIENT_AUTH_CERT", r"(?:net::)?\bERR_BAD_SSL_CLIENT_AUTH_CERT\b",
         ((C.MTLS_BAD_CERTIFICATE, 1.2), (C.MTLS_CERT_REQUIRED, 0.6)), "chrome", needles=("err_bad_ssl_client_auth_cert",)),
    Rule("chrome.ERR_SSL_CLIENT_AUTH_CERT_NEEDED", r"\bERR_SSL_CLIENT_AUTH_CERT_NEEDED\b", ((C.MTLS_CERT_REQUIRED, 1.5),), "chrome", needles=("err_ssl_client_auth_cert_needed",)),
    Rule("chrome.client-auth-key", r"\bERR_SSL_CLIENT_AUTH_(?:CERT_NO_PRIVATE_KEY|SIGNATURE_FAILED)\b",
         ((C.MTLS_KEY_MISMATCH, 1.0),), "chrome", needles=("err_ssl_client_auth_",)),
    Rule("identity.not-mapped", r"client certificate identity not mapped", ((C.MTLS_IDENTITY_MISMATCH, 2.0),), needles=("client certificate identity not mapped",)),
    Rule("identity.cn-not-expected", r"\bCN '[^'\n]{0,255}' does not match (?:the )?expected identity",
         ((C.MTLS_IDENTITY_MISMATCH, 2.0),), needles=("' does not match ",)),
    Rule("identity.not-allowed",
         r"client certificate (?:subject|identity|SAN|CN)[^.\n]{0,80}?(?:is )?not (?:allowed|authorized|permitted)",
         ((C.MTLS_IDENTITY_MISMATCH, 1.5),), needles=("client certificate ",)),
    Rule("envoy.stat-san", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_san\b", (), "envoy",
         classify=_envoy_stat(((C.MTLS_IDENTITY_MISMATCH, 1.5),), ((C.HOSTNAME_MISMATCH, 1.5),)), needles=("ssl.fail_verify_san",)),
    Rule("envoy.stat-no-cert", r"\bssl\.fail_verify_no_cert\b", ((C.MTLS_CERT_REQUIRED, 1.5),), "envoy", needles=("ssl.fail_verify_no_cert",)),
    Rule("envoy.stat-error", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_error\b", (), "envoy",
         classify=_envoy_stat(((C.MTLS_UNKNOWN_CA, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.6)), UNTRUSTED_OR_INCOMPLETE), needles=("ssl.fail_verify_error",)),
    Rule("envoy.stat-hash", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_cert_hash\b", (), "envoy",
         classify=_envoy_stat(((C.MTLS_IDENTITY_MISMATCH, 1.0),), ((C.CHAIN_UNTRUSTED, 0.5),)), needles=("ssl.fail_verify_cert_hash",)),
    # key pair and RFC 8705 token binding
    Rule("openssl.key-values-mismatch", r"\bkey values mismatch\b|\bKEY_VALUES_MISMATCH\b", ((C.MTLS_KEY_MISMATCH, 2.0),), needles=("key values mismatch", "key_values_mismatch")),
    Rule("go.key-mismatch", r"tls: private key does not match public key", ((C.MTLS_KEY_MISMATCH, 2.0),), "go", needles=("tls: private key does not match public key",)),
    Rule("curl.private-key", r"unable to set private key file|unable to use client certificate \(no key found or wrong pass phrase",
         ((C.MTLS_KEY_MISMATCH, 1.2),), "curl", needles=("unable to ",)),
    Rule("oauth.cnf-mismatch",
         r"(?:\bcnf\b|x5t#S256|certificate thumbprint|thumbprint|certificate[- ]bound)[^\n]{0,80}?"
         r"(?:mismatch|does not match|did not match|doesn't match|didn't match|not match)",
         ((C.MTLS_CNF_MISMATCH, 2.0),), needles=None),
    Rule("oauth.invalid-token", r"\binvalid_token\b", ((C.MTLS_CNF_MISMATCH, 0.3),), hint=True, needles=("invalid_token",)),
    Rule("oauth.x5t", r"x5t#S256", ((C.MTLS_CNF_MISMATCH, 0.3),), hint=True, needles=("x5t#s256",)),
)
