"""The walk's handshakes in batches: the pinned or hosts-file addresses at once, the rest once DNS
has answered, their progress on one queue as events of the fetch step.

`probe.tls.fetch_all` does the handshakes; this only schedules them, so the
walk can ask a question or wait for DNS while they run. I/O only: no judging.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import Any, TypeVar

from tlsdoctor.facts.steps import StepProgress
from tlsdoctor.facts.tls import Handshake, SniMode
from tlsdoctor.findings import StepId
from tlsdoctor.probe.tls import ALL_MODES, fetch_all
from tlsdoctor.target import Target

T = TypeVar("T")
MAX_PARALLEL = 16  # handshakes in flight at once


class Fetcher:
    """`probe.tls.fetch_all` in batches (the pinned addresses at once, the rest once DNS has
    answered), their progress on one queue as events of the fetch step.

    SNI first on each address, the other modes only when it answered (a dead
    address costs one attempt); at most MAX_PARALLEL handshakes in flight per batch.
    """

    def __init__(self, target: Target, timeout: float, preamble: str | None = None) -> None:
        self.target = target
        self.timeout = timeout
        self.preamble = preamble  # what is spoken before TLS (STARTTLS), or None
        self.queue: asyncio.Queue[StepProgress | None] = asyncio.Queue()
        self.tasks: list[asyncio.Task[tuple[Handshake, ...]]] = []
        self.counts: list[tuple[int, int]] = []
        self.started: tuple[str, ...] = ()
        self.side: list[asyncio.Future[Any]] = []  # other work begun early (the DNS lookup), cancelled with it

    def start(self, addresses: Sequence[str]) -> None:
        target = self.target
        modes = (SniMode.SNI,) if target.is_ip else ALL_MODES
        index = len(self.tasks)
        self.counts.append((0, len(addresses) * len(modes)))
        self.started = (*self.started, *addresses)

        def progress(done: int, planned: int, handshake: Handshake) -> None:
            self.counts[index] = (done, planned)
            done_all, planned_all = sum(d for d, _ in self.counts), sum(p for _, p in self.counts)
            detail = f"{handshake.address} {handshake.sni_mode.value}"
            self.queue.put_nowait(StepProgress(StepId.FETCH, done_all, planned_all, detail))

        task = asyncio.ensure_future(
            fetch_all(
                tuple(addresses), target.port, target.sni, self.timeout,
                modes=modes, max_parallel=MAX_PARALLEL, skip_dead=True, progress=progress,
                preamble=self.preamble,
            )
        )  # fmt: skip
        task.add_done_callback(lambda _task: self.queue.put_nowait(None))
        self.tasks.append(task)

    async def progress(self) -> AsyncIterator[StepProgress]:
        """Every progress event, until each batch has finished (one None per batch)."""
        pending = len(self.tasks)
        while pending:
            event = await self.queue.get()
            if event is None:
                pending -= 1
            else:
                yield event

    async def handshakes(self) -> tuple[Handshake, ...]:
        batches = [await task for task in self.tasks]
        return tuple(h for batch in batches for h in batch)

    def beside(self, work: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
        """Other work begun early (the DNS lookup), cancelled with the handshakes."""
        task = asyncio.ensure_future(work)
        self.side.append(task)
        return task

    def cancel(self) -> None:
        for task in (*self.tasks, *self.side):
            task.cancel()
