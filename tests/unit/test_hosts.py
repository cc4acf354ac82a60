"""Hosts step: reading and parsing hosts files, and which address a client on this machine uses."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tlsdoctor.analysis.hosts import hosts_view, parse_hosts, parse_hosts_table
from tlsdoctor.findings import Code, Severity
from tlsdoctor.probe.hosts import MAX_HOSTS_BYTES, read_hosts_file

TRICKY = (
    "# /etc/hosts written by three generations of admins\r\n"
    "127.0.0.1\tlocalhost LOCALHOST.localdomain   # loopback\r\n"
    "\r\n"
    "   ::1     ip6-localhost ip6-loopback\n"
    "10.0.0.5 api.Example.COM. api-internal\t\t# pinned during the migration\n"
    "#10.0.0.6 api.example.com\n"
    "not-an-ip api.example.com\n"
    "10.0.0.7\n"
    "999.1.1.1 api.example.com\n"
    "fe80::1%eth0 link.example.com\n"
    "192.0.2.9 bücher.example\n"
    "10.0.0.8 api.example.com\n"
    "10.0.0.5 api.example.com"  # no final newline; same address twice
)


def test_parser_skips_comments_blank_and_invalid_lines() -> None:
    table = parse_hosts_table(TRICKY)
    assert [e.lineno for e in table.entries] == [2, 4, 5, 10, 11, 12, 13]
    assert table.invalid_lines == (7, 8, 9)
    first = table.entries[0]
    assert (first.address, first.names) == ("127.0.0.1", ("localhost", "localhost.localdomain"))
    assert first.raw == "127.0.0.1\tlocalhost LOCALHOST.localdomain   # loopback"  # CR gone, rest exact


def test_parser_reads_ipv6_tabs_multiple_names_and_idn() -> None:
    entries = {e.lineno: e for e in parse_hosts(TRICKY)}
    assert entries[4].names == ("ip6-localhost", "ip6-loopback")
    assert entries[5].names == ("api.example.com", "api-internal")  # lower-cased, final dot dropped
    assert entries[10].address == "fe80::1%eth0"
    assert entries[11].names == ("xn--bcher-kva.example",)


def test_parser_handles_a_huge_file() -> None:
    body = "".join(f"10.{i % 250}.{i // 250 % 250}.1 host{i}.example.com alias{i}\n" for i in range(60_000))
    entries = parse_hosts(body + "192.0.2.1 needle.example.com\n")
    assert len(entries) == 60_001
    assert entries[-1].names == ("needle.example.com",)


def test_hosts_line_wins_over_dns_and_differs() -> None:
    view = hosts_view(parse_hosts(TRICKY), "API.example.com", ["203.0.113.7"], "/etc/hosts")
    assert [e.lineno for e in view.lines] == [5, 12, 13]
    assert view.hosts_addresses == ("10.0.0.5", "10.0.0.8")
    assert (view.source, view.used_addresses) == ("hosts", ("10.0.0.5", "10.0.0.8"))
    (finding,) = view.findings
    assert (finding.code, finding.severity) == (Code.HOSTS_OVERRIDE, Severity.WARNING)
    assert finding.evidence["differs"] is True
    assert finding.evidence["dns_addresses"] == ["203.0.113.7"]
    assert [line["lineno"] for line in finding.evidence["hosts_lines"]] == [5, 12, 13]
    assert finding.evidence["hosts_lines"][0]["line"].startswith("10.0.0.5 api.Example.COM.")


def test_a_hosts_line_equal_to_dns_overrides_nothing() -> None:
    entries = parse_hosts("2001:DB8:0::1 v6.example.com\n")
    view = hosts_view(entries, "v6.example.com", ["2001:db8::1"], "/etc/hosts")
    assert view.hosts_addresses == ("2001:db8::1",)  # canonical form, compared with DNS's
    assert (view.source, view.findings) == ("hosts", ())


def test_a_hosts_line_for_a_name_dns_does_not_know_overrides_nothing() -> None:
    """DNS gave no answer: the hosts line is the only answer, not an override (issue 10 §1)."""
    view = hosts_view(parse_hosts("10.1.2.3 dev.example.com\n"), "dev.example.com", [], "/etc/hosts")
    assert (view.source, view.used_addresses, view.findings) == ("hosts", ("10.1.2.3",), ())


def test_a_hosts_line_that_differs_from_a_dns_answer_is_an_override() -> None:
    view = hosts_view(parse_hosts("10.1.2.3 dev.example.com\n"), "dev.example.com", ["10.9.9.9"], "/etc/hosts")
    (finding,) = view.findings
    assert finding.severity is Severity.WARNING and finding.evidence["not_in_dns"] == ["10.1.2.3"]


def test_name_absent_from_hosts_uses_dns() -> None:
    view = hosts_view(parse_hosts(TRICKY), "www.example.com", ["203.0.113.7", "2001:db8::7"], "/etc/hosts")
    assert (view.source, view.used_addresses, view.lines, view.findings) == (
        "dns",
        ("203.0.113.7", "2001:db8::7"),
        (),
        (),
    )


def test_resolve_pins_win_over_hosts_and_dns() -> None:
    pins = ["[::1]", "127.0.0.1"]
    view = hosts_view(parse_hosts(TRICKY), "api.example.com", ["203.0.113.7"], "/etc/hosts", resolves=pins)
    assert (view.source, view.used_addresses) == ("resolve", ("::1", "127.0.0.1"))
    # The hosts override is still reported: other clients on this machine still use it.
    assert view.findings[0].evidence["source"] == "resolve"


def test_idn_name_matches_its_a_label() -> None:
    view = hosts_view(parse_hosts(TRICKY), "BÜCHER.example", [], "/etc/hosts")
    assert view.name == "xn--bcher-kva.example"
    assert view.hosts_addresses == ("192.0.2.9",)


def test_view_to_json_is_plain_data() -> None:
    import json

    view = hosts_view(parse_hosts(TRICKY), "api.example.com", ["10.0.0.5"], "/etc/hosts", invalid_lines=3)
    data = json.loads(json.dumps(view.to_json()))
    assert data["invalid_lines"] == 3 and data["source"] == "hosts"
    assert data["findings"][0]["evidence"]["not_in_dns"] == ["10.0.0.8"]


# --- reading the file ---------------------------------------------------------------------------


def test_read_hosts_file(tmp_path: Path) -> None:
    path = tmp_path / "hosts"
    path.write_bytes("10.0.0.1 caf\xc3\xa9.example\n10.0.0.2 bad\xff.example\n".encode("latin-1"))
    hosts = read_hosts_file(str(path))
    assert hosts.error_detail is None and not hosts.truncated
    assert hosts.text == "10.0.0.1 café.example\n10.0.0.2 bad\ufffd.example\n"


def test_missing_file_is_data(tmp_path: Path) -> None:
    hosts = read_hosts_file(str(tmp_path / "nope"))
    assert hosts.text is None
    assert hosts.error_detail is not None and "No such file" in hosts.error_detail and hosts.missing
    assert "\n" not in hosts.error_detail


def test_directory_and_unreadable_file_are_data(tmp_path: Path) -> None:
    assert read_hosts_file(str(tmp_path)).text is None
    secret = tmp_path / "hosts"
    secret.write_text("10.0.0.1 a.example\n")
    secret.chmod(0)
    try:
        hosts = read_hosts_file(str(secret))
        if os.geteuid() == 0:  # root reads anything: then the file must come back whole
            assert hosts.text == "10.0.0.1 a.example\n"
        else:
            assert hosts.text is None and "Permission denied" in (hosts.error_detail or "")
    finally:
        secret.chmod(0o600)


def test_huge_file_is_cut_at_a_line_boundary(tmp_path: Path) -> None:
    line = "10.0.0.1 " + "a" * 40 + ".example\n"
    path = tmp_path / "hosts"
    path.write_text(line * (MAX_HOSTS_BYTES // len(line) + 10))
    hosts = read_hosts_file(str(path))
    assert hosts.truncated and hosts.text is not None
    assert len(hosts.text) <= MAX_HOSTS_BYTES and hosts.text.endswith("\n")
    assert set(hosts.text.splitlines()) == {line.rstrip("\n")}


# --- property -----------------------------------------------------------------------------------

_HOSTS_ALPHABET = st.sampled_from(list("0123456789abcdef.:%# \t\r\nxyz-_é\x00\u2028[]"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_HOSTS_ALPHABET, max_size=300) | st.text(max_size=200))
def test_parse_hosts_never_raises_and_every_address_parses(text: str) -> None:
    for entry in parse_hosts(text):
        ipaddress.ip_address(entry.address)
        assert entry.names
        assert entry.raw in text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=100), st.lists(st.text(max_size=20), max_size=3))
def test_hosts_view_never_raises(text: str, dns_addresses: list[str]) -> None:
    for name in ("api.example.com", "x"):
        view = hosts_view(parse_hosts(text), name, dns_addresses, "/etc/hosts")
        assert view.source in ("hosts", "dns")
