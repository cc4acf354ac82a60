"""Many targets at once: a file of targets walked with bounded concurrency, each report delivered as it is ready.

`parse_targets` reads the list (one target per line; blank lines and `#`
comments ignored), `batch_requests` turns it into one `WalkOptions` per line
(the shared options, client files included, are read once), and `run_batch`
walks them at most `jobs` at a time. Every network wait inside a walk is
bounded by the request's timeout, so a dead target costs its own timeout while
the others go on: the run takes about as long as its slowest target (times
the number of waves when there are more targets than jobs). No rendering here.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tlsdoctor.diagnosis import Report
from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _
from tlsdoctor.probe.truststore import load_trust_anchors
from tlsdoctor.request import RequestError, WalkOptions, parse_starttls
from tlsdoctor.target import parse_target
from tlsdoctor.walk import run_walk

DEFAULT_JOBS = 8  # walks in flight; each walk has up to walk.MAX_PARALLEL handshakes of its own
MAX_JOBS = 64
MAX_TARGETS = 10_000


@dataclass(frozen=True)
class BatchItem:
    """One line of the targets file: where it was, what it said, and the request made of it."""

    line: int  # 1-based line number in the file
    text: str  # the target as written
    options: WalkOptions


def parse_targets(text: str, source: str) -> list[tuple[int, str]]:
    """(line number, target) for each line that is not blank or a `#` comment; BadInput when there are none."""
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if line:
            found.append((number, line))
    if not found:
        raise BadInput(_("{source} holds no target (one per line; blank lines and # comments are ignored)").format(source=source))
    if len(found) > MAX_TARGETS:
        raise BadInput(_("{source} holds {count} targets; at most {limit} per run").format(source=source, count=len(found), limit=MAX_TARGETS))
    return found


def batch_requests(lines: Sequence[tuple[int, str]], base: WalkOptions, *, port: int | None, starttls: str | None, source: str) -> list[BatchItem]:
    """One request per line: `base` (built once, files read once) with this line's target and protocol.

    A line that is not a target is BadInput naming the file and the line.
    """
    items = []
    for number, text in lines:
        try:
            target = parse_target(text, port)
            protocol = parse_starttls(starttls, target)
        except (RequestError, BadInput) as exc:
            raise BadInput(_("{source} line {line}: {error}").format(source=source, line=number, error=exc)) from None
        items.append(BatchItem(number, text, dataclasses.replace(base, target=target, protocol=protocol)))
    return items


Done = Callable[[BatchItem, Report], None]


async def run_batch(items: Sequence[BatchItem], *, jobs: int = DEFAULT_JOBS, done: Done | None = None) -> list[Report]:
    """Walk every item, at most `jobs` at once; `done(item, report)` hears of each as it finishes.

    Reports come back in the items' order. The trust stores are loaded once
    before the walks start (every walk would otherwise load them at the same moment).
    """
    if items:
        first = items[0].options
        await asyncio.to_thread(load_trust_anchors, first.ca_files, system=first.use_system_store, certifi=first.use_system_store)
    gate = asyncio.Semaphore(max(1, min(jobs, MAX_JOBS)))

    async def one(item: BatchItem) -> Report:
        async with gate:
            report = await run_walk(item.options)
        if done is not None:
            done(item, report)
        return report

    return list(await asyncio.gather(*(one(item) for item in items)))
