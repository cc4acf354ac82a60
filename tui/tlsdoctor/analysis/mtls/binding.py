"""Token binding (RFC 8705 §3.1): explain a `cnf["x5t#S256"]` value that does not match the certificate.

Pure: hashes the certificate in the forms people get wrong and decodes the
token's value leniently. It never sees the token itself (analysis.token keeps
only the claim), and builds no findings.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import serialization


class TokenValueForm(TypedDict):
    """How the token's value was written and what it is a hash of."""

    form: str  # "hex-fingerprint" | "padded-base64" | "standard-base64" | "base64url"
    same_certificate: bool
    hash_of: str  # "certificate-der" | "spki" | "certificate-pem-text" | "another-certificate" | "unknown"


def _b64_any(value: str) -> bytes | None:
    text = value.strip()
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (ValueError, TypeError):
        return None


def token_value_form(value: str, cert: x509.Certificate) -> TokenValueForm:
    """Explain a `cnf["x5t#S256"]` value that differs: a wrong encoding of this cert, or another cert?"""
    der = cert.public_bytes(serialization.Encoding.DER)
    digest = hashlib.sha256(der).digest()
    spki = hashlib.sha256(
        cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    ).digest()
    pem_hash = hashlib.sha256(cert.public_bytes(serialization.Encoding.PEM)).digest()
    hexish = value.replace(":", "").strip()
    raw: bytes | None
    if re.fullmatch(r"[0-9A-Fa-f]{64}", hexish):
        raw = bytes.fromhex(hexish)
        form = "hex-fingerprint"
    else:
        raw = _b64_any(value)
        if raw is not None and len(raw) != 32:
            raw = None
        if value.endswith("=") or "+" in value or "/" in value:
            form = "padded-base64" if value.endswith("=") else "standard-base64"
        else:
            form = "base64url"
    if raw == digest:
        return {"form": form, "same_certificate": form != "base64url", "hash_of": "certificate-der"}
    if raw == spki:
        return {"form": form, "same_certificate": True, "hash_of": "spki"}
    if raw == pem_hash:
        return {"form": form, "same_certificate": True, "hash_of": "certificate-pem-text"}
    return {"form": form, "same_certificate": False, "hash_of": "another-certificate" if raw else "unknown"}
