"""The shared part of every STARTTLS lab server: a TLS server that speaks a plaintext protocol first.

A `StarttlsServer` is a `TlsServer` (SNI vhosts, the exact chain, client
authentication) whose connections begin with the protocol's own negotiation
(`negotiate`, written per protocol in the sibling modules); on the go-ahead the
same socket continues into the TLS handshake. `Offer` says how the server
behaves: OFFER (the control case), REFUSE (it advertises TLS but will not start
it) or NOT_OFFERED (it never advertises TLS and refuses when asked anyway).
Loopback test and demo infrastructure only.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from tlsdoctor.lab.tcp import set_recv_timeout
from tlsdoctor.lab.tls_server import TlsServer, VHost

_PREAMBLE_TIMEOUT = 5.0  # a silent client holds a connection thread at most this long
_MAX_LINE = 8192


class Offer(StrEnum):
    OFFER = "offer"
    REFUSE = "refuse"
    NOT_OFFERED = "not-offered"


class Closed(Exception):
    """The client closed the connection (or sent more than a line may hold) during the preamble."""


class Plain:
    """Buffered plaintext reads and writes on the raw socket, before TLS."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.received: list[bytes] = []  # every line or packet the client sent (for tests)

    def _more(self, limit: int = 4096) -> None:
        try:
            data = self.sock.recv(limit)
        except OSError:
            data = b""
        if not data:
            raise Closed
        self.buffer += data

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            if len(self.buffer) > _MAX_LINE:
                raise Closed
            self._more()
        line, _, self.buffer = self.buffer.partition(b"\n")
        line = line.rstrip(b"\r")
        self.received.append(line)
        return line

    def exactly(self, n: int) -> bytes:
        """`n` bytes, never reading past them: a client may send its ClientHello right behind (MySQL's does)."""
        while len(self.buffer) < n:
            self._more(n - len(self.buffer))
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def some(self) -> bytes:
        if not self.buffer:
            self._more()
        data, self.buffer = self.buffer, b""
        return data

    def send(self, data: bytes | str) -> None:
        self.sock.sendall(data.encode("utf-8") if isinstance(data, str) else data)


class StarttlsServer(TlsServer):
    """A TLS server behind a plaintext negotiation; subclasses implement `negotiate`."""

    protocol = ""

    def __init__(self, default: VHost, sni: Mapping[str, VHost] | None = None, *, offer: Offer = Offer.OFFER,
                 name: str = "lab.example.test", **kwargs: Any) -> None:  # fmt: skip
        super().__init__(default, sni, **kwargs)
        self.offer = offer
        self.name = name  # what the server calls itself in its greeting
        self.transcripts: list[list[bytes]] = []  # what each client sent in clear (for tests)

    def negotiate(self, plain: Plain) -> bool:  # pragma: no cover - abstract
        """Speak the protocol until the client may start TLS (True) or the connection ends (False)."""
        raise NotImplementedError

    def handle(self, sock: socket.socket) -> None:
        set_recv_timeout(sock, _PREAMBLE_TIMEOUT)
        plain = Plain(sock)
        self.transcripts.append(plain.received)
        try:
            go = self.negotiate(plain)
        except (Closed, OSError):
            return
        if go and not self.stopping.is_set():
            super().handle(sock)
        else:
            self.lingering_close(sock)
