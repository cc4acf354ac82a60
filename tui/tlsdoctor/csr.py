"""The `tlsdoctor csr` engine: a CSR with exactly the right SANs, and the san.cnf that makes it.

The seed's last manual step is "re-issue the certificate with the correct
SAN": write an OpenSSL config, run `openssl req`. This module does both for
the user from their existing key: `make_csr` builds the CSR (cryptography) and
the equivalent `san.cnf` text; `write_csr_bundle` writes the two files
atomically and never overwrites without `force`. The private key is read,
never written, copied or printed.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from cryptography.x509.oid import NameOID

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _
from tlsdoctor.probe.clientfiles import AskPassword, load_private_key
from tlsdoctor.target import to_a_label

# Characters an OpenSSL config line cannot carry safely: list separators,
# variable expansion, comments, quoting, line breaks.
_UNSAFE = set(',$#"\\\n\r\t;') | {chr(c) for c in range(32)} | {"\x7f"}


@dataclass(frozen=True)
class SanName:
    """One SAN in both worlds: the cryptography GeneralName and the san.cnf spelling."""

    kind: str  # "DNS" | "IP" | "URI" | "email"
    value: str

    @property
    def cnf(self) -> str:
        return f"{self.kind}:{self.value}"

    def general_name(self) -> x509.GeneralName:
        if self.kind == "DNS":
            return x509.DNSName(self.value)
        if self.kind == "IP":
            return x509.IPAddress(ipaddress.ip_address(self.value))
        if self.kind == "URI":
            return x509.UniformResourceIdentifier(self.value)
        return x509.RFC822Name(self.value)


@dataclass(frozen=True)
class CsrBundle:
    """The CSR (PEM) and the `san.cnf` that `openssl req -new -key KEY -config san.cnf` would use."""

    san_cnf: str
    csr_pem: bytes
    names: tuple[SanName, ...]
    subject_cn: str | None

    def openssl_command(self, key_path: str, out: str) -> str:
        """The same CSR made by hand, for people who want to see it done with openssl."""
        return f"openssl req -new -key {shlex.quote(key_path)} -out {shlex.quote(out)} -config san.cnf"


def classify_name(text: str) -> SanName:
    """`DNS:`/`IP:`/`URI:`/`email:` prefixes are honoured; else IP, URI (`scheme://`), email (`@`), DNS."""
    raw = text.strip()
    if not raw:
        raise BadInput(_("empty name given to --name"))
    if any(ch in _UNSAFE for ch in raw):
        raise BadInput(_("name {name!r} holds characters a certificate request cannot carry").format(name=raw))
    kind = None
    for prefix, k in (("DNS:", "DNS"), ("IP:", "IP"), ("URI:", "URI"), ("email:", "email")):
        if raw[: len(prefix)].lower() == prefix.lower():
            kind, raw = k, raw[len(prefix) :]
            break
    if kind in (None, "IP"):
        try:
            return SanName("IP", str(ipaddress.ip_address(raw)))
        except ValueError:
            if kind == "IP":
                raise BadInput(_("{name!r} is not an IP address").format(name=raw)) from None
    if kind == "URI" or (kind is None and "://" in raw):
        if "://" not in raw or " " in raw:
            raise BadInput(_("{name!r} is not a URI (expected scheme://…)").format(name=raw))
        return SanName("URI", raw)
    if kind == "email" or (kind is None and "@" in raw):
        local, _sep, domain = raw.rpartition("@")
        if not local or not domain:
            raise BadInput(_("{name!r} is not an email address").format(name=raw))
        return SanName("email", f"{local}@{to_a_label(domain)}")
    if raw.startswith("*."):
        return SanName("DNS", "*." + to_a_label(raw[2:]))
    return SanName("DNS", to_a_label(raw.rstrip(".")))


def _san_cnf(cn: str | None, names: Sequence[SanName]) -> str:
    lines = [
        "[req]",
        "distinguished_name = req_distinguished_name",
        "req_extensions = v3_req",
        "prompt = no",
        "",
        "[req_distinguished_name]",
    ]
    if cn is not None:
        lines.append(f"CN = {cn}")
    lines += ["", "[v3_req]", "subjectAltName = " + ", ".join(n.cnf for n in names), ""]
    return "\n".join(lines)


def make_csr(
    key_path: str,
    names: Sequence[str],
    *,
    password: str | None = None,
    ask_password: AskPassword | None = None,
    subject_cn: str | None = None,
) -> CsrBundle:
    """A CSR signed by the key in `key_path`, whose SANs are exactly `names`.

    The CN defaults to the first DNS name (≤ 64 characters); `subject_cn`
    overrides it. Duplicates are dropped, order is kept.
    """
    if not names:
        raise BadInput(_("give at least one --name for the certificate request"))
    sans = tuple(dict.fromkeys(classify_name(n) for n in names))
    if subject_cn is not None:
        cn: str | None = subject_cn.strip()
        if not cn or len(cn) > 64 or any(ch in _UNSAFE for ch in cn):
            raise BadInput(_("common name {name!r} must be 1 to 64 plain characters").format(name=subject_cn))
    else:
        cn = next((n.value for n in sans if n.kind == "DNS" and len(n.value) <= 64), None)

    try:
        with open(key_path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BadInput(_("cannot read private key {path}: {reason}").format(path=key_path, reason=reason)) from None
    key = load_private_key(key_path, data, password, ask_password)

    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [])
    builder = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(x509.SubjectAlternativeName([n.general_name() for n in sans]), critical=cn is None)
    )
    algorithm = None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    try:
        csr = builder.sign(key, algorithm)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadInput(_("the key in {path} cannot sign a certificate request").format(path=key_path)) from None
    return CsrBundle(
        san_cnf=_san_cnf(cn, sans),
        csr_pem=csr.public_bytes(serialization.Encoding.PEM),
        names=sans,
        subject_cn=cn,
    )


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_csr_bundle(bundle: CsrBundle, out: str, *, force: bool) -> tuple[str, str]:
    """Write the CSR to `out` and `san.cnf` beside it; returns both paths.

    Refuses to overwrite either file without `force` (checked before writing
    anything, so a refusal leaves both untouched).
    """
    csr_path = Path(out)
    cnf_path = csr_path.parent / "san.cnf"
    if csr_path.resolve() == cnf_path.resolve():
        raise BadInput(_("--out cannot be san.cnf: that name is taken by the config file"))
    if not csr_path.parent.is_dir():
        raise BadInput(_("directory {path} does not exist").format(path=str(csr_path.parent)))
    if not force:
        for p in (csr_path, cnf_path):
            if p.exists():
                raise BadInput(_("{path} already exists: use --force to overwrite it").format(path=str(p)))
    try:
        _atomic_write(csr_path, bundle.csr_pem)
        _atomic_write(cnf_path, bundle.san_cnf.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BadInput(_("cannot write {path}: {reason}").format(path=str(csr_path.parent), reason=reason)) from None
    return str(csr_path), str(cnf_path)


__all__ = ["CsrBundle", "SanName", "classify_name", "make_csr", "write_csr_bundle"]
