"""Truth about chains, client policy and names (issue 10 §3, §4, §5), on real servers on loopback.

Each rule has its failing case beside its passing one. A finding must say what a client
following its own rules meets: a chain that ends at an unknown CA is not a missing
intermediate; a SHA-1 signature is not a missing issuer; an RSA-1024 key fails
OpenSSL's security level 2; rules that only strict verifiers enforce are warnings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from sites import MakeSite, codes, findings, step

from tlsdoctor.lab import certs
from tlsdoctor.lab.tls_server import ClientAuth, TlsServer, VHost

HOST = "api.example.test"


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("Truth Lab")


@pytest.fixture(scope="module")
def stranger() -> certs.Pki:
    return certs.make_pki("Stranger")


def _site(make_site: MakeSite, vhost: VHost, trust: list[x509.Certificate], address: str = "127.0.0.61"):
    return make_site(zone={HOST: {"A": [address]}}, servers={address: vhost}, trust=trust)


# --- §3 missing intermediate vs unknown root -------------------------------------------------


def test_a_chain_ending_at_an_unknown_ca_is_an_unknown_root(make_site: MakeSite, pki: certs.Pki, stranger: certs.Pki) -> None:
    """Leaf + intermediate sent, the intermediate's issuer (Stranger Root) is in no store."""
    site = _site(make_site, VHost.of(stranger.leaf(dns=[HOST])), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "chain-incomplete" not in codes(report), "everything but the root was sent"
    untrusted = [f for f in findings(report, "chain-untrusted") if f["severity"] == "error"]
    assert untrusted and untrusted[0]["evidence"]["reason"] == "unknown-root"
    assert "Stranger Root CA" in untrusted[0]["evidence"]["issuer"]
    top = report["diagnosis"][0]
    assert top["kb_id"] == "TLS-1103"
    commands = " ".join(c for w in top["workarounds"] for c in w["commands"])
    assert "--cacert" in commands and "keytool" in commands and "NODE_EXTRA_CA_CERTS" in commands
    assert any("chain" in d["text"].lower() for d in top["dead_ends"])


def test_a_leaf_sent_without_its_intermediate_is_an_incomplete_chain(make_site: MakeSite, pki: certs.Pki) -> None:
    leaf = pki.leaf(dns=[HOST])
    site = _site(make_site, VHost(cert=leaf, chain=()), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "chain-incomplete" in codes(report, "error")
    assert not [f for f in findings(report, "chain-untrusted") if f["evidence"].get("reason") == "unknown-root"]


def test_a_sha1_signature_is_weak_not_a_missing_issuer(make_site: MakeSite) -> None:
    rsa_pki = certs.make_pki("Truth RSA", key_kind="rsa")
    leaf = rsa_pki.leaf(dns=[HOST], signature_hash="sha1")
    site = _site(make_site, VHost.of(leaf), [rsa_pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "chain-incomplete" not in codes(report), "its issuer was sent"
    weak = findings(report, "weak-signature")
    assert weak and weak[0]["severity"] == "error"
    assert {"openssl", "curl", "python-ssl"} <= set(weak[0]["evidence"]["clients"])


def test_a_sha256_signature_is_not_weak(make_site: MakeSite) -> None:
    rsa_pki = certs.make_pki("Truth RSA", key_kind="rsa")
    site = _site(make_site, VHost.of(rsa_pki.leaf(dns=[HOST])), [rsa_pki.root.cert])
    code, report = site.check(HOST)
    assert (code, codes(report, "error")) == (0, set())
    assert "weak-signature" not in codes(report) and "weak-key" not in codes(report)


# --- §3 mTLS: a client certificate from a CA the server does not know ----------------------------


def _mtls_site(make_site: MakeSite, pki: certs.Pki, client_ca: certs.Pki) -> object:
    server = TlsServer(VHost.of(pki.leaf(dns=[HOST])), client_auth=ClientAuth(ca_certs=(client_ca.root.cert,)))
    return make_site(zone={HOST: {"A": ["127.0.0.62"]}}, servers={"127.0.0.62": server}, trust=[pki.root.cert])


def _client_files(tmp_path: Path, issued: certs.Issued, *, with_chain: bool) -> tuple[str, str]:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    cert.write_bytes(issued.chain_pem() if with_chain else issued.cert_pem)
    key.write_bytes(issued.key_pem)
    key.chmod(0o600)
    return str(cert), str(key)


def test_a_client_certificate_from_an_unknown_ca_is_unknown_ca(
    make_site: MakeSite, pki: certs.Pki, stranger: certs.Pki, tmp_path: Path
) -> None:
    client_pki = certs.make_pki("Truth Clients")
    site = _mtls_site(make_site, pki, client_pki)
    stray = certs.make_leaf(stranger.intermediate, dns=["client.example.test"], cn="client.example.test", eku=certs.EKU_CLIENT)
    cert, key = _client_files(tmp_path, stray, with_chain=True)
    code, report = site.check(HOST, "--client-cert", cert, "--client-key", key)  # type: ignore[attr-defined]
    assert code == 1
    assert "mtls-unknown-ca" in codes(report, "error")
    assert "mtls-chain-incomplete" not in codes(report), "adding an intermediate would change nothing"


def test_a_client_certificate_without_its_intermediate_is_an_incomplete_client_chain(
    make_site: MakeSite, pki: certs.Pki, tmp_path: Path
) -> None:
    client_pki = certs.make_pki("Truth Clients")
    site = _mtls_site(make_site, pki, client_pki)
    client = certs.make_leaf(client_pki.intermediate, dns=["client.example.test"], cn="client.example.test", eku=certs.EKU_CLIENT)
    cert, key = _client_files(tmp_path, client, with_chain=False)
    code, report = site.check(HOST, "--client-cert", cert, "--client-key", key)  # type: ignore[attr-defined]
    assert code == 1
    assert "mtls-chain-incomplete" in codes(report, "error")
    cert, key = _client_files(tmp_path, client, with_chain=True)
    code, report = site.check(HOST, "--client-cert", cert, "--client-key", key)  # type: ignore[attr-defined]
    assert code == 0, codes(report, "error")


# --- §4 the client's own policy ------------------------------------------------------------------


def test_an_rsa_1024_key_fails_openssl_security_level_2(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, VHost.of(pki.leaf(dns=[HOST], key_kind="rsa-1024")), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    weak = findings(report, "weak-key")
    assert weak and weak[0]["severity"] == "error"
    assert weak[0]["evidence"]["bits"] == 1024
    assert {"openssl", "curl", "python-ssl"} <= set(weak[0]["evidence"]["clients"])
    _, text = site.text(HOST)
    assert "weak-key" in text


def test_an_rsa_2048_key_is_not_weak(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, VHost.of(pki.leaf(dns=[HOST], key_kind="rsa")), [pki.root.cert])
    code, report = site.check(HOST)
    assert (code, codes(report, "error")) == (0, set())


def test_rules_only_strict_verifiers_enforce_are_warnings(make_site: MakeSite, pki: certs.Pki) -> None:
    """A critical SAN beside a non-empty subject: cryptography refuses, openssl/curl/Python accept."""
    leaf = pki.leaf(dns=[HOST], cn=HOST, san_critical=True)
    site = _site(make_site, VHost.of(leaf), [pki.root.cert])
    code, report = site.check(HOST)
    assert (code, report["verdict"]) == (0, "ok"), codes(report, "error")
    strict = [f for f in report["findings"] if f["evidence"].get("reason") == "strict-verifier-rejects"]
    assert strict and all(f["severity"] == "warning" for f in strict)
    _, text = site.text(HOST)
    assert "candidates exhausted" not in text


def test_a_name_outside_the_permitted_subtree_is_a_name_constraint(make_site: MakeSite) -> None:
    root = certs.make_ca("Constrained Root")
    inter = certs.make_ca("Constrained Intermediate", issuer=root, permitted=["example.test"])
    inside = certs.make_leaf(inter, dns=[HOST])
    outside = certs.make_leaf(inter, dns=["api.other.test"])
    code, report = _site(make_site, VHost.of(inside), [root.cert]).check(HOST)
    assert code == 0, codes(report, "error")
    site = make_site(zone={"api.other.test": {"A": ["127.0.0.63"]}}, servers={"127.0.0.63": VHost.of(outside)}, trust=[root.cert])
    code, report = site.check("api.other.test")
    assert code == 1
    caught = findings(report, "name-constraints")
    assert caught and caught[0]["severity"] == "error"
    assert caught[0]["evidence"]["name"] == "api.other.test"
    assert "example.test" in caught[0]["evidence"]["permitted"]
    assert report["diagnosis"][0]["kb_id"] != "TLS-1103", "trusting the root does not lift a name constraint"


def test_the_failing_client_decides_the_verdict(make_site: MakeSite, pki: certs.Pki) -> None:
    """An underscore in a DNS name: Java refuses it, curl and Python accept it."""
    name = "my_api.example.test"
    site = make_site(zone={name: {"A": ["127.0.0.64"]}}, servers={"127.0.0.64": VHost.of(pki.leaf(dns=[name]))}, trust=[pki.root.cert])
    java_code, java = site.check(name, "--client", "java")
    curl_code, curl = site.check(name, "--client", "curl")
    assert (java_code, java["verdict"]) == (1, "problem")
    assert (curl_code, curl["verdict"]) == (0, "ok")
    assert "java" in java["clients"]["fail"] and "curl" in curl["clients"]["pass"]
    _, text = site.text(name, "--client", "java")
    assert "java" in text


def test_an_unknown_client_is_bad_input(make_site: MakeSite, pki: certs.Pki, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(zone={})
    from tlsdoctor.cli import main  # the harness runs it in-process too

    assert main([*site.argv(HOST), "--client", "lynx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tlsdoctor: ") and err.count("\n") == 1 and "lynx" in err


# --- §5 names: say exactly what is wrong -------------------------------------------------------


def test_a_wildcard_over_a_public_suffix_does_not_cover_the_name(make_site: MakeSite, pki: certs.Pki) -> None:
    name = "example.com"
    site = make_site(zone={name: {"A": ["127.0.0.65"]}}, servers={"127.0.0.65": VHost.of(pki.leaf(dns=["*.com"]))}, trust=[pki.root.cert])
    code, report = site.check(name)
    assert code == 1
    assert "hostname-mismatch" in codes(report, "error")
    assert "covers" not in step(report, "names")["summary"]
    _, text = site.text(name)
    assert "the certificate covers" not in text


def test_a_uri_only_certificate_is_a_mismatch_not_cn_only(make_site: MakeSite, pki: certs.Pki) -> None:
    leaf = pki.leaf(uris=["spiffe://example.test/api"], cn=None)
    site = _site(make_site, VHost.of(leaf), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "hostname-mismatch" in codes(report, "error")
    assert "cn-only" not in codes(report)


def test_a_cn_only_certificate_on_a_trusted_chain_is_only_a_names_problem(make_site: MakeSite, pki: certs.Pki) -> None:
    leaf = pki.leaf(cn=HOST, san=False)
    site = _site(make_site, VHost.of(leaf), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "cn-only" in codes(report, "error")
    assert "chain-untrusted" not in codes(report, "error")


def test_a_signature_that_does_not_verify_is_not_a_missing_issuer(make_site: MakeSite, pki: certs.Pki) -> None:
    """The intermediate sent has the right name but another key: nothing is missing, the signature is bad."""
    impostor = certs.make_ca("Truth Lab Intermediate CA", issuer=pki.root, path_length=0)  # same name, other key
    leaf = pki.leaf(dns=[HOST])
    site = _site(make_site, VHost(cert=leaf, chain=(impostor.cert,)), [pki.root.cert])
    code, report = site.check(HOST)
    assert code == 1
    assert "chain-incomplete" not in codes(report), "the issuer (by name) was sent"
    bad = [f for f in findings(report, "chain-untrusted") if f["evidence"].get("reason") == "bad-signature"]
    assert bad and bad[0]["severity"] == "error"
    assert "Truth Lab Intermediate CA" in bad[0]["evidence"]["issuer"]
