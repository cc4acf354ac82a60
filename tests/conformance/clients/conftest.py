"""One conformance run per test session: every case served, every installed client run once (about 20 s).

`TLSDOCTOR_CLIENTS_REPORT=PATH` also writes the Markdown report (case × client
table, versions, skipped clients, explain's gaps) to PATH; it is always
written to the session's temporary directory and its path printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from client_report import markdown
from client_session import Run, conformance_run


@pytest.fixture(scope="session")
def conformance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    workdir = tmp_path_factory.mktemp("clients")
    run = conformance_run(workdir)
    report = markdown(run)
    (workdir / "report.md").write_text(report, encoding="utf-8")
    if os.environ.get("TLSDOCTOR_CLIENTS_REPORT"):
        Path(os.environ["TLSDOCTOR_CLIENTS_REPORT"]).write_text(report, encoding="utf-8")
    yield run
