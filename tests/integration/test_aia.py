"""AIA caIssuers fetching against the real loopback lab server, then into the chain analysis."""

from __future__ import annotations

import time

from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from tlsdoctor.analysis.certinfo import describe
from tlsdoctor.analysis.chain import analyse_chain
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Code
from tlsdoctor.lab.aia_server import AiaServer
from tlsdoctor.lab.certs import make_pki, now
from tlsdoctor.probe.aia import fetch_ca_issuers
from tlsdoctor.target import parse_target

PKI = make_pki("AIA Lab")


async def test_der_fetch_completes_the_chain():
    with AiaServer({"/int.crt": PKI.intermediate.der}) as server:
        leaf = PKI.leaf(dns=["aia.example.test"], aia_url=server.url_for("/int.crt"))
        fetch = await fetch_ca_issuers(leaf_aia(leaf), timeout=3)
    assert fetch.ok, fetch.error_detail
    assert fetch.certs_der == (PKI.intermediate.der,)
    assert fetch.content_type == "application/pkix-cert" and fetch.status == 200
    result = analyse_chain(
        [leaf.der],
        target=parse_target("aia.example.test"),
        at=now(),
        anchors=TrustAnchors(stores={"custom": (PKI.root.cert,)}),
        fetched=fetch.certs_der,
        aia_attempts=[fetch],
    )
    finding = next(f for f in result.findings if f.code is Code.CHAIN_INCOMPLETE)
    assert finding.evidence["aia_found"] and finding.evidence["verifies_with_fetched"]
    assert finding.evidence["aia_attempts"][0]["ok"] is True


def leaf_aia(leaf) -> str:
    return describe(leaf.cert).ca_issuers[0]


async def test_pem_and_pkcs7_bodies():
    p7 = pkcs7.serialize_certificates([PKI.intermediate.cert, PKI.root.cert], encoding=Encoding.DER)
    with AiaServer({"/int.pem": PKI.intermediate.cert_pem, "/bundle.p7c": p7}) as server:
        pem_fetch = await fetch_ca_issuers(server.url_for("/int.pem"), timeout=3)
        p7_fetch = await fetch_ca_issuers(server.url_for("/bundle.p7c"), timeout=3)
    assert pem_fetch.ok and pem_fetch.certs_der == (PKI.intermediate.der,)
    assert p7_fetch.ok and set(p7_fetch.certs_der) == {PKI.intermediate.der, PKI.root.der}


async def test_404_and_garbage_are_data():
    with AiaServer({"/junk.crt": b"hello, not a certificate"}) as server:
        missing = await fetch_ca_issuers(server.url_for("/nope.crt"), timeout=3)
        junk = await fetch_ca_issuers(server.url_for("/junk.crt"), timeout=3)
    assert not missing.ok and missing.status == 404 and "404" in missing.error_detail
    assert not junk.ok and "not a DER, PEM or PKCS#7" in junk.error_detail


async def test_redirect_is_followed_once():
    with AiaServer({"/real.crt": PKI.intermediate.der}, redirects={"/old.crt": "/real.crt"}) as server:
        fetch = await fetch_ca_issuers(server.url_for("/old.crt"), timeout=3)
        assert server.requests == ["/old.crt", "/real.crt"]
    assert fetch.ok and fetch.certs_der == (PKI.intermediate.der,)


async def test_oversized_body_is_capped():
    with AiaServer(mode="oversized", oversized_bytes=200_000) as server:
        fetch = await fetch_ca_issuers(server.url_for("/big.crt"), timeout=3, max_bytes=4096)
    assert not fetch.ok and "too large" in fetch.error_detail


async def test_slow_server_hits_the_deadline():
    with AiaServer({"/int.crt": PKI.intermediate.der}, mode="slow", delay=10) as server:
        start = time.perf_counter()
        fetch = await fetch_ca_issuers(server.url_for("/int.crt"), timeout=0.3)
        elapsed = time.perf_counter() - start
    assert not fetch.ok and "timed out" in fetch.error_detail
    assert elapsed < 2.0 and fetch.elapsed_ms >= 250


async def test_https_and_other_schemes_are_refused():
    https = await fetch_ca_issuers("https://127.0.0.1:1/int.crt", timeout=1)
    ldap = await fetch_ca_issuers("ldap://127.0.0.1/cn=x", timeout=1)
    assert not https.ok and "RFC 5280" in https.error_detail
    assert not ldap.ok and "http://" in ldap.error_detail


async def test_refused_connection_is_data():
    with AiaServer() as server:
        port = server.port
    fetch = await fetch_ca_issuers(f"http://127.0.0.1:{port}/int.crt", timeout=2)
    assert not fetch.ok and "connect failed" in fetch.error_detail
