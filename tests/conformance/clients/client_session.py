"""One conformance run: build every case, serve it on loopback, run every real client, predict, compare.

`conformance_run(workdir)` is what the tests' session fixture and
`scripts/client_conformance.py` call. Servers are the lab's (pyOpenSSL, HTTP
200 "hello" after the handshake, security level 0 so the server can present
what clients refuse). Clients run concurrently with each other (two at a time:
CI has two cores), each over all the cases; everything stops on exit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from client_cases import CASES, Corpus, Served
from client_lab import LAB_IDS, lab_case
from client_predict import Prediction, inspect_served, predictions
from client_runners import Client, Job, Observation, all_clients, timed
from cryptography.hazmat.primitives import serialization

from tlsdoctor.lab.scenarios import Lab
from tlsdoctor.lab.tls_server import HttpBehaviour, TlsServer, VHost
from tlsdoctor.offline import InspectResult
from tlsdoctor.target import parse_target

ALL_IDS = tuple(c.id for c in CASES) + LAB_IDS
UNSERVED: dict[str, str] = {}  # case id → why this machine could not serve it (the tests skip it)


@dataclass
class Case:
    id: str
    title: str
    served: Served
    port: int
    inspect: InspectResult
    predicted: dict[str, Prediction]

    def job(self, ca_file: Path) -> Job:
        target = parse_target(self.served.host)
        return Job(self.id, self.served.host, target.ascii_host, self.served.address, self.port, ca_file, target.is_ip)


@dataclass
class Run:
    """Everything one run learned; `observed[client][case]`."""

    cases: dict[str, Case]
    clients: list[Client]
    skipped: dict[str, str]
    versions: dict[str, str]
    releases: dict[str, str | None]
    observed: dict[str, dict[str, Observation]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # a client whose run broke (not a verdict)

    def prediction(self, client: Client, case_id: str) -> Prediction:
        return self.cases[case_id].predicted[client.column]

    def expected(self, client: Client, case_id: str) -> tuple[bool, tuple[str, ...]]:
        """(accepts, why not) that tlsdoctor predicts for this client at the version it runs."""
        return self.prediction(client, case_id).for_release(self.releases.get(client.name))


def _serve(served: Served, stack: contextlib.ExitStack) -> int:
    vhost = VHost(cert=served.leaf, chain=served.chain)
    server = TlsServer(vhost, http=HttpBehaviour.ok(), address=served.address)
    server.start()
    stack.callback(server.stop)
    return server.port


@contextlib.contextmanager
def serving(only: Sequence[str] = ()) -> Iterator[dict[str, Case]]:
    """Every case (or `only` these ids) built, predicted and served until exit."""
    corpus = Corpus()
    with contextlib.ExitStack() as stack:
        cases: dict[str, Case] = {}
        for spec in CASES:
            if only and spec.id not in only:
                continue
            served = spec.build(corpus)
            try:
                port = _serve(served, stack)
            except OSError as exc:  # e.g. no ::1 on this machine: the case cannot be served here
                UNSERVED[spec.id] = f"cannot serve on {served.address}: {exc}"
                continue
            result = inspect_served(served)
            cases[spec.id] = Case(spec.id, spec.title, served, port, result, predictions(result))
        wanted_lab = [i for i in LAB_IDS if not only or i in only]
        if wanted_lab:
            lab = stack.enter_context(Lab())
            for case_id in wanted_lab:
                title, served, server = lab_case(lab, case_id)
                server.start()
                stack.callback(server.stop)
                result = inspect_served(served)
                cases[case_id] = Case(case_id, title, served, server.port, result, predictions(result))
        yield cases


def conformance_run(workdir: Path | None = None, only: Sequence[str] = (), clients: Sequence[Client] | None = None) -> Run:
    """Serve, run every installed client over every case, and return the observations beside the predictions."""
    chosen = list(clients) if clients is not None else all_clients()
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tlsdoctor-clients-")))
        cases = stack.enter_context(serving(only))
        jobs = []
        for case in cases.values():
            ca_file = workdir / f"ca-{case.id}.pem"
            ca_file.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in case.served.trust))
            jobs.append(case.job(ca_file))
        skipped = {c.name: r for c in chosen if (r := c.skip_reason()) is not None}
        present = [c for c in chosen if c.name not in skipped]
        run = Run(cases, present, skipped, {c.name: c.version() for c in present}, {c.name: c.release() for c in present})
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {c.name: pool.submit(timed, c, jobs, workdir) for c in present}
            for name, future in futures.items():
                try:
                    run.observed[name], run.seconds[name] = future.result()
                except (RuntimeError, OSError) as exc:
                    run.errors[name] = str(exc)
        return dataclasses.replace(run)
