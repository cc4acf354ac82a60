#!/usr/bin/env python3
"""Benchmark `tlsdoctor check` and the app against honest baselines (prints figures; not a test).

Every figure is a median over interleaved runs (run 1 of each command, then run 2
of each…), so a machine that slows down mid-way slows every command alike, and
the ratios are ratios of those medians.

  floor     a bare `python -c` importing what the engine needs: cryptography.x509 and
            its verifier, dns.resolver, idna, ssl and OpenSSL (pyOpenSSL)
  handshake a bare `python -c` doing one verified handshake with the lab server
  check     `tlsdoctor check` of the healthy lab host and of the 3,000-SAN host,
            as text and as JSON
  kb        `tlsdoctor kb TLS-1002 --format json` (start-up only)
  app       cold launch in a real terminal (a pty, 160×50): from exec to the verdict
            on screen; and in-process with Textual's Pilot (imports warm)

Bytecode: an installed package has its .pyc files (pip compiles them), so every
command here runs with a bytecode cache in a temporary PYTHONPYCACHEPREFIX (the
source tree stays clean), filled by one warm-up round before the timed ones;
an environment with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile the
package's modules on every run. `--no-bytecode` measures that case instead.

Goals (issue 13): check ≤ 1.25 × floor; 3,000 SANs ≤ 1.3 × a normal check; app cold
launch to verdict ≤ 1.0 s (≤ 1.3 s with 3,000 SANs).
Run: `python scripts/benchmark.py [--runs N] [--no-app] [--no-bytecode]`.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tui"))

from tlsdoctor.demo import DemoLab as Lab  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "tui"), "LANG": "C.UTF-8"}
ENV.pop("LC_ALL", None)
FLOOR = "import cryptography.x509, cryptography.x509.verification, dns.resolver, idna, ssl, OpenSSL.SSL"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
VERDICT = re.compile(rb"problem found|nothing wrong found")


def run_command(cmd: list[str]) -> float:
    """Seconds from exec to exit. Waits in one blocking waitpid: subprocess.run(timeout=…) polls
    with sleeps of up to 50 ms, which rounded every figure up to the next 50 ms step."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watchdog = threading.Timer(120, proc.kill)  # a hang catcher, not a measurement
    watchdog.start()
    try:
        proc.wait()
    finally:
        watchdog.cancel()
    return time.perf_counter() - start


def app_cold(cmd: list[str], size: tuple[int, int] = (160, 50), timeout: float = 30.0) -> float:
    """Seconds from exec to the verdict on a real terminal (a pty the app draws into)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, as a user starts it
        os.execvpe(cmd[0], cmd, {**ENV, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])})
    start = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen = (seen + ANSI.sub(b"", chunk))[-20000:]
            if VERDICT.search(seen):
                return time.perf_counter() - start
        return float("nan")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def app_in_process(lab: Lab, scenario: str) -> float:
    """Seconds from creating the app to the verdict on screen, headless at 160×50 (imports warm)."""
    from tlsdoctor.app.main import TlsDoctorApp  # lazy: the text benchmarks must not pay for textual
    from tlsdoctor.app.screens import WalkScreen  # lazy: as above

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

    return asyncio.run(once())


def use_bytecode_cache(directory: str) -> None:
    """Run every command as an installed package runs: with its bytecode cached (outside the tree)."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = directory


def interleaved(jobs: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    for job in jobs.values():  # warm-up: fills the bytecode cache and the page cache; not counted
        job()
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            samples[name].append(job())
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-app", action="store_true", help="skip the app figures")
    parser.add_argument("--no-bytecode", action="store_true", help="keep the environment's bytecode setting (no cache prefix)")
    args = parser.parse_args()
    if not args.no_bytecode:
        use_bytecode_cache(tempfile.mkdtemp(prefix="tlsdoctor-bench-pyc-"))
    py = sys.executable
    with Lab() as lab:
        healthy = lab.run("healthy")
        handshake = (
            "import socket, ssl\n"
            f"ctx = ssl.create_default_context(cafile={str(lab.ca_file)!r})\n"
            f"s = socket.create_connection(('127.0.0.10', {healthy.port}), timeout=5)\n"
            f"t = ctx.wrap_socket(s, server_hostname={healthy.scenario.host!r}); t.close()\n"
        )
        check = [py, "-m", "tlsdoctor", "check"]
        jobs: dict[str, Callable[[], float]] = {
            "floor (bare imports)": lambda: run_command([py, "-c", FLOOR]),
            "bare verified handshake": lambda: run_command([py, "-c", handshake]),
            "check healthy, text": lambda: run_command([*check, *lab.command_line("healthy")]),
            "check healthy, json": lambda: run_command([*check, *lab.command_line("healthy"), "--format", "json"]),
            "check 3,000 SANs, text": lambda: run_command([*check, *lab.command_line("many-sans")]),
            "check 3,000 SANs, json": lambda: run_command([*check, *lab.command_line("many-sans"), "--format", "json"]),
            "kb (start-up only)": lambda: run_command([py, "-m", "tlsdoctor", "kb", "TLS-1002", "--format", "json"]),
        }
        if not args.no_app:
            app = [py, "-m", "tlsdoctor"]
            jobs["app cold → verdict, wrong host"] = lambda: app_cold([*app, *lab.command_line("wrong-host")])
            jobs["app cold → verdict, 3,000 SANs"] = lambda: app_cold([*app, *lab.command_line("many-sans")])
            jobs["app in-process → verdict, wrong host"] = lambda: app_in_process(lab, "wrong-host")
        figures = interleaved(jobs, args.runs)
    for name, value in figures.items():
        print(f"{name:<40} median {value * 1000:8.1f} ms")
    floor = figures["floor (bare imports)"]
    text, js = figures["check healthy, text"], figures["check healthy, json"]
    big_text, big_js = figures["check 3,000 SANs, text"], figures["check 3,000 SANs, json"]
    print(f"check / floor               text {text / floor:5.2f}   json {js / floor:5.2f}   (goal ≤ 1.25)")
    print(f"3,000 SANs / normal check   text {big_text / text:5.2f}   json {big_js / js:5.2f}   (goal ≤ 1.3)")
    if not args.no_app:
        print(f"app cold launch → verdict   wrong host {figures['app cold → verdict, wrong host']:.2f} s (goal ≤ 1.0), "
              f"3,000 SANs {figures['app cold → verdict, 3,000 SANs']:.2f} s (goal ≤ 1.3)")


if __name__ == "__main__":
    main()
