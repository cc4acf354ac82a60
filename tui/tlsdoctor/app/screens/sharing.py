"""Screen sharing (`x`): the walk screen's redaction, one mapping per screen so the same name keeps
its placeholder; what the screen shows, exports and copies goes through it while the mode is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlsdoctor.redact import Redaction, Redactor, redaction_for, user_files

from ..display import set_display_filter

if TYPE_CHECKING:
    from tlsdoctor.request import WalkOptions

    from ..state import WalkState


class Sharing:
    """Mixin of the walk screen: its redactor and the names it learns from."""

    options: WalkOptions
    state: WalkState
    redactor: Redactor | None

    def _redaction(self) -> Redactor:
        """This screen's redactor: the same name keeps its placeholder for the screen's life."""
        if self.redactor is None:
            self.redactor = Redactor()
        return self.redactor

    def _names_data(self) -> list[object]:
        """What the redaction learns its names from: the target, every step result, the path taken and
        the question being asked (its hosts line or addresses come before their step's result)."""
        asking = self.state.asking
        question = [[e.value for e in asking.evidence], [c.detail for c in asking.choices]] if asking is not None else []
        return [
            user_files(self.options),
            self.options.target.to_json(),
            *(r.to_json() for r in self.state.results.values()),
            *(a.to_json() for a in self.state.path),
            *question,
        ]

    def _update_redaction(self) -> None:
        """Point the widgets' display filter at this walk's names (or clear it)."""
        if not self.state.redact:
            set_display_filter(None)
            return
        set_display_filter(redaction_for(self._names_data(), self._redaction()))

    def redaction(self) -> Redaction | None:
        """What exports and copies are redacted with while screen-sharing mode is on (the screen's mapping)."""
        return redaction_for(self._names_data(), self._redaction()) if self.state.redact else None

