"""Command templates: filled from the real names, quoted for the shell, never a dead end."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tlsdoctor.findings import Code, Finding, Severity
from tlsdoctor.knowledge.commands import PLACEHOLDERS, CommandContext, render_command
from tlsdoctor.knowledge.load import load_knowledge
from tlsdoctor.knowledge.rank import diagnose

HOSTILE = [
    "a'b",
    'quote"d',
    "$(rm -rf /)",
    "`id`",
    "x; rm -rf ~",
    "line\nbreak",
    "with space",
    "$HOME",
    "*",
    "a|b&c>d",
    "-rf",
    "",
]

# Written independently of FORBIDDEN_IN_WORKAROUNDS in scripts/check_knowledge.py, so each can catch the other's gaps.
DEAD_END_ACTIONS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:^|\s)-k\b",
        r"--insecure",
        r"verify\s*=\s*False",
        r"NODE_TLS_REJECT_UNAUTHORIZED",
        r"InsecureSkipVerify",
        r"insecure-skip-tls-verify",
        r"rejectUnauthorized",
        r"GIT_SSL_NO_VERIFY|sslVerify",
        r"CERT_NONE",
        r"/etc/hosts",
        r"proxy_ssl_verify\s+off",
        r"ssl_verify_client\s+(?:off|optional)",
    )
]


def hostile_context(value: str) -> CommandContext:
    return CommandContext(
        host=value,
        display_host=value,
        port=443,
        addresses=(value,),
        cert_names=(value,),
        client_cert=value,
        client_key=value,
        ca_file=value,
        expected_client_identity=value,
        client_identity=value,
        client_format="jks",
        client_alias=value,
    )


def all_templates() -> list[tuple[str, str]]:
    out = []
    for entry in load_knowledge().entries:
        out += [(entry.id, t) for w in entry.workarounds for t in w.commands]
        out += [(entry.id, t) for s in entry.steps for t in s.commands]
    return out


def test_filled_from_the_real_names() -> None:
    ctx = CommandContext(host="api.example.com", port=8443, addresses=("192.0.2.7", "192.0.2.8"),
                         cert_names=("www.example.com", "*.example.com", "other.test", "API.example.com"),
                         client_cert="certs/client.pem", ca_file="ca.pem")
    # a wildcard among the names to keep: DNS-01, and the wildcard stays
    assert render_command("certbot certonly {certbot_args}", ctx) == (
        "certbot certonly --manual --preferred-challenges dns -d api.example.com -d www.example.com -d '*.example.com'"
    )
    assert render_command("tlsdoctor csr {name_flags}", ctx) == (
        "tlsdoctor csr --name api.example.com --name www.example.com --name '*.example.com'"
    )
    assert render_command("curl --resolve {resolve_pin} {https_url}", ctx) == (
        "curl --resolve api.example.com:8443:192.0.2.7 https://api.example.com:8443/"
    )
    assert render_command("x {addresses}", ctx) == "x 192.0.2.7 192.0.2.8"
    assert render_command("openssl verify -CAfile {ca_file} {client_cert}", ctx) == (
        "openssl verify -CAfile ca.pem certs/client.pem"
    )
    v6 = CommandContext(host="2001:db8::1", port=443)
    assert render_command("openssl s_client -connect {host_port}", v6) == "openssl s_client -connect '[2001:db8::1]:443'"


def test_missing_values_render_as_quoted_readable_stand_ins() -> None:
    ctx = CommandContext(host="api.example.com")
    assert render_command("openssl x509 -in {client_cert} -noout", ctx) == "openssl x509 -in '<client-cert.pem>' -noout"
    assert render_command("openssl s_client -connect {host_port}", None) == "openssl s_client -connect '<host>:<port>'"
    # a stand-in is one inert word: a shell would not redirect on its angle brackets
    assert shlex.split(render_command("cat {ca_file}", None)) == ["cat", "<ca-file.pem>"]


def test_a_stand_in_quotes_the_value_never_its_flag() -> None:
    """Issue 11: `certbot certonly --standalone '-d <host>'` and `https://'<host>:<port>'/` were one word with their flag."""
    assert render_command("certbot certonly {certbot_args}", None) == "certbot certonly --standalone -d '<host>'"
    assert render_command("curl -sSI {https_url}", None) == "curl -sSI 'https://<host>:<port>/'"
    assert render_command("tlsdoctor csr {name_flags}", None) == "tlsdoctor csr --name '<host>'"
    assert render_command("curl --resolve {resolve_pin} {https_url}", None) == (
        "curl --resolve '<host>:<port>:<address>' 'https://<host>:<port>/'"
    )


def test_the_wildcard_apex_fix_keeps_the_wildcard_and_asks_for_dns_01() -> None:
    """*.wild.test does not cover wild.test: the new certificate needs both names, and a wildcard needs DNS-01."""
    ctx = CommandContext(host="wild.test", cert_names=("*.wild.test",))
    words = shlex.split(render_command("certbot certonly {certbot_args}", ctx))
    assert words[:5] == ["certbot", "certonly", "--manual", "--preferred-challenges", "dns"]
    assert sorted(words[6::2]) == ["*.wild.test", "wild.test"] and set(words[5::2]) == {"-d"}
    assert "--standalone" not in words


def test_names_without_a_wildcard_keep_the_standalone_challenge() -> None:
    ctx = CommandContext(host="wrong.example.test", cert_names=("other.example.test", "www.other.example.test", "x.unrelated.test"))
    assert render_command("certbot certonly {certbot_args}", ctx) == (
        "certbot certonly --standalone -d wrong.example.test -d other.example.test -d www.other.example.test"
    )


WHOLE_WORD = re.compile(r"(?:[A-Z_]{2,40}=)?\{[a-z_]+\};?")  # `{x}`, `{x};` (nginx) or `ENV_VAR={x}`


def test_every_shipped_placeholder_is_a_whole_shell_word() -> None:
    """A placeholder glued to other text (`https://{host_port}/`) would quote part of a word."""
    for entry_id, template in all_templates():
        for word in template.split():
            if "{" in word:
                assert WHOLE_WORD.fullmatch(word), (entry_id, template, word)


def test_a_path_starting_with_a_dash_is_never_read_as_an_option() -> None:
    ctx = CommandContext(host="h", client_cert="-out")
    assert shlex.split(render_command("openssl x509 -in {client_cert}", ctx))[-1] == "./-out"


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_every_placeholder_keeps_a_hostile_value_as_one_inert_word(name: str, value: str) -> None:
    if not value and name in {"client_subject", "client_san_ext", "expected_identity", "client_identity"}:
        pytest.skip("an empty identity is no identity: the stand-in is shown")
    rendered = render_command("cmd {" + name + "}", hostile_context(value))
    words = shlex.split(rendered)
    assert words[0] == "cmd"
    args = words[1:]
    if name == "name_flags":
        assert args[1::2] == [value] or args[1::2] == []  # the host; duplicates of it are dropped
        assert set(args[0::2]) <= {"--name"}
    elif name == "certbot_args":
        assert args[0] in ("--standalone", "--manual")
        assert value in args[args.index("-d") + 1 :: 2]
    elif name == "port":
        assert args == ["443"]
    elif name == "keystore_type":
        assert args == ["JKS"]  # keytool's name for the store type, never from the user
    else:
        assert len(args) == 1
        if value and not value.startswith("-"):
            assert value in args[0]


def test_rendered_commands_run_by_sh_do_no_substitution(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payloads = [
        f"$(touch {marker})",
        f"`touch {marker}`",
        f"x; touch {marker}",
        f"x\ntouch {marker}",
        f"x && touch {marker} #",
        f"' ; touch {marker} ; '",
        "$HOME",
        "*",
    ]
    for value in payloads:
        ctx = hostile_context(value)
        command = render_command("printf '%s\\n' {host} {client_cert} {expected_identity}", ctx)
        result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, cwd=tmp_path, timeout=10)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"{value}\n{value}\n{value}\n"
        assert not marker.exists(), value


@pytest.mark.parametrize("value", HOSTILE)
def test_every_shipped_template_stays_parseable_with_hostile_names(value: str) -> None:
    ctx = hostile_context(value)
    for entry_id, template in all_templates():
        rendered = render_command(template, ctx)
        shlex.split(rendered, comments=False)  # raises on an unbalanced quote
        if value.strip() and "{host}" in template and not value.startswith("-"):
            # the value never leaks out of its quotes
            assert shlex.quote(value) in rendered, (entry_id, template)


def test_no_workaround_command_contains_a_dead_end_action() -> None:
    templates = all_templates()
    assert len(templates) > 30
    for entry_id, template in templates:
        for rendered in (template, render_command(template, CommandContext(host="example.com"))):
            for pattern in DEAD_END_ACTIONS:
                assert not pattern.search(rendered), (entry_id, rendered)


def test_the_dead_end_actions_are_documented_as_dead_ends() -> None:
    dead_texts = " ".join(d.text.en for e in load_knowledge().entries for d in e.dead_ends)
    for action in ("NODE_TLS_REJECT_UNAUTHORIZED=0", "curl -k", "verify=False", "InsecureSkipVerify", "/etc/hosts"):
        assert action in dead_texts, action


def single_quoted_positions(command: str) -> set[int]:
    """Indexes of the characters a POSIX shell reads inside single quotes (no expansion there)."""
    inside, escaped, positions = False, False, set()
    for i, ch in enumerate(command):
        if inside:
            if ch == "'":
                inside = False
            else:
                positions.add(i)
        elif escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "'":
            inside = True
    return positions


def test_diagnosis_commands_for_a_hostile_target_keep_it_inside_single_quotes() -> None:
    value = "evil.example.com;$(id)`id`"
    findings = [Finding(code, Severity.ERROR) for code in Code]
    result = diagnose(findings, hostile_context(value))
    commands = [c for d in result for w in d.workarounds for c in w.commands]
    assert len(commands) > 30
    for command in commands:
        quoted = single_quoted_positions(command)
        for needle in ("$(id)", "`id`", ";$"):
            for match in re.finditer(re.escape(needle), command):
                assert set(range(match.start(), match.end())) <= quoted, command
