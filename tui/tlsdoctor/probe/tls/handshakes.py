"""The API of the TLS probe: one handshake (`fetch`), or every address × SNI mode (`fetch_all`).

Each attempt runs in its own short-lived daemon thread, bounded by its own
deadline, so the event loop never blocks and parallel fetches are not
serialised by a small default executor. Faults come back as data.
`fetch_sync`/`fetch_all_sync` are the same without asyncio (the walk's; issue 13);
`fetch`/`fetch_all` serve async callers.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from tlsdoctor.facts.tls import ClientCredentials, FetchError, Handshake, SniMode
from tlsdoctor.probe.background import in_parallel
from tlsdoctor.probe.tls.attempt import Attempt

if TYPE_CHECKING:
    import asyncio

ALL_MODES = (SniMode.SNI, SniMode.NO_SNI, SniMode.BOGUS)
# A first attempt that ended like this means nobody answers TLS there: the other modes are skipped
# (a refused STARTTLS too: the preamble comes before any server name is sent).
DEAD = frozenset({FetchError.REFUSED, FetchError.UNREACHABLE, FetchError.TIMEOUT, FetchError.STARTTLS_REFUSED})

Progress = Callable[[int, int, Handshake], None]
"""Called after each finished handshake with (done, planned, handshake); `planned` may shrink."""

_T = TypeVar("_T")


async def in_thread(function: Callable[[], _T]) -> _T:
    """Run `function` in a fresh daemon thread (not the default executor, which
    has few workers on small machines and would serialise parallel fetches)."""
    import asyncio  # lazy: the walk and `check` fetch without asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def deliver(value: _T | None, error: BaseException | None) -> None:
        if future.cancelled():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]

    def target() -> None:
        value: _T | None = None
        error: BaseException | None = None
        try:
            value = function()
        except BaseException as exc:  # noqa: BLE001 - delivered to the awaiting task
            error = exc
        try:
            loop.call_soon_threadsafe(deliver, value, error)
        except RuntimeError:  # the loop closed meanwhile: nobody is waiting any more
            pass

    threading.Thread(target=target, name="tlsdoctor-fetch", daemon=True).start()
    return await future


def fetch_sync(
    address: str,
    port: int,
    server_name: str | None,
    sni_mode: SniMode,
    timeout: float,
    *,
    client: ClientCredentials | None = None,
    read_after_handshake: bool = False,
    http_host: str | None = None,
    read_window: float | None = None,
    preamble: str | None = None,
) -> Handshake:
    """One handshake in this thread; the whole call ends within `timeout` seconds.

    `read_window` (an addition to the contract): with `read_after_handshake`,
    stop reading this many seconds after the handshake even if the deadline
    is further away (a server that accepted the client sends nothing until
    asked; a TLS 1.3 rejection arrives within one round trip). `preamble`: a
    STARTTLS protocol (`probe.tls.preamble`) spoken first, within the same deadline.
    """
    attempt = Attempt(
        address, port, server_name, sni_mode, timeout, client, read_after_handshake, http_host, read_window, preamble
    )
    return attempt.run()


async def fetch(
    address: str,
    port: int,
    server_name: str | None,
    sni_mode: SniMode,
    timeout: float,
    *,
    client: ClientCredentials | None = None,
    read_after_handshake: bool = False,
    http_host: str | None = None,
    read_window: float | None = None,
    preamble: str | None = None,
) -> Handshake:
    """`fetch_sync` for async callers, in its own thread."""
    return await in_thread(
        functools.partial(
            fetch_sync, address, port, server_name, sni_mode, timeout, client=client,
            read_after_handshake=read_after_handshake, http_host=http_host, read_window=read_window, preamble=preamble,
        )
    )  # fmt: skip


def fetch_all_sync(
    addresses: Sequence[str],
    port: int,
    server_name: str | None,
    timeout: float,
    *,
    modes: Sequence[SniMode] = ALL_MODES,
    max_parallel: int = 16,
    skip_dead: bool = False,
    progress: Progress | None = None,
    preamble: str | None = None,
) -> tuple[Handshake, ...]:
    """Every address × mode, at most `max_parallel` in flight; results in address order, then mode order.

    With `skip_dead`, each address is tried with the first mode alone and the
    others follow only if it answered: a dead address (refused, unreachable,
    silent) costs one attempt, not one per mode, so hostile DNS full of black
    holes stays within ceil(dead / max_parallel) timeouts. `progress` hears
    of every finished handshake (from the thread that made it, one call at a time).
    """
    gate = threading.BoundedSemaphore(max(1, max_parallel))
    counting = threading.Lock()
    planned = len(addresses) * len(modes)
    done = 0

    def one(address: str, mode: SniMode) -> Handshake:
        nonlocal done, planned
        with gate:
            handshake = fetch_sync(address, port, server_name, mode, timeout, preamble=preamble)
        with counting:
            done += 1
            if skip_dead and mode == modes[0] and handshake.error in DEAD:
                planned -= len(modes) - 1  # the other modes of this address will not run
            if progress is not None:
                progress(done, planned, handshake)
        return handshake

    def per_address(address: str) -> list[Handshake]:
        if not skip_dead:
            return in_parallel([functools.partial(one, address, m) for m in modes], "tlsdoctor-fetch")
        first = one(address, modes[0])
        if first.error in DEAD:
            return [first]
        return [first, *in_parallel([functools.partial(one, address, m) for m in modes[1:]], "tlsdoctor-fetch")]

    per = in_parallel([functools.partial(per_address, a) for a in addresses], "tlsdoctor-fetch")
    return tuple(h for handshakes in per for h in handshakes)


async def fetch_all(
    addresses: Sequence[str],
    port: int,
    server_name: str | None,
    timeout: float,
    *,
    modes: Sequence[SniMode] = ALL_MODES,
    max_parallel: int = 16,
    skip_dead: bool = False,
    progress: Progress | None = None,
    preamble: str | None = None,
) -> tuple[Handshake, ...]:
    """`fetch_all_sync` for async callers; `progress` is called on the event loop."""
    import asyncio  # lazy: the walk and `check` fetch without asyncio

    loop = asyncio.get_running_loop()
    relay: Progress | None = None
    if progress is not None:
        report = progress

        def relay(done: int, planned: int, handshake: Handshake) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody is listening
                loop.call_soon_threadsafe(report, done, planned, handshake)

    run = functools.partial(
        fetch_all_sync, addresses, port, server_name, timeout,
        modes=modes, max_parallel=max_parallel, skip_dead=skip_dead, progress=relay, preamble=preamble,
    )  # fmt: skip
    return await in_thread(run)
