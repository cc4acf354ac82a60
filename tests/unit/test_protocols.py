"""Which protocol a target speaks before TLS: --starttls, the URL scheme, the well-known port (pure)."""

from __future__ import annotations

import pytest

from tlsdoctor.errors import BadInput
from tlsdoctor.probe.tls.preamble.binary import LDAP_STARTTLS_REQUEST, ldap_result, mysql_error_text
from tlsdoctor.probe.tls.preamble.reader import PreambleRefused, Reader, words
from tlsdoctor.protocols import ProtocolChoice, choose_protocol
from tlsdoctor.request import RequestError, parse_starttls
from tlsdoctor.target import parse_target


@pytest.mark.parametrize(
    ("port", "protocol"),
    [(25, "smtp"), (587, "smtp"), (143, "imap"), (110, "pop3"), (21, "ftp"), (389, "ldap"), (5432, "postgres"), (3306, "mysql"), (5222, "xmpp")],
)
def test_well_known_ports_choose_starttls(port: int, protocol: str) -> None:
    assert choose_protocol(port, None, None) == ProtocolChoice(protocol, protocol, "port")


@pytest.mark.parametrize(("port", "name"), [(465, "smtps"), (993, "imaps"), (995, "pop3s"), (636, "ldaps"), (990, "ftps"), (5223, "xmpps")])
def test_implicit_tls_ports_are_tls_at_once_and_named(port: int, name: str) -> None:
    assert choose_protocol(port, None, None) == ProtocolChoice(None, name, "port")


def test_other_ports_are_https_by_default() -> None:
    assert choose_protocol(443, None, None) == ProtocolChoice(None, "https", "port")
    assert choose_protocol(8443, None, None) == ProtocolChoice()


@pytest.mark.parametrize(
    ("text", "port", "starttls"),
    [("smtp://mail.example.com", 25, "smtp"), ("imap://mail.example.com", 143, "imap"), ("pop3://mail.example.com", 110, "pop3"),
     ("ftp://files.example.com", 21, "ftp"), ("ldap://dc.example.com", 389, "ldap"), ("postgres://db.example.com", 5432, "postgres"),
     ("postgresql://app:pw@db.example.com:6432/orders?sslmode=verify-full", 6432, "postgres"), ("mysql://db.example.com", 3306, "mysql"),
     ("xmpp://chat.example.com", 5222, "xmpp"), ("ldaps://dc.example.com", 636, None), ("smtps://mail.example.com", 465, None),
     ("https://www.example.com", 443, None)],
)  # fmt: skip
def test_url_forms_choose_port_and_preamble(text: str, port: int, starttls: str | None) -> None:
    target = parse_target(text)
    assert target.port == port
    choice = parse_starttls(None, target)
    assert choice.starttls == starttls and choice.source == "url"


def test_the_option_wins_and_none_forces_tls_at_once() -> None:
    target = parse_target("mail.example.com:25")
    assert parse_starttls("none", target) == ProtocolChoice(None, "https", "option")
    assert parse_starttls("LDAP", target).starttls == "ldap"
    assert parse_starttls(None, parse_target("smtp://mail.example.com:2525")).starttls == "smtp"
    with pytest.raises(RequestError) as info:
        parse_starttls("gopher", target)
    assert info.value.field == "starttls" and "smtp" in str(info.value)


def test_unknown_schemes_are_bad_input() -> None:
    with pytest.raises(BadInput, match="smtp://"):
        parse_target("gopher://x.example.com")


class _Script:
    """A channel that replays server bytes (the preamble's only view of the socket)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def recv(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


def test_the_servers_words_are_one_line_and_bounded() -> None:
    assert words(b"250-a\r\n250-b\r\n250 c") == "250-a\\n250-b\\n250 c"
    assert len(words("x" * 10_000)) == 300


def test_a_reply_in_tls_is_named_and_a_flood_is_cut() -> None:
    with pytest.raises(PreambleRefused) as info:
        Reader(_Script(b"\x15\x03\x03\x00\x02\x02\x46")).line()
    assert info.value.reason == "tls-at-once"
    with pytest.raises(PreambleRefused) as info:
        Reader(_Script(*[b"x" * 4096] * 40)).line()
    assert info.value.reason == "unexpected-reply"
    with pytest.raises(PreambleRefused) as info:
        Reader(_Script(b"220 hello")).line()  # then EOF
    assert info.value.reason == "closed"


def test_ldap_starttls_request_and_response_in_ber() -> None:
    oid = b"1.3.6.1.4.1.1466.20037"
    assert b"\x30\x1d\x02\x01\x01\x77\x18\x80\x16" + oid == LDAP_STARTTLS_REQUEST
    ok = b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00"
    assert ldap_result(ok) == (1, 0, "")
    refused = b"\x30\x10\x02\x01\x01\x78\x0b\x0a\x01\x34\x04\x00\x04\x04busy"
    assert ldap_result(refused) == (1, 52, "busy")
    with pytest.raises(ValueError):
        ldap_result(b"\x30\x03\x02\x01")


def test_mysql_error_packet_as_the_client_prints_it() -> None:
    assert mysql_error_text(b"\xff\x6a\x04#HY000Host 'x' is not allowed") == "ERROR 1130 (HY000): Host 'x' is not allowed"
    assert mysql_error_text(b"\xff\x6a\x04Host 'x' is not allowed") == "ERROR 1130: Host 'x' is not allowed"
