"""Step 7, the client (mutual TLS): would the server accept this client certificate, and why not?

Pure: no I/O, no clock (`at` is passed in). Input is a `ClientCertView` (the
loaded certificate, its chain from the same file, and whether the key matches:
computed by `probe.clientfiles`, so no key ever reaches this module), an
optional expected identity, an optional decoded token, and an optional real
handshake made with the certificate. Output is a frozen `ClientResult` whose
findings use the `mtls-*` codes. Nothing here holds or prints key material or
a whole token.

Code choices where the contract was silent:
- An expired / not-yet-valid client certificate is `mtls-bad-certificate`
  with `reason: "expired"` / `"not-yet-valid"`: `cert-expired` belongs to the
  chain step (the server's certificate) and would put the finding in the
  wrong step. Alert 45 certificate_expired maps to the same.
- Alert 49 access_denied ("valid certificate, but access was denied") is
  `mtls-identity-mismatch` with `reason: "access-denied"`: the TLS layer
  accepted the certificate, the identity was refused.
- Alert 44 certificate_revoked, 42 bad_certificate, 46 certificate_unknown and
  any other alert after a client certificate was sent are
  `mtls-bad-certificate` with the alert in evidence.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import hashlib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tlsdoctor.analysis.certinfo import CertSummary, describe
from tlsdoctor.analysis.token import TokenView
from tlsdoctor.errors import BadInput
from tlsdoctor.facts.alerts import ALERT_NAMES
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.findings import Code, Finding, Severity, StepStatus, worst_status
from tlsdoctor.i18n import _

if TYPE_CHECKING:
    from tlsdoctor.facts.tls import Handshake


CLIENT_AUTH_OID = ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string
ANY_EKU_OID = "2.5.29.37.0"
# Fetch errors that mean the server was never reached: the fetch step reports those.
_NOT_REACHED = frozenset({"refused", "timeout", "unreachable", "not-tls"})
# Words that name a deployment environment inside host names and SPIFFE paths.
ENVIRONMENT_WORDS = frozenset(
    {
        "prod", "production", "prd", "live",
        "staging", "stage", "stg",
        "dev", "devel", "development",
        "test", "testing", "tst",
        "qa", "uat", "preprod", "sandbox", "sbx",
        "int", "integration", "demo", "perf", "canary",
    }
)  # fmt: skip


# ---------------------------------------------------------------- input views


# ---------------------------------------------------------------- expected identity


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

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "pattern": self.pattern}


def parse_expected_identity(text: str) -> ExpectedIdentity:
    """Classify `--expect-client-identity` as exact, glob or regex (see ExpectedIdentity)."""
    raw = text.strip()
    if not raw:
        raise BadInput(_("the expected client identity is empty"))
    if raw.startswith("re:") or raw.startswith("^") or _REGEX_ONLY.search(raw):
        source = raw[3:] if raw.startswith("re:") else raw
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
        from tlsdoctor.target import (
            to_a_label,  # pure; local import keeps module load light
        )

        pattern = to_a_label(raw)
    return ExpectedIdentity(text=raw, kind="exact", pattern=pattern)


# ---------------------------------------------------------------- certificate facts


def x5t_s256(cert: x509.Certificate) -> str:
    """RFC 8705 §3.1: base64url(SHA-256(DER certificate)), no padding."""
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def identity_forms(cert: x509.Certificate) -> tuple[str, ...]:
    """Every form an identity rule may be written against, in a stable order."""
    summary = describe(cert)
    forms: list[str] = []
    for cn in summary.common_names:
        forms += [f"CN={cn}", cn]
    if summary.subject:
        forms.append(summary.subject)
    forms += _san_forms(summary)
    return tuple(dict.fromkeys(forms))


def carried_identities(summary: CertSummary) -> tuple[str, ...]:
    """The identities as a person reads them: `CN=…`, `DNS:…`, `URI:…`, `email:…`, `IP:…`."""
    return tuple(
        [f"CN={cn}" for cn in summary.common_names]
        + [f"DNS:{v}" for v in summary.san_dns]
        + [f"URI:{v}" for v in summary.san_uri]
        + [f"email:{v}" for v in summary.san_email]
        + [f"IP:{v}" for v in summary.san_ip]
    )


def _openssl_name(name: x509.Name) -> str:
    """A name as `openssl x509 -subject` prints it (OpenSSL 3 default: DER order, `A = v, B = w`)."""
    rdns: list[str] = []
    for rdn in name.rdns:
        parts = []
        for attr in rdn:
            if attr.oid == NameOID.EMAIL_ADDRESS:
                label = "emailAddress"
            else:
                label = attr.rfc4514_attribute_name
            parts.append(f"{label} = {attr.value!s}")
        rdns.append(" + ".join(parts))
    return ", ".join(rdns)


def openssl_view(cert: x509.Certificate) -> tuple[str, ...]:
    """What `openssl x509 -noout -subject -ext subjectAltName` prints for this certificate."""
    lines = ["subject=" + _openssl_name(cert.subject)]
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return tuple(lines + ["No extensions in certificate"])
    except Exception:  # malformed: say what openssl would not be able to print either
        return tuple(lines + ["X509v3 Subject Alternative Name: <unparsable>"])
    parts: list[str] = []
    for gn in ext.value:
        if isinstance(gn, x509.DNSName):
            parts.append(f"DNS:{gn.value}")
        elif isinstance(gn, x509.UniformResourceIdentifier):
            parts.append(f"URI:{gn.value}")
        elif isinstance(gn, x509.RFC822Name):
            parts.append(f"email:{gn.value}")
        elif isinstance(gn, x509.IPAddress):
            parts.append(f"IP Address:{gn.value}")
        elif isinstance(gn, x509.DirectoryName):
            parts.append("DirName:" + _openssl_name(gn.value))
        else:
            parts.append("othername:<unsupported>")
    header = "X509v3 Subject Alternative Name:" + (" critical" if ext.critical else " ")
    return tuple(lines + [header, "    " + ", ".join(parts)])


def _commands(view: ClientCertView) -> tuple[tuple[str, str], ...]:
    """The seed's manual steps, ready to copy, built from the real file name."""
    if not view.path:
        return ()
    f = shlex.quote(view.path)
    if view.source_format == "pkcs12":
        extract = f"openssl pkcs12 -in {f} -nokeys -clcerts"
        return (
            ("inspect", f"{extract} | openssl x509 -noout -subject -ext subjectAltName"),
            (
                "x5t#S256",
                f"{extract} | openssl x509 -outform DER | openssl dgst -sha256 -binary"
                " | openssl base64 -A | tr '+/' '-_' | tr -d '='",
            ),
        )
    inform = " -inform DER" if view.source_format == "der" else ""
    return (
        ("inspect", f"openssl x509 -in {f}{inform} -noout -subject -ext subjectAltName"),
        (
            "x5t#S256",
            f"openssl x509 -in {f}{inform} -outform DER | openssl dgst -sha256 -binary"
            " | openssl base64 -A | tr '+/' '-_' | tr -d '='",
        ),
    )


