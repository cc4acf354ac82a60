"""The knowledge base: load and validate entries, rank them against findings, render them.

Entries are data (`knowledge/<ID>.json`, English and Chinese side by side,
documented by `knowledge/schema.json`); this module only loads, checks, ranks
and renders them. It must not do network I/O, read the clock or import
textual. Commands for copying are built from templates: every substituted
value goes through `shlex.quote`, and no workaround may carry a dead-end
action (disabling verification, editing /etc/hosts): the loader refuses it.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date

from tlsdoctor import i18n
from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.i18n import N_, _

LANGS: tuple[str, ...] = ("en", "zh")
COMPAT_STATUSES: frozenset[str] = frozenset({"active", "deprecated", "removed", "unknown"})
# Words for the version table (JSON keeps the stable English value).
COMPAT_STATUS_WORDS = {
    "active": N_("active"),
    "deprecated": N_("deprecated"),
    "removed": N_("removed"),
    "unknown": N_("unknown"),
}
SCOPES: frozenset[str] = frozenset({"generic", "specific"})
_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{4}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# Actions that turn verification off or hide the name: allowed only in dead ends.
FORBIDDEN_IN_WORKAROUNDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("curl -k", r"(?:^|\s)-k(?:\s|$)"),
        ("--insecure", r"--insecure\b"),
        ("verify=False", r"verify\s*=\s*false"),
        ("NODE_TLS_REJECT_UNAUTHORIZED", r"NODE_TLS_REJECT_UNAUTHORIZED"),
        ("rejectUnauthorized: false", r"rejectUnauthorized\s*[:=]\s*false"),
        ("InsecureSkipVerify", r"InsecureSkipVerify"),
        ("insecure-skip-tls-verify", r"insecure-skip-tls-verify"),
        ("sslVerify=false", r"sslVerify\s*=?\s*false|GIT_SSL_NO_VERIFY"),
        ("CERT_NONE", r"CERT_NONE|check_hostname\s*=\s*False"),
        ("ACCEPT_UNTRUSTED", r"ACCEPT_UNTRUSTED"),
        ("proxy_ssl_verify off", r"proxy_ssl_verify\s+off"),
        ("ssl_verify_client optional_no_ca", r"optional_no_ca"),
        ("/etc/hosts", r"/etc/hosts"),
    )
)


class KnowledgeError(ValueError):
    """A knowledge file is malformed. The message is one line naming the file and field."""


# ---------------------------------------------------------------------------
# The typed model
# ---------------------------------------------------------------------------


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
    status: str
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
    commands: tuple[str, ...]


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
    scope: str
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
        raise BadInput(f"unknown knowledge entry {key!r}: known ids include {known} (see `tlsdoctor kb`)")

    def explaining(self, code: Code) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if code in e.findings or code in e.related)


# ---------------------------------------------------------------------------
# Loading and validation (an explicit validator; schema.json documents the same keys)
# ---------------------------------------------------------------------------

# object kind → (required keys, optional keys). A test checks these against schema.json.
FIELDS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "entry": (
        frozenset(
            {
                "id", "slug", "title", "category", "fix_rate", "confidence", "evidence",
                "evidence_note", "first_seen", "compatibility", "root_cause", "docs", "errors",
                "findings", "workarounds", "dead_ends",
            }
        ),
        frozenset({"$schema", "scope", "related", "symptoms", "causes", "steps", "prevention"}),
    ),
    "text": (frozenset(LANGS), frozenset()),
    "compatibility": (
        frozenset({"name", "version", "status", "introduced", "deprecated", "notes"}),
        frozenset(),
    ),
    "doc": (frozenset({"url", "title"}), frozenset()),
    "workaround": (frozenset({"rank", "success_rate", "text", "commands"}), frozenset()),
    "dead_end": (frozenset({"fail_rate", "text", "why"}), frozenset({"relevant_to"})),
    "step": (frozenset({"text"}), frozenset({"commands"})),
}


class _Checker:
    """Walks one decoded file; every failure names the file and the field path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.path.name}: {where}: {problem}")

    def obj(self, value: Any, kind: str, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        required, optional = FIELDS[kind]
        for key in sorted(required - value.keys()):
            raise self.fail(where, f"missing field {key!r}")
        for key in sorted(value.keys() - required - optional):
            raise self.fail(where, f"unknown field {key!r}")
        return value

    def string(self, value: Any, where: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(where, "expected a non-empty string")
        return value

    def opt_string(self, value: Any, where: str) -> str | None:
        return None if value is None else self.string(value, where)

    def text(self, value: Any, where: str) -> LangText:
        data = self.obj(value, "text", where)
        return LangText(**{lang: self.string(data[lang], f"{where}.{lang}") for lang in LANGS})

    def rate(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(where, "expected a fraction from 0 to 1 (0.9 for 90%)")
        return float(value)

    def integer(self, value: Any, where: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(where, f"expected an integer >= {minimum}")
        return value

    def array(self, value: Any, where: str, *, empty: bool = False) -> list[Any]:
        if not isinstance(value, list) or (not empty and not value):
            raise self.fail(where, "expected a non-empty list" if not empty else "expected a list")
        return value

    def code(self, value: Any, where: str) -> Code:
        try:
            return Code(value)
        except ValueError:
            raise self.fail(where, f"unknown finding code {value!r}") from None

    def command(self, value: Any, where: str, *, workaround: bool) -> str:
        template = self.string(value, where)
        for name in _PLACEHOLDER.findall(template):
            if name not in PLACEHOLDERS:
                raise self.fail(where, f"unknown placeholder {{{name}}}")
        if workaround:
            for label, pattern in FORBIDDEN_IN_WORKAROUNDS:
                if pattern.search(template):
                    raise self.fail(where, f"dead-end action {label!r} is not allowed in a workaround")
        return template


def parse_entry(data: Any, path: Path) -> Entry:
    """Check one decoded file and build its typed Entry (KnowledgeError on any fault)."""
    c = _Checker(path)
    d = c.obj(data, "entry", "entry")
    entry_id = c.string(d["id"], "id")
    if not _ID.match(entry_id):
        raise c.fail("id", f"{entry_id!r} is not like 'TLS-1002'")
    if path.stem != entry_id:
        raise c.fail("id", f"{entry_id!r} does not match the file name")
    slug = c.string(d["slug"], "slug")
    if not _SLUG.match(slug):
        raise c.fail("slug", f"{slug!r} is not a lowercase path like 'security/tls-…'")
    scope = d.get("scope", "specific")
    if scope not in SCOPES:
        raise c.fail("scope", f"expected one of {sorted(SCOPES)}")
    try:
        first_seen = dt.date.fromisoformat(c.string(d["first_seen"], "first_seen"))
    except ValueError:
        raise c.fail("first_seen", "expected a date YYYY-MM-DD") from None

    compat = []
    for i, item in enumerate(c.array(d["compatibility"], "compatibility")):
        w = f"compatibility[{i}]"
        o = c.obj(item, "compatibility", w)
        if o["status"] not in COMPAT_STATUSES:
            raise c.fail(f"{w}.status", f"expected one of {sorted(COMPAT_STATUSES)}")
        compat.append(
            Compatibility(
                name=c.string(o["name"], f"{w}.name"),
                version=c.string(o["version"], f"{w}.version"),
                status=o["status"],
                introduced=c.opt_string(o["introduced"], f"{w}.introduced"),
                deprecated=c.opt_string(o["deprecated"], f"{w}.deprecated"),
                notes=None if o["notes"] is None else c.text(o["notes"], f"{w}.notes"),
            )
        )

    docs = []
    for i, item in enumerate(c.array(d["docs"], "docs")):
        o = c.obj(item, "doc", f"docs[{i}]")
        url = c.string(o["url"], f"docs[{i}].url")
        if not url.startswith("https://"):
            raise c.fail(f"docs[{i}].url", "expected an https:// URL")
        docs.append(DocLink(url=url, title=c.string(o["title"], f"docs[{i}].title")))

    if not isinstance(d["errors"], dict) or not d["errors"]:
        raise c.fail("errors", "expected an object: client → list of message texts")
    errors = {
        c.string(client, "errors"): tuple(
            c.string(m, f"errors.{client}[{j}]") for j, m in enumerate(c.array(msgs, f"errors.{client}"))
        )
        for client, msgs in d["errors"].items()
    }

    findings = tuple(c.code(v, f"findings[{i}]") for i, v in enumerate(c.array(d["findings"], "findings")))
    related = tuple(
        c.code(v, f"related[{i}]") for i, v in enumerate(c.array(d.get("related", []), "related", empty=True))
    )

    workarounds = []
    for i, item in enumerate(c.array(d["workarounds"], "workarounds")):
        w = f"workarounds[{i}]"
        o = c.obj(item, "workaround", w)
        workarounds.append(
            Workaround(
                rank=c.integer(o["rank"], f"{w}.rank", 1),
                success_rate=c.rate(o["success_rate"], f"{w}.success_rate"),
                text=c.text(o["text"], f"{w}.text"),
                commands=tuple(
                    c.command(t, f"{w}.commands[{j}]", workaround=True)
                    for j, t in enumerate(c.array(o["commands"], f"{w}.commands", empty=True))
                ),
            )
        )
    if [w.rank for w in workarounds] != list(range(1, len(workarounds) + 1)):
        raise c.fail("workarounds", "ranks must be 1, 2, 3 … in list order")
    rates = [w.success_rate for w in workarounds]
    if rates != sorted(rates, reverse=True):
        raise c.fail("workarounds", "must be ranked by success_rate, highest first")

    dead_ends = []
    for i, item in enumerate(c.array(d["dead_ends"], "dead_ends")):
        w = f"dead_ends[{i}]"
        o = c.obj(item, "dead_end", w)
        dead_ends.append(
            DeadEnd(
                fail_rate=c.rate(o["fail_rate"], f"{w}.fail_rate"),
                text=c.text(o["text"], f"{w}.text"),
                why=c.text(o["why"], f"{w}.why"),
                relevant_to=frozenset(
                    c.code(v, f"{w}.relevant_to[{j}]")
                    for j, v in enumerate(c.array(o.get("relevant_to", []), f"{w}.relevant_to", empty=True))
                ),
            )
        )

    def texts(key: str) -> tuple[LangText, ...]:
        return tuple(c.text(v, f"{key}[{i}]") for i, v in enumerate(c.array(d.get(key, []), key, empty=True)))

    steps = []
    for i, item in enumerate(c.array(d.get("steps", []), "steps", empty=True)):
        o = c.obj(item, "step", f"steps[{i}]")
        steps.append(
            FixStep(
                text=c.text(o["text"], f"steps[{i}].text"),
                commands=tuple(
                    c.command(t, f"steps[{i}].commands[{j}]", workaround=True)
                    for j, t in enumerate(c.array(o.get("commands", []), f"steps[{i}].commands", empty=True))
                ),
            )
        )

    return Entry(
        id=entry_id,
        slug=slug,
        title=c.text(d["title"], "title"),
        category=c.string(d["category"], "category"),
        scope=scope,
        fix_rate=c.rate(d["fix_rate"], "fix_rate"),
        confidence=c.rate(d["confidence"], "confidence"),
        evidence=c.integer(d["evidence"], "evidence"),
        evidence_note=c.text(d["evidence_note"], "evidence_note"),
        first_seen=first_seen,
        compatibility=tuple(compat),
        root_cause=c.text(d["root_cause"], "root_cause"),
        docs=tuple(docs),
        errors=errors,
        findings=findings,
        related=related,
        workarounds=tuple(workarounds),
        dead_ends=tuple(dead_ends),
        symptoms=texts("symptoms"),
        causes=texts("causes"),
        steps=tuple(steps),
        prevention=texts("prevention"),
    )


def load_entry_file(path: Path) -> Entry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read: {exc}") from None
    return parse_entry(data, path)


def load_knowledge_dir(directory: Path) -> KnowledgeBase:
    """Every `<ID>.json` in `directory` (schema.json excluded), sorted by id, uncached."""
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


def knowledge_dir() -> Path:
    """`tlsdoctor/knowledge_data` in an installed wheel, else the repo's `knowledge/`."""
    packaged = resources.files("tlsdoctor") / "knowledge_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "knowledge"


@functools.cache
def load_knowledge() -> KnowledgeBase:
    return load_knowledge_dir(knowledge_dir())


def get_entry(key: str) -> Entry:
    return load_knowledge().get(key)


# ---------------------------------------------------------------------------
# Command templates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandContext:
    """The real names a command is built from. `host` is the A-label as dialled."""

    host: str
    display_host: str | None = None
    port: int = 443
    addresses: tuple[str, ...] = ()
    cert_names: tuple[str, ...] = ()
    client_cert: str | os.PathLike[str] | None = None
    client_key: str | os.PathLike[str] | None = None
    ca_file: str | os.PathLike[str] | None = None
    expected_client_identity: str | None = None
    client_identity: str | None = None


def _path(value: str | os.PathLike[str] | None) -> str | None:
    """A file path as an argument: `./` in front of a leading dash so it is never an option."""
    if value is None:
        return None
    text = os.fspath(value)
    return "./" + text if text.startswith("-") else text


def _host_port(host: str, port: int) -> str:
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


MAX_CERT_NAMES = 100  # Let's Encrypt's limit of names per certificate


def _related_names(ctx: CommandContext) -> list[str]:
    """The dialled host plus the presented names in the same parent domain, without duplicates.

    Capped at MAX_CERT_NAMES: a certificate may carry thousands of SANs, a CA issues at most 100.
    """
    parent = ctx.host.lower().split(".")[-2:]
    names = [ctx.host]
    seen = {ctx.host.lower()}
    for name in ctx.cert_names:
        if len(names) >= MAX_CERT_NAMES:
            break
        lowered = name.lower()
        if lowered.split(".")[-2:] == parent and lowered not in seen:
            seen.add(lowered)
            names.append(name)
    return names


def _flags(flag: str, values: Iterable[str]) -> list[str]:
    return [part for value in values for part in (flag, value)]


# placeholder → (value from a context as one argument or a list of arguments, readable stand-in)
_Getter = Callable[[CommandContext], "str | list[str] | None"]
PLACEHOLDERS: Mapping[str, tuple[_Getter, str]] = {
    "host": (lambda c: c.host, "<host>"),
    "display_host": (lambda c: c.display_host or c.host, "<host>"),
    "port": (lambda c: str(c.port), "<port>"),
    "host_port": (lambda c: _host_port(c.host, c.port), "<host>:<port>"),
    "address": (lambda c: c.addresses[0] if c.addresses else None, "<address>"),
    "addresses": (lambda c: list(c.addresses) or None, "<address>"),
    "cert_names": (lambda c: list(c.cert_names) or None, "<name-on-cert>"),
    # certbot's standalone/webroot challenges cannot issue wildcards: those need DNS-01
    "d_flags": (lambda c: _flags("-d", [n for n in _related_names(c) if not n.startswith("*")]), "-d <host>"),
    "name_flags": (lambda c: _flags("--name", _related_names(c)), "--name <host>"),
    "san_ext": (lambda c: "subjectAltName=" + ",".join("DNS:" + n for n in _related_names(c)), "<subjectAltName=DNS:host>"),
    "key_file": (lambda c: _path(c.host + ".key"), "<server.key>"),
    "csr_file": (lambda c: _path(c.host + ".csr"), "<server.csr>"),
    "fullchain_path": (lambda c: "/etc/ssl/" + c.host + "/fullchain.pem", "</etc/ssl/host/fullchain.pem>"),
    "privkey_path": (lambda c: "/etc/ssl/" + c.host + "/privkey.pem", "</etc/ssl/host/privkey.pem>"),
    "client_cert": (lambda c: _path(c.client_cert), "<client-cert.pem>"),
    "client_key": (lambda c: _path(c.client_key), "<client-key.pem>"),
    "ca_file": (lambda c: _path(c.ca_file), "<ca-file.pem>"),
    "expected_identity": (lambda c: c.expected_client_identity, "<expected-identity>"),
    "client_identity": (lambda c: c.client_identity, "<client-identity>"),
    "client_subject": (
        lambda c: "/CN=" + c.expected_client_identity if c.expected_client_identity else None,
        "</CN=expected-identity>",
    ),
    "client_san_ext": (
        lambda c: "subjectAltName=DNS:" + c.expected_client_identity if c.expected_client_identity else None,
        "<subjectAltName=DNS:expected-identity>",
    ),
}

# What `kb` shows: the seed's example names, so a page reads like the seed.
EXAMPLE_CONTEXT = CommandContext(
    host="example.com",
    addresses=("203.0.113.10",),
    cert_names=("example.com", "www.example.com"),
    client_cert="client.pem",
    client_key="client-key.pem",
    ca_file="ca-chain.pem",
    expected_client_identity="client-prod.example.com",
    client_identity="client-staging.example.com",
)


def render_command(template: str, ctx: CommandContext | None) -> str:
    """Fill a template; every value is shell-quoted (a list: one quoted word per item).

    A placeholder without a value (no context, no client cert given …) is
    rendered as a quoted, readable stand-in such as `'<client-cert.pem>'`, so
    the command still shows its shape and cannot run by accident unedited.
    """

    def fill(match: re.Match[str]) -> str:
        getter, stand_in = PLACEHOLDERS[match.group(1)]
        value = getter(ctx) if ctx is not None else None
        if value is None:
            return shlex.quote(stand_in)
        if isinstance(value, list):
            return " ".join(shlex.quote(v) for v in value)
        return shlex.quote(value)

    return _PLACEHOLDER.sub(fill, template)


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------

SEVERITY_WEIGHT: Mapping[Severity, float] = {Severity.ERROR: 1.0, Severity.WARNING: 0.6, Severity.INFO: 0.25}
_SEVERITY_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)


@dataclass(frozen=True)
class RenderedWorkaround:
    rank: int
    success_rate: float
    text: str
    commands: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "success_rate": self.success_rate, "text": self.text, "commands": list(self.commands)}


@dataclass(frozen=True)
class RankedDeadEnd:
    fail_rate: float
    text: str
    why: str
    relevant: bool

    def to_json(self) -> dict[str, Any]:
        return {"fail_rate": self.fail_rate, "text": self.text, "why": self.why, "relevant": self.relevant}


@dataclass(frozen=True)
class Diagnosis:
    """One ranked knowledge entry with its commands filled in for this target."""

    kb_id: str
    slug: str
    title: str
    score: float
    because: tuple[str, ...]
    fix_rate: float
    confidence: float
    workarounds: tuple[RenderedWorkaround, ...] = field(default=())
    dead_ends: tuple[RankedDeadEnd, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "kb_id": self.kb_id,
            "slug": self.slug,
            "title": self.title,
            "score": self.score,
            "because": list(self.because),
            "fix_rate": self.fix_rate,
            "confidence": self.confidence,
            "workarounds": [w.to_json() for w in self.workarounds],
            "dead_ends": [d.to_json() for d in self.dead_ends],
        }


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise BadInput(f"unsupported language {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


def score_entry(entry: Entry, severities: Mapping[Code, Severity]) -> tuple[float, tuple[Code, ...]]:
    """Score in 0..1 and the codes that earned it (score 0 when nothing matches).

    score = severity × directness × (0.75 + 0.10 specific + 0.05 breadth + 0.10 quality):
    - severity: weight of the worst matched finding (error 1, warning 0.6, info 0.25);
    - directness: 1 when a code the entry explains (`findings`) matched, 0.7 when
      only one of its `related` codes did, so a direct explanation always ranks
      above an alternative cause at the same severity;
    - specific: 0 for a `generic` umbrella entry (TLS-1002), 1 otherwise, so the
      wildcard entry outranks TLS-1002 when both explain the same error;
    - breadth: how many of its codes matched (0 for one, 1 for three or more);
    - quality: fix_rate × confidence of the entry.
    """
    primary = [c for c in entry.findings if c in severities]
    related = [c for c in entry.related if c in severities]
    matched = tuple(primary + related)
    if not matched:
        return 0.0, ()
    worst = max((severities[c] for c in matched), key=_SEVERITY_ORDER.index)
    directness = 1.0 if primary else 0.7
    specific = 0.0 if entry.scope == "generic" else 1.0
    breadth = min(len(matched) - 1, 2) / 2
    score = SEVERITY_WEIGHT[worst] * directness * (0.75 + 0.10 * specific + 0.05 * breadth + 0.10 * entry.quality)
    return round(score, 3), matched


def _dead_ends(entry: Entry, found: frozenset[Code], lang: str) -> tuple[RankedDeadEnd, ...]:
    """Relevant dead ends first (they are the trap this user is near), then by fail rate."""
    ranked = [
        RankedDeadEnd(d.fail_rate, d.text.get(lang), d.why.get(lang), bool(d.relevant_to & found))
        for d in entry.dead_ends
    ]
    order = sorted(range(len(ranked)), key=lambda i: (not ranked[i].relevant, -ranked[i].fail_rate, i))
    return tuple(ranked[i] for i in order)


def diagnosis_for(
    entry: Entry,
    ctx: CommandContext | None,
    lang: str = "en",
    *,
    score: float = 1.0,
    because: Sequence[Code] = (),
    found: frozenset[Code] | None = None,
) -> Diagnosis:
    """One entry as a Diagnosis; dead ends are judged against `found` (default: `because`)."""
    return Diagnosis(
        kb_id=entry.id,
        slug=entry.slug,
        title=entry.title.get(lang),
        score=score,
        because=tuple(c.value for c in because),
        fix_rate=entry.fix_rate,
        confidence=entry.confidence,
        workarounds=tuple(
            RenderedWorkaround(w.rank, w.success_rate, w.text.get(lang), tuple(render_command(t, ctx) for t in w.commands))
            for w in entry.workarounds
        ),
        dead_ends=_dead_ends(entry, frozenset(because) if found is None else found, lang),
    )


def diagnose(
    findings: Sequence[Finding],
    ctx: CommandContext | None = None,
    *,
    lang: str = "en",
    kb: KnowledgeBase | None = None,
) -> tuple[Diagnosis, ...]:
    """Findings → ranked entries (best first, ties by id). Info-only input gives nothing."""
    _check_lang(lang)
    if not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings):
        return ()
    severities: dict[Code, Severity] = {}
    for f in findings:
        if f.code not in severities or _SEVERITY_ORDER.index(f.severity) > _SEVERITY_ORDER.index(severities[f.code]):
            severities[f.code] = f.severity
    found = frozenset(severities)
    scored = []
    for entry in (kb or load_knowledge()).entries:
        score, matched = score_entry(entry, severities)
        if not matched or all(severities[c] is Severity.INFO for c in matched):
            continue
        scored.append((score, entry, matched))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    # dead ends are judged against everything found, not only this entry's codes
    return tuple(
        diagnosis_for(entry, ctx, lang, score=score, because=matched, found=found) for score, entry, matched in scored
    )


# ---------------------------------------------------------------------------
# kb rendering
# ---------------------------------------------------------------------------


@contextmanager
def _language(lang: str) -> Iterator[None]:
    """Labels and babel formatting in `lang` for one rendering, then back."""
    previous = i18n.current_language()
    if previous != lang:
        i18n.set_language(lang)
    try:
        yield
    finally:
        if previous != lang:
            i18n.set_language(previous)


def _date(value: dt.date) -> str:
    return format_date(value, format="yyyy-MM-dd", locale=i18n.babel_locale())


def entry_to_json(entry: Entry, lang: str = "en", ctx: CommandContext | None = EXAMPLE_CONTEXT) -> dict[str, Any]:
    """The DESIGN.md `kb --format json` item; commands filled with `ctx` (example names by default)."""
    _check_lang(lang)
    data: dict[str, Any] = {
        "id": entry.id,
        "slug": entry.slug,
        "title": entry.title.get(lang),
        "category": entry.category,
        "scope": entry.scope,
        "fix_rate": entry.fix_rate,
        "confidence": entry.confidence,
        "evidence": entry.evidence,
        "evidence_note": entry.evidence_note.get(lang),
        "first_seen": entry.first_seen.isoformat(),
        "compatibility": [
            {
                "name": c.name,
                "version": c.version,
                "status": c.status,
                "introduced": c.introduced,
                "deprecated": c.deprecated,
                "notes": c.notes.get(lang) if c.notes else None,
            }
            for c in entry.compatibility
        ],
        "root_cause": entry.root_cause.get(lang),
        "docs": [{"url": d.url, "title": d.title} for d in entry.docs],
        "errors": {client: list(msgs) for client, msgs in entry.errors.items()},
        "findings": [c.value for c in entry.findings],
        "related": [c.value for c in entry.related],
        "workarounds": [
            {
                "rank": w.rank,
                "success_rate": w.success_rate,
                "text": w.text.get(lang),
                "commands": [render_command(t, ctx) for t in w.commands],
            }
            for w in entry.workarounds
        ],
        "dead_ends": [{"fail_rate": d.fail_rate, "text": d.text.get(lang), "why": d.why.get(lang)} for d in entry.dead_ends],
    }
    for key in ("symptoms", "causes", "prevention"):
        items: tuple[LangText, ...] = getattr(entry, key)
        if items:
            data[key] = [t.get(lang) for t in items]
    if entry.steps:
        data["steps"] = [
            {"text": s.text.get(lang), "commands": [render_command(t, ctx) for t in s.commands]} for s in entry.steps
        ]
    return data


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _stats_line(entry: Entry) -> str:
    return " · ".join(
        (
            _("Fix rate {rate}").format(rate=i18n.format_percent(entry.fix_rate)),
            _("Confidence {rate}").format(rate=i18n.format_percent(entry.confidence)),
            _("Evidence {count}").format(count=entry.evidence),
            _("First seen {date}").format(date=_date(entry.first_seen)),
        )
    )


def _entry_md(entry: Entry, lang: str, ctx: CommandContext | None) -> str:
    other = "zh" if lang == "en" else "en"
    out = [f"# {entry.id}: {entry.title.get(lang)}", ""]
    out.append(_("ID: {slug} · Category: {category}").format(slug=f"`{entry.slug}`", category=f"`{entry.category}`"))
    out += ["", _("Also available as: {formats}").format(
        formats=" · ".join(("JSON", "Markdown", i18n.LANGUAGE_NAMES[other]))), ""]
    out += [f"**{_stats_line(entry)}**", "", f"_{entry.evidence_note.get(lang)}_", ""]
    out += ["## " + _("Version compatibility"), ""]
    out.append("| " + " | ".join((_("Version"), _("Status"), _("Introduced"), _("Deprecated"), _("Notes"))) + " |")
    out.append("|---|---|---|---|---|")
    for c in entry.compatibility:
        cells = (f"{c.name} {c.version}", _(COMPAT_STATUS_WORDS.get(c.status, c.status)), c.introduced or "", c.deprecated or "", c.notes.get(lang) if c.notes else "")
        out.append("| " + " | ".join(_md_cell(x) for x in cells) + " |")
    out += ["", "## " + _("Root cause"), "", entry.root_cause.get(lang), ""]
    if entry.symptoms:
        out += ["## " + _("Symptoms"), ""] + [f"- {s.get(lang)}" for s in entry.symptoms] + [""]
    if entry.causes:
        out += ["## " + _("Common causes"), ""] + [f"- {s.get(lang)}" for s in entry.causes] + [""]
    out += ["## " + _("Official documentation"), ""] + [f"- [{d.title}]({d.url})" for d in entry.docs] + [""]
    out += ["## " + _("Error messages"), ""]
    for client, msgs in entry.errors.items():
        out += [f"- **{client}**"] + [f"  - {_code_span(m)}" for m in msgs]
    out += ["", "## " + _("Workarounds"), ""]
    for w in entry.workarounds:
        rate = _("{rate} success").format(rate=i18n.format_percent(w.success_rate))
        out.append(f"{w.rank}. **{rate}** {w.text.get(lang)}")
        if w.commands:
            out += ["", "   ```sh"] + [f"   {render_command(t, ctx)}" for t in w.commands] + ["   ```", ""]
    if entry.steps:
        out += ["", "## " + _("Step-by-step fix"), ""]
        for i, s in enumerate(entry.steps, 1):
            out.append(f"{i}. {s.text.get(lang)}")
            if s.commands:
                out += ["", "   ```sh"] + [f"   {render_command(t, ctx)}" for t in s.commands] + ["   ```", ""]
    out += ["", "## " + _("Dead ends"), "", _("Common approaches that don't work:"), ""]
    for i, d in enumerate(entry.dead_ends, 1):
        rate = _("{rate} fail").format(rate=i18n.format_percent(d.fail_rate))
        out.append(f"{i}. **{rate}** {d.text.get(lang)}")
        out.append(f"   {_('Why:')} {d.why.get(lang)}")
    if entry.prevention:
        out += ["", "## " + _("Prevention"), ""] + [f"- {s.get(lang)}" for s in entry.prevention]
    out += ["", "## " + _("Findings explained"), "", ", ".join(f"`{c.value}`" for c in entry.findings)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n"


def _entry_text(entry: Entry, lang: str, ctx: CommandContext | None) -> str:
    out = [f"{entry.id}  {entry.title.get(lang)}", f"  {entry.slug}  [{entry.category}]", f"  {_stats_line(entry)}", ""]
    out += [_("Root cause:"), "  " + entry.root_cause.get(lang), ""]
    out.append(_("Workarounds:"))
    for w in entry.workarounds:
        out.append(f"  {w.rank}. [{i18n.format_percent(w.success_rate)}] {w.text.get(lang)}")
        out += [f"       $ {render_command(t, ctx)}" for t in w.commands]
    out += ["", _("Dead ends:")]
    for d in entry.dead_ends:
        out.append(f"  - [{_('{rate} fail').format(rate=i18n.format_percent(d.fail_rate))}] {d.text.get(lang)}")
        out.append(f"      {_('Why:')} {d.why.get(lang)}")
    out += ["", _("Documentation:")] + [f"  {d.title}: {d.url}" for d in entry.docs]
    return "\n".join(out) + "\n"


def render_kb(
    entry_id: str | None = None,
    fmt: Literal["md", "json", "text"] = "md",
    lang: str = "en",
    *,
    kb: KnowledgeBase | None = None,
) -> str:
    """`tlsdoctor kb [ID]`: one entry, or every entry (an index for md/text)."""
    _check_lang(lang)
    if fmt not in ("md", "json", "text"):
        raise BadInput(f"unsupported format {fmt!r} for kb: choose md, json or text")
    base = kb or load_knowledge()
    entries = (base.get(entry_id),) if entry_id else base.entries
    with _language(lang):
        if fmt == "json":
            return json.dumps({"entries": [entry_to_json(e, lang) for e in entries]}, ensure_ascii=False, indent=2) + "\n"
        if entry_id:
            render = _entry_md if fmt == "md" else _entry_text
            return render(entries[0], lang, EXAMPLE_CONTEXT)
        if fmt == "md":
            out = ["# " + _("Knowledge base"), "", "| ID | " + _("Title") + " | " + _("Fix rate") + " |", "|---|---|---|"]
            out += [f"| {e.id} | {_md_cell(e.title.get(lang))} | {i18n.format_percent(e.fix_rate)} |" for e in entries]
            return "\n".join(out) + "\n"
        width = max(len(e.id) for e in entries)
        out = [f"{e.id.ljust(width)}  {i18n.format_percent(e.fix_rate):>5}  {e.title.get(lang)}" for e in entries]
        return "\n".join(out) + "\n"
