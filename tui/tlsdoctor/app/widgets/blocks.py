"""The small building blocks every evidence pane is made of: headings, key/value lines, tables, findings.

Helpers only: they take already-known values and return widgets. Untrusted
values go through `display.lit`/`lit_text`; nothing here reads state or
computes facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static

from tlsdoctor.facts.questions import Answered
from tlsdoctor.findings import Finding
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import SEVERITY_WORDS
from tlsdoctor.summaries import answered_by_note, answered_text, finding_title

from ..display import SEVERITY_STYLE, SEVERITY_SYMBOL, lit, pad
from ..wrapped import prose

KEY_WIDTH = 14  # cells for the key column of a key/value line

Part = Content | str | tuple[str, str]


def heading(text: str) -> Static:
    return prose(Content.styled(text, "bold underline"), classes="heading")


def line(*parts: Part, hang: int = 0) -> Static:
    """One paragraph; it wraps where `linebreak` allows, continuation lines indented by `hang`."""
    return prose(Content.assemble(*parts), hang=hang)


def kv(key: str, value: object, style: str = "") -> Static:
    """`Key           value`: the value is untrusted text, shown literally; it wraps under itself."""
    return kv_line(key, lit(value, style))


def kv_line(key: str, value: Content | str) -> Static:
    """`Key           value` with a value already made into content (styled, or several parts)."""
    return line((pad(key, KEY_WIDTH), "bold"), " ", value, hang=KEY_WIDTH + 1)


def table(*columns: str, id: str) -> DataTable[Text]:
    """A zebra-striped table with a row cursor (cells are rich `Text`, never markup)."""
    data_table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id=id)
    data_table.add_columns(*columns)
    return data_table


def finding_lines(findings: Iterable[Finding]) -> Iterator[Static]:
    """`✗ error hostname-mismatch: …`: symbol and word, never colour alone."""
    for f in findings:
        yield line(
            (f"{SEVERITY_SYMBOL[f.severity]} {_(SEVERITY_WORDS[f.severity])} ", SEVERITY_STYLE[f.severity]),
            (f.code.value, "bold"),
            _(": "),
            finding_title(f.code),
            hang=2,
        )


def answered_lines(path: Iterable[Answered]) -> Iterator[Static]:
    """`? The hosts file and DNS disagree… → the hosts file line is intended (the user said)`, then its evidence."""
    for a in path:
        yield line(("? ", "$primary bold"), _(a.prompt), " → ", lit(answered_text(a), "bold"), answered_by_note(a), hang=2)
        for item in a.evidence:
            yield line("  ", (_(item.label) + _(": "), "dim"), lit(item.value), hang=4)
