"""Trust anchors: the named sets of certificates each kind of client trusts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from cryptography import x509

STORE_ORDER = ("custom", "system", "certifi")


STORE_CLIENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "system": ("curl", "openssl", "git", "wget"),
        "certifi": ("requests", "httpx", "pip"),
        "custom": ("curl --cacert", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"),
    }
)


@dataclass(frozen=True)
class TrustAnchors:
    """Named sets of trusted certificates: "system", "certifi", "custom" (the `--ca` files).

    The "custom" verdict uses custom plus system, as `--ca` adds to the system store.
    """

    stores: Mapping[str, tuple[x509.Certificate, ...]] = field(default_factory=dict)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # files each store came from
    load_ms: Mapping[str, float] = field(default_factory=dict)

    def effective(self, name: str) -> tuple[x509.Certificate, ...]:
        """The certificates a client using store `name` trusts."""
        if name == "custom":
            return tuple(self.stores.get("custom", ())) + tuple(self.stores.get("system", ()))
        return tuple(self.stores.get(name, ()))

    def verdict_stores(self) -> tuple[str, ...]:
        return tuple(n for n in STORE_ORDER if n in self.stores)

    def primary(self) -> str | None:
        """The store the findings are judged against: --ca (with system) first, then system."""
        stores = self.verdict_stores()
        return stores[0] if stores else None

    def to_json(self) -> dict[str, Any]:
        return {
            name: {
                "count": len(self.stores[name]),
                "sources": list(self.sources.get(name, ())),
                "load_ms": self.load_ms.get(name),
            }
            for name in self.verdict_stores()
        }
