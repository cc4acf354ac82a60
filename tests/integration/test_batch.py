"""`tlsdoctor check --targets FILE`: many names at once against loopback servers, one dead among them."""

from __future__ import annotations

import io
import json
import socket
import sys
import time
from pathlib import Path

import pytest
from sites import MakeSite, Site

from tlsdoctor.cli import main
from tlsdoctor.lab import certs
from tlsdoctor.lab.tcp import BlackHoleServer
from tlsdoctor.lab.tls_server import VHost

ZONE = "batch.example.test"
GOOD = "127.0.14.40"
DEAD = "127.0.14.41"


class TimedBlackHole(BlackHoleServer):
    """A black hole that notes when each connection arrived (time.monotonic)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.accepted: list[float] = []

    def handle(self, sock: socket.socket) -> None:
        self.accepted.append(time.monotonic())
        super().handle(sock)


@pytest.fixture
def site(make_site: MakeSite) -> Site:
    pki = certs.make_pki("batch")
    names = [f"h{i}.{ZONE}" for i in range(60)] + [f"wrong.{ZONE}", f"dead.{ZONE}"]
    zone = {name: {"A": [DEAD if name.startswith("dead.") else GOOD]} for name in names}
    vhost = VHost.of(pki.leaf(dns=[f"*.{ZONE}"], cn=f"*.{ZONE}"))
    wrong = VHost.of(pki.leaf(dns=[f"other.{ZONE}"]))
    from tlsdoctor.lab.tls_server import TlsServer

    return make_site(zone=zone, servers={GOOD: TlsServer(wrong, {f"h{i}.{ZONE}": vhost for i in range(60)})}, trust=[pki.root.cert])


def run(site: Site, targets: str | Path, *extra: str, stdin: str | None = None, timeout: float = 2.0) -> tuple[int, str, str]:
    argv = ["check", "--targets", str(targets), "--port", str(site.port), "--nameserver", f"{site.dns.address}:{site.dns.port}",
            "--hosts-file", str(site.hosts_file), "--ca", str(site.ca_file), "--timeout", str(timeout), "--offline", *extra]  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        code = main(argv)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return code, out.getvalue(), err.getvalue()


HOLD = 4.0  # seconds the dead target is waited for (its --timeout)


def test_sixty_targets_with_one_dead_run_side_by_side(site: Site, tmp_path: Path) -> None:
    """The dead target comes first: serial checking would reach the others only after its timeout."""
    path = tmp_path / "targets.txt"
    lines = ["# sixty names, the dead one first", f"dead.{ZONE}", "", *[f"h{i}.{ZONE}" for i in range(59)]]
    path.write_text("\n".join(lines) + "\n")
    hole = TimedBlackHole(address=DEAD, port=site.port)
    with hole:
        code, out, _err = run(site, path, "--format", "jsonl", "--jobs", "8", timeout=HOLD)
    reports = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert len(reports) == 60
    assert [r["input"]["line"] for r in reports] == [2, *range(4, 63)]  # file order, comments and blanks skipped
    assert reports[0]["target"]["host"] == f"dead.{ZONE}" and reports[0]["verdict"] == "problem"
    assert "connect-timeout" in {f["code"] for f in reports[0]["findings"]}
    assert all(r["verdict"] == "ok" for r in reports[1:]), [r["findings"] for r in reports[1:] if r["verdict"] != "ok"]
    # every healthy name was reached while the dead one was still being waited for
    [held_from] = hole.accepted
    server = site.servers[GOOD]
    during = [r for r in server.records if held_from <= r.at <= held_from + HOLD]
    # run one after another, none would arrive while the dead one is held; side by side, most do
    # (not all need to: a loaded 2-core machine may still be working through them when it is let go)
    assert len(during) >= len(server.records) * 0.5, (len(during), len(server.records))


def test_the_table_names_the_problem_and_its_fix(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text(f"h1.{ZONE}\nwrong.{ZONE}  # the one with the other certificate\n")
    code, out, err = run(site, path)
    assert code == 1
    rows = out.splitlines()
    assert rows[0].split() == ["TARGET", "VERDICT", "TOP", "FINDING", "TOP", "FIX"]
    good = next(r for r in rows if r.startswith(f"h1.{ZONE}"))
    bad = next(r for r in rows if r.startswith(f"wrong.{ZONE}"))
    assert " ok " in good and "hostname-mismatch" not in good
    assert " problem " in bad and "hostname-mismatch" in bad and "certbot" in bad
    assert "2 targets: 1 with a problem, 1 ok" in out
    assert err == ""  # no progress line when standard error is not a terminal


def test_all_healthy_is_exit_zero_from_standard_input(site: Site) -> None:
    code, out, _err = run(site, "-", "--format", "jsonl", stdin=f"h1.{ZONE}\n\n# c\nh2.{ZONE}:{site.port}\n")
    assert code == 0
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["ok", "ok"]


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "holds no target"), ("# only a comment\n", "holds no target"), (f"h1.{ZONE}\nexample.com:99999\n", "line 2")],
)
def test_a_bad_file_is_exit_two_with_one_line(site: Site, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "targets.txt"
    path.write_text(content)
    code, out, err = run(site, path)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_a_missing_file_and_a_target_beside_targets_are_exit_two(site: Site, tmp_path: Path) -> None:
    code, _out, err = run(site, tmp_path / "nope.txt")
    assert code == 2 and "nope.txt" in err
    assert main(["check", "a.example", "--targets", str(tmp_path / "x")]) == 2
