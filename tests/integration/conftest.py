"""The `make_site` fixture: one made-up deployment on loopback per test (see sites.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sites import MakeSite, Site, free_port

from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.tcp import LoopbackServer, start_on_same_port
from tlsdoctor.lab.tls_server import TlsServer, VHost


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[MakeSite]:
    stack = contextlib.ExitStack()

    def make(
        *,
        zone: Mapping[str, Mapping[str, Any]] | None = None,
        servers: Mapping[str, VHost | TlsServer] | None = None,
        hosts: str = "127.0.0.1 localhost\n",
        trust: Sequence[x509.Certificate] = (),
    ) -> Site:
        dns = DnsServer(dict(zone or {})).start()
        stack.callback(dns.stop)
        built: dict[str, TlsServer] = {}
        for address, spec in (servers or {}).items():
            built[address] = spec if isinstance(spec, TlsServer) else TlsServer(spec, address=address)
            built[address].address = address
        port = 0
        if built:
            ordered: list[LoopbackServer] = list(built.values())
            port = start_on_same_port(ordered)
            for server in ordered:
                stack.callback(server.stop)
        else:
            port = free_port()
        hosts_file = tmp_path / "hosts"
        hosts_file.write_text(hosts, encoding="utf-8")
        ca_file = tmp_path / "ca.pem"
        ca_file.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in trust))
        return Site(port=port, dns=dns, hosts_file=hosts_file, ca_file=ca_file, servers=built)

    yield make
    stack.close()
