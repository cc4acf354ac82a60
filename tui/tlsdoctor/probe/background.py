"""Blocking work in short-lived daemon threads: the walk's concurrency without asyncio.

`check` runs the walk synchronously (importing asyncio costs more than the
rest of its start-up, issue 13), so the probes wait in plain threads: one per
DNS question, per handshake, per trust-store load. Each is bounded by its own
deadline, so a thread nobody waits for any more ends by itself.
"""

from __future__ import annotations

import _thread
import queue
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import asyncio

_T = TypeVar("_T")
_S = TypeVar("_S")


class Background(Generic[_T]):
    """`function()` running in its own daemon thread; `result()` waits for it and returns or raises."""

    def __init__(self, function: Callable[[], _T], name: str = "tlsdoctor") -> None:
        self._done = threading.Event()
        self._value: _T | None = None
        self._error: BaseException | None = None
        # A bare thread: threading.Thread.start() waits until the new thread has run, a handover
        # of the GIL that costs up to a switch interval (5 ms) when another thread is busy, as the
        # app's UI is while a walk starts its DNS questions. `name` stays for debugging only.
        self.name = name
        _thread.start_new_thread(self._run, (function,))

    def _run(self, function: Callable[[], _T]) -> None:
        try:
            self._value = function()
        except BaseException as exc:  # noqa: BLE001 - delivered to whoever asks for the result
            self._error = exc
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds (None: as long as it takes); True when it has finished."""
        return self._done.wait(timeout)

    def result(self) -> _T:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when no error was raised


def in_parallel(functions: Sequence[Callable[[], _T]], name: str = "tlsdoctor") -> list[_T]:
    """Call every function at once (the first in this thread), results in order; the first error raises."""
    if not functions:
        return []
    others = [Background(f, name) for f in functions[1:]]
    first = functions[0]()
    return [first, *(task.result() for task in others)]


class ThreadedGenerator(Generic[_T, _S]):
    """A blocking generator running in its own thread from the moment this is made, its items
    kept until an async consumer takes them (`stream()`, once). The app begins its walk this way
    before Textual is even imported, so the network waits overlap the start-up (issue 13).

    After an item that `asks`, the generator waits (in its thread) for the value the consumer
    sends back with `asend`; after any other item it gets None. `close()` (or closing the
    stream) stops the generator at its next item; its error raises in the consumer."""

    def __init__(
        self,
        make: Callable[[], Generator[_T, _S | None, None]],
        name: str = "tlsdoctor",
        *,
        asks: Callable[[_T], bool] | None = None,
    ) -> None:
        self._asks = asks
        self._replies: queue.SimpleQueue[_S | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._waiting: list[tuple[str, object]] = []  # produced, not yet handed to the consumer
        self._deliver: Callable[[], None] | None = None  # wakes the consumer's loop, once one is attached
        threading.Thread(target=self._produce, args=(make,), name=name, daemon=True).start()

    def _hand(self, kind: str, value: object) -> None:
        """Items produced together reach the loop together (one wake-up, one burst for the
        consumer to handle before it draws)."""
        with self._lock:
            self._waiting.append((kind, value))
            deliver = self._deliver if len(self._waiting) == 1 else None
        if deliver is not None:
            deliver()

    def _produce(self, make: Callable[[], Generator[_T, _S | None, None]]) -> None:
        stream = make()
        try:
            item = next(stream)
            while not self._stop.is_set():
                self._hand("item", item)
                reply = self._replies.get() if self._asks is not None and self._asks(item) else None
                if self._stop.is_set():
                    break
                item = stream.send(reply)
        except StopIteration:
            self._hand("end", None)
        except BaseException as exc:  # noqa: BLE001 - raised again in the consumer
            self._hand("error", exc)
        finally:
            stream.close()

    def close(self) -> None:
        """Stop the generator at its next item (one waiting for a reply wakes, and stops)."""
        self._stop.set()
        self._replies.put(None)

    async def stream(self) -> AsyncGenerator[_T, _S | None]:
        """The items, from the first, for the running event loop; the loop never blocks."""
        import asyncio  # lazy: only async callers pay for asyncio

        loop = asyncio.get_running_loop()
        handed: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

        def flush() -> None:
            with self._lock:
                items = self._waiting[:]
                self._waiting.clear()
            for item in items:
                handed.put_nowait(item)

        def deliver() -> None:
            try:
                loop.call_soon_threadsafe(flush)
            except RuntimeError:  # the loop closed: nobody is listening any more
                self._stop.set()

        with self._lock:
            self._deliver = deliver
        flush()  # what was produced before the consumer came
        try:
            while True:
                kind, value = await handed.get()
                if kind == "end":
                    return
                if kind == "error":
                    assert isinstance(value, BaseException)
                    raise value
                sent = yield value  # type: ignore[misc]  # an item of the generator, as handed above
                if self._asks is not None and self._asks(value):  # type: ignore[arg-type]
                    self._replies.put(sent)
        finally:
            self.close()


async def iterate_in_thread(
    make: Callable[[], Generator[_T, _S | None, None]],
    name: str = "tlsdoctor",
    *,
    asks: Callable[[_T], bool] | None = None,
) -> AsyncGenerator[_T, _S | None]:
    """A blocking generator's items for async code (see ThreadedGenerator), its thread begun at
    the first item asked for. Closing this iterator stops the generator at its next item."""
    stream = ThreadedGenerator(make, name, asks=asks).stream()
    try:
        sent: _S | None = None
        while True:
            try:
                item = await stream.asend(sent)
            except StopAsyncIteration:
                return
            sent = yield item
    finally:
        await stream.aclose()
