"""One handshake made the way a real mTLS client makes it: with the user's certificate.

I/O only, and a thin layer: the TLS work is `probe.tls.fetch` (which reads
after the handshake, because TLS 1.3 servers reject a client certificate on
the client's first read, and sends a minimal HTTP request so nginx-style
HTTP-level rejections are seen). Faults come back as data in the `Handshake`.
The `_sync` forms block the calling thread (the walk's, issue 13).
"""

from __future__ import annotations

import functools

from tlsdoctor.facts.client import ClientMaterial
from tlsdoctor.facts.tls import ClientCredentials, Handshake, SniMode
from tlsdoctor.probe.tls import fetch_sync, in_thread

PREAMBLE_READ_WINDOW = 1.0  # seconds read after a handshake that is not HTTP (see handshake_with_client_sync)


def handshake_with_client_sync(
    address: str,
    port: int,
    server_name: str | None,
    timeout: float,
    credentials: ClientCredentials | None,
    *,
    http: bool = True,
    preamble: str | None = None,
) -> Handshake:
    """Connect to `address:port` with SNI `server_name` (None: no SNI) presenting `credentials`.

    `credentials=None` shows what the server does to a client without a
    certificate (requires one? which CAs does it accept?). With `http`, a
    `GET /` with `Host: server_name` (or the address) follows the handshake.
    Without `http` (mail, directory, database servers; a STARTTLS `preamble`
    first) nothing is sent after the handshake and the read window is one
    second: a TLS 1.3 rejection arrives within one round trip, and a server that
    accepted us waits for our next command or greets once.
    """
    mode = SniMode.SNI if server_name else SniMode.NO_SNI
    http_host = (server_name or address) if http else None
    return fetch_sync(
        address, port, server_name, mode, timeout, client=credentials, read_after_handshake=True, http_host=http_host,
        read_window=None if http else min(timeout, PREAMBLE_READ_WINDOW), preamble=preamble,
    )  # fmt: skip


async def handshake_with_client(
    address: str,
    port: int,
    server_name: str | None,
    timeout: float,
    credentials: ClientCredentials | None,
    *,
    http: bool = True,
    preamble: str | None = None,
) -> Handshake:
    """`handshake_with_client_sync` for async callers (the handshake runs in its own thread)."""
    call = functools.partial(handshake_with_client_sync, address, port, server_name, timeout, credentials, http=http, preamble=preamble)
    return await in_thread(call)


def _credentials(material: ClientMaterial | None) -> tuple[bool, ClientCredentials | None]:
    """(whether to connect at all, the credentials to present)."""
    if material is not None and not material.key_matches:
        return False, None
    return True, material.to_credentials() if material is not None else None


def handshake_for_material_sync(
    address: str,
    port: int,
    server_name: str | None,
    timeout: float,
    material: ClientMaterial | None,
    *,
    http: bool = True,
    preamble: str | None = None,
) -> Handshake | None:
    """Like `handshake_with_client`, but never connects with a key that does not match the
    certificate (returns None: `mtls-key-mismatch` is already known, and the TLS library
    would refuse the pair anyway)."""
    connect, credentials = _credentials(material)
    if not connect:
        return None
    return handshake_with_client_sync(address, port, server_name, timeout, credentials, http=http, preamble=preamble)


async def handshake_for_material(
    address: str,
    port: int,
    server_name: str | None,
    timeout: float,
    material: ClientMaterial | None,
    *,
    http: bool = True,
    preamble: str | None = None,
) -> Handshake | None:
    """`handshake_for_material_sync` for async callers."""
    call = functools.partial(handshake_for_material_sync, address, port, server_name, timeout, material, http=http, preamble=preamble)
    return await in_thread(call)


__all__ = ["handshake_for_material", "handshake_for_material_sync", "handshake_with_client", "handshake_with_client_sync"]
