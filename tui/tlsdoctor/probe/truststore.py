"""Load the trust stores real clients use: system (OpenSSL's defaults), certifi, and `--ca` files.

I/O only (reads files). The system store is what curl, OpenSSL and git see on
this machine (`ssl.get_default_verify_paths()`: cafile and capath); certifi is
what requests and httpx see; `--ca` files are user input, so a bad one is
`BadInput`. The system and certifi loads are cached for the process: they take
tens of milliseconds and do not change during a run.
"""

from __future__ import annotations

import functools
import os
import ssl
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import certifi
from cryptography import x509

from tlsdoctor.errors import BadInput
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.i18n import _
from tlsdoctor.probe.files import read_user_file

_MAX_CAPATH_FILES = 5000  # a sane bound on /etc/ssl/certs


def _certs_from_bytes(data: bytes) -> list[x509.Certificate]:
    """PEM bundle or a single DER certificate; raises ValueError when neither."""
    with warnings.catch_warnings():  # old roots with odd serials are still roots
        warnings.simplefilter("ignore")
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]


def _read_quietly(path: Path) -> list[x509.Certificate]:
    try:
        return _certs_from_bytes(path.read_bytes())
    except (OSError, ValueError):
        return []


def _unique(certs: Sequence[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """Each certificate once, first occurrence kept (equal DER: what equal SHA-256 fingerprints meant)."""
    return tuple(dict.fromkeys(certs))


@functools.cache
def system_store() -> tuple[tuple[x509.Certificate, ...], tuple[str, ...], float]:
    """(certificates, sources, load milliseconds) from OpenSSL's default verify paths."""
    start = time.perf_counter()
    paths = ssl.get_default_verify_paths()
    certs: list[x509.Certificate] = []
    sources: list[str] = []
    cafiles = {os.path.realpath(str(f)) for f in (paths.cafile, paths.openssl_cafile) if f}
    for cafile in sorted(cafiles):
        path = Path(cafile)
        if path.is_file():
            loaded = _read_quietly(path)
            if loaded:
                certs += loaded
                sources.append(str(path))
    # The hashed directory repeats the bundle on Debian/Ubuntu/Fedora; reading its ~300 files
    # costs more than the rest of a check, so it is read only when no bundle file exists.
    capaths = () if certs else {os.path.realpath(str(p)) for p in (paths.capath, paths.openssl_capath) if p}
    for capath in sorted(capaths):
        directory = Path(str(capath))
        if not directory.is_dir():
            continue
        count = 0
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            if count >= _MAX_CAPATH_FILES:
                break
            if entry.name.endswith((".pem", ".crt", ".0", ".1", ".der", ".cer")) and entry.is_file():
                certs += _read_quietly(Path(entry.path))
                count += 1
        if count:
            sources.append(str(directory))
    return _unique(certs), tuple(sources), (time.perf_counter() - start) * 1000


@functools.cache
def certifi_store() -> tuple[tuple[x509.Certificate, ...], tuple[str, ...], float]:
    start = time.perf_counter()
    try:
        where = certifi.where()
    except Exception:  # noqa: BLE001 - no certifi bundle: that store is empty
        return (), (), 0.0
    certs = _read_quietly(Path(where))
    return _unique(certs), (where,), (time.perf_counter() - start) * 1000


def load_ca_file(path: str) -> tuple[x509.Certificate, ...]:
    """One `--ca` file (PEM bundle or DER). Bad or unreadable → BadInput."""
    data = read_user_file(path, "--ca file")
    try:
        certs = _certs_from_bytes(data)
    except ValueError:
        raise BadInput(_("CA file {path!r} holds no PEM or DER certificate").format(path=path)) from None
    if not certs:
        raise BadInput(_("CA file {path!r} holds no certificates").format(path=path))
    return tuple(certs)


def load_trust_anchors(ca_files: Sequence[str] = (), *, system: bool = True, certifi: bool = True) -> TrustAnchors:
    """The stores to judge a chain against: "system", "certifi" and, with `--ca`, "custom"."""
    stores: dict[str, tuple[x509.Certificate, ...]] = {}
    sources: dict[str, tuple[str, ...]] = {}
    load_ms: dict[str, float] = {}
    if system:
        stores["system"], sources["system"], load_ms["system"] = system_store()
    if certifi:
        stores["certifi"], sources["certifi"], load_ms["certifi"] = certifi_store()
    if ca_files:
        start = time.perf_counter()
        custom: list[x509.Certificate] = []
        for path in ca_files:
            custom += load_ca_file(path)
        stores["custom"] = _unique(custom)
        sources["custom"] = tuple(ca_files)
        load_ms["custom"] = (time.perf_counter() - start) * 1000
    return TrustAnchors(stores=stores, sources=sources, load_ms=load_ms)
