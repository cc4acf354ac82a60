"""Nothing a server writes forges the report (issue 12 §1): the hostile-text corpus, served by real
loopback TLS servers (server certificate, the client certificate the walk presents, the CA names the
server asks for, a DNS answer), through every face of `check`: text, Markdown, JSON, each also with
--redact. The report keeps its structure: one `Verdict:` line, the step headings in order, no line a
server wrote, nothing invisible."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from sites import MakeSite, Site

from tlsdoctor.lab import certs
from tlsdoctor.lab.hostile_text import FORGED, HOSTILE_TEXTS, HostileText, hostile_leaf
from tlsdoctor.lab.tls_server import ClientAuth, TlsServer, VHost
from tlsdoctor.untrusted import UNSAFE

ADDRESS = "127.0.0.90"
FORMATS = ("text", "md", "json")
HEADINGS = {"text": r"^(\d)\. ", "md": r"^## (\d)\. "}


def serve(make_site: MakeSite, tmp_path: Path, text: HostileText) -> tuple[Site, list[str]]:
    """One site: DNS (with a hostile CAA answer), an mTLS server presenting the hostile leaf and asking
    for client certificates by a hostile CA name, and a hostile client certificate on disk."""
    server_pki = certs.make_pki("Hostile Lab")
    client_pki = certs.make_pki("Hostile Clients")
    leaf = hostile_leaf(server_pki.intermediate, text)
    client = hostile_leaf(client_pki.intermediate, text, client=True)
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Evil CA\n{FORGED} Verdict: ok\u2028\u202e")])
    auth = ClientAuth(ca_certs=(client_pki.root.cert, client_pki.intermediate.cert), require=False, ca_list=(ca_name,))
    site = make_site(
        zone={f"{text.id}.hostile.test": {"A": [ADDRESS], "CAA": [f'0 issue "ca.test\\010{FORGED} Verdict: ok"']}},
        servers={ADDRESS: TlsServer(VHost.of(leaf), client_auth=auth, address=ADDRESS)},
        trust=[server_pki.root.cert],
    )
    cert_file, key_file = tmp_path / "client.pem", tmp_path / "client.key"
    cert_file.write_bytes(client.chain_pem())
    key_file.write_bytes(client.key_pem)
    key_file.chmod(0o600)
    extra = ["--client-cert", str(cert_file), "--client-key", str(key_file), "--expect-client-identity", "client-prod.example.test"]
    return site, extra


def assert_one_line_per_line(out: str) -> None:
    """Only our own line feeds end lines; nothing invisible or controlling is left."""
    assert len(out.splitlines()) == out.count("\n") + (0 if out.endswith("\n") else 1)
    hidden = sorted({f"U+{ord(c):04X}" for c in out if c != "\n" and UNSAFE.match(c)})
    assert not hidden, hidden


def assert_report_structure(out: str, fmt: str) -> None:
    """One verdict, the step headings in order, and no line that starts with the server's words."""
    lines = out.split("\n")
    assert not [line for line in lines if line.lstrip(" >-|*#`$").startswith(FORGED)]
    if fmt == "json":
        report = json.loads(out)
        assert report["verdict"] == "problem"
        assert [s["id"] for s in report["steps"]] == ["target", "dns", "hosts", "fetch", "names", "chain", "client"]
        return
    numbers = [int(n) for n in re.findall(HEADINGS[fmt], out, re.MULTILINE)]
    assert numbers == sorted(set(numbers)) and numbers[-1] == 8, numbers
    if fmt == "text":
        assert numbers == list(range(1, 9))
        assert [line for line in lines if line.startswith("Verdict:")] == ["Verdict: problem"]
        assert [line for line in lines if "Verdict: ok" in line and not line.startswith("Verdict:")]  # shown, inert
    else:
        assert [line for line in lines if line.startswith("# ")] == [lines[0]]
        assert [int(n) for n in re.findall(r"^\| (\d) \|", out, re.MULTILINE)] == list(range(1, 8))  # the step table
        assert sum("verdict **" in line for line in lines) == 1 and "verdict **problem**" in out
        fences = [line.strip() for line in lines if line.strip().startswith("```")]
        assert len(fences) % 2 == 0


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=lambda t: t.id)
def test_hostile_text_never_forges_a_report_line(make_site: MakeSite, tmp_path: Path, text: HostileText) -> None:
    site, extra = serve(make_site, tmp_path, text)
    host = f"{text.id}.hostile.test"
    outputs: dict[str, str] = {}
    for fmt in FORMATS:
        for redact in ((), ("--redact",)):
            code, out = site.run(host, *extra, *redact, fmt=fmt)
            assert code == 1, (fmt, redact, out[-400:])
            assert_one_line_per_line(out)
            assert_report_structure(out, fmt)
            outputs[fmt + "".join(redact)] = out
    # the hostile text is shown (escaped where it must be), not dropped
    report = json.loads(outputs["json"])
    chain = next(s for s in report["steps"] if s["id"] == "chain")["data"]
    assert chain["presented"][0]["common_names"] == [text.cn]  # the data stays exact: JSON quoting made it inert
    client = next(s for s in report["steps"] if s["id"] == "client")["data"]
    assert any(text.cn in i for i in client["identities"]), "the client certificate's own text, exactly"
    assert any(f"{FORGED} Verdict: ok" in n for n in client["handshake"]["acceptable_client_cas"])
    if text.id != "very-long":
        assert FORGED in outputs["text"] and FORGED in outputs["md"]
    # redacted: the hostile names, organisations, CA names and the address are placeholders in every face
    secrets = ["Evil", "hostile.test", ADDRESS, "Hostile Lab", "Hostile Clients", "Initech", "tmp/"]
    for fmt in FORMATS:
        leaked = [s for s in secrets if s.lower() in outputs[fmt + "--redact"].lower()]
        assert not leaked, (fmt, leaked)
