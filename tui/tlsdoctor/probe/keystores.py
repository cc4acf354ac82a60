"""Keystores: PKCS#12 (.p12/.pfx) through cryptography, Java's JKS and JCEKS through pyjks.

I/O only (the file is read by the caller). A keystore is turned into entries
(alias, certificate chain, key for a private-key entry); a wrong password is
`BadInput` with one line that says so, and several entries without `--alias`
is `BadInput` listing them. Keys stay in memory: no message holds key bytes or
a password. cryptography reads only the first private key of a PKCS#12 file:
another entry is named, with the `keytool` command that extracts it.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _

AskPassword = Callable[[str], str]
JKS_MAGIC = b"\xfe\xed\xfe\xed"
JCEKS_MAGIC = b"\xce\xce\xce\xce"
NAMES = {"pkcs12": "PKCS#12", "jks": "JKS", "jceks": "JCEKS"}


@dataclass(frozen=True)
class Entry:
    """One keystore entry: a private key with its chain, or a trusted certificate."""

    alias: str
    chain: tuple[x509.Certificate, ...]  # leaf first
    key: object | None = field(default=None, repr=False)  # a cryptography private key (private-key entries)

    @property
    def kind(self) -> str:
        return "private-key" if self.key is not None else "certificate"


@dataclass(frozen=True)
class Keystore:
    path: str
    store_type: str  # "pkcs12" | "jks" | "jceks"
    entries: tuple[Entry, ...]
    unreadable: tuple[str, ...] = ()  # PKCS#12 aliases whose keys cryptography cannot reach

    @property
    def label(self) -> str:
        return NAMES[self.store_type]


def java_type(data: bytes) -> str | None:
    """"jks" or "jceks" from the file's magic number, else None."""
    return {JKS_MAGIC: "jks", JCEKS_MAGIC: "jceks"}.get(data[:4])


def _password(path: str, what: str, password: str | None, ask: AskPassword | None, option: str) -> str:
    if password is not None:
        return password
    if ask is None:
        raise BadInput(_("{what} {path} needs its password: give {option} or run interactively").format(what=what, path=path, option=option))
    return ask(_("Password for {path}: ").format(path=path))


def _java(path: str, data: bytes, kind: str, password: str | None, ask: AskPassword | None, option: str) -> Keystore:
    import jks  # lazy: pyjks loads pyasn1 and pycryptodomex, needed for Java keystores only

    label = NAMES[kind]
    secret = _password(path, _("{kind} keystore").format(kind=label), password, ask, option)
    try:
        store = jks.KeyStore.loads(data, secret, try_decrypt_keys=False)
    except jks.util.KeystoreSignatureException:
        raise BadInput(_("wrong password for {kind} keystore {path}").format(kind=label, path=path)) from None
    except Exception:  # noqa: BLE001 - any parser fault: the file is not a keystore we can read
        raise BadInput(_("{path} is not a readable {kind} keystore").format(path=path, kind=label)) from None
    entries = []
    for alias, entry in sorted(store.private_keys.items()):
        try:
            entry.decrypt(secret)
            key = serialization.load_der_private_key(entry.pkey_pkcs8, password=None)
            chain = tuple(x509.load_der_x509_certificate(der) for _type, der in entry.cert_chain)
        except jks.util.DecryptionFailureException:
            raise BadInput(_("wrong password for the key {alias!r} in {path}").format(alias=alias, path=path)) from None
        except Exception:  # noqa: BLE001 - an entry we cannot use is bad input, named by its alias
            raise BadInput(_("the entry {alias!r} in {path} holds a key or certificate tlsdoctor cannot read").format(alias=alias, path=path)) from None
        entries.append(Entry(alias, chain, key))
    for alias, trusted in sorted(store.certs.items()):
        try:
            entries.append(Entry(alias, (x509.load_der_x509_certificate(trusted.cert),)))
        except ValueError:
            continue
    return Keystore(path, kind, tuple(entries))


