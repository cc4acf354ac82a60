"""Fetch a missing issuer from a certificate's AIA caIssuers URL, as browsers do.

I/O only; never raises: every fault is an `AiaFetch` with `ok=False` and an
`error_detail`. Plain `http://` only (RFC 5280 §4.2.2.1: caIssuers over https
would need the very chain being built), HTTP/1.0 GET over a blocking socket
with one overall deadline, at most two redirects, a size cap, and DER, PEM
or PKCS#7 certs-only bodies. `fetch_ca_issuers_sync` is the walk's (no
asyncio, issue 13); `fetch_ca_issuers` runs it for async callers.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from urllib.parse import urljoin, urlsplit

from cryptography import x509

from tlsdoctor.facts.aia import AiaFetch

MAX_REDIRECTS = 2
MAX_HEADER_BYTES = 64 * 1024  # the response head (status line and headers) may not be longer
_USER_AGENT = "tlsdoctor-aia/1"


class _Fault(Exception):
    """An expected failure, carried up to become `error_detail`."""


def parse_certificates(body: bytes) -> tuple[bytes, ...]:
    """DER certificates from a DER, PEM or PKCS#7 (certs-only, DER or PEM) body; raises _Fault."""
    from cryptography.hazmat.primitives import serialization  # lazy: start-up cost, rarely needed
    from cryptography.hazmat.primitives.serialization import pkcs7  # lazy: start-up cost (email.*), rarely needed

    attempts: list[Callable[[], Sequence[x509.Certificate]]] = []
    if b"-----BEGIN PKCS7-----" in body:
        attempts.append(lambda: pkcs7.load_pem_pkcs7_certificates(body))
    if b"-----BEGIN CERTIFICATE-----" in body:
        attempts.append(lambda: x509.load_pem_x509_certificates(body))
    attempts += [lambda: [x509.load_der_x509_certificate(body)], lambda: pkcs7.load_der_pkcs7_certificates(body)]
    for attempt in attempts:
        try:
            certs = attempt()
        except Exception:  # noqa: BLE001 - not this format: try the next
            continue
        if certs:
            return tuple(c.public_bytes(serialization.Encoding.DER) for c in certs)
    raise _Fault("body is not a DER, PEM or PKCS#7 certificate")


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _get(url: str, max_bytes: int, deadline: float) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        if parts.scheme.lower() == "https":
            raise _Fault("https caIssuers URL: RFC 5280 §4.2.2.1 requires http (a client cannot fetch it without the chain)")
        raise _Fault(f"unsupported URL scheme {parts.scheme!r}: caIssuers must be http://")
    host = parts.hostname
    if not host:
        raise _Fault("no host in URL")
    try:
        port = parts.port or 80
    except ValueError:
        raise _Fault("bad port in URL") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host_header = host if ":" not in host else f"[{host}]"
    if parts.port:
        host_header += f":{parts.port}"
    try:
        sock = socket.create_connection((host, port), timeout=_remaining(deadline))
    except TimeoutError:
        raise
    except OSError as exc:
        raise _Fault(f"connect failed: {exc.strerror or exc}") from None
    with sock:
        try:
            request = f"GET {path} HTTP/1.0\r\nHost: {host_header}\r\nUser-Agent: {_USER_AGENT}\r\nAccept: */*\r\nConnection: close\r\n\r\n"
            sock.settimeout(_remaining(deadline))
            sock.sendall(request.encode("ascii", "strict"))
            received = b""
            while b"\r\n\r\n" not in received:
                if len(received) > MAX_HEADER_BYTES:
                    raise _Fault("HTTP headers too long")
                sock.settimeout(_remaining(deadline))
                chunk = sock.recv(65536)
                if not chunk:
                    raise _Fault("connection closed before the HTTP headers ended")
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            if len(head) > MAX_HEADER_BYTES:
                raise _Fault("HTTP headers too long")
            lines = head.decode("iso-8859-1").split("\r\n")
            try:
                status = int(lines[0].split(" ", 2)[1])
            except (IndexError, ValueError):
                raise _Fault(f"not an HTTP response: {lines[0][:80]!r}") from None
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
            length = headers.get("content-length")
            if length and length.isdecimal() and int(length) > max_bytes:
                raise _Fault(f"response too large: Content-Length {length} > {max_bytes} bytes")
            while len(body) <= max_bytes:
                sock.settimeout(_remaining(deadline))
                chunk = sock.recv(max_bytes + 1 - len(body))
                if not chunk:
                    break
                body += chunk
            if len(body) > max_bytes:
                raise _Fault(f"response too large: more than {max_bytes} bytes")
            return status, headers, body
        except TimeoutError:
            raise
        except (OSError, UnicodeError) as exc:
            raise _Fault(f"read failed: {exc}") from None


def _fetch(url: str, max_bytes: int, deadline: float) -> tuple[int, str | None, tuple[bytes, ...]]:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, body = _get(current, max_bytes, deadline)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            current = urljoin(current, headers["location"])
            continue
        if status != 200:
            raise _StatusFault(status, headers.get("content-type"))
        return status, headers.get("content-type"), parse_certificates(body)
    raise _Fault(f"more than {MAX_REDIRECTS} redirects")


class _StatusFault(_Fault):
    def __init__(self, status: int, content_type: str | None) -> None:
        super().__init__(f"HTTP status {status}")
        self.status = status
        self.content_type = content_type


def fetch_ca_issuers_sync(url: str, timeout: float, *, max_bytes: int = 64 * 1024) -> AiaFetch:
    """GET one caIssuers URL within `timeout` seconds overall. Never raises."""
    start = time.perf_counter()

    def elapsed() -> float:
        return (time.perf_counter() - start) * 1000

    try:
        status, content_type, certs = _fetch(url, max_bytes, time.monotonic() + timeout)
    except _StatusFault as exc:
        return AiaFetch(url, False, (), str(exc), elapsed(), exc.content_type, exc.status)
    except _Fault as exc:
        return AiaFetch(url, False, (), str(exc), elapsed())
    except TimeoutError:
        return AiaFetch(url, False, (), f"timed out after {timeout:g} s", elapsed())
    except Exception as exc:  # noqa: BLE001 - a fault is data, whatever its kind
        return AiaFetch(url, False, (), f"{type(exc).__name__}: {exc}", elapsed())
    return AiaFetch(url, True, certs, None, elapsed(), content_type, status)


async def fetch_ca_issuers(url: str, timeout: float, *, max_bytes: int = 64 * 1024) -> AiaFetch:
    """`fetch_ca_issuers_sync` for async callers (in a worker thread)."""
    import asyncio  # lazy: the walk and `check` fetch without asyncio

    return await asyncio.to_thread(fetch_ca_issuers_sync, url, timeout, max_bytes=max_bytes)
