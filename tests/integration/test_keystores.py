"""Client certificates and inspected certificates from keystores: PKCS#12, JKS and JCEKS, real files.

PKCS#12 files are written by cryptography, JKS and JCEKS by pyjks (and read back
by `keytool` when it is installed, so they are real Java keystores); the mTLS
server is the lab's. Each passing case stands beside its failing one.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import jks
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tlsdoctor.cli import main
from tlsdoctor.demo import DemoLab as Lab
from tlsdoctor.lab import certs

PASSWORD = "s3cret pass"


def _der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _pkcs8(key) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def java_keystore(path: Path, kind: str, entries: dict[str, certs.Issued], chain: tuple = ()) -> Path:
    """A JKS (pyjks) or JCEKS (keytool: pyjks cannot write it) file with one private-key entry per alias (leaf + `chain`)."""
    if kind == "jceks":
        if shutil.which("keytool") is None:
            pytest.skip("JCEKS files are written with keytool")
        for alias, issued in entries.items():
            one = path.with_name(f"{alias}-source.p12")
            one.write_bytes(pkcs12.serialize_key_and_certificates(
                alias.encode(), issued.key, issued.cert, list(chain), serialization.BestAvailableEncryption(PASSWORD.encode())))  # fmt: skip
            subprocess.run(["keytool", "-importkeystore", "-srckeystore", str(one), "-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD,
                            "-destkeystore", str(path), "-deststoretype", "JCEKS", "-deststorepass", PASSWORD, "-noprompt"],
                           check=True, capture_output=True, timeout=60)  # fmt: skip
            one.unlink()
    else:
        store = jks.KeyStore.new(kind, [jks.PrivateKeyEntry.new(a, [_der(i.cert), *(_der(c) for c in chain)], _pkcs8(i.key)) for a, i in entries.items()])
        store.save(str(path), PASSWORD)
    if shutil.which("keytool"):  # prove it is a keystore Java reads
        run = subprocess.run(["keytool", "-list", "-keystore", str(path), "-storetype", kind.upper(), "-storepass", PASSWORD],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        assert run.returncode == 0 and all(alias in run.stdout for alias in entries), run.stdout + run.stderr
    return path


@pytest.fixture(scope="module")
def identities(lab: Lab) -> dict[str, certs.Issued]:
    return {
        name: lab.client_pki.leaf(dns=[f"client-{name}.example.test"], cn=f"client-{name}.example.test", eku=certs.EKU_CLIENT)
        for name in ("prod", "staging")
    }


def check(lab: Lab, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, str, str]:
    code = main(["check", *lab.command_line("mtls-required"), "--format", "json", "--timeout", "2", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.out, captured.err


def client_status(report: dict) -> str:
    return next(s for s in report["steps"] if s["id"] == "client")["status"]


@pytest.mark.parametrize("kind", ["jks", "jceks", "pkcs12"])
def test_a_keystore_client_certificate_is_accepted_and_a_wrong_password_is_exit_two(
    kind: str, lab: Lab, identities: dict[str, certs.Issued], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prod = identities["prod"]
    if kind == "pkcs12":
        path = tmp_path / "client.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"prod", prod.key, prod.cert, [lab.client_pki.intermediate.cert], serialization.BestAvailableEncryption(PASSWORD.encode())))  # fmt: skip
    else:
        path = java_keystore(tmp_path / f"client.{kind}", kind, {"prod": prod}, (lab.client_pki.intermediate.cert,))
    code, report, out, _err = check(lab, capsys, "--client-cert", str(path), "--client-key-password", PASSWORD,
                                     "--expect-client-identity", "client-prod.example.test")  # fmt: skip
    assert code == 0, report["findings"]
    assert client_status(report) == "ok"
    key_b64 = prod.key_pem.decode().splitlines()[1]
    assert key_b64 not in out and PASSWORD not in out
    code, _report, out, err = check(lab, capsys, "--client-cert", str(path), "--client-key-password", "wrong")
    assert code == 2 and out == ""
    assert "wrong password" in err and err.count("\n") == 1 and "Traceback" not in err
    code, _report, _out, err = check(lab, capsys, "--client-cert", str(path))  # no password, no terminal to ask on
    assert code == 2 and "password" in err


def test_several_entries_are_listed_and_alias_chooses(
    lab: Lab, identities: dict[str, certs.Issued], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "key stores"  # a space: commands must quote it
    folder.mkdir()
    path = java_keystore(folder / "app.jks", "jks", {"prod": identities["prod"], "staging": identities["staging"]},
                         (lab.client_pki.intermediate.cert,))  # fmt: skip
    base = ("--client-cert", str(path), "--client-key-password", PASSWORD, "--expect-client-identity", "client-prod.example.test")
    code, _report, _out, err = check(lab, capsys, *base)
    assert code == 2 and "'prod'" in err and "'staging'" in err and "--alias" in err
    code, _report, _out, err = check(lab, capsys, *base, "--alias", "nobody")
    assert code == 2 and "nobody" in err
    code, report, _out, _err = check(lab, capsys, *base, "--alias", "prod")
    assert code == 0 and client_status(report) == "ok"
    code, report, _out, _err = check(lab, capsys, *base, "--alias", "staging")
    assert code == 1
    assert "mtls-identity-mismatch" in {f["code"] for f in report["findings"]}
    keytool = next(d for d in report["diagnosis"] if d["kb_id"] == "MTLS-2009")
    commands = [c for w in keytool["workarounds"] for c in w["commands"]]
    assert f"keytool -list -v -keystore {shlex.quote(str(path))} -storetype JKS -alias staging" in commands
    certreq = next(c for c in commands if "-certreq" in c)
    assert shlex.split(certreq)[shlex.split(certreq).index("-keystore") + 1] == str(path)
    assert "SAN=dns:client-prod.example.test" in certreq


def test_keytool_fixes_only_for_keystore_users(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = lab.client_files(name="client-staging.example.test")
    code, report, _out, _err = check(lab, capsys, "--client-cert", str(cert), "--client-key", str(key),
                                     "--expect-client-identity", "client-prod.example.test")  # fmt: skip
    assert code == 1 and "MTLS-2009" not in {d["kb_id"] for d in report["diagnosis"]}


def test_pkcs12_entry_beyond_the_first_key_names_the_keytool_extraction(
    lab: Lab, identities: dict[str, certs.Issued], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("keytool") is None:
        pytest.skip("needs keytool to merge two PKCS#12 files")
    paths = []
    for name in ("prod", "staging"):
        one = tmp_path / f"{name}.p12"
        issued = identities[name]
        one.write_bytes(pkcs12.serialize_key_and_certificates(
            name.encode(), issued.key, issued.cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))  # fmt: skip
        paths.append(one)
    merged = tmp_path / "both.p12"
    for one in paths:
        subprocess.run(["keytool", "-importkeystore", "-srckeystore", str(one), "-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD,
                        "-destkeystore", str(merged), "-deststoretype", "PKCS12", "-deststorepass", PASSWORD, "-noprompt"],
                       check=True, capture_output=True, timeout=60)  # fmt: skip
    code, _report, _out, err = check(lab, capsys, "--client-cert", str(merged), "--client-key-password", PASSWORD)
    assert code == 2 and "'prod'" in err and "'staging'" in err
    first = pkcs12.load_pkcs12(merged.read_bytes(), PASSWORD.encode()).cert.friendly_name.decode()  # the key cryptography reads
    other = ({"prod", "staging"} - {first}).pop()
    code, report, _out, _err = check(lab, capsys, "--client-cert", str(merged), "--client-key-password", PASSWORD, "--alias", first)
    assert code in (0, 1) and report["verdict"] in ("ok", "problem") and client_status(report) != "skipped"
    code, _report, _out, err = check(lab, capsys, "--client-cert", str(merged), "--client-key-password", PASSWORD, "--alias", other)
    assert code == 2 and err.count("\n") == 1
    command = err.split(": ", 2)[-1].strip()
    words = shlex.split(command[command.index("keytool"):])
    assert words[:2] == ["keytool", "-importkeystore"]
    assert words[words.index("-srckeystore") + 1] == str(merged) and words[words.index("-srcalias") + 1] == other


@pytest.mark.parametrize("kind", ["jks", "pkcs12"])
def test_inspect_reads_a_keystore_and_never_prints_the_key(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = certs.make_pki("keystore inspect")
    leaf = pki.leaf(dns=["db.example.test"], cn="db.example.test")
    if kind == "jks":
        path = java_keystore(tmp_path / "server.jks", "jks", {"server": leaf}, (pki.intermediate.cert,))
    else:
        path = tmp_path / "server.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"server", leaf.key, leaf.cert, [pki.intermediate.cert], serialization.BestAvailableEncryption(PASSWORD.encode())))  # fmt: skip
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.cert_pem)
    argv = ["inspect", "--cert", str(path), "--cert-password", PASSWORD, "--ca", str(root), "--format", "json"]
    assert main([*argv, "--host", "db.example.test"]) == 0
    out = capsys.readouterr().out
    assert leaf.key_pem.decode().splitlines()[1] not in out
    assert main([*argv, "--host", "other.example.test"]) == 1
    assert "hostname-mismatch" in capsys.readouterr().out
    assert main(["inspect", "--cert", str(path), "--cert-password", "nope", "--host", "db.example.test"]) == 2
    err = capsys.readouterr().err
    assert "wrong password" in err and err.count("\n") == 1
