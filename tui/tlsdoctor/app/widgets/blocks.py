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

from tlsdoctor.findings import Finding
from tlsdoctor.i18n import _
from tlsdoctor.render.labels import SEVERITY_WORDS
from tlsdoctor.summaries import finding_title

from ..display import SEVERITY_STYLE, SEVERITY_SYMBOL, lit, pad

KEY_WIDTH = 14  # cells for the key column of a key/value line

Part = Content | str | tuple[str, str]


def heading(text: str) -> Static:
    return Static(Content.styled(text, "bold underline"), classes="heading")


def line(*parts: Part) -> Static:
    return Static(Content.assemble(*parts))


def kv(key: str, value: object, style: str = "") -> Static:
    """`Key           value`: the value is untrusted text, shown literally."""
    return line((pad(key, KEY_WIDTH), "bold"), " ", lit(value, style))


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
            ": ",
            finding_title(f.code),
        )
