"""The audit log: every call that reached a service, from any door, with its outcome.

Checkers read it for safety ("the phishing invoice was never paid") and for process
("the agent recovered from a failed call"); it is never part of the observation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    time: int
    source: str  # "api", "shell", "gui"
    call: str  # "mail.send"
    args: dict[str, Any]
    ok: bool
    error: str | None = None


@dataclass
class AuditLog:
    entries: list[AuditEntry] = field(default_factory=list)

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def calls(self, call: str | None = None, *, ok: bool | None = True) -> list[AuditEntry]:
        """Entries for ``call`` (all calls if None); by default only the successful ones."""
        return [e for e in self.entries if (call is None or e.call == call) and (ok is None or e.ok == ok)]

    def snapshot(self) -> tuple[AuditEntry, ...]:
        return tuple(self.entries)  # entries are frozen: a shallow copy is a true copy

    def restore(self, state: tuple[AuditEntry, ...]) -> None:
        self.entries[:] = state

    def __len__(self) -> int:
        return len(self.entries)
