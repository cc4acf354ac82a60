"""The report: every step's result, the findings, the ranked diagnosis, and their renderings.

`build_report` joins the steps' results and asks the knowledge base for the
diagnosis; `Report.to_json()` is the JSON contract of DESIGN.md;
`render_text` and `render_markdown` are the human faces of `check`. Untrusted
text (certificate fields, DNS answers) is kept exact in JSON and made inert
in text (`safe_text`: control and bidi characters shown as escapes) and
Markdown. No textual here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len

from tlsdoctor import __version__
from tlsdoctor.findings import Code, Finding, Severity, StepId, StepStatus
from tlsdoctor.i18n import N_, _, format_datetime, format_percent, format_relative
from tlsdoctor.reasons import reason_text
from tlsdoctor.target import Target

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def safe_text(value: object) -> str:
    """Untrusted text made inert for a terminal: control, bidi and zero-width characters become escapes."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}", text)


def md_text(value: object) -> str:
    """Untrusted text for Markdown: inert characters, Markdown syntax escaped, one line."""
    text = safe_text(value).replace("\n", " ").replace("\r", " ")
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~-])", r"\\\1", text)


STEP_TITLES: dict[StepId, str] = {
    StepId.TARGET: N_("Target"),
    StepId.DNS: N_("DNS"),
    StepId.HOSTS: N_("Hosts file"),
    StepId.FETCH: N_("Fetch certificates"),
    StepId.NAMES: N_("Names"),
    StepId.CHAIN: N_("Chain and trust"),
    StepId.CLIENT: N_("Client certificate (mTLS)"),
    StepId.DIAGNOSIS: N_("Diagnosis"),
}

STATUS_WORDS: dict[StepStatus, str] = {
    StepStatus.WAITING: N_("waiting"),
    StepStatus.RUNNING: N_("running"),
    StepStatus.OK: N_("ok"),
    StepStatus.WARN: N_("warning"),
    StepStatus.FAIL: N_("failed"),
    StepStatus.SKIPPED: N_("skipped"),
    StepStatus.ERROR: N_("error"),
}
STATUS_SYMBOLS: dict[StepStatus, str] = {
    StepStatus.WAITING: "·",
    StepStatus.RUNNING: "…",
    StepStatus.OK: "✓",
    StepStatus.WARN: "!",
    StepStatus.FAIL: "✗",
    StepStatus.SKIPPED: "-",
    StepStatus.ERROR: "✗",
}
SEVERITY_WORDS: dict[Severity, str] = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}

FINDING_TITLES: dict[Code, str] = {
    Code.BAD_TARGET: N_("The target cannot be checked as given."),
    Code.DNS_NXDOMAIN: N_("The name does not exist in DNS (NXDOMAIN)."),
    Code.DNS_NO_ADDRESS: N_("The name exists but has no A or AAAA record."),
    Code.DNS_TIMEOUT: N_("DNS did not answer in time."),
    Code.DNS_ERROR: N_("DNS answered with an error."),
    Code.HOSTS_OVERRIDE: N_("The hosts file sends this machine somewhere other than DNS does."),
    Code.CONNECT_REFUSED: N_("The connection was refused: nothing listens on that port."),
    Code.CONNECT_TIMEOUT: N_("The connection or handshake timed out."),
    Code.NOT_TLS: N_("The server does not speak TLS on this port."),
    Code.HANDSHAKE_FAILED: N_("The TLS handshake failed."),
    Code.SNI_DEFAULT_CERT: N_("Without the right SNI the server presents a different (default) certificate."),
    Code.IP_DIVERGENT_CERTS: N_("The addresses of this name present different certificates."),
    Code.HOSTNAME_MISMATCH: N_("The certificate does not cover the host name."),
    Code.WILDCARD_APEX: N_("A wildcard does not cover the bare domain (apex)."),
    Code.WILDCARD_DEPTH: N_("A wildcard covers exactly one label, not several."),
    Code.WILDCARD_PARTIAL: N_("A partial-label wildcard is invalid for most clients."),
    Code.CN_ONLY: N_("The certificate has no SAN: modern clients ignore the Common Name."),
    Code.IP_NOT_IN_SAN: N_("The IP address is not among the certificate's iPAddress SANs."),
    Code.CN_NOT_IN_SAN: N_("The Common Name is not repeated in the SAN (CA/Browser Forum rule)."),
    Code.CHAIN_INCOMPLETE: N_("The server does not send the intermediate certificate."),
    Code.CHAIN_ORDER: N_("The chain is sent in the wrong order or with extra certificates."),
    Code.CHAIN_UNTRUSTED: N_("The chain ends in a root that is not trusted."),
    Code.SELF_SIGNED: N_("The certificate is self-signed."),
    Code.CERT_EXPIRED: N_("A certificate has expired."),
    Code.CERT_NOT_YET_VALID: N_("A certificate is not valid yet."),
    Code.EKU_NO_SERVER_AUTH: N_("The certificate is not allowed for TLS servers (EKU lacks serverAuth)."),
    Code.WEAK_KEY: N_("A key in the chain is too weak for some clients' security policy."),
    Code.WEAK_SIGNATURE: N_("A signature in the chain uses a hash some clients refuse (SHA-1 or MD5)."),
    Code.NAME_CONSTRAINTS: N_("A CA's name constraints forbid a name on the certificate."),
    Code.MTLS_CERT_REQUIRED: N_("The server requires a client certificate."),
    Code.MTLS_UNKNOWN_CA: N_("The server does not trust the CA of the client certificate."),
    Code.MTLS_BAD_CERTIFICATE: N_("The server rejected the client certificate."),
    Code.MTLS_IDENTITY_MISMATCH: N_("The client certificate does not carry the expected identity."),
    Code.MTLS_EKU_NO_CLIENT_AUTH: N_("The client certificate is not allowed for clients (EKU lacks clientAuth)."),
    Code.MTLS_CHAIN_INCOMPLETE: N_("The client does not send its intermediate certificate."),
    Code.MTLS_KEY_MISMATCH: N_("The private key does not belong to the client certificate."),
    Code.MTLS_CNF_MISMATCH: N_("The token is bound to a different certificate (x5t#S256)."),
}


