"""Episode resource limits: a cap on how much one episode can grow its world.

A policy stuck in a loop of ``notes.create`` or ``files.write`` would otherwise grow
memory without bound over a long episode (and across a vector env, the machine's).
The :class:`Budget` counts what agent calls added (records created, characters sent
into mutating calls). A mutating call that would send more characters than are left
is refused up front; once the record budget is spent, a mutating call runs against a
snapshot and is rolled back and refused if it created a record (edits and deletes
still work). Either way the error is clear and the world unchanged. Reads are never
refused.

Other doors charge the same budget: the laptop shell calls :meth:`Budget.charge`
for bytes written into files; every door through :meth:`World.call` is charged
automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .jsontree import strings
from .services.base import ServiceError


class LimitExceeded(ServiceError):
    """A mutating call refused because the episode's growth budget is spent."""


@dataclass(frozen=True)
class Limits:
    """Caps on what agent calls may add to one episode's world (``gym.make(..., limits=...)``); the laptop
    sandbox's process and size limits are another thing, :class:`claw_gym.devices.laptop.SandboxLimits`."""

    records: int = 5_000  # records agent calls may create per episode
    chars: int = 4_000_000  # characters agent calls may write per episode

    @classmethod
    def parse(cls, spec: Any) -> Limits:
        if spec is None:
            return cls()
        if isinstance(spec, Limits):
            return spec
        if not isinstance(spec, dict) or set(spec) - {"records", "chars"}:
            raise ValueError('limits must be a dict like {"records": 5000, "chars": 4000000}')
        for k, v in spec.items():
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"limits {k} must be a non-negative int")
        return cls(**spec)


def text_size(value: Any) -> int:
    """Characters of all strings (keys included) in a JSON-like tree."""
    return sum(len(s) for s in strings(value))


class Budget:
    """What this episode has used; a snapshot participant."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.records = 0
        self.chars = 0

    def check(self, args: Any) -> int:
        """Raise LimitExceeded if a mutating call with these args would write too much; return its size."""
        size = text_size(args)
        if self.chars + size > self.limits.chars:
            raise LimitExceeded(
                f"episode limit reached: this call would write {size} characters, "
                f"{self.limits.chars - self.chars} of the episode's {self.limits.chars} are left; "
                "nothing changed"
            )
        return size

    @property
    def records_spent(self) -> bool:
        return self.records >= self.limits.records

    def records_error(self) -> LimitExceeded:
        return LimitExceeded(
            f"episode limit reached: agent calls already created {self.records} records "
            f"(cap {self.limits.records}); nothing changed. Edit or delete records instead, "
            "or finish the episode"
        )

    def charge(self, records: int = 0, chars: int = 0) -> None:
        self.records += records
        self.chars += chars

    def snapshot(self) -> tuple[int, int]:
        return (self.records, self.chars)

    def restore(self, state: tuple[int, int]) -> None:
        self.records, self.chars = state


__all__ = ["Limits", "Budget", "LimitExceeded", "text_size"]
