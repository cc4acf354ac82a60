"""Read the user's client certificate, chain and private key from files (PEM, DER, PKCS#12).

I/O only (file reads and an optional password prompt). Bad files raise
`BadInput` with one line naming the file; no message ever holds key bytes or
a password, and exception texts from the parsers are not echoed for keys. The
key stays in memory: `to_credentials()` gives the TLS probe an unencrypted PEM
copy that is never written anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from tlsdoctor.errors import BadInput
from tlsdoctor.facts.client import ClientMaterial
from tlsdoctor.i18n import _

AskPassword = Callable[[str], str]

_PEM_KEY_BLOCK = re.compile(
    rb"-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----.+?-----END \1-----",
    re.DOTALL,
)


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BadInput(_("cannot read {what} {path}: {reason}").format(what=what, path=path, reason=reason)) from None


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return None


def _password_bytes(password: str | None) -> bytes | None:
    return None if password is None else password.encode("utf-8")


def _load_key_bytes(data: bytes, password: bytes | None) -> object:
    """PEM, then DER (PKCS#8 / traditional). Raises TypeError (needs a password) or ValueError."""
    if b"-----BEGIN" in data:
        return serialization.load_pem_private_key(data, password=password)
    return serialization.load_der_private_key(data, password=password)


def load_private_key(
    path: str, data: bytes, password: str | None, ask_password: AskPassword | None, *, what: str | None = None
) -> object:
    """A private key from `data` (read from `path`), asking for the password when needed.

    Wrong password, missing password and unreadable keys are BadInput naming
    the file; cryptography's messages are not passed on.
    """
    label = what or _("private key")
    try:
        return _load_key_bytes(data, _password_bytes(password))
    except TypeError:
        pass  # encrypted and no password given (or a password for an unencrypted key)
    except ValueError:
        if password is not None:
            raise BadInput(_("wrong password for {what} {path}").format(what=label, path=path)) from None
        raise BadInput(_("{path} is not a PEM or DER private key").format(path=path)) from None
    except Exception:  # noqa: BLE001 - unsupported algorithms and other parser faults
        raise BadInput(_("{path} holds a private key tlsdoctor cannot use").format(path=path)) from None

    if password is not None:  # a password was given for a key that has none: use it without
        try:
            return _load_key_bytes(data, None)
        except Exception:  # noqa: BLE001 - any parser fault is bad input
            raise BadInput(_("{path} is not a PEM or DER private key").format(path=path)) from None
    if ask_password is None:
        raise BadInput(
            _("{what} {path} is encrypted: give --client-key-password or run interactively").format(
                what=label, path=path
            )
        )
    asked = ask_password(_("Password for {path}: ").format(path=path))
    try:
        return _load_key_bytes(data, _password_bytes(asked))
    except (TypeError, ValueError):
        raise BadInput(_("wrong password for {what} {path}").format(what=label, path=path)) from None
    except Exception:  # noqa: BLE001 - any parser fault is bad input
        raise BadInput(_("{path} holds a private key tlsdoctor cannot use").format(path=path)) from None


_Pkcs12 = tuple[PrivateKeyTypes | None, x509.Certificate | None, list[x509.Certificate]]


def _load_pkcs12(path: str, data: bytes, password: str | None, ask_password: AskPassword | None) -> _Pkcs12:
    attempts: list[bytes | None] = [_password_bytes(password)] if password is not None else [None, b""]
    for attempt in attempts:
        try:
            return pkcs12.load_key_and_certificates(data, attempt)
        except (ValueError, TypeError):
            continue
    if password is None and ask_password is not None:
        asked = ask_password(_("Password for {path}: ").format(path=path))
        try:
            return pkcs12.load_key_and_certificates(data, _password_bytes(asked))
        except (ValueError, TypeError):
            raise BadInput(_("wrong password for PKCS#12 file {path}").format(path=path)) from None
    if password is not None:
        raise BadInput(
            _("cannot read {path}: not a PEM, DER or PKCS#12 certificate, or the password is wrong").format(path=path)
        )
    raise BadInput(
        _(
            "cannot read {path}: not a PEM, DER or PKCS#12 certificate (a protected PKCS#12 file needs its password)"
        ).format(path=path)
    )


def load_client_material(
    cert_path: str,
    key_path: str | None,
    password: str | None,
    *,
    ask_password: AskPassword | None = None,
) -> ClientMaterial:
    """Load `--client-cert` (+ `--client-key`, `--client-key-password`).

    The certificate file is PEM (leaf first, then its chain, optionally with
    the key), DER (one certificate) or PKCS#12 (cert, chain and key). Without
    `key_path` the key comes from the same file. An encrypted key without a
    password calls `ask_password(prompt)` (the CLI passes getpass.getpass).
    """
    data = _read(cert_path, _("client certificate"))
    key: object | None = None
    key_from = cert_path
    if b"-----BEGIN" in data:
        fmt = "pem"
        if b"-----BEGIN CERTIFICATE-----" not in data:
            raise BadInput(_("no certificate in {path} (PEM file without a CERTIFICATE block)").format(path=cert_path))
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise BadInput(_("{path} holds a PEM certificate that cannot be parsed").format(path=cert_path)) from None
        leaf, chain = certs[0], tuple(certs[1:])
        if key_path is None:
            block = _PEM_KEY_BLOCK.search(data)
            if block is None:
                raise BadInput(
                    _("no private key in {path}: give the key file with --client-key").format(path=cert_path)
                )
            key = load_private_key(cert_path, block.group(0), password, ask_password)
    else:
        try:
            leaf, chain, fmt = x509.load_der_x509_certificate(data), (), "der"
        except ValueError:
            p12_key, p12_cert, p12_extra = _load_pkcs12(cert_path, data, password, ask_password)
            if p12_cert is None:
                raise BadInput(_("PKCS#12 file {path} holds no certificate").format(path=cert_path)) from None
            leaf, chain, fmt = p12_cert, tuple(p12_extra or ()), "pkcs12"
            if key_path is None:
                if p12_key is None:
                    raise BadInput(
                        _("PKCS#12 file {path} holds no private key: give it with --client-key").format(path=cert_path)
                    ) from None
                key = p12_key
        if key_path is None and key is None:
            raise BadInput(_("no private key in {path}: give the key file with --client-key").format(path=cert_path))

    if key_path is not None:
        key = load_private_key(key_path, _read(key_path, _("client key")), password, ask_password)
        key_from = key_path
    names = {"pem": "PEM", "der": "DER", "pkcs12": "PKCS#12"}
    return ClientMaterial(
        leaf=leaf,
        chain=chain,
        key=key,
        source=f"{cert_path} ({names[fmt]})",
        cert_path=cert_path,
        source_format=fmt,
        key_path=key_from,
        key_file_mode=_mode(key_from),
    )


__all__ = ["ClientMaterial", "load_client_material", "load_private_key"]
