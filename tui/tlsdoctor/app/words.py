"""The app's words for values the engine keeps as stable codes: verdicts, DNS statuses, handshake fields.

The engine's data holds codes (`no-match`, `nxdomain`, `certificate_requested`)
because the JSON report is a contract; a person reads them as words in their
language. Each table maps a code to a msgid (`N_`), translated when shown; an
unknown code is shown as it is. Data and small lookups only: no widget, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tlsdoctor.findings import StepId
from tlsdoctor.i18n import N_, _
from tlsdoctor.reasons import REASON_MESSAGES, reason_text

# The step list at 80 columns: one short line per step (the evidence pane's title has the full one).
SHORT_STEP_TITLES: Mapping[StepId, str] = MappingProxyType(
    {
        StepId.TARGET: N_("Target"),
        StepId.DNS: N_("DNS"),
        StepId.HOSTS: N_("Hosts file"),
        StepId.FETCH: N_("Fetch"),
        StepId.NAMES: N_("Names"),
        StepId.CHAIN: N_("Chain"),
        StepId.CLIENT: N_("Client (mTLS)"),
        StepId.DIAGNOSIS: N_("Diagnosis"),
    }
)

NAME_VERDICTS: Mapping[str, str] = MappingProxyType(
    {"match": N_("covers"), "no-match": N_("does not match"), "invalid": N_("invalid")}
)

# DnsView.status / DnsRow.status (analysis.dns): the kind of answer, never the resolver's English text.
DNS_STATUS: Mapping[str, str] = MappingProxyType(
    {
        "ok": N_("answered"),
        "nxdomain": N_("the name does not exist (NXDOMAIN)"),
        "nodata": N_("no record of this type"),
        "no-address": N_("no A or AAAA record"),
        "servfail": N_("the server failed (SERVFAIL)"),
        "timeout": N_("no answer in time"),
        "error": N_("the query failed"),
    }
)

# facts.tls.FetchError and SniMode values.
FETCH_ERRORS: Mapping[str, str] = MappingProxyType(
    {
        "refused": N_("connection refused"),
        "timeout": N_("timed out"),
        "unreachable": N_("unreachable"),
        "not-tls": N_("not TLS"),
        "reset": N_("connection closed"),
        "handshake": N_("handshake failed"),
    }
)
SNI_MODES: Mapping[str, str] = MappingProxyType(
    {"sni": N_("with SNI"), "no-sni": N_("without SNI"), "bogus-sni": N_("unknown SNI")}
)

# analysis.mtls HandshakeSummary keys → labels (the client step's pane).
HANDSHAKE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "address": N_("Address"),
        "port": N_("Port"),
        "server_name": N_("Server name (SNI)"),
        "ok": N_("TLS handshake"),
        "protocol": N_("Protocol"),
        "error": N_("Error"),
        "error_detail": N_("Detail"),
        "certificate_requested": N_("Server asked for a client certificate"),
        "acceptable_client_cas": N_("CAs the server accepts"),
        "client_cert_sent": N_("Client certificate sent"),
        "http_status": N_("HTTP status"),
        "http_reason": N_("HTTP reason"),
        "http_body_excerpt": N_("HTTP body"),
    }
)
# analysis.mtls CaList / CaComparison keys → labels.
CA_MATCH_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "server_sent_ca_list": N_("Server sent a CA list"),
        "server_accepts": N_("Server accepts"),
        "our_issuers": N_("Issuers of our certificate"),
        "our_issuers_accepted": N_("Of those, accepted"),
        "leaf_issuer_accepted": N_("Our issuer accepted"),
    }
)
# analysis.mtls ClientResult.commands purposes.
COMMAND_PURPOSES: Mapping[str, str] = MappingProxyType(
    {"inspect": N_("Inspect the client certificate"), "x5t#S256": N_("Its x5t#S256 thumbprint (for a token's cnf)")}
)


def word(table: Mapping[str, str], code: str) -> str:
    """The translated word for a code, or the code itself when the table does not know it."""
    msgid = table.get(code)
    return _(msgid) if msgid is not None else code


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def client_note(note: str) -> str:
    """A client-matrix note: a reason code (`exact`, `wildcard-one-label`) or a verdict (`no-match`)."""
    if note in REASON_MESSAGES:
        return reason_text(note)
    return word(NAME_VERDICTS, note)


def field_label(table: Mapping[str, str], key: str) -> str:
    """The label of a data field; an unknown field keeps its key (new engine fields still show)."""
    return word(table, key)
