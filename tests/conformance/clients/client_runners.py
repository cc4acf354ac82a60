"""Run the real TLS clients of this machine against the conformance servers and record what they do.

Every client trusts only the case's anchors (a PEM file) and reaches the lab
address under the host a person would type: curl through `--resolve`,
openssl through `-connect` + `-servername`, Python, requests and Node through
their own name lookup pointed at the address, Java through `jdk.net.hosts.file`
and wget (which has neither) through a hosts file bind-mounted over
/etc/hosts in a private mount namespace (`unshare`: the machine's file is never
touched). The environment is scrubbed of CA-bundle and proxy variables.
Batching: one process runs every case for Python, requests, Node and Java (a
JVM start costs a second); openssl, curl and wget start once per case.

A client that is not installed is skipped with a reason (`skip_reason`).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROBES = Path(__file__).resolve().parent / "probes"
JOB_TIMEOUT = 20  # seconds for one client call
_DROP = {
    "SSL_CERT_FILE", "SSL_CERT_DIR", "NIX_SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "NODE_OPTIONS", "CURL_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE", "OPENSSL_CONF", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "WGETRC", "CURL_HOME",
    "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
    "PYTHONPATH", "PYTHONHOME", "SSLKEYLOGFILE",
}  # fmt: skip
ENV = {k: v for k, v in os.environ.items() if k not in _DROP}


@dataclass(frozen=True)
class Job:
    """One case as a client sees it: where to connect, which name to ask for, which anchors to trust."""

    case_id: str
    host: str  # as typed: a U-label, a trailing dot, an IP literal
    ascii_host: str  # the A-label form (what `openssl s_client` is given), no trailing dot
    address: str
    port: int
    ca_file: Path
    is_ip: bool

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}/"

    def to_json(self) -> dict[str, object]:
        return {"id": self.case_id, "host": self.host, "address": self.address, "port": self.port, "ca": str(self.ca_file), "url": self.url}


@dataclass(frozen=True)
class Observation:
    """What one client did with one case."""

    client: str
    case_id: str
    accepted: bool
    detail: str  # one line: the error (or "HTTP 200")
    text: str  # everything it printed: what a person would paste into `tlsdoctor explain`
    argv: tuple[str, ...] = ()


def run(argv: Sequence[str], *, timeout: float = JOB_TIMEOUT, cwd: Path | None = None) -> tuple[int | None, str, str]:
    """(exit code or None on timeout, stdout, stderr), scrubbed environment, no stdin."""
    try:
        done = subprocess.run(list(argv), env=ENV, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        err = exc.stderr or b""
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace") + f"\n(timed out after {timeout} s)"
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


# Text that means the client never got to judge a certificate: a harness fault, never a verdict.
NOT_A_VERDICT = re.compile(
    r"Connection refused|ECONNREFUSED|ConnectException|timed out|ETIMEDOUT|unable to resolve host|Could not resolve host"
    r"|Name or service not known|Temporary failure in name resolution|getaddrinfo|UnknownHostException|No route to host",
)


def not_a_verdict(seen: Observation) -> str | None:
    """Why a refusal is not a TLS verdict (the client never reached the server), else None."""
    if seen.accepted:
        return None
    found = NOT_A_VERDICT.search(seen.detail) or NOT_A_VERDICT.search(seen.text)
    return found.group(0) if found else None


def first_line(text: str, *needles: str) -> str:
    """The first non-empty line containing any needle (else the first non-empty line)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines if any(n in ln for n in needles)), lines[0] if lines else "")


class Client:
    """A real TLS client: its name in the report, the tlsdoctor column that predicts it, how explain names it."""

    name = ""
    column = ""  # the names-matrix / chain-policy column that predicts this client
    explain_as: str | None = None  # the client `tlsdoctor explain` should recognise (None: explain has no marker)
    executable = ""

    def skip_reason(self) -> str | None:
        return None if shutil.which(self.executable) else f"`{self.executable}` is not installed (not on PATH)"

    def version(self) -> str:
        raise NotImplementedError

    def release(self) -> str | None:
        """The version tlsdoctor's versioned rules compare with (`evidence["versions"]`), when one applies."""
        return None

    def run_all(self, jobs: Sequence[Job], workdir: Path) -> dict[str, Observation]:
        return {job.case_id: self.run_one(job, workdir) for job in jobs}

    def run_one(self, job: Job, workdir: Path) -> Observation:
        raise NotImplementedError


