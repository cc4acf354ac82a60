"""The scenario catalogue: the broken setups of the field, on loopback, in the spirit of badssl.com.

One `Lab` holds a private PKI, a DNS responder, a hosts file, an AIA server and
the TLS servers of the scenarios that were started. `lab.run(id)` starts a
scenario's servers (lazily); `lab.command_line(id)` gives the `check` arguments
that point at the lab's own DNS and hosts file and trust the lab's root.
Certificates and servers only: walking a scenario is `tlsdoctor.demo`'s job
(this package imports nothing above the facts). Everything stops on exit.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tlsdoctor.facts.dns import Nameserver
from tlsdoctor.i18n import N_
from tlsdoctor.lab import certs
from tlsdoctor.lab.aia_server import AiaServer
from tlsdoctor.lab.dns_server import DnsServer
from tlsdoctor.lab.starttls import Offer, PostgresServer, SmtpServer
from tlsdoctor.lab.tcp import BlackHoleServer, LoopbackServer, start_on_same_port
from tlsdoctor.lab.tls_server import (
    ClientAuth,
    ConnectionRecord,
    HttpBehaviour,
    HttpKind,
    TlsServer,
    VHost,
)
from tlsdoctor.target import to_a_label

ZONE = "example.test"
# The identities of the mTLS seed (shared/seeds/mtls-identity-mismatch.txt).
PROD_CLIENT = "client-prod.example.com"
STAGING_CLIENT = "client-staging.example.com"


@dataclass(frozen=True)
class ClientSetup:
    """The client certificate a scenario's walk presents, and the identity the server expects."""

    name: str  # CN and DNS SAN of the client certificate
    issuer: str = "clients"  # "clients": the lab's client CA (the server trusts it); "stranger": a CA it does not
    send_chain: bool = True  # False: the file holds the leaf only (no intermediate)
    expect_identity: str | None = None  # `--expect-client-identity`


@dataclass(frozen=True)
class Scenario:
    id: str
    host: str  # the name the walk asks for (may be a U-label)
    title: str  # msgid
    broken: str  # msgid: one line on what is broken
    expect: tuple[str, ...]  # finding codes a TLS expert would name (empty: healthy)
    addresses: tuple[str, ...]  # what DNS answers
    client: ClientSetup | None = None  # mTLS scenarios: the certificate the client presents
    scheme: str = ""  # a URL scheme that picks the protocol ("smtp", "postgres", …); "" for plain host:port


