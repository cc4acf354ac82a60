"""STARTTLS lab servers: one loopback server per protocol that performs the real negotiation, then TLS.

SMTP (RFC 3207), IMAP and POP3 (RFC 2595), FTP (RFC 4217), LDAP (RFC 4511
StartTLS extended operation), PostgreSQL (SSLRequest), MySQL (SSL request after
handshake v10), XMPP (RFC 6120). Each takes `offer=Offer.REFUSE` or
`Offer.NOT_OFFERED` for its refusing variants, and everything a `TlsServer`
takes (SNI vhosts, client authentication). Loopback only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from tlsdoctor.lab.starttls.base import Offer, StarttlsServer
from tlsdoctor.lab.starttls.databases import MysqlServer, PostgresServer
from tlsdoctor.lab.starttls.directory import LdapServer
from tlsdoctor.lab.starttls.mail import FtpServer, ImapServer, Pop3Server, SmtpServer
from tlsdoctor.lab.starttls.xmpp import XmppServer
from tlsdoctor.lab.tls_server import VHost

SERVERS: Mapping[str, type[StarttlsServer]] = MappingProxyType(
    {
        "smtp": SmtpServer,
        "imap": ImapServer,
        "pop3": Pop3Server,
        "ftp": FtpServer,
        "ldap": LdapServer,
        "postgres": PostgresServer,
        "mysql": MysqlServer,
        "xmpp": XmppServer,
    }
)


def starttls_server(protocol: str, default: VHost, sni: Mapping[str, VHost] | None = None, **kwargs: Any) -> StarttlsServer:
    """A configured (not started) lab server for `protocol` (a key of SERVERS)."""
    return SERVERS[protocol](default, sni, **kwargs)


__all__ = [
    "SERVERS",
    "FtpServer",
    "ImapServer",
    "LdapServer",
    "MysqlServer",
    "Offer",
    "Pop3Server",
    "PostgresServer",
    "SmtpServer",
    "StarttlsServer",
    "XmppServer",
    "starttls_server",
]
