"""Evidence pane of step 7: the client certificate (mutual TLS) and what the server made of it.

A function of the client step's data that yields widgets; the data never holds
key material. Values are shown literally through `display.lit`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Static

from tlsdoctor.i18n import _

from ..display import lit
from .blocks import heading, kv, line
from .command import CommandLine

if TYPE_CHECKING:
    from tlsdoctor.analysis.mtls import ClientResult


def _joined(value: object, separator: str) -> object:
    return separator.join(map(str, value)) if isinstance(value, (list, tuple)) else value


def client_pane(data: ClientResult) -> Iterator[Widget]:
    if data.certificate is not None:
        yield kv(_("Certificate"), data.certificate.subject)
    yield kv(_("Identities"), ", ".join(data.identities) or _("none"))
    if data.expected is not None:
        matched = bool(data.matched)
        yield kv(_("Expected"), f"{data.expected.text} ({data.expected.kind})")
        yield kv(
            _("Match"),
            ("✓ " + ", ".join(data.matched)) if matched else "✗ " + _("no identity matches"),
            "$success bold" if matched else "$error bold",
        )
    if data.key_matches is not None:
        yield kv(
            _("Key pair"),
            "✓ " + _("the key belongs to the certificate") if data.key_matches else "✗ " + _("the key does not belong to the certificate"),
        )
    if data.handshake:
        hs = data.handshake
        if hs.get("alert") is not None:
            yield kv(_("TLS alert"), f"{hs.get('alert')} {hs.get('alert_name') or ''} ({hs.get('alert_during') or ''})", "$error bold")
        for key, value in hs.items():
            if key not in ("alert", "alert_name", "alert_during") and value not in (None, "", [], ()):
                yield kv(str(key), _joined(value, ", "), "dim")
    if data.ca_match:
        yield heading(_("Acceptable client CAs (sent by the server)"))
        for key, value in data.ca_match.items():
            yield kv(str(key), _joined(value, "; "))
    if data.x5t_s256:
        yield kv("x5t#S256", data.x5t_s256)
    for text in data.openssl_view:
        yield Static(lit(text, "dim"))
    for title, command in data.commands:
        yield line((title, "bold"))
        yield CommandLine(command)
