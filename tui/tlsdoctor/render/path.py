"""The path taken (the walk's questions and answers) and the change since the last run, as text
and Markdown sections of a report.

Every export carries them: what the user said (or which default was taken) and
the evidence it rested on, so a report read later says why its verdict is what
it is; after a re-run, what was resolved, what still fails and what is new.
Untrusted values (hosts lines, subjects, paths) are made inert. No textual here.
"""

from __future__ import annotations

from collections.abc import Callable

from tlsdoctor.diagnosis import Report
from tlsdoctor.facts.questions import Answered, AnsweredBy
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import md_text, safe_text, step_title
from tlsdoctor.summaries import answered_by_note, answered_text


def said_line(report: Report) -> str | None:
    """"The user said: the failing client is Java; the hosts file line is intended." (None: nothing said)."""
    said = [answered_text(a) for a in report.path if a.by is not AnsweredBy.DEFAULT]
    return _("The user said: {said}.").format(said=_("; ").join(said)) if said else None


def _answer(a: Answered, inert: Callable[[object], str]) -> str:
    chosen = _(a.label) + (" " + inert(a.detail) if a.detail else "")
    return f"{_(a.prompt)} → {chosen}{answered_by_note(a)}"


def path_text(report: Report) -> list[str]:
    """The path taken, for the plain-text report (empty without questions)."""
    if not report.path:
        return []
    lines = [_("Path taken:")]
    for a in report.path:
        step = StepId(a.step)
        lines.append(f"  {step.number}. {step_title(step)} — {_answer(a, safe_text)}")
        lines += [f"       {_(e.label)}: {safe_text(e.value)}" for e in a.evidence]
    said = said_line(report)
    if said:
        lines.append(safe_text(said))
    return [*lines, ""]


def path_markdown(report: Report) -> list[str]:
    if not report.path:
        return []
    out = ["## " + _("Path taken"), ""]
    for a in report.path:
        step = StepId(a.step)
        out.append(f"- **{step.number}. {step_title(step)}** — {md_text(_answer(a, str))}")
        out += [f"  - {md_text(_(e.label))}: `{safe_text(e.value).replace('`', 'ˋ')}`" for e in a.evidence]
    said = said_line(report)
    if said:
        out += ["", md_text(said)]
    return [*out, ""]


def comparison_lines(report: Report) -> list[str]:
    """Since the last run: the verdicts, then resolved / still failing / new, one line each (plain words)."""
    c = report.comparison
    if c is None:
        return []
    verdict = {"problem": _("problem"), "ok": _("ok")}
    lines = [_("Since the last run: verdict {before} → {after}").format(before=verdict[c.verdict_before], after=verdict[c.verdict_after])]
    for mark, title, changes in (
        ("✓", _("resolved"), c.resolved),
        ("✗", _("still failing"), c.still_failing),
        ("!", _("new"), c.new),
    ):
        codes = ", ".join(ch.code for ch in changes) or "—"
        lines.append(f"  {mark} {title}: {codes}")
    if not c.changed:
        lines.append("  " + _("Nothing changed since the last run."))
    return lines


def comparison_text(report: Report) -> list[str]:
    lines = comparison_lines(report)
    return [*lines, ""] if lines else []


def comparison_markdown(report: Report) -> list[str]:
    lines = comparison_lines(report)
    if not lines:
        return []
    return ["## " + _("Since the last run"), "", md_text(lines[0]), "", *(f"- {md_text(line.strip())}" for line in lines[1:]), ""]
