"""What a client certificate carries, in the forms people and servers write: identities, x5t#S256, openssl's view, commands.

Pure reading of certificates (and the file name, for ready-to-copy
commands). No judgement here: checks.py turns these facts into findings.
"""

from __future__ import annotations

import base64
import hashlib
import shlex

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tlsdoctor.analysis.certinfo import CertSummary, describe
from tlsdoctor.facts.client import ClientCertView


def x5t_s256(cert: x509.Certificate) -> str:
    """RFC 8705 §3.1: base64url(SHA-256(DER certificate)), no padding."""
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def san_forms(summary: CertSummary) -> tuple[str, ...]:
    """Each SAN value, bare and prefixed (`DNS:…`, `URI:…`, `email:…`, `IP:…`)."""
    forms: list[str] = []
    for prefix, values in (
        ("DNS:", summary.san_dns),
        ("URI:", summary.san_uri),
        ("email:", summary.san_email),
        ("IP:", summary.san_ip),
    ):
        for value in values:
            forms += [value, prefix + value]
    return tuple(forms)


def identity_forms(cert: x509.Certificate) -> tuple[str, ...]:
    """Every form an identity rule may be written against, in a stable order."""
    summary = describe(cert)
    forms: list[str] = []
    for cn in summary.common_names:
        forms += [f"CN={cn}", cn]
    if summary.subject:
        forms.append(summary.subject)
    forms += san_forms(summary)
    return tuple(dict.fromkeys(forms))


def carried_identities(summary: CertSummary) -> tuple[str, ...]:
    """The identities as a person reads them: `CN=…`, `DNS:…`, `URI:…`, `email:…`, `IP:…`."""
    return tuple(
        [f"CN={cn}" for cn in summary.common_names]
        + [f"DNS:{v}" for v in summary.san_dns]
        + [f"URI:{v}" for v in summary.san_uri]
        + [f"email:{v}" for v in summary.san_email]
        + [f"IP:{v}" for v in summary.san_ip]
    )


def _openssl_name(name: x509.Name) -> str:
    """A name as `openssl x509 -subject` prints it (OpenSSL 3 default: DER order, `A = v, B = w`)."""
    rdns: list[str] = []
    for rdn in name.rdns:
        parts = []
        for attr in rdn:
            if attr.oid == NameOID.EMAIL_ADDRESS:
                label = "emailAddress"
            else:
                label = attr.rfc4514_attribute_name
            parts.append(f"{label} = {attr.value!s}")
        rdns.append(" + ".join(parts))
    return ", ".join(rdns)


def openssl_view(cert: x509.Certificate) -> tuple[str, ...]:
    """What `openssl x509 -noout -subject -ext subjectAltName` prints for this certificate."""
    lines = ["subject=" + _openssl_name(cert.subject)]
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return (*lines, "No extensions in certificate")
    except Exception:  # noqa: BLE001 - malformed: say what openssl would not be able to print either
        return (*lines, "X509v3 Subject Alternative Name: <unparsable>")
    parts: list[str] = []
    for gn in ext.value:
        if isinstance(gn, x509.DNSName):
            parts.append(f"DNS:{gn.value}")
        elif isinstance(gn, x509.UniformResourceIdentifier):
            parts.append(f"URI:{gn.value}")
        elif isinstance(gn, x509.RFC822Name):
            parts.append(f"email:{gn.value}")
        elif isinstance(gn, x509.IPAddress):
            parts.append(f"IP Address:{gn.value}")
        elif isinstance(gn, x509.DirectoryName):
            parts.append("DirName:" + _openssl_name(gn.value))
        else:
            parts.append("othername:<unsupported>")
    header = "X509v3 Subject Alternative Name:" + (" critical" if ext.critical else " ")
    return (*lines, header, "    " + ", ".join(parts))


def commands(view: ClientCertView) -> tuple[tuple[str, str], ...]:
    """The seed's manual steps, ready to copy, built from the real file name: (purpose, command)."""
    if not view.path:
        return ()
    f = shlex.quote(view.path)
    to_x5t = " | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '='"
    if view.source_format == "pkcs12":
        extract = f"openssl pkcs12 -in {f} -nokeys -clcerts"
        return (
            ("inspect", f"{extract} | openssl x509 -noout -subject -ext subjectAltName"),
            ("x5t#S256", f"{extract} | openssl x509 -outform DER" + to_x5t),
        )
    inform = " -inform DER" if view.source_format == "der" else ""
    return (
        ("inspect", f"openssl x509 -in {f}{inform} -noout -subject -ext subjectAltName"),
        ("x5t#S256", f"openssl x509 -in {f}{inform} -outform DER" + to_x5t),
    )
