"""Rules for failures before any certificate is judged: not TLS, refused, timed out, DNS, handshake.

Data: one Rule per message a client prints, with the literal needles every
match contains. This module must not match text or do I/O.
"""

from __future__ import annotations

from tlsdoctor.explain.rule import Rule
from tlsdoctor.findings import Code as C

TRANSPORT_RULES: tuple[Rule, ...] = (
    # not TLS, refused, timed out, DNS
    Rule("openssl.wrong-version", r"\bwrong[ _]version[ _]number\b", ((C.NOT_TLS, 2.0),), needles=("version",)),
    Rule("openssl.packet-too-long", r"\bpacket[ _]length[ _]too[ _]long\b", ((C.NOT_TLS, 1.5),), needles=("packet",)),
    Rule("openssl.http-request", r"routines:[^:\s]{0,40}:http request\b|\bHTTP_REQUEST\b|http request sent to https port",
         ((C.NOT_TLS, 1.5),), needles=(":http request", "http_request", "http request sent to https port")),
    Rule("nginx.plain-http", r"The plain HTTP request was sent to HTTPS port", ((C.NOT_TLS, 2.0),), "nginx", needles=("the plain http request was sent to https port",)),
    Rule("go.http-response", r"server gave HTTP response to HTTPS client", ((C.NOT_TLS, 2.0),), "go", needles=("server gave http response to https client",)),
    Rule("go.first-record", r"tls: first record does not look like a TLS handshake", ((C.NOT_TLS, 2.0),), "go", needles=("tls: first record does not look like a tls handshake",)),
    Rule("docker.malformed", r"malformed HTTP response \"\\x15\\x03", ((C.NOT_TLS, 1.5),), "docker", needles=('malformed http response "\\x15\\x03',)),
    Rule("java.unrecognized", r"Unsupported or unrecognized SSL message", ((C.NOT_TLS, 2.0),), "java", needles=("unsupported or unrecognized ssl message",)),
    Rule("java.plaintext", r"plaintext connection\?", ((C.NOT_TLS, 1.5),), "java", needles=("plaintext connection?",)),
    Rule("firefox.RECORD_TOO_LONG", r"\bSSL_ERROR_RX_RECORD_TOO_LONG\b", ((C.NOT_TLS, 2.0),), "firefox", needles=("ssl_error_rx_record_too_long",)),
    Rule("dotnet.packet-format", r"The handshake failed due to an unexpected packet format", ((C.NOT_TLS, 2.0),), "dotnet", needles=("the handshake failed due to an unexpected packet format",)),
    Rule("gnutls.unexpected-packet", r"An unexpected TLS packet was received", ((C.NOT_TLS, 1.0),), needles=("an unexpected tls packet was received",)),
    Rule("net.refused", r"\bconnection refused\b|\bECONNREFUSED\b|actively refused it|\bConnectionRefusedError\b",
         ((C.CONNECT_REFUSED, 2.0),), needles=("connection refused", "econnrefused", "actively refused it", "connectionrefusederror")),
    Rule("chrome.ERR_CONNECTION_REFUSED", r"\bERR_CONNECTION_REFUSED\b", ((C.CONNECT_REFUSED, 2.0),), "chrome", needles=("err_connection_refused",)),
    Rule("net.timeout",
         r"\bconnection timed out\b|\bconnect timed out\b|\bETIMEDOUT\b|\bi/o timeout\b|\bTimeout was reached\b"
         r"|\bConnectTimeout(?:Error)?\b|\bTLS handshake timeout\b|\bERR_CONNECTION_TIMED_OUT\b"
         r"|\bconnection attempt failed because the connected party did not properly respond\b",
         ((C.CONNECT_TIMEOUT, 2.0),), needles=("connection timed out", "connect timed out", "etimedout", "i/o timeout", "timeout was reached", "connecttimeout", "tls handshake timeout", "err_connection_timed_out", "connection attempt failed because the connected party did not properly respond")),
    Rule("curl.operation-timeout", r"\bOperation timed out after\b", ((C.CONNECT_TIMEOUT, 0.8),), "curl", needles=("operation timed out after",)),
    Rule("dns.nxdomain",
         r"Could not resolve host|\bno such host\b|\bENOTFOUND\b|Name or service not known|nodename nor servname provided"
         r"|\bUnknownHostException\b|\bERR_NAME_NOT_RESOLVED\b|No such host is known|\bNameResolutionError\b",
         ((C.DNS_NXDOMAIN, 2.0),), needles=("could not resolve host", "no such host", "enotfound", "name or service not known", "nodename nor servname provided", "unknownhostexception", "err_name_not_resolved", "no such host is known", "nameresolutionerror")),
    Rule("dns.temporary", r"Temporary failure in name resolution|\bEAI_AGAIN\b", ((C.DNS_ERROR, 2.0),), needles=("temporary failure in name resolution", "eai_again")),
    # generic handshake failures
    Rule("chrome.ERR_SSL_PROTOCOL_ERROR", r"\bERR_SSL_PROTOCOL_ERROR\b",
         ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.3), (C.NOT_TLS, 0.3)), "chrome", handshake_alert=True, needles=("err_ssl_protocol_error",)),
    Rule("chrome.ERR_SSL_VERSION_OR_CIPHER_MISMATCH", r"\bERR_SSL_VERSION_OR_CIPHER_MISMATCH\b", ((C.HANDSHAKE_FAILED, 1.5),), "chrome", needles=("err_ssl_version_or_cipher_mismatch",)),
    Rule("firefox.SSL_ERROR_NO_CYPHER_OVERLAP", r"\bSSL_ERROR_NO_CYPHER_OVERLAP\b", ((C.HANDSHAKE_FAILED, 1.5),), "firefox", needles=("ssl_error_no_cypher_overlap",)),
    Rule("schannel.illegal-message", r"\bSEC_E_ILLEGAL_MESSAGE\b|\b0x80090326\b",
         ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.4)), handshake_alert=True, needles=("sec_e_illegal_message", "0x80090326")),
)
