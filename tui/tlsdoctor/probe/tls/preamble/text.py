"""The line-based preambles: SMTP (RFC 3207), IMAP and POP3 (RFC 2595), FTP (RFC 4217 AUTH TLS).

Each reads the greeting, asks for the server's capabilities where the protocol
has them, sends the command that starts TLS and returns on the go-ahead; any
other answer is a `PreambleRefused` carrying the server's own words.
"""

from __future__ import annotations

from tlsdoctor.probe.tls.preamble.reader import PreambleRefused, Reader, words

EHLO_NAME = b"tlsdoctor.invalid"  # RFC 2606: a name that is never anyone's


def _numeric_reply(r: Reader) -> tuple[int, list[bytes]]:
    """An SMTP/FTP reply: `ddd-text` lines until `ddd text` (RFC 5321 §4.2, RFC 959 §4.2)."""
    lines = [r.line()]
    first = lines[0]
    if len(first) < 3 or not first[:3].isdigit() or first[3:4] not in (b"", b" ", b"-"):
        raise PreambleRefused("unexpected-reply", words(first))
    code = first[:3]
    while lines[-1][:3] != code or lines[-1][3:4] == b"-":
        lines.append(r.line())
    return int(code), lines


def _said(lines: list[bytes]) -> str:
    return words(b"\n".join(lines))


def smtp(r: Reader, server_name: str | None) -> None:
    """RFC 3207: 220 greeting, EHLO, STARTTLS among the extensions, `STARTTLS` → 220."""
    code, lines = _numeric_reply(r)
    if code != 220:
        raise PreambleRefused("refused" if code in (421, 554) else "unexpected-reply", _said(lines))
    r.send(b"EHLO " + EHLO_NAME + b"\r\n")
    code, lines = _numeric_reply(r)
    if code != 250:
        raise PreambleRefused("refused", _said(lines))
    keywords = {line[4:].split(b" ", 1)[0].upper() for line in lines[1:]}
    if b"STARTTLS" not in keywords:
        raise PreambleRefused("not-offered", _said(lines))
    r.send(b"STARTTLS\r\n")
    code, lines = _numeric_reply(r)
    if code != 220:
        raise PreambleRefused("refused", _said(lines))


def ftp(r: Reader, server_name: str | None) -> None:
    """RFC 4217: 220 greeting (after any 120 "ready in n minutes"), `AUTH TLS` → 234."""
    code, lines = _numeric_reply(r)
    if code == 120:
        code, lines = _numeric_reply(r)
    if code != 220:
        raise PreambleRefused("refused" if code == 421 else "unexpected-reply", _said(lines))
    r.send(b"AUTH TLS\r\n")
    code, lines = _numeric_reply(r)
    if code != 234:
        reason = "not-offered" if code in (500, 502, 504) else "refused"
        raise PreambleRefused(reason, _said(lines))


def _imap_until(r: Reader, tag: bytes) -> tuple[list[bytes], bytes]:
    """Untagged lines, then the tagged completion of `tag`."""
    untagged: list[bytes] = []
    while True:
        line = r.line()
        if line.startswith(tag + b" "):
            return untagged, line
        if not line.startswith((b"* ", b"+")):
            raise PreambleRefused("unexpected-reply", words(line))
        untagged.append(line)


def imap(r: Reader, server_name: str | None) -> None:
    """RFC 2595 §3.1 (IMAP4rev1): `* OK` greeting, CAPABILITY lists STARTTLS, `STARTTLS` → tagged OK."""
    greeting = r.line()
    if greeting.upper().startswith(b"* BYE"):
        raise PreambleRefused("refused", words(greeting))
    if not greeting.upper().startswith((b"* OK", b"* PREAUTH")):
        raise PreambleRefused("unexpected-reply", words(greeting))
    r.send(b"a1 CAPABILITY\r\n")
    untagged, done = _imap_until(r, b"a1")
    caps = [line for line in untagged if line.upper().startswith(b"* CAPABILITY")]
    tokens = {t.upper() for line in caps for t in line.split()[2:]}
    if b"STARTTLS" not in tokens:
        raise PreambleRefused("not-offered", words(b"\n".join(caps) or done))
    r.send(b"a2 STARTTLS\r\n")
    _untagged, done = _imap_until(r, b"a2")
    if done[3:5].upper() != b"OK":
        raise PreambleRefused("refused", words(done))


def pop3(r: Reader, server_name: str | None) -> None:
    """RFC 2595 §4 (POP3): `+OK` greeting, CAPA lists STLS (when CAPA exists), `STLS` → +OK."""
    greeting = r.line()
    if not greeting.startswith(b"+OK"):
        reason = "refused" if greeting.startswith(b"-ERR") else "unexpected-reply"
        raise PreambleRefused(reason, words(greeting))
    r.send(b"CAPA\r\n")
    answer = r.line()
    if answer.startswith(b"+OK"):
        capabilities = []
        while (line := r.line()) != b".":
            capabilities.append(line)
        if not any(c.split(b" ", 1)[0].upper() == b"STLS" for c in capabilities):
            raise PreambleRefused("not-offered", words(b"\n".join([answer, *capabilities])))
    elif not answer.startswith(b"-ERR"):  # -ERR: no CAPA (RFC 1939 server); STLS may still work
        raise PreambleRefused("unexpected-reply", words(answer))
    r.send(b"STLS\r\n")
    answer = r.line()
    if not answer.startswith(b"+OK"):
        raise PreambleRefused("refused", words(answer))
