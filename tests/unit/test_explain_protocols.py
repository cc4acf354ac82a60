"""`explain` on what mail, directory and database clients print: the client, the finding, and the protocol's own entry."""

from __future__ import annotations

import json

import pytest

from tlsdoctor.cli import main
from tlsdoctor.explain import explain

CASES = [
    # (text, client, finding code, the knowledge entry that speaks this protocol)
    ('psql: error: connection to server at "db.example.com" (10.0.0.5), port 5432 failed: server certificate for "db-old.example.com" does not match host name "db.example.com"',
     "psql", "hostname-mismatch", "TLS-1201"),
    ("psql: error: connection to server at \"db.example.com\" (10.0.0.5), port 5432 failed: server does not support SSL, but SSL was required",
     "psql", "starttls-refused", "NET-3004"),
    ("org.postgresql.util.PSQLException: The hostname db.example.com could not be verified by hostnameverifier PgjdbcHostnameVerifier.",
     "jdbc", "hostname-mismatch", "TLS-1201"),
    ("javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.com, port: 587;\n  nested exception is:\n"
     "\tjava.io.IOException: Can't verify identity of server: smtp.example.com", "javamail", "hostname-mismatch", "TLS-1203"),
    ("javax.mail.MessagingException: STARTTLS is required but host does not support STARTTLS", "javamail", "starttls-refused", "NET-3004"),
    ("ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)\n\tadditional info: TLS: hostname does not match CN in peer certificate",
     "ldapsearch", "hostname-mismatch", "TLS-1204"),
    ("ldap_start_tls: Protocol error (2)\n\tadditional info: unsupported extended operation", "ldapsearch", "starttls-refused", "NET-3004"),
    ("javax.naming.CommunicationException: simple bind failed: dc1.corp.example:636 [Root exception is javax.net.ssl.SSLHandshakeException: "
     "java.security.cert.CertificateException: No subject alternative DNS name matching dc1.corp.example found.]", "java-ldap", "hostname-mismatch", "TLS-1204"),
    ("ERROR 2026 (HY000): SSL connection error: SSL certificate validation failure", "mysql", "hostname-mismatch", "TLS-1202"),
    ("ERROR 2026 (HY000): SSL connection error: SSL is required but the server doesn't support it", "mysql", "starttls-refused", "NET-3004"),
    ("postfix/smtp[1234]: TLS is required, but was not offered by host mx.example.com[192.0.2.25]", "postfix", "starttls-refused", "NET-3004"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "client", "code", "entry"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_the_client_and_the_finding_are_recognised(text: str, client: str, code: str, entry: str) -> None:
    result = explain(text)
    assert result.client == client
    assert result.findings[0].code.value == code and result.findings[0].severity.value == "error"


@pytest.mark.parametrize(("text", "client", "code", "entry"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_the_protocols_own_entry_is_in_the_diagnosis(text: str, client: str, code: str, entry: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--format", "json", text]) == 1
    report = json.loads(capsys.readouterr().out)
    assert entry in [d["kb_id"] for d in report["diagnosis"]][:2]


def test_an_https_text_gets_no_database_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--format", "json", "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'"]) == 1
    ids = [d["kb_id"] for d in json.loads(capsys.readouterr().out)["diagnosis"]]
    assert "TLS-1002" in ids and not {"TLS-1201", "TLS-1202", "TLS-1203", "TLS-1204"} & set(ids)
