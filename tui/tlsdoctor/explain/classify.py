"""Classifiers shared by several rules: read the finding codes out of a match.

A classifier takes a regex match and returns weighted codes (or `()` for none).
The rule-specific ones live beside their rules; the tables of numbers they read
(verify errors, alerts) live in `tlsdoctor.explain.rules.codes`. Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from tlsdoctor.explain.rule import Classifier, Weighted
from tlsdoctor.findings import Code


def is_ip(text: str) -> bool:
    """An IP address as a client prints it (maybe in brackets or quotes, maybe with a zone)."""
    try:
        ipaddress.ip_address(text.strip("[]'\"").split("%")[0])
    except ValueError:
        return False
    return True


def by_target(group: str, weight: float = 2.0, extra: Weighted = ()) -> Classifier:
    """Name mismatch whose reference identifier is in `group`: an IP means ip-not-in-san."""

    def classify(m: re.Match[str]) -> Weighted:
        target = m.group(group) or ""
        code = Code.IP_NOT_IN_SAN if is_ip(target.rstrip(".")) else Code.HOSTNAME_MISMATCH
        return ((code, weight), *extra)

    return classify


def by_number(group: str, weight: float, table: Mapping[int, Weighted]) -> Classifier:
    """The codes `table` gives for the number in `group` (a verify error, an alert), scaled by `weight`."""

    def classify(m: re.Match[str]) -> Weighted:
        try:
            num = int(m.group(group))
        except (TypeError, ValueError):
            return ()
        return tuple((code, w * weight) for code, w in table.get(num, ()))

    return classify
