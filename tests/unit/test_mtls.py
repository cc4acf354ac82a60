"""Step 7 (client / mTLS) without a network: identity rules, EKU, key pair, chain in the file,
RFC 8705 token binding, reading PEM / PKCS#12 / encrypted keys, and no key or token leaks."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tlsdoctor.analysis.mtls import (
    ExpectedIdentity,
    analyse_client,
    environment_swap,
    openssl_view,
    parse_expected_identity,
    x5t_s256,
)
from tlsdoctor.analysis.token import decode_token
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.facts.tls import FetchError, Handshake, SniMode
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.certs import (
    EKU_BOTH,
    EKU_CLIENT,
    EKU_SERVER,
    Issued,
    expired,
    make_leaf,
    make_pki,
    new_key,
)
from tlsdoctor.probe.clientfiles import load_client_material
from tlsdoctor.probe.mtls import handshake_for_material

AT = dt.datetime.now(dt.UTC)
SEED_RULE = r"^CN=client-prod\.example\.com"


@pytest.fixture(scope="module")
def pki():
    return make_pki("Client Lab")


@pytest.fixture(scope="module")
def prod(pki) -> Issued:
    return pki.leaf(
        cn="client-prod.example.com", dns=["client-prod.example.com", "api-client.example.com"], eku=EKU_CLIENT
    )


@pytest.fixture(scope="module")
def staging(pki) -> Issued:
    return pki.leaf(cn="client-staging.example.com", dns=["client-staging.example.com"], eku=EKU_CLIENT)


def view_of(issued: Issued, *, with_intermediate: bool = True, key_matches: bool = True) -> ClientCertView:
    chain = tuple(c for c in issued.chain if c.subject != c.issuer) if with_intermediate else ()
    return ClientCertView(leaf=issued.cert, chain=chain, key_matches=key_matches, path="client.pem")


def codes(result) -> dict[Code, object]:
    return {f.code: f for f in result.findings}


def analyse(view, **kw):
    return analyse_client(
        view, expected=kw.get("expected"), token=kw.get("token"), at=kw.get("at", AT), handshake=kw.get("handshake")
    )


def make_jwt(payload: dict) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "RS256", "typ": "at+jwt"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}.{b64(b'not-a-real-signature-but-long-enough')}"


# ------------------------------------------------------------------ expected identity forms


def test_plain_name_is_exact_glob_and_seed_rule_is_regex():
    assert parse_expected_identity("client-prod.example.com").kind == "exact"
    assert parse_expected_identity("client-*.example.com").kind == "glob"
    assert parse_expected_identity(SEED_RULE).kind == "regex"
    assert parse_expected_identity(r"client-prod\.example\.com").kind == "regex"
    assert parse_expected_identity("re:client-(prod|dr)").kind == "regex"
    assert parse_expected_identity("ops+alerts@example.com").kind == "exact"


def test_invalid_regex_is_bad_input():
    with pytest.raises(BadInput, match="not a valid regular expression"):
        parse_expected_identity("^CN=client-(prod")


def test_empty_identity_is_bad_input():
    with pytest.raises(BadInput):
        parse_expected_identity("   ")


def test_seed_regex_accepts_the_prod_certificate(prod):
    result = analyse(view_of(prod), expected=parse_expected_identity(SEED_RULE))
    assert Code.MTLS_IDENTITY_MISMATCH not in codes(result)
    assert "CN=client-prod.example.com" in result.matched


def test_staging_certificate_where_prod_is_expected_gets_an_environment_hint(staging):
    result = analyse(view_of(staging), expected=parse_expected_identity(SEED_RULE))
    finding = codes(result)[Code.MTLS_IDENTITY_MISMATCH]
    assert finding.severity == Severity.ERROR
    assert finding.evidence["closest"] == "client-staging.example.com"
    assert finding.evidence["environment"] == {"expected": "prod", "certificate": "staging"}
    assert finding.evidence["label_diff"] == [
        {"position": 0, "expected": "client-prod", "certificate": "client-staging"}
    ]
    assert "DNS:client-staging.example.com" in finding.evidence["certificate_identities"]


def test_exact_name_matches_a_san_case_insensitively(prod):
    result = analyse(view_of(prod), expected=parse_expected_identity("API-CLIENT.example.com"))
    assert not result.findings
    assert result.matched


def test_glob_matches_and_misses(prod, pki):
    glob = parse_expected_identity("client-*.example.com")
    assert not analyse(view_of(prod), expected=glob).findings
    other = pki.leaf(cn="billing.example.com", dns=["billing.example.com"], eku=EKU_CLIENT)
    result = analyse(view_of(other), expected=glob)
    assert codes(result)[Code.MTLS_IDENTITY_MISMATCH].evidence["environment"] is None


def test_names_that_differ_beyond_the_environment_get_no_hint():
    assert environment_swap("client-prod.example.com", "client-staging.example.com") == ("prod", "staging")
    assert environment_swap("api.prod.example.com", "api.uat.example.com") == ("prod", "uat")
    assert environment_swap("client-prod.example.com", "billing-staging.example.com") is None
    assert environment_swap("client-prod.example.com", "client-prod.example.org") is None


def test_spiffe_uri_identity(pki):
    workload = pki.leaf(uris=["spiffe://example.org/ns/staging/sa/api"], cn=None, eku=EKU_CLIENT)
    good = pki.leaf(uris=["spiffe://example.org/ns/prod/sa/api"], cn=None, eku=EKU_CLIENT)
    expected = parse_expected_identity("spiffe://example.org/ns/prod/sa/api")
    assert not analyse(view_of(good), expected=expected).findings
    finding = codes(analyse(view_of(workload), expected=expected))[Code.MTLS_IDENTITY_MISMATCH]
    assert finding.evidence["closest"] == "spiffe://example.org/ns/staging/sa/api"
    assert finding.evidence["environment"] == {"expected": "prod", "certificate": "staging"}
    # URIs are case-sensitive: a different path case is another identity
    upper = parse_expected_identity("spiffe://example.org/ns/PROD/sa/api")
    assert Code.MTLS_IDENTITY_MISMATCH in codes(analyse(view_of(good), expected=upper))
    # and a glob over the path
    assert not analyse(view_of(good), expected=parse_expected_identity("spiffe://example.org/ns/*/sa/api")).findings


def test_identity_carried_only_by_the_cn_is_a_warning(pki):
    cn_only = make_leaf(pki.intermediate, cn="client-prod.example.com", san=False, eku=EKU_CLIENT)
    finding = codes(analyse(view_of(cn_only), expected=parse_expected_identity("client-prod.example.com")))[
        Code.MTLS_IDENTITY_MISMATCH
    ]
    assert finding.severity == Severity.WARNING
    assert finding.evidence["reason"] == "cn-only"


def test_email_and_ip_identities(pki):
    leaf = pki.leaf(cn="svc", emails=["ops@example.com"], ips=["10.0.0.7"], eku=EKU_CLIENT)
    assert not analyse(view_of(leaf), expected=parse_expected_identity("ops@example.com")).findings
    assert not analyse(view_of(leaf), expected=parse_expected_identity("IP:10.0.0.7")).findings
    assert analyse(view_of(leaf), expected=parse_expected_identity("10.0.0.8")).findings


# ------------------------------------------------------------------ certificate checks


def test_server_auth_only_eku_is_an_error(pki):
    leaf = pki.leaf(cn="client-prod.example.com", dns=["client-prod.example.com"], eku=EKU_SERVER)
    finding = codes(analyse(view_of(leaf)))[Code.MTLS_EKU_NO_CLIENT_AUTH]
    assert finding.severity == Severity.ERROR
    assert finding.evidence["eku"] == ["serverAuth"]


@pytest.mark.parametrize("eku", [EKU_CLIENT, EKU_BOTH, None])
def test_client_auth_or_no_eku_passes(pki, eku):
    leaf = pki.leaf(cn="c", dns=["c.example.com"], eku=eku)
    assert Code.MTLS_EKU_NO_CLIENT_AUTH not in codes(analyse(view_of(leaf)))


def test_leaf_without_its_intermediate_in_the_file_is_a_warning(prod):
    finding = codes(analyse(view_of(prod, with_intermediate=False)))[Code.MTLS_CHAIN_INCOMPLETE]
    assert finding.severity == Severity.WARNING
    assert finding.evidence["missing_issuer"] == prod.cert.issuer.rfc4514_string()
    assert Code.MTLS_CHAIN_INCOMPLETE not in codes(analyse(view_of(prod)))


def test_self_signed_client_certificate_needs_no_chain():
    leaf = make_leaf(None, cn="self.example.com", dns=["self.example.com"], eku=EKU_CLIENT)
    assert not analyse(view_of(leaf)).findings


def test_expired_client_certificate_is_bad_certificate_with_reason(pki):
    leaf = pki.leaf(cn="c", dns=["c.example.com"], eku=EKU_CLIENT, **expired(5))
    finding = codes(analyse(view_of(leaf)))[Code.MTLS_BAD_CERTIFICATE]
    assert finding.evidence["reason"] == "expired"
    later = codes(analyse(view_of(leaf), at=leaf.cert.not_valid_before_utc + dt.timedelta(days=1)))
    assert Code.MTLS_BAD_CERTIFICATE not in later


def test_openssl_view_is_what_openssl_prints(prod, tmp_path):
    lines = openssl_view(prod.cert)
    assert lines[0] == "subject=CN = client-prod.example.com, O = tlsdoctor lab"
    assert lines[2] == "    DNS:client-prod.example.com, DNS:api-client.example.com"
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: compared with the hard-coded form only")
    path = tmp_path / "c.pem"
    path.write_bytes(prod.cert_pem)
    real = subprocess.run(
        ["openssl", "x509", "-in", str(path), "-noout", "-subject", "-ext", "subjectAltName"],
        capture_output=True, text=True, check=True, timeout=10,
    ).stdout  # fmt: skip
    assert real.splitlines() == list(lines)


# ------------------------------------------------------------------ RFC 8705 token binding


def test_x5t_s256_matches_the_openssl_pipeline(prod):
    expected = base64.urlsafe_b64encode(hashlib.sha256(prod.der).digest()).rstrip(b"=").decode()
    assert x5t_s256(prod.cert) == expected
    assert "=" not in expected and len(expected) == 43


def test_token_bound_to_another_certificate_shows_both_values(prod, staging):
    token = decode_token(make_jwt({"sub": "client-prod", "cnf": {"x5t#S256": x5t_s256(staging.cert)}}))
    finding = codes(analyse(view_of(prod), token=token))[Code.MTLS_CNF_MISMATCH]
    assert finding.severity == Severity.ERROR
    assert finding.evidence["token_value"] == x5t_s256(staging.cert)
    assert finding.evidence["certificate_value"] == x5t_s256(prod.cert)
    assert finding.evidence["same_certificate_wrong_encoding"] is False


def test_token_bound_to_this_certificate_gives_no_finding(prod):
    token = decode_token(make_jwt({"cnf": {"x5t#S256": x5t_s256(prod.cert)}, "exp": 2_000_000_000}))
    result = analyse(view_of(prod), token=token)
    assert not result.findings
    assert result.x5t_s256 == token.cnf_x5t_s256


def _wrong_forms(issued: Issued) -> dict[str, tuple[str, str]]:
    digest = hashlib.sha256(issued.der).digest()
    spki = issued.cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "hex": (issued.cert.fingerprint(hashes.SHA256()).hex(":").upper(), "hex-fingerprint"),
        "padded": (base64.b64encode(digest).decode(), "padded-base64"),
        "spki": (base64.b64encode(hashlib.sha256(spki).digest()).decode(), "padded-base64"),
    }


@pytest.mark.parametrize("which", ["hex", "padded", "spki"])
def test_token_values_in_a_wrong_form_are_recognised(prod, which):
    value, form = _wrong_forms(prod)[which]
    token = decode_token(make_jwt({"cnf": {"x5t#S256": value}}))
    finding = codes(analyse(view_of(prod), token=token))[Code.MTLS_CNF_MISMATCH]
    assert finding.evidence["token_value_form"] == form
    assert finding.evidence["same_certificate_wrong_encoding"] is True
    assert finding.evidence["hash_of"] == ("spki" if which == "spki" else "certificate-der")


@pytest.mark.parametrize(
    "bad", ["", "onlyonepart", "a.b", "a.!!!.c", "a.b.c.d.e", "eyJhbGciOiJub25lIn0.WzEsMl0.sig"]
)
def test_bad_tokens_are_bad_input_and_not_echoed(bad):
    with pytest.raises(BadInput) as info:
        decode_token(bad)
    message = str(info.value)
    assert "\n" not in message
    if len(bad) > 8:
        assert bad not in message


def test_bearer_prefix_is_accepted_and_reference_is_short(prod):
    jwt = make_jwt({"sub": "alice@initech.example", "aud": ["payroll"], "iss": "https://idp.initech.example", "exp": 2_000_000_000})
    view = decode_token("Bearer " + jwt)
    # only what the diagnosis compares (cnf) is kept: the other claims name people and services (issue 12 §5)
    assert set(view.to_json()) == {"reference", "cnf"}
    assert not {"alice", "payroll", "initech", "2000000000"} & set(repr(view).replace("'", " ").split())
    assert "initech" not in repr(view) and "payroll" not in repr(view)
    # the same token, the same reference; no byte of the token in it (issue 12 §5)
    assert view.reference == decode_token(jwt).reference == f"sha256:{hashlib.sha256(jwt.encode()).hexdigest()[:8]}…({len(jwt)})"
    assert jwt[:4] not in view.reference
    assert view.cnf_present is False and view.cnf_x5t_s256 is None


# ------------------------------------------------------------------ what a server said (data)


def _hs(**kw) -> Handshake:
    base = dict(address="127.0.0.1", port=443, sni_mode=SniMode.SNI, server_name="api.example.com", ok=True,
                protocol="TLSv1.3", certificate_requested=True, client_cert_sent=True)  # fmt: skip
    base.update(kw)
    return Handshake(**base)


@pytest.mark.parametrize(
    ("alert", "code", "reason"),
    [
        (45, Code.MTLS_BAD_CERTIFICATE, "expired"),
        (49, Code.MTLS_IDENTITY_MISMATCH, "access-denied"),
        (42, Code.MTLS_BAD_CERTIFICATE, "bad-certificate"),
        (46, Code.MTLS_BAD_CERTIFICATE, "certificate-unknown"),
    ],
)
def test_alerts_map_to_codes(prod, alert, code, reason):
    h = _hs(alert=alert, alert_during="read", error=FetchError.HANDSHAKE)
    finding = codes(analyse(view_of(prod), handshake=h))[code]
    assert finding.evidence["reason"] == reason
    assert finding.evidence["server"]["alert"] == alert


def test_http_401_invalid_token_is_a_cnf_mismatch(prod):
    token = decode_token(make_jwt({"cnf": {"x5t#S256": x5t_s256(prod.cert)}}))
    h = _hs(http_status=401, http_reason="Unauthorized", http_body_excerpt='{"error":"invalid_token"}')
    assert Code.MTLS_CNF_MISMATCH in codes(analyse(view_of(prod), token=token, handshake=h))


def test_unreached_server_is_not_a_client_finding(prod):
    h = _hs(ok=False, error=FetchError.REFUSED, certificate_requested=False, client_cert_sent=False)
    assert not analyse(view_of(prod), handshake=h).findings


# ------------------------------------------------------------------ reading files


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_pem_with_chain_and_separate_key(tmp_path, prod):
    cert = _write(tmp_path / "client.pem", prod.chain_pem())
    key = _write(tmp_path / "client-key.pem", prod.key_pem)
    os.chmod(key, 0o600)
    material = load_client_material(cert, key, None)
    assert material.leaf == prod.cert
    assert material.chain == prod.chain
    assert material.key_matches
    assert material.key_file_mode == 0o600
    creds = material.to_credentials()
    assert creds.chain_der[0] == prod.der and len(creds.chain_der) == 3
    assert "PRIVATE" not in repr(material) and "PRIVATE" not in repr(creds)


def test_key_inside_the_pem_file(tmp_path, prod):
    cert = _write(tmp_path / "combined.pem", prod.cert_pem + prod.key_pem)
    material = load_client_material(cert, None, None)
    assert material.key_matches and material.chain == ()


def test_key_mismatch_is_found_before_any_connection(tmp_path, prod):
    cert = _write(tmp_path / "client.pem", prod.cert_pem)
    other_key = new_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = _write(tmp_path / "other-key.pem", other_key)
    material = load_client_material(cert, key, None)
    assert material.key_matches is False
    finding = codes(analyse(material.view()))[Code.MTLS_KEY_MISMATCH]
    assert finding.evidence["detected"] == "before-connecting"

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    try:
        import asyncio

        result = asyncio.run(handshake_for_material("127.0.0.1", listener.getsockname()[1], None, 2, material))
        assert result is None
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody connected
    finally:
        listener.close()


def test_pkcs12_with_password_prompt_and_wrong_password(tmp_path, prod):
    blob = pkcs12.serialize_key_and_certificates(
        b"client", prod.key, prod.cert, list(prod.chain), serialization.BestAvailableEncryption(b"s3cret")
    )
    path = _write(tmp_path / "client.p12", blob)
    material = load_client_material(path, None, "s3cret")
    assert material.source_format == "pkcs12" and material.key_matches and material.leaf == prod.cert
    assert len(material.chain) == 2

    prompts: list[str] = []
    asked = load_client_material(path, None, None, ask_password=lambda p: prompts.append(p) or "s3cret")
    assert asked.key_matches and prompts and path in prompts[0]

    with pytest.raises(BadInput, match="wrong password"):
        load_client_material(path, None, None, ask_password=lambda p: "nope")
    with pytest.raises(BadInput):
        load_client_material(path, None, "nope")
    with pytest.raises(BadInput, match="needs its password"):
        load_client_material(path, None, None)


def test_encrypted_key_with_password_and_wrong_password(tmp_path, prod):
    cert = _write(tmp_path / "client.pem", prod.chain_pem())
    encrypted = prod.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
    )
    key = _write(tmp_path / "client-key.pem", encrypted)
    assert load_client_material(cert, key, "pw").key_matches
    assert load_client_material(cert, key, None, ask_password=lambda prompt: "pw").key_matches
    with pytest.raises(BadInput, match="wrong password") as info:
        load_client_material(cert, key, "wrong")
    assert "\n" not in str(info.value)
    with pytest.raises(BadInput, match="encrypted"):
        load_client_material(cert, key, None)


def test_der_key_file(tmp_path, prod):
    cert = _write(tmp_path / "client.pem", prod.cert_pem)
    der = prod.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert load_client_material(cert, _write(tmp_path / "k.der", der), None).key_matches


def _key_body_lines(key_pem: bytes) -> list[str]:
    return [line for line in key_pem.decode().splitlines() if line and not line.startswith("-----")]


@pytest.mark.parametrize(
    "case", ["missing", "garbage", "key-only-as-cert", "cert-as-key", "no-key", "truncated-key"]
)
def test_bad_files_are_one_line_bad_input_without_key_bytes(tmp_path, prod, case):
    cert = _write(tmp_path / "client.pem", prod.cert_pem)
    key = _write(tmp_path / "client-key.pem", prod.key_pem)
    args = {
        "missing": (str(tmp_path / "nope.pem"), key),
        "garbage": (_write(tmp_path / "g.bin", os.urandom(300)), key),
        "key-only-as-cert": (key, None),
        "cert-as-key": (cert, cert),
        "no-key": (cert, None),
        "truncated-key": (cert, _write(tmp_path / "t.pem", prod.key_pem[:-60])),
    }[case]
    with pytest.raises(BadInput) as info:
        load_client_material(*args, None)
    message = str(info.value)
    assert "\n" not in message
    assert os.path.basename(args[0]) in message or os.path.basename(str(args[1])) in message
    for line in _key_body_lines(prod.key_pem):
        assert line not in message


# ------------------------------------------------------------------ nothing secret in any output


def test_no_key_bytes_and_no_token_in_any_output(tmp_path, prod, staging):
    cert = _write(tmp_path / "client.pem", prod.chain_pem())
    key = _write(tmp_path / "client-key.pem", prod.key_pem)
    material = load_client_material(cert, key, None)
    jwt = make_jwt({"sub": "s", "cnf": {"x5t#S256": x5t_s256(staging.cert)}})
    token = decode_token(jwt)
    handshakes = [
        None,
        _hs(alert=48, alert_during="read", acceptable_client_cas=("CN=Other Root",)),
        _hs(http_status=401, http_body_excerpt="invalid_token"),
    ]
    texts = [repr(material), repr(material.to_credentials()), repr(token), json.dumps(token.to_json())]
    for h in handshakes:
        result = analyse(material.view(), expected=parse_expected_identity(SEED_RULE), token=token, handshake=h)
        assert result.findings
        texts += [json.dumps(result.to_json(), default=str), repr(result)]
    blob = "\n".join(texts)
    for line in _key_body_lines(prod.key_pem):
        assert line not in blob
    assert jwt not in blob
    assert jwt.split(".")[1] not in blob  # not even the payload
    assert "PRIVATE KEY" not in blob


def test_expected_identity_docstring_lists_every_form():
    doc = ExpectedIdentity.__doc__ or ""
    for word in ("exact", "glob", "regex", "re:", "CN=", "URI:", "spiffe://"):
        assert word in doc
