"""The evidence a person wants under each step, as plain text lines (text and Markdown reports).

Reads each step's own view by attribute (see `walk`); every untrusted value
goes through `safe_text`. Decides nothing: the findings are already made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len

from tlsdoctor.facts.steps import StepResult
from tlsdoctor.findings import StepId
from tlsdoctor.i18n import _, format_relative
from tlsdoctor.reasons import reason_text
from tlsdoctor.render.labels import safe_text

if TYPE_CHECKING:
    from tlsdoctor.analysis.names import AddressVerdict


def evidence_lines(result: StepResult, now: dt.datetime) -> list[str]:
    """The evidence lines of one step (none for a skipped step)."""
    data = result.data
    step = result.step
    out: list[str] = []
    if data is None:
        return out
    if step is StepId.DNS:
        for row in data.rows:
            values = ", ".join(safe_text(v) for v in row.values) or row.status
            out.append(f"{row.rtype:<6} {values}")
        if len(data.cname_chain) > 1:
            out.append(_("CNAME chain: {chain}").format(chain=" → ".join(safe_text(n) for n in data.cname_chain)))
    elif step is StepId.HOSTS:
        for line in data.lines:
            out.append(_("{path} line {n}: {text}").format(path=data.path, n=line.lineno, text=safe_text(line.raw.strip())))
    elif step is StepId.FETCH:
        from tlsdoctor.analysis.fetch import (  # lazy: start-up cost (cryptography; `explain` has no steps)
            leaf_fingerprint,
            leaf_subject,
        )

        for h in data.view.handshakes:
            fp = leaf_fingerprint(h)
            short = fp[:16] if fp else "-"
            what = safe_text(leaf_subject(h) or "-") if h.presented_chain else "-"
            state = h.protocol or ""
            if h.error:
                state = f"{h.error.value}" + (f" ({safe_text(h.error_detail)})" if h.error_detail else "")
            out.append(f"{h.address:<16} {h.sni_mode.value:<9} {short}  {what}  {state}")
    elif step is StepId.NAMES:
        for v in data.verdicts:
            mark = {"match": "✓", "no-match": "✗", "invalid": "!"}.get(v.verdict.value, "?")
            closest = _(" ← closest") if data.closest is v else ""
            out.append(f"{mark} {v.kind.value.upper():<5} {safe_text(v.value)}: {reason_text(v.reason, v.detail)}{closest}")
        if data.closest is not None and data.closest.labels and not data.matched:
            presented = ".".join(safe_text(label.presented or "∅") for label in data.closest.labels)
            wanted = ".".join(safe_text(label.reference or "∅") for label in data.closest.labels)
            marks = ".".join(("=" if label.same else "^") * max(len(label.presented or "∅"), 1) for label in data.closest.labels)
            out.append(_("label diff: {presented} vs {wanted}").format(presented=presented, wanted=wanted))
            out.append(" " * cell_len(_("label diff: ")) + marks)
        out.extend(address_lines(data.addresses))
        accepts = [c.client for c in data.clients if c.accepts]
        rejects = [c.client for c in data.clients if not c.accepts]
        out.append(_("clients that accept: {clients}").format(clients=", ".join(accepts) or _("none")))
        out.append(_("clients that reject: {clients}").format(clients=", ".join(rejects) or _("none")))
    elif step is StepId.CHAIN:
        for i, s in enumerate(data.presented):
            expiry = format_relative(s.not_after, now)
            out.append(
                _("#{i} {subject} (issuer {issuer}), expires {expiry}").format(
                    i=i, subject=safe_text(s.subject), issuer=safe_text(s.issuer), expiry=expiry
                )
            )
        for v in data.verdicts:
            verdict = _("trusted") if v.ok else _("not trusted: {error}").format(error=safe_text(v.error))
            out.append(_("store {store}: {verdict}").format(store=v.store, verdict=verdict))
    elif step is StepId.CLIENT:
        for line in getattr(data, "openssl_view", ()):
            out.append(safe_text(line))
        if getattr(data, "x5t_s256", None):
            out.append(f"x5t#S256: {data.x5t_s256}")
    return out


def address_lines(rows: Sequence[AddressVerdict]) -> list[str]:
    """A verdict per address (when there are several): each node's certificate judged on its own."""
    if len(rows) < 2:
        return []
    out = [_("per address:")]
    for r in rows:
        mark = "-" if r.leaf_sha256 is None else ("✓" if r.ok else "✗")
        if r.leaf_sha256 is None:
            verdict = _("no certificate ({error})").format(error=r.error or "-")
        elif r.matched:
            verdict = _("covers the name") if r.ok else _("covers the name; {problems}").format(problems=", ".join(r.problems))
        else:
            verdict = _("does not cover the name; closest: {closest}").format(closest=safe_text(r.closest or "-"))
        where = "" if r.on_path else " " + _("(other clients only)")
        fp = (r.leaf_sha256 or "-")[:16]
        out.append(f"  {mark} {r.address:<16} {fp}  {safe_text(r.subject or '-')}: {verdict}{where}")
    return out
