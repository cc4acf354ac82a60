"""The walk: run the decision tree as one stream of events that every face consumes.

target → dns → hosts → fetch → names → chain → client → diagnosis. Each step
starts, may report progress, and finishes with a `StepResult` (status, data,
findings). A step never raises on a network fault: the fault is a finding.
Probes do the I/O, analysis judges; this module only sequences them. `events`
is the stream itself, a plain generator whose probes wait in threads: `check`
(`walk_report`) runs it without asyncio, whose import alone cost more than the
rest of its start-up (issue 13). The app consumes `walk`, the same stream as an
async iterator (the generator runs in a thread beside the event loop). Nothing
here imports textual.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from tlsdoctor.analysis.addresses import judge_addresses, other_findings, with_addresses
from tlsdoctor.analysis.certinfo import load_der
from tlsdoctor.analysis.chain import analyse_chain
from tlsdoctor.analysis.clientset import weigh_for_clients
from tlsdoctor.analysis.dns import dns_findings, dns_view
from tlsdoctor.analysis.fetch import FetchView, analyse_fetch
from tlsdoctor.analysis.hosts import HostsTable, hosts_view, parse_hosts_table
from tlsdoctor.analysis.names import check_names
from tlsdoctor.analysis.path import road_for, weigh_divergent, weigh_dns, weigh_faults
from tlsdoctor.diagnosis import Report, build_report
from tlsdoctor.facts.aia import AiaFetch
from tlsdoctor.facts.steps import (
    StepFinished,
    StepProgress,
    StepResult,
    StepStarted,
    WalkFinished,
)
from tlsdoctor.facts.tls import Handshake, SniMode
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Code, Finding, Severity, StepId, StepStatus, worst_status
from tlsdoctor.i18n import N_
from tlsdoctor.probe.aia import fetch_ca_issuers_sync
from tlsdoctor.probe.background import Background, in_parallel, iterate_in_thread
from tlsdoctor.probe.dns import resolve_sync
from tlsdoctor.probe.hosts import read_hosts_file
from tlsdoctor.probe.tls import ALL_MODES, fetch_all_sync
from tlsdoctor.probe.truststore import load_trust_anchors
from tlsdoctor.request import ResolvePin, WalkOptions
from tlsdoctor.target import Target

Event = StepStarted | StepProgress | StepFinished | WalkFinished[Report]

MAX_ADDRESSES = 32  # addresses probed per walk (hardening: hostile DNS can return hundreds)
MAX_PARALLEL = 16  # handshakes in flight at once
MAX_AIA_URLS = 2


@dataclass(frozen=True)
class TargetView:
    target: Target
    sni: str | None
    resolves: tuple[ResolvePin, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = self.target.to_json()
        data["sni"] = self.sni
        data["resolve"] = [f"{p.host}:{p.port}:{p.address}" for p in self.resolves]
        return data


@dataclass(frozen=True)
class FetchStepData:
    """The fetch view plus where the addresses came from."""

    view: FetchView
    addresses: tuple[str, ...]
    used_addresses: tuple[str, ...]
    truncated_from: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.view.to_json()
        data["addresses"] = list(self.addresses)
        data["used_addresses"] = list(self.used_addresses)
        data["truncated_from"] = self.truncated_from
        return data


class _Timer:
    """A step's stopwatch (a plain class: a dataclass costs ~0.7 ms to define, issue 13)."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def ms(self) -> float:
        return (time.monotonic() - self.start) * 1000


def _result(step: StepId, data: Any, findings: Sequence[Finding], timer: _Timer) -> StepResult:
    found = tuple(findings)
    return StepResult(step=step, status=worst_status(found), data=data, findings=found, elapsed_ms=timer.ms())


def _skipped(step: StepId, reason: str) -> StepResult:
    return StepResult(step=step, status=StepStatus.SKIPPED, skipped_reason=reason)


def _with_dropped(findings: Sequence[Finding], truncated_from: int | None) -> tuple[Finding, ...]:
    """When DNS gave more than MAX_ADDRESSES addresses, every fetch finding says how many were not probed."""
    if truncated_from is None:
        return tuple(findings)
    extra = {"addresses_total": truncated_from, "addresses_probed": MAX_ADDRESSES, "addresses_dropped": truncated_from - MAX_ADDRESSES}
    return tuple(dataclasses.replace(f, evidence={**f.evidence, **extra}) for f in findings)


def _aia_fetch(url: str, timeout: float) -> Callable[[], AiaFetch]:
    return lambda: fetch_ca_issuers_sync(url, timeout)


def _pins_for(options: WalkOptions) -> tuple[str, ...]:
    t = options.target
    return tuple(p.address for p in options.resolves if p.host.lower() in (t.ascii_host, t.display_host) and p.port == t.port)