# ---------------------------------------------------------------- name diff helpers


def _segments(name: str) -> list[str]:
    if "://" in name:
        return name.split("/")
    return name.rstrip(".").lower().split(".")


def label_diff(expected: str, actual: str) -> tuple[dict[str, Any], ...]:
    """Labels (or URI path segments) that differ; DNS names align from the right.

    A label of `expected` may be a glob (`client-*`).
    """
    exp, act = _segments(expected), _segments(actual)
    width = max(len(exp), len(act))
    from_right = "://" not in expected
    if from_right:
        exp = [""] * (width - len(exp)) + exp
        act = [""] * (width - len(act)) + act
    else:
        exp = exp + [""] * (width - len(exp))
        act = act + [""] * (width - len(act))
    diffs = []
    for i, (e, a) in enumerate(zip(exp, act, strict=True)):
        if not fnmatch.fnmatchcase(a, e):
            diffs.append({"position": i, "expected": e or None, "certificate": a or None})
    return tuple(diffs)


def _tokens(label: str) -> list[str]:
    return [t for t in re.split(r"[-_]", label.lower()) if t]


def environment_swap(expected: str, actual: str) -> tuple[str, str] | None:
    """(expected env, certificate env) when the names differ only in environment words."""
    diffs = label_diff(expected, actual)
    if not diffs:
        return None
    swap: tuple[str, str] | None = None
    for d in diffs:
        e, a = _tokens(d["expected"] or ""), _tokens(d["certificate"] or "")
        if len(e) != len(a) or not e:
            return None
        for te, ta in zip(e, a, strict=True):
            if fnmatch.fnmatchcase(ta, te):
                continue
            if te in ENVIRONMENT_WORDS and ta in ENVIRONMENT_WORDS:
                swap = swap or (te, ta)
            else:
                return None
    return swap


