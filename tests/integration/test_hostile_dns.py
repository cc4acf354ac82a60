"""Hostile DNS: CNAME loops, deep chains, SERVFAIL, truncation, huge answers and a nameserver
that never answers. Each `tlsdoctor check` ends within a bound derived from `--timeout`
and the DNS (or fetch) finding says what happened."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tlsdoctor.cli import main
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.tcp import closed_port
from tlsdoctor.walk import MAX_ADDRESSES

TIMEOUT = 1.0
BOUND = 2 * TIMEOUT + 1.0
Z = "dns-hostile.test"
DEEP = 20
HUGE = 200


def _zone() -> dict[str, dict]:
    zone: dict[str, dict] = {
        f"loop.{Z}": {"CNAME": f"loop-b.{Z}"},
        f"loop-b.{Z}": {"CNAME": f"loop.{Z}"},
        f"fail.{Z}": {"behaviour": "servfail"},
        f"silent.{Z}": {"behaviour": "silent"},
        f"tc.{Z}": {"A": ["127.0.9.1"], "truncate": True},
        f"huge.{Z}": {"A": [f"127.0.10.{i}" for i in range(1, HUGE + 1)]},
        f"end.{Z}": {"A": ["127.0.9.2"]},
    }
    for i in range(DEEP):
        zone[f"d{i}.{Z}"] = {"CNAME": f"d{i + 1}.{Z}" if i < DEEP - 1 else f"end.{Z}"}
    return zone


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    with DnsServer(_zone()) as server:
        yield server


@pytest.fixture(scope="module")
def hosts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dns-hostile") / "hosts"
    path.write_text("127.0.0.1 localhost\n", encoding="utf-8")
    return path


def check(name: str, nameserver: str, hosts_file: Path, capsys: pytest.CaptureFixture[str], port: int = 443) -> tuple[int, dict, float]:
    capsys.readouterr()
    start = time.monotonic()
    code = main([
        "check", f"{name}:{port}", "--nameserver", nameserver, "--hosts-file", str(hosts_file),
        "--timeout", f"{TIMEOUT:g}", "--format", "json",
    ])
    elapsed = time.monotonic() - start
    report = json.loads(capsys.readouterr().out)
    print(f"{name}: {elapsed:.2f} s (bound {BOUND:g} s), findings {[f['code'] for f in report['findings']]}")
    return code, report, elapsed


def ns(server: DnsServer) -> str:
    return f"{server.address}:{server.port}"


def finding(report: dict, code: str) -> dict:
    found = [f for f in report["findings"] if f["code"] == code]
    assert found, (code, [f["code"] for f in report["findings"]])
    return found[0]


def dns_step(report: dict) -> dict:
    return next(s for s in report["steps"] if s["id"] == "dns")


def test_cname_loop_is_named_a_loop(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    code, report, elapsed = check(f"loop.{Z}", ns(dns_server), hosts_file, capsys)
    assert elapsed < BOUND
    evidence = finding(report, "dns-error")["evidence"]
    assert evidence["reason"] == "cname-loop"
    assert evidence["cname_chain"][0] == f"loop.{Z}" and evidence["cname_chain"][-1] == f"loop.{Z}"
    assert next(s for s in report["steps"] if s["id"] == "fetch")["status"] == "skipped"
    assert code == 1


def test_twenty_deep_chain_is_too_long_to_follow(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    code, report, elapsed = check(f"d0.{Z}", ns(dns_server), hosts_file, capsys)
    assert elapsed < BOUND
    evidence = finding(report, "dns-error")["evidence"]
    assert evidence["reason"] == "cname-chain-too-long"
    assert evidence["cname_hops"] == DEEP
    assert "too long" in evidence["detail"]
    assert code == 1


def test_servfail(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    code, report, elapsed = check(f"fail.{Z}", ns(dns_server), hosts_file, capsys)
    assert elapsed < BOUND
    evidence = finding(report, "dns-error")["evidence"]
    assert evidence["reason"] == "servfail"
    assert {row["status"] for row in evidence["lookups"]} == {"servfail"}
    assert code == 1


def test_truncated_answer_falls_back_to_tcp(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    before = len(dns_server.queries)
    port = closed_port("127.0.9.1")
    code, report, elapsed = check(f"tc.{Z}", ns(dns_server), hosts_file, capsys, port)
    assert elapsed < BOUND
    assert dns_step(report)["data"]["addresses"] == ["127.0.9.1"]
    asked = dns_server.queries[before:]
    assert ("udp", f"tc.{Z}.", "A") in asked and ("tcp", f"tc.{Z}.", "A") in asked
    assert finding(report, "connect-refused")["evidence"]["addresses"] == ["127.0.9.1"]
    assert code == 1


def test_huge_answer_is_capped_and_says_how_many_were_dropped(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    port = closed_port("127.0.10.1")
    code, report, elapsed = check(f"huge.{Z}", ns(dns_server), hosts_file, capsys, port)
    assert elapsed < BOUND
    assert len(dns_step(report)["data"]["addresses"]) == HUGE  # the data keeps the answer as received
    fetch = next(s for s in report["steps"] if s["id"] == "fetch")
    assert len(fetch["data"]["addresses"]) == MAX_ADDRESSES
    assert fetch["data"]["truncated_from"] == HUGE
    evidence = finding(report, "connect-refused")["evidence"]
    assert evidence["addresses_dropped"] == HUGE - MAX_ADDRESSES
    assert evidence["addresses_probed"] == MAX_ADDRESSES and evidence["addresses_total"] == HUGE
    assert len(fetch["data"]["handshakes"]) == MAX_ADDRESSES  # one attempt per dead address
    assert code == 1


def test_silent_name_times_out(dns_server: DnsServer, hosts_file: Path, capsys) -> None:
    code, report, elapsed = check(f"silent.{Z}", ns(dns_server), hosts_file, capsys)
    assert elapsed < BOUND
    evidence = finding(report, "dns-timeout")["evidence"]
    assert {row["status"] for row in evidence["lookups"]} == {"timeout"}
    assert code == 1


def test_nameserver_that_never_answers(hosts_file: Path, capsys) -> None:
    """A UDP socket that is bound and never reads: every query vanishes."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.1", 0))
        port = mute.getsockname()[1]
        code, report, elapsed = check(f"anything.{Z}", f"127.0.0.1:{port}", hosts_file, capsys)
    assert elapsed < BOUND
    evidence = finding(report, "dns-timeout")["evidence"]
    assert evidence["nameservers"] == [f"127.0.0.1:{port}"]
    assert code == 1
