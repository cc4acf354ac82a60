"""Rules for the clients of mail, directory and database servers: JavaMail, ldapsearch (libldap), mysql, libpq, Postfix.

Data: their name-mismatch texts and their "TLS could not start" texts (which
are `starttls-refused`: the server never offered or refused STARTTLS). The
psql name texts live in names.py. This module must not match text or do I/O.
"""

from __future__ import annotations

from tlsdoctor.explain.rule import Rule
from tlsdoctor.findings import Code as C

_HOST = r"[^\s'\"`,;()<>]{1,255}"

# The protocol a recognised client speaks: `explain` ranks that protocol's knowledge entries too.
CLIENT_PROTOCOLS = {"psql": "postgres", "jdbc": "postgres", "mysql": "mysql", "javamail": "smtp", "postfix": "smtp",
                    "ldapsearch": "ldap", "java-ldap": "ldap"}  # fmt: skip

PROTOCOL_RULES: tuple[Rule, ...] = (
    # JavaMail / Jakarta Mail: SocketFetcher.checkServerIdentity (mail.<proto>.ssl.checkserveridentity)
    Rule("javamail.identity", rf"Can't verify identity of server: {_HOST}", ((C.HOSTNAME_MISMATCH, 2.0),), "javamail",
         needles=("can't verify identity of server: ",)),
    Rule("javamail.starttls-required", r"STARTTLS is required but host does not support STARTTLS", ((C.STARTTLS_REFUSED, 2.0),), "javamail",
         needles=("starttls is required but host does not support starttls",)),
    # libldap (ldapsearch -ZZ, ldapwhoami, sssd): its own host name check, and a refused StartTLS
    Rule("libldap.hostname", r"TLS: hostname does not match (?:CN|name) in peer certificate", ((C.HOSTNAME_MISMATCH, 2.0),), "ldapsearch",
         needles=("tls: hostname does not match ",)),
    Rule("libldap.start-tls-refused", r"ldap_start_tls(?:_s)?(?:\(\))?: (?:Protocol error \(2\)|Server is unavailable \(52\)|Server is unwilling to perform \(53\)|Operations error \(1\))",
         ((C.STARTTLS_REFUSED, 2.0),), "ldapsearch", needles=("ldap_start_tls",)),
    # mysql / mysqldump (libmysqlclient): --ssl-mode=VERIFY_IDENTITY checks the name after the handshake
    Rule("mysql.identity", r"SSL connection error: SSL certificate validation failure", ((C.HOSTNAME_MISMATCH, 1.5),), "mysql",
         needles=("ssl connection error: ssl certificate validation failure",)),
    Rule("mysql.ssl-not-supported", r"SSL connection error: SSL is required but the server doesn't support it", ((C.STARTTLS_REFUSED, 2.0),), "mysql",
         needles=("ssl is required but the server doesn't support it",)),
    # libpq: sslmode=require (or stricter) against a server that answered 'N' to SSLRequest
    Rule("libpq.ssl-not-supported", r"server does not support SSL, but SSL was required", ((C.STARTTLS_REFUSED, 2.0),), "psql",
         needles=("server does not support ssl, but ssl was required",)),
    # pgjdbc (the PostgreSQL JDBC driver) with sslmode=verify-full
    Rule("pgjdbc.hostname", rf"The hostname {_HOST} could not be verified by hostnameverifier", ((C.HOSTNAME_MISMATCH, 2.0),), "jdbc",
         needles=(" could not be verified by hostnameverifier",)),
    # Postfix (smtp_tls_security_level = encrypt or stricter) when the next hop offers no STARTTLS
    Rule("postfix.tls-not-offered", r"TLS is required, but was not offered by host", ((C.STARTTLS_REFUSED, 2.0),), "postfix",
         needles=("tls is required, but was not offered by host",)),
    Rule("smtp.454", r"\b454[ -]4\.7\.0 TLS not available", ((C.STARTTLS_REFUSED, 1.5),), None, needles=("tls not available",)),
)
