"""One report in one format, redacted for sharing when asked: what `check`, `inspect` and the app's exports print.

Redaction is applied to the untrusted values as each face shows them
(`labels.redacting`) and to the JSON values; then names, addresses and digests
left anywhere in the rendering are replaced by shape. Our own words (step
titles, `Verdict:`) are never rewritten, whatever a certificate holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlsdoctor.render.labels import redacting

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.redact import Redaction


def render_report(report: Report, fmt: str, redaction: Redaction | None = None, *, indent: bool = True) -> str:
    """`fmt` is text, md or json (`indent=False`: compact JSON, for programs and files)."""
    if fmt == "json":
        from tlsdoctor.render.json import render_json  # lazy: start-up cost (one face per run)

        return render_json(report, redaction.json if redaction is not None else None, indent=indent)
    with redacting(redaction):
        if fmt == "md":
            from tlsdoctor.render.markdown import render_markdown  # lazy: start-up cost (one face per run)

            text = render_markdown(report)
        else:
            from tlsdoctor.render.text import render_text  # lazy: start-up cost (one face per run)

            text = render_text(report)
    return redaction.text(text) if redaction is not None else text
