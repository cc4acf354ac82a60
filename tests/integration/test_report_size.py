"""The JSON report's size (issue 13), same shape: compact for programs, indented on a terminal,
and each presented chain's PEM once."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from sites import MakeSite, step

from tlsdoctor.cli import main
from tlsdoctor.lab import certs
from tlsdoctor.lab.tls_server import VHost

HOST = "size.example.test"


class Terminal(io.StringIO):
    """Standard output as a person's terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def pki() -> certs.Pki:
    return certs.make_pki("Report Size Lab")


def _site(make_site: MakeSite, pki: certs.Pki):
    leaf = VHost.of(pki.leaf(dns=[HOST], cn=HOST))
    return make_site(zone={HOST: {"A": ["127.0.0.62"]}}, servers={"127.0.0.62": leaf}, trust=[pki.root.cert])


def _json_to(out: io.StringIO, argv: list[str]) -> str:
    with contextlib.redirect_stdout(out):
        main([*argv, "--format", "json"])
    return out.getvalue()


def test_json_is_compact_for_a_program_and_indented_on_a_terminal(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, pki)
    piped = _json_to(io.StringIO(), site.argv(HOST))
    shown = _json_to(Terminal(), site.argv(HOST))
    assert piped == json.dumps(json.loads(piped), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert shown.count("\n") > 100 and '\n  "steps": [' in shown
    compact, indented = json.loads(piped), json.loads(shown)
    assert compact.keys() == indented.keys() and compact["verdict"] == indented["verdict"] == "ok"
    assert [s["id"] for s in compact["steps"]] == [s["id"] for s in indented["steps"]]
    assert len(piped) < len(shown) * 0.8


def test_each_chain_is_given_once(make_site: MakeSite, pki: certs.Pki) -> None:
    site = _site(make_site, pki)
    code, report = site.check(HOST)
    handshakes = step(report, "fetch")["data"]["handshakes"]
    assert code == 0 and len(handshakes) == 3  # sni, no-sni and a bogus name: the same certificates
    first, *others = handshakes
    assert first["chain_pem_from"] is None and len(first["chain_pem"]) == len(first["chain_sha256"]) == 2
    assert first["chain_pem"][0].startswith("-----BEGIN CERTIFICATE-----")
    for other in others:
        assert other["chain_sha256"] == first["chain_sha256"]
        assert other["chain_pem"] == [] and other["chain_pem_from"] == 0
    assert json.dumps(report).count("-----BEGIN CERTIFICATE-----") == 2
