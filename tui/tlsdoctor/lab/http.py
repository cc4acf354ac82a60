"""What a lab TLS server does at the HTTP layer after the handshake: answer, or reject as nginx and Node do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class HttpKind(StrEnum):
    OK = "ok"
    REJECT_NO_CERT = "reject_no_cert"
    REJECT_IDENTITY = "reject_identity"
    SILENT_CLOSE = "silent_close"


NGINX_NO_CERT_BODY = (
    "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n"
    "<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
    "<center>No required SSL certificate was sent</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


NGINX_CERT_ERROR_BODY = (
    "<html>\r\n<head><title>400 The SSL certificate error</title></head>\r\n"
    "<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
    "<center>The SSL certificate error</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


IDENTITY_REJECT_BODY = "Client certificate identity not mapped to any authorized user"


@dataclass(frozen=True)
class HttpBehaviour:
    """What the server does after the handshake (it always reads one HTTP request first).

    - `ok()`: 200 "hello".
    - `reject_no_cert()`: nginx `ssl_verify_client on`: the TLS layer accepts
      anything; no certificate → 400 "No required SSL certificate was sent",
      an unverifiable one → 400 "The SSL certificate error".
    - `reject_identity(cn)`: the certificate verifies but its CN/SAN is not
      `cn` → 403 "Client certificate identity not mapped to any authorized user".
    - `silent_close()`: Node `rejectUnauthorized`: an unverifiable certificate
      completes the handshake, then the socket is closed without an alert.
    """

    kind: HttpKind = HttpKind.OK
    expected_identity: str | None = None

    @classmethod
    def ok(cls) -> HttpBehaviour:
        return cls(HttpKind.OK)

    @classmethod
    def reject_no_cert(cls) -> HttpBehaviour:
        return cls(HttpKind.REJECT_NO_CERT)

    @classmethod
    def reject_identity(cls, expected_cn: str) -> HttpBehaviour:
        return cls(HttpKind.REJECT_IDENTITY, expected_cn)

    @classmethod
    def silent_close(cls) -> HttpBehaviour:
        return cls(HttpKind.SILENT_CLOSE)

    @property
    def permissive_tls(self) -> bool:
        """True when the TLS layer accepts any client certificate and the
        decision is taken after the handshake (nginx, Node)."""
        return self.kind in (HttpKind.REJECT_NO_CERT, HttpKind.SILENT_CLOSE)


def http_response(status: int, reason: str, body: str, content_type: str = "text/plain") -> bytes:
    data = body.encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nServer: tlsdoctor-lab\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + data
