"""The walk's questions: when to ask, what to offer, and what each answer changes.

A question is asked only where the evidence is ambiguous and the answer changes
the verdict or the fixes: which client fails (its rules judge the certificate
and pick the fixes); the hosts file and DNS disagree (which road the client
takes); the client's own addresses serve different certificates (which one it
reaches, or is it intermittent); the server asks for a client certificate and
none was given (load one, or go on without). The walk asks; this module builds
the questions and applies the answers to the findings. Pure: no I/O.

Answers mark findings through their evidence: `answer` (the word), `set_aside`
(the user's answer makes it context: never ranked, fails no client) and
`leads` (the user's answer puts it first).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tlsdoctor.analysis.addresses import AddressJudgement
from tlsdoctor.analysis.clientset import user_name
from tlsdoctor.analysis.hosts import HostsView
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.questions import (
    Answer,
    Answered,
    AnsweredBy,
    Choice,
    EvidenceItem,
    Question,
    QuestionId,
)
from tlsdoctor.facts.tls import Handshake
from tlsdoctor.findings import Code, Finding, Severity, StepId
from tlsdoctor.i18n import N_, _

UNKNOWN = "unknown"

# --- what is wrong? (asked by the app before there is a target) ------------------------------

START_LABELS: Mapping[str, str] = {
    "name": N_("a client says the name does not match"),
    "client-cert": N_("a client certificate is refused"),
    "error": N_("I have an error message (paste it)"),
    "files": N_("I have certificate files (offline)"),
}


def start_question() -> Question:
    return Question(
        QuestionId.START,
        StepId.TARGET,
        N_("What is wrong?"),
        tuple(Choice(value, label) for value, label in START_LABELS.items()),
        "name",
    )


def start_record(answers: Mapping[str, Answer]) -> Answered | None:
    """The start question's answer (given before the walk), as the first entry of the path."""
    answer = answers.get(QuestionId.START)
    return settled(start_question(), answer)[1] if answer is not None else None


# --- which client fails? ------------------------------------------------------------------

# choice → the clients of the names matrix it stands for (empty: every client)
CLIENT_GROUPS: Mapping[str, tuple[str, ...]] = {
    "curl": ("curl", "openssl"),
    "python": ("python-ssl",),
    "requests": ("requests",),
    "node": ("node",),
    "java": ("java",),
    "go": ("go",),
    "browser": ("chrome", "firefox"),
    UNKNOWN: (),
}
CLIENT_LABELS: Mapping[str, str] = {
    "curl": N_("curl or OpenSSL"),
    "python": N_("Python (ssl, urllib)"),
    "requests": N_("requests or httpx"),
    "node": N_("Node.js"),
    "java": N_("Java"),
    "go": N_("Go (kubectl, docker)"),
    "browser": N_("a browser"),
    UNKNOWN: N_("I don't know"),
}
# the client `explain` recognised in a pasted message → the choice
PASTED_CLIENTS: Mapping[str, str] = {
    "curl": "curl", "openssl": "curl", "git": "curl", "wget": "curl", "psql": "curl",
    "python": "python", "urllib3": "python", "requests": "requests", "httpx": "requests",
    "node": "node", "java": "java", "go": "go", "kubectl": "go", "docker": "go",
    "chrome": "browser", "firefox": "browser",
}  # fmt: skip


def client_question(answers: Mapping[str, Answer] | None = None) -> Question:
    """Which client fails? With the client read from a pasted message as its evidence."""
    preset = (answers or {}).get(QuestionId.CLIENT)
    pasted = preset.value if preset is not None and preset.by is AnsweredBy.PASTED else None
    evidence = (EvidenceItem(N_("the pasted message names"), pasted),) if pasted else ()
    return Question(
        QuestionId.CLIENT,
        StepId.TARGET,
        N_("Which client fails?"),
        tuple(Choice(value, label) for value, label in CLIENT_LABELS.items()),
        UNKNOWN,
        evidence,
    )


def recorded_clients(models: Sequence[str]) -> Answered:
    """The client question settled by `--client` (or the form): recorded, never asked."""
    question = client_question()
    choice = client_choice_for(models)
    record = settled(question, Answer(choice, by=AnsweredBy.OPTION))[1]
    if choice == UNKNOWN:  # several clients: name them
        record = replace(record, label=N_("the clients named with --client"), detail=", ".join(user_name(m) for m in models))
    return record


