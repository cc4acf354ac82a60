"""GNU Wget's column: GnuTLS's host-name check (`gnutls_x509_crt_check_hostname2`), redone in Python.

Debian's wget verifies through GnuTLS 3.7 (lib/x509/hostname-verify.c and
`_gnutls_hostname_compare` in lib/str.c). Its rules differ from OpenSSL's and
curl's: a wildcard only as the very first character (`*oo.example.com` is
allowed, `f*.example.com` is not), at least two dots in a wildcard pattern, the
Common Name only when there is no dNSName and no iPAddress SAN (and only one
CN), IP addresses only against iPAddress SANs. wget itself drops a trailing dot
of the host; a trailing dot in the SAN is compared as written. Checked against
wget 1.21 / GnuTLS 3.7.9 (Debian 12) by the client-conformance suite. No I/O.
"""

from __future__ import annotations

from tlsdoctor.analysis.names.identifiers import Presented, Reference
from tlsdoctor.analysis.names.matching import lower_ascii, match_name
from tlsdoctor.analysis.names.model import Verdict


def gnutls_compare(pattern: str, host: str) -> bool:
    """`_gnutls_hostname_compare`: `*` first matches any run of non-dot characters (none too)."""
    if any(not " " <= c <= "~" for c in pattern):  # c_isprint on every byte
        return False
    if pattern.startswith("*"):
        first, last = pattern.find("."), pattern.rfind(".")
        if last == -1 or first == last or last == len(pattern) - 1:
            return False  # at least two domain components after the wildcard
        rest = pattern[1:]
        for i in range(len(host) + 1):
            if gnutls_compare(rest, host[i:]):
                return True
            if i == len(host) or host[i] == ".":
                return False
        return False
    return lower_ascii(pattern) == lower_ascii(host)


def _note(pattern: str, host: str) -> str:
    verdict, reason = match_name(pattern, host)
    return reason if verdict is not Verdict.NO_MATCH else "exact"


def rule_wget(p: Presented, ref: Reference) -> tuple[bool, str]:
    """wget (GnuTLS): dNSName SANs, else the one CN when no DNS or IP SAN; IPs against iPAddress SANs."""
    if ref.ip is not None:
        return (True, "ip-match") if ref.ip in p.ips else (False, "no-match")
    for pattern in p.candidates:
        if gnutls_compare(pattern, ref.host):
            return True, _note(pattern, ref.host)
    if not p.dns and not p.ips and len(p.cns) == 1 and gnutls_compare(p.cns[0], ref.host):
        return True, "cn-used-no-san"
    return False, "no-match"
