"""`tlsdoctor check --targets FILE`: the command-line face of a batch run (read, walk, print).

Reads the targets file (or standard input for `-`), builds one request per line
(the shared options once, through the CLI's own request builder), walks them
with `tlsdoctor.batch` and prints JSON Lines as each target finishes (in file
order), or a table at the end; progress goes to standard error when it is a
terminal. Exit 1 when any target has a problem, 2 on a bad file or option.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable

from tlsdoctor.batch import BatchItem, batch_requests, parse_targets, run_batch
from tlsdoctor.diagnosis import Report
from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.i18n import _
from tlsdoctor.render.batch import jsonl_line, render_table, render_table_md
from tlsdoctor.request import WalkOptions, read_input_file

BuildOptions = Callable[[argparse.Namespace, str], WalkOptions]


def _read_targets(path: str) -> tuple[str, str]:
    """(text, how to name it in messages)."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise BadInput(_("the targets on standard input are larger than 1 MB"))
        return data.decode("utf-8", errors="replace"), _("standard input")
    return read_input_file(path, "--targets file").decode("utf-8", errors="replace"), path


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


class _Ordered:
    """Prints each target's JSON line as soon as it and every target before it are done."""

    def __init__(self, items: list[BatchItem]) -> None:
        self.index = {id(item): i for i, item in enumerate(items)}
        self.items = items
        self.ready: dict[int, Report] = {}
        self.next = 0

    def __call__(self, item: BatchItem, report: Report) -> None:
        self.ready[self.index[id(item)]] = report
        while self.next in self.ready:
            _write(jsonl_line(self.items[self.next], self.ready.pop(self.next)))
            self.next += 1


class _Progress:
    """`[done/total] target` on one terminal line of standard error."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def __call__(self, item: BatchItem, report: Report) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {item.text[:60]}"
        sys.stderr.write("\r\x1b[2K" + "".join(ch for ch in line if ch.isprintable()))
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def run_targets(args: argparse.Namespace, lang: str, build: BuildOptions) -> int:
    """The whole `--targets` run; returns the exit code."""
    if args.redact:
        raise BadInput(_("--redact works with one TARGET, not with --targets"))
    if not 1 <= args.jobs <= 64:
        raise BadInput(_("--jobs must be between 1 and 64"))
    text, source = _read_targets(args.targets)
    lines = parse_targets(text, source)
    # the shared options (client files, --ca, pins) are checked and read once, with the first target
    base = build(argparse.Namespace(**{**vars(args), "target": lines[0][1]}), lang)
    items = batch_requests(lines, base, port=args.port, starttls=args.starttls, source=source)
    progress = _Progress(len(items)) if sys.stderr.isatty() and args.format != "jsonl" else None
    ordered = _Ordered(items) if args.format == "jsonl" else None

    def done(item: BatchItem, report: Report) -> None:
        if ordered is not None:
            ordered(item, report)
        if progress is not None:
            progress(item, report)

    reports = asyncio.run(run_batch(items, jobs=args.jobs, done=done))
    if progress is not None:
        progress.clear()
    pairs = list(zip(items, reports, strict=True))
    if args.format == "text":
        _write(render_table(pairs))
    elif args.format == "md":
        _write(render_table_md(pairs))
    elif args.format == "json":
        _write(json.dumps([json.loads(jsonl_line(i, r)) for i, r in pairs], ensure_ascii=False, indent=2))
    return 1 if any(r.verdict == "problem" for r in reports) else 0
