"""How long `check --targets` takes with one dead target among 60, against the slowest single target.

Starts a DNS responder, one TLS server (a wildcard certificate for 59 names) and
a black hole on loopback, then times real `tlsdoctor check` processes (median of
3): one healthy target, the dead target alone, 59 healthy targets, the 60
together with --jobs 8, and the 60 one at a time (--jobs 1).

    PYTHONPATH=tui python scripts/batch_timing.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tlsdoctor.lab import certs
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.tcp import BlackHoleServer, start_on_same_port
from tlsdoctor.lab.tls_server import TlsServer, VHost

ZONE = "batch.example.test"
TIMEOUT = 5


def main() -> None:
    pki = certs.make_pki("batch timing")
    folder = Path(tempfile.mkdtemp(prefix="tlsdoctor-batch-"))
    (folder / "ca.pem").write_bytes(pki.root.cert_pem)
    (folder / "hosts").write_text("127.0.0.1 localhost\n")
    names = [f"h{i}.{ZONE}" for i in range(59)]
    zone = {n: {"A": ["127.0.14.40"]} for n in names} | {f"dead.{ZONE}": {"A": ["127.0.14.41"]}}
    dns = DnsServer(zone).start()
    tls = TlsServer(VHost.of(pki.leaf(dns=[f"*.{ZONE}"])), address="127.0.14.40")
    hole = BlackHoleServer(address="127.0.14.41")
    port = start_on_same_port([tls, hole])
    (folder / "all.txt").write_text("\n".join([f"dead.{ZONE}", *names]) + "\n")
    (folder / "healthy.txt").write_text("\n".join(names) + "\n")
    base = [sys.executable, "-m", "tlsdoctor", "check", "--port", str(port), "--nameserver", f"{dns.address}:{dns.port}",
            "--hosts-file", str(folder / "hosts"), "--ca", str(folder / "ca.pem"), "--offline", "--timeout", str(TIMEOUT),
            "--format", "jsonl"]  # fmt: skip
    runs = [
        ("one healthy target", [f"h1.{ZONE}"]),
        ("the dead target alone", [f"dead.{ZONE}"]),
        ("59 healthy, --jobs 8", ["--targets", str(folder / "healthy.txt")]),
        ("60 with one dead, --jobs 8", ["--targets", str(folder / "all.txt")]),
        ("60 with one dead, --jobs 1", ["--targets", str(folder / "all.txt"), "--jobs", "1"]),
    ]
    try:
        for label, args in runs:
            times, lines, code = [], 0, 0
            for _ in range(3):
                start = time.monotonic()
                run = subprocess.run(base + args, capture_output=True, text=True, check=False)
                times.append(time.monotonic() - start)
                lines, code = len(run.stdout.splitlines()), run.returncode
            print(f"{label:28} {statistics.median(times):5.2f} s  (median of 3; {lines} reports, exit {code})")
    finally:
        tls.stop()
        hole.stop()
        dns.stop()


if __name__ == "__main__":
    main()
