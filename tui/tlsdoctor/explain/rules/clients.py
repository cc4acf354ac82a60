"""Which client printed the text: markers that name it, and the words that mean a client certificate is in play.

Data: each ClientMarker names a client (git, kubectl, Java …) with a rank (an
outer wrapper outranks what it wraps) and the literal needles every match
contains. This module must not match text or do I/O.
"""

from __future__ import annotations

import re

from tlsdoctor.explain.rule import FLAGS, ClientMarker

# Text that says a client certificate is in play: turns a handshake_failure into "cert required".
CLIENT_CERT_CONTEXT = re.compile(
    r"\bclient[ _-]?cert(?:ificate)?s?\b|\bmutual TLS\b|\bmTLS\b|--cert\b|\s-cert\s|\brequestCert\b|\bssl_verify_client\b"
    r"|\bload_cert_chain\b|\bkeyStore\b|\bclient\.(?:crt|pem|key)\b|\bcert=\(",
    FLAGS,
)

# Wrappers that name the client. Rank: an outer wrapper (git around libcurl, kubectl around
# Go, requests around urllib3 around ssl) outranks what it wraps.
CLIENT_MARKERS: tuple[ClientMarker, ...] = (
    ClientMarker("git", r"fatal: unable to access '|\bgit (?:clone|fetch|pull|push|ls-remote)\b|GIT_SSL_|http\.sslVerify", 10,
                 needles=("fatal: unable to access '", "git ", "git_ssl_", "http.sslverify")),
    ClientMarker("kubectl", r"Unable to connect to the server|\bkubectl\b|couldn't read version from server|failed calling webhook", 10,
                 needles=("unable to connect to the server", "kubectl", "couldn't read version from server", "failed calling webhook")),
    ClientMarker("docker", r"Error response from daemon|\bdocker (?:pull|push|login)\b", 10,
                 needles=("error response from daemon", "docker ")),
    ClientMarker("requests", r"\brequests\.exceptions\b|\brequests/(?:sessions|adapters)\.py\b", 9,
                 needles=("requests",)),
    ClientMarker("httpx", r"\bhttpx\.\w+|\bhttpcore\.\w+", 9,
                 needles=("http",)),
    ClientMarker("urllib3", r"\burllib3\.exceptions\b|\burllib3/", 7,
                 needles=("urllib3",)),
    ClientMarker("python", r"\bssl\.SSL\w*Error\b|\(_ssl\.c:\d+\)|urllib\.error\.URLError|Traceback \(most recent call last\)", 6,
                 needles=("ssl.ssl", "(_ssl.c:", "urllib.error.urlerror", "traceback (most recent call last)")),
    ClientMarker("curl", r"\bcurl: \(\d{1,3}\)|\bcurl#\d{1,3}\b|\bschannel: |gnutls_handshake\(\)|GnuTLS recv error"
                         r"|\bCAfile: .{0,200}CRLfile:", 8,
                 needles=("curl: (", "curl#", "schannel: ", "gnutls_handshake()", "gnutls recv error", "cafile: ")),
    ClientMarker("javamail", r"\bjavax\.mail\.|\bjakarta\.mail\.|\bcom\.sun\.mail\.|\bmail\.smtps?\.|\bmail\.imaps?\.", 9,
                 needles=("javax.mail.", "jakarta.mail.", "com.sun.mail.", "mail.smtp", "mail.imap")),
    ClientMarker("java-ldap", r"\bjavax\.naming\.|\bcom\.sun\.jndi\.ldap\.", 9,
                 needles=("javax.naming.", "com.sun.jndi.ldap.")),
    ClientMarker("ldapsearch", r"\bldap_(?:start_tls|sasl_bind|sasl_interactive_bind|simple_bind)\w*|\bldapsearch\b|\bldapwhoami\b|\bLDAPTLS_\w+", 8,
                 needles=("ldap_", "ldapsearch", "ldapwhoami", "ldaptls_")),
    ClientMarker("mysql", r"\bERROR 20\d\d \(HY000\)|\bmysql: \[|\bmysqldump: |--ssl-mode\b", 8,
                 needles=("error 20", "mysql: [", "mysqldump: ", "--ssl-mode")),
    ClientMarker("postfix", r"\bpostfix/(?:smtp|smtpd|lmtp)\[\d+\]|\bsmtp_tls_security_level\b", 8,
                 needles=("postfix/", "smtp_tls_security_level")),
    ClientMarker("java", r"\bjavax\.net\.ssl\.|\bsun\.security\.|\bjava\.security\.cert\.|\bat java\.base/", 8,
                 needles=("javax.net.ssl.", "sun.security.", "java.security.cert.", "at java.base/")),
    ClientMarker("wget", r"\bwget\b|--no-check-certificate\b|Unable to establish SSL connection\.|\bGnuTLS: ", 8,
                 needles=("wget", "--no-check-certificate", "unable to establish ssl connection.", "gnutls: ")),
    ClientMarker("psql", r"\bpsql: |connection to server (?:at|on socket) \"|could not connect to server: |\bsslmode\b"
                         r"|\bsslrootcert\b|\blibpq\b", 8,
                 needles=("psql: ", "connection to server ", "could not connect to server: ", "sslmode", "sslrootcert", "libpq")),
    ClientMarker("node", r"\bnode:(?:internal|_tls_wrap|net|tls|https)\b|\bTCPConnectWrap\b|\bat TLSSocket\b"
                         r"|code: '(?:ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|CERT_)"
                         r"|\bTypeError: fetch failed\b|deps/openssl/|NODE_TLS_REJECT_UNAUTHORIZED|\bERR_TLS_\w+", 8,
                 needles=("node:", "tcpconnectwrap", "at tlssocket", "code: '", "typeerror: fetch failed", "deps/openssl/", "node_tls_reject_unauthorized", "err_tls_")),
    ClientMarker("dotnet", r"\bSystem\.Net\.|\bSystem\.Security\.Authentication\b|\bAuthenticationException\b|\bSslPolicyErrors\b"
                           r"|The SSL connection could not be established", 8,
                 needles=("system.net.", "system.security.authentication", "authenticationexception", "sslpolicyerrors", "the ssl connection could not be established")),
    ClientMarker("chrome", r"\bnet::ERR_\w+|\bERR_CERT_\w+|\bERR_SSL_CLIENT_AUTH_\w+|\bERR_BAD_SSL_CLIENT_AUTH_CERT\b", 8,
                 needles=("net::err_", "err_cert_", "err_ssl_client_auth_", "err_bad_ssl_client_auth_cert")),
    ClientMarker("firefox", r"\b(?:SSL_ERROR_(?!SYSCALL\b|SSL\b|ZERO_RETURN\b|WANT_\w+)[A-Z_]+|SEC_ERROR_[A-Z_]+"
                            r"|MOZILLA_PKIX_ERROR_[A-Z_]+)\b", 8,
                 needles=("ssl_error_", "sec_error_", "mozilla_pkix_error_")),
    ClientMarker("nginx", r"upstream SSL certificate|while SSL handshaking|client sent no required SSL certificate"
                          r"|No required SSL certificate was sent|The SSL certificate error|client SSL certificate verify error", 8,
                 needles=("upstream ssl certificate", "while ssl handshaking", "client sent no required ssl certificate", "no required ssl certificate was sent", "the ssl certificate error", "client ssl certificate verify error")),
    ClientMarker("envoy", r"\bTLS_error:|OPENSSL_internal|upstream connect error or disconnect/reset before headers"
                          r"|\bssl\.fail_verify_\w+|\benvoy\b|\bistio\b", 8,
                 needles=("tls_error:", "openssl_internal", "upstream connect error or disconnect/reset before headers", "ssl.fail_verify_", "envoy", "istio")),
    ClientMarker("go", r"\bx509: |\btls: failed to verify|\bremote error: tls: |\bhttp: TLS handshake error\b", 6,
                 needles=("x509: ", "tls: failed to verify", "remote error: tls: ", "http: tls handshake error")),
    ClientMarker("openssl", r"verify error:num=|Verify return code:|\bCONNECTED\(0|\bs_client\b|Verification error: "
                            r"|:(?:\.\./)?ssl/[\w/]{1,80}\.c:\d", 5,
                 needles=("verify error:num=", "verify return code:", "connected(0", "s_client", "verification error: ", "ssl/")),
)
RULE_CLIENT_RANK = 5  # a client-specific rule that fired counts like a marker of this rank
CLIENT_ORDER: tuple[str, ...] = tuple(marker.client for marker in CLIENT_MARKERS)  # ties: earlier wins
