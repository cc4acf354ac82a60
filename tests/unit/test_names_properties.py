"""Properties of the names step, with cryptography's X.509 verifier as the oracle.

`match_name` must agree with `cryptography.x509.verification` (a webpki-style
RFC 9525 implementation) on random LDH names and wildcard patterns. Cases left
out on purpose, because the two disagree by design:
- references that are IP literals: cryptography accepts `DNSName("127.0.0.1")`
  as a name; we treat an IP target as an IP (`ip-vs-dns`), as every client does;
- underscores: cryptography refuses them, we match them exactly as OpenSSL,
  curl and Go do (the strategies below use LDH labels only);
- names cryptography refuses to build into a verifier (`ValueError`): filtered.
"""

from __future__ import annotations

import ipaddress
import json

from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tlsdoctor.analysis.names import SanKind, Verdict, check_names, match_name
from tlsdoctor.lab.certs import make_ca, make_leaf, new_key, now
from tlsdoctor.target import parse_target

CA = make_ca("Names Oracle Root CA")
LEAF_KEY = new_key()
STORE = Store([CA.cert])
AT = now()
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A small alphabet and label pool, so that names and patterns collide often.
label = st.one_of(
    st.sampled_from(["a", "b", "www", "api", "example", "com", "xn--bcher-kva", "1", "a-b"]),
    st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?\Z"),
)
reference = st.lists(label, min_size=1, max_size=4).map(".".join)


@st.composite
def pattern_for(draw: st.DrawFn, ref: str) -> str:
    """A presented dNSName related to `ref`: itself, a wildcard over it, its parent, a partial wildcard…"""
    labels = ref.split(".")
    shape = draw(st.sampled_from(["same", "upper", "wild", "apex", "depth", "partial", "inner", "double", "random"]))
    if shape == "same":
        return ref
    if shape == "upper":
        return ref.upper()
    if shape == "wild":
        return ".".join(["*"] + labels[1:])
    if shape == "apex":
        return "*." + ref
    if shape == "depth":
        return ".".join(["*"] + labels[2:]) if len(labels) > 2 else "*." + ref
    if shape == "partial":
        return ".".join([labels[0][:1] + "*"] + labels[1:])
    if shape == "inner" and len(labels) > 2:
        return ".".join(labels[:1] + ["*"] + labels[2:])
    if shape == "double":
        return ".".join(["*", "*"] + labels[2:])
    return draw(reference)


def oracle_accepts(presented: str, ref: str) -> bool:
    leaf = make_leaf(CA, dns=[presented], cn="oracle", key=LEAF_KEY)
    verifier = PolicyBuilder().store(STORE).time(AT).build_server_verifier(x509.DNSName(ref))
    try:
        verifier.verify(leaf.cert, [])
    except VerificationError:
        return False
    return True


@SETTINGS
@given(data=st.data(), ref=reference)
def test_match_name_agrees_with_cryptography(data: st.DataObject, ref: str) -> None:
    assume(_not_an_ip(ref))
    presented = data.draw(pattern_for(ref))
    try:
        expected = oracle_accepts(presented, ref)
    except ValueError:  # cryptography refuses the name itself
        assume(False)
    verdict, reason = match_name(presented, ref)
    assert (verdict is Verdict.MATCH) is expected, (presented, ref, reason)


def _not_an_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return True
    return False


@settings(max_examples=100, deadline=None)
@given(ref=reference)
def test_a_name_always_matches_itself(ref: str) -> None:
    assume(_not_an_ip(ref))
    assert match_name(ref, ref) == (Verdict.MATCH, "exact")
    result = check_names(make_leaf(CA, dns=[ref], key=LEAF_KEY).cert, parse_target(ref))
    assert result.matched and result.closest is None


san_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(
    dns=st.lists(san_text, max_size=6),
    ips=st.lists(st.ip_addresses().map(str), max_size=3),
    # a CN holds at most 64 characters of UTF-8 (cryptography refuses more): bound the bytes, not the characters
    cn=st.one_of(st.none(), st.text(min_size=1, max_size=30).filter(lambda t: len(t.encode("utf-8", "surrogatepass")) <= 64)),
    host=st.one_of(reference, st.ip_addresses().map(lambda ip: f"[{ip}]" if ip.version == 6 else str(ip))),
)
def test_every_san_gets_exactly_one_verdict_and_nothing_raises(dns: list[str], ips: list[str], cn: str | None, host: str) -> None:
    leaf = make_leaf(CA, dns=dns, ips=ips, cn=cn, key=LEAF_KEY)
    result = check_names(leaf.cert, parse_target(host))
    sans = [(v.kind, v.value) for v in result.verdicts if v.kind is not SanKind.CN]
    expected = [(SanKind.DNS, d) for d in dns] + [(SanKind.IP, str(ipaddress.ip_address(i))) for i in ips]
    assert sans == expected
    assert [v.value for v in result.verdicts if v.kind is SanKind.CN] == ([cn] if cn is not None else [])
    assert result.matched is any(v.verdict is Verdict.MATCH for v in result.verdicts)
    assert all(0.0 <= v.similarity <= 1.0 for v in result.verdicts)
    assert len(result.clients) == 9
    json.dumps(result.to_json())


@settings(max_examples=200, deadline=None)
@given(presented=st.text(max_size=40), ref=reference)
def test_match_name_never_raises(presented: str, ref: str) -> None:
    verdict, reason = match_name(presented, ref)
    assert isinstance(verdict, Verdict) and reason
