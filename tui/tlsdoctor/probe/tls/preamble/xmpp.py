"""The XMPP preamble (RFC 6120 §5.4): open a stream, find `<starttls/>` among the features, `<proceed/>`.

The server's XML is parsed incrementally with expat (the stdlib parser), with
namespaces; a DOCTYPE or an entity declaration ends the preamble (RFC 6120
§11.1 forbids both, and they are how XML bombs start). The reader bounds the bytes.
"""

from __future__ import annotations

from xml.parsers import expat

from tlsdoctor.probe.tls.preamble.reader import PreambleRefused, Reader, words

NS_STREAM = "http://etherx.jabber.org/streams"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
_SEP = "|"


def stream_header(domain: str) -> bytes:
    """The client's opening stream tag, `to` the domain being checked (RFC 6120 §4.7.2)."""
    safe = "".join(ch for ch in domain if ch.isalnum() or ch in ".-_:[]")
    return (
        "<?xml version='1.0'?><stream:stream to='" + safe + "' version='1.0' xmlns='jabber:client' "
        "xmlns:stream='" + NS_STREAM + "'>"
    ).encode("ascii", errors="replace")


STARTTLS = ("<starttls xmlns='" + NS_TLS + "'/>").encode("ascii")


class _Stream:
    """Events of the server's stream that matter here: depth-1 children of the stream, and their children."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=_SEP)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._forbidden
        self.parser.EntityDeclHandler = self._forbidden
        self.depth = 0
        self.done: list[tuple[str, tuple[str, ...]]] = []  # finished depth-1 elements: (name, child names)
        self._children: list[str] = []
        self.raw = b""  # everything the server sent
        self.child_at = 0  # where the current depth-1 element starts in `raw`

    def _forbidden(self, *args: object) -> None:
        raise PreambleRefused("unexpected-reply", words("<!DOCTYPE or <!ENTITY in an XMPP stream"))

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1 and name != NS_STREAM + _SEP + "stream":
            raise PreambleRefused("unexpected-reply", words(self.raw))
        if self.depth == 2:
            self.child_at = max(self.parser.CurrentByteIndex, 0)
        if self.depth == 3:
            self._children.append(name)

    def _end(self, name: str) -> None:
        if self.depth == 2:
            self.done.append((name, tuple(self._children)))
            self._children = []
        elif self.depth == 1:
            self.done.append((name, ()))
        self.depth -= 1

    def next_element(self, r: Reader) -> tuple[str, tuple[str, ...]]:
        """The next complete depth-1 element (its expanded name and its children's), reading as needed."""
        while not self.done:
            data = r.some()
            self.raw += data
            try:
                self.parser.Parse(data, False)
            except expat.ExpatError:
                raise PreambleRefused("unexpected-reply", words(self.raw)) from None
        return self.done.pop(0)

    def said(self) -> str:
        """The server's own words: the element just read, as it sent it."""
        return words(self.raw[self.child_at :])


def xmpp(r: Reader, server_name: str | None) -> None:
    """RFC 6120 §5.4.2: stream header, `<stream:features>` with `<starttls/>`, `<starttls/>` → `<proceed/>`."""
    r.send(stream_header(server_name or "localhost"))
    stream = _Stream()
    name, children = stream.next_element(r)
    if name in (NS_STREAM + _SEP + "error", NS_STREAM + _SEP + "stream"):
        raise PreambleRefused("refused", stream.said())
    if name != NS_STREAM + _SEP + "features":
        raise PreambleRefused("unexpected-reply", stream.said())
    if NS_TLS + _SEP + "starttls" not in children:
        raise PreambleRefused("not-offered", stream.said())
    r.send(STARTTLS)
    name, _children = stream.next_element(r)
    if name != NS_TLS + _SEP + "proceed":
        raise PreambleRefused("refused", stream.said())
    r.leftover()  # nothing may follow <proceed/> but our ClientHello (RFC 6120 §5.4.3.3)
