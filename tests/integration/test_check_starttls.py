"""`tlsdoctor check` through STARTTLS and the other preambles, against the lab servers (proved by openssl first).

For every protocol: the whole tree runs (names, chain, SNI modes) through the
preamble, and a refusal is a `starttls-refused` finding carrying the server's own
words, never a crash. Each passing case stands beside its failing one.
"""

from __future__ import annotations

import socket

import pytest
from sites import MakeSite, codes, findings, step

from tlsdoctor.lab import certs
from tlsdoctor.lab.starttls import SERVERS, Offer, SmtpServer, starttls_server
from tlsdoctor.lab.starttls.base import Plain
from tlsdoctor.lab.tcp import BlackHoleServer, LoopbackServer
from tlsdoctor.lab.tls_server import ClientAuth, TlsServer, VHost

ZONE = "example.test"
HOST = f"svc.{ZONE}"
ADDRESS = "127.0.14.10"
REFUSALS = {  # protocol → (offer, reason, the server's own words in the finding)
    "smtp": (Offer.REFUSE, "starttls-refused", "454 4.7.0 TLS not available due to local problem"),
    "imap": (Offer.NOT_OFFERED, "starttls-not-offered", "* CAPABILITY IMAP4rev1 LOGINDISABLED"),
    "pop3": (Offer.REFUSE, "starttls-refused", "-ERR [SYS/TEMP] TLS not available"),
    "ftp": (Offer.REFUSE, "starttls-refused", "534 Request denied for policy reasons."),
    "ldap": (Offer.REFUSE, "starttls-refused", "52 unavailable: 00000000: LdapErr: DSID-0C091010, comment: Error initializing SSL/TLS"),
    "postgres": (Offer.REFUSE, "starttls-refused", "N"),
    "mysql": (Offer.REFUSE, "starttls-refused", "ERROR 1130: Host '127.0.0.1' is not allowed to connect to this MySQL server"),
    "xmpp": (Offer.REFUSE, "starttls-refused", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
}


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("STARTTLS check")


def site_for(make_site: MakeSite, pki: certs.Pki, server: TlsServer, *, host: str = HOST):
    return make_site(zone={host: {"A": [ADDRESS]}}, servers={ADDRESS: server}, trust=[pki.root.cert])


@pytest.mark.parametrize("protocol", sorted(SERVERS))
def test_the_whole_tree_runs_through_the_preamble(protocol: str, make_site: MakeSite, pki: certs.Pki) -> None:
    site = site_for(make_site, pki, starttls_server(protocol, VHost.of(pki.leaf(dns=[HOST], cn=HOST))))
    code, report = site.check(HOST, "--starttls", protocol)
    assert code == 0, report["findings"]
    assert report["verdict"] == "ok"
    target = step(report, "target")
    assert target["data"]["protocol"] == {"name": protocol, "starttls": protocol, "source": "option"}
    assert "STARTTLS" in target["summary"]
    fetch = step(report, "fetch")["data"]
    assert {h["sni_mode"] for h in fetch["handshakes"]} == {"sni", "no-sni", "bogus-sni"}
    assert all(h["ok"] and h["starttls"] == protocol for h in fetch["handshakes"])
    assert step(report, "names")["status"] == "ok" and step(report, "chain")["status"] == "ok"


@pytest.mark.parametrize("protocol", sorted(SERVERS))
def test_a_wrong_name_behind_the_preamble_is_a_mismatch(protocol: str, make_site: MakeSite, pki: certs.Pki) -> None:
    site = site_for(make_site, pki, starttls_server(protocol, VHost.of(pki.leaf(dns=[f"other.{ZONE}"], cn=f"other.{ZONE}"))))
    code, report = site.check(HOST, "--starttls", protocol)
    assert code == 1
    assert "hostname-mismatch" in codes(report, "error")
    assert "starttls-refused" not in codes(report)


@pytest.mark.parametrize("protocol", sorted(SERVERS))
def test_a_refusal_is_a_finding_with_the_servers_words(protocol: str, make_site: MakeSite, pki: certs.Pki) -> None:
    offer, reason, words = REFUSALS[protocol]
    site = site_for(make_site, pki, starttls_server(protocol, VHost.of(pki.leaf(dns=[HOST], cn=HOST)), offer=offer))
    code, report = site.check(HOST, "--starttls", protocol)
    assert code == 1
    [finding] = findings(report, "starttls-refused")
    assert finding["severity"] == "error" and finding["step"] == "fetch"
    assert finding["evidence"]["protocol"] == protocol
    assert finding["evidence"]["reason"] == reason
    assert finding["evidence"]["server_said"].startswith(words)
    assert "\n" not in finding["evidence"]["server_said"]
    # one attempt: a refusal comes before any server name is sent, so the other SNI modes are not tried
    assert len(step(report, "fetch")["data"]["handshakes"]) == 1
    assert step(report, "names")["status"] == "skipped"
    assert report["diagnosis"] and "starttls-refused" in report["diagnosis"][0]["because"]


def test_the_refusal_text_is_one_literal_line(make_site: MakeSite, pki: certs.Pki) -> None:
    """A server's words with escapes and markup are shown as they are, inert, on one line."""

    class HostileSmtp(SmtpServer):
        def negotiate(self, plain: Plain) -> bool:
            plain.send("220 ok\r\n")
            plain.line()
            plain.send("250-x\r\n250 STARTTLS\r\n")
            plain.line()
            plain.send("454 \x1b[31mred\x1b[0m [bold]no[/bold] \u202etls\r\n")
            return False

    site = site_for(make_site, pki, HostileSmtp(VHost.of(pki.leaf(dns=[HOST]))))
    code, text = site.text(HOST, "--starttls", "smtp")
    assert code == 1
    assert "\x1b" not in text and "\u202e" not in text
    line = next(line for line in text.splitlines() if "454" in line)
    assert "\\x1b[31mred" in line and "[bold]no[/bold]" in line and "\\u202etls" in line


def test_url_scheme_chooses_the_preamble(make_site: MakeSite, pki: certs.Pki) -> None:
    site = site_for(make_site, pki, starttls_server("postgres", VHost.of(pki.leaf(dns=[HOST], cn=HOST))))
    code, report = site.check(f"postgresql://app:secret@{HOST}:{site.port}/orders?sslmode=verify-full")
    assert code == 0, report["findings"]
    assert step(report, "target")["data"]["protocol"] == {"name": "postgres", "starttls": "postgres", "source": "url"}
    # the same server, dialled as HTTPS, does not answer TLS at once: the preamble mattered
    code, report = site.check(f"https://{HOST}:{site.port}/", timeout=1.0)
    assert code == 1 and codes(report, "error") & {"connect-timeout", "not-tls", "handshake-failed"}


def test_a_tls_server_where_a_preamble_was_expected(make_site: MakeSite, pki: certs.Pki) -> None:
    """Postgres speaks first: OpenSSL's server drops the SSLRequest without a word; `--starttls none` gets through."""
    site = site_for(make_site, pki, TlsServer(VHost.of(pki.leaf(dns=[HOST], cn=HOST))))
    code, report = site.check(HOST, "--starttls", "postgres")
    assert code == 1
    [finding] = findings(report, "starttls-refused")
    assert finding["evidence"]["reason"] == "starttls-closed"
    code, report = site.check(HOST, "--starttls", "none")
    assert code == 0, report["findings"]


class AlertServer(LoopbackServer):
    """Answers whatever arrives with a TLS alert record (protocol_version), as many TLS stacks do."""

    def handle(self, sock: socket.socket) -> None:
        if self.recv_some(sock):
            sock.sendall(b"\x15\x03\x03\x00\x02\x02\x46")
        self.lingering_close(sock)


def test_an_answer_in_tls_is_named_tls_at_once(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"A": [ADDRESS]}}, servers={}, trust=[pki.root.cert])
    with AlertServer(address=ADDRESS, port=site.port):
        code, report = site.check(HOST, "--starttls", "ldap")
    assert code == 1
    [finding] = findings(report, "starttls-refused")
    assert finding["evidence"]["reason"] == "starttls-tls-at-once"
    assert finding["evidence"]["server_said"] == repr(b"\x15\x03\x03\x00\x02\x02F")


