"""Evidence panes of steps 4–6: the certificates the server presents, their names, their chain.

Each pane is a function of its step's data that yields widgets. The fetch
table draws from `HandshakeRow`s computed once when the fetch step finished
(`state.handshake_rows`); no certificate is parsed here. Certificate text is
untrusted: always shown through `display.lit`/`lit_text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tlsdoctor.findings import Code
from tlsdoctor.i18n import _, format_datetime, format_relative
from tlsdoctor.reasons import reason_text

from ..display import lit, lit_text, pad, shown, shown_labels
from ..state import HandshakeRow
from ..words import FETCH_ERRORS, NAME_VERDICTS, SNI_MODES, client_note, word
from .blocks import KEY_WIDTH, heading, kv, line, table
from .linetable import LONG_TABLE, LineTable

if TYPE_CHECKING:
    from tlsdoctor.analysis.certinfo import CertSummary
    from tlsdoctor.analysis.chain import ChainResult
    from tlsdoctor.analysis.names import NamesResult, SanVerdict
    from tlsdoctor.walk import FetchStepData


def fetch_pane(data: FetchStepData, rows: tuple[HandshakeRow, ...]) -> Iterator[Widget]:
    yield kv(_("Addresses"), ", ".join(data.addresses))
    if data.truncated_from:
        yield kv(
            _("Note"),
            _("only the first {n} of {total} addresses were probed").format(n=len(data.addresses), total=data.truncated_from),
            "$warning",
        )
    yield line(
        ("≠ ", "$warning bold"),
        _("marks a row whose certificate differs from the one the client gets"),
        ("  * ", "bold"),
        _("address the client uses"),
    )
    handshakes = table("", _("Address"), _("SNI"), _("Subject"), _("Result"), _("Certificate"), id="fetch-table")
    for row in rows:
        style = "$warning bold" if row.divergent else ""
        if row.error_kind is not None:
            result = word(FETCH_ERRORS, row.error_kind) + (_(" (alert {n})").format(n=row.alert) if row.alert is not None else "")
            if row.error_detail:
                result += ": " + row.error_detail
        else:
            result = row.protocol or "-"
        handshakes.add_row(
            Text("≠" if row.divergent else ("✗" if row.failed else "✓"), style=style or ("bold" if row.failed else "")),
            lit_text(row.address + (" *" if row.used else ""), style),
            Text(word(SNI_MODES, row.sni_mode), style=style),
            lit_text(row.subject or "-", style),
            lit_text(result, "bold" if row.failed else ""),
            lit_text(row.fingerprint[:16] if row.fingerprint else "-", style),
        )
    yield handshakes


def _addresses_table(data: NamesResult) -> Iterator[Widget]:
    """A verdict per address: each node's certificate judged on its own."""
    yield heading(_("Every address ({n})").format(n=len(data.addresses)))
    rows = table("", _("Address"), _("Certificate"), _("Verdict"), id="addresses-table")
    for r in data.addresses:
        if r.leaf_sha256 is None:
            mark, style, verdict = "-", "", _("no certificate ({error})").format(error=r.error or "-")
        elif r.matched:
            mark, style = ("✓", "$success") if r.ok else ("!", "$warning bold")
            verdict = _("covers the name") if r.ok else _("covers the name; {problems}").format(problems=", ".join(r.problems))
        else:
            mark, style = "✗", "$error bold"
            verdict = _("does not cover the name; closest: {closest}").format(closest=r.closest or "-")
        where = "" if r.on_path else "  " + _("(other clients only)")
        rows.add_row(
            Text(mark, style=style),
            lit_text(r.address, style),
            Text((r.leaf_sha256 or "-")[:16]),
            lit_text(verdict + where, style),
        )
    yield rows


_MARKS = {"match": "✓", "no-match": "✗", "invalid": "!"}


