"""Read the knowledge entries (`<ID>.json`) into the typed model.

The data lives in the repo's `knowledge/` folder; a wheel ships the same files
as `tlsdoctor/knowledge_data` (pyproject's force-include). The files are
checked against `knowledge/schema.json`, plus the rules a schema cannot say, by
`scripts/check_knowledge.py` at build/CI time and in the tests, not here: at run
time this module only builds the objects, and a malformed file fails loudly
(KnowledgeError naming the file). It must not validate field by field, do
network I/O or import textual/rich.

No `from __future__ import annotations` here: on Python 3.11 a TypedDict only
sees `NotRequired` in evaluated annotations, and FIELDS is read from them.
"""

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NotRequired, TypedDict, cast

from tlsdoctor.findings import Code
from tlsdoctor.knowledge.model import (
    Compatibility,
    DeadEnd,
    DocLink,
    Entry,
    FixStep,
    KnowledgeBase,
    KnowledgeError,
    LangText,
    Workaround,
)

# ---------------------------------------------------------------------------
# The shape of a file, as the loader reads it (schema.json says the same; a test keeps them in step)
# ---------------------------------------------------------------------------


class TextData(TypedDict):
    en: str
    zh: str


class CompatibilityData(TypedDict):
    name: str
    version: str
    status: str
    introduced: str | None
    deprecated: str | None
    notes: TextData | None


class DocData(TypedDict):
    url: str
    title: str


class WorkaroundData(TypedDict):
    rank: int
    success_rate: float
    text: TextData
    commands: list[str]


class DeadEndData(TypedDict):
    fail_rate: float
    text: TextData
    why: TextData
    relevant_to: NotRequired[list[str]]


class StepData(TypedDict):
    text: TextData
    commands: NotRequired[list[str]]


EntryData = TypedDict(
    "EntryData",
    {
        "$schema": NotRequired[str],
        "id": str,
        "slug": str,
        "title": TextData,
        "category": str,
        "scope": NotRequired[str],
        "fix_rate": float,
        "confidence": float,
        "evidence": int,
        "evidence_note": TextData,
        "rates_source": NotRequired[str],
        "first_seen": str,
        "compatibility": list[CompatibilityData],
        "root_cause": TextData,
        "docs": list[DocData],
        "errors": dict[str, list[str]],
        "findings": list[str],
        "related": NotRequired[list[str]],
        "workarounds": list[WorkaroundData],
        "dead_ends": list[DeadEndData],
        "symptoms": NotRequired[list[TextData]],
        "causes": NotRequired[list[TextData]],
        "steps": NotRequired[list[StepData]],
        "prevention": NotRequired[list[TextData]],
        "protocols": NotRequired[list[str]],
        "client_formats": NotRequired[list[str]],
    },
)

# object kind → (required keys, optional keys), read from the TypedDicts above.
FIELDS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "entry": (EntryData.__required_keys__, EntryData.__optional_keys__),
    "text": (TextData.__required_keys__, TextData.__optional_keys__),
    "compatibility": (CompatibilityData.__required_keys__, CompatibilityData.__optional_keys__),
    "doc": (DocData.__required_keys__, DocData.__optional_keys__),
    "workaround": (WorkaroundData.__required_keys__, WorkaroundData.__optional_keys__),
    "dead_end": (DeadEndData.__required_keys__, DeadEndData.__optional_keys__),
    "step": (StepData.__required_keys__, StepData.__optional_keys__),
}

# ---------------------------------------------------------------------------
# Building the typed objects
# ---------------------------------------------------------------------------


def _text(data: TextData) -> LangText:
    return LangText(en=data["en"], zh=data["zh"])


def _texts(items: Iterable[TextData]) -> tuple[LangText, ...]:
    return tuple(_text(t) for t in items)


def _codes(values: Iterable[str]) -> tuple[Code, ...]:
    return tuple(Code(v) for v in values)  # an unknown code raises ValueError


