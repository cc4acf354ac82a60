"""One handshake attempt, synchronous: the state machine that runs in its own short-lived thread.

pyOpenSSL over memory BIOs, driven by a non-blocking socket and a select loop
against ONE deadline for the whole attempt (connect + handshake + optional
read), so a server that drips one byte at a time still ends on time. Faults
(refused, timeout, not TLS, alerts) end up as data in the `Handshake`, never
as exceptions. Verification never happens here.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import time

from OpenSSL import SSL, crypto

from tlsdoctor.facts.tls import ClientCredentials, FetchError, Handshake, SniMode
from tlsdoctor.probe.tls.context import (
    CredentialError,
    ascii_name,
    new_context,
    sni_to_send,
)
from tlsdoctor.probe.tls.faults import (
    DETAIL_CLOSE_NOTIFY,
    DETAIL_NO_RESPONSE,
    DETAIL_SILENT_CLOSE,
    NOT_TLS_REASONS,
    looks_like_tls,
    not_tls_text,
    os_error_kind,
    os_error_text,
    ssl_error_text,
    timeout_text,
)
from tlsdoctor.probe.tls.preamble import PreambleRefused, SocketChannel, run_preamble

_READ_LIMIT = 64 * 1024
_BODY_EXCERPT = 200
_STATE_CERT_REQUEST = b"SSLv3/TLS read server certificate request"
_STATE_WRITE_CLIENT_CERT = b"SSLv3/TLS write client certificate"


class _Deadline(Exception):
    """The attempt's single deadline passed."""


class _PeerClosed(Exception):
    """The socket reached EOF (FIN) while we waited for more."""