class _Fetcher:
    """`probe.tls.fetch_all_sync` in batches (the pinned addresses at once, the rest once DNS has
    answered), each in its own thread, their progress on one queue as events of the fetch step.

    SNI first on each address, the other modes only when it answered (a dead
    address costs one attempt); at most MAX_PARALLEL handshakes in flight per batch.
    """

    def __init__(self, options: WalkOptions) -> None:
        self.options = options
        self.queue: queue.SimpleQueue[StepProgress | None] = queue.SimpleQueue()
        self.tasks: list[Background[tuple[Handshake, ...]]] = []
        self.counts: list[tuple[int, int]] = []
        self.started: tuple[str, ...] = ()
        self.lock = threading.Lock()  # batches report progress from their own threads

    def start(self, addresses: Sequence[str]) -> None:
        target = self.options.target
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
                    tuple(addresses), target.port, target.sni, self.options.timeout,
                    modes=modes, max_parallel=MAX_PARALLEL, skip_dead=True, progress=progress,
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


def _hosts_for(options: WalkOptions) -> HostsTable | None:
    """The hosts file read ahead of DNS (its lines decide the client's road); None when unreadable."""
    hosts_file = read_hosts_file(options.hosts_file)
    return parse_hosts_table(hosts_file.text) if hosts_file.text is not None else None


def _load_anchors(options: WalkOptions) -> Background[TrustAnchors]:
    """The trust stores, loaded in a thread from the start: they are ready when the first chain arrives."""
    return Background(
        lambda: load_trust_anchors(options.ca_files, system=options.use_system_store, certifi=options.use_system_store),
        "tlsdoctor-anchors",
    )


def events(options: WalkOptions) -> Generator[Event, None, None]:
    """Run every step in order, yielding events as they happen (probes wait in threads)."""
    return _walk(options, _Fetcher(options))


async def walk(options: WalkOptions) -> AsyncIterator[Event]:
    """`events` as an async iterator for the app: the generator runs in its own thread and
    the event loop never blocks. Closing it stops the walk at its next event."""
    async for event in iterate_in_thread(lambda: events(options), "tlsdoctor-walk"):
        yield event


