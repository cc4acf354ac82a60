"""Recognise pasted TLS error output: which client printed it, which findings it points to.

`explain(text)` reads the error text of any common TLS client (curl with every
backend, git, OpenSSL, Python, Java, Node.js, Go, kubectl, Docker, Chrome,
Firefox, .NET, nginx, Envoy/Istio) and returns the finding codes it points to,
most likely first, with the matched excerpts as evidence.

Pure: no I/O, no clock, deterministic. It never raises on any text. The pasted
text is untrusted: excerpts are kept exactly as received (ANSI escapes removed,
nothing else), renderers make them safe. Work is capped (`MAX_CHARS`) and every
pattern is bounded, so huge or hostile input stays fast.

How it reads text: ANSI/OSC escapes are stripped, then the rules run on two
views of the text, one with every whitespace run collapsed to one space (lines
wrapped at a space) and one with line breaks and their indentation removed
(tokens split mid-word by wrapping). Offsets map back to the cleaned input, so
an excerpt is the exact original slice, line breaks included.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from tlsdoctor.findings import Code, Finding, Severity

__all__ = ["MAX_CHARS", "Explanation", "Match", "explain"]

# Only the start of a paste is read: real error output is short, logs put it early.
MAX_CHARS = 1_000_000

Weighted = tuple[tuple[Code, float], ...]

_CODE_ORDER: Mapping[Code, int] = MappingProxyType({code: i for i, code in enumerate(Code)})

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte escapes, and 8-bit CSI.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]{0,4096}(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_WHITESPACE = re.compile(r"\s+")
_FLAGS = re.IGNORECASE | re.ASCII  # ASCII: \b and \w ignore CJK letters next to a token


@dataclass(frozen=True)
class Match:
    """One recognised token in the text."""

    code: Code
    client: str | None  # the rule's own client, else the client recognised for the whole text
    pattern_id: str  # stable id of the rule that fired
    excerpt: str  # the matched text exactly as received (ANSI escapes removed)
    weight: float  # how specific the rule is (hints are small)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "client": self.client,
            "pattern": self.pattern_id,
            "excerpt": self.excerpt,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Explanation:
    """What a pasted error text points to: the client and the findings, most likely first."""

    client: str | None
    findings: tuple[Finding, ...]
    matches: tuple[Match, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "findings": [f.to_json() for f in self.findings],
            "matches": [m.to_json() for m in self.matches],
        }


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rule:
    """A pattern and the codes it points to.

    `hint`: context only (exit codes, generic wrappers); its codes become `info`
    findings, and only when nothing specific was found. `scope`: the rule knows
    the context of the text inside it (e.g. nginx verifying a *client* cert), so
    generic rules that match inside its span are dropped. `handshake_alert`:
    a handshake_failure alert, read as "client certificate required" when the
    text also talks about client certificates.
    """

    id: str
    regex: re.Pattern[str]
    codes: Weighted
    client: str | None = None
    hint: bool = False
    scope: bool = False
    handshake_alert: bool = False
    classify: Callable[[re.Match[str]], Weighted] | None = None
    needles: tuple[str, ...] | None = None


def _longest_literal(items: Any, literal_op: Any) -> str:
    best, run = "", ""
    for op, arg in [*items, (None, None)]:
        if op is literal_op:
            run += chr(arg)
            continue
        best, run = max(best, run, key=len), ""
    return best.lower()


def _needles(pattern: str) -> tuple[str, ...] | None:
    """Literals of which every match contains at least one, to skip regexes cheaply on big input.

    Read from the parsed pattern: the longest top-level literal run, or one per branch of a
    top-level alternation. None (always run the regex) when a branch has no literal of 3+
    characters, or when the parser's internals are not what we expect.
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        items = list(_parser.parse(pattern, _FLAGS))
        needles: tuple[str, ...] = (_longest_literal(items, _parser.LITERAL),)
        branch_items = [arg for op, arg in items if op is _parser.BRANCH]
        if len(needles[0]) < 3 and len(branch_items) == 1:  # `\bA|\bB` parses as AT, BRANCH(A, B)
            needles = tuple(_longest_literal(list(b), _parser.LITERAL) for b in branch_items[0][1])
    except Exception:  # pragma: no cover - parser internals moved: just run the regex
        return None
    return needles if all(len(n) >= 3 for n in needles) else None


def _present(needles: tuple[str, ...] | None, lowered: str) -> bool:
    return needles is None or any(n in lowered for n in needles)


def _rule(
    rule_id: str,
    pattern: str,
    codes: Weighted = (),
    client: str | None = None,
    *,
    hint: bool = False,
    scope: bool = False,
    handshake_alert: bool = False,
    classify: Callable[[re.Match[str]], Weighted] | None = None,
) -> _Rule:
    return _Rule(
        id=rule_id,
        regex=re.compile(pattern, _FLAGS),
        codes=codes,
        client=client,
        hint=hint,
        scope=scope,
        handshake_alert=handshake_alert,
        classify=classify,
        needles=_needles(pattern),
    )


C = Code
# Frequently shared code lists.
UNTRUSTED_OR_INCOMPLETE: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.CHAIN_INCOMPLETE, 0.7))
INCOMPLETE_FIRST: Weighted = ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.5))
ANY_ISSUER_PROBLEM: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.CHAIN_INCOMPLETE, 0.7), (C.SELF_SIGNED, 0.4))
UNTRUSTED_ROOT_IN_CHAIN: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.SELF_SIGNED, 0.5))
EXPIRED_OR_NOT_YET: Weighted = ((C.CERT_EXPIRED, 0.8), (C.CERT_NOT_YET_VALID, 0.4))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]'\"").split("%")[0])
    except ValueError:
        return False
    return True


def _by_target(group: str, weight: float = 2.0, extra: Weighted = ()) -> Callable[[re.Match[str]], Weighted]:
    """Name mismatch whose reference identifier is in `group`: an IP means ip-not-in-san."""

    def classify(m: re.Match[str]) -> Weighted:
        target = m.group(group) or ""
        code = C.IP_NOT_IN_SAN if _is_ip(target.rstrip(".")) else C.HOSTNAME_MISMATCH
        return ((code, weight), *extra)

    return classify


# TLS alerts (RFC 8446 numbers) -> codes when the *server* rejected our client certificate.
# 49 access_denied: the alert says "a valid certificate was received, but access control
# refused it", so the identity is the likely culprit; a bad certificate comes second.
_ALERT_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        40: ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.5)),
        42: ((C.MTLS_BAD_CERTIFICATE, 1.0), (C.MTLS_CERT_REQUIRED, 0.4)),
        43: ((C.MTLS_EKU_NO_CLIENT_AUTH, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.3)),
        45: ((C.MTLS_BAD_CERTIFICATE, 1.0),),  # certificate_expired: about OUR client cert
        46: ((C.MTLS_BAD_CERTIFICATE, 1.0), (C.MTLS_UNKNOWN_CA, 0.5)),  # Java sends 46 for an unknown CA
        48: ((C.MTLS_UNKNOWN_CA, 1.0), (C.MTLS_CHAIN_INCOMPLETE, 0.6)),
        49: ((C.MTLS_IDENTITY_MISMATCH, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.5)),
        116: ((C.MTLS_CERT_REQUIRED, 1.0),),
    }
)

