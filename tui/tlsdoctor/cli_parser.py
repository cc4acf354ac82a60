"""The command line's parsers: every subcommand's options and help, in the user's language.

Apart from cli.py so that module stays about running commands; argparse usage
errors are one line and exit 2 (`BadInput`), never argparse's own exit.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from tlsdoctor import __version__
from tlsdoctor.errors import BadInput
from tlsdoctor.i18n import _

SUBCOMMANDS = ("check", "inspect", "explain", "kb", "demo", "csr")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message}")


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", help=_("output language: en or zh (default: LC_ALL / LANG, else en)"))


def _add_walk_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, help=_("port (default 443, or the one in TARGET)"))
    p.add_argument(
        "--starttls",
        choices=("smtp", "imap", "pop3", "ftp", "ldap", "postgres", "mysql", "xmpp", "none"),
        metavar="PROTO",
        help=_(
            "speak PROTO before TLS: smtp, imap, pop3, ftp, ldap, postgres, mysql, xmpp, or none "
            "(default: from the URL scheme, e.g. smtp://, or the well-known port, e.g. 25, 5432)"
        ),
    )
    p.add_argument("--resolve", action="append", default=[], metavar="HOST:PORT:ADDR", help=_("connect to ADDR for HOST:PORT, as curl (repeatable)"))
    p.add_argument("--nameserver", action="append", default=[], metavar="ADDR[:PORT]", help=_("ask this DNS server instead of the system's (repeatable)"))
    p.add_argument("--hosts-file", default="/etc/hosts", metavar="PATH", help=_("hosts file to compare with DNS (default /etc/hosts)"))
    p.add_argument("--ca", action="append", default=[], metavar="FILE", help=_("extra trust anchors (PEM), added to the system store"))
    p.add_argument("--client-cert", metavar="FILE", help=_("client certificate: PEM (leaf, then its chain), PKCS#12 (.p12/.pfx) or a Java keystore (JKS, JCEKS)"))
    p.add_argument("--client-key", metavar="FILE", help=_("client private key (PEM/DER); asked for its password if encrypted"))
    p.add_argument("--client-key-password", metavar="PASSWORD", help=_("password of the key or keystore (PKCS#12, JKS, JCEKS)"))
    p.add_argument("--alias", metavar="NAME", help=_("the keystore entry to use when --client-cert holds several"))
    p.add_argument(
        "--expect-client-identity",
        metavar="NAME|GLOB|REGEX",
        help=_(
            "identity the server expects: an exact name (client-prod.example.com, CN=…, URI:spiffe://…), "
            "a glob (client-*.example.com), or a regex (^CN=client-prod\\.example\\.com, or re:…)"
        ),
    )
    p.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            "judge for these clients: curl, openssl, python, requests, node, java, go, chrome, firefox "
            "(repeatable or comma-separated; default: all)"
        ),
    )
    p.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help=_(
            "answer a question of the walk ahead (repeatable): hosts=intended|stale|dns|unknown, "
            "address=ADDR|intermittent|unknown, client=curl|python|requests|node|java|go|browser|unknown"
        ),
    )
    p.add_argument("--token", metavar="JWT", help=_("access token whose cnf x5t#S256 must match the client certificate (payload decoded only, never verified or printed)"))
    p.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help=_("bound on every network wait (default 5)"))
    p.add_argument("--offline", action="store_true", help=_("do not fetch missing intermediates from AIA URLs"))
    p.add_argument(
        "--redact",
        action="store_true",
        help=_("replace names, organisations, addresses, serials and fingerprints with stable placeholders (screen sharing)"),
    )
    p.add_argument(
        "--redact-legend", metavar="FILE", help=_("with --redact: write placeholder → real value to FILE (mode 600; keep it local)")
    )
    _add_lang(p)


def build_parser(command: str | None) -> argparse.ArgumentParser:
    prog = f"tlsdoctor {command}" if command else "tlsdoctor"
    p = _Parser(prog=prog, description=_("Find out why a TLS certificate does not match the name, and what to do about it."))
    if command is None:
        p.add_argument("target", nargs="?", help=_("host, host:port, [v6]:port or https:// URL; without it a form opens"))
        _add_walk_options(p)
        p.add_argument("--version", action="version", version=f"tlsdoctor {__version__}")
        p.epilog = _("commands: {commands} (tlsdoctor COMMAND --help)").format(commands=", ".join(SUBCOMMANDS))
    elif command == "check":
        p.add_argument("target", nargs="?", help=_("host, host:port, [v6]:port or a URL (https://, smtp://, postgres://, …)"))
        _add_walk_options(p)
        p.add_argument("--format", choices=("text", "md", "json", "jsonl"), default="text", help=_("output format"))
        p.add_argument("--targets", metavar="FILE", help=_("check every target in FILE ('-': standard input), one per line; # comments"))
        p.add_argument("--jobs", type=int, default=8, metavar="N", help=_("with --targets: targets checked at once (default 8)"))
    elif command == "inspect":
        p.add_argument("--cert", required=True, metavar="FILE", help=_("the certificate: PEM or DER (may hold the chain after it), PKCS#12, JKS or JCEKS"))
        p.add_argument("--cert-password", metavar="PASSWORD", help=_("password of a keystore given as --cert"))
        p.add_argument("--alias", metavar="NAME", help=_("the keystore entry to inspect when --cert holds several"))
        p.add_argument("--chain", metavar="FILE", help=_("intermediates (PEM)"))
        p.add_argument("--ca", action="append", default=[], metavar="FILE", help=_("trust anchors (PEM)"))
        p.add_argument("--host", required=True, metavar="NAME", help=_("the host name or IP the client asks for"))
        p.add_argument("--at", metavar="ISO-8601", help=_("check validity at this time (default now)"))
        p.add_argument("--system-store", action="store_true", help=_("also trust the system store"))
        p.add_argument("--format", choices=("text", "md", "json"), default="text", help=_("output format"))
        _add_lang(p)
    elif command == "explain":
        p.add_argument("text", nargs="*", help=_("the error text; '-' or nothing reads standard input"))
        p.add_argument("--format", choices=("text", "md", "json"), default="text", help=_("output format"))
        _add_lang(p)
    elif command == "kb":
        p.add_argument("id", nargs="?", help=_("entry id (TLS-1002) or slug; without it, all entries"))
        p.add_argument("--format", choices=("text", "md", "json"), default="md", help=_("output format"))
        _add_lang(p)
    elif command == "demo":
        p.add_argument("--list", action="store_true", help=_("print the scenarios and a one-shot report of each instead of opening the app"))
        p.add_argument("--format", choices=("text", "md", "json"), default="text", help=_("with --list"))
        _add_lang(p)
    elif command == "csr":
        p.add_argument("--key", required=True, metavar="FILE", help=_("your private key (read, never written or printed)"))
        p.add_argument("--name", action="append", required=True, metavar="NAME", help=_("a name for the SAN: DNS name, IP, URI or e-mail (repeatable)"))
        p.add_argument("--cn", metavar="CN", help=_("subject CN (default: the first DNS name)"))
        p.add_argument("--out", default="client.csr", metavar="FILE", help=_("CSR file; san.cnf is written beside it"))
        p.add_argument("--key-password", metavar="PASSWORD", help=_("password of the private key, if it is encrypted"))
        p.add_argument("--force", action="store_true", help=_("overwrite existing files"))
        _add_lang(p)
    return p
