"""The walk's handshakes in batches: the pinned or hosts-file addresses at once, the rest once DNS
has answered, their progress on one queue as events of the fetch step.

`probe.tls.fetch_all_sync` does the handshakes, each batch in its own thread;
this only schedules them, so the walk can ask a question or wait for DNS while
they run. No asyncio (issue 13): `check` runs the walk in plain threads. I/O
only: no judging.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from tlsdoctor.facts.steps import StepProgress
from tlsdoctor.facts.tls import Handshake, SniMode
from tlsdoctor.findings import StepId
from tlsdoctor.probe.background import Background
from tlsdoctor.probe.tls import ALL_MODES, fetch_all_sync
from tlsdoctor.target import Target

T = TypeVar("T")
MAX_PARALLEL = 16  # handshakes in flight at once


class Fetcher:
    """`probe.tls.fetch_all_sync` in batches (the pinned addresses at once, the rest once DNS has
    answered), each in its own thread, their progress on one queue as events of the fetch step.

    SNI first on each address, the other modes only when it answered (a dead
    address costs one attempt); at most MAX_PARALLEL handshakes in flight per batch.
    Nothing is cancelled: every handshake ends by its own deadline.
    """

    def __init__(self, target: Target, timeout: float, preamble: str | None = None) -> None:
        self.target = target
        self.timeout = timeout
        self.preamble = preamble  # what is spoken before TLS (STARTTLS), or None
        self.queue: queue.SimpleQueue[StepProgress | None] = queue.SimpleQueue()
        self.tasks: list[Background[tuple[Handshake, ...]]] = []
        self.counts: list[tuple[int, int]] = []
        self.started: tuple[str, ...] = ()
        self.lock = threading.Lock()  # batches report progress from their own threads

    def start(self, addresses: Sequence[str]) -> None:
        target = self.target
        modes = (SniMode.SNI,) if target.is_ip else ALL_MODES
        index = len(self.tasks)
        self.counts.append((0, len(addresses) * len(modes)))
        self.started = (*self.started, *addresses)

        def progress(done: int, planned: int, handshake: Handshake) -> None:
            with self.lock:
                self.counts[index] = (done, planned)
                done_all, planned_all = sum(d for d, _ in self.counts), sum(p for _, p in self.counts)
                detail = f"{handshake.address} {handshake.sni_mode.value}"
                self.queue.put(StepProgress(StepId.FETCH, done_all, planned_all, detail))

        def batch() -> tuple[Handshake, ...]:
            try:
                return fetch_all_sync(
                    tuple(addresses), target.port, target.sni, self.timeout,
                    modes=modes, max_parallel=MAX_PARALLEL, skip_dead=True, progress=progress,
                    preamble=self.preamble,
                )  # fmt: skip
            finally:
                self.queue.put(None)

        self.tasks.append(Background(batch, "tlsdoctor-fetch"))

    def progress(self) -> Iterator[StepProgress]:
        """Every progress event, until each batch has finished (one None per batch)."""
        pending = len(self.tasks)
        while pending:
            event = self.queue.get()
            if event is None:
                pending -= 1
            else:
                yield event

    def handshakes(self) -> tuple[Handshake, ...]:
        batches = [task.result() for task in self.tasks]
        return tuple(h for batch in batches for h in batch)

    @staticmethod
    def beside(work: Callable[[], T]) -> Background[T]:
        """Other work begun early (the DNS lookup), in its own thread beside the handshakes."""
        return Background(work, "tlsdoctor-beside")
