"""The guided walk's questions as pure functions: what each answer does to the findings, the fixes
and the ranking; `--answer` parsing; the host a pasted message names; the re-run comparison."""

from __future__ import annotations

import datetime as dt

import pytest

from tlsdoctor.analysis.hosts import hosts_view, parse_hosts
from tlsdoctor.diagnosis import Report, rank_findings
from tlsdoctor.errors import BadInput
from tlsdoctor.explain.host import host_in_message
from tlsdoctor.facts.questions import Answer, AnsweredBy, QuestionId
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.i18n import set_language
from tlsdoctor.knowledge import CommandContext, diagnose
from tlsdoctor.knowledge.clientfix import command_clients, commands_for
from tlsdoctor.questions import (
    client_question,
    hosts_question,
    parse_answers,
    recorded_clients,
    settle_hosts,
    settled,
)
from tlsdoctor.summaries import answered_by_note, answered_text

AT = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
CTX = CommandContext(host="api.example.test", display_host="api.example.test", port=443, ca_file="/etc/ssl/private-root.pem")


def _view(dns: tuple[str, ...] = ("10.0.0.2",)) -> object:
    entries = parse_hosts("10.0.0.9 moved.example.test  # old server\n")
    return hosts_view(entries, "moved.example.test", dns, "/etc/hosts")


# which client fails -----------------------------------------------------------------------------


def test_java_gets_keytool_first_and_not_the_other_clients_commands() -> None:
    private_ca = [Finding(Code.CHAIN_UNTRUSTED, Severity.ERROR, {})]
    every = diagnose(private_ca, CTX)[0].workarounds[1].commands
    java = diagnose(private_ca, CTX, clients=("java",))[0].workarounds[1].commands
    node = diagnose(private_ca, CTX, clients=("node",))[0].workarounds[1].commands
    assert any("keytool" in c for c in every) and any("NODE_EXTRA_CA_CERTS" in c for c in every)
    assert java[0].startswith("keytool") and not any("NODE_EXTRA_CA_CERTS" in c or "REQUESTS_CA_BUNDLE" in c for c in java)
    assert node[0].startswith("NODE_EXTRA_CA_CERTS") and not any("keytool" in c for c in node)
    assert any(c.startswith("openssl s_client") for c in java), "a general probe stays for everyone"


def test_a_client_certificate_fix_follows_the_client() -> None:
    required = [Finding(Code.MTLS_CERT_REQUIRED, Severity.ERROR, {})]
    java = diagnose(required, CTX, clients=("java",))[0].workarounds[0].commands
    requests = diagnose(required, CTX, clients=("requests",))[0].workarounds[0].commands
    assert "-Djavax.net.ssl.keyStore=client.p12" in java[0] and not any(c.startswith("curl") for c in java)
    assert "import requests" in requests[0]


def test_command_clients_tells_configuring_commands_from_probes() -> None:
    assert command_clients("keytool -importcert -alias x -file {ca_file} -cacerts") == {"java"}
    assert command_clients("curl --cacert {ca_file} {https_url}") == {"curl"}
    assert command_clients("curl -sSI {https_url}") is None  # a probe, for everyone
    assert command_clients("openssl s_client -connect {host_port}") is None
    assert "go" in (command_clients("sudo update-ca-certificates") or set())
    assert commands_for(["a", "b"], ()) == ("a", "b")


def test_the_client_answer_is_recorded_in_the_users_words() -> None:
    question = client_question()
    answer, record = settled(question, Answer("java"))
    assert (answer.value, record.by) == ("java", AnsweredBy.USER)
    assert answered_text(record) == "the failing client is Java"
    several = recorded_clients(("java", "python-ssl"))
    assert several.by is AnsweredBy.OPTION and several.detail == "java, python"


def test_where_an_answer_came_from_is_in_the_languages_parentheses() -> None:
    _answer, record = settled(client_question(), Answer("java", by=AnsweredBy.EARLIER))
    assert answered_by_note(record) == " (as in the last run)"
    set_language("zh")
    try:  # full-width, and no space before them: `不清楚出错的是哪个客户端（沿用上次的回答）`
        assert answered_by_note(record) == "（沿用上次的回答）"
    finally:
        set_language("en")


def test_an_answer_that_is_not_a_choice_takes_the_default() -> None:
    answer, record = settled(client_question(), Answer("lynx"))
    assert answer.value == "unknown" and record.by is AnsweredBy.DEFAULT


