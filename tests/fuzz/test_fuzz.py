"""Fuzzing the parsers of untrusted input with hypothesis: only BadInput may escape, nothing runs long.

Parsers: the hosts file, PEM/DER certificate loading (`inspect`), JWT decoding,
`explain` (random text and mutated real error texts) and the DNS-ID matcher
against cryptography's verifier as the oracle. The target parser is fuzzed in
tests/test_target.py.

Two profiles, registered here and applied per test (not loaded globally, so
other test files keep their own settings): `fuzz-ci` (the default: a few
thousand examples in all, ~15 s on two cores) and `fuzz-long`, selected with
`TLSDOCTOR_FUZZ=long` (50× more examples; minutes). `TLSDOCTOR_FUZZ_SCALE=N`
multiplies either profile's counts.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tlsdoctor.analysis.hosts import parse_hosts_table
from tlsdoctor.analysis.names import Verdict, match_name
from tlsdoctor.analysis.token import decode_token
from tlsdoctor.errors import BadInput
from tlsdoctor.explain import MAX_CHARS, explain
from tlsdoctor.lab import certs
from tlsdoctor.offline import inspect_certificates

# --- profiles -------------------------------------------------------------------------------

LONG = os.environ.get("TLSDOCTOR_FUZZ", "").lower() == "long"
SCALE = float(os.environ.get("TLSDOCTOR_FUZZ_SCALE", "1")) * (50 if LONG else 1)
_COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=not LONG, print_blob=True)
settings.register_profile("fuzz-ci", max_examples=100, **_COMMON)
settings.register_profile("fuzz-long", max_examples=5000, **_COMMON)
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")


def examples(ci: int) -> settings:
    """The profile with `ci` examples in CI (scaled for the long profile)."""
    return settings(PROFILE, max_examples=max(1, int(ci * SCALE)))


AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CA = certs.make_pki("Fuzz")
LEAF = CA.leaf(dns=["www.example.test", "*.api.example.test"], ips=["127.0.0.1"], cn="www.example.test")
SEED_CERTS = [LEAF.der, CA.intermediate.der, CA.root.der]
SEED_PEM = LEAF.cert_pem + CA.intermediate.cert.public_bytes(serialization.Encoding.PEM)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte flips, insertions, deletions or a cut: most stay near-valid DER/PEM."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "cut", "dup"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[i] = draw(st.sampled_from([0x00, 0x30, 0x80, 0x81, 0x82, 0x84, 0xFF, 0x7F]))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 8))]
        elif op == "cut":
            del data[i:]
        else:
            data[i:i] = data[i : i + draw(st.integers(1, 32))]
    return bytes(data)


# `seconds` is what a call takes on an idle 2-core machine, give or take; the assertion only
# catches a hang or a runaway (quadratic) path, so it allows HANG_FACTOR times that. How fast
# things are is measured by scripts/benchmark.py, never asserted here (a loaded CI box is slow).
HANG_FACTOR = 15


def _bounded(seconds: float, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.monotonic()
    try:
        return function(*args, **kwargs)
    finally:
        elapsed = time.monotonic() - start
        limit = seconds * HANG_FACTOR
        assert elapsed < limit, f"{function.__name__} took {elapsed:.2f} s: a hang? (limit {limit} s)"


# --- hosts file -----------------------------------------------------------------------------

hosts_line = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda addr, names, comment: f"{addr} {' '.join(names)}{comment}",
        st.one_of(st.ip_addresses().map(str), st.text(max_size=20), st.just("[::1]")),
        st.lists(st.one_of(st.from_regex(r"\A[a-zA-Z0-9.*_-]{1,30}\Z"), st.text(max_size=20)), max_size=5),
        st.sampled_from(["", " # c", "#", "\r", "\t#\x00"]),
    ),
)


@examples(600)
@given(lines=st.lists(hosts_line, max_size=12), sep=st.sampled_from(["\n", "\r\n", "\r"]))
def test_hosts_parser_never_raises(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    table = _bounded(1.0, parse_hosts_table, text)
    total = len(text.split("\n"))
    assert all(1 <= e.lineno <= total for e in table.entries)
    assert all(1 <= n <= total for n in table.invalid_lines)
    for entry in table.entries:
        ipaddress.ip_address(entry.address)  # only lines with a real address are used
        assert entry.names


# --- PEM / DER ------------------------------------------------------------------------------


def _inspect_only_badinput(data: bytes, **kwargs: object) -> None:
    try:
        result = _bounded(2.0, inspect_certificates, data, host="www.example.test", at=AT, **kwargs)
    except BadInput as exc:
        assert "\n" not in str(exc)
        return
    json.dumps(result.to_json(), default=str)  # the report of a weird certificate still serialises


@examples(1200)
@given(data=mutated(SEED_CERTS))
def test_inspect_mutated_der_only_badinput(data: bytes) -> None:
    _inspect_only_badinput(data)


@examples(600)
@given(data=mutated([SEED_PEM, LEAF.cert_pem]))
def test_inspect_mutated_pem_only_badinput(data: bytes) -> None:
    _inspect_only_badinput(data)


@examples(400)
@given(data=st.binary(max_size=600), chain=st.sampled_from([b"", CA.intermediate.cert.public_bytes(serialization.Encoding.PEM)]))
def test_inspect_random_bytes_only_badinput(data: bytes, chain: bytes) -> None:
    _inspect_only_badinput(data, chain=chain)


@examples(300)
@given(chain=mutated(SEED_CERTS), ca=mutated([CA.root.der]))
def test_inspect_good_leaf_with_mutated_chain_and_ca(chain: bytes, ca: bytes) -> None:
    _inspect_only_badinput(LEAF.der, chain=chain, ca=ca)


# --- JWT ------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
claims = st.dictionaries(
    st.sampled_from(["sub", "iss", "aud", "exp", "cnf", "x"]),
    st.one_of(json_value, st.fixed_dictionaries({"x5t#S256": json_value})),
    max_size=6,
)
jwt_text = st.one_of(
    st.text(max_size=120),
    st.builds(lambda c: f"{_b64(b'{}')}.{_b64(json.dumps(c).encode())}.sig", claims),
    st.builds(lambda p: f"eyJhbGciOiJub25lIn0.{_b64(p)}.", st.binary(max_size=60)),
    st.builds(lambda parts: ".".join(parts), st.lists(st.from_regex(r"\A[A-Za-z0-9_=+/-]{0,20}\Z"), max_size=6)),
    st.builds(lambda n: f"Bearer a.{_b64(b'[' * n)}.b", st.integers(1, 5_000)),  # deeper: see the test below
)


@examples(1200)
@given(token=jwt_text)
def test_decode_token_only_badinput(token: str) -> None:
    try:
        view = _bounded(1.0, decode_token, token)
    except BadInput as exc:
        assert "\n" not in str(exc)
        assert len(token) < 24 or token.strip() not in str(exc), "the token itself never appears in the message"
        return
    json.dumps(view.to_json(), default=str)


def test_decode_token_deep_json_is_badinput() -> None:
    """A payload nested 100,000 deep overflows the JSON parser's recursion: one line, not a traceback."""
    with pytest.raises(BadInput):
        decode_token(f"a.{_b64(b'[' * 100_000 + b']' * 100_000)}.b")


