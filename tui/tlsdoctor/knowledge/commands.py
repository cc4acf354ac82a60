"""Command templates: fill a knowledge entry's `{placeholder}` commands with the real names.

Every substituted value goes through `shlex.quote` (a list: one quoted word per
item), a path that starts with a dash gets `./` in front, and a placeholder
without a value becomes a quoted, readable stand-in. This module must not run
commands, read files or import textual/rich. Which placeholders a template may
use, and that no workaround performs a dead end's action, is checked by
`scripts/check_knowledge.py`, not at run time.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

KEYSTORE_TYPES: Mapping[str, str] = {"jks": "JKS", "jceks": "JCEKS", "pkcs12": "PKCS12"}  # keytool's -storetype names
# `{name}` in a template; the names are the keys of PLACEHOLDERS.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class CommandContext:
    """The real names a command is built from. `host` is the A-label as dialled."""

    host: str
    display_host: str | None = None
    port: int = 443
    addresses: tuple[str, ...] = ()
    cert_names: tuple[str, ...] = ()
    client_cert: str | os.PathLike[str] | None = None
    client_key: str | os.PathLike[str] | None = None
    ca_file: str | os.PathLike[str] | None = None
    expected_client_identity: str | None = None
    client_identity: str | None = None
    # `-subj` and `subjectAltName=` of a request for the expected identity, derived from the parsed
    # identity (None for a glob or a regex: the stand-in then says which name to put)
    client_csr: tuple[str, str] | None = None
    # Added later: the protocol spoken (tlsdoctor.protocols: "https", "smtp", "ldaps", …), its STARTTLS
    # preamble if any, and a client certificate from a keystore (its format and entry alias).
    protocol: str = "https"
    starttls: str | None = None
    client_format: str | None = None
    client_alias: str | None = None


def _path(value: str | os.PathLike[str] | None) -> str | None:
    """A file path as an argument: `./` in front of a leading dash so it is never an option."""
    if value is None:
        return None
    text = os.fspath(value)
    return "./" + text if text.startswith("-") else text


def _host_port(host: str, port: int) -> str:
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


MAX_CERT_NAMES = 100  # Let's Encrypt's limit of names per certificate


def _related_names(ctx: CommandContext) -> list[str]:
    """The dialled host plus the presented names in the same parent domain, without duplicates.

    Capped at MAX_CERT_NAMES: a certificate may carry thousands of SANs, a CA issues at most 100.
    """
    parent = ctx.host.lower().split(".")[-2:]
    names = [ctx.host]
    seen = {ctx.host.lower()}
    for name in ctx.cert_names:
        if len(names) >= MAX_CERT_NAMES:
            break
        if not name.isprintable() or " " in name:  # no valid name (a line feed, a bidi control): not for a CA
            continue
        lowered = name.lower()
        if lowered.split(".")[-2:] == parent and lowered not in seen:
            seen.add(lowered)
            names.append(name)
    return names


def _flags(flag: str, values: Iterable[str]) -> list[str]:
    return [part for value in values for part in (flag, value)]


def _certbot_args(ctx: CommandContext) -> list[str]:
    """`--standalone -d …`, or DNS-01 when a name to keep is a wildcard: HTTP challenges cannot issue those.

    Every name the certificate must still cover stays (the dialled host and the
    presented names of its domain): a wildcard is never dropped to make the
    simpler challenge fit.
    """
    names = _related_names(ctx)
    if any(name.startswith("*.") for name in names):
        return ["--manual", "--preferred-challenges", "dns", *_flags("-d", names)]
    return ["--standalone", *_flags("-d", names)]


def _url(ctx: CommandContext) -> str:
    return "https://" + _host_port(ctx.host, ctx.port) + "/"


def _address_port(ctx: CommandContext) -> str | None:
    return _host_port(ctx.addresses[0], ctx.port) if ctx.addresses else None


def _resolve_pin(ctx: CommandContext) -> str | None:
    """curl's `--resolve HOST:PORT:ADDR` (an IPv6 address in brackets, as curl wants it)."""
    if not ctx.addresses:
        return None
    address = ctx.addresses[0]
    return f"{ctx.host}:{ctx.port}:" + (f"[{address}]" if ":" in address else address)


def _which(form: str, pattern: str | None) -> str | None:
    """A stand-in that says which name to put (one the server's rule accepts), inventing none."""
    return f"<{form}a name matching {pattern}>" if pattern else None


