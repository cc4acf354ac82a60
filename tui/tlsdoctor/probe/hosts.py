"""Read the hosts file (default /etc/hosts). I/O only: parsing lives in analysis/hosts.py.

`read_hosts_file` never raises: a file that cannot be used (missing, a
directory, a FIFO or device, binary, over 4 MB) is a `HostsFile` with
`text=None` (or the first 4 MB and `truncated`) and a one-line `error_detail`
saying what could not be read; the walk turns that into a finding, never a
silent ok. `check_hosts_file` is the strict form for a file the user named:
the same problems are bad input (exit 2).
"""

from __future__ import annotations

import os

from tlsdoctor.errors import BadInput
from tlsdoctor.facts.hosts import HostsFile
from tlsdoctor.i18n import _
from tlsdoctor.probe.files import read_user_file

DEFAULT_HOSTS_FILE = "/etc/hosts"
MAX_HOSTS_BYTES = 4 * 1024 * 1024


def _binary(data: bytes) -> bool:
    """A NUL byte: no hosts file has one (what grep and git call binary)."""
    return b"\x00" in data


def check_hosts_file(path: str) -> bytes:
    """The whole file, or BadInput (one line) when it is no usable hosts file."""
    data = read_user_file(path, "--hosts-file", limit=MAX_HOSTS_BYTES)
    if _binary(data):
        raise BadInput(_("--hosts-file {path!r} holds binary data (NUL bytes): not a hosts file").format(path=path))
    return data


def read_hosts_file(path: str = DEFAULT_HOSTS_FILE) -> HostsFile:
    """Decoded as UTF-8 with replacement; over MAX_HOSTS_BYTES, the first 4 MB up to a whole line."""
    try:
        data = read_user_file(path, _("hosts file"), limit=MAX_HOSTS_BYTES, more=True)
    except BadInput as exc:
        return HostsFile(path, None, str(exc), missing=not os.path.lexists(path))
    if _binary(data):
        return HostsFile(path, None, _("hosts file {path!r} holds binary data (NUL bytes): not a hosts file").format(path=path))
    if len(data) <= MAX_HOSTS_BYTES:
        return HostsFile(path, data.decode("utf-8", errors="replace"))
    data = data[: data.rfind(b"\n", 0, MAX_HOSTS_BYTES) + 1]
    detail = _("hosts file {path!r} is larger than 4 MB: only its first {n} lines were read").format(path=path, n=data.count(b"\n"))
    return HostsFile(path, data.decode("utf-8", errors="replace"), detail, truncated=True)
