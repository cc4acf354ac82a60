"""The walk without asyncio (issue 13): `check` loads neither asyncio nor babel (nor what a
healthy run does not use), and the plain generator (`events`) and the app's async stream
(`walk`) tell the same story."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sites import MakeSite

import tlsdoctor
from tlsdoctor.facts.steps import StepFinished, StepProgress, StepStarted, WalkFinished
from tlsdoctor.lab import certs
from tlsdoctor.lab.tls_server import VHost
from tlsdoctor.request import build_request
from tlsdoctor.walk import events, run_walk, walk, walk_report

HOST = "sync.example.test"
PACKAGE_PARENT = str(Path(tlsdoctor.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("Sync Walk Lab")


def _site(make_site: MakeSite, pki: certs.Pki, host: str = HOST):
    leaf = VHost.of(pki.leaf(dns=[host], cn=host))
    return make_site(zone={host: {"A": ["127.0.0.61"]}}, servers={"127.0.0.61": leaf}, trust=[pki.root.cert])


def _options(site, host: str = HOST):
    return build_request(
        host, port=site.port, nameservers=[f"{site.dns.address}:{site.dns.port}"], hosts_file=str(site.hosts_file),
        ca_files=[str(site.ca_file)], timeout=2.0, use_system_store=False, offline=True,
    )  # fmt: skip


def _shape(stream: list[object]) -> list[tuple[str, str, object]]:
    """Each event's kind, step and outcome (timings and elapsed fields left out)."""
    out: list[tuple[str, str, object]] = []
    for event in stream:
        if isinstance(event, StepStarted):
            out.append(("started", event.step.value, None))
        elif isinstance(event, StepProgress):
            out.append(("progress", event.step.value, event.total))
        elif isinstance(event, StepFinished):
            out.append(("finished", event.result.step.value, (event.result.status.value, sorted(f.code.value for f in event.result.findings))))
        elif isinstance(event, WalkFinished):
            out.append(("walk-finished", "", event.report.to_json()["verdict"]))
    return out


async def test_the_generator_and_the_async_stream_agree(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, pki)
    options = _options(site)
    plain = list(events(options))
    streamed = [event async for event in walk(options)]
    assert _shape(plain) == _shape(streamed)
    assert [e for e in _shape(plain) if e[0] == "progress"], "the fetch step reports its handshakes"
    assert _shape(plain)[-1] == ("walk-finished", "", "ok")
    assert walk_report(options).to_json()["verdict"] == (await run_walk(options)).to_json()["verdict"] == "ok"


def test_a_walk_stopped_early_closes_cleanly(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, pki)
    stream = events(_options(site))
    first = [next(stream) for _ in range(3)]
    stream.close()  # as a face that leaves mid-walk: no error, no hang
    assert isinstance(first[0], StepStarted)


# Not needed by a healthy check (issue 13): asyncio and babel cost more than the rest of its own
# start-up; the client step's modules and the knowledge entries only matter when they are used.
UNNEEDED = (
    "asyncio", "babel", "textual", "tlsdoctor.analysis.mtls", "tlsdoctor.probe.clientfiles",
    "tlsdoctor.knowledge", "cryptography.hazmat.primitives.serialization",
)  # fmt: skip


def test_a_healthy_check_loads_only_what_it_uses(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, pki)
    probe = (
        "import sys\n"
        "from tlsdoctor.cli import main\n"
        "code = main(sys.argv[1:])\n"
        f"unneeded = {UNNEEDED!r}\n"
        "loaded = sorted(u for u in unneeded if any(m == u or m.startswith(u + '.') for m in sys.modules))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    run = subprocess.run([sys.executable, "-c", probe, *site.argv(HOST)], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "nothing wrong found" in run.stdout or "Verdict: ok" in run.stdout
    assert "LOADED []" in run.stderr, run.stderr