# hosts file and DNS disagree ----------------------------------------------------------------------


def test_the_hosts_question_is_asked_only_when_the_hosts_file_sends_elsewhere() -> None:
    question = hosts_question(_view())  # type: ignore[arg-type]
    assert question is not None and question.default == "unknown"
    assert [e.value for e in question.evidence] == ["1: 10.0.0.9 moved.example.test  # old server", "10.0.0.2"]
    assert hosts_question(_view(dns=("10.0.0.9",))) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "severity", "used"),
    [("unknown", Severity.WARNING, ("10.0.0.9",)), ("intended", Severity.INFO, ("10.0.0.9",)),
     ("stale", Severity.ERROR, ("10.0.0.9",)), ("dns", Severity.INFO, ("10.0.0.2",))],
)  # fmt: skip
def test_each_hosts_answer_changes_the_override_and_the_road(value: str, severity: Severity, used: tuple[str, ...]) -> None:
    view = settle_hosts(_view(), value)  # type: ignore[arg-type]
    (override,) = view.findings
    assert override.severity is severity and view.used_addresses == used


def test_a_stale_hosts_line_leads_and_an_intended_one_is_never_ranked() -> None:
    mismatch = Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, {})
    stale = settle_hosts(_view(), "stale").findings  # type: ignore[arg-type]
    intended = settle_hosts(_view(), "intended").findings  # type: ignore[arg-type]
    assert rank_findings([mismatch, *stale], CTX, "en")[0].kb_id == "TLS-1008"
    ranked = rank_findings([mismatch, *intended], CTX, "en")
    assert ranked[0].kb_id == "TLS-1002" and not any("hosts-override" in d.because for d in ranked)


# --answer ----------------------------------------------------------------------------------------


def test_parse_answers_takes_ids_and_values_and_refuses_nonsense() -> None:
    answers = parse_answers(["hosts=DNS", "address=127.0.0.3", "client=java", "address=intermittent"])
    assert answers[QuestionId.HOSTS].value == "dns" and answers["client"].value == "java"
    assert answers["address"].value == "intermittent" and answers["hosts"].by is AnsweredBy.OPTION
    for bad in ("hosts", "hosts=maybe", "colour=red", "address=not-an-ip", "client-cert=/tmp/x.pem"):
        with pytest.raises(BadInput):
            parse_answers([bad])


# pasted messages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("curl: (60) SSL: no alternative certificate subject name matches target host name 'x.example.test'", "x.example.test"),
        ("x509: certificate is valid for a.test, b.test, not c.example.test", "c.example.test"),
        ("Hostname/IP does not match certificate's altnames: Host: w.example.test. is not in the cert's altnames: DNS:o.test", "w.example.test"),
        ("certificate verify failed: Hostname mismatch, certificate is not valid for 'api.example.com'. (_ssl.c:1006)", "api.example.com"),
        ("javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.example.com found.", "api.example.com"),
        ("HTTPSConnectionPool(host='h.example', port=443): Max retries exceeded", "h.example"),
        ("unable to get local issuer certificate", None),
    ],
)
def test_the_host_a_pasted_message_names(text: str, host: str | None) -> None:
    assert host_in_message(text) == host


# re-run comparison -----------------------------------------------------------------------------


def _report(*findings: Finding) -> Report:
    from tlsdoctor.target import parse_target

    return Report(parse_target("api.example.test"), (), tuple(findings), diagnose(findings, CTX), AT)


def test_compare_tells_resolved_still_failing_and_new() -> None:
    from tlsdoctor.compare import compare_reports

    before = _report(Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, {}), Finding(Code.CHAIN_INCOMPLETE, Severity.ERROR, {}))
    after = _report(Finding(Code.CHAIN_INCOMPLETE, Severity.WARNING, {}), Finding(Code.CERT_EXPIRED, Severity.ERROR, {}),
                    Finding(Code.DNS_TIMEOUT, Severity.WARNING, {"off_path": True}))  # fmt: skip
    c = compare_reports(before, after)
    assert [x.code for x in c.resolved] == ["hostname-mismatch"]
    assert [(x.code, x.before, x.after) for x in c.still_failing] == [("chain-incomplete", Severity.ERROR, Severity.WARNING)]
    assert [x.code for x in c.new] == ["cert-expired"], "context off the road is never new"
    assert c.changed and c.to_json()["resolved"][0]["code"] == "hostname-mismatch"
    same = compare_reports(before, before)
    assert not same.changed and not same.resolved and not same.new
