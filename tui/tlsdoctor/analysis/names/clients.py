"""The per-client models: each client's own host-name matching code, redone in Python.

OpenSSL `X509_check_host`/`X509_check_ip` (the `openssl`, `python-ssl` and
`requests` columns, with their flags), curl's hostcheck, Node's
`checkServerIdentity`, Java's `HostnameChecker`, Go's `VerifyHostname`, wget's
GnuTLS (`client_gnutls`) and the browsers, as documented in
reference/error-messages.md §3.1. For an IP target the `openssl` column models
`s_client -verify_ip` (X509_check_ip).

Every column but the browsers' is checked against the real client by
tests/conformance/clients (the versions it saw: `client_notes`); Chrome and
Firefox cannot run there: they are modelled from their documented rules
(`client_notes.MODEL_ONLY`), and the report says so.

A rule answers "does this client accept it, and why" in reason codes; the
matrix and the rejection notes are `client_matrix`. Each rule reproduces its
client, quirks included: do not "fix" one towards RFC 9525 here. No I/O.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from tlsdoctor.analysis.names.client_gnutls import rule_wget
from tlsdoctor.analysis.names.identifiers import Presented, Reference
from tlsdoctor.analysis.names.matching import (
    lower_ascii,
    match_name,
    parse_ip,
    public_suffix_section,
    v4_mapped,
)
from tlsdoctor.analysis.names.model import Verdict
from tlsdoctor.errors import BadInput
from tlsdoctor.target import to_a_label

ClientRule = Callable[[Presented, Reference], tuple[bool, str]]


def _accept_note(pattern: str, host: str) -> str:
    """Why a client accepted a name, in RFC 9525 reason codes (lenient shapes keep their code)."""
    verdict, reason = match_name(pattern, host)
    return reason if verdict is not Verdict.NO_MATCH else "exact"


# OpenSSL crypto/x509/v3_utl.c, flags 0 or X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS.
def _openssl_valid_star(pattern: str, no_partial: bool) -> int | None:
    if "*" not in pattern:  # no star: OpenSSL compares literally either way
        return None
    star: int | None = None
    label_start, hyphen, idna = True, False, False
    dots = 0
    n = len(pattern)
    for i, ch in enumerate(pattern):
        if ch == "*":
            at_start = label_start
            at_end = i == n - 1 or pattern[i + 1] == "."
            if star is not None or idna or dots:
                return None
            if no_partial and (not at_start or not at_end):
                return None
            if not at_start and not at_end:
                return None
            star = i
            label_start = False
        elif ch.isascii() and ch.isalnum():
            if label_start and pattern[i : i + 4].lower() == "xn--":
                idna = True
            hyphen = label_start = False
        elif ch == ".":
            if hyphen or label_start:
                return None
            label_start, hyphen, idna = True, False, False
            dots += 1
        elif ch == "-":
            if label_start:
                return None
            hyphen = True
        else:
            return None
    if label_start or hyphen or dots < 2:
        return None
    return star


def _openssl_check_host(pattern: str, subject: str, *, no_partial: bool) -> bool:
    star = _openssl_valid_star(pattern, no_partial)
    if star is None:
        return lower_ascii(pattern) == lower_ascii(subject)  # equal_nocase
    prefix, suffix = pattern[:star], pattern[star + 1 :]
    if len(subject) < len(prefix) + len(suffix):
        return False
    if lower_ascii(subject[: len(prefix)]) != lower_ascii(prefix) or lower_ascii(subject[len(subject) - len(suffix) :]) != lower_ascii(suffix):
        return False
    middle = subject[len(prefix) : len(subject) - len(suffix)]
    allow_idna = False
    if not prefix and suffix.startswith("."):
        if not middle:
            return False
        allow_idna = True
    if not allow_idna and lower_ascii(subject[:4]) == "xn--":
        return False
    if middle == "*":
        return True
    return all(c.isascii() and (c.isalnum() or c == "-") for c in middle)


def _openssl_style(p: Presented, ref: Reference, *, host: str, no_partial: bool, use_cn: bool) -> tuple[bool, str]:
    """X509_check_host / X509_check_ip: the subject CN only when no dNSName SAN exists."""
    if ref.ip is not None:  # X509_check_ip: iPAddress SANs, octet for octet, never the CN
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    for pattern in p.candidates:
        if _openssl_check_host(pattern, host, no_partial=no_partial):
            return True, _accept_note(pattern, ref.host)
    if use_cn and not p.dns:
        for cn in p.cns:
            if _openssl_check_host(cn, host, no_partial=no_partial):
                return True, "cn-used-no-san"
    return False, "no-match"


def _rule_openssl(p: Presented, ref: Reference) -> tuple[bool, str]:
    """`s_client -verify_hostname` / nginx upstream: X509_check_host flags 0, name as typed."""
    return _openssl_style(p, ref, host=ref.typed, no_partial=False, use_cn=True)


def _rule_python_ssl(p: Presented, ref: Reference) -> tuple[bool, str]:
    """CPython ssl: NO_PARTIAL_WILDCARDS, hostname_checks_common_name=True, name as typed (IDNA 2003)."""
    if ref.idna2003:  # the "idna" codec: `p.candidates` were filtered for the IDNA 2008 name
        p = replace(p, candidates=p.dns)
    return _openssl_style(p, ref, host=ref.typed_2003, no_partial=True, use_cn=True)


def _rule_requests(p: Presented, ref: Reference) -> tuple[bool, str]:
    """urllib3 2.x: like ssl, but the CN is off and the trailing dot is stripped."""
    return _openssl_style(p, ref, host=ref.host, no_partial=True, use_cn=False)


# curl lib/vtls/hostcheck.c + openssl.c verifyhost
def _curl_hostmatch(pattern: str, host: str) -> bool:
    pattern = pattern.removesuffix(".")
    host = host.removesuffix(".")
    if not pattern or not host:
        return False
    if not pattern.startswith("*."):
        return lower_ascii(pattern) == lower_ascii(host)
    if parse_ip(host) is not None:
        return False
    first_dot = pattern.find(".")
    if first_dot == pattern.rfind("."):  # at least two dots in a wildcard pattern
        return lower_ascii(pattern) == lower_ascii(host)
    host_dot = host.find(".")
    if host_dot <= 0:
        return False
    return lower_ascii(host[host_dot:]) == lower_ascii(pattern[first_dot:])


def _rule_curl(p: Presented, ref: Reference) -> tuple[bool, str]:
    """curl (OpenSSL backend): dots stripped, `*.` only, last CN only when no DNS or IP SAN."""
    if ref.ip is not None:
        if ref.ip in p.ips:
            return True, "ip-match"
    else:
        for pattern in p.candidates:
            if _curl_hostmatch(pattern, ref.typed):
                return True, _accept_note(pattern, ref.host)
    if not p.dns and not p.ips and p.cns and _curl_hostmatch(p.cns[-1], ref.typed):
        return True, "cn-used-no-san"
    return False, "no-match"


# Node lib/tls.js checkServerIdentity (after CVE-2021-44531)
def _node_split(host: str) -> list[str]:
    return lower_ascii(host.removesuffix(".")).split(".")


def _node_check(host_parts: list[str], pattern: str) -> bool:
    if not pattern:
        return False
    parts = _node_split(pattern)
    if len(parts) != len(host_parts) or "" in parts:
        return False
    if any(re.search(r"[^\x21-\x7f]", part) for part in parts):
        return False
    if parts[1:] != host_parts[1:]:
        return False
    first, host_first = parts[0], host_parts[0]
    pieces = first.split("*")
    if len(pieces) == 1 or "xn--" in first:
        return host_first == first
    if len(pieces) > 2 or len(parts) <= 2:
        return False
    prefix, suffix = pieces
    return len(prefix) + len(suffix) <= len(host_first) and host_first.startswith(prefix) and host_first.endswith(suffix)


def _rule_node(p: Presented, ref: Reference) -> tuple[bool, str]:
    """Node 20: `prefix*suffix` allowed (not in xn--, not *.tld); CN when no dNSName SAN."""
    if ref.ip is not None:  # canonicalizeIP on both sides: textual, so ::ffff:a.b.c.d stays different
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    host_parts = _node_split(ref.host)
    if p.dns:
        for pattern in p.candidates:
            if _node_check(host_parts, pattern):
                return True, _accept_note(pattern, ref.host)
        return False, "no-match"
    if any(_node_check(host_parts, cn) for cn in p.cns):
        return True, "cn-used-no-san"
    return False, "no-match"


# Java sun.security.util.HostnameChecker (TYPE_TLS)
def _java_idn(name: str) -> str | None:
    """IDN.toASCII: U-labels become A-labels; `*` survives (no STD3 rules here)."""
    if name.isascii():
        return lower_ascii(name)
    try:
        return ".".join(
            lower_ascii(label) if label.isascii() else to_a_label(label) for label in name.split(".")
        )
    except BadInput:
        return None


def _java_sni_valid(name: str) -> bool:
    """SNIHostName's check: STD3 LDH labels, no empty label, no trailing dot."""
    labels = name.split(".")
    return all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels) and len(name) <= 255


