"""Parse what the user typed into the one thing every step checks: a `Target`.

Accepted: `host`, `host:port`, `[v6]`, `[v6]:port`, a bare IPv4/IPv6 literal,
and URLs: `https://host[:port][/path]` and the schemes of `tlsdoctor.protocols`
(`smtp://`, `imap://`, `postgres://`, … with their default ports). Host names go through IDNA (UTS #46) to
their A-label form; the U-label is kept for display. Anything else raises
`BadInput` with one line that says what is wrong. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import idna

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _
from tlsdoctor.protocols import SCHEMES

DEFAULT_PORT = 443
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_BIDI_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Target:
    """What we check. `ascii_host` is the A-label form used on the wire (SNI, DNS).

    `display_host` is the U-label form a person recognises (equal to
    `ascii_host` for plain ASCII names and IP literals). `trailing_dot` records
    that the user wrote `name.`: clients differ on it, so the names step says so.
    """

    display_host: str
    ascii_host: str
    port: int
    is_ip: bool
    trailing_dot: bool = False
    # The URL scheme the user wrote ("smtp", "postgresql", …; None without a URL): how to speak to the
    # target, not which target it is, so two Targets of the same host and port stay equal.
    scheme: str | None = field(default=None, compare=False)

    @property
    def sni(self) -> str | None:
        """The server name a client sends: none for IP literals (RFC 6066 §3)."""
        return None if self.is_ip else self.ascii_host

    def to_json(self) -> dict[str, object]:
        return {
            "host": self.display_host,
            "ascii_host": self.ascii_host,
            "port": self.port,
            "is_ip": self.is_ip,
            "trailing_dot": self.trailing_dot,
        }


def parse_port(text: str, original: str) -> int:
    """A port number from ASCII digits (1–65535), else BadInput naming `original`."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise BadInput(_("bad port {text!r} in target {original!r}: use a number from 1 to 65535").format(text=text, original=original))
    return int(text)


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def to_a_label(name: str, original: str | None = None) -> str:
    """A host name to its lower-case A-label form (UTS #46 mapping, then IDNA 2008)."""
    shown = original if original is not None else name
    if not name:
        raise BadInput(_("empty host name in target {shown!r}").format(shown=shown))
    if _BIDI_AND_CONTROLS.search(name):
        raise BadInput(_("host name {shown!r} holds spaces or control characters").format(shown=shown))
    if name.isascii():
        lowered = name.lower()
        labels = lowered.split(".")
        # Underscores appear in real internal names (SRV-like); allow them, but nothing else odd.
        if all(_LABEL.match(label.replace("_", "a")) for label in labels) and len(lowered) <= 253:
            return lowered
    try:
        encoded = idna.encode(name, uts46=True, std3_rules=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise BadInput(_("host name {shown!r} is not a valid domain name ({error})").format(shown=shown, error=exc)) from None
    if len(encoded) > 253:
        raise BadInput(_("host name {shown!r} is longer than 253 characters").format(shown=shown))
    return encoded.lower()


def to_u_label(ascii_name: str) -> str:
    """The Unicode form for display; falls back to the A-label when decoding fails."""
    if "xn--" not in ascii_name:
        return ascii_name
    try:
        return idna.decode(ascii_name)
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_name


def parse_target(text: str, default_port: int | None = None) -> Target:
    """Turn user input into a Target, or raise BadInput with a one-line reason."""
    parsed = _parse_target(text, default_port)
    if parsed.scheme is None and "://" in text:
        return dataclasses.replace(parsed, scheme=urlsplit(text.strip()).scheme.lower())
    return parsed


def _parse_target(text: str, default_port: int | None) -> Target:
    original = text
    text = text.strip()
    if not text:
        raise BadInput(_("no target given: use host, host:port, [v6]:port or an https:// URL"))
    port = default_port if default_port is not None else DEFAULT_PORT
    host: str
    explicit_port: str | None = None
    scheme: str | None = None

    if "://" in text:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            known = ", ".join(f"{name}://" for name in SCHEMES)
            raise BadInput(_("unsupported URL scheme {scheme!r} in {original!r}: use one of {known}").format(scheme=parts.scheme, original=original, known=known))
        if default_port is None:
            port = SCHEMES[scheme].default_port
        netloc = parts.netloc.rsplit("@", 1)[-1]
        text = netloc
        if not text:
            raise BadInput(_("no host in URL {original!r}").format(original=original))

    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise BadInput(_("missing ']' in target {original!r}").format(original=original))
        host = text[1:end]
        rest = text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise BadInput(_("unexpected text after ']' in target {original!r}").format(original=original))
            explicit_port = rest[1:]
        ip = _ip(host)
        if ip is None or ":" not in ip:
            raise BadInput(_("{host!r} in brackets is not an IPv6 address").format(host=host))
        if explicit_port is not None:
            port = parse_port(explicit_port, original)
        return Target(display_host=ip, ascii_host=ip, port=port, is_ip=True)

    ip = _ip(text)
    if ip is not None:  # a bare IPv4, or a bare IPv6 (several colons)
        return Target(display_host=ip, ascii_host=ip, port=port, is_ip=True)

    if text.count(":") == 1:
        text, explicit_port = text.split(":")
        port = parse_port(explicit_port, original)
    elif ":" in text:
        raise BadInput(_("cannot read target {original!r}: write IPv6 addresses as [addr]:port").format(original=original))

    ip = _ip(text)
    if ip is not None:
        return Target(display_host=ip, ascii_host=ip, port=port, is_ip=True)

    trailing_dot = text.endswith(".")
    name = text[:-1] if trailing_dot else text
    if "/" in name or "?" in name or "#" in name or "@" in name:
        raise BadInput(_("cannot read target {original!r}: expected host, host:port or an https:// URL").format(original=original))
    ascii_host = to_a_label(name, original)
    return Target(
        display_host=to_u_label(ascii_host),
        ascii_host=ascii_host,
        port=port,
        is_ip=False,
        trailing_dot=trailing_dot,
    )
