"""The request: what one walk checks (`WalkOptions`), and the ONE builder that makes it from plain values.

Both front doors call `build_request`: the CLI with its parsed arguments, the
app's form with its fields. It parses (target, port, `--resolve` pins,
nameservers, expected identity, token) and reads what must be read before a
walk can start (client certificate and key, `--ca` files): bad input raises
`RequestError` (a `BadInput` naming the field), never later in the walk.
No network, no rendering, nothing from a face.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tlsdoctor.analysis.clientset import parse_clients
from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.facts.dns import Nameserver
from tlsdoctor.i18n import _
from tlsdoctor.probe.hosts import DEFAULT_HOSTS_FILE
from tlsdoctor.target import Target, parse_port, parse_target, to_a_label

if TYPE_CHECKING:
    from tlsdoctor.analysis.mtls import ExpectedIdentity
    from tlsdoctor.analysis.token import TokenView
    from tlsdoctor.facts.client import ClientMaterial
    from tlsdoctor.probe.clientfiles import AskPassword

MAX_TIMEOUT = 600.0  # seconds: the bound on every network wait may not be larger


@dataclass(frozen=True)
class ResolvePin:
    """`--resolve HOST:PORT:ADDR`, as curl: connect to ADDR when dialling HOST:PORT."""

    host: str
    port: int
    address: str


@dataclass(frozen=True)
class WalkOptions:
    """Everything one walk needs, checked and loaded (what `build_request` returns)."""

    target: Target
    nameservers: tuple[Nameserver, ...] = ()
    hosts_file: str = DEFAULT_HOSTS_FILE
    resolves: tuple[ResolvePin, ...] = ()
    ca_files: tuple[str, ...] = ()
    timeout: float = 5.0
    offline: bool = False
    client: ClientMaterial | None = None  # loaded before the walk (bad files are exit 2)
    expected_identity: ExpectedIdentity | None = None
    token: TokenView | None = None
    at: dt.datetime | None = None  # validity time; None = now
    use_system_store: bool = True
    lang: str = "en"
    clients: tuple[str, ...] = ()  # `--client`, as the names matrix spells them; empty: every client


class RequestError(BadInput):
    """Bad input in one field of the request; `field` is its CLI option name without `--`
    ("target", "port", "resolve", "nameserver", "hosts-file", "ca", "client-cert",
    "client-key", "expect-client-identity", "token", "timeout", "client"), so a form can show it there."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@contextmanager
def _field(name: str) -> Iterator[None]:
    try:
        yield
    except RequestError:
        raise
    except BadInput as exc:
        raise RequestError(name, str(exc)) from None


