"""The CA names a server accepts (its CertificateRequest) against the issuers in the client's own file.

Pure name comparison; no findings here (server.py and checks.py decide what
a mismatch means).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from cryptography import x509

from tlsdoctor.facts.client import ClientCertView


class CaList(TypedDict):
    """What the server said it accepts."""

    server_sent_ca_list: bool
    server_accepts: list[str]


class CaComparison(CaList):
    """…and whether the issuers of our certificate are among them."""

    our_issuers: list[str]
    our_issuers_accepted: list[str]
    leaf_issuer_accepted: bool


def _parse_name(text: str) -> x509.Name | None:
    try:
        return x509.Name.from_rfc4514_string(text)
    except Exception:  # noqa: BLE001 - server-sent names are untrusted text; an unreadable one just does not match
        return None


def _name_in(name: x509.Name, accepted: Sequence[str]) -> bool:
    text = name.rfc4514_string()
    for item in accepted:
        parsed = _parse_name(item)
        if parsed is not None and parsed == name:
            return True
        if item.casefold() == text.casefold():
            return True
    return False


def ca_list(acceptable: Sequence[str]) -> CaList:
    """The server's list alone (no client certificate to compare)."""
    return {"server_sent_ca_list": bool(acceptable), "server_accepts": list(acceptable)}


def ca_comparison(view: ClientCertView, acceptable: Sequence[str]) -> CaComparison:
    """Which CA names the server accepts, and whether our issuers are among them."""
    ours: list[x509.Name] = [view.leaf.issuer]
    for cert in view.chain:
        ours += [cert.subject, cert.issuer]
    unique = list(dict.fromkeys(ours))
    accepted = [n.rfc4514_string() for n in unique if _name_in(n, acceptable)]
    return {
        "server_sent_ca_list": bool(acceptable),
        "server_accepts": list(acceptable),
        "our_issuers": [n.rfc4514_string() for n in unique],
        "our_issuers_accepted": accepted,
        "leaf_issuer_accepted": _name_in(view.leaf.issuer, acceptable),
    }


def issuer_in_file(view: ClientCertView) -> bool:
    """Is the leaf's issuer in the same file (or is the leaf self-issued)?"""
    leaf = view.leaf
    if leaf.issuer == leaf.subject:
        return True
    return any(c.subject == leaf.issuer for c in view.chain)
