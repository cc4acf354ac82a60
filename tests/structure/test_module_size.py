"""Guard rail: no module of the package grows past 400 lines (split it by what its parts hold)."""

from __future__ import annotations

from pathlib import Path

import tlsdoctor

LIMIT = 400
PACKAGE_DIR = Path(tlsdoctor.__file__).resolve().parent


def test_no_module_over_the_limit() -> None:
    sizes = {p.relative_to(PACKAGE_DIR).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE_DIR.rglob("*.py")}
    assert len(sizes) > 20, "the package was not found"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
