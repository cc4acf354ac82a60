"""Facts of a DNS lookup: the nameserver asked and what it answered."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Nameserver:
    address: str
    port: int = 53

    def __str__(self) -> str:
        return f"[{self.address}]:{self.port}" if ":" in self.address else f"{self.address}:{self.port}"


@dataclass(frozen=True)
class DnsLookup:
    """One question (name, type) to one resolver configuration and what came back."""

    qname: str
    rtype: str  # "A", "AAAA", "CAA", "CNAME"
    status: str  # "ok" | "nxdomain" | "nodata" | "servfail" | "timeout" | "error"
    values: tuple[str, ...] = ()  # rdata as text, exactly as received
    ttl: int | None = None
    cname_chain: tuple[str, ...] = ()  # owner names followed, first = qname; () without CNAMEs
    nameserver: str = "system"
    error_detail: str | None = None
    elapsed_ms: float = 0.0

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["values"] = list(self.values)
        data["cname_chain"] = list(self.cname_chain)
        return data


@dataclass(frozen=True)
class DnsResult:
    name: str  # the A-label asked for
    nameservers: tuple[str, ...]  # as text; ("system",) when the system configuration was used
    lookups: tuple[DnsLookup, ...]
    cname_chain: tuple[str, ...]  # from the A lookup (or AAAA when A had none)
    addresses: tuple[str, ...]  # A then AAAA, de-duplicated, in answer order
    caa: tuple[str, ...]  # CAA records that apply (climbing to the parent as RFC 8659 says)
    status: str  # overall: "ok" | "nxdomain" | "no-address" | "timeout" | "error"
    error_detail: str | None = None
    caa_owner: str | None = None  # the name whose CAA set applies (the name itself or a parent)

    def lookup(self, rtype: str) -> DnsLookup | None:
        """The lookup of `rtype` for the name itself (CAA: the first level asked)."""
        return next((item for item in self.lookups if item.rtype == rtype), None)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "nameservers": list(self.nameservers),
            "status": self.status,
            "error_detail": self.error_detail,
            "addresses": list(self.addresses),
            "cname_chain": list(self.cname_chain),
            "caa": list(self.caa),
            "caa_owner": self.caa_owner,
            "lookups": [item.to_json() for item in self.lookups],
        }
