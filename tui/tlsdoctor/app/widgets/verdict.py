"""The verdict card: the top finding, its evidence and the top fix with its command, above the steps.

On a shared call at 80×24 both people must see, without a key press, what is
wrong, why we think so, and what to run. The card says it in four short parts
(finding, evidence, fix, command), drawn from the finished walk's report: the
finding is the top knowledge entry's strongest one, the evidence comes from
that finding's own data (the names the certificate holds, what the server
answered, the lab's server log in the demo), the fix is the entry's first
workaround, its first sentence only (step 8 has the rest). Computes nothing
the report does not say.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from tlsdoctor.findings import Code, Finding, Severity, StepId
from tlsdoctor.i18n import _
from tlsdoctor.summaries import finding_title, step_summary

from ..display import SEVERITY_STYLE, SEVERITY_SYMBOL, gap, lit, pad
from .blocks import line
from .command import CommandLine
from .diagnosis import success_rate

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.facts.steps import StepResult

    from ..state import WalkState

MAX_NAMES = 3  # names listed in the evidence line; the names step lists them all
_NAME_CODES = {Code.HOSTNAME_MISMATCH, Code.WILDCARD_APEX, Code.WILDCARD_DEPTH, Code.WILDCARD_PARTIAL, Code.IP_NOT_IN_SAN}
_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def top_finding(report: Report) -> Finding | None:
    """The strongest finding the top knowledge entry explains (errors first, then in step order)."""
    if not report.diagnosis:
        return None
    because = set(report.diagnosis[0].because)
    found = [f for f in report.findings if f.code.value in because and f.severity is not Severity.INFO]
    return min(found, key=lambda f: _SEVERITY_ORDER.index(f.severity), default=None)


def first_sentence(text: str) -> str:
    """The first sentence of a fix (`. ` or `。`), so the card stays short; the whole text is in step 8."""
    cut = len(text)
    for mark in ("。", ". "):
        i = text.find(mark)
        if 0 < i < cut:
            cut = i + 1
    return text[:cut].strip()


def lead(label: str) -> str:
    """A label before its value: a space after it, unless it ends in full-width punctuation (`证书中的名称：`)."""
    return label if label.endswith(("：", "，", "；")) else label + " "


def _names(values: Sequence[str]) -> str:
    shown = _(", ").join(values[:MAX_NAMES])
    if len(values) > MAX_NAMES:
        shown += " " + _("(and {n} more)").format(n=len(values) - MAX_NAMES)
    return shown


def _identities(values: Sequence[str]) -> list[str]:
    """`CN=x`, `DNS:x` → `x` once: the card names the identity, the client step shows where it sits."""
    out: list[str] = []
    for value in values:
        bare = value.split("=", 1)[1] if value.startswith("CN=") else value.split(":", 1)[-1] if value[:4] in ("DNS:", "URI:") else value
        if bare not in out:
            out.append(bare)
    return out


def _server_answer(hs: Mapping[str, Any], *, with_body: bool = True) -> str | None:
    """What the server said about the client certificate: an HTTP status (and its body), or a TLS alert."""
    if hs.get("http_status") is not None:
        body = (hs.get("http_body_excerpt") or "") if with_body else ""
        answer = _("the server answered HTTP {status} {reason}").format(status=hs["http_status"], reason=hs.get("http_reason") or "")
        return answer.rstrip() + (f" «{body.strip()}»" if body.strip() else "")
    if hs.get("alert") is not None:
        return _("the server sent TLS alert {alert} {name}").format(alert=hs["alert"], name=hs.get("alert_name") or "")
    return None


def evidence_lines(finding: Finding, result: StepResult | None, server_log: Sequence[str]) -> list[Content]:
    """One to three lines of evidence for the card, from the finding's own step data (shown literally)."""
    data = result.data if result is not None else None
    ev = finding.evidence
    if finding.code in _NAME_CODES and data is not None and hasattr(data, "verdicts"):
        names = [v.value for v in data.verdicts if v.kind.value != "cn"] or list(getattr(data, "common_names", ()))
        return [
            Content.assemble(lead(_("the certificate holds")), lit(_names(names), "bold")),
            Content.assemble(lead(_("the client asked for")), lit(data.display_reference, "bold")),
        ]
    if finding.code is Code.IP_DIVERGENT_CERTS and isinstance(ev.get("certificates"), list):
        return [lit(f"{c.get('address')} → {c.get('subject')}") for c in ev["certificates"][:MAX_NAMES] if isinstance(c, dict)]
    if finding.code is Code.HOSTS_OVERRIDE:
        return [
            Content.assemble(_("hosts file") + " → ", lit(", ".join(ev.get("hosts_addresses", [])), "bold")),
            Content.assemble("DNS → ", lit(", ".join(ev.get("dns_addresses", [])), "bold")),
        ]
    if finding.step is StepId.CLIENT and data is not None:
        out: list[Content] = []
        if getattr(data, "expected", None) is not None:
            out.append(
                Content.assemble(
                    lead(_("the certificate says")), lit(_names(_identities(data.identities)), "bold"), _("; "),
                    lead(_("the server expects")), lit(data.expected.text, "bold"),
                )
            )
        # the server's log line says more than the response body: then the body is left to the client step
        answer = _server_answer(data.handshake, with_body=not server_log) if data.handshake else None
        if answer:
            out.append(lit(answer))
        out += [Content.assemble(_("server log") + _(": "), lit(entry, "$warning")) for entry in server_log[-1:]]
        if out:
            return out
    if finding.code is Code.CHAIN_INCOMPLETE and ev.get("missing_issuer"):
        return [Content.assemble(_("missing issuer") + _(": "), lit(ev["missing_issuer"], "bold"))]
    return [lit(step_summary(result))] if result is not None else []


