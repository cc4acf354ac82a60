"""Facts of reading the hosts file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostsFile:
    path: str
    text: str | None  # None when it could not be read
    error_detail: str | None = None
    truncated: bool = False

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "readable": self.text is not None, "error_detail": self.error_detail,
                "truncated": self.truncated}
