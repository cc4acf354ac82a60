"""Every address tells its own story: the names and the chain of each address's certificate.

Behind round-robin DNS one node can serve a stale certificate; a client that
lands there fails even though the first address is fine. So each distinct
certificate (and each distinct chain) that an address presents to the SNI
client is judged like the first one, for the asked clients, and every address
gets its verdict (`AddressVerdict`). The findings of a certificate other than
the first carry the addresses that present it (`addresses`); on an address
only other clients reach (not this client's pin or hosts line) they are
context (`path.off_path`).

Pure: handshakes and trust anchors in, verdicts and findings out. No I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tlsdoctor.analysis.certinfo import load_der
from tlsdoctor.analysis.chain import ChainResult, analyse_chain
from tlsdoctor.analysis.clientset import weigh_for_clients, weigh_names
from tlsdoctor.analysis.fetch import leaf_subject
from tlsdoctor.analysis.names import AddressVerdict, NamesResult, check_names
from tlsdoctor.analysis.path import Road, off_path
from tlsdoctor.facts.tls import Handshake, SniMode
from tlsdoctor.facts.trust import TrustAnchors
from tlsdoctor.findings import Finding, Severity
from tlsdoctor.target import Target

MAX_JUDGED = 8  # distinct certificates (and chains) judged per walk: hostile DNS can return 32 nodes


@dataclass(frozen=True)
class Judged:
    """One certificate's (or chain's) result and its findings, weighed for the asked clients."""

    findings: tuple[Finding, ...]
    names: NamesResult | None = None
    chain: ChainResult | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


@dataclass(frozen=True)
class AddressJudgement:
    """The verdict per address, and the judged certificates by leaf SHA-256 and chains by their hashes."""

    rows: tuple[AddressVerdict, ...]
    handshakes: Mapping[str, Handshake]  # address → the SNI handshake judged there
    names: Mapping[str, Judged] = field(default_factory=dict)
    chains: Mapping[tuple[str, ...], Judged] = field(default_factory=dict)

    @property
    def every_address_fine(self) -> bool:
        """Every address that presented a certificate presents one that is right for the name."""
        judged = [r for r in self.rows if r.leaf_sha256 is not None]
        return bool(judged) and all(r.ok for r in judged)

    @property
    def path_fine(self) -> bool:
        """Every address on the client's own road that presented a certificate presents a right one."""
        judged = [r for r in self.rows if r.leaf_sha256 is not None and r.on_path]
        return bool(judged) and all(r.ok for r in judged)

    def addresses_of(self, handshake: Handshake, *, whole_chain: bool = False) -> list[str]:
        """The addresses presenting the same leaf (or the same whole chain) as `handshake`."""
        key = handshake.chain_sha256 if whole_chain else handshake.leaf_sha256
        return [a for a, h in self.handshakes.items() if (h.chain_sha256 if whole_chain else h.leaf_sha256) == key]


def sni_handshakes(handshakes: Sequence[Handshake]) -> dict[str, Handshake]:
    """Per address, the SNI handshake that carried a certificate (a completed one first), else its first SNI try."""
    out: dict[str, Handshake] = {}
    for h in sorted(handshakes, key=lambda h: not (h.ok and h.presented_chain)):
        if h.sni_mode is SniMode.SNI and (h.address not in out or (h.presented_chain and not out[h.address].presented_chain)):
            out[h.address] = h
    return {a: out[a] for a in dict.fromkeys(h.address for h in handshakes) if a in out}


def _judge_names(h: Handshake, target: Target, asked: Sequence[str]) -> Judged | None:
    try:
        leaf = load_der(h.presented_chain[0])
    except ValueError:
        return None
    names = check_names(leaf, target)
    matrix = {c.client: c.accepts for c in names.clients}
    return Judged(weigh_names(names.findings, matrix, asked, host=target.ascii_host), names=names)


