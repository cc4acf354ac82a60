"""Redaction for screen sharing: stable placeholders for names, organisations, addresses, serials and fingerprints.

The same value always maps to the same placeholder within one report (one
`Redactor`), and the *shape* of a mismatch stays visible: the public suffix is
kept, the registrable domain becomes `zone-N`, every other label becomes `hN`
(a wildcard stays `*`), so `*.corp.acme.com` vs `a.b.corp.acme.com` reads
`*.h1.zone-1.com` vs `h2.h3.h1.zone-1.com`. Addresses map into the
documentation ranges (192.0.2.0/24, 2001:db8::/32); serials and fingerprints
become `<id-N>` in every encoding (hex with or without colons, base64,
base64url as in `x5t#S256`, the short forms); organisations, CA names and
names that are not DNS syntax become `<name-N>`. PEM blocks are dropped.

What is sensitive is learnt from the report's JSON: by shape (anything that
looks like a host name, an address, a digest) and by place (the values of
subjects, issuers, SANs, identities, the token's `cnf`). The redaction is
applied to untrusted values only (`Redaction.__call__`); over a whole rendering
only the shapes are replaced (`Redaction.text`), so our own words are never
rewritten. `legend_text` is the local key back to the real values. Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from tlsdoctor.target import to_a_label, to_u_label
from tlsdoctor.untrusted import inert

_NAME = re.compile(r"(?<![\w.*-])(?:\*\.)?(?:[A-Za-z0-9_-]{1,63}\.)+[A-Za-z][A-Za-z0-9-]{1,62}(?![\w-])")
_UNICODE_NAME = re.compile(r"(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)+")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_HEX = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{16,}|(?:[0-9A-Fa-f]{2}:){7,}[0-9A-Fa-f]{2})(?![0-9A-Fa-f:])")
_B64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{27,44}={0,2}(?![A-Za-z0-9+/=_-])")  # 20/32-byte digests
_SHAPES = (_NAME, _UNICODE_NAME, _IPV4, _IPV6, _HEX, _B64)
_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----[A-Za-z0-9+/=\s\\n]*?-----END [A-Z0-9 ]+-----")
_PREFIX = re.compile(r"^(?:CN=|DNS:|URI:|email:|IP Address:|IP:)", re.IGNORECASE)
_DN = re.compile(r"^[A-Za-z][A-Za-z0-9.-]*=")
# Keys whose string values identify a customer as a whole, whatever their syntax.
WHOLE = frozenset({
    "common_names", "dns", "uri", "email", "value", "normalised", "cn", "identities", "certificate_identities",
    "matched", "closest", "expected", "pattern", "text", "wildcard", "hits", "subject", "issuer", "missing_issuer",
    "acceptable_client_cas", "server_accepts", "our_issuers", "our_issuers_accepted", "file_chain", "chain",
    "x5t#S256", "certificate_value", "token_value", "serial", "sha256", "ski", "aki", "paths",
})  # fmt: skip
_DIGESTS = frozenset({"x5t#S256", "certificate_value", "token_value", "serial", "sha256", "ski", "aki"})
_LABEL_ROWS = frozenset({"label_diff", "labels"})  # rows of single labels: mapped exactly, never learnt from
# knowledge texts and commands are ours (filled with names learnt elsewhere); environment: prod, staging…
_NOT_LEARNT = _LABEL_ROWS | {"tool", "diagnosis", "environment"}
_OURS = frozenset({"verdict", "code", "severity", "step", "id", "status", "kind", "reason", "kb_id", "slug",
                   "because", "sni_mode", "source", "form", "hash_of", "expected_kind", "purpose"})  # fmt: skip


@lru_cache(maxsize=1)
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList  # lazy: start-up cost (the list is parsed on first use)

    return PublicSuffixList()


def _digest_forms(hexdigits: str) -> list[str]:
    """A digest (or serial) in every encoding people and tools print it in."""
    raw = bytes.fromhex(hexdigits.rjust(len(hexdigits) + len(hexdigits) % 2, "0"))  # serials drop a leading 0
    colon = ":".join(f"{b:02x}" for b in raw)
    url = base64.urlsafe_b64encode(raw).decode()
    forms = [hexdigits, raw.hex(), colon, base64.b64encode(raw).decode(), url, url.rstrip("=")]
    if len(raw) >= 16:  # renderers show the first 8 bytes of fingerprints
        forms += [hexdigits[:16], colon[:23]]
    return forms


class Redactor:
    """Keeps the mapping, so one report (or one app session) stays consistent; `legend` maps back."""

    def __init__(self) -> None:
        self.zones: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.addresses: dict[str, str] = {}
        self.hexes: dict[str, str] = {}
        self.others: dict[str, str] = {}
        self.files: dict[str, str] = {}
        self.kept: set[str] = set()  # public-suffix labels, shown as they are
        self.legend: dict[str, set[str]] = {}

    def _noted(self, placeholder: str, real: str) -> str:
        self.legend.setdefault(placeholder, set()).add(real)
        return placeholder

    def name(self, host: str) -> str:
        """A host name's placeholder; public suffix kept, wildcard kept, labels mapped one by one."""
        text = host.rstrip(".").lower()
        wildcard = text.startswith("*.")
        if wildcard:
            text = text[2:]
        suffix = _psl().publicsuffix(text) or text.rsplit(".", 1)[-1]
        private = _psl().privatesuffix(text)
        self.kept.update(suffix.split("."))
        if private is None:  # the name is a public suffix itself
            mapped = text
        else:
            zone_label = private[: -len(suffix) - 1]
            zone = self.zones.setdefault(zone_label, f"zone-{len(self.zones) + 1}")
            left = text[: -len(private) - 1].split(".") if text != private else []
            labels = [self.labels.setdefault(label, f"h{len(self.labels) + 1}") for label in left if label]
            mapped = ".".join([*labels, zone, suffix])
        return self._noted(("*." if wildcard else "") + mapped, host)

    def address(self, value: str) -> str:
        ip = ipaddress.ip_address(value)
        key = str(ip)
        if key not in self.addresses:
            n = len(self.addresses) + 1
            self.addresses[key] = f"192.0.2.{n % 254 + 1}" if ip.version == 4 else f"2001:db8::{n:x}"
        return self._noted(self.addresses[key], key)

    def hex_id(self, value: str) -> str:
        """`<id-N>` for a serial or digest; the 8-byte short form of a known digest gets the digest's id."""
        key = value.replace(":", "").lower()
        if key not in self.hexes and len(key) == 16:
            key = next((k for k in self.hexes if len(k) > 16 and k.startswith(key)), key)
        return self._noted(self.hexes.setdefault(key, f"<id-{len(self.hexes) + 1}>"), key)

    def other(self, value: str) -> str:
        """`<name-N>`: an organisation, a CA's name, a name that is not DNS syntax."""
        return self._noted(self.others.setdefault(value.casefold(), f"<name-{len(self.others) + 1}>"), value)

    def path(self, value: str) -> str:
        """`<file-N>`: a file the user named (its directories and name may name the customer)."""
        return self._noted(self.files.setdefault(value, f"<file-{len(self.files) + 1}>"), value)

    # --- learning what is sensitive ----------------------------------------------------
    def _shape(self, token: str, pattern: re.Pattern[str]) -> str | None:
        """The placeholder of a token found by one of the shape patterns (None: not one after all)."""
        try:
            if pattern is _NAME:
                return self.name(token)
            if pattern is _IPV6:
                return None
            if pattern is _UNICODE_NAME:
                return self.name(to_a_label(token)) if not token.isascii() else None
            if pattern is _IPV4 or (pattern is _IPV6 and not _HEX.fullmatch(token)):  # AB:CD:…: a digest
                return self.address(token)
            if pattern is _HEX:
                return self.hex_id(token)
            if re.fullmatch(r"[0-9A-Fa-f]+", token):  # already an id as hex (a serial written without its 0)
                return None
            raw = base64.b64decode(token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4), validate=True)
            return self.hex_id(raw.hex()) if len(raw) in (20, 32) else None
        except (ValueError, binascii.Error):  # BadInput is a ValueError: an odd token is simply not one
            return None

    def sensitive(self, strings: Iterable[str]) -> dict[str, str]:
        """Every host name, address and digest in `strings` (by shape), with its placeholder."""
        found: dict[str, str] = {}
        strings = list(strings)
        digests = {m.group() for s in strings for m in _HEX.finditer(s)}
        for token in sorted(digests, key=lambda t: len(t.replace(":", "")), reverse=True):
            found[token] = self.hex_id(token)  # longest first: a short form then gets its digest's id
        for s in strings:
            for pattern in _SHAPES:
                for m in pattern.finditer(s):
                    placeholder = self._shape(m.group(), pattern)
                    if placeholder is not None:
                        found[m.group()] = placeholder
        for key in sorted(self.hexes, key=len, reverse=True):  # every encoding of every digest and serial
            found.update(dict.fromkeys(_digest_forms(key), self.hexes[key]))
        return found

    def whole(self, value: str, found: dict[str, str], place: str = "") -> None:
        """A value that identifies someone as a whole (a SAN, a subject, an identity) and its parts;
        in a digest's place (serial, fingerprint, `x5t#S256`) only by the shape of one."""
        value = value.strip()
        body = _PREFIX.sub("", value)
        if not body:
            return
        if place == "paths":
            found[value] = self.path(value)
            return
        if place in _DIGESTS:
            for pattern in (_HEX, _B64):
                placeholder = self._shape(body, pattern) if pattern.fullmatch(body) else None
                if placeholder is not None:
                    found[body] = placeholder
            return
        if _DN.match(value) and self._dn(value, found):
            return
        for pattern in _SHAPES:
            m = pattern.fullmatch(body)
            placeholder = self._shape(body, pattern) if m else None
            if placeholder is not None:
                found[body] = placeholder
                return
        if len(body) >= 3 and not body.isdecimal():  # "5" or "CA" would rewrite every 5 and every CA
            found[body] = self.other(body)

    def _dn(self, text: str, found: dict[str, str]) -> bool:
        """The attribute values of an RFC 4514 name (the country code is not a secret)."""
        pairs = _rfc4514_pairs(text)
        for attr, written in pairs:
            value = _RFC4514_ESCAPE.sub(_unescape, written).strip()
            if value and attr.upper() != "C":
                self.whole(value, found)
                if written.strip() != value and value in found:  # as the name writes it: `Initech\, Inc.`
                    found[written.strip()] = found[value]
        return bool(pairs)


