"""The chain step on real lab certificates: each broken shape next to the good one."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509

from tlsdoctor.analysis.certinfo import describe
from tlsdoctor.analysis.chain import MAX_PRESENTED, analyse_chain
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.certs import (
    EKU_CLIENT,
    expired,
    make_ca,
    make_leaf,
    make_pki,
    not_yet_valid,
    now,
    pem,
)
from tlsdoctor.offline import inspect_certificates
from tlsdoctor.probe.truststore import load_ca_file, load_trust_anchors
from tlsdoctor.target import parse_target

HOST = "www.example.test"
TARGET = parse_target(HOST)


@pytest.fixture(scope="module")
def pki():
    return make_pki("Chain Lab", aia_url="http://127.0.0.1:9/root.crt")


def der(*issued) -> list[bytes]:
    return [i.der for i in issued]


def anchors_for(*cas) -> TrustAnchors:
    return TrustAnchors(stores={"custom": tuple(ca.cert for ca in cas)})


def run(presented, anchors, **kwargs):
    return analyse_chain(presented, target=TARGET, at=kwargs.pop("at", now()), anchors=anchors, **kwargs)


def codes(result, severity=None):
    return [f.code for f in result.findings if severity is None or f.severity is severity]


def one(result, code):
    found = [f for f in result.findings if f.code is code]
    assert len(found) == 1, result.findings
    return found[0]


def test_good_chain_has_no_findings(pki):
    leaf = pki.leaf(dns=[HOST])
    result = run(der(leaf, pki.intermediate), anchors_for(pki.root))
    assert result.findings == ()
    assert result.verdict == "ok"
    custom = result.verdict_for("custom")
    assert custom is not None and custom.ok and custom.server_error is None
    assert [subject for _, subject in custom.chain] == [
        leaf.cert.subject.rfc4514_string(),
        pki.intermediate.cert.subject.rfc4514_string(),
        pki.root.cert.subject.rfc4514_string(),
    ]
    assert [link.ok for link in result.links] == [True]
    assert result.links[0].key_id_match is True
    assert result.to_json()["verdicts"][0]["ok"] is True


def test_leaf_only_is_chain_incomplete(pki):
    leaf = pki.leaf(dns=[HOST], aia_url="http://127.0.0.1:9/int.crt")
    result = run(der(leaf), anchors_for(pki.root))
    finding = one(result, Code.CHAIN_INCOMPLETE)
    assert finding.severity is Severity.ERROR
    assert finding.evidence["missing_issuer"] == pki.intermediate.cert.subject.rfc4514_string()
    assert finding.evidence["aia_urls"] == ["http://127.0.0.1:9/int.crt"]
    assert finding.evidence["aia_found"] is False
    assert finding.evidence["aki"] == describe(pki.intermediate.cert).ski
    assert result.verdict == "problem"
    assert not result.verdict_for("custom").ok


def test_fetched_intermediate_still_incomplete_but_verifies(pki):
    leaf = pki.leaf(dns=[HOST])
    result = run(der(leaf), anchors_for(pki.root), fetched=[pki.intermediate.der])
    finding = one(result, Code.CHAIN_INCOMPLETE)
    assert finding.evidence["aia_found"] is True
    assert finding.evidence["verifies_with_fetched"] is True
    assert finding.evidence["fetched"][0]["subject"] == pki.intermediate.cert.subject.rfc4514_string()
    assert result.verdict_for("custom").with_fetched is True
    assert result.verdict == "problem"  # the server must send it: browsers fetch, curl does not


def test_reversed_order_is_chain_order(pki):
    upper = make_ca("Chain Lab Upper", issuer=pki.root)  # no path length limit
    mid = make_ca("Chain Lab Mid", issuer=upper)
    leaf = make_leaf(mid, dns=[HOST])
    result = run([leaf.der, upper.der, mid.der], anchors_for(pki.root))
    finding = one(result, Code.CHAIN_ORDER)
    assert finding.severity is Severity.WARNING and finding.evidence["kind"] == "misordered"
    assert [c["position"] for c in finding.evidence["order_linking"]] == [0, 2, 1]
    assert [c["position"] for c in finding.evidence["order_sent"]] == [0, 1, 2]
    assert result.verdict == "ok"
    assert result.links[0].name_match is False


def test_unknown_root_is_chain_untrusted(pki):
    other = make_pki("Stranger")
    leaf = other.leaf(dns=[HOST])
    result = run(der(leaf, other.intermediate, other.root), anchors_for(pki.root))
    finding = one(result, Code.CHAIN_UNTRUSTED)
    assert finding.severity is Severity.ERROR
    assert finding.evidence["reason"] == "untrusted-root"
    assert finding.evidence["top"]["subject"] == other.root.cert.subject.rfc4514_string()
    assert finding.evidence["stores_tried"] == ["custom"]
    assert Code.CHAIN_INCOMPLETE not in codes(result)


def test_self_signed_leaf(pki):
    leaf = make_leaf(None, dns=[HOST])
    result = run(der(leaf), anchors_for(pki.root))
    assert one(result, Code.SELF_SIGNED).severity is Severity.ERROR
    # the same leaf given as --ca is fine
    trusted = run(der(leaf), anchors_for(leaf))
    assert Code.SELF_SIGNED not in codes(trusted) and trusted.verdict == "ok"
    # ... but strict verifiers want an AKI, which this lab leaf lacks: a warning that names the rule
    strict = one(trusted, Code.CHAIN_UNTRUSTED)
    assert strict.severity is Severity.WARNING and "authorityKeyIdentifier" in strict.evidence["rule"]


def test_expired_leaf_and_intermediate_are_named(pki):
    old_int = make_ca("Old Intermediate", issuer=pki.root, **expired(5))
    leaf = make_leaf(old_int, dns=[HOST], **expired(3))
    result = run(der(leaf, old_int), anchors_for(pki.root))
    found = [f for f in result.findings if f.code is Code.CERT_EXPIRED]
    assert {f.evidence["position"] for f in found} == {0, 1}
    assert all(f.severity is Severity.ERROR for f in found)
    by_pos = {f.evidence["position"]: f.evidence for f in found}
    assert by_pos[1]["subject"] == old_int.cert.subject.rfc4514_string()
    assert by_pos[0]["days"] == 3 and by_pos[1]["days"] == 5
    assert result.verdict == "problem"


def test_not_yet_valid(pki):
    leaf = pki.leaf(dns=[HOST], **not_yet_valid(4))
    result = run(der(leaf, pki.intermediate), anchors_for(pki.root))
    finding = one(result, Code.CERT_NOT_YET_VALID)
    assert finding.evidence["position"] == 0 and finding.evidence["days"] in (3, 4)


def test_client_auth_only_leaf(pki):
    leaf = pki.leaf(dns=[HOST], eku=EKU_CLIENT)
    result = run(der(leaf, pki.intermediate), anchors_for(pki.root))
    finding = one(result, Code.EKU_NO_SERVER_AUTH)
    assert finding.severity is Severity.ERROR
    assert [e["name"] for e in finding.evidence["eku"]] == ["clientAuth"]


def test_root_sent_is_info(pki):
    leaf = pki.leaf(dns=[HOST])
    result = run(der(leaf, pki.intermediate, pki.root), anchors_for(pki.root))
    finding = one(result, Code.CHAIN_ORDER)
    assert finding.severity is Severity.INFO and finding.evidence["kind"] == "root-sent"
    assert result.verdict == "ok"


def test_unrelated_certificate_is_warning(pki):
    stranger = make_pki("Unrelated").intermediate
    leaf = pki.leaf(dns=[HOST])
    result = run(der(leaf, pki.intermediate, stranger), anchors_for(pki.root))
    finding = one(result, Code.CHAIN_ORDER)
    assert finding.evidence["kind"] == "unrelated"
    assert finding.evidence["certificates"][0]["position"] == 2


def test_name_error_reported_apart_from_trust(pki):
    leaf = pki.leaf(dns=["other.example.test"])
    result = run(der(leaf, pki.intermediate), anchors_for(pki.root))
    verdict = result.verdict_for("custom")
    assert verdict.ok and verdict.server_error and "subjectAltName" in verdict.server_error
    assert result.findings == ()  # name matching belongs to the names step


def test_system_and_certifi_verdicts_are_named(pki):
    anchors = load_trust_anchors()
    assert len(anchors.stores["system"]) > 10 and len(anchors.stores["certifi"]) > 10
    leaf = pki.leaf(dns=[HOST])
    result = run(der(leaf, pki.intermediate), anchors)
    assert [v.store for v in result.verdicts] == ["system", "certifi"]
    assert not any(v.ok for v in result.verdicts)
    # leaf + intermediate were sent: the private root is what no store holds (issue 10 §3)
    untrusted = one(result, Code.CHAIN_UNTRUSTED)
    assert untrusted.evidence["reason"] == "unknown-root" and "Root CA" in str(untrusted.evidence["issuer"])
    assert untrusted.evidence["stores_tried"] == ["system", "certifi"]
    assert not [f for f in result.findings if f.code is Code.CHAIN_INCOMPLETE]
    assert result.to_json()["verdicts"][1]["clients"][0] == "requests"


def test_ca_file_adds_custom_store(pki, tmp_path):
    path = tmp_path / "ca.pem"
    path.write_bytes(pki.root.cert_pem)
    anchors = load_trust_anchors([str(path)])
    assert anchors.primary() == "custom"
    result = run(der(pki.leaf(dns=[HOST]), pki.intermediate), anchors)
    assert result.verdict_for("custom").ok and not result.verdict_for("system").ok
    assert result.verdict == "ok"
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(BadInput):
        load_ca_file(str(bad))
    with pytest.raises(BadInput):
        load_ca_file(str(tmp_path / "missing.pem"))


def test_too_many_certificates_are_bounded(pki):
    leaf = pki.leaf(dns=[HOST])
    presented = der(leaf, pki.intermediate) + [pki.intermediate.der] * (MAX_PRESENTED + 3)
    result = run(presented, anchors_for(pki.root))
    assert len(result.presented) == MAX_PRESENTED and result.presented_count == MAX_PRESENTED + 5
    assert any(f.evidence.get("kind") == "too-many" for f in result.findings)


def test_describe_keeps_values_exactly(pki):
    leaf = pki.leaf(dns=["Weird.Example.TEST", "*.x.test"], ips=["192.0.2.7"], emails=["a@b.test"], cn="Weird CN")
    summary = describe(leaf.cert)
    assert summary.san_dns == ("Weird.Example.TEST", "*.x.test")
    assert summary.san_ip == ("192.0.2.7",) and summary.san_email == ("a@b.test",)
    assert summary.common_names == ("Weird CN",)
    assert summary.key_type == "EC" and summary.key_curve == "secp256r1"
    assert not summary.self_signed and not summary.is_ca
    assert describe(pki.root.cert).self_signed and describe(pki.root.cert).is_ca
    assert describe(pki.intermediate.cert).ca_issuers == ("http://127.0.0.1:9/root.crt",)
    assert summary.to_json()["eku"] == [{"oid": "1.3.6.1.5.5.7.3.1", "name": "serverAuth"}]


def test_inspect_offline(pki):
    leaf = pki.leaf(dns=[HOST])
    result = inspect_certificates(leaf.cert_pem, chain=pki.intermediate.cert_pem, ca=pki.root.cert_pem, host=HOST, at=None)
    assert result.verdict == "ok", result.findings
    assert result.to_json()["verdict"] == "ok"
    late = inspect_certificates(
        leaf.cert_pem + pki.intermediate.cert_pem, ca=pki.root.cert_pem, host=HOST, at=now() + dt.timedelta(days=400)
    )
    assert Code.CERT_EXPIRED in [f.code for f in late.findings] and late.verdict == "problem"
    with pytest.raises(BadInput):
        inspect_certificates(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n", host=HOST, at=None)
    with pytest.raises(BadInput):
        inspect_certificates(pem(leaf.cert), host="bad host name", at=None)
    assert isinstance(x509.load_pem_x509_certificate(leaf.cert_pem), x509.Certificate)