class OpenSSL(Client):
    name = column = explain_as = executable = "openssl"

    def version(self) -> str:
        return run(["openssl", "version"])[1].strip()

    def run_one(self, job: Job, workdir: Path) -> Observation:
        host = f"[{job.address}]" if ":" in job.address else job.address
        argv = ["openssl", "s_client", "-connect", f"{host}:{job.port}", "-verify_return_error", "-CAfile", str(job.ca_file)]
        if job.is_ip:
            argv += ["-verify_ip", job.host]
        else:
            typed = job.ascii_host + ("." if job.host.endswith(".") else "")  # s_client has no IDNA: the A-label, as typed
            argv += ["-servername", typed, "-verify_hostname", typed]
        rc, out, err = run(argv)
        ok = rc == 0 and "Verify return code: 0 (ok)" in out
        detail = "Verify return code: 0 (ok)" if ok else first_line(err + "\n" + out, "verify error:", ":error:")
        return Observation(self.name, job.case_id, ok, detail, "" if ok else (err + out), tuple(argv))


class Curl(Client):
    name = column = explain_as = executable = "curl"

    def version(self) -> str:
        return run(["curl", "--version"])[1].splitlines()[0]

    def run_one(self, job: Job, workdir: Path) -> Observation:
        address = f"[{job.address}]" if ":" in job.address else job.address
        argv = ["curl", "-q", "-sS", "--noproxy", "*", "--max-time", "10", "--cacert", str(job.ca_file)]
        if not job.is_ip:
            names = dict.fromkeys([job.ascii_host, job.host.rstrip("."), job.host])
            for name in names:
                argv += ["--resolve", f"{name}:{job.port}:{address}"]
        argv.append(job.url)
        rc, out, err = run(argv)
        ok = rc == 0 and out == "hello"
        return Observation(self.name, job.case_id, ok, "HTTP 200" if ok else first_line(err, "curl:"), "" if ok else err, tuple(argv))