def parse_nameserver(text: str) -> Nameserver:
    """`ADDR`, `ADDR:PORT` or `[V6]:PORT` → Nameserver (the `--nameserver` and form syntax; BadInput on nonsense)."""
    raw = text.strip()
    host, port_text = raw, "53"
    if raw.startswith("["):
        host, _sep, rest = raw[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isdecimal():
                raise BadInput(_("bad nameserver {text!r}: use ADDR or ADDR:PORT").format(text=raw))
            port_text = rest[1:]
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
        if not port_text.isdecimal():
            raise BadInput(_("bad nameserver {text!r}: use ADDR or ADDR:PORT").format(text=raw))
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise BadInput(_("bad nameserver {text!r}: the address must be an IP address").format(text=raw)) from None
    try:
        port = parse_port(str(int(port_text)), raw)  # int(): any decimal digits, as before
    except BadInput:
        raise BadInput(_("bad nameserver {text!r}: port must be 1 to 65535").format(text=raw)) from None
    return Nameserver(address, port)


def parse_resolve_pin(text: str) -> ResolvePin:
    """`HOST:PORT:ADDR` (curl's `--resolve`) → ResolvePin; BadInput on anything else."""
    host, sep, rest = text.partition(":")
    port_text, sep2, address = rest.partition(":")
    if not sep or not sep2 or not host or not address:
        raise BadInput(f"--resolve {text!r}: expected HOST:PORT:ADDR")
    address = address.strip("[]")
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        raise BadInput(f"--resolve {text!r}: {address!r} is not an IP address") from None
    return ResolvePin(to_a_label(host), parse_port(port_text, text), address)


def read_input_file(path: str, what: str) -> bytes:
    """A user's input file, at most MAX_INPUT_BYTES; BadInput (one line naming `what`) otherwise."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"cannot read {what} {path!r}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise BadInput(f"{what} {path!r} is larger than 1 MB")
    return data


def build_request(
    target: str,
    *,
    port: int | str | None = None,
    resolves: Sequence[str] = (),
    nameservers: Sequence[str] = (),
    hosts_file: str = DEFAULT_HOSTS_FILE,
    ca_files: Sequence[str] = (),
    client_cert: str | None = None,
    client_key: str | None = None,
    client_key_password: str | None = None,
    ask_password: AskPassword | None = None,
    expected_identity: str | None = None,
    token: str | None = None,
    timeout: float = 5.0,
    offline: bool = False,
    use_system_store: bool = True,
    lang: str = "en",
    clients: Sequence[str] = (),
) -> WalkOptions:
    """Plain values (as typed on the command line or in the form) → checked WalkOptions.

    Files are read here: the `--ca` files (checked, not kept) and the client
    certificate and key (`ask_password(prompt)` is called for an encrypted key
    without a password). The first bad value raises RequestError.
    """
    port_number: int | None = None
    if port is not None:
        try:
            port_number = parse_port(str(port), target)
        except BadInput:
            raise RequestError("port", f"--port {port}: use a number from 1 to 65535") from None
    if not 0 < timeout <= MAX_TIMEOUT:
        raise RequestError("timeout", f"--timeout must be between 0 and {MAX_TIMEOUT:g} seconds")
    with _field("target"):
        parsed = parse_target(target, port_number)
    with _field("ca"):
        for path in ca_files:
            read_input_file(path, "--ca file")
    client = None
    if client_cert:
        from tlsdoctor.probe.clientfiles import load_client_material  # noqa: PLC0415 - lazy: start-up cost (mTLS only)

        with _field("client-cert"):
            client = load_client_material(client_cert, client_key, client_key_password, ask_password=ask_password)
    elif client_key:
        raise RequestError("client-key", "--client-key needs --client-cert")
    expected = None
    if expected_identity:
        from tlsdoctor.analysis.mtls import parse_expected_identity  # noqa: PLC0415 - lazy: start-up cost (mTLS only)

        with _field("expect-client-identity"):
            expected = parse_expected_identity(expected_identity)
    token_view = None
    if token:
        from tlsdoctor.analysis.token import decode_token  # noqa: PLC0415 - lazy: start-up cost (mTLS only)

        with _field("token"):
            token_view = decode_token(token)
    if hosts_file != DEFAULT_HOSTS_FILE and not os.path.exists(hosts_file):
        raise RequestError("hosts-file", f"--hosts-file {hosts_file!r} does not exist")
    with _field("nameserver"):
        servers = tuple(parse_nameserver(n) for n in nameservers)
    with _field("resolve"):
        pins = tuple(parse_resolve_pin(r) for r in resolves)
    with _field("client"):
        asked = parse_clients(clients)
    return WalkOptions(
        target=parsed,
        nameservers=servers,
        hosts_file=hosts_file,
        resolves=pins,
        ca_files=tuple(ca_files),
        timeout=timeout,
        offline=offline,
        client=client,
        expected_identity=expected,
        token=token_view,
        use_system_store=use_system_store,
        lang=lang,
        clients=asked,
    )


def key_file_warning(client: ClientMaterial | None) -> str | None:
    """A translated warning when the private key file is readable by other users (else None)."""
    if client is None or client.key_file_mode is None or not client.key_file_mode & 0o077:
        return None
    return _("warning: the private key file {path} is readable by other users (mode {mode}); chmod 600 it").format(
        path=client.key_path, mode=format(client.key_file_mode, "04o")
    )
