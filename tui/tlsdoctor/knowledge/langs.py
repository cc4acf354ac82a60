"""The languages the knowledge base is written in, apart from the model so that ranking an
empty list of findings loads no entry class (issue 13); `model` re-exports both names."""

from __future__ import annotations

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _

LANGS: tuple[str, ...] = ("en", "zh")


def check_lang(lang: str) -> str:
    """`lang` if the knowledge base is written in it, else BadInput."""
    if lang not in LANGS:
        raise BadInput(_("unsupported language {lang!r}: choose one of {known}").format(lang=lang, known=", ".join(LANGS)))
    return lang