def _walk(options: WalkOptions, fetcher: _Fetcher) -> Generator[Event, None, None]:
    target = options.target
    at = options.at or dt.datetime.now(dt.UTC)
    asked = options.clients
    results: dict[StepId, StepResult] = {}

    def finish(result: StepResult) -> StepFinished:
        results[result.step] = result
        return StepFinished(result)

    # 1 target
    yield StepStarted(StepId.TARGET)
    timer = _Timer()
    yield finish(_result(StepId.TARGET, TargetView(target, target.sni, options.resolves), (), timer))

    # The client's road is known before DNS: a --resolve pin, or a hosts line for the name.
    # A pinned address does not wait for DNS: its handshakes start now, beside the lookup.
    # The trust stores load meanwhile, in their own thread.
    anchors_task = _load_anchors(options)
    pins = _pins_for(options)
    table = None if target.is_ip else _hosts_for(options)
    entries = table.entries if table is not None else ()
    ahead = hosts_view(entries, target.ascii_host, (), options.hosts_file, resolves=pins)
    road = road_for(pins, ahead.hosts_addresses)
    early = (pins or (target.ascii_host,)) if target.is_ip else ahead.used_addresses
    if early:
        fetcher.start(early[:MAX_ADDRESSES])

    # 2 dns
    yield StepStarted(StepId.DNS)
    dns_addresses: tuple[str, ...] = ()
    if target.is_ip:
        yield finish(_skipped(StepId.DNS, N_("The target is an IP address: nothing to resolve.")))
    else:
        timer = _Timer()
        dns_result = resolve_sync(target.ascii_host, list(options.nameservers) or None, options.timeout)
        dns_addresses = dns_result.addresses
        yield finish(_result(StepId.DNS, dns_view(dns_result), weigh_dns(dns_findings(dns_result), road), timer))

    # 3 hosts
    yield StepStarted(StepId.HOSTS)
    used: tuple[str, ...]
    hosts_addresses: tuple[str, ...] = ()
    if target.is_ip:
        used = pins or (target.ascii_host,)
        yield finish(_skipped(StepId.HOSTS, N_("The target is an IP address: the hosts file does not apply.")))
    else:
        timer = _Timer()
        invalid = len(table.invalid_lines) if table is not None else 0
        view = hosts_view(entries, target.ascii_host, dns_addresses, options.hosts_file, resolves=pins, invalid_lines=invalid)
        used = view.used_addresses
        hosts_addresses = view.hosts_addresses
        yield finish(_result(StepId.HOSTS, view, view.findings, timer))

    # 4 fetch: every address any client could use, de-duplicated, in parallel
    yield StepStarted(StepId.FETCH)
    all_addresses = tuple(dict.fromkeys((*used, *hosts_addresses, *dns_addresses)))
    truncated_from = len(all_addresses) if len(all_addresses) > MAX_ADDRESSES else None
    addresses = all_addresses[:MAX_ADDRESSES]
    primary = None
    judgement = None
    if not addresses:
        yield finish(_skipped(StepId.FETCH, N_("No address to connect to: DNS and the hosts file gave none.")))
    else:
        timer = _Timer()
        rest = [a for a in addresses if a not in fetcher.started]
        if rest:
            fetcher.start(rest)
        yield from fetcher.progress()
        handshakes = fetcher.handshakes()
        fetch_view = analyse_fetch(handshakes, used_addresses=used)
        primary = fetch_view.primary
        findings = weigh_faults(_with_dropped(fetch_view.findings, truncated_from), used, road)
        if primary is not None:
            anchors = anchors_task.result()
            judgement = judge_addresses(handshakes, target, used, anchors=anchors, at=at, asked=asked)
            findings = weigh_divergent(findings, judgement.every_address_fine, path_fine=judgement.path_fine, road=road)
        data = FetchStepData(fetch_view, addresses, used, truncated_from)
        yield finish(_result(StepId.FETCH, data, findings, timer))

    presented = tuple(primary.presented_chain) if primary is not None else ()

    # 5 names: the first address's certificate in full, a verdict for every address
    yield StepStarted(StepId.NAMES)
    leaf: x509.Certificate | None = None
    if presented:
        try:
            leaf = load_der(presented[0])
        except ValueError:
            leaf = None
    if leaf is None or primary is None or judgement is None:
        reason = (
            N_("No certificate was received, so there are no names to check.")
            if not presented
            else N_("The server's certificate could not be parsed.")
        )
        yield finish(_skipped(StepId.NAMES, reason))
    else:
        timer = _Timer()
        judged = judgement.names.get(primary.leaf_sha256 or "")
        names = judged.names if judged is not None and judged.names is not None else check_names(leaf, target)
        own = judged.findings if judged is not None else names.findings
        found = (*with_addresses(own, judgement.addresses_of(primary)), *other_findings(judgement, primary, used, road, chain=False))
        names = dataclasses.replace(names, findings=found, addresses=judgement.rows)
        yield finish(_result(StepId.NAMES, names, found, timer))

    # 6 chain
    yield StepStarted(StepId.CHAIN)
    if not presented or primary is None or judgement is None:
        yield finish(_skipped(StepId.CHAIN, N_("No certificate was received, so there is no chain to check.")))
    else:
        timer = _Timer()
        anchors = anchors_task.result()
        judged = judgement.chains.get(primary.chain_sha256)
        chain = judged.chain if judged is not None and judged.chain is not None else analyse_chain(presented, target=target, at=at, anchors=anchors)
        needs_aia = any(f.code in (Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED) and f.severity is Severity.ERROR for f in chain.findings)
        if needs_aia and not options.offline and chain.presented:
            urls = tuple(dict.fromkeys(chain.presented[-1].ca_issuers))[:MAX_AIA_URLS]
            if urls:
                yield StepProgress(StepId.CHAIN, 0, len(urls), urls[0])
                attempts = in_parallel([_aia_fetch(u, options.timeout) for u in urls], "tlsdoctor-aia")
                fetched = tuple(der for a in attempts for der in a.certs_der)
                chain = analyse_chain(presented, target=target, at=at, anchors=anchors, fetched=fetched, aia_attempts=attempts)
        own = with_addresses(weigh_for_clients(chain.findings, asked), judgement.addresses_of(primary, whole_chain=True))
        found = (*own, *other_findings(judgement, primary, used, road, chain=True))
        chain = dataclasses.replace(chain, findings=found)
        yield finish(_result(StepId.CHAIN, chain, found, timer))

    # 7 client (mTLS)
    yield StepStarted(StepId.CLIENT)
    requested = primary is not None and primary.certificate_requested
    if options.client is None and not requested and options.token is None:
        yield finish(_skipped(StepId.CLIENT, N_("No client certificate was given and the server did not ask for one.")))
    else:
        # lazy: most walks have no client step, and these modules cost check ~12 ms to import
        from tlsdoctor.analysis.mtls import analyse_client  # noqa: PLC0415
        from tlsdoctor.probe.mtls import handshake_for_material_sync  # noqa: PLC0415

        timer = _Timer()
        handshake = None
        address = primary.address if primary is not None else (used[0] if used else None)
        if address is not None:
            handshake = handshake_for_material_sync(address, target.port, target.sni, options.timeout, options.client)
        client_view = options.client.view() if options.client is not None else None
        client = analyse_client(client_view, expected=options.expected_identity, token=options.token, at=at, handshake=handshake)
        yield finish(_result(StepId.CLIENT, client, client.findings, timer))

    # 8 diagnosis
    yield StepStarted(StepId.DIAGNOSIS)
    timer = _Timer()
    report = build_report(target, [results[s] for s in StepId if s in results], options, at, elapsed_ms=timer.ms())
    diagnosis_step = report.diagnosis_step
    assert diagnosis_step is not None  # build_report always adds it
    yield finish(diagnosis_step)
    yield WalkFinished(report)


def walk_report(options: WalkOptions) -> Report:
    """Drive the walk to the end and return its report (for `check`: no asyncio)."""
    report = None
    for event in events(options):
        if isinstance(event, WalkFinished):
            report = event.report
    assert report is not None  # the walk always ends with WalkFinished
    return report


async def run_walk(options: WalkOptions) -> Report:
    """`walk_report` for async callers (the walk runs in its own thread)."""
    report = None
    async for event in walk(options):
        if isinstance(event, WalkFinished):
            report = event.report
    assert report is not None  # the walk always ends with WalkFinished
    return report
