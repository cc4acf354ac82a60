"""Evidence pane of step 7: the client certificate (mutual TLS) and what the server made of it.

A function of the client step's data that yields widgets; the data never holds
key material. Field names of the engine's data (`certificate_requested`,
`acceptable_client_cas`) are shown as labels in the user's language
(`app.words`), values literally through `display.lit`. In the demo the lab's
own server log is shown too: the server's side of the story.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from textual.widget import Widget

from tlsdoctor.i18n import _

from ..display import lit
from ..words import (
    CA_MATCH_LABELS,
    COMMAND_PURPOSES,
    FETCH_ERRORS,
    HANDSHAKE_LABELS,
    field_label,
    word,
    yes_no,
)
from .blocks import heading, kv, line
from .command import CommandLine

if TYPE_CHECKING:
    from tlsdoctor.analysis.mtls import ClientResult

_SHOWN_APART = ("alert", "alert_name", "alert_during", "ok", "error")


def _value(value: object, separator: str) -> object:
    if isinstance(value, bool):
        return yes_no(value)
    return separator.join(map(str, value)) if isinstance(value, (list, tuple)) else value


def client_pane(data: ClientResult, server_log: Sequence[str] = ()) -> Iterator[Widget]:
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
        ok, error = bool(hs.get("ok")), hs.get("error")
        if ok and not error:
            result, style = "✓ " + _("completed"), "$success bold"
        elif ok:  # TLS 1.3: the client finished, the server's refusal came with the first read
            result, style = "! " + _("completed by the client, then refused by the server"), "$warning bold"
        else:
            result, style = "✗ " + _("failed: {error}").format(error=word(FETCH_ERRORS, str(error or ""))), "$error bold"
        yield kv(field_label(HANDSHAKE_LABELS, "ok"), result, style)
        if hs.get("alert") is not None:
            yield kv(_("TLS alert"), f"{hs.get('alert')} {hs.get('alert_name') or ''} ({hs.get('alert_during') or ''})", "$error bold")
        for key, value in hs.items():
            if key not in _SHOWN_APART and value not in (None, "", [], ()):
                yield kv(field_label(HANDSHAKE_LABELS, str(key)), _value(value, ", "), "dim")
    if data.ca_match:
        yield heading(_("Acceptable client CAs (sent by the server)"))
        for key, value in data.ca_match.items():
            yield kv(field_label(CA_MATCH_LABELS, str(key)), _value(value, "; "))
    if data.x5t_s256:
        yield kv("x5t#S256", data.x5t_s256)
    if server_log:
        yield heading(_("Server log (the lab's server, as its operator sees it)"))
        for entry in server_log:
            yield line(lit(entry, "$warning"), hang=2)
    for text in data.openssl_view:
        yield line(lit(text, "dim"), hang=2)
    for title, command in data.commands:
        yield line((word(COMMAND_PURPOSES, title), "bold"))
        yield CommandLine(command)
