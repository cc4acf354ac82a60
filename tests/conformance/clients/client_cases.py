"""The certificate corpus of the client-conformance suite: every case a served chain, a trust anchor and a host.

Each `CaseSpec` builds one `Served` setup from the shared PKIs of a `Corpus`:
the certificate the server presents, EXACTLY the certificates it sends after
it, the anchors the client trusts (its only ones) and the host the client asks
for, as a person types it (a U-label, a trailing dot, an IP literal). The ids
are stable: they name the parametrised tests and the rows of the report.
The lab's own scenarios are added by `client_lab`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from client_pki import ANY_EKU, Constraints, cert
from cryptography import x509

from tlsdoctor.lab.certs import EKU_BOTH, EKU_CLIENT, Issued, Pki, expired, make_ca, make_leaf, make_pki, not_yet_valid

H = "api.example.test"  # the usual host


@dataclass(frozen=True)
class Served:
    """What one case serves and whom the client trusts."""

    leaf: Issued
    chain: tuple[x509.Certificate, ...]  # sent after the leaf, exactly in this order
    trust: tuple[x509.Certificate, ...]  # the client's only anchors
    host: str  # as a person types it
    address: str = "127.0.0.1"


@dataclass(frozen=True)
class CaseSpec:
    id: str
    title: str
    build: Callable[[Corpus], Served]


class Corpus:
    """The PKIs the cases share (made once: RSA keys are slow)."""

    @functools.cached_property
    def pki(self) -> Pki:
        return make_pki("Conformance")

    @functools.cached_property
    def rsa(self) -> Pki:
        return make_pki("Conformance RSA", key_kind="rsa")

    @functools.cached_property
    def stranger(self) -> Pki:
        return make_pki("Stranger")


def _sent(issued: Issued) -> tuple[x509.Certificate, ...]:
    """The usual chain: every issuer but the root."""
    return tuple(c for c in issued.chain if c.issuer != c.subject)


def names(host: str, *, address: str = "127.0.0.1", **leaf: object) -> Callable[[Corpus], Served]:
    """A leaf from the main PKI with these names, served with its intermediate."""

    def build(c: Corpus) -> Served:
        issued = c.pki.leaf(**leaf)
        return Served(issued, _sent(issued), (c.pki.root.cert,), host, address)

    return build


def chain(build_leaf: Callable[[Corpus], tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]], host: str = H) -> Callable[[Corpus], Served]:
    """A case whose builder returns (leaf, chain sent, anchors)."""

    def build(c: Corpus) -> Served:
        leaf, sent, anchors = build_leaf(c)
        return Served(leaf, tuple(sent), tuple(anchors), host)

    return build


def _via(ca: Issued, root: Issued, **leaf: object) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    issued = make_leaf(ca, dns=[H], **leaf)  # type: ignore[arg-type]
    return issued, _sent(issued), (root.cert,)


def _root_then(c_root: Issued, **ca: object) -> Issued:
    return cert("Conformance Odd Intermediate", c_root, ca=True, **ca)  # type: ignore[arg-type]


def _nc(c: Corpus, constraints: Constraints, **leaf: object) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    ca = cert("Constrained Intermediate", c.pki.root, ca=True, constraints=constraints)
    issued = make_leaf(ca, **leaf)  # type: ignore[arg-type]
    return issued, _sent(issued), (c.pki.root.cert,)


def _odd_root(c: Corpus, **root: object) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    r = cert("Odd Root", None, ca=True, **root)  # type: ignore[arg-type]
    ca = cert("Odd Root Intermediate", r, ca=True)
    issued = make_leaf(ca, dns=[H])
    return issued, _sent(issued), (r.cert,)


NAME_CASES: tuple[CaseSpec, ...] = (
    CaseSpec("n-exact", "exact SAN", names(H, dns=[H])),
    CaseSpec("n-case", "SAN in mixed case", names(H, dns=["API.Example.TEST"])),
    CaseSpec("n-mismatch", "another name only", names(H, dns=["www.example.test"])),
    CaseSpec("n-apex-for-sub", "apex SAN, subdomain asked", names("www.example.test", dns=["example.test"])),
    CaseSpec("n-many-sans", "500 SANs, the match last", names(H, dns=[f"host-{i}.example.test" for i in range(499)] + [H])),
    CaseSpec("n-huge-cert", "3,000 SANs with the host: a 70 KB certificate", names(H, dns=[H] + [f"host-{i:05d}.example.test" for i in range(2999)])),
    CaseSpec("n-localhost", "SAN localhost", names("localhost", dns=["localhost"])),
    CaseSpec("n-wild", "*.example.test", names(H, dns=["*.example.test"])),
    CaseSpec("n-wild-apex", "*.example.test for the apex", names("example.test", dns=["*.example.test"])),
    CaseSpec("n-wild-depth", "*.example.test for two labels", names("a.b.example.test", dns=["*.example.test"])),
    CaseSpec("n-wild-multi", "*.*.example.test", names("a.b.example.test", dns=["*.*.example.test"])),
    CaseSpec("n-wild-prefix", "partial wildcard f*.example.test", names("foo.example.test", dns=["f*.example.test"])),
    CaseSpec("n-wild-suffix", "partial wildcard *oo.example.test", names("foo.example.test", dns=["*oo.example.test"])),
    CaseSpec("n-wild-middle", "partial wildcard f*o.example.test", names("foo.example.test", dns=["f*o.example.test"])),
    CaseSpec("n-wild-not-leftmost", "wildcard in the second label api.*.test", names(H, dns=["api.*.test"])),
    CaseSpec("n-wild-tld", "wildcard over a TLD *.com", names("example.com", dns=["*.com"])),
    CaseSpec("n-wild-two-labels", "wildcard over *.test", names("example.test", dns=["*.test"])),
    CaseSpec("n-wild-icann-suffix", "wildcard over a public suffix *.co.uk", names("example.co.uk", dns=["*.co.uk"])),
    CaseSpec("n-wild-private-suffix", "wildcard over a private PSL entry", names("bucket.s3.amazonaws.com", dns=["*.s3.amazonaws.com"])),
    CaseSpec("n-wild-star-only", "a bare * for a one-label host", names("localhost", dns=["*"])),
    CaseSpec("n-wild-upper", "*.EXAMPLE.test", names(H, dns=["*.EXAMPLE.test"])),
    CaseSpec("n-wild-hyphen", "*.example.test for a-b", names("a-b.example.test", dns=["*.example.test"])),
    CaseSpec("n-wild-idn-host", "*.example.test for an A-label host", names("xn--bcher-kva.example.test", dns=["*.example.test"])),
    CaseSpec("n-wild-alabel-partial", "xn--*.example.test", names("xn--bcher-kva.example.test", dns=["xn--*.example.test"])),
    CaseSpec("n-wild-idn-zone", "*.xn--bcher-kva.test", names("api.xn--bcher-kva.test", dns=["*.xn--bcher-kva.test"])),
    CaseSpec("n-wild-underscore", "*.example.test for my_api", names("my_api.example.test", dns=["*.example.test"])),
    CaseSpec("n-underscore", "exact my_api.example.test", names("my_api.example.test", dns=["my_api.example.test"])),
    CaseSpec("n-idn-ulabel", "U-label typed, A-label in the SAN", names("bücher.example.test", dns=["xn--bcher-kva.example.test"])),
    CaseSpec("n-idn-ulabel-wild", "U-label typed, *.example.test", names("bücher.example.test", dns=["*.example.test"])),
    CaseSpec("n-idn-alabel", "A-label typed and in the SAN", names("xn--bcher-kva.example.test", dns=["xn--bcher-kva.example.test"])),
    CaseSpec("n-idn-sibling", "U-label typed, the SAN holds buecher", names("bücher.example.test", dns=["buecher.example.test"])),
    CaseSpec("n-idn-eszett", "straße typed, the SAN holds its IDNA 2008 A-label", names("straße.example.test", dns=["xn--strae-oqa.example.test"])),
    CaseSpec("n-idn-eszett-2003", "straße typed, the SAN holds strasse (IDNA 2003)", names("straße.example.test", dns=["strasse.example.test"])),
    CaseSpec("n-ip4", "IP SAN 127.0.0.1", names("127.0.0.1", ips=["127.0.0.1"])),
    CaseSpec("n-ip4-wrong", "IP SAN 127.0.0.2 for 127.0.0.1", names("127.0.0.1", ips=["127.0.0.2"])),
    CaseSpec("n-ip4-as-dns", "the IP as a dNSName", names("127.0.0.1", dns=["127.0.0.1"])),
    CaseSpec("n-ip4-cn-only", "the IP in the CN only", names("127.0.0.1", cn="127.0.0.1", san=False)),
    CaseSpec("n-ip4-mapped", "IP SAN ::ffff:127.0.0.1 for 127.0.0.1", names("127.0.0.1", ips=["::ffff:127.0.0.1"])),
    CaseSpec("n-ip6", "IP SAN ::1", names("::1", address="::1", ips=["::1"])),
    CaseSpec("n-ip6-wrong", "IP SAN ::2 for ::1", names("::1", address="::1", ips=["::2"])),
    CaseSpec("n-ip-for-name", "IP SAN only, a name asked", names("localhost", ips=["127.0.0.1"])),
    CaseSpec("n-cn-only", "CN only, no SAN extension", names(H, cn=H, san=False)),
    CaseSpec("n-cn-only-wild", "CN *.example.test only", names(H, cn="*.example.test", san=False)),
    CaseSpec("n-cn-ignored", "the CN matches, the SAN does not", names(H, dns=["www.example.test"], cn=H)),
    CaseSpec("n-cn-with-ip-san", "CN matches beside an IP SAN", names(H, ips=["127.0.0.2"], cn=H)),
    CaseSpec("n-cn-with-uri-san", "CN matches beside a URI SAN", names(H, uris=[f"https://{H}/"], cn=H)),
    CaseSpec("n-cn-with-email-san", "CN matches beside an email SAN", names(H, emails=[f"admin@{H}"], cn=H)),
    CaseSpec("n-uri-only", "a URI SAN only, no CN", names(H, uris=[f"https://{H}/"], cn=None, org="lab")),
    CaseSpec("n-trailing-dot-host", "the host typed with a trailing dot", names(H + ".", dns=[H])),
    CaseSpec("n-trailing-dot-san", "the SAN with a trailing dot", names(H, dns=[H + "."])),
    CaseSpec("n-critical-san", "critical SAN beside a subject", names(H, dns=[H], cn=H, san_critical=True)),
    CaseSpec("n-empty-subject", "empty subject, critical SAN", names(H, dns=[H], cn=None, org=None)),
    CaseSpec("n-empty-subject-noncritical", "empty subject, non-critical SAN", names(H, dns=[H], cn=None, org=None, san_critical=False)),
)


def _missing(c: Corpus) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    issued = c.pki.leaf(dns=[H])
    return issued, (), (c.pki.root.cert,)


def _missing_aia(c: Corpus) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    issued = c.pki.leaf(dns=[H], aia_url="http://127.0.0.1:9/intermediate.der")
    return issued, (), (c.pki.root.cert,)


def _plain(c: Corpus, **leaf: object) -> tuple[Issued, Sequence[x509.Certificate], Sequence[x509.Certificate]]:
    return _via(c.pki.intermediate, c.pki.root, **leaf)


def _two_intermediates(c: Corpus) -> tuple[Issued, Issued]:
    sub = make_ca("Conformance Sub CA", issuer=c.pki.root)
    sub2 = make_ca("Conformance Sub Sub CA", issuer=sub)
    return sub, make_leaf(sub2, dns=[H])


CHAIN_CASES: tuple[CaseSpec, ...] = (
    CaseSpec("c-missing-intermediate", "leaf sent without its intermediate", chain(_missing)),
    CaseSpec("c-missing-intermediate-aia", "intermediate missing, AIA URL present", chain(_missing_aia)),
    CaseSpec("c-unknown-root", "chain to a root the client lacks", chain(lambda c: (i := c.stranger.leaf(dns=[H]), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-unknown-root-sent", "unknown root sent along", chain(lambda c: (i := c.stranger.leaf(dns=[H]), i.chain, (c.pki.root.cert,)))),
    CaseSpec("c-self-signed", "self-signed leaf, not trusted", chain(lambda c: (make_leaf(None, dns=[H], cn=H), (), (c.pki.root.cert,)))),
    CaseSpec("c-self-signed-trusted", "self-signed leaf, trusted as the anchor", chain(lambda c: (i := make_leaf(None, dns=[H], cn=H), (), (i.cert,)))),
    CaseSpec("c-expired", "leaf expired 10 days ago", chain(lambda c: _plain(c, **expired(10)))),
    CaseSpec("c-not-yet-valid", "leaf valid from 10 days on", chain(lambda c: _plain(c, **not_yet_valid(10)))),
    CaseSpec("c-expired-intermediate", "intermediate expired", chain(lambda c: _via(cert("Expired Intermediate", c.pki.root, ca=True, days=(-400, -5)), c.pki.root))),
    CaseSpec("c-expired-root", "trusted root expired", chain(lambda c: _odd_root(c, days=(-400, -5)))),
    CaseSpec("c-eku-client", "EKU clientAuth only", chain(lambda c: _plain(c, eku=EKU_CLIENT))),
    CaseSpec("c-eku-none", "no EKU extension", chain(lambda c: _plain(c, eku=None))),
    CaseSpec("c-eku-any", "EKU anyExtendedKeyUsage only", chain(lambda c: _plain(c, eku=ANY_EKU))),
    CaseSpec("c-eku-both", "EKU serverAuth + clientAuth", chain(lambda c: _plain(c, eku=EKU_BOTH))),
    CaseSpec("c-eku-critical", "critical EKU serverAuth", chain(lambda c: (i := cert(H, c.pki.intermediate, dns=[H], eku_critical=True), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-rsa1024-leaf", "RSA-1024 leaf key", chain(lambda c: _plain(c, key_kind="rsa-1024"))),
    CaseSpec("c-rsa1024-intermediate", "RSA-1024 intermediate key", chain(lambda c: _via(_root_then(c.pki.root, key_kind="rsa-1024"), c.pki.root))),
    CaseSpec("c-rsa1024-root", "RSA-1024 trusted root key", chain(lambda c: _odd_root(c, key_kind="rsa-1024"))),
    CaseSpec("c-rsa2048", "RSA-2048 all the way", chain(lambda c: _via(c.rsa.intermediate, c.rsa.root, key_kind="rsa"))),
    CaseSpec("c-p384-leaf", "EC P-384 leaf signed with SHA-384", chain(lambda c: (i := cert(H, c.pki.intermediate, key_kind="p384", dns=[H], digest="sha384"), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-p192-intermediate", "EC P-192 intermediate key", chain(lambda c: _via(_root_then(c.pki.root, key_kind="p192"), c.pki.root))),
    CaseSpec("c-ed25519-leaf", "Ed25519 leaf key", chain(lambda c: (i := cert(H, c.pki.intermediate, key_kind="ed25519", dns=[H]), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-sha1-leaf", "leaf signed with SHA-1", chain(lambda c: _plain(c, signature_hash="sha1"))),
    CaseSpec("c-sha1-intermediate", "intermediate signed with SHA-1", chain(lambda c: _via(_root_then(c.pki.root, digest="sha1"), c.pki.root))),
    CaseSpec("c-sha1-root", "trusted root self-signed with SHA-1", chain(lambda c: _odd_root(c, digest="sha1"))),
    CaseSpec("c-nc-outside", "permitted example.test, leaf api.other.test", chain(lambda c: _nc(c, Constraints(permitted_dns=["example.test"]), dns=["api.other.test"]), "api.other.test")),
    CaseSpec("c-nc-inside", "permitted example.test, leaf inside", chain(lambda c: _nc(c, Constraints(permitted_dns=["example.test"]), dns=[H]))),
    CaseSpec("c-nc-wildcard-inside", "permitted example.test, *.example.test", chain(lambda c: _nc(c, Constraints(permitted_dns=["example.test"]), dns=["*.example.test"]))),
    CaseSpec("c-nc-excluded", "excluded example.test, leaf inside it", chain(lambda c: _nc(c, Constraints(excluded_dns=["example.test"]), dns=[H]))),
    CaseSpec("c-nc-excluded-other", "excluded other.test, leaf elsewhere", chain(lambda c: _nc(c, Constraints(excluded_dns=["other.test"]), dns=[H]))),
    CaseSpec("c-nc-second-san-outside", "permitted example.test, a second SAN outside", chain(lambda c: _nc(c, Constraints(permitted_dns=["example.test"]), dns=[H, "api.other.test"]))),
    CaseSpec("c-nc-cn-outside", "permitted example.test, CN-only leaf outside", chain(lambda c: _nc(c, Constraints(permitted_dns=["example.test"]), cn="api.other.test", san=False), "api.other.test")),
    CaseSpec("c-nc-ip-outside", "permitted 10.0.0.0/8, leaf IP 127.0.0.1", chain(lambda c: _nc(c, Constraints(permitted_ips=["10.0.0.0/8"]), ips=["127.0.0.1"]), "127.0.0.1")),
    CaseSpec("c-nc-ip-inside", "permitted 127.0.0.0/8, leaf IP 127.0.0.1", chain(lambda c: _nc(c, Constraints(permitted_ips=["127.0.0.0/8"]), ips=["127.0.0.1"]), "127.0.0.1")),
    CaseSpec("c-nc-root-outside", "trusted root permits example.test only, leaf outside", chain(lambda c: (lambda r: (i := make_leaf(cert("NC Root Intermediate", r, ca=True), dns=["api.other.test"]), _sent(i), (r.cert,)))(cert("NC Root", None, ca=True, constraints=Constraints(permitted_dns=["example.test"]))), "api.other.test")),
    CaseSpec("c-pathlen", "pathLen 0 intermediate above another CA", chain(lambda c: (i := make_leaf(make_ca("Below pathlen", issuer=c.pki.intermediate), dns=[H]), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-leaf-is-ca", "the server certificate is a CA", chain(lambda c: (i := cert(H, c.pki.intermediate, ca=True, dns=[H], eku=EKU_BOTH[:1]), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-no-aki", "leaf without authorityKeyIdentifier", chain(lambda c: (i := cert(H, c.pki.intermediate, dns=[H], aki=False), _sent(i), (c.pki.root.cert,)))),
    CaseSpec("c-reversed", "two intermediates sent in reverse order", chain(lambda c: (lambda sub_leaf: (sub_leaf[1], tuple(reversed(_sent(sub_leaf[1]))), (c.pki.root.cert,)))(_two_intermediates(c)))),
    CaseSpec("c-root-sent", "the trusted root sent along", chain(lambda c: (i := c.pki.leaf(dns=[H]), i.chain, (c.pki.root.cert,)))),
    CaseSpec("c-unrelated-extra", "an unrelated CA sent along", chain(lambda c: (i := c.pki.leaf(dns=[H]), (*_sent(i), c.stranger.intermediate.cert), (c.pki.root.cert,)))),
    CaseSpec("c-trust-intermediate", "the client trusts the intermediate, not the root", chain(lambda c: (i := c.pki.leaf(dns=[H]), _sent(i), (c.pki.intermediate.cert,)))),
)

CASES: tuple[CaseSpec, ...] = NAME_CASES + CHAIN_CASES
