"""Ask DNS where a name points: A, AAAA, the CNAME chain and CAA, with dnspython.

I/O only. NXDOMAIN, no data, SERVFAIL and timeouts are answers (data), not
exceptions. Uses the system resolver configuration, or the given nameservers.
Values (addresses, CAA records, CNAME targets) are kept exactly as received, in
dnspython's text form; renderers make them safe.

`resolve_sync` asks every question at once with dnspython's blocking resolver,
one thread per question (the walk runs without asyncio: issue 13); `resolve`
is the same for async callers.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections.abc import Sequence

import dns.exception
import dns.message
import dns.name
import dns.nameserver
import dns.rdataclass
import dns.rdatatype
import dns.resolver

from tlsdoctor.facts.dns import DnsLookup, DnsResult, Nameserver
from tlsdoctor.probe.background import Background

RESOLV_CONF = "/etc/resolv.conf"  # the system configuration, read when no nameservers are given
MAX_CAA_LEVELS = 10  # RFC 8659 climbs to (not including) the root; real names are rarely deeper
MAX_CHAIN_SHOWN = 32  # CNAME hops we record from one response (loops stop at the first repeat)


def _text(name: dns.name.Name) -> str:
    return name.to_text(omit_final_dot=True)


def _cname_chain(response: dns.message.Message | None, qname: dns.name.Name) -> tuple[str, ...]:
    """The owner names a response's CNAMEs lead through, first = qname; () when there are none."""
    if response is None:
        return ()
    chain = [qname]
    owner = qname
    seen = {qname}
    for _ in range(MAX_CHAIN_SHOWN):
        try:
            rrset = response.find_rrset(response.answer, owner, dns.rdataclass.IN, dns.rdatatype.CNAME)
        except KeyError:
            break
        owner = rrset[0].target
        chain.append(owner)
        if owner in seen:  # a loop: show where it closes, then stop
            break
        seen.add(owner)
    return tuple(_text(n) for n in chain) if len(chain) > 1 else ()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text


def _failed_response(errors: Sequence[tuple[object, ...]]) -> dns.message.Message | None:
    for err in errors:
        if len(err) > 4 and isinstance(err[4], dns.message.Message):
            return err[4]
    return None


def _lookup(resolver: dns.resolver.Resolver, qname: dns.name.Name, rtype: str, timeout: float, label: str) -> DnsLookup:
    """One question, bounded by `timeout`; every outcome is a DnsLookup."""
    start = time.monotonic()

    def done(status: str, **fields: object) -> DnsLookup:
        elapsed = (time.monotonic() - start) * 1000
        fields = {"nameserver": label, **fields}
        return DnsLookup(_text(qname), rtype, status, elapsed_ms=elapsed, **fields)  # type: ignore[arg-type]

    try:
        answer = resolver.resolve(qname, rtype, lifetime=timeout, search=False)  # dnspython enforces `lifetime`
    except dns.resolver.NXDOMAIN as exc:
        responses = list(exc.kwargs.get("responses", {}).values())
        chain = _cname_chain(responses[0] if responses else None, qname)
        return done("nxdomain", cname_chain=chain, error_detail=_one_line(exc))
    except dns.resolver.NoAnswer as exc:
        chain = _cname_chain(exc.kwargs.get("response"), qname)
        return done("nodata", cname_chain=chain)
    except (dns.resolver.LifetimeTimeout, TimeoutError) as exc:
        detail = _one_line(exc) if str(exc) else f"no answer within {timeout:g} s"
        return done("timeout", error_detail=detail)
    except dns.resolver.NoNameservers as exc:
        errors = exc.kwargs.get("errors", [])
        servfail = bool(errors) and all(len(err) > 3 and err[3] == "SERVFAIL" for err in errors)
        chain = _cname_chain(_failed_response(errors), qname)
        return done("servfail" if servfail else "error", cname_chain=chain, error_detail=_one_line(exc))
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return done("error", error_detail=_one_line(exc))
    rrset = answer.rrset
    values = tuple(rdata.to_text() for rdata in rrset) if rrset is not None else ()
    return done(
        "ok" if values else "nodata",
        values=values,
        ttl=rrset.ttl if rrset is not None else None,
        cname_chain=_cname_chain(answer.response, qname),
        nameserver=str(Nameserver(str(answer.nameserver), answer.port if answer.port is not None else 53)),
    )


