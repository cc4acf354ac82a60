"""What an attempt offers the server: the OpenSSL context, the SNI to send, the client credentials.

The context never verifies (the analysis judges what the server sent) and
accepts weak keys and SHA-1 so they can be seen. Client key material stays in
memory; error texts never contain it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from cryptography import x509
from OpenSSL import SSL

from tlsdoctor.facts.tls import BOGUS_SNI, ClientCredentials, SniMode


class CredentialError(Exception):
    """The client certificate or key cannot be used (text never contains key material)."""


def new_context(info: Callable[[SSL.Connection, int, int], None], client: ClientCredentials | None) -> SSL.Context:
    """A TLS 1.2+ client context that accepts any certificate; `info` sees OpenSSL's state machine."""
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_verify(SSL.VERIFY_NONE)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    # See what the server sends even with weak keys or SHA-1 signatures:
    # judging them is the analysis' job, refusing them here would hide them.
    ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    ctx.set_info_callback(info)
    if client is not None:
        load_client(ctx, client)
    return ctx


def load_client(ctx: SSL.Context, client: ClientCredentials) -> None:
    if not client.chain_der:
        raise CredentialError("client certificate chain is empty")
    try:
        certs = [x509.load_der_x509_certificate(der) for der in client.chain_der]
    except ValueError:
        raise CredentialError("client certificate could not be parsed") from None
    try:
        from cryptography.hazmat.primitives import serialization  # lazy: start-up cost (client keys only)

        key = serialization.load_pem_private_key(client.key_pem, password=None)
    except (ValueError, TypeError):
        raise CredentialError("client key could not be loaded") from None
    try:
        ctx.use_certificate(certs[0])
        ctx.use_privatekey(key)  # type: ignore[arg-type]
        ctx.check_privatekey()
    except (SSL.Error, TypeError, ValueError):
        raise CredentialError("client key does not match the client certificate") from None
    for cert in certs[1:]:
        ctx.add_extra_chain_cert(cert)


def sni_to_send(server_name: str | None, mode: SniMode) -> str | None:
    if mode == SniMode.BOGUS:
        return BOGUS_SNI
    if mode == SniMode.NO_SNI or not server_name:
        return None
    try:
        ipaddress.ip_address(server_name.strip("[]"))
    except ValueError:
        return server_name
    return None  # RFC 6066: no IP literals in SNI


def ascii_name(name: str) -> bytes:
    try:
        return name.encode("ascii")
    except UnicodeEncodeError:
        return name.encode("idna")
