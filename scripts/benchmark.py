#!/usr/bin/env python3
"""Benchmark `tlsdoctor check` against bare Python baselines (prints figures; not a test).

(a) a bare Python process doing one verified handshake with the lab server,
(b) a bare Python process importing cryptography.x509, dns.resolver and idna,
(c) `tlsdoctor check` of the healthy lab host, and of the 3,000-SAN host.
Goals (issue 2): check ≤ 1.25 × (b); 3,000 SANs ≤ 1.3 × a normal check.
Run: `python scripts/benchmark.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tui"))

from tlsdoctor.demo import DemoLab as Lab  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "tui")}


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def app_to_verdict(lab: Lab, scenario: str, runs: int) -> float:
    """Seconds from creating the app to the verdict on screen, headless at 160×50 (Textual's Pilot)."""
    import asyncio

    from tlsdoctor.app.main import TlsDoctorApp
    from tlsdoctor.app.screens import WalkScreen

    async def once() -> float:
        start = time.perf_counter()
        app = TlsDoctorApp(lab.options_for(scenario), lang="en")
        async with app.run_test(size=(160, 50)) as pilot:
            screen = app.screen
            assert isinstance(screen, WalkScreen)
            while screen.state.report is None and screen.state.error is None:
                await pilot.pause(0.01)
            await pilot.pause()
            return time.perf_counter() - start

    return statistics.median(asyncio.run(once()) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    with Lab() as lab:
        healthy = lab.run("healthy")
        big = lab.run("many-sans")
        handshake = (
            "import socket, ssl\n"
            f"ctx = ssl.create_default_context(cafile={str(lab.ca_file)!r})\n"
            f"s = socket.create_connection(('127.0.0.10', {healthy.port}), timeout=5)\n"
            f"t = ctx.wrap_socket(s, server_hostname={healthy.scenario.host!r}); t.close()\n"
        )
        figures = {
            "(a) bare verified handshake": timed([py, "-c", handshake], args.runs),
            "(b) bare imports": timed([py, "-c", "import cryptography.x509, dns.resolver, idna"], args.runs),
            "(c) tlsdoctor check healthy": timed([py, "-m", "tlsdoctor", "check", *lab.command_line("healthy")], args.runs),
            "(d) tlsdoctor check 3,000 SANs": timed([py, "-m", "tlsdoctor", "check", *lab.command_line("many-sans")], args.runs),
            "(e) tlsdoctor kb (start-up only)": timed([py, "-m", "tlsdoctor", "kb", "TLS-1002", "--format", "json"], args.runs),
        }
        _ = big
        figures["(f) app launch → verdict, wrong host"] = app_to_verdict(lab, "wrong-host", args.runs)
        figures["(g) app launch → verdict, 3,000 SANs"] = app_to_verdict(lab, "many-sans", args.runs)
    for name, value in figures.items():
        print(f"{name:<36} median {value * 1000:8.1f} ms")
    a, b = figures["(a) bare verified handshake"], figures["(b) bare imports"]
    c, d = figures["(c) tlsdoctor check healthy"], figures["(d) tlsdoctor check 3,000 SANs"]
    print(f"check / bare imports      = {c / b:5.2f}  (goal ≤ 1.25)")
    print(f"check / bare handshake    = {c / a:5.2f}")
    print(f"3,000 SANs / normal check = {d / c:5.2f}  (goal ≤ 1.3)")
    print("app launch → verdict (in-process, imports already warm; goal about 1.5 s from a cold launch):")
    print(f"  wrong host {figures['(f) app launch → verdict, wrong host']:.2f} s, "
          f"3,000 SANs {figures['(g) app launch → verdict, 3,000 SANs']:.2f} s")


if __name__ == "__main__":
    main()
