"""Step 5, NAMES: does the certificate cover the name, and if not, exactly why.

`check_names(cert, target)` gives every presented identifier (each SAN, then
each subject CN) its own verdict and reason code, the RFC 9525 verdict, the
closest candidate with a label-by-label diff, a per-client matrix and the
findings. Like pyca/service-identity it reports *every* reason, not the first.
`match_name(presented, reference)` is the bare RFC 9525 DNS-ID rule.

Pure: no I/O, no clock, no textual. Reasons are stable codes with string
parameters (`detail`); `tlsdoctor.reasons.reason_text()` turns one into a
translated sentence for renderers that want it.

The parts, bottom to top:
- `model`: the result dataclasses and their JSON shape;
- `matching`: the RFC 9525 DNS-ID / IP-ID rules and the lenient reading;
- `closest`: similarity, the label diff and the closest candidate;
- `identifiers`: what the certificate presents and the reference, read once;
- `verdicts`: one verdict per presented identifier;
- `clients`: each client's own matching code; `client_matrix` runs them all;
- `findings`: the findings and their severities; `check`: `check_names`.

This file only re-exports the public names; it holds no logic.
"""

from tlsdoctor.analysis.names.check import check_names
from tlsdoctor.analysis.names.clients import CLIENT_RULES, ClientRule
from tlsdoctor.analysis.names.matching import match_name, public_suffix_section
from tlsdoctor.analysis.names.model import (
    AddressVerdict,
    ClientVerdict,
    IPAddr,
    LabelDiff,
    NamesResult,
    SanKind,
    SanVerdict,
    Verdict,
)

__all__ = [
    "CLIENT_RULES",
    "AddressVerdict",
    "ClientRule",
    "ClientVerdict",
    "IPAddr",
    "LabelDiff",
    "NamesResult",
    "SanKind",
    "SanVerdict",
    "Verdict",
    "check_names",
    "match_name",
    "public_suffix_section",
]
