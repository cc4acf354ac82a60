"""DNS step: a real responder on loopback (lab/dns_server.py), the real dnspython resolver."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from tlsdoctor.analysis.dns import dns_findings, dns_view
from tlsdoctor.facts.dns import DnsLookup, DnsResult, Nameserver
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.dns_server import DnsServer, Entry
from tlsdoctor.probe.dns import resolve

TIMEOUT = 2.0  # for servers that answer; generous on a busy 2-core machine
SHORT = 0.5  # for servers that never answer

MANY = [f"127.0.1.{i}" for i in range(1, 33)]
DEEP = {f"d{i}.shop.test": {"CNAME": f"d{i + 1}.shop.test"} for i in range(20)}

ZONE = {
    "shop.test": {"A": ["127.0.0.2"], "CAA": ['0 issue "letsencrypt.org"', '0 iodef "mailto:sec@shop.test"']},
    "www.shop.test": {"CNAME": "cdn.shop.test"},
    "cdn.shop.test": {"CNAME": "edge.cdn.test."},
    "edge.cdn.test": {"A": ["127.0.0.10", "127.0.0.11"], "AAAA": ["::1"], "ttl": 60},
    "direct.shop.test": {"A": ["127.0.0.12"], "CAA": ['0 issue "pki.internal"']},
    "v6.shop.test": {"AAAA": ["2001:db8::7"]},
    "dangling.shop.test": {"CNAME": "gone.shop.test"},
    "empty.shop.test": {},
    "broken.shop.test": {"behaviour": "servfail"},
    "slow.shop.test": {"behaviour": "silent"},
    "many.shop.test": {"A": MANY},
    "huge.shop.test": Entry(a=("127.0.0.20", "127.0.0.21"), truncate=True),
    "loop-a.shop.test": {"CNAME": "loop-b.shop.test"},
    "loop-b.shop.test": {"CNAME": "LOOP-A.shop.test."},
    **DEEP,
    "d20.shop.test": {"A": ["127.0.0.30"]},
    # A answered, but the parent's CAA never comes: a side lookup times out.
    "api.quiet.test": {"A": ["127.0.0.40"]},
    "quiet.test": {"behaviour": "silent"},
}


@pytest.fixture(scope="module")
def server() -> Iterator[DnsServer]:
    with DnsServer(ZONE) as running:
        yield running
    assert running.errors == []


@pytest.fixture
def ns(server: DnsServer) -> list[Nameserver]:
    return [Nameserver(server.address, server.port)]


def status_of(result: DnsResult, rtype: str) -> str:
    lookup = result.lookup(rtype)
    assert lookup is not None
    return lookup.status


# --- the responder itself -----------------------------------------------------------------------


def test_responder_answers_case_insensitively_with_trailing_dot(server: DnsServer) -> None:
    query = dns.message.make_query("EDGE.Cdn.TEST.", "A")
    response = dns.query.udp(query, server.address, port=server.port, timeout=TIMEOUT)
    assert response.rcode() == dns.rcode.NOERROR
    assert sorted(rd.to_text() for rd in response.answer[0]) == ["127.0.0.10", "127.0.0.11"]
    assert response.answer[0].ttl == 60


def test_responder_follows_cname_chain_inside_the_answer(server: DnsServer) -> None:
    query = dns.message.make_query("www.shop.test", "A")
    response = dns.query.tcp(query, server.address, port=server.port, timeout=TIMEOUT)
    kinds = [(rrset.name.to_text(), dns.rdatatype.to_text(rrset.rdtype)) for rrset in response.answer]
    assert kinds == [("www.shop.test.", "CNAME"), ("cdn.shop.test.", "CNAME"), ("edge.cdn.test.", "A")]


def test_responder_rejects_a_zone_with_a_bad_record() -> None:
    with pytest.raises(Exception):
        DnsServer({"x.test": {"A": ["not-an-address"]}})
    with pytest.raises(ValueError):
        DnsServer({"x.test": {"behaviour": "sometimes"}})


def test_responder_stops_quickly_and_frees_its_port() -> None:
    running = DnsServer({"a.test": {"A": ["127.0.0.1"]}}).start()
    port = running.port
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 1.0
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.bind(("127.0.0.1", port))  # the UDP port is free again
    finally:
        probe.close()


# --- resolve() ----------------------------------------------------------------------------------


async def test_cname_chain_addresses_and_inherited_caa(ns: list[Nameserver], server: DnsServer) -> None:
    result = await resolve("www.shop.test", ns, TIMEOUT)
    assert result.status == "ok"
    assert result.cname_chain == ("www.shop.test", "cdn.shop.test", "edge.cdn.test")
    assert sorted(result.addresses[:2]) == ["127.0.0.10", "127.0.0.11"]
    assert result.addresses[2:] == ("::1",)
    a = result.lookup("A")
    assert a is not None and a.ttl == 60 and a.nameserver == f"127.0.0.1:{server.port}"
    # RFC 8659: www.shop.test has no CAA set, so the parent's applies.
    assert result.caa_owner == "shop.test"
    assert set(result.caa) == {'0 issue "letsencrypt.org"', '0 iodef "mailto:sec@shop.test"'}
    assert [(item.qname, item.status) for item in result.lookups if item.rtype == "CAA"] == [
        ("www.shop.test", "nodata"),
        ("shop.test", "ok"),
    ]
    assert dns_findings(result) == ()
    view = dns_view(result)
    assert view.caa_inherited and not view.caa_unknown and not view.dangling_cname
    json.dumps(result.to_json())
    json.dumps(view.to_json())


async def test_own_caa_wins_over_the_parent(ns: list[Nameserver]) -> None:
    result = await resolve("Direct.Shop.Test.", ns, TIMEOUT)
    assert result.name == "Direct.Shop.Test"
    assert result.addresses == ("127.0.0.12",)
    assert result.caa == ('0 issue "pki.internal"',)
    assert not dns_view(result).caa_inherited


async def test_ipv6_only_name_is_ok(ns: list[Nameserver]) -> None:
    result = await resolve("v6.shop.test", ns, TIMEOUT)
    assert result.status == "ok"
    assert result.addresses == ("2001:db8::7",)
    assert status_of(result, "A") == "nodata"
    assert dns_findings(result) == ()


async def test_nxdomain_is_an_error_finding(ns: list[Nameserver]) -> None:
    result = await resolve("nowhere.shop.test", ns, TIMEOUT)
    assert result.status == "nxdomain"
    assert result.addresses == ()
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_NXDOMAIN and finding.severity is Severity.ERROR
    assert finding.evidence["name"] == "nowhere.shop.test"


async def test_dangling_cname_keeps_the_chain_as_evidence(ns: list[Nameserver]) -> None:
    result = await resolve("dangling.shop.test", ns, TIMEOUT)
    assert result.status == "nxdomain"
    assert result.cname_chain == ("dangling.shop.test", "gone.shop.test")
    (finding,) = dns_findings(result)
    assert finding.evidence["cname_chain"] == ["dangling.shop.test", "gone.shop.test"]
    assert dns_view(result).dangling_cname


async def test_nodata_is_no_address(ns: list[Nameserver]) -> None:
    result = await resolve("empty.shop.test", ns, TIMEOUT)
    assert result.status == "no-address"
    assert (status_of(result, "A"), status_of(result, "AAAA")) == ("nodata", "nodata")
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_NO_ADDRESS and finding.severity is Severity.ERROR


async def test_servfail_is_an_error(ns: list[Nameserver]) -> None:
    result = await resolve("broken.shop.test", ns, TIMEOUT)
    assert result.status == "error"
    assert status_of(result, "A") == "servfail"
    assert result.error_detail is not None and "SERVFAIL" in result.error_detail
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_ERROR and finding.severity is Severity.ERROR
    first = finding.evidence["lookups"][0]
    assert (first["qname"], first["type"], first["status"]) == ("broken.shop.test", "A", "servfail")


async def test_silent_nameserver_times_out_within_twice_the_timeout(ns: list[Nameserver]) -> None:
    started = time.monotonic()
    result = await resolve("slow.shop.test", ns, SHORT)
    elapsed = time.monotonic() - started
    assert result.status == "timeout"
    assert {item.status for item in result.lookups} == {"timeout"}
    assert SHORT * 0.8 <= elapsed < SHORT * 2 + 0.5
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_TIMEOUT and finding.severity is Severity.ERROR


async def test_side_lookup_timeout_is_only_a_warning(ns: list[Nameserver]) -> None:
    result = await resolve("api.quiet.test", ns, SHORT)
    assert result.status == "ok" and result.addresses == ("127.0.0.40",)
    caa = [(item.qname, item.status) for item in result.lookups if item.rtype == "CAA"]
    assert caa == [("api.quiet.test", "nodata"), ("quiet.test", "timeout")]
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_TIMEOUT and finding.severity is Severity.WARNING
    assert [f["qname"] for f in finding.evidence["failed"]] == ["quiet.test"]
    assert dns_view(result).caa_unknown


async def test_32_a_records_come_back_complete_over_tcp(ns: list[Nameserver], server: DnsServer) -> None:
    result = await resolve("many.shop.test", ns, TIMEOUT)
    assert result.status == "ok"
    assert sorted(result.addresses) == sorted(MANY)
    # 32 A records do not fit 512 bytes: the UDP answer was truncated and the resolver retried over TCP.
    asked = [transport for transport, name, rtype in server.queries if name == "many.shop.test." and rtype == "A"]
    assert asked[:2] == ["udp", "tcp"]


async def test_truncated_answer_falls_back_to_tcp(ns: list[Nameserver], server: DnsServer) -> None:
    result = await resolve("huge.shop.test", ns, TIMEOUT)
    assert sorted(result.addresses) == ["127.0.0.20", "127.0.0.21"]
    asked = [transport for transport, name, rtype in server.queries if name == "huge.shop.test." and rtype == "A"]
    assert asked[:2] == ["udp", "tcp"]


async def test_cname_loop_ends_in_an_error_quickly(ns: list[Nameserver]) -> None:
    started = time.monotonic()
    result = await resolve("loop-a.shop.test", ns, TIMEOUT)
    assert time.monotonic() - started < TIMEOUT
    assert result.status == "error"
    # Name compression on the wire folds LOOP-A into the first spelling seen: compare without case.
    assert [n.lower() for n in result.cname_chain] == ["loop-a.shop.test", "loop-b.shop.test", "loop-a.shop.test"]
    (finding,) = dns_findings(result)
    assert finding.code is Code.DNS_ERROR


async def test_twenty_deep_chain_is_bounded(ns: list[Nameserver]) -> None:
    result = await resolve("d0.shop.test", ns, TIMEOUT)
    # dnspython follows at most 16 CNAMEs; the chain is still recorded as evidence.
    assert result.status == "error"
    assert result.error_detail is not None and "too long" in result.error_detail
    assert len(result.cname_chain) == 21 and result.cname_chain[-1] == "d20.shop.test"


async def test_closed_port_is_a_result_not_an_exception() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    started = time.monotonic()
    result = await resolve("www.shop.test", [Nameserver("127.0.0.1", port)], SHORT)
    assert time.monotonic() - started < SHORT * 2 + 0.5
    assert result.status in ("error", "timeout")
    assert result.nameservers == (f"127.0.0.1:{port}",)
    (finding,) = dns_findings(result)
    assert finding.code in (Code.DNS_ERROR, Code.DNS_TIMEOUT) and finding.severity is Severity.ERROR


async def test_bad_nameserver_address_is_an_error_result() -> None:
    result = await resolve("www.shop.test", [Nameserver("not-an-address", 53)], SHORT)
    assert result.status == "error" and result.error_detail
    assert dns_findings(result)[0].code is Code.DNS_ERROR


@pytest.mark.parametrize("content", [None, "# no nameserver lines here\nsearch example.test\n"])
async def test_unusable_system_configuration_is_an_error_result(tmp_path, content: str | None) -> None:
    conf = tmp_path / "resolv.conf"
    if content is not None:
        conf.write_text(content)
    result = await resolve("www.shop.test", None, SHORT, resolv_conf=str(conf))
    assert (result.status, result.nameservers) == ("error", ("system",))
    assert result.error_detail and "\n" not in result.error_detail


async def test_ip_literal_needs_no_lookup() -> None:
    result = await resolve("::1", None, SHORT)
    assert (result.status, result.addresses, result.lookups) == ("ok", ("::1",), ())


async def test_concurrent_calls_share_nothing(ns: list[Nameserver]) -> None:
    names = ("direct.shop.test", "v6.shop.test", "nowhere.shop.test")
    results = await asyncio.gather(*(resolve(name, ns, TIMEOUT) for name in names))
    assert [r.status for r in results] == ["ok", "ok", "nxdomain"]


# --- analysis on hand-made results (pure) ---------------------------------------------------------


def test_aaaa_servfail_with_a_answer_is_a_warning() -> None:
    result = DnsResult(
        name="x.test",
        nameservers=("127.0.0.1:53",),
        lookups=(
            DnsLookup("x.test", "A", "ok", ("192.0.2.1",), 300),
            DnsLookup("x.test", "AAAA", "servfail", error_detail="answered SERVFAIL"),
        ),
        cname_chain=(),
        addresses=("192.0.2.1",),
        caa=(),
        status="ok",
    )
    (finding,) = dns_findings(result)
    assert (finding.code, finding.severity) == (Code.DNS_ERROR, Severity.WARNING)
    assert finding.evidence["detail"] == "answered SERVFAIL"
    assert finding.evidence["failed"][0]["type"] == "AAAA"