def finding_reasons(f: Finding) -> list[str]:
    """The distinct evidence reasons of a finding (top level and one level into lists), translated."""
    found: list[str] = []

    def take(value: object) -> None:
        if isinstance(value, str) and value not in found:
            found.append(value)

    take(f.evidence.get("reason"))
    for value in f.evidence.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    take(item.get("reason"))
    return [reason_text(r) for r in found]


def step_title(step: StepId) -> str:
    return _(STEP_TITLES[step])


def status_label(status: StepStatus) -> str:
    """Symbol and word: status is never told by colour alone."""
    return f"{STATUS_SYMBOLS[status]} {_(STATUS_WORDS[status])}"


def finding_title(code: Code) -> str:
    return _(FINDING_TITLES[code])


@dataclass(frozen=True, repr=False)
class Report:
    target: Target | None
    steps: tuple[Any, ...]  # walk.StepResult, in step order
    findings: tuple[Finding, ...]
    diagnosis: tuple[Any, ...]  # knowledge.Diagnosis
    at: dt.datetime
    lang: str = "en"
    client: str | None = None  # explain: the recognised client
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # Short on purpose: asyncio formats the repr of a task's result on shutdown, and a
        # full report (thousands of SANs) would cost tens of milliseconds for nothing.
        return f"Report(target={self.target!r}, findings={len(self.findings)}, verdict={self.verdict!r})"

    @property
    def verdict(self) -> str:
        return "problem" if any(f.severity is Severity.ERROR for f in self.findings) else "ok"

    @property
    def exit_code(self) -> int:
        return 1 if self.verdict == "problem" else 0

    @property
    def diagnosis_step(self) -> Any:
        return next((s for s in self.steps if s.step is StepId.DIAGNOSIS), None)

    def step(self, step: StepId) -> Any:
        return next((s for s in self.steps if s.step is step), None)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tool": {"name": "tlsdoctor", "version": __version__}}
        if self.target is not None:
            data["target"] = self.target.to_json()
            data["at"] = self.at.isoformat()
            data["steps"] = [
                {**s.to_json(), "summary": step_summary(s)} for s in self.steps if s.step is not StepId.DIAGNOSIS
            ]
        else:
            data["client"] = self.client
        data["findings"] = [f.to_json() for f in self.findings]
        data["diagnosis"] = [d.to_json() for d in self.diagnosis]
        data["verdict"] = self.verdict
        data.update(self.extra)
        return data


