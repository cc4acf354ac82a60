"""The names step on real lab certificates: every RFC 9525 rule, the per-client
matrix of reference/error-messages.md §3.1, the findings, and the closest SAN.

The python-ssl and requests columns are also checked against the real `ssl`
module: an in-memory TLS handshake (MemoryBIO, no sockets) with the same
certificate, so the model cannot drift from what OpenSSL really does.
"""

from __future__ import annotations

import json
import ssl
import tempfile
import time
from pathlib import Path

import pytest

from tlsdoctor.analysis.names import (
    CLIENT_RULES,
    NamesResult,
    SanKind,
    Verdict,
    check_names,
    match_name,
)
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.certs import Issued, make_ca, make_leaf, many_sans
from tlsdoctor.reasons import reason_text
from tlsdoctor.target import parse_target


@pytest.fixture(scope="module")
def ca() -> Issued:
    return make_ca("Names Lab Root CA")


def names(ca: Issued, host: str, **leaf) -> NamesResult:
    return check_names(make_leaf(ca, **leaf).cert, parse_target(host))


def verdict_of(result: NamesResult, value: str):
    [found] = [v for v in result.verdicts if v.value == value]
    return found


def codes(result: NamesResult) -> dict[Code, Severity]:
    return {f.code: f.severity for f in result.findings}


def clients(result: NamesResult) -> dict[str, bool]:
    return {c.client: c.accepts for c in result.clients}


# --------------------------------------------------------------------------- the pure rule

