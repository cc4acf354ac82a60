"""Turn a DNS probe result into findings and a small view for the renderers.

Pure: reads `DnsResult` (probe/dns.py) only. No I/O, no clock, no textual.
Severity follows the decision tree: no usable address is an error (the fetch
step has nothing to connect to); a side lookup that failed while addresses
came back (AAAA or CAA timed out, SERVFAIL for one type) is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tlsdoctor.facts.dns import DnsLookup, DnsResult
from tlsdoctor.findings import Code, Finding, Severity

_FAILED = ("servfail", "timeout", "error")


def _lookup_evidence(lookups: tuple[DnsLookup, ...]) -> list[dict[str, Any]]:
    return [
        {"qname": item.qname, "type": item.rtype, "status": item.status, "detail": item.error_detail}
        for item in lookups
    ]


def _evidence(result: DnsResult, **extra: Any) -> dict[str, Any]:
    return {
        "name": result.name,
        "nameservers": list(result.nameservers),
        "detail": result.error_detail,
        "lookups": _lookup_evidence(result.lookups),
        **extra,
    }


def _error_reason(result: DnsResult) -> dict[str, Any]:
    """Name why no address came back: a CNAME loop, a chain too long to follow, SERVFAIL."""
    chain = next((item.cname_chain for item in result.lookups if item.cname_chain), result.cname_chain)
    detail = (result.error_detail or "").lower()
    out: dict[str, Any] = {}
    if chain:
        out.update(cname_chain=list(chain), cname_hops=len(chain) - 1)
    if chain and len({n.lower() for n in chain}) < len(chain):
        out["reason"] = "cname-loop"
    elif "cname chain is too long" in detail:
        out["reason"] = "cname-chain-too-long"
    elif result.lookups and all(item.status == "servfail" for item in result.lookups[:2]):
        out["reason"] = "servfail"
    return out


def dns_findings(result: DnsResult) -> tuple[Finding, ...]:
    """The DNS step's findings: at most one per code, errors before warnings."""
    if result.status == "nxdomain":
        # A CNAME that leads to a name that does not exist (dangling) is the usual story.
        return (Finding(Code.DNS_NXDOMAIN, Severity.ERROR, _evidence(result, cname_chain=list(result.cname_chain))),)
    if result.status == "no-address":
        return (Finding(Code.DNS_NO_ADDRESS, Severity.ERROR, _evidence(result, cname_chain=list(result.cname_chain))),)
    if result.status == "timeout":
        return (Finding(Code.DNS_TIMEOUT, Severity.ERROR, _evidence(result)),)
    if result.status == "error":
        return (Finding(Code.DNS_ERROR, Severity.ERROR, _evidence(result, **_error_reason(result))),)
    # Addresses came back; a failed side lookup makes the answer incomplete, not unusable.
    findings: list[Finding] = []
    timed_out = tuple(item for item in result.lookups if item.status == "timeout")
    failed = tuple(item for item in result.lookups if item.status in ("servfail", "error"))
    if timed_out:
        detail = timed_out[0].error_detail
        evidence = _evidence(result, detail=detail, failed=_lookup_evidence(timed_out))
        findings.append(Finding(Code.DNS_TIMEOUT, Severity.WARNING, evidence))
    if failed:
        detail = failed[0].error_detail
        evidence = _evidence(result, detail=detail, failed=_lookup_evidence(failed))
        findings.append(Finding(Code.DNS_ERROR, Severity.WARNING, evidence))
    return tuple(findings)


@dataclass(frozen=True)
class TypeRow:
    """One line of the DNS table: what one record type returned for the name."""

    rtype: str
    qname: str
    status: str
    values: tuple[str, ...]
    ttl: int | None
    detail: str | None


@dataclass(frozen=True)
class DnsView:
    """What the DNS step shows: addresses, the CNAME chain, who may issue, one row per lookup."""

    name: str
    status: str
    nameservers: tuple[str, ...]
    addresses: tuple[str, ...]
    cname_chain: tuple[str, ...]
    dangling_cname: bool  # the chain ends at a name that does not exist
    caa: tuple[str, ...]
    caa_owner: str | None
    caa_inherited: bool  # the CAA set comes from a parent name (RFC 8659 climb)
    caa_unknown: bool  # a CAA lookup failed before a set was found
    rows: tuple[TypeRow, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "nameservers": list(self.nameservers),
            "addresses": list(self.addresses),
            "cname_chain": list(self.cname_chain),
            "dangling_cname": self.dangling_cname,
            "caa": list(self.caa),
            "caa_owner": self.caa_owner,
            "caa_inherited": self.caa_inherited,
            "caa_unknown": self.caa_unknown,
            "rows": [
                {"type": r.rtype, "qname": r.qname, "status": r.status, "values": list(r.values), "ttl": r.ttl,
                 "detail": r.detail}
                for r in self.rows
            ],
        }


def dns_view(result: DnsResult) -> DnsView:
    caa_lookups = [item for item in result.lookups if item.rtype == "CAA"]
    return DnsView(
        name=result.name,
        status=result.status,
        nameservers=result.nameservers,
        addresses=result.addresses,
        cname_chain=result.cname_chain,
        dangling_cname=result.status == "nxdomain" and len(result.cname_chain) > 1,
        caa=result.caa,
        caa_owner=result.caa_owner,
        caa_inherited=result.caa_owner is not None and result.caa_owner.lower() != result.name.lower(),
        caa_unknown=any(item.status in _FAILED for item in caa_lookups),
        rows=tuple(
            TypeRow(item.rtype, item.qname, item.status, item.values, item.ttl, item.error_detail)
            for item in result.lookups
        ),
    )
