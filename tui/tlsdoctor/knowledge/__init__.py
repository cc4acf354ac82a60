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
file only re-exports the public names.
"""

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
