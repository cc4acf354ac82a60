"""The application protocols in front of TLS: which one a target speaks, and why we think so.

Data and one pure choice (`choose_protocol`): an explicit `--starttls` wins, then
the URL scheme, then a well-known port; anything else is TLS at once (HTTPS).
A STARTTLS protocol means a plaintext preamble (RFC 3207 SMTP, RFC 2595 IMAP and
POP3, RFC 4217 FTP, RFC 4511 LDAP, the PostgreSQL and MySQL SSL requests, RFC 6120
XMPP) before the ClientHello. Implicit-TLS ports (465, 993, …) are TLS at once and
only named. No imports: the bottom layer (target parsing uses the schemes).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

# The preambles tlsdoctor speaks, in the order the help lists them.
STARTTLS_PROTOCOLS = ("smtp", "imap", "pop3", "ftp", "ldap", "postgres", "mysql", "xmpp")
# `--starttls none`: TLS at once even on a STARTTLS port.
NO_STARTTLS = "none"

LABELS = MappingProxyType(
    {
        "https": "HTTPS",
        "smtp": "SMTP",
        "imap": "IMAP",
        "pop3": "POP3",
        "ftp": "FTP",
        "ldap": "LDAP",
        "postgres": "PostgreSQL",
        "mysql": "MySQL",
        "xmpp": "XMPP",
        "smtps": "SMTPS",
        "imaps": "IMAPS",
        "pop3s": "POP3S",
        "ftps": "FTPS",
        "ldaps": "LDAPS",
        "xmpps": "XMPP over TLS",
    }
)

# Well-known ports where the client speaks the protocol in clear first, then asks for TLS.
STARTTLS_PORTS = MappingProxyType(
    {25: "smtp", 587: "smtp", 143: "imap", 110: "pop3", 21: "ftp", 389: "ldap", 5432: "postgres", 3306: "mysql", 5222: "xmpp"}
)
# Well-known ports where TLS starts at once (named in the report, nothing else changes).
IMPLICIT_TLS_PORTS = MappingProxyType(
    {443: "https", 465: "smtps", 993: "imaps", 995: "pop3s", 636: "ldaps", 990: "ftps", 5223: "xmpps"}
)


@dataclass(frozen=True)
class Scheme:
    """A URL scheme `parse_target` accepts: its default port and the preamble it implies (None: TLS at once)."""

    name: str
    default_port: int
    starttls: str | None


SCHEMES = MappingProxyType(
    {
        s.name: s
        for s in (
            Scheme("https", 443, None),
            Scheme("smtp", 25, "smtp"),
            Scheme("smtps", 465, None),
            Scheme("imap", 143, "imap"),
            Scheme("imaps", 993, None),
            Scheme("pop3", 110, "pop3"),
            Scheme("pop3s", 995, None),
            Scheme("ftp", 21, "ftp"),
            Scheme("ftps", 990, None),
            Scheme("ldap", 389, "ldap"),
            Scheme("ldaps", 636, None),
            Scheme("postgres", 5432, "postgres"),
            Scheme("postgresql", 5432, "postgres"),
            Scheme("mysql", 3306, "mysql"),
            Scheme("xmpp", 5222, "xmpp"),
        )
    }
)


@dataclass(frozen=True)
class ProtocolChoice:
    """What the walk speaks before TLS, and why.

    `starttls`: the preamble (one of STARTTLS_PROTOCOLS) or None for TLS at once.
    `name`: the protocol as a person would call it ("smtp", "smtps", "https", …).
    `source`: "option" (`--starttls`), "url" (the scheme), "port" (a well-known
    port) or "default" (nothing said otherwise: HTTPS-style TLS at once).
    """

    starttls: str | None = None
    name: str = "https"
    source: str = "default"

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name.upper())

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "starttls": self.starttls, "source": self.source}


def choose_protocol(port: int, scheme: str | None, option: str | None) -> ProtocolChoice:
    """`--starttls` (a protocol or "none") > the URL scheme > the well-known port > TLS at once.

    `option` must already be one of STARTTLS_PROTOCOLS or NO_STARTTLS (the caller checks).
    """
    if option is not None:
        if option == NO_STARTTLS:
            return ProtocolChoice(None, IMPLICIT_TLS_PORTS.get(port, "https"), "option")
        return ProtocolChoice(option, option, "option")
    if scheme is not None and scheme in SCHEMES:
        known = SCHEMES[scheme]
        name = known.starttls or ("https" if scheme == "https" else scheme)
        return ProtocolChoice(known.starttls, name, "url")
    if port in STARTTLS_PORTS:
        return ProtocolChoice(STARTTLS_PORTS[port], STARTTLS_PORTS[port], "port")
    if port in IMPLICIT_TLS_PORTS:
        return ProtocolChoice(None, IMPLICIT_TLS_PORTS[port], "port")
    return ProtocolChoice()
