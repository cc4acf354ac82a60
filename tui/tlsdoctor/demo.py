"""The demo driver: walk requests for the lab's scenarios, and `tlsdoctor demo --list`.

`tlsdoctor.lab` holds certificates and servers only; this module sits above
the engine and ties them together: `DemoLab.options_for(id)` starts a
scenario's servers and builds its `WalkOptions` with the one request builder
(the lab's own DNS responder and hosts file, trusting the lab's root via
`--ca`), and `run_demo_reports` walks every scenario once. No textual here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from tlsdoctor.diagnosis import Report
from tlsdoctor.i18n import _
from tlsdoctor.lab.scenarios import SCENARIOS, Lab, Scenario, scenario
from tlsdoctor.render.json import json_text
from tlsdoctor.request import WalkOptions, build_request
from tlsdoctor.summaries import finding_title
from tlsdoctor.walk import walk_report


class DemoLab(Lab):
    """The lab, plus ready walk requests for its scenarios (used by the tests, the app and `demo`)."""

    def options_for(self, scenario_id: str, *, lang: str = "en", timeout: float = 3.0, **overrides: Any) -> WalkOptions:
        """Start the scenario's servers (once) and return the request that walks it; `overrides`
        replace fields of the result (e.g. `client=`, `at=`)."""
        run = self.run(scenario_id)
        ns = self.nameserver()
        client = self.client_material(scenario_id)
        setup = scenario(scenario_id).client
        options = build_request(
            run.target,
            nameservers=[str(ns)],
            hosts_file=str(self.hosts_file),
            ca_files=[str(self.ca_file)],
            client_cert=str(client[0]) if client else None,
            client_key=str(client[1]) if client else None,
            expected_identity=setup.expect_identity if setup else None,
            timeout=timeout,
            use_system_store=False,
            lang=lang,
        )
        return dataclasses.replace(options, **overrides)


def iter_reports(lab: DemoLab, lang: str) -> Iterator[tuple[Scenario, Report]]:
    """Every scenario walked once, in catalogue order."""
    for s in SCENARIOS:
        yield s, walk_report(lab.options_for(s.id, lang=lang, timeout=2.0))


def run_demo_reports(lang: str, fmt: str, emit: Callable[[str], None]) -> int:
    """`tlsdoctor demo --list`: every scenario once, a short report each (no terminal UI needed)."""
    with DemoLab() as lab:
        if fmt == "json":
            out = []
            for s, report in iter_reports(lab, lang):
                out.append({"scenario": s.id, "report": report.to_json()})
            emit(json_text(out))  # separators and bidi controls as \uXXXX, as every JSON face
            return 0
        for s, report in iter_reports(lab, lang):
            codes = sorted({f.code.value for f in report.findings if f.severity.value != "info"})
            top = report.diagnosis[0].kb_id if report.diagnosis else "-"
            emit(f"{s.id:<17} {_(s.title)} — {_(s.broken)}")
            emit("    " + _("verdict {verdict}; findings: {codes}; top entry: {top}").format(
                verdict=_("problem") if report.verdict == "problem" else _("ok"), codes=", ".join(codes) or "-", top=top))
            for f in report.findings[:1]:
                emit("    " + finding_title(f.code))
            for line in lab.server_log(s.id):
                emit("    " + _("server log: {line}").format(line=line))
    return 0
