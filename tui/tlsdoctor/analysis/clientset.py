"""The clients a user cares about (`--client`), and what their own rules make of each finding.

A certificate can be fine for curl and refused by Java (an underscore in a name),
or fine for Java and refused by OpenSSL at security level 2 (an RSA-1024 key).
Findings that know who refuses carry it in their evidence: `clients` (with
`accepting`) for the chain policy findings, `rejected_by` for the names rules;
the names step's per-client matrix says the same for each certificate. With
clients named, such a finding is an error when a named client refuses and a
warning otherwise. Without `--client` the findings keep the severity the
analysis gave them (weighed for clients at large), and the verdict lists every
client that fails.

Pure: no I/O. The option's words are the user's (`python`); evidence uses the
matrix's (`python-ssl`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity, StepId
from tlsdoctor.i18n import _

CLIENT_CHOICES = ("curl", "openssl", "python", "requests", "node", "java", "go", "chrome", "firefox")
_MODEL = {"python": "python-ssl"}  # the option's word → the word in evidence and the names matrix
_USER = {v: k for k, v in _MODEL.items()}
MODEL_CLIENTS = tuple(_MODEL.get(c, c) for c in CLIENT_CHOICES)


def parse_clients(values: Iterable[str]) -> tuple[str, ...]:
    """`--client` values (repeatable, comma-separated) → model names, in option order; BadInput on an unknown one."""
    out: list[str] = []
    for value in values:
        for word in value.split(","):
            name = word.strip().lower()
            if not name:
                continue
            model = _MODEL.get(name, name)
            if model not in MODEL_CLIENTS:
                raise BadInput(_("--client {name!r}: choose from {choices}").format(name=word.strip(), choices=", ".join(CLIENT_CHOICES)))
            if model not in out:
                out.append(model)
    return tuple(out)


def user_name(client: str) -> str:
    """The option's word for a model client name (`python-ssl` → `python`)."""
    return _USER.get(client, client)


def refusing(finding: Finding) -> tuple[str, ...] | None:
    """The clients a finding says refuse, or None when it does not say (then it concerns every client)."""
    evidence = finding.evidence
    if "accepting" in evidence and isinstance(evidence.get("clients"), list):
        return tuple(str(c) for c in evidence["clients"])
    if isinstance(evidence.get("rejected_by"), list):
        return tuple(str(c) for c in evidence["rejected_by"])
    return None


def _weighed(finding: Finding, refused: bool) -> Finding:
    if finding.severity is Severity.INFO:
        return finding
    severity = Severity.ERROR if refused else Severity.WARNING
    return finding if severity is finding.severity else replace(finding, severity=severity)


def weigh_for_clients(findings: Sequence[Finding], asked: Sequence[str]) -> tuple[Finding, ...]:
    """Findings that name who refuses: an error when an asked client refuses, else a warning."""
    if not asked:
        return tuple(findings)
    out = []
    for f in findings:
        who = refusing(f)
        out.append(f if who is None else _weighed(f, bool(set(who) & set(asked))))
    return tuple(out)


def weigh_names(
    findings: Sequence[Finding], matrix: Mapping[str, bool], asked: Sequence[str], *, host: str
) -> tuple[Finding, ...]:
    """One certificate's names findings for the asked clients, `matrix` being client → accepts.

    The matrix decides: when every asked client accepts the certificate, its
    name errors are warnings (the rule they break is real, these clients do not
    enforce it); when an asked client refuses and no finding says so, a
    `hostname-mismatch` error naming that client is added.
    """
    if not asked:
        return tuple(findings)
    refused = [c for c in asked if matrix.get(c) is False]
    out: list[Finding] = []
    for f in findings:
        who = refusing(f)
        if who is not None:
            out.append(_weighed(f, bool(set(who) & set(asked))))
        elif f.severity is Severity.ERROR and not refused:
            out.append(replace(f, severity=Severity.WARNING, evidence={**f.evidence, "accepted_by": list(asked)}))
        else:
            out.append(f)
    if refused and not any(f.severity is Severity.ERROR for f in out):
        out.append(
            Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, {"host": host, "reason": "client-rule", "rejected_by": refused})
        )
    return tuple(out)


@dataclass(frozen=True)
class ClientsVerdict:
    """Which of the asked clients fail here and which pass (the report's `clients`, in the option's words)."""

    asked: tuple[str, ...]
    fail: tuple[str, ...]
    passed: tuple[str, ...]

    def to_json(self) -> dict[str, list[str]]:
        return {
            "asked": [user_name(c) for c in self.asked],
            "fail": [user_name(c) for c in self.fail],
            "pass": [user_name(c) for c in self.passed],
        }


def clients_verdict(
    findings: Sequence[Finding], matrices: Sequence[Mapping[str, bool]], asked: Sequence[str]
) -> ClientsVerdict:
    """Who fails: a client a finding names as refusing, or one a certificate on its path does not
    satisfy (`matrices`, the names step's, one per certificate the client may get); everyone,
    when an error concerns every client. Context (`off_path`) findings fail nobody."""
    clients = tuple(asked) or MODEL_CLIENTS
    failing: set[str] = set()
    for f in findings:
        if f.evidence.get("off_path") or f.severity is Severity.INFO:
            continue
        who = refusing(f)
        if who is not None:
            failing.update(who)
        elif f.severity is Severity.ERROR and (f.step is not StepId.NAMES or not matrices):
            failing.update(clients)
    for matrix in matrices:
        failing.update(c for c, accepts in matrix.items() if not accepts)
    fail = tuple(c for c in clients if c in failing)
    return ClientsVerdict(clients, fail, tuple(c for c in clients if c not in failing))
