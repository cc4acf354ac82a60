"""Fetch what a TLS server presents: one handshake per address and SNI mode.

I/O only. Verification never happens here: the fetch accepts any certificate
and records the chain exactly as the server sent it (DER, in order), so the
analysis can say what is wrong with it. Faults (refused, timeout, not TLS,
alerts) come back as data in `Handshake`, never as exceptions.

pyOpenSSL rather than `ssl` because it exposes the whole presented chain, the
CA names of a CertificateRequest and the alerts received (info callback).
A client private key stays in memory and never appears in any output.

Modules: `handshakes` (the API: `fetch`, `fetch_all`, and their blocking `_sync` forms), `attempt` (one
attempt's state machine, in its own thread), `context` (what the client
offers), `faults` (naming what went wrong).
"""

from tlsdoctor.probe.tls.faults import (
    DETAIL_CLOSE_NOTIFY,
    DETAIL_NO_RESPONSE,
    DETAIL_SILENT_CLOSE,
)
from tlsdoctor.probe.tls.handshakes import ALL_MODES, DEAD, Progress, fetch, fetch_all, fetch_all_sync, fetch_sync, in_thread

__all__ = [
    "ALL_MODES",
    "DEAD",
    "DETAIL_CLOSE_NOTIFY",
    "DETAIL_NO_RESPONSE",
    "DETAIL_SILENT_CLOSE",
    "Progress",
    "fetch",
    "fetch_all",
    "fetch_all_sync",
    "fetch_sync",
    "in_thread",
]
