"""Shared fixtures: one lab (PKI, DNS responder, hosts file, AIA server) per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.i18n import set_language

# Property tests: the same examples on every run by default, so a fresh CI machine sees what the
# last run saw (a counterexample found there would otherwise arrive at random). TLSDOCTOR_HYPOTHESIS=explore
# draws new examples on each run, to look for new counterexamples (fix each with an @example).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile("explore" if os.environ.get("TLSDOCTOR_HYPOTHESIS") == "explore" else "repeatable")


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Every test starts in English; tests that switch language cannot leak it."""
    set_language("en")
    yield
    set_language("en")


# --- no packet leaves the machine: every test talks to 127.0.0.0/8 (or ::1) only (issue 12 §9) ---------
#
# An audit hook sees every socket connect, sendto/sendmsg and name lookup of this process (asyncio's
# and dnspython's included). A destination outside loopback, or a lookup of a name that is not a
# loopback literal (that would ask the machine's own resolver), is refused before the packet is sent
# and fails the test that made it. Subprocesses are covered by running the suite in a network
# namespace with loopback only (see README: "Tests send nothing outside 127.0.0.0/8").

import ipaddress  # noqa: E402
import sys  # noqa: E402

_OUTSIDE: list[str] = []


def _loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    text = host.strip("[]").split("%", 1)[0]
    if text == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def _no_packet_outside_loopback(event: str, args: tuple[object, ...]) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if not isinstance(address, tuple) or not address:  # AF_UNIX paths and socketpairs stay local
            return
        host = address[0]
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        host = args[0] if args else None
        if host is None or host == "":
            return
    else:
        return
    if not _loopback(host):
        _OUTSIDE.append(f"{event} {host!r}")
        raise PermissionError(f"tests send nothing outside 127.0.0.0/8: {event} {host!r} refused")


sys.addaudithook(_no_packet_outside_loopback)


@pytest.fixture(autouse=True)
def _only_loopback() -> Iterator[None]:
    """Fail the test that tried to reach beyond loopback (or ask the system resolver)."""
    del _OUTSIDE[:]
    yield
    attempts, _OUTSIDE[:] = list(_OUTSIDE), []
    assert not attempts, f"this test tried to leave loopback: {sorted(set(attempts))}"
