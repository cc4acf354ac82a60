"""Evidence panes of steps 1–3: where the name leads (the target, DNS, the hosts file).

Each pane is a function of its step's data (as the walk produced it) that
yields widgets; it computes nothing the data does not say. Untrusted values
(DNS answers, hosts lines) are shown literally through `display.lit`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from tlsdoctor.i18n import _
from tlsdoctor.render.labels import safe_text

from ..display import lit, lit_text, pad
from ..words import DNS_STATUS, word
from .blocks import KEY_WIDTH, kv, line, table

if TYPE_CHECKING:
    from tlsdoctor.analysis.dns import DnsView
    from tlsdoctor.analysis.hosts import HostsView
    from tlsdoctor.walk import TargetView


def target_pane(data: TargetView) -> Iterator[Widget]:
    t = data.target
    yield kv(_("Host"), t.display_host)
    if t.ascii_host != t.display_host:
        yield kv(_("A-label"), t.ascii_host)
    yield kv(_("Port"), t.port)
    yield kv(_("Kind"), _("IP address") if t.is_ip else _("host name"))
    yield kv(_("SNI sent"), data.sni or _("none (IP literal)"))
    if t.trailing_dot:
        yield kv(_("Note"), _("the name ends with a dot: clients differ on it"))
    for pin in data.resolves:
        yield kv("--resolve", f"{pin.host}:{pin.port}:{pin.address}")


def dns_pane(data: DnsView) -> Iterator[Widget]:
    yield kv(_("Name"), data.name)
    yield kv(_("Status"), word(DNS_STATUS, data.status), "" if data.status == "ok" else "$error bold")
    yield kv(_("Nameservers"), ", ".join(data.nameservers) or _("system"))
    yield kv(_("Addresses"), ", ".join(data.addresses) or _("none"))
    if len(data.cname_chain) > 1:
        yield kv(_("CNAME chain"), " → ".join(data.cname_chain))
    if data.dangling_cname:
        yield kv(_("Note"), _("the CNAME chain ends at a name that does not exist"), "$warning")
    if data.caa:
        owner = data.caa_owner or data.name
        yield kv("CAA", "; ".join(data.caa))
        yield kv("", _("from {owner}").format(owner=safe_text(owner)) + (_(" (inherited)") if data.caa_inherited else ""))
    else:
        yield kv("CAA", _("none: any CA may issue") if not data.caa_unknown else _("unknown (lookup failed)"))
    rows = table(_("Type"), _("Name"), _("Status"), _("Answer"), "TTL", id="dns-table")
    for row in data.rows:
        rows.add_row(
            Text(row.rtype, style="bold"),
            lit_text(row.qname),
            Text(word(DNS_STATUS, row.status)),
            # the resolver's own (English) text only for an error it gave no kind for
            lit_text(", ".join(row.values) or (row.detail or "" if row.status == "error" else "")),
            Text("" if row.ttl is None else str(row.ttl)),
        )
    yield rows


def hosts_pane(data: HostsView) -> Iterator[Widget]:
    yield kv(_("File"), data.path)
    if data.lines:
        for entry in data.lines:
            yield line((pad(_("line {n}").format(n=entry.lineno), KEY_WIDTH), "bold"), " ", lit(entry.raw.strip()))
    else:
        yield kv(_("Lines"), _("no line mentions {name}").format(name=safe_text(data.name)))
    yield kv(_("Hosts file"), ", ".join(data.hosts_addresses) or "-")
    yield kv("DNS", ", ".join(data.dns_addresses) or "-")
    source = {"resolve": _("--resolve pin"), "hosts": _("hosts file"), "dns": _("DNS")}.get(data.source, data.source)
    style = "$warning bold" if data.source == "hosts" and set(data.hosts_addresses) != set(data.dns_addresses) else "bold"
    yield line(
        (pad(_("Client uses"), KEY_WIDTH), "bold"),
        " ",
        lit(", ".join(data.used_addresses) or "-", style),
        "  ",
        lit(_("(from {source})").format(source=source), "dim"),
    )
    if data.invalid_lines:
        yield kv(_("Note"), _("{n} lines could not be parsed").format(n=data.invalid_lines), "dim")
