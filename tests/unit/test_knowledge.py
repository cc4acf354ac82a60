"""Knowledge base: schema and loader, the seeds, coverage, ranking, kb rendering."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tlsdoctor.errors import BadInput
from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.knowledge import model as kbmod
from tlsdoctor.knowledge.commands import CommandContext
from tlsdoctor.knowledge.load import (
    FIELDS,
    get_entry,
    load_entry_file,
    load_knowledge,
    load_knowledge_dir,
)
from tlsdoctor.knowledge.model import KnowledgeError
from tlsdoctor.knowledge.rank import diagnose
from tlsdoctor.knowledge.render import entry_to_json, render_kb

REPO = Path(__file__).resolve().parents[2]
KDIR = REPO / "knowledge"


def _script(name: str) -> ModuleType:
    """A script from scripts/ as a module (the checks CI runs are the checks tested here)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_knowledge = _script("check_knowledge")
CJK = re.compile(r"[\u4e00-\u9fff]")
SEED_ZH = "服务器提供的TLS证书的通用名称(CN)或主题备用名称(SAN)与客户端请求中使用的主机名不匹配,导致TLS握手失败。"
SEED_EN = (
    "The TLS certificate presented by the server has a Common Name (CN) or Subject Alternative Name (SAN) "
    "that does not match the hostname used in the client's request, causing the TLS handshake to fail."
)


def err(code: Code) -> Finding:
    return Finding(code, Severity.ERROR)


# --- schema and loader ------------------------------------------------------------


def test_every_file_loads_and_the_loader_finds_the_repo_data() -> None:
    """From a source checkout the loader reads knowledge/; from an installed wheel, the packaged copy."""
    kb = load_knowledge()
    packaged = kb.source.name == "knowledge_data"
    assert packaged or kb.source.resolve() == KDIR.resolve()
    if packaged:
        packaged_files = sorted(p.name for p in kb.source.glob("*.json"))
        assert packaged_files == sorted(p.name for p in KDIR.glob("*.json")), "the wheel ships every entry"
    files = sorted(p.stem for p in KDIR.glob("*.json") if p.name != "schema.json")
    assert [e.id for e in kb.entries] == files
    assert len(kb.entries) >= 15


def test_schema_json_documents_the_same_keys_as_the_loader() -> None:
    schema = json.loads((KDIR / "schema.json").read_text(encoding="utf-8"))
    required, optional = FIELDS["entry"]
    assert set(schema["required"]) == required
    assert set(schema["properties"]) == required | optional
    assert schema["additionalProperties"] is False
    kinds = {"text": "text", "compatibility": "compatibility", "doc": "doc", "workaround": "workaround",
             "dead_end": "dead_end", "step": "step"}
    for kind, name in kinds.items():
        definition = schema["$defs"][name]
        req, opt = FIELDS[kind]
        assert set(definition["required"]) == req, kind
        assert set(definition["properties"]) == req | opt, kind
        assert definition["additionalProperties"] is False


def _broken_copy(tmp_path: Path, mutate) -> Path:
    data = json.loads((KDIR / "TLS-1002.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "TLS-1002.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(colour="red"), "unknown field 'colour'"),
        (lambda d: d.pop("root_cause"), "missing field 'root_cause'"),
        (lambda d: d["workarounds"][0].update(risk="low"), "workarounds[0]: unknown field 'risk'"),
        (lambda d: d["dead_ends"][1].pop("why"), "dead_ends[1]: missing field 'why'"),
        (lambda d: d["title"].pop("zh"), "title: missing field 'zh'"),
        (lambda d: d["title"].update(zh="  "), "title.zh: expected a non-empty string"),
        (lambda d: d.update(fix_rate=90), "fix_rate: expected a fraction"),
        (lambda d: d["findings"].append("name-wrong"), "unknown finding code 'name-wrong'"),
        (lambda d: d["workarounds"][0]["commands"].append("curl -k https://{host}/"), "dead-end action 'curl -k'"),
        (lambda d: d["workarounds"][1]["commands"].append("echo {hostname}"), "unknown placeholder {hostname}"),
        (lambda d: d.update(first_seen="12/04/2023"), "first_seen: expected a date"),
        (lambda d: d["workarounds"].reverse(), "ranks must be 1, 2, 3"),
        (lambda d: d.update(id="TLS-1003"), "does not match the file name"),
    ],
)
def test_broken_copies_are_rejected_with_one_line_naming_file_and_field(tmp_path: Path, mutate, expected: str) -> None:
    """scripts/check_knowledge.py: schema.json (jsonschema) plus the rules a schema cannot say."""
    path = _broken_copy(tmp_path, mutate)
    problems = check_knowledge.problems_in_file(path)
    assert problems, "the check let a broken copy through"
    message = problems[0]
    assert message.startswith("TLS-1002.json: ")
    assert expected in message
    assert "\n" not in message
    assert all(p.startswith("TLS-1002.json: ") and "\n" not in p for p in problems)


