"""Tables the rules share: common code lists and what numbers mean (verify errors, TLS alerts).

Data only: numbers → weighted finding codes. The names of the alerts are in
`tlsdoctor.facts.alerts` (the one alert table); this module says what each
alert means for a diagnosis. It must not hold patterns or do I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tlsdoctor.explain.rule import Weighted
from tlsdoctor.findings import Code

C = Code
# Frequently shared code lists.
UNTRUSTED_OR_INCOMPLETE: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.CHAIN_INCOMPLETE, 0.7))
INCOMPLETE_FIRST: Weighted = ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.5))
ANY_ISSUER_PROBLEM: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.CHAIN_INCOMPLETE, 0.7), (C.SELF_SIGNED, 0.4))
UNTRUSTED_ROOT_IN_CHAIN: Weighted = ((C.CHAIN_UNTRUSTED, 1.0), (C.SELF_SIGNED, 0.5))
EXPIRED_OR_NOT_YET: Weighted = ((C.CERT_EXPIRED, 0.8), (C.CERT_NOT_YET_VALID, 0.4))
# "verification failed" and no reason (a fallback: a certain failure, cause unknown).
SOME_CHAIN_PROBLEM: Weighted = ((C.CHAIN_UNTRUSTED, 0.6), (C.CHAIN_INCOMPLETE, 0.4), (C.SELF_SIGNED, 0.25))

# TLS alerts (RFC 8446 numbers, names in tlsdoctor.facts.alerts.ALERT_NAMES) -> codes when the
# *server* rejected our client certificate. 49 access_denied: the alert says "a valid
# certificate was received, but access control refused it", so the identity is the likely
# culprit; a bad certificate comes second.
ALERT_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        40: ((C.HANDSHAKE_FAILED, 1.0), (C.MTLS_CERT_REQUIRED, 0.5)),
        42: ((C.MTLS_BAD_CERTIFICATE, 1.0), (C.MTLS_CERT_REQUIRED, 0.4)),
        43: ((C.MTLS_EKU_NO_CLIENT_AUTH, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.3)),
        45: ((C.MTLS_BAD_CERTIFICATE, 1.0),),  # certificate_expired: about OUR client cert
        46: ((C.MTLS_BAD_CERTIFICATE, 1.0), (C.MTLS_UNKNOWN_CA, 0.5)),  # Java sends 46 for an unknown CA
        48: ((C.MTLS_UNKNOWN_CA, 1.0), (C.MTLS_CHAIN_INCOMPLETE, 0.6)),
        49: ((C.MTLS_IDENTITY_MISMATCH, 1.0), (C.MTLS_BAD_CERTIFICATE, 0.5)),
        116: ((C.MTLS_CERT_REQUIRED, 1.0),),
    }
)

# OpenSSL verify result numbers (X509_V_ERR_*) -> codes.
VERIFY_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        2: ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.8)),
        9: ((C.CERT_NOT_YET_VALID, 1.0),),
        10: ((C.CERT_EXPIRED, 1.0),),
        18: ((C.SELF_SIGNED, 1.0),),
        19: UNTRUSTED_ROOT_IN_CHAIN,
        20: UNTRUSTED_OR_INCOMPLETE,
        21: INCOMPLETE_FIRST,
        26: ((C.EKU_NO_SERVER_AUTH, 1.0),),
        47: ((C.NAME_CONSTRAINTS, 1.0),),  # permitted subtree violation
        48: ((C.NAME_CONSTRAINTS, 1.0),),  # excluded subtree violation
        62: ((C.HOSTNAME_MISMATCH, 1.0),),
        64: ((C.IP_NOT_IN_SAN, 1.0),),
        66: ((C.WEAK_KEY, 1.0),),  # EE certificate key too weak
        67: ((C.WEAK_KEY, 1.0),),  # CA certificate key too weak
        68: ((C.WEAK_SIGNATURE, 1.0),),  # CA signature digest algorithm too weak
    }
)

# The same numbers when the certificate verified is a CLIENT certificate (nginx server side).
CLIENT_VERIFY_CODES: Mapping[int, Weighted] = MappingProxyType(
    {
        2: ((C.MTLS_CHAIN_INCOMPLETE, 1.5), (C.MTLS_UNKNOWN_CA, 1.0)),
        18: ((C.MTLS_UNKNOWN_CA, 1.5),),
        19: ((C.MTLS_UNKNOWN_CA, 1.5),),
        20: ((C.MTLS_UNKNOWN_CA, 1.5), (C.MTLS_CHAIN_INCOMPLETE, 1.0)),
        21: ((C.MTLS_CHAIN_INCOMPLETE, 1.5), (C.MTLS_UNKNOWN_CA, 0.8)),
        26: ((C.MTLS_EKU_NO_CLIENT_AUTH, 1.5),),
    }
)
