"""A corpus of hostile certificate text: what a server (or its CA) can write into the fields we print.

Each `HostileText` is one certificate shape: a CN, an organisation and SANs
holding line feeds, Unicode line and paragraph separators, NEL, bidi controls,
Rich/Markdown/HTML markup, ANSI and OSC sequences, or very long fields. Every
forged line starts with `FORGED`, so a test can tell a line the server wrote
from one tlsdoctor wrote. `hostile_leaf` issues it from a lab CA (the CN
length limit and the IDNA check are bypassed on purpose: real servers send
such certificates). Test and demo infrastructure only.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tlsdoctor.lab.certs import Issued, PrivateKey, new_key, now

FORGED = "FORGED"  # every line a server tries to print starts with this word
_VERDICT = f"{FORGED} Verdict: ok"
_STEP = f"{FORGED} 5. Names [✓ ok] the certificate covers everything"


@dataclass(frozen=True)
class HostileText:
    id: str
    cn: str
    org: str
    sans: tuple[str, ...]  # dNSName values, written as given (not IDNA-checked)


HOSTILE_TEXTS: tuple[HostileText, ...] = (
    HostileText("line-feed", f"a.hostile.test\n{_VERDICT}", f"Evil Corp\n{_STEP}", (f"x.hostile.test\n{_VERDICT}",)),
    HostileText("carriage-return", f"a\r\n{_VERDICT}", f"Evil\r{_STEP}", (f"x\r\n{_VERDICT}.hostile.test",)),
    HostileText(
        "unicode-separators",
        f"a\u2028{_VERDICT}\u2029{_STEP}",
        f"Evil\x85{_VERDICT}\x0b{FORGED} vt\x0c{FORGED} ff",
        (f"x\u2028{_VERDICT}.hostile.test", f"y\x1c{FORGED} fs\x1d{FORGED} gs\x1e{FORGED} rs.hostile.test"),
    ),
    HostileText(
        "bidi",
        f"\u202e{_VERDICT}\u202c",
        f"Evil \u2066{FORGED}\u2069 \u200f\u061c\u200b\ufeff",
        ("\u202ekcabtset.hostile.test", f"x\u2067{FORGED}\u2069.hostile.test"),
    ),
    HostileText(
        "markup",
        "[bold]x[/bold] [$accent]y [@click=app.quit]z",
        "**Evil** | `code` ``` <script>alert(1)</script> # head",
        ("[link=https://evil.test]x[/link].hostile.test", "*.hostile.test|`x`"),
    ),
    HostileText(
        "ansi-osc",
        "\x1b[2J\x1b[31mred\x1b[0m",
        f"\x1b]0;{FORGED} title\x07 \x1b]8;;https://evil.test\x07link\x1b]8;;\x07 \x9b31m \x1bP{FORGED}\x1b\\",
        ("x\x1b[1A\x1b[2K.hostile.test",),
    ),
    HostileText(
        "very-long",
        "L" * 600,
        ("Initech " * 1200).strip(),
        ("l" * 63 + "." + ("m" * 63 + ".") * 60 + "hostile.test", *(f"s{i:04d}\n{FORGED}.hostile.test" for i in range(200))),
    ),
)


def hostile_leaf(issuer: Issued, text: HostileText, *, client: bool = False, key: PrivateKey | None = None) -> Issued:
    """A leaf holding `text` (server auth, or client auth when `client`), signed by `issuer`."""
    key = key or new_key()
    with warnings.catch_warnings():  # the CN length limit is broken on purpose
        warnings.simplefilter("ignore", UserWarning)
        cn = x509.NameAttribute(NameOID.COMMON_NAME, text.cn, _validate=False)
    subject = x509.Name([cn, x509.NameAttribute(NameOID.ORGANIZATION_NAME, text.org)])
    start = now() - dt.timedelta(days=1)
    sans = [x509.DNSName._init_without_validation(s) for s in text.sans]  # not IDNA-checked: hostile on purpose
    eku = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issued(cert=cert, key=key, chain=(issuer.cert, *issuer.chain))
