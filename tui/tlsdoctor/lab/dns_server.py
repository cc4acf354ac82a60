"""A small DNS responder on loopback (UDP and TCP on one port) for the demo and the tests.

It answers from a declarative zone the way a recursive resolver answers a stub:
CNAME chains are followed inside the answer (CNAME records first, then the
final A/AAAA/CAA set). Per-name behaviours reproduce the broken setups of the
field: NXDOMAIN (name absent), SERVFAIL, `silent` (never answers), `nodata`,
truncated UDP answers (TC bit, full answer over TCP), CNAME loops and long
chains. Built on dnspython's message API; it must never be exposed beyond
loopback and knows nothing about the rest of tlsdoctor.

    zone = {
        "www.example.test": {"CNAME": "edge.example.test"},
        "edge.example.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
        "example.test": {"CAA": ['0 issue "letsencrypt.org"']},
        "down.example.test": {"behaviour": "servfail"},
    }
    with DnsServer(zone) as server:
        ...  # ask server.address on server.port
"""

from __future__ import annotations

import selectors
import socket
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

BEHAVIOURS = ("answer", "nxdomain", "servfail", "silent", "nodata")
MAX_HOPS = 32  # CNAMEs the responder follows before it gives up (loops stop earlier)
_CLASSIC_UDP_LIMIT = 512  # RFC 1035 size limit without EDNS


