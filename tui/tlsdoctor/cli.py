"""The command line: `check`, `inspect`, `explain`, `kb`, `demo`, `csr`, and the app.

Exit codes: 0 nothing wrong found, 1 a problem was diagnosed, 2 bad usage or
bad input (one line on stderr, never a traceback). `check`, `inspect`,
`explain`, `kb` and `csr` never import textual: only the app and `demo` do.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tlsdoctor.argparse_i18n import translated_argparse
from tlsdoctor.errors import MAX_INPUT_BYTES, BadInput
from tlsdoctor.i18n import _, resolve_language, set_language

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.request import WalkOptions

from tlsdoctor.cli_parser import SUBCOMMANDS, build_parser

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
        ask_password=_ask_password(),
        expected_identity=args.expect_client_identity,
        token=args.token,
        timeout=args.timeout,
        offline=args.offline,
        lang=lang,
        clients=args.client,
        starttls=args.starttls,
        client_alias=args.alias,
        answers=args.answer,
    )
    warning = key_file_warning(options.client)
    if warning is not None:
        sys.stderr.write(f"tlsdoctor: {warning}\n")
    return options


def _ask_password() -> Callable[[str], str] | None:
    """The terminal's password prompt, when there is a terminal to ask on."""
    return _getpass if sys.stdin.isatty() else None


def _getpass(prompt: str) -> str:
    import getpass  # lazy: start-up cost (asked only for an encrypted key)

    return getpass.getpass(prompt)


# --- commands --------------------------------------------------------------------------


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def render(
    report: Report, fmt: str, *, redact: bool = False, legend: str | None = None, options: object = None, indent: bool | None = None
) -> str:
    """The report in `fmt` (text, md, json); names, addresses, ids and the files of `options` as
    placeholders when `redact`, and their legend written to the file `legend` (never to the screen)."""
    from tlsdoctor.render.report import render_report  # lazy: start-up cost

    if indent is None:  # JSON: indented for a person, compact for programs and files (issue 13)
        indent = sys.stdout.isatty()
    if not redact:
        return render_report(report, fmt, indent=indent)
    from tlsdoctor.redact import (  # lazy: start-up cost
        Redactor,
        legend_text,
        redaction_for,
        user_files,
    )

    redactor = Redactor()
    text = render_report(report, fmt, redaction_for([user_files(options), report.to_json()], redactor), indent=indent)
    if legend is not None:
        from tlsdoctor.probe.files import write_private_file  # lazy: start-up cost

        write_private_file(legend, legend_text(redactor), "--redact-legend")
    return text


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.walk import walk_report  # lazy: start-up cost

    if args.targets is not None:
        if args.target is not None:
            raise BadInput(_("give a TARGET or --targets FILE, not both"))
        from tlsdoctor.batch_cli import run_targets  # lazy: start-up cost

        return run_targets(args, lang, walk_options)
    if args.target is None:
        raise BadInput(_("tlsdoctor check: give a TARGET (or --targets FILE)"))
    options = walk_options(args, lang)
    report = walk_report(options)  # no asyncio: its import alone cost more than the rest of check's start-up
    redact = args.redact or args.redact_legend is not None
    if args.format == "jsonl":  # one report: the JSON on one line, redacted as the other formats
        _print(render(report, "json", redact=redact, legend=args.redact_legend, options=options, indent=False))
        return report.exit_code
    _print(render(report, args.format, redact=redact, legend=args.redact_legend, options=options))
    return report.exit_code


def _parse_at(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))  # also "2026-01-31Z"
    except ValueError:
        raise BadInput(_("--at {text!r}: expected an ISO-8601 time such as 2026-01-31T12:00:00Z").format(text=text)) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def cmd_inspect(args: argparse.Namespace, lang: str) -> int:
    from tlsdoctor.offline import inspect_report  # lazy: start-up cost
    from tlsdoctor.request import read_input_file  # lazy: start-up cost

    cert = read_input_file(args.cert, "--cert file")
    from tlsdoctor.probe.keystores import is_keystore, keystore_pem  # lazy: start-up cost

    if is_keystore(cert):  # PKCS#12, JKS, JCEKS: the chosen entry's certificates (keys are never read out)
        cert = keystore_pem(args.cert, cert, args.cert_password, args.alias, _ask_password())
    chain = read_input_file(args.chain, "--chain file") if args.chain else b""
    ca = b"".join(read_input_file(p, "--ca file") for p in args.ca)
    at = _parse_at(args.at) or dt.datetime.now(dt.UTC)
    report = inspect_report(cert, chain=chain, ca=ca, host=args.host, at=at, use_system_store=args.system_store, lang=lang)
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
    from tlsdoctor.explain.rules import CLIENT_PROTOCOLS  # lazy: start-up cost

    diagnosis = diagnose(result.findings, None, lang=lang, protocol=CLIENT_PROTOCOLS.get(result.client or ""))
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

    ask = _ask_password()
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
    early = None
    if options is not None:
        from tlsdoctor.walk import start  # lazy: start-up cost (the engine)

        early = start(options)  # the walk begins now: its network waits overlap Textual's start-up (issue 13)
    from tlsdoctor.app.main import run_app  # lazy: start-up cost (textual)

    return run_app(options, lang, redact=args.redact, early=early) or 0


COMMANDS = {
    "check": cmd_check,
    "inspect": cmd_inspect,
    "explain": cmd_explain,
    "kb": cmd_kb,
    "demo": cmd_demo,
    "csr": cmd_csr,
}


def _value_options() -> frozenset[str]:
    """The options of the top-level parser that take a value (so the word after them is not a command)."""
    actions = build_parser(None)._actions  # argparse has no public list of its actions
    return frozenset(o for a in actions if a.nargs != 0 for o in a.option_strings)


def split_command(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The subcommand and its arguments; options given before the subcommand move after it.

    `tlsdoctor --lang zh demo` is `demo --lang zh`, not a walk of a host named
    "demo": the first word that is not an option (nor an option's value) is the
    command if it names one. After `--` every word is a target.
    """
    if argv and argv[0] in SUBCOMMANDS:
        return argv[0], list(argv[1:])  # the usual order: no parser to build to know (issue 13)
    takes_value = _value_options()
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            if word in SUBCOMMANDS:
                return word, [*argv[i + 1 :], *argv[:i]]
            break
        if word in takes_value:
            i += 1
        i += 1
    return None, list(argv)


def _early_language(argv: Sequence[str]) -> None:
    """Set the language before the parsers are built, so their help and errors are translated."""
    requested: str | None = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            requested = argv[i + 1]
        elif word.startswith("--lang="):
            requested = word.partition("=")[2]
    try:
        set_language(resolve_language(requested))
    except BadInput:
        set_language(resolve_language(None))  # the parser reports the bad --lang below


def main(argv: Sequence[str] | None = None) -> int:
    # a server chooses its certificate's fields: an over-long one is evidence, not a Python warning on stderr
    warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)
    argv = list(sys.argv[1:] if argv is None else argv)
    _early_language(argv)
    try:
        with translated_argparse():
            command, rest = split_command(argv)
            args = build_parser(command).parse_args(rest)
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
        sys.stderr.write("tlsdoctor: " + _("interrupted") + "\n")
        return 130
    except BrokenPipeError:  # `tlsdoctor … | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
