"""`--redact`: no real name, address or fingerprint of the walk survives in any format,
the same name always maps to the same placeholder, and the shape of a mismatch stays visible."""

from __future__ import annotations

import json
import re

import pytest

from tlsdoctor.cli import main
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.redact import Redactor


def test_shape_of_a_wildcard_mismatch_stays_visible() -> None:
    r = Redactor()
    wildcard, deep = r.name("*.corp.acme.com"), r.name("a.b.corp.acme.com")
    assert wildcard.startswith("*.") and wildcard.endswith(".com")
    assert deep.endswith(wildcard[2:]) and deep.count(".") == wildcard.count(".") + 1
    assert r.name("A.b.corp.acme.com.") == deep  # case and trailing dot do not change the placeholder
    assert r.name("acme.co.uk").endswith(".co.uk")
    assert "acme" not in wildcard + deep


def test_addresses_map_into_documentation_ranges() -> None:
    r = Redactor()
    assert r.address("10.1.2.3").startswith("192.0.2.")
    assert r.address("10.1.2.3") == r.address("10.1.2.3") != r.address("10.1.2.4")
    assert r.address("fd00::1").startswith("2001:db8::")


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("scenario_id", ["wrong-host", "hosts-override", "idn", "divergent"])
def test_redacted_output_holds_none_of_the_real_names(lab: Lab, capsys, fmt: str, scenario_id: str) -> None:
    base = ["check", *lab.command_line(scenario_id), "--timeout", "2"]
    main([*base, "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    main([*base, "--format", fmt, "--redact"])
    redacted = capsys.readouterr().out
    secrets = {real["target"]["ascii_host"], real["target"]["host"]}
    for step in real["steps"]:
        text = json.dumps(step["data"], ensure_ascii=False)
        secrets.update(re.findall(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", text))
        secrets.update(re.findall(r"[0-9a-f]{64}", text))
    names = next(s for s in real["steps"] if s["id"] == "names")["data"]
    if names:
        secrets.update(v["value"] for v in names["verdicts"] if v["kind"] in ("dns", "ip"))
    assert secrets
    leaked = sorted(s for s in secrets if s and s.lower() in redacted.lower())
    assert not leaked
    assert "BEGIN CERTIFICATE" not in redacted


def test_same_name_same_placeholder_across_the_report(lab: Lab, capsys) -> None:
    main(["check", *lab.command_line("wrong-host"), "--timeout", "2", "--format", "json", "--redact"])
    data = json.loads(capsys.readouterr().out)
    host = data["target"]["ascii_host"]
    assert host.startswith("h") and ".zone-" in host
    commands = " ".join(c for d in data["diagnosis"] for w in d["workarounds"] for c in w["commands"])
    assert host in commands
