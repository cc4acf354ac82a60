"""`tlsdoctor kb [ID]`: knowledge entries as Markdown, JSON or plain text, in English or Chinese.

Commands are filled with the example names (`EXAMPLE_CONTEXT`), so a page reads
like the seed. Labels go through the catalogs (`_()`); the entry texts come
from the entry in the language asked. This module renders strings only: it
must not print, rank entries or import textual/rich.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, NotRequired, TypedDict

from tlsdoctor import i18n
from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import N_, _
from tlsdoctor.knowledge.commands import EXAMPLE_CONTEXT, CommandContext, render_command
from tlsdoctor.knowledge.load import load_knowledge
from tlsdoctor.knowledge.model import Entry, KnowledgeBase, LangText, check_lang

# Words for the version table (JSON keeps the stable English value).
COMPAT_STATUS_WORDS = {
    "active": N_("active"),
    "deprecated": N_("deprecated"),
    "removed": N_("removed"),
    "unknown": N_("unknown"),
}


class EntryCompatibilityJson(TypedDict):
    name: str
    version: str
    status: str
    introduced: str | None
    deprecated: str | None
    notes: str | None


class EntryDocJson(TypedDict):
    url: str
    title: str


class EntryWorkaroundJson(TypedDict):
    rank: int
    success_rate: float
    text: str
    commands: list[str]


class EntryDeadEndJson(TypedDict):
    fail_rate: float
    text: str
    why: str


class EntryStepJson(TypedDict):
    text: str
    commands: list[str]


class EntryJson(TypedDict):
    """One item of `kb --format json` (DESIGN.md)."""

    id: str
    slug: str
    title: str
    category: str
    scope: str
    fix_rate: float
    confidence: float
    evidence: int
    evidence_note: str
    rates_source: str
    first_seen: str
    compatibility: list[EntryCompatibilityJson]
    root_cause: str
    docs: list[EntryDocJson]
    errors: dict[str, list[str]]
    findings: list[str]
    related: list[str]
    workarounds: list[EntryWorkaroundJson]
    dead_ends: list[EntryDeadEndJson]
    symptoms: NotRequired[list[str]]
    causes: NotRequired[list[str]]
    prevention: NotRequired[list[str]]
    steps: NotRequired[list[EntryStepJson]]


@contextmanager
def _language(lang: str) -> Iterator[None]:
    """Labels and babel formatting in `lang` for one rendering, then back."""
    previous = i18n.current_language()
    if previous != lang:
        i18n.set_language(lang)
    try:
        yield
    finally:
        if previous != lang:
            i18n.set_language(previous)


def _date(value: dt.date) -> str:
    """`yyyy-MM-dd` in every language (what babel's pattern gave, without importing babel)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def entry_to_json(entry: Entry, lang: str = "en", ctx: CommandContext | None = EXAMPLE_CONTEXT) -> EntryJson:
    """The DESIGN.md `kb --format json` item; commands filled with `ctx` (example names by default)."""
    check_lang(lang)
    data: EntryJson = {
        "id": entry.id,
        "slug": entry.slug,
        "title": entry.title.get(lang),
        "category": entry.category,
        "scope": entry.scope,
        "fix_rate": entry.fix_rate,
        "confidence": entry.confidence,
        "evidence": entry.evidence,
        "evidence_note": entry.evidence_note.get(lang),
        "rates_source": entry.rates_source,
        "first_seen": entry.first_seen.isoformat(),
        "compatibility": [
            {
                "name": c.name,
                "version": c.version,
                "status": c.status,
                "introduced": c.introduced,
                "deprecated": c.deprecated,
                "notes": c.notes.get(lang) if c.notes else None,
            }
            for c in entry.compatibility
        ],
        "root_cause": entry.root_cause.get(lang),
        "docs": [{"url": d.url, "title": d.title} for d in entry.docs],
        "errors": {client: list(msgs) for client, msgs in entry.errors.items()},
        "findings": [c.value for c in entry.findings],
        "related": [c.value for c in entry.related],
        "workarounds": [
            {
                "rank": w.rank,
                "success_rate": w.success_rate,
                "text": w.text.get(lang),
                "commands": [render_command(t, ctx) for t in w.commands],
            }
            for w in entry.workarounds
        ],
        "dead_ends": [{"fail_rate": d.fail_rate, "text": d.text.get(lang), "why": d.why.get(lang)} for d in entry.dead_ends],
    }
    # the optional lists, in this order, only when the entry has them
    if entry.symptoms:
        data["symptoms"] = _in(entry.symptoms, lang)
    if entry.causes:
        data["causes"] = _in(entry.causes, lang)
    if entry.prevention:
        data["prevention"] = _in(entry.prevention, lang)
    if entry.steps:
        data["steps"] = [
            {"text": s.text.get(lang), "commands": [render_command(t, ctx) for t in s.commands]} for s in entry.steps
        ]
    return data


def _in(texts: tuple[LangText, ...], lang: str) -> list[str]:
    return [t.get(lang) for t in texts]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _stats_line(entry: Entry) -> str:
    return " · ".join(
        (
            _("Fix rate {rate}").format(rate=i18n.format_percent(entry.fix_rate)),
            _("Confidence {rate}").format(rate=i18n.format_percent(entry.confidence)),
            _("Evidence {count}").format(count=entry.evidence),
            _("First seen {date}").format(date=_date(entry.first_seen)),
        )
    )


def _commands_md(templates: tuple[str, ...], ctx: CommandContext | None) -> list[str]:
    if not templates:
        return []
    return ["", "   ```sh"] + [f"   {render_command(t, ctx)}" for t in templates] + ["   ```", ""]


def _entry_md(entry: Entry, lang: str, ctx: CommandContext | None) -> str:
    other = "zh" if lang == "en" else "en"
    out = [f"# {entry.id}: {entry.title.get(lang)}", ""]
    out.append(_("ID: {slug} · Category: {category}").format(slug=f"`{entry.slug}`", category=f"`{entry.category}`"))
    formats = " · ".join(("JSON", "Markdown", i18n.LANGUAGE_NAMES[other]))
    out += ["", _("Also available as: {formats}").format(formats=formats), ""]
    out += [f"**{_stats_line(entry)}**", "", f"_{entry.evidence_note.get(lang)}_", ""]
    out += ["## " + _("Version compatibility"), ""]
    out.append("| " + " | ".join((_("Version"), _("Status"), _("Introduced"), _("Deprecated"), _("Notes"))) + " |")
    out.append("|---|---|---|---|---|")
    for c in entry.compatibility:
        status = _(COMPAT_STATUS_WORDS.get(c.status, c.status))
        cells = (f"{c.name} {c.version}", status, c.introduced or "", c.deprecated or "", c.notes.get(lang) if c.notes else "")
        out.append("| " + " | ".join(_md_cell(x) for x in cells) + " |")
    out += ["", "## " + _("Root cause"), "", entry.root_cause.get(lang), ""]
    if entry.symptoms:
        out += ["## " + _("Symptoms"), ""] + [f"- {s}" for s in _in(entry.symptoms, lang)] + [""]
    if entry.causes:
        out += ["## " + _("Common causes"), ""] + [f"- {s}" for s in _in(entry.causes, lang)] + [""]
    out += ["## " + _("Official documentation"), ""] + [f"- [{d.title}]({d.url})" for d in entry.docs] + [""]
    out += ["## " + _("Error messages"), ""]
    for client, msgs in entry.errors.items():
        out += [f"- **{client}**"] + [f"  - {_code_span(m)}" for m in msgs]
    out += ["", "## " + _("Workarounds"), ""]
    for w in entry.workarounds:
        rate = _("{rate} success").format(rate=i18n.format_percent(w.success_rate))
        out.append(f"{w.rank}. **{rate}** {w.text.get(lang)}")
        out += _commands_md(w.commands, ctx)
    if entry.steps:
        out += ["", "## " + _("Step-by-step fix"), ""]
        for i, s in enumerate(entry.steps, 1):
            out.append(f"{i}. {s.text.get(lang)}")
            out += _commands_md(s.commands, ctx)
    out += ["", "## " + _("Dead ends"), "", _("Common approaches that don't work:"), ""]
    for i, d in enumerate(entry.dead_ends, 1):
        rate = _("{rate} fail").format(rate=i18n.format_percent(d.fail_rate))
        why = _("Why:")  # outside the f-string, so the extractor sees it
        out.append(f"{i}. **{rate}** {d.text.get(lang)}")
        out.append(f"   {why} {d.why.get(lang)}")
    if entry.prevention:
        out += ["", "## " + _("Prevention"), ""] + [f"- {s}" for s in _in(entry.prevention, lang)]
    out += ["", "## " + _("Findings explained"), "", ", ".join(f"`{c.value}`" for c in entry.findings)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n"


def _entry_text(entry: Entry, lang: str, ctx: CommandContext | None) -> str:
    out = [f"{entry.id}  {entry.title.get(lang)}", f"  {entry.slug}  [{entry.category}]", f"  {_stats_line(entry)}", ""]
    out += [_("Root cause:"), "  " + entry.root_cause.get(lang), ""]
    out.append(_("Workarounds:"))
    for w in entry.workarounds:
        out.append(f"  {w.rank}. [{i18n.format_percent(w.success_rate)}] {w.text.get(lang)}")
        out += [f"       $ {render_command(t, ctx)}" for t in w.commands]
    out += ["", _("Dead ends:")]
    for d in entry.dead_ends:
        rate = _("{rate} fail").format(rate=i18n.format_percent(d.fail_rate))
        why = _("Why:")
        out.append(f"  - [{rate}] {d.text.get(lang)}")
        out.append(f"      {why} {d.why.get(lang)}")
    out += ["", _("Documentation:")] + [f"  {d.title}: {d.url}" for d in entry.docs]
    return "\n".join(out) + "\n"


def render_kb(
    entry_id: str | None = None,
    fmt: Literal["md", "json", "text"] = "md",
    lang: str = "en",
    *,
    kb: KnowledgeBase | None = None,
) -> str:
    """`tlsdoctor kb [ID]`: one entry, or every entry (an index for md/text)."""
    check_lang(lang)
    if fmt not in ("md", "json", "text"):
        raise BadInput(_("unsupported format {fmt!r} for kb: choose md, json or text").format(fmt=fmt))
    base = kb or load_knowledge()
    entries = (base.get(entry_id),) if entry_id else base.entries
    with _language(lang):
        if fmt == "json":
            return json.dumps({"entries": [entry_to_json(e, lang) for e in entries]}, ensure_ascii=False, indent=2) + "\n"
        if entry_id:
            render = _entry_md if fmt == "md" else _entry_text
            return render(entries[0], lang, EXAMPLE_CONTEXT)
        if fmt == "md":
            out = ["# " + _("Knowledge base"), "", "| ID | " + _("Title") + " | " + _("Fix rate") + " |", "|---|---|---|"]
            out += [f"| {e.id} | {_md_cell(e.title.get(lang))} | {i18n.format_percent(e.fix_rate)} |" for e in entries]
            return "\n".join(out) + "\n"
        width = max(len(e.id) for e in entries)
        out = [f"{e.id.ljust(width)}  {i18n.format_percent(e.fix_rate):>5}  {e.title.get(lang)}" for e in entries]
        return "\n".join(out) + "\n"
