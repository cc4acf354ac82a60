"""The walk's threads without asyncio (issue 13): results in order, errors raised where they are
asked for, and a blocking generator consumed from async code that stops when the consumer leaves."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Generator

import pytest

from tlsdoctor.probe.background import Background, in_parallel, iterate_in_thread

HANG = 30.0  # generous: only catches a hang


def test_in_parallel_runs_at_once_and_keeps_the_order() -> None:
    barrier = threading.Barrier(3, timeout=HANG)  # passes only if all three run at the same time

    def job(n: int) -> int:
        barrier.wait()
        return n * n

    assert in_parallel([lambda: job(1), lambda: job(2), lambda: job(3)]) == [1, 4, 9]
    assert in_parallel([]) == []


def test_an_error_is_raised_where_the_result_is_asked_for() -> None:
    def boom() -> int:
        raise ValueError("bad input")

    task = Background(boom)
    assert task.wait(HANG) and task.done()
    with pytest.raises(ValueError, match="bad input"):
        task.result()
    with pytest.raises(ValueError, match="bad input"):
        in_parallel([lambda: 1, boom])


def test_wait_gives_up_without_ending_the_thread() -> None:
    release = threading.Event()
    task = Background(lambda: release.wait(HANG))
    assert not task.wait(0.01) and not task.done()
    release.set()
    assert task.result() is True


async def test_a_generator_in_a_thread_reaches_async_code_in_order() -> None:
    threads: set[str] = set()

    def numbers() -> Generator[int, None, None]:
        for n in range(5):
            threads.add(threading.current_thread().name)
            yield n

    got = [n async for n in iterate_in_thread(numbers, "numbers")]
    assert got == [0, 1, 2, 3, 4]
    assert threads == {"numbers"}  # it ran beside the event loop, not on it


async def test_the_generators_error_raises_in_the_consumer() -> None:
    def failing() -> Generator[int, None, None]:
        yield 1
        raise RuntimeError("probe broke")

    got = []
    with pytest.raises(RuntimeError, match="probe broke"):
        async for n in iterate_in_thread(failing):
            got.append(n)
    assert got == [1]


async def test_leaving_early_stops_the_generator_at_its_next_item() -> None:
    closed = threading.Event()
    produced: list[int] = []

    def endless() -> Generator[int, None, None]:
        try:
            n = 0
            while True:
                produced.append(n)
                yield n
                n += 1
                time.sleep(0.001)
        finally:
            closed.set()

    stream = iterate_in_thread(endless)
    async for n in stream:
        if n == 2:
            break
    await stream.aclose()
    assert await asyncio.to_thread(closed.wait, HANG), "the generator kept running after the consumer left"
    count = len(produced)
    await asyncio.sleep(0.05)
    assert len(produced) == count
