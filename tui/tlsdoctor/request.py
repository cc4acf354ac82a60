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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tlsdoctor.analysis.clientset import parse_clients
from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.facts.dns import Nameserver
from tlsdoctor.facts.questions import Answer
from tlsdoctor.i18n import _
from tlsdoctor.probe.files import read_user_file
from tlsdoctor.probe.hosts import DEFAULT_HOSTS_FILE, check_hosts_file
from tlsdoctor.protocols import NO_STARTTLS, STARTTLS_PROTOCOLS, ProtocolChoice, choose_protocol
from tlsdoctor.questions import parse_answers
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
    protocol: ProtocolChoice = field(default_factory=ProtocolChoice)  # what is spoken before TLS (STARTTLS), and why
    answers: Mapping[str, Answer] = field(default_factory=dict)  # the walk's questions answered ahead (`--answer`)


class RequestError(BadInput):
    """Bad input in one field of the request; `field` is its CLI option name without `--`
    ("target", "port", "resolve", "nameserver", "hosts-file", "ca", "client-cert",
    "client-key", "expect-client-identity", "token", "timeout", "client", "starttls", "answer"), so a form can show it there."""

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
        raise BadInput(_("--resolve {text!r}: expected HOST:PORT:ADDR").format(text=text))
    address = address.strip("[]")
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        raise BadInput(_("--resolve {text!r}: {address!r} is not an IP address").format(text=text, address=address)) from None
    return ResolvePin(to_a_label(host), parse_port(port_text, text), address)


def read_input_file(path: str, what: str) -> bytes:
    """A user's input file: a regular file of at most MAX_INPUT_BYTES; BadInput (one line naming `what`) otherwise."""
    return read_user_file(path, what, limit=MAX_INPUT_BYTES)


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
    starttls: str | None = None,
    client_alias: str | None = None,
    answers: Sequence[str] | Mapping[str, Answer] = (),
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
            raise RequestError("port", _("--port {port}: use a number from 1 to 65535").format(port=port)) from None
    if not 0 < timeout <= MAX_TIMEOUT:
        raise RequestError("timeout", _("--timeout must be between 0 and {max:g} seconds").format(max=MAX_TIMEOUT))
    with _field("target"):
        parsed = parse_target(target, port_number)
    protocol = parse_starttls(starttls, parsed)
    with _field("ca"):
        for path in ca_files:
            read_input_file(path, "--ca file")
    client = None
    if client_cert:
        from tlsdoctor.probe.clientfiles import load_client_material  # lazy: start-up cost (mTLS only)

        with _field("client-cert"):
            client = load_client_material(
                client_cert, client_key, client_key_password, ask_password=ask_password, alias=client_alias
            )
    elif client_key:
        raise RequestError("client-key", _("--client-key needs --client-cert"))
    expected = None
    if expected_identity:
        from tlsdoctor.analysis.mtls import parse_expected_identity  # lazy: start-up cost (mTLS only)

        with _field("expect-client-identity"):
            expected = parse_expected_identity(expected_identity)
    token_view = None
    if token:
        from tlsdoctor.analysis.token import decode_token  # lazy: start-up cost (mTLS only)

        with _field("token"):
            token_view = decode_token(token)
    if hosts_file != DEFAULT_HOSTS_FILE:  # named by the user: unusable is bad input (the default is a finding)
        with _field("hosts-file"):
            check_hosts_file(hosts_file)
    with _field("nameserver"):
        servers = tuple(parse_nameserver(n) for n in nameservers)
    with _field("resolve"):
        pins = tuple(parse_resolve_pin(r) for r in resolves)
    with _field("client"):
        asked = parse_clients(clients)
    with _field("answer"):
        preset = dict(answers) if isinstance(answers, Mapping) else parse_answers(answers)
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
        protocol=protocol,
        answers=preset,
    )


def parse_starttls(option: str | None, target: Target) -> ProtocolChoice:
    """`--starttls PROTO|none` (or the form's choice) with the target's scheme and port → what the walk speaks."""
    value = option.strip().lower() if option is not None and option.strip() else None
    if value is not None and value not in (*STARTTLS_PROTOCOLS, NO_STARTTLS):
        choices = ", ".join((*STARTTLS_PROTOCOLS, NO_STARTTLS))
        raise RequestError("starttls", _("--starttls {value!r}: use one of {choices}").format(value=option, choices=choices))
    return choose_protocol(target.port, target.scheme, value)


def key_file_warning(client: ClientMaterial | None) -> str | None:
    """A translated warning when the private key file is readable by other users (else None)."""
    if client is None or client.key_file_mode is None or not client.key_file_mode & 0o077:
        return None
    return _("warning: the private key file {path} is readable by other users (mode {mode}); chmod 600 it").format(
        path=client.key_path, mode=format(client.key_file_mode, "04o")
    )