def _closest(expected: str, candidates: Sequence[str]) -> str | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: (len(label_diff(expected, c)), candidates.index(c)))


# ---------------------------------------------------------------- token binding


def _b64_any(value: str) -> bytes | None:
    text = value.strip()
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (ValueError, TypeError):
        return None


def token_value_form(value: str, cert: x509.Certificate) -> dict[str, Any]:
    """Explain a `cnf["x5t#S256"]` value that differs: a wrong encoding of this cert, or another cert?"""
    der = cert.public_bytes(serialization.Encoding.DER)
    digest = hashlib.sha256(der).digest()
    spki = hashlib.sha256(
        cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    ).digest()
    pem_hash = hashlib.sha256(cert.public_bytes(serialization.Encoding.PEM)).digest()
    hexish = value.replace(":", "").strip()
    if re.fullmatch(r"[0-9A-Fa-f]{64}", hexish):
        raw = bytes.fromhex(hexish)
        form = "hex-fingerprint"
    else:
        raw = _b64_any(value)
        if raw is not None and len(raw) != 32:
            raw = None
        if value.endswith("=") or "+" in value or "/" in value:
            form = "padded-base64" if value.endswith("=") else "standard-base64"
        else:
            form = "base64url"
    if raw == digest:
        return {"form": form, "same_certificate": form != "base64url", "hash_of": "certificate-der"}
    if raw == spki:
        return {"form": form, "same_certificate": True, "hash_of": "spki"}
    if raw == pem_hash:
        return {"form": form, "same_certificate": True, "hash_of": "certificate-pem-text"}
    return {"form": form, "same_certificate": False, "hash_of": "another-certificate" if raw else "unknown"}


# ---------------------------------------------------------------- CA list comparison


def _parse_name(text: str) -> x509.Name | None:
    try:
        return x509.Name.from_rfc4514_string(text)
    except Exception:
        return None


def _name_in(name: x509.Name, accepted: Sequence[str]) -> bool:
    text = name.rfc4514_string()
    for item in accepted:
        parsed = _parse_name(item)
        if parsed is not None and parsed == name:
            return True
        if item.casefold() == text.casefold():
            return True
    return False


def ca_comparison(view: ClientCertView, acceptable: Sequence[str]) -> dict[str, Any]:
    """Which CA names the server accepts, and whether our issuers are among them."""
    ours: list[x509.Name] = [view.leaf.issuer]
    for cert in view.chain:
        ours += [cert.subject, cert.issuer]
    unique = list(dict.fromkeys(ours))
    accepted = [n.rfc4514_string() for n in unique if _name_in(n, acceptable)]
    return {
        "server_sent_ca_list": bool(acceptable),
        "server_accepts": list(acceptable),
        "our_issuers": [n.rfc4514_string() for n in unique],
        "our_issuers_accepted": accepted,
        "leaf_issuer_accepted": _name_in(view.leaf.issuer, acceptable),
    }


def _issuer_in_file(view: ClientCertView) -> bool:
    leaf = view.leaf
    if leaf.issuer == leaf.subject:
        return True
    return any(c.subject == leaf.issuer for c in view.chain)


# ---------------------------------------------------------------- the result


@dataclass(frozen=True)
class ClientResult:
    """Everything step 7 learned. JSON never holds key material or a whole token."""

    findings: tuple[Finding, ...]
    certificate: CertSummary | None = None
    chain: tuple[CertSummary, ...] = ()
    identities: tuple[str, ...] = ()
    expected: ExpectedIdentity | None = None
    matched: tuple[str, ...] = ()
    x5t_s256: str | None = None
    token: TokenView | None = None
    key_matches: bool | None = None
    key_file_mode: int | None = None
    handshake: Mapping[str, Any] | None = None
    ca_match: Mapping[str, Any] | None = None
    openssl_view: tuple[str, ...] = ()
    commands: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> StepStatus:
        return worst_status(self.findings)

    @property
    def key_readable_by_others(self) -> bool:
        return self.key_file_mode is not None and bool(self.key_file_mode & 0o077)

    def to_json(self) -> dict[str, Any]:
        return {
            "certificate": self.certificate.to_json() if self.certificate else None,
            "chain": [c.to_json() for c in self.chain],
            "identities": list(self.identities),
            "expected": self.expected.to_json() if self.expected else None,
            "matched": list(self.matched),
            "x5t#S256": self.x5t_s256,
            "token": self.token.to_json() if self.token else None,
            "key_matches": self.key_matches,
            "key_file_mode": format(self.key_file_mode, "04o") if self.key_file_mode is not None else None,
            "key_readable_by_others": self.key_readable_by_others,
            "handshake": dict(self.handshake) if self.handshake is not None else None,
            "ca_match": dict(self.ca_match) if self.ca_match is not None else None,
            "openssl_view": list(self.openssl_view),
            "commands": [{"purpose": p, "command": c} for p, c in self.commands],
            "findings": [f.to_json() for f in self.findings],
        }


