"""Preambles: what a client says in clear before the TLS handshake (STARTTLS and its kin).

`run_preamble(protocol, channel, server_name)` speaks one protocol's negotiation
over the attempt's socket and returns the bytes that arrived after the
go-ahead (they belong to TLS); a server that does not let TLS start raises
`PreambleRefused` with its own words. Every wait is the channel's, so the
attempt's one deadline bounds the whole preamble. I/O through the channel only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from tlsdoctor.probe.tls.preamble.binary import ldap, mysql, postgres
from tlsdoctor.probe.tls.preamble.channel import SocketChannel
from tlsdoctor.probe.tls.preamble.reader import Channel, PreambleRefused, Reader, words
from tlsdoctor.probe.tls.preamble.text import ftp, imap, pop3, smtp
from tlsdoctor.probe.tls.preamble.xmpp import xmpp

Negotiation = Callable[[Reader, "str | None"], None]
NEGOTIATIONS: Mapping[str, Negotiation] = MappingProxyType(
    {"smtp": smtp, "imap": imap, "pop3": pop3, "ftp": ftp, "ldap": ldap, "postgres": postgres, "mysql": mysql, "xmpp": xmpp}
)


def run_preamble(protocol: str, channel: Channel, server_name: str | None) -> bytes:
    """Negotiate TLS in `protocol` (a key of NEGOTIATIONS); the bytes already received for TLS."""
    reader = Reader(channel)
    NEGOTIATIONS[protocol](reader, server_name)
    return reader.leftover()


__all__ = ["NEGOTIATIONS", "Channel", "PreambleRefused", "SocketChannel", "run_preamble", "words"]
