"""The rule tables of `tlsdoctor.explain`: what each client prints, and what it points to.

Data only, one module per kind of problem (names, chain, policy, alerts,
mtls, transport, hints), plus the client markers (clients) and the shared code
tables (codes). Every rule writes down its needles. The engine
(`tlsdoctor.explain.engine`) runs them; nothing here matches text or does I/O.
"""

from tlsdoctor.explain.rule import ClientMarker, Rule
from tlsdoctor.explain.rules.alerts import ALERT_RULES
from tlsdoctor.explain.rules.chain import CHAIN_RULES
from tlsdoctor.explain.rules.clients import (
    CLIENT_CERT_CONTEXT,
    CLIENT_MARKERS,
    CLIENT_ORDER,
    RULE_CLIENT_RANK,
)
from tlsdoctor.explain.rules.hints import HINT_RULES
from tlsdoctor.explain.rules.mtls import MTLS_RULES
from tlsdoctor.explain.rules.names import NAME_RULES
from tlsdoctor.explain.rules.policy import POLICY_RULES
from tlsdoctor.explain.rules.protocols import CLIENT_PROTOCOLS, PROTOCOL_RULES
from tlsdoctor.explain.rules.transport import TRANSPORT_RULES

RULES: tuple[Rule, ...] = (
    *NAME_RULES, *CHAIN_RULES, *POLICY_RULES, *ALERT_RULES, *MTLS_RULES, *TRANSPORT_RULES, *HINT_RULES,
    *PROTOCOL_RULES,
)

__all__ = [
    "CLIENT_CERT_CONTEXT",
    "CLIENT_MARKERS",
    "CLIENT_ORDER",
    "CLIENT_PROTOCOLS",
    "RULES",
    "RULE_CLIENT_RANK",
    "ClientMarker",
    "Rule",
]
