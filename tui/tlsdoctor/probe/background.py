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


async def iterate_in_thread(
    make: Callable[[], Generator[_T, _S | None, None]],
    name: str = "tlsdoctor",
    *,
    asks: Callable[[_T], bool] | None = None,
) -> AsyncGenerator[_T, _S | None]:
    """A blocking generator's items for async code: it runs in its own thread, the event loop
    never blocks. After an item that `asks`, the generator waits (in its thread) for the value the
    consumer sends back with `asend`; after any other item it gets None. Closing this iterator
    stops the generator at its next item; its error raises here."""
    import asyncio  # lazy: only async callers pay for asyncio

    loop = asyncio.get_running_loop()
    handed: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
    replies: queue.SimpleQueue[_S | None] = queue.SimpleQueue()
    stop = threading.Event()
    waiting: list[tuple[str, object]] = []  # produced, not yet on the loop
    lock = threading.Lock()

    def flush() -> None:
        with lock:
            items = waiting[:]
            waiting.clear()
        for item in items:
            handed.put_nowait(item)

    def hand(kind: str, value: object) -> None:
        """Items produced together reach the loop together (one wake-up, one burst for the
        consumer to handle before it draws), as they did when the walk ran on the loop."""
        with lock:
            waiting.append((kind, value))
            first = len(waiting) == 1
        if first:
            try:
                loop.call_soon_threadsafe(flush)
            except RuntimeError:  # the loop closed: nobody is listening any more
                stop.set()

    def produce() -> None:
        stream = make()
        try:
            item = next(stream)
            while not stop.is_set():
                hand("item", item)
                reply = replies.get() if asks is not None and asks(item) else None
                if stop.is_set():
                    break
                item = stream.send(reply)
        except StopIteration:
            hand("end", None)
        except BaseException as exc:  # noqa: BLE001 - raised again in the consumer
            hand("error", exc)
        finally:
            stream.close()

    threading.Thread(target=produce, name=name, daemon=True).start()
    try:
        while True:
            kind, value = await handed.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            sent = yield value  # type: ignore[misc]  # an item of the generator, as handed above
            if asks is not None and asks(value):  # type: ignore[arg-type]
                replies.put(sent)
    finally:
        stop.set()
        replies.put(None)  # a generator waiting for a reply wakes, and stops
