"""`explain` names the client and the problem for wget, psql, Java and curl's shorter texts (issue 10 §6).

A text from one client means the same as the equivalent text from curl: wget's
"Unable to locally verify the issuer's authority" is OpenSSL's "unable to get
local issuer certificate". The printed verdict never contradicts the exit code,
and an input longer than the limit says it was cut.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tlsdoctor.cli import main
from tlsdoctor.errors import MAX_INPUT_BYTES
from tlsdoctor.explain import MAX_CHARS, explain
from tlsdoctor.findings import Code
from tlsdoctor.i18n import set_language
from tlsdoctor.knowledge import load_knowledge
from tlsdoctor.render.labels import input_cut_line

CURL_ISSUER = "curl: (60) SSL certificate problem: unable to get local issuer certificate"
CURL_SELF = "curl: (60) SSL certificate problem: self-signed certificate"
CURL_EXPIRED = "curl: (60) SSL certificate problem: certificate has expired"
CURL_NAME = "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'"

# (id, text, client, a text from curl that means the same)
CASES = [
    ("curl-no-host", "curl: (60) SSL: no alternative certificate subject name matches target host name", "curl", CURL_NAME),
    ("curl-no-hostname", "curl: (60) SSL: no alternative certificate subject name matches target hostname", "curl", CURL_NAME),
    ("wget-openssl-san", "ERROR: no certificate subject alternative name matches\n\trequested host name ‘api.example.com’.\n"
     "To connect to api.example.com insecurely, use `--no-check-certificate'.", "wget", CURL_NAME),
    ("wget-openssl-cn", "ERROR: certificate common name ‘www.example.com’ doesn't match requested host name ‘api.example.com’.",
     "wget", CURL_NAME),
    ("wget-openssl-issuer", "ERROR: cannot verify api.example.com's certificate, issued by ‘CN=R3,O=Let's Encrypt,C=US’:\n"
     "  Unable to locally verify the issuer's authority.", "wget", CURL_ISSUER),
    ("wget-openssl-self", "ERROR: cannot verify api.example.com's certificate, issued by ‘CN=api.example.com’:\n"
     "  Self-signed certificate encountered.", "wget", CURL_SELF),
    ("wget-openssl-expired", "ERROR: cannot verify api.example.com's certificate, issued by ‘CN=R3,O=Let's Encrypt,C=US’:\n"
     "  Issued certificate has expired.", "wget", CURL_EXPIRED),
    ("wget-gnutls-issuer", "ERROR: The certificate of ‘api.example.com’ is not trusted.\n"
     "ERROR: The certificate of ‘api.example.com’ doesn't have a known issuer.", "wget", CURL_ISSUER),
    ("wget-gnutls-owner", "The certificate's owner does not match hostname ‘api.example.com’", "wget", CURL_NAME),
    ("wget-gnutls-expired", "ERROR: The certificate of ‘api.example.com’ has expired.", "wget", CURL_EXPIRED),
    ("psql-name", 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: '
     'server certificate for "db.internal" does not match host name "db"', "psql", CURL_NAME),
    ("psql-name-others", 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: '
     'server certificate for "db.internal" (and 2 other names) does not match host name "db"', "psql", CURL_NAME),
    ("libpq-name", 'FATAL: server certificate for "db.internal" does not match host name "db"', "psql", CURL_NAME),
    ("java-handshake", "javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.example.com found.",
     "java", CURL_NAME),
    ("java-certificate", "Caused by: java.security.cert.CertificateException: No subject alternative DNS name matching "
     "api.example.com found.", "java", CURL_NAME),
    ("java-no-name", "java.security.cert.CertificateException: No name matching api.example.com found", "java", CURL_NAME),
]


@pytest.mark.parametrize(("text", "client", "same_as"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_client_and_the_problem_are_recognised(text: str, client: str, same_as: str) -> None:
    result = explain(text)
    assert result.client == client
    assert result.findings, "nothing recognised"
    assert result.findings[0].code == explain(same_as).findings[0].code
    assert result.findings[0].severity.value == "error"


@pytest.mark.parametrize("text", [c[1] for c in CASES] + ["nothing to see here", CURL_ISSUER], ids=[c[0] for c in CASES] + ["unrelated", "curl-issuer"])
def test_the_printed_verdict_never_contradicts_the_exit_code(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", text])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert ("Verdict: ok" in out) == (code == 0)
    assert ("Verdict: problem" in out) == (code == 1)
    code_json = main(["explain", text, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == ("ok" if code_json == 0 else "problem")


def test_a_long_input_says_it_was_cut(capsys: pytest.CaptureFixture[str]) -> None:
    text = CURL_NAME + "\n" + "lorem ipsum " * (MAX_CHARS // 10)
    assert main(["explain", text, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["input"] == {"chars": len(text), "read": MAX_CHARS, "cut": True}
    main(["explain", text])
    out = capsys.readouterr().out
    assert "1,000,000" in out and f"{len(text):,}" in out
    main(["explain", CURL_NAME, "--format", "json"])
    assert json.loads(capsys.readouterr().out)["input"]["cut"] is False


# ---- beyond the acceptance cases: every text observed on this machine's clients (/work/clientprobe,
# OpenSSL 3.0.19, curl 7.88.1, Python 3.11, Node 20, Java 17, wget 1.21.3 with GnuTLS 3.7.9), and the
# texts of the same clients' sources for what the probe did not provoke.

C = Code
_OPENSSL_TAIL = ("40C7A9AAF07F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify "
                 "failed:../ssl/statem/statem_clnt.c:1889:")
_NODE_TRACE = ("Error: {msg}\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1699:34)\n    at TLSSocket.emit "
               "(node:events:524:28)\n    at TLSSocket._finishInit (node:_tls_wrap:1097:8)\n    at ssl.onhandshakedone "
               "(node:_tls_wrap:883:12) {{\n  code: 'UNSPECIFIED'\n}}")
_JAVA_NC = ("javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: "
            "name constraints check failed\nCaused by: sun.security.validator.ValidatorException: PKIX path validation "
            "failed: java.security.cert.CertPathValidatorException: name constraints check failed\nCaused by: "
            "java.security.cert.CertPathValidatorException: name constraints check failed")
_JAVA_PKIX = ("javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath."
              "SunCertPathBuilderException: unable to find valid certification path to requested target\nCaused by: "
              "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to "
              "requested target")

# (id, text, client, the leading code)
OBSERVED: list[tuple[str, str, str | None, Code]] = [
    ("openssl-66", "verify error:num=66:EE certificate key too weak\n" + _OPENSSL_TAIL, "openssl", C.WEAK_KEY),
    ("curl-ee-key", "curl: (60) SSL certificate problem: EE certificate key too weak", "curl", C.WEAK_KEY),
    ("python-ee-key", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: EE "
     "certificate key too weak (_ssl.c:1006)", "python", C.WEAK_KEY),
    ("curl-ca-key", "curl: (60) SSL certificate problem: CA certificate key too weak", "curl", C.WEAK_KEY),
    ("openssl-67", "verify error:num=67:CA certificate key too weak", "openssl", C.WEAK_KEY),
    ("openssl-68", "verify error:num=68:CA signature digest algorithm too weak\n" + _OPENSSL_TAIL, "openssl",
     C.WEAK_SIGNATURE),
    ("curl-ca-md", "curl: (60) SSL certificate problem: CA signature digest algorithm too weak", "curl", C.WEAK_SIGNATURE),
    ("python-ca-md", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: CA "
     "signature digest algorithm too weak (_ssl.c:1006)", "python", C.WEAK_SIGNATURE),
    ("node-ca-md", _NODE_TRACE.format(msg="CA signature digest algorithm too weak"), "node", C.WEAK_SIGNATURE),
    ("wget-gnutls-insecure", "ERROR: The certificate of ‘api.example.test’ is not trusted.\nERROR: The certificate of "
     "‘api.example.test’ was signed using an insecure algorithm.", "wget", C.WEAK_SIGNATURE),
    ("java-md5", "java.security.cert.CertPathValidatorException: Algorithm constraints check failed on signature "
     "algorithm: MD5withRSA", "java", C.WEAK_SIGNATURE),
    ("java-keysize", "java.security.cert.CertPathValidatorException: Algorithm constraints check failed on keysize "
     "limits. RSA 512bit key used with certificate: CN=api.example.test", "java", C.WEAK_KEY),
    ("java-disabled-sha1", "java.security.cert.CertPathValidatorException: Algorithm constraints check failed on "
     "disabled algorithm: SHA1 used with certificate: CN=api.example.test", "java", C.WEAK_SIGNATURE),
    ("go-sha1", "tls: failed to verify certificate: x509: cannot verify signature: insecure algorithm SHA1-RSA "
     "(temporarily override with GODEBUG=x509sha1=1)", "go", C.WEAK_SIGNATURE),
    ("openssl-47", "verify error:num=47:permitted subtree violation\n" + _OPENSSL_TAIL, "openssl", C.NAME_CONSTRAINTS),
    ("openssl-48", "verify error:num=48:excluded subtree violation", "openssl", C.NAME_CONSTRAINTS),
    ("curl-permitted", "curl: (60) SSL certificate problem: permitted subtree violation", "curl", C.NAME_CONSTRAINTS),
    ("curl-excluded", "curl: (60) SSL certificate problem: excluded subtree violation", "curl", C.NAME_CONSTRAINTS),
    ("python-permitted", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "permitted subtree violation (_ssl.c:1006)", "python", C.NAME_CONSTRAINTS),
    ("node-permitted", _NODE_TRACE.format(msg="permitted subtree violation"), "node", C.NAME_CONSTRAINTS),
    ("java-name-constraints", _JAVA_NC, "java", C.NAME_CONSTRAINTS),
    ("go-name-constraints", 'tls: failed to verify certificate: x509: a root or intermediate certificate is not '
     'authorized to sign for this name: DNS name "api.other.test" is not permitted by any constraint', "go",
     C.NAME_CONSTRAINTS),
    ("wget-gnutls-not-trusted-alone", "ERROR: The certificate of ‘api.other.test’ is not trusted.", "wget",
     C.CHAIN_UNTRUSTED),
    ("wget-gnutls-partial-wildcard", "The certificate's owner does not match hostname ‘foo.example.test’", "wget",
     C.HOSTNAME_MISMATCH),
    ("wget-gnutls-unknown-root", "ERROR: The certificate of ‘api.example.test’ is not trusted.\nERROR: The certificate "
     "of ‘api.example.test’ doesn't have a known issuer.", "wget", C.CHAIN_UNTRUSTED),
    ("wget-gnutls-not-activated", "ERROR: The certificate of ‘api.example.test’ is not yet activated.", "wget",
     C.CERT_NOT_YET_VALID),
    ("wget-gnutls-signer-not-ca", "ERROR: The certificate signer of ‘api.example.test’ was not a CA.", "wget",
     C.CHAIN_UNTRUSTED),
    ("wget-openssl-not-yet", "ERROR: cannot verify api.example.com's certificate, issued by ‘CN=R3’:\n  Issued "
     "certificate not yet valid.", "wget", C.CERT_NOT_YET_VALID),
    ("wget-openssl-other-reason", "ERROR: cannot verify api.example.com's certificate, issued by ‘CN=R3’:\n  EE "
     "certificate key too weak", "wget", C.WEAK_KEY),
    ("wget-c-locale", "ERROR: no certificate subject alternative name matches\n\trequested host name "
     "'api.example.com'.\nTo connect to api.example.com insecurely, use `--no-check-certificate'.", "wget",
     C.HOSTNAME_MISMATCH),
    ("wget-ip", "ERROR: no certificate subject alternative name matches\n\trequested host name ‘10.0.0.7’.", "wget",
     C.IP_NOT_IN_SAN),
    ("java-pkix", _JAVA_PKIX, "java", C.CHAIN_UNTRUSTED),
    ("java-ip", "java.security.cert.CertificateException: No subject alternative names matching IP address 10.0.0.7 "
     "found", "java", C.IP_NOT_IN_SAN),
    ("curl-ipv4-no-address", "curl: (60) SSL: no alternative certificate subject name matches target ipv4 address",
     "curl", C.IP_NOT_IN_SAN),
    ("psql-ip", 'psql: error: connection to server at "10.0.0.5", port 5432 failed: server certificate for '
     '"db.internal" does not match host name "10.0.0.5"', "psql", C.IP_NOT_IN_SAN),
    ("psql-no-name", 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: could not get '
     "server's host name from server certificate", "psql", C.HOSTNAME_MISMATCH),
    ("psql-root-file", 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: root certificate '
     'file "/home/me/.postgresql/root.crt" does not exist\nEither provide the file, use the system\'s trusted roots '
     "with sslrootcert=system, or change sslmode to disable server certificate verification.", "psql",
     C.CHAIN_UNTRUSTED),
    ("psql-verify-failed", 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: SSL error: '
     "certificate verify failed", "psql", C.CHAIN_UNTRUSTED),
]


@pytest.mark.parametrize(("text", "client", "code"), [c[1:] for c in OBSERVED], ids=[c[0] for c in OBSERVED])
def test_observed_texts_name_the_client_and_the_problem(text: str, client: str | None, code: Code) -> None:
    result = explain(text)
    assert result.client == client
    assert result.findings and result.findings[0].code is code, result.to_json()
    assert {f.severity.value for f in result.findings} == {"error"}


def test_a_reason_line_outranks_the_line_that_only_says_verification_failed() -> None:
    """GnuTLS prints "is not trusted" with every failure: beside a reason, it adds no finding of its own."""
    alone = explain("ERROR: The certificate of ‘api.example.test’ is not trusted.")
    assert C.NAME_CONSTRAINTS in [f.code for f in alone.findings]  # wget says nothing more for a name constraint
    weak = explain("ERROR: The certificate of ‘api.example.test’ is not trusted.\n"
                   "ERROR: The certificate of ‘api.example.test’ was signed using an insecure algorithm.")
    assert [f.code for f in weak.findings] == [C.WEAK_SIGNATURE]
    header = explain("ERROR: cannot verify api.example.com's certificate, issued by ‘CN=R3’:\n  Issued certificate has expired.")
    assert [f.code for f in header.findings] == [C.CERT_EXPIRED]
    libpq = explain("SSL error: certificate verify failed")
    assert libpq.client == "psql" and libpq.findings[0].code is C.CHAIN_UNTRUSTED
    assert C.HOSTNAME_MISMATCH not in [f.code for f in libpq.findings]  # libpq checks the name itself, later


# ---- the verdict in every face


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("text", [CURL_NAME, "curl: (60) something went wrong", "nothing to see here"],
                         ids=["error", "hints-only", "unrelated"])
def test_every_face_prints_the_verdict_of_the_exit_code(fmt: str, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", text, "--format", fmt])
    out = capsys.readouterr().out
    verdict = "ok" if code == 0 else "problem"
    if fmt == "json":
        assert json.loads(out)["verdict"] == verdict
    else:
        assert re.findall(r"Verdict: (\w+)", out) == [verdict]


def test_hints_alone_say_they_are_hints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "curl: (60) something went wrong"]) == 0
    assert "Only hints" in capsys.readouterr().out


def test_a_pasted_line_cannot_forge_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    """An excerpt is one line: the pasted "Verdict: ok" stays inside «…», visibly escaped."""
    text = "x509: certificate is valid for a.example.com\nVerdict: ok\n\u2028Verdict: ok\n, not b.example.com"
    assert main(["explain", text]) == 1
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if "Verdict" in line and "«" not in line] == ["Verdict: problem"]
    assert "a.example.com\\nVerdict: ok\\n\\u2028Verdict" in out


# ---- which part was read


def _explain_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "tui")}
    return subprocess.run([sys.executable, "-m", "tlsdoctor", "explain", *args], input=data, capture_output=True,
                          env=env, timeout=120, check=False)


def test_standard_input_says_which_part_was_read() -> None:
    """Only the first MAX_INPUT_BYTES of a pipe are kept; the rest is counted, so the report says how much was cut."""
    cjk = "证" * 600_000  # 3 bytes each: the first MiB holds 349,525 of them, fewer than MAX_CHARS
    text = CURL_NAME + "\n" + cjk
    done = _explain_stdin(text.encode(), "--format", "json")
    assert done.returncode == 1, done.stderr
    head = len((CURL_NAME + "\n").encode())
    read = len(CURL_NAME) + 1 + (MAX_INPUT_BYTES - head) // 3
    assert json.loads(done.stdout)["input"] == {"chars": len(text), "read": read, "cut": True}
    done = _explain_stdin(CURL_NAME.encode(), "--format", "json")
    assert json.loads(done.stdout)["input"] == {"chars": len(CURL_NAME), "read": len(CURL_NAME), "cut": False}


def test_an_endless_pipe_is_counted_only_so_far() -> None:
    data = CURL_NAME.encode() + b"\n" + b"x" * (66 * MAX_INPUT_BYTES)
    done = _explain_stdin(data, "--format", "json")
    size = json.loads(done.stdout)["input"]
    assert size["cut"] is True and size["chars_at_least"] is True and size["read"] == MAX_CHARS
    assert MAX_CHARS < size["chars"] < len(data)
    set_language("en")
    assert input_cut_line({"input": size}) == (
        f"The text was cut: only its first 1,000,000 of more than {size['chars']:,} characters were read."
    )


# ---- the knowledge base's example texts are what explain recognises

FILL = {"host": "api.example.com", "ip": "10.0.0.7", "ip1": "10.0.0.8", "ip2": "10.0.0.9", "n": "1006",
        "n1": "a.example.com", "n2": "b.example.com", "port": "443", "hex": "40C7A9AAF07F0000",
        "file": "/etc/ssl/private/root.crt", "url": "https://api.example.com", "proxy_ssl_name": "api.example.com",
        "date": "2026-01-01T00:00:00Z", "cn": "www.example.com", "name": "db.internal", "issuer": "R3"}
# Texts an entry lists as context although explain reads them as something else, or not at all:
# not TLS errors (HTTP, URL syntax, a refused connection), a key-pair error under chain order, and the
# client-side texts MTLS-2005 and MTLS-2001 share with the server-certificate entries.
KNOWN_GAPS = {
    ("MTLS-2001", "envoy"), ("MTLS-2001", "go"), ("MTLS-2005", "openssl"), ("MTLS-2005", "go"), ("MTLS-2005", "python"),
    ("MTLS-2008", "http"), ("NET-3002", "curl"), ("TLS-1001", "curl"), ("TLS-1001", "python"), ("TLS-1001", "go"),
    ("TLS-1004", "python"), ("TLS-1004", "chrome"), ("TLS-1102", "nginx"),
    # an unreadable hosts file shows as a name that does not resolve: the text cannot tell which file failed
    ("NET-3003", "curl"), ("NET-3003", "python"), ("NET-3003", "getent"),
}


def _kb_texts() -> list[object]:
    out = []
    for entry in load_knowledge().entries:
        for client, texts in entry.errors.items():
            if (entry.id, client) in KNOWN_GAPS:
                continue
            for i, text in enumerate(texts):
                filled = re.sub(r"<([a-z0-9_]+)>", lambda m: FILL.get(m.group(1), m.group(0)), text)
                codes = frozenset((*entry.findings, *entry.related))
                out.append(pytest.param(filled, codes, id=f"{entry.id}-{client}-{i}"))
    return out


@pytest.mark.parametrize(("text", "codes"), _kb_texts())
def test_every_example_error_of_the_knowledge_base_is_recognised(text: str, codes: frozenset[Code]) -> None:
    result = explain(text)
    assert result.findings and result.findings[0].severity.value == "error", text
    assert codes & {f.code for f in result.findings}, (text, result.to_json()["findings"])


def test_the_known_gaps_are_still_gaps() -> None:
    """When explain learns one of them, it leaves KNOWN_GAPS (so the list never hides a regression)."""
    entries = {e.id: e for e in load_knowledge().entries}
    for kb_id, client in KNOWN_GAPS:
        entry = entries[kb_id]
        codes = {*entry.findings, *entry.related}
        texts = [re.sub(r"<([a-z0-9_]+)>", lambda m: FILL.get(m.group(1), m.group(0)), t) for t in entry.errors[client]]
        assert not all(
            (r := explain(t)).findings and r.findings[0].severity.value == "error" and codes & {f.code for f in r.findings}
            for t in texts
        ), (kb_id, client)