# --- explain --------------------------------------------------------------------------------

REAL_ERRORS = [
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.example.com'",
    "curl: (60) SSL certificate problem: unable to get local issuer certificate",
    "requests.exceptions.SSLError: HTTPSConnectionPool(host='a.example.com', port=443): Max retries exceeded with url: / "
    "(Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
    "Hostname mismatch, certificate is not valid for 'a.example.com'. (_ssl.c:1006)\")))",
    "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: a.example.com. "
    "is not in the cert's altnames: DNS:*.example.org, DNS:example.org",
    "x509: certificate is valid for *.example.org, example.org, not a.example.com",
    "javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching a.example.com found.",
    "40C7A1B2E77F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1584:SSL alert number 48",
    "remote error: tls: certificate required",
    "upstream SSL certificate does not match \"backend.internal\" while SSL handshaking to upstream",
    "SSL_ERROR_BAD_CERT_DOMAIN",
    "curl: (35) OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 alert protocol version",
]
# The seeds live in the steering repo's shared/ beside the clone (as in CI); absent elsewhere.
SEEDS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir, "shared", "seeds")


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(REAL_ERRORS))
    for _ in range(draw(st.integers(0, 5))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "repeat", "ansi", "wrap"]))
        if op == "insert":
            text = text[:i] + draw(st.text(max_size=12)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 20)) :]
        elif op == "repeat":
            text = text * draw(st.integers(2, 40))
        elif op == "ansi":
            text = text[:i] + "\x1b[31m" + text[i:] + "\x1b[0m"
        else:
            text = "\n".join(text[j : j + 17] for j in range(0, len(text), 17))
        text = text[:20_000]  # long inputs have their own tests below
    return text


