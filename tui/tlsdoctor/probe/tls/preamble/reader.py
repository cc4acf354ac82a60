"""The plaintext side of a preamble: a bounded reader over the attempt's socket, and the refusal it may end in.

The attempt gives a `Channel` (send everything, receive some bytes) whose every
wait is bounded by the attempt's one deadline; the deadline's exception passes
through here untouched. What the server says is kept as its own words, on one
line (line breaks become a literal `\\n`), at most WORDS_LIMIT characters.
"""

from __future__ import annotations

from typing import Protocol

MAX_PREAMBLE_BYTES = 64 * 1024  # all a server may send before TLS (a hostile one cannot fill memory)
MAX_LINE = 8 * 1024  # one reply line (RFC 5321 allows 512; servers are generous)
WORDS_LIMIT = 300  # characters of the server's words kept for the report


class Channel(Protocol):
    """What a preamble needs from the attempt: both calls end by the attempt's deadline (or raise its exception)."""

    def send(self, data: bytes) -> None: ...

    def recv(self) -> bytes:
        """Some bytes (at least one); b"" when the peer closed."""
        ...


class PreambleRefused(Exception):
    """The server did not let TLS start. `reason`: not-offered, refused, unexpected-reply, closed or
    tls-at-once; `said`: the server's own words on one line (may be empty)."""

    def __init__(self, reason: str, said: str) -> None:
        super().__init__(f"{reason}: {said}")
        self.reason = reason
        self.said = said


def words(data: bytes | str) -> str:
    """The server's bytes as one line of text: decoded leniently, CR/LF shown as a literal `\\n`, cut."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").replace("\n", "\\n")
    return text if len(text) <= WORDS_LIMIT else text[: WORDS_LIMIT - 1] + "…"


def looks_like_tls_record(data: bytes) -> bool:
    """A TLS record header (handshake or alert, version 3.x): the server skipped the preamble."""
    return len(data) >= 2 and data[0] in (0x15, 0x16) and data[1] == 3


class Reader:
    """Buffered, bounded reads of the server's plaintext: lines, exact lengths, what is left for TLS."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.buffer = b""
        self.total = 0
        self.last = b""  # the last thing the server said (for a refusal after it closed)

    def _more(self) -> None:
        data = self.channel.recv()
        if not data:
            raise PreambleRefused("closed", words(self.last or self.buffer))
        if self.total == 0 and looks_like_tls_record(data):
            raise PreambleRefused("tls-at-once", words(repr(data[:16])))
        self.total += len(data)
        if self.total > MAX_PREAMBLE_BYTES:
            raise PreambleRefused("unexpected-reply", words(self.buffer[-WORDS_LIMIT:] + data[:WORDS_LIMIT]))
        self.buffer += data

    def line(self) -> bytes:
        """One line without its CRLF (or LF)."""
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise PreambleRefused("unexpected-reply", words(self.buffer[:WORDS_LIMIT]))
            self._more()
        line, _, self.buffer = self.buffer.partition(b"\n")
        self.last = line.rstrip(b"\r")
        return self.last

    def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._more()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        self.last = data
        return data

    def some(self) -> bytes:
        """Whatever is buffered, or the next bytes that arrive."""
        if not self.buffer:
            self._more()
        data, self.buffer = self.buffer, b""
        return data

    def send(self, data: bytes) -> None:
        self.channel.send(data)

    def leftover(self) -> bytes:
        """Bytes that arrived after the server's go-ahead: they belong to TLS (handed to OpenSSL)."""
        data, self.buffer = self.buffer, b""
        return data
