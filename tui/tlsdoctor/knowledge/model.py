"""The typed model of a knowledge entry: what a senior engineer knows about one root cause.

Plain frozen dataclasses, built by `tlsdoctor.knowledge.load` from the JSON
files in `knowledge/`. This module holds no I/O and no rendering; it must not
read files, rank entries or import textual/rich.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code
from tlsdoctor.i18n import _
from tlsdoctor.knowledge.langs import LANGS as LANGS  # re-exported: they lived here
from tlsdoctor.knowledge.langs import check_lang as check_lang


class KnowledgeError(ValueError):
    """A knowledge file is malformed. The message is one line naming the file (and the field when known)."""


@dataclass(frozen=True)
class LangText:
    """One text in every supported language."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Compatibility:
    name: str
    version: str
    status: str  # active | deprecated | removed | unknown (schema.json)
    introduced: str | None
    deprecated: str | None
    notes: LangText | None


@dataclass(frozen=True)
class DocLink:
    url: str
    title: str


@dataclass(frozen=True)
class Workaround:
    rank: int
    success_rate: float
    text: LangText
    commands: tuple[str, ...]  # templates with {placeholders}: see tlsdoctor.knowledge.commands


@dataclass(frozen=True)
class DeadEnd:
    fail_rate: float
    text: LangText
    why: LangText
    relevant_to: frozenset[Code]


@dataclass(frozen=True)
class FixStep:
    text: LangText
    commands: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """What a senior engineer knows about one root cause."""

    id: str
    slug: str
    title: LangText
    category: str
    scope: str  # generic | specific (schema.json)
    fix_rate: float
    confidence: float
    evidence: int
    evidence_note: LangText
    first_seen: dt.date
    compatibility: tuple[Compatibility, ...]
    root_cause: LangText
    docs: tuple[DocLink, ...]
    errors: Mapping[str, tuple[str, ...]]
    findings: tuple[Code, ...]
    related: tuple[Code, ...]
    workarounds: tuple[Workaround, ...]
    dead_ends: tuple[DeadEnd, ...]
    symptoms: tuple[LangText, ...] = ()
    causes: tuple[LangText, ...] = ()
    steps: tuple[FixStep, ...] = ()
    prevention: tuple[LangText, ...] = ()
    rates_source: str = "estimate"  # seed | estimate (schema.json): where the rates come from

    @property
    def rates_estimated(self) -> bool:
        """True unless every rate of the entry is a recorded figure of its seed."""
        return self.rates_source != "seed"
    # Added later: the entry ranks only for these protocols / client-certificate formats (empty: always).
    protocols: frozenset[str] = frozenset()
    client_formats: frozenset[str] = frozenset()

    def applies(self, protocol: str | None, client_format: str | None) -> bool:
        """Whether this entry speaks to a walk over `protocol` with a client certificate of `client_format`."""
        if self.protocols and protocol not in self.protocols:
            return False
        return not self.client_formats or client_format in self.client_formats

    @property
    def quality(self) -> float:
        """How much the entry's fixes can be trusted: fix rate × confidence."""
        return self.fix_rate * self.confidence


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    source: Path

    def get(self, key: str) -> Entry:
        """An entry by id (any case) or slug; unknown → BadInput listing a few ids."""
        wanted = key.strip()
        for entry in self.entries:
            if entry.id.lower() == wanted.lower() or entry.slug == wanted.lower():
                return entry
        families: dict[str, list[str]] = {}
        for entry in self.entries:
            families.setdefault(entry.id.split("-")[0], []).append(entry.id)
        known = ", ".join(i for ids in families.values() for i in ids[:2])
        raise BadInput(_("unknown knowledge entry {key!r}: known ids include {known} (see `tlsdoctor kb`)").format(key=key, known=known))

    def explaining(self, code: Code) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if code in e.findings or code in e.related)