class Attempt:
    """The mutable state of one attempt; turned into a frozen `Handshake` at the end."""

    def __init__(
        self,
        address: str,
        port: int,
        server_name: str | None,
        sni_mode: SniMode,
        timeout: float,
        client: ClientCredentials | None,
        read_after_handshake: bool,
        http_host: str | None,
        read_window: float | None = None,
        preamble: str | None = None,
    ) -> None:
        self.address = address
        self.server_name = server_name
        self.preamble = preamble  # a STARTTLS protocol spoken before the handshake (probe.tls.preamble)
        self.port = port
        self.sni_mode = sni_mode
        self.sent_name = sni_to_send(server_name, sni_mode)
        self.client = client
        self.read_after_handshake = read_after_handshake
        self.http_host = http_host
        self.read_window = read_window
        self.start = time.monotonic()
        self.deadline = self.start + max(timeout, 0.0)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.conn: SSL.Connection | None = None
        self.first_bytes = b""
        self.eof = False
        self.alert: int | None = None
        self.alert_during: str | None = None
        self.handshake_done = False
        self.cert_requested = False
        self.client_cert_written = False
        self.ca_names: tuple[str, ...] = ()
        self.result: dict[str, object] = {}

    # socket plumbing -------------------------------------------------------
    def _remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Deadline
        return left

    def _wait(self, *, read: bool) -> None:
        assert self.sock is not None
        SocketChannel(self.sock, self._remaining).wait(read=read)

    def _send_all(self, data: bytes) -> None:
        assert self.sock is not None
        SocketChannel(self.sock, self._remaining).send(data)

    def _flush(self) -> None:
        """Send what OpenSSL wrote into its outgoing memory BIO."""
        assert self.conn is not None
        while True:
            try:
                data = self.conn.bio_read(65536)
            except SSL.WantReadError:
                return
            if not data:
                return
            self._send_all(data)

    def _feed(self) -> None:
        """Wait for bytes from the peer (within the deadline) and give them to OpenSSL."""
        assert self.sock is not None and self.conn is not None
        if self.eof:
            raise _PeerClosed
        self._wait(read=True)
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        if not data:
            self.eof = True
            self.conn.bio_shutdown()
            return
        if len(self.first_bytes) < 16:
            self.first_bytes += data[: 16 - len(self.first_bytes)]
        self.conn.bio_write(data)

    def _connect(self) -> None:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        code = self.sock.connect_ex((self.address, self.port))
        if code in (errno.EINPROGRESS, errno.EAGAIN, errno.EWOULDBLOCK):
            self._wait(read=False)
            code = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            raise OSError(code, os.strerror(code))

    # TLS ---------------------------------------------------------------------
    def _info(self, conn: SSL.Connection, where: int, ret: int) -> None:
        """Records alerts and the CertificateRequest as OpenSSL walks its state machine.

        The CertificateRequest: the client's state machine passes through the
        state "read server certificate request" exactly when it has parsed
        one (TLS 1.2 and 1.3 alike); the CA list alone cannot tell, since a
        server may request a certificate with an empty list.
        """
        try:
            if where & SSL.SSL_CB_READ_ALERT == SSL.SSL_CB_READ_ALERT:  # not our own alerts
                level, description = ret >> 8, ret & 0xFF
                if (level == 2 or description != 0) and self.alert is None:
                    self.alert = description
                    self.alert_during = "read" if self.handshake_done else "handshake"
            elif where & SSL.SSL_CB_LOOP:
                state = conn.get_state_string()
                if state == _STATE_CERT_REQUEST:
                    self.cert_requested = True
                elif state == _STATE_WRITE_CLIENT_CERT:
                    self.client_cert_written = True
        except Exception:  # noqa: BLE001 - a callback must never raise into OpenSSL
            return

    def _handshake(self) -> None:
        assert self.conn is not None
        while True:
            try:
                self.conn.do_handshake()
                break
            except SSL.WantReadError:
                self._flush()
                self._feed()
        self.handshake_done = True
        self._flush()  # TLS 1.3: the client's Certificate/Finished go out now

    def _read(self) -> None:
        """After the handshake: optional GET, then read until close or deadline."""
        assert self.conn is not None
        if self.http_host is not None:
            host = "".join(ch for ch in self.http_host if ch.isprintable() and ch not in "\r\n")
            request = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(
                "ascii", errors="replace"
            )
            self.conn.sendall(request)
            self._flush()
        if self.read_window is not None:
            self.deadline = min(self.deadline, time.monotonic() + max(self.read_window, 0.0))
        buffer = b""
        ending = "deadline"
        while len(buffer) < _READ_LIMIT:
            try:
                chunk = self.conn.recv(_READ_LIMIT - len(buffer))
            except SSL.WantReadError:
                try:
                    self._flush()
                    self._feed()
                except _Deadline:
                    break
                except _PeerClosed:
                    ending = "eof"
                    break
                continue
            except SSL.ZeroReturnError:
                ending = "close_notify"
                break
            except SSL.SysCallError as exc:
                if exc.args and exc.args[0] in (-1, 0):
                    ending = "eof"
                    break
                raise OSError(exc.args[0], str(exc.args[1]) if len(exc.args) > 1 else "") from exc
            if not chunk:
                ending = "eof"
                break
            buffer += chunk
        self.result["bytes_after_handshake"] = len(buffer)
        if buffer:
            self._parse_http(buffer)
        elif ending == "eof":
            self.result.update(error=FetchError.RESET, error_detail=DETAIL_SILENT_CLOSE, phase="read")
        elif ending == "close_notify":
            self.result.update(error=FetchError.RESET, error_detail=DETAIL_CLOSE_NOTIFY, phase="read")
        elif self.http_host is not None:
            self.result.update(error=FetchError.TIMEOUT, error_detail=DETAIL_NO_RESPONSE, phase="read")

    def _parse_http(self, data: bytes) -> None:
        head, _, body = data.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = status_line.split(" ", 2)
        if len(parts) >= 2 and parts[0].startswith("HTTP/") and parts[1].isdecimal():
            self.result["http_status"] = int(parts[1])
            self.result["http_reason"] = parts[2] if len(parts) > 2 else ""
            self.result["http_body_excerpt"] = body.decode("utf-8", errors="replace")[:_BODY_EXCERPT]
        else:
            self.result["http_body_excerpt"] = data.decode("utf-8", errors="replace")[:_BODY_EXCERPT]

    # the whole attempt -------------------------------------------------------
    def run(self) -> Handshake:
        phase = "connect"
        try:
            try:
                ipaddress.ip_address(self.address)
            except ValueError:
                raise OSError(errno.EADDRNOTAVAIL, "not an IP address") from None
            try:
                ctx = new_context(self._info, self.client)
            except CredentialError as exc:
                self.result.update(error=FetchError.HANDSHAKE, error_detail=str(exc), phase="connect")
                return self._finish(ok=False)
            self._connect()
            leftover = b""
            if self.preamble is not None:
                phase = "preamble"
                assert self.sock is not None
                leftover = run_preamble(self.preamble, SocketChannel(self.sock, self._remaining), self.server_name)
            phase = "handshake"
            self.conn = SSL.Connection(ctx, None)
            self.conn.set_connect_state()
            if leftover:  # sent right after the go-ahead: it belongs to TLS
                self.first_bytes = leftover[:16]
                self.conn.bio_write(leftover)
            if self.sent_name is not None:
                self.conn.set_tlsext_host_name(ascii_name(self.sent_name))
            self._handshake()
            self._record_session()
            if self.read_after_handshake:
                phase = "read"
                self._read()
            return self._finish(ok=True)
        except PreambleRefused as exc:
            self.result.update(error=FetchError.STARTTLS_REFUSED, error_detail=exc.said, phase=phase, starttls_reason=exc.reason)
        except _Deadline:
            self.result.update(
                error=FetchError.TIMEOUT,
                error_detail=timeout_text(phase, self.timeout),
                phase=phase,
            )
        except _PeerClosed:
            self._classify_eof(phase)
        except SSL.SysCallError as exc:
            code = exc.args[0] if exc.args else -1
            if isinstance(code, int) and code > 0:
                self._classify_os(OSError(code, os.strerror(code)), phase)
            else:
                self._classify_eof(phase)
        except SSL.Error as exc:
            self._classify_ssl(exc, phase)
        except OSError as exc:
            self._classify_os(exc, phase)
        if self.conn is not None:
            # Also after a failure: a TLS 1.2 server that refuses us for lack of a
            # client certificate has already sent its own chain.
            self._record_session()
        return self._finish(ok=self.handshake_done)

    def _record_session(self) -> None:
        assert self.conn is not None
        if "presented_chain" in self.result:
            return
        try:
            chain = self.conn.get_peer_cert_chain() or []
        except Exception:  # noqa: BLE001 - no chain to record is not a fault of the attempt
            chain = []
        if chain:
            # DER straight from OpenSSL: no cryptography object, and no import of its serialization
            # package (which loads the SSH and cipher modules: ~3 ms of every check, issue 13)
            self.result["presented_chain"] = tuple(crypto.dump_certificate(crypto.FILETYPE_ASN1, c) for c in chain)
        if self.handshake_done:
            self.result["protocol"] = self.conn.get_protocol_version_name()
            self.result["cipher"] = self.conn.get_cipher_name()

    def _classify_eof(self, phase: str) -> None:
        if phase == "read":
            self.result.update(error=FetchError.RESET, error_detail=DETAIL_SILENT_CLOSE, phase=phase)
        elif not looks_like_tls(self.first_bytes):
            self.result.update(error=FetchError.NOT_TLS, error_detail=not_tls_text(self.first_bytes), phase=phase)
        elif self.alert is not None:
            self.result.update(
                error=FetchError.HANDSHAKE, error_detail=f"alert {self.alert} then connection closed", phase=phase
            )
        else:
            self.result.update(error=FetchError.RESET, error_detail="unexpected eof while reading", phase=phase)

    def _classify_os(self, exc: OSError, phase: str) -> None:
        kind = os_error_kind(exc.errno)
        if phase == "read" and kind == FetchError.RESET and not self.result.get("bytes_after_handshake"):
            self.result.update(error=FetchError.RESET, error_detail=DETAIL_SILENT_CLOSE, phase=phase)
            return
        self.result.update(error=kind, error_detail=os_error_text(exc), phase=phase)

    def _classify_ssl(self, exc: SSL.Error, phase: str) -> None:
        text = ssl_error_text(exc)
        if self.alert is None and (
            not looks_like_tls(self.first_bytes) or any(r in text for r in NOT_TLS_REASONS)
        ) and phase == "handshake":
            self.result.update(error=FetchError.NOT_TLS, error_detail=text, phase=phase)
            return
        self.result.update(error=FetchError.HANDSHAKE, error_detail=text, phase=phase)

    def _finish(self, *, ok: bool) -> Handshake:
        if self.conn is not None:
            self._collect_ca_names()
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        result = dict(self.result)
        if self.alert is not None:
            result["alert"] = self.alert
            result["alert_during"] = self.alert_during
            if self.alert_during == "read" and result.get("error") is None:
                result["error"] = FetchError.HANDSHAKE
        return Handshake(
            address=self.address,
            port=self.port,
            sni_mode=self.sni_mode,
            server_name=self.sent_name,
            ok=ok,
            elapsed_ms=(time.monotonic() - self.start) * 1000.0,
            certificate_requested=self.cert_requested,
            acceptable_client_cas=self.ca_names,
            client_cert_sent=self.client is not None and self.cert_requested and self.client_cert_written,
            starttls=self.preamble,
            **result,  # type: ignore[arg-type]
        )

    def _collect_ca_names(self) -> None:
        assert self.conn is not None
        try:
            names = self.conn.get_client_ca_list(as_cryptography=True)
        except Exception:  # noqa: BLE001 - no CA list to record is not a fault of the attempt
            return
        self.ca_names = tuple(name.rfc4514_string() for name in names)