_RFC4514_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{2}|.)", re.DOTALL)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code, 16)) if len(code) == 2 else code


def _rfc4514_pairs(text: str) -> list[tuple[str, str]]:
    """(attribute, value as written) of each RDN part, split at unescaped `,` and `+`; [] if not a name.

    Written by hand: cryptography's parser also enforces length limits a hostile certificate breaks."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"(?<!\\)[,+]", text):
        attr, sep, value = part.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9.-]*", attr.strip()):
            if pairs:  # a comma inside a value someone did not escape: it belongs to the value before
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + "," + part)
                continue
            return []
        pairs.append((attr.strip(), value))
    return pairs


def _strings(data: Any, learn: Callable[[str], None], whole: Callable[[str, str], None], *, key: str = "") -> None:
    """Every string of the report's evidence, and those in WHOLE places (knowledge texts are ours)."""
    if isinstance(data, str):
        if key != "paths":  # a path is replaced whole, its parts are not names
            learn(data)
        if data.isascii() and "xn--" in data:
            u = to_u_label(data)
            if u:
                learn(u)
        if key in WHOLE:
            whole(data, key)
    elif isinstance(data, dict):
        for k, value in data.items():
            if k not in _NOT_LEARNT:
                _strings(value, learn, whole, key=str(k))
    elif isinstance(data, (list, tuple)):
        for value in data:
            _strings(value, learn, whole, key=key)


