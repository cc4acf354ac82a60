"""Where each column of the client matrix comes from: checked against which real client, or a model only.

tests/conformance/clients serves ~110 odd certificates on loopback and runs
the real clients present against them; every column it can run must agree
with the prediction, case by case. `CHECKED_WITH` records the versions that
suite saw (Debian 12); `VERSION_NOTES` says where a client's verdict depends
on its version or build; `MODEL_ONLY` are the columns no real client checks
(the browsers cannot run there): their documented rules only. Data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

MODEL_ONLY: frozenset[str] = frozenset({"chrome", "firefox"})

CHECKED_WITH: Mapping[str, str] = MappingProxyType(
    {
        "openssl": "OpenSSL 3.0.19 (s_client -verify_hostname / -verify_ip)",
        "curl": "curl 7.88.1, OpenSSL 3.0.19",
        "python-ssl": "Python 3.11.7 and 3.13.0, OpenSSL 3.0.19",
        "requests": "requests 2.34.2, urllib3 2.8.0, Python 3.11.7",
        "node": "Node.js 20.20.2, bundled OpenSSL 3.0.19",
        "java": "OpenJDK 17.0.15 (HttpsURLConnection)",
        "go": "Go 1.19.8 (net/http)",
        "wget": "GNU Wget 1.21.3, GnuTLS 3.7.9",
    }
)

VERSION_NOTES: Mapping[str, str] = MappingProxyType(
    {
        "python-ssl": "3.13+ sets VERIFY_X509_STRICT and VERIFY_X509_PARTIAL_CHAIN: a missing authorityKeyIdentifier "
        "and an empty subject beside a non-critical SAN are refused, an intermediate as the trust anchor is accepted",
        "requests": "follows the Python it runs on (urllib3 2.3+ applies the 3.13 flags there too; checked on 3.11 only)",
        "node": "official builds bundle OpenSSL at security level 1 (RSA-1024 accepted); builds linked to a "
        "distribution's OpenSSL at level 2 refuse it like curl",
        "java": "17: names with an underscore refused, the anchor's validity and name constraints ignored, "
        "handshake messages over 32 KB refused",
        "go": "1.15+ never reads the Common Name; 1.18+ refuses SHA-1 signatures",
    }
)


def checked_with(client: str) -> str | None:
    """The real client this column was checked against (None: model only)."""
    return None if client in MODEL_ONLY else CHECKED_WITH.get(client)
