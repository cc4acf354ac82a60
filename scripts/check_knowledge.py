#!/usr/bin/env python3
"""Check the knowledge entries: `knowledge/schema.json` (with jsonschema), then the rules a schema cannot say.

    python scripts/check_knowledge.py [DIR]   # DIR defaults to the repo's knowledge/

Run at build/CI time (`.ci/run`) and by tests/unit/test_knowledge.py; never by
tlsdoctor itself (its loader only builds the typed entries). Needs the `test`
extra (jsonschema); it checks the repo's data against the repo's code (tui/).
Prints one line per problem, `<file>: <field>: <problem>`, and exits 1 when
there is any. The rules beyond the schema: the id is the file name; workarounds
are ranked 1, 2, 3 … by success_rate, highest first; every finding code exists;
every placeholder exists; no workaround or step command performs a dead end's
action; the run-time loader builds every entry; ids and slugs are unique; every
finding code is explained by some entry.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tui") not in sys.path:  # the repo's data is checked against the repo's code
    sys.path.insert(0, str(ROOT / "tui"))

from tlsdoctor.findings import Code  # noqa: E402 - after the sys.path line above
from tlsdoctor.knowledge.commands import PLACEHOLDER, PLACEHOLDERS  # noqa: E402 - after the sys.path line above
from tlsdoctor.knowledge.load import load_knowledge_dir, parse_entry  # noqa: E402 - after the sys.path line above
from tlsdoctor.knowledge.model import KnowledgeError  # noqa: E402 - after the sys.path line above

KNOWLEDGE_DIR = ROOT / "knowledge"
SCHEMA_FILE = KNOWLEDGE_DIR / "schema.json"

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

# What a failed `$defs` rule means, in the words someone editing an entry needs.
DEF_PROBLEMS: Mapping[str, str] = {
    "nonblank": "expected a non-empty string",
    "rate": "expected a fraction from 0 to 1 (0.9 for 90%)",
    "date": "expected a date YYYY-MM-DD",
}
_TYPE_WORDS: Mapping[str, str] = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_CODES = frozenset(c.value for c in Code)
# A placeholder is a whole shell word: `{x}`, `{x};` (nginx) or `ENV_VAR={x}`, never glued into a URL or a flag.
WHOLE_WORD = re.compile(r"(?:[A-Z_]{2,40}=)?\{[a-z_]+\};?")

Problem = tuple[str, str]  # (field path, what is wrong)


def load_schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def make_validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A draft 2020-12 validator that also checks `format` (first_seen is a real date)."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def where(path: Sequence[str | int]) -> str:
    """`workarounds[0].commands[1]` for a JSON path; `entry` for the top level."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "entry"


def _words(error: ValidationError, defs: Mapping[str, Any]) -> Iterator[str]:
    """What a schema error means, in the loader's old words (one or more problems)."""
    kind, value, instance, schema = error.validator, error.validator_value, error.instance, error.schema
    if kind == "required":
        yield from (f"missing field {key!r}" for key in value if key not in instance)
    elif kind == "additionalProperties":
        yield from (f"unknown field {key!r}" for key in sorted(set(instance) - set(schema.get("properties", {}))))
    elif name := next((n for n in DEF_PROBLEMS if schema == defs.get(n)), None):
        yield DEF_PROBLEMS[name]
    elif kind == "type":
        types = [value] if isinstance(value, str) else value
        yield "expected " + " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    elif kind == "minItems":
        yield "expected a non-empty list"
    elif kind == "minProperties":
        yield "expected a non-empty object"
    elif kind in ("minimum", "maximum"):
        sign = ">=" if kind == "minimum" else "<="
        yield f"expected {_TYPE_WORDS.get(schema.get('type', 'number'), 'a number')} {sign} {value}"
    elif kind == "enum":
        yield f"expected one of {sorted(value)}"
    elif kind == "pattern":
        yield f"{instance!r} does not match {value}"
    elif kind == "format":
        yield f"expected a {value}"
    elif kind in ("oneOf", "anyOf"):
        yield "expected " + " or ".join(_type_of(branch, defs) for branch in value)
    else:
        yield error.message.replace("\n", " ")


def _fitting(error: ValidationError) -> list[ValidationError]:
    """oneOf/anyOf: the errors of the one branch whose type fits the value, else the error itself."""
    if not error.context:
        return [error]
    branches: dict[object, list[ValidationError]] = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    fitting = [errs for errs in branches.values() if not any(e.validator == "type" and not e.relative_path for e in errs)]
    if len(fitting) != 1:
        return [error]
    return [inner for e in fitting[0] for inner in _fitting(e)]


