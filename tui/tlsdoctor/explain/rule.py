"""What one recognition rule is: a pattern, the finding codes it points to, and its needles.

The rule tables (`tlsdoctor.explain.rules`) are data built from these types;
the engine (`tlsdoctor.explain.engine`) runs them. Needles are written down
next to each rule: lowercase literals of which every match contains at least
one, so a rule whose needles are all absent from the text is skipped without
running its regex (tests/unit/test_explain_rules.py proves each needle is
really there in every match). This module must not hold rules or do I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field

from tlsdoctor.findings import Code

# ASCII: \b and \w ignore CJK letters next to a token. Every rule and marker uses these flags.
FLAGS = re.IGNORECASE | re.ASCII

# Finding codes with weights: how strongly a match points to each (hints are small).
Weighted = tuple[tuple[Code, float], ...]
# Reads the codes out of a match (e.g. a verify error number); () means "no finding".
Classifier = Callable[[re.Match[str]], Weighted]
# Lowercase literals, one of which every match contains; None: always run the regex.
Needles = tuple[str, ...] | None


def present(needles: Needles, lowered: str) -> bool:
    """Whether a rule with these needles can match in `lowered` (the text, lower-cased)."""
    return needles is None or any(n in lowered for n in needles)


@dataclass(frozen=True)
class Rule:
    """A pattern and the codes it points to.

    `hint`: context only (exit codes, generic wrappers); its codes become `info`
    findings, and only when nothing specific was found. `fallback`: a certain
    failure that does not say which (GnuTLS's "is not trusted", libpq's
    "certificate verify failed"); its codes are errors when nothing more
    specific matched, and are dropped when something did. `scope`: the rule knows
    the context of the text inside it (e.g. nginx verifying a *client* cert), so
    generic rules that match inside its span are dropped. `handshake_alert`:
    a handshake_failure alert, read as "client certificate required" when the
    text also talks about client certificates. `classify` reads the codes from
    the match instead of `codes`.
    """

    id: str  # stable: it is the `pattern` of a match in the JSON output
    pattern: str
    codes: Weighted = ()
    client: str | None = None
    _: KW_ONLY
    needles: Needles
    hint: bool = False
    fallback: bool = False
    scope: bool = False
    handshake_alert: bool = False
    classify: Classifier | None = None
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.hint and self.fallback:
            raise ValueError(f"rule {self.id}: a hint is not a fallback")
        object.__setattr__(self, "regex", re.compile(self.pattern, FLAGS))


@dataclass(frozen=True)
class ClientMarker:
    """Text that names the client which printed the error (git, kubectl, Java …).

    Rank: an outer wrapper (git around libcurl, kubectl around Go, requests
    around urllib3 around ssl) outranks what it wraps.
    """

    client: str
    pattern: str
    rank: int
    _: KW_ONLY
    needles: Needles
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, FLAGS))
