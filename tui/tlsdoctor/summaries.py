"""The report's own one-line texts: a title per finding code and a summary per step.

Both are part of the report itself (each step's `summary` is in the JSON
contract) and every face shows them, so they live below the renderers, beside
`diagnosis`. Translated at call time (`_()`), so a report renders in the
language active when it is shown. No rendering, no rich, no textual here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tlsdoctor.facts.questions import Answered
from tlsdoctor.facts.steps import StepResult
from tlsdoctor.findings import Code, StepId, StepStatus
from tlsdoctor.i18n import N_, _
from tlsdoctor.protocols import ProtocolChoice
from tlsdoctor.untrusted import inert

FINDING_TITLES: Mapping[Code, str] = MappingProxyType(
    {
        Code.BAD_TARGET: N_("The target cannot be checked as given."),
        Code.DNS_NXDOMAIN: N_("The name does not exist in DNS (NXDOMAIN)."),
        Code.DNS_NO_ADDRESS: N_("The name exists but has no A or AAAA record."),
        Code.DNS_TIMEOUT: N_("DNS did not answer in time."),
        Code.DNS_ERROR: N_("DNS answered with an error."),
        Code.HOSTS_OVERRIDE: N_("The hosts file sends this machine somewhere other than DNS does."),
        Code.HOSTS_UNREADABLE: N_("The hosts file could not be read: where this machine connects is not known for sure."),
        Code.CONNECT_REFUSED: N_("The connection was refused: nothing listens on that port."),
        Code.CONNECT_TIMEOUT: N_("The connection or handshake timed out."),
        Code.NOT_TLS: N_("The server does not speak TLS on this port."),
        Code.HANDSHAKE_FAILED: N_("The TLS handshake failed."),
        Code.SNI_DEFAULT_CERT: N_("Without the right SNI the server presents a different (default) certificate."),
        Code.IP_DIVERGENT_CERTS: N_("The addresses of this name present different certificates."),
        Code.STARTTLS_REFUSED: N_("The server did not let TLS start: its STARTTLS (or equivalent) answer was not a go-ahead."),
        Code.HOSTNAME_MISMATCH: N_("The certificate does not cover the host name."),
        Code.WILDCARD_APEX: N_("A wildcard does not cover the bare domain (apex)."),
        Code.WILDCARD_DEPTH: N_("A wildcard covers exactly one label, not several."),
        Code.WILDCARD_PARTIAL: N_("A partial-label wildcard is invalid for most clients."),
        Code.CN_ONLY: N_("The certificate has no SAN: modern clients ignore the Common Name."),
        Code.IP_NOT_IN_SAN: N_("The IP address is not among the certificate's iPAddress SANs."),
        Code.CN_NOT_IN_SAN: N_("The Common Name is not repeated in the SAN (CA/Browser Forum rule)."),
        Code.CHAIN_INCOMPLETE: N_("The server does not send the intermediate certificate."),
        Code.CHAIN_ORDER: N_("The chain is sent in the wrong order or with extra certificates."),
        Code.CHAIN_UNTRUSTED: N_("The chain ends in a root that is not trusted."),
        Code.SELF_SIGNED: N_("The certificate is self-signed."),
        Code.CERT_EXPIRED: N_("A certificate has expired."),
        Code.CERT_NOT_YET_VALID: N_("A certificate is not valid yet."),
        Code.EKU_NO_SERVER_AUTH: N_("The certificate is not allowed for TLS servers (EKU lacks serverAuth)."),
        Code.WEAK_KEY: N_("A key in the chain is too weak for some clients' security policy."),
        Code.WEAK_SIGNATURE: N_("A signature in the chain uses a hash some clients refuse (SHA-1 or MD5)."),
        Code.NAME_CONSTRAINTS: N_("A CA's name constraints forbid a name on the certificate."),
        Code.MTLS_CERT_REQUIRED: N_("The server requires a client certificate."),
        Code.MTLS_UNKNOWN_CA: N_("The server does not trust the CA of the client certificate."),
        Code.MTLS_BAD_CERTIFICATE: N_("The server rejected the client certificate."),
        Code.MTLS_IDENTITY_MISMATCH: N_("The client certificate does not carry the expected identity."),
        Code.MTLS_EKU_NO_CLIENT_AUTH: N_("The client certificate is not allowed for clients (EKU lacks clientAuth)."),
        Code.MTLS_CHAIN_INCOMPLETE: N_("The client does not send its intermediate certificate."),
        Code.MTLS_KEY_MISMATCH: N_("The private key does not belong to the client certificate."),
        Code.MTLS_CNF_MISMATCH: N_("The token is bound to a different certificate (x5t#S256)."),
    }
)


# A DNS answer's kind in a summary (the resolver's own English text never reaches the reader).
DNS_STATUS_SHORT: Mapping[str, str] = MappingProxyType(
    {
        "nxdomain": "NXDOMAIN",
        "servfail": "SERVFAIL",
        "no-address": N_("no A or AAAA record"),
        "nodata": N_("no record of this type"),
        "timeout": N_("no answer in time"),
        "error": N_("the query failed"),
    }
)


def finding_title(code: Code) -> str:
    """The translated one-line title of a finding code."""
    return _(FINDING_TITLES[code])


_STARTTLS_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "port": N_("{protocol} with STARTTLS first (port {port} is its well-known port; --starttls none to skip it)"),
        "url": N_("{protocol} with STARTTLS first (from the URL scheme)"),
        "option": N_("{protocol} with STARTTLS first (--starttls)"),
    }
)


def protocol_summary(protocol: ProtocolChoice, port: int) -> str:
    """What is spoken before TLS and why, in one translated phrase (the target step says it)."""
    if protocol.starttls is not None:
        return _(_STARTTLS_SOURCES.get(protocol.source, _STARTTLS_SOURCES["option"])).format(protocol=protocol.label, port=port)
    return _("{protocol}: TLS from the first byte").format(protocol=protocol.label)


def step_summary(result: StepResult) -> str:
    """One translated line per step: what a person needs from it at a glance.

    `result.data` is the step's own view (see `walk`); it is read by attribute,
    as every face reads it.
    """
    if result.status is StepStatus.SKIPPED:
        return _(result.skipped_reason or "skipped")
    data = result.data
    step = result.step
    if step is StepId.TARGET:
        t = data.target
        line = _("{host} port {port}, SNI {sni}").format(host=t.display_host, port=t.port, sni=data.sni or _("none"))
        protocol = getattr(data, "protocol", None)
        return line if protocol is None or protocol.source == "default" else line + "; " + protocol_summary(protocol, t.port)
    if step is StepId.DNS:
        if data.addresses:
            return _("{name} → {addresses}").format(name=data.name, addresses=", ".join(data.addresses))
        status = _(DNS_STATUS_SHORT[data.status]) if data.status in DNS_STATUS_SHORT else data.status
        return _("no address for {name} ({status})").format(name=data.name, status=status)
    if step is StepId.HOSTS:
        source = {"resolve": _("--resolve pin"), "hosts": _("hosts file"), "dns": _("DNS")}.get(data.source, data.source)
        summary = _("the client connects to {addresses} (from {source})").format(
            addresses=", ".join(data.used_addresses) or _("nothing"), source=source
        )
        if getattr(data, "read_error", None):
            return _("{error}; {summary}").format(error=inert(data.read_error), summary=summary)
        return summary
    if step is StepId.FETCH:
        total = len(data.view.handshakes)
        ok = sum(1 for h in data.view.handshakes if h.ok)
        return _("{ok} of {total} handshakes completed on {n} addresses").format(ok=ok, total=total, n=len(data.addresses))
    if step is StepId.NAMES:
        astray = [r.address for r in getattr(data, "addresses", ()) if r.leaf_sha256 and r.matched is False]
        if data.matched and astray:
            return _("the certificate of {good} covers {host}; not the one of {bad}").format(
                good=", ".join(r.address for r in data.addresses if r.matched) or _("the first address"),
                host=data.display_reference,
                bad=", ".join(astray),
            )
        refused = [c.client for c in data.clients if not c.accepts]
        if data.matched and refused and result.status is StepStatus.FAIL:
            return _("the certificate names {host}, but is refused by {clients}").format(
                host=data.display_reference, clients=", ".join(refused)
            )
        if data.matched:
            return _("the certificate covers {host}").format(host=data.display_reference)
        closest = inert(data.closest.value) if data.closest else _("none")  # the server's text: one line
        return _("the certificate does not cover {host}; closest: {closest}").format(host=data.display_reference, closest=closest)
    if step is StepId.CHAIN:
        oks = [v.store for v in data.verdicts if v.ok]
        if oks:
            return _("trusted by: {stores}").format(stores=", ".join(oks))
        return _("not trusted by any store tried")
    if step is StepId.CLIENT:
        if result.findings:
            return finding_title(result.findings[0].code)
        return _("the server accepted the client certificate")
    if step is StepId.DIAGNOSIS:
        if not data:
            return _("nothing wrong found")
        return _("most likely: {id} {title}").format(id=data[0].kb_id, title=data[0].title)
    return ""


# What an answer of the guided walk says, as a sentence of the path taken ("the user said: …").
_SAID: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("hosts", "intended"): N_("the hosts file line is intended"),
        ("hosts", "stale"): N_("the hosts file line is stale"),
        ("hosts", "dns"): N_("the failing client uses DNS, not the hosts file"),
        ("hosts", "unknown"): N_("it is not known whether the failing client reads the hosts file"),
        ("address", "intermittent"): N_("the failure is intermittent"),
        ("address", "unknown"): N_("it is not known which address the failing client reaches"),
        ("client-cert", "without"): N_("no client certificate is loaded"),
        ("client", "unknown"): N_("the failing client is not known"),
    }
)
_BY: Mapping[str, str] = MappingProxyType(
    {
        "default": N_("default"),
        "option": N_("option"),
        "pasted": N_("from the pasted message"),
        "earlier": N_("as in the last run"),
        "user": N_("the user said"),
    }
)


def answered_text(a: Answered) -> str:
    """One settled question as a sentence: "the failing client is Java", "the hosts file line is intended"."""
    fixed = _SAID.get((a.question.value, a.value))
    if fixed is not None:
        return _(fixed)
    if a.question.value == "client":
        return _("the failing client is {client}").format(client=a.detail or _(a.label))
    if a.question.value == "address":
        return _("the failing client reaches {address}").format(address=a.value)
    if a.question.value == "client-cert":
        return _("a client certificate was loaded: {files}").format(files=a.detail)
    if a.question.value == "start":
        return _("what is wrong: {answer}").format(answer=_(a.label))
    return _(a.label)


def answered_by(a: Answered) -> str:
    """Where the answer came from, in words: the user, an option, the default, the pasted message."""
    return _(_BY.get(a.by.value, a.by.value))


def answered_by_note(a: Answered) -> str:
    """`" (the user said)"`, `"（用户所说）"`: where the answer came from, in the language's parentheses
    (full-width in Chinese, with no space before them)."""
    note = _("({by})").format(by=answered_by(a))
    return note if note.startswith("（") else " " + note