def _a(n: int) -> str:
    return f"127.0.0.{n}"


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthy", f"good.{ZONE}", N_("Healthy host"), N_("Nothing is broken: the control case."), (), (_a(10),)),
    Scenario("wrong-host", f"wrong.{ZONE}", N_("Wrong host"), N_("The certificate is for another name."), ("hostname-mismatch",), (_a(11),)),
    Scenario("wildcard-apex", "wild.test", N_("Wildcard at the apex"), N_("*.wild.test does not cover wild.test itself."), ("hostname-mismatch", "wildcard-apex"), (_a(12),)),
    Scenario("wildcard-depth", "a.b.wild.test", N_("Wildcard depth"), N_("*.wild.test does not cover a.b.wild.test (two labels)."), ("hostname-mismatch", "wildcard-depth"), (_a(13),)),
    Scenario("cn-only", f"cn-only.{ZONE}", N_("CN only"), N_("No SAN at all: only the Common Name holds the host."), ("cn-only",), (_a(14),)),
    Scenario("no-sni", f"vhost.{ZONE}", N_("No-SNI default vhost"), N_("Clients without SNI get the server's default certificate."), ("sni-default-cert",), (_a(15),)),
    Scenario("incomplete-chain", f"incomplete.{ZONE}", N_("Incomplete chain"), N_("The server sends its leaf without the intermediate."), ("chain-incomplete",), (_a(16),)),
    Scenario("reversed-chain", f"reversed.{ZONE}", N_("Reversed chain"), N_("The chain is sent in the wrong order."), ("chain-order",), (_a(17),)),
    Scenario("untrusted-root", f"untrusted.{ZONE}", N_("Untrusted root"), N_("The chain ends in a root nobody trusts (and the server sends that root)."), ("chain-untrusted",), (_a(18),)),
    Scenario("self-signed", f"self.{ZONE}", N_("Self-signed"), N_("The certificate signs itself."), ("self-signed",), (_a(19),)),
    Scenario("expired", f"expired.{ZONE}", N_("Expired"), N_("The certificate expired ten days ago."), ("cert-expired",), (_a(20),)),
    Scenario("divergent", f"pool.{ZONE}", N_("Divergent addresses"), N_("Two addresses of one name serve different certificates."), ("ip-divergent-certs",), (_a(21), _a(22))),
    Scenario("hosts-override", f"moved.{ZONE}", N_("Hosts override"), N_("/etc/hosts pins the name to an old server with the wrong certificate."), ("hosts-override", "hostname-mismatch"), (_a(23),)),
    Scenario("many-sans", f"big.{ZONE}", N_("3,000 SANs"), N_("A certificate with 3,000 names, none of them this one."), ("hostname-mismatch",), (_a(25),)),
    Scenario("idn", f"bücher.{ZONE}", N_("IDN name"), N_("A Unicode name: the certificate holds only the A-label of a sibling."), ("hostname-mismatch",), (_a(26),)),
    Scenario("mtls-required", f"mtls.{ZONE}", N_("Client certificate required"), N_("The server demands a client certificate from its own CA."), ("mtls-cert-required",), (_a(27),)),
    # The mTLS seed (knowledge MTLS-2001): a valid, trusted staging certificate where production is expected.
    Scenario(
        "mtls-identity", f"api.{ZONE}", N_("Client identity mismatch (seed)"),
        N_("A valid, trusted staging client certificate where client-prod.example.com is expected: HTTP 403."),
        ("mtls-identity-mismatch",), (_a(30),),
        ClientSetup(STAGING_CLIENT, expect_identity=PROD_CLIENT),
    ),
    Scenario(
        "mtls-unknown-ca", f"mtls-ca.{ZONE}", N_("Client certificate from an unknown CA"),
        N_("The client certificate comes from a CA the server does not trust: alert unknown ca."),
        ("mtls-unknown-ca",), (_a(31),),
        ClientSetup(PROD_CLIENT, issuer="stranger"),
    ),
    Scenario(
        "mtls-no-intermediate", f"mtls-chain.{ZONE}", N_("Client chain without its intermediate"),
        N_("The client sends its certificate without the intermediate the server needs."),
        ("mtls-chain-incomplete",), (_a(32),),
        ClientSetup(PROD_CLIENT, send_chain=False),
    ),
    Scenario("black-hole", f"hole.{ZONE}", N_("Black hole"), N_("The server accepts the connection and never answers."), ("connect-timeout",), (_a(28),)),
    Scenario("hostile-text", f"hostile.{ZONE}", N_("Hostile text"), N_("The certificate's subject holds markup and control characters."), ("hostname-mismatch",), (_a(29),)),
    Scenario("mail", f"smtp.{ZONE}", N_("Mail relay (SMTP STARTTLS)"), N_("The relay's certificate names its own host, not the name clients send mail to."), ("hostname-mismatch",), (_a(30),), scheme="smtp"),
    Scenario("mail-no-tls", f"relay.{ZONE}", N_("Mail relay without TLS"), N_("The relay answers STARTTLS with 454 TLS not available."), ("starttls-refused",), (_a(31),), scheme="smtp"),
    Scenario("database", f"db.{ZONE}", N_("Database (PostgreSQL)"), N_("The certificate was issued for the old primary; clients connect with sslmode=verify-full."), ("hostname-mismatch",), (_a(32),), scheme="postgres"),
)
SCENARIO_IDS = tuple(s.id for s in SCENARIOS)
HOSTS_OVERRIDE_ADDRESS = _a(24)
HOSTILE_CN = "[bold]x[/bold] [$accent]y [@click=app.quit]z \x1b[31mred\u202e"


