"""Finding codes, severities and step ids: the stable vocabulary of every report.

The codes are a contract (DESIGN.md): extend, never rename. This module holds
data only; the words that explain a code live in the catalogs and the
knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class StepId(StrEnum):
    """The eight steps of the decision tree, in order."""

    TARGET = "target"
    DNS = "dns"
    HOSTS = "hosts"
    FETCH = "fetch"
    NAMES = "names"
    CHAIN = "chain"
    CLIENT = "client"
    DIAGNOSIS = "diagnosis"

    @property
    def number(self) -> int:
        return list(StepId).index(self) + 1


class StepStatus(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"
    ERROR = "error"


class Severity(StrEnum):
    """`error`: a client that follows the rules fails. `warning`: works today but
    fragile or against a rule some clients or CAs enforce. `info`: context."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Every finding code, grouped by the step that raises it."""

    # target
    BAD_TARGET = "bad-target"
    # dns
    DNS_NXDOMAIN = "dns-nxdomain"
    DNS_NO_ADDRESS = "dns-no-address"
    DNS_TIMEOUT = "dns-timeout"
    DNS_ERROR = "dns-error"
    # hosts
    HOSTS_OVERRIDE = "hosts-override"
    # fetch
    CONNECT_REFUSED = "connect-refused"
    CONNECT_TIMEOUT = "connect-timeout"
    NOT_TLS = "not-tls"
    HANDSHAKE_FAILED = "handshake-failed"
    SNI_DEFAULT_CERT = "sni-default-cert"
    IP_DIVERGENT_CERTS = "ip-divergent-certs"
    # names
    HOSTNAME_MISMATCH = "hostname-mismatch"
    WILDCARD_APEX = "wildcard-apex"
    WILDCARD_DEPTH = "wildcard-depth"
    WILDCARD_PARTIAL = "wildcard-partial"
    CN_ONLY = "cn-only"
    IP_NOT_IN_SAN = "ip-not-in-san"
    CN_NOT_IN_SAN = "cn-not-in-san"
    # chain
    CHAIN_INCOMPLETE = "chain-incomplete"
    CHAIN_ORDER = "chain-order"
    CHAIN_UNTRUSTED = "chain-untrusted"
    SELF_SIGNED = "self-signed"
    CERT_EXPIRED = "cert-expired"
    CERT_NOT_YET_VALID = "cert-not-yet-valid"
    EKU_NO_SERVER_AUTH = "eku-no-server-auth"
    # added later (extend, never rename): the client's own policy on a chain that builds
    WEAK_KEY = "weak-key"
    WEAK_SIGNATURE = "weak-signature"
    NAME_CONSTRAINTS = "name-constraints"
    # client (mTLS)
    MTLS_CERT_REQUIRED = "mtls-cert-required"
    MTLS_UNKNOWN_CA = "mtls-unknown-ca"
    MTLS_BAD_CERTIFICATE = "mtls-bad-certificate"
    MTLS_IDENTITY_MISMATCH = "mtls-identity-mismatch"
    MTLS_EKU_NO_CLIENT_AUTH = "mtls-eku-no-client-auth"
    MTLS_CHAIN_INCOMPLETE = "mtls-chain-incomplete"
    MTLS_KEY_MISMATCH = "mtls-key-mismatch"
    MTLS_CNF_MISMATCH = "mtls-cnf-mismatch"


# The step each code belongs to; used to order findings and to check coverage.
CODE_STEP: Mapping[Code, StepId] = MappingProxyType(
    {
        Code.BAD_TARGET: StepId.TARGET,
        **dict.fromkeys((Code.DNS_NXDOMAIN, Code.DNS_NO_ADDRESS, Code.DNS_TIMEOUT, Code.DNS_ERROR), StepId.DNS),
        Code.HOSTS_OVERRIDE: StepId.HOSTS,
        **dict.fromkeys((Code.CONNECT_REFUSED, Code.CONNECT_TIMEOUT, Code.NOT_TLS, Code.HANDSHAKE_FAILED, Code.SNI_DEFAULT_CERT, Code.IP_DIVERGENT_CERTS), StepId.FETCH),
        **dict.fromkeys((Code.HOSTNAME_MISMATCH, Code.WILDCARD_APEX, Code.WILDCARD_DEPTH, Code.WILDCARD_PARTIAL, Code.CN_ONLY, Code.IP_NOT_IN_SAN, Code.CN_NOT_IN_SAN), StepId.NAMES),
        **dict.fromkeys((Code.CHAIN_INCOMPLETE, Code.CHAIN_ORDER, Code.CHAIN_UNTRUSTED, Code.SELF_SIGNED, Code.CERT_EXPIRED, Code.CERT_NOT_YET_VALID, Code.EKU_NO_SERVER_AUTH, Code.WEAK_KEY, Code.WEAK_SIGNATURE, Code.NAME_CONSTRAINTS), StepId.CHAIN),
        **{c: StepId.CLIENT for c in Code if c.value.startswith("mtls-")},
    }
)


@dataclass(frozen=True)
class Finding:
    """One observed fact that matters for the diagnosis.

    `evidence` holds JSON-ready values (str, int, float, bool, None, lists and
    dicts of them), exactly as observed: certificate text is never cleaned up
    here, renderers make it safe for their medium.
    """

    code: Code
    severity: Severity
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def step(self) -> StepId:
        return CODE_STEP[self.code]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "step": self.step.value,
            "evidence": dict(self.evidence),
        }


def worst_status(findings: tuple[Finding, ...] | list[Finding]) -> StepStatus:
    """The status a step earns from its findings: fail on an error, warn on a warning."""
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return StepStatus.FAIL
    if Severity.WARNING in severities:
        return StepStatus.WARN
    return StepStatus.OK
