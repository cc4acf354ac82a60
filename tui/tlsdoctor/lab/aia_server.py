"""A tiny HTTP server on loopback that serves certificates at AIA caIssuers paths.

For tests and `tlsdoctor demo`: it serves given bytes at given paths (404
otherwise) from a daemon thread, and can misbehave on purpose: `slow` (waits
before answering, to prove the fetch deadline) and `oversized` (answers with
more bytes than any certificate needs, to prove the size cap). Use it as a
context manager so it always stops.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

CONTENT_TYPES = {".crt": "application/pkix-cert", ".cer": "application/pkix-cert", ".der": "application/pkix-cert",
                 ".pem": "application/x-pem-file", ".p7c": "application/pkcs7-mime"}


class AiaServer:
    """Serve `files` ({"/path": bytes}) on 127.0.0.1; `mode` is "normal", "slow" or "oversized"."""

    def __init__(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        mode: str = "normal",
        delay: float = 5.0,
        oversized_bytes: int = 256 * 1024,
        redirects: Mapping[str, str] | None = None,
    ) -> None:
        self.files = dict(files or {})
        self.redirects = dict(redirects or {})
        self.mode = mode
        self.delay = delay
        self.oversized_bytes = oversized_bytes
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    def url_for(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path if path.startswith('/') else '/' + path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        lab = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet in tests
                return

            def do_GET(self) -> None:  # http.server's naming
                lab.requests.append(self.path)
                if lab.mode == "slow":
                    lab._stop.wait(lab.delay)
                if lab.mode == "oversized":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pkix-cert")
                    self.end_headers()
                    try:
                        self.wfile.write(b"\x30" * lab.oversized_bytes)
                    except OSError:
                        pass
                    return
                if self.path in lab.redirects:
                    self.send_response(302)
                    self.send_header("Location", lab.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = lab.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                suffix = "." + self.path.rsplit(".", 1)[-1] if "." in self.path else ""
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        return Handler

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases slow handlers at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


__all__ = ["AiaServer"]
