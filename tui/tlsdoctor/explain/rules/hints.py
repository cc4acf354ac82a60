"""Weak hints: exit codes and generic wrappers that say only "some TLS problem".

Their codes become `info` findings, and only when nothing specific matched
(`hint=True`). Data: this module must not match text or do I/O.
"""

from __future__ import annotations

from tlsdoctor.explain.rule import Rule
from tlsdoctor.findings import Code as C

HINT_RULES: tuple[Rule, ...] = (
    # exit codes and generic wrappers
    Rule("curl.exit-60", r"\bcurl: \(60\)|\bcurl#60\b", ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), "curl", hint=True, needles=("curl",)),
    Rule("curl.exit-51", r"\bcurl: \(51\)|\bcurl#51\b", ((C.HOSTNAME_MISMATCH, 0.2), (C.CHAIN_UNTRUSTED, 0.15)), "curl", hint=True, needles=("curl",)),
    Rule("curl.exit-35", r"\bcurl: \(35\)|\bcurl#35\b", ((C.HANDSHAKE_FAILED, 0.2), (C.MTLS_CERT_REQUIRED, 0.1)), "curl", hint=True, needles=("curl",)),
    Rule("curl.exit-56", r"\bcurl: \(56\)|\bcurl#56\b", ((C.HANDSHAKE_FAILED, 0.1), (C.MTLS_CERT_REQUIRED, 0.1)), "curl", hint=True, needles=("curl",)),
    Rule("curl.exit-58", r"\bcurl: \(58\)", ((C.MTLS_KEY_MISMATCH, 0.2),), "curl", hint=True, needles=("curl: (58)",)),
    Rule("curl.legitimacy", r"curl failed to verify the legitimacy of the server",
         ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), "curl", hint=True, needles=("curl failed to verify the legitimacy of the server",)),
    Rule("any.verify-failed", r"certificate[ _]verify[ _]failed",
         ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.15)), hint=True, needles=("certificate",)),
    Rule("dotnet.validation-procedure", r"The remote certificate is invalid according to the validation procedure",
         ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True, needles=("the remote certificate is invalid according to the validation procedure",)),
    Rule("dotnet.trust-relationship", r"Could not establish trust relationship for the SSL/TLS secure channel",
         ((C.CHAIN_UNTRUSTED, 0.3), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True, needles=("could not establish trust relationship for the ssl/tls secure channel",)),
    Rule("dotnet.callback", r"rejected by (?:the )?RemoteCertificateValidationCallback",
         ((C.CHAIN_UNTRUSTED, 0.2), (C.HOSTNAME_MISMATCH, 0.2)), "dotnet", hint=True, needles=("remotecertificatevalidationcallback",)),
    Rule("any.unexpected-eof", r"unexpected eof while reading|EOF occurred in violation of protocol|\bSSL_ERROR_SYSCALL\b",
         ((C.HANDSHAKE_FAILED, 0.3), (C.MTLS_UNKNOWN_CA, 0.2)), hint=True, needles=("unexpected eof while reading", "eof occurred in violation of protocol", "ssl_error_syscall")),
    Rule("curl.empty-reply", r"\bcurl: \(52\) Empty reply from server", ((C.MTLS_UNKNOWN_CA, 0.2), (C.HANDSHAKE_FAILED, 0.2)),
         "curl", hint=True, needles=("curl: (52) empty reply from server",)),
    Rule("kubectl.unauthorized", r"You must be logged in to the server \(Unauthorized\)",
         ((C.MTLS_BAD_CERTIFICATE, 0.3), (C.MTLS_CERT_REQUIRED, 0.2)), "kubectl", hint=True, needles=("you must be logged in to the server (unauthorized)",)),
    Rule("chrome.ERR_CERT_INVALID", r"(?:net::)?\bERR_CERT_INVALID\b", ((C.CHAIN_UNTRUSTED, 0.3),), "chrome", hint=True, needles=("err_cert_invalid",)),
)
