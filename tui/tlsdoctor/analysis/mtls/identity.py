"""The identity the server expects of a client certificate (`--expect-client-identity`): exact, glob or regex.

Parsing and matching only: no certificate reading (certfacts.py lists the
forms a certificate carries) and no findings (checks.py).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _
from tlsdoctor.target import to_a_label

_REGEX_ONLY = re.compile(r"[\\()${}|]|\.\*|\.\+")
_GLOB = re.compile(r"[*?\[]")
_FORM_PREFIX = re.compile(r"^(CN=|DNS:|URI:|IP:|IP Address:|email:)", re.IGNORECASE)


@dataclass(frozen=True)
class ExpectedIdentity:
    """The identity the server expects (`--expect-client-identity`).

    Forms (this docstring is the `--help` text):

    - exact: a plain name, `client-prod.example.com`, `spiffe://prod.example/ns/api/sa/web`,
      `ops@example.com`, `10.0.0.7`, or one prefixed form `CN=…`, `DNS:…`, `URI:…`,
      `email:…`, `IP:…`. Compared with the certificate's CN and every SAN
      (case-insensitive except URIs); U-label host names are compared as A-labels.
    - glob: contains `*`, `?` or `[…]`, e.g. `client-*.example.com` or
      `spiffe://prod.example/ns/*/sa/web`. `*` also matches dots and slashes.
    - regex: starts with `^` or `re:`, or contains `\\`, `(`, `)`, `$`, `{`, `}`, `|`,
      `.*` or `.+`, e.g. nginx's `^CN=client-prod\\.example\\.com`. Searched (as
      nginx `~` does, case-sensitive) in each of: `CN=<cn>`, the subject as an
      RFC 4514 string, each SAN value, and `DNS:<name>`, `URI:<uri>`,
      `email:<addr>`, `IP:<ip>`.
    """

    text: str
    kind: str  # "exact" | "glob" | "regex"
    pattern: str  # the name, the glob, or the regex source
    _regex: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def matching(self, candidates: Sequence[str]) -> tuple[str, ...]:
        """The candidate forms this identity matches, in order."""
        found: list[str] = []
        for cand in candidates:
            case_sensitive = cand.startswith("URI:") or "://" in cand
            if self.kind == "regex":
                assert self._regex is not None
                hit = self._regex.search(cand) is not None
            elif self.kind == "glob":
                hit = (
                    fnmatch.fnmatchcase(cand, self.pattern)
                    if case_sensitive
                    else fnmatch.fnmatchcase(cand.casefold(), self.pattern.casefold())
                )
            else:
                hit = cand == self.pattern if case_sensitive else cand.casefold() == self.pattern.casefold()
            if hit:
                found.append(cand)
        return tuple(found)

    def name_for_diff(self) -> str | None:
        """A literal (or glob) name to compare label by label, when one can be read from the pattern."""
        body = self.pattern
        if self.kind == "regex":
            body = body.removeprefix("^").removesuffix("$")
            body = body.replace("\\.", "\x00").replace(".*", "*").replace(".+", "*").replace("\x00", ".")
            body = body.replace("\\-", "-").replace("\\/", "/")
            if re.search(r"[\\()\[\]{}|+?^$]", body):
                return None
        body = _FORM_PREFIX.sub("", body)
        return body or None

    def csr_names(self) -> tuple[str, str] | None:
        """(`-subj` value, `subjectAltName=…` value) of a request for a certificate carrying this identity.

        Derived from the parsed identity, never from the raw text: `CN=client.example.com`
        gives `/CN=client.example.com` and `subjectAltName=DNS:client.example.com`. None when
        the identity stands for many names (a glob, a regex with wildcards) or cannot be
        written in a request: the caller then says which name to put, and invents none.
        """
        body = self.pattern if self.kind == "exact" else self.name_for_diff()
        if body is None or (self.kind != "exact" and (_GLOB.search(body) or _REGEX_ONLY.search(body))):
            return None
        if self.kind != "exact" and (said := _FORM_PREFIX.match(self.pattern.removeprefix("^"))):
            body = said.group() + body  # the regex said which form: keep it
        prefix = _FORM_PREFIX.match(body)
        form = prefix.group().rstrip(":=").upper() if prefix else ""
        value = body[prefix.end() :].strip() if prefix else body.strip()
        if not value or not value.isprintable() or "," in value:
            return None
        if form in ("", "CN"):  # the kind of name the value is
            kind = "URI" if "://" in value else "email" if "@" in value else "IP" if _is_ip(value) else "DNS"
        else:
            kind = {"IP ADDRESS": "IP", "EMAIL": "email"}.get(form, form)
        if kind == "DNS" and ("." not in value or not re.fullmatch(r"[A-Za-z0-9_.*-]+", value)):
            return None  # not a name a SAN can carry
        subject = "/" if kind == "URI" or len(value) > 64 else "/CN=" + re.sub(r"([/+=\\])", r"\\\1", value)
        return subject, f"subjectAltName={kind}:{value}"

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "kind": self.kind, "pattern": self.pattern}


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def parse_expected_identity(text: str) -> ExpectedIdentity:
    """Classify `--expect-client-identity` as exact, glob or regex (see ExpectedIdentity)."""
    raw = text.strip()
    if not raw:
        raise BadInput(_("the expected client identity is empty"))
    if raw.startswith(("re:", "^")) or _REGEX_ONLY.search(raw):
        source = raw.removeprefix("re:")
        try:
            compiled = re.compile(source)
        except re.error as exc:
            raise BadInput(
                _("expected client identity {text!r} is not a valid regular expression: {error}").format(
                    text=raw, error=str(exc)
                )
            ) from None
        return ExpectedIdentity(text=raw, kind="regex", pattern=source, _regex=compiled)
    if _GLOB.search(raw):
        return ExpectedIdentity(text=raw, kind="glob", pattern=raw)
    pattern = raw
    if not raw.isascii() and not re.search(r"[:@=/]", raw):
        pattern = to_a_label(raw)
    return ExpectedIdentity(text=raw, kind="exact", pattern=pattern)
