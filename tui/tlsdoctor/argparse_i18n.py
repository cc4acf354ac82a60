"""argparse's own words (usage:, options, its error messages) in the user's language.

argparse looks its strings up with `gettext.gettext` at call time, through
module globals; `translated_argparse()` points those globals at our catalogs
for the time a parser is built and used, then puts them back. The msgids below
are argparse's own (CPython 3.11–3.13), marked with `N_()` so the extractor
puts them into our catalogs. No textual, no I/O.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from tlsdoctor.i18n import N_, gettext, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


@contextmanager
def translated_argparse() -> Iterator[None]:
    """argparse speaks the active language inside the block (its globals are restored after)."""
    saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