class Wget(Client):
    """GNU Wget (GnuTLS on Debian). No --resolve: a hosts file is bind-mounted in a private mount namespace."""

    name = column = explain_as = executable = "wget"

    def skip_reason(self) -> str | None:
        reason = super().skip_reason()
        if reason is None and run([*self._unshare(), "true"])[0] != 0:
            reason = "`unshare -m` is not permitted here (wget has no --resolve; the suite needs a private /etc/hosts)"
        return reason

    @staticmethod
    def _unshare() -> list[str]:
        return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]

    def version(self) -> str:
        tls = run(["dpkg-query", "-W", "-f", "${Version}", "libgnutls30"])[1].strip()
        return run(["wget", "--version"])[1].splitlines()[0] + (f" (GnuTLS {tls})" if tls else "")

    def run_one(self, job: Job, workdir: Path) -> Observation:
        wget = ["wget", "--no-config", "-nv", "--no-hsts", "--no-proxy", "--tries=1", "--timeout=10", "-O", "-",
                f"--ca-certificate={job.ca_file}", job.url]  # fmt: skip
        argv = wget
        if not job.is_ip:
            hosts = workdir / f"hosts-{job.case_id}"
            names = " ".join(dict.fromkeys([job.ascii_host, job.host.rstrip("."), job.ascii_host + "." * job.host.endswith(".")]))
            hosts.write_text(f"{job.address} {names}\n", encoding="utf-8")
            argv = [*self._unshare(), "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', str(hosts), *wget]
        rc, out, err = run(argv)
        ok = rc == 0 and out == "hello"
        return Observation(self.name, job.case_id, ok, "HTTP 200" if ok else first_line(err, "ERROR", "GnuTLS", "does not match"), "" if ok else err, tuple(argv))


class Batch(Client):
    """A client that runs every job in one process and prints one JSON line per job."""

    def command(self, jobs_file: Path) -> list[str]:
        raise NotImplementedError

    def run_all(self, jobs: Sequence[Job], workdir: Path) -> dict[str, Observation]:
        jobs_file = workdir / f"jobs-{self.name}.json"
        jobs_file.write_text(json.dumps([j.to_json() for j in jobs]), encoding="utf-8")
        argv = self.command(jobs_file)
        rc, out, err = run(argv, timeout=JOB_TIMEOUT * max(len(jobs), 1), cwd=workdir)
        seen: dict[str, Observation] = {}
        for line in out.splitlines():
            if line.startswith("{"):
                row = json.loads(line)
                seen[row["id"]] = Observation(self.name, row["id"], row["accepted"], row["detail"], row["text"], tuple(argv))
        missing = [j.case_id for j in jobs if j.case_id not in seen]
        if missing:
            raise RuntimeError(f"{self.name} gave no answer for {missing[:5]} (exit {rc}): {err.strip()[-600:]}")
        return seen


class PythonSsl(Batch):
    """CPython's `ssl` (create_default_context + wrap_socket). Several interpreters may run: the version is the name."""

    column = "python-ssl"
    explain_as = "python"

    def __init__(self, interpreter: str = sys.executable, suffix: str = "") -> None:
        self.executable = interpreter
        self.name = "python-ssl" + suffix

    def skip_reason(self) -> str | None:
        return None if Path(self.executable).exists() or shutil.which(self.executable) else f"{self.executable} not found"

    def version(self) -> str:
        code = "import ssl,sys; print('Python', sys.version.split()[0], '|', ssl.OPENSSL_VERSION)"
        return run([self.executable, "-I", "-c", code])[1].strip()

    def release(self) -> str | None:
        return run([self.executable, "-I", "-c", "import platform; print(platform.python_version())"])[1].strip()

    def command(self, jobs_file: Path) -> list[str]:
        return [self.executable, "-I", str(PROBES / "pyprobe.py"), "ssl", str(jobs_file)]


class Requests(Batch):
    name = column = explain_as = "requests"
    executable = sys.executable

    def skip_reason(self) -> str | None:
        if run([self.executable, "-c", "import requests"])[0] != 0:
            return "requests is not installed in this Python (pip install '.[test]' brings it)"
        return None

    def version(self) -> str:
        code = "import requests,urllib3,ssl; print('requests', requests.__version__, '| urllib3', urllib3.__version__, '|', ssl.OPENSSL_VERSION)"
        return run([self.executable, "-c", code])[1].strip()

    def command(self, jobs_file: Path) -> list[str]:
        return [self.executable, str(PROBES / "pyprobe.py"), "requests", str(jobs_file)]


class Node(Batch):
    name = column = explain_as = executable = "node"

    def version(self) -> str:
        code = "console.log('node ' + process.version + ' | OpenSSL ' + process.versions.openssl + (process.config.variables.node_shared_openssl ? ' (system)' : ' (bundled)'))"
        return run(["node", "-e", code])[1].strip()

    def command(self, jobs_file: Path) -> list[str]:
        return ["node", str(PROBES / "probe.js"), str(jobs_file)]


class Java(Batch):
    name = column = explain_as = executable = "java"

    def skip_reason(self) -> str | None:
        reason = super().skip_reason()
        if reason is None and "jdk.compiler" not in run(["java", "--list-modules"])[1]:
            reason = "this Java is a JRE: running Probe.java needs the JDK's jdk.compiler module"
        return reason

    def version(self) -> str:
        return " ".join(run(["java", "-version"])[2].splitlines()[:1])

    def run_all(self, jobs: Sequence[Job], workdir: Path) -> dict[str, Observation]:
        """One JVM per group of jobs whose names map to one address each (a hosts file has one answer)."""
        groups: list[tuple[dict[str, str], list[Job]]] = []
        for job in jobs:
            names = [] if job.is_ip else list(dict.fromkeys([job.ascii_host, job.host.rstrip("."), job.host]))
            group = next((g for g in groups if all(g[0].get(n, job.address) == job.address for n in names)), None)
            if group is None:
                group = ({}, [])
                groups.append(group)
            group[0].update(dict.fromkeys(names, job.address))
            group[1].append(job)
        seen: dict[str, Observation] = {}
        for n, (hosts, group_jobs) in enumerate(groups):
            seen |= self._run_group(hosts, group_jobs, workdir / f"java-{n}")
        return seen

    def _run_group(self, hosts: dict[str, str], jobs: Sequence[Job], stem: Path) -> dict[str, Observation]:
        hosts_file, tsv = stem.with_suffix(".hosts"), stem.with_suffix(".tsv")
        hosts_file.write_text("".join(f"{address} {name}\n" for name, address in hosts.items()), encoding="utf-8")
        tsv.write_text("".join(f"{j.case_id}\t{j.url}\t{j.ca_file}\n" for j in jobs), encoding="utf-8")
        argv = ["java", f"-Djdk.net.hosts.file={hosts_file}", str(PROBES / "Probe.java"), str(tsv)]
        rc, out, err = run(argv, timeout=60 + JOB_TIMEOUT * len(jobs))
        seen: dict[str, Observation] = {}
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                detail, text = (base64.b64decode(p).decode("utf-8", "replace") for p in parts[2:])
                seen[parts[0]] = Observation(self.name, parts[0], parts[1] == "ACCEPT", detail, text, tuple(argv))
        if len(seen) != len(jobs):
            raise RuntimeError(f"java answered {len(seen)} of {len(jobs)} jobs (exit {rc}): {err.strip()[-600:]}")
        return seen


class Go(Batch):
    """Go's net/http + crypto/tls (`go run`: compiled once per run, cached in the work directory)."""

    name = column = explain_as = executable = "go"

    def version(self) -> str:
        return run(["go", "version"])[1].strip()

    def release(self) -> str | None:
        words = self.version().split()
        return words[2].removeprefix("go") if len(words) > 2 else None

    def command(self, jobs_file: Path) -> list[str]:
        cache = jobs_file.parent / "go-cache"
        return ["env", f"GOCACHE={cache}", f"GOPATH={cache / 'path'}", "GOPROXY=off", "GOFLAGS=", "GO111MODULE=off",
                "go", "run", str(PROBES / "probe.go"), str(jobs_file)]  # fmt: skip


def newer_python() -> str | None:
    """A CPython 3.13+ beside the running one (pyenv or PATH): its `ssl` defaults differ (VERIFY_X509_STRICT)."""
    if sys.version_info >= (3, 13):
        return None
    candidates: list[str | None] = []
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        candidates += [str(p / "bin" / "python3") for p in sorted(pyenv.iterdir(), reverse=True) if p.name.startswith(("3.13", "3.14", "3.15"))]
    candidates += [shutil.which(f"python3.{minor}") for minor in (15, 14, 13)]
    check = "import ssl, sys; assert sys.version_info >= (3, 13)"
    return next((c for c in candidates if c and Path(c).exists() and run([c, "-I", "-c", check])[0] == 0), None)


def all_clients() -> list[Client]:
    """Every client the suite knows, installed or not (absent ones report a skip reason)."""
    clients: list[Client] = [OpenSSL(), Curl(), PythonSsl(), Requests(), Node(), Java(), Go(), Wget()]
    newer = newer_python()
    if newer is not None:
        clients.insert(3, PythonSsl(newer, "@" + run([newer, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"])[1].strip()))
    return clients


def timed(client: Client, jobs: Sequence[Job], workdir: Path) -> tuple[dict[str, Observation], float]:
    start = time.monotonic()
    return client.run_all(jobs, workdir), time.monotonic() - start
