"""Guard rails for the house plan: headless modules never load a face's libraries.

Every module of the package is found by walking it (nothing listed by hand) and
imported in a fresh interpreter; below the faces (`cli`, `app`, `render`,
`demo`) neither `textual` nor `rich` may be loaded, directly or through another
module. `lint-imports` checks the same statically (pyproject.toml); this checks
what really happens at run time, lazy imports included.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import tlsdoctor

PACKAGE_DIR = Path(tlsdoctor.__file__).resolve().parent
FACES = ("tlsdoctor.cli", "tlsdoctor.batch_cli", "tlsdoctor.app", "tlsdoctor.render", "tlsdoctor.demo", "tlsdoctor.__main__")
FORBIDDEN = ("textual", "rich")


def _modules() -> list[str]:
    found = ["tlsdoctor"]
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="tlsdoctor."):
        found.append(info.name)
    return sorted(found)


def _is_face(module: str) -> bool:
    return any(module == face or module.startswith(face + ".") for face in FACES)


HEADLESS = [m for m in _modules() if not _is_face(m)]
PROBE = (
    "import importlib, json, sys\n"
    "importlib.import_module(sys.argv[1])\n"
    "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
)


def _loaded(module: str) -> tuple[str, int, str]:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR.parent)}
    run = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True, text=True, env=env, timeout=120)
    return module, run.returncode, run.stdout if run.returncode == 0 else run.stderr


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[int, str]]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return {m: (code, out) for m, code, out in pool.map(_loaded, HEADLESS)}


def test_the_walk_finds_the_engine_and_leaves_out_the_faces() -> None:
    assert {"tlsdoctor.walk", "tlsdoctor.facts.tls", "tlsdoctor.probe.dns", "tlsdoctor.lab.certs"} <= set(HEADLESS)
    assert not [m for m in HEADLESS if m.startswith(("tlsdoctor.app", "tlsdoctor.render"))]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_loads_no_face_library(module: str, loaded: dict[str, tuple[int, str]]) -> None:
    code, out = loaded[module]
    assert code == 0, f"importing {module} failed: {out.strip().splitlines()[-1:]}"
    roots = set(__import__("json").loads(out))
    assert roots.isdisjoint(FORBIDDEN), f"{module} loads {sorted(roots & set(FORBIDDEN))}"
