"""The clients' own policy on keys, signatures and name constraints: who refuses a chain that builds.

Pure. A chain can link perfectly to a trusted root and still be refused, by
some clients only: Debian's and Ubuntu's OpenSSL run at security level 2 (RSA
and DSA keys under 2048 bits, EC keys under 224 bits and SHA-1 or MD5
signatures refused: openssl, curl, Python, requests), Node's bundled OpenSSL
at level 1 (SHA-1 refused, RSA-1024 accepted), Java's
`jdk.certpath.disabledAlgorithms` (RSA under 1024; SHA-1 only for roots of the
JDK's own cacerts), Go since 1.18 (SHA-1) and browsers. These tables were
checked against the real clients on a Debian 12 machine (OpenSSL 3.0, curl
7.88, Python 3.11, Node 20, Java 17, GnuTLS wget); Go and the browsers are
modelled from their documentation. Name constraints are refused by every
client. Each finding lists the clients that refuse and those that accept.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.chain.model import Evidence, who
from tlsdoctor.findings import Code, Finding, Severity

ALL_CLIENTS = ("openssl", "curl", "python-ssl", "requests", "node", "java", "go", "chrome", "firefox")
SECLEVEL2 = ("openssl", "curl", "python-ssl", "requests")  # Debian/Ubuntu OpenSSL at security level 2
LEGACY_HASHES = {"sha1": "SHA-1", "md5": "MD5"}
_NETWORKS = (ipaddress.IPv4Network, ipaddress.IPv6Network)


def _minimum_bits(kind: str) -> dict[str, int]:
    """Per client: the smallest key (bits) it accepts in a certificate it verifies."""
    if kind == "ec":
        return dict.fromkeys(ALL_CLIENTS, 224) | {"node": 160, "java": 160}
    return dict.fromkeys(ALL_CLIENTS, 1024) | dict.fromkeys(SECLEVEL2, 2048)


def _key(cert: x509.Certificate) -> tuple[str, int] | None:
    """("rsa" | "dsa" | "ec", bits), or None for key types no client limits by size (Ed25519 …)."""
    try:
        key = cert.public_key()
    except Exception:  # noqa: BLE001 - an unreadable or unknown key (UnsupportedAlgorithm …): nothing to weigh
        return None
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size
    return None


def _signature_hash(cert: x509.Certificate) -> str | None:
    try:
        algorithm = cert.signature_hash_algorithm
    except Exception:  # noqa: BLE001 - an algorithm cryptography does not know is not SHA-1 or MD5 either
        return None
    return algorithm.name if algorithm is not None else None


def _split(refusing: Sequence[str]) -> Evidence:
    return {"clients": list(refusing), "accepting": [c for c in ALL_CLIENTS if c not in refusing]}


def key_and_signature_findings(
    certs: Sequence[x509.Certificate], summaries: Sequence[CertSummary], positions: Sequence[int], path: Sequence[int]
) -> list[Finding]:
    """`weak-key` and `weak-signature` for every certificate on the path the server sent (the anchor's own
    self-signature is never checked by clients, and its key only by some: left out)."""
    findings: list[Finding] = []
    for i in path:
        cert, summary = certs[i], summaries[i]
        key = _key(cert)
        if key is not None:
            kind, bits = key
            minimum = _minimum_bits("ec" if kind == "ec" else "rsa")
            refusing = [c for c in ALL_CLIENTS if bits < minimum[c]]
            if refusing:
                rule = "OpenSSL security level 2 (Debian, Ubuntu): RSA and DSA keys need 2048 bits, EC keys 224"
                findings.append(
                    Finding(
                        Code.WEAK_KEY,
                        Severity.ERROR,
                        {**who(positions[i], summary), "key_type": kind, "bits": bits, "rule": rule, **_split(refusing)},
                    )
                )
        digest = _signature_hash(cert)
        if digest in LEGACY_HASHES and not summary.self_signed:
            refusing = [c for c in ALL_CLIENTS if c != "java" or digest == "md5"]
            findings.append(
                Finding(
                    Code.WEAK_SIGNATURE,
                    Severity.ERROR,
                    {
                        **who(positions[i], summary),
                        "algorithm": LEGACY_HASHES[digest],
                        "rule": "SHA-1 and MD5 signatures are refused by OpenSSL (security level 1 and up), "
                        "Go, browsers, and Java for roots of its own cacerts",
                        **_split(refusing),
                    },
                )
            )
    return findings


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [n.lower().rstrip(".") for n in san.get_values_for_type(x509.DNSName)]


def _ip_names(cert: x509.Certificate) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [ip for ip in san.get_values_for_type(x509.IPAddress) if isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address)]


def _in_dns_subtree(name: str, base: str) -> bool:
    """RFC 5280 §4.2.1.10: a DNS name is within `base` when it is `base` or ends with "." + base."""
    base = base.lower().lstrip(".").rstrip(".")
    return not base or name == base or name.endswith("." + base)


def _violations(leaf: x509.Certificate, constraints: x509.NameConstraints) -> list[tuple[str, str]]:
    """(name, "excluded" | "not-permitted") for each of the leaf's names the constraints forbid."""
    out: list[tuple[str, str]] = []
    permitted = constraints.permitted_subtrees or []
    excluded = constraints.excluded_subtrees or []
    permitted_dns = [g.value for g in permitted if isinstance(g, x509.DNSName)]
    excluded_dns = [g.value for g in excluded if isinstance(g, x509.DNSName)]
    for name in _dns_names(leaf):
        if any(_in_dns_subtree(name, base) for base in excluded_dns):
            out.append((name, "excluded"))
        elif permitted_dns and not any(_in_dns_subtree(name, base) for base in permitted_dns):
            out.append((name, "not-permitted"))
    permitted_ip = [g.value for g in permitted if isinstance(g, x509.IPAddress) and isinstance(g.value, _NETWORKS)]
    excluded_ip = [g.value for g in excluded if isinstance(g, x509.IPAddress) and isinstance(g.value, _NETWORKS)]
    for ip in _ip_names(leaf):
        if any(ip.version == net.version and ip in net for net in excluded_ip):
            out.append((str(ip), "excluded"))
        elif permitted_ip and not any(ip.version == net.version and ip in net for net in permitted_ip):
            out.append((str(ip), "not-permitted"))
    return out


def name_constraint_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    anchor: x509.Certificate | None,
    anchor_summary: CertSummary | None,
) -> list[Finding]:
    """`name-constraints`: a CA on the path (or its anchor) forbids a name the leaf carries."""
    findings: list[Finding] = []
    issuers: list[tuple[x509.Certificate, Evidence]] = [(certs[i], who(positions[i], summaries[i])) for i in path[1:]]
    if anchor is not None and anchor_summary is not None:
        issuers.append((anchor, who("anchor", anchor_summary)))
    for ca, named in issuers:
        try:
            constraints = ca.extensions.get_extension_for_class(x509.NameConstraints).value
        except Exception:  # noqa: BLE001 - absent, or malformed (cryptography raises TypeError): the verifier judges those
            continue
        for name, kind in _violations(certs[0], constraints):
            findings.append(
                Finding(
                    Code.NAME_CONSTRAINTS,
                    Severity.ERROR,
                    {
                        "name": name,
                        "violation": kind,
                        "ca": named,
                        "permitted": [g.value if isinstance(g.value, str) else str(g.value) for g in constraints.permitted_subtrees or []],
                        "excluded": [g.value if isinstance(g.value, str) else str(g.value) for g in constraints.excluded_subtrees or []],
                        **_split(ALL_CLIENTS),
                    },
                )
            )
    return findings
