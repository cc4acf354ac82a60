"""The form loads client files once, on Start, off the UI loop; the walk state computes pane values once.

Pilot tests of the start form against a lab server, and plain tests of
`tlsdoctor.app.state` (the view models the fetch pane draws from).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, Label

import tlsdoctor.app.state as app_state
from tlsdoctor.app.main import TlsDoctorApp
from tlsdoctor.app.screens import FormScreen, WalkScreen
from tlsdoctor.app.state import WalkState
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.facts.steps import StepResult
from tlsdoctor.facts.tls import Handshake, SniMode
from tlsdoctor.findings import StepId, StepStatus
from tlsdoctor.lab.certs import make_pki
from tlsdoctor.probe import clientfiles

SIZE = (160, 50)


def plain(widget: Any) -> str:
    content = widget.content if hasattr(widget, "content") else widget.render()
    return getattr(content, "plain", str(content))


def counting_loader(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the calls of the client-file loader and the thread each ran on."""
    calls: list[str] = []
    real: Callable[..., Any] = clientfiles.load_client_material

    def load(*args: Any, **kwargs: Any) -> Any:
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(clientfiles, "load_client_material", load)
    return calls


async def fill(pilot: Any, form: FormScreen, **fields: str) -> None:
    for key, value in fields.items():
        form.query_one(f"#f-{key.replace('_', '-')}", Input).value = value
        await pilot.pause()


async def test_start_loads_the_client_files_once_in_a_worker_thread(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_loader(monkeypatch)
    cert, key = lab.client_files()
    port = lab.run("mtls-required").port
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, target=f"127.0.0.1:{port}", client_cert=str(cert), client_key=str(key))
        form.query_one("#f-target", Input).value = f"127.0.0.1:{port} "  # more keystrokes
        await pilot.pause()
        assert calls == [], "typing never reads the client files"
        assert not form.query_one("#start", Button).disabled
        await pilot.press("ctrl+s")
        for _ in range(100):
            if isinstance(app.screen, WalkScreen):
                break
            await pilot.pause(0.02)
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert len(calls) == 1 and calls[0] != threading.main_thread().name
        assert walk.options.client is not None and walk.options.client.cert_path == str(cert)
        assert walk.options.target.port == port
        walk.workers.cancel_group(walk, "walk")


async def test_a_client_file_that_does_not_load_is_reported_under_its_field(tmp_path: Path) -> None:
    bad = tmp_path / "client.pem"
    bad.write_text("not a certificate\n", encoding="utf-8")
    app = TlsDoctorApp(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, form, target="127.0.0.1:9", client_cert=str(bad))
        error = form.query_one("#err-client-cert", Label)
        assert plain(error) == "", "the file exists: nothing to say before Start"
        await pilot.press("ctrl+s")
        for _ in range(100):
            if plain(error):
                break
            await pilot.pause(0.02)
        assert app.screen is form
        assert "✗" in plain(error) and "client.pem" in plain(error)
        assert not form.query_one("#start", Button).disabled, "Start can be pressed again"
        await fill(pilot, form, client_cert="")
        assert plain(error) == "", "editing the field clears what the last Start said"


def handshake(address: str, der: bytes | None, mode: SniMode = SniMode.SNI) -> Handshake:
    return Handshake(address=address, port=443, sni_mode=mode, server_name="a.example.test", ok=der is not None,
                     presented_chain=(der,) if der is not None else (), protocol="TLSv1.3" if der else None)


def test_fetch_rows_are_computed_once_when_the_fetch_step_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    from tlsdoctor.analysis.fetch import analyse_fetch
    from tlsdoctor.walk import FetchStepData

    pki = make_pki()
    right_leaf = pki.leaf(dns=["a.example.test"], cn="a.example.test")
    wrong_leaf = pki.leaf(dns=["default.example.test"], cn="default.example.test")
    right, wrong = right_leaf.der, wrong_leaf.der
    handshakes = [
        handshake("192.0.2.1", right),
        handshake("192.0.2.1", wrong, SniMode.NO_SNI),
        handshake("192.0.2.2", right),
        handshake("192.0.2.3", None),
    ]
    view = analyse_fetch(handshakes, used_addresses=("192.0.2.1",))
    data = FetchStepData(view, ("192.0.2.1", "192.0.2.2", "192.0.2.3"), ("192.0.2.1",))
    parsed: list[bytes] = []
    real = app_state.leaf_subject

    def counting(der: bytes) -> str | None:
        parsed.append(der)
        return real(der)

    monkeypatch.setattr(app_state, "leaf_subject", counting)
    state = WalkState()
    state.record(StepResult(StepId.FETCH, StepStatus.WARN, data))
    rows = state.fetch_rows
    assert len(parsed) == 2, "each distinct leaf is parsed once"
    assert [r.address for r in rows] == [h.address for h in view.handshakes]
    by_mode = {(r.address, r.sni_mode): r for r in rows}
    first, default, second = by_mode[("192.0.2.1", "sni")], by_mode[("192.0.2.1", "no-sni")], by_mode[("192.0.2.2", "sni")]
    assert first.subject == right_leaf.cert.subject.rfc4514_string() and first.used and not first.divergent
    assert default.divergent and default.subject == wrong_leaf.cert.subject.rfc4514_string()
    assert second.fingerprint == first.fingerprint and not second.used
    missing = by_mode[("192.0.2.3", "sni")]
    assert missing.fingerprint is None and missing.subject is None and not missing.divergent
    state.reset()
    assert state.fetch_rows == () and state.results == {}
