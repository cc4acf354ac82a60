"""Untrusted text on one line (issue 12 §1), the names as the certificate writes them (§8), the
token's claims (§5) and the CSR names from the parsed identity (§7): pure functions, no network."""

from __future__ import annotations

import json

import pytest

from tlsdoctor.analysis.mtls import label_diff, parse_expected_identity
from tlsdoctor.analysis.names.verdicts import dns_verdict, label_rows
from tlsdoctor.analysis.token import decode_token
from tlsdoctor.knowledge.commands import CommandContext, render_command
from tlsdoctor.reasons import reason_text
from tlsdoctor.render.json import json_text
from tlsdoctor.render.labels import md_text, safe_text
from tlsdoctor.untrusted import inert

# Every character that ends a line somewhere (a terminal, Python's splitlines, a browser, an editor).
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200b", "\ufeff", "\u061c", "\x1b", "\x07", "\x00", "\x9b"]


@pytest.mark.parametrize("ch", BREAKS + INVISIBLE, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_inert_keeps_one_line_and_shows_the_character(ch: str) -> None:
    shown = inert(f"evil{ch}Verdict: ok")
    assert len(shown.splitlines()) == 1 and shown.isprintable()
    assert "Verdict: ok" in shown and shown.startswith("evil\\")  # visible where it was
    assert safe_text(f"a{ch}b") == inert(f"a{ch}b")
    assert len(md_text(f"a{ch}b").splitlines()) == 1


def test_the_escapes_read_as_people_write_them() -> None:
    assert inert("a\nb") == "a\\nb"
    assert inert("a\rb\tc") == "a\\rb\\tc"
    assert inert("a\u2028b\u2029c") == "a\\u2028b\\u2029c"
    assert inert("a\x85b\x1bc") == "a\\x85b\\x1bc"
    assert inert("ok.example.com") == "ok.example.com"
    assert inert("bücher.例え.jp") == "bücher.例え.jp"  # letters stay letters


def test_inert_is_idempotent() -> None:
    text = "x\n\u2028\u202e\x1b[31m"
    assert inert(inert(text)) == inert(text)


def test_json_escapes_separators_and_bidi_but_keeps_the_data() -> None:
    value = {"cn": "a\u2028b\u202ec\x85d\ne", "ok": "bücher"}
    text = json_text(value)
    assert "\\u2028" in text and "\\u202e" in text and "\\u0085" in text and "\\n" in text
    assert not any(ch in text for ch in "\u2028\u202e\x85")
    assert json.loads(text) == value  # escaped, not changed
    assert "bücher" in text


def test_reason_sentences_hold_certificate_details_on_one_line() -> None:
    sentence = reason_text("wildcard-apex", {"base": "evil.test\nVerdict: ok"})
    assert len(sentence.splitlines()) == 1 and "\\nVerdict: ok" in sentence


def test_no_message_says_it_should_be_and_then_nothing() -> None:
    # a U-label that no IDNA encoder accepts (a separator inside): there is no A-label to name
    v = dns_verdict("bü\u2028x.example", "www.example.com", ["www", "example", "com"], None)
    text = reason_text(v.reason, v.detail)
    assert v.reason == "idna-no-a-label" and "should be" not in text
    ok = dns_verdict("bücher.example", "www.example.com", ["www", "example", "com"], None)
    assert reason_text(ok.reason, ok.detail).endswith("xn--bcher-kva.example")


def test_the_label_diff_shows_the_certificate_name_as_written() -> None:
    v = dns_verdict("WWW.Exampel.COM", "www.example.com", ["www", "example", "com"], None)
    labels = label_rows(v, ["www", "example", "com"], None)  # drawn for the closest names only (issue 13)
    assert [row.presented for row in labels] == ["WWW", "Exampel", "COM"]
    assert [row.same for row in labels] == [True, False, True]  # compared case-insensitively
    rows = label_diff("client-prod.example.com", "Client-Staging.Example.com")
    assert rows == ({"position": 0, "expected": "client-prod", "certificate": "Client-Staging"},)


def test_token_keeps_only_cnf() -> None:
    import base64

    payload = {"sub": "alice@initech.example", "iss": "https://idp.initech.example", "aud": "payroll",
               "exp": 2_000_000_000, "cnf": {"x5t#S256": "A" * 43}}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    view = decode_token(f"eyJhbGciOiJub25lIn0.{body}.c2ln")
    shown = json.dumps(view.to_json())
    assert view.to_json()["cnf"] == {"x5t#S256": "A" * 43}
    for secret in ("alice", "initech", "payroll", "2000000000", "2033"):
        assert secret not in shown and secret not in repr(view)


@pytest.mark.parametrize(
    ("identity", "subject", "san"),
    [
        ("CN=client-new.example.com", "/CN=client-new.example.com", "subjectAltName=DNS:client-new.example.com"),
        ("client-new.example.com", "/CN=client-new.example.com", "subjectAltName=DNS:client-new.example.com"),
        ("DNS:api.example.com", "/CN=api.example.com", "subjectAltName=DNS:api.example.com"),
        ("URI:spiffe://prod.example/ns/api/sa/web", "/", "subjectAltName=URI:spiffe://prod.example/ns/api/sa/web"),
        ("ops@example.com", "/CN=ops@example.com", "subjectAltName=email:ops@example.com"),
        ("IP:10.0.0.7", "/CN=10.0.0.7", "subjectAltName=IP:10.0.0.7"),
        (r"^CN=client-prod\.example\.com$", "/CN=client-prod.example.com", "subjectAltName=DNS:client-prod.example.com"),
    ],
)
def test_csr_names_come_from_the_parsed_identity(identity: str, subject: str, san: str) -> None:
    expected = parse_expected_identity(identity)
    assert expected.csr_names() == (subject, san)
    ctx = CommandContext(host="h", expected_client_identity=expected.text, client_csr=expected.csr_names())
    command = render_command("openssl req -new -key k -out c.csr -subj {client_subject} -addext {client_san_ext}", ctx)
    assert "CN=CN=" not in command and "DNS:CN=" not in command and "DNS:DNS:" not in command
    assert subject in command and san in command


@pytest.mark.parametrize("identity", ["client-*.example.com", r"^CN=client-.*\.example\.com$", "re:^(a|b)\\.example\\.com$"])
def test_a_glob_or_regex_says_which_name_to_put_and_invents_none(identity: str) -> None:
    expected = parse_expected_identity(identity)
    assert expected.csr_names() is None
    ctx = CommandContext(host="h", expected_client_identity=expected.text, client_csr=None)
    command = render_command("openssl req -subj {client_subject} -addext {client_san_ext}", ctx)
    assert f"a name matching {identity}" in command
    assert "client-new" not in command and "/CN=client-" not in command.replace(f"matching {identity}", "")
