"""Languages: the zh_CN catalog is complete, current and shipped; language choice; babel formatting; the CLI in Chinese.

The catalogs are made by `scripts/update_catalogs.py` from `babel.cfg`. These
tests catch a string added to the code without re-running it, a message left
untranslated or fuzzy, a placeholder or technical term lost in translation, and
a stale `.mo`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

import tlsdoctor
from tlsdoctor import i18n
from tlsdoctor.errors import BadInput

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "tui" / "tlsdoctor" / "locale"
POT = LOCALE_DIR / "tlsdoctor.pot"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "tlsdoctor.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}  # as scripts/update_catalogs.py
REFRESH = "run `python scripts/update_catalogs.py` and translate what it lists"

# Written the same in both languages: if the msgid has it, the msgstr must too.
KEEP_VERBATIM = (
    "TLS", "SNI", "DNS", "AIA", "EKU", "SAN", "CA", "CN", "IP", "URI", "JWT", "JWE", "PEM", "DER",
    "PKCS#12", "CNAME", "NXDOMAIN", "serverAuth", "clientAuth", "x5t#S256", "iPAddress", "dNSName",
    "A-label", "RFC 9525", "OSC 52", "CSR", "mTLS", "Markdown", "JSON", "SVG", "https://", "/etc/hosts",
    "san.cnf", "ctrl+e", "Ctrl-D", "chmod 600", "tlsdoctor", "✓", "✗", "⚠", "→", "←", "·", "**", "#",
)
OPTION = re.compile(r"--[a-z][a-z0-9-]*")
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# ASCII prose punctuation touching Chinese text (full-width ，。：；（） belongs there).
HALF_WIDTH_IN_PROSE = re.compile(rf"[{CJK}][,.:;!?()]|[,:;!?(][{CJK}]")


def _read(path: Path) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale="zh_CN" if path.suffix == ".po" else None, domain="tlsdoctor")


@pytest.fixture(scope="module")
def pot() -> Catalog:
    return _read(POT)


@pytest.fixture(scope="module")
def po() -> Catalog:
    return _read(PO)


def _messages(catalog: Catalog) -> list:
    return [m for m in catalog if m.id]


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _placeholders(text: str) -> set[str]:
    """`{name}`, `{name!r}`, `{secs:.2f}` as written; unbalanced braces raise ValueError."""
    return {
        "{" + field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        for _lit, field, spec, conv in string.Formatter().parse(text)
        if field is not None
    }


# --- the catalog files ---------------------------------------------------------------------


def test_zh_loads_as_a_real_catalog_not_the_english_fallback(po: Catalog) -> None:
    translations = i18n.load_translations("zh")
    assert isinstance(translations, Translations), f"no zh_CN catalog under {i18n.LOCALE_DIR}"
    # the shipped .mo (wherever tlsdoctor is imported from) says what the .po says
    wrong = [
        m.id
        for m in _messages(po)
        if isinstance(m.id, str) and translations.gettext(m.id) != m.string
    ]
    assert not wrong, f"the loaded catalog disagrees with the .po for {wrong[:5]}"


def test_every_msgid_is_translated_and_none_is_fuzzy(pot: Catalog, po: Catalog) -> None:
    template_ids = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in _messages(pot)}
    po_ids = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in _messages(po)}
    assert template_ids, "the template is empty"
    assert template_ids - po_ids == set(), f"missing from the .po: {REFRESH}"
    assert po_ids - template_ids == set(), f"stale messages in the .po: {REFRESH}"
    untranslated = [m.id for m in _messages(po) if not all(_strings(m.string)) or not _strings(m.string)]
    fuzzy = [m.id for m in _messages(po) if m.fuzzy]
    assert untranslated == [], f"untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy (never shipped, shown in English): {fuzzy[:10]}"
    assert not po.fuzzy, "the .po header is marked fuzzy"
    assert po.plural_forms == "nplurals=1; plural=0;"


def test_placeholders_are_the_same_in_msgid_and_msgstr(po: Catalog) -> None:
    bad: list[str] = []
    for m in _messages(po):
        try:
            wanted = set().union(*(_placeholders(s) for s in _strings(m.id)))
            for text in _strings(m.string):
                if _placeholders(text) != wanted:
                    bad.append(f"{m.id!r} → {text!r}")
        except ValueError as exc:
            bad.append(f"{m.id!r}: {exc}")
    assert bad == []


def test_codes_options_and_symbols_survive_translation(po: Catalog) -> None:
    lost: list[str] = []
    for m in _messages(po):
        for source, text in zip(_strings(m.id), _strings(m.string)):
            keep = [t for t in KEEP_VERBATIM if t in source] + OPTION.findall(source)
            lost += [f"{t!r} in {source!r}" for t in keep if t not in text]
            # an indent (two or more spaces) aligns columns in the text report
            indent = len(source) - len(source.lstrip(" "))
            if indent > 1 and indent != len(text) - len(text.lstrip(" ")):
                lost.append(f"leading spaces of {source!r}")
    assert lost == []


def test_chinese_prose_uses_full_width_punctuation(po: Catalog) -> None:
    half = [text for m in _messages(po) for text in _strings(m.string) if HALF_WIDTH_IN_PROSE.search(text)]
    assert half == []


def _table(catalog: Catalog) -> dict[tuple[object, str | None], object]:
    """id → translation, as gettext will look it up (the bytes a babel version writes do not matter)."""
    return {
        (m.id if isinstance(m.id, str) else tuple(m.id), m.context): (
            m.string if isinstance(m.string, str) else tuple(m.string)
        )
        for m in catalog
        if m.id and all(_strings(m.string)) and not m.fuzzy
    }


def test_the_mo_is_compiled_from_the_current_po(po: Catalog) -> None:
    with open(MO, "rb") as fh:
        shipped = read_mo(fh)
    assert _table(shipped) == _table(po), f"the .mo is stale: {REFRESH}"
    # and it is a real gettext catalog: a known message comes back in Chinese
    compiled = io.BytesIO()
    write_mo(compiled, po, use_fuzzy=False)
    compiled.seek(0)
    loaded = Translations(compiled, domain="tlsdoctor")
    assert loaded.gettext("Verdict") != "Verdict" and re.search(f"[{CJK}]", loaded.gettext("Verdict"))


def test_every_marked_string_in_the_source_is_in_the_template(pot: Catalog) -> None:
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        (message if isinstance(message, str) else tuple(message), context, filename)
        for filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
    }
    files = {f for _m, _c, f in found}
    assert "tui/tlsdoctor/render/text.py" in files and "tui/tlsdoctor/cli.py" in files, "babel.cfg misses the package"
    in_source = {(m, c) for m, c, _f in found}
    in_template = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in _messages(pot)}
    assert sorted(map(str, in_source - in_template)) == [], f"marked in the code but not in the template: {REFRESH}"
    assert sorted(map(str, in_template - in_source)) == [], f"in the template but gone from the code: {REFRESH}"


def test_the_update_script_finds_nothing_to_do() -> None:
    """Re-running the script on a current tree changes no file and lists nothing to translate."""
    script = ROOT / "scripts" / "update_catalogs.py"
    run = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


# --- choosing the language -------------------------------------------------------------------


def test_lang_option_wins_over_the_environment() -> None:
    assert i18n.resolve_language("zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert i18n.resolve_language("zh_CN.UTF-8", {}) == "zh"
    assert i18n.resolve_language("en", {"LC_ALL": "zh_CN.UTF-8"}) == "en"


def test_environment_locale_picks_the_language() -> None:
    assert i18n.resolve_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.resolve_language(None, {"LC_MESSAGES": "zh_TW", "LANG": "en_US"}) == "zh"
    # LC_ALL comes first, and C/POSIX mean English even when LANG says Chinese
    assert i18n.resolve_language(None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.resolve_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.resolve_language(None, {}) == "en"


def test_unsupported_lang_option_is_bad_input_naming_the_choices() -> None:
    with pytest.raises(BadInput) as caught:
        i18n.resolve_language("fr", {"LANG": "zh_CN.UTF-8"})
    message = str(caught.value)
    assert "fr" in message and re.search(r"\ben\b", message) and re.search(r"\bzh\b", message)
    assert "\n" not in message


def test_gettext_and_lazy_strings_follow_the_live_language(po: Catalog) -> None:
    sample = next(m for m in _messages(po) if isinstance(m.id, str) and m.string != m.id)
    lazy = i18n.lazy_gettext(sample.id)
    assert i18n._(sample.id) == sample.id and str(lazy) == sample.id
    i18n.set_language("zh")
    assert i18n.current_language() == "zh"
    assert i18n._(sample.id) == sample.string and str(lazy) == sample.string
    i18n.set_language("en")
    assert str(lazy) == sample.id


# --- babel formatting ------------------------------------------------------------------------


def test_numbers_and_relative_times_in_chinese() -> None:
    now = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)
    assert i18n.format_percent(0.9) == "90%"
    assert i18n.format_relative(now + dt.timedelta(days=3), now) == "in 3 days"
    i18n.set_language("zh")
    assert i18n.format_percent(0.9) == "90%"
    assert i18n.format_number(3000) == "3,000"
    assert re.fullmatch(r"3\s*天后", i18n.format_relative(now + dt.timedelta(days=3), now))
    assert re.fullmatch(r"2\s*天前", i18n.format_relative(now - dt.timedelta(days=2), now))
    assert re.search(r"2026年1月31日", i18n.format_datetime(now))


# --- the command line ------------------------------------------------------------------------


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m tlsdoctor …` with the tlsdoctor this test imported (installed or `tui/`)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    package_parent = str(Path(tlsdoctor.__file__).resolve().parent.parent)
    environ["PYTHONPATH"] = os.pathsep.join([package_parent, *filter(None, [os.environ.get("PYTHONPATH")])])
    environ["PYTHONIOENCODING"] = "utf-8"
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tlsdoctor", *args], capture_output=True, encoding="utf-8", env=environ, timeout=60
    )


def _headings(markdown: str) -> set[str]:
    return {line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("## ")}


def test_kb_entry_in_chinese_has_chinese_headings(po: Catalog) -> None:
    zh = _cli("kb", "TLS-1002", "--lang", "zh", "--format", "md")
    en = _cli("kb", "TLS-1002", "--lang", "en", "--format", "md")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    wanted = {"Root cause", "Version compatibility", "Official documentation", "Error messages"}
    assert wanted <= _headings(en.stdout)
    assert {po[h].string for h in wanted} <= _headings(zh.stdout)
    assert not wanted & _headings(zh.stdout)
    assert zh.stdout.startswith("# TLS-1002")
    assert re.search(f"[{CJK}]", zh.stdout.splitlines()[0]), "the entry title is not in Chinese"


def test_kb_language_from_the_environment() -> None:
    by_lang = _cli("kb", "TLS-1002", "--format", "md", LANG="zh_CN.UTF-8")
    forced_c = _cli("kb", "TLS-1002", "--format", "md", LC_ALL="C", LANG="zh_CN.UTF-8")
    assert by_lang.returncode == 0 and forced_c.returncode == 0
    assert "Root cause" not in _headings(by_lang.stdout)
    assert "Root cause" in _headings(forced_c.stdout)


def test_kb_with_an_unsupported_language_exits_2_with_one_line() -> None:
    run = _cli("kb", "--lang", "fr")
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tlsdoctor: "), run.stderr
    assert "'fr'" in lines[0] and "en" in lines[0] and "zh" in lines[0]
