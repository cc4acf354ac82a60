"""Read the hosts file (default /etc/hosts). I/O only: parsing lives in analysis/hosts.py.

Never raises: a missing or unreadable file is a `HostsFile` with `text=None`
and a one-line `error_detail` (the operating system's reason).
"""

from __future__ import annotations

from tlsdoctor.facts.hosts import HostsFile

DEFAULT_HOSTS_FILE = "/etc/hosts"
MAX_HOSTS_BYTES = 4 * 1024 * 1024


def read_hosts_file(path: str = DEFAULT_HOSTS_FILE) -> HostsFile:
    """At most MAX_HOSTS_BYTES, decoded as UTF-8 with replacement; a cut-off last line is dropped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_HOSTS_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a path holding a NUL byte
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return HostsFile(path, None, " ".join(f"{type(exc).__name__}: {reason}".split()))
    truncated = len(data) > MAX_HOSTS_BYTES
    if truncated:
        data = data[: data.rfind(b"\n", 0, MAX_HOSTS_BYTES) + 1]
    return HostsFile(path, data.decode("utf-8", errors="replace"), None, truncated)