def _type_of(branch: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    if "$ref" in branch:
        branch = defs.get(str(branch["$ref"]).rsplit("/", 1)[-1], {})
    kind = str(branch.get("type", "a value"))
    return _TYPE_WORDS.get(kind, kind)


def schema_problems(data: object, validator: Draft202012Validator) -> list[Problem]:
    defs = validator.schema.get("$defs", {})
    out: list[Problem] = []
    for error in validator.iter_errors(data):
        for e in _fitting(error):
            out += [(where(e.absolute_path), words) for words in _words(e, defs)]
    return list(dict.fromkeys(out))


def rule_problems(d: Mapping[str, Any], stem: str) -> list[Problem]:
    """The rules a JSON Schema cannot say, on a schema-valid entry."""
    out: list[Problem] = []
    if d["id"] != stem:
        out.append(("id", f"{d['id']!r} does not match the file name"))
    workarounds = d["workarounds"]
    if [w["rank"] for w in workarounds] != list(range(1, len(workarounds) + 1)):
        out.append(("workarounds", "ranks must be 1, 2, 3 … in list order"))
    rates = [w["success_rate"] for w in workarounds]
    if rates != sorted(rates, reverse=True):
        out.append(("workarounds", "must be ranked by success_rate, highest first"))
    codes = [(f"findings[{i}]", c) for i, c in enumerate(d["findings"])]
    codes += [(f"related[{i}]", c) for i, c in enumerate(d.get("related", []))]
    for i, dead_end in enumerate(d["dead_ends"]):
        codes += [(f"dead_ends[{i}].relevant_to[{j}]", c) for j, c in enumerate(dead_end.get("relevant_to", []))]
    out += [(at, f"unknown finding code {c!r}") for at, c in codes if c not in _CODES]
    commands = [(f"workarounds[{i}].commands[{j}]", t) for i, w in enumerate(workarounds) for j, t in enumerate(w["commands"])]
    for i, step in enumerate(d.get("steps", [])):
        commands += [(f"steps[{i}].commands[{j}]", t) for j, t in enumerate(step.get("commands", []))]
    for at, template in commands:
        out += [(at, f"unknown placeholder {{{name}}}") for name in PLACEHOLDER.findall(template) if name not in PLACEHOLDERS]
        out += [
            (at, f"dead-end action {label!r} is not allowed in a workaround")
            for label, pattern in FORBIDDEN_IN_WORKAROUNDS
            if pattern.search(template)
        ]
        out += [
            (at, f"placeholder glued to other text in {word!r}: make it a whole word (the value is quoted, not its flag)")
            for word in template.split()
            if "{" in word and not WHOLE_WORD.fullmatch(word)
        ]
    return out


def problems_in_file(path: Path, validator: Draft202012Validator | None = None) -> list[str]:
    """Every problem of one entry file, one line each: `<file>: <field>: <problem>`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path.name}: cannot read: {exc}".replace("\n", " ")]
    found = schema_problems(data, validator or make_validator(load_schema()))
    if not found:
        found = rule_problems(data, path.stem)
    if not found:
        try:
            parse_entry(data, path)  # the loader builds whatever the schema lets through
        except KnowledgeError as exc:
            return [str(exc)]
    return [f"{path.name}: {at}: {problem}" for at, problem in found]


def problems_in_dir(directory: Path = KNOWLEDGE_DIR, schema_file: Path = SCHEMA_FILE) -> list[str]:
    """Every file's problems; then, when each file is fine, the rules across entries."""
    validator = make_validator(load_schema(schema_file))
    files = sorted(p for p in directory.glob("*.json") if p.name != "schema.json")
    out = [line for path in files for line in problems_in_file(path, validator)]
    if out:
        return out
    try:
        kb = load_knowledge_dir(directory)  # unique ids and slugs
    except KnowledgeError as exc:
        return [str(exc)]
    unexplained = sorted(c.value for c in set(Code) - {c for e in kb.entries for c in e.findings})
    if unexplained:
        out.append(f"{directory.name}: findings: no entry explains {', '.join(unexplained)}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    directory = Path(args[0]) if args else KNOWLEDGE_DIR
    problems = problems_in_dir(directory)
    for line in problems:
        print(line)
    if problems:
        return 1
    count = sum(1 for p in directory.glob("*.json") if p.name != "schema.json")
    print(f"{count} knowledge entries match {SCHEMA_FILE.name} and the rules beyond it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
