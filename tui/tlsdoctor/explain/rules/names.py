"""Rules for name mismatches: hostname, IP address and CN-only certificates, as each client says it.

Data: one Rule per message a client prints, with the literal needles every
match contains. `openssl.verify-num` and friends read the verify error number
(codes.VERIFY_CODES). This module must not match text or do I/O.
"""

from __future__ import annotations

import re

from tlsdoctor.explain.classify import by_number, by_target
from tlsdoctor.explain.rule import Rule, Weighted
from tlsdoctor.explain.rules.codes import VERIFY_CODES
from tlsdoctor.findings import Code as C

_HOST = r"[^\s'\"`,;()<>]{1,255}"  # a bare host name in running text
_QUOTED = r"[^'\s]{1,255}"  # a host inside '...': anything the client printed
# wget quotes with gnulib's quote(): ‘host’ in a UTF-8 locale, 'host' in the C locale.
_WGET_HOST = r"[\u2018'`\"]?(?P<host>[^\s\u2019'`\"]{1,255})"

_by_host = by_target("host")


def _curl_no_alt_name(m: re.Match[str]) -> Weighted:
    """curl names the kind of target ("ipv4 address") even where it leaves the target out."""
    if (m.group("kind") or "").lower().startswith("ipv"):
        return ((C.IP_NOT_IN_SAN, 2.0),)
    return _by_host(m)  # no host printed: a host name