@dataclass(frozen=True)
class Entry:
    """What one name holds. `truncate` forces the TC bit over UDP whatever the size."""

    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cname: str | None = None
    caa: tuple[str, ...] = ()
    behaviour: str = "answer"
    ttl: int = 300
    truncate: bool = False

    def __post_init__(self) -> None:
        if self.behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {self.behaviour!r}; expected one of {BEHAVIOURS}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Entry:
        """Build from `{"A": [...], "AAAA": [...], "CNAME": "x", "CAA": [...], "behaviour": ..., ...}`."""
        known = {"A", "AAAA", "CNAME", "CAA", "behaviour", "ttl", "truncate"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown zone keys {sorted(unknown)}; expected {sorted(known)}")
        return cls(
            a=tuple(data.get("A", ())),
            aaaa=tuple(data.get("AAAA", ())),
            cname=data.get("CNAME"),
            caa=tuple(data.get("CAA", ())),
            behaviour=data.get("behaviour", "answer"),
            ttl=int(data.get("ttl", 300)),
            truncate=bool(data.get("truncate", False)),
        )

    def records(self, rtype: str) -> tuple[str, ...]:
        return {"A": self.a, "AAAA": self.aaaa, "CAA": self.caa}.get(rtype, ())


def _key(name: str) -> str:
    """Names compare case-insensitively; a trailing dot is tolerated."""
    return name.lower().rstrip(".")


def _rrset(owner: dns.name.Name | str, ttl: int, rtype: str, values: Sequence[str]) -> dns.rrset.RRset:
    """Record values are read relative to the root, so `edge.example.test` needs no final dot."""
    return dns.rrset.from_text_list(owner, ttl, "IN", rtype, list(values), origin=dns.name.root, relativize=False)


def normalise_zone(zone: Mapping[str, Entry | Mapping[str, Any]]) -> dict[str, Entry]:
    """Lower-case keys without the final dot; every record parsed once, so a typo fails here."""
    entries = {_key(name): e if isinstance(e, Entry) else Entry.from_mapping(e) for name, e in zone.items()}
    for name, entry in entries.items():
        for rtype, values in (("A", entry.a), ("AAAA", entry.aaaa), ("CAA", entry.caa)):
            if values:
                _rrset(name + ".", entry.ttl, rtype, values)
        if entry.cname is not None:
            _rrset(name + ".", entry.ttl, "CNAME", [entry.cname])
    return entries


def answer_query(zone: Mapping[str, Entry], query: dns.message.Message) -> tuple[dns.message.Message | None, bool]:
    """The response to `query` (None: stay silent) and whether it must be truncated over UDP."""
    response = dns.message.make_response(query, recursion_available=True)
    if len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
        return response, False
    question = query.question[0]
    rtype = dns.rdatatype.to_text(question.rdtype)
    owner = question.name
    seen: set[str] = set()
    truncate = False
    for _ in range(MAX_HOPS):
        key = _key(owner.to_text())
        seen.add(key)
        entry = zone.get(key)
        if entry is None or entry.behaviour == "nxdomain":
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response, truncate
        if entry.behaviour == "silent":
            return None, False
        if entry.behaviour == "servfail":
            response.answer = []
            response.set_rcode(dns.rcode.SERVFAIL)
            return response, False
        truncate = truncate or entry.truncate
        if entry.behaviour == "nodata":
            return response, truncate
        if entry.cname is not None and rtype != "CNAME":
            rrset = _rrset(owner, entry.ttl, "CNAME", [entry.cname])
            response.answer.append(rrset)
            owner = rrset[0].target
            if _key(owner.to_text()) in seen:  # a loop: hand back what we have, as servers do
                return response, truncate
            continue
        if rtype == "CNAME" and entry.cname is not None:
            response.answer.append(_rrset(owner, entry.ttl, "CNAME", [entry.cname]))
        elif entry.records(rtype):
            response.answer.append(_rrset(owner, entry.ttl, rtype, entry.records(rtype)))
        return response, truncate
    return response, truncate  # chain longer than MAX_HOPS: what we have so far


def _udp_wire(response: dns.message.Message, query: dns.message.Message, truncate: bool) -> bytes:
    limit = max(_CLASSIC_UDP_LIMIT, query.payload) if query.edns >= 0 else _CLASSIC_UDP_LIMIT
    if truncate:
        response.answer = []
        response.flags |= dns.flags.TC
    return response.to_wire(max_size=limit, prefer_truncation=True)


class DnsServer:
    """A DNS responder serving `zone` on `address` (UDP and TCP, same port) from one thread."""

    def __init__(
        self, zone: Mapping[str, Entry | Mapping[str, Any]], address: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.zone = normalise_zone(zone)
        self.address = address
        self.port = port
        self.queries: list[tuple[str, str, str]] = []  # (transport, name, type): what was asked
        self.errors: list[str] = []  # unexpected failures while answering; tests assert it stays empty
        self._family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None
        self._selector: selectors.BaseSelector | None = None
        self._buffers: dict[socket.socket, bytes] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Self:
        self._bind()
        self._selector = selectors.DefaultSelector()
        assert self._udp is not None and self._tcp is not None
        self._selector.register(self._udp, selectors.EVENT_READ, "udp")
        self._selector.register(self._tcp, selectors.EVENT_READ, "listen")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name=f"dns-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
        self._close_all()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _bind(self) -> None:
        """UDP and TCP on the same port; with port 0, retry until both get the same free port."""
        last_error: OSError | None = None
        for _ in range(20):
            udp = socket.socket(self._family, socket.SOCK_DGRAM)
            tcp = socket.socket(self._family, socket.SOCK_STREAM)
            try:
                udp.bind((self.address, self.port))
                port = udp.getsockname()[1]
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind((self.address, port))
                tcp.listen(16)
            except OSError as exc:
                udp.close()
                tcp.close()
                last_error = exc
                if self.port:
                    break
                continue
            udp.setblocking(False)
            tcp.setblocking(False)
            self._udp, self._tcp, self.port = udp, tcp, port
            return
        raise OSError(f"cannot bind DNS responder on {self.address}:{self.port}: {last_error}")

    def _close_all(self) -> None:
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        for sock in [*self._buffers, self._udp, self._tcp]:
            if sock is not None:
                sock.close()
        self._buffers.clear()
        self._udp = self._tcp = None

    # -- serving -------------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._selector is not None
        while not self._stopping.is_set():
            for key, _ in self._selector.select(timeout=0.05):
                try:
                    if key.data == "udp":
                        self._on_udp()
                    elif key.data == "listen":
                        self._on_accept()
                    else:
                        self._on_tcp(key.fileobj)  # type: ignore[arg-type]
                except OSError:
                    continue  # a client went away; keep serving the others
                except Exception as exc:  # noqa: BLE001 - a lab server must keep serving; tests read .errors
                    self.errors.append(f"{type(exc).__name__}: {exc}")

    def _respond(self, wire: bytes, transport: str) -> tuple[dns.message.Message, dns.message.Message | None, bool]:
        query = dns.message.from_wire(wire)
        if query.question:
            q = query.question[0]
            self.queries.append((transport, q.name.to_text(), dns.rdatatype.to_text(q.rdtype)))
        response, truncate = answer_query(self.zone, query)
        return query, response, truncate

    def _on_udp(self) -> None:
        assert self._udp is not None
        wire, peer = self._udp.recvfrom(65535)
        try:
            query, response, truncate = self._respond(wire, "udp")
        except dns.exception.DNSException:
            return  # not a DNS query: ignore it, as a real server would
        if response is not None:
            self._udp.sendto(_udp_wire(response, query, truncate), peer)

    def _on_accept(self) -> None:
        assert self._tcp is not None and self._selector is not None
        conn, _ = self._tcp.accept()
        conn.setblocking(False)
        self._buffers[conn] = b""
        self._selector.register(conn, selectors.EVENT_READ, "conn")

    def _on_tcp(self, conn: socket.socket) -> None:
        assert self._selector is not None
        data = conn.recv(65535)
        if not data:
            self._selector.unregister(conn)
            self._buffers.pop(conn, None)
            conn.close()
            return
        buffer = self._buffers[conn] + data
        while len(buffer) >= 2 and len(buffer) >= 2 + int.from_bytes(buffer[:2], "big"):
            size = int.from_bytes(buffer[:2], "big")
            wire, buffer = buffer[2 : 2 + size], buffer[2 + size :]
            try:
                _, response, _ = self._respond(wire, "tcp")
            except dns.exception.DNSException:
                continue
            if response is not None:
                conn.setblocking(True)
                conn.sendall(response.to_wire(prepend_length=True))
                conn.setblocking(False)
        self._buffers[conn] = buffer
