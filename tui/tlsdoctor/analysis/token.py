"""Read the claims of a JWT access token that matter for mTLS: `decode_token(jwt) -> TokenView`.

Pure: no I/O, no clock. The token is NEVER verified (we are not the resource
server, and have no key), NEVER stored whole and NEVER printed: a `TokenView`
keeps only the certificate binding (`cnf["x5t#S256"]`, RFC 8705 §3.1), `sub`,
`iss`, `aud`, `exp`, and a short reference that cannot be turned back into
the token. Error messages never echo the token either.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _


@dataclass(frozen=True)
class TokenView:
    """The few claims tlsdoctor compares with the client certificate, nothing else."""

    reference: str  # "sha256:1f2e3d4c…(812)": tells tokens apart, holds no byte of one
    cnf_x5t_s256: str | None  # the value exactly as in the token (untrusted text)
    cnf_present: bool  # the token has a `cnf` claim at all
    sub: str | None
    iss: str | None
    aud: tuple[str, ...]
    exp: dt.datetime | None

    def to_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "cnf": {"x5t#S256": self.cnf_x5t_s256} if self.cnf_present else None,
            "sub": self.sub,
            "iss": self.iss,
            "aud": list(self.aud),
            "exp": self.exp.isoformat() if self.exp else None,
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


def _expiry(value: object) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


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
    aud = payload.get("aud")
    if isinstance(aud, list):
        audiences = tuple(t for t in (_text(a) for a in aud) if t is not None)
    else:
        audiences = () if aud is None else (str(_text(aud)),)
    return TokenView(
        reference=ref,
        cnf_x5t_s256=_text(thumbprint),
        cnf_present=cnf is not None,
        sub=_text(payload.get("sub")),
        iss=_text(payload.get("iss")),
        aud=audiences,
        exp=_expiry(payload.get("exp")),
    )


__all__ = ["TokenView", "decode_token", "token_reference"]