def test_every_shipped_entry_passes_the_check_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_knowledge.problems_in_file(KDIR / "TLS-1002.json") == []
    assert check_knowledge.problems_in_dir(KDIR) == []
    assert check_knowledge.main([str(KDIR)]) == 0
    assert "knowledge entries match schema.json" in capsys.readouterr().out


def test_the_check_script_reads_across_entries(tmp_path: Path) -> None:
    shutil.copy(KDIR / "TLS-1002.json", tmp_path / "TLS-1002.json")
    assert any("no entry explains" in p for p in check_knowledge.problems_in_dir(tmp_path))
    data = json.loads((KDIR / "TLS-1003.json").read_text(encoding="utf-8"))
    data["id"] = "TLS-1999"
    data["slug"] = "security/tls-certificate-hostname-mismatch"
    (tmp_path / "TLS-1999.json").write_text(json.dumps(data), encoding="utf-8")
    assert any("duplicate" in p for p in check_knowledge.problems_in_dir(tmp_path))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("root_cause"),
        lambda d: d.update(title="a title without its translation"),
        lambda d: d["findings"].append("name-wrong"),
        lambda d: d.update(first_seen="12/04/2023"),
        lambda d: d["workarounds"][0].pop("commands"),
    ],
)
def test_the_run_time_loader_fails_loudly_on_a_malformed_file(tmp_path: Path, mutate) -> None:
    """The loader does not validate field by field, but a malformed file never loads quietly."""
    path = _broken_copy(tmp_path, mutate)
    with pytest.raises(KnowledgeError) as info:
        load_entry_file(path)
    assert str(info.value).startswith("TLS-1002.json: ") and "\n" not in str(info.value)


def test_a_valid_copy_loads_and_a_directory_with_duplicates_is_rejected(tmp_path: Path) -> None:
    shutil.copy(KDIR / "TLS-1002.json", tmp_path / "TLS-1002.json")
    assert load_knowledge_dir(tmp_path).entries[0].id == "TLS-1002"
    data = json.loads((KDIR / "TLS-1003.json").read_text(encoding="utf-8"))
    data["id"] = "TLS-1999"
    data["slug"] = "security/tls-certificate-hostname-mismatch"
    (tmp_path / "TLS-1999.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate"):
        load_knowledge_dir(tmp_path)


# --- content ------------------------------------------------------------------------


def test_tls_1002_matches_the_seed_number_for_number() -> None:
    e = get_entry("TLS-1002")
    assert e.slug == "security/tls-certificate-hostname-mismatch"
    assert e.category == "tls_error"
    assert (e.fix_rate, e.confidence, e.evidence) == (0.9, 0.87, 1)
    assert e.first_seen.isoformat() == "2023-04-12"
    assert [(c.name, c.version, c.status) for c in e.compatibility] == [
        ("OpenSSL", "3.0", "active"), ("Java", "17", "active"), ("Node.js", "20", "active"), ("Nginx", "1.24", "active")
    ]
    assert e.root_cause.en == SEED_EN
    assert e.root_cause.zh == SEED_ZH
    urls = [d.url for d in e.docs]
    assert "https://www.rfc-editor.org/rfc/rfc6125" in urls and "https://www.rfc-editor.org/rfc/rfc9525" in urls
    assert [(w.rank, w.success_rate) for w in e.workarounds] == [(1, 0.95), (2, 0.85)]
    assert "certbot certonly --standalone -d example.com -d www.example.com" in e.workarounds[0].text.en
    assert "certbot certonly {certbot_args}" in e.workarounds[0].commands  # --standalone, or DNS-01 for a wildcard
    assert "server_name example.com; ssl_certificate /path/to/cert.pem;" in e.workarounds[1].text.en
    assert any("server_name {host}" in c and "ssl_certificate {fullchain_path}" in c for c in e.workarounds[1].commands)
    assert [d.fail_rate for d in e.dead_ends] == [0.7, 0.4, 0.3]
    assert "NODE_TLS_REJECT_UNAUTHORIZED=0" in e.dead_ends[0].text.en
    assert "/etc/hosts" in e.dead_ends[1].text.en
    assert "self-signed certificate" in e.dead_ends[2].text.en and "trust store" in e.dead_ends[2].text.en
    assert e.scope == "generic"
    assert e.findings == (Code.HOSTNAME_MISMATCH,)


