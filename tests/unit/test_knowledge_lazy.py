"""The knowledge package loads each public name from its module on first use (issue 13)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tlsdoctor.knowledge as kb
from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.knowledge.rank import diagnose


def test_every_public_name_resolves_to_its_definition() -> None:
    assert set(kb.__all__) == set(kb._WHERE)
    for name in kb.__all__:
        module = importlib.import_module(f"tlsdoctor.knowledge.{kb._WHERE[name]}")
        assert getattr(kb, name) is getattr(module, name), name
    with pytest.raises(AttributeError):
        _ = kb.no_such_name  # type: ignore[attr-defined]


def test_ranking_nothing_loads_no_entry_and_still_checks_the_language() -> None:
    probe = (
        "import sys\n"
        "from tlsdoctor.knowledge import diagnose\n"
        "assert diagnose([], None, lang='en') == ()\n"
        "print(sorted(m for m in sys.modules if m.startswith('tlsdoctor.knowledge.')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(kb.__file__).resolve().parents[2])}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "tlsdoctor.knowledge.model" not in run.stdout and "tlsdoctor.knowledge.load" not in run.stdout
    with pytest.raises(BadInput):
        diagnose([], None, lang="fr")


def test_ranking_a_finding_loads_the_entries() -> None:
    found = diagnose([Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR, {})], None, lang="en")
    assert found and found[0].kb_id.startswith("TLS-")