def command_context(target: Target, steps: Sequence[Any], options: Any) -> Any:
    """The real names the knowledge base fills its commands with."""
    from tlsdoctor.knowledge import CommandContext

    by_id = {s.step: s for s in steps}
    addresses: tuple[str, ...] = ()
    cert_names: tuple[str, ...] = ()
    fetch = by_id.get(StepId.FETCH)
    if fetch is not None and fetch.data is not None:
        addresses = tuple(fetch.data.used_addresses) or tuple(fetch.data.addresses)
    names = by_id.get(StepId.NAMES)
    if names is not None and names.data is not None:
        cert_names = tuple(v.value for v in names.data.verdicts if v.kind.value in ("dns", "ip"))
    client = getattr(options, "client", None)
    expected = getattr(options, "expected_identity", None)
    return CommandContext(
        host=target.ascii_host,
        display_host=target.display_host,
        port=target.port,
        addresses=addresses,
        cert_names=cert_names,
        client_cert=getattr(client, "cert_path", None),
        client_key=getattr(client, "key_path", None),
        ca_file=(getattr(options, "ca_files", ()) or (None,))[0],
        expected_client_identity=getattr(expected, "text", None) if expected is not None else None,
    )


def build_report(
    target: Target, steps: Sequence[Any], options: Any, at: dt.datetime, *, elapsed_ms: float = 0.0
) -> Report:
    """Join the steps, rank the diagnosis, and add the diagnosis step itself."""
    from tlsdoctor.facts.steps import StepResult
    from tlsdoctor.knowledge import diagnose

    findings = tuple(f for s in steps for f in s.findings)
    lang = getattr(options, "lang", "en")
    diagnosis = diagnose(findings, command_context(target, steps, options), lang=lang)
    status = StepStatus.FAIL if any(f.severity is Severity.ERROR for f in findings) else (
        StepStatus.WARN if any(f.severity is Severity.WARNING for f in findings) else StepStatus.OK
    )
    diagnosis_step = StepResult(step=StepId.DIAGNOSIS, status=status, data=diagnosis, elapsed_ms=elapsed_ms)
    return Report(
        target=target,
        steps=(*steps, diagnosis_step),
        findings=findings,
        diagnosis=diagnosis,
        at=at,
        lang=lang,
    )


# --- summaries -------------------------------------------------------------------------


def step_summary(result: Any) -> str:
    """One translated line per step: what a person needs from it at a glance."""
    if result.status is StepStatus.SKIPPED:
        return _(result.skipped_reason or "skipped")
    data = result.data
    step = result.step
    if step is StepId.TARGET:
        t = data.target
        return _("{host} port {port}, SNI {sni}").format(host=t.display_host, port=t.port, sni=data.sni or _("none"))
    if step is StepId.DNS:
        if data.addresses:
            return _("{name} → {addresses}").format(name=data.name, addresses=", ".join(data.addresses))
        return _("no address for {name} ({status})").format(name=data.name, status=data.status)
    if step is StepId.HOSTS:
        source = {"resolve": _("--resolve pin"), "hosts": _("hosts file"), "dns": _("DNS")}.get(data.source, data.source)
        return _("the client connects to {addresses} (from {source})").format(
            addresses=", ".join(data.used_addresses) or _("nothing"), source=source
        )
    if step is StepId.FETCH:
        total = len(data.view.handshakes)
        ok = sum(1 for h in data.view.handshakes if h.ok)
        return _("{ok} of {total} handshakes completed on {n} addresses").format(ok=ok, total=total, n=len(data.addresses))
    if step is StepId.NAMES:
        if data.matched:
            return _("the certificate covers {host}").format(host=data.display_reference)
        closest = data.closest.value if data.closest else _("none")
        return _("the certificate does not cover {host}; closest: {closest}").format(host=data.display_reference, closest=closest)
    if step is StepId.CHAIN:
        oks = [v.store for v in data.verdicts if v.ok]
        if oks:
            return _("trusted by: {stores}").format(stores=", ".join(oks))
        return _("not trusted by any store tried")
    if step is StepId.CLIENT:
        if result.findings:
            return finding_title(result.findings[0].code)
        return _("the server accepted the client certificate")
    if step is StepId.DIAGNOSIS:
        if not data:
            return _("nothing wrong found")
        return _("most likely: {id} {title}").format(id=data[0].kb_id, title=data[0].title)
    return ""


# --- text ------------------------------------------------------------------------------


