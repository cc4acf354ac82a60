"""The JSON face of a report: `Report.to_json()` (the contract of docs/DESIGN.md) as text.

Values stay exact (untrusted text is not escaped here: JSON quoting makes it
inert). No textual here.
"""

from __future__ import annotations

import json

from tlsdoctor.diagnosis import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str)
