"""`tlsdoctor csr`: a CSR with exactly the requested SANs, the seed's san.cnf, safe writes."""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

from tlsdoctor.csr import make_csr, write_csr_bundle
from tlsdoctor.errors import BadInput
from tlsdoctor.lab.certs import new_key


@pytest.fixture
def key_file(tmp_path):
    key = new_key()
    path = tmp_path / "client-key.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(path), key


def sans(csr: x509.CertificateSigningRequest) -> x509.SubjectAlternativeName:
    return csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


def test_csr_carries_exactly_the_requested_names(key_file):
    path, key = key_file
    bundle = make_csr(
        path,
        ["client-prod.example.com", "api-client.example.com", "10.0.0.7", "spiffe://example.org/ns/prod/sa/api",
         "ops@example.com"],
    )  # fmt: skip
    csr = x509.load_pem_x509_csr(bundle.csr_pem)
    assert csr.is_signature_valid
    names = sans(csr)
    assert names.get_values_for_type(x509.DNSName) == ["client-prod.example.com", "api-client.example.com"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.0.0.7")]
    assert names.get_values_for_type(x509.UniformResourceIdentifier) == ["spiffe://example.org/ns/prod/sa/api"]
    assert names.get_values_for_type(x509.RFC822Name) == ["ops@example.com"]
    assert len(list(names)) == 5
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "client-prod.example.com"
    assert csr.public_key().public_numbers() == key.public_key().public_numbers()


def test_san_cnf_has_the_seed_layout(key_file):
    bundle = make_csr(key_file[0], ["client-prod.example.com", "api-client.example.com", "10.0.0.7"])
    assert bundle.san_cnf == (
        "[req]\n"
        "distinguished_name = req_distinguished_name\n"
        "req_extensions = v3_req\n"
        "prompt = no\n"
        "\n"
        "[req_distinguished_name]\n"
        "CN = client-prod.example.com\n"
        "\n"
        "[v3_req]\n"
        "subjectAltName = DNS:client-prod.example.com, DNS:api-client.example.com, IP:10.0.0.7\n"
    )


def test_openssl_makes_the_same_sans_from_san_cnf(key_file, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    path, _key = key_file
    bundle = make_csr(path, ["client-prod.example.com", "::1", "URI:spiffe://example.org/x"])
    (tmp_path / "san.cnf").write_text(bundle.san_cnf)
    made = subprocess.run(
        ["openssl", "req", "-new", "-key", path, "-config", str(tmp_path / "san.cnf")],
        capture_output=True, check=True, timeout=20,
    ).stdout  # fmt: skip
    theirs = x509.load_pem_x509_csr(made)
    ours = x509.load_pem_x509_csr(bundle.csr_pem)
    assert sans(theirs) == sans(ours)
    assert theirs.subject == ours.subject


def test_idn_names_become_a_labels_and_cn_can_be_set(key_file):
    bundle = make_csr(key_file[0], ["bücher.example", "DNS:Api.Example.com"], subject_cn="my client")
    csr = x509.load_pem_x509_csr(bundle.csr_pem)
    assert sans(csr).get_values_for_type(x509.DNSName) == ["xn--bcher-kva.example", "api.example.com"]
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "my client"


def test_uri_only_csr_has_no_cn_and_a_critical_san(key_file):
    bundle = make_csr(key_file[0], ["spiffe://example.org/ns/prod/sa/api"])
    csr = x509.load_pem_x509_csr(bundle.csr_pem)
    assert len(csr.subject) == 0
    assert csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).critical
    assert "CN =" not in bundle.san_cnf


def test_ed25519_key_signs(tmp_path):
    key = ed25519.Ed25519PrivateKey.generate()
    path = tmp_path / "ed.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    assert x509.load_pem_x509_csr(make_csr(str(path), ["a.example.com"]).csr_pem).is_signature_valid


def test_encrypted_key_uses_the_password(tmp_path):
    key = new_key()
    path = tmp_path / "enc.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
        )
    )
    assert make_csr(str(path), ["a.example.com"], password="pw").csr_pem
    assert make_csr(str(path), ["a.example.com"], ask_password=lambda prompt: "pw").csr_pem
    with pytest.raises(BadInput, match="wrong password"):
        make_csr(str(path), ["a.example.com"], password="nope")


@pytest.mark.parametrize(
    "names", [[], ["a,b.example.com"], ["$HOME.example.com"], ["bad name.example.com"], ["IP:not-an-ip"], ["x\ny"]]
)
def test_bad_names_are_bad_input(key_file, names):
    with pytest.raises(BadInput):
        make_csr(key_file[0], names)


def test_missing_key_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="cannot read private key"):
        make_csr(str(tmp_path / "none.pem"), ["a.example.com"])


def test_write_refuses_to_overwrite_without_force(key_file, tmp_path):
    bundle = make_csr(key_file[0], ["client-prod.example.com"])
    out = tmp_path / "client.csr"
    written = write_csr_bundle(bundle, str(out), force=False)
    assert written == (str(out), str(tmp_path / "san.cnf"))
    assert out.read_bytes() == bundle.csr_pem
    assert (tmp_path / "san.cnf").read_text() == bundle.san_cnf

    second = make_csr(key_file[0], ["other.example.com"])
    with pytest.raises(BadInput, match="already exists"):
        write_csr_bundle(second, str(out), force=False)
    assert out.read_bytes() == bundle.csr_pem  # untouched

    out.unlink()  # only san.cnf left: still refused, and the CSR is not written either
    with pytest.raises(BadInput, match="san.cnf"):
        write_csr_bundle(second, str(out), force=False)
    assert not out.exists()

    write_csr_bundle(second, str(out), force=True)
    assert out.read_bytes() == second.csr_pem
    assert "other.example.com" in (tmp_path / "san.cnf").read_text()
    assert sorted(os.listdir(tmp_path)) == ["client-key.pem", "client.csr", "san.cnf"]  # no temp files left


def test_key_is_never_in_the_bundle(key_file):
    path, _key = key_file
    key_lines = [line for line in Path(path).read_text().splitlines() if not line.startswith("-----")]
    bundle = make_csr(path, ["a.example.com"])
    text = bundle.san_cnf + bundle.csr_pem.decode() + repr(bundle)
    assert "PRIVATE" not in text
    assert not any(line in text for line in key_lines)
