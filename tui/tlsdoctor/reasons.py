"""One vocabulary of reasons: the short code analysis puts in evidence (`reason`), and its sentence.

Analysis writes reason codes with string parameters (`detail`); every face turns
one into a translated sentence with `reason_text()`. One table, so a code means
the same thing in the names step, a finding's "because" and the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tlsdoctor.i18n import N_, _
from tlsdoctor.untrusted import inert

REASON_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        # names: one per SAN verdict
        "exact": N_("matches the host exactly"),
        "wildcard-one-label": N_("the wildcard covers exactly one label: {reference}"),
        "wildcard-public-suffix": N_("the wildcard stands in front of a public suffix; public CAs must not issue it and strict clients refuse it"),
        "different-name": N_("a different name"),
        "wildcard-apex": N_("a wildcard does not cover the bare domain {base}"),
        "wildcard-depth": N_("a wildcard covers one label only, not the {depth} labels in front of {base}"),
        "wildcard-partial": N_("partial-label wildcards are invalid (RFC 9525); only some clients accept them"),
        "wildcard-not-leftmost": N_("a wildcard must be the whole left-most label; this one is ignored"),
        "multiple-wildcards": N_("more than one wildcard: the name is ignored"),
        "ip-match": N_("the IP address matches"),
        "ip-different": N_("a different IP address"),
        "ip-v4-mapped": N_("the same address in IPv4-mapped IPv6 form; only some clients accept it"),
        "ip-vs-dns": N_("an IP target only matches iPAddress SANs, not dNSNames"),
        "dns-vs-ip": N_("an iPAddress SAN never matches a host name"),
        "uri-not-used": N_("URI SANs are not used to check a server host name"),
        "email-not-used": N_("e-mail SANs are not used to check a server host name"),
        "other-not-used": N_("this kind of SAN is not used to check a server host name"),
        "cn-ignored-san-present": N_("the Common Name is ignored because the certificate has SANs"),
        "cn-used-no-san": N_("no SAN: only legacy clients fall back to the Common Name"),
        "trailing-dot": N_("a trailing dot in a certificate name is invalid"),
        "idna2003": N_("this client turns the Unicode name into ASCII by IDNA 2003 (ß becomes ss), so it asks for another name"),
        "idna-u-label-in-cert": N_("Unicode in a certificate name is invalid; it should be {a_label}"),
        "idna-no-a-label": N_("Unicode in a certificate name is invalid, and this name has no A-label form either"),
        "invalid-dns-name": N_("not a valid DNS name"),
        # other steps: the "why" behind a finding's code
        "message-too-large": N_("the certificate message exceeds OpenSSL's 100 KB default: curl, Python, Node and git refuse it"),
        "protocol-version": N_("the server only speaks an old TLS version that clients no longer offer"),
        "malformed-record": N_("the server sent bytes that are not valid TLS records"),
        "no-answer-in-time": N_("the peer did not finish in time"),
        "peer-closed": N_("the peer closed the connection"),
        "alert": N_("the server sent a fatal alert"),
        "starttls-not-offered": N_("the server does not offer STARTTLS (or its protocol's equivalent)"),
        "starttls-refused": N_("the server refused to start TLS"),
        "starttls-unexpected-reply": N_("the server's answer is not what the protocol expects"),
        "starttls-closed": N_("the server closed the connection before TLS started"),
        "starttls-tls-at-once": N_("the server answered with TLS at once: it expects implicit TLS (try --starttls none)"),
        "starttls-no-answer": N_("the server never answered the preamble: it may expect TLS at once (try --starttls none)"),
        "issuer-loop": N_("the chain's issuers form a loop"),
        "too-long": N_("the chain is longer than any client will follow"),
        "cname-loop": N_("the CNAME records form a loop"),
        "cname-chain-too-long": N_("the CNAME chain is too long for resolvers to follow"),
        "servfail": N_("the nameserver answered SERVFAIL"),
        "strict-verifier-rejects": N_("only strict verifiers (Python 3.13+, cryptography) reject it"),
        "store-differs": N_("one trust store accepts it, another does not"),
        "underscore": N_("an underscore in a DNS name: valid for most clients, refused by Java"),
        "client-rule": N_("a client named with --client refuses the name by its own matching rules"),
        "expired": N_("expired"),
        "not-yet-valid": N_("not valid yet"),
        "access-denied": N_("the server accepted the certificate but denied access"),
        "closed-without-alert": N_("the server closed the connection without an alert"),
        "unknown-root": N_("the chain ends at a CA whose root is in no trust store: the client lacks that root, nothing is missing from the server"),
        "untrusted-root": N_("the chain ends at a root that no trust store holds"),
        "not-in-this-store": N_("another trust store trusts it, this one does not"),
        "unknown-issuer": N_("the issuer is in no trust store"),
        "verifier-rejected": N_("cryptography's verifier rejects the chain"),
        "bad-signature": N_("the issuer was sent, but its key does not verify this certificate's signature"),
        "anchor-not-root": N_("trust stops at an intermediate: OpenSSL, Python before 3.13, requests and Node need its self-signed root"),
        "san-not-critical": N_("the subject is empty and the SAN is not critical: Java cannot parse it, Python 3.13+ refuses it"),
        "missing-aki": N_("no authorityKeyIdentifier: Python 3.13+ (VERIFY_X509_STRICT) refuses it"),
        "message-too-large-for-some": N_("the certificate message is larger than Java (32 KB) or Go (64 KB) accept"),
    }
)


def reason_text(reason: str, detail: Mapping[str, str] | None = None) -> str:
    """One translated sentence for a reason code; an unknown code is shown as it is (inert).

    Details come from certificates: each is made inert, so the sentence stays one line."""
    template = REASON_MESSAGES.get(reason)
    if template is None:
        return inert(reason)
    try:
        return _(template).format(**{key: inert(value) for key, value in (detail or {}).items()})
    except (KeyError, IndexError, ValueError):
        return _(template)
