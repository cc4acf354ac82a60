"""The identifiers on both sides: what a certificate presents (`read_presented`)
and the reference the user asked for (`Reference`), in the shapes the rules need.

Reading only: no verdicts, no client models, no findings, no I/O beyond the
certificate object already in memory. A SAN extension that will not decode is
kept as `san_error`, never raised: broken certificates are the interesting ones.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from tlsdoctor.analysis.names.model import IPAddr, SanKind


@dataclass(frozen=True)
class Presented:
    """The identifiers of one certificate, in the shapes the client rules need."""

    dns: tuple[str, ...]
    ips: tuple[IPAddr, ...]
    uris: tuple[str, ...]
    others: tuple[tuple[SanKind, str], ...]
    order: tuple[tuple[SanKind, str | IPAddr], ...]  # every SAN in certificate order (IPAddr for IP, else text)
    cns: tuple[str, ...]
    has_san_extension: bool
    san_error: str | None
    # The dNSNames that could match the current reference at all (see
    # `client_matrix.cannot_match`): the client rules loop over these, and test
    # `dns` for "has any dNSName".
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """The reference identifier as the client rules see it."""

    host: str  # ascii, lower case, no trailing dot
    trailing_dot: bool
    ip: IPAddr | None
    # The A-label form under IDNA 2003 when it differs (ß → ss, ς → σ …): what Python's `ssl`
    # (the "idna" codec) and Java's IDN class send and check; everyone else follows IDNA 2008/UTS 46.
    idna2003: str | None = None

    @property
    def typed(self) -> str:
        """The host as the user typed it (with its trailing dot)."""
        return self.host + "." if self.trailing_dot else self.host

    @property
    def typed_2003(self) -> str:
        """`typed` as an IDNA 2003 client turns it into ASCII."""
        host = self.idna2003 or self.host
        return host + "." if self.trailing_dot else host


def idna2003_form(display_host: str, ascii_host: str) -> str | None:
    """The IDNA 2003 A-label form of a typed Unicode host, when it differs from the IDNA 2008 one."""
    if display_host.isascii():
        return None
    try:
        converted = display_host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return converted if converted != ascii_host else None


def _other_text(name: x509.GeneralName) -> str:
    if isinstance(name, x509.DirectoryName):
        return name.value.rfc4514_string()
    if isinstance(name, x509.RegisteredID):
        return name.value.dotted_string
    if isinstance(name, x509.OtherName):
        return f"{name.type_id.dotted_string}:{name.value.hex()}"
    return repr(name.value)


def read_presented(cert: x509.Certificate) -> Presented:
    """Every SAN (in certificate order) and every subject CN of `cert`."""
    dns: list[str] = []
    ips: list[IPAddr] = []
    uris: list[str] = []
    others: list[tuple[SanKind, str]] = []
    order: list[tuple[SanKind, str | IPAddr]] = []
    has_ext = False
    san_error: str | None = None
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        has_ext = True
        for gn in ext.value:
            if isinstance(gn, x509.DNSName):
                dns.append(gn.value)
                order.append((SanKind.DNS, gn.value))
            elif isinstance(gn, x509.IPAddress) and isinstance(gn.value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
                ips.append(gn.value)
                order.append((SanKind.IP, gn.value))
            elif isinstance(gn, x509.UniformResourceIdentifier):
                uris.append(gn.value)
                order.append((SanKind.URI, gn.value))
            elif isinstance(gn, x509.RFC822Name):
                others.append((SanKind.EMAIL, gn.value))
                order.append((SanKind.EMAIL, gn.value))
            else:
                others.append((SanKind.OTHER, _other_text(gn)))
                order.append((SanKind.OTHER, _other_text(gn)))
    except x509.ExtensionNotFound:
        pass
    except ValueError as exc:  # malformed extensions: the broken certificates are the interesting ones
        san_error = str(exc)
    cns: list[str] = []
    try:
        for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
            value = attr.value
            cns.append(value if isinstance(value, str) else value.decode("utf-8", "replace"))
    except ValueError:
        pass
    return Presented(
        dns=tuple(dns),
        ips=tuple(ips),
        uris=tuple(uris),
        others=tuple(others),
        order=tuple(order),
        cns=tuple(cns),
        has_san_extension=has_ext,
        san_error=san_error,
        candidates=tuple(dns),
    )