def _ask_all(
    resolver: dns.resolver.Resolver, questions: Sequence[tuple[dns.name.Name, str]], timeout: float, label: str
) -> list[DnsLookup]:
    """Every question at once, one thread each. dnspython enforces `timeout`; past
    1.5 × timeout + 0.25 s a question still unanswered is a timeout anyway (the
    safety net for the ~2× promise; its thread ends on its own deadline)."""
    start = time.monotonic()
    tasks = [Background(functools.partial(_lookup, resolver, qname, rtype, timeout, label), "tlsdoctor-dns") for qname, rtype in questions]
    deadline = start + timeout * 1.5 + 0.25
    found: list[DnsLookup] = []
    for (qname, rtype), task in zip(questions, tasks, strict=True):
        if task.wait(max(0.0, deadline - time.monotonic())):
            found.append(task.result())
        else:
            elapsed = (time.monotonic() - start) * 1000
            found.append(DnsLookup(_text(qname), rtype, "timeout", nameserver=label, elapsed_ms=elapsed, error_detail=f"no answer within {timeout:g} s"))
    return found


def _caa_levels(qname: dns.name.Name) -> list[dns.name.Name]:
    """RFC 8659 §3: the name and its parents towards (not including) the root, all asked at once
    so the climb costs one timeout."""
    levels = [qname]
    while len(levels) < MAX_CAA_LEVELS and len(levels[-1]) > 2:  # > 2 labels: something above the TLD
        levels.append(levels[-1].parent())
    return levels


def _closest_caa(found: Sequence[DnsLookup]) -> tuple[tuple[DnsLookup, ...], tuple[str, ...], str | None]:
    """The closest CAA set; the lookups kept are those a sequential climb would have made, up to the decisive one."""
    kept: list[DnsLookup] = []
    for item in found:
        kept.append(item)
        if item.status == "ok":
            return tuple(kept), item.values, item.qname
        if item.status not in ("nodata", "nxdomain"):
            break  # unknown at this level: the CAA set that applies cannot be known
    return tuple(kept), (), None


def _overall(a: DnsLookup, aaaa: DnsLookup, addresses: Sequence[str]) -> tuple[str, str | None]:
    pair = (a, aaaa)
    statuses = {item.status for item in pair}
    detail = next((item.error_detail for item in pair if item.error_detail), None)
    if addresses:
        return "ok", None
    if "nxdomain" in statuses:
        return "nxdomain", None
    if statuses == {"nodata"}:
        return "no-address", None
    if statuses == {"timeout"}:
        return "timeout", detail
    if statuses & {"servfail", "error"}:
        return "error", next((i.error_detail for i in pair if i.status in ("servfail", "error")), detail)
    return "timeout", detail  # no data for one type, the other timed out


def _error_result(name: str, labels: tuple[str, ...], detail: str) -> DnsResult:
    return DnsResult(name, labels, (), (), (), (), "error", detail)


def _make_resolver(nameservers: Sequence[Nameserver] | None, timeout: float, resolv_conf: str) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(filename=resolv_conf, configure=not nameservers)
    if nameservers:
        for ns in nameservers:
            ipaddress.ip_address(ns.address)  # ValueError: dnspython would only time out on a name
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ns.address, ns.port) for ns in nameservers]
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None
    return resolver


async def resolve(
    name: str, nameservers: Sequence[Nameserver] | None, timeout: float, *, resolv_conf: str = RESOLV_CONF
) -> DnsResult:
    """`resolve_sync` for async callers (in a worker thread)."""
    import asyncio  # lazy: the walk and `check` resolve without asyncio

    return await asyncio.to_thread(resolve_sync, name, nameservers, timeout, resolv_conf=resolv_conf)


def resolve_sync(
    name: str, nameservers: Sequence[Nameserver] | None, timeout: float, *, resolv_conf: str = RESOLV_CONF
) -> DnsResult:
    """All lookups for `name`, each bounded by `timeout`; the whole call ends within ~2× timeout.

    An IP literal needs no lookup: it comes back as its own address. A missing
    or unusable system configuration is an `error` result, never an exception.
    """
    name = name.rstrip(".") if name not in ("", ".") else name
    labels = tuple(str(ns) for ns in nameservers) if nameservers else ("system",)
    try:
        literal = str(ipaddress.ip_address(name))
    except ValueError:
        literal = None
    if literal is not None:
        return DnsResult(name, labels, (), (), (literal,), (), "ok")
    try:
        qname = dns.name.from_text(name)
        if qname == dns.name.root:
            raise ValueError("empty name")
        resolver = _make_resolver(nameservers, timeout, resolv_conf)
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return _error_result(name, labels, _one_line(exc))
    label = ",".join(labels)
    questions = [(qname, "A"), (qname, "AAAA"), *((level, "CAA") for level in _caa_levels(qname))]
    a, aaaa, *caa_found = _ask_all(resolver, questions, timeout, label)
    caa_lookups, caa, caa_owner = _closest_caa(caa_found)
    addresses = tuple(dict.fromkeys((*a.values, *aaaa.values)))
    status, detail = _overall(a, aaaa, addresses)
    return DnsResult(
        name=name,
        nameservers=labels,
        lookups=(a, aaaa, *caa_lookups),
        cname_chain=a.cname_chain or aaaa.cname_chain,
        addresses=addresses,
        caa=caa,
        status=status,
        error_detail=detail,
        caa_owner=caa_owner,
    )
