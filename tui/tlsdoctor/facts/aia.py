"""Facts of an AIA caIssuers fetch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AiaFetch:
    """One caIssuers fetch: what came back (DER certificates) or why nothing did."""

    url: str
    ok: bool
    certs_der: tuple[bytes, ...] = ()
    error_detail: str | None = None
    elapsed_ms: float = 0.0
    content_type: str | None = None
    status: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "ok": self.ok,
            "certificates": len(self.certs_der),
            "error": self.error_detail,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "content_type": self.content_type,
            "status": self.status,
        }
