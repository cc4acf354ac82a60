"""The LDAP lab server: the StartTLS extended operation (RFC 4511 §4.14) in BER, answered success or `unavailable`.

The server side reads one LDAPMessage, checks it is the StartTLS request, and
answers an ExtendedResponse. Hand-written BER for two fixed messages.
"""

from __future__ import annotations

from tlsdoctor.lab.starttls.base import Closed, Offer, Plain, StarttlsServer

STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"
UNAVAILABLE_TEXT = "00000000: LdapErr: DSID-0C091010, comment: Error initializing SSL/TLS, data 0, v4563"


def _tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        return bytes([tag, n]) + value
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + value


def extended_response(message_id: int, code: int, diagnostic: str = "", *, name: bytes | None = None) -> bytes:
    """LDAPMessage { messageID, ExtendedResponse [APPLICATION 24] { resultCode, matchedDN, diagnosticMessage, [10] name } }."""
    body = _tlv(0x0A, bytes([code])) + _tlv(0x04, b"") + _tlv(0x04, diagnostic.encode("utf-8"))
    if name is not None:
        body += _tlv(0x8A, name)
    return _tlv(0x30, _tlv(0x02, message_id.to_bytes(max(1, (message_id.bit_length() + 7) // 8), "big")) + _tlv(0x78, body))


def _read_message(plain: Plain) -> bytes:
    head = plain.exactly(2)
    if head[0] != 0x30:
        raise Closed
    length = head[1]
    if length & 0x80:
        n = length & 0x7F
        if not 0 < n <= 3:
            raise Closed
        length = int.from_bytes(plain.exactly(n), "big")
    if length > 65536:
        raise Closed
    return plain.exactly(length)


def _parts(body: bytes) -> list[tuple[int, bytes]]:
    out, at = [], 0
    while at + 2 <= len(body):
        tag, length = body[at], body[at + 1]
        at += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(body[at : at + n], "big")
            at += n
        out.append((tag, body[at : at + length]))
        at += length
    return out


class LdapServer(StarttlsServer):
    """StartTLS answered success (then TLS), or resultCode 52 unavailable with Active Directory's words."""

    protocol = "ldap"

    def negotiate(self, plain: Plain) -> bool:
        while True:
            parts = _parts(_read_message(plain))
            if len(parts) < 2 or parts[0][0] != 0x02:
                return False
            message_id = int.from_bytes(parts[0][1], "big")
            tag, op = parts[1]
            plain.received.append(bytes([tag]) + op)
            if tag == 0x42:  # UnbindRequest
                return False
            if tag != 0x77:  # anything but an ExtendedRequest: this lab answers nothing else
                return False
            fields = dict(_parts(op))
            if fields.get(0x80) != STARTTLS_OID:
                plain.send(extended_response(message_id, 2, "unsupported extended operation"))
                continue
            if self.offer is Offer.OFFER:
                plain.send(extended_response(message_id, 0, name=STARTTLS_OID))
                return True
            if self.offer is Offer.REFUSE:
                plain.send(extended_response(message_id, 52, UNAVAILABLE_TEXT))
            else:
                plain.send(extended_response(message_id, 2, "unsupported extended operation"))
