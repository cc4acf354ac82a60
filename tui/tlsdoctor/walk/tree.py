"""The decision tree an expert follows, as one plain generator of events (see `tlsdoctor.walk`).

target → dns → hosts → fetch → names → chain → client → diagnosis. Each step
starts, may report progress, and finishes with a `StepResult` (status, data,
findings). A step never raises on a network fault: the fault is a finding.
Where only a person can answer, the tree yields a `Question` and waits for the
answer `send` gives back. Probes do the I/O (in threads: no asyncio, issue 13),
analysis judges; this module only sequences them. Nothing here imports textual.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any

from cryptography import x509

from tlsdoctor.analysis.addresses import judge_addresses, other_findings, with_addresses
from tlsdoctor.analysis.certinfo import load_der
from tlsdoctor.analysis.chain import analyse_chain
from tlsdoctor.analysis.clientset import weigh_for_clients
from tlsdoctor.analysis.dns import dns_findings, dns_view
from tlsdoctor.analysis.fetch import analyse_fetch
from tlsdoctor.analysis.hosts import HostsTable, hosts_view, parse_hosts_table
from tlsdoctor.analysis.names import check_names
from tlsdoctor.analysis.path import Road, road_for, weigh_divergent, weigh_dns, weigh_faults
from tlsdoctor.diagnosis import Report, build_report
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.aia import AiaFetch
from tlsdoctor.facts.dns import DnsResult
from tlsdoctor.facts.hosts import HostsFile
from tlsdoctor.facts.questions import Answer, Answered, AnsweredBy, Question, QuestionId
from tlsdoctor.facts.steps import (
    StepFinished,
    StepProgress,
    StepResult,
    StepStarted,
    WalkFinished,
)
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Code, Finding, Severity, StepId, StepStatus, worst_status
from tlsdoctor.i18n import N_, _
from tlsdoctor.probe.aia import fetch_ca_issuers_sync
from tlsdoctor.probe.background import Background, in_parallel
from tlsdoctor.probe.batches import Fetcher
from tlsdoctor.probe.dns import resolve_sync
from tlsdoctor.probe.hosts import read_hosts_file
from tlsdoctor.probe.truststore import load_trust_anchors
from tlsdoctor.questions import (
    CLIENT_GROUPS,
    PathTaken,
    address_question,
    client_cert_question,
    client_question,
    hosts_question,
    recorded_clients,
    settle_divergent,
    settle_hosts,
    settled,
    start_record,
)
from tlsdoctor.request import WalkOptions
from tlsdoctor.walk.views import FetchStepData, TargetView

Event = StepStarted | StepProgress | StepFinished | Question | Answered | WalkFinished[Report]
Sent = Answer | None  # what a consumer sends back: an Answer after a Question, else nothing

MAX_ADDRESSES = 32  # addresses probed per walk (hardening: hostile DNS can return hundreds)
MAX_AIA_URLS = 2


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


def _pins_for(options: WalkOptions) -> tuple[str, ...]:
    t = options.target
    return tuple(p.address for p in options.resolves if p.host.lower() in (t.ascii_host, t.display_host) and p.port == t.port)


def _hosts_for(options: WalkOptions) -> tuple[HostsFile, HostsTable]:
    """The hosts file as read (an unreadable one says why) and its usable lines (none when unreadable)."""
    hosts_file = read_hosts_file(options.hosts_file)
    return hosts_file, parse_hosts_table(hosts_file.text or "")


def _lookup(options: WalkOptions) -> Callable[[], DnsResult]:
    return lambda: resolve_sync(options.target.ascii_host, list(options.nameservers) or None, options.timeout)


def _aia_fetch(url: str, timeout: float) -> Callable[[], AiaFetch]:
    return lambda: fetch_ca_issuers_sync(url, timeout)


def _load_anchors(options: WalkOptions) -> Background[TrustAnchors]:
    """The trust stores, loaded in a thread from the start: they are ready when the first chain arrives."""
    return Background(
        lambda: load_trust_anchors(options.ca_files, system=options.use_system_store, certifi=options.use_system_store),
        "tlsdoctor-anchors",
    )


def walk_tree(options: WalkOptions, fetcher: Fetcher) -> Generator[Event, Sent, None]:
    """The decision tree, step by step; after a `Question` it waits for the answer `send` gives
    (None: the preset answer or the default). Probes wait in threads, never on an event loop."""
    target = options.target
    at = options.at or dt.datetime.now(dt.UTC)
    results: dict[StepId, StepResult] = {}
    path = PathTaken(options.answers)
    if (start := start_record(options.answers)) is not None:
        yield path.keep(start)

    def finish(result: StepResult) -> StepFinished:
        results[result.step] = result
        return StepFinished(result)

    # 1 target (and which client fails: asked while the first handshakes and DNS run)
    yield StepStarted(StepId.TARGET)
    timer = _Timer()
    # The client's road is known before DNS: a --resolve pin, or a hosts line for the name.
    # A pinned address does not wait for DNS: its handshakes start now, beside the lookup.
    pins = _pins_for(options)
    hosts_read, table = (None, None) if target.is_ip else _hosts_for(options)
    entries = table.entries if table is not None else ()
    ahead = hosts_view(entries, target.ascii_host, (), options.hosts_file, resolves=pins)
    road = road_for(pins, ahead.hosts_addresses)
    early = (pins or (target.ascii_host,)) if target.is_ip else ahead.used_addresses
    anchors_task = _load_anchors(options)  # the trust stores load meanwhile, in their own thread
    if early:
        fetcher.start(early[:MAX_ADDRESSES])
    dns_timer = _Timer()
    dns_task = None if target.is_ip else fetcher.beside(_lookup(options))
    record = recorded_clients(options.clients) if options.clients else None
    if record is None and (QuestionId.START in options.answers or QuestionId.CLIENT in options.answers):
        question = client_question(options.answers)  # the guided intake asks; `tlsdoctor HOST` does not
        sent = (yield question) if path.to_ask(question) else None
        answer, record = path.settle(question, sent, keep=False)
        options = dataclasses.replace(options, clients=CLIENT_GROUPS[answer.value])
    if record is not None:
        yield path.keep(record)
    asked = options.clients
    yield finish(_result(StepId.TARGET, TargetView(target, target.sni, options.resolves, options.protocol), (), timer))

    # 2 dns
    yield StepStarted(StepId.DNS)
    dns_addresses: tuple[str, ...] = ()
    if dns_task is None:
        yield finish(_skipped(StepId.DNS, N_("The target is an IP address: nothing to resolve.")))
    else:
        dns_result = dns_task.result()
        dns_addresses = dns_result.addresses
        yield finish(_result(StepId.DNS, dns_view(dns_result), weigh_dns(dns_findings(dns_result), road), dns_timer))

    # 3 hosts
    yield StepStarted(StepId.HOSTS)
    used: tuple[str, ...]
    road_answer: str | None = None  # the answer that said which addresses the client reaches
    hosts_addresses: tuple[str, ...] = ()
    if target.is_ip:
        used = pins or (target.ascii_host,)
        yield finish(_skipped(StepId.HOSTS, N_("The target is an IP address: the hosts file does not apply.")))
    else:
        timer = _Timer()
        invalid = len(table.invalid_lines) if table is not None else 0
        view = hosts_view(
            entries, target.ascii_host, dns_addresses, options.hosts_file, resolves=pins, invalid_lines=invalid, read=hosts_read
        )
        hosts_q = hosts_question(view)
        if hosts_q is not None:
            sent = (yield hosts_q) if path.to_ask(hosts_q) else None
            answer, record = path.settle(hosts_q, sent)
            yield record
            view = settle_hosts(view, answer.value)
            road = Road.ANSWER if answer.value == "dns" else road
            road_answer = answer.value if answer.value in ("intended", "dns") else None
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
            address_q = address_question(judgement, used)
            if address_q is not None:
                sent = (yield address_q) if path.to_ask(address_q) else None
                answer, record = path.settle(address_q, sent)
                yield record
                road_answer = answer.value if answer.value != "unknown" else road_answer
                if answer.value in used:  # the client reaches this address: the others are context
                    used, road = (answer.value,), Road.ANSWER
                    fetch_view = analyse_fetch(handshakes, used_addresses=used)
                    primary = fetch_view.primary or primary
                    findings = weigh_faults(_with_dropped(fetch_view.findings, truncated_from), used, road)
                    judgement = judge_addresses(handshakes, target, used, anchors=anchors, at=at, asked=asked)
            findings = weigh_divergent(findings, judgement.every_address_fine, path_fine=judgement.path_fine, road=road)
            findings = settle_divergent(findings, judgement, used, road_answer)
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
    error = None
    for _attempt in range(3):  # a file that does not load is asked for again, with the reason
        if not requested or primary is None or options.client is not None:
            break
        question = client_cert_question(primary, error)
        sent = (yield question) if path.to_ask(question) else None
        answer, record = path.settle(question, sent, keep=False)
        if answer.value == "load":
            from tlsdoctor.probe.clientfiles import load_client_material  # lazy: start-up cost (mTLS only)

            try:
                if not answer.cert_file:
                    raise BadInput(_("Give the certificate file."))
                loaded = load_client_material(answer.cert_file, answer.key_file, answer.password)
                options = dataclasses.replace(options, client=loaded)
            except BadInput as exc:
                error = str(exc)
                if _attempt < 2:
                    continue
                record = settled(question, Answer("without", by=AnsweredBy.DEFAULT))[1]
        yield path.keep(record)
        break
    if options.client is None and not requested and options.token is None:
        yield finish(_skipped(StepId.CLIENT, N_("No client certificate was given and the server did not ask for one.")))
    else:
        from tlsdoctor.analysis.mtls import analyse_client  # lazy: start-up cost (~12 ms; most walks have no client step)
        from tlsdoctor.probe.mtls import handshake_for_material_sync  # lazy: start-up cost (as above)

        timer = _Timer()
        handshake = None
        address = primary.address if primary is not None else (used[0] if used else None)
        if address is not None:
            protocol = options.protocol
            handshake = handshake_for_material_sync(
                address, target.port, target.sni, options.timeout, options.client,
                http=protocol.name == "https" and protocol.starttls is None, preamble=protocol.starttls,
            )
        client_view = options.client.view() if options.client is not None else None
        client = analyse_client(client_view, expected=options.expected_identity, token=options.token, at=at, handshake=handshake)
        yield finish(_result(StepId.CLIENT, client, client.findings, timer))

    # 8 diagnosis
    yield StepStarted(StepId.DIAGNOSIS)
    timer = _Timer()
    report = build_report(target, [results[s] for s in StepId if s in results], options, at, elapsed_ms=timer.ms(), path=tuple(path.records))
    diagnosis_step = report.diagnosis_step
    assert diagnosis_step is not None  # build_report always adds it
    yield finish(diagnosis_step)
    yield WalkFinished(report)
