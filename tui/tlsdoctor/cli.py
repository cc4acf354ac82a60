"""The command line: `check`, `inspect`, `explain`, `kb`, `demo`, `csr`, and the app.

Exit codes: 0 nothing wrong found, 1 a problem was diagnosed, 2 bad usage or
bad input (one line on stderr, never a traceback). `check`, `inspect`,
`explain`, `kb` and `csr` never import textual: only the app and `demo` do.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import getpass
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from tlsdoctor import __version__
from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.i18n import _, resolve_language, set_language

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.request import WalkOptions

SUBCOMMANDS = ("check", "inspect", "explain", "kb", "demo", "csr")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message}")


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", help="output language: en or zh (default: LC_ALL / LANG, else en)")


def _add_walk_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, help="port (default 443, or the one in TARGET)")
    p.add_argument("--resolve", action="append", default=[], metavar="HOST:PORT:ADDR", help="connect to ADDR for HOST:PORT, as curl (repeatable)")
    p.add_argument("--nameserver", action="append", default=[], metavar="ADDR[:PORT]", help="ask this DNS server instead of the system's (repeatable)")
    p.add_argument("--hosts-file", default="/etc/hosts", metavar="PATH", help="hosts file to compare with DNS (default /etc/hosts)")
    p.add_argument("--ca", action="append", default=[], metavar="FILE", help="extra trust anchors (PEM), added to the system store")
    p.add_argument("--client-cert", metavar="FILE", help="client certificate: PEM (leaf, then its chain) or PKCS#12")
    p.add_argument("--client-key", metavar="FILE", help="client private key (PEM/DER); asked for its password if encrypted")
    p.add_argument("--client-key-password", metavar="PASSWORD", help="password of the key or PKCS#12 file")
    p.add_argument(
        "--expect-client-identity",
        metavar="NAME|GLOB|REGEX",
        help="identity the server expects: an exact name (client-prod.example.com, CN=…, URI:spiffe://…), "
        "a glob (client-*.example.com), or a regex (^CN=client-prod\\.example\\.com, or re:…)",
    )
    p.add_argument("--token", metavar="JWT", help="access token whose cnf x5t#S256 must match the client certificate (payload decoded only, never verified or printed)")
    p.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="NAME",
        help="judge for these clients: curl, openssl, python, requests, node, java, go, chrome, firefox "
        "(repeatable or comma-separated; default: all)",
    )
    p.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help="bound on every network wait (default 5)")
    p.add_argument("--offline", action="store_true", help="do not fetch missing intermediates from AIA URLs")
    p.add_argument("--redact", action="store_true", help="replace names and addresses with stable placeholders (screen sharing)")
    _add_lang(p)


def _parser(command: str | None) -> argparse.ArgumentParser:
    prog = f"tlsdoctor {command}" if command else "tlsdoctor"
    p = _Parser(prog=prog, description=_("Find out why a TLS certificate does not match the name, and what to do about it."))
    if command is None:
        p.add_argument("target", nargs="?", help="host, host:port, [v6]:port or https:// URL; without it a form opens")
        _add_walk_options(p)
        p.add_argument("--version", action="version", version=f"tlsdoctor {__version__}")
        p.epilog = "commands: " + ", ".join(SUBCOMMANDS) + " (tlsdoctor COMMAND --help)"
    elif command == "check":
        p.add_argument("target", help="host, host:port, [v6]:port or https:// URL")
        _add_walk_options(p)
        p.add_argument("--format", choices=("text", "md", "json"), default="text")
    elif command == "inspect":
        p.add_argument("--cert", required=True, metavar="FILE", help="the certificate (PEM or DER; may hold the chain after it)")
        p.add_argument("--chain", metavar="FILE", help="intermediates (PEM)")
        p.add_argument("--ca", action="append", default=[], metavar="FILE", help="trust anchors (PEM)")
        p.add_argument("--host", required=True, metavar="NAME", help="the host name or IP the client asks for")
        p.add_argument("--at", metavar="ISO-8601", help="check validity at this time (default now)")
        p.add_argument("--system-store", action="store_true", help="also trust the system store")
        p.add_argument("--format", choices=("text", "md", "json"), default="text")
        _add_lang(p)
    elif command == "explain":
        p.add_argument("text", nargs="*", help="the error text; '-' or nothing reads standard input")
        p.add_argument("--format", choices=("text", "md", "json"), default="text")
        _add_lang(p)
    elif command == "kb":
        p.add_argument("id", nargs="?", help="entry id (TLS-1002) or slug; without it, all entries")
        p.add_argument("--format", choices=("text", "md", "json"), default="md")
        _add_lang(p)
    elif command == "demo":
        p.add_argument("--list", action="store_true", help="print the scenarios and a one-shot report of each instead of opening the app")
        p.add_argument("--format", choices=("text", "md", "json"), default="text", help="with --list")
        _add_lang(p)
    elif command == "csr":
        p.add_argument("--key", required=True, metavar="FILE", help="your private key (read, never written or printed)")
        p.add_argument("--name", action="append", required=True, metavar="NAME", help="a name for the SAN: DNS name, IP, URI or e-mail (repeatable)")
        p.add_argument("--cn", metavar="CN", help="subject CN (default: the first DNS name)")
        p.add_argument("--out", default="client.csr", metavar="FILE", help="CSR file; san.cnf is written beside it")
        p.add_argument("--key-password", metavar="PASSWORD")
        p.add_argument("--force", action="store_true", help="overwrite existing files")
        _add_lang(p)
    return p


# --- option conversion ---------------------------------------------------------------


def walk_options(args: argparse.Namespace, lang: str) -> WalkOptions:
    """Parsed walk options → WalkOptions through the one request builder (bad input: exit 2)."""
    from tlsdoctor.request import build_request, key_file_warning  # lazy: start-up cost

    options = build_request(
        args.target,
        port=args.port,
        resolves=args.resolve,
        nameservers=args.nameserver,
        hosts_file=args.hosts_file,
        ca_files=args.ca,
        client_cert=args.client_cert,
        client_key=args.client_key,
        client_key_password=args.client_key_password,
        ask_password=getpass.getpass if sys.stdin.isatty() else None,
        expected_identity=args.expect_client_identity,
        token=args.token,
        timeout=args.timeout,
        offline=args.offline,
        lang=lang,
        clients=args.client,
    )
    warning = key_file_warning(options.client)
    if warning is not None:
        sys.stderr.write(f"tlsdoctor: {warning}\n")
    return options


# --- commands --------------------------------------------------------------------------


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def render(report: Report, fmt: str, *, redact: bool = False) -> str:
    """The report in `fmt` (text, md, json), names and addresses replaced when `redact`."""
    if fmt == "json":
        from tlsdoctor.render.json import render_json  # lazy: start-up cost

        text = render_json(report, indent=sys.stdout.isatty())  # compact for programs and files
    elif fmt == "md":
        from tlsdoctor.render.markdown import render_markdown  # lazy: start-up cost

        text = render_markdown(report)
    else:
        from tlsdoctor.render.text import render_text  # lazy: start-up cost

        text = render_text(report)
    if redact:
        from tlsdoctor.redact import redact_text  # lazy: start-up cost

        text = redact_text(text, report.to_json())
    return text


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.walk import walk_report  # lazy: start-up cost

    options = walk_options(args, lang)
    report = walk_report(options)  # no asyncio: its import alone cost more than the rest of check's start-up
    _print(render(report, args.format, redact=args.redact))
    return report.exit_code


def _parse_at(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: FURB162 - also "2026-01-31Z"
    except ValueError:
        raise BadInput(f"--at {text!r}: expected an ISO-8601 time such as 2026-01-31T12:00:00Z") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def cmd_inspect(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.diagnosis import build_report  # lazy: start-up cost
    from tlsdoctor.facts.steps import StepResult  # lazy: start-up cost
    from tlsdoctor.findings import StepId, worst_status  # lazy: start-up cost
    from tlsdoctor.offline import inspect_certificates  # lazy: start-up cost
    from tlsdoctor.request import WalkOptions, read_input_file  # lazy: start-up cost

    cert = read_input_file(args.cert, "--cert file")
    chain = read_input_file(args.chain, "--chain file") if args.chain else b""
    ca = b"".join(read_input_file(p, "--ca file") for p in args.ca)
    at = _parse_at(args.at) or dt.datetime.now(dt.UTC)
    result = inspect_certificates(cert, chain=chain, ca=ca, host=args.host, at=at, use_system_store=args.system_store)
    steps = []
    if result.names is not None:
        steps.append(StepResult(StepId.NAMES, worst_status(result.names.findings), result.names, tuple(result.names.findings)))
    steps.append(StepResult(StepId.CHAIN, worst_status(result.chain.findings), result.chain, tuple(result.chain.findings)))
    assert result.target is not None
    report = build_report(result.target, steps, WalkOptions(target=result.target, lang=lang), at)
    _print(render(report, args.format))
    return report.exit_code


# Past its first MAX_INPUT_BYTES, standard input is only counted (to say how much was cut), up to this.
_COUNT_STDIN_BYTES = 64 * MAX_INPUT_BYTES


def _read_stdin() -> tuple[str, int, bool]:
    """(the start of standard input, its length in characters, whether that length is exact).

    Only the first MAX_INPUT_BYTES are kept; the rest is counted, never stored, and
    counting stops after _COUNT_STDIN_BYTES (an endless pipe must not hang us).
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    head = decoder.decode(sys.stdin.buffer.read(MAX_INPUT_BYTES))
    total, counted = len(head), 0
    while counted < _COUNT_STDIN_BYTES:
        chunk = sys.stdin.buffer.read(MAX_INPUT_BYTES)
        if not chunk:
            return head, total + len(decoder.decode(b"", final=True)), True
        counted += len(chunk)
        total += len(decoder.decode(chunk))
    return head, total, False


