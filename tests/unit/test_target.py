"""Target parsing: every accepted form, clear refusals, and properties over arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsdoctor.errors import BadInput
from tlsdoctor.target import parse_target


@pytest.mark.parametrize(
    ("text", "ascii_host", "display", "port", "is_ip"),
    [
        ("example.com", "example.com", "example.com", 443, False),
        ("Example.COM:8443", "example.com", "example.com", 8443, False),
        ("https://api.example.com/path?q=1", "api.example.com", "api.example.com", 443, False),
        ("https://api.example.com:9443/", "api.example.com", "api.example.com", 9443, False),
        ("bücher.example", "xn--bcher-kva.example", "bücher.example", 443, False),
        ("xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example", 443, False),
        ("BÜCHER.example", "xn--bcher-kva.example", "bücher.example", 443, False),  # UTS-46 mapping
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", 443, True),
        ("127.0.0.1:8443", "127.0.0.1", "127.0.0.1", 8443, True),
        ("[::1]:8443", "::1", "::1", 8443, True),
        ("[2001:DB8::1]", "2001:db8::1", "2001:db8::1", 443, True),
        ("::1", "::1", "::1", 443, True),
        ("internal_host.corp", "internal_host.corp", "internal_host.corp", 443, False),
    ],
)
def test_accepted_forms(text: str, ascii_host: str, display: str, port: int, is_ip: bool) -> None:
    t = parse_target(text)
    assert (t.ascii_host, t.display_host, t.port, t.is_ip) == (ascii_host, display, port, is_ip)


def test_trailing_dot_is_recorded_and_stripped() -> None:
    t = parse_target("example.com.")
    assert t.ascii_host == "example.com" and t.trailing_dot


def test_ip_literal_sends_no_sni() -> None:
    assert parse_target("10.0.0.7").sni is None
    assert parse_target("example.com").sni == "example.com"


def test_default_port_option() -> None:
    assert parse_target("example.com", 8443).port == 8443
    assert parse_target("example.com:9443", 8443).port == 9443


@pytest.mark.parametrize(
    "text",
    ["", "  ", "http://example.com", "gopher://x", "exa mple.com", "example.com:0", "example.com:65536", "example.com:x",
     "[::1", "[example.com]:443", "[::1]x", "a:b:c", "-bad.example", "a..b", "*.example.com", "user@example.com",
     "example.com/path", "a\u202eb.example", "x" * 300 + ".com", "https://"],
)
def test_refused_with_one_line(text: str) -> None:
    with pytest.raises(BadInput) as info:
        parse_target(text)
    assert "\n" not in str(info.value)


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_anything_but_bad_input(text: str) -> None:
    try:
        t = parse_target(text)
    except BadInput as exc:
        assert "\n" not in str(exc).replace("\\n", "")
        return
    assert t.ascii_host.isascii()
    assert 0 < t.port < 65536
    assert t.ascii_host == t.ascii_host.lower()


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(st.lists(LABEL, min_size=2, max_size=5), st.integers(1, 65535))
def test_ascii_names_round_trip(labels: list[str], port: int) -> None:
    name = ".".join(labels)
    if any(l[2:4] == "--" for l in labels) or labels[-1].isdigit():
        return  # reserved xn-- style labels are IDNA's business; all-digit names are IP literals
    t = parse_target(f"{name.upper()}:{port}")
    assert t.ascii_host == name and t.port == port and not t.is_ip
    assert parse_target(f"https://{name}:{port}/x") == t


@pytest.mark.parametrize("text", ["example.com:¹", "example.com:²³", "[::1]:¹"])
def test_superscript_digits_are_not_a_port(text: str) -> None:
    """Found by hypothesis: `'¹'.isdigit()` is True but `int('¹')` raises."""
    with pytest.raises(BadInput):
        parse_target(text)
