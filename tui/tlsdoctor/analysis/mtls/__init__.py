"""Step 7, the client (mutual TLS): would the server accept this client certificate, and why not?

Input is a `ClientCertView` (facts.client: the loaded certificate, its chain
from the same file, and whether the key matches, computed by the loader, so
no key ever reaches this package), an optional expected identity, an optional
decoded token, and an optional real handshake made with the certificate.
Output is a frozen `ClientResult` whose findings use the `mtls-*` codes.

- identity.py: the expected identity (exact, glob, regex) and matching;
- certfacts.py: what a certificate carries (identity forms, x5t#S256, openssl's view, commands);
- namediff.py: label-by-label differences and environment swaps;
- binding.py: token binding (`cnf["x5t#S256"]`) values explained;
- cas.py: the server's acceptable CA list against our issuers;
- checks.py: checks before connecting; server.py: alerts and HTTP rejections → findings;
- model.py: `ClientResult`; analyse.py: `analyse_client`.

Pure: no I/O, no clock, no textual, no probe. Nothing here holds or prints
key material or a whole token.
"""

from tlsdoctor.analysis.mtls.analyse import analyse_client
from tlsdoctor.analysis.mtls.binding import token_value_form
from tlsdoctor.analysis.mtls.cas import ca_comparison
from tlsdoctor.analysis.mtls.certfacts import (
    carried_identities,
    identity_forms,
    openssl_view,
    x5t_s256,
)
from tlsdoctor.analysis.mtls.checks import ANY_EKU_OID, CLIENT_AUTH_OID
from tlsdoctor.analysis.mtls.identity import ExpectedIdentity, parse_expected_identity
from tlsdoctor.analysis.mtls.model import ClientResult, HandshakeSummary
from tlsdoctor.analysis.mtls.namediff import (
    ENVIRONMENT_WORDS,
    environment_swap,
    label_diff,
)
from tlsdoctor.analysis.mtls.server import handshake_summary

__all__ = [
    "ANY_EKU_OID",
    "CLIENT_AUTH_OID",
    "ENVIRONMENT_WORDS",
    "ClientResult",
    "ExpectedIdentity",
    "HandshakeSummary",
    "analyse_client",
    "ca_comparison",
    "carried_identities",
    "environment_swap",
    "handshake_summary",
    "identity_forms",
    "label_diff",
    "openssl_view",
    "parse_expected_identity",
    "token_value_form",
    "x5t_s256",
]
