"""The binary preambles: LDAP StartTLS (RFC 4511 §4.14, BER), PostgreSQL SSLRequest, MySQL SSL request.

The BER here is the one fixed request and the few fields of its response,
written out by hand: a general ASN.1 library would be larger than the whole
exchange. Lengths are bounded before anything is read.
"""

from __future__ import annotations

import struct

from tlsdoctor.probe.tls.preamble.reader import PreambleRefused, Reader, words

# --- LDAP ------------------------------------------------------------------------------
STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"
# LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] STARTTLS_OID } }
LDAP_STARTTLS_REQUEST = (
    b"\x30" + bytes([3 + 2 + 2 + len(STARTTLS_OID)])
    + b"\x02\x01\x01"
    + b"\x77" + bytes([2 + len(STARTTLS_OID)])
    + b"\x80" + bytes([len(STARTTLS_OID)]) + STARTTLS_OID
)  # fmt: skip
LDAP_RESULT_NAMES = {
    0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded", 7: "authMethodNotSupported",
    8: "strongerAuthRequired", 12: "unavailableCriticalExtension", 13: "confidentialityRequired",
    51: "busy", 52: "unavailable", 53: "unwillingToPerform", 80: "other",
}  # fmt: skip
_MAX_BER = 16 * 1024


def _ber_tlv(data: bytes, at: int) -> tuple[int, bytes, int]:
    """(tag, value, next offset) of the BER element at `at` in `data`; ValueError when it does not fit."""
    if at + 2 > len(data):
        raise ValueError("short")
    tag, first = data[at], data[at + 1]
    at += 2
    if first & 0x80:
        n = first & 0x7F
        if not 0 < n <= 3 or at + n > len(data):
            raise ValueError("bad length")
        length = int.from_bytes(data[at : at + n], "big")
        at += n
    else:
        length = first
    if at + length > len(data):
        raise ValueError("short")
    return tag, data[at : at + length], at + length


def _read_ber(r: Reader) -> bytes:
    """One whole BER element from the reader (header and value)."""
    head = r.exactly(2)
    if head[0] != 0x30:
        raise PreambleRefused("unexpected-reply", words(repr(head)))
    extra = b""
    length = head[1]
    if length & 0x80:
        n = length & 0x7F
        if not 0 < n <= 3:
            raise PreambleRefused("unexpected-reply", words(repr(head)))
        extra = r.exactly(n)
        length = int.from_bytes(extra, "big")
    if length > _MAX_BER:
        raise PreambleRefused("unexpected-reply", words(f"LDAP message of {length} bytes"))
    return head + extra + r.exactly(length)


def ldap_result(message: bytes) -> tuple[int, int, str]:
    """(messageID, resultCode, diagnosticMessage) of an ExtendedResponse; ValueError otherwise."""
    _tag, body, _end = _ber_tlv(message, 0)
    tag, msgid, at = _ber_tlv(body, 0)
    if tag != 0x02:
        raise ValueError("no messageID")
    tag, response, _at = _ber_tlv(body, at)
    if tag != 0x78:  # [APPLICATION 24] ExtendedResponse
        raise ValueError(f"not an ExtendedResponse (tag {tag:#x})")
    tag, code, at = _ber_tlv(response, 0)
    if tag != 0x0A:
        raise ValueError("no resultCode")
    _tag, _matched, at = _ber_tlv(response, at)
    _tag, diagnostic, at = _ber_tlv(response, at)
    return int.from_bytes(msgid, "big"), int.from_bytes(code, "big"), diagnostic.decode("utf-8", errors="replace")


def ldap(r: Reader, server_name: str | None) -> None:
    """RFC 4511 §4.14.1: the StartTLS extended request; resultCode success (0) is the go-ahead."""
    r.send(LDAP_STARTTLS_REQUEST)
    message = _read_ber(r)
    try:
        _msgid, code, diagnostic = ldap_result(message)
    except ValueError:
        raise PreambleRefused("unexpected-reply", words(repr(message[:64]))) from None
    if code != 0:
        name = LDAP_RESULT_NAMES.get(code, "resultCode")
        said = f"{code} {name}" + (f": {diagnostic}" if diagnostic else "")
        # protocolError: the server does not know the StartTLS operation at all (RFC 4511 §4.12)
        raise PreambleRefused("not-offered" if code == 2 else "refused", words(said))