def _evidence_lines(result: Any, now: dt.datetime) -> list[str]:
    """The evidence a person wants under each step, in plain text."""
    data = result.data
    step = result.step
    out: list[str] = []
    if data is None:
        return out
    if step is StepId.DNS:
        for row in data.rows:
            values = ", ".join(safe_text(v) for v in row.values) or row.status
            out.append(f"{row.rtype:<6} {values}")
        if len(data.cname_chain) > 1:
            out.append(_("CNAME chain: {chain}").format(chain=" → ".join(safe_text(n) for n in data.cname_chain)))
    elif step is StepId.HOSTS:
        for line in data.lines:
            out.append(_("{path} line {n}: {text}").format(path=data.path, n=line.lineno, text=safe_text(line.raw.strip())))
    elif step is StepId.FETCH:
        from tlsdoctor.analysis.fetch import leaf_fingerprint, leaf_subject

        for h in data.view.handshakes:
            fp = leaf_fingerprint(h)
            short = fp[:16] if fp else "-"
            what = safe_text(leaf_subject(h) or "-") if h.presented_chain else "-"
            state = h.protocol or ""
            if h.error:
                state = f"{h.error.value}" + (f" ({safe_text(h.error_detail)})" if h.error_detail else "")
            out.append(f"{h.address:<16} {h.sni_mode.value:<9} {short}  {what}  {state}")
    elif step is StepId.NAMES:
        from tlsdoctor.reasons import reason_text

        for v in data.verdicts:
            mark = {"match": "✓", "no-match": "✗", "invalid": "!"}.get(v.verdict.value, "?")
            closest = _(" ← closest") if data.closest is v else ""
            out.append(f"{mark} {v.kind.value.upper():<5} {safe_text(v.value)}: {reason_text(v.reason, v.detail)}{closest}")
        if data.closest is not None and data.closest.labels and not data.matched:
            presented = ".".join(safe_text(l.presented or "∅") for l in data.closest.labels)
            wanted = ".".join(safe_text(l.reference or "∅") for l in data.closest.labels)
            marks = ".".join(("=" if l.same else "^") * max(len(l.presented or "∅"), 1) for l in data.closest.labels)
            out.append(_("label diff: {presented} vs {wanted}").format(presented=presented, wanted=wanted))
            out.append(" " * cell_len(_("label diff: ")) + marks)
        accepts = [c.client for c in data.clients if c.accepts]
        rejects = [c.client for c in data.clients if not c.accepts]
        out.append(_("clients that accept: {clients}").format(clients=", ".join(accepts) or _("none")))
        out.append(_("clients that reject: {clients}").format(clients=", ".join(rejects) or _("none")))
    elif step is StepId.CHAIN:
        for i, s in enumerate(data.presented):
            expiry = format_relative(s.not_after, now)
            out.append(
                _("#{i} {subject} (issuer {issuer}), expires {expiry}").format(
                    i=i, subject=safe_text(s.subject), issuer=safe_text(s.issuer), expiry=expiry
                )
            )
        for v in data.verdicts:
            verdict = _("trusted") if v.ok else _("not trusted: {error}").format(error=safe_text(v.error))
            out.append(_("store {store}: {verdict}").format(store=v.store, verdict=verdict))
    elif step is StepId.CLIENT:
        for line in getattr(data, "openssl_view", ()):
            out.append(safe_text(line))
        if getattr(data, "x5t_s256", None):
            out.append(f"x5t#S256: {data.x5t_s256}")
    return out


def _finding_line(f: Finding) -> str:
    line = f"[{_(SEVERITY_WORDS[f.severity])}] {f.code.value}: {finding_title(f.code)}"
    reasons = finding_reasons(f)
    if reasons:
        line += " (" + "; ".join(safe_text(r) for r in reasons) + ")"
    return line


def render_text(report: Report) -> str:
    now = report.at
    lines: list[str] = []
    if report.target is not None:
        t = report.target
        lines.append(_("tlsdoctor {version} — {host}:{port} — {when}").format(
            version=__version__, host=safe_text(t.display_host), port=t.port, when=format_datetime(report.at)
        ))
        lines.append("")
        for s in report.steps:
            if s.step is StepId.DIAGNOSIS:
                continue
            lines.append(f"{s.step.number}. {step_title(s.step)} [{status_label(s.status)}] {safe_text(step_summary(s))}")
            for ev in _evidence_lines(s, now):
                lines.append(f"     {ev}")
            for f in s.findings:
                lines.append(f"   {_finding_line(f)}")
        lines.append("")
    elif report.client or report.findings:
        lines.append(_("Recognised client: {client}").format(client=report.client or _("unknown")))
        for f in report.findings:
            lines.append(f"  {_finding_line(f)}")
            excerpt = f.evidence.get("excerpt")
            if excerpt:
                lines.append(f"     «{safe_text(excerpt)}»")
        lines.append("")
    else:
        lines.append(_("No known TLS error was recognised in this text."))
    lines.extend(_diagnosis_text(report))
    verdict = _("problem") if report.verdict == "problem" else _("ok")
    lines.append(_("Verdict: {verdict}").format(verdict=verdict))
    return "\n".join(lines) + "\n"