def client_choice_for(models: Sequence[str]) -> str:
    """The choice that stands for `--client` values (model names), or `unknown`."""
    for value, group in CLIENT_GROUPS.items():
        if group and set(models) == set(group):
            return value
    if len(models) == 1:
        return next((v for v, g in CLIENT_GROUPS.items() if models[0] in g), UNKNOWN)
    return UNKNOWN


# --- the hosts file and DNS disagree ---------------------------------------------------------

HOSTS_LABELS: Mapping[str, str] = {
    UNKNOWN: N_("I don't know: judge what this machine does (the hosts file first)"),
    "intended": N_("the hosts file, and its line is intended (a test, a cut-over)"),
    "stale": N_("the hosts file, but its line is stale or nobody knows it"),
    "dns": N_("DNS: the client runs elsewhere or ignores this hosts file"),
}


def hosts_question(view: HostsView) -> Question | None:
    """Asked when the hosts file sends this machine somewhere DNS does not (a hosts-override)."""
    if not any(f.code is Code.HOSTS_OVERRIDE for f in view.findings):
        return None
    evidence = [EvidenceItem(N_("hosts file line"), f"{e.lineno}: {e.raw.strip()}") for e in view.lines]
    evidence.append(EvidenceItem(N_("DNS answers"), ", ".join(view.dns_addresses)))
    return Question(
        QuestionId.HOSTS,
        StepId.HOSTS,
        N_("The hosts file and DNS disagree. Which does the failing client use?"),
        tuple(Choice(value, label) for value, label in HOSTS_LABELS.items()),
        UNKNOWN,
        tuple(evidence),
    )


def _mark(f: Finding, answer: str, severity: Severity | None = None, **flags: bool) -> Finding:
    return replace(f, severity=severity or f.severity, evidence={**f.evidence, "answer": answer, **flags})


def settle_hosts(view: HostsView, value: str) -> HostsView:
    """The hosts view as the answer makes it: the override is context (intended, DNS), or the cause
    (stale); with DNS the client's addresses are DNS's."""
    if value == "intended":
        found = tuple(_mark(f, value, Severity.INFO, set_aside=True) if f.code is Code.HOSTS_OVERRIDE else f for f in view.findings)
        return replace(view, findings=found)
    if value == "stale":
        found = tuple(_mark(f, value, Severity.ERROR, leads=True) if f.code is Code.HOSTS_OVERRIDE else f for f in view.findings)
        return replace(view, findings=found)
    if value == "dns":
        found = tuple(_mark(f, value, Severity.INFO, set_aside=True) if f.code is Code.HOSTS_OVERRIDE else f for f in view.findings)
        return replace(view, findings=found, used_addresses=view.dns_addresses, source="dns")
    return view


# --- addresses serve different certificates ---------------------------------------------------


def address_question(judgement: AddressJudgement, used: Sequence[str]) -> Question | None:
    """Asked when the client's own addresses present different certificates and not all are fine."""
    rows = sorted((r for r in judgement.rows if r.address in used and r.leaf_sha256 is not None), key=lambda r: _address_key(r.address))
    if len({r.leaf_sha256 for r in rows}) < 2 or all(r.ok for r in rows):
        return None
    choices = [Choice(r.address, N_("address"), _row_detail(r.address, r.subject, r.ok)) for r in rows]
    choices.append(Choice("intermittent", N_("it fails now and then (different nodes)")))
    choices.append(Choice(UNKNOWN, N_("I don't know: judge every address")))
    return Question(
        QuestionId.ADDRESS,
        StepId.FETCH,
        N_("The addresses serve different certificates. Which one does the failing client reach?"),
        tuple(choices),
        UNKNOWN,
        tuple(EvidenceItem(N_("address"), _row_detail(r.address, r.subject, r.ok)) for r in rows),
    )


def _address_key(address: str) -> tuple[int, int]:
    """Addresses in numeric order (DNS may answer in any order: the question must not)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (9, 0)
    return (ip.version, int(ip))


def _row_detail(address: str, subject: str | None, ok: bool | None) -> str:
    verdict = "✓" if ok else "✗" if ok is False else "?"
    return f"{address} {verdict} {subject or '?'}"


def settle_divergent(findings: Sequence[Finding], judgement: AddressJudgement, used: Sequence[str], answer: str | None) -> tuple[Finding, ...]:
    """`ip-divergent-certs` as the answers make it: `intermittent`, the per-address story leads (an
    error); once an answer fixed the client's addresses (an address, an intended hosts line, DNS)
    and they all present one certificate, the others' certificates are context."""
    if answer is None or answer == UNKNOWN:
        return tuple(findings)
    if answer == "intermittent":
        return tuple(_mark(f, answer, Severity.ERROR, leads=True) if f.code is Code.IP_DIVERGENT_CERTS else f for f in findings)
    if len({r.leaf_sha256 for r in judgement.rows if r.address in used and r.leaf_sha256}) > 1:
        return tuple(findings)
    return tuple(_mark(f, answer, Severity.INFO, set_aside=True) if f.code is Code.IP_DIVERGENT_CERTS else f for f in findings)


