"""Shared fixtures: one lab (PKI, DNS responder, hosts file, AIA server) per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.i18n import set_language


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Every test starts in English; tests that switch language cannot leak it."""
    set_language("en")
    yield
    set_language("en")
