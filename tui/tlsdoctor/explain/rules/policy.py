"""Rules for a client's own policy: keys and signatures too weak for it, and CA name constraints.

The same certificate passes one client and fails another (OpenSSL's security
level, Java's `jdk.certpath.disabledAlgorithms`, GnuTLS's and Go's SHA-1 ban),
so each rule names the client whose text it reads where the text is its own.
Texts checked against OpenSSL 3.0, curl 7.88, Python 3.11, Node 20, Java 17 and
wget 1.21/GnuTLS 3.7 (/work/clientprobe). Data: this module must not match text
or do I/O.
"""

from __future__ import annotations

import re

from tlsdoctor.explain.rule import Rule, Weighted
from tlsdoctor.findings import Code as C

_WEAK_DIGESTS = ("md2", "md4", "md5", "sha1", "sha-1")


def _java_algorithm(m: re.Match[str]) -> Weighted:
    """Java's AlgorithmChecker: a key size, or a (signature) algorithm that `disabledAlgorithms` names."""
    what = (m.group("what") or "").lower()
    algorithm = (m.group("alg") or "").lower()
    if what.startswith("key"):  # "keysize limits. RSA 1024bit key …", "key EC with size of 256bits"
        return ((C.WEAK_KEY, 2.0),)
    if "signature" in what or "with" in algorithm or algorithm.startswith(_WEAK_DIGESTS):
        return ((C.WEAK_SIGNATURE, 2.0),)
    if algorithm:  # a disabled key algorithm (RSA, DSA, EC …)
        return ((C.WEAK_KEY, 1.5),)
    return ((C.WEAK_SIGNATURE, 1.0), (C.WEAK_KEY, 0.8))


POLICY_RULES: tuple[Rule, ...] = (
    # OpenSSL's verify texts (openssl, curl, Python, Node's UNSPECIFIED, nginx upstream)
    Rule("openssl.ee-key-too-weak", r"\bEE certificate key too weak\b", ((C.WEAK_KEY, 1.0),), needles=("ee certificate key too weak",)),
    Rule("openssl.ca-key-too-weak", r"\bCA certificate key too weak\b", ((C.WEAK_KEY, 1.0),), needles=("ca certificate key too weak",)),
    Rule("openssl.ca-md-too-weak", r"\bCA signature digest algorithm too weak\b", ((C.WEAK_SIGNATURE, 1.0),), needles=("ca signature digest algorithm too weak",)),
    Rule("openssl.subtree", r"\b(?:permitted|excluded) subtree violation\b", ((C.NAME_CONSTRAINTS, 1.0),), needles=(" subtree violation",)),
    # Java
    Rule("java.name-constraints", r"\bname constraints check failed\b", ((C.NAME_CONSTRAINTS, 2.0),), "java", needles=("name constraints check failed",)),
    Rule("java.algorithm-constraints",
         r"Algorithm constraints check failed on (?P<what>[^:\n]{0,80})(?::\s?(?P<alg>[\w.-]{1,60}))?",
         (), "java", classify=_java_algorithm, needles=("algorithm constraints check failed on ",)),
    # Go
    Rule("go.insecure-algorithm", r"x509: cannot verify signature: insecure algorithm", ((C.WEAK_SIGNATURE, 2.0),), "go",
         needles=("x509: cannot verify signature: insecure algorithm",)),
    Rule("go.name-constraints", r"x509: a root or intermediate certificate is not authorized to sign for this name",
         ((C.NAME_CONSTRAINTS, 2.0),), "go", needles=("x509: a root or intermediate certificate is not authorized to sign for this name",)),
    # wget built with GnuTLS
    Rule("wget.gnutls-insecure-algorithm", r"The certificate of \S{1,257} was signed using an insecure algorithm",
         ((C.WEAK_SIGNATURE, 2.0),), "wget", needles=(" was signed using an insecure algorithm",)),
)