def cmd_explain(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.diagnosis import Report  # lazy: start-up cost
    from tlsdoctor.explain import explain  # lazy: start-up cost
    from tlsdoctor.knowledge import diagnose  # lazy: start-up cost

    if not args.text or args.text == ["-"]:
        if sys.stdin.isatty():
            sys.stderr.write(_("Paste the error text, then press Ctrl-D:") + "\n")
        text, total, exact = _read_stdin()
        result = explain(text, total_chars=total, exact=exact)
    else:
        result = explain(" ".join(args.text))
    diagnosis = diagnose(result.findings, None, lang=lang)
    report = Report(
        target=None,
        steps=(),
        findings=tuple(result.findings),
        diagnosis=diagnosis,
        at=dt.datetime.now(dt.UTC),
        lang=lang,
        client=result.client,
        extra={"matches": [m.to_json() for m in result.matches], "input": result.input.to_json()},
    )
    _print(render(report, args.format))
    return report.exit_code  # the same verdict every face prints


def cmd_kb(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.knowledge import render_kb  # lazy: start-up cost

    _print(render_kb(args.id, args.format, lang))
    return 0


def cmd_csr(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.csr import make_csr, write_csr_bundle  # lazy: start-up cost

    ask = getpass.getpass if sys.stdin.isatty() else None
    bundle = make_csr(args.key, args.name, password=args.key_password, ask_password=ask, subject_cn=args.cn)
    csr_path, cnf_path = write_csr_bundle(bundle, args.out, force=args.force)
    _print(_("Wrote {csr} and {cnf}. Submit the CSR to your CA.").format(csr=csr_path, cnf=cnf_path))
    _print(bundle.san_cnf)
    return 0


def cmd_demo(args: argparse.Namespace, lang: str) -> int:
    if args.list or not sys.stdout.isatty():
        from tlsdoctor.demo import run_demo_reports  # lazy: start-up cost

        return run_demo_reports(lang, args.format, _print)
    from tlsdoctor.app.main import run_demo  # lazy: start-up cost (textual)

    run_demo(lang)
    return 0


def cmd_app(args: argparse.Namespace, lang: str) -> int:
    options = walk_options(args, lang) if args.target else None
    from tlsdoctor.app.main import run_app  # lazy: start-up cost (textual)

    return run_app(options, lang) or 0


COMMANDS = {
    "check": cmd_check,
    "inspect": cmd_inspect,
    "explain": cmd_explain,
    "kb": cmd_kb,
    "demo": cmd_demo,
    "csr": cmd_csr,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    rest = argv[1:] if command else argv
    try:
        args = _parser(command).parse_args(rest)
        lang = resolve_language(getattr(args, "lang", None))
        set_language(lang)
        handler = COMMANDS.get(command, cmd_app) if command else cmd_app
        # The walk waits in threads beside the work (and, in the app, beside the UI): a thread whose
        # answer has arrived gets the GIL within 1 ms instead of Python's default 5 (issue 13).
        sys.setswitchinterval(0.001)
        return handler(args, lang)
    except BadInput as exc:
        sys.stderr.write(f"tlsdoctor: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("tlsdoctor: interrupted\n")
        return 130
    except BrokenPipeError:  # `tlsdoctor … | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