def test_the_mtls_entry_carries_the_seed_guide() -> None:
    e = get_entry("mtls-2001")
    assert Code.MTLS_IDENTITY_MISMATCH in e.findings
    assert len(e.causes) == 6 and len(e.prevention) == 6 and len(e.symptoms) >= 3
    assert any("tlsv1 alert unknown ca" in s.en for s in e.symptoms)
    commands = [c for s in e.steps for c in s.commands]
    for needle in (
        "openssl x509 -in {client_cert} -noout -subject -ext subjectAltName",
        "openssl verify -CAfile {ca_file} {client_cert}",
        "openssl s_client -connect {host_port} -cert {client_cert} -key {client_key} -CAfile {ca_file} -servername {host}",
        "ssl_verify_client on",
        "openssl dgst -sha256 -binary",
        "-config san.cnf",
    ):
        assert any(needle in c for c in commands), needle
    assert any("x5t#S256" in s.text.en for s in e.steps)


def test_every_finding_code_is_explained_by_some_entry() -> None:
    explained = {c for e in load_knowledge().entries for c in e.findings}
    assert set(Code) - explained == set()


def _texts(entry) -> list[tuple[str, kbmod.LangText]]:
    out = [("title", entry.title), ("root_cause", entry.root_cause), ("evidence_note", entry.evidence_note)]
    out += [(f"compat.{c.name}", c.notes) for c in entry.compatibility if c.notes]
    out += [(f"workaround{w.rank}", w.text) for w in entry.workarounds]
    out += [(f"dead_end{i}.{k}", getattr(d, k)) for i, d in enumerate(entry.dead_ends) for k in ("text", "why")]
    for key in ("symptoms", "causes", "prevention"):
        out += [(f"{key}{i}", t) for i, t in enumerate(getattr(entry, key))]
    out += [(f"step{i}", s.text) for i, s in enumerate(entry.steps)]
    return out


def test_every_text_is_in_both_languages_and_the_chinese_is_chinese() -> None:
    for entry in load_knowledge().entries:
        for where, text in _texts(entry):
            assert text.en.strip() and text.zh.strip(), (entry.id, where)
            assert CJK.search(text.zh), (entry.id, where, text.zh)
            assert text.en != text.zh, (entry.id, where)
        assert entry.errors and all(entry.errors.values()), entry.id
        assert entry.dead_ends and entry.workarounds, entry.id
        assert all(d.why.en for d in entry.dead_ends), entry.id


def test_estimated_entries_say_so() -> None:
    for entry in load_knowledge().entries:
        note = entry.evidence_note.en.lower()
        assert "estimate" in note or "seed" in note, entry.id


# --- ranking --------------------------------------------------------------------------

CTX = CommandContext(host="api.example.com", port=8443, addresses=("192.0.2.7",), cert_names=("www.example.com",))


