"""The STARTTLS lab servers, proved against `openssl s_client -starttls PROTO` before tlsdoctor meets them.

Each protocol's server performs its real negotiation (RFC 3207, 2595, 4217, 4511,
the PostgreSQL and MySQL SSL requests, RFC 6120): openssl completes a handshake
through the accepting server and fails against the refusing variants.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

from tlsdoctor.lab import certs
from tlsdoctor.lab.starttls import SERVERS, Offer, starttls_server
from tlsdoctor.lab.tls_server import VHost

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")

NAME = "mail.example.test"


def openssl_protocols() -> set[str]:
    if shutil.which("openssl") is None:
        return set()
    run = subprocess.run(["openssl", "s_client", "-starttls", "?"], capture_output=True, text=True, timeout=20)
    return {word.strip() for word in (run.stdout + run.stderr).split()}


SUPPORTED = openssl_protocols()


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("STARTTLS lab")


@pytest.fixture(scope="module")
def vhost(pki: certs.Pki) -> VHost:
    return VHost.of(pki.leaf(dns=[NAME], cn=NAME))


def s_client(protocol: str, port: int, root_pem: str) -> tuple[bool, str]:
    """openssl's own STARTTLS client: True when the handshake completed and the chain verified."""
    run = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-starttls", protocol, "-servername", NAME,
         "-verify_hostname", NAME, "-CAfile", root_pem, "-verify_return_error", "-brief"],
        input=b"", capture_output=True, timeout=30,
    )  # fmt: skip
    out = (run.stdout + run.stderr).decode("utf-8", errors="replace")
    return run.returncode == 0 and "Verification: OK" in out, out


@pytest.fixture
def root_pem(pki: certs.Pki, tmp_path) -> Iterator[str]:
    path = tmp_path / "root.pem"
    path.write_bytes(pki.root.cert_pem)
    yield str(path)


@pytest.mark.parametrize("protocol", sorted(SERVERS))
def test_openssl_starts_tls_through_the_lab_server(protocol: str, vhost: VHost, root_pem: str) -> None:
    if protocol not in SUPPORTED:
        pytest.skip(f"this openssl has no -starttls {protocol}")
    with starttls_server(protocol, vhost) as server:
        ok, out = s_client(protocol, server.port, root_pem)
        assert ok, out
        assert any(r.handshake_ok for r in server.records)
        assert server.records[-1].server_name == NAME


@pytest.mark.parametrize("offer", [Offer.REFUSE, Offer.NOT_OFFERED])
@pytest.mark.parametrize("protocol", sorted(SERVERS))
def test_openssl_fails_against_the_refusing_variants(protocol: str, offer: Offer, vhost: VHost, root_pem: str) -> None:
    if protocol not in SUPPORTED:
        pytest.skip(f"this openssl has no -starttls {protocol}")
    with starttls_server(protocol, vhost, offer=offer) as server:
        ok, out = s_client(protocol, server.port, root_pem)
        assert not ok, out
        assert not any(r.handshake_ok for r in server.records)


def test_the_lab_servers_speak_their_protocol_first(vhost: VHost, root_pem: str) -> None:
    """What the clients said in clear, as each server recorded it: the real commands of each RFC."""
    with starttls_server("smtp", vhost) as smtp:
        assert s_client("smtp", smtp.port, root_pem)[0]
        said = [line.split(b" ")[0].upper() for line in smtp.transcripts[-1]]
        assert said[:2] == [b"EHLO", b"STARTTLS"]
    with starttls_server("imap", vhost) as imap:
        assert s_client("imap", imap.port, root_pem)[0]
        assert [line.split(b" ")[1].upper() for line in imap.transcripts[-1]] == [b"CAPABILITY", b"STARTTLS"]
    with starttls_server("ftp", vhost) as ftp:
        assert s_client("ftp", ftp.port, root_pem)[0]
        assert ftp.transcripts[-1] == [b"AUTH TLS"]