NAME_RULES: tuple[Rule, ...] = (
    # hostname / IP / CN: OpenSSL verify texts shared by curl, Python, Node, nginx, s_client
    Rule("openssl.hostname-mismatch", r"\bhostname mismatch\b", ((C.HOSTNAME_MISMATCH, 1.0),), needles=("hostname mismatch",)),
    Rule("openssl.ip-mismatch", r"\bIP address mismatch\b", ((C.IP_NOT_IN_SAN, 1.0),), needles=("ip address mismatch",)),
    Rule("openssl.verify-num", r"verify error:num=(?P<num>\d{1,3})", (), "openssl", classify=by_number("num", 0.8, VERIFY_CODES), needles=("verify error:num=",)),
    Rule("openssl.verify-return", r"Verify return code: (?P<num>\d{1,3})", (), "openssl", classify=by_number("num", 0.8, VERIFY_CODES), needles=("verify return code: ",)),
    Rule("python.hostname", rf"Hostname mismatch, certificate is not valid for '(?P<host>{_QUOTED})'", (), "python",
         classify=by_target("host"), needles=("hostname mismatch, certificate is not valid for '",)),
    Rule("python.ip", rf"IP address mismatch, certificate is not valid for '{_QUOTED}'", ((C.IP_NOT_IN_SAN, 2.0),), "python", needles=("ip address mismatch, certificate is not valid for '",)),
    Rule("urllib3.hostname", rf"hostname '(?P<host>{_QUOTED})' doesn't match (?:either of )?'", (), "urllib3",
         classify=by_target("host"), needles=("' doesn't match ",)),
    Rule("urllib3.no-san", r"no appropriate subjectAltName fields were found",
         ((C.CN_ONLY, 1.5), (C.HOSTNAME_MISMATCH, 0.5)), "urllib3", needles=("no appropriate subjectaltname fields were found",)),
    Rule("python.no-cn-or-san", r"no appropriate commonName or subjectAltName fields were found",
         ((C.HOSTNAME_MISMATCH, 1.0), (C.CN_ONLY, 0.5)), "python", needles=("no appropriate commonname or subjectaltname fields were found",)),
    Rule("curl.no-alt-name",
         rf"no alternative certificate subject name matches target (?P<kind>host ?name|ipv[46] address)(?: '(?P<host>{_QUOTED})')?",
         (), "curl", classify=_curl_no_alt_name, needles=("no alternative certificate subject name matches target ",)),
    Rule("curl.subject-name", rf"certificate subject name '{_QUOTED}' does not match target host ?name",
         ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "curl", needles=("' does not match target host",)),
    Rule("curl.gnutls-subject-name", r"certificate subject name \([^)\n]{0,255}\) does not match target host ?name",
         ((C.HOSTNAME_MISMATCH, 2.0),), "curl", needles=(") does not match target host",)),
    Rule("java.no-dns-san", rf"No subject alternative DNS name matching {_HOST} found", ((C.HOSTNAME_MISMATCH, 2.0),), "java", needles=("no subject alternative dns name matching ",)),
    Rule("java.no-ip-san", r"No subject alternative names matching IP address \S{1,64} found", ((C.IP_NOT_IN_SAN, 2.0),), "java", needles=("no subject alternative names matching ip address ",)),
    Rule("java.no-san", r"No subject alternative names present", ((C.IP_NOT_IN_SAN, 1.5), (C.CN_ONLY, 0.5)), "java", needles=("no subject alternative names present",)),
    Rule("java.no-name", rf"No name matching {_HOST} found", ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "java", needles=("no name matching ",)),
    Rule("node.altnames", r"Hostname/IP does not match certificate's altnames: Host: \S{1,255} is not in the cert's altnames",
         ((C.HOSTNAME_MISMATCH, 2.0),), "node", needles=("hostname/ip does not match certificate's altnames: host: ",)),
    Rule("node.altnames-ip", r"Hostname/IP does not match certificate's altnames: IP: \S{1,64} is not in the cert's list",
         ((C.IP_NOT_IN_SAN, 2.0),), "node", needles=("hostname/ip does not match certificate's altnames: ip: ",)),
    Rule("node.altnames-cn", r"is not cert's CN: \S{1,255}", ((C.HOSTNAME_MISMATCH, 2.0), (C.CN_ONLY, 0.5)), "node", needles=("is not cert's cn: ",)),
    Rule("node.ERR_TLS_CERT_ALTNAME_INVALID", r"\bERR_TLS_CERT_ALTNAME_INVALID\b", ((C.HOSTNAME_MISMATCH, 0.8),), "node", needles=("err_tls_cert_altname_invalid",)),
    Rule("go.valid-for", rf"x509: certificate is valid for .{{1,4000}}?, ?not (?P<host>{_HOST})", (), "go",
         classify=by_target("host"), needles=("x509: certificate is valid for ",)),
    Rule("go.no-ip-sans", r"x509: cannot validate certificate for \S{1,64} because it doesn't contain any IP SANs",
         ((C.IP_NOT_IN_SAN, 2.0),), "go", needles=(" because it doesn't contain any ip sans",)),
    Rule("go.no-names", r"x509: certificate is not valid for any names", ((C.HOSTNAME_MISMATCH, 2.0),), "go", needles=("x509: certificate is not valid for any names",)),
    Rule("go.legacy-cn", r"x509: certificate relies on legacy Common Name field", ((C.CN_ONLY, 2.0),), "go", needles=("x509: certificate relies on legacy common name field",)),
    Rule("schannel.wrong-principal", r"\bSEC_E_WRONG_PRINCIPAL\b|\b0x80090322\b|The target principal name is incorrect",
         ((C.HOSTNAME_MISMATCH, 1.5),), needles=("sec_e_wrong_principal", "0x80090322", "the target principal name is incorrect")),
    Rule("windows.cn-no-match", r"\bCERT_E_CN_NO_MATCH\b|\b0x800B010F\b", ((C.HOSTNAME_MISMATCH, 1.5),), needles=("cert_e_cn_no_match", "0x800b010f")),
    Rule("nss.bad-cert-domain", r"requested domain name does not match the server's certificate", ((C.HOSTNAME_MISMATCH, 1.5),), needles=("requested domain name does not match the server's certificate",)),
    Rule("firefox.SSL_ERROR_BAD_CERT_DOMAIN", r"\bSSL_ERROR_BAD_CERT_DOMAIN\b", ((C.HOSTNAME_MISMATCH, 1.5),), "firefox", needles=("ssl_error_bad_cert_domain",)),
    Rule("firefox.page-not-valid-for", r"uses a certificate that is not valid for", ((C.HOSTNAME_MISMATCH, 1.0),), "firefox", needles=("uses a certificate that is not valid for",)),
    Rule("chrome.ERR_CERT_COMMON_NAME_INVALID", r"(?:net::)?\bERR_CERT_COMMON_NAME_INVALID\b", ((C.HOSTNAME_MISMATCH, 1.5),), "chrome", needles=("err_cert_common_name_invalid",)),
    Rule("chrome.missing-san", r"\[missing_subjectAltName\]", ((C.CN_ONLY, 1.5),), "chrome", needles=("[missing_subjectaltname]",)),
    Rule("dotnet.name-mismatch", r"\bRemoteCertificateNameMismatch\b", ((C.HOSTNAME_MISMATCH, 1.5),), "dotnet", needles=("remotecertificatenamemismatch",)),
    Rule("nginx.upstream-name", r"upstream SSL certificate does not match \"[^\"\n]{0,255}\"", ((C.HOSTNAME_MISMATCH, 2.0),), "nginx", needles=('upstream ssl certificate does not match "',)),
    Rule("envoy.verify-san", r"verify cert failed: verify SAN list", ((C.HOSTNAME_MISMATCH, 2.0),), "envoy", needles=("verify cert failed: verify san list",)),
    # wget (OpenSSL builds, then GnuTLS builds)
    Rule("wget.no-san", rf"no certificate subject alternative name matches ?requested host name {_WGET_HOST}", (), "wget",
         classify=_by_host, needles=("no certificate subject alternative name matches",)),
    Rule("wget.common-name", rf"certificate common name .{{1,260}}? doesn't match requested host name {_WGET_HOST}", (), "wget",
         classify=by_target("host", extra=((C.CN_ONLY, 0.5),)), needles=(" doesn't match requested host name ",)),
    Rule("wget.gnutls-owner", rf"The certificate's owner does not match hostname {_WGET_HOST}", (), "wget",
         classify=_by_host, needles=("the certificate's owner does not match hostname ",)),
    # libpq (psql and every client built on it): it checks the name itself, after OpenSSL verified the chain
    Rule("libpq.name",
         r'server certificate for "[^"\n]{0,255}"(?: \(and \d{1,6} other names?\))? does not match host name "(?P<host>[^"\n]{1,255})"',
         (), "psql", classify=_by_host, needles=('server certificate for "',)),
    Rule("libpq.no-name", r"could not get server's host name from server certificate", ((C.HOSTNAME_MISMATCH, 1.5),), "psql",
         needles=("could not get server's host name from server certificate",)),
)
