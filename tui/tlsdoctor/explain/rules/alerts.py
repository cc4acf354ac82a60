"""TLS alerts as each client prints them, for the alerts that reject a client certificate.

The RFC names come from the one alert table, `tlsdoctor.facts.alerts.ALERT_NAMES`;
most clients spell them by a fixed rule (OpenSSL: `_` or a space, Java: as is,
Go: spaces, NSS: upper case + `_ALERT`, .NET: CamelCase). Only the spellings
that differ from that rule, and the free-text messages (GnuTLS, NSS), are
written here. What an alert means for a diagnosis is `codes.ALERT_CODES`.
Data only: this module must not match text or do I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tlsdoctor.explain.rule import Rule
from tlsdoctor.explain.rules.codes import ALERT_CODES
from tlsdoctor.facts.alerts import ALERT_NAMES

# Go's tls package (alertText) where it differs from the RFC name with spaces.
GO_SPELLINGS: Mapping[int, str] = {
    45: "expired certificate",
    46: "unknown certificate",
    48: "unknown certificate authority",
}
# After Go's 46, so that it does not also match 48.
GO_GUARDS: Mapping[int, str] = {46: "(?! authority)"}
# NSS error codes (SSL_ERROR_<X>_ALERT) where <X> is not the RFC name in upper case.
NSS_SPELLINGS: Mapping[int, str] = {
    42: "BAD_CERT",
    43: "UNSUPPORTED_CERT",
    45: "EXPIRED_CERT",
    116: "RX_CERTIFICATE_REQUIRED",
}
# .NET TlsAlertMessage where it is not the RFC name in CamelCase.
DOTNET_SPELLINGS: Mapping[int, str] = {43: "UnsupportedCert", 48: "UnknownCA"}
# GnuTLS's alert descriptions, as curl prints them after `gnutls_handshake() failed: `.
GNUTLS_TEXTS: Mapping[int, str] = {
    40: "Handshake failed",
    42: "Certificate is bad",
    43: "Certificate is not supported",
    45: "Certificate is expired",
    46: "Unknown certificate",
    48: "CA is unknown",
    49: "Access was denied",
    116: "Certificate is required",
}
# NSS's texts for the same errors (Firefox, curl with NSS).
NSS_TEXTS: Mapping[int, str] = {
    40: "SSL peer was unable to negotiate an acceptable set of security parameters",
    42: "SSL peer cannot verify your certificate",
    43: "SSL peer does not support certificates of the type it received",
    45: "SSL peer rejected your certificate as expired",
    46: "SSL peer had some unspecified issue with the certificate it received",
    48: "Peer does not recognize and trust the CA that issued your certificate",
    49: "Peer received a valid certificate, but access was denied",
    116: "SSL received a certificate_required alert",
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@dataclass(frozen=True)
class AlertFamily:
    """How one client prints an alert: `pattern` and `needle` around `{name}`, the alert as spelled.

    `{word}` in a needle is the longest word of the RFC name (OpenSSL's spelling is a pattern).
    """

    family: str  # rule ids are alert.<family>.<number>
    client: str | None
    pattern: str
    needle: str  # lowercase after filling in; every match contains it
    spell: Callable[[int, str], str]  # (number, RFC name) → the alert as this client prints it
    guards: Mapping[int, str] = field(default_factory=dict)  # number → a regex put after the spelling in `pattern`


FAMILIES: tuple[AlertFamily, ...] = (
    AlertFamily("openssl", None, r"(?:sslv3|tlsv1|tlsv13)[ _]alert[ _]{name}\b", "{word}",
                lambda num, name: name.replace("_", "[ _]")),
    AlertFamily("java", "java", r"Received fatal alert: {name}\b", "received fatal alert: {name}",
                lambda num, name: name),
    AlertFamily("go", "go", r"remote error: tls: {name}\b", "remote error: tls: {name}",
                lambda num, name: GO_SPELLINGS.get(num, name.replace("_", " ")), GO_GUARDS),
    AlertFamily("nss", "firefox", r"\bSSL_ERROR_{name}_ALERT\b", "ssl_error_{name}_alert",
                lambda num, name: NSS_SPELLINGS.get(num, name.upper())),
    AlertFamily("nss-text", None, "{name}", "{name}", lambda num, name: NSS_TEXTS[num]),
    AlertFamily("dotnet", "dotnet", r"sent a TLS alert: '{name}'", "sent a tls alert: '{name}'",
                lambda num, name: DOTNET_SPELLINGS.get(num, _camel(name))),
    AlertFamily("gnutls", "curl", r"gnutls_handshake\(\) failed: {name}\b", "gnutls_handshake() failed: {name}",
                lambda num, name: GNUTLS_TEXTS[num]),
)


def _alert_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for num, codes in ALERT_CODES.items():
        for f in FAMILIES:
            name = ALERT_NAMES[num]
            spelled = f.spell(num, name)
            word = max(name.split("_"), key=len)
            rules.append(
                Rule(
                    f"alert.{f.family}.{num}",
                    f.pattern.format(name=spelled + f.guards.get(num, "")),
                    codes,
                    f.client,
                    needles=(f.needle.format(name=spelled, word=word).lower(),),
                    handshake_alert=num == 40,
                )
            )
    return tuple(rules)


ALERT_RULES: tuple[Rule, ...] = _alert_rules()
