#!/usr/bin/env python3
"""Update the gettext catalogs: extract → tlsdoctor.pot, merge → <locale>.po, compile → .mo.

    python scripts/update_catalogs.py          # update everything, report what needs translating
    python scripts/update_catalogs.py --check  # write nothing; exit 1 if anything is out of date

Re-runnable: a file is rewritten only when its messages change, never for a
date or for the babel version that wrote it (files are compared by meaning:
messages, translations, flags and comments, not bytes), and there are no source
line numbers in the catalogs, so diffs stay small. New strings arrive in the .po untranslated (or fuzzy when babel finds a
near match); the .mo is compiled without fuzzy entries, so translate them and
re-run. Exit 1 while any message is untranslated, fuzzy or has placeholders
that differ from its msgid. This script must not edit translations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import string
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
DOMAIN = "tlsdoctor"
LOCALE_DIR = ROOT / "tui" / "tlsdoctor" / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# The catalogs we ship: the non-English values of tlsdoctor.i18n.LANGUAGES.
LOCALES: tuple[str, ...] = ("zh_CN",)
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
COMMENT_TAGS = ("Translators:",)
WRITE_OPTIONS = {"no_location": True, "sort_output": True, "ignore_obsolete": True, "width": 76}


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def extract_messages(root: Path = ROOT) -> list[tuple[str | tuple[str, ...], str | None, list[str]]]:
    """(msgid, context, extracted comments) for every marked string in the source, per babel.cfg."""
    with open(root / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = []
    for _filename, _lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    ):
        found.append((message, context, list(comments)))
    return found


def build_template(creation_date: dt.datetime | str | None) -> Catalog:
    template = Catalog(
        domain=DOMAIN,
        project="tlsdoctor",
        version=_version(),
        copyright_holder="the tlsdoctor authors",
        creation_date=creation_date,
        header_comment="# Translations template for tlsdoctor.\n# Made by scripts/update_catalogs.py from babel.cfg: do not edit by hand.\n#",
        fuzzy=False,
    )
    for message, context, comments in extract_messages():
        template.add(message, None, auto_comments=comments, context=context)
    return template


def render_po(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, **WRITE_OPTIONS)
    return buf.getvalue()


def compile_mo(catalog: Catalog) -> bytes:
    """The .mo bytes for a catalog, fuzzy and untranslated messages left out (English shows)."""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def placeholders(text: str) -> set[str]:
    """`{name}`, `{n:d}` … in a str.format text; malformed braces raise ValueError."""
    return {
        "{" + field + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
        for _lit, field, spec, conv in string.Formatter().parse(text)
        if field is not None
    }


def _texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def problems(catalog: Catalog) -> list[str]:
    """One line per message that would not be shown translated, or whose placeholders differ."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        label = repr(_texts(message.id)[0])
        strings = _texts(message.string)
        if not all(strings):
            found.append(f"untranslated: {label}")
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {label}")
        try:
            wanted = set().union(*(placeholders(t) for t in _texts(message.id)))
            got = [placeholders(t) for t in strings]
        except ValueError as exc:
            found.append(f"bad braces ({exc}): {label}")
            continue
        if any(g != wanted for g in got):
            found.append(f"placeholders differ: {label}")
    return found


def _read(path: Path, locale: str | None = None) -> Catalog | None:
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def update_template(existing: Catalog | None, old_bytes: bytes | None) -> tuple[Catalog, bytes]:
    """The new template; it keeps the old creation date unless its messages changed."""
    template = build_template(existing.creation_date if existing else _now())
    new = render_po(template)
    if existing is not None and new != old_bytes:
        template = build_template(_now())
        new = render_po(template)
    return template, new


def merge_locale(template: Catalog, locale: str, existing: Catalog | None, old_bytes: bytes | None) -> bytes:
    """The .po for one locale: translations kept, new messages added, gone ones dropped."""
    if existing is None:
        catalog = Catalog(
            locale=locale,
            domain=DOMAIN,
            project=template.project,
            version=template.version,
            copyright_holder=template.copyright_holder,
            creation_date=template.creation_date,
            revision_date=_now(),
            last_translator="tlsdoctor maintainers",
            language_team=f"{locale} (tlsdoctor maintainers)",
            fuzzy=False,
        )
        catalog.update(template)
        return render_po(catalog)
    existing.update(template, update_creation_date=True)
    existing.version = template.version
    existing.fuzzy = False
    new = render_po(existing)
    if new != old_bytes:
        existing.revision_date = _now()
        new = render_po(existing)
    return new


def _message_key(message: Message) -> tuple[object, ...]:
    return (
        message.id if isinstance(message.id, str) else tuple(message.id),
        message.context,
        message.string if isinstance(message.string, str) else tuple(message.string or ()),
        tuple(sorted(message.flags)),
        tuple(message.auto_comments),
        tuple(message.user_comments),
    )


def meaning(path: Path, data: bytes) -> object:
    """What a catalog file says, without the bytes a babel version or a date writes.

    .pot/.po: every message (id, context, translation, flags, comments) and the
    plural rule; .mo: the compiled id → translation table. Headers such as
    Generated-By, POT-Creation-Date and PO-Revision-Date are not meaning.
    """
    if path.suffix == ".mo":
        catalog = read_mo(io.BytesIO(data))
        return sorted(_message_key(m)[:3] for m in catalog if m.id)
    catalog = read_po(io.BytesIO(data), domain=DOMAIN)
    return (catalog.plural_forms if catalog.locale else None, sorted(_message_key(m) for m in catalog if m.id))


def _sync(path: Path, data: bytes, check: bool, changed: list[str]) -> None:
    old = path.read_bytes() if path.exists() else None
    if old == data or (old is not None and meaning(path, old) == meaning(path, data)):
        return
    changed.append(str(path.relative_to(ROOT)))
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run(check: bool) -> int:
    changed: list[str] = []
    old_pot = TEMPLATE.read_bytes() if TEMPLATE.exists() else None
    template, pot_bytes = update_template(_read(TEMPLATE), old_pot)
    _sync(TEMPLATE, pot_bytes, check, changed)
    count = sum(1 for m in template if m.id)
    print(f"{TEMPLATE.relative_to(ROOT)}: {count} messages")
    issues: list[str] = []
    for locale in LOCALES:
        po_path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        old_po = po_path.read_bytes() if po_path.exists() else None
        po_bytes = merge_locale(template, locale, _read(po_path, locale), old_po)
        _sync(po_path, po_bytes, check, changed)
        catalog = read_po(io.BytesIO(po_bytes), locale=locale, domain=DOMAIN)
        _sync(po_path.with_suffix(".mo"), compile_mo(catalog), check, changed)
        found = problems(catalog)
        issues += [f"{locale}: {line}" for line in found]
        print(f"{po_path.relative_to(ROOT)}: {count - len(found)}/{count} ready")
    _print_lines("would change" if check else "updated", changed)
    _print_lines("needs a translator", issues)
    return 1 if issues or (check and changed) else 0


def _print_lines(title: str, lines: Iterable[str]) -> None:
    lines = list(lines)
    if lines:
        print(f"{title} ({len(lines)}):")
        for line in lines:
            print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a catalog is out of date")
    return run(parser.parse_args(argv).check)


if __name__ == "__main__":
    sys.exit(main())
