"""The clients' own policy on keys, signatures and name constraints: who refuses a chain that builds.

Pure. A chain can link perfectly to a trusted root and still be refused, by
some clients only: Debian's and Ubuntu's OpenSSL run at security level 2 (RSA
and DSA keys under 2048 bits, EC keys under 224 bits and SHA-1 or MD5
signatures refused: openssl, curl, Python, requests), Node's bundled OpenSSL
at level 1 (SHA-1 refused, RSA-1024 accepted), Java's
`jdk.certpath.disabledAlgorithms` (RSA under 1024, EC curves under 224 bits;
SHA-1 only for roots of the JDK's own cacerts), wget's GnuTLS (SHA-1 refused,
RSA-1024 accepted, no EKU check at all), Go since 1.18 (SHA-1) and browsers.
OpenSSL also weighs the trust anchor's key, applies name constraints to a
SAN-less leaf's Common Name, refuses an anyExtendedKeyUsage-only leaf and needs
a self-signed anchor unless told otherwise (curl and Python 3.13+ tell it);
Java ignores the anchor's validity and name constraints.

These tables are checked against the real clients by tests/conformance/clients
(OpenSSL 3.0, curl 7.88, Python 3.11 and 3.13, requests, Node 20, Java 17,
wget/GnuTLS 3.7 on Debian 12); Go and the browsers are modelled from their
documentation. Each finding lists the clients that refuse and those that
accept; where a client's verdict changed with its version, `versions` says
from which version on (`{"python-ssl": {"since": "3.13", "refuses": true}}`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.chain.links import AnchorIndex
from tlsdoctor.analysis.chain.model import Evidence, who
from tlsdoctor.findings import Code, Finding, Severity

ALL_CLIENTS = ("openssl", "curl", "python-ssl", "requests", "node", "java", "go", "wget", "chrome", "firefox")
SECLEVEL2 = ("openssl", "curl", "python-ssl", "requests")  # Debian/Ubuntu OpenSSL at security level 2
OPENSSL_BASED = (*SECLEVEL2, "node")
# Clients that need a self-signed anchor: OpenSSL without X509_V_FLAG_PARTIAL_CHAIN (curl sets it since
# 7.68, CPython's create_default_context since 3.13).
NEEDS_ROOT_ANCHOR = ("openssl", "python-ssl", "requests", "node")
Versions = dict[str, dict[str, object]]
LEGACY_HASHES = {"sha1": "SHA-1", "md5": "MD5"}
_NETWORKS = (ipaddress.IPv4Network, ipaddress.IPv6Network)
_HOSTNAME = re.compile(r"(?:[A-Za-z0-9_*](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)+[A-Za-z0-9-]{1,63}\.?")


def _minimum_bits(kind: str) -> dict[str, int]:
    """Per client: the smallest key (bits) it accepts in a certificate it verifies."""
    if kind == "ec":
        return dict.fromkeys(ALL_CLIENTS, 224) | {"node": 160, "wget": 160}
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


def _split(refusing: Sequence[str], versions: Versions | None = None) -> Evidence:
    split: Evidence = {"clients": list(refusing), "accepting": [c for c in ALL_CLIENTS if c not in refusing]}
    if versions:
        split["versions"] = versions
    return split


def split_but(*accepting: str) -> Evidence:
    """Evidence for a rule every client applies except `accepting` (e.g. Java and an expired anchor)."""
    return _split([c for c in ALL_CLIENTS if c not in accepting])


def eku_split(server_auth: bool) -> Evidence:
    """Who refuses a leaf whose EKU lacks serverAuth: anyExtendedKeyUsage satisfies Java, Go, wget (which
    checks no EKU at all) and Chrome, not OpenSSL ("unsuitable certificate purpose") nor Firefox."""
    if server_auth:
        return _split(())
    return split_but("wget")


def any_eku_split() -> Evidence:
    return _split((*OPENSSL_BASED, "firefox"))


def key_and_signature_findings(
    certs: Sequence[x509.Certificate],
    summaries: Sequence[CertSummary],
    positions: Sequence[int],
    path: Sequence[int],
    anchor: x509.Certificate | None = None,
    anchor_summary: CertSummary | None = None,
) -> list[Finding]:
    """`weak-key` and `weak-signature` for every certificate on the path the server sent, and the key of
    the anchor it ends at (OpenSSL's security level weighs it; no client checks the anchor's signature)."""
    findings: list[Finding] = []
    checked: list[tuple[x509.Certificate, CertSummary, int | str]] = [(certs[i], summaries[i], positions[i]) for i in path]
    if anchor is not None and anchor_summary is not None and not any(s.sha256 == anchor_summary.sha256 for _c, s, _p in checked):
        checked.append((anchor, anchor_summary, "anchor"))
    for cert, summary, position in checked:
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
                        {**who(position, summary), "key_type": kind, "bits": bits, "rule": rule, **_split(refusing)},
                    )
                )
        digest = _signature_hash(cert)
        if digest in LEGACY_HASHES and not summary.self_signed and position != "anchor":
            refusing = [c for c in ALL_CLIENTS if c != "java" or digest == "md5"]
            findings.append(
                Finding(
                    Code.WEAK_SIGNATURE,
                    Severity.ERROR,
                    {
                        **who(position, summary),
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


def _cn_hostnames(leaf: x509.Certificate) -> list[str]:
    """The Common Names OpenSSL holds to DNS name constraints: only when there is no dNSName SAN, and only
    names that look like host names (NAME_CONSTRAINTS_check_CN)."""
    if _dns_names(leaf):
        return []
    try:
        cns = [a.value for a in leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    except ValueError:
        return []
    return [cn.lower().rstrip(".") for cn in cns if isinstance(cn, str) and _HOSTNAME.fullmatch(cn)]


def _violations(leaf: x509.Certificate, constraints: x509.NameConstraints) -> list[tuple[str, str]]:
    """(name, "excluded" | "not-permitted") for each of the leaf's names the constraints forbid."""
    out: list[tuple[str, str]] = []
    permitted = constraints.permitted_subtrees or []
    excluded = constraints.excluded_subtrees or []
    permitted_dns = [g.value for g in permitted if isinstance(g, x509.DNSName)]
    excluded_dns = [g.value for g in excluded if isinstance(g, x509.DNSName)]
    for name in _dns_names(leaf) + _cn_hostnames(leaf):
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
                        # Java builds its trust anchors without their name constraints.
                        **(split_but("java") if named.get("position") == "anchor" else _split(ALL_CLIENTS)),
                    },
                )
            )
    return findings