# placeholder → (value from a context as one argument or a list of arguments, readable stand-in)
# placeholder → (value from a context as one argument or a list of arguments, readable stand-in).
# Every placeholder is a whole shell word (or whole words): a stand-in quotes the value, never its flag.
Getter = Callable[[CommandContext], "str | list[str] | None"]
StandIn = str | tuple[str, ...]
PLACEHOLDERS: Mapping[str, tuple[Getter, StandIn]] = {
    "host": (lambda c: c.host, "<host>"),
    "display_host": (lambda c: c.display_host or c.host, "<host>"),
    "port": (lambda c: str(c.port), "<port>"),
    "host_port": (lambda c: _host_port(c.host, c.port), "<host>:<port>"),
    "https_url": (_url, "https://<host>:<port>/"),
    "address": (lambda c: c.addresses[0] if c.addresses else None, "<address>"),
    "address_port": (_address_port, "<address>:<port>"),
    "addresses": (lambda c: list(c.addresses) or None, "<address>"),
    "resolve_pin": (_resolve_pin, "<host>:<port>:<address>"),
    "cert_names": (lambda c: list(c.cert_names) or None, "<name-on-cert>"),
    "certbot_args": (_certbot_args, ("--standalone", "-d", "<host>")),
    "name_flags": (lambda c: _flags("--name", _related_names(c)), ("--name", "<host>")),
    "cn_subject": (lambda c: "/CN=" + c.host, "/CN=<host>"),
    "san_ext": (lambda c: "subjectAltName=" + ",".join("DNS:" + n for n in _related_names(c)), "subjectAltName=DNS:<host>"),
    "ip_san_ext": (lambda c: "subjectAltName=IP:" + c.addresses[0] if c.addresses else None, "subjectAltName=IP:<address>"),
    "key_file": (lambda c: _path(c.host + ".key"), "<server.key>"),
    "csr_file": (lambda c: _path(c.host + ".csr"), "<server.csr>"),
    "fullchain_path": (lambda c: "/etc/ssl/" + c.host + "/fullchain.pem", "/etc/ssl/<host>/fullchain.pem"),
    "privkey_path": (lambda c: "/etc/ssl/" + c.host + "/privkey.pem", "/etc/ssl/<host>/privkey.pem"),
    "client_cert": (lambda c: _path(c.client_cert), "<client-cert.pem>"),
    "client_key": (lambda c: _path(c.client_key), "<client-key.pem>"),
    "ca_file": (lambda c: _path(c.ca_file), "<ca-file.pem>"),
    "expected_identity": (lambda c: c.expected_client_identity, "<expected-identity>"),
    "client_identity": (lambda c: c.client_identity, "<client-identity>"),
    "keystore": (lambda c: _path(c.client_cert) if c.client_format in KEYSTORE_TYPES else None, "<client.jks>"),
    "keystore_type": (lambda c: KEYSTORE_TYPES.get(c.client_format or ""), "<JKS>"),
    "alias": (lambda c: c.client_alias, "<alias>"),
    "client_subject": (
        lambda c: c.client_csr[0] if c.client_csr else _which("/CN=", c.expected_client_identity),
        "/CN=<expected-identity>",
    ),
    "client_san_ext": (
        lambda c: c.client_csr[1] if c.client_csr else _which("subjectAltName=DNS:", c.expected_client_identity),
        "subjectAltName=DNS:<expected-identity>",
    ),
    # keytool's -ext form of the same name (`SAN=dns:…`)
    "keytool_san": (
        lambda c: "SAN=dns:" + c.client_csr[1].split("DNS:", 1)[1]
        if c.client_csr and "DNS:" in c.client_csr[1]
        else _which("SAN=dns:", c.expected_client_identity),
        "SAN=dns:<expected-identity>",
    ),
}

_S_CLIENT = re.compile(r"\bopenssl s_client\b")


def for_protocol(command: str, ctx: CommandContext | None) -> str:
    """A rendered command adapted to the protocol spoken: `openssl s_client` gets `-starttls PROTO`;
    a command that speaks HTTP (an https:// URL) is dropped ("") for a target that does not speak HTTP."""
    if ctx is None or (ctx.protocol == "https" and ctx.starttls is None):
        return command
    if "https://" in command:
        return ""
    if ctx.starttls is not None:
        flag = f"openssl s_client -starttls {shlex.quote(ctx.starttls)}"
        return _S_CLIENT.sub(flag, command, count=1)
    return command


# What `kb` shows: the seed's example names, so a page reads like the seed.
EXAMPLE_CONTEXT = CommandContext(
    host="example.com",
    addresses=("203.0.113.10",),
    cert_names=("example.com", "www.example.com"),
    client_cert="client.pem",
    client_key="client-key.pem",
    ca_file="ca-chain.pem",
    expected_client_identity="client-prod.example.com",
    client_identity="client-staging.example.com",
    client_csr=("/CN=client-prod.example.com", "subjectAltName=DNS:client-prod.example.com"),
)


def render_command(template: str, ctx: CommandContext | None) -> str:
    """Fill a template; every value is shell-quoted (a list: one quoted word per item).

    A placeholder without a value (no context, no client cert given …) is
    rendered as a quoted, readable stand-in such as `'<client-cert.pem>'` (the
    value quoted, its flag not: `-d '<host>'`), so the command still shows its
    shape and cannot run by accident unedited.
    """

    def fill(match: re.Match[str]) -> str:
        getter, stand_in = PLACEHOLDERS[match.group(1)]
        value = getter(ctx) if ctx is not None else None
        if value is None:
            value = list(stand_in) if isinstance(stand_in, tuple) else stand_in
        if isinstance(value, list):
            return " ".join(shlex.quote(v) for v in value)
        return shlex.quote(value)

    return for_protocol(PLACEHOLDER.sub(fill, template), ctx)