def test_plain_hostname_mismatch_ranks_tls_1002_first_with_everything_filled_in() -> None:
    result = diagnose([err(Code.HOSTNAME_MISMATCH)], CTX)
    top = result[0]
    assert top.kb_id == "TLS-1002"
    assert top.because == ("hostname-mismatch",)
    assert all(top.score > other.score for other in result[1:])
    assert [(w.rank, w.success_rate) for w in top.workarounds] == [(1, 0.95), (2, 0.85)]
    assert top.workarounds[0].commands[0] == "certbot certonly --standalone -d api.example.com -d www.example.com"
    assert "server_name api.example.com;" in top.workarounds[1].commands[0]
    assert "/etc/ssl/api.example.com/fullchain.pem" in top.workarounds[1].commands[0]
    assert sorted(d.fail_rate for d in top.dead_ends) == [0.3, 0.4, 0.7]
    assert top.dead_ends[0].relevant and "NODE_TLS_REJECT_UNAUTHORIZED" in top.dead_ends[0].text
    item = top.to_json()
    assert {"kb_id", "score", "workarounds", "dead_ends"} <= item.keys()
    assert 0 < item["score"] <= 1
    json.dumps(item)


def test_a_specific_wildcard_entry_outranks_the_generic_one_when_both_apply() -> None:
    result = diagnose([err(Code.HOSTNAME_MISMATCH), err(Code.WILDCARD_APEX)], CTX)
    ids = [d.kb_id for d in result]
    assert ids[:2] == ["TLS-1003", "TLS-1002"]
    assert set(result[0].because) == {"wildcard-apex", "hostname-mismatch"}


def test_chain_incomplete_surfaces_the_trust_store_dead_end_first() -> None:
    result = diagnose([err(Code.CHAIN_INCOMPLETE)], CTX)
    top = result[0]
    assert top.kb_id == "TLS-1101"
    first = top.dead_ends[0]
    assert first.relevant and "trust store" in first.text
    # the order comes from relevance, not from the fail rate alone
    assert max(d.fail_rate for d in top.dead_ends) > first.fail_rate


def test_mtls_identity_mismatch_ranks_the_seed_entry_first() -> None:
    ctx = CommandContext(host="api.example.com", client_cert="client.pem", client_key="client-key.pem",
                         ca_file="ca-chain.pem", expected_client_identity="client-prod.example.com")
    top = diagnose([err(Code.MTLS_IDENTITY_MISMATCH)], ctx)[0]
    assert top.kb_id == "MTLS-2001"
    assert "openssl x509 -in client.pem -noout -subject -ext subjectAltName" in top.workarounds[0].commands


def test_info_only_findings_give_no_diagnosis_and_warnings_rank_below_errors() -> None:
    assert diagnose([Finding(Code.HOSTNAME_MISMATCH, Severity.INFO)]) == ()
    assert diagnose([]) == ()
    result = diagnose([Finding(Code.CN_NOT_IN_SAN, Severity.WARNING), err(Code.CERT_EXPIRED)])
    by_id = {d.kb_id: d for d in result}
    assert result[0].kb_id == "TLS-1104"
    assert by_id["TLS-1004"].score < by_id["TLS-1104"].score
    assert by_id["TLS-1004"].because == ("cn-not-in-san",)


def test_chinese_diagnosis_uses_the_chinese_texts() -> None:
    top = diagnose([err(Code.HOSTNAME_MISMATCH)], CTX, lang="zh")[0]
    assert CJK.search(top.title) and CJK.search(top.workarounds[0].text)
    with pytest.raises(BadInput):
        diagnose([err(Code.HOSTNAME_MISMATCH)], lang="fr")


_SEVERITIES = st.sampled_from(list(Severity))
_FINDINGS = st.lists(st.tuples(st.sampled_from(list(Code)), _SEVERITIES), max_size=8)


@settings(max_examples=60, deadline=None)
@given(pairs=_FINDINGS, seed=st.integers(0, 2**16))
def test_ranking_is_deterministic_and_well_formed(pairs, seed) -> None:
    findings = [Finding(c, s) for c, s in pairs]
    first = diagnose(findings, CTX)
    shuffled = list(findings)
    random.Random(seed).shuffle(shuffled)
    assert diagnose(shuffled, CTX) == first
    assert [d.to_json() for d in diagnose(findings, CTX)] == [d.to_json() for d in first]
    keys = [(-d.score, d.kb_id) for d in first]
    assert keys == sorted(keys)
    codes = {c.value for c, _ in pairs}
    for d in first:
        assert 0 < d.score <= 1
        assert d.because and set(d.because) <= codes
    if not any(s is not Severity.INFO for _, s in pairs):
        assert first == ()


# --- kb rendering ---------------------------------------------------------------------