# Per alert: OpenSSL reason, Java name, Go text, NSS code, .NET TlsAlertMessage, GnuTLS name, NSS text.
_ALERT_NAMES: tuple[tuple[int, str, str, str, str, str, str, str], ...] = (
    (40, r"handshake[ _]failure", "handshake_failure", r"handshake failure", "HANDSHAKE_FAILURE_ALERT",
     "HandshakeFailure", r"Handshake failed", r"SSL peer was unable to negotiate an acceptable set of security parameters"),
    (42, r"bad[ _]certificate", "bad_certificate", r"bad certificate", "BAD_CERT_ALERT",
     "BadCertificate", r"Certificate is bad", r"SSL peer cannot verify your certificate"),
    (43, r"unsupported[ _]certificate", "unsupported_certificate", r"unsupported certificate", "UNSUPPORTED_CERT_ALERT",
     "UnsupportedCert", r"Certificate is not supported", r"SSL peer does not support certificates of the type it received"),
    (45, r"certificate[ _]expired", "certificate_expired", r"expired certificate", "EXPIRED_CERT_ALERT",
     "CertificateExpired", r"Certificate is expired", r"SSL peer rejected your certificate as expired"),
    (46, r"certificate[ _]unknown", "certificate_unknown", r"unknown certificate(?! authority)", "CERTIFICATE_UNKNOWN_ALERT",
     "CertificateUnknown", r"Unknown certificate", r"SSL peer had some unspecified issue with the certificate it received"),
    (48, r"unknown[ _]ca", "unknown_ca", r"unknown certificate authority", "UNKNOWN_CA_ALERT",
     "UnknownCA", r"CA is unknown", r"Peer does not recognize and trust the CA that issued your certificate"),
    (49, r"access[ _]denied", "access_denied", r"access denied", "ACCESS_DENIED_ALERT",
     "AccessDenied", r"Access was denied", r"Peer received a valid certificate, but access was denied"),
    (116, r"certificate[ _]required", "certificate_required", r"certificate required", "RX_CERTIFICATE_REQUIRED_ALERT",
     "CertificateRequired", r"Certificate is required", r"SSL received a certificate_required alert"),
)


def _alert_rules() -> list[_Rule]:
    rules: list[_Rule] = []
    for num, ossl, java, go, nss, dotnet, gnutls, nss_text in _ALERT_NAMES:
        codes = _ALERT_CODES[num]
        hs = num == 40
        rules += [
            _rule(f"alert.openssl.{num}", rf"(?:sslv3|tlsv1|tlsv13)[ _]alert[ _]{ossl}\b", codes, handshake_alert=hs),
            _rule(f"alert.java.{num}", rf"Received fatal alert: {java}\b", codes, "java", handshake_alert=hs),
            _rule(f"alert.go.{num}", rf"remote error: tls: {go}\b", codes, "go", handshake_alert=hs),
            _rule(f"alert.nss.{num}", rf"\bSSL_ERROR_{nss}\b", codes, "firefox", handshake_alert=hs),
            _rule(f"alert.nss-text.{num}", nss_text, codes, handshake_alert=hs),
            _rule(f"alert.dotnet.{num}", rf"sent a TLS alert: '{dotnet}'", codes, "dotnet", handshake_alert=hs),
            _rule(f"alert.gnutls.{num}", rf"gnutls_handshake\(\) failed: {gnutls}\b", codes, "curl", handshake_alert=hs),
        ]
    return rules


def _alert_by_number(group: str, weight: float) -> Callable[[re.Match[str]], Weighted]:
    def classify(m: re.Match[str]) -> Weighted:
        try:
            num = int(m.group(group))
        except (TypeError, ValueError):
            return ()
        return tuple((code, w * weight) for code, w in _ALERT_CODES.get(num, ()))

    return classify


def _alert_by_openssl_code(m: re.Match[str]) -> Weighted:
    """`error:0A000418` / `error:14094418`: SSL reason 1000+N is "alert N received"."""
    reason = int(m.group("reason"), 16) - 1000
    return tuple((code, w * 0.8) for code, w in _ALERT_CODES.get(reason, ()))


# OpenSSL verify result numbers (X509_V_ERR_*) -> codes.
_VERIFY_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        2: ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.8)),
        9: ((C.CERT_NOT_YET_VALID, 1.0),),
        10: ((C.CERT_EXPIRED, 1.0),),
        18: ((C.SELF_SIGNED, 1.0),),
        19: UNTRUSTED_ROOT_IN_CHAIN,
        20: UNTRUSTED_OR_INCOMPLETE,
        21: INCOMPLETE_FIRST,
        26: ((C.EKU_NO_SERVER_AUTH, 1.0),),
        62: ((C.HOSTNAME_MISMATCH, 1.0),),
        64: ((C.IP_NOT_IN_SAN, 1.0),),
    }
)

# The same numbers when the certificate verified is a CLIENT certificate (nginx server side).
_CLIENT_VERIFY_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        2: ((C.MTLS_CHAIN_INCOMPLETE, 1.5), (C.MTLS_UNKNOWN_CA, 1.0)),
        18: ((C.MTLS_UNKNOWN_CA, 1.5),),
        19: ((C.MTLS_UNKNOWN_CA, 1.5),),
        20: ((C.MTLS_UNKNOWN_CA, 1.5), (C.MTLS_CHAIN_INCOMPLETE, 1.0)),
        21: ((C.MTLS_CHAIN_INCOMPLETE, 1.5), (C.MTLS_UNKNOWN_CA, 0.8)),
        26: ((C.MTLS_EKU_NO_CLIENT_AUTH, 1.5),),
    }
)


def _verify_number(group: str, weight: float, table: Mapping[int, Weighted] = _VERIFY_CODES) -> Callable[[re.Match[str]], Weighted]:
    def classify(m: re.Match[str]) -> Weighted:
        try:
            num = int(m.group(group))
        except (TypeError, ValueError):
            return ()
        return tuple((code, w * weight) for code, w in table.get(num, ()))

    return classify


def _nginx_client_verify(m: re.Match[str]) -> Weighted:
    codes = _verify_number("num", 1.0, _CLIENT_VERIFY_CODES)(m)
    return codes or ((C.MTLS_BAD_CERTIFICATE, 1.5),)


def _go_validity(m: re.Match[str]) -> Weighted:
    when = (m.group("when") or "").lower()
    if when == "after":
        return ((C.CERT_EXPIRED, 2.0),)
    if when == "before":
        return ((C.CERT_NOT_YET_VALID, 2.0),)
    return EXPIRED_OR_NOT_YET


def _java_validity(m: re.Match[str]) -> Weighted:
    """`validity check failed` says which bound only in the cause that follows it."""
    which = (m.group("which") or "").lower()
    if which.startswith("certificateexpired"):
        return ((C.CERT_EXPIRED, 1.0),)
    if which.startswith("certificatenotyet"):
        return ((C.CERT_NOT_YET_VALID, 1.0),)
    return EXPIRED_OR_NOT_YET


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


