"""Step 7 against REAL loopback mTLS servers (pyOpenSSL, strict verification), TLS 1.3 and 1.2.

Each test starts a `TlsServer` that trusts the client lab root, handshakes with
the real probe (`probe.mtls`), and checks what `analyse_client` concludes from
what actually came back on the wire: alerts, CA lists, HTTP rejections.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from OpenSSL import SSL

from tlsdoctor.analysis.mtls import analyse_client, parse_expected_identity, x5t_s256
from tlsdoctor.analysis.token import decode_token
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.findings import Code, Severity
from tlsdoctor.lab.certs import EKU_CLIENT, EKU_SERVER, Issued, make_pki, new_key
from tlsdoctor.lab.tls_server import ClientAuth, HttpBehaviour, VHost, serve_tls
from tlsdoctor.probe.clientfiles import load_client_material
from tlsdoctor.probe.mtls import handshake_for_material, handshake_with_client

SERVER_NAME = "api.example.com"
TIMEOUT = 5.0
VERSIONS = [pytest.param(SSL.TLS1_3_VERSION, id="tls1.3"), pytest.param(SSL.TLS1_2_VERSION, id="tls1.2")]


@pytest.fixture(scope="module")
def server_cert() -> Issued:
    return make_pki("Server Lab").leaf(dns=[SERVER_NAME])


@pytest.fixture(scope="module")
def client_pki():
    return make_pki("Client Lab")


@pytest.fixture(scope="module")
def prod(client_pki) -> Issued:
    return client_pki.leaf(cn="client-prod.example.com", dns=["client-prod.example.com"], eku=EKU_CLIENT)


def server(server_cert, client_pki, version, http=None, **auth):
    return serve_tls(
        VHost.of(server_cert),
        client_auth=ClientAuth(ca_certs=(client_pki.root.cert,), **auth),
        http=http or HttpBehaviour.ok(),
        min_version=version,
        max_version=version,
    )


def write_material(tmp_path, issued: Issued, *, with_intermediate: bool = True, key=None):
    chain = tuple(c for c in issued.chain if c.subject != c.issuer) if with_intermediate else ()
    cert_path = tmp_path / "client.pem"
    key_path = tmp_path / "client-key.pem"
    cert_path.write_bytes(Issued(cert=issued.cert, key=issued.key, chain=chain).chain_pem())
    key_path.write_bytes(Issued(cert=issued.cert, key=key or issued.key).key_pem)
    return load_client_material(str(cert_path), str(key_path), None)


async def run(port, material, *, expected=None, token=None):
    handshake = await handshake_for_material("127.0.0.1", port, SERVER_NAME, TIMEOUT, material)
    result = analyse_client(
        material.view() if material is not None else None,
        expected=parse_expected_identity(expected) if expected else None,
        token=token,
        at=dt.datetime.now(dt.UTC),
        handshake=handshake,
    )
    return handshake, result


def by_code(result):
    return {f.code: f for f in result.findings}


def jwt_bound_to(thumbprint: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    payload = {"sub": "client-prod", "cnf": {"x5t#S256": thumbprint}}
    header = b64(json.dumps({"alg": "RS256"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}.{b64(b'signature-bytes')}"


@pytest.mark.parametrize("version", VERSIONS)
async def test_no_client_certificate_is_cert_required_with_the_ca_list(server_cert, client_pki, version):
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, None)
    assert handshake.alert == (116 if version == SSL.TLS1_3_VERSION else 40)
    finding = by_code(result)[Code.MTLS_CERT_REQUIRED]
    assert finding.severity == Severity.ERROR
    root_name = client_pki.root.cert.subject.rfc4514_string()
    assert finding.evidence["acceptable_client_cas"] == [root_name]
    assert result.ca_match["server_accepts"] == [root_name]


@pytest.mark.parametrize("version", VERSIONS)
async def test_certificate_from_another_ca_is_unknown_ca(tmp_path, server_cert, client_pki, version):
    stranger = make_pki("Other Lab").leaf(cn="client-prod.example.com", dns=["client-prod.example.com"], eku=EKU_CLIENT)
    material = write_material(tmp_path, stranger)
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material)
    assert handshake.alert == 48 and handshake.client_cert_sent
    finding = by_code(result)[Code.MTLS_UNKNOWN_CA]
    assert finding.evidence["leaf_issuer_accepted"] is False
    assert finding.evidence["our_issuers_accepted"] == []
    assert finding.evidence["server_accepts"] == [client_pki.root.cert.subject.rfc4514_string()]
    assert Code.MTLS_CHAIN_INCOMPLETE not in by_code(result)


@pytest.mark.parametrize("version", VERSIONS)
async def test_staging_certificate_where_prod_is_expected(tmp_path, server_cert, client_pki, version):
    staging = client_pki.leaf(cn="client-staging.example.com", dns=["client-staging.example.com"], eku=EKU_CLIENT)
    material = write_material(tmp_path, staging)
    reject = HttpBehaviour.reject_identity("client-prod.example.com")
    with server(server_cert, client_pki, version, http=reject) as srv:
        handshake, result = await run(srv.port, material, expected=r"^CN=client-prod\.example\.com")
    assert handshake.ok and handshake.http_status == 403 and handshake.alert is None
    finding = by_code(result)[Code.MTLS_IDENTITY_MISMATCH]
    assert finding.severity == Severity.ERROR
    assert finding.evidence["environment"] == {"expected": "prod", "certificate": "staging"}
    assert finding.evidence["confirmed_by_server"] is True
    assert finding.evidence["server"]["http_status"] == 403
    assert "not mapped" in finding.evidence["server"]["http_body_excerpt"]


@pytest.mark.parametrize("version", VERSIONS)
async def test_server_auth_only_certificate_is_refused_with_unsupported_certificate(
    tmp_path, server_cert, client_pki, version
):
    """Observed: OpenSSL servers check the client purpose and send alert 43 (not 42)."""
    leaf = client_pki.leaf(cn="client-prod.example.com", dns=["client-prod.example.com"], eku=EKU_SERVER)
    material = write_material(tmp_path, leaf)
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material)
    assert handshake.alert == 43
    finding = by_code(result)[Code.MTLS_EKU_NO_CLIENT_AUTH]
    assert finding.evidence["confirmed_by_server"] is True
    assert finding.evidence["server"]["alert_name"] == "unsupported_certificate"


@pytest.mark.parametrize("version", VERSIONS)
async def test_key_mismatch_is_reported_without_connecting(tmp_path, server_cert, client_pki, prod, version):
    material = write_material(tmp_path, prod, key=new_key())
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material)
        assert srv.records == []  # the server never saw a connection
    assert handshake is None
    assert by_code(result)[Code.MTLS_KEY_MISMATCH].severity == Severity.ERROR


@pytest.mark.parametrize("version", VERSIONS)
async def test_missing_intermediate_is_chain_incomplete(tmp_path, server_cert, client_pki, prod, version):
    material = write_material(tmp_path, prod, with_intermediate=False)
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material)
    assert handshake.alert == 48
    finding = by_code(result)[Code.MTLS_CHAIN_INCOMPLETE]
    assert finding.severity == Severity.ERROR
    assert finding.evidence["confirmed_by_server"] is True
    assert finding.evidence["missing_issuer"] == client_pki.intermediate.cert.subject.rfc4514_string()
    assert client_pki.root.cert.subject.rfc4514_string() in finding.evidence["server"]["acceptable_client_cas"]
    assert Code.MTLS_UNKNOWN_CA not in by_code(result)


@pytest.mark.parametrize("version", VERSIONS)
async def test_token_bound_to_another_certificate(tmp_path, server_cert, client_pki, prod, version):
    other = client_pki.leaf(cn="client-prod.example.com", dns=["client-prod.example.com"], eku=EKU_CLIENT)
    material = write_material(tmp_path, prod)
    token = decode_token(jwt_bound_to(x5t_s256(other.cert)))
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material, token=token)
    assert handshake.http_status == 200  # TLS accepted the certificate: only the token binding is wrong
    finding = by_code(result)[Code.MTLS_CNF_MISMATCH]
    assert finding.evidence["token_value"] == x5t_s256(other.cert)
    assert finding.evidence["certificate_value"] == x5t_s256(prod.cert)


@pytest.mark.parametrize("version", VERSIONS)
async def test_right_certificate_and_right_token_pass(tmp_path, server_cert, client_pki, prod, version):
    material = write_material(tmp_path, prod)
    token = decode_token(jwt_bound_to(x5t_s256(prod.cert)))
    with server(server_cert, client_pki, version) as srv:
        handshake, result = await run(srv.port, material, expected="client-*.example.com", token=token)
        assert srv.records[0].client_verified
    assert handshake.ok and handshake.http_status == 200 and handshake.client_cert_sent
    assert [f for f in result.findings if f.severity == Severity.ERROR] == []
    assert result.ca_match["leaf_issuer_accepted"] is False  # the server lists the root, not the intermediate
    assert result.ca_match["our_issuers_accepted"] == [client_pki.root.cert.subject.rfc4514_string()]


@pytest.mark.parametrize("version", VERSIONS)
async def test_nginx_style_400_without_certificate(server_cert, client_pki, version):
    with server(server_cert, client_pki, version, http=HttpBehaviour.reject_no_cert()) as srv:
        handshake, result = await run(srv.port, None)
    assert handshake.ok and handshake.alert is None and handshake.http_status == 400
    finding = by_code(result)[Code.MTLS_CERT_REQUIRED]
    assert finding.evidence["server_kind"] == "nginx"


@pytest.mark.parametrize("version", VERSIONS)
async def test_node_style_silent_close_after_the_handshake(tmp_path, server_cert, client_pki, version):
    stranger = make_pki("Other Lab").leaf(cn="c", dns=["c.example.com"], eku=EKU_CLIENT)
    material = write_material(tmp_path, stranger)
    with server(server_cert, client_pki, version, http=HttpBehaviour.silent_close()) as srv:
        handshake, result = await run(srv.port, material)
    assert handshake.alert is None and handshake.http_status is None
    finding = by_code(result)[Code.MTLS_BAD_CERTIFICATE]
    assert finding.evidence["reason"] == "closed-without-alert"
    assert "Node-style" in finding.evidence["note"]


async def test_handshake_with_client_takes_raw_credentials(server_cert, client_pki, prod):
    from tlsdoctor.facts.tls import ClientCredentials

    creds = ClientCredentials(chain_der=(prod.der, client_pki.intermediate.der), key_pem=prod.key_pem)
    with server(server_cert, client_pki, SSL.TLS1_3_VERSION) as srv:
        handshake = await handshake_with_client("127.0.0.1", srv.port, SERVER_NAME, TIMEOUT, creds)
        assert srv.records[0].server_name == SERVER_NAME
    assert handshake.http_status == 200 and handshake.protocol == "TLSv1.3"
    result = analyse_client(
        ClientCertView(leaf=prod.cert, chain=(client_pki.intermediate.cert,)),
        expected=None, token=None, at=dt.datetime.now(dt.UTC), handshake=handshake,
    )  # fmt: skip
    assert result.findings == ()
