"""Which address does a client on this machine really use: --resolve pins, the hosts file, DNS.

Pure: parses hosts-file text (read by probe/hosts.py) and compares it with the
DNS answer. glibc's default `hosts: files dns` order means a hosts line wins
over DNS, which is the classic "works for me, not for them" cause. No I/O.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tlsdoctor.errors import BadInput
from tlsdoctor.facts.hosts import HostsFile
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.target import to_a_label

_FIELDS = re.compile(r"[ \t\f\v\r]+")  # glibc splits hosts lines on blanks; '\r' covers CRLF files


@dataclass(frozen=True)
class HostsEntry:
    """One usable hosts line: its address (as written) and its names (lower-case A-labels)."""

    lineno: int
    address: str
    names: tuple[str, ...]
    raw: str  # the line exactly as in the file, without the line break

    @property
    def ip(self) -> str:
        """The address in canonical form, for comparing with DNS answers."""
        return _canonical(self.address) or self.address

    def to_json(self) -> dict[str, object]:
        return {"lineno": self.lineno, "address": self.address, "names": list(self.names), "line": self.raw}


@dataclass(frozen=True)
class HostsTable:
    entries: tuple[HostsEntry, ...]
    invalid_lines: tuple[int, ...]  # numbers of lines with content that no resolver would use


def _canonical(address: str) -> str | None:
    text = address.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _name_key(name: str) -> str:
    """Compare names as clients do: case-insensitive, A-label form, final dot ignored."""
    name = name.rstrip(".")
    try:
        return to_a_label(name)
    except BadInput:
        return name.lower()


def parse_hosts_table(text: str) -> HostsTable:
    """Every usable line and the numbers of the lines skipped as invalid (bad address, no name)."""
    entries: list[HostsEntry] = []
    invalid: list[int] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        raw = line[:-1] if line.endswith("\r") else line
        fields = [f for f in _FIELDS.split(raw.split("#", 1)[0]) if f]
        if not fields:
            continue
        address, names = fields[0], fields[1:]
        try:
            ipaddress.ip_address(address)
        except ValueError:
            invalid.append(lineno)
            continue
        if not names:
            invalid.append(lineno)
            continue
        entries.append(HostsEntry(lineno, address, tuple(dict.fromkeys(_name_key(n) for n in names)), raw))
    return HostsTable(tuple(entries), tuple(invalid))


def parse_hosts(text: str) -> tuple[HostsEntry, ...]:
    """The usable lines of a hosts file, in file order."""
    return parse_hosts_table(text).entries


@dataclass(frozen=True)
class HostsView:
    """What the hosts step shows: the lines for the name and where a client really connects."""

    path: str
    name: str
    lines: tuple[HostsEntry, ...]  # hosts lines that mention the name
    hosts_addresses: tuple[str, ...]  # canonical, file order, de-duplicated
    dns_addresses: tuple[str, ...]
    used_addresses: tuple[str, ...]  # what a client on this machine connects to
    source: str  # "resolve" | "hosts" | "dns"
    findings: tuple[Finding, ...]
    invalid_lines: int = 0
    read_error: str | None = None  # what of the file could not be read (one line), None when all was

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "name": self.name,
            "lines": [entry.to_json() for entry in self.lines],
            "hosts_addresses": list(self.hosts_addresses),
            "dns_addresses": list(self.dns_addresses),
            "used_addresses": list(self.used_addresses),
            "source": self.source,
            "invalid_lines": self.invalid_lines,
            "read_error": self.read_error,
            "findings": [finding.to_json() for finding in self.findings],
        }


def _unique_canonical(addresses: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_canonical(a) or a for a in addresses))


def hosts_view(
    entries: Sequence[HostsEntry],
    name: str,
    dns_addresses: Sequence[str],
    path: str,
    *,
    resolves: Sequence[str] = (),
    invalid_lines: int = 0,
    read: HostsFile | None = None,
) -> HostsView:
    """Compare the hosts file with DNS for `name`; `resolves` are curl-style pins, which win over both.

    `hosts-override` (a warning) only where DNS answered and the hosts file sends
    this machine to an address DNS does not give: everyone else goes elsewhere.
    A hosts line for a name DNS does not know overrides nothing (it is the only
    answer), and one that repeats DNS's address changes nothing today; both stay
    visible as evidence in the step, without a finding.

    `read`: how reading the file went. A file that could not be read (or only
    in part) is `hosts-unreadable`, a warning (info when there is no file at
    all), never a silent ok: what this machine really connects to is unknown.
    """
    key = _name_key(name)
    lines = tuple(entry for entry in entries if key in entry.names)
    hosts_addresses = tuple(dict.fromkeys(entry.ip for entry in lines))
    dns_canonical = _unique_canonical(dns_addresses)
    pins = _unique_canonical(resolves)
    if pins:
        used, source = pins, "resolve"
    elif hosts_addresses:
        used, source = hosts_addresses, "hosts"
    else:
        used, source = dns_canonical, "dns"
    findings: tuple[Finding, ...] = ()
    elsewhere = [a for a in hosts_addresses if a not in dns_canonical]
    if dns_canonical and elsewhere:
        findings = (
            Finding(
                Code.HOSTS_OVERRIDE,
                Severity.WARNING,
                {
                    "name": key,
                    "path": path,
                    "hosts_lines": [{"lineno": e.lineno, "line": e.raw} for e in lines],
                    "hosts_addresses": list(hosts_addresses),
                    "dns_addresses": list(dns_canonical),
                    "differs": bool(elsewhere),
                    "not_in_dns": elsewhere,
                    "used_addresses": list(used),
                    "source": source,
                },
            ),
        )
    read_error = read.error_detail if read is not None else None
    if read is not None and read_error is not None:
        findings += (
            Finding(
                Code.HOSTS_UNREADABLE,
                Severity.INFO if read.missing else Severity.WARNING,
                {"path": path, "detail": read_error, "truncated": read.truncated, "missing": read.missing},
            ),
        )
    return HostsView(path, key, lines, hosts_addresses, dns_canonical, used, source, findings, invalid_lines, read_error)
