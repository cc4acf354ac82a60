"""The faces of a batch run: one JSON line per target, or one table row per target (text or Markdown).

A row holds the verdict, the top finding and the top fix (the first command of
the best-ranked entry, else its first workaround). Untrusted text is made
inert (`safe_text`, `md_text`); JSON keeps it exact.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from tlsdoctor.batch import BatchItem
from tlsdoctor.diagnosis import Report
from tlsdoctor.findings import Finding, Severity
from tlsdoctor.i18n import _
from tlsdoctor.render.json import json_text
from tlsdoctor.render.labels import md_text, one_line, safe_text
from tlsdoctor.summaries import finding_title

_FIX_WIDTH = 100


def jsonl_line(item: BatchItem, report: Report) -> str:
    """One target's report as one JSON line: the report, plus the line of the file it came from."""
    data = report.to_json()
    data["input"] = {"line": item.line, "text": item.text}
    return json_text(data, indent=False)  # separators and bidi controls as \uXXXX, as every JSON face


def top_finding(report: Report) -> Finding | None:
    """The first error, else the first warning (findings are in step order)."""
    for severity in (Severity.ERROR, Severity.WARNING):
        found = next((f for f in report.findings if f.severity is severity), None)
        if found is not None:
            return found
    return None


def top_fix(report: Report) -> str:
    if not report.diagnosis:
        return ""
    best = report.diagnosis[0]
    for workaround in best.workarounds:
        if workaround.commands:
            return workaround.commands[0]
    return best.workarounds[0].text if best.workarounds else best.title


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _verdict(report: Report) -> str:
    return _("problem") if report.verdict == "problem" else _("ok")


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def render_table(pairs: Sequence[tuple[BatchItem, Report]]) -> str:
    """A plain-text table: target, verdict, top finding, top fix; then a count line."""
    header = (_("TARGET"), _("VERDICT"), _("TOP FINDING"), _("TOP FIX"))
    rows = []
    for item, report in pairs:
        finding = top_finding(report)
        what = f"{finding.code.value}: {finding_title(finding.code)}" if finding is not None else "-"
        rows.append((one_line(item.text), _verdict(report), what, _cut(one_line(top_fix(report)), _FIX_WIDTH) or "-"))
    widths = [max(cell_len(row[i]) for row in (header, *rows)) for i in range(3)]
    lines = ["  ".join(_pad(cell, widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip() for row in (header, *rows)]
    problems = sum(1 for _item, report in pairs if report.verdict == "problem")
    lines.append("")
    lines.append(_("{total} targets: {problems} with a problem, {ok} ok").format(total=len(pairs), problems=problems, ok=len(pairs) - problems))
    return "\n".join(safe_text(line) for line in lines) + "\n"


def render_table_md(pairs: Sequence[tuple[BatchItem, Report]]) -> str:
    """The same table in Markdown."""
    header = (_("Target"), _("Verdict"), _("Top finding"), _("Top fix"))
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for item, report in pairs:
        finding = top_finding(report)
        what = f"`{finding.code.value}` {md_text(finding_title(finding.code))}" if finding is not None else "-"
        fix = top_fix(report)
        code = "`" + fix.replace("`", "'").replace("|", "\\|") + "`" if fix else "-"
        lines.append(f"| {md_text(item.text)} | {_verdict(report)} | {what} | {code} |")
    return "\n".join(lines) + "\n"