def _java_match_wildcards(name: str, template: str) -> bool:
    index = template.find("*")
    if index == -1:
        return name == template
    beginning = True
    after = template
    while index != -1:
        before = after[:index]
        after = after[index + 1 :]
        start = name.find(before)
        if start == -1 or (beginning and start != 0):
            return False
        beginning = False
        name = name[start + len(before) :]
        index = after.find("*")
    return name.endswith(after)


def _java_unicode(name: str) -> str:
    """IDN.toUnicode: each A-label decoded (IDNA 2003); a label that does not decode (`xn--*`) stays."""
    labels = []
    for label in name.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna").lower()
        labels.append(label)
    return ".".join(labels)


def _java_is_matched(name: str, template: str) -> bool:
    """Both sides normalised to Unicode first (Java 17 compares U-labels: `xn--*` never matches)."""
    template_ascii = _java_idn(template)
    if template_ascii is None or template_ascii in ("*", "*."):
        return False
    last = template_ascii.rfind("*")
    if last != -1 and "." not in template_ascii[last:]:
        return False
    if not _java_sni_valid(template_ascii.replace("*", "z")):
        return False
    names = [t for t in _java_unicode(name).split(".") if t]  # StringTokenizer drops empty tokens
    temps = [t for t in _java_unicode(template_ascii).split(".") if t]
    return len(names) == len(temps) and all(_java_match_wildcards(a, b) for a, b in zip(names, temps))


