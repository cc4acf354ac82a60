"""Hostile TLS peers on loopback: every case ends within a bound derived from `--timeout`
and yields a finding that names what happened. Driven through `tlsdoctor check --format json`
against a private DNS responder, as a person would run it."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tlsdoctor.cli import main
from tlsdoctor.facts.tls import SniMode
from tlsdoctor.lab import certs
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.hostile import (
    ALERT_HANDSHAKE_FAILURE,
    AlertServer,
    DripTlsServer,
    GarbageAfterHelloServer,
    Tls10OnlyServer,
    huge_certificate,
    long_chain,
    loop_chain,
    many_san_leaf,
)
from tlsdoctor.lab.tcp import BlackHoleServer, LoopbackServer, start_on_same_port
from tlsdoctor.lab.tls_server import TlsServer, VHost
from tlsdoctor.probe.tls import fetch
from tlsdoctor.walk import MAX_ADDRESSES

TIMEOUT = 1.0
BOUND = 2 * TIMEOUT + 1.0  # every hostile case: the whole `check` ends within this
ZONE = "hostile.test"
MIXED = 32  # A records of the mixed dead/live name
MIXED_LIVE = (1, 2, 9, 17, 25, 31)  # 127.0.6.N with a healthy server
MIXED_HOLES = (3, 4, 5, 6, 10, 11, 12, 13, 18, 19, 20, 21, 26, 27, 28, 29)  # accept, never speak
# the rest of 1..32: nothing listens (connection refused)


def _addr(n: int) -> str:
    return f"127.0.5.{n}"


def _mixed(n: int) -> str:
    return f"127.0.6.{n}"


CASES = {
    "drip": _addr(1),
    "huge": _addr(2),
    "long": _addr(3),
    "loop": _addr(4),
    "garbage": _addr(5),
    "alert": _addr(6),
    "tls10": _addr(7),
    "sans": _addr(8),
}


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


class Hostile:
    """The PKI, DNS responder, hosts file and the started hostile servers of this module."""

    def __init__(self, tmp: Path) -> None:
        self.pki = certs.make_pki("Hostile Lab")
        self.tmp = tmp
        self.servers: dict[str, LoopbackServer] = {}
        self.extra_anchors: list[bytes] = []
        self.long = long_chain(self.host("long"))
        self.loop = loop_chain(self.host("loop"))
        zone: dict[str, dict] = {self.host(k): {"A": [a]} for k, a in CASES.items()}
        zone[self.host("mixed")] = {"A": [_mixed(n) for n in range(1, MIXED + 1)]}
        self.ipv6 = _ipv6_loopback()
        if self.ipv6:
            zone[self.host("v6")] = {"AAAA": ["::1"]}
        self.dns = DnsServer(zone).start()
        self.hosts_file = tmp / "hosts"
        self.hosts_file.write_text("127.0.0.1 localhost\n", encoding="utf-8")
        self.ca_file = tmp / "ca.pem"
        self.ca_file.write_bytes(certs.pem(self.pki.root.cert, self.long.anchor))  # the loop CAs: trusted by nobody

    @staticmethod
    def host(case: str) -> str:
        return f"{case}.{ZONE}"

    def ok(self, case: str) -> VHost:
        return VHost.of(self.pki.leaf(dns=[self.host(case)], cn=self.host(case)))

    def start(self, case: str) -> int:
        """Start a case's server(s) once; return the port to check."""
        if case in self.servers:
            return self.servers[case].port
        address = CASES.get(case)
        server: LoopbackServer
        match case:
            case "drip":
                server = DripTlsServer(self.ok(case), interval=0.2, address=address)
            case "huge":
                server = TlsServer(VHost.of(huge_certificate(self.pki.intermediate, self.host(case))), address=address)
            case "long":
                server = TlsServer(self.long.vhost(), address=address)
            case "loop":
                server = TlsServer(self.loop.vhost(), address=address)
            case "garbage":
                server = GarbageAfterHelloServer(self.ok(case), address=address)
            case "alert":
                server = AlertServer(address=address)
            case "tls10":
                server = Tls10OnlyServer(self.ok(case), address=address)
            case "sans":
                leaf = many_san_leaf(self.pki.intermediate, ZONE, include=[self.host(case)])
                server = TlsServer(VHost.of(leaf), address=address)
            case "v6":
                server = TlsServer(self.ok(case), address="::1")
            case "mixed":
                return self._start_mixed()
            case _:
                raise KeyError(case)
        server.start()
        self.servers[case] = server
        return server.port

    def _start_mixed(self) -> int:
        vhost = self.ok("mixed")  # one certificate on every live address
        servers: list[LoopbackServer] = [TlsServer(vhost, address=_mixed(n)) for n in MIXED_LIVE]
        servers += [BlackHoleServer(address=_mixed(n)) for n in MIXED_HOLES]
        port = start_on_same_port(servers)
        for i, server in enumerate(servers):
            self.servers[f"mixed-{i}"] = server
        self.servers["mixed"] = servers[0]
        return port

    def check(self, case: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, float]:
        port = self.start(case)
        capsys.readouterr()
        args = [
            "check", f"{self.host(case)}:{port}",
            "--nameserver", f"{self.dns.address}:{self.dns.port}",
            "--hosts-file", str(self.hosts_file),
            "--ca", str(self.ca_file),
            "--timeout", f"{TIMEOUT:g}",
            "--format", "json",
            *extra,
        ]
        start = time.monotonic()
        code = main(args)
        elapsed = time.monotonic() - start
        report = json.loads(capsys.readouterr().out)
        print(f"{case}: {elapsed:.2f} s (bound {BOUND:g} s), findings {[f['code'] for f in report['findings']]}")
        return code, report, elapsed

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.dns.stop()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    lab = Hostile(tmp_path_factory.mktemp("hostile"))
    try:
        yield lab
    finally:
        lab.stop()