def _envoy_stat(downstream: Weighted, upstream: Weighted) -> Callable[[re.Match[str]], Weighted]:
    def classify(m: re.Match[str]) -> Weighted:
        return upstream if (m.group("scope") or "").lower().startswith("cluster") else downstream

    return classify


_HOST = r"[^\s'\"`,;()<>]{1,255}"  # a bare host name in running text
_QUOTED = r"[^'\s]{1,255}"  # a host inside '...': anything the client printed

_RULES: tuple[_Rule, ...] = (
    # ---- hostname / IP / CN: OpenSSL verify texts shared by curl, Python, Node, nginx, s_client
    _rule("openssl.hostname-mismatch", r"\bhostname mismatch\b", ((C.HOSTNAME_MISMATCH, 1.0),)),
    _rule("openssl.ip-mismatch", r"\bIP address mismatch\b", ((C.IP_NOT_IN_SAN, 1.0),)),
    _rule("openssl.verify-num", r"verify error:num=(?P<num>\d{1,3})", (), "openssl", classify=_verify_number("num", 0.8)),
    _rule("openssl.verify-return", r"Verify return code: (?P<num>\d{1,3})", (), "openssl", classify=_verify_number("num", 0.8)),
    _rule("python.hostname", rf"Hostname mismatch, certificate is not valid for '(?P<host>{_QUOTED})'", (), "python",
          classify=_by_target("host")),
    _rule("python.ip", rf"IP address mismatch, certificate is not valid for '{_QUOTED}'", ((C.IP_NOT_IN_SAN, 2.0),), "python"),
    _rule("urllib3.hostname", rf"hostname '(?P<host>{_QUOTED})' doesn't match (?:either of )?'", (), "urllib3",
          classify=_by_target("host")),
    _rule("urllib3.no-san", r"no appropriate subjectAltName fields were found",
          ((C.CN_ONLY, 1.5), (C.HOSTNAME_MISMATCH, 0.5)), "urllib3"),
    _rule("python.no-cn-or-san", r"no appropriate commonName or subjectAltName fields were found",
          ((C.HOSTNAME_MISMATCH, 1.0), (C.CN_ONLY, 0.5)), "python"),
    _rule("curl.no-alt-name",
          rf"no alternative certificate subject name matches target (?:host ?name|ipv[46] address) '(?P<host>{_QUOTED})'",
          (), "curl", classify=_by_target("host")),
    _rule("curl.subject-name", rf"certificate subject name '{_QUOTED}' does not match target host ?name",
          ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "curl"),
    _rule("curl.gnutls-subject-name", r"certificate subject name \([^)\n]{0,255}\) does not match target host ?name",
          ((C.HOSTNAME_MISMATCH, 2.0),), "curl"),
    _rule("java.no-dns-san", rf"No subject alternative DNS name matching {_HOST} found", ((C.HOSTNAME_MISMATCH, 2.0),), "java"),
    _rule("java.no-ip-san", r"No subject alternative names matching IP address \S{1,64} found", ((C.IP_NOT_IN_SAN, 2.0),), "java"),
    _rule("java.no-san", r"No subject alternative names present", ((C.IP_NOT_IN_SAN, 1.5), (C.CN_ONLY, 0.5)), "java"),
    _rule("java.no-name", rf"No name matching {_HOST} found", ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "java"),
    _rule("node.altnames", r"Hostname/IP does not match certificate's altnames: Host: \S{1,255} is not in the cert's altnames",
          ((C.HOSTNAME_MISMATCH, 2.0),), "node"),
    _rule("node.altnames-ip", r"Hostname/IP does not match certificate's altnames: IP: \S{1,64} is not in the cert's list",
          ((C.IP_NOT_IN_SAN, 2.0),), "node"),
    _rule("node.altnames-cn", r"is not cert's CN: \S{1,255}", ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "node"),
    _rule("node.ERR_TLS_CERT_ALTNAME_INVALID", r"\bERR_TLS_CERT_ALTNAME_INVALID\b", ((C.HOSTNAME_MISMATCH, 0.8),), "node"),
    _rule("go.valid-for", rf"x509: certificate is valid for .{{1,4000}}?, ?not (?P<host>{_HOST})", (), "go",
          classify=_by_target("host")),
    _rule("go.no-ip-sans", r"x509: cannot validate certificate for \S{1,64} because it doesn't contain any IP SANs",
          ((C.IP_NOT_IN_SAN, 2.0),), "go"),
    _rule("go.no-names", r"x509: certificate is not valid for any names", ((C.HOSTNAME_MISMATCH, 2.0),), "go"),
    _rule("go.legacy-cn", r"x509: certificate relies on legacy Common Name field", ((C.CN_ONLY, 2.0),), "go"),
    _rule("schannel.wrong-principal", r"\bSEC_E_WRONG_PRINCIPAL\b|\b0x80090322\b|The target principal name is incorrect",
          ((C.HOSTNAME_MISMATCH, 1.5),)),
    _rule("windows.cn-no-match", r"\bCERT_E_CN_NO_MATCH\b|\b0x800B010F\b", ((C.HOSTNAME_MISMATCH, 1.5),)),
    _rule("nss.bad-cert-domain", r"requested domain name does not match the server's certificate", ((C.HOSTNAME_MISMATCH, 1.5),)),
    _rule("firefox.SSL_ERROR_BAD_CERT_DOMAIN", r"\bSSL_ERROR_BAD_CERT_DOMAIN\b", ((C.HOSTNAME_MISMATCH, 1.5),), "firefox"),
    _rule("firefox.page-not-valid-for", r"uses a certificate that is not valid for", ((C.HOSTNAME_MISMATCH, 1.0),), "firefox"),
    _rule("chrome.ERR_CERT_COMMON_NAME_INVALID", r"(?:net::)?\bERR_CERT_COMMON_NAME_INVALID\b", ((C.HOSTNAME_MISMATCH, 1.5),), "chrome"),
    _rule("chrome.missing-san", r"\[missing_subjectAltName\]", ((C.CN_ONLY, 1.5),), "chrome"),
    _rule("dotnet.name-mismatch", r"\bRemoteCertificateNameMismatch\b", ((C.HOSTNAME_MISMATCH, 1.5),), "dotnet"),
    _rule("nginx.upstream-name", r"upstream SSL certificate does not match \"[^\"\n]{0,255}\"", ((C.HOSTNAME_MISMATCH, 2.0),), "nginx"),
    _rule("envoy.verify-san", r"verify cert failed: verify SAN list", ((C.HOSTNAME_MISMATCH, 2.0),), "envoy"),
    # ---- self-signed / untrusted / incomplete chain
    _rule("openssl.self-signed-in-chain", r"\bself[- ]signed certificate in certificate chain\b", UNTRUSTED_ROOT_IN_CHAIN),
    _rule("openssl.self-signed", r"\bself[- ]signed certificate\b(?! in certificate chain)", ((C.SELF_SIGNED, 1.0),)),
    _rule("openssl.local-issuer", r"\bunable to get local issuer certificate\b", UNTRUSTED_OR_INCOMPLETE),
    _rule("openssl.issuer", r"\bunable to get issuer certificate\b", ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.8))),
    _rule("openssl.first-certificate", r"\bunable to verify the first certificate\b", INCOMPLETE_FIRST),
    _rule("openssl.invalid-ca", r"\binvalid CA certificate\b", ((C.CHAIN_UNTRUSTED, 0.8),)),
    _rule("openssl.strict-basic-constraints", r"Basic Constraints of CA cert not marked critical", ((C.CHAIN_UNTRUSTED, 1.0),)),
    _rule("openssl.strict-aki", r"Missing Authority Key Identifier", ((C.CHAIN_UNTRUSTED, 0.8),)),
    _rule("node.DEPTH_ZERO_SELF_SIGNED_CERT", r"\bDEPTH_ZERO_SELF_SIGNED_CERT\b", ((C.SELF_SIGNED, 1.0),), "node"),
    _rule("node.SELF_SIGNED_CERT_IN_CHAIN", r"\bSELF_SIGNED_CERT_IN_CHAIN\b", UNTRUSTED_ROOT_IN_CHAIN, "node"),
    _rule("node.UNABLE_TO_VERIFY_LEAF_SIGNATURE", r"\bUNABLE_TO_VERIFY_LEAF_SIGNATURE\b", INCOMPLETE_FIRST, "node"),
    _rule("node.UNABLE_TO_GET_ISSUER_CERT_LOCALLY", r"\bUNABLE_TO_GET_ISSUER_CERT_LOCALLY\b", UNTRUSTED_OR_INCOMPLETE, "node"),
    _rule("java.pkix", r"PKIX path building failed", UNTRUSTED_OR_INCOMPLETE, "java"),
    _rule("java.cert-path", r"unable to find valid certification path to requested target", UNTRUSTED_OR_INCOMPLETE, "java"),
    _rule("go.unknown-authority", r"x509: certificate signed by unknown authority", UNTRUSTED_OR_INCOMPLETE, "go"),
    _rule("schannel.untrusted-root",
          r"\bSEC_E_UNTRUSTED_ROOT\b|\b0x80090325\b|The certificate chain was issued by an authority that is not trusted",
          ((C.CHAIN_UNTRUSTED, 1.5), (C.CHAIN_INCOMPLETE, 0.6), (C.SELF_SIGNED, 0.3))),
    _rule("windows.untrusted-root", r"\bCERT_E_UNTRUSTEDROOT\b|\b0x800B0109\b", ((C.CHAIN_UNTRUSTED, 1.5),)),
    _rule("windows.chaining", r"\bCERT_E_CHAINING\b|\b0x800B010A\b", ((C.CHAIN_INCOMPLETE, 1.5),)),
    _rule("nss.unknown-issuer", r"Peer's Certificate issuer is not recognized", ANY_ISSUER_PROBLEM),
    _rule("nss.untrusted-issuer", r"Peer's certificate issuer has been marked as not trusted", ((C.CHAIN_UNTRUSTED, 1.5),)),
    _rule("gnutls.verification-failed", r"server certificate verification failed\. CAfile:",
          ((C.CHAIN_UNTRUSTED, 0.8), (C.CHAIN_INCOMPLETE, 0.6), (C.SELF_SIGNED, 0.4), (C.CERT_EXPIRED, 0.3),
           (C.CERT_NOT_YET_VALID, 0.2)), "curl"),
    _rule("gnutls.signer-not-trusted", r"certificate signer not trusted", ANY_ISSUER_PROBLEM),
    _rule("gnutls.signer-not-found", r"certificate signer not found", INCOMPLETE_FIRST),
    _rule("gnutls.expired", r"SSL certificate verification failed: certificate has expired", ((C.CERT_EXPIRED, 1.0),), "curl"),
    _rule("gnutls.not-activated", r"certificate is not yet activated", ((C.CERT_NOT_YET_VALID, 1.5),)),
    _rule("firefox.SEC_ERROR_UNKNOWN_ISSUER", r"\bSEC_ERROR_UNKNOWN_ISSUER\b", ANY_ISSUER_PROBLEM, "firefox"),
    _rule("firefox.SEC_ERROR_UNTRUSTED_ISSUER", r"\bSEC_ERROR_UNTRUSTED_ISSUER\b", ((C.CHAIN_UNTRUSTED, 1.5),), "firefox"),
    _rule("firefox.SEC_ERROR_CA_CERT_INVALID", r"\bSEC_ERROR_CA_CERT_INVALID\b", ((C.CHAIN_UNTRUSTED, 1.0),), "firefox"),
    _rule("firefox.MITM_DETECTED", r"\bMOZILLA_PKIX_ERROR_MITM_DETECTED\b", ((C.CHAIN_UNTRUSTED, 1.5),), "firefox"),
    _rule("firefox.SELF_SIGNED_CERT", r"\bMOZILLA_PKIX_ERROR_SELF_SIGNED_CERT\b", ((C.SELF_SIGNED, 1.5),), "firefox"),
    _rule("firefox.page-issuer-unknown", r"because its certificate issuer is unknown", ANY_ISSUER_PROBLEM, "firefox"),
    _rule("chrome.ERR_CERT_AUTHORITY_INVALID", r"(?:net::)?\bERR_CERT_AUTHORITY_INVALID\b", ANY_ISSUER_PROBLEM, "chrome"),
    _rule("dotnet.untrusted-root", r"errors in the certificate chain: (?:\w+, )*UntrustedRoot\b", ((C.CHAIN_UNTRUSTED, 1.5),), "dotnet"),
    _rule("dotnet.partial-chain", r"errors in the certificate chain: (?:\w+, )*PartialChain\b", ((C.CHAIN_INCOMPLETE, 1.5),), "dotnet"),
    _rule("dotnet.not-time-valid", r"errors in the certificate chain: (?:\w+, )*NotTimeValid\b",
          ((C.CERT_EXPIRED, 1.2), (C.CERT_NOT_YET_VALID, 0.5)), "dotnet"),
    _rule("dotnet.chain-errors", r"\bRemoteCertificateChainErrors\b", ((C.CHAIN_UNTRUSTED, 0.8), (C.CHAIN_INCOMPLETE, 0.5)), "dotnet"),
    _rule("envoy.verify-error", r"CERTIFICATE_VERIFY_FAILED:verify cert failed: X509_verify_cert", UNTRUSTED_OR_INCOMPLETE, "envoy"),
    # ---- validity period
    _rule("openssl.expired", r"\bcertificate has expired\b(?! or is not yet valid)", ((C.CERT_EXPIRED, 1.0),)),
    _rule("openssl.not-yet-valid", r"(?<!expired or )\bcertificate is not yet valid\b", ((C.CERT_NOT_YET_VALID, 1.0),)),
    _rule("node.CERT_HAS_EXPIRED", r"\bCERT_HAS_EXPIRED\b", ((C.CERT_EXPIRED, 1.0),), "node"),
    _rule("node.CERT_NOT_YET_VALID", r"\bCERT_NOT_YET_VALID\b", ((C.CERT_NOT_YET_VALID, 1.0),), "node"),
    _rule("go.validity",
          r"x509: certificate has expired or is not yet valid(?:: current time \S{1,40} is (?P<when>after|before)(?: \S{1,40})?)?",
          (), "go", classify=_go_validity),
    _rule("java.expired", r"CertificateExpiredException", ((C.CERT_EXPIRED, 1.5),), "java"),
    _rule("java.not-yet-valid", r"CertificateNotYetValidException", ((C.CERT_NOT_YET_VALID, 1.5),), "java"),
    _rule("java.validity-check",
          r"validity check failed(?:.{0,600}?(?P<which>CertificateExpiredException|CertificateNotYetValidException))?",
          (), "java", classify=_java_validity),
    _rule("schannel.expired", r"\bSEC_E_CERT_EXPIRED\b|\b0x80090328\b|The received certificate has expired",
          ((C.CERT_EXPIRED, 1.5),)),
    _rule("windows.expired", r"\bCERT_E_EXPIRED\b|\b0x800B0101\b", ((C.CERT_EXPIRED, 1.5),)),
    _rule("nss.expired", r"Peer's Certificate has expired", ((C.CERT_EXPIRED, 1.5),)),
    _rule("firefox.SEC_ERROR_EXPIRED_CERTIFICATE", r"\bSEC_ERROR_EXPIRED_CERTIFICATE\b", ((C.CERT_EXPIRED, 1.5),), "firefox"),
    _rule("firefox.SEC_ERROR_EXPIRED_ISSUER", r"\bSEC_ERROR_EXPIRED_ISSUER_CERTIFICATE\b",
          ((C.CERT_EXPIRED, 1.2), (C.CHAIN_UNTRUSTED, 0.3)), "firefox"),
    _rule("firefox.NOT_YET_VALID", r"\bMOZILLA_PKIX_ERROR_NOT_YET_VALID(?:_ISSUER)?_CERTIFICATE\b",
          ((C.CERT_NOT_YET_VALID, 1.5),), "firefox"),
    _rule("chrome.ERR_CERT_DATE_INVALID", r"(?:net::)?\bERR_CERT_DATE_INVALID\b",
          ((C.CERT_EXPIRED, 1.2), (C.CERT_NOT_YET_VALID, 0.5)), "chrome"),
    # ---- purpose (EKU)
    _rule("openssl.purpose", r"\bunsu(?:itable|pported) certificate purpose\b", ((C.EKU_NO_SERVER_AUTH, 1.0),)),
    _rule("node.INVALID_PURPOSE", r"\bINVALID_PURPOSE\b", ((C.EKU_NO_SERVER_AUTH, 1.0),), "node"),
    _rule("go.key-usage", r"x509: certificate specifies an incompatible key usage", ((C.EKU_NO_SERVER_AUTH, 1.5),), "go"),
    _rule("java.eku-server", r"Extended key usage does not permit use for TLS server authentication",
          ((C.EKU_NO_SERVER_AUTH, 2.0),), "java"),
    _rule("java.eku-client", r"Extended key usage does not permit use for TLS client authentication",
          ((C.MTLS_EKU_NO_CLIENT_AUTH, 2.0),), "java", scope=True),
    _rule("nss.cert-type", r"Certificate type not approved for application|\bSEC_ERROR_INADEQUATE_CERT_TYPE\b",
          ((C.EKU_NO_SERVER_AUTH, 1.2),)),
    _rule("nss.key-usage", r"Certificate key usage inadequate for attempted operation|\bSEC_ERROR_INADEQUATE_KEY_USAGE\b",
          ((C.EKU_NO_SERVER_AUTH, 0.8),)),
    # ---- mTLS: alerts (family rules from the alert table) and their numeric forms
    *_alert_rules(),
    _rule("openssl.alert-number", r"SSL alert number (?P<num>\d{1,3})\b", (), classify=_alert_by_number("num", 0.8)),
    _rule("openssl.alert-code", r"\berror:(?:0A000|14094)(?P<reason>4[0-9A-F]{2})\b", (), classify=_alert_by_openssl_code),
    _rule("curl.alert-45-trap", r"SSL certificate verification failed(?!\s*[:.(])",
          ((C.MTLS_BAD_CERTIFICATE, 1.2), (C.CERT_EXPIRED, 0.3)), "curl"),
    _rule("gnutls.fatal-alert", r"A TLS fatal alert has been received",
          ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.5)), handshake_alert=True),
    # ---- mTLS: server-side logs and pages
    _rule("server.no-peer-cert", r"peer did not return a certificate|\bPEER_DID_NOT_RETURN_A_CERTIFICATE\b",
          ((C.MTLS_CERT_REQUIRED, 2.0),)),
    _rule("envoy.no-client-cert", r"peer did not provide required client certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "envoy"),
    _rule("java.empty-client-chain", r"Empty client certificate chain", ((C.MTLS_CERT_REQUIRED, 2.0),), "java"),
    _rule("go.no-client-cert", r"tls: client didn't provide a certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "go"),
    _rule("go.client-verify", r"tls: failed to verify client'?s? certificate: (?P<inner>x509: .{0,300})", (), "go",
          scope=True, classify=_go_client_verify),
    _rule("go.peer-rejected", r"http: TLS handshake error from \S{1,80}: remote error: tls: (?P<alert>[a-z ]{3,40})",
          (), "go", scope=True, classify=_peer_rejected_server_cert),
    _rule("nginx.no-client-cert-log", r"client sent no required SSL certificate", ((C.MTLS_CERT_REQUIRED, 2.0),), "nginx"),
    _rule("nginx.no-client-cert-page", r"No required SSL certificate was sent", ((C.MTLS_CERT_REQUIRED, 2.0),), "nginx"),
    _rule("nginx.client-verify", r"client SSL certificate verify error: \((?P<num>\d{1,3}):[^)\n]{0,200}\)", (), "nginx",
          scope=True, classify=_nginx_client_verify),
    _rule("nginx.cert-error-page", r"\bThe SSL certificate error\b", ((C.MTLS_BAD_CERTIFICATE, 2.0),), "nginx"),
    _rule("nginx.upstream-verify", r"upstream SSL certificate verify error: \((?P<num>\d{1,3}):", (), "nginx",
          classify=_verify_number("num", 1.0)),
    _rule("nginx.downstream-alert",
          r"SSL_do_handshake\(\) failed \(.{0,400}?alert (?P<alert>unknown ca|bad certificate|certificate unknown|"
          r"certificate expired).{0,200}?\) while SSL handshaking(?! to upstream)",
          (), "nginx", scope=True, classify=_peer_rejected_server_cert),
    _rule("nss.no-client-cert", r"client certificate not found", ((C.MTLS_CERT_REQUIRED, 1.5),)),
    _rule("chrome.ERR_BAD_SSL_CLIENT_AUTH_CERT", r"(?:net::)?\bERR_BAD_SSL_CLIENT_AUTH_CERT\b",
          ((C.MTLS_BAD_CERTIFICATE, 1.2), (C.MTLS_CERT_REQUIRED, 0.6)), "chrome"),
    _rule("chrome.ERR_SSL_CLIENT_AUTH_CERT_NEEDED", r"\bERR_SSL_CLIENT_AUTH_CERT_NEEDED\b", ((C.MTLS_CERT_REQUIRED, 1.5),), "chrome"),
    _rule("chrome.client-auth-key", r"\bERR_SSL_CLIENT_AUTH_(?:CERT_NO_PRIVATE_KEY|SIGNATURE_FAILED)\b",
          ((C.MTLS_KEY_MISMATCH, 1.0),), "chrome"),
    _rule("identity.not-mapped", r"client certificate identity not mapped", ((C.MTLS_IDENTITY_MISMATCH, 2.0),)),
    _rule("identity.cn-not-expected", r"\bCN '[^'\n]{0,255}' does not match (?:the )?expected identity",
          ((C.MTLS_IDENTITY_MISMATCH, 2.0),)),
    _rule("identity.not-allowed",
          r"client certificate (?:subject|identity|SAN|CN)[^.\n]{0,80}?(?:is )?not (?:allowed|authorized|permitted)",
          ((C.MTLS_IDENTITY_MISMATCH, 1.5),)),
    _rule("envoy.stat-san", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_san\b", (), "envoy",
          classify=_envoy_stat(((C.MTLS_IDENTITY_MISMATCH, 1.5),), ((C.HOSTNAME_MISMATCH, 1.5),))),
    _rule("envoy.stat-no-cert", r"\bssl\.fail_verify_no_cert\b", ((C.MTLS_CERT_REQUIRED, 1.5),), "envoy"),
    _rule("envoy.stat-error", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_error\b", (), "envoy",
          classify=_envoy_stat(((C.MTLS_UNKNOWN_CA, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.6)), UNTRUSTED_OR_INCOMPLETE)),
    _rule("envoy.stat-hash", r"(?P<scope>(?:cluster|listener|http)\.[\w.:\-|]{0,200}?)?\bssl\.fail_verify_cert_hash\b", (), "envoy",
          classify=_envoy_stat(((C.MTLS_IDENTITY_MISMATCH, 1.0),), ((C.CHAIN_UNTRUSTED, 0.5),))),
    # ---- mTLS: key pair and RFC 8705 token binding
    _rule("openssl.key-values-mismatch", r"\bkey values mismatch\b|\bKEY_VALUES_MISMATCH\b", ((C.MTLS_KEY_MISMATCH, 2.0),)),
    _rule("go.key-mismatch", r"tls: private key does not match public key", ((C.MTLS_KEY_MISMATCH, 2.0),), "go"),
    _rule("curl.private-key", r"unable to set private key file|unable to use client certificate \(no key found or wrong pass phrase",
          ((C.MTLS_KEY_MISMATCH, 1.2),), "curl"),
    _rule("oauth.cnf-mismatch",
          r"(?:\bcnf\b|x5t#S256|certificate thumbprint|thumbprint|certificate[- ]bound)[^\n]{0,80}?"
          r"(?:mismatch|does not match|did not match|doesn't match|didn't match|not match)",
          ((C.MTLS_CNF_MISMATCH, 2.0),)),
    _rule("oauth.invalid-token", r"\binvalid_token\b", ((C.MTLS_CNF_MISMATCH, 0.3),), hint=True),
    _rule("oauth.x5t", r"x5t#S256", ((C.MTLS_CNF_MISMATCH, 0.3),), hint=True),
    # ---- not TLS, refused, timed out, DNS
    _rule("openssl.wrong-version", r"\bwrong[ _]version[ _]number\b", ((C.NOT_TLS, 2.0),)),
    _rule("openssl.packet-too-long", r"\bpacket[ _]length[ _]too[ _]long\b", ((C.NOT_TLS, 1.5),)),
    _rule("openssl.http-request", r"routines:[^:\s]{0,40}:http request\b|\bHTTP_REQUEST\b|http request sent to https port",
          ((C.NOT_TLS, 1.5),)),
    _rule("nginx.plain-http", r"The plain HTTP request was sent to HTTPS port", ((C.NOT_TLS, 2.0),), "nginx"),
    _rule("go.http-response", r"server gave HTTP response to HTTPS client", ((C.NOT_TLS, 2.0),), "go"),
    _rule("go.first-record", r"tls: first record does not look like a TLS handshake", ((C.NOT_TLS, 2.0),), "go"),
    _rule("docker.malformed", r"malformed HTTP response \"\\x15\\x03", ((C.NOT_TLS, 1.5),), "docker"),
    _rule("java.unrecognized", r"Unsupported or unrecognized SSL message", ((C.NOT_TLS, 2.0),), "java"),
    _rule("java.plaintext", r"plaintext connection\?", ((C.NOT_TLS, 1.5),), "java"),
    _rule("firefox.RECORD_TOO_LONG", r"\bSSL_ERROR_RX_RECORD_TOO_LONG\b", ((C.NOT_TLS, 2.0),), "firefox"),
    _rule("dotnet.packet-format", r"The handshake failed due to an unexpected packet format", ((C.NOT_TLS, 2.0),), "dotnet"),
    _rule("gnutls.unexpected-packet", r"An unexpected TLS packet was received", ((C.NOT_TLS, 1.0),)),
    _rule("net.refused", r"\bconnection refused\b|\bECONNREFUSED\b|actively refused it|\bConnectionRefusedError\b",
          ((C.CONNECT_REFUSED, 2.0),)),
    _rule("chrome.ERR_CONNECTION_REFUSED", r"\bERR_CONNECTION_REFUSED\b", ((C.CONNECT_REFUSED, 2.0),), "chrome"),
    _rule("net.timeout",
          r"\bconnection timed out\b|\bconnect timed out\b|\bETIMEDOUT\b|\bi/o timeout\b|\bTimeout was reached\b"
          r"|\bConnectTimeout(?:Error)?\b|\bTLS handshake timeout\b|\bERR_CONNECTION_TIMED_OUT\b"
          r"|\bconnection attempt failed because the connected party did not properly respond\b",
          ((C.CONNECT_TIMEOUT, 2.0),)),
    _rule("curl.operation-timeout", r"\bOperation timed out after\b", ((C.CONNECT_TIMEOUT, 0.8),), "curl"),
    _rule("dns.nxdomain",
          r"Could not resolve host|\bno such host\b|\bENOTFOUND\b|Name or service not known|nodename nor servname provided"
          r"|\bUnknownHostException\b|\bERR_NAME_NOT_RESOLVED\b|No such host is known|\bNameResolutionError\b",
          ((C.DNS_NXDOMAIN, 2.0),)),
    _rule("dns.temporary", r"Temporary failure in name resolution|\bEAI_AGAIN\b", ((C.DNS_ERROR, 2.0),)),
    # ---- generic handshake failures
    _rule("chrome.ERR_SSL_PROTOCOL_ERROR", r"\bERR_SSL_PROTOCOL_ERROR\b",
          ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.3), (C.NOT_TLS, 0.3)), "chrome", handshake_alert=True),
    _rule("chrome.ERR_SSL_VERSION_OR_CIPHER_MISMATCH", r"\bERR_SSL_VERSION_OR_CIPHER_MISMATCH\b", ((C.HANDSHAKE_FAILED, 1.5),), "chrome"),
    _rule("firefox.SSL_ERROR_NO_CYPHER_OVERLAP", r"\bSSL_ERROR_NO_CYPHER_OVERLAP\b", ((C.HANDSHAKE_FAILED, 1.5),), "firefox"),
    _rule("schannel.illegal-message", r"\bSEC_E_ILLEGAL_MESSAGE\b|\b0x80090326\b",
          ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.4)), handshake_alert=True),
    # ---- weak hints: exit codes and generic wrappers (info, and only when nothing specific matched)
    _rule("curl.exit-60", r"\bcurl: \(60\)|\bcurl#60\b", ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), "curl", hint=True),
    _rule("curl.exit-51", r"\bcurl: \(51\)|\bcurl#51\b", ((C.HOSTNAME_MISMATCH, 0.2), (C.CHAIN_UNTRUSTED, 0.15)), "curl", hint=True),
    _rule("curl.exit-35", r"\bcurl: \(35\)|\bcurl#35\b", ((C.HANDSHAKE_FAILED, 0.2), (C.MTLS_CERT_REQUIRED, 0.1)), "curl", hint=True),
    _rule("curl.exit-56", r"\bcurl: \(56\)|\bcurl#56\b", ((C.HANDSHAKE_FAILED, 0.1), (C.MTLS_CERT_REQUIRED, 0.1)), "curl", hint=True),
    _rule("curl.exit-58", r"\bcurl: \(58\)", ((C.MTLS_KEY_MISMATCH, 0.2),), "curl", hint=True),
    _rule("curl.legitimacy", r"curl failed to verify the legitimacy of the server",
          ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), "curl", hint=True),
    _rule("any.verify-failed", r"certificate[ _]verify[ _]failed",
          ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), hint=True),
    _rule("dotnet.validation-procedure", r"The remote certificate is invalid according to the validation procedure",
          ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True),
    _rule("dotnet.trust-relationship", r"Could not establish trust relationship for the SSL/TLS secure channel",
          ((C.CHAIN_UNTRUSTED, 0.3), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True),
    _rule("dotnet.callback", r"rejected by (?:the )?RemoteCertificateValidationCallback",
          ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True),
    _rule("any.unexpected-eof", r"unexpected eof while reading|EOF occurred in violation of protocol|\bSSL_ERROR_SYSCALL\b",
          ((C.HANDSHAKE_FAILED, 0.3), (C.MTLS_UNKNOWN_CA, 0.2)), hint=True),
    _rule("curl.empty-reply", r"\bcurl: \(52\) Empty reply from server", ((C.MTLS_UNKNOWN_CA, 0.2), (C.HANDSHAKE_FAILED, 0.2)),
          "curl", hint=True),
    _rule("kubectl.unauthorized", r"You must be logged in to the server \(Unauthorized\)",
          ((C.MTLS_BAD_CERTIFICATE, 0.3), (C.MTLS_CERT_REQUIRED, 0.2)), "kubectl", hint=True),
    _rule("chrome.ERR_CERT_INVALID", r"(?:net::)?\bERR_CERT_INVALID\b", ((C.CHAIN_UNTRUSTED, 0.3),), "chrome", hint=True),
)

