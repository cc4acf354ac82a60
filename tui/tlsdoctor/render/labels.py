"""The words and symbols every face shares: step titles, status and severity words, inert text.

Labels are msgids marked with `N_()` and translated when shown. `safe_text`
is how every face shows an untrusted value (certificate fields, DNS answers,
server text): redacted while `redacting()` is active, then `untrusted.inert`
(one line, controls and separators escaped); `md_text` adds Markdown escapes.
Used by the text and Markdown renderers and the app. No textual here, and
nothing that decides anything about a report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import MappingProxyType

from tlsdoctor.findings import Finding, Severity, StepId, StepStatus
from tlsdoctor.i18n import N_, _, format_number
from tlsdoctor.reasons import reason_text
from tlsdoctor.summaries import finding_title
from tlsdoctor.untrusted import inert

_redaction: list[Callable[[str], str] | None] = [None]  # set by `redacting()` while a report renders

STEP_TITLES: Mapping[StepId, str] = MappingProxyType(
    {
        StepId.TARGET: N_("Target"),
        StepId.DNS: N_("DNS"),
        StepId.HOSTS: N_("Hosts file"),
        StepId.FETCH: N_("Fetch certificates"),
        StepId.NAMES: N_("Names"),
        StepId.CHAIN: N_("Chain and trust"),
        StepId.CLIENT: N_("Client certificate (mTLS)"),
        StepId.DIAGNOSIS: N_("Diagnosis"),
    }
)
STATUS_WORDS: Mapping[StepStatus, str] = MappingProxyType(
    {
        StepStatus.WAITING: N_("waiting"),
        StepStatus.RUNNING: N_("running"),
        StepStatus.OK: N_("ok"),
        StepStatus.WARN: N_("warning"),
        StepStatus.FAIL: N_("failed"),
        StepStatus.SKIPPED: N_("skipped"),
        StepStatus.ERROR: N_("error"),
    }
)
STATUS_SYMBOLS: Mapping[StepStatus, str] = MappingProxyType(
    {
        StepStatus.WAITING: "·",
        StepStatus.RUNNING: "…",
        StepStatus.OK: "✓",
        StepStatus.WARN: "!",
        StepStatus.FAIL: "✗",
        StepStatus.SKIPPED: "-",
        StepStatus.ERROR: "✗",
    }
)
SEVERITY_WORDS: Mapping[Severity, str] = MappingProxyType(
    {
        Severity.ERROR: N_("error"),
        Severity.WARNING: N_("warning"),
        Severity.INFO: N_("info"),
    }
)


@contextmanager
def redacting(redaction: Callable[[str], str] | None) -> Iterator[None]:
    """While rendering a report for sharing: every untrusted value shown is redacted first (our words never are)."""
    before, _redaction[0] = _redaction[0], redaction
    try:
        yield
    finally:
        _redaction[0] = before


def safe_text(value: object) -> str:
    """An untrusted value as every face shows it: redacted when sharing, inert, on one line."""
    return inert(_redaction[0](str(value)) if _redaction[0] is not None and value is not None else value)


def md_text(value: object) -> str:
    """Untrusted text for Markdown: inert characters, Markdown syntax escaped, one line."""
    text = safe_text(value)
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~-])", r"\\\1", text)


def step_title(step: StepId) -> str:
    return _(STEP_TITLES[step])


def status_label(status: StepStatus) -> str:
    """Symbol and word: status is never told by colour alone."""
    return f"{STATUS_SYMBOLS[status]} {_(STATUS_WORDS[status])}"


def finding_reasons(f: Finding) -> list[str]:
    """The distinct evidence reasons of a finding (top level and one level into lists), translated."""
    found: list[str] = []

    def take(value: object) -> None:
        if isinstance(value, str) and value not in found:
            found.append(value)

    take(f.evidence.get("reason"))
    for value in f.evidence.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    take(item.get("reason"))
    return [reason_text(r) for r in found]


OFF_PATH_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "clients-without-the-pin-fail": N_("not on this client's path (--resolve pins the address): clients without the pin fail"),
        "hosts-file-answers": N_("not on this client's path: the hosts file answers for the name"),
        "the-user-said": N_("not on this client's path: the user said it reaches other addresses"),
    }
)


def finding_context(f: Finding) -> str | None:
    """Why a finding is context rather than the cause: the road the client takes avoids it."""
    note = f.evidence.get("note") if f.evidence.get("off_path") else None
    return _(OFF_PATH_WORDS[note]) if isinstance(note, str) and note in OFF_PATH_WORDS else None


def finding_line(f: Finding) -> str:
    """`[severity] code: title (reasons) [addresses] — context`, one line of plain text."""
    line = f"[{_(SEVERITY_WORDS[f.severity])}] {f.code.value}: {finding_title(f.code)}"
    reasons = finding_reasons(f)
    if reasons:
        line += " (" + "; ".join(safe_text(r) for r in reasons) + ")"
    addresses = f.evidence.get("addresses")
    if isinstance(addresses, list) and addresses and f.step in (StepId.NAMES, StepId.CHAIN):
        line += " " + _("at {addresses}").format(addresses=", ".join(safe_text(a) for a in addresses))
    context = finding_context(f)
    if context:
        line += " — " + context
    return line


def one_line(value: object) -> str:
    """Untrusted text on one line: inert (`safe_text`), line and paragraph separators shown as escapes."""
    return safe_text(value).replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def input_cut_line(extra: Mapping[str, object]) -> str | None:
    """`explain`: the sentence saying the pasted text was cut and which part was read (None: read whole)."""
    size = extra.get("input")
    if not isinstance(size, Mapping) or not size.get("cut"):
        return None
    chars, read = size.get("chars"), size.get("read")
    if not isinstance(chars, int) or not isinstance(read, int):
        return None
    if size.get("chars_at_least"):
        text = _("The text was cut: only its first {read} of more than {chars} characters were read.")
    else:
        text = _("The text was cut: only its first {read} of {chars} characters were read.")
    return text.format(read=format_number(read), chars=format_number(chars))


def clients_line(asked: Sequence[str], fail: Sequence[str], passed: Sequence[str]) -> str:
    """`Clients: fail … · pass …` in the option's words, one line."""
    none = _("none")
    return _("Clients: fail: {fail} · pass: {passed}").format(fail=", ".join(fail) or none, passed=", ".join(passed) or none)
