"""Files are read only when they are regular files, and only so much (issue 12 §3, §4): a FIFO, a
directory, a device or an oversized file is one line of BadInput, never a hang or a silent ok."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tlsdoctor.errors import BadInput
from tlsdoctor.probe.files import read_user_file, write_private_file
from tlsdoctor.probe.hosts import MAX_HOSTS_BYTES, check_hosts_file, read_hosts_file

HANG = 30.0  # seconds: only catches a hang, never measures


def finishes(call: Callable[[], object]) -> object:
    """Run `call` in a thread; fail (instead of hanging the suite) if it blocks."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), "blocked: a special file was opened or read"
    return box[0]


@pytest.fixture
def odd(tmp_path: Path) -> dict[str, str]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.pem"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    return {"fifo": str(fifo), "directory": str(tmp_path), "/dev/zero": "/dev/zero", "big": str(big),
            "missing": str(tmp_path / "nope"), "nul": str(tmp_path / "a\x00b")}  # fmt: skip


@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/zero", "big", "missing", "nul"])
def test_only_regular_files_are_read(odd: dict[str, str], kind: str) -> None:
    result = finishes(lambda: read_user_file(odd[kind], "--cert file"))
    assert isinstance(result, BadInput), result
    message = str(result)
    assert "\n" not in message and "--cert file" in message
    expected = {"fifo": "named pipe (FIFO)", "directory": "directory", "/dev/zero": "character device",
                "big": "larger than 1 MB", "missing": "No such file", "nul": "cannot read"}[kind]  # fmt: skip
    assert expected in message


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "c.pem"
    path.write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    assert read_user_file(str(path), "--cert file") == b"-----BEGIN CERTIFICATE-----\n"
    link = tmp_path / "link.pem"
    link.symlink_to(path)  # a link to a regular file is that file
    assert read_user_file(str(link), "--cert file") == path.read_bytes()


def test_a_user_named_hosts_file_must_be_usable(odd: dict[str, str], tmp_path: Path) -> None:
    binary = tmp_path / "hosts.bin"
    binary.write_bytes(b"127.0.0.1 a.example\n\x00\x01\x02")
    huge = tmp_path / "hosts.huge"
    huge.write_bytes(b"127.0.0.1 a.example\n" * (MAX_HOSTS_BYTES // 20 + 1))
    for path in (odd["fifo"], odd["directory"], "/dev/zero", str(binary), str(huge)):
        result = finishes(lambda path=path: check_hosts_file(path))
        assert isinstance(result, BadInput) and "--hosts-file" in str(result), (path, result)


@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/zero", "binary", "huge", "missing"])
def test_the_default_hosts_file_says_what_could_not_be_read(odd: dict[str, str], tmp_path: Path, kind: str) -> None:
    paths = dict(odd)
    paths["binary"] = str(tmp_path / "hosts.bin")
    Path(paths["binary"]).write_bytes(b"127.0.0.1 a.example\n\x00")
    paths["huge"] = str(tmp_path / "hosts.huge")
    Path(paths["huge"]).write_bytes(b"127.0.0.1 a.example\n" * (MAX_HOSTS_BYTES // 20 + 1))
    hosts = finishes(lambda: read_hosts_file(paths[kind]))
    assert not isinstance(hosts, BaseException)
    assert hosts.error_detail and "\n" not in hosts.error_detail  # type: ignore[attr-defined]
    assert hosts.truncated is (kind == "huge") and hosts.missing is (kind == "missing")  # type: ignore[attr-defined]


def test_standard_input_only_where_it_is_meant(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert isinstance(finishes(lambda: read_user_file("-", "--cert file")), BadInput)  # `-` is a file name here
    source = tmp_path / "in"
    source.write_bytes(b"y" * 2048)
    with source.open("rb") as fh:
        monkeypatch.setattr("sys.stdin", type("In", (), {"buffer": fh})())
        with pytest.raises(BadInput, match="standard input holds more than 1024 bytes"):
            read_user_file("-", "--targets", limit=1024, stdin=True)


def test_the_legend_is_private_and_never_blocks(tmp_path: Path, odd: dict[str, str]) -> None:
    legend = tmp_path / "legend.txt"
    legend.write_text("old, readable by all")
    legend.chmod(0o644)
    write_private_file(str(legend), "h1.zone-1.test\twww.initech.example\n", "--redact-legend")
    assert legend.read_text() == "h1.zone-1.test\twww.initech.example\n"
    assert stat.S_IMODE(legend.stat().st_mode) == 0o600
    for path in (odd["fifo"], odd["directory"], "/dev/null"):
        result = finishes(lambda path=path: write_private_file(path, "x", "--redact-legend"))
        assert isinstance(result, BadInput), (path, result)
