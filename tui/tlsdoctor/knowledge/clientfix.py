"""Which client a fix's command is for, so the fixes shown follow the client that fails.

A private CA is trusted differently by each client: Java reads its `cacerts`
(`keytool`), Node its own bundle plus `NODE_EXTRA_CA_CERTS`, requests certifi
or `REQUESTS_CA_BUNDLE`, curl/OpenSSL, Python's ssl and Go the system store
(`update-ca-certificates`, `SSL_CERT_FILE`), browsers their NSS database
(`certutil`). A command that configures one of them is for that client; every
other command (a server change, a probe with `openssl s_client`) is for all.
With the failing clients known, a workaround's commands are theirs first,
then the general ones; the other clients' commands are left out.

Pure: the words of the command templates decide. No I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SYSTEM_STORE = frozenset({"curl", "openssl", "python-ssl", "go"})  # clients that read the system store on Linux

_MARKERS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\bkeytool\b|-Djavax\.net\.ssl\.|\bjava -D"), frozenset({"java"})),
    (re.compile(r"\bNODE_EXTRA_CA_CERTS\b|\bnode -e\b|\bnode app\.js\b"), frozenset({"node"})),
    (re.compile(r"\bREQUESTS_CA_BUNDLE\b|\bimport requests\b"), frozenset({"requests"})),
    (re.compile(r"\bSSL_CERT_FILE=.*\bpython3\b|\bimport (?:ssl|urllib)"), frozenset({"python-ssl"})),
    (re.compile(r"\bSSL_CERT_FILE=.*\bgo run\b"), frozenset({"go"})),
    (re.compile(r"^curl (?:--cacert|--cert)\b"), frozenset({"curl"})),
    (re.compile(r"\bupdate-ca-certificates\b|\bupdate-ca-trust\b"), SYSTEM_STORE),
    (re.compile(r"\bcertutil\b"), frozenset({"chrome", "firefox"})),
)


def command_clients(template: str) -> frozenset[str] | None:
    """The clients a command configures, or None when it is for everyone."""
    for pattern, clients in _MARKERS:
        if pattern.search(template):
            return clients
    return None


def commands_for(templates: Sequence[str], clients: Sequence[str]) -> tuple[str, ...]:
    """The commands for `clients` (model names): theirs first, then the general ones; all when none are named."""
    if not clients:
        return tuple(templates)
    wanted = set(clients)
    own = [t for t in templates if (c := command_clients(t)) is not None and c & wanted]
    general = [t for t in templates if command_clients(t) is None]
    return (*own, *general)