def test_get_entry_by_id_in_any_case_or_slug_and_unknown_lists_ids() -> None:
    assert get_entry("tls-1002").id == "TLS-1002"
    assert get_entry("security/tls-certificate-hostname-mismatch").id == "TLS-1002"
    with pytest.raises(BadInput, match="TLS-1002|TLS-1001") as info:
        get_entry("TLS-9999")
    assert "TLS-9999" in str(info.value) and "\n" not in str(info.value)


def test_kb_json_for_one_entry_has_the_design_shape_in_the_language_asked() -> None:
    data = json.loads(render_kb("TLS-1002", "json", "zh"))
    (entry,) = data["entries"]
    for key in ("id", "slug", "title", "category", "fix_rate", "confidence", "evidence", "first_seen",
                "compatibility", "root_cause", "docs", "errors", "findings", "workarounds", "dead_ends"):
        assert key in entry, key
    assert entry["root_cause"] == SEED_ZH
    assert entry["fix_rate"] == 0.9 and entry["first_seen"] == "2023-04-12"
    assert entry["workarounds"][0]["commands"][0] == "certbot certonly --standalone -d example.com -d www.example.com"
    assert {"rank", "success_rate", "text", "commands"} <= entry["workarounds"][0].keys()
    assert {"fail_rate", "text"} <= entry["dead_ends"][0].keys()
    assert CJK.search(entry["dead_ends"][0]["text"])
    assert entry_to_json(get_entry("TLS-1002"), "en")["title"].startswith("TLS certificate hostname mismatch")


def test_kb_json_without_id_lists_every_entry() -> None:
    data = json.loads(render_kb(None, "json"))
    assert [e["id"] for e in data["entries"]] == [e.id for e in load_knowledge().entries]


def test_kb_markdown_page_reads_like_the_seed() -> None:
    page = render_kb("TLS-1002", "md", "en")
    assert "Fix rate 90% · Confidence 87% · Evidence 1 · First seen 2023-04-12" in page
    assert "Also available as: JSON · Markdown · 中文" in page
    assert "| OpenSSL 3.0 | active |" in page and "| Nginx 1.24 | active |" in page
    assert SEED_EN in page
    assert "https://www.rfc-editor.org/rfc/rfc9525" in page
    assert "certbot certonly --standalone -d example.com -d www.example.com" in page
    assert page.index("95%") < page.index("85%") < page.index("70%") < page.index("40%") < page.index("30%")
    zh = render_kb("TLS-1002", "md", "zh")
    assert SEED_ZH in zh and "English" in zh


def test_kb_index_and_text_listing() -> None:
    index = render_kb(None, "md")
    ids = [e.id for e in load_knowledge().entries]
    assert all(f"| {i} |" in index for i in ids)
    text = render_kb(None, "text", "zh")
    assert len(text.splitlines()) == len(ids) and CJK.search(text)
    one = render_kb("TLS-1101", "text")
    assert one.startswith("TLS-1101") and "$ ssl_certificate /etc/ssl/example.com/fullchain.pem;" in one
    with pytest.raises(BadInput):
        render_kb("TLS-1002", "html")  # type: ignore[arg-type]


def test_knowledge_never_imports_textual() -> None:
    code = "import sys, tlsdoctor.knowledge; sys.exit('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO,
                            env={"PYTHONPATH": str(REPO / "tui")}, timeout=60)
    assert result.returncode == 0, result.stderr


def test_only_the_seed_figures_are_not_estimates() -> None:
    """TLS-1002's 90/87/95/85/70/40/30 are the seed's recorded figures; every other entry's rates are estimates
    (the MTLS seed gives no figures), and a diagnosis carries that to every face."""
    kb = load_knowledge()
    assert [e.id for e in kb.entries if not e.rates_estimated] == ["TLS-1002"]
    tls = diagnose([Finding(Code.HOSTNAME_MISMATCH, Severity.ERROR)])
    mtls = diagnose([Finding(Code.MTLS_IDENTITY_MISMATCH, Severity.ERROR)])
    assert tls[0].kb_id == "TLS-1002" and tls[0].rates_estimated is False
    assert tls[0].to_json()["rates_estimated"] is False
    assert mtls[0].kb_id == "MTLS-2001" and mtls[0].rates_estimated is True
