"""The JSON face of a report: `Report.to_json()` (the contract of docs/DESIGN.md) as text.

Values stay exact (untrusted text is not escaped here: JSON quoting makes it
inert). No textual here.
"""

from __future__ import annotations

import json

from tlsdoctor.diagnosis import Report


def render_json(report: Report, *, indent: bool = True) -> str:
    """Indented for a person, or compact (`indent=False`: no whitespace, and json's C encoder,
    several times faster than its indenting one on a large report). The same JSON either way."""
    if not indent:
        return json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":"), default=str)
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str)