# Text that says a client certificate is in play: turns a handshake_failure into "cert required".
_CLIENT_CERT_CONTEXT = re.compile(
    r"\bclient[ _-]?cert(?:ificate)?s?\b|\bmutual TLS\b|\bmTLS\b|--cert\b|\s-cert\s|\brequestCert\b|\bssl_verify_client\b"
    r"|\bload_cert_chain\b|\bkeyStore\b|\bclient\.(?:crt|pem|key)\b|\bcert=\(",
    _FLAGS,
)

# Wrappers that name the client. Rank: an outer wrapper (git around libcurl, kubectl around
# Go, requests around urllib3 around ssl) outranks what it wraps.
_CLIENT_MARKERS: tuple[tuple[str, re.Pattern[str], int, tuple[str, ...] | None], ...] = tuple(
    (client, re.compile(pattern, _FLAGS), rank, _needles(pattern))
    for client, pattern, rank in (
        ("git", r"fatal: unable to access '|\bgit (?:clone|fetch|pull|push|ls-remote)\b|GIT_SSL_|http\.sslVerify", 10),
        ("kubectl", r"Unable to connect to the server|\bkubectl\b|couldn't read version from server|failed calling webhook", 10),
        ("docker", r"Error response from daemon|\bdocker (?:pull|push|login)\b", 10),
        ("requests", r"\brequests\.exceptions\b|\brequests/(?:sessions|adapters)\.py\b", 9),
        ("httpx", r"\bhttpx\.\w+|\bhttpcore\.\w+", 9),
        ("urllib3", r"\burllib3\.exceptions\b|\burllib3/", 7),
        ("python", r"\bssl\.SSL\w*Error\b|\(_ssl\.c:\d+\)|urllib\.error\.URLError|Traceback \(most recent call last\)", 6),
        ("curl", r"\bcurl: \(\d{1,3}\)|\bcurl#\d{1,3}\b|\bschannel: |gnutls_handshake\(\)|GnuTLS recv error"
                 r"|\bCAfile: .{0,200}CRLfile:", 8),
        ("java", r"\bjavax\.net\.ssl\.|\bsun\.security\.|\bjava\.security\.cert\.|\bat java\.base/", 8),
        ("node", r"\bnode:(?:internal|_tls_wrap|net|tls|https)\b|\bTCPConnectWrap\b|\bat TLSSocket\b"
                 r"|code: '(?:ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|CERT_)"
                 r"|\bTypeError: fetch failed\b|deps/openssl/|NODE_TLS_REJECT_UNAUTHORIZED|\bERR_TLS_\w+", 8),
        ("dotnet", r"\bSystem\.Net\.|\bSystem\.Security\.Authentication\b|\bAuthenticationException\b|\bSslPolicyErrors\b"
                   r"|The SSL connection could not be established", 8),
        ("chrome", r"\bnet::ERR_\w+|\bERR_CERT_\w+|\bERR_SSL_CLIENT_AUTH_\w+|\bERR_BAD_SSL_CLIENT_AUTH_CERT\b", 8),
        ("firefox", r"\b(?:SSL_ERROR_(?!SYSCALL\b|SSL\b|ZERO_RETURN\b|WANT_\w+)[A-Z_]+|SEC_ERROR_[A-Z_]+"
                    r"|MOZILLA_PKIX_ERROR_[A-Z_]+)\b", 8),
        ("nginx", r"upstream SSL certificate|while SSL handshaking|client sent no required SSL certificate"
                  r"|No required SSL certificate was sent|The SSL certificate error|client SSL certificate verify error", 8),
        ("envoy", r"\bTLS_error:|OPENSSL_internal|upstream connect error or disconnect/reset before headers"
                  r"|\bssl\.fail_verify_\w+|\benvoy\b|\bistio\b", 8),
        ("go", r"\bx509: |\btls: failed to verify|\bremote error: tls: |\bhttp: TLS handshake error\b", 6),
        ("openssl", r"verify error:num=|Verify return code:|\bCONNECTED\(0|\bs_client\b|Verification error: "
                    r"|:(?:\.\./)?ssl/[\w/]{1,80}\.c:\d", 5),
    )
)
_RULE_CLIENT_RANK = 5  # a client-specific rule that fired counts like a marker of this rank
_CLIENT_ORDER = tuple(marker[0] for marker in _CLIENT_MARKERS)