def comparison_card(report: Report) -> Iterator[Widget]:
    """After a re-run: the verdict then and now, and what was resolved, still fails, or is new."""
    c = report.comparison
    if c is None:
        return
    words = {"problem": (_("problem"), "$error bold"), "ok": (_("ok"), "$success bold")}
    yield line((_("since the last run") + _(": "), "bold"), words[c.verdict_before], " → ", words[c.verdict_after])
    rows = ((_("resolved"), c.resolved, "✓", "$success"), (_("still failing"), c.still_failing, "✗", "$error"), (_("new"), c.new, "!", "$warning"))
    parts: list[Content | str | tuple[str, str]] = []
    for title, changes, mark, style in rows:
        if changes:
            parts += ["  " if parts else "", (f"{mark} {title}" + _(": "), style), ", ".join(ch.code for ch in changes)]
    yield line(*(parts or [("  " + _("Nothing changed since the last run."), "dim")]), hang=2)


def verdict_card(state: WalkState) -> Iterator[Widget]:
    """The card's widgets (nothing while the walk runs, or when nothing is wrong and there is no earlier run)."""
    report = state.report
    if report is None:
        return
    yield from comparison_card(report)
    if not report.diagnosis:
        return
    finding = top_finding(report)
    entry = report.diagnosis[0]
    labels = (_("finding"), _("evidence"), _("fix {rank}").format(rank=1))
    width = max(cell_len(label) for label in labels) + 1

    def row(label: str, *parts: Content | str | tuple[str, str]) -> Widget:
        return line((pad(label, width), "bold"), *parts, hang=width)

    if finding is not None:
        yield row(
            labels[0],
            (f"{SEVERITY_SYMBOL[finding.severity]} ", SEVERITY_STYLE[finding.severity]),
            (finding.code.value, "bold"),
            _(": "),
            finding_title(finding.code),
        )
        for n, evidence in enumerate(evidence_lines(finding, state.results.get(finding.step), state.server_log)):
            yield row(labels[1] if n == 0 else "", evidence)
    if entry.workarounds:
        fix = entry.workarounds[0]
        rate = success_rate(fix.success_rate, entry.rates_estimated)
        text = first_sentence(fix.text)
        yield row(
            labels[2],
            (entry.kb_id, "bold reverse"),
            gap(entry.kb_id, rate),
            (rate, "$success bold"),
            gap(rate, text),
            text,
        )
        if fix.commands:
            command = CommandLine(fix.commands[0], id="card-command")
            command.styles.padding = (0, 1, 0, max(width - 2, 0))
            yield command
