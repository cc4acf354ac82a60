"""The Markdown face of a report (`--format md`, the app's "copy report" and export).

Untrusted values are escaped (`md_text`) or fenced; a fence inside evidence is
broken so it cannot close ours. Decides nothing. No textual here.
"""

from __future__ import annotations

from tlsdoctor.diagnosis import Report
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _, format_datetime, format_percent
from tlsdoctor.render.evidence import evidence_lines
from tlsdoctor.render.labels import (
    SEVERITY_WORDS,
    clients_line,
    finding_context,
    finding_reasons,
    input_cut_line,
    md_text,
    safe_text,
    status_label,
    step_title,
)
from tlsdoctor.render.path import comparison_markdown, path_markdown
from tlsdoctor.summaries import finding_title, step_summary


def render_markdown(report: Report) -> str:
    out = _steps_markdown(report) if report.target is not None else _explain_markdown(report)
    out.extend(path_markdown(report) + comparison_markdown(report))
    out.extend(_diagnosis_markdown(report))
    return "\n".join(out).rstrip() + "\n"


def _steps_markdown(report: Report) -> list[str]:
    assert report.target is not None
    now = report.at
    t = report.target
    out = [f"# tlsdoctor: {md_text(t.display_host)}:{t.port}", ""]
    verdict = _("problem") if report.verdict == "problem" else _("ok")
    out.append(_("Checked {when} · verdict **{verdict}**").format(when=format_datetime(report.at), verdict=verdict))
    out.append("")
    if report.clients is not None:
        c = report.clients.to_json()
        out.append(md_text(clients_line(c["asked"], c["fail"], c["pass"])))
        out.append("")
    out.append("| # | " + _("Step") + " | " + _("Status") + " | " + _("Summary") + " |")
    out.append("|---|---|---|---|")
    for s in report.steps:
        if s.step is StepId.DIAGNOSIS:
            continue
        out.append(f"| {s.step.number} | {step_title(s.step)} | {status_label(s.status)} | {md_text(step_summary(s))} |")
    out.append("")
    for s in report.steps:
        if s.step is StepId.DIAGNOSIS or (not s.findings and not evidence_lines(s, now)):
            continue
        out.append(f"## {s.step.number}. {step_title(s.step)}")
        out.append("")
        evidence = evidence_lines(s, now)
        if evidence:
            out.append("```text")
            out.extend(ev.replace("```", "ˋˋˋ") for ev in evidence)
            out.append("```")
            out.append("")
        for f in s.findings:
            reasons = finding_reasons(f)
            why = (" — " + "; ".join(md_text(r) for r in reasons)) if reasons else ""
            addresses = f.evidence.get("addresses")
            if isinstance(addresses, list) and addresses and f.step in (StepId.NAMES, StepId.CHAIN):
                why += " " + md_text(_("at {addresses}").format(addresses=", ".join(str(a) for a in addresses)))
            context = finding_context(f)
            if context:
                why += " — " + md_text(context)
            out.append(f"- **{_(SEVERITY_WORDS[f.severity])}** `{f.code.value}`: {finding_title(f.code)}{why}")
        out.append("")
    return out


def _explain_markdown(report: Report) -> list[str]:
    out = ["# tlsdoctor explain", ""]
    cut = input_cut_line(report.extra)
    if cut:
        out += [f"> {cut}", ""]
    verdict = _("problem") if report.verdict == "problem" else _("ok")
    out += ["**" + _("Verdict: {verdict}").format(verdict=verdict) + "**", ""]
    if not (report.client or report.findings):
        return [*out, _("No known TLS error was recognised in this text."), ""]
    out.append(_("Recognised client: {client}").format(client=report.client or _("unknown")))
    out.append("")
    for f in report.findings:
        out.append(f"- **{_(SEVERITY_WORDS[f.severity])}** `{f.code.value}`: {finding_title(f.code)}")
    if report.findings and report.verdict == "ok":
        out += ["", _("Only hints: the text does not say what failed. Run `tlsdoctor check HOST` to find out.")]
    out.append("")
    return out


def _diagnosis_markdown(report: Report) -> list[str]:
    out: list[str] = []
    if not report.diagnosis:
        return out
    out.append(f"## {StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    out.append("")
    for i, d in enumerate(report.diagnosis[:5], 1):
        out.append(f"### {i}. {d.kb_id} — {md_text(d.title)}")
        out.append("")
        out.append(
            _("Fix rate {fix} · confidence {conf} · score {score} · because {codes}").format(
                fix=format_percent(d.fix_rate), conf=format_percent(d.confidence), score=f"{d.score:.2f}",
                codes=", ".join(f"`{c}`" for c in d.because),
            )
        )
        out.append("")
        if i > 2:
            continue
        for w in d.workarounds:
            out.append(_("{rank}. **{rate} success** — {text}").format(rank=w.rank, rate=format_percent(w.success_rate), text=w.text))
            if w.commands:
                out.append("")
                out.append("   ```bash")
                out.extend("   " + safe_text(c).replace("```", "ˋˋˋ") for c in w.commands)
                out.append("   ```")
        out.append("")
        for de in d.dead_ends:
            mark = "⚠ " if de.relevant else ""
            out.append(_("> {mark}**Dead end ({rate} fail):** {text}").format(mark=mark, rate=format_percent(de.fail_rate), text=de.text))
            if de.why:
                out.append("> " + _("Why: {why}").format(why=de.why))
            out.append("")
    return out
