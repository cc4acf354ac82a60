"""Client material (mutual TLS): the loaded certificate and key, and the view analysis may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tlsdoctor.facts.tls import ClientCredentials


@dataclass(frozen=True)
class ClientCertView:
    """What analysis may see of the user's client material: certificates, never the key.

    `key_matches` is computed by the loader (public key of the key == public
    key of the leaf). `path` is the certificate file as the user named it, for
    ready-to-copy commands.
    """

    leaf: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    key_matches: bool = True
    path: str | None = None
    source_format: str = "pem"  # "pem" | "der" | "pkcs12"
    key_file_mode: int | None = None  # st_mode & 0o777 of the file holding the key


@dataclass(frozen=True)
class ClientMaterial:
    """A loaded client certificate (leaf, then the rest of its file in order) and its key."""

    leaf: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key: object = field(repr=False)  # a cryptography private key object
    source: str  # "client.pem (PEM)", "client.p12 (PKCS#12)": for display
    cert_path: str
    source_format: str  # "pem" | "der" | "pkcs12" | "jks" | "jceks"
    key_path: str  # the file the key came from (may equal cert_path)
    key_file_mode: int | None  # st_mode & 0o777 of key_path, for a "readable by others" warning
    alias: str | None = None  # the keystore entry used (PKCS#12, JKS, JCEKS), for keytool commands

    @property
    def key_matches(self) -> bool:
        """Does the private key belong to the leaf certificate? (compares public keys)"""
        return _public_key_matches(self.leaf, self.key)

    def view(self) -> ClientCertView:
        """What the pure analysis may see: certificates and facts, never the key."""
        return ClientCertView(
            leaf=self.leaf,
            chain=self.chain,
            key_matches=self.key_matches,
            path=self.cert_path,
            source_format=self.source_format,
            key_file_mode=self.key_file_mode,
        )

    def to_credentials(self) -> ClientCredentials:
        """Leaf + chain as DER and the key as unencrypted PKCS#8 PEM, in memory only."""
        key_pem = self.key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        ders = tuple(c.public_bytes(serialization.Encoding.DER) for c in (self.leaf, *self.chain))
        return ClientCredentials(chain_der=ders, key_pem=key_pem)


def _public_key_matches(cert: x509.Certificate, key: object) -> bool:
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        ours = key.public_key().public_bytes(*fmt)  # type: ignore[attr-defined]
        theirs = cert.public_key().public_bytes(*fmt)
    except Exception:  # noqa: BLE001 - any key object: a fault means no match
        return False
    return bool(ours == theirs)