def _names_cells(data: NamesResult, v: SanVerdict) -> tuple[str, str, str, str, str, str]:
    """(mark, name, verdict, kind, reason, style) of one verdict's row."""
    closest = data.closest is v and not data.matched
    style = "$warning bold" if closest else ("$success" if v.verdict.value == "match" else "")
    verdict = word(NAME_VERDICTS, v.verdict.value) + ("  ← " + _("closest") if closest else "")
    return _MARKS.get(v.verdict.value, "?"), v.value, verdict, v.kind.value.upper(), reason_text(v.reason, v.detail), style


def _names_table(data: NamesResult) -> Widget:
    """Every verdict: a DataTable, or past LONG_TABLE rows a table drawn line by line (issue 13)."""
    headers = ("", _("Name"), _("Verdict"), _("Kind"), _("Reason"))
    if len(data.verdicts) <= LONG_TABLE:
        names = table(*headers, id="names-table")
        for v in data.verdicts:
            mark, value, verdict, kind, reason, style = _names_cells(data, v)
            names.add_row(Text(mark, style=style), lit_text(value, style), Text(verdict, style=style), Text(kind), lit_text(reason))
        return names
    cells = [_names_cells(data, v) for v in data.verdicts]  # plain strings: cheap, and they give the widths
    widths = [1, max(cell_len(shown(c[1])) for c in cells), max(cell_len(c[2]) for c in cells)]
    widths += [max(cell_len(c[3]) for c in cells), max(cell_len(shown(c[4])) for c in cells)]

    def row(i: int) -> tuple[Content, ...]:
        mark, value, verdict, kind, reason, style = cells[i]
        return Content.styled(mark, style), lit(value, style), Content.styled(verdict, style), Content(kind), lit(reason)

    return LineTable(headers, widths, len(cells), row, id="names-table")


def names_pane(data: NamesResult) -> Iterator[Widget]:
    yield kv(_("Checking"), data.display_reference + (f" ({data.reference})" if data.reference != data.display_reference else ""))
    verdict = _("✓ covered") if data.matched else _("✗ not covered")
    yield kv(_("Verdict"), verdict, "$success bold" if data.matched else "$error bold")
    if data.common_names:
        yield kv(_("Common Name"), ", ".join(data.common_names))
    if data.san_error:
        yield kv(_("SAN error"), data.san_error, "$error")
    if data.closest is not None and not data.matched:
        yield line((pad(_("Closest SAN"), KEY_WIDTH), "bold"), " ", lit(data.closest.value, "$warning bold reverse"))
        labels = data.closest.labels
        if labels:
            presented = shown_labels([label.presented for label in labels])
            wanted = shown_labels([label.reference for label in labels])
            widths = [max(cell_len(p), cell_len(w)) for p, w in zip(presented, wanted)]
            top = Content(".").join(lit(pad(p, w), "" if lb.same else "$error bold") for p, w, lb in zip(presented, widths, labels))
            bottom = Content(".").join(lit(pad(x, w), "" if lb.same else "$success bold") for x, w, lb in zip(wanted, widths, labels))
            carets = ".".join(("=" if lb.same else "^") * w for w, lb in zip(widths, labels))
            yield line((pad(_("certificate"), KEY_WIDTH), "dim"), " ", top)
            yield line((pad(_("wanted"), KEY_WIDTH), "dim"), " ", bottom)
            yield line(pad("", KEY_WIDTH), " ", (carets, "bold"))
    yield heading(_("Every name in the certificate ({n})").format(n=len(data.verdicts)))
    yield _names_table(data)
    if len(data.addresses) > 1:
        yield from _addresses_table(data)
    yield heading(_("What each client does"))
    clients = table(_("Client"), _("Result"), _("Note"), id="clients-table")
    for c in data.clients:
        clients.add_row(
            Text(c.client, style="bold"),
            Text("✓ " + _("accepts") if c.accepts else "✗ " + _("rejects"), style="$success" if c.accepts else "$error"),
            lit_text(client_note(c.note)),
        )
    yield clients