@examples(700)
@given(text=st.one_of(st.text(max_size=400), mutated_text()))
def test_explain_never_raises_and_is_quick(text: str) -> None:
    result = _bounded(1.0, explain, text)
    data = json.dumps(result.to_json(), default=str)
    assert data


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "x509: certificate is valid for " * 33_000,
        ("SSL alert number 40 " * 60_000)[:1_000_000],
        "\x1b[" * 500_000,
        "[" * 1_000_000,
        (REAL_ERRORS[3] + "\n") * 5_000,
    ],
    ids=["letters", "go-valid-for", "alerts", "ansi", "brackets", "node-lines"],
)
def test_explain_on_a_megabyte_is_bounded(text: str) -> None:
    """Work is bounded by input size: past MAX_CHARS nothing is read, so a longer text finds the same."""
    result = _bounded(2.0, explain, text)
    if len(text) >= MAX_CHARS:
        longer = _bounded(2.0, explain, text + "\ncurl: (60) SSL: no alternative certificate subject name matches")
        assert longer.input.read == result.input.read == MAX_CHARS and longer.input.chars > result.input.chars
        assert {**longer.to_json(), "input": None} == {**result.to_json(), "input": None}  # only the size says more


def test_explain_mutated_seed_files() -> None:
    """The research seeds, cut and concatenated: still bounded, still data."""
    if not os.path.isdir(SEEDS_DIR):
        pytest.skip(f"seed documents not found at {os.path.normpath(SEEDS_DIR)}")
    texts = [Path(SEEDS_DIR, f).read_text(encoding="utf-8", errors="replace") for f in sorted(os.listdir(SEEDS_DIR))]
    for text in texts:
        for cut in range(0, len(text), max(1, len(text) // 25)):
            _bounded(1.0, explain, text[cut:] + text[:cut])


# --- the DNS-ID matcher against cryptography's verifier -------------------------------------

ORACLE_CA = certs.make_ca("Fuzz Names Oracle")
ORACLE_STORE = Store([ORACLE_CA.cert])
ORACLE_KEY = certs.new_key()
ORACLE_AT = certs.now()  # the oracle's certificates are made now
label = st.one_of(
    st.sampled_from(["a", "A", "www", "xn--bcher-kva", "XN--BCHER-KVA", "com", "1", "a-b", "-a", "a-", "*", "f*", "*o", "xn--"]),
    st.from_regex(r"\A[a-zA-Z0-9*-]{1,10}\Z"),
)
dns_name = st.lists(label, min_size=1, max_size=5).map(".".join)


def _oracle(presented: str, reference: str) -> bool:
    leaf = certs.make_leaf(ORACLE_CA, dns=[presented], cn="oracle", key=ORACLE_KEY)
    verifier = PolicyBuilder().store(ORACLE_STORE).time(ORACLE_AT).build_server_verifier(x509.DNSName(reference))
    try:
        verifier.verify(leaf.cert, [])
    except VerificationError:
        return False
    return True


@examples(300)
@given(presented=dns_name, reference=dns_name.filter(lambda r: "*" not in r))
def test_match_name_agrees_with_cryptography_on_wider_names(presented: str, reference: str) -> None:
    try:
        ipaddress.ip_address(reference)
        assume(False)  # IP references: ip-vs-dns by design (see test_names_properties)
    except ValueError:
        pass
    try:
        expected = _oracle(presented, reference)
    except ValueError:
        assume(False)  # cryptography refuses to build the name
    verdict, reason = _bounded(0.5, match_name, presented, reference)
    assert (verdict is Verdict.MATCH) is expected, (presented, reference, reason)


# --- memory on the 10,000-SAN certificate (the probe cannot read it; `inspect` can) ----------


def test_inspect_ten_thousand_sans_memory_stays_flat() -> None:
    import tracemalloc

    from tlsdoctor.lab.hostile import many_san_leaf

    leaf = many_san_leaf(CA.intermediate, "example.test", include=["www.example.test"])
    tracemalloc.start()
    try:
        result = _bounded(5.0, inspect_certificates, leaf.cert_pem, chain=SEED_PEM[len(LEAF.cert_pem):], host="www.example.test", at=AT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"inspect, 10,000 SANs ({len(leaf.der)} bytes DER): tracemalloc peak {peak / 1024:.0f} KiB")
    assert result.names is not None and result.names.matched
    assert peak < 64 * 1024 * 1024
