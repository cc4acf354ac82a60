"""Which road the client takes to the server, and what that makes of each finding.

A client reaches an address by one road: a `--resolve` pin (curl's), a hosts-file
line (glibc's `hosts: files dns` reads it before DNS), or DNS. A fault on a part
of the road the client does not travel cannot be why it fails: with the address
pinned, a DNS failure is context, never an error. For a `--resolve` pin it stays a
warning (clients without the pin fail: the usual pre-cutover test); for a hosts
line the machine itself uses, it is information. Such findings carry
`off_path: True` and are left out of the ranking (see `diagnosis`).

Likewise `ip-divergent-certs`: two addresses with two valid certificates for the
name are two nodes renewed at different times, not a failure; it is a warning
unless an address's certificate is itself wrong for the name.

Pure: findings in, findings out. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from tlsdoctor.findings import Code, Finding, Severity

DNS_CODES = frozenset({Code.DNS_NXDOMAIN, Code.DNS_NO_ADDRESS, Code.DNS_TIMEOUT, Code.DNS_ERROR})


class Road(StrEnum):
    """Where the client gets its address from, strongest first."""

    RESOLVE = "resolve"  # a --resolve pin: neither the hosts file nor DNS is asked
    HOSTS = "hosts"  # a hosts-file line for the name: DNS is not asked
    DNS = "dns"
    ANSWER = "answer"  # the user said which addresses the failing client reaches (a walk's question)


# What a finding off the road means for the reader (evidence `note`; words in render.labels).
OFF_PATH_NOTES = {
    Road.RESOLVE: "clients-without-the-pin-fail",
    Road.HOSTS: "hosts-file-answers",
    Road.ANSWER: "the-user-said",
}


def road_for(pins: Sequence[str], hosts_addresses: Sequence[str]) -> Road:
    """The road a client on this machine takes: pins win over the hosts file, which wins over DNS."""
    if pins:
        return Road.RESOLVE
    if hosts_addresses:
        return Road.HOSTS
    return Road.DNS


def off_path(finding: Finding, road: Road, *, others_fail: bool = False) -> Finding:
    """`finding` about a part of the road the client does not take: context, with the road named.

    An error stays a warning where clients without the pin, or without the hosts
    line (`others_fail`: a node only DNS names is down or wrong), still meet it."""
    warn = road is Road.RESOLVE or others_fail
    severity = Severity.WARNING if warn and finding.severity is Severity.ERROR else Severity.INFO
    evidence = {**finding.evidence, "road": road.value, "off_path": True, "note": OFF_PATH_NOTES.get(road)}
    return replace(finding, severity=severity, evidence=evidence)


def weigh_dns(findings: Sequence[Finding], road: Road) -> tuple[Finding, ...]:
    """DNS findings as the client meets them: unchanged on the DNS road, context otherwise."""
    if road is Road.DNS:
        return tuple(findings)
    return tuple(off_path(f, road) if f.code in DNS_CODES else f for f in findings)


def is_off_path(finding: Finding) -> bool:
    """A finding about a road the client does not take (context; never the top diagnosis)."""
    return bool(finding.evidence.get("off_path"))


def weigh_divergent(
    findings: Sequence[Finding], every_address_fine: bool, *, path_fine: bool = False, road: Road = Road.DNS
) -> tuple[Finding, ...]:
    """`ip-divergent-certs` is a warning when every address's certificate is fine for the name, and
    context when only addresses off the client's road (`path_fine`: all of its own are fine) are not."""
    out = []
    for f in findings:
        if f.code is Code.IP_DIVERGENT_CERTS and f.severity is Severity.ERROR:
            if every_address_fine:
                f = replace(f, severity=Severity.WARNING, evidence={**f.evidence, "every_address_fine": True})
            elif path_fine and road is not Road.DNS:
                f = off_path(f, road, others_fail=True)
        out.append(f)
    return tuple(out)


FAULT_CODES = frozenset({Code.CONNECT_REFUSED, Code.CONNECT_TIMEOUT, Code.NOT_TLS, Code.HANDSHAKE_FAILED})


def weigh_faults(findings: Sequence[Finding], used: Sequence[str], road: Road) -> tuple[Finding, ...]:
    """A connection fault only on addresses off the client's road (the old node DNS still names,
    while the client is pinned to the new one) is context: clients without the pin meet it."""
    if road is Road.DNS:
        return tuple(findings)
    out = []
    for f in findings:
        addresses = f.evidence.get("addresses")
        if f.code in FAULT_CODES and isinstance(addresses, list) and addresses and not set(addresses) & set(used):
            f = off_path(f, road, others_fail=True)
        out.append(f)
    return tuple(out)
