"""Database lab servers: PostgreSQL (SSLRequest → 'S' or 'N') and MySQL (handshake v10 with CLIENT_SSL, SSLRequest).

Written from the protocol documentation (PostgreSQL "Message Flow: SSL Session
Encryption", MySQL "Protocol::HandshakeV10" and "Protocol::SSLRequest"); they
speak only as far as TLS, then the TLS server takes the socket.
"""

from __future__ import annotations

import struct

from tlsdoctor.lab.starttls.base import Offer, Plain, StarttlsServer

PG_SSL_REQUEST_CODE = 80877103
PG_GSSENC_REQUEST_CODE = 80877104
PG_PROTOCOL_3 = 196608


def pg_error(message: str, code: str = "28000") -> bytes:
    """An ErrorResponse: severity, SQLSTATE and message fields."""
    fields = b"".join(k + v.encode("utf-8") + b"\0" for k, v in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", code), (b"M", message)))
    body = fields + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


class PostgresServer(StarttlsServer):
    """The server side of SSLRequest: 'S' and TLS, or 'N' (`ssl = off`) and a plaintext refusal after it."""

    protocol = "postgres"

    def negotiate(self, plain: Plain) -> bool:
        while True:
            length, code = struct.unpack("!ii", plain.exactly(8))
            if length != 8 or code not in (PG_SSL_REQUEST_CODE, PG_GSSENC_REQUEST_CODE):
                # a StartupMessage in clear (after our 'N'): what pg_hba.conf's hostssl lines say to it
                plain.exactly(max(0, min(length - 8, 10_000)))
                plain.send(pg_error('no pg_hba.conf entry for host "127.0.0.1", user "tlsdoctor", database "tlsdoctor", no encryption'))
                return False
            if code == PG_GSSENC_REQUEST_CODE or self.offer is not Offer.OFFER:
                plain.send(b"N")
                continue
            plain.send(b"S")
            return True


CLIENT_LONG_PASSWORD = 0x1
CLIENT_PROTOCOL_41 = 0x200
CLIENT_SSL = 0x800
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_PLUGIN_AUTH = 0x80000
SERVER_VERSION = "8.0.36-tlsdoctor-lab"


def mysql_packet(sequence: int, payload: bytes) -> bytes:
    return len(payload).to_bytes(3, "little") + bytes([sequence & 0xFF]) + payload


def handshake_v10(ssl: bool, connection_id: int = 7) -> bytes:
    """Protocol::HandshakeV10 with or without CLIENT_SSL."""
    flags = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH
    if ssl:
        flags |= CLIENT_SSL
    scramble = b"0123456789abcdefghij"  # 20 bytes of auth-plugin-data (a lab needs no randomness)
    return (
        b"\x0a" + SERVER_VERSION.encode("ascii") + b"\0"
        + struct.pack("<I", connection_id)
        + scramble[:8] + b"\0"
        + struct.pack("<H", flags & 0xFFFF)
        + bytes([33])  # utf8_general_ci
        + struct.pack("<H", 0x0002)  # SERVER_STATUS_AUTOCOMMIT
        + struct.pack("<H", flags >> 16)
        + bytes([len(scramble) + 1])
        + b"\0" * 10
        + scramble[8:] + b"\0"
        + b"mysql_native_password\0"
    )  # fmt: skip


def mysql_error(code: int, state: str, message: str, sequence: int, *, with_state: bool = True) -> bytes:
    marker = b"#" + state.encode("ascii") if with_state else b""
    return mysql_packet(sequence, b"\xff" + struct.pack("<H", code) + marker + message.encode("utf-8"))


class MysqlServer(StarttlsServer):
    """Handshake v10 (CLIENT_SSL set when offering), then the client's SSLRequest starts TLS."""

    protocol = "mysql"

    def negotiate(self, plain: Plain) -> bool:
        if self.offer is Offer.REFUSE:  # refused before any handshake, as mysqld does for an unknown host
            plain.send(mysql_error(1130, "HY000", "Host '127.0.0.1' is not allowed to connect to this MySQL server", 0, with_state=False))
            return False
        plain.send(mysql_packet(0, handshake_v10(self.offer is Offer.OFFER)))
        head = plain.exactly(4)
        length, sequence = int.from_bytes(head[:3], "little"), head[3]
        payload = plain.exactly(min(length, 1 << 16))
        flags = struct.unpack("<I", payload[:4])[0] if len(payload) >= 4 else 0
        if length == 32 and flags & CLIENT_SSL and self.offer is Offer.OFFER:
            return True
        plain.send(mysql_error(3159, "HY000", "Connections using insecure transport are prohibited while --require_secure_transport=ON.", sequence + 1))
        return False
