"""The names step at scale (issue 13): the bit-parallel edit distance gives the textbook
answers, and only the closest identifiers carry a label diff (all of them on small certificates)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsdoctor.analysis.names import check_names
from tlsdoctor.analysis.names.check import MAX_LABEL_DIFFS
from tlsdoctor.analysis.names.closest import dns_similarity, edit_distance
from tlsdoctor.lab.certs import Issued, make_ca, make_leaf, many_sans
from tlsdoctor.target import parse_target


def textbook_distance(a: str, b: str) -> int:
    """The plain dynamic programme, one row at a time: the reference answer."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@pytest.fixture(scope="module")
def ca() -> Issued:
    return make_ca("Names Scale Root CA")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab-*é.x0", max_size=80), st.text(alphabet="ab-*é.x0", max_size=80))
def test_edit_distance_is_the_textbook_one(a: str, b: str) -> None:
    edit_distance.cache_clear()
    assert edit_distance(a, b) == textbook_distance(a, b) == edit_distance(b, a)


def test_edit_distance_on_known_pairs() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == edit_distance("abc", "") == 3
    assert edit_distance("host-00017", "big") == 10
    assert edit_distance("x" * 200 + "a", "x" * 200 + "b") == 1  # longer than a machine word


def test_a_small_certificate_keeps_every_label_diff(ca: Issued) -> None:
    leaf = make_leaf(ca, dns=["www.example.com", "api.example.org", "*.example.net"], cn="www.example.com")
    result = check_names(leaf.cert, parse_target("ww.example.com"))
    ref = ["ww", "example", "com"]
    for verdict in result.verdicts:
        assert verdict.labels == dns_similarity((verdict.normalised or "").split("."), ref)[1]


def test_thousands_of_sans_carry_a_diff_for_the_closest_only(ca: Issued) -> None:
    names = many_sans(3000, include=["www.exmaple.test"])
    leaf = make_leaf(ca, dns=names, cn=names[0])
    result = check_names(leaf.cert, parse_target("www.example.test"))
    with_diff = [v for v in result.verdicts if v.labels]
    assert len(with_diff) == MAX_LABEL_DIFFS
    assert result.closest is not None and result.closest.value == "www.exmaple.test" and result.closest.labels
    lowest_kept = min(v.similarity for v in with_diff)
    assert all(v.similarity <= lowest_kept for v in result.verdicts if not v.labels)
    data = json.loads(json.dumps(result.to_json()))
    assert all("labels" in v for v in data["verdicts"]), "the field stays, empty for far names"
    assert sum(1 for v in data["verdicts"] if v["labels"]) == MAX_LABEL_DIFFS
    assert data["closest"]["labels"]


def test_the_closest_keeps_its_diff_even_past_the_limit(ca: Issued) -> None:
    """Sixteen URI SANs that look more like the name than the closest dNSName still leave it its diff."""
    uris = [f"https://www.example.test/{i}" for i in range(MAX_LABEL_DIFFS + 4)]
    leaf = make_leaf(ca, dns=["zzz.other.invalid"], uris=uris)
    result = check_names(leaf.cert, parse_target("www.example.test"))
    assert result.closest is not None and result.closest.value == "zzz.other.invalid"
    assert result.closest.labels
    assert sorted(result.verdicts, key=lambda v: -v.similarity)[0].value.startswith("https://")


def test_a_certificate_is_parsed_once_for_every_step(ca: Issued) -> None:
    """load_der is shared by the fetch, names and chain steps: one object, its SANs decoded once."""
    from tlsdoctor.analysis.certinfo import load_der

    leaf = make_leaf(ca, dns=many_sans(50))
    assert load_der(leaf.der) is load_der(bytes(leaf.der))
    with pytest.raises(ValueError):
        load_der(b"\x30\x03\x02\x01\x00")
    with pytest.raises(ValueError):  # a failure is not remembered as a success
        load_der(b"\x30\x03\x02\x01\x00")


# The whole-name regex _valid_name used before it went label by label: the reference.
WHOLE_NAME = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab-_.\n0*Aé", max_size=20), st.integers(min_value=0, max_value=70))
def test_names_are_validated_as_the_whole_name_regex_did(tail: str, long_label: int) -> None:
    from tlsdoctor.analysis.names.matching import _valid_name

    for name in (tail, "x" * long_label + "." + tail, ("ab." * 90)[: 240 + long_label % 20]):
        assert _valid_name(name) == (len(name) <= 253 and WHOLE_NAME.match(name) is not None), repr(name)
