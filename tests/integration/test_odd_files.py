"""Every file option takes regular files only (issue 12 §3, §4): a FIFO, a directory or /dev/zero is exit 2
with one line on stderr, never a hang; an unusable default hosts file is a warning that says what could
not be read, never `3. Hosts file [✓ ok]`. Run as a person would: `tlsdoctor …` in a real process."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tlsdoctor
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.findings import Code, Severity, StepId, StepStatus
from tlsdoctor.probe.hosts import MAX_HOSTS_BYTES
from tlsdoctor.render.text import render_text
from tlsdoctor.walk import run_walk

HANG = 60  # seconds: catches a hang only
PACKAGE_PARENT = str(Path(tlsdoctor.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    where = tmp_path_factory.mktemp("odd")
    os.mkfifo(where / "fifo")
    (where / "dir").mkdir()
    return {"fifo": str(where / "fifo"), "directory": str(where / "dir"), "/dev/zero": "/dev/zero"}


def tlsdoctor_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real program; a FIFO that blocked would time out here (no writer ever comes)."""
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", "tlsdoctor", *args], capture_output=True, text=True, env=env,
                          timeout=HANG, stdin=subprocess.DEVNULL)  # fmt: skip


def commands(lab: Lab, path: str) -> dict[str, list[str]]:
    cert, _key = lab.client_files()
    target = [*lab.command_line("wrong-host"), "--timeout", "2"]
    return {
        "inspect --cert": ["inspect", "--cert", path, "--host", "x.example"],
        "inspect --chain": ["inspect", "--cert", str(cert), "--chain", path, "--host", "x.example"],
        "inspect --ca": ["inspect", "--cert", str(cert), "--ca", path, "--host", "x.example"],
        "check --ca": ["check", *target, "--ca", path],
        "check --client-cert": ["check", *target, "--client-cert", path],
        "check --client-key": ["check", *target, "--client-cert", str(cert), "--client-key", path],
        "check --hosts-file": ["check", *target, "--hosts-file", path],
        "csr --key": ["csr", "--key", path, "--name", "a.example", "--out", str(Path(lab.hosts_file).parent / "x.csr")],
    }


@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/zero"])
def test_a_special_file_is_one_line_and_exit_2(lab: Lab, odd: dict[str, str], kind: str) -> None:
    for option, argv in commands(lab, odd[kind]).items():
        result = tlsdoctor_cli(*argv)
        assert result.returncode == 2, (option, result.stdout[-300:], result.stderr)
        assert result.stderr.startswith("tlsdoctor: ") and result.stderr.count("\n") == 1, (option, result.stderr)
        assert "Traceback" not in result.stderr and odd[kind] in result.stderr, option
        assert result.stdout == "", option


def test_an_unusable_named_hosts_file_is_bad_input(lab: Lab, tmp_path: Path) -> None:
    binary, huge = tmp_path / "binary", tmp_path / "huge"
    binary.write_bytes(b"127.0.0.1 wrong.example.test\n\x00\x7fELF\x02\x01")
    huge.write_bytes(b"127.0.0.1 a.example\n" * (MAX_HOSTS_BYTES // 20 + 1))
    for path, why in ((binary, "binary data"), (huge, "larger than 4 MB")):
        result = tlsdoctor_cli("check", *lab.command_line("wrong-host"), "--hosts-file", str(path))
        assert result.returncode == 2 and why in result.stderr and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/zero", "binary", "huge", "missing"])
def test_an_unusable_default_hosts_file_is_never_a_silent_ok(lab: Lab, odd: dict[str, str], tmp_path: Path, kind: str) -> None:
    paths = dict(odd)
    paths["binary"] = str(tmp_path / "hosts.bin")
    Path(paths["binary"]).write_bytes(b"127.0.0.1 a.example\n\x00\x01")
    paths["huge"] = str(tmp_path / "hosts.huge")
    Path(paths["huge"]).write_bytes(b"127.0.0.1 a.example\n" * (MAX_HOSTS_BYTES // 20 + 1))
    paths["missing"] = str(tmp_path / "no-hosts")
    # the walk as it runs with the default path (build_request checks only a file the user named)
    options = dataclasses.replace(lab.options_for("healthy", timeout=2.0), hosts_file=paths[kind])
    report = asyncio.run(asyncio.wait_for(run_walk(options), HANG))
    hosts = report.step(StepId.HOSTS)
    assert hosts is not None
    finding = next(f for f in hosts.findings if f.code is Code.HOSTS_UNREADABLE)
    assert finding.evidence["path"] == paths[kind] and finding.evidence["detail"]
    if kind == "missing":  # no file overrides nothing: said, as information
        assert finding.severity is Severity.INFO and hosts.status is StepStatus.OK
    else:
        assert finding.severity is Severity.WARNING and hosts.status is StepStatus.WARN
        heading = next(line for line in render_text(report).splitlines() if line.startswith("3. "))
        assert "[! warning]" in heading and finding.evidence["detail"] in heading, heading
    assert report.verdict == "ok"  # the healthy server is still healthy: a warning, not a failure