class Redaction:
    """A mapping compiled once, applied to many values (the app calls it for every cell)."""

    def __init__(self, mapping: dict[str, str], labels: dict[str, str] | None = None) -> None:
        self.mapping = {k.lower(): v for k, v in mapping.items() if k}
        self.labels = labels or {}
        free = {k: v for k, v in self.mapping.items() if not any(p.fullmatch(k) for p in _SHAPES)}
        self._free_map = {**{inert(k).lower(): v for k, v in free.items()}, **free}  # as shown, and as is
        keys = sorted(self._free_map, key=len, reverse=True)
        self._free = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", re.IGNORECASE)
            if keys else None
        )  # fmt: skip

    def text(self, text: str) -> str:
        """A whole rendering: PEM blocks dropped, names, addresses and digests replaced by shape."""
        text = _PEM.sub("<redacted PEM>", text)
        for pattern in _SHAPES:
            lookup = self._name if pattern in (_NAME, _UNICODE_NAME) else self._exact
            text = pattern.sub(lookup, text)
        return text

    def _exact(self, match: re.Match[str]) -> str:
        return self.mapping.get(match.group().lower(), match.group())

    def _name(self, match: re.Match[str]) -> str:
        """A name, or a known name inside a longer dotted token (`wrong.example.test.key`)."""
        token = match.group()
        labels = token.split(".")
        for size in range(len(labels), 1, -1):
            for start in range(len(labels) - size + 1):
                hit = self.mapping.get(".".join(labels[start : start + size]).lower())
                if hit is not None:
                    return ".".join([*labels[:start], hit, *labels[start + size :]])
        return token

    def __call__(self, value: str) -> str:
        """One untrusted value: also the free-text names (organisations, odd SANs) learnt from the report."""
        if self._free is not None:
            value = self._free.sub(lambda m: self._free_map.get(m.group().lower(), m.group()), value)
        return self.text(value)

    def json(self, data: Any, *, key: str = "") -> Any:
        """The report's JSON with every value redacted (our own codes and words kept as they are)."""
        if isinstance(data, str):
            if key in _OURS:
                return data
            return self.labels.get(data.lower(), "?") if key in _LABEL_ROWS else self(data)
        if isinstance(data, dict):
            return {k: v if k == "tool" else self.json(v, key="labels" if key in _LABEL_ROWS else str(k))
                    for k, v in data.items()}  # fmt: skip
        if isinstance(data, (list, tuple)):
            return [self.json(v, key=key) for v in data]
        return data