# --------------------------------------------------------------------------- text views


@dataclass(frozen=True)
class _View:
    """A normalised copy of the cleaned text, with offsets back into it."""

    text: str
    lowered: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]

    def to_orig(self, index: int) -> int:
        k = bisect.bisect_right(self.norm_starts, index) - 1
        return self.orig_starts[k] + (index - self.norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.to_orig(start), self.to_orig(start)
        return self.to_orig(start), self.to_orig(end - 1) + 1


def _make_view(cleaned: str, runs: list[tuple[int, int]], join_lines: bool) -> _View:
    """Collapse each whitespace run to one space; with `join_lines`, drop runs holding a line break."""
    pieces: list[str] = []
    norm_starts, orig_starts = [0], [0]
    pos = npos = 0
    for a, b in runs:
        run = cleaned[a:b]
        # A line break joins without a space, unless the line ended in a space (wrapped at a word).
        repl = "" if join_lines and ("\n" in run or "\r" in run) and run[0] in "\r\n" else " "
        if run == repl:
            continue
        pieces.append(cleaned[pos:a])
        npos += a - pos
        norm_starts.append(npos)
        orig_starts.append(a)
        pieces.append(repl)
        npos += len(repl)
        norm_starts.append(npos)
        orig_starts.append(b)
        pos = b
    pieces.append(cleaned[pos:])
    text = "".join(pieces)
    return _View(text, text.lower(), tuple(norm_starts), tuple(orig_starts))


def _clean(text: str) -> str:
    return _ANSI.sub("", text[:MAX_CHARS])


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    rule: _Rule
    codes: Weighted


def _views(cleaned: str) -> list[_View]:
    """Whitespace collapsed; plus, when there are line breaks, lines joined without a space."""
    runs = [m.span() for m in _WHITESPACE.finditer(cleaned)]
    views = [_make_view(cleaned, runs, join_lines=False)]
    if "\n" in cleaned or "\r" in cleaned:
        views.append(_make_view(cleaned, runs, join_lines=True))
    return views


def _find_hits(views: list[_View]) -> list[_Hit]:
    hits: dict[tuple[str, int], _Hit] = {}
    for view in views:
        for rule in _RULES:
            if not _present(rule.needles, view.lowered):
                continue
            for m in rule.regex.finditer(view.text):
                start, end = view.span(*m.span())
                if (rule.id, start) in hits or end <= start:
                    continue
                codes = rule.classify(m) if rule.classify else rule.codes
                if codes:
                    hits[(rule.id, start)] = _Hit(start, end, rule, codes)
    scopes = [h for h in hits.values() if h.rule.scope]
    kept = [
        h
        for h in hits.values()
        if h.rule.scope or not any(s.start <= h.start and h.end <= s.end for s in scopes)
    ]
    kept.sort(key=lambda h: (h.start, h.rule.id))
    return kept


def _find_client(views: list[_View], hits: list[_Hit]) -> str | None:
    """The most likely client: highest-ranked marker, then most markers, then a fixed order."""
    scores: dict[str, tuple[int, int]] = {}

    def add(client: str, rank: int) -> None:
        best, count = scores.get(client, (0, 0))
        scores[client] = (max(best, rank), count + 1)

    for client, regex, rank, needles in _CLIENT_MARKERS:
        if any(_present(needles, view.lowered) and regex.search(view.text) for view in views):
            add(client, rank)
    for hit in hits:
        if hit.rule.client:
            add(hit.rule.client, _RULE_CLIENT_RANK)
    if not scores:
        return None
    order = {client: i for i, client in enumerate(_CLIENT_ORDER)}
    return min(scores, key=lambda c: (-scores[c][0], -scores[c][1], order.get(c, len(order)), c))


def explain(text: str) -> Explanation:
    """Recognise pasted TLS error output; see the module docstring. Never raises on any str."""
    if not isinstance(text, str):
        raise TypeError("explain() takes text (str)")
    cleaned = _clean(text)
    views = _views(cleaned)
    hits = _find_hits(views)
    if not hits:
        return Explanation(client=None, findings=(), matches=())
    client = _find_client(views, hits)

    # A handshake_failure alert plus talk of client certificates: the server wanted one.
    context = _CLIENT_CERT_CONTEXT.search(cleaned) if any(_is_handshake_alert(h) for h in hits) else None

    matches: list[Match] = []
    hint_flags: list[bool] = []
    seen: set[tuple[str, Code]] = set()
    for hit in hits:
        excerpt = cleaned[hit.start : hit.end]
        codes = _swap_for_client_cert(hit.codes) if context and _is_handshake_alert(hit) else hit.codes
        for code, weight in codes:
            if (hit.rule.id, code) in seen:
                continue
            seen.add((hit.rule.id, code))
            matches.append(Match(code, hit.rule.client or client, hit.rule.id, excerpt, round(weight, 3)))
            hint_flags.append(hit.rule.hint)

    if context:
        matches.append(Match(C.MTLS_CERT_REQUIRED, client, "context.client-cert", context.group(), 0.5))
        hint_flags.append(False)

    return Explanation(client=client, findings=_rank(matches, hint_flags), matches=tuple(matches))


def _is_handshake_alert(hit: _Hit) -> bool:
    codes = dict(hit.codes)
    return hit.rule.handshake_alert or (C.HANDSHAKE_FAILED in codes and C.MTLS_CERT_REQUIRED in codes)


def _swap_for_client_cert(codes: Weighted) -> Weighted:
    """With client certificates in play, a handshake_failure most likely means "none was sent"."""
    weights = dict(codes)
    failed, required = weights.get(C.HANDSHAKE_FAILED, 0.0), weights.get(C.MTLS_CERT_REQUIRED, 0.0)
    if failed <= required:
        return codes
    weights[C.HANDSHAKE_FAILED], weights[C.MTLS_CERT_REQUIRED] = required, failed
    return tuple(sorted(weights.items(), key=lambda item: -item[1]))


def _rank(matches: list[Match], hint_flags: list[bool]) -> tuple[Finding, ...]:
    """Sum weights per code; hint-only codes count only when nothing specific matched."""
    strong = {m.code for m, hint in zip(matches, hint_flags) if not hint}
    totals: dict[Code, float] = {}
    best: dict[Code, Match] = {}
    for m in matches:
        if strong and m.code not in strong:
            continue
        totals[m.code] = totals.get(m.code, 0.0) + m.weight
        if m.code not in best or m.weight > best[m.code].weight:
            best[m.code] = m
    severity = Severity.ERROR if strong else Severity.INFO
    ordered = sorted(totals, key=lambda code: (-round(totals[code], 6), _CODE_ORDER[code]))
    return tuple(
        Finding(
            code=code,
            severity=severity,
            evidence={"excerpt": best[code].excerpt, "client": best[code].client, "pattern": best[code].pattern_id},
        )
        for code in ordered
    )