# --- a client certificate is asked for -----------------------------------------------------------

CLIENT_CERT_LABELS: Mapping[str, str] = {
    "without": N_("go on without one (the server's answer is the evidence)"),
    "load": N_("load one: a PEM or PKCS#12 file"),
}


def client_cert_question(primary: Handshake, error: str | None = None) -> Question:
    evidence = [EvidenceItem(N_("the server asks for a client certificate"), f"{primary.address}:{primary.port}")]
    evidence += [EvidenceItem(N_("acceptable CA"), ca) for ca in primary.acceptable_client_cas[:3]]
    return Question(
        QuestionId.CLIENT_CERT,
        StepId.CLIENT,
        N_("The server asks for a client certificate and none was given. Load one?"),
        tuple(Choice(value, label, file=value == "load") for value, label in CLIENT_CERT_LABELS.items()),
        "without",
        tuple(evidence),
        error,
    )


# --- settling ----------------------------------------------------------------------------------


def settled(question: Question, sent: Answer | None, preset: Answer | None = None) -> tuple[Answer, Answered]:
    """The answer the walk goes on with (the one sent, else the preset, else the default) and its record.
    An answer that is not one of the choices counts as no answer."""
    answer = sent if sent is not None else preset
    if answer is None or question.choice(answer.value) is None:
        answer = Answer(question.default, by=AnsweredBy.DEFAULT)
    choice = question.choice(answer.value)
    assert choice is not None
    detail = choice.detail
    if choice.file and answer.cert_file:
        detail = " + ".join(p for p in (answer.cert_file, answer.key_file) if p)
    record = Answered(question.id, question.step, question.prompt, answer.value, choice.label, answer.by, detail, question.evidence)
    return answer, record


class PathTaken:
    """The questions a walk settled so far, and the answers given ahead (`options.answers`)."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = answers
        self.records: list[Answered] = []

    def to_ask(self, question: Question) -> bool:
        """Ask unless an answer was given ahead."""
        return question.id not in self.answers

    def settle(self, question: Question, sent: Answer | None, *, keep: bool = True) -> tuple[Answer, Answered]:
        answer, record = settled(question, sent, self.answers.get(question.id))
        if keep:
            self.records.append(record)
        return answer, record

    def keep(self, record: Answered) -> Answered:
        self.records.append(record)
        return record


def is_set_aside(finding: Finding) -> bool:
    """The user's answer made this finding context (never ranked, fails no client)."""
    return bool(finding.evidence.get("set_aside"))


def leads(finding: Finding) -> bool:
    """The user's answer puts this finding first."""
    return bool(finding.evidence.get("leads"))


# --- `--answer ID=VALUE` -------------------------------------------------------------------------

ANSWER_VALUES: Mapping[str, tuple[str, ...]] = {
    QuestionId.CLIENT: tuple(CLIENT_GROUPS),
    QuestionId.HOSTS: tuple(HOSTS_LABELS),
    QuestionId.ADDRESS: ("ADDR", "intermittent", UNKNOWN),
    QuestionId.CLIENT_CERT: ("without",),
}


def parse_answers(values: Sequence[str]) -> dict[str, Answer]:
    """`--answer ID=VALUE` (repeatable) → the answers the walk takes instead of asking; BadInput on nonsense."""
    out: dict[str, Answer] = {}
    for text in values:
        key, sep, value = (part.strip() for part in text.partition("="))
        key, value = key.lower(), value.lower() if key.lower() != QuestionId.ADDRESS else value
        known = ANSWER_VALUES.get(key)
        if not sep or known is None:
            raise BadInput(_("--answer {text!r}: use ID=VALUE with ID one of {ids}").format(text=text, ids=", ".join(ANSWER_VALUES)))
        ok = value in known
        if key == QuestionId.ADDRESS and not ok:
            try:
                value, ok = str(ipaddress.ip_address(value.strip("[]"))), True
            except ValueError:
                ok = False
        if not ok:
            raise BadInput(_("--answer {text!r}: {id} takes one of {values}").format(text=text, id=key, values=", ".join(known)))
        out[key] = Answer(value, by=AnsweredBy.OPTION)
    return out
