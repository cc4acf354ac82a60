"""Evidence of step 8 (the ranked knowledge entries) and the short hint under a failing step.

Functions of the report's diagnosis (`knowledge.Diagnosis`, already told in the
current language) that yield widgets: fixes with success rates and ready
commands, dead ends set apart. A rate that is an estimate says so beside the
figure (only the seeds' own figures are not). Nothing here ranks or diagnoses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from tlsdoctor.findings import Code, StepId
from tlsdoctor.i18n import _, format_percent
from tlsdoctor.render.labels import step_title
from tlsdoctor.summaries import finding_title

from ..display import gap
from ..wrapped import Wrapped
from .blocks import heading, line
from .command import CommandLine, Selectable

if TYPE_CHECKING:
    from tlsdoctor.knowledge import Diagnosis, RankedDeadEnd, RenderedWorkaround


def success_rate(rate: float, estimated: bool) -> str:
    """`(95% success)`, or `(90% success, estimate)` when the figure is not a recorded one."""
    text = _("({rate} success, estimate)") if estimated else _("({rate} success)")
    return text.format(rate=format_percent(rate))


def fail_rate(rate: float, estimated: bool) -> str:
    text = _("({rate} fail, estimate)") if estimated else _("({rate} fail)")
    return text.format(rate=format_percent(rate))


class DeadEnd(Selectable):
    """A tempting fix that fails: set apart as a warning. Selectable, but there is nothing to copy."""

    DEFAULT_CSS = """
    DeadEnd { border-left: thick $warning; padding: 0 1 0 0; margin: 0 0 0 2; }
    DeadEnd.-selected { background: $warning 15%; }
    DeadEnd:focus { background: $warning 25%; }
    """

    def __init__(self, dead_end: RankedDeadEnd, estimated: bool, *, full: bool = True, relevant_word: bool = True) -> None:
        self.dead_end = dead_end
        self.estimated = estimated
        self.full = full
        self.relevant_word = relevant_word
        super().__init__(self.body("  "))

    def body(self, mark: str) -> Wrapped:
        de = self.dead_end
        flag = "⚠ " + (_("DEAD END") if de.relevant and self.relevant_word else _("dead end"))
        rate = fail_rate(de.fail_rate, self.estimated)
        content = Content.assemble(
            (mark, "bold"),
            (flag + gap(flag, rate), "$warning bold"),
            (rate + gap(rate, de.text), "$warning"),
            de.text,
        )
        if self.full and de.why:
            content = content.append(Content("\n")).append(Content.assemble((_("why") + _(": "), "bold"), de.why))
        return Wrapped(content, hang=2)


def fix_line(w: RenderedWorkaround, estimated: bool, indent: str = "") -> Widget:
    label = indent + _("fix {rank}").format(rank=w.rank)
    rate = success_rate(w.success_rate, estimated)
    return line(
        (label + gap(label, rate), "bold"),
        (rate + gap(rate, w.text), "$success bold"),
        w.text,
        hang=len(indent) + 2,
    )


def diagnosis_pane(diagnosis: tuple[Diagnosis, ...]) -> Iterator[Widget]:
    if not diagnosis:
        yield line(("✓ " + _("Nothing wrong found: no knowledge entry applies."), "$success bold"))
        return
    for i, d in enumerate(diagnosis[:5], 1):
        title = line((f"{i}) ", "bold"), (d.kb_id, "bold reverse"), " ", (d.title, "bold"), hang=3)
        title.add_class("heading", "diagnosis-entry")
        yield title
        template = (
            _("fix rate {fix} · confidence {conf} (estimates) · score {score}")
            if d.rates_estimated
            else _("fix rate {fix} · confidence {conf} · score {score}")
        )
        rates = template.format(fix=format_percent(d.fix_rate), conf=format_percent(d.confidence), score=f"{d.score:.2f}")
        yield line(("   " + rates, ""), hang=3)
        because = _("; ").join(f"{c} ({finding_title(Code(c))})" for c in d.because)
        yield line(("   " + _("because") + _(": "), "bold"), because, hang=3)
        if i > 2:
            continue
        for w in d.workarounds:
            yield fix_line(w, d.rates_estimated, "   ")
            for command in w.commands:
                yield CommandLine(command)
        for de in d.dead_ends:
            yield DeadEnd(de, d.rates_estimated)


def diagnosis_hint(diagnosis: tuple[Diagnosis, ...], codes: set[str], *, shown: str | None = None) -> Iterator[Widget]:
    """Under a failing step: the entry these findings lead to, its best fix and the dead end to avoid.

    When that entry is `shown` already (the verdict card above the steps holds its fix), only the
    dead end to avoid; step 8 has the rest.
    """
    entry = next((d for d in diagnosis if codes & set(d.because)), None)
    if entry is None:
        return
    yield heading(f"→ {StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    yield line((entry.kb_id, "bold reverse"), " ", (entry.title, "bold"))
    if entry.workarounds and entry.kb_id != shown:
        w = entry.workarounds[0]
        yield fix_line(w, entry.rates_estimated)
        for command in w.commands[:1]:
            yield CommandLine(command)
    dead = next((de for de in entry.dead_ends if de.relevant), entry.dead_ends[0] if entry.dead_ends else None)
    if dead is not None:
        yield DeadEnd(dead, entry.rates_estimated, full=False, relevant_word=False)
