"""Read the one claim of a JWT access token that matters for mTLS: `decode_token(jwt) -> TokenView`.

Pure: no I/O, no clock. The token is NEVER verified (we are not the resource
server, and have no key), NEVER stored whole and NEVER printed: a `TokenView`
keeps only the certificate binding (`cnf["x5t#S256"]`, RFC 8705 §3.1), which
is all the diagnosis compares, and a short reference that cannot be turned
back into the token. The other claims (`sub`, `iss`, `aud`, `exp`…) name
people and services and are not kept at all, so no face and no export can
show them. Error messages never echo the token either.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _


@dataclass(frozen=True)
class TokenView:
    """The claim tlsdoctor compares with the client certificate (`cnf`), nothing else."""

    reference: str  # "sha256:1f2e3d4c…(812)": tells tokens apart, holds no byte of one
    cnf_x5t_s256: str | None  # the value exactly as in the token (untrusted text)
    cnf_present: bool  # the token has a `cnf` claim at all

    def to_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "cnf": {"x5t#S256": self.cnf_x5t_s256} if self.cnf_present else None,
        }


def token_reference(token: str) -> str:
    """A digest prefix and the length: the same token gets the same reference, and no byte of
    the token (a bearer secret) appears in any message or report."""
    digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"sha256:{digest}…({len(token)})"


def _b64url_decode(part: str) -> bytes:
    padded = part + "=" * (-len(part) % 4)
    return base64.b64decode(padded, altchars=b"-_", validate=True)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def decode_token(jwt: str) -> TokenView:
    """Decode the payload of a compact JWS (`header.payload.signature`); never verify it.

    A leading `Bearer ` is accepted (people paste the whole header value).
    Anything that is not a readable JWT raises BadInput with one line that
    names the problem and the token's short reference, never the token.
    """
    token = jwt.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    ref = token_reference(token)
    if not token:
        raise BadInput(_("the token is empty"))
    parts = token.split(".")
    if len(parts) == 5:
        raise BadInput(_("token {ref} is encrypted (JWE): its claims cannot be read").format(ref=ref))
    if len(parts) != 3 or not parts[1]:
        raise BadInput(_("token {ref} is not a JWT: expected header.payload.signature").format(ref=ref))
    try:
        payload = json.loads(_b64url_decode(parts[1]).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested too deep
        raise BadInput(_("token {ref} has a payload that is not base64url-encoded JSON").format(ref=ref)) from None
    if not isinstance(payload, dict):
        raise BadInput(_("token {ref} has a payload that is not a JSON object").format(ref=ref))

    cnf = payload.get("cnf")
    thumbprint = cnf.get("x5t#S256") if isinstance(cnf, dict) else None
    return TokenView(reference=ref, cnf_x5t_s256=_text(thumbprint), cnf_present=cnf is not None)


__all__ = ["TokenView", "decode_token", "token_reference"]
