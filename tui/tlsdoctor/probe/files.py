"""The user's files, read safely: regular files only (or `-`, standard input, where it is meant), and a size limit.

A FIFO blocks `open()` until someone writes to it (forever), `/dev/zero`
never ends, a directory or a socket is no file at all: every file tlsdoctor
reads (`--cert`, `--chain`, `--ca`, `--client-cert`, `--client-key`,
`--hosts-file`, `csr --key`) comes through `read_user_file`, which looks at
what the path is before opening it (without blocking), checks the opened file
is the same regular file, and reads at most `limit` bytes. Anything else is a
`BadInput` with one line. `write_private_file` writes a file only its owner
can read (the redaction legend). I/O only.
"""

from __future__ import annotations

import os
import stat
import sys

from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.i18n import N_, _

_NOT_A_FILE = (  # N_: translated when shown
    (stat.S_ISDIR, N_("a directory")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _kind(mode: int) -> str:
    return next((what for test, what in _NOT_A_FILE if test(mode)), N_("not a regular file"))


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_user_file(path: str, what: str, *, limit: int = MAX_INPUT_BYTES, stdin: bool = False, more: bool = False) -> bytes:
    """The bytes of the file `what` (an option name, for the message) at `path`, at most `limit`.

    `stdin=True`: `-` reads standard input (also bounded). `more=True`: a
    larger file is not an error; `limit + 1` bytes come back and the caller
    cuts. Never blocks on a FIFO or a device, never reads past `limit + 1` bytes.
    """
    if stdin and path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise BadInput(_("{what}: standard input holds more than {limit}").format(what=what, limit=_size(limit)))
        return data
    try:
        before = os.stat(path)  # stat() never blocks, open() on a FIFO does
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
        raise BadInput(_("cannot read {what} {path!r}: {reason}").format(what=what, path=path, reason=reason)) from None
    if not stat.S_ISREG(before.st_mode):
        raise BadInput(
            _("{what} {path!r} is {kind}, not a regular file").format(what=what, path=path, kind=_(_kind(before.st_mode)))
        )
    if before.st_size > limit and not more:
        raise BadInput(_("{what} {path!r} is larger than {limit}").format(what=what, path=path, limit=_size(limit)))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise BadInput(_("cannot read {what} {path!r}: {reason}").format(what=what, path=path, reason=_reason(exc))) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise BadInput(_("{what} {path!r} changed while it was read").format(what=what, path=path))
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise BadInput(_("cannot read {what} {path!r}: {reason}").format(what=what, path=path, reason=_reason(exc))) from None
    finally:
        os.close(fd)
    if size > limit and not more:
        raise BadInput(_("{what} {path!r} is larger than {limit}").format(what=what, path=path, limit=_size(limit)))
    return b"".join(chunks)


def write_private_file(path: str, text: str, what: str) -> None:
    """Write `text` to a regular file readable by its owner only (mode 600); BadInput when it cannot be."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise BadInput(_("cannot write {what} {path!r}: {reason}").format(what=what, path=path, reason=_reason(exc))) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadInput(_("{what} {path!r} is not a regular file").format(what=what, path=path))
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:
        raise BadInput(_("cannot write {what} {path!r}: {reason}").format(what=what, path=path, reason=_reason(exc))) from None
    finally:
        os.close(fd)
