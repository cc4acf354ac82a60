"""Widgets of the walk screen: the numbered step list and one evidence pane per step.

Everything here renders data that came from walk events (step results and the
report); nothing opens a socket or reads a clock other than for the elapsed
time of a running step. Untrusted text (certificate fields, DNS answers,
hosts lines, error details) is always made inert with `report.safe_text` and
placed into `Content(...)` / `Text(...)` objects or substituted as a
`Content.from_markup` variable, never formatted into markup.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static, Tree
from textual.widgets.option_list import Option

from tlsdoctor.findings import Code, Finding, Severity, StepId, StepStatus
from tlsdoctor.i18n import _, format_datetime, format_percent, format_relative
from tlsdoctor.render.labels import SEVERITY_WORDS, STATUS_SYMBOLS, STATUS_WORDS, safe_text, step_title
from tlsdoctor.summaries import finding_title, step_summary

STATUS_STYLE: dict[StepStatus, str] = {
    StepStatus.WAITING: "dim",
    StepStatus.RUNNING: "$primary bold",
    StepStatus.OK: "$success",
    StepStatus.WARN: "$warning bold",
    StepStatus.FAIL: "$error bold",
    StepStatus.SKIPPED: "dim",
    StepStatus.ERROR: "$error bold",
}
SEVERITY_STYLE: dict[Severity, str] = {
    Severity.ERROR: "$error bold",
    Severity.WARNING: "$warning bold",
    Severity.INFO: "dim",
}
SEVERITY_SYMBOL: dict[Severity, str] = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


# Redaction for screen sharing: when set, every untrusted value shown goes through it.
_display_filter: list[Callable[[str], str] | None] = [None]


def set_display_filter(redaction: Callable[[str], str] | None) -> None:
    _display_filter[0] = redaction


def shown(value: object) -> str:
    """What the screen may show of a value: redacted when sharing, always inert."""
    text = "" if value is None else str(value)
    redaction = _display_filter[0]
    return safe_text(redaction(text) if redaction is not None else text)


def shown_labels(labels: list[str | None]) -> list[str]:
    """A label-by-label diff row as shown: redaction keeps the label count, so rows stay aligned."""
    present = [label for label in labels if label]
    mapped = shown(".".join(present)).split(".") if present else []
    if len(mapped) != len(present):  # not a name the redactor kept in shape: show labels one by one
        mapped = [shown(label) for label in present]
    out, it = [], iter(mapped)
    for label in labels:
        out.append(next(it) if label else "∅")
    return out


def lit(value: object, style: str = "") -> Content:
    """Untrusted text as inert, literal content (markup, ANSI and bidi controls shown as text)."""
    return Content.styled(shown(value), style) if style else Content(shown(value))


def lit_text(value: object, style: str = "") -> Text:
    """Untrusted text for DataTable cells and Tree labels (rich Text never parses markup)."""
    return Text(shown(value), style=style)


def pad(text: str, width: int) -> str:
    """Pad to `width` terminal cells (CJK characters take two)."""
    return text + " " * max(0, width - cell_len(text))


# --------------------------------------------------------------------------- walk state


@dataclass
class WalkState:
    """What the walk screen knows: rebuilt widgets (e.g. after a language switch) come from here."""

    results: dict[StepId, Any] = field(default_factory=dict)  # StepId → walk.StepResult
    started: dict[StepId, float] = field(default_factory=dict)  # monotonic start per step
    progress: dict[StepId, tuple[int, int, str]] = field(default_factory=dict)
    running: StepId | None = None
    report: Any = None
    began: float | None = None
    ended: float | None = None
    cancelled: bool = False
    error: str | None = None
    events: list[Any] = field(default_factory=list)  # every engine event, in order (tests read it)
    redact: bool = False  # screen-sharing mode: names, addresses and fingerprints as placeholders
    replayed: bool = False  # events came from a recording: times are the recorded ones

    @property
    def total_seconds(self) -> float:
        if self.replayed:
            return sum(r.elapsed_ms for r in self.results.values()) / 1000
        return (self.ended or 0) - (self.began or 0)

    def reset(self) -> None:
        redact = self.redact  # a re-run keeps screen-sharing mode
        self.__init__()  # type: ignore[misc]
        self.redact = redact

    @property
    def finished(self) -> bool:
        return self.report is not None

    def status(self, step: StepId) -> StepStatus:
        if step in self.results:
            return self.results[step].status
        if step is self.running:
            return StepStatus.RUNNING
        return StepStatus.WAITING

    def elapsed(self, step: StepId) -> float:
        """Seconds the step took (or has taken so far, while it runs)."""
        if step in self.results:
            return self.results[step].elapsed_ms / 1000
        if step in self.started:
            return time.monotonic() - self.started[step]
        return 0.0

    def first_failing(self) -> StepId:
        """Where the eye should go when the walk ends: first failure, else first warning, else the diagnosis."""
        for wanted in ((StepStatus.FAIL, StepStatus.ERROR), (StepStatus.WARN,)):
            for step in StepId:
                if step is not StepId.DIAGNOSIS and self.status(step) in wanted:
                    return step
        return StepId.DIAGNOSIS


def status_content(state: WalkState, step: StepId) -> Content:
    """Symbol + word (+ time): status is never told by colour alone."""
    status = state.status(step)
    if status is StepStatus.RUNNING:
        if state.cancelled:
            return Content.styled("– " + _("cancelled"), "$warning")
        label = "… {word} {secs:.1f}s".format(word=_(STATUS_WORDS[status]), secs=state.elapsed(step))
        done = state.progress.get(step)
        if done and done[1]:
            label += f" ({done[0]}/{done[1]})"
        return Content.styled(label, STATUS_STYLE[status])
    label = f"{STATUS_SYMBOLS[status]} {_(STATUS_WORDS[status])}"
    if status is StepStatus.SKIPPED:
        return Content.styled(label, STATUS_STYLE[status])
    if step in state.results:
        label += f" {state.results[step].elapsed_ms:.0f}ms"
    return Content.styled(label, STATUS_STYLE[status])


def step_prompt(state: WalkState, step: StepId) -> Content:
    """Two lines per step: `4 Fetch certificates` / `  ✓ ok 12ms` (or the skip reason)."""
    head = Content.assemble((f"{step.number} ", "bold"), (step_title(step), "bold" if step is state.running else ""))
    second = Content.assemble("  ", status_content(state, step))
    result = state.results.get(step)
    if result is not None and result.status is StepStatus.SKIPPED and result.skipped_reason:
        # one line: the full reason is in the evidence pane
        reason = lit(_(result.skipped_reason), "dim italic").truncate(STEP_TEXT_WIDTH, ellipsis=True)
        second = second.append(Content("\n  ")).append(reason)
    return Content("\n").join([head, second])


STEP_TEXT_WIDTH = 30  # cells for a step's second line inside the 36-cell list


class StepList(OptionList):
    """The eight numbered steps of the tree with their live state."""

    DEFAULT_CSS = """
    StepList { width: 36; height: 1fr; }
    StepList > .option-list--option { padding: 0 1; }
    """

    def __init__(self, state: WalkState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*(Option(step_prompt(state, s), id=s.value) for s in StepId), **kwargs)

    def refresh_steps(self, steps: Iterable[StepId] = tuple(StepId)) -> None:
        for step in steps:
            self.replace_option_prompt(step.value, step_prompt(self.state, step))

    @property
    def selected_step(self) -> StepId:
        return list(StepId)[self.highlighted or 0]

    def select_step(self, step: StepId) -> None:
        self.highlighted = list(StepId).index(step)


def status_line(state: WalkState, target_text: str) -> Content:
    """The always-visible progress line at the top of the walk screen."""
    parts: list[Content | str | tuple[str, str]] = [("tlsdoctor ", "bold"), lit(target_text, "bold"), "  "]
    if state.error:
        parts += [("✗ " + _("the walk stopped with an error"), "$error bold"), " ", lit(state.error)]
    elif state.cancelled:
        at = state.running.number if state.running else "?"
        parts.append(("– " + _("cancelled at step {n}; press r to run again").format(n=at), "$warning bold"))
    elif state.report is not None:
        total = state.total_seconds
        verdict = state.report.verdict
        if verdict == "problem":
            parts.append(("✗ " + _("problem found"), "$error bold"))
        else:
            parts.append(("✓ " + _("nothing wrong found"), "$success bold"))
        parts.append("  " + _("done in {secs:.2f}s").format(secs=total))
        if state.report.diagnosis:
            top = state.report.diagnosis[0]
            parts += ["  · " + _("most likely:") + " ", (top.kb_id, "bold"), " ", lit(top.title)]
    elif state.running is not None:
        step = state.running
        parts.append(
            (
                "… " + _("step {n}/8 {title}").format(n=step.number, title=step_title(step))
                + f" {state.elapsed(step):.1f}s",
                "$primary bold",
            )
        )
        done = state.progress.get(step)
        if done and done[1]:
            parts += [f"  {done[0]}/{done[1]} ", lit(done[2], "dim")]
    else:
        parts.append(_("starting…"))
    return Content.assemble(*parts)


# --------------------------------------------------------------------------- evidence panes


class CommandLine(Static, can_focus=True):
    """One ready-to-copy shell command; focus it and press c to copy."""

    DEFAULT_CSS = """
    CommandLine { padding: 0 1 0 4; }
    CommandLine:focus { background: $primary 30%; }
    """

    def __init__(self, command: str, **kwargs: Any) -> None:
        self.command = command
        super().__init__(Content.assemble(("$ ", "bold"), lit(command)), **kwargs)


class DeadEnd(Static):
    """A tempting fix that fails: set apart as a warning."""

    DEFAULT_CSS = """
    DeadEnd { border-left: thick $warning; padding: 0 1; margin: 0 0 0 2; }
    """


def _heading(text: str) -> Static:
    return Static(Content.styled(text, "bold underline"), classes="heading")


def _line(*parts: Content | str | tuple[str, str]) -> Static:
    return Static(Content.assemble(*parts))


def finding_lines(findings: Iterable[Finding]) -> Iterator[Static]:
    for f in findings:
        yield _line(
            (f"{SEVERITY_SYMBOL[f.severity]} {_(SEVERITY_WORDS[f.severity])} ", SEVERITY_STYLE[f.severity]),
            (f.code.value, "bold"),
            ": ",
            finding_title(f.code),
        )


def _table(*columns: str, **kwargs: Any) -> DataTable[Any]:
    table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, **kwargs)
    table.add_columns(*columns)
    return table


def _kv(key: str, value: object, style: str = "") -> Static:
    return _line((pad(key, 14), "bold"), " ", lit(value, style))


def target_pane(data: Any) -> Iterator[Widget]:
    t = data.target
    yield _kv(_("Host"), t.display_host)
    if t.ascii_host != t.display_host:
        yield _kv(_("A-label"), t.ascii_host)
    yield _kv(_("Port"), t.port)
    yield _kv(_("Kind"), _("IP address") if t.is_ip else _("host name"))
    yield _kv(_("SNI sent"), data.sni or _("none (IP literal)"))
    if t.trailing_dot:
        yield _kv(_("Note"), _("the name ends with a dot: clients differ on it"))
    for pin in data.resolves:
        yield _kv("--resolve", f"{pin.host}:{pin.port}:{pin.address}")


def dns_pane(data: Any) -> Iterator[Widget]:
    yield _kv(_("Name"), data.name)
    yield _kv(_("Status"), data.status)
    yield _kv(_("Nameservers"), ", ".join(data.nameservers) or _("system"))
    yield _kv(_("Addresses"), ", ".join(data.addresses) or _("none"))
    if len(data.cname_chain) > 1:
        yield _kv(_("CNAME chain"), " → ".join(data.cname_chain))
    if data.dangling_cname:
        yield _kv(_("Note"), _("the CNAME chain ends at a name that does not exist"), "$warning")
    if data.caa:
        owner = data.caa_owner or data.name
        yield _kv("CAA", "; ".join(data.caa))
        yield _kv("", _("from {owner}").format(owner=safe_text(owner)) + (_(" (inherited)") if data.caa_inherited else ""))
    else:
        yield _kv("CAA", _("none: any CA may issue") if not data.caa_unknown else _("unknown (lookup failed)"))
    table = _table(_("Type"), _("Name"), _("Status"), _("Answer"), "TTL", id="dns-table")
    for row in data.rows:
        table.add_row(
            Text(row.rtype, style="bold"),
            lit_text(row.qname),
            Text(row.status),
            lit_text(", ".join(row.values) or (row.detail or "")),
            Text("" if row.ttl is None else str(row.ttl)),
        )
    yield table


def hosts_pane(data: Any) -> Iterator[Widget]:
    yield _kv(_("File"), data.path)
    if data.lines:
        for entry in data.lines:
            yield _line((pad(_("line {n}").format(n=entry.lineno), 14), "bold"), " ", lit(entry.raw.strip()))
    else:
        yield _kv(_("Lines"), _("no line mentions {name}").format(name=safe_text(data.name)))
    yield _kv(_("Hosts file"), ", ".join(data.hosts_addresses) or "-")
    yield _kv("DNS", ", ".join(data.dns_addresses) or "-")
    source = {"resolve": _("--resolve pin"), "hosts": _("hosts file"), "dns": _("DNS")}.get(data.source, data.source)
    style = "$warning bold" if data.source == "hosts" and set(data.hosts_addresses) != set(data.dns_addresses) else "bold"
    yield _line(
        (pad(_("Client uses"), 14), "bold"), " ", lit(", ".join(data.used_addresses) or "-", style), "  ", lit(_("(from {source})").format(source=source), "dim")
    )
    if data.invalid_lines:
        yield _kv(_("Note"), _("{n} lines could not be parsed").format(n=data.invalid_lines), "dim")


def fetch_pane(data: Any) -> Iterator[Widget]:
    from tlsdoctor.analysis.fetch import leaf_fingerprint, leaf_subject

    view = data.view
    primary_fp = leaf_fingerprint(view.primary) if view.primary is not None else None
    used = set(data.used_addresses)
    yield _kv(_("Addresses"), ", ".join(data.addresses))
    if data.truncated_from:
        yield _kv(_("Note"), _("only the first {n} of {total} addresses were probed").format(n=len(data.addresses), total=data.truncated_from), "$warning")
    yield _line(("≠ ", "$warning bold"), _("marks a row whose certificate differs from the one the client gets"), ("  * ", "bold"), _("address the client uses"))
    table = _table("", _("Address"), _("SNI"), _("Certificate"), _("Subject"), _("Protocol"), _("Error"), id="fetch-table")
    for h in view.handshakes:
        fp = leaf_fingerprint(h)
        divergent = fp is not None and primary_fp is not None and fp != primary_fp
        error = ""
        if h.error:
            error = h.error.value + (f" ({h.error_detail})" if h.error_detail else "")
            if h.alert is not None:
                error += f" alert {h.alert}"
        style = "$warning bold" if divergent else ""
        table.add_row(
            Text("≠" if divergent else ("✗" if h.error else "✓"), style=style or ("bold" if h.error else "")),
            lit_text(h.address + (" *" if h.address in used else ""), style),
            Text(h.sni_mode.value, style=style),
            Text(fp[:16] if fp else "-", style=style),
            lit_text(leaf_subject(h) or "-", style),
            Text(h.protocol or "-"),
            lit_text(error or "-", "bold" if error else ""),
        )
    yield table


def names_pane(data: Any) -> Iterator[Widget]:
    from tlsdoctor.reasons import reason_text

    yield _kv(_("Checking"), data.display_reference + (f" ({data.reference})" if data.reference != data.display_reference else ""))
    verdict = _("✓ covered") if data.matched else _("✗ not covered")
    yield _kv(_("Verdict"), verdict, "$success bold" if data.matched else "$error bold")
    if data.common_names:
        yield _kv(_("Common Name"), ", ".join(data.common_names))
    if data.san_error:
        yield _kv(_("SAN error"), data.san_error, "$error")
    if data.closest is not None and not data.matched:
        yield _line((pad(_("Closest SAN"), 14), "bold"), " ", lit(data.closest.value, "$warning bold reverse"))
        if data.closest.labels:
            presented = shown_labels([label.presented for label in data.closest.labels])
            wanted = shown_labels([label.reference for label in data.closest.labels])
            widths = [max(cell_len(p), cell_len(w)) for p, w in zip(presented, wanted)]
            top = Content(".").join(
                lit(pad(p, w), "" if lb.same else "$error bold") for p, w, lb in zip(presented, widths, data.closest.labels)
            )
            bottom = Content(".").join(
                lit(pad(x, w), "" if lb.same else "$success bold") for x, w, lb in zip(wanted, widths, data.closest.labels)
            )
            marks = ".".join(("=" if lb.same else "^") * w for w, lb in zip(widths, data.closest.labels))
            yield _line((pad(_("certificate"), 14), "dim"), " ", top)
            yield _line((pad(_("wanted"), 14), "dim"), " ", bottom)
            yield _line(pad("", 14), " ", (marks, "bold"))
    yield _heading(_("Every name in the certificate ({n})").format(n=len(data.verdicts)))
    table = _table("", _("Kind"), _("Name"), _("Verdict"), _("Reason"), id="names-table")
    marks = {"match": "✓", "no-match": "✗", "invalid": "!"}
    for v in data.verdicts:
        closest = data.closest is v and not data.matched
        style = "$warning bold" if closest else ("$success" if v.verdict.value == "match" else "")
        table.add_row(
            Text(marks.get(v.verdict.value, "?"), style=style),
            Text(v.kind.value.upper()),
            lit_text(v.value, style),
            Text(v.verdict.value + ("  ← " + _("closest") if closest else ""), style=style),
            Text(reason_text(v.reason, v.detail)),
        )
    yield table
    yield _heading(_("What each client does"))
    clients = _table(_("Client"), _("Result"), _("Note"), id="clients-table")
    for c in data.clients:
        clients.add_row(
            Text(c.client, style="bold"),
            Text("✓ " + _("accepts") if c.accepts else "✗ " + _("rejects"), style="$success" if c.accepts else "$error"),
            lit_text(c.note),
        )
    yield clients


def _cert_node(tree_node: Any, index: int, cert: Any, at: dt.datetime, label: str) -> Any:
    node = tree_node.add(Text.assemble((f"#{index} ", "bold"), (label + " ", "dim"), lit_text(cert.subject, "bold")), expand=True)
    node.add_leaf(Text.assemble((_("issuer") + ": ", "dim"), lit_text(cert.issuer)))
    expired = cert.not_after < at
    early = cert.not_before > at
    node.add_leaf(
        Text.assemble(
            (_("valid") + ": ", "dim"),
            (format_datetime(cert.not_before) + " → " + format_datetime(cert.not_after), ""),
            ("  " + _("expires {when}").format(when=format_relative(cert.not_after, at)), "bold red" if expired else ""),
            ("  ✗ " + _("expired") if expired else "", "bold red"),
            ("  ✗ " + _("not valid yet") if early else "", "bold red"),
        )
    )
    key = cert.key_type + (f" {cert.key_size}" if cert.key_size else "") + (f" {cert.key_curve}" if cert.key_curve else "")
    node.add_leaf(Text.assemble((_("key") + ": ", "dim"), key, "  ", (cert.signature_algorithm, "dim")))
    eku = ", ".join(name for _oid, name in cert.eku) if cert.has_eku else _("none (any use)")
    node.add_leaf(Text.assemble(("EKU: ", "dim"), lit_text(eku), ("  CA" if cert.is_ca else "", "bold")))
    node.add_leaf(Text.assemble(("SKI: ", "dim"), cert.ski or "-", ("  AKI: ", "dim"), cert.aki or "-"))
    for url in cert.ca_issuers:
        node.add_leaf(Text.assemble(("AIA: ", "dim"), lit_text(url)))
    node.add_leaf(Text.assemble(("SHA-256: ", "dim"), cert.sha256_short))
    return node


def chain_pane(data: Any, at: dt.datetime) -> Iterator[Widget]:
    tree: Tree[None] = Tree(Text(_("Presented chain ({n} certificates)").format(n=data.presented_count)), id="chain-tree")
    tree.show_root = True
    tree.root.expand()
    links = {(link.child, link.parent): link for link in data.links}
    codes = set()
    for f in data.findings:
        codes.add(f.code)
    for i, cert in enumerate(data.presented):
        label = _("leaf") if i == 0 else (_("root") if cert.self_signed else _("intermediate"))
        _cert_node(tree.root, i, cert, at, label)
        link = links.get((i, i + 1))
        if link is not None:
            ok = link.ok
            tree.root.add_leaf(
                Text(
                    ("  ↓ " + _("signed by the next certificate")) if ok else ("  ✗ " + _("the next certificate did not sign this one")),
                    style="green" if ok else "bold red",
                )
            )
    if Code.CHAIN_INCOMPLETE in codes and data.presented:
        last = data.presented[-1]
        gap = tree.root.add(Text("⚠ " + _("GAP: the intermediate that signed #{n} is missing").format(n=len(data.presented) - 1), style="bold red"), expand=True)
        gap.add_leaf(Text.assemble((_("issuer needed") + ": ", "dim"), lit_text(last.issuer)))
        for url in last.ca_issuers:
            gap.add_leaf(Text.assemble((_("fetch it from (AIA)") + ": ", "dim"), lit_text(url)))
        if not last.ca_issuers:
            gap.add_leaf(Text(_("no AIA URL in the certificate"), style="dim"))
    for index, error in data.parse_errors:
        tree.root.add_leaf(Text.assemble((f"#{index} ", "bold"), ("✗ " + _("does not parse") + ": ", "bold red"), lit_text(error)))
    yield tree
    yield _heading(_("Trust verdicts"))
    for v in data.verdicts:
        if v.ok:
            path = " → ".join(subject for subject, _fp in v.chain) if v.chain else ""
            yield _line((f"✓ {v.store}: ", "$success bold"), _("trusted"), "  ", lit(path, "dim"))
        else:
            yield _line((f"✗ {v.store}: ", "$error bold"), _("not trusted"), ": ", lit(v.error or ""))
    for attempt in data.aia_attempts:
        yield _kv("AIA", " ".join(f"{k}={v}" for k, v in attempt.items()), "dim")


def client_pane(data: Any) -> Iterator[Widget]:
    if data.certificate is not None:
        yield _kv(_("Certificate"), data.certificate.subject)
    yield _kv(_("Identities"), ", ".join(data.identities) or _("none"))
    if data.expected is not None:
        matched = bool(data.matched)
        yield _kv(_("Expected"), f"{data.expected.text} ({data.expected.kind})")
        yield _kv(_("Match"), ("✓ " + ", ".join(data.matched)) if matched else "✗ " + _("no identity matches"), "$success bold" if matched else "$error bold")
    if data.key_matches is not None:
        yield _kv(_("Key pair"), "✓ " + _("the key belongs to the certificate") if data.key_matches else "✗ " + _("the key does not belong to the certificate"))
    if data.handshake:
        hs = data.handshake
        if hs.get("alert") is not None:
            yield _kv(_("TLS alert"), f"{hs.get('alert')} {hs.get('alert_name') or ''} ({hs.get('alert_during') or ''})", "$error bold")
        for key, value in hs.items():
            if key not in ("alert", "alert_name", "alert_during") and value not in (None, "", [], ()):
                yield _kv(str(key), value if not isinstance(value, (list, tuple)) else ", ".join(map(str, value)), "dim")
    if data.ca_match:
        yield _heading(_("Acceptable client CAs (sent by the server)"))
        for key, value in data.ca_match.items():
            yield _kv(str(key), value if not isinstance(value, (list, tuple)) else "; ".join(map(str, value)))
    if data.x5t_s256:
        yield _kv("x5t#S256", data.x5t_s256)
    for line in data.openssl_view:
        yield Static(lit(line, "dim"))
    for title, command in data.commands:
        yield _line((title, "bold"))
        yield CommandLine(command)


def diagnosis_pane(diagnosis: tuple[Any, ...]) -> Iterator[Widget]:
    if not diagnosis:
        yield Static(Content.styled("✓ " + _("Nothing wrong found: no knowledge entry applies."), "$success bold"))
        return
    for i, d in enumerate(diagnosis[:5], 1):
        yield Static(
            Content.assemble((f"{i}) ", "bold"), (d.kb_id, "bold reverse"), " ", (d.title, "bold")),
            classes="heading diagnosis-entry",
        )
        yield _line(
            ("   " + _("fix rate {fix} · confidence {conf} · score {score}").format(
                fix=format_percent(d.fix_rate), conf=format_percent(d.confidence), score=f"{d.score:.2f}"
            ), ""),
        )
        because = "; ".join(f"{c} ({finding_title(Code(c))})" for c in d.because)
        yield _line(("   " + _("why") + ": ", "bold"), because)
        if i > 2:
            continue
        for w in d.workarounds:
            yield _line(
                ("   " + _("fix {rank}").format(rank=w.rank) + " ", "bold"),
                ("(" + _("{rate} success").format(rate=format_percent(w.success_rate)) + ") ", "$success bold"),
                w.text,
            )
            for command in w.commands:
                yield CommandLine(command)
        for de in d.dead_ends:
            flag = _("DEAD END") if de.relevant else _("dead end")
            body = Content.assemble(
                ("⚠ " + flag + " ", "$warning bold"),
                ("(" + _("{rate} fail").format(rate=format_percent(de.fail_rate)) + ") ", "$warning"),
                de.text,
            )
            if de.why:
                body = body.append(Content("\n")).append(Content.assemble((_("why") + ": ", "bold"), de.why))
            yield DeadEnd(body)


def diagnosis_hint(diagnosis: tuple[Any, ...], codes: set[str]) -> Iterator[Widget]:
    """Under a failing step: the entry these findings lead to, its best fix and the dead end to avoid.

    So the first screen after a walk answers "what do I do" without a key press; step 8 has the rest.
    """
    entry = next((d for d in diagnosis if codes & set(d.because)), None)
    if entry is None:
        return
    yield _heading(f"→ {StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    yield Static(Content.assemble((entry.kb_id, "bold reverse"), " ", (entry.title, "bold")))
    if entry.workarounds:
        w = entry.workarounds[0]
        yield _line(
            (_("fix {rank}").format(rank=w.rank) + " ", "bold"),
            ("(" + _("{rate} success").format(rate=format_percent(w.success_rate)) + ") ", "$success bold"),
            w.text,
        )
        for command in w.commands[:1]:
            yield CommandLine(command)
    dead = next((de for de in entry.dead_ends if de.relevant), entry.dead_ends[0] if entry.dead_ends else None)
    if dead is not None:
        yield DeadEnd(
            Content.assemble(
                ("⚠ " + _("dead end") + " ", "$warning bold"),
                ("(" + _("{rate} fail").format(rate=format_percent(dead.fail_rate)) + ") ", "$warning"),
                dead.text,
            )
        )


class EvidencePane(Widget):
    """The selected step's evidence, built from its stored result."""

    DEFAULT_CSS = """
    EvidencePane { height: auto; }
    EvidencePane DataTable { height: auto; max-height: 30; margin: 0 0 1 0; }
    EvidencePane Tree { height: auto; }
    EvidencePane .heading { margin: 1 0 0 0; }
    """

    def __init__(self, state: WalkState, step: StepId, **kwargs: Any) -> None:
        self.state = state
        self.step = step
        super().__init__(**kwargs)

    def compose(self) -> ComposeResult:
        state, step = self.state, self.step
        yield Static(
            Content.assemble((f"{step.number}. {step_title(step)}  ", "bold"), status_content(state, step)), classes="pane-title"
        )
        result = state.results.get(step)
        if result is None:
            text = _("running…") if step is state.running and not state.cancelled else _("waiting for the earlier steps")
            yield Static(Content.styled(text, "dim"))
            return
        yield Static(lit(step_summary(result), "italic"), classes="summary")
        yield from finding_lines(result.findings)
        data = result.data
        if data is None:
            return
        at = state.report.at if state.report is not None else dt.datetime.now(dt.UTC)
        panes = {
            StepId.TARGET: lambda: target_pane(data),
            StepId.DNS: lambda: dns_pane(data),
            StepId.HOSTS: lambda: hosts_pane(data),
            StepId.FETCH: lambda: fetch_pane(data),
            StepId.NAMES: lambda: names_pane(data),
            StepId.CHAIN: lambda: chain_pane(data, at),
            StepId.CLIENT: lambda: client_pane(data),
            StepId.DIAGNOSIS: lambda: diagnosis_pane(data),
        }
        yield Static("")
        yield from panes[step]()
        report = state.report
        problems = {f.code.value for f in result.findings if f.severity.value in ("error", "warning")}
        if report is not None and step is not StepId.DIAGNOSIS and problems:
            yield from diagnosis_hint(report.diagnosis, problems)