def scenario(scenario_id: str) -> Scenario:
    for s in SCENARIOS:
        if s.id == scenario_id:
            return s
    raise KeyError(scenario_id)


@dataclass
class Running:
    scenario: Scenario
    port: int
    servers: list[LoopbackServer] = field(default_factory=list)

    @property
    def target(self) -> str:
        if self.scenario.scheme:
            return f"{self.scenario.scheme}://{_ascii(self.scenario.host)}:{self.port}"
        return f"{self.scenario.host}:{self.port}"


class Lab:
    """A private PKI, DNS responder, hosts file and AIA server; scenario servers start on demand."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="tlsdoctor-lab-")
        self.dir = Path(self._tmp.name)
        self.pki = certs.make_pki("tlsdoctor Lab")
        self.stranger = certs.make_pki("Unknown Stranger")  # a CA nobody trusts
        self.client_pki = certs.make_pki("tlsdoctor Lab Clients")
        self.aia = AiaServer()
        self.dns: DnsServer | None = None
        self.running: dict[str, Running] = {}
        self.ca_file = self.dir / "lab-root.pem"
        self.hosts_file = self.dir / "hosts"

    # lifecycle ---------------------------------------------------------------
    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.ca_file.write_bytes(self.pki.root.cert_pem)
        zone: dict[str, Any] = {_ascii(s.host): {"A": list(s.addresses)} for s in SCENARIOS}
        zone[ZONE] = {"CAA": ['0 issue "letsencrypt.org"']}
        self.dns = DnsServer(zone).start()
        self.hosts_file.write_text(
            "# tlsdoctor lab hosts file\n127.0.0.1 localhost\n"
            f"{HOSTS_OVERRIDE_ADDRESS} {_ascii(scenario('hosts-override').host)}  # old server, pinned by hand\n",
            encoding="utf-8",
        )
        self.aia.start()

    def stop(self) -> None:
        for run in self.running.values():
            for server in run.servers:
                server.stop()
        self.running.clear()
        if self.dns is not None:
            self.dns.stop()
        self.aia.stop()
        self._tmp.cleanup()

    # scenarios ---------------------------------------------------------------
    def nameserver(self) -> Nameserver:
        assert self.dns is not None
        return Nameserver(self.dns.address, self.dns.port)

    def run(self, scenario_id: str) -> Running:
        if scenario_id not in self.running:
            s = scenario(scenario_id)
            servers = self._servers(s)
            port = start_on_same_port(servers)
            self.running[scenario_id] = Running(s, port, servers)
        return self.running[scenario_id]

    def command_line(self, scenario_id: str) -> list[str]:
        """The `tlsdoctor check` arguments a person would type for this scenario."""
        run = self.run(scenario_id)
        ns = self.nameserver()
        args = [run.target, "--nameserver", f"{ns.address}:{ns.port}", "--hosts-file", str(self.hosts_file), "--ca", str(self.ca_file)]
        client = self.client_material(scenario_id)
        if client is not None:
            args += ["--client-cert", str(client[0]), "--client-key", str(client[1])]
        setup = scenario(scenario_id).client
        if setup is not None and setup.expect_identity:
            args += ["--expect-client-identity", setup.expect_identity]
        return args

    def client_material(self, scenario_id: str) -> tuple[Path, Path] | None:
        """The client certificate and key files the scenario's walk presents (None: no client certificate)."""
        setup = scenario(scenario_id).client
        if setup is None:
            return None
        pki = self.stranger if setup.issuer == "stranger" else self.client_pki
        return self.client_files(name=setup.name, pki=pki, send_chain=setup.send_chain, tag=scenario_id)

    def server_log(self, scenario_id: str) -> list[str]:
        """What the scenario's servers logged about client certificates, as an operator would read it.

        The lab's servers are ours, so the demo can show the server's side of the
        story (the seed's `mTLS authentication failed: …` line) next to what the
        client saw. Empty until the scenario ran; each distinct line once.
        """
        run = self.running.get(scenario_id)
        presented: list[str] = []  # about connections that presented a client certificate
        other: list[str] = []
        for server in run.servers if run is not None else ():
            if isinstance(server, TlsServer):
                for record in server.records:
                    line = _log_line(server, record)
                    lines = presented if record.client_chain or record.verify_errors else other
                    if line is not None and line not in lines:
                        lines.append(line)
        return presented or other  # the certificate's story first; "none sent" only when none ever was

    def _leaf(self, *names: str, **kwargs: Any) -> certs.Issued:
        return self.pki.leaf(dns=[_ascii(n) for n in names], cn=kwargs.pop("cn", _ascii(names[0]) if names else None), **kwargs)

    def _servers(self, s: Scenario) -> list[LoopbackServer]:
        """The servers of one scenario, configured but not started."""
        addr = s.addresses[0]
        ok = VHost.of  # the usual leaf + intermediate
        match s.id:
            case "healthy":
                return [TlsServer(ok(self._leaf(s.host)), address=addr)]
            case "black-hole":
                return [BlackHoleServer(address=addr)]
            case "wrong-host":
                return [TlsServer(ok(self._leaf(f"other.{ZONE}", f"www.other.{ZONE}")), address=addr)]
            case "wildcard-apex" | "wildcard-depth":
                return [TlsServer(ok(self._leaf("*.wild.test")), address=addr)]
            case "cn-only":
                return [TlsServer(ok(self.pki.leaf(cn=s.host, san=False)), address=addr)]
            case "no-sni":
                default = ok(self._leaf(f"default.{ZONE}"))
                return [TlsServer(default, {s.host: ok(self._leaf(s.host))}, address=addr)]
            case "incomplete-chain":
                path = "/lab-intermediate.der"
                self.aia.files[path] = self.pki.intermediate.der
                leaf = self._leaf(s.host, aia_url=self.aia.url_for(path))
                return [TlsServer(VHost(leaf, chain=()), address=addr)]
            case "reversed-chain":
                leaf = self._leaf(s.host)
                return [TlsServer(VHost(leaf, chain=(self.pki.root.cert, self.pki.intermediate.cert)), address=addr)]
            case "untrusted-root":
                leaf = self.stranger.leaf(dns=[s.host], cn=s.host)
                return [TlsServer(VHost.of(leaf, include_root=True), address=addr)]
            case "self-signed":
                return [TlsServer(VHost(certs.make_leaf(None, dns=[s.host], cn=s.host)), address=addr)]
            case "expired":
                return [TlsServer(ok(self._leaf(s.host, **certs.expired(10))), address=addr)]
            case "divergent":
                good = TlsServer(ok(self._leaf(s.host)), address=s.addresses[0])
                stale = TlsServer(ok(self._leaf(f"old-pool.{ZONE}")), address=s.addresses[1])
                return [good, stale]
            case "hosts-override":
                right = TlsServer(ok(self._leaf(s.host)), address=addr)
                old = TlsServer(ok(self._leaf(f"legacy.{ZONE}")), address=HOSTS_OVERRIDE_ADDRESS)
                return [right, old]
            case "many-sans":
                names = certs.many_sans(3000, ZONE)
                return [TlsServer(ok(self.pki.leaf(dns=names, cn=names[0])), address=addr)]
            case "idn":
                return [TlsServer(ok(self._leaf(f"www.bücher.{ZONE}")), address=addr)]
            case "mtls-required":
                auth = ClientAuth(ca_certs=(self.client_pki.root.cert, self.client_pki.intermediate.cert))
                return [TlsServer(ok(self._leaf(s.host)), client_auth=auth, address=addr)]
            case "mtls-identity":
                auth = ClientAuth(ca_certs=(self.client_pki.root.cert, self.client_pki.intermediate.cert))
                reject = HttpBehaviour.reject_identity(PROD_CLIENT)
                return [TlsServer(ok(self._leaf(s.host)), client_auth=auth, http=reject, address=addr)]
            case "mtls-unknown-ca":
                auth = ClientAuth(ca_certs=(self.client_pki.root.cert, self.client_pki.intermediate.cert))
                return [TlsServer(ok(self._leaf(s.host)), client_auth=auth, address=addr)]
            case "mtls-no-intermediate":  # the server trusts the client root only: it needs the intermediate sent
                auth = ClientAuth(ca_certs=(self.client_pki.root.cert,))
                return [TlsServer(ok(self._leaf(s.host)), client_auth=auth, address=addr)]
            case "hostile-text":
                leaf = self.pki.leaf(dns=[f"other.{ZONE}"], cn=HOSTILE_CN, org="[b]Evil[/b] Corp\u200f")
                return [TlsServer(ok(leaf), address=addr)]
            case "mail":
                return [SmtpServer(ok(self._leaf(f"mx1.{ZONE}")), address=addr, name=f"mx1.{ZONE}")]
            case "mail-no-tls":
                return [SmtpServer(ok(self._leaf(s.host)), address=addr, name=s.host, offer=Offer.REFUSE)]
            case "database":
                return [PostgresServer(ok(self._leaf(f"db-old-primary.{ZONE}")), address=addr)]
        raise KeyError(s.id)

    def client_files(
        self, *, name: str = f"client-prod.{ZONE}", pki: certs.Pki | None = None, send_chain: bool = True, tag: str = ""
    ) -> tuple[Path, Path]:
        """A client certificate (+ its intermediate unless `send_chain` is False) and key, written to the lab dir.

        Issued by the lab's client CA unless `pki` says otherwise; `tag` keeps files of different setups apart.
        """
        pki = pki or self.client_pki
        issued = pki.leaf(dns=[name], cn=name, eku=certs.EKU_CLIENT)
        stem = f"{tag}-{name}" if tag else name
        cert_path = self.dir / f"{stem}.pem"
        key_path = self.dir / f"{stem}.key"
        chain = (pki.intermediate.cert,) if send_chain else ()
        cert_path.write_bytes(certs.pem(issued.cert, *chain))
        key_path.write_bytes(issued.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        key_path.chmod(0o600)
        return cert_path, key_path


def _log_line(server: TlsServer, record: ConnectionRecord) -> str | None:
    """One server log line about a client certificate, worded as the seed's server logs it."""
    if record.http_status == 403 and server.http is not None and server.http.kind == HttpKind.REJECT_IDENTITY:
        leaf = record.client_chain[0] if record.client_chain else None
        cn = ", ".join(str(a.value) for a in leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)) if leaf else ""
        return f"mTLS authentication failed: certificate CN '{cn}' does not match expected identity '{server.http.expected_identity}'"
    if server.client_auth is not None and record.verify_errors:
        depth, number = record.verify_errors[0]
        reason = _X509_ERRORS.get(number, "certificate verify failed")
        return f"client SSL certificate verify error: ({number}:{reason}) at depth {depth} while SSL handshaking"
    if server.client_auth is not None and record.error and not record.handshake_ok:
        return f"client SSL handshake failed: {record.error}"
    return None


_X509_ERRORS = {  # OpenSSL's X509_V_ERR_* texts, as nginx logs them
    2: "unable to get issuer certificate",
    10: "certificate has expired",
    18: "self-signed certificate",
    19: "self-signed certificate in certificate chain",
    20: "unable to get local issuer certificate",
    21: "unable to verify the first certificate",
    26: "unsupported certificate purpose",
}


def _ascii(host: str) -> str:
    """A-label form of a lab name; wildcard labels are kept as they are."""
    if host.startswith("*."):
        return "*." + to_a_label(host[2:])
    return to_a_label(host)
