"""How text reaches the screen: inert untrusted text, redaction, cell widths, styles, lazy labels.

Every certificate field, DNS answer, hosts line or error detail the app shows
goes through `shown` (made inert with `report.safe_text`, redacted when
screen-sharing mode is on) and is placed into `Content(...)` / `Text(...)`,
never formatted into markup (`rich.markup.escape` is not enough: `[$accent]x`
still styles). Colours are theme variables only. This module holds no widget
and no screen, and does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from tlsdoctor import i18n
from tlsdoctor.findings import Severity, StepStatus
from tlsdoctor.render.labels import safe_text

STATUS_STYLE: dict[StepStatus, str] = {
    StepStatus.WAITING: "dim",
    StepStatus.RUNNING: "$primary bold",
    StepStatus.OK: "$success",
    StepStatus.WARN: "$warning bold",
    StepStatus.FAIL: "$error bold",
    StepStatus.SKIPPED: "dim",
    StepStatus.ERROR: "$error bold",
}
SEVERITY_STYLE: dict[Severity, str] = {
    Severity.ERROR: "$error bold",
    Severity.WARNING: "$warning bold",
    Severity.INFO: "dim",
}
SEVERITY_SYMBOL: dict[Severity, str] = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def lazy_gettext(message: str) -> str:
    """A binding label that follows the live language switch.

    `i18n.lazy_gettext` gives a babel `LazyProxy`, which behaves as a `str`
    wherever Textual uses a binding's description; Textual's signature asks for
    `str`, so it is typed as one here. (Same name, so message extraction finds it.)
    """
    return cast(str, i18n.lazy_gettext(message))


# Redaction for screen sharing: when set, every untrusted value shown goes through it.
# The walk screen on top sets it (and clears it when it is suspended).
_display_filter: list[Callable[[str], str] | None] = [None]


def set_display_filter(redaction: Callable[[str], str] | None) -> None:
    _display_filter[0] = redaction


def shown(value: object) -> str:
    """What the screen may show of a value: redacted when sharing, always inert."""
    text = "" if value is None else str(value)
    redaction = _display_filter[0]
    return safe_text(redaction(text) if redaction is not None else text)


def shown_labels(labels: list[str | None]) -> list[str]:
    """A label-by-label diff row as shown: redaction keeps the label count, so rows stay aligned."""
    present = [label for label in labels if label]
    mapped = shown(".".join(present)).split(".") if present else []
    if len(mapped) != len(present):  # redacted whole (not a DNS name): no label of it may show
        mapped = ["?"] * len(present)
    out, it = [], iter(mapped)
    for label in labels:
        out.append(next(it) if label else "∅")
    return out


def lit(value: object, style: str = "") -> Content:
    """Untrusted text as inert, literal content (markup, ANSI and bidi controls shown as text)."""
    return Content.styled(shown(value), style) if style else Content(shown(value))


def lit_text(value: object, style: str = "") -> Text:
    """Untrusted text for DataTable cells and Tree labels (rich Text never parses markup)."""
    return Text(shown(value), style=style)


FULL_WIDTH_PUNCTUATION = "（）［］「」『』【】《》，。、；：！？"


def gap(left: str, right: str) -> str:
    """The space between two parts of a line: none next to full-width punctuation (`TLS-1002（成功率 95%）重新…`)."""
    if (left and left[-1] in FULL_WIDTH_PUNCTUATION) or (right and right[0] in FULL_WIDTH_PUNCTUATION):
        return ""
    return " "


def pad(text: str, width: int) -> str:
    """Pad to `width` terminal cells (CJK characters take two)."""
    return text + " " * max(0, width - cell_len(text))