def judge_addresses(
    handshakes: Sequence[Handshake],
    target: Target,
    used: Sequence[str],
    *,
    anchors: TrustAnchors,
    at: dt.datetime,
    asked: Sequence[str] = (),
) -> AddressJudgement:
    """Judge each distinct certificate and chain once; a verdict for every address."""
    per_address = sni_handshakes(handshakes)
    names: dict[str, Judged] = {}
    chains: dict[tuple[str, ...], Judged] = {}
    rows = []
    for address, h in per_address.items():
        on_path = address in used
        leaf_sha = h.leaf_sha256
        if leaf_sha is None:
            rows.append(AddressVerdict(address, on_path, error=h.error.value if h.error else None))
            continue
        if leaf_sha not in names and len(names) < MAX_JUDGED:
            judged = _judge_names(h, target, asked)
            if judged is not None:
                names[leaf_sha] = judged
        if h.chain_sha256 not in chains and len(chains) < MAX_JUDGED:
            result = analyse_chain(h.presented_chain, target=target, at=at, anchors=anchors)
            chains[h.chain_sha256] = Judged(weigh_for_clients(result.findings, asked), chain=result)
        name_j, chain_j = names.get(leaf_sha), chains.get(h.chain_sha256)
        result_names = name_j.names if name_j is not None else None
        errors = [f.code.value for j in (name_j, chain_j) if j is not None for f in j.findings if f.severity is Severity.ERROR]
        rows.append(
            AddressVerdict(
                address,
                on_path,
                leaf_sha256=leaf_sha,
                subject=leaf_subject(h),
                matched=result_names.matched if result_names is not None else None,
                ok=False if errors else (True if name_j is not None and chain_j is not None else None),
                closest=result_names.closest.value if result_names is not None and result_names.closest else None,
                problems=tuple(dict.fromkeys(errors)),
                rejected_by=tuple(c.client for c in result_names.clients if not c.accepts) if result_names else (),
            )
        )
    return AddressJudgement(tuple(rows), per_address, names, chains)


def _tagged(findings: Sequence[Finding], addresses: Sequence[str], extra: Mapping[str, object]) -> list[Finding]:
    return [replace(f, evidence={**f.evidence, "addresses": list(addresses), **extra}) for f in findings]


def _off_road(findings: list[Finding], addresses: Sequence[str], used: Sequence[str], road: Road) -> list[Finding]:
    """Findings of a certificate that only addresses off the client's road present: context."""
    if any(a in used for a in addresses):
        return findings
    return [off_path(f, road, others_fail=True) for f in findings]


def with_addresses(findings: Sequence[Finding], addresses: Sequence[str]) -> tuple[Finding, ...]:
    """The first certificate's findings, each error naming the addresses that present it."""
    return tuple(replace(f, evidence={**f.evidence, "addresses": list(addresses)}) if f.severity is Severity.ERROR else f for f in findings)


def other_findings(
    judgement: AddressJudgement, primary: Handshake, used: Sequence[str], road: Road, *, chain: bool
) -> list[Finding]:
    """The errors of every certificate (`chain` False) or chain (`chain` True) other than the first
    one's, each naming its addresses; context when only addresses off the client's road present it."""
    seen: set[object] = {primary.chain_sha256 if chain else primary.leaf_sha256}
    out: list[Finding] = []
    for h in judgement.handshakes.values():
        key = h.chain_sha256 if chain else h.leaf_sha256
        judged = judgement.chains.get(h.chain_sha256) if chain else judgement.names.get(h.leaf_sha256 or "")
        if key is None or key in seen or judged is None:
            continue
        seen.add(key)
        addresses = judgement.addresses_of(h, whole_chain=chain)
        errors = [f for f in judged.findings if f.severity is Severity.ERROR]
        out += _off_road(_tagged(errors, addresses, {"leaf_sha256": h.leaf_sha256, "subject": leaf_subject(h)}), addresses, used, road)
    return out
