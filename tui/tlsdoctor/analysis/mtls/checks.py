"""Checks on the client certificate before any connection: key pair, expected identity, EKU, validity, file chain, token binding.

Pure: `at` is passed in; the key never reaches this module (the loader
computed `key_matches`). What a server said is server.py's job.

An expired / not-yet-valid client certificate is `mtls-bad-certificate`
with `reason: "expired"` / `"not-yet-valid"`: `cert-expired` belongs to the
chain step (the server's certificate) and would put the finding in the wrong
step.
"""

from __future__ import annotations

import datetime as dt

from cryptography.x509.oid import ExtendedKeyUsageOID

from tlsdoctor.analysis.certinfo import CertSummary
from tlsdoctor.analysis.mtls.binding import token_value_form
from tlsdoctor.analysis.mtls.cas import issuer_in_file
from tlsdoctor.analysis.mtls.certfacts import (
    carried_identities,
    identity_forms,
    san_forms,
    x5t_s256,
)
from tlsdoctor.analysis.mtls.identity import ExpectedIdentity
from tlsdoctor.analysis.mtls.model import Collector, Evidence
from tlsdoctor.analysis.mtls.namediff import closest, environment_swap, label_diff
from tlsdoctor.analysis.token import TokenView
from tlsdoctor.facts.client import ClientCertView
from tlsdoctor.findings import Code, Severity

CLIENT_AUTH_OID = ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string
ANY_EKU_OID = ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string


def identity_check(
    view: ClientCertView, summary: CertSummary, expected: ExpectedIdentity, out: Collector
) -> tuple[str, ...]:
    """Does the certificate carry the expected identity, and in a SAN? Returns the forms that matched."""
    matched = expected.matching(identity_forms(view.leaf))
    sans = san_forms(summary)
    if matched:
        # A rule written as a regex says itself which form it reads (nginx `^CN=`): trust it.
        explicit = expected.kind == "regex" or expected.pattern[:3].upper() == "CN="
        if not explicit and not expected.matching(sans):
            out.add(
                Code.MTLS_IDENTITY_MISMATCH,
                Severity.WARNING,
                {
                    "reason": "cn-only" if not sans else "cn-not-in-san",
                    "expected": expected.text,
                    "expected_kind": expected.kind,
                    "matched": list(matched),
                    "certificate_identities": list(carried_identities(summary)),
                },
            )
        return matched

    target = expected.name_for_diff()
    evidence: Evidence = {
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
        nearest = closest(target, pool)
        if nearest is not None:
            evidence["closest"] = nearest
            evidence["label_diff"] = list(label_diff(target, nearest))
            swap = environment_swap(target, nearest)
            if swap:
                evidence["environment"] = {"expected": swap[0], "certificate": swap[1]}
    out.add(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR, evidence)
    return ()


def _token_check(view: ClientCertView, token: TokenView, out: Collector) -> None:
    """RFC 8705: the token's `cnf["x5t#S256"]` must be this certificate's thumbprint."""
    if token.cnf_x5t_s256 is None:
        return
    ours = x5t_s256(view.leaf)
    if token.cnf_x5t_s256 == ours:
        return
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


def static_checks(
    view: ClientCertView,
    summary: CertSummary,
    expected: ExpectedIdentity | None,
    token: TokenView | None,
    at: dt.datetime,
    out: Collector,
) -> tuple[str, ...]:
    """Every check that needs no server; returns the identity forms the expected identity matched."""
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
        matched = identity_check(view, summary, expected, out)
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
    if not issuer_in_file(view):
        out.add(
            Code.MTLS_CHAIN_INCOMPLETE,
            Severity.WARNING,
            {
                "missing_issuer": summary.issuer,
                "file_chain": [c.subject.rfc4514_string() for c in view.chain],
                "confirmed_by_server": False,
            },
        )
    if token is not None:
        _token_check(view, token, out)
    return matched