class _Collector:
    """Findings by code; a second sighting of a code (the server confirming it) merges into the first."""

    _RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

    def __init__(self) -> None:
        self._items: dict[Code, tuple[Severity, dict[str, Any]]] = {}

    def add(self, code: Code, severity: Severity, evidence: dict[str, Any]) -> None:
        if code not in self._items:
            self._items[code] = (severity, evidence)
            return
        old_sev, old_ev = self._items[code]
        extra = {k: v for k, v in evidence.items() if k not in old_ev}
        merged = {**old_ev, **extra, "server": evidence.get("server"), "confirmed_by_server": True}
        best = old_sev if self._RANK[old_sev] >= self._RANK[severity] else severity
        self._items[code] = (best, merged)

    def findings(self) -> tuple[Finding, ...]:
        return tuple(Finding(code, sev, ev) for code, (sev, ev) in self._items.items())


def handshake_summary(h: Handshake) -> dict[str, Any]:
    """The parts of a handshake that matter for client authentication (no certificates)."""
    return {
        "address": h.address,
        "port": h.port,
        "server_name": h.server_name,
        "ok": h.ok,
        "protocol": h.protocol,
        "error": str(h.error) if h.error is not None else None,
        "error_detail": h.error_detail,
        "alert": h.alert,
        "alert_name": ALERT_NAMES.get(h.alert) if h.alert is not None else None,
        "alert_during": h.alert_during,
        "certificate_requested": h.certificate_requested,
        "acceptable_client_cas": list(h.acceptable_client_cas),
        "client_cert_sent": h.client_cert_sent,
        "http_status": h.http_status,
        "http_reason": h.http_reason,
        "http_body_excerpt": h.http_body_excerpt,
    }


def _server_evidence(h: Handshake, **extra: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "alert": h.alert,
        "alert_name": ALERT_NAMES.get(h.alert) if h.alert is not None else None,
        "alert_during": h.alert_during,
        "protocol": h.protocol,
        "client_cert_sent": h.client_cert_sent,
        "acceptable_client_cas": list(h.acceptable_client_cas),
    }
    if h.http_status is not None:
        ev.update(http_status=h.http_status, http_reason=h.http_reason, http_body_excerpt=h.http_body_excerpt)
    return {**extra, "server": ev}


# ---------------------------------------------------------------- checks before any connection


def _san_forms(summary: CertSummary) -> tuple[str, ...]:
    forms: list[str] = []
    for prefix, values in (
        ("DNS:", summary.san_dns),
        ("URI:", summary.san_uri),
        ("email:", summary.san_email),
        ("IP:", summary.san_ip),
    ):
        for value in values:
            forms += [value, prefix + value]
    return tuple(forms)


def _identity_check(
    view: ClientCertView, summary: CertSummary, expected: ExpectedIdentity, out: _Collector
) -> tuple[str, ...]:
    matched = expected.matching(identity_forms(view.leaf))
    san_forms = _san_forms(summary)
    if matched:
        # A rule written as a regex says itself which form it reads (nginx `^CN=`): trust it.
        explicit = expected.kind == "regex" or expected.pattern[:3].upper() == "CN="
        if not explicit and not expected.matching(san_forms):
            out.add(
                Code.MTLS_IDENTITY_MISMATCH,
                Severity.WARNING,
                {
                    "reason": "cn-only" if not san_forms else "cn-not-in-san",
                    "expected": expected.text,
                    "expected_kind": expected.kind,
                    "matched": list(matched),
                    "certificate_identities": list(carried_identities(summary)),
                },
            )
        return matched

    target = expected.name_for_diff()
    evidence: dict[str, Any] = {
        "reason": "not-carried",
        "expected": expected.text,
        "expected_kind": expected.kind,
        "certificate_identities": list(carried_identities(summary)),
        "closest": None,
        "label_diff": [],
        "environment": None,
    }
    if target:
        pool = list(summary.san_uri) if "://" in target else list(dict.fromkeys(summary.san_dns + summary.common_names))
        closest = _closest(target, pool)
        if closest is not None:
            evidence["closest"] = closest
            evidence["label_diff"] = list(label_diff(target, closest))
            swap = environment_swap(target, closest)
            if swap:
                evidence["environment"] = {"expected": swap[0], "certificate": swap[1]}
    out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, evidence)
    return ()