def finding(report: dict, code: str) -> dict:
    found = [f for f in report["findings"] if f["code"] == code]
    assert found, (code, [f["code"] for f in report["findings"]])
    return found[0]


def step(report: dict, step_id: str) -> dict:
    return next(s for s in report["steps"] if s["id"] == step_id)


def sni_attempt(f: dict) -> dict:
    return next(a for a in f["evidence"]["attempts"] if a["sni_mode"] == "sni")


# --- the cases ---------------------------------------------------------------------------------


def test_drip_fed_handshake_times_out_on_one_deadline(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("drip", capsys)
    assert elapsed < BOUND
    f = finding(report, "connect-timeout")
    attempt = sni_attempt(f)
    assert attempt["error"] == "timeout" and attempt["phase"] == "handshake"
    assert attempt["reason"] == "no-answer-in-time"
    assert "handshake did not finish within 1 s" in attempt["detail"]
    assert attempt["elapsed_ms"] < TIMEOUT * 1000 + 300
    assert hostile.servers["drip"].bytes_sent >= 3, "the server really was dripping, not silent"
    assert code == 1


def test_one_megabyte_certificate_is_refused_by_size(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("huge", capsys)
    assert elapsed < BOUND
    attempt = sni_attempt(finding(report, "handshake-failed"))
    assert "excessive message size" in attempt["detail"]
    assert attempt["reason"] == "message-too-large"
    assert attempt["client_limit_bytes"] == 102_400
    assert code == 1


def test_hundred_certificate_chain_is_capped(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("long", capsys)
    assert elapsed < BOUND
    chain = step(report, "chain")["data"]
    assert chain["presented_count"] == 100
    assert len(chain["presented"]) <= 16
    assert "too-many" in json.dumps(report["findings"])
    too_long = finding(report, "chain-untrusted")["evidence"]
    assert too_long["reason"] == "too-long" and too_long["presented_count"] == 100
    assert "chain-incomplete" not in {f["code"] for f in report["findings"]}
    assert report["verdict"] == "problem" and code == 1


def test_issuer_loop_ends_and_is_not_trusted_by_accident(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("loop", capsys)
    assert elapsed < BOUND
    assert step(report, "names")["status"] == "ok"
    assert step(report, "chain")["data"]["presented_count"] == 3
    loop = finding(report, "chain-untrusted")["evidence"]
    assert loop["reason"] == "issuer-loop"
    assert loop["top"]["subject"] == "CN=Loop CA B" and loop["loops_to"]["subject"] == "CN=Loop CA A"
    assert "chain-incomplete" not in {f["code"] for f in report["findings"]}
    assert code == 1


def test_garbage_after_server_hello_is_a_handshake_failure_not_not_tls(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("garbage", capsys)
    assert elapsed < BOUND
    assert "not-tls" not in {f["code"] for f in report["findings"]}
    attempt = sni_attempt(finding(report, "handshake-failed"))
    assert attempt["reason"] == "malformed-record"
    assert "record" in attempt["detail"]
    assert code == 1


def test_immediate_fatal_alert_is_named(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("alert", capsys)
    assert elapsed < BOUND
    f = finding(report, "handshake-failed")
    assert f["evidence"]["alerts"] == [ALERT_HANDSHAKE_FAILURE]
    attempt = sni_attempt(f)
    assert attempt["reason"] == "alert" and attempt["alert_name"] == "handshake_failure"
    assert code == 1


def test_tls10_only_server_is_a_protocol_version_failure(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("tls10", capsys)
    assert elapsed < BOUND
    f = finding(report, "handshake-failed")
    attempt = sni_attempt(f)
    assert attempt["alert"] == 70 and attempt["alert_name"] == "protocol_version"
    assert "protocol version" in attempt["detail"]
    assert attempt["reason"] == "protocol-version"
    assert attempt["offered_versions"] == ["TLSv1.2", "TLSv1.3"]
    assert code == 1


def test_ten_thousand_sans_clients_refuse_and_memory_stays_flat(hostile: Hostile, capsys) -> None:
    hostile.start("sans")
    tracemalloc.start()
    try:
        code, report, elapsed = hostile.check("sans", capsys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"10,000 SANs: tracemalloc peak {peak / 1024:.0f} KiB during check")
    assert elapsed < BOUND
    attempt = sni_attempt(finding(report, "handshake-failed"))
    assert "excessive message size" in attempt["detail"]
    assert attempt["reason"] == "message-too-large" and attempt["client_limit_bytes"] == 102_400
    assert peak < 16 * 1024 * 1024
    assert code == 1


def test_mixed_dead_and_live_addresses_end_in_one_bound(hostile: Hostile, capsys) -> None:
    code, report, elapsed = hostile.check("mixed", capsys)
    assert elapsed < BOUND
    fetch_data = step(report, "fetch")["data"]
    assert len(fetch_data["addresses"]) == MIXED <= MAX_ADDRESSES
    handshakes = fetch_data["handshakes"]
    live = {_mixed(n) for n in MIXED_LIVE}
    ok = {h["address"] for h in handshakes if h["ok"]}
    assert ok == live
    # every live address was also tried without SNI and with an unknown name
    assert {(h["address"], h["sni_mode"]) for h in handshakes if h["address"] in live} == {
        (a, m) for a in live for m in ("sni", "no-sni", "bogus-sni")
    }
    timeouts = finding(report, "connect-timeout")
    assert set(timeouts["evidence"]["addresses"]) == {_mixed(n) for n in MIXED_HOLES}
    refused = finding(report, "connect-refused")
    dead = set(range(1, MIXED + 1)) - set(MIXED_LIVE) - set(MIXED_HOLES)
    assert set(refused["evidence"]["addresses"]) == {_mixed(n) for n in dead}
    assert step(report, "names")["status"] == "ok"
    assert code == 1


def test_ipv6_loopback(hostile: Hostile, capsys) -> None:
    if not hostile.ipv6:
        pytest.skip("no IPv6 loopback on this machine")
    code, report, elapsed = hostile.check("v6", capsys)
    assert elapsed < BOUND
    handshakes = step(report, "fetch")["data"]["handshakes"]
    assert {h["address"] for h in handshakes} == {"::1"}
    assert all(h["ok"] for h in handshakes)
    assert step(report, "names")["status"] == "ok"
    assert code == 0, report["findings"]


def test_ipv6_literal_target(hostile: Hostile, capsys) -> None:
    if not hostile.ipv6:
        pytest.skip("no IPv6 loopback on this machine")
    port = hostile.start("v6")
    code = main(["check", f"[::1]:{port}", "--ca", str(hostile.ca_file), "--timeout", f"{TIMEOUT:g}", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert step(report, "fetch")["data"]["handshakes"][0]["ok"]
    assert "ip-not-in-san" in {f["code"] for f in report["findings"]} or "hostname-mismatch" in {f["code"] for f in report["findings"]}
    assert code == 1


# --- the probe alone: bounds per attempt -----------------------------------------------------


@pytest.mark.parametrize("case", ["drip", "huge", "garbage", "alert", "tls10", "sans"])
async def test_every_hostile_attempt_ends_within_its_deadline(hostile: Hostile, case: str) -> None:
    port = await asyncio.to_thread(hostile.start, case)
    start = time.monotonic()
    handshake = await fetch(CASES[case], port, hostile.host(case), SniMode.SNI, TIMEOUT)
    assert time.monotonic() - start < TIMEOUT + 0.5
    assert not handshake.ok and handshake.error is not None and handshake.error_detail
    assert handshake.presented_chain == ()


def test_servers_stop_cleanly(tmp_path: Path) -> None:
    """Each hostile server's threads are gone after stop (a dripping one included)."""
    pki = certs.make_pki("Stop")
    vhost = VHost.of(pki.leaf(dns=["s.test"]))
    for server in (DripTlsServer(vhost, interval=0.5), GarbageAfterHelloServer(vhost), AlertServer(), Tls10OnlyServer(vhost)):
        with server, socket.create_connection((server.address, server.port), timeout=1) as s:
            s.sendall(b"\x16\x03\x01\x00\x05hello")
            time.sleep(0.05)
        assert server.live_threads() == []
