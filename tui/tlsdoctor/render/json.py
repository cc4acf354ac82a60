"""The JSON face of a report: `Report.to_json()` (the contract of docs/DESIGN.md) as text.

Values stay exact: JSON quoting makes them inert, and `json_text` also writes
bidi controls, line and paragraph separators and C1 controls as `\\uXXXX`
escapes, so a viewer shows them instead of obeying them. No textual here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tlsdoctor.diagnosis import Report
from tlsdoctor.untrusted import json_escape


def json_text(data: Any, *, indent: bool = True) -> str:
    """Any JSON-ready value as the faces print it (UTF-8, nothing invisible): indented for a
    person, or compact (`indent=False`: no whitespace, and json's C encoder, several times
    faster than its indenting one on a large report, issue 13). The same JSON either way."""
    if not indent:
        return json_escape(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str))
    return json_escape(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def render_json(report: Report, redaction: Callable[[Any], Any] | None = None, *, indent: bool = True) -> str:
    """The report; `redaction` (a `Redaction.json`) replaces its values for sharing."""
    data = report.to_json()
    return json_text(redaction(data) if redaction is not None else data, indent=indent)
