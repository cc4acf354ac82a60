"""Redaction for screen sharing: stable placeholders for names, addresses, serials and fingerprints.

The same name always maps to the same placeholder within one report, and the
*shape* of a mismatch stays visible: the public suffix is kept, the registrable
domain becomes `zone-N`, every other label becomes `hN` (a wildcard stays `*`),
so `*.corp.acme.com` vs `a.b.corp.acme.com` reads `*.h1.zone-1.com` vs
`h2.h3.h1.zone-1.com`. Addresses map into the documentation ranges
(192.0.2.0/24, 2001:db8::/32). PEM blocks are dropped (base64 hides names from
a text search, not from a reader). Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from tlsdoctor.target import to_a_label, to_u_label

_NAME = re.compile(r"(?<![\w.*-])(?:\*\.)?(?:[A-Za-z0-9_-]{1,63}\.)+[A-Za-z][A-Za-z0-9-]{1,62}(?![\w-])")
_UNICODE_NAME = re.compile(r"(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)+")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_HEX = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{16,}|(?:[0-9A-Fa-f]{2}:){7,}[0-9A-Fa-f]{2})(?![0-9A-Fa-f:])")
_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----[A-Za-z0-9+/=\s\\n]*?-----END [A-Z0-9 ]+-----")


@lru_cache(maxsize=1)
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList  # lazy: start-up cost (the list is parsed on first use)

    return PublicSuffixList()


class Redactor:
    """Keeps the mapping, so one report (or one app session) stays consistent."""

    def __init__(self) -> None:
        self.zones: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.addresses: dict[str, str] = {}
        self.hexes: dict[str, str] = {}

    def name(self, host: str) -> str:
        """A host name's placeholder; public suffix kept, wildcard kept, labels mapped one by one."""
        text = host.rstrip(".").lower()
        wildcard = text.startswith("*.")
        if wildcard:
            text = text[2:]
        suffix = _psl().publicsuffix(text) or text.rsplit(".", 1)[-1]
        private = _psl().privatesuffix(text)
        if private is None:  # the name is a public suffix itself
            mapped = text
        else:
            zone_label = private[: -len(suffix) - 1]
            zone = self.zones.setdefault(zone_label, f"zone-{len(self.zones) + 1}")
            left = text[: -len(private) - 1].split(".") if text != private else []
            labels = [self.labels.setdefault(label, f"h{len(self.labels) + 1}") for label in left if label]
            mapped = ".".join([*labels, zone, suffix])
        return ("*." if wildcard else "") + mapped

    def address(self, value: str) -> str:
        ip = ipaddress.ip_address(value)
        key = str(ip)
        if key not in self.addresses:
            n = len(self.addresses) + 1
            self.addresses[key] = f"192.0.2.{n % 254 + 1}" if ip.version == 4 else f"2001:db8::{n:x}"
        return self.addresses[key]

    def hex_id(self, value: str) -> str:
        key = value.replace(":", "").lower()
        return self.hexes.setdefault(key, f"<id-{len(self.hexes) + 1}>")

    # --- collecting and applying -----------------------------------------------------
    def sensitive(self, strings: Iterable[str]) -> dict[str, str]:
        """Every name, address and long hex id in `strings`, with its placeholder."""
        found: dict[str, str] = {}
        for s in strings:
            for m in _NAME.finditer(s):
                token = m.group()
                try:
                    found[token] = self.name(token)
                except Exception:  # noqa: BLE001 - an odd token is simply left for the next pattern
                    continue
            for m in _UNICODE_NAME.finditer(s):
                token = m.group()
                if not token.isascii() and "." in token:
                    try:
                        found[token] = self.name(to_a_label(token))
                    except Exception:  # noqa: BLE001
                        continue
            for pattern in (_IPV4, _IPV6):
                for m in pattern.finditer(s):
                    try:
                        found[m.group()] = self.address(m.group())
                    except ValueError:
                        continue
            for m in _HEX.finditer(s):
                placeholder = self.hex_id(m.group())
                found[m.group()] = placeholder
                plain = m.group().replace(":", "")
                if len(plain) >= 32:  # renderers show short forms of fingerprints
                    found[plain[:16]] = placeholder
        return found

    def apply(self, text: str, mapping: dict[str, str]) -> str:
        return Redaction(mapping)(text)


class Redaction:
    """A mapping compiled once, applied to many strings (the app calls it for every cell)."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        keys = sorted(mapping, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(k) for k in keys), re.IGNORECASE) if keys else None
        self._lowered = {k.lower(): v for k, v in mapping.items()}

    def __call__(self, text: str) -> str:
        text = _PEM.sub("<redacted PEM>", text)
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._lowered.get(m.group().lower(), m.group()), text)


def _strings(data: Any, *, skip: frozenset[str] = frozenset({"diagnosis", "tool"})) -> Iterable[str]:
    """Every string in the report's evidence (knowledge texts are ours, not the user's)."""
    if isinstance(data, str):
        yield data
        u = to_u_label(data) if data.isascii() and "xn--" in data else None
        if u:
            yield u
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in skip:
                continue
            yield from _strings(value, skip=skip)
    elif isinstance(data, (list, tuple)):
        for value in data:
            yield from _strings(value, skip=skip)


def redaction_for(data: Any, redactor: Redactor) -> Redaction:
    """A compiled redaction for everything sensitive in `data` (JSON-like), with `redactor`'s mapping."""
    return Redaction(redactor.sensitive(_strings(data)))


def redact_text(text: str, report_json: dict[str, Any], redactor: Redactor | None = None) -> str:
    """`text` (any rendering of the report) with the report's names, addresses and ids replaced."""
    redactor = redactor or Redactor()
    mapping = redactor.sensitive(_strings(report_json))
    return redactor.apply(text, mapping)
