"""The attempt's socket as a preamble channel: non-blocking sends and receives, each wait bounded by the deadline."""

from __future__ import annotations

import select
import socket
from collections.abc import Callable


class SocketChannel:
    """`remaining()` returns the seconds left of the attempt's one deadline, or raises the attempt's
    own deadline exception (which passes through the preamble untouched)."""

    def __init__(self, sock: socket.socket, remaining: Callable[[], float]) -> None:
        self.sock = sock
        self.remaining = remaining

    def wait(self, *, read: bool) -> None:
        """Until the socket is readable (or writable), within the deadline."""
        rl, wl = ([self.sock], []) if read else ([], [self.sock])
        while True:
            r, w, _ = select.select(rl, wl, [], self.remaining())
            if r or w:
                return

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            self.wait(read=False)
            try:
                sent = self.sock.send(view)
            except BlockingIOError:
                continue
            view = view[sent:]

    def recv(self) -> bytes:
        while True:
            self.wait(read=True)
            try:
                return self.sock.recv(65536)
            except BlockingIOError:
                continue