def _pkcs12(path: str, data: bytes, password: str | None, ask: AskPassword | None, option: str) -> Keystore:
    attempts: list[bytes | None] = [password.encode("utf-8")] if password is not None else [None, b""]
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None and password is None and ask is not None:
        asked = ask(_("Password for {path}: ").format(path=path))
        try:
            loaded = pkcs12.load_pkcs12(data, asked.encode("utf-8"))
        except (ValueError, TypeError):
            raise BadInput(_("wrong password for PKCS#12 file {path}").format(path=path)) from None
    if loaded is None:
        if password is not None:
            raise BadInput(_("wrong password for PKCS#12 file {path} (or it is not a PKCS#12 file)").format(path=path))
        raise BadInput(
            _("cannot read {path}: not a PEM, DER, PKCS#12 or Java keystore file (a protected one needs its password: {option})").format(path=path, option=option)
        )
    extra = list(loaded.additional_certs)
    entries: list[Entry] = []
    unreadable: list[str] = []
    if loaded.cert is not None:  # the key's certificate; its chain: the certificates without a name of their own
        leaf = loaded.cert.certificate
        chain = tuple(c.certificate for c in extra if not c.friendly_name)
        alias = (loaded.cert.friendly_name or b"").decode("utf-8", errors="replace") or "1"
        entries.append(Entry(alias, (leaf, *chain), loaded.key))
    for c in extra:  # other named entries: trusted certificates, or keys cryptography does not return
        name = (c.friendly_name or b"").decode("utf-8", errors="replace")
        if name and all(e.alias != name for e in entries):
            is_ca = _is_ca(c.certificate)
            entries.append(Entry(name, (c.certificate,)))
            if not is_ca:
                unreadable.append(name)
    return Keystore(path, "pkcs12", tuple(entries), tuple(unreadable))


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def load_keystore(path: str, data: bytes, password: str | None, ask: AskPassword | None = None, *, option: str = "--client-key-password") -> Keystore:
    """A PKCS#12, JKS or JCEKS keystore from `data` (read from `path`); BadInput on a wrong password or a bad file."""
    kind = java_type(data)
    if kind is not None:
        return _java(path, data, kind, password, ask, option)
    return _pkcs12(path, data, password, ask, option)


def extract_command(store: Keystore, alias: str) -> str:
    """`keytool` that copies one entry into a PKCS#12 file of its own (real path and alias, shell-quoted)."""
    out = f"{alias}.p12" if alias.replace("-", "").replace("_", "").isalnum() else "entry.p12"
    return " ".join(
        shlex.quote(part)
        for part in ("keytool", "-importkeystore", "-srckeystore", store.path, "-srcstoretype", store.store_type.upper(),
                     "-srcalias", alias, "-destkeystore", out, "-deststoretype", "PKCS12")
    )  # fmt: skip


def choose_entry(store: Keystore, alias: str | None, *, need_key: bool) -> Entry:
    """The entry to use: `alias`, else the only usable one; BadInput listing the aliases otherwise."""
    usable = [e for e in store.entries if e.key is not None or not need_key]
    names = ", ".join(repr(e.alias) for e in store.entries) or _("none")
    if alias is not None:
        found = next((e for e in store.entries if e.alias == alias), None)
        if found is None:
            raise BadInput(_("no entry {alias!r} in {path}; it holds: {names}").format(alias=alias, path=store.path, names=names))
        if need_key and found.key is None:
            if alias in store.unreadable:
                raise BadInput(
                    _("tlsdoctor reads only the first key of a PKCS#12 file; extract {alias!r} first: {command}").format(
                        alias=alias, command=extract_command(store, alias)
                    )
                )
            raise BadInput(_("the entry {alias!r} in {path} holds no private key (a trusted certificate)").format(alias=alias, path=store.path))
        return found
    if not usable:
        what = _("no private key") if need_key else _("no certificate")
        raise BadInput(_("{kind} keystore {path} holds {what}; its entries: {names}").format(kind=store.label, path=store.path, what=what, names=names))
    candidates = usable if need_key else store.entries
    if len(candidates) > 1 or (need_key and store.unreadable):
        raise BadInput(
            _("{kind} keystore {path} holds several entries ({names}): choose one with --alias").format(
                kind=store.label, path=store.path, names=names
            )
        )
    return candidates[0]


def keystore_pem(path: str, data: bytes, password: str | None, alias: str | None, ask: AskPassword | None = None) -> bytes:
    """`inspect --cert` on a keystore: the chosen entry's certificates as PEM (leaf first). Keys are never returned."""
    store = load_keystore(path, data, password, ask, option="--cert-password")
    entry = choose_entry(store, alias, need_key=False)
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in entry.chain)


def is_keystore(data: bytes) -> bool:
    """Not PEM and not one DER certificate: a keystore (PKCS#12 or Java) is the remaining choice."""
    if java_type(data) is not None:
        return True
    if b"-----BEGIN" in data:
        return False
    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        return True
    return False
