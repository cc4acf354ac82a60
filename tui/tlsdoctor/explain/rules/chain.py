"""Rules for the certificate chain: self-signed, untrusted, incomplete, expired, not yet valid, wrong purpose.

Data: one Rule per message a client prints, with the literal needles every
match contains, and the two classifiers that read which validity bound failed.
This module must not match text or do I/O.
"""

from __future__ import annotations

import re

from tlsdoctor.explain.rule import Rule, Weighted
from tlsdoctor.explain.rules.codes import (
    ANY_ISSUER_PROBLEM,
    EXPIRED_OR_NOT_YET,
    INCOMPLETE_FIRST,
    SOME_CHAIN_PROBLEM,
    UNTRUSTED_OR_INCOMPLETE,
    UNTRUSTED_ROOT_IN_CHAIN,
)
from tlsdoctor.findings import Code as C


def _go_validity(m: re.Match[str]) -> Weighted:
    when = (m.group("when") or "").lower()
    if when == "after":
        return ((C.CERT_EXPIRED, 2.0),)
    if when == "before":
        return ((C.CERT_NOT_YET_VALID, 2.0),)
    return EXPIRED_OR_NOT_YET


def _java_validity(m: re.Match[str]) -> Weighted:
    """`validity check failed` says which bound only in the cause that follows it."""
    which = (m.group("which") or "").lower()
    if which.startswith("certificateexpired"):
        return ((C.CERT_EXPIRED, 1.0),)
    if which.startswith("certificatenotyet"):
        return ((C.CERT_NOT_YET_VALID, 1.0),)
    return EXPIRED_OR_NOT_YET


