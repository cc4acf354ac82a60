"""The knowledge base: what a senior engineer knows about each root cause, ranked against findings.

Entries are data (`knowledge/<ID>.json`, English and Chinese side by side,
described by `knowledge/schema.json` and checked by `scripts/check_knowledge.py`).
The package only loads, ranks and renders them:

- `model`    the typed entry (frozen dataclasses), KnowledgeError
- `load`     reading the JSON files (repo `knowledge/` or the wheel's `tlsdoctor/knowledge_data`)
- `commands` filling command templates with shell-quoted real names (CommandContext)
- `rank`     `diagnose(findings)`: entries ranked for this target, best first
- `render`   `render_kb`: `tlsdoctor kb` as Markdown, JSON or text

Nothing here does network I/O, reads the clock or imports textual/rich. This
file only re-exports the public names, each loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tlsdoctor.knowledge.commands import (
        EXAMPLE_CONTEXT,
        PLACEHOLDERS,
        CommandContext,
        render_command,
    )
    from tlsdoctor.knowledge.load import (
        FIELDS,
        get_entry,
        knowledge_dir,
        load_entry_file,
        load_knowledge,
        load_knowledge_dir,
    )
    from tlsdoctor.knowledge.model import (
        LANGS,
        Compatibility,
        DeadEnd,
        DocLink,
        Entry,
        FixStep,
        KnowledgeBase,
        KnowledgeError,
        LangText,
        Workaround,
    )
    from tlsdoctor.knowledge.rank import (
        Diagnosis,
        RankedDeadEnd,
        RenderedWorkaround,
        diagnose,
        diagnosis_for,
        score_entry,
    )
    from tlsdoctor.knowledge.render import entry_to_json, render_kb

_WHERE = {  # public name → the module that defines it
    "CommandContext": "commands",
    "Compatibility": "model",
    "DeadEnd": "model",
    "Diagnosis": "rank",
    "DocLink": "model",
    "EXAMPLE_CONTEXT": "commands",
    "Entry": "model",
    "FIELDS": "load",
    "FixStep": "model",
    "KnowledgeBase": "model",
    "KnowledgeError": "model",
    "LANGS": "model",
    "LangText": "model",
    "PLACEHOLDERS": "commands",
    "RankedDeadEnd": "rank",
    "RenderedWorkaround": "rank",
    "Workaround": "model",
    "diagnose": "rank",
    "diagnosis_for": "rank",
    "entry_to_json": "render",
    "get_entry": "load",
    "knowledge_dir": "load",
    "load_entry_file": "load",
    "load_knowledge": "load",
    "load_knowledge_dir": "load",
    "render_command": "commands",
    "render_kb": "render",
    "score_entry": "rank",
}


def __getattr__(name: str) -> Any:
    """Each name is imported from its module when first asked for (PEP 562): `check` ranks
    findings with `rank` alone, and a healthy run loads no entry at all (issue 13)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "EXAMPLE_CONTEXT",
    "FIELDS",
    "LANGS",
    "PLACEHOLDERS",
    "CommandContext",
    "Compatibility",
    "DeadEnd",
    "Diagnosis",
    "DocLink",
    "Entry",
    "FixStep",
    "KnowledgeBase",
    "KnowledgeError",
    "LangText",
    "RankedDeadEnd",
    "RenderedWorkaround",
    "Workaround",
    "diagnose",
    "diagnosis_for",
    "entry_to_json",
    "get_entry",
    "knowledge_dir",
    "load_entry_file",
    "load_knowledge",
    "load_knowledge_dir",
    "render_command",
    "render_kb",
    "score_entry",
]
