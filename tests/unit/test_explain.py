"""Tests for `tlsdoctor.explain`: real client error texts (shared/reference/error-messages.md)
and the ways people paste them (wrapped, coloured, inside stack traces, translated pages)."""

from __future__ import annotations

import json
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tlsdoctor.explain import MAX_CHARS, Explanation, explain
from tlsdoctor.explain.rules import CLIENT_MARKERS, RULES
from tlsdoctor.explain.text import clean, views
from tlsdoctor.findings import Code, Finding, Severity

C = Code

# (id, pasted text, expected client, expected leading codes in order)
CASES: list[tuple[str, str, str | None, tuple[Code, ...]]] = [
    # ---- OpenSSL s_client / verify
    ("openssl-62", "depth=0 CN = other.example\nverify error:num=62:hostname mismatch\nverify return:1\n"
     "Verification error: hostname mismatch", "openssl", (C.HOSTNAME_MISMATCH,)),
    ("openssl-64", "verify error:num=64:IP address mismatch\nVerify return code: 64 (IP address mismatch)",
     "openssl", (C.IP_NOT_IN_SAN,)),
    ("openssl-18", "verify error:num=18:self-signed certificate\nVerify return code: 18 (self-signed certificate)",
     "openssl", (C.SELF_SIGNED,)),
    ("openssl-19-111", "verify error:num=19:self signed certificate in certificate chain", "openssl",
     (C.CHAIN_UNTRUSTED, C.SELF_SIGNED)),
    ("openssl-20", "verify error:num=20:unable to get local issuer certificate", "openssl",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("openssl-21", "verify error:num=20:unable to get local issuer certificate\nverify error:num=21:unable to verify "
     "the first certificate\nVerify return code: 21 (unable to verify the first certificate)", "openssl",
     (C.CHAIN_INCOMPLETE, C.CHAIN_UNTRUSTED)),
    ("openssl-10", "verify error:num=10:certificate has expired\nnotAfter=Jan  1 00:00:00 2020 GMT", "openssl",
     (C.CERT_EXPIRED,)),
    ("openssl-9", "verify error:num=9:certificate is not yet valid\nnotBefore=Jan  1 00:00:00 2090 GMT", "openssl",
     (C.CERT_NOT_YET_VALID,)),
    ("openssl-9-new", "verify error:num=9:certificate is not yet valid or the system clock is incorrect", "openssl",
     (C.CERT_NOT_YET_VALID,)),
    ("openssl-26", "verify error:num=26:unsuitable certificate purpose", "openssl", (C.EKU_NO_SERVER_AUTH,)),
    ("openssl-alert-48", "40C7A2F1A17F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:"
     "../ssl/record/rec_layer_s3.c:1586:SSL alert number 48", "openssl", (C.MTLS_UNKNOWN_CA, C.MTLS_CHAIN_INCOMPLETE)),
    ("openssl111-alert-42", "error:14094412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:"
     "ssl/record/rec_layer_s3.c:1543:SSL alert number 42", "openssl", (C.MTLS_BAD_CERTIFICATE,)),
    ("openssl-alert-116", "CONNECTION ESTABLISHED\n4057:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert "
     "certificate required:../ssl/record/rec_layer_s3.c:1586:SSL alert number 116", "openssl",
     (C.MTLS_CERT_REQUIRED,)),
    ("openssl-alert-49", "error:0A000419:SSL routines::tlsv1 alert access denied:SSL alert number 49", None,
     (C.MTLS_IDENTITY_MISMATCH, C.MTLS_BAD_CERTIFICATE)),
    ("openssl-alert-43", "error:0A000413:SSL routines::sslv3 alert unsupported certificate:SSL alert number 43", None,
     (C.MTLS_EKU_NO_CLIENT_AUTH,)),
    ("openssl-alert-45", "error:0A000415:SSL routines::sslv3 alert certificate expired:SSL alert number 45", None,
     (C.MTLS_BAD_CERTIFICATE,)),
    ("openssl-alert-46", "error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46", None,
     (C.MTLS_BAD_CERTIFICATE, C.MTLS_UNKNOWN_CA)),
    ("openssl-40-no-context", "error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40", None,
     (C.HANDSHAKE_FAILED, C.MTLS_CERT_REQUIRED)),
    ("openssl-40-client-cert-context", "$ openssl s_client -connect api.example:443 -cert client.pem -key client.key\n"
     "error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40", "openssl",
     (C.MTLS_CERT_REQUIRED, C.HANDSHAKE_FAILED)),
    ("openssl-wrong-version", "error:0A00010B:SSL routines::wrong version number", None, (C.NOT_TLS,)),
    ("openssl-server-no-cert", "error:0A0000C7:SSL routines:tls_process_client_certificate:peer did not return a "
     "certificate", None, (C.MTLS_CERT_REQUIRED,)),
    ("openssl-http-request", "error:0A00009C:SSL routines::http request", None, (C.NOT_TLS,)),
    ("openssl-key-mismatch", "error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch",
     None, (C.MTLS_KEY_MISMATCH,)),
    # ---- curl (OpenSSL, GnuTLS, Schannel, NSS)
    ("curl-old-name", "curl: (60) SSL: no alternative certificate subject name matches target host name "
     "'api.example.com'\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the "
     "legitimacy of the server and therefore could not establish a secure connection to it.", "curl",
     (C.HOSTNAME_MISMATCH,)),
    ("curl-old-ip", "curl: (60) SSL: no alternative certificate subject name matches target host name '127.0.0.1'",
     "curl", (C.IP_NOT_IN_SAN,)),
    ("curl-87-ipv4", "curl: (60) SSL: no alternative certificate subject name matches target ipv4 address '10.0.0.5'",
     "curl", (C.IP_NOT_IN_SAN,)),
    ("curl-89-hostname", "curl: (60) SSL: no alternative certificate subject name matches target hostname 'a.example'",
     "curl", (C.HOSTNAME_MISMATCH,)),
    ("curl-cn-fallback", "curl: (60) SSL: certificate subject name 'localhost' does not match target host name "
     "'api.example'", "curl", (C.HOSTNAME_MISMATCH, C.CN_ONLY)),
    ("curl-gnutls-name", "curl: (60) SSL: certificate subject name (other.example) does not match target host name "
     "'api.example'", "curl", (C.HOSTNAME_MISMATCH,)),
    ("curl-schannel-name", "curl: (60) schannel: SNI or certificate check failed: SEC_E_WRONG_PRINCIPAL (0x80090322) - "
     "The target principal name is incorrect.", "curl", (C.HOSTNAME_MISMATCH,)),
    ("curl-nss-name", "curl: (51) Unable to communicate securely with peer: requested domain name does not match the "
     "server's certificate.", "curl", (C.HOSTNAME_MISMATCH,)),
    ("curl-self-signed", "curl: (60) SSL certificate problem: self-signed certificate", "curl", (C.SELF_SIGNED,)),
    ("curl-self-signed-chain", "curl: (60) SSL certificate problem: self-signed certificate in certificate chain",
     "curl", (C.CHAIN_UNTRUSTED, C.SELF_SIGNED)),
    ("curl-local-issuer", "curl: (60) SSL certificate problem: unable to get local issuer certificate", "curl",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("curl-expired", "curl: (60) SSL certificate problem: certificate has expired", "curl", (C.CERT_EXPIRED,)),
    ("curl-not-yet", "curl: (60) SSL certificate problem: certificate is not yet valid", "curl",
     (C.CERT_NOT_YET_VALID,)),
    ("curl-schannel-untrusted", "curl: (60) schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was "
     "issued by an authority that is not trusted.", "curl", (C.CHAIN_UNTRUSTED,)),
    ("curl-schannel-expired", "curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_CERT_EXPIRED "
     "(0x80090328) - The received certificate has expired.", "curl", (C.CERT_EXPIRED,)),
    ("curl-nss-issuer", "curl: (60) Peer's Certificate issuer is not recognized.", "curl",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("yum-nss-issuer", "[Errno 14] curl#60 - \"Peer's Certificate issuer is not recognized.\"", "curl",
     (C.CHAIN_UNTRUSTED,)),
    ("curl-gnutls-old", "curl: (60) server certificate verification failed. CAfile: /etc/ssl/certs/ca-certificates.crt "
     "CRLfile: none", "curl", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE, C.SELF_SIGNED)),
    ("curl-gnutls-new", "curl: (60) SSL certificate verification failed: certificate signer not trusted. (CAfile: "
     "/etc/ssl/certs/ca-certificates.crt CRLfile: none)", "curl", (C.CHAIN_UNTRUSTED,)),
    ("curl-mtls-12", "curl: (35) OpenSSL/3.0.19: error:0A000418:SSL routines::tlsv1 alert unknown ca", "curl",
     (C.MTLS_UNKNOWN_CA, C.MTLS_CHAIN_INCOMPLETE)),
    ("curl-mtls-13", "curl: (56) OpenSSL SSL_read: OpenSSL/3.0.19: error:0A000418:SSL routines::tlsv1 alert unknown "
     "ca, errno 0", "curl", (C.MTLS_UNKNOWN_CA,)),
    ("curl-mtls-111", "curl: (56) OpenSSL SSL_read: error:14094412:SSL routines:ssl3_read_bytes:sslv3 alert bad "
     "certificate, errno 0", "curl", (C.MTLS_BAD_CERTIFICATE,)),
    ("curl-no-cert-13", "curl: (56) OpenSSL SSL_read: OpenSSL/3.0.19: error:0A00045C:SSL routines::tlsv13 alert "
     "certificate required, errno 0", "curl", (C.MTLS_CERT_REQUIRED,)),
    ("curl-alert-45-trap", "curl: (60) SSL certificate verification failed\nMore details here: "
     "https://curl.se/docs/sslcerts.html", "curl", (C.MTLS_BAD_CERTIFICATE,)),
    ("curl-refused", "curl: (7) Failed to connect to localhost port 8443 after 0 ms: Connection refused", "curl",
     (C.CONNECT_REFUSED,)),
    ("curl-timeout", "curl: (28) Failed to connect to 10.1.2.3 port 443 after 75003 ms: Connection timed out", "curl",
     (C.CONNECT_TIMEOUT,)),
    ("curl-not-tls", "curl: (35) error:0A00010B:SSL routines::wrong version number", "curl", (C.NOT_TLS,)),
    ("curl-packet-too-long", "curl: (35) error:1408F10B:SSL routines:ssl3_get_record:packet length too long", "curl",
     (C.NOT_TLS,)),
    ("curl-dns", "curl: (6) Could not resolve host: nosuch.example", "curl", (C.DNS_NXDOMAIN,)),
    # ---- git
    ("git-openssl-name", "fatal: unable to access 'https://git.example.com/team/repo.git/': SSL: no alternative "
     "certificate subject name matches target host name 'git.example.com'", "git", (C.HOSTNAME_MISMATCH,)),
    ("git-gnutls-name", "fatal: unable to access 'https://git.example.com/r.git/': SSL: certificate subject name "
     "(other.example.com) does not match target host name 'git.example.com'", "git", (C.HOSTNAME_MISMATCH,)),
    ("git-local-issuer", "fatal: unable to access 'https://git.example.com/r.git/': SSL certificate problem: unable to "
     "get local issuer certificate", "git", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("git-schannel", "fatal: unable to access 'https://git.example.com/r.git/': schannel: SEC_E_UNTRUSTED_ROOT "
     "(0x80090325) - The certificate chain was issued by an authority that is not trusted.", "git",
     (C.CHAIN_UNTRUSTED,)),
    ("git-gnutls-verify", "fatal: unable to access 'https://git.example.com/r.git/': server certificate verification "
     "failed. CAfile: none CRLfile: none", "git", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("git-gnutls-unknown-ca", "fatal: unable to access 'https://git.example.com/r.git/': gnutls_handshake() failed: "
     "CA is unknown", "git", (C.MTLS_UNKNOWN_CA,)),
    ("git-gnutls-handshake", "fatal: unable to access 'https://git.example.com/r.git/': gnutls_handshake() failed: "
     "Handshake failed", "git", (C.HANDSHAKE_FAILED, C.MTLS_CERT_REQUIRED)),
    ("git-gnutls-alert-13", "fatal: unable to access 'https://git.example.com/r.git/': GnuTLS recv error (-12): A TLS "
     "fatal alert has been received.", "git", (C.HANDSHAKE_FAILED,)),
    # ---- Python
    ("python-ssl-name", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "Hostname mismatch, certificate is not valid for 'api.example'. (_ssl.c:1006)", "python", (C.HOSTNAME_MISMATCH,)),
    ("python-ssl-ip", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "IP address mismatch, certificate is not valid for '127.0.0.1'. (_ssl.c:1006)", "python", (C.IP_NOT_IN_SAN,)),
    ("requests-name", "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.example', port=443): Max retries "
     "exceeded with url: / (Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] "
     "certificate verify failed: Hostname mismatch, certificate is not valid for 'api.example'. (_ssl.c:1006)\")))",
     "requests", (C.HOSTNAME_MISMATCH,)),
    ("httpx-self-signed", "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "self-signed certificate (_ssl.c:1006)", "httpx", (C.SELF_SIGNED,)),
    ("urllib-expired", "urllib.error.URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
     "failed: certificate has expired (_ssl.c:1006)>", "python", (C.CERT_EXPIRED,)),
    ("urllib3-matcher", "urllib3.exceptions.CertificateError: hostname 'api.example' doesn't match either of "
     "'a.example', 'b.example'", "urllib3", (C.HOSTNAME_MISMATCH,)),
    ("urllib3-no-san", "CertificateError: no appropriate subjectAltName fields were found", "urllib3", (C.CN_ONLY,)),
    ("python-local-issuer", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
     "failed: unable to get local issuer certificate (_ssl.c:1006)", "python", (C.CHAIN_UNTRUSTED,)),
    ("python-unknown-ca", "ssl.SSLError: [SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:2580)",
     "python", (C.MTLS_UNKNOWN_CA,)),
    ("python-cert-required", "ssl.SSLError: [SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate "
     "required (_ssl.c:2580)", "python", (C.MTLS_CERT_REQUIRED,)),
    ("python-access-denied", "ssl.SSLError: [SSL: TLSV1_ALERT_ACCESS_DENIED] tlsv1 alert access denied (_ssl.c:2580)",
     "python", (C.MTLS_IDENTITY_MISMATCH,)),
    ("requests-unknown-ca", "requests.exceptions.SSLError: HTTPSConnectionPool(host='h', port=443): Max retries "
     "exceeded with url: / (Caused by SSLError(SSLError(1, '[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca "
     "(_ssl.c:2580)')))", "requests", (C.MTLS_UNKNOWN_CA,)),
    ("python-strict", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "Basic Constraints of CA cert not marked critical (_ssl.c:1006)", "python", (C.CHAIN_UNTRUSTED,)),
    ("python-wrong-version", "ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)",
     "python", (C.NOT_TLS,)),
    # ---- Java
    ("java-name", "javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.example found.",
     "java", (C.HOSTNAME_MISMATCH,)),
    ("java-ip", "javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No subject alternative "
     "names matching IP address 10.0.0.5 found", "java", (C.IP_NOT_IN_SAN,)),
    ("java-no-san", "java.security.cert.CertificateException: No subject alternative names present", "java",
     (C.IP_NOT_IN_SAN, C.CN_ONLY)),
    ("java-no-name", "java.security.cert.CertificateException: No name matching api.example found", "java",
     (C.HOSTNAME_MISMATCH, C.CN_ONLY)),
    ("java21-name", "javax.net.ssl.SSLHandshakeException: (certificate_unknown) No subject alternative DNS name "
     "matching api.example found.", "java", (C.HOSTNAME_MISMATCH,)),
    ("java-pkix", "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath."
     "SunCertPathBuilderException: unable to find valid certification path to requested target", "java",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("java-expired", "sun.security.validator.ValidatorException: PKIX path validation failed: java.security.cert."
     "CertPathValidatorException: validity check failed\nCaused by: java.security.cert.CertificateExpiredException: "
     "NotAfter: Mon Jan 01 00:00:00 UTC 2024", "java", (C.CERT_EXPIRED,)),
    ("java-not-yet", "java.security.cert.CertificateNotYetValidException: NotBefore: Mon Jan 01 00:00:00 UTC 2090",
     "java", (C.CERT_NOT_YET_VALID,)),
    ("java-alert-unknown-ca", "javax.net.ssl.SSLHandshakeException: Received fatal alert: unknown_ca", "java",
     (C.MTLS_UNKNOWN_CA,)),
    ("java-alert-required", "javax.net.ssl.SSLHandshakeException: (certificate_required) Received fatal alert: "
     "certificate_required", "java", (C.MTLS_CERT_REQUIRED,)),
    ("java-alert-expired", "javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_expired", "java",
     (C.MTLS_BAD_CERTIFICATE,)),
    ("java-server-empty-chain", "javax.net.ssl.SSLHandshakeException: Empty client certificate chain", "java",
     (C.MTLS_CERT_REQUIRED,)),
    ("java-eku", "sun.security.validator.ValidatorException: Extended key usage does not permit use for TLS server "
     "authentication", "java", (C.EKU_NO_SERVER_AUTH,)),
    ("java-plaintext", "javax.net.ssl.SSLException: Unsupported or unrecognized SSL message", "java", (C.NOT_TLS,)),
    # ---- Node.js
    ("node-altname", "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: "
     "api.example. is not in the cert's altnames: DNS:a.example, DNS:b.example\n    at Object.checkServerIdentity "
     "(node:tls:316:12) {\n  code: 'ERR_TLS_CERT_ALTNAME_INVALID'\n}", "node", (C.HOSTNAME_MISMATCH,)),
    ("node-altname-ip", "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: "
     "IP: 127.0.0.1 is not in the cert's list: ", "node", (C.IP_NOT_IN_SAN,)),
    ("node-cn", "Hostname/IP does not match certificate's altnames: Host: api.example. is not cert's CN: localhost\n"
     "  code: 'ERR_TLS_CERT_ALTNAME_INVALID'", "node", (C.HOSTNAME_MISMATCH, C.CN_ONLY)),
    ("node-self-signed", "Error: self-signed certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34) {\n"
     "  code: 'DEPTH_ZERO_SELF_SIGNED_CERT'\n}", "node", (C.SELF_SIGNED,)),
    ("node-leaf", "Error: unable to verify the first certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674"
     ":34) {\n  code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'\n}", "node", (C.CHAIN_INCOMPLETE, C.CHAIN_UNTRUSTED)),
    ("node-local-issuer", "TypeError: fetch failed\n  [cause]: Error: unable to get local issuer certificate\n"
     "  code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'", "node", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("node-expired", "Error: certificate has expired\n  code: 'CERT_HAS_EXPIRED'", "node", (C.CERT_EXPIRED,)),
    ("node-unknown-ca", "Error: C0D7:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/"
     "openssl/ssl/record/rec_layer_s3.c:1586:SSL alert number 48\n  code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'", "node",
     (C.MTLS_UNKNOWN_CA,)),
    ("node-cert-required", "code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'", "node", (C.MTLS_CERT_REQUIRED,)),
    ("node-eproto-40", "Error: write EPROTO C0D7:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake "
     "failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1586:SSL alert number 40\n  code: 'EPROTO'\n"
     "// https.request({ cert: fs.readFileSync('client.pem'), key }) -- client certificate given", "node",
     (C.MTLS_CERT_REQUIRED, C.HANDSHAKE_FAILED)),
    ("node-refused", "Error: connect ECONNREFUSED 127.0.0.1:8443\n    at TCPConnectWrap.afterConnect [as oncomplete] "
     "(node:net:1555:16)", "node", (C.CONNECT_REFUSED,)),
    # ---- Go
    ("go-valid-for", "Get \"https://api.example/\": tls: failed to verify certificate: x509: certificate is valid for "
     "a.example, b.example, not api.example", "go", (C.HOSTNAME_MISMATCH,)),
    ("go-valid-for-ip", "x509: certificate is valid for 10.0.0.1, 10.0.0.2, not 10.0.0.3", "go", (C.IP_NOT_IN_SAN,)),
    ("go-no-ip-sans", "x509: cannot validate certificate for 10.0.0.3 because it doesn't contain any IP SANs", "go",
     (C.IP_NOT_IN_SAN,)),
    ("go-no-names", "x509: certificate is not valid for any names, but wanted to match api.example", "go",
     (C.HOSTNAME_MISMATCH,)),
    ("go-legacy-cn", "x509: certificate relies on legacy Common Name field, use SANs instead", "go", (C.CN_ONLY,)),
    ("go-legacy-cn-115", "x509: certificate relies on legacy Common Name field, use SANs or temporarily enable Common "
     "Name matching with GODEBUG=x509ignoreCN=0", "go", (C.CN_ONLY,)),
    ("go-unknown-authority", "tls: failed to verify certificate: x509: certificate signed by unknown authority", "go",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("go-expired", "x509: certificate has expired or is not yet valid: current time 2025-03-01T10:00:00Z is after "
     "2025-01-01T00:00:00Z", "go", (C.CERT_EXPIRED,)),
    ("go-not-yet", "x509: certificate has expired or is not yet valid: current time 2025-03-01T10:00:00Z is before "
     "2090-01-01T00:00:00Z", "go", (C.CERT_NOT_YET_VALID,)),
    ("go-remote-unknown-ca", "remote error: tls: unknown certificate authority", "go", (C.MTLS_UNKNOWN_CA,)),
    ("go-remote-bad-cert", "remote error: tls: bad certificate", "go", (C.MTLS_BAD_CERTIFICATE,)),
    ("go-remote-unknown-cert", "remote error: tls: unknown certificate", "go", (C.MTLS_BAD_CERTIFICATE,)),
    ("go-remote-required", "remote error: tls: certificate required", "go", (C.MTLS_CERT_REQUIRED,)),
    ("go-server-no-cert", "http: TLS handshake error from 10.0.0.9:51234: tls: client didn't provide a certificate",
     "go", (C.MTLS_CERT_REQUIRED,)),
    ("go-server-client-verify", "http: TLS handshake error from 10.0.0.9:51234: tls: failed to verify client's "
     "certificate: x509: certificate signed by unknown authority", "go", (C.MTLS_UNKNOWN_CA,)),
    ("go-server-peer-rejected", "http: TLS handshake error from 10.0.0.9:51234: remote error: tls: bad certificate",
     "go", (C.CHAIN_UNTRUSTED, C.HOSTNAME_MISMATCH)),
    ("go-http-response", "http: server gave HTTP response to HTTPS client", "go", (C.NOT_TLS,)),
    # ---- kubectl, docker
    ("kubectl-name", "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid "
     "for kubernetes, kubernetes.default, 10.96.0.1, not k8s.example.com", "kubectl", (C.HOSTNAME_MISMATCH,)),
    ("kubectl-old-ip", "error: couldn't read version from server: Get https://10.0.0.1:6443/api: x509: certificate "
     "is valid for 10.96.0.1, 192.168.1.10, not 10.0.0.1", "kubectl", (C.IP_NOT_IN_SAN,)),
    ("kubectl-unknown-authority", "Unable to connect to the server: x509: certificate signed by unknown authority",
     "kubectl", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("kubectl-webhook-cn", "Error from server (InternalError): Internal error occurred: failed calling webhook "
     "\"v.example.io\": Post \"https://svc.ns.svc:443/validate?timeout=10s\": x509: certificate relies on legacy Common "
     "Name field, use SANs instead", "kubectl", (C.CN_ONLY,)),
    ("docker-unknown-authority", "Error response from daemon: Get \"https://registry.example:5000/v2/\": x509: "
     "certificate signed by unknown authority", "docker", (C.CHAIN_UNTRUSTED,)),
    ("docker-name", "Error response from daemon: Get \"https://registry.example:5000/v2/\": tls: failed to verify "
     "certificate: x509: certificate is valid for other.example, not registry.example", "docker",
     (C.HOSTNAME_MISMATCH,)),
    ("docker-cn", "Error response from daemon: Get \"https://reg:5000/v2/\": x509: certificate relies on legacy Common "
     "Name field, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0", "docker",
     (C.CN_ONLY,)),
    ("docker-malformed", "Error response from daemon: Get http://10.0.0.5:5000/v2/: malformed HTTP response "
     "\"\\x15\\x03\\x01\\x00\\x02\\x02\"", "docker", (C.NOT_TLS,)),
    # ---- browsers
    ("chrome-name", "Your connection is not private\nNET::ERR_CERT_COMMON_NAME_INVALID", "chrome",
     (C.HOSTNAME_MISMATCH,)),
    ("chrome-authority", "NET::ERR_CERT_AUTHORITY_INVALID", "chrome", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("chrome-date", "net::ERR_CERT_DATE_INVALID", "chrome", (C.CERT_EXPIRED, C.CERT_NOT_YET_VALID)),
    ("chrome-client-auth", "This site can't provide a secure connection\napi.example didn't accept your login "
     "certificate, or one may not have been provided.\nERR_BAD_SSL_CLIENT_AUTH_CERT", "chrome",
     (C.MTLS_BAD_CERTIFICATE, C.MTLS_CERT_REQUIRED)),
    ("chrome-missing-san", "Subject Alternative Name: [missing_subjectAltName]\nNET::ERR_CERT_COMMON_NAME_INVALID",
     "chrome", (C.HOSTNAME_MISMATCH, C.CN_ONLY)),
    ("firefox-domain", "Error code: SSL_ERROR_BAD_CERT_DOMAIN", "firefox", (C.HOSTNAME_MISMATCH,)),
    ("firefox-unknown-issuer", "Error code: SEC_ERROR_UNKNOWN_ISSUER", "firefox", (C.CHAIN_UNTRUSTED,)),
    ("firefox-expired", "Error code: SEC_ERROR_EXPIRED_CERTIFICATE", "firefox", (C.CERT_EXPIRED,)),
    ("firefox-self-signed", "Error code: MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", "firefox", (C.SELF_SIGNED,)),
    ("firefox-not-yet", "Error code: MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE", "firefox", (C.CERT_NOT_YET_VALID,)),
    ("firefox-unknown-ca-alert", "Peer does not recognize and trust the CA that issued your certificate.\nError code: "
     "SSL_ERROR_UNKNOWN_CA_ALERT", "firefox", (C.MTLS_UNKNOWN_CA,)),
    ("firefox-cert-required", "SSL received a certificate_required alert.\nError code: "
     "SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", "firefox", (C.MTLS_CERT_REQUIRED,)),
    ("firefox-bad-cert-alert", "Error code: SSL_ERROR_BAD_CERT_ALERT", "firefox", (C.MTLS_BAD_CERTIFICATE,)),
    ("firefox-record-too-long", "Error code: SSL_ERROR_RX_RECORD_TOO_LONG", "firefox", (C.NOT_TLS,)),
    # ---- .NET
    ("dotnet-name", "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner "
     "exception.\n ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid "
     "according to the validation procedure: RemoteCertificateNameMismatch", "dotnet", (C.HOSTNAME_MISMATCH,)),
    ("dotnet-name-and-chain", "The remote certificate is invalid according to the validation procedure: "
     "RemoteCertificateNameMismatch, RemoteCertificateChainErrors", "dotnet", (C.HOSTNAME_MISMATCH, C.CHAIN_UNTRUSTED)),
    ("dotnet-untrusted", "System.Security.Authentication.AuthenticationException: The remote certificate is invalid "
     "because of errors in the certificate chain: UntrustedRoot", "dotnet", (C.CHAIN_UNTRUSTED,)),
    ("dotnet-partial", "The remote certificate is invalid because of errors in the certificate chain: PartialChain",
     "dotnet", (C.CHAIN_INCOMPLETE,)),
    ("dotnet-not-time-valid", "The remote certificate is invalid because of errors in the certificate chain: "
     "NotTimeValid", "dotnet", (C.CERT_EXPIRED,)),
    ("dotnet-alert", "System.Security.Authentication.AuthenticationException: Authentication failed because the remote "
     "party sent a TLS alert: 'UnknownCA'", "dotnet", (C.MTLS_UNKNOWN_CA,)),
    # ---- nginx
    ("nginx-upstream-name", "2024/05/01 10:00:00 [error] 12#12: *3 upstream SSL certificate does not match "
     "\"backend.internal\" while SSL handshaking to upstream, client: 10.0.0.1", "nginx", (C.HOSTNAME_MISMATCH,)),
    ("nginx-upstream-verify", "upstream SSL certificate verify error: (20:unable to get local issuer certificate) while "
     "SSL handshaking to upstream", "nginx", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("nginx-upstream-expired", "upstream SSL certificate verify error: (10:certificate has expired) while SSL "
     "handshaking to upstream", "nginx", (C.CERT_EXPIRED,)),
    ("nginx-upstream-rejects-client", "SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad "
     "certificate:SSL alert number 42) while SSL handshaking to upstream", "nginx", (C.MTLS_BAD_CERTIFICATE,)),
    ("nginx-no-cert-page", "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
     "<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n<hr><center>"
     "nginx/1.25.3</center>", "nginx", (C.MTLS_CERT_REQUIRED,)),
    ("nginx-no-cert-log", "client sent no required SSL certificate while reading client request headers", "nginx",
     (C.MTLS_CERT_REQUIRED,)),
    ("nginx-cert-error-page", "<title>400 The SSL certificate error</title>", "nginx", (C.MTLS_BAD_CERTIFICATE,)),
    ("nginx-client-verify", "client SSL certificate verify error: (20:unable to get local issuer certificate) while "
     "reading client request headers", "nginx", (C.MTLS_UNKNOWN_CA, C.MTLS_CHAIN_INCOMPLETE)),
    ("nginx-client-verify-expired", "client SSL certificate verify error: (10:certificate has expired) while reading "
     "client request headers", "nginx", (C.MTLS_BAD_CERTIFICATE,)),
    ("nginx-downstream-unknown-ca", "SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown "
     "ca:SSL alert number 48) while SSL handshaking, client: 10.0.0.7, server: 0.0.0.0:443", "nginx",
     (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("nginx-plain-http", "400 Bad Request\nThe plain HTTP request was sent to HTTPS port", "nginx", (C.NOT_TLS,)),
    # ---- Envoy / Istio
    ("envoy-san", "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, "
     "transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify "
     "cert failed: verify SAN list:TLS_error_end", "envoy", (C.HOSTNAME_MISMATCH,)),
    ("envoy-chain", "transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:"
     "CERTIFICATE_VERIFY_FAILED:verify cert failed: X509_verify_cert: certificate verification error at depth 0: "
     "unable to get local issuer certificate:TLS_error_end", "envoy", (C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE)),
    ("envoy-no-client-cert", "TLS_error:|268435648:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:"
     "peer did not provide required client certificate:TLS_error_end", "envoy", (C.MTLS_CERT_REQUIRED,)),
    ("envoy-stat-listener-san", "listener.0.0.0.0_8443.ssl.fail_verify_san: 17", "envoy", (C.MTLS_IDENTITY_MISMATCH,)),
    ("envoy-stat-cluster-san", "cluster.outbound|443||api.example.svc.cluster.local.ssl.fail_verify_san: 3", "envoy",
     (C.HOSTNAME_MISMATCH,)),
    ("envoy-stat-no-cert", "listener.0.0.0.0_8443.ssl.fail_verify_no_cert: 5", "envoy", (C.MTLS_CERT_REQUIRED,)),
    # ---- mTLS identity and RFC 8705
    ("identity-not-mapped", "403 Forbidden: client certificate identity not mapped", None, (C.MTLS_IDENTITY_MISMATCH,)),
    ("identity-cn-expected", "rejected: CN 'svc-a.example' does not match expected identity 'svc-b.example'", None,
     (C.MTLS_IDENTITY_MISMATCH,)),
    ("rfc8705-cnf", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description="
     "\"certificate thumbprint does not match cnf x5t#S256\"", None, (C.MTLS_CNF_MISMATCH,)),
    ("go-key-mismatch", "tls: private key does not match public key", "go", (C.MTLS_KEY_MISMATCH,)),
]


def codes_of(result: Explanation) -> list[Code]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize(("text", "client", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reference_texts(text: str, client: str | None, expected: tuple[Code, ...]) -> None:
    result = explain(text)
    assert codes_of(result)[: len(expected)] == list(expected), result.to_json()
    assert result.client == client
    for match in result.matches:
        assert match.excerpt and match.excerpt in text  # exactly as received
    for finding in result.findings:
        assert finding.evidence["excerpt"] in text
        assert finding.severity is Severity.ERROR


def test_case_ids_are_unique_and_numerous() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 60


# ---- the ways people paste


def _wrap(text: str, width: int, indent: str = "") -> str:
    """Hard-wrap mid-word, as a narrow terminal or a log viewer does."""
    return ("\n" + indent).join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize("case_id", ["python-ssl-name", "java-pkix", "go-valid-for", "curl-old-name", "node-leaf",
                                     "dotnet-name", "envoy-san", "firefox-domain"])
@pytest.mark.parametrize("indent", ["", "    "])
def test_wrapped_mid_word(case_id: str, indent: str) -> None:
    _, text, client, expected = next(c for c in CASES if c[0] == case_id)
    wrapped = _wrap(text, 23, indent)
    result = explain(wrapped)
    assert codes_of(result)[: len(expected)] == list(expected), result.to_json()
    assert result.client == client
    excerpt = result.findings[0].evidence["excerpt"]
    assert excerpt in wrapped  # the original slice, line breaks and indentation kept


def test_wrapped_at_spaces_with_indentation() -> None:
    text = ("curl: (60) SSL: no alternative certificate subject name matches\n        target host name\n"
            "        'api.example.com'")
    result = explain(text)
    assert codes_of(result) == [C.HOSTNAME_MISMATCH]
    assert result.findings[0].evidence["excerpt"] == (
        "no alternative certificate subject name matches\n        target host name\n        'api.example.com'"
    )


def test_ansi_colours_are_stripped_from_matching_and_excerpts() -> None:
    text = ("\x1b[1;31merror\x1b[0m: \x1b[33mcurl: (60)\x1b[0m SSL certificate problem: \x1b[1munable to get local "
            "issuer certificate\x1b[0m\n\x1b]8;;https://curl.se/docs/sslcerts.html\x07link\x1b]8;;\x07")
    result = explain(text)
    assert codes_of(result)[:2] == [C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE]
    assert result.client == "curl"
    assert result.findings[0].evidence["excerpt"] == "unable to get local issuer certificate"
    assert all("\x1b" not in m.excerpt for m in result.matches)


JAVA_TRACE = """\
2024-05-01 10:00:00.123 ERROR 4711 --- [main] c.e.Client : call failed
org.springframework.web.client.ResourceAccessException: I/O error on GET request for "https://api.example/x"
	at org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)
Caused by: javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.example found.
	at java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)
	at java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:371)
Caused by: java.security.cert.CertificateException: No subject alternative DNS name matching api.example found.
	at java.base/sun.security.util.HostnameChecker.matchDNS(HostnameChecker.java:212)
	... 42 more
"""

PYTHON_TRACE = """\
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 467, in _make_request
    self._validate_conn(conn)
  File "/usr/lib/python3.11/ssl.py", line 1379, in do_handshake
    self._sslobj.do_handshake()
ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local \
issuer certificate (_ssl.c:1006)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "app.py", line 4, in <module>
    requests.get("https://internal.example")
requests.exceptions.SSLError: HTTPSConnectionPool(host='internal.example', port=443): Max retries exceeded
"""


def test_inside_java_stack_trace() -> None:
    result = explain(JAVA_TRACE)
    assert codes_of(result) == [C.HOSTNAME_MISMATCH]
    assert result.client == "java"


def test_inside_python_traceback() -> None:
    result = explain(PYTHON_TRACE)
    assert codes_of(result)[:2] == [C.CHAIN_UNTRUSTED, C.CHAIN_INCOMPLETE]
    assert result.client == "requests"


CHROME_ZH = """<div id="main-message"><h1>您的连接不是私密连接</h1><p>攻击者可能会试图从 <strong>api.example</strong>
窃取您的信息（例如：密码、通讯内容或信用卡信息）。</p><div class="error-code">NET::ERR_CERT_COMMON_NAME_INVALID</div>
<p>此服务器无法证明它是api.example；其安全证书来自 other.example。</p></div>"""
CHROME_DE = """Dies ist keine sichere Verbindung
Unbefugte Dritte könnten versuchen, Ihre Daten von api.example zu stehlen.
NET::ERR_CERT_COMMON_NAME_INVALID
Dieser Server konnte nicht beweisen, dass er api.example ist."""
FIREFOX_DE = """Warnung: Mögliches Sicherheitsrisiko erkannt
Firefox vertraut dieser Website nicht, weil sie ein Zertifikat verwendet, das für api.example ungültig ist.
Fehlercode: SSL_ERROR_BAD_CERT_DOMAIN"""
FIREFOX_ZH = "警告：面临潜在的安全风险\n错误代码：SSL_ERROR_BAD_CERT_DOMAIN"
CHROME_ZH_GLUED = "错误代码NET::ERR_CERT_AUTHORITY_INVALID连接"


@pytest.mark.parametrize(
    ("text", "client", "code"),
    [
        (CHROME_ZH, "chrome", C.HOSTNAME_MISMATCH),
        (CHROME_DE, "chrome", C.HOSTNAME_MISMATCH),
        (FIREFOX_DE, "firefox", C.HOSTNAME_MISMATCH),
        (FIREFOX_ZH, "firefox", C.HOSTNAME_MISMATCH),
        (CHROME_ZH_GLUED, "chrome", C.CHAIN_UNTRUSTED),
    ],
    ids=["chrome-zh", "chrome-de", "firefox-de", "firefox-zh", "chrome-zh-glued"],
)
def test_localised_browser_pages(text: str, client: str, code: Code) -> None:
    result = explain(text)
    assert codes_of(result)[0] is code
    assert result.client == client


@pytest.mark.parametrize(
    "text",
    [
        "ssl.SSLError: [ssl: tlsv1_alert_unknown_ca] TLSV1 ALERT UNKNOWN CA (_ssl.c:2580)",
        "SSL: TLSV1_ALERT_UNKNOWN_CA",
        "Tlsv1 Alert Unknown Ca",
    ],
)
def test_case_insensitive(text: str) -> None:
    assert codes_of(explain(text))[0] is C.MTLS_UNKNOWN_CA


def test_upper_case_hostname_mismatch() -> None:
    result = explain("CURL: (60) SSL: NO ALTERNATIVE CERTIFICATE SUBJECT NAME MATCHES TARGET HOST NAME 'A.EXAMPLE'")
    assert codes_of(result) == [C.HOSTNAME_MISMATCH]
    assert result.findings[0].evidence["excerpt"].endswith("'A.EXAMPLE'")  # case kept as received


# ---- weak hints, ordering, evidence, JSON


def test_exit_code_alone_is_an_info_hint() -> None:
    result = explain("curl: (60) something went wrong")
    assert result.client == "curl"
    assert codes_of(result) == [C.CHAIN_UNTRUSTED, C.HOSTNAME_MISMATCH]
    assert {f.severity for f in result.findings} == {Severity.INFO}


def test_dotnet_framework_text_without_flags_is_only_a_hint() -> None:
    result = explain("System.Net.WebException: The underlying connection was closed: Could not establish trust "
                     "relationship for the SSL/TLS secure channel. ---> System.Security.Authentication."
                     "AuthenticationException: The remote certificate is invalid according to the validation procedure.")
    assert result.client == "dotnet"
    assert codes_of(result)[:2] == [C.CHAIN_UNTRUSTED, C.HOSTNAME_MISMATCH]
    assert {f.severity for f in result.findings} == {Severity.INFO}


def test_hints_do_not_add_findings_next_to_specific_ones() -> None:
    result = explain("curl: (60) SSL certificate problem: certificate has expired")
    assert codes_of(result) == [C.CERT_EXPIRED]
    assert any(m.pattern_id == "curl.exit-60" for m in result.matches)  # still recorded as a match


def test_java_validity_names_the_bound_from_its_cause() -> None:
    text = next(c[1] for c in CASES if c[0] == "java-expired")
    assert codes_of(explain(text)) == [C.CERT_EXPIRED]
    assert codes_of(explain("CertPathValidatorException: validity check failed")) == [
        C.CERT_EXPIRED, C.CERT_NOT_YET_VALID]


def test_scoped_rule_reads_inner_text_as_client_certificate() -> None:
    # The same OpenSSL text means the SERVER cert when a client prints it, the CLIENT cert in nginx's log.
    inner = "(20:unable to get local issuer certificate)"
    assert C.CHAIN_UNTRUSTED in codes_of(explain(f"upstream SSL certificate verify error: {inner}"))
    client_side = codes_of(explain(f"client SSL certificate verify error: {inner}"))
    assert C.CHAIN_UNTRUSTED not in client_side and client_side[0] is C.MTLS_UNKNOWN_CA


def test_ordering_follows_summed_weights() -> None:
    result = explain("verify error:num=20:unable to get local issuer certificate\n"
                     "verify error:num=21:unable to verify the first certificate\n"
                     "Verify return code: 21 (unable to verify the first certificate)")
    totals: dict[Code, float] = {}
    for m in result.matches:
        totals[m.code] = totals.get(m.code, 0.0) + m.weight
    assert codes_of(result) == sorted(totals, key=lambda c: (-totals[c], list(Code).index(c)))


def test_evidence_is_the_untouched_excerpt() -> None:
    host = "<script>alert(1)</script>[b]x[/b]$(id)`id`\u202e"
    result = explain(f"Hostname mismatch, certificate is not valid for '{host}'. (_ssl.c:1006)")
    finding = result.findings[0]
    assert finding.code is C.HOSTNAME_MISMATCH
    assert host in finding.evidence["excerpt"]
    assert finding.evidence == {"excerpt": finding.evidence["excerpt"], "client": "python", "pattern": "python.hostname"}


def test_to_json_shape() -> None:
    data = explain("x509: certificate is valid for a.example, not b.example").to_json()
    json.dumps(data)
    assert data["client"] == "go"
    assert data["findings"][0] == {
        "code": "hostname-mismatch", "severity": "error", "step": "names",
        "evidence": {"excerpt": "x509: certificate is valid for a.example, not b.example", "client": "go",
                     "pattern": "go.valid-for"},
    }
    assert set(data["matches"][0]) == {"code", "client", "pattern", "excerpt", "weight"}


def test_deterministic() -> None:
    text = JAVA_TRACE + PYTHON_TRACE + CHROME_ZH
    assert explain(text) == explain(text)


# ---- negatives and robustness

UNRELATED = [
    "",
    "   \n\t ",
    'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    print(d["x"])\nKeyError: \'x\'',
    "# tlsdoctor\n\nA terminal assistant. Install it with pip, then run it against your service. It walks a decision "
    "tree and shows the evidence at every step. Contributions are welcome; please open an issue first.",
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
    "<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>",
    "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"status\": \"ok\"}",
    bytes(range(256)).decode("latin-1") * 4,
    "\x1b[31m\x1b[0m\x1b]0;title\x07",
    "java.lang.NullPointerException\n\tat com.example.Main.main(Main.java:5)",
    "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()",
]


@pytest.mark.parametrize("text", UNRELATED, ids=[f"unrelated-{i}" for i in range(len(UNRELATED))])
def test_unrelated_text_yields_nothing(text: str) -> None:
    result = explain(text)
    assert result.findings == ()
    assert result.matches == ()
    assert result.client is None


def test_huge_input_is_capped_and_fast() -> None:
    noise = ("lorem ipsum dolor sit amet " * 40 + "\n") * 1200  # ~1.3 MB
    text = "curl: (60) SSL certificate problem: certificate has expired\n" + noise + "x509: certificate relies on legacy Common Name field"
    assert len(text) > MAX_CHARS
    start = time.perf_counter()
    result = explain(text)
    assert time.perf_counter() - start < 5.0
    assert codes_of(result) == [C.CERT_EXPIRED]  # the Go text lies beyond the cap


def test_pathological_inputs_stay_fast() -> None:
    for text in ("x509: certificate is valid for " + "a, " * 50_000, " " * 200_000 + "\n" * 200_000,
                 "\x1b[" * 100_000, "\x1b]" + "x" * 300_000, "'" * 200_000, "error:0A000" * 50_000):
        start = time.perf_counter()
        explain(text)
        assert time.perf_counter() - start < 5.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    result = explain(text)
    assert isinstance(result, Explanation)
    assert all(isinstance(f, Finding) and isinstance(f.code, Code) for f in result.findings)
    assert all(m.excerpt in re.sub(r"\x1b", "", text) or "\x1b" in text for m in result.matches)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([c[1] for c in CASES]), st.text(max_size=300), st.text(max_size=300))
def test_surrounding_noise_keeps_the_lead_code(core: str, before: str, after: str) -> None:
    expected = explain(core).findings[0].code
    result = explain(before + "\n" + core + "\n" + after)
    assert expected in codes_of(result)


@pytest.mark.parametrize("stray", ["\x1b]", "\x1b]0;title", "\x1bP", "\x1b_", "\x1bX", "\x1b^", "\x1b]8;;"])
def test_an_unterminated_escape_does_not_swallow_the_text_after_it(stray: str) -> None:
    """Found by Hypothesis: `explain('\\x1b]\\n' + text)` returned nothing (the OSC ran on to the end)."""
    for _case_id, text, _client, expected in CASES:
        assert codes_of(explain(stray + "\n" + text))[: len(expected)] == list(expected), _case_id
    assert clean("\x1b]0;title\x07after\x1b]8;;https://x\x1b\\link") == "afterlink"  # terminated ones still go


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([c[1] for c in CASES]),
       st.text(alphabet=st.sampled_from(["\x1b", "\x9b", "]", "[", "P", "X", "^", "_", "\x07", "\\", ";", "0", "a"]),
               max_size=40))
def test_escapes_on_the_line_before_never_hide_the_error(core: str, escapes: str) -> None:
    assert explain(escapes + "\n" + core).findings[0].code is explain(core).findings[0].code


def test_the_needle_prefilter_never_hides_a_match_in_the_reference_texts() -> None:
    """Besides the proof in test_explain_rules.py: on every reference text, each rule that matches
    a view of the text has one of its needles in that view, so the engine did run it."""
    checked = 0
    for _case_id, text, _client, _expected in CASES:
        for view in views(clean(text)):
            for item in (*RULES, *CLIENT_MARKERS):
                if item.needles is not None and item.regex.search(view.text):
                    assert any(n in view.lowered for n in item.needles), (_case_id, item.pattern)
                    checked += 1
    assert checked > len(CASES)
