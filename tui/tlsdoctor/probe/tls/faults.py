"""How a failed attempt is named: OS and OpenSSL errors → `FetchError` and a one-line detail.

Pure helpers of the attempt (no sockets here). The detail texts are data
(stable, English): renderers translate by `error`, they do not show these raw.
"""

from __future__ import annotations

import errno

from OpenSSL import SSL

from tlsdoctor.facts.tls import FetchError

# Texts the probe writes itself into `error_detail`.
DETAIL_SILENT_CLOSE = "closed after handshake without an alert"
DETAIL_CLOSE_NOTIFY = "closed after handshake without a response"
DETAIL_NO_RESPONSE = "no response after the handshake"

# OpenSSL reasons that mean the peer does not speak TLS at all.
NOT_TLS_REASONS = ("wrong version number", "packet length too long", "http request", "unexpected record")

_REFUSED = {errno.ECONNREFUSED}
_RESET = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}
_TIMEOUT = {errno.ETIMEDOUT}


def os_error_kind(code: int | None) -> FetchError:
    if code in _REFUSED:
        return FetchError.REFUSED
    if code in _RESET:
        return FetchError.RESET
    if code in _TIMEOUT:
        return FetchError.TIMEOUT
    return FetchError.UNREACHABLE  # EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT, …


def os_error_text(exc: OSError) -> str:
    if exc.errno is not None:
        return f"[Errno {exc.errno}] {exc.strerror or errno.errorcode.get(exc.errno, '')}".strip()
    return " ".join(str(exc).split()) or type(exc).__name__


def ssl_error_text(exc: SSL.Error) -> str:
    """The library's reasons on one line, e.g. "tlsv13 alert certificate required"."""
    if exc.args and isinstance(exc.args[0], list):
        reasons = [str(item[-1]) for item in exc.args[0] if item and item[-1]]
        if reasons:
            return "; ".join(dict.fromkeys(reasons))
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def looks_like_tls(first: bytes) -> bool:
    """A TLS record starts with a content type 20..24 and a major version 3."""
    if not first:
        return True  # nothing seen: no evidence either way
    if len(first) >= 1 and not 20 <= first[0] <= 24:
        return False
    return len(first) < 2 or first[1] == 3


def timeout_text(phase: str, timeout: float) -> str:
    return f"{phase} did not finish within {timeout:g} s"


def not_tls_text(first: bytes) -> str:
    return f"peer did not answer with TLS (first bytes {first[:16]!r})"