def _cert_node(parent: TreeNode[None], index: int, cert: CertSummary, at: dt.datetime, label: str) -> TreeNode[None]:
    node = parent.add(Text.assemble((f"#{index} ", "bold"), (label + " ", "dim"), lit_text(cert.subject, "bold")), expand=True)
    node.add_leaf(Text.assemble((_("issuer") + ": ", "dim"), lit_text(cert.issuer)))
    expired = cert.not_after < at
    early = cert.not_before > at
    node.add_leaf(
        Text.assemble(
            (_("valid") + ": ", "dim"),
            (format_datetime(cert.not_before) + " → " + format_datetime(cert.not_after), ""),
            ("  " + _("expires {when}").format(when=format_relative(cert.not_after, at)), "bold red" if expired else ""),
            ("  ✗ " + _("expired") if expired else "", "bold red"),
            ("  ✗ " + _("not valid yet") if early else "", "bold red"),
        )
    )
    key = cert.key_type + (f" {cert.key_size}" if cert.key_size else "") + (f" {cert.key_curve}" if cert.key_curve else "")
    node.add_leaf(Text.assemble((_("key") + ": ", "dim"), key, "  ", (cert.signature_algorithm, "dim")))
    eku = ", ".join(name for _oid, name in cert.eku) if cert.has_eku else _("none (any use)")
    node.add_leaf(Text.assemble(("EKU: ", "dim"), lit_text(eku), ("  CA" if cert.is_ca else "", "bold")))
    node.add_leaf(Text.assemble(("SKI: ", "dim"), lit_text(cert.ski or "-"), ("  AKI: ", "dim"), lit_text(cert.aki or "-")))
    for url in cert.ca_issuers:
        node.add_leaf(Text.assemble(("AIA: ", "dim"), lit_text(url)))
    node.add_leaf(Text.assemble(("SHA-256: ", "dim"), lit_text(cert.sha256_short)))
    return node


def chain_pane(data: ChainResult, at: dt.datetime) -> Iterator[Widget]:
    tree: Tree[None] = Tree(Text(_("Presented chain ({n} certificates)").format(n=data.presented_count)), id="chain-tree")
    tree.show_root = True
    tree.root.expand()
    links = {(link.child, link.parent): link for link in data.links}
    codes = {f.code for f in data.findings}
    for i, cert in enumerate(data.presented):
        label = _("leaf") if i == 0 else (_("root") if cert.self_signed else _("intermediate"))
        _cert_node(tree.root, i, cert, at, label)
        link = links.get((i, i + 1))
        if link is not None:
            ok = link.ok
            tree.root.add_leaf(
                Text(
                    ("  ↓ " + _("signed by the next certificate")) if ok else ("  ✗ " + _("the next certificate did not sign this one")),
                    style="green" if ok else "bold red",
                )
            )
    if Code.CHAIN_INCOMPLETE in codes and data.presented:
        last = data.presented[-1]
        gap = tree.root.add(
            Text("⚠ " + _("GAP: the intermediate that signed #{n} is missing").format(n=len(data.presented) - 1), style="bold red"),
            expand=True,
        )
        gap.add_leaf(Text.assemble((_("issuer needed") + ": ", "dim"), lit_text(last.issuer)))
        for url in last.ca_issuers:
            gap.add_leaf(Text.assemble((_("fetch it from (AIA)") + ": ", "dim"), lit_text(url)))
        if not last.ca_issuers:
            gap.add_leaf(Text(_("no AIA URL in the certificate"), style="dim"))
    for index, error in data.parse_errors:
        tree.root.add_leaf(Text.assemble((f"#{index} ", "bold"), ("✗ " + _("does not parse") + ": ", "bold red"), lit_text(error)))
    yield tree
    yield heading(_("Trust verdicts"))
    for verdict in data.verdicts:
        if verdict.ok:
            path = " → ".join(subject for _fp, subject in verdict.chain) if verdict.chain else ""
            yield line((f"✓ {verdict.store}: ", "$success bold"), _("trusted"), "  ", lit(path, "dim"))
        else:
            yield line((f"✗ {verdict.store}: ", "$error bold"), _("not trusted"), ": ", lit(verdict.error or ""))
    for attempt in data.aia_attempts:
        yield kv("AIA", " ".join(f"{k}={v}" for k, v in attempt.items()), "dim")