# --- PostgreSQL ----------------------------------------------------------------------------
PG_SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # PostgreSQL protocol: SSLRequest


def _pg_error(r: Reader) -> str:
    """The fields of an ErrorResponse after its 'E' (severity, code, message), on one line."""
    length = struct.unpack("!i", r.exactly(4))[0]
    if not 4 < length <= _MAX_BER:
        return "E"
    fields = {}
    for part in r.exactly(length - 4).split(b"\0"):
        if part:
            fields[part[:1]] = part[1:].decode("utf-8", errors="replace")
    return " ".join(x for x in (fields.get(b"S"), fields.get(b"C"), fields.get(b"M")) if x) or "E"


def postgres(r: Reader, server_name: str | None) -> None:
    """SSLRequest → 'S' (go ahead), 'N' (the server has no SSL: `ssl = off`) or an ErrorResponse."""
    r.send(PG_SSL_REQUEST)
    answer = r.exactly(1)
    if answer == b"S":
        return
    if answer == b"N":
        raise PreambleRefused("refused", "N")
    if answer == b"E":
        raise PreambleRefused("refused", words(_pg_error(r)))
    raise PreambleRefused("unexpected-reply", words(repr(answer + r.leftover()[:32])))


# --- MySQL ---------------------------------------------------------------------------------
CLIENT_LONG_PASSWORD = 0x1
CLIENT_PROTOCOL_41 = 0x200
CLIENT_SSL = 0x800
CLIENT_SECURE_CONNECTION = 0x8000
_MYSQL_CHARSET_UTF8 = 33


def _mysql_packet(r: Reader) -> tuple[int, bytes]:
    head = r.exactly(4)
    length = int.from_bytes(head[:3], "little")
    if length > _MAX_BER:
        raise PreambleRefused("unexpected-reply", words(repr(head)))
    return head[3], r.exactly(length)


def mysql_ssl_request(sequence: int) -> bytes:
    """The SSLRequest packet (Protocol::SSLRequest): capability flags, max packet, charset, 23 zero bytes."""
    flags = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION
    payload = struct.pack("<IIB23s", flags, 16 * 1024 * 1024, _MYSQL_CHARSET_UTF8, b"")
    return len(payload).to_bytes(3, "little") + bytes([sequence & 0xFF]) + payload


def mysql_error_text(payload: bytes) -> str:
    """An ERR packet as the mysql client prints it: `ERROR 1130 (HY000): Host … is not allowed …`."""
    code = int.from_bytes(payload[1:3], "little") if len(payload) >= 3 else 0
    rest = payload[3:]
    state = ""
    if rest[:1] == b"#":
        state, rest = rest[1:6].decode("ascii", errors="replace"), rest[6:]
    message = rest.decode("utf-8", errors="replace")
    return f"ERROR {code}" + (f" ({state})" if state else "") + f": {message}"


def mysql(r: Reader, server_name: str | None) -> None:
    """Initial Handshake v10 with CLIENT_SSL → SSLRequest; an ERR packet or no CLIENT_SSL is a refusal."""
    sequence, payload = _mysql_packet(r)
    if payload[:1] == b"\xff":
        raise PreambleRefused("refused", words(mysql_error_text(payload)))
    if payload[:1] != b"\x0a":
        raise PreambleRefused("unexpected-reply", words(repr(payload[:32])))
    version, sep, rest = payload[1:].partition(b"\0")
    if not sep or len(rest) < 4 + 8 + 1 + 2:
        raise PreambleRefused("unexpected-reply", words(repr(payload[:64])))
    flags = int.from_bytes(rest[13:15], "little")
    if not flags & CLIENT_SSL:
        said = f"{version.decode('utf-8', errors='replace')} (capability flags {flags:#06x}, no CLIENT_SSL)"
        raise PreambleRefused("not-offered", words(said))
    r.send(mysql_ssl_request(sequence + 1))
