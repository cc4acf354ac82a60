"""`analyse_client`: step 7 from the client material's view, an expected identity, a token and a handshake to a `ClientResult`.

Pure: no I/O, no clock (`at` is passed in). This module only puts the parts
together: checks.py (before connecting), server.py (what the server did),
certfacts.py (what the certificate carries).
"""

from __future__ import annotations

import datetime as dt

from tlsdoctor.analysis.certinfo import describe
from tlsdoctor.analysis.mtls.cas import ca_comparison, ca_list
from tlsdoctor.analysis.mtls.certfacts import (
    carried_identities,
    commands,
    openssl_view,
    x5t_s256,
)
from tlsdoctor.analysis.mtls.checks import static_checks
from tlsdoctor.analysis.mtls.identity import ExpectedIdentity
from tlsdoctor.analysis.mtls.model import ClientResult, Collector
from tlsdoctor.analysis.mtls.server import handshake_summary, interpret
from tlsdoctor.analysis.token import TokenView
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.facts.tls import Handshake


def analyse_client(
    view: ClientCertView | None,
    *,
    expected: ExpectedIdentity | None,
    token: TokenView | None,
    at: dt.datetime,
    handshake: Handshake | None,
) -> ClientResult:
    """Check the client certificate, then read what a real server said about it.

    `view=None` means no client certificate was given: only the handshake is
    interpreted (does the server require one, and from which CAs?).
    """
    out = Collector()
    if view is None:
        if handshake is not None:
            interpret(None, handshake, token, out)
        return ClientResult(
            findings=out.findings(),
            expected=expected,
            token=token,
            handshake=handshake_summary(handshake) if handshake is not None else None,
            ca_match=ca_list(handshake.acceptable_client_cas) if handshake is not None else None,
        )

    summary = describe(view.leaf)
    matched = static_checks(view, summary, expected, token, at, out)
    if handshake is not None:
        interpret(view, handshake, token, out)
    return ClientResult(
        findings=out.findings(),
        certificate=summary,
        chain=tuple(describe(c) for c in view.chain),
        identities=carried_identities(summary),
        expected=expected,
        matched=matched,
        x5t_s256=x5t_s256(view.leaf),
        token=token,
        key_matches=view.key_matches,
        key_file_mode=view.key_file_mode,
        handshake=handshake_summary(handshake) if handshake is not None else None,
        ca_match=ca_comparison(view, handshake.acceptable_client_cas) if handshake is not None else None,
        openssl_view=openssl_view(view.leaf),
        commands=commands(view),
    )
