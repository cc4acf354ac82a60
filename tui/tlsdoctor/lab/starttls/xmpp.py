"""The XMPP lab server (RFC 6120 §5.4): stream features with `<starttls/>`, `<proceed/>` or `<failure/>`.

The client's XML is read with expat (stdlib) and namespaces; a DOCTYPE ends the
connection, as RFC 6120 §11.1 asks.
"""

from __future__ import annotations

from xml.parsers import expat

from tlsdoctor.lab.starttls.base import Closed, Offer, Plain, StarttlsServer

NS_STREAM = "http://etherx.jabber.org/streams"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"


class _ClientStream:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator="|")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._forbidden
        self.depth = 0
        self.to: str | None = None
        self.events: list[str] = []  # "stream" when the header arrived, then each finished depth-1 element

    def _forbidden(self, *args: object) -> None:
        raise Closed

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.to = attrs.get("to")
            self.events.append("stream" if name == NS_STREAM + "|stream" else "bad")

    def _end(self, name: str) -> None:
        if self.depth == 2:
            self.events.append(name)
        self.depth -= 1

    def next_event(self, plain: Plain) -> str:
        while not self.events:
            try:
                self.parser.Parse(plain.some(), False)
            except expat.ExpatError:
                raise Closed from None
        return self.events.pop(0)


class XmppServer(StarttlsServer):
    """Features with `<starttls><required/></starttls>` (none when NOT_OFFERED); `<proceed/>` or `<failure/>`."""

    protocol = "xmpp"

    def negotiate(self, plain: Plain) -> bool:
        stream = _ClientStream()
        if stream.next_event(plain) != "stream":
            return False
        domain = "".join(ch for ch in (stream.to or self.name) if ch.isalnum() or ch in ".-")
        plain.received.append(f"to={stream.to}".encode())
        plain.send(
            f"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='{NS_STREAM}' "
            f"id='tlsdoctor-lab' from='{domain}' version='1.0' xml:lang='en'>"
        )
        if self.offer is Offer.NOT_OFFERED:
            features = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
        else:
            features = f"<starttls xmlns='{NS_TLS}'><required/></starttls>"
        plain.send(f"<stream:features>{features}</stream:features>")
        if stream.next_event(plain) != NS_TLS + "|starttls":
            plain.send("<stream:error><unsupported-stanza-type xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")
            return False
        if self.offer is Offer.OFFER:
            plain.send(f"<proceed xmlns='{NS_TLS}'/>")
            return True
        plain.send(f"<failure xmlns='{NS_TLS}'/></stream:stream>")
        return False