def redaction_for(data: Any, redactor: Redactor) -> Redaction:
    """A compiled redaction for everything sensitive in `data` (JSON-like), with `redactor`'s mapping."""
    strings: list[str] = []
    found: dict[str, str] = {}
    places: list[tuple[str, str]] = []
    _strings(data, strings.append, lambda value, key: places.append((value, key)))
    shapes = redactor.sensitive(strings)  # digests first, so their short forms share their ids
    for value, key in places:
        redactor.whole(value, found, key)
    found = {**shapes, **found, **redactor.sensitive(())}
    labels = {**{k: k for k in redactor.kept}, **redactor.labels, **redactor.zones, "*": "*"}
    return Redaction(found, labels)


def user_files(options: Any) -> dict[str, list[str]]:
    """The files a walk request names (`paths`, a WHOLE place): client certificate and key, `--ca`
    files, a hosts file other than /etc/hosts. Their directories may name the customer."""
    client = getattr(options, "client", None)
    hosts = getattr(options, "hosts_file", None)
    named = [getattr(client, "cert_path", None), getattr(client, "key_path", None), *getattr(options, "ca_files", ())]
    return {"paths": [str(p) for p in (*named, None if hosts == "/etc/hosts" else hosts) if p]}


def legend_text(redactor: Redactor) -> str:
    """Placeholder → real value, one per line: the local key to a shared screen. Never share it."""
    lines = ["# tlsdoctor --redact legend: placeholder<TAB>real value. Keep it local; it undoes the redaction."]
    for placeholder, reals in redactor.legend.items():
        lines.extend(f"{placeholder}\t{inert(real)}" for real in sorted(reals))
    return "\n".join(lines) + "\n"