def _compatibility(c: CompatibilityData) -> Compatibility:
    notes = c["notes"]
    return Compatibility(
        name=c["name"],
        version=c["version"],
        status=c["status"],
        introduced=c["introduced"],
        deprecated=c["deprecated"],
        notes=None if notes is None else _text(notes),
    )


def build_entry(d: EntryData) -> Entry:
    """The typed Entry of one decoded file; a missing key or a wrong kind of value raises."""
    return Entry(
        id=d["id"],
        slug=d["slug"],
        title=_text(d["title"]),
        category=d["category"],
        scope=d.get("scope", "specific"),
        fix_rate=float(d["fix_rate"]),
        confidence=float(d["confidence"]),
        evidence=int(d["evidence"]),
        evidence_note=_text(d["evidence_note"]),
        rates_source=d.get("rates_source", "estimate"),
        first_seen=dt.date.fromisoformat(d["first_seen"]),
        compatibility=tuple(_compatibility(c) for c in d["compatibility"]),
        root_cause=_text(d["root_cause"]),
        docs=tuple(DocLink(url=doc["url"], title=doc["title"]) for doc in d["docs"]),
        errors={client: tuple(messages) for client, messages in d["errors"].items()},
        findings=_codes(d["findings"]),
        related=_codes(d.get("related", [])),
        workarounds=tuple(
            Workaround(int(w["rank"]), float(w["success_rate"]), _text(w["text"]), tuple(w["commands"]))
            for w in d["workarounds"]
        ),
        dead_ends=tuple(
            DeadEnd(float(x["fail_rate"]), _text(x["text"]), _text(x["why"]), frozenset(_codes(x.get("relevant_to", []))))
            for x in d["dead_ends"]
        ),
        symptoms=_texts(d.get("symptoms", [])),
        causes=_texts(d.get("causes", [])),
        steps=tuple(FixStep(_text(s["text"]), tuple(s.get("commands", []))) for s in d.get("steps", [])),
        prevention=_texts(d.get("prevention", [])),
        protocols=frozenset(d.get("protocols", [])),
        client_formats=frozenset(d.get("client_formats", [])),
    )


def parse_entry(data: object, path: Path) -> Entry:
    """Build one decoded file's Entry; KnowledgeError (one line, naming the file) when it is malformed."""
    try:
        return build_entry(cast(EntryData, data))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        raise KnowledgeError(
            f"{path.name}: malformed entry ({problem}); scripts/check_knowledge.py names the field"
        ) from None


def load_entry_file(path: Path) -> Entry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read: {exc}") from None
    return parse_entry(data, path)


def load_knowledge_dir(directory: Path) -> KnowledgeBase:
    """Every `<ID>.json` in `directory` (schema.json excluded), sorted by id, uncached.

    Ids and slugs must be unique: `get` finds an entry by either.
    """
    files = sorted(p for p in directory.glob("*.json") if p.name != "schema.json")
    if not files:
        raise KnowledgeError(f"{directory}: no knowledge entries found")
    entries = sorted((load_entry_file(p) for p in files), key=lambda e: e.id)
    for attr in ("id", "slug"):
        seen: set[str] = set()
        for entry in entries:
            value = getattr(entry, attr)
            if value in seen:
                raise KnowledgeError(f"{entry.id}.json: {attr}: duplicate {value!r}")
            seen.add(value)
    return KnowledgeBase(entries=tuple(entries), source=directory)


# tui/tlsdoctor/knowledge/load.py → the tlsdoctor package folder. A plain path, not
# importlib.resources: the data is read as files either way, and importing
# importlib.resources costs `kb` start-up time.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def knowledge_dir() -> Path:
    """`tlsdoctor/knowledge_data` in an installed wheel, else the repo's `knowledge/`."""
    packaged = _PACKAGE_DIR / "knowledge_data"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / "knowledge"  # tui/tlsdoctor → the repo root


@functools.cache
def load_knowledge() -> KnowledgeBase:
    return load_knowledge_dir(knowledge_dir())


def get_entry(key: str) -> Entry:
    return load_knowledge().get(key)
