"""Plain TCP lab servers: a web server on a TLS port, a black hole, a reset, a closed port.

Also the base class every lab server shares (`LoopbackServer`): one accept
thread, one daemon thread per connection, and a `stop()` that closes the
listener and every connection and joins the threads within about a second.
Servers bind to loopback only (127.0.0.0/8 or ::1); nothing here is meant to
face a real network, and nothing here speaks TLS.
"""

from __future__ import annotations

import errno
import select
import socket
import struct
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Self

_ACCEPT_POLL = 0.05  # seconds between checks of the stop flag in the accept loop
_JOIN_TIMEOUT = 1.0


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


class LoopbackServer:
    """Base of every lab server: start/stop, context manager, bounded threads.

    Subclasses implement `handle(sock)`, which runs in its own daemon thread
    and must return soon after `self.stopping` is set (every blocking call in
    a handler is woken by `stop()`, which shuts the connection sockets down).
    """

    def __init__(self, *, address: str = "127.0.0.1", port: int = 0) -> None:
        self.address = address
        self.port = port
        self.stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._conns: dict[socket.socket, threading.Thread] = {}
        self.errors: list[str] = []  # handler exceptions, one line each (for tests)

    @property
    def host(self) -> str:
        return self.address

    # lifecycle -----------------------------------------------------------
    def start(self) -> Self:
        if self._listener is not None:
            return self
        self.stopping.clear()
        listener = socket.socket(_family(self.address), socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.address, self.port))
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"lab-accept-{self.address}:{self.port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        """Close the listener and every connection; join all threads (bounded)."""
        self.stopping.set()
        if self._accept_thread is not None:
            self._accept_thread.join(_JOIN_TIMEOUT)
            self._accept_thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            conns = list(self._conns.items())
        for sock, _ in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv/send
            except OSError:
                pass
        for _, thread in conns:
            thread.join(_JOIN_TIMEOUT)
        with self._lock:
            leftover = list(self._conns)
            self._conns.clear()
        for sock in leftover:
            sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def live_threads(self) -> list[threading.Thread]:
        """Threads of this server still alive (tests assert this is empty after stop)."""
        with self._lock:
            threads = list(self._conns.values())
        if self._accept_thread is not None:
            threads.append(self._accept_thread)
        return [t for t in threads if t.is_alive()]

    # internals -----------------------------------------------------------
    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self.stopping.is_set():
            try:
                readable, _, _ = select.select([listener], [], [], _ACCEPT_POLL)
            except (OSError, ValueError):
                return
            if not readable:
                continue
            try:
                sock, _peer = listener.accept()
            except OSError:
                continue
            sock.setblocking(True)
            thread = threading.Thread(target=self._run_handler, args=(sock,), daemon=True)
            with self._lock:
                if self.stopping.is_set():
                    sock.close()
                    return
                self._conns[sock] = thread
            thread.start()

    def _run_handler(self, sock: socket.socket) -> None:
        try:
            self.handle(sock)
        except Exception as exc:  # noqa: BLE001 - a lab handler must never take the server down
            if not self.stopping.is_set():
                self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._conns.pop(sock, None)
            try:
                sock.close()
            except OSError:
                pass

    def handle(self, sock: socket.socket) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # helpers for handlers --------------------------------------------------
    def recv_some(self, sock: socket.socket, limit: int = 65536, timeout: float = 2.0) -> bytes:
        """One recv with a bound; b"" on timeout, EOF, error or stop."""
        try:
            readable, _, _ = select.select([sock], [], [], timeout)
            if not readable or self.stopping.is_set():
                return b""
            return sock.recv(limit)
        except (OSError, ValueError):
            return b""

    def lingering_close(self, sock: socket.socket, timeout: float = 1.0) -> None:
        """Half-close, then drain what the peer still sends (bounded) so the
        last bytes we wrote are not destroyed by an RST, as web servers do."""
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            return
        total = 0
        while total < 1 << 20 and not self.stopping.is_set():
            chunk = self.recv_some(sock, timeout=timeout)
            if not chunk:
                return
            total += len(chunk)


def set_recv_timeout(sock: socket.socket, seconds: float) -> None:
    """SO_RCVTIMEO/SO_SNDTIMEO on a blocking socket: OpenSSL reading the fd
    directly then gets EAGAIN instead of blocking forever."""
    whole = int(seconds)
    timeval = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)


class PlainHttpServer(LoopbackServer):
    """A web server listening where TLS was expected: answers 400 to anything."""

    RESPONSE = (
        b"HTTP/1.1 400 Bad Request\r\n"
        b"Content-Type: text/html\r\n"
        b"Content-Length: 50\r\n"
        b"Connection: close\r\n\r\n"
        b"<html><body>400 Bad Request</body></html>\r\n\r\n\r\n\r\n"
    )

    def handle(self, sock: socket.socket) -> None:
        if not self.recv_some(sock):
            return
        try:
            sock.sendall(self.RESPONSE)
        except OSError:
            return
        self.lingering_close(sock)


class BlackHoleServer(LoopbackServer):
    """Accepts, never speaks, never closes until stop: the firewall that drops."""

    def handle(self, sock: socket.socket) -> None:
        self.stopping.wait()


class ResetServer(LoopbackServer):
    """Accepts, waits for the first bytes (the ClientHello), then resets (RST)."""

    def handle(self, sock: socket.socket) -> None:
        self.recv_some(sock, timeout=2.0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # with linger 0 the kernel sends RST instead of FIN


def closed_port(address: str = "127.0.0.1") -> int:
    """A port on `address` with nothing listening (connect gets refused)."""
    with socket.socket(_family(address), socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def start_on_same_port(servers: Sequence[LoopbackServer], attempts: int = 20) -> int:
    """Start every server on one port (each on its own loopback address).

    The first binds an ephemeral port; the others take the same number. If
    that number is taken on another address, everything stops and we retry.
    """
    for _ in range(attempts):
        started: list[LoopbackServer] = []
        try:
            first = servers[0]
            first.port = 0
            first.start()
            started.append(first)
            for server in servers[1:]:
                server.port = first.port
                server.start()
                started.append(server)
            return first.port
        except OSError as exc:
            for server in started:
                server.stop()
            if exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, "no common free port found")