def _rule_java(p: Presented, ref: Reference) -> tuple[bool, str]:
    """Java 17: `*` anywhere (matchAllWildcards); CN (most specific) when no dNSName SAN.
    The host itself must be a valid SNI name ("Illegal given domain name": `my_api`); a Unicode
    host becomes ASCII by IDNA 2003 (java.net.IDN: ß → ss)."""
    if ref.idna2003:
        p, ref = replace(p, candidates=p.dns), replace(ref, host=ref.idna2003, idna2003=None)
    if ref.ip is None and not _java_sni_valid(ref.host):
        return False, "no-match"
    if ref.ip is not None:
        if not p.has_san_extension:
            return False, "no-match"
        for ip in p.ips:
            if ip == ref.ip:
                return True, "ip-match"
            if v4_mapped(ip, ref.ip):  # InetAddress turns ::ffff:a.b.c.d into an Inet4Address
                return True, "ip-v4-mapped"
        return False, "no-match"
    for pattern in p.candidates:
        if _java_is_matched(ref.host, pattern):
            return True, _accept_note(pattern, ref.host)
    if p.dns:
        return False, "no-match"
    if p.cns and _java_is_matched(ref.host, p.cns[-1]):
        return True, "cn-used-no-san"
    return False, "no-match"


# Go crypto/x509 verify.go
def _go_valid_hostname(host: str, pattern: bool) -> bool:
    if not pattern:
        host = host.removesuffix(".")
    if not host or host == "*":
        return False
    for i, part in enumerate(host.split(".")):
        if not part:
            return False
        if pattern and i == 0 and part == "*":
            continue
        for j, c in enumerate(part):
            if c.isascii() and (c.isalnum() or c == "_" or (c == "-" and j != 0)):
                continue
            return False
    return True


def _go_match_hostnames(pattern: str, host: str) -> bool:
    pattern, host = lower_ascii(pattern), lower_ascii(host.removesuffix("."))
    if not pattern or not host:
        return False
    p, h = pattern.split("."), host.split(".")
    return len(p) == len(h) and all((i == 0 and a == "*") or a == b for i, (a, b) in enumerate(zip(p, h)))


def _rule_go(p: Presented, ref: Reference) -> tuple[bool, str]:
    """Go ≥1.17: `*` only as the whole left-most label, never the CN; IPs via ip.Equal."""
    if ref.ip is not None:
        for ip in p.ips:
            if ip == ref.ip:
                return True, "ip-match"
            if v4_mapped(ip, ref.ip):  # net.IP.Equal treats both forms as one address
                return True, "ip-v4-mapped"
        return False, "no-match"
    candidate = lower_ascii(ref.typed)
    valid_candidate = _go_valid_hostname(candidate, pattern=False)
    for pattern in p.candidates:
        if valid_candidate and _go_valid_hostname(pattern, pattern=True):
            if _go_match_hostnames(pattern, candidate):
                return True, _accept_note(pattern, ref.host)
        elif pattern and pattern != "." and lower_ascii(pattern) == candidate:
            return True, _accept_note(pattern, ref.host)
    return False, "no-match"


def _rule_browser(p: Presented, ref: Reference) -> tuple[bool, str]:
    """Chrome ≥58 / Firefox ≥48: RFC 9525, no CN, no `*.tld`; a reference trailing dot is fine."""
    if ref.ip is not None:
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    for pattern in p.candidates:
        verdict, reason = match_name(pattern, ref.host)
        if verdict is Verdict.MATCH and reason != "wildcard-public-suffix":
            return True, reason
    return False, "no-match"


def _rule_chrome(p: Presented, ref: Reference) -> tuple[bool, str]:
    """Chrome: the browser rule, and no wildcard on an ICANN public suffix (`*.co.uk`);
    private PSL entries (`*.s3.amazonaws.com`) are allowed (registry_controlled_domains,
    EXCLUDE_PRIVATE_REGISTRIES)."""
    if ref.ip is not None:
        return _rule_browser(p, ref)
    for pattern in p.candidates:
        verdict, reason = match_name(pattern, ref.host)
        if verdict is Verdict.MATCH and reason != "wildcard-public-suffix":
            if reason == "wildcard-one-label" and public_suffix_section(lower_ascii(pattern)[2:]) == "icann":
                continue
            return True, reason
    return False, "no-match"


CLIENT_RULES: Mapping[str, ClientRule] = MappingProxyType(
    {
        "openssl": _rule_openssl,
        "curl": _rule_curl,
        "python-ssl": _rule_python_ssl,
        "requests": _rule_requests,
        "node": _rule_node,
        "java": _rule_java,
        "go": _rule_go,
        "wget": rule_wget,
        "chrome": _rule_chrome,
        "firefox": _rule_browser,
    }
)
