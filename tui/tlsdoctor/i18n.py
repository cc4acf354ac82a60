"""Languages: gettext catalogs managed with babel, and babel's number/date formatting.

Every user-facing string goes through `_()` (or `lazy_gettext` for strings
built before the language is known, such as key binding labels). The active
language is process-wide and can change at run time (the app switches live).

Catalogs live in `tlsdoctor/locale/<locale>/LC_MESSAGES/tlsdoctor.mo`.
Chinese is stored as `zh_CN`: babel does not find a `zh_Hans` catalog for
`zh`, and would silently fall back to English.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_timedelta as _babel_format_timedelta
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent
from babel.support import LazyProxy, NullTranslations, Translations

from tlsdoctor.errors import BadInput

DOMAIN = "tlsdoctor"
LOCALE_DIR = Path(__file__).parent / "locale"
# Our language codes → the babel/gettext locale holding their catalog.
LANGUAGES: Mapping[str, str] = {"en": "en", "zh": "zh_CN"}
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "zh": "中文"}

_state: dict[str, object] = {"lang": "en", "translations": NullTranslations()}
_cache: dict[str, NullTranslations] = {}


def load_translations(lang: str) -> NullTranslations:
    """The catalog for one of our languages (English is the source: no catalog needed)."""
    if lang not in _cache:
        if lang == "en":
            _cache[lang] = NullTranslations()
        else:
            _cache[lang] = Translations.load(str(LOCALE_DIR), [LANGUAGES[lang]], DOMAIN)
    return _cache[lang]


def normalise_language(value: str) -> str | None:
    """Map `zh`, `zh_CN.UTF-8`, `zh-Hans`, `en_US` … to one of our codes, or None."""
    base = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    if not base or base in ("c", "posix"):
        return None
    head = base.split("_")[0]
    return head if head in LANGUAGES else None


def resolve_language(requested: str | None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` first, then LC_ALL / LC_MESSAGES / LANG, else English.

    An unsupported `--lang` is bad input; an unsupported environment locale is
    simply not ours and falls back to English.
    """
    if requested:
        lang = normalise_language(requested)
        if lang is None:
            known = ", ".join(LANGUAGES)
            raise BadInput(gettext("unsupported language {lang!r}: choose one of {known}").format(lang=requested, known=known))
        return lang
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return normalise_language(value) or "en"
    return "en"


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise BadInput(gettext("unsupported language {lang!r}: choose one of {known}").format(lang=lang, known=", ".join(LANGUAGES)))
    _state["lang"] = lang
    _state["translations"] = load_translations(lang)


def current_language() -> str:
    return str(_state["lang"])


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(LANGUAGES[lang or current_language()])


def gettext(message: str) -> str:
    translations = _state["translations"]
    assert isinstance(translations, NullTranslations)
    return translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    translations = _state["translations"]
    assert isinstance(translations, NullTranslations)
    return translations.ngettext(singular, plural, n)


_ = gettext


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated when it is used, not when it is defined."""
    return LazyProxy(gettext, message, enable_cache=False)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def format_percent(fraction: float) -> str:
    """0.9 → "90%" in the active language."""
    return _babel_format_percent(fraction, locale=babel_locale())


def format_number(value: float | int) -> str:
    return _babel_format_decimal(value, locale=babel_locale())


def format_datetime(when: dt.datetime) -> str:
    return _babel_format_datetime(when, format="medium", tzinfo=dt.UTC, locale=babel_locale())


def format_relative(when: dt.datetime, now: dt.datetime) -> str:
    """"in 3 days" / "3 days ago" (or "3天后" / "3天前"), as babel words it."""
    return _babel_format_timedelta(
        when - now, add_direction=True, granularity="second", threshold=1.0, locale=babel_locale()
    )
