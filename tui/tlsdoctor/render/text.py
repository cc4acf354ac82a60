"""The plain-text face of a report (`check`, `inspect` and `explain` without --format).

Every untrusted value is made inert (`safe_text`). Decides nothing: it prints
the `Report` that `tlsdoctor.diagnosis` built. No textual here.
"""

from __future__ import annotations

from tlsdoctor import __version__
from tlsdoctor.diagnosis import Report
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _, format_datetime, format_percent
from tlsdoctor.render.evidence import evidence_lines
from tlsdoctor.render.labels import (
    clients_line,
    finding_line,
    input_cut_line,
    one_line,
    safe_text,
    status_label,
    step_title,
)
from tlsdoctor.render.path import comparison_text, path_text
from tlsdoctor.summaries import step_summary


def render_text(report: Report) -> str:
    now = report.at
    lines: list[str] = []
    if report.target is not None:
        t = report.target
        lines.append(_("tlsdoctor {version} — {host}:{port} — {when}").format(
            version=__version__, host=safe_text(t.display_host), port=t.port, when=format_datetime(report.at)
        ))
        lines.append("")
        for s in report.steps:
            if s.step is StepId.DIAGNOSIS:
                continue
            lines.append(f"{s.step.number}. {step_title(s.step)} [{status_label(s.status)}] {safe_text(step_summary(s))}")
            for ev in evidence_lines(s, now):
                lines.append(f"     {ev}")
            for f in s.findings:
                lines.append(f"   {finding_line(f)}")
        lines.append("")
        lines.extend(path_text(report))
        lines.extend(comparison_text(report))
    else:
        lines.extend(_explain_text(report))
    lines.extend(_diagnosis_text(report))
    if report.clients is not None:
        c = report.clients.to_json()
        lines.append(clients_line(c["asked"], c["fail"], c["pass"]))
    verdict = _("problem") if report.verdict == "problem" else _("ok")
    lines.append(_("Verdict: {verdict}").format(verdict=verdict))
    return "\n".join(lines) + "\n"


def _explain_text(report: Report) -> list[str]:
    """What the pasted text points to; each excerpt on one line (a pasted line cannot forge ours)."""
    lines: list[str] = []
    cut = input_cut_line(report.extra)
    if cut:
        lines.append(cut)
    if not (report.client or report.findings):
        lines.append(_("No known TLS error was recognised in this text."))
        return lines
    lines.append(_("Recognised client: {client}").format(client=report.client or _("unknown")))
    for f in report.findings:
        lines.append(f"  {finding_line(f)}")
        excerpt = f.evidence.get("excerpt")
        if excerpt:
            lines.append(f"     «{one_line(excerpt)}»")
    if report.findings and report.verdict == "ok":
        lines.append(_("Only hints: the text does not say what failed. Run `tlsdoctor check HOST` to find out."))
    lines.append("")
    return lines


def _diagnosis_text(report: Report) -> list[str]:
    lines: list[str] = []
    if not report.diagnosis:
        return lines
    lines.append(f"{StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    for i, d in enumerate(report.diagnosis[:5], 1):
        lines.append(
            _("  {i}) {id} {title} — score {score}, fix rate {fix}, confidence {conf}").format(
                i=i, id=d.kb_id, title=d.title, score=f"{d.score:.2f}", fix=format_percent(d.fix_rate), conf=format_percent(d.confidence)
            )
        )
        lines.append(_("     because: {codes}").format(codes=", ".join(d.because)))
        if i > 2:
            continue
        for w in d.workarounds:
            lines.append(_("     fix {rank} ({rate} success): {text}").format(rank=w.rank, rate=format_percent(w.success_rate), text=w.text))
            for c in w.commands:  # one line each: a name from a certificate cannot start a line of its own
                lines.append(f"         $ {safe_text(c)}")
        for de in d.dead_ends:
            flag = _("DEAD END") if de.relevant else _("dead end")
            lines.append(_("     ⚠ {flag} ({rate} fail): {text}").format(flag=flag, rate=format_percent(de.fail_rate), text=de.text))
            if de.why:
                lines.append(_("         why: {why}").format(why=de.why))
    lines.append("")
    return lines