def _diagnosis_text(report: Report) -> list[str]:
    lines: list[str] = []
    if not report.diagnosis:
        return lines
    lines.append(f"{StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
    for i, d in enumerate(report.diagnosis[:5], 1):
        lines.append(
            _("  {i}) {id} {title} — score {score}, fix rate {fix}, confidence {conf}").format(
                i=i, id=d.kb_id, title=d.title, score=f"{d.score:.2f}", fix=format_percent(d.fix_rate), conf=format_percent(d.confidence)
            )
        )
        lines.append(_("     because: {codes}").format(codes=", ".join(d.because)))
        if i > 2:
            continue
        for w in d.workarounds:
            lines.append(_("     fix {rank} ({rate} success): {text}").format(rank=w.rank, rate=format_percent(w.success_rate), text=w.text))
            for c in w.commands:
                for cl in c.splitlines():
                    lines.append(f"         $ {safe_text(cl)}")
        for de in d.dead_ends:
            flag = _("DEAD END") if de.relevant else _("dead end")
            lines.append(_("     ⚠ {flag} ({rate} fail): {text}").format(flag=flag, rate=format_percent(de.fail_rate), text=de.text))
            if de.why:
                lines.append(_("         why: {why}").format(why=de.why))
    lines.append("")
    return lines


# --- Markdown --------------------------------------------------------------------------


def render_markdown(report: Report) -> str:
    now = report.at
    out: list[str] = []
    if report.target is not None:
        t = report.target
        out.append(f"# tlsdoctor: {md_text(t.display_host)}:{t.port}")
        out.append("")
        verdict = _("problem") if report.verdict == "problem" else _("ok")
        out.append(_("Checked {when} · verdict **{verdict}**").format(when=format_datetime(report.at), verdict=verdict))
        out.append("")
        out.append("| # | " + _("Step") + " | " + _("Status") + " | " + _("Summary") + " |")
        out.append("|---|---|---|---|")
        for s in report.steps:
            if s.step is StepId.DIAGNOSIS:
                continue
            out.append(f"| {s.step.number} | {step_title(s.step)} | {status_label(s.status)} | {md_text(step_summary(s))} |")
        out.append("")
        for s in report.steps:
            if s.step is StepId.DIAGNOSIS or (not s.findings and not _evidence_lines(s, now)):
                continue
            out.append(f"## {s.step.number}. {step_title(s.step)}")
            out.append("")
            evidence = _evidence_lines(s, now)
            if evidence:
                out.append("```text")
                out.extend(ev.replace("```", "ˋˋˋ") for ev in evidence)
                out.append("```")
                out.append("")
            for f in s.findings:
                reasons = finding_reasons(f)
                why = (" — " + "; ".join(md_text(r) for r in reasons)) if reasons else ""
                out.append(f"- **{_(SEVERITY_WORDS[f.severity])}** `{f.code.value}`: {finding_title(f.code)}{why}")
            out.append("")
    else:
        out.append("# tlsdoctor explain")
        out.append("")
        out.append(_("Recognised client: {client}").format(client=report.client or _("unknown")))
        out.append("")
        for f in report.findings:
            out.append(f"- `{f.code.value}`: {finding_title(f.code)}")
        out.append("")
    if report.diagnosis:
        out.append(f"## {StepId.DIAGNOSIS.number}. {step_title(StepId.DIAGNOSIS)}")
        out.append("")
        for i, d in enumerate(report.diagnosis[:5], 1):
            out.append(f"### {i}. {d.kb_id} — {md_text(d.title)}")
            out.append("")
            out.append(
                _("Fix rate {fix} · confidence {conf} · score {score} · because {codes}").format(
                    fix=format_percent(d.fix_rate), conf=format_percent(d.confidence), score=f"{d.score:.2f}",
                    codes=", ".join(f"`{c}`" for c in d.because),
                )
            )
            out.append("")
            if i > 2:
                continue
            for w in d.workarounds:
                out.append(_("{rank}. **{rate} success** — {text}").format(rank=w.rank, rate=format_percent(w.success_rate), text=w.text))
                if w.commands:
                    out.append("")
                    out.append("   ```bash")
                    out.extend("   " + safe_text(line).replace("```", "ˋˋˋ") for c in w.commands for line in c.splitlines())
                    out.append("   ```")
            out.append("")
            for de in d.dead_ends:
                mark = "⚠ " if de.relevant else ""
                out.append(_("> {mark}**Dead end ({rate} fail):** {text}").format(mark=mark, rate=format_percent(de.fail_rate), text=de.text))
                if de.why:
                    out.append("> " + _("Why: {why}").format(why=de.why))
                out.append("")
    return "\n".join(out).rstrip() + "\n"
