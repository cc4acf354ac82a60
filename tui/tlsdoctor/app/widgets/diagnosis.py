"""Evidence of step 8 (the ranked knowledge entries) and the short hint under a failing step.

Functions of the report's diagnosis (`knowledge.Diagnosis`, already told in the
current language) that yield widgets: fixes with success rates and ready
commands, dead ends set apart. Nothing here ranks or diagnoses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from tlsdoctor.findings import Code, StepId
from tlsdoctor.i18n import _, format_percent
from tlsdoctor.render.labels import step_title
from tlsdoctor.summaries import finding_title

from .blocks import heading, line
from .command import CommandLine

if TYPE_CHECKING:
    from tlsdoctor.knowledge import Diagnosis, RenderedWorkaround


class DeadEnd(Static):
    """A tempting fix that fails: set apart as a warning."""

    DEFAULT_CSS = """
    DeadEnd { border-left: thick $warning; padding: 0 1; margin: 0 0 0 2; }
    """


def _fix_line(w: RenderedWorkaround, indent: str) -> Static:
    return line(
        (indent + _("fix {rank}").format(rank=w.rank) + " ", "bold"),
        ("(" + _("{rate} success").format(rate=format_percent(w.success_rate)) + ") ", "$success bold"),
        w.text,
    )


def diagnosis_pane(diagnosis: tuple[Diagnosis, ...]) -> Iterator[Widget]:
    if not diagnosis:
        yield Static(Content.styled("✓ " + _("Nothing wrong found: no knowledge entry applies."), "$success bold"))
        return
    for i, d in enumerate(diagnosis[:5], 1):
        yield Static(
            Content.assemble((f"{i}) ", "bold"), (d.kb_id, "bold reverse"), " ", (d.title, "bold")),
            classes="heading diagnosis-entry",
        )
        rates = _("fix rate {fix} · confidence {conf} · score {score}").format(
            fix=format_percent(d.fix_rate), conf=format_percent(d.confidence), score=f"{d.score:.2f}"
        )
        yield line(("   " + rates, ""))
        because = "; ".join(f"{c} ({finding_title(Code(c))})" for c in d.because)
        yield line(("   " + _("why") + ": ", "bold"), because)
        if i > 2:
            continue
        for w in d.workarounds:
            yield _fix_line(w, "   ")
            for command in w.commands:
                yield CommandLine(command)
        for de in d.dead_ends:
            flag = _("DEAD END") if de.relevant else _("dead end")
            body = Content.assemble(
                ("⚠ " + flag + " ", "$warning bold"),
                ("(" + _("{rate} fail").format(rate=format_percent(de.fail_rate)) + ") ", "$warning"),
                de.text,
            )
            if de.why:
                body = body.append(Content("\n")).append(Content.assemble((_("why") + ": ", "bold"), de.why))
            yield DeadEnd(body)


def diagnosis_hint(diagnosis: tuple[Diagnosis, ...], codes: set[str]) -> Iterator[Widget]:
    """Under a failing step: the entry these findings lead to, its best fix and the dead end to avoid.

    So the first screen after a walk answers "what do I do" without a key press; step 8 has the rest.
    """
    entry = next((d for d in diagnosis if codes & set(d.because)), None)
    if entry is None:
        return
    yield heading(f"→ {StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    yield Static(Content.assemble((entry.kb_id, "bold reverse"), " ", (entry.title, "bold")))
    if entry.workarounds:
        w = entry.workarounds[0]
        yield _fix_line(w, "")
        for command in w.commands[:1]:
            yield CommandLine(command)
    dead = next((de for de in entry.dead_ends if de.relevant), entry.dead_ends[0] if entry.dead_ends else None)
    if dead is not None:
        yield DeadEnd(
            Content.assemble(
                ("⚠ " + _("dead end") + " ", "$warning bold"),
                ("(" + _("{rate} fail").format(rate=format_percent(dead.fail_rate)) + ") ", "$warning"),
                dead.text,
            )
        )
