"""Sites: a made-up deployment on loopback for each case: DNS zone, TLS servers, hosts file, trust.

`make_site(zone=..., servers=..., hosts=..., trust=...)` starts a real DNS
responder and real TLS servers (one port, each on its own 127.0.0.x address, as
DNS answers them), writes a hosts file and a CA file, and returns a `Site` whose
`check()` runs `tlsdoctor check` in-process against it and returns the exit code
and the JSON report (or the text). Everything is stopped when the test ends.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tlsdoctor.cli import main
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.tls_server import TlsServer


@dataclass
class Site:
    port: int
    dns: DnsServer
    hosts_file: Path
    ca_file: Path
    servers: dict[str, TlsServer] = field(default_factory=dict)

    def argv(self, target: str, *extra: str, timeout: float = 2.0) -> list[str]:
        trust = ["--ca", str(self.ca_file)] if self.ca_file.stat().st_size else []
        return [
            "check", target, "--port", str(self.port),
            "--nameserver", f"{self.dns.address}:{self.dns.port}",
            "--hosts-file", str(self.hosts_file), *trust,
            "--timeout", str(timeout), "--offline", *extra,
        ]  # fmt: skip

    def run(self, target: str, *extra: str, fmt: str = "json", timeout: float = 2.0) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main([*self.argv(target, *extra, timeout=timeout), "--format", fmt])
        return code, out.getvalue()

    def check(self, target: str, *extra: str, timeout: float = 2.0) -> tuple[int, dict[str, Any]]:
        code, out = self.run(target, *extra, timeout=timeout)
        return code, json.loads(out)

    def text(self, target: str, *extra: str, timeout: float = 2.0) -> tuple[int, str]:
        return self.run(target, *extra, fmt="text", timeout=timeout)

    def resolve(self, host: str, address: str) -> tuple[str, str]:
        """`--resolve HOST:PORT:ADDR` for this site's port, as curl takes it."""
        shown = f"[{address}]" if ":" in address else address
        return ("--resolve", f"{host}:{self.port}:{shown}")


MakeSite = Callable[..., Site]


def free_port() -> int:
    """A port nobody listens on (bound, then released): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def codes(report: Mapping[str, Any], severity: str | None = None) -> set[str]:
    return {f["code"] for f in report["findings"] if severity is None or f["severity"] == severity}


def findings(report: Mapping[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["code"] == code]


def step(report: Mapping[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in report["steps"] if s["id"] == step_id)
