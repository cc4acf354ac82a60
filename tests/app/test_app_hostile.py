"""The app shows every hostile certificate field on its own line, inert (issue 12 §1), and in screen-sharing
mode shows none of them, on screen or in exports, with the legend kept in a local file (§2).

The hostile-text corpus (`tlsdoctor.lab.hostile_text`) is served by real loopback TLS servers that ask
for a client certificate by a hostile CA name; the walk presents a hostile client certificate.
"""

from __future__ import annotations

import contextlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from textual.widgets import DataTable, OptionList, Static, Tree

from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import WalkScreen
from tlsdoctor.app.widgets import StepList
from tlsdoctor.findings import StepId
from tlsdoctor.lab import certs
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.hostile_text import FORGED, HOSTILE_TEXTS, HostileText, hostile_leaf
from tlsdoctor.lab.tcp import start_on_same_port
from tlsdoctor.lab.tls_server import ClientAuth, TlsServer, VHost
from tlsdoctor.request import WalkOptions, build_request
from tlsdoctor.untrusted import UNSAFE

SIZE = (160, 50)
ZONE = "hostile.test"


class Corpus:
    """Every corpus entry on its own 127.0.0.x, one DNS responder, hostile client files on disk."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.stack = contextlib.ExitStack()
        server_pki, client_pki = certs.make_pki("Hostile Lab"), certs.make_pki("Hostile Clients")
        ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Evil CA\n{FORGED} Verdict: ok\u2028\u202e")])
        auth = ClientAuth(ca_certs=(client_pki.root.cert, client_pki.intermediate.cert), require=False, ca_list=(ca_name,))
        self.address = {t.id: f"127.0.0.{110 + i}" for i, t in enumerate(HOSTILE_TEXTS)}
        servers = [TlsServer(VHost.of(hostile_leaf(server_pki.intermediate, t)), client_auth=auth, address=self.address[t.id])
                   for t in HOSTILE_TEXTS]  # fmt: skip
        self.port = start_on_same_port(servers)
        for server in servers:
            self.stack.callback(server.stop)
        self.dns = DnsServer({f"{t.id}.{ZONE}": {"A": [self.address[t.id]]} for t in HOSTILE_TEXTS}).start()
        self.stack.callback(self.dns.stop)
        (directory / "ca.pem").write_bytes(certs.pem(server_pki.root.cert))
        (directory / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
        self.clients = {t.id: hostile_leaf(client_pki.intermediate, t, client=True) for t in HOSTILE_TEXTS}

    def options(self, text: HostileText) -> WalkOptions:
        cert, key = self.dir / f"{text.id}.pem", self.dir / f"{text.id}.key"
        cert.write_bytes(self.clients[text.id].chain_pem())
        key.write_bytes(self.clients[text.id].key_pem)
        key.chmod(0o600)
        return build_request(
            f"{text.id}.{ZONE}:{self.port}", nameservers=[f"{self.dns.address}:{self.dns.port}"],
            hosts_file=str(self.dir / "hosts"), ca_files=[str(self.dir / "ca.pem")], client_cert=str(cert),
            client_key=str(key), expected_identity="client-prod.example.test", timeout=3.0, use_system_store=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    served = Corpus(tmp_path_factory.mktemp("hostile"))
    yield served
    served.stack.close()


def texts(screen: Any) -> list[str]:
    """The text of every Static, table cell, tree label and option on the screen, each apart."""
    parts = [str(getattr(s.content if hasattr(s, "content") else s.render(), "plain", "")) for s in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [str(getattr(c, "plain", c)) for row in range(table.row_count) for c in table.get_row_at(row)]
    for tree in screen.query(Tree):
        stack = [tree.root]
        while stack:
            node = stack.pop()
            parts.append(str(getattr(node.label, "plain", node.label)))
            stack.extend(node.children)
    for options in screen.query(OptionList):
        parts += [str(getattr(options.get_option_at_index(i).prompt, "plain", "")) for i in range(options.option_count)]
    return parts


async def walked(pilot: Any, screen: WalkScreen) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + 30.0  # only catches a hang
    while screen.state.report is None and screen.state.error is None:
        assert asyncio.get_running_loop().time() < deadline, "the walk did not finish"
        await pilot.pause(0.05)
    await pilot.pause()
    assert screen.state.error is None, screen.state.error


async def every_step(pilot: Any, screen: WalkScreen) -> list[str]:
    shown: list[str] = []
    for step in StepId:
        screen.query_one(StepList).select_step(step)
        await pilot.pause()
        shown += texts(screen)
    return shown


def assert_inert(parts: list[str]) -> None:
    for part in parts:
        hidden = {f"U+{ord(c):04X}" for c in part if c != "\n" and UNSAFE.match(c)}
        assert not hidden, (hidden, part[:120])
        forged = [line for line in part.split("\n") if line.lstrip(" >-|*#`$").startswith(FORGED)]
        assert not forged, forged


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=lambda t: t.id)
async def test_every_hostile_field_stays_on_its_line_in_the_app(corpus: Corpus, text: HostileText) -> None:
    app = TlsDoctorApp(corpus.options(text), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        await walked(pilot, screen)
        assert app.is_running  # no markup link or escape sequence acted
        shown = await every_step(pilot, screen)
        assert_inert(shown)
        everything = "\n".join(shown)
        if text.id != "very-long":
            assert FORGED in everything  # shown, not dropped
        assert screen.state.report is not None and screen.state.report.verdict == "problem"


async def test_screen_sharing_hides_hostile_names_and_keeps_the_legend_local(corpus: Corpus, tmp_path: Path) -> None:
    text = next(t for t in HOSTILE_TEXTS if t.id == "line-feed")
    app = TlsDoctorApp(corpus.options(text), lang="en", export_dir=tmp_path, redact=True)  # as `tlsdoctor … --redact`
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        await walked(pilot, screen)
        shown = "\n".join(await every_step(pilot, screen))
        secrets = ["Evil", "hostile.test", corpus.address[text.id], "Hostile Lab", "Hostile Clients"]
        assert not [s for s in secrets if s in shown], [s for s in secrets if s in shown]
        md, js = app.export_report("md"), app.export_report("json")
    assert md is not None and js is not None
    for path in (md, js):
        exported = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in exported], (path.name, [s for s in secrets if s in exported])
        assert "hostile" not in path.name  # a shared file's name is shared too
    assert json.loads(js.read_text(encoding="utf-8"))["verdict"] == "problem"
    legends = sorted(tmp_path.glob("*.legend.txt"))
    assert legends and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in legends)
    legend = legends[-1].read_text(encoding="utf-8")
    assert "Evil Corp\\nFORGED" in legend and "hostile.test" in legend  # the key back, one line per value
