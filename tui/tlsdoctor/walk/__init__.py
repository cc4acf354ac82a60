"""The walk: the decision tree (`walk.tree`) as one stream of events that every face consumes.

`events` is the stream itself, a plain generator whose probes wait in threads:
`check` (`walk_report`) runs it without asyncio, whose import alone cost more
than the rest of its start-up (issue 13). The app consumes `walk`, the same
stream as an async generator (the tree runs in a thread beside the event loop);
where the tree asks a `Question`, the consumer's `asend(Answer)` answers it.
A consumer that sends nothing gets each question's preset answer
(`options.answers`) or its default, so automation never blocks. Nothing here
imports textual.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

from tlsdoctor.diagnosis import Report
from tlsdoctor.facts.questions import Answer, Question
from tlsdoctor.facts.steps import WalkFinished
from tlsdoctor.probe.background import ThreadedGenerator, iterate_in_thread
from tlsdoctor.probe.batches import Fetcher
from tlsdoctor.request import WalkOptions
from tlsdoctor.walk.tree import MAX_ADDRESSES, Event, Sent, walk_tree
from tlsdoctor.walk.views import FetchStepData, TargetView

Ask = Callable[[Question], Awaitable[Answer | None]]


def events(options: WalkOptions) -> Generator[Event, Sent, None]:
    """Run every step in order, yielding events as they happen (probes wait in threads)."""
    return walk_tree(options, Fetcher(options.target, options.timeout, options.protocol.starttls))


def _asks(event: Event) -> bool:
    return isinstance(event, Question)


def start(options: WalkOptions) -> ThreadedGenerator[Event, Answer]:
    """The walk begun now, ahead of its consumer: `.stream()` later gives what `walk` gives, from
    the first event. The app starts it before importing Textual (issue 13)."""
    return ThreadedGenerator(lambda: events(options), "tlsdoctor-walk", asks=_asks)


def walk(options: WalkOptions) -> AsyncGenerator[Event, Sent]:
    """`events` as an async generator for the app: the tree runs in its own thread and the event
    loop never blocks. After a `Question` the tree waits for `asend(Answer)` (None, or a plain
    `async for`: the default). Closing it stops the walk at its next event."""
    return iterate_in_thread(lambda: events(options), "tlsdoctor-walk", asks=_asks)


def walk_report(options: WalkOptions) -> Report:
    """Drive the walk to the end and return its report (for `check`: no asyncio, nothing asked;
    each question takes its preset answer or its default)."""
    for event in events(options):
        if isinstance(event, WalkFinished):
            return event.report
    raise AssertionError("the walk always ends with WalkFinished")


async def drive(
    stream: AsyncGenerator[Event, Sent], ask: Ask | None = None, seen: Callable[[Event], None] | None = None
) -> Report | None:
    """Consume a walk's stream to its end: `ask` answers each question (without it, the preset
    answer or the default), `seen` hears every event. The stream is closed however this ends
    (a cancelled consumer, an `ask` that raises), so the walk's thread stops too."""
    report = None
    sent: Sent = None
    try:
        while True:
            try:
                event = await stream.asend(sent)
            except StopAsyncIteration:
                break
            sent = await ask(event) if ask is not None and isinstance(event, Question) else None
            if seen is not None:
                seen(event)
            if isinstance(event, WalkFinished):
                report = event.report
    finally:
        await stream.aclose()
    return report


async def run_walk(options: WalkOptions, ask: Ask | None = None) -> Report:
    """Drive the walk to the end and return its report. Without `ask` nothing is asked: each
    question takes its preset answer (`options.answers`) or its default."""
    report = await drive(walk(options), ask)
    assert report is not None  # the walk always ends with WalkFinished
    return report


__all__ = [
    "MAX_ADDRESSES", "Ask", "Event", "FetchStepData", "Sent", "TargetView", "drive", "events", "run_walk", "start", "walk", "walk_report",
]  # fmt: skip
