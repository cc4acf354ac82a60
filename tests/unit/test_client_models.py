"""The per-client rules the real-client conformance suite taught (tests/conformance/clients): each with a
passing and a failing case, pure and fast. The live proof is the suite; these pin the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tlsdoctor.analysis.chain import analyse_chain
from tlsdoctor.analysis.names import check_names
from tlsdoctor.analysis.names.client_gnutls import gnutls_compare
from tlsdoctor.analysis.names.client_notes import MODEL_ONLY, checked_with
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Finding
from tlsdoctor.lab.certs import EKU_CLIENT, Issued, Pki, make_ca, make_leaf, make_pki
from tlsdoctor.target import parse_target

H = "api.example.test"


def clients(leaf: Issued, host: str) -> dict[str, bool]:
    return {c.client: c.accepts for c in check_names(leaf.cert, parse_target(host)).clients}


def chain_findings(leaf: Issued, sent: tuple[x509.Certificate, ...], anchors: tuple[x509.Certificate, ...], host: str = H) -> list[Finding]:
    ders = [c.public_bytes(serialization.Encoding.DER) for c in (leaf.cert, *sent)]
    result = analyse_chain(ders, target=parse_target(host), at=dt.datetime.now(dt.UTC), anchors=TrustAnchors(stores={"custom": anchors}))
    return list(result.findings)


def refusing(findings: list[Finding], code: str, reason: str | None = None) -> list[str] | None:
    for f in findings:
        if f.code.value == code and (reason is None or f.evidence.get("reason") == reason):
            value = f.evidence.get("clients")
            return list(value) if isinstance(value, list) else None
    return None


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("Client Models")


@pytest.mark.parametrize(
    ("pattern", "host", "match"),
    [
        ("*.example.test", "api.example.test", True),
        ("*oo.example.test", "foo.example.test", True),  # the star first: GnuTLS allows a suffix after it
        ("f*.example.test", "foo.example.test", False),  # not first: compared literally
        ("*.test", "example.test", False),  # two dots needed after the star
        ("*.example.test", "a.b.example.test", False),
        ("API.example.TEST", "api.example.test", True),
        ("api.example.test.", "api.example.test", False),
    ],
)
def test_wget_gnutls_wildcards(pattern: str, host: str, match: bool) -> None:
    assert gnutls_compare(pattern, host) is match


def test_wget_reads_the_cn_only_without_dns_and_ip_sans(pki: Pki) -> None:
    assert clients(pki.leaf(cn=H, san=False), H)["wget"] is True
    assert clients(pki.leaf(ips=["127.0.0.2"], cn=H), H)["wget"] is False
    assert clients(pki.leaf(ips=["127.0.0.2"], cn=H), H)["openssl"] is True


def test_java_refuses_an_underscore_host_even_under_a_wildcard(pki: Pki) -> None:
    leaf = pki.leaf(dns=["*.example.test"])
    assert clients(leaf, "my_api.example.test")["java"] is False
    assert clients(leaf, "my-api.example.test")["java"] is True


def test_java_compares_u_labels_so_a_partial_a_label_wildcard_never_matches(pki: Pki) -> None:
    assert clients(pki.leaf(dns=["xn--*.example.test"]), "xn--bcher-kva.example.test")["java"] is False
    assert clients(pki.leaf(dns=["*.example.test"]), "xn--bcher-kva.example.test")["java"] is True


def test_idna_2003_clients_ask_for_strasse(pki: Pki) -> None:
    idna2008 = check_names(pki.leaf(dns=["xn--strae-oqa.example.test"]).cert, parse_target("straße.example.test"))
    verdicts = {c.client: c for c in idna2008.clients}
    assert not verdicts["python-ssl"].accepts and verdicts["python-ssl"].note == "idna2003"
    assert not verdicts["java"].accepts and verdicts["curl"].accepts and verdicts["requests"].accepts
    idna2003 = clients(pki.leaf(dns=["strasse.example.test"]), "straße.example.test")
    assert idna2003["python-ssl"] and idna2003["java"] and not idna2003["curl"]


def test_go_bare_wildcard_is_versioned(pki: Pki) -> None:
    go = next(c for c in check_names(pki.leaf(dns=["*"]).cert, parse_target("localhost")).clients if c.client == "go")
    assert go.accepts is False and go.versions == {"since": "1.20", "why": "bare-wildcard"}
    go = next(c for c in check_names(pki.leaf(dns=["*.example.test"]).cert, parse_target("localhost")).clients if c.client == "go")
    assert go.versions is None


def test_model_only_and_checked_with(pki: Pki) -> None:
    rows = {c.client: c for c in check_names(pki.leaf(dns=[H]).cert, parse_target(H)).clients}
    assert {n for n, c in rows.items() if c.model_only} == set(MODEL_ONLY)
    assert rows["chrome"].checked_with is None and checked_with("chrome") is None
    assert rows["wget"].checked_with and "GnuTLS" in rows["wget"].checked_with


def test_weak_anchor_key_is_weighed_by_openssl_only(pki: Pki) -> None:
    root = make_ca("Weak Root", key_kind="rsa-1024")
    ca = make_ca("Under Weak Root", issuer=root)
    leaf = make_leaf(ca, dns=[H])
    assert refusing(chain_findings(leaf, (ca.cert,), (root.cert,)), "weak-key") == ["openssl", "curl", "python-ssl", "requests"]
    assert refusing(chain_findings(pki.leaf(dns=[H]), (pki.intermediate.cert,), (pki.root.cert,)), "weak-key") is None


def test_trusting_an_intermediate_splits_the_clients(pki: Pki) -> None:
    leaf = pki.leaf(dns=[H])
    findings = chain_findings(leaf, (pki.intermediate.cert,), (pki.intermediate.cert,))
    assert refusing(findings, "chain-untrusted", "anchor-not-root") == ["openssl", "python-ssl", "requests", "node"]
    assert refusing(chain_findings(leaf, (pki.intermediate.cert,), (pki.root.cert,)), "chain-untrusted", "anchor-not-root") is None


def test_name_constraints_reach_a_san_less_cn_and_java_ignores_the_anchors(pki: Pki) -> None:
    ca = make_ca("NC", issuer=pki.root, permitted=["example.test"])
    cn_outside = make_leaf(ca, cn="api.other.test", san=False)
    assert "java" in (refusing(chain_findings(cn_outside, (ca.cert,), (pki.root.cert,), "api.other.test"), "name-constraints") or [])
    assert refusing(chain_findings(make_leaf(ca, cn=H, san=False), (ca.cert,), (pki.root.cert,)), "name-constraints") is None
    root = make_ca("NC Root", permitted=["example.test"])
    under = make_ca("Under NC Root", issuer=root)
    outside = refusing(chain_findings(make_leaf(under, dns=["api.other.test"]), (under.cert,), (root.cert,), "api.other.test"), "name-constraints")
    assert outside is not None and "java" not in outside and "openssl" in outside


def test_eku_splits(pki: Pki) -> None:
    client_only = chain_findings(pki.leaf(dns=[H], eku=EKU_CLIENT), (pki.intermediate.cert,), (pki.root.cert,))
    assert "wget" not in (refusing(client_only, "eku-no-server-auth") or ["wget"])
    any_eku = chain_findings(pki.leaf(dns=[H], eku=[x509.oid.ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]), (pki.intermediate.cert,), (pki.root.cert,))
    assert refusing(any_eku, "eku-no-server-auth", "any-eku") == ["openssl", "curl", "python-ssl", "requests", "node", "firefox"]


def test_an_expired_anchor_stops_everyone_but_java() -> None:
    now = dt.datetime.now(dt.UTC)
    root = make_ca("Old Root", not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=5))
    ca = make_ca("Under Old Root", issuer=root)
    findings = chain_findings(make_leaf(ca, dns=[H]), (ca.cert,), (root.cert,))
    expired = next(f for f in findings if f.code.value == "cert-expired")
    assert expired.evidence["position"] == "anchor" and "java" in list(expired.evidence["accepting"])


def test_a_huge_certificate_message_stops_java_then_go(pki: Pki) -> None:
    names = [H] + [f"host-{i:05d}.example.test" for i in range(2999)]
    assert refusing(chain_findings(pki.leaf(dns=names), (pki.intermediate.cert,), (pki.root.cert,)), "handshake-failed") == ["java", "go"]
    assert refusing(chain_findings(pki.leaf(dns=names[:300]), (pki.intermediate.cert,), (pki.root.cert,)), "handshake-failed") is None
