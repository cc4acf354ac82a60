"""Questions the walk asks where only a person can answer, and the answers it records.

The walk yields a `Question` (with the evidence it rests on and a default)
and waits for the `Answer` its consumer sends back (`asend`); sending nothing
takes the default, so `check` never blocks. Every question settled, asked or
not, becomes an `Answered` event: the path taken, which every export carries.
Plain frozen data: prompts and choice labels are msgids (translated by the
faces), evidence values are untrusted text (shown literally). No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tlsdoctor.findings import StepId


class QuestionId(StrEnum):
    """The questions of the guided walk (`--answer ID=VALUE` on the command line)."""

    START = "start"  # what is wrong? (asked by the app before there is a target)
    CLIENT = "client"  # which client fails?
    HOSTS = "hosts"  # the hosts file and DNS disagree: which does the failing client use?
    ADDRESS = "address"  # addresses serve different certificates: which one does the client reach?
    CLIENT_CERT = "client-cert"  # the server asks for a client certificate and none was given


class AnsweredBy(StrEnum):
    """Where an answer came from."""

    USER = "user"  # a person chose it when asked
    OPTION = "option"  # a command-line option or the form (`--client`, `--answer`, `--client-cert`)
    DEFAULT = "default"  # nobody answered: the question's default
    PASTED = "pasted"  # read from a pasted error message (`explain`)
    EARLIER = "earlier"  # the previous run's answer, kept for a re-run


@dataclass(frozen=True)
class Choice:
    """One answer a person can pick: `value` is the machine word, `label` a msgid,
    `detail` untrusted text shown literally beside it (an address and its certificate)."""

    value: str
    label: str
    detail: str = ""
    file: bool = False  # picking it asks for files (a client certificate)


@dataclass(frozen=True)
class EvidenceItem:
    """One line of the evidence beside a question: a label (msgid) and a literal value."""

    label: str
    value: str

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value}


@dataclass(frozen=True)
class Question:
    """A question of the walk: what it asks, the answers, the default, and the evidence it rests on."""

    id: QuestionId
    step: StepId
    prompt: str  # msgid
    choices: tuple[Choice, ...]
    default: str
    evidence: tuple[EvidenceItem, ...] = ()
    error: str | None = None  # asked again: why the last answer could not be used (literal)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Answer:
    """What a face sends back: a choice's value, and for a file choice the files (and a password,
    which is never recorded or exported)."""

    value: str
    cert_file: str | None = None
    key_file: str | None = None
    password: str | None = field(default=None, repr=False)
    by: AnsweredBy = AnsweredBy.USER


@dataclass(frozen=True)
class Answered:
    """A settled question: the step, the question, the answer and the evidence it rested on."""

    question: QuestionId
    step: StepId
    prompt: str  # msgid
    value: str
    label: str  # msgid of the chosen answer
    by: AnsweredBy
    detail: str = ""  # literal: the address chosen, the file loaded
    evidence: tuple[EvidenceItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "question": self.question.value,
            "prompt": self.prompt,
            "answer": self.value,
            "answer_label": self.label,
            "detail": self.detail,
            "by": self.by.value,
            "evidence": [e.to_json() for e in self.evidence],
        }
