"""The lab's own scenarios as conformance cases: what `tlsdoctor demo` serves, checked against the real clients.

Each TLS scenario of `tlsdoctor.lab.scenarios` is set up by the lab itself and
described here as a `Served` (the vhost the client reaches with SNI, the lab's
root as the only anchor). Two scenarios are left out, with the reason: they are
not about the server's certificate.
"""

from __future__ import annotations

from client_cases import Served

from tlsdoctor.lab.certs import Issued
from tlsdoctor.lab.scenarios import SCENARIO_IDS, Lab, scenario
from tlsdoctor.lab.tls_server import HttpBehaviour, TlsServer

LEFT_OUT = {
    "black-hole": "no TLS at all: the server never answers (connect-timeout)",
    "mtls-required": "about the client's certificate: every client without one is refused by the server",
}
LAB_IDS = tuple(f"lab-{sid}" for sid in SCENARIO_IDS if sid not in LEFT_OUT)


def lab_case(lab: Lab, case_id: str) -> tuple[str, Served, TlsServer]:
    """(title, what is served, a server not yet started) for `lab-<scenario>`.

    The lab's scenario servers complete the handshake and then say nothing (the
    walk needs no HTTP); the suite needs an answer to tell "accepted" from a
    hang, so the same vhosts are served again, on the same address, with
    HTTP 200 after the handshake.
    """
    s = scenario(case_id.removeprefix("lab-"))
    original = lab.run(s.id).servers[0]
    assert isinstance(original, TlsServer)
    vhost = original.sni.get(s.host.lower(), original.default)
    assert isinstance(vhost.cert, Issued)
    served = Served(vhost.cert, tuple(vhost.chain), (lab.pki.root.cert,), s.host, original.address)
    server = TlsServer(original.default, original.sni, http=HttpBehaviour.ok(), address=original.address)
    return f"lab scenario {s.id}", served, server
