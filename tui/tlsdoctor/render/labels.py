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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from tlsdoctor.findings import Finding, Severity, StepId, StepStatus
from tlsdoctor.i18n import N_, _
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


def finding_line(f: Finding) -> str:
    """`[severity] code: title (reasons)`, one line of plain text."""
    line = f"[{_(SEVERITY_WORDS[f.severity])}] {f.code.value}: {finding_title(f.code)}"
    reasons = finding_reasons(f)
    if reasons:
        line += " (" + "; ".join(safe_text(r) for r in reasons) + ")"
    return line