def test_a_silent_server_costs_the_attempts_deadline_not_more(make_site: MakeSite, pki: certs.Pki) -> None:
    site = make_site(zone={HOST: {"A": [ADDRESS]}}, servers={}, trust=[pki.root.cert])
    with BlackHoleServer(address=ADDRESS, port=site.port):
        code, report = site.check(HOST, "--starttls", "smtp", timeout=1.0)
    assert code == 1
    [finding] = findings(report, "connect-timeout")
    [attempt] = finding["evidence"]["attempts"]
    assert attempt["phase"] == "preamble" and attempt["reason"] == "starttls-no-answer"
    assert attempt["elapsed_ms"] < 1000 * 10  # a hang catcher: the deadline is 1 s


def test_sni_default_certificate_behind_starttls(make_site: MakeSite, pki: certs.Pki) -> None:
    default = VHost.of(pki.leaf(dns=[f"default.{ZONE}"]))
    server = starttls_server("smtp", default, {HOST: VHost.of(pki.leaf(dns=[HOST], cn=HOST))})
    site = site_for(make_site, pki, server)
    code, report = site.check(HOST, "--starttls", "smtp")
    assert code == 0
    assert "sni-default-cert" in codes(report, "warning")


def test_client_certificate_through_the_postgres_preamble(make_site: MakeSite, pki: certs.Pki, tmp_path) -> None:
    clients = certs.make_pki("STARTTLS clients")
    auth = ClientAuth(ca_certs=(clients.root.cert, clients.intermediate.cert))
    server = starttls_server("postgres", VHost.of(pki.leaf(dns=[HOST], cn=HOST)), client_auth=auth)
    site = site_for(make_site, pki, server)
    code, report = site.check(HOST, "--starttls", "postgres")
    assert code == 1 and "mtls-cert-required" in codes(report, "error")
    issued = clients.leaf(dns=["app.example.test"], cn="app.example.test", eku=certs.EKU_CLIENT)
    cert, key = tmp_path / "app.pem", tmp_path / "app.key"
    cert.write_bytes(certs.pem(issued.cert, clients.intermediate.cert))
    key.write_bytes(issued.key_pem)
    key.chmod(0o600)
    code, report = site.check(HOST, "--starttls", "postgres", "--client-cert", str(cert), "--client-key", str(key))
    assert code == 0, report["findings"]
    assert step(report, "client")["status"] == "ok"
    assert any(r.client_verified for r in server.records)