CHAIN_RULES: tuple[Rule, ...] = (
    # self-signed / untrusted / incomplete chain
    Rule("openssl.self-signed-in-chain", r"\bself[- ]signed certificate in certificate chain\b", UNTRUSTED_ROOT_IN_CHAIN, needles=("signed certificate in certificate chain",)),
    Rule("openssl.self-signed", r"\bself[- ]signed certificate\b(?! in certificate chain)", ((C.SELF_SIGNED, 1.0),), needles=("signed certificate",)),
    Rule("openssl.local-issuer", r"\bunable to get local issuer certificate\b", UNTRUSTED_OR_INCOMPLETE, needles=("unable to get local issuer certificate",)),
    Rule("openssl.issuer", r"\bunable to get issuer certificate\b", ((C.CHAIN_INCOMPLETE, 1.0), (C.CHAIN_UNTRUSTED, 0.8)), needles=("unable to get issuer certificate",)),
    Rule("openssl.first-certificate", r"\bunable to verify the first certificate\b", INCOMPLETE_FIRST, needles=("unable to verify the first certificate",)),
    Rule("openssl.invalid-ca", r"\binvalid CA certificate\b", ((C.CHAIN_UNTRUSTED, 0.8),), needles=("invalid ca certificate",)),
    Rule("openssl.strict-basic-constraints", r"Basic Constraints of CA cert not marked critical", ((C.CHAIN_UNTRUSTED, 1.0),), needles=("basic constraints of ca cert not marked critical",)),
    Rule("openssl.strict-aki", r"Missing Authority Key Identifier", ((C.CHAIN_UNTRUSTED, 0.8),), needles=("missing authority key identifier",)),
    Rule("node.DEPTH_ZERO_SELF_SIGNED_CERT", r"\bDEPTH_ZERO_SELF_SIGNED_CERT\b", ((C.SELF_SIGNED, 1.0),), "node", needles=("depth_zero_self_signed_cert",)),
    Rule("node.SELF_SIGNED_CERT_IN_CHAIN", r"\bSELF_SIGNED_CERT_IN_CHAIN\b", UNTRUSTED_ROOT_IN_CHAIN, "node", needles=("self_signed_cert_in_chain",)),
    Rule("node.UNABLE_TO_VERIFY_LEAF_SIGNATURE", r"\bUNABLE_TO_VERIFY_LEAF_SIGNATURE\b", INCOMPLETE_FIRST, "node", needles=("unable_to_verify_leaf_signature",)),
    Rule("node.UNABLE_TO_GET_ISSUER_CERT_LOCALLY", r"\bUNABLE_TO_GET_ISSUER_CERT_LOCALLY\b", UNTRUSTED_OR_INCOMPLETE, "node", needles=("unable_to_get_issuer_cert_locally",)),
    Rule("java.pkix", r"PKIX path building failed", UNTRUSTED_OR_INCOMPLETE, "java", needles=("pkix path building failed",)),
    Rule("java.cert-path", r"unable to find valid certification path to requested target", UNTRUSTED_OR_INCOMPLETE, "java", needles=("unable to find valid certification path to requested target",)),
    Rule("go.unknown-authority", r"x509: certificate signed by unknown authority", UNTRUSTED_OR_INCOMPLETE, "go", needles=("x509: certificate signed by unknown authority",)),
    Rule("schannel.untrusted-root",
         r"\bSEC_E_UNTRUSTED_ROOT\b|\b0x80090325\b|The certificate chain was issued by an authority that is not trusted",
         ((C.CHAIN_UNTRUSTED, 1.5), (C.CHAIN_INCOMPLETE, 0.6), (C.SELF_SIGNED, 0.3)), needles=("sec_e_untrusted_root", "0x80090325", "the certificate chain was issued by an authority that is not trusted")),
    Rule("windows.untrusted-root", r"\bCERT_E_UNTRUSTEDROOT\b|\b0x800B0109\b", ((C.CHAIN_UNTRUSTED, 1.5),), needles=("cert_e_untrustedroot", "0x800b0109")),
    Rule("windows.chaining", r"\bCERT_E_CHAINING\b|\b0x800B010A\b", ((C.CHAIN_INCOMPLETE, 1.5),), needles=("cert_e_chaining", "0x800b010a")),
    Rule("nss.unknown-issuer", r"Peer's Certificate issuer is not recognized", ANY_ISSUER_PROBLEM, needles=("peer's certificate issuer is not recognized",)),
    Rule("nss.untrusted-issuer", r"Peer's certificate issuer has been marked as not trusted", ((C.CHAIN_UNTRUSTED, 1.5),), needles=("peer's certificate issuer has been marked as not trusted",)),
    Rule("gnutls.verification-failed", r"server certificate verification failed\. CAfile:",
         ((C.CHAIN_UNTRUSTED, 0.8), (C.CHAIN_INCOMPLETE, 0.6), (C.SELF_SIGNED, 0.4), (C.CERT_EXPIRED, 0.3),
           (C.CERT_NOT_YET_VALID, 0.2)), "curl", needles=("server certificate verification failed. cafile:",)),
    Rule("gnutls.signer-not-trusted", r"certificate signer not trusted", ANY_ISSUER_PROBLEM, needles=("certificate signer not trusted",)),
    Rule("gnutls.signer-not-found", r"certificate signer not found", INCOMPLETE_FIRST, needles=("certificate signer not found",)),
    Rule("gnutls.expired", r"SSL certificate verification failed: certificate has expired", ((C.CERT_EXPIRED, 1.0),), "curl", needles=("ssl certificate verification failed: certificate has expired",)),
    Rule("gnutls.not-activated", r"certificate is not yet activated", ((C.CERT_NOT_YET_VALID, 1.5),), needles=("certificate is not yet activated",)),
    Rule("firefox.SEC_ERROR_UNKNOWN_ISSUER", r"\bSEC_ERROR_UNKNOWN_ISSUER\b", ANY_ISSUER_PROBLEM, "firefox", needles=("sec_error_unknown_issuer",)),
    Rule("firefox.SEC_ERROR_UNTRUSTED_ISSUER", r"\bSEC_ERROR_UNTRUSTED_ISSUER\b", ((C.CHAIN_UNTRUSTED, 1.5),), "firefox", needles=("sec_error_untrusted_issuer",)),
    Rule("firefox.SEC_ERROR_CA_CERT_INVALID", r"\bSEC_ERROR_CA_CERT_INVALID\b", ((C.CHAIN_UNTRUSTED, 1.0),), "firefox", needles=("sec_error_ca_cert_invalid",)),
    Rule("firefox.MITM_DETECTED", r"\bMOZILLA_PKIX_ERROR_MITM_DETECTED\b", ((C.CHAIN_UNTRUSTED, 1.5),), "firefox", needles=("mozilla_pkix_error_mitm_detected",)),
    Rule("firefox.SELF_SIGNED_CERT", r"\bMOZILLA_PKIX_ERROR_SELF_SIGNED_CERT\b", ((C.SELF_SIGNED, 1.5),), "firefox", needles=("mozilla_pkix_error_self_signed_cert",)),
    Rule("firefox.page-issuer-unknown", r"because its certificate issuer is unknown", ANY_ISSUER_PROBLEM, "firefox", needles=("because its certificate issuer is unknown",)),
    Rule("chrome.ERR_CERT_AUTHORITY_INVALID", r"(?:net::)?\bERR_CERT_AUTHORITY_INVALID\b", ANY_ISSUER_PROBLEM, "chrome", needles=("err_cert_authority_invalid",)),
    Rule("dotnet.untrusted-root", r"errors in the certificate chain: (?:\w+, )*UntrustedRoot\b", ((C.CHAIN_UNTRUSTED, 1.5),), "dotnet", needles=("errors in the certificate chain: ",)),
    Rule("dotnet.partial-chain", r"errors in the certificate chain: (?:\w+, )*PartialChain\b", ((C.CHAIN_INCOMPLETE, 1.5),), "dotnet", needles=("errors in the certificate chain: ",)),
    Rule("dotnet.not-time-valid", r"errors in the certificate chain: (?:\w+, )*NotTimeValid\b",
         ((C.CERT_EXPIRED, 1.2), (C.CERT_NOT_YET_VALID, 0.5)), "dotnet", needles=("errors in the certificate chain: ",)),
    Rule("dotnet.chain-errors", r"\bRemoteCertificateChainErrors\b", ((C.CHAIN_UNTRUSTED, 0.8), (C.CHAIN_INCOMPLETE, 0.5)), "dotnet", needles=("remotecertificatechainerrors",)),
    Rule("envoy.verify-error", r"CERTIFICATE_VERIFY_FAILED:verify cert failed: X509_verify_cert", UNTRUSTED_OR_INCOMPLETE, "envoy", needles=("certificate_verify_failed:verify cert failed: x509_verify_cert",)),
    # wget: with OpenSSL a header, then its own words for four verify errors (OpenSSL's for the others)
    Rule("wget.cannot-verify", r"cannot verify \S{1,255}'s certificate, issued by ", SOME_CHAIN_PROBLEM, "wget",
         fallback=True, needles=("'s certificate, issued by ",)),
    Rule("wget.local-issuer", r"Unable to locally verify the issuer's authority", UNTRUSTED_OR_INCOMPLETE, "wget",
         needles=("unable to locally verify the issuer's authority",)),
    Rule("wget.self-signed", r"Self-signed certificate encountered", ((C.SELF_SIGNED, 1.5), (C.CHAIN_UNTRUSTED, 0.75)), "wget",
         needles=("self-signed certificate encountered",)),
    Rule("wget.expired", r"Issued certificate has expired", ((C.CERT_EXPIRED, 1.5),), "wget", needles=("issued certificate has expired",)),
    Rule("wget.not-yet-valid", r"Issued certificate not yet valid", ((C.CERT_NOT_YET_VALID, 1.5),), "wget", needles=("issued certificate not yet valid",)),
    # wget with GnuTLS: "is not trusted" comes with every failure, the reason (if wget prints one) follows
    Rule("wget.gnutls-not-trusted", r"The certificate of \S{1,257} is not trusted",
         ((C.CHAIN_UNTRUSTED, 1.0), (C.CHAIN_INCOMPLETE, 0.6), (C.NAME_CONSTRAINTS, 0.4), (C.SELF_SIGNED, 0.3)), "wget",
         fallback=True, needles=(" is not trusted",)),
    Rule("wget.gnutls-unknown-issuer", r"The certificate of \S{1,257} doesn't have a known issuer",
         ((C.CHAIN_UNTRUSTED, 1.5), (C.CHAIN_INCOMPLETE, 1.0), (C.SELF_SIGNED, 0.6)), "wget", needles=(" doesn't have a known issuer",)),
    Rule("wget.gnutls-signer-not-ca", r"The certificate signer of \S{1,257} was not a CA", ((C.CHAIN_UNTRUSTED, 1.5),), "wget",
         needles=(" was not a ca",)),
    # libpq (psql): OpenSSL verifies the chain against ~/.postgresql/root.crt or sslrootcert
    Rule("libpq.root-file", r'root certificate file "[^"\n]{0,4096}" does not exist', ((C.CHAIN_UNTRUSTED, 1.5),), "psql",
         needles=('root certificate file "',)),
    Rule("libpq.verify-failed", r"SSL error: certificate verify failed", SOME_CHAIN_PROBLEM, "psql", fallback=True,
         needles=("ssl error: certificate verify failed",)),
    # validity period
    Rule("openssl.expired", r"\bcertificate has expired\b(?! or is not yet valid)", ((C.CERT_EXPIRED, 1.0),), needles=("certificate has expired",)),
    Rule("openssl.not-yet-valid", r"(?<!expired or )\bcertificate is not yet valid\b", ((C.CERT_NOT_YET_VALID, 1.0),), needles=("certificate is not yet valid",)),
    Rule("node.CERT_HAS_EXPIRED", r"\bCERT_HAS_EXPIRED\b", ((C.CERT_EXPIRED, 1.0),), "node", needles=("cert_has_expired",)),
    Rule("node.CERT_NOT_YET_VALID", r"\bCERT_NOT_YET_VALID\b", ((C.CERT_NOT_YET_VALID, 1.0),), "node", needles=("cert_not_yet_valid",)),
    Rule("go.validity",
         r"x509: certificate has expired or is not yet valid(?:: current time \S{1,40} is (?P<when>after|before)(?: \S{1,40})?)?",
         (), "go", classify=_go_validity, needles=("x509: certificate has expired or is not yet valid",)),
    Rule("java.expired", r"CertificateExpiredException", ((C.CERT_EXPIRED, 1.5),), "java", needles=("certificateexpiredexception",)),
    Rule("java.not-yet-valid", r"CertificateNotYetValidException", ((C.CERT_NOT_YET_VALID, 1.5),), "java", needles=("certificatenotyetvalidexception",)),
    Rule("java.validity-check",
         r"validity check failed(?:.{0,600}?(?P<which>CertificateExpiredException|CertificateNotYetValidException))?",
         (), "java", classify=_java_validity, needles=("validity check failed",)),
    Rule("schannel.expired", r"\bSEC_E_CERT_EXPIRED\b|\b0x80090328\b|The received certificate has expired",
         ((C.CERT_EXPIRED, 1.5),), needles=("sec_e_cert_expired", "0x80090328", "the received certificate has expired")),
    Rule("windows.expired", r"\bCERT_E_EXPIRED\b|\b0x800B0101\b", ((C.CERT_EXPIRED, 1.5),), needles=("cert_e_expired", "0x800b0101")),
    Rule("nss.expired", r"Peer's Certificate has expired", ((C.CERT_EXPIRED, 1.5),), needles=("peer's certificate has expired",)),
    Rule("wget.gnutls-expired", r"The certificate of \S{1,257} has expired", ((C.CERT_EXPIRED, 1.5),), "wget", needles=(" has expired",)),
    Rule("wget.gnutls-not-activated", r"The certificate of \S{1,257} is not yet activated", ((C.CERT_NOT_YET_VALID, 1.5),), "wget",
         needles=(" is not yet activated",)),
    Rule("firefox.SEC_ERROR_EXPIRED_CERTIFICATE", r"\bSEC_ERROR_EXPIRED_CERTIFICATE\b", ((C.CERT_EXPIRED, 1.5),), "firefox", needles=("sec_error_expired_certificate",)),
    Rule("firefox.SEC_ERROR_EXPIRED_ISSUER", r"\bSEC_ERROR_EXPIRED_ISSUER_CERTIFICATE\b",
         ((C.CERT_EXPIRED, 1.2), (C.CHAIN_UNTRUSTED, 0.3)), "firefox", needles=("sec_error_expired_issuer_certificate",)),
    Rule("firefox.NOT_YET_VALID", r"\bMOZILLA_PKIX_ERROR_NOT_YET_VALID(?:_ISSUER)?_CERTIFICATE\b",
         ((C.CERT_NOT_YET_VALID, 1.5),), "firefox", needles=("mozilla_pkix_error_not_yet_valid",)),
    Rule("chrome.ERR_CERT_DATE_INVALID", r"(?:net::)?\bERR_CERT_DATE_INVALID\b",
         ((C.CERT_EXPIRED, 1.2), (C.CERT_NOT_YET_VALID, 0.5)), "chrome", needles=("err_cert_date_invalid",)),
    # purpose (EKU)
    Rule("openssl.purpose", r"\bunsu(?:itable|pported) certificate purpose\b", ((C.EKU_NO_SERVER_AUTH, 1.0),), needles=(" certificate purpose",)),
    Rule("node.INVALID_PURPOSE", r"\bINVALID_PURPOSE\b", ((C.EKU_NO_SERVER_AUTH, 1.0),), "node", needles=("invalid_purpose",)),
    Rule("go.key-usage", r"x509: certificate specifies an incompatible key usage", ((C.EKU_NO_SERVER_AUTH, 1.5),), "go", needles=("x509: certificate specifies an incompatible key usage",)),
    Rule("java.eku-server", r"Extended key usage does not permit use for TLS server authentication",
         ((C.EKU_NO_SERVER_AUTH, 2.0),), "java", needles=("extended key usage does not permit use for tls server authentication",)),
    Rule("java.eku-client", r"Extended key usage does not permit use for TLS client authentication",
         ((C.MTLS_EKU_NO_CLIENT_AUTH, 2.0),), "java", scope=True, needles=("extended key usage does not permit use for tls client authentication",)),
    Rule("nss.cert-type", r"Certificate type not approved for application|\bSEC_ERROR_INADEQUATE_CERT_TYPE\b",
         ((C.EKU_NO_SERVER_AUTH, 1.2),), needles=("certificate type not approved for application", "sec_error_inadequate_cert_type")),
    Rule("nss.key-usage", r"Certificate key usage inadequate for attempted operation|\bSEC_ERROR_INADEQUATE_KEY_USAGE\b",
         ((C.EKU_NO_SERVER_AUTH, 0.8),), needles=("certificate key usage inadequate for attempted operation", "sec_error_inadequate_key_usage")),
)
