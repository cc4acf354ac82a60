"""The Python clients of the conformance suite: `ssl` (a socket, as `http.client` does) or `requests`.

Usage: python pyprobe.py ssl|requests JOBS.json — one JSON line per job on stdout:
{"id", "accepted", "detail", "text"}; `text` is what a person would paste (the traceback).
Runs under any Python 3 (the suite may use several interpreters); standard library only
for `ssl`. The host is used exactly as typed (a U-label, a trailing dot, an IP literal):
each library turns it into SNI and the name it checks in its own way.
"""

import json
import socket
import sys
import traceback

_real_getaddrinfo = socket.getaddrinfo


def _ssl(job):
    import ssl

    ctx = ssl.create_default_context(cafile=job["ca"])
    with socket.create_connection((job["address"], job["port"]), timeout=10) as raw, ctx.wrap_socket(raw, server_hostname=job["host"]) as tls:
        tls.sendall(b"GET / HTTP/1.1\r\nHost: conformance\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    return status.startswith("HTTP/1.1 200") and body == b"hello", status


def _requests(job):
    import requests

    # Name resolution only: every name of this job is the lab address (the TLS checks are untouched).
    socket.getaddrinfo = lambda host, port, *a, **k: _real_getaddrinfo(job["address"], port, *a, **k)
    session = requests.Session()
    session.trust_env = False  # no proxies, no REQUESTS_CA_BUNDLE: the case's root only
    response = session.get(job["url"], verify=job["ca"], timeout=10)
    return response.status_code == 200 and response.text == "hello", f"HTTP {response.status_code}"


def main():
    with open(sys.argv[2], encoding="utf-8") as f:
        mode, jobs = sys.argv[1], json.load(f)
    run = _ssl if mode == "ssl" else _requests
    for job in jobs:
        try:
            accepted, detail = run(job)
            text = ""
        except Exception as exc:
            accepted, detail, text = False, f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}", traceback.format_exc()
        print(json.dumps({"id": job["id"], "accepted": accepted, "detail": detail, "text": text}), flush=True)


if __name__ == "__main__":
    main()