def _static_checks(
    view: ClientCertView,
    summary: CertSummary,
    expected: ExpectedIdentity | None,
    token: TokenView | None,
    at: dt.datetime,
    out: _Collector,
) -> tuple[str, ...]:
    if not view.key_matches:
        out.add(
            Code.MTLS_KEY_MISMATCH,
            Severity.ERROR,
            {
                "certificate_sha256": summary.sha256,
                "certificate_key": summary.key_type,
                "detected": "before-connecting",
            },
        )
    matched: tuple[str, ...] = ()
    if expected is not None:
        matched = _identity_check(view, summary, expected, out)
    if summary.has_eku and not {CLIENT_AUTH_OID, ANY_EKU_OID} & set(summary.eku_oids):
        out.add(
            Code.MTLS_EKU_NO_CLIENT_AUTH,
            Severity.ERROR,
            {"eku": [name for _oid, name in summary.eku], "needed": "clientAuth (" + CLIENT_AUTH_OID + ")"},
        )
    if at > summary.not_after:
        out.add(
            Code.MTLS_BAD_CERTIFICATE,
            Severity.ERROR,
            {"reason": "expired", "not_after": summary.not_after.isoformat(), "at": at.isoformat()},
        )
    elif at < summary.not_before:
        out.add(
            Code.MTLS_BAD_CERTIFICATE,
            Severity.ERROR,
            {"reason": "not-yet-valid", "not_before": summary.not_before.isoformat(), "at": at.isoformat()},
        )
    if not _issuer_in_file(view):
        out.add(
            Code.MTLS_CHAIN_INCOMPLETE,
            Severity.WARNING,
            {
                "missing_issuer": summary.issuer,
                "file_chain": [c.subject.rfc4514_string() for c in view.chain],
                "confirmed_by_server": False,
            },
        )
    if token is not None and token.cnf_x5t_s256 is not None:
        ours = x5t_s256(view.leaf)
        if token.cnf_x5t_s256 != ours:
            form = token_value_form(token.cnf_x5t_s256, view.leaf)
            bound_to_chain = [c.subject.rfc4514_string() for c in view.chain if x5t_s256(c) == token.cnf_x5t_s256]
            out.add(
                Code.MTLS_CNF_MISMATCH,
                Severity.ERROR,
                {
                    "token_value": token.cnf_x5t_s256,
                    "certificate_value": ours,
                    "token": token.reference,
                    "token_value_form": form["form"],
                    "same_certificate_wrong_encoding": form["same_certificate"],
                    "hash_of": form["hash_of"],
                    "bound_to_chain_certificate": bound_to_chain or None,
                },
            )
    return matched


# ---------------------------------------------------------------- what the server did


def _http_text(h: Handshake) -> str:
    return " ".join(x for x in (h.http_reason, h.http_body_excerpt) if x).casefold()