def _can_bind(address: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((address, port))
        except OSError:
            return False
    return True


def test_a_well_known_port_chooses_starttls_and_says_so(make_site: MakeSite, pki: certs.Pki) -> None:
    address = "127.0.14.25"
    if not _can_bind(address, 25):
        pytest.skip("binding port 25 needs root (or the port is taken)")
    server = starttls_server("smtp", VHost.of(pki.leaf(dns=[HOST], cn=HOST)), address=address, port=25)
    with server:
        site = make_site(zone={HOST: {"A": [address]}}, servers={}, trust=[pki.root.cert])
        code, report = site.check(f"{HOST}:25")
    assert code == 0, report["findings"]
    target = step(report, "target")
    assert target["data"]["protocol"] == {"name": "smtp", "starttls": "smtp", "source": "port"}
    assert "port 25 is its well-known port" in target["summary"]


def test_the_demo_has_a_mail_and_a_database_scenario(lab, capsys) -> None:  # type: ignore[no-untyped-def]
    """`tlsdoctor demo`: SMTP with the relay's own name, a relay that says 454, PostgreSQL with the old primary's name."""
    import json

    from tlsdoctor.cli import main

    expected = {"mail": ("smtp", "TLS-1203"), "mail-no-tls": ("smtp", "NET-3004"), "database": ("postgres", "TLS-1201")}
    for scenario, (protocol, top) in expected.items():
        assert main(["check", *lab.command_line(scenario), "--format", "json", "--timeout", "2"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert step(report, "target")["data"]["protocol"]["starttls"] == protocol
        assert report["diagnosis"][0]["kb_id"] == top
        commands = [c for d in report["diagnosis"] for w in d["workarounds"] for c in w["commands"]]
        assert all("https://" not in c for c in commands)  # HTTP commands do not apply here
        assert any(c.startswith(f"openssl s_client -starttls {protocol} ") for c in commands)
