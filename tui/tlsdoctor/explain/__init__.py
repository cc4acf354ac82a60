"""Recognise pasted TLS error output: which client printed it, which findings it points to.

`explain(text)` reads the error text of any common TLS client (curl with every
backend, wget with OpenSSL or GnuTLS, psql/libpq, git, OpenSSL, Python, Java,
Node.js, Go, kubectl, Docker, Chrome, Firefox, .NET, nginx, Envoy/Istio) and
returns the finding codes it points to, most likely first, with the matched
excerpts as evidence, and how much of the text it read (`input`).

- `rules/`   the rule tables (data): patterns, codes, weights and needles, per kind of problem
- `rule`     what a rule is (Rule, ClientMarker) and the needle prefilter
- `classify` classifiers shared by rules (verify/alert numbers, IP or host name)
- `text`     cleaning and the two whitespace views, offsets back into the input
- `engine`   matching, weighting and the Explanation

Pure: no I/O, no clock, deterministic. It never raises on any text. The pasted
text is untrusted: excerpts are kept exactly as received (ANSI escapes removed,
nothing else), renderers make them safe. Work is capped (`MAX_CHARS`) and every
pattern is bounded, so huge or hostile input stays fast. This file only
re-exports the public names.
"""

from tlsdoctor.explain.engine import Explanation, Match, explain
from tlsdoctor.explain.text import MAX_CHARS, InputSize

__all__ = ["MAX_CHARS", "Explanation", "InputSize", "Match", "explain"]
