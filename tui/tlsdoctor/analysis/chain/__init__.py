"""Step 6, chain: does the presented chain build to a trusted root, and if not, exactly why.

cryptography's `x509.verification` gives the authoritative verdict per store
(verify.py); the rest explains it: issuer/subject links and order (links.py),
missing intermediate, untrusted root and the verifier's errors as findings
(explain.py), validity of every certificate, the leaf's EKU and the rules only
strict verifiers apply (policy.py). Result dataclasses live in model.py and
`analyse_chain` (analyse.py) ties them together.

Pure: no I/O, no clock, no textual; nothing here imports a probe.
"""

from tlsdoctor.analysis.chain.analyse import analyse_chain
from tlsdoctor.analysis.chain.model import (
    MAX_PRESENTED,
    ChainResult,
    Link,
    StoreVerdict,
)

__all__ = ["MAX_PRESENTED", "ChainResult", "Link", "StoreVerdict", "analyse_chain"]
