"""The start form's fields, their syntax check, and the walk request they make.

Two stages, so typing stays cheap and files are read once:
- `check_fields` runs on every keystroke: syntax only (target, port,
  nameserver, expected identity) and whether the named files exist. It never
  reads a file; it gives each field's error and the `WalkOptions` the fields
  make, without client material.
- `with_client_files` runs once, on Start, in a worker thread: it loads the
  client certificate and key (blocking I/O and parsing) into those options.
This is the app's half of building a request from user input (the CLI's is
`cli.walk_options`). No textual here: the form screen calls it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import N_, _
from tlsdoctor.target import Target, parse_target

if TYPE_CHECKING:
    from tlsdoctor.analysis.mtls import ExpectedIdentity
    from tlsdoctor.facts.dns import Nameserver
    from tlsdoctor.request import WalkOptions

FORM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("target", N_("Target (host, host:port or https:// URL)"), "www.example.com:443"),
    ("port", N_("Port (optional, overrides the target's)"), "443"),
    ("ca", N_("Extra CA file (PEM, optional)"), "/path/to/ca.pem"),
    ("client-cert", N_("Client certificate (optional, for mTLS)"), "/path/to/client.pem"),
    ("client-key", N_("Client key (optional)"), "/path/to/client.key"),
    ("identity", N_("Expected client identity (optional)"), "client.example.com"),
    ("nameserver", N_("Nameserver (optional, ADDR[:PORT])"), "1.1.1.1"),
)
FIELD_KEYS: tuple[str, ...] = tuple(key for key, _label, _placeholder in FORM_FIELDS)


@dataclass(frozen=True)
class ClientFiles:
    """The client certificate and key files the form names (expanded paths), loaded on Start."""

    cert_path: str
    key_path: str | None


@dataclass(frozen=True)
class FieldCheck:
    """What the fields say: each field's error (one translated line) and, when all are fine, the request."""

    errors: Mapping[str, str] = field(default_factory=dict)
    options: WalkOptions | None = None  # without client material: `with_client_files` adds it
    client_files: ClientFiles | None = None


def _expanded(path: str) -> str:
    return str(Path(path).expanduser())


def _parse_identity(text: str) -> ExpectedIdentity:
    from tlsdoctor.analysis.mtls import parse_expected_identity  # lazy: start-up cost

    return parse_expected_identity(text)


def _parse_nameserver(text: str) -> Nameserver:
    from tlsdoctor.request import parse_nameserver  # lazy: start-up cost

    return parse_nameserver(text)


def check_fields(values: Mapping[str, str], lang: str) -> FieldCheck:
    """Every field's error and the WalkOptions when all are valid: syntax and file existence only."""
    from tlsdoctor.request import WalkOptions  # lazy: start-up cost

    errors: dict[str, str] = {}
    v = {key: values.get(key, "").strip() for key in FIELD_KEYS}
    target: Target | None = None
    if not v["target"]:
        errors["target"] = _("Type a host name, host:port or an https:// URL.")
    else:
        try:
            target = parse_target(v["target"])
        except BadInput as exc:
            errors["target"] = str(exc)
    if v["port"]:
        if not v["port"].isdecimal() or not 0 < int(v["port"]) < 65536:
            errors["port"] = _("The port must be a number from 1 to 65535.")
        elif target is not None:
            target = dataclasses.replace(target, port=int(v["port"]))
    for key in ("ca", "client-cert", "client-key"):
        if v[key] and not Path(v[key]).expanduser().is_file():
            errors[key] = _("No such file: {path}").format(path=v[key])
    if v["client-key"] and not v["client-cert"]:
        errors["client-key"] = _("A key needs a client certificate.")
    expected = None
    if v["identity"]:
        try:
            expected = _parse_identity(v["identity"])
        except BadInput as exc:
            errors["identity"] = str(exc)
    nameservers: tuple[Nameserver, ...] = ()
    if v["nameserver"]:
        try:
            nameservers = (_parse_nameserver(v["nameserver"]),)
        except BadInput as exc:
            errors["nameserver"] = str(exc)
    if errors or target is None:
        return FieldCheck(errors=errors)
    options = WalkOptions(
        target=target,
        nameservers=nameservers,
        ca_files=(_expanded(v["ca"]),) if v["ca"] else (),
        expected_identity=expected,
        lang=lang,
    )
    key_path = _expanded(v["client-key"]) if v["client-key"] else None
    client_files = ClientFiles(_expanded(v["client-cert"]), key_path) if v["client-cert"] else None
    return FieldCheck(errors=errors, options=options, client_files=client_files)


def with_client_files(options: WalkOptions, files: ClientFiles | None) -> WalkOptions:
    """The options with the client certificate and key loaded (blocking: run it off the UI loop).

    Raises BadInput when the files cannot be read or do not hold what they should.
    """
    if files is None:
        return options
    from tlsdoctor.probe.clientfiles import load_client_material  # lazy: start-up cost

    client = load_client_material(files.cert_path, files.key_path, None)
    return dataclasses.replace(options, client=client)