RULE_CASES = [
    # presented, reference, verdict, reason
    ("www.example.com", "www.example.com", Verdict.MATCH, "exact"),
    ("WWW.Example.COM", "www.example.com", Verdict.MATCH, "exact"),
    ("www.example.com", "WWW.EXAMPLE.COM.", Verdict.MATCH, "exact"),
    ("*.example.com", "foo.example.com", Verdict.MATCH, "wildcard-one-label"),
    ("*.EXAMPLE.com", "foo.example.com", Verdict.MATCH, "wildcard-one-label"),
    ("*.example.com", "example.com", Verdict.NO_MATCH, "wildcard-apex"),
    ("*.example.com", "a.b.example.com", Verdict.NO_MATCH, "wildcard-depth"),
    ("*.example.com", "foo.example.org", Verdict.NO_MATCH, "different-name"),
    ("f*.example.com", "foo.example.com", Verdict.INVALID, "wildcard-partial"),
    ("*oo.example.com", "foo.example.com", Verdict.INVALID, "wildcard-partial"),
    ("f*o.example.com", "foo.example.com", Verdict.INVALID, "wildcard-partial"),
    ("www.*.example.com", "www.foo.example.com", Verdict.INVALID, "wildcard-not-leftmost"),
    ("*.*.example.com", "a.b.example.com", Verdict.INVALID, "multiple-wildcards"),
    ("*.com", "example.com", Verdict.MATCH, "wildcard-public-suffix"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example", Verdict.MATCH, "exact"),
    ("bücher.example", "xn--bcher-kva.example", Verdict.INVALID, "idna-u-label-in-cert"),
    ("trail.example.com.", "trail.example.com", Verdict.INVALID, "trailing-dot"),
    ("127.0.0.3", "127.0.0.3", Verdict.NO_MATCH, "ip-vs-dns"),
    ("-bad.example.com", "-bad.example.com", Verdict.INVALID, "invalid-dns-name"),
    ("a..example.com", "a.example.com", Verdict.INVALID, "invalid-dns-name"),
    ("", "example.com", Verdict.INVALID, "invalid-dns-name"),
    ("www.example.com", "api.example.com", Verdict.NO_MATCH, "different-name"),
]


@pytest.mark.parametrize(("presented", "reference", "verdict", "reason"), RULE_CASES)
def test_match_name_rule_table(presented: str, reference: str, verdict: Verdict, reason: str) -> None:
    assert match_name(presented, reference) == (verdict, reason)


# --------------------------------------------------------------------------- RFC 9525 on certificates


def test_exact_name_matches_and_nothing_is_raised(ca: Issued) -> None:
    result = names(ca, "www.example.com", dns=["www.example.com"], cn="www.example.com")
    assert result.matched
    assert result.closest is None
    assert result.findings == ()
    assert all(c.accepts for c in result.clients)


def test_match_is_case_insensitive(ca: Issued) -> None:
    result = names(ca, "WWW.Example.Com", dns=["www.EXAMPLE.com"])
    assert result.matched
    assert verdict_of(result, "www.EXAMPLE.com").reason == "exact"
    assert verdict_of(result, "www.EXAMPLE.com").normalised == "www.example.com"


def test_wildcard_covers_exactly_one_label(ca: Issued) -> None:
    result = names(ca, "api.example.com", dns=["*.example.com"])
    assert result.matched
    assert verdict_of(result, "*.example.com").reason == "wildcard-one-label"


def test_wildcard_does_not_cover_apex(ca: Issued) -> None:
    result = names(ca, "example.com", dns=["*.example.com"], cn="example.com")
    assert not result.matched
    assert result.closest is not None and result.closest.value == "*.example.com"
    assert result.closest.reason == "wildcard-apex"
    assert codes(result) == {Code.HOSTNAME_MISMATCH: Severity.ERROR, Code.WILDCARD_APEX: Severity.ERROR, Code.CN_NOT_IN_SAN: Severity.WARNING}
    assert not any(clients(result).values())


def test_wildcard_does_not_cover_two_labels(ca: Issued) -> None:
    result = names(ca, "a.b.example.com", dns=["*.example.com"])
    depth = verdict_of(result, "*.example.com")
    assert (depth.verdict, depth.reason) == (Verdict.NO_MATCH, "wildcard-depth")
    assert depth.detail["depth"] == "2" and depth.detail["base"] == "example.com"
    assert Code.WILDCARD_DEPTH in codes(result)


@pytest.mark.parametrize("pattern", ["f*.example.com", "*oo.example.com"])
def test_partial_wildcard_is_invalid_and_explains_the_mismatch(ca: Issued, pattern: str) -> None:
    result = names(ca, "foo.example.com", dns=[pattern, "www.example.com"])
    assert not result.matched
    partial = verdict_of(result, pattern)
    assert (partial.verdict, partial.reason) == (Verdict.INVALID, "wildcard-partial")
    assert partial.detail["would_match"] == "yes"
    assert result.closest == partial
    assert codes(result)[Code.WILDCARD_PARTIAL] is Severity.ERROR


def test_irrelevant_partial_wildcard_is_only_a_warning(ca: Issued) -> None:
    result = names(ca, "www.example.com", dns=["www.example.com", "f*.other.com"])
    assert result.matched
    assert codes(result) == {Code.WILDCARD_PARTIAL: Severity.WARNING}


def test_wildcard_not_in_leftmost_label_is_ignored(ca: Issued) -> None:
    result = names(ca, "www.foo.example.com", dns=["www.*.example.com"])
    assert not result.matched
    assert verdict_of(result, "www.*.example.com").reason == "wildcard-not-leftmost"
    finding = next(f for f in result.findings if f.code is Code.WILDCARD_PARTIAL)
    assert finding.evidence["reason"] == "wildcard-not-leftmost"
    assert clients(result)["java"] is True  # matchAllWildcards: `*` in any label
    assert clients(result)["openssl"] is False


def test_two_wildcards_are_ignored(ca: Issued) -> None:
    result = names(ca, "a.b.example.com", dns=["*.*.example.com"])
    assert not result.matched
    assert verdict_of(result, "*.*.example.com").reason == "multiple-wildcards"
    assert [c.client for c in result.clients if c.accepts] == ["java"]


def test_wildcard_on_a_top_level_domain_is_flagged(ca: Issued) -> None:
    result = names(ca, "example.com", dns=["*.com"])
    assert result.matched  # RFC 9525 leaves public suffixes out of scope
    assert verdict_of(result, "*.com").reason == "wildcard-public-suffix"
    accepted = {c.client for c in result.clients if c.accepts}
    assert accepted == {"java", "go"}


def test_idn_target_matches_its_a_label_san(ca: Issued) -> None:
    result = names(ca, "bücher.example", dns=["xn--bcher-kva.example"])
    assert result.matched
    assert result.reference == "xn--bcher-kva.example"
    assert result.display_reference == "bücher.example"


def test_u_label_in_certificate_is_invalid_but_noted() -> None:
    # cryptography refuses to write a U-label dNSName, so this case is the pure rule.
    verdict, reason = match_name("bücher.example", "xn--bcher-kva.example")
    assert (verdict, reason) == (Verdict.INVALID, "idna-u-label-in-cert")


def test_trailing_dot_target_matches_and_records_the_clients_that_refuse(ca: Issued) -> None:
    result = names(ca, "trail.example.com.", dns=["trail.example.com"])
    assert result.matched and result.trailing_dot
    assert result.reference == "trail.example.com"
    refused = {c.client: c.note for c in result.clients if not c.accepts}
    assert refused == {"openssl": "trailing-dot", "python-ssl": "trailing-dot"}


def test_trailing_dot_in_certificate_name_is_invalid(ca: Issued) -> None:
    result = names(ca, "trail.example.com", dns=["trail.example.com."])
    assert not result.matched
    assert verdict_of(result, "trail.example.com.").reason == "trailing-dot"
    assert clients(result)["curl"] and clients(result)["node"]


def test_ipv4_target_matches_ip_san(ca: Issued) -> None:
    result = names(ca, "192.0.2.10", ips=["192.0.2.10"], dns=["www.example.com"])
    assert result.matched
    assert verdict_of(result, "192.0.2.10").reason == "ip-match"
    assert verdict_of(result, "www.example.com").reason == "ip-vs-dns"
    assert all(c.accepts for c in result.clients)


def test_ipv6_compressed_and_expanded_forms_are_one_address(ca: Issued) -> None:
    result = names(ca, "[2001:0db8:0000:0000:0000:0000:0000:0001]:8443", ips=["2001:db8::1"])
    assert result.matched and result.is_ip
    assert result.verdicts[0].normalised == "2001:db8::1"


def test_different_ip_is_not_in_san(ca: Issued) -> None:
    result = names(ca, "192.0.2.10", ips=["192.0.2.11"])
    assert not result.matched
    assert verdict_of(result, "192.0.2.11").reason == "ip-different"
    assert verdict_of(result, "192.0.2.11").similarity > 0.8
    ip_finding = next(f for f in result.findings if f.code is Code.IP_NOT_IN_SAN)
    assert ip_finding.severity is Severity.ERROR
    assert ip_finding.evidence["ip_sans"] == ["192.0.2.11"]


def test_ip_written_as_dns_name_does_not_match(ca: Issued) -> None:
    result = names(ca, "127.0.0.3", dns=["127.0.0.3"], cn="127.0.0.3")
    assert not result.matched
    dns = next(v for v in result.verdicts if v.kind is SanKind.DNS)
    assert (dns.reason, dns.detail["same_address"]) == ("ip-vs-dns", "yes")
    assert result.closest == dns
    finding = next(f for f in result.findings if f.code is Code.IP_NOT_IN_SAN)
    assert finding.evidence["as_dns_name"] is True and finding.evidence["in_cn"] is True
    assert {c.note for c in result.clients} == {"ip-vs-dns"}


def test_ipv4_mapped_ipv6_san_only_convinces_java_and_go(ca: Issued) -> None:
    result = names(ca, "192.0.2.10", ips=["::ffff:192.0.2.10"])
    assert not result.matched
    assert result.verdicts[0].reason == "ip-v4-mapped"
    assert {c.client for c in result.clients if c.accepts} == {"java", "go"}
    assert next(f for f in result.findings if f.code is Code.IP_NOT_IN_SAN).evidence["v4_mapped"] is True


def test_dns_target_never_matches_ip_san(ca: Issued) -> None:
    result = names(ca, "www.example.com", ips=["192.0.2.10"], cn="www.example.com")
    assert not result.matched
    assert verdict_of(result, "192.0.2.10").reason == "dns-vs-ip"
    assert verdict_of(result, "www.example.com").reason == "cn-ignored-san-present"


def test_cn_only_certificate_that_matches(ca: Issued) -> None:
    result = names(ca, "localhost", cn="localhost", san=False)
    assert not result.matched  # RFC 9525 §2: the CN is never an identifier
    cn = result.verdicts[0]
    assert (cn.kind, cn.reason, cn.detail["legacy"]) == (SanKind.CN, "cn-used-no-san", "match")
    assert result.closest == cn
    finding = next(f for f in result.findings if f.code is Code.CN_ONLY)
    assert finding.severity is Severity.ERROR
    assert finding.evidence == {"host": "localhost", "cn": ["localhost"], "cn_matches_host": True, "san_present": False}
    assert Code.HOSTNAME_MISMATCH in codes(result)


def test_cn_only_certificate_that_does_not_match(ca: Issued) -> None:
    result = names(ca, "api.example.com", cn="www.example.com", san=False)
    finding = next(f for f in result.findings if f.code is Code.CN_ONLY)
    assert finding.evidence["cn_matches_host"] is False
    assert not any(clients(result).values())
    assert {c.note for c in result.clients} == {"no-match"}


def test_cn_ignored_when_san_present(ca: Issued) -> None:
    result = names(ca, "api.example.com", dns=["www.example.com"], cn="api.example.com")
    assert not result.matched
    cn = next(v for v in result.verdicts if v.kind is SanKind.CN)
    assert (cn.reason, cn.detail["legacy"]) == ("cn-ignored-san-present", "match")
    assert result.closest is not None and result.closest.kind is SanKind.DNS  # SANs rank before the CN
    assert {c.note for c in result.clients} == {"cn-ignored-san-present"}
    assert codes(result)[Code.CN_NOT_IN_SAN] is Severity.WARNING


def test_cn_not_in_san_is_a_warning_even_when_the_name_matches(ca: Issued) -> None:
    result = names(ca, "www.example.com", dns=["www.example.com"], cn="Example Web Server")
    assert result.matched
    assert codes(result) == {Code.CN_NOT_IN_SAN: Severity.WARNING}
    assert result.findings[0].evidence == {"cn": ["Example Web Server"], "sans": ["www.example.com"]}


def test_cn_equal_to_an_ip_san_text_is_fine(ca: Issued) -> None:
    result = names(ca, "2001:db8::1", ips=["2001:db8::1"], cn="2001:db8::1")
    assert result.matched
    assert result.findings == ()


def test_uri_and_email_sans_are_not_used_for_dns(ca: Issued) -> None:
    result = names(
        ca,
        "api.example.com",
        uris=["https://api.example.com/"],
        emails=["ops@api.example.com"],
        dns=["www.example.com"],
    )
    assert not result.matched
    assert verdict_of(result, "https://api.example.com/").reason == "uri-not-used"
    assert verdict_of(result, "ops@api.example.com").reason == "email-not-used"
    assert not any(clients(result).values())


def test_every_san_and_cn_gets_one_verdict_in_certificate_order(ca: Issued) -> None:
    result = names(
        ca,
        "www.example.com",
        dns=["a.example.com", "b.example.com"],
        ips=["192.0.2.1"],
        uris=["spiffe://example/ns/a"],
        emails=["x@example.com"],
        cn="a.example.com",
    )
    kinds = [(v.kind, v.value) for v in result.verdicts]
    assert kinds == [
        (SanKind.DNS, "a.example.com"),
        (SanKind.DNS, "b.example.com"),
        (SanKind.IP, "192.0.2.1"),
        (SanKind.URI, "spiffe://example/ns/a"),
        (SanKind.EMAIL, "x@example.com"),
        (SanKind.CN, "a.example.com"),
    ]
    assert result.common_names == ("a.example.com",)


def test_no_names_at_all(ca: Issued) -> None:
    result = names(ca, "www.example.com", san=False, cn=None)
    assert not result.matched and result.closest is None
    [finding] = result.findings
    assert finding.code is Code.HOSTNAME_MISMATCH
    assert finding.evidence["closest"] is None and finding.evidence["sans"] == []


def test_hostname_mismatch_evidence_keeps_certificate_text_exactly(ca: Issued) -> None:
    hostile = "[red]x[/red].example.com"
    result = names(ca, "www.example.com", dns=["WWW.Exampel.com", hostile], cn="\u202eevil")
    finding = next(f for f in result.findings if f.code is Code.HOSTNAME_MISMATCH)
    assert finding.evidence["sans"] == ["WWW.Exampel.com", hostile]
    assert finding.evidence["cn"] == ["\u202eevil"]
    assert finding.evidence["closest"] == "WWW.Exampel.com"
    assert finding.evidence["closest_reason"] == "different-name"
    assert verdict_of(result, hostile).reason == "invalid-dns-name"


# --------------------------------------------------------------------------- closest SAN and label diff


def test_closest_san_prefers_the_nearer_name(ca: Issued) -> None:
    result = names(ca, "api.staging.example.com", dns=["www.other.org", "api.prod.example.com", "example.com"])
    assert result.closest is not None and result.closest.value == "api.prod.example.com"
    near = verdict_of(result, "api.prod.example.com").similarity
    far = verdict_of(result, "www.other.org").similarity
    assert 0 <= far < near < 1


def test_label_diff_is_aligned_from_the_right(ca: Issued) -> None:
    result = names(ca, "api.staging.example.com", dns=["prod.example.com"])
    rows = [(r.presented, r.reference, r.same) for r in result.verdicts[0].labels]
    assert rows == [
        (None, "api", False),
        ("prod", "staging", False),
        ("example", "example", True),
        ("com", "com", True),
    ]


def test_typo_is_closer_than_a_stranger(ca: Issued) -> None:
    result = names(ca, "www.example.com", dns=["www.exmaple.com", "www.example.org", "mail.example.net"])
    assert result.closest is not None and result.closest.value == "www.exmaple.com"


def test_apex_wildcard_is_closest_for_the_apex(ca: Issued) -> None:
    result = names(ca, "wild.example.com", dns=["trail.example.com", "*.wild.example.com"], cn="zzz.example.com")
    assert result.closest is not None and result.closest.value == "*.wild.example.com"


# --------------------------------------------------------------------------- per-client matrix (§3.1)

SECTION_3_1_SANS = ["f*.part.example.com", "*.wild.example.com", "trail.example.com", "127.0.0.3", "xn--bcher-kva.example"]
ALL = ("openssl", "curl", "python-ssl", "requests", "node", "java", "go", "wget", "chrome", "firefox")


def accepting(*accepted: str) -> dict[str, bool]:
    return {client: client in accepted for client in ALL}


MATRIX = [
    ("foo.part.example.com", accepting("openssl", "node", "java")),
    ("trail.example.com.", accepting("curl", "requests", "node", "java", "go", "wget", "chrome", "firefox")),
    ("127.0.0.3", accepting()),
    ("wild.example.com", accepting()),
    ("a.b.wild.example.com", accepting()),
    ("bücher.example", accepting(*ALL)),
]


@pytest.fixture(scope="module")
def section_3_1_cert(ca: Issued) -> Issued:
    return make_leaf(ca, dns=SECTION_3_1_SANS, cn="trail.example.com")


@pytest.mark.parametrize(("host", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_client_matrix_matches_observed_behaviour(section_3_1_cert: Issued, host: str, expected: dict[str, bool]) -> None:
    result = check_names(section_3_1_cert.cert, parse_target(host))
    assert clients(result) == expected


def test_client_matrix_cn_only_column(ca: Issued) -> None:
    result = names(ca, "localhost", cn="localhost", san=False)
    assert clients(result) == accepting("openssl", "curl", "python-ssl", "node", "java", "wget")
    notes = {c.client: c.note for c in result.clients}
    assert notes["openssl"] == "cn-used-no-san" and notes["go"] == "cn-only"


def test_client_matrix_notes_say_why(section_3_1_cert: Issued) -> None:
    result = check_names(section_3_1_cert.cert, parse_target("foo.part.example.com"))
    assert {c.note for c in result.clients} == {"wildcard-partial"}


def test_node_partial_wildcard_not_in_idna_label_or_tld(ca: Issued) -> None:
    assert clients(names(ca, "xn--bcher-kva.example.com", dns=["xn--*.example.com"]))["node"] is False
    assert clients(names(ca, "foo.com", dns=["f*.com"]))["node"] is False
    assert clients(names(ca, "foo.example.com", dns=["f*.example.com"]))["node"] is True


def test_cn_fallback_differences_with_only_ip_sans(ca: Issued) -> None:
    # No dNSName but an iPAddress SAN: OpenSSL, Node and Java still read the CN; curl does not.
    result = names(ca, "legacy.example.com", ips=["192.0.2.1"], cn="legacy.example.com")
    assert clients(result) == accepting("openssl", "python-ssl", "node", "java")


def test_client_rules_are_one_function_per_client() -> None:
    assert tuple(CLIENT_RULES) == ALL
    assert all(callable(rule) for rule in CLIENT_RULES.values())


def _ssl_handshake_ok(ca: Issued, leaf: Issued, host: str, *, common_name: bool) -> bool:
    """A real OpenSSL handshake through Python's ssl, in memory: the ground truth for python-ssl."""
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(leaf.chain_pem())
        key_file.write_bytes(leaf.key_pem)
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.load_cert_chain(cert_file, key_file)
    client_ctx = ssl.create_default_context(cadata=ca.cert_pem.decode())
    client_ctx.hostname_checks_common_name = common_name
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=host)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    for _ in range(10):
        for side in (client, server):
            try:
                side.do_handshake()
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError:
                return False
            except ssl.SSLError:
                if side is server:
                    continue
                raise
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if client.version() is not None and not c_out.pending:
            try:
                client.do_handshake()
                return True
            except ssl.SSLWantReadError:
                continue
    raise AssertionError("handshake did not finish")


SSL_CASES = [
    ("foo.part.example.com", dict(dns=SECTION_3_1_SANS)),
    ("x.wild.example.com", dict(dns=SECTION_3_1_SANS)),
    ("wild.example.com", dict(dns=SECTION_3_1_SANS)),
    ("trail.example.com.", dict(dns=SECTION_3_1_SANS)),
    ("trail.example.com", dict(dns=SECTION_3_1_SANS)),
    ("127.0.0.3", dict(dns=SECTION_3_1_SANS)),
    ("127.0.0.3", dict(ips=["127.0.0.3"])),
    ("localhost", dict(cn="localhost", san=False)),
    ("legacy.example.com", dict(ips=["192.0.2.1"], cn="legacy.example.com")),
]


@pytest.mark.parametrize(("host", "leaf_args"), SSL_CASES, ids=[f"{h}-{i}" for i, (h, _) in enumerate(SSL_CASES)])
def test_python_ssl_columns_agree_with_a_real_handshake(ca: Issued, host: str, leaf_args: dict) -> None:
    leaf_args = {"cn": "tlsdoctor lab", **leaf_args}
    leaf = make_leaf(ca, **leaf_args)
    result = check_names(leaf.cert, parse_target(host))
    assert clients(result)["python-ssl"] is _ssl_handshake_ok(ca, leaf, host, common_name=True)
    if not host.endswith("."):  # urllib3 strips the dot itself before calling ssl
        assert clients(result)["requests"] is _ssl_handshake_ok(ca, leaf, host, common_name=False)


# --------------------------------------------------------------------------- scale, JSON, text


def test_three_thousand_sans_stay_fast(ca: Issued) -> None:
    leaf = make_leaf(ca, dns=many_sans(3000, include=["host-01500.example.test"]))
    target = parse_target("host-99999.example.test")
    best = min(_timed(lambda: check_names(leaf.cert, target)) for _ in range(3))
    result = check_names(leaf.cert, target)
    print(f"\ncheck_names on 3000 SANs: {best * 1000:.1f} ms")
    assert len(result.verdicts) == 3000
    assert not result.matched and result.closest is not None
    assert result.closest.value.startswith("host-") and result.closest.value.endswith(".example.test")
    assert best < 2.0
    assert check_names(leaf.cert, parse_target("host-01500.example.test")).matched


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def test_hostile_wildcard_pattern_does_not_backtrack(ca: Issued) -> None:
    pattern = "*a" * 30 + "b.example.com"
    result = names(ca, "a" * 63 + ".example.com", dns=[pattern])
    assert not result.matched
    assert verdict_of(result, pattern).reason == "multiple-wildcards"
    assert verdict_of(result, pattern).detail["would_match"] == "no"


def test_to_json_is_plain_json(ca: Issued) -> None:
    result = names(ca, "example.com", dns=["*.example.com", "f*.example.com"], ips=["192.0.2.1"], cn="example.com")
    data = json.loads(json.dumps(result.to_json()))
    assert data["matched"] is False
    assert data["closest"]["value"] == "*.example.com"
    assert [v["reason"] for v in data["verdicts"]] == ["wildcard-apex", "wildcard-partial", "dns-vs-ip", "cn-ignored-san-present"]
    assert {c["client"] for c in data["clients"]} == set(ALL)
    assert {f["code"] for f in data["findings"]} >= {"hostname-mismatch", "wildcard-apex", "wildcard-partial"}
    assert data["verdicts"][0]["labels"][0] == {"presented": "*", "reference": None, "same": False}


def test_reason_text_fills_parameters() -> None:
    assert "example.com" in reason_text("wildcard-apex", {"base": "example.com"})
    assert reason_text("no-such-code") == "no-such-code"
    assert reason_text("wildcard-depth", {}) != ""  # a missing parameter never raises