def root_above(top: x509.Certificate, store: AnchorIndex) -> bool:
    """Does the store hold a root for `top`: `top` self-issued, a self-issued twin (same subject and key),
    or an issuer of it? Without one, OpenSSL without PARTIAL_CHAIN has no self-signed anchor to end at."""
    if top.subject == top.issuer or store.issuer_of(top) is not None:
        return True
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # lazy: start-up cost, rarely reached

    key = top.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return any(
        c.subject == c.issuer and c.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) == key
        for c in store.by_subject.get(top.subject.public_bytes(), ())
    )


def anchor_findings(anchor: x509.Certificate | None, anchor_summary: CertSummary | None, leaf: CertSummary) -> list[Finding]:
    """The path ends at an anchor that is not a root, and the store has nothing above it (the client trusts
    an intermediate): OpenSSL, Python before 3.13, requests and Node refuse; curl, Java, Go, wget and
    browsers accept."""
    if anchor is None or anchor_summary is None or anchor_summary.self_issued or anchor_summary.sha256 == leaf.sha256:
        return []
    return [
        Finding(
            Code.CHAIN_UNTRUSTED,
            Severity.WARNING,  # RFC 5280 accepts any trust anchor, as curl, Java, Go, wget and browsers do
            {
                "reason": "anchor-not-root",
                "anchor": who("anchor", anchor_summary),
                "rule": "OpenSSL needs a self-signed trust anchor unless X509_V_FLAG_PARTIAL_CHAIN is set "
                "(curl sets it since 7.68, Python's create_default_context since 3.13)",
                **_split(NEEDS_ROOT_ANCHOR, {"python-ssl": {"since": "3.13", "refuses": False}}),
            },
        )
    ]


def profile_findings(certs: Sequence[x509.Certificate], summaries: Sequence[CertSummary], positions: Sequence[int], path: Sequence[int]) -> list[Finding]:
    """RFC 5280 rules only some clients enforce: Java cannot parse a leaf with an empty subject and a
    non-critical SAN; Python 3.13+ (VERIFY_X509_STRICT) refuses that and a missing authorityKeyIdentifier."""
    findings: list[Finding] = []
    leaf = certs[0]
    try:
        san = leaf.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    except (x509.ExtensionNotFound, ValueError):
        san = None
    if san is not None and not san.critical and len(leaf.subject) == 0:
        findings.append(
            Finding(
                Code.CHAIN_UNTRUSTED,
                Severity.WARNING,
                {"reason": "san-not-critical", **who(positions[0], summaries[0]),
                 "rule": "RFC 5280 4.2.1.6: subjectAltName must be critical when the subject is empty",
                 **_split(("java",), {"python-ssl": {"since": "3.13", "refuses": True}})},
            )
        )  # fmt: skip
    for i in path:
        if not summaries[i].self_signed and summaries[i].aki is None:
            findings.append(
                Finding(
                    Code.CHAIN_UNTRUSTED,
                    Severity.WARNING,
                    {"reason": "missing-aki", **who(positions[i], summaries[i]),
                     "rule": "RFC 5280 4.2.1.1: authorityKeyIdentifier required (Python 3.13+ VERIFY_X509_STRICT)",
                     **_split((), {"python-ssl": {"since": "3.13", "refuses": True}})},
                )
            )  # fmt: skip
    return findings


# The largest handshake message each client takes, where it is under OpenSSL's 100 KB (the fetch step's limit).
HANDSHAKE_LIMITS = {"java": 32768, "go": 65536}  # jdk.tls.maxHandshakeMessageSize; crypto/tls maxHandshake


def size_findings(der_sizes: Sequence[int]) -> list[Finding]:
    """Java refuses a Certificate message over 32 KB, Go over 64 KB ("exceeds the maximum"); OpenSSL-based
    clients take up to 100 KB (that limit is the fetch step's). Counted as TLS 1.3 frames it: 4 + 1 + 3
    bytes of headers, then 3 + DER + 2 per certificate (`der_sizes`: the DER length of each)."""
    size = 8 + sum(5 + n for n in der_sizes)
    refusing = [client for client, limit in HANDSHAKE_LIMITS.items() if size > limit]
    if not refusing:
        return []
    return [
        Finding(
            Code.HANDSHAKE_FAILED,
            Severity.WARNING,
            {"reason": "message-too-large-for-some", "bytes": size, "limits": {c: HANDSHAKE_LIMITS[c] for c in refusing},
             "rule": "Java: jdk.tls.maxHandshakeMessageSize (32768 bytes); Go: crypto/tls maxHandshake (65536 bytes)",
             **_split(refusing)},
        )
    ]  # fmt: skip
