"""The rule tables of `tlsdoctor.explain`: every needle is sound, ids are unique, alerts use the one table.

A needle lets the engine skip a rule's regex when the needle is absent from the
text, so a wrong needle would silently hide a match. The check here reads each
pattern's source (no private `re` internals) and is conservative: it accepts a
needle only when it lies inside a run of plain literal characters that every
match of a top-level branch must consume (nothing optional, repeated or inside
a group); anything it does not understand breaks the run. So when it accepts
every rule, the prefilter can never skip a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tlsdoctor.explain.rule import FLAGS, ClientMarker, Needles, Rule
from tlsdoctor.explain.rules import CLIENT_MARKERS, RULES
from tlsdoctor.explain.rules.alerts import ALERT_RULES, FAMILIES
from tlsdoctor.explain.rules.codes import ALERT_CODES
from tlsdoctor.facts.alerts import ALERT_NAMES

_ZERO_WIDTH = object()  # an assertion: consumes nothing, so a literal run goes on across it
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


def _class_end(p: str, i: int) -> int:
    """Index after the `]` closing the character class that starts at p[i] == '['."""
    j = i + 1
    if p[j : j + 1] == "^":
        j += 1
    if p[j : j + 1] == "]":
        j += 1
    while p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _group_end(p: str, i: int) -> int:
    """Index after the `)` closing the group that starts at p[i] == '('."""
    depth, j = 0, i
    while True:
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1


def top_level_branches(p: str) -> list[str]:
    """The pattern split at `|` outside groups and classes."""
    out, start, depth, i = [], 0, 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(p[start:i])
            start = i + 1
        i += 1
    out.append(p[start:])
    return out


@dataclass(frozen=True)
class _Group:
    inner: str  # the pattern inside a plain or named group, which every match of the group goes through


_QUANTIFIER = re.compile(r"[?*+]|\{\d*(?:,\d*)?\}")


def _atom(p: str, i: int) -> tuple[object, int]:
    """(a literal character | _ZERO_WIDTH | a _Group | None for anything else, index after the atom)."""
    c = p[i]
    if c == "\\":
        e = p[i + 1]
        if e in "bBAZ":
            return _ZERO_WIDTH, i + 2
        if e in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[e], i + 2
        if e.isalnum():  # classes (\d \s \w), back references, \x.. \u.. …: not a known literal
            return None, i + 2
        return e, i + 2  # an escaped punctuation character is itself
    if c == "(":
        end = _group_end(p, i)
        if p.startswith(_LOOKAROUND, i):
            return _ZERO_WIDTH, end
        if p.startswith("(?:", i):
            return _Group(p[i + 3 : end - 1]), end
        if p.startswith("(?P<", i):
            return _Group(p[p.index(">", i) + 1 : end - 1]), end
        if not p.startswith("(?", i):
            return _Group(p[i + 1 : end - 1]), end
        return None, end  # flags, conditionals …: not understood
    if c == "[":
        return None, _class_end(p, i)
    if c in "^$":
        return _ZERO_WIDTH, i + 1
    if c in ".{}":  # any character; a brace is never taken for a literal
        return None, i + 1
    return c, i + 1


def _sequence(branch: str) -> tuple[list[str], list[str]]:
    """(lower-cased literal runs every match of `branch` consumes, inner patterns of the groups it must go through)."""
    runs, groups, run, i = [], [], "", 0
    while i < len(branch):
        atom, i = _atom(branch, i)
        quantifier = _QUANTIFIER.match(branch, i)
        if quantifier:
            i = quantifier.end()
            if i < len(branch) and branch[i] in "?+":  # lazy or possessive
                i += 1
        if atom is _ZERO_WIDTH and not quantifier:
            continue
        if isinstance(atom, str) and not quantifier:
            run += atom
            continue
        if isinstance(atom, _Group) and not quantifier:
            groups.append(atom.inner)
        runs.append(run)
        run = ""
    runs.append(run)
    return [r.lower() for r in runs if r], groups


def needles_are_sound(pattern: str, needles: Needles) -> bool:
    """Every match of `pattern` contains one of `needles` (None: the regex always runs).

    True when each top-level branch has a literal run holding a needle, or goes
    through a group for which this holds.
    """
    if needles is None:
        return True
    for branch in top_level_branches(pattern):
        runs, groups = _sequence(branch)
        if not any(n in run for n in needles for run in runs) and not any(needles_are_sound(g, needles) for g in groups):
            return False
    return True


def test_the_soundness_check_itself_rejects_wrong_needles() -> None:
    assert needles_are_sound(r"\bhostname mismatch\b", ("hostname mismatch",))
    assert needles_are_sound(r"\bcurl: \(60\)|\bcurl#60\b", ("curl",))
    assert needles_are_sound(r"SSL_do_handshake\(\) failed \(.{0,4}", ("ssl_do_handshake() failed (",))
    assert needles_are_sound(r"(?<!expired or )\bcertificate is not yet valid\b", ("certificate is not yet valid",))
    assert not needles_are_sound(r"foo(?:bar)?", ("foobar",))  # inside an optional group
    assert not needles_are_sound(r"abc?d", ("abcd",))  # the c may be absent
    assert not needles_are_sound(r"abc*d", ("abc",))  # the c may be absent
    assert not needles_are_sound(r"ab{0,2}c", ("abc",))
    assert not needles_are_sound(r"alpha|beta", ("alpha",))  # a branch without a needle
    assert not needles_are_sound(r"a.c", ("a.c",))  # the dot is any character
    assert not needles_are_sound(r"a[b]c", ("abc",))
    assert not needles_are_sound(r"\d{3}abc", ("3abc",))
    assert not needles_are_sound(r"hostname mismatch", ("Hostname",))  # the text is lower-cased first
    assert needles_are_sound(r"\b(?:SEC_ERROR_\w+|(?P<m>MOZILLA_ERROR))\b", ("sec_error_", "mozilla_error"))
    assert not needles_are_sound(r"(?:SEC_ERROR_\w+|MOZILLA_ERROR)?x", ("sec_error_", "mozilla_error"))
    assert not needles_are_sound(r"(?=abc)\w+", ("abc",))  # a lookahead may look past the match
    assert re.search(r"abc?d", "abd", FLAGS)  # (the case the check above guards against)


def _all() -> list[Rule | ClientMarker]:
    return [*RULES, *CLIENT_MARKERS]


@pytest.mark.parametrize("item", _all(), ids=lambda r: r.id if isinstance(r, Rule) else f"client.{r.client}")
def test_every_needle_is_a_literal_every_match_contains(item: Rule | ClientMarker) -> None:
    if item.needles is not None:
        assert item.needles, "an empty tuple would skip the rule always: write None to always run it"
        assert all(len(n) >= 3 and n == n.lower() for n in item.needles), item.needles
    assert needles_are_sound(item.pattern, item.needles), (item.pattern, item.needles)


def test_rules_are_many_with_unique_ids_and_almost_all_have_needles() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) > 200
    assert sum(r.needles is None for r in RULES) <= 2
    assert all(m.needles is not None for m in CLIENT_MARKERS)


def test_alert_rules_spell_the_names_of_the_one_alert_table() -> None:
    assert set(ALERT_CODES) <= set(ALERT_NAMES)
    assert len(ALERT_RULES) == len(ALERT_CODES) * len(FAMILIES)
    by_id = {r.id: r for r in ALERT_RULES}
    for num, name in ALERT_NAMES.items():
        if num not in ALERT_CODES:
            continue
        java = by_id[f"alert.java.{num}"]
        assert re.search(java.pattern, f"Received fatal alert: {name}", FLAGS), name
        openssl = by_id[f"alert.openssl.{num}"]
        assert re.search(openssl.pattern, f"tlsv1 alert {name.replace('_', ' ')}", FLAGS), name
        assert by_id[f"alert.openssl.{num}"].handshake_alert is (name == "handshake_failure")
