"""English formats without babel (issue 13): the same text as babel gives, and babel left unloaded.

`i18n` writes out the few English (CLDR "en") formats so that an English run
never imports babel or loads its locale data; these tests hold every one of them
equal to what babel itself prints, over dense and random inputs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsdoctor import i18n

UNITS = (31_536_000, 2_592_000, 604_800, 86_400, 3_600, 60, 1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    previous = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


def _babel_relative(seconds: float) -> str:
    return format_timedelta(dt.timedelta(seconds=seconds), add_direction=True, granularity="second", threshold=1.0, locale="en")


def _edges() -> list[float]:
    """Every unit's boundary and its halves (where rounding turns), both directions."""
    values = [0.0, 0.4, 0.5, 0.6, 1.0, 1.5, 2.5]
    for unit in UNITS:
        for factor in (0.5, 0.99, 1.0, 1.49, 1.5, 1.51, 2.5, 3.5, 11.5, 12.0, 51.5, 400.0):
            values += [unit * factor, unit * factor - 1, unit * factor + 1]
    return values + [-v for v in values]


def test_relative_times_at_every_edge_are_babels() -> None:
    now = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)
    for seconds in _edges():
        when = now + dt.timedelta(seconds=seconds)
        assert i18n.format_relative(when, now) == _babel_relative(seconds), seconds


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-5e9, max_value=5e9, allow_nan=False))
def test_relative_times_are_babels(seconds: float) -> None:
    now = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)
    delta = dt.timedelta(seconds=seconds)
    assert i18n.format_relative(now + delta, now) == _babel_relative(delta.total_seconds())


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))]),
)
def test_dates_are_babels_medium_in_utc(when: dt.datetime, zone: dt.tzinfo | None) -> None:
    when = when if zone is None else when.replace(tzinfo=zone)
    assert i18n.format_datetime(when) == format_datetime(when, format="medium", tzinfo=dt.UTC, locale="en")


def test_every_hour_and_month_is_babels() -> None:
    for month in range(1, 13):
        for hour in range(24):
            when = dt.datetime(2026, month, 9, hour, 5, 7, tzinfo=dt.UTC)
            assert i18n.format_datetime(when) == format_datetime(when, format="medium", tzinfo=dt.UTC, locale="en")


HALVES = [0.0, 0.005, 0.015, 0.125, 0.135, 0.5, 0.855, 0.865, 0.9, 0.999, 1.0, 1.005, 12.345, -0.004, -0.9, 1234.5, 0.0005]


@pytest.mark.parametrize("value", HALVES)
def test_percent_rounds_half_to_even_as_babel(value: float) -> None:
    assert i18n.format_percent(value) == format_percent(value, locale="en")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(min_value=-(10**15), max_value=10**15), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)))
def test_numbers_and_percents_are_babels(value: float) -> None:
    assert i18n.format_number(value) == format_decimal(value, locale="en")
    if isinstance(value, float) and abs(value) < 1e9:
        assert i18n.format_percent(value) == format_percent(value, locale="en")


def test_an_english_report_loads_no_babel() -> None:
    """Rendering an English text report (dates, relative times, percentages) imports no babel."""
    probe = (
        "import sys, datetime as dt\n"
        "from tlsdoctor import i18n\n"
        "i18n.set_language('en')\n"
        "now = dt.datetime.now(dt.UTC)\n"
        "print(i18n.format_datetime(now), i18n.format_relative(now + dt.timedelta(days=90), now), i18n.format_percent(0.93))\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'babel'], 'babel was imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(i18n.__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "in 3 months" in run.stdout and "93%" in run.stdout
