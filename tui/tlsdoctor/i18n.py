"""Languages: gettext catalogs managed with babel, and babel's number/date formatting.

Every user-facing string goes through `_()` (or `lazy_gettext` for strings
built before the language is known, such as key binding labels). The active
language is process-wide and can change at run time (the app switches live).

Catalogs live in `tlsdoctor/locale/<locale>/LC_MESSAGES/tlsdoctor.mo`.
Chinese is stored as `zh_CN`: babel does not find a `zh_Hans` catalog for
`zh`, and would silently fall back to English.

babel is imported only when a language other than English is used (or for
`lazy_gettext`): importing it and loading its locale data costs a `check` more
than the rest of its start-up (issue 13). English, the source language, needs no
catalog, and its few formats are written out in `_en_*` below, held equal to
babel's by tests/unit/test_i18n.py.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING

from tlsdoctor.errors import BadInput

if TYPE_CHECKING:
    from babel import Locale
    from babel.support import LazyProxy

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
            from babel.support import Translations  # lazy: babel only for the other languages

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
    from babel import Locale  # lazy: see the module docstring

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
    from babel.support import LazyProxy  # lazy: only the app's key bindings use it

    return LazyProxy(gettext, message, enable_cache=False)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def format_percent(fraction: float) -> str:
    """0.9 → "90%" in the active language."""
    if current_language() == "en":
        return _en_decimal(fraction, scale=2, max_fraction=0) + "%"
    from babel.numbers import format_percent as babel_format_percent  # lazy: see the module docstring

    return babel_format_percent(fraction, locale=babel_locale())


def format_number(value: float | int) -> str:
    if current_language() == "en":
        return _en_decimal(value, scale=0, max_fraction=3)
    from babel.numbers import format_decimal  # lazy: see the module docstring

    return format_decimal(value, locale=babel_locale())


def format_datetime(when: dt.datetime) -> str:
    if current_language() == "en":
        return _en_datetime(when)
    from babel.dates import format_datetime as babel_format_datetime  # lazy: see the module docstring

    return babel_format_datetime(when, format="medium", tzinfo=dt.UTC, locale=babel_locale())


def format_relative(when: dt.datetime, now: dt.datetime) -> str:
    """"in 3 days" / "3 days ago" (or "3天后" / "3天前"), as babel words it."""
    if current_language() == "en":
        return _en_relative((when - now).total_seconds())
    from babel.dates import format_timedelta  # lazy: see the module docstring

    return format_timedelta(when - now, add_direction=True, granularity="second", threshold=1.0, locale=babel_locale())


# --- English, as babel (CLDR "en") formats it ---------------------------------------------

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# babel.dates.TIMEDELTA_UNITS: a month is 30 days and a year 365, as babel counts them
_EN_UNITS = (("year", 31_536_000), ("month", 2_592_000), ("week", 604_800), ("day", 86_400), ("hour", 3_600), ("minute", 60))


def _en_decimal(value: float | int, *, scale: int, max_fraction: int) -> str:
    """babel's pattern "#,##0.###" (scale 0) or "#,##0%" (scale 2, without the sign): a
    decimal rounded half to even, grouped by thousands, trailing zeros dropped."""
    from decimal import Decimal  # lazy: most runs format no number

    number = Decimal(str(value)).scaleb(scale)
    sign = "-" if number.is_signed() else ""
    rounded = abs(number).normalize().quantize(Decimal(1).scaleb(-max_fraction))  # the context rounds half to even
    whole, _, fraction = f"{rounded:f}".partition(".")
    fraction = fraction.rstrip("0")
    return sign + f"{int(whole):,}" + ("." + fraction if fraction else "")


def _en_datetime(when: dt.datetime) -> str:
    """CLDR en "medium": `Dec 2, 2026, 4:19:04 PM` in UTC (a naive time is taken as UTC, as babel does)."""
    utc = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    hour = utc.hour % 12 or 12
    half = "AM" if utc.hour < 12 else "PM"
    return f"{_EN_MONTHS[utc.month - 1]} {utc.day}, {utc.year}, {hour}:{utc.minute:02d}:{utc.second:02d}\u202f{half}"


def _en_relative(seconds: float) -> str:
    """babel's format_timedelta(add_direction=True, granularity="second", threshold=1.0) in English."""
    size = abs(seconds)
    unit, value = "second", max(1.0, size) if size > 0 else 0.0
    for name, unit_seconds in _EN_UNITS:
        if size / unit_seconds >= 1.0:
            unit, value = name, size / unit_seconds
            break
    count = round(value)  # half to even, as babel's int(round(value))
    words = f"{count} {unit}" + ("" if count == 1 else "s")
    return f"in {words}" if seconds >= 0 else f"{words} ago"
