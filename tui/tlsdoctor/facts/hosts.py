"""Facts of reading the hosts file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostsFile:
    path: str
    text: str | None  # None when it could not be read
    error_detail: str | None = None  # what could not be read, one line
    truncated: bool = False  # only the first 4 MB were read
    missing: bool = False  # there is no file at that path (nothing overrides DNS then)

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "readable": self.text is not None, "error_detail": self.error_detail,
                "truncated": self.truncated, "missing": self.missing}