def _interpret(view: ClientCertView | None, h: Handshake, token: TokenView | None, out: _Collector) -> None:
    if h.error is not None and str(h.error) in _NOT_REACHED:
        return  # never reached TLS: the fetch step owns that
    sent = view is not None and h.client_cert_sent
    cas = list(h.acceptable_client_cas)
    alert = h.alert

    if alert is not None:
        if alert == 116 or (alert == 40 and h.certificate_requested and not sent):
            out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
        elif view is None:
            if h.certificate_requested:
                out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
        elif alert == 48:
            comparison = ca_comparison(view, cas)
            if not _issuer_in_file(view) and not comparison["leaf_issuer_accepted"]:
                out.add(
                    Code.MTLS_CHAIN_INCOMPLETE,
                    Severity.ERROR,
                    _server_evidence(h, missing_issuer=view.leaf.issuer.rfc4514_string(), **comparison),
                )
            else:
                out.add(Code.MTLS_UNKNOWN_CA, Severity.ERROR, {**comparison, **_server_evidence(h)})
        elif alert == 43:
            out.add(Code.MTLS_EKU_NO_CLIENT_AUTH, Severity.ERROR, _server_evidence(h))
        elif alert == 45:
            out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {"reason": "expired", **_server_evidence(h)})
        elif alert == 49:
            out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, {"reason": "access-denied", **_server_evidence(h)})
        elif alert in (42, 44, 46) or h.certificate_requested:
            reason = ALERT_NAMES.get(alert, str(alert)).replace("_", "-")
            out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {"reason": reason, **_server_evidence(h)})
        return

    closed = h.error is not None and str(h.error) == "reset" and h.http_status is None
    if closed and h.certificate_requested:
        silent = {"reason": "closed-without-alert", "note": "server closed without an alert (Node-style server)"}
        if sent:
            out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, {**silent, **_server_evidence(h)})
        else:
            evidence = {**silent, **_server_evidence(h, acceptable_client_cas=cas)}
            out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, evidence)
        return

    status = h.http_status
    if status is None or status < 400:
        return
    text = _http_text(h)
    if status == 496 or (status == 400 and "no required ssl certificate" in text):
        out.add(
            Code.MTLS_CERT_REQUIRED,
            Severity.ERROR,
            {"server_kind": "nginx", **_server_evidence(h, acceptable_client_cas=cas)},
        )
    elif status == 495 or (status == 400 and "ssl certificate error" in text):
        evidence = {"reason": "http-400", "server_kind": "nginx", **_server_evidence(h)}
        out.add(Code.MTLS_BAD_CERTIFICATE, Severity.ERROR, evidence)
    elif status in (401, 403) and not sent and h.certificate_requested:
        out.add(Code.MTLS_CERT_REQUIRED, Severity.ERROR, _server_evidence(h, acceptable_client_cas=cas))
    elif status == 401 and token is not None and "invalid_token" in text:
        out.add(Code.MTLS_CNF_MISMATCH, Severity.ERROR, {"token": token.reference, **_server_evidence(h)})
    elif status in (401, 403) and sent:
        out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, {"reason": f"http-{status}", **_server_evidence(h)})


# ---------------------------------------------------------------- entry point


def analyse_client(
    view: ClientCertView | None,
    *,
    expected: ExpectedIdentity | None,
    token: TokenView | None,
    at: dt.datetime,
    handshake: Handshake | None,
) -> ClientResult:
    """Check the client certificate, then read what a real server said about it.

    `view=None` means no client certificate was given: only the handshake is
    interpreted (does the server require one, and from which CAs?).
    """
    out = _Collector()
    if view is None:
        if handshake is not None:
            _interpret(None, handshake, token, out)
        return ClientResult(
            findings=out.findings(),
            expected=expected,
            token=token,
            handshake=handshake_summary(handshake) if handshake is not None else None,
            ca_match={"server_sent_ca_list": bool(handshake.acceptable_client_cas),
                      "server_accepts": list(handshake.acceptable_client_cas)} if handshake is not None else None,
        )  # fmt: skip

    summary = describe(view.leaf)
    matched = _static_checks(view, summary, expected, token, at, out)
    if handshake is not None:
        _interpret(view, handshake, token, out)
    return ClientResult(
        findings=out.findings(),
        certificate=summary,
        chain=tuple(describe(c) for c in view.chain),
        identities=carried_identities(summary),
        expected=expected,
        matched=matched,
        x5t_s256=x5t_s256(view.leaf),
        token=token,
        key_matches=view.key_matches,
        key_file_mode=view.key_file_mode,
        handshake=handshake_summary(handshake) if handshake is not None else None,
        ca_match=ca_comparison(view, handshake.acceptable_client_cas) if handshake is not None else None,
        openssl_view=openssl_view(view.leaf),
        commands=_commands(view),
    )


__all__ = [
    "ALERT_NAMES",
    "ClientCertView",
    "ClientResult",
    "ExpectedIdentity",
    "analyse_client",
    "ca_comparison",
    "carried_identities",
    "environment_swap",
    "identity_forms",
    "label_diff",
    "openssl_view",
    "parse_expected_identity",
    "token_value_form",
    "x5t_s256",
]
