"""Task counts: a family's tasks dealt over its variants and difficulties, and the suite's mix.

Each suite family declares its own task count (``Family.count``); nothing here decides counts.
:func:`per_variant` deals a family's count round-robin over its variants and :func:`difficulty`
deals difficulty 1-5 evenly, both from the family alone, so a task keeps its variant, number and
difficulty when its family grows and whatever other families do. The mix targets (proactive,
needing both devices, safety traps) are a reported figure over the declared counts
(:func:`mix`), checked by a test, not an allocator. Nothing here names a family: it reads kinds,
devices and tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .family import Family

#: Minimum share of the suite for each trait.
TARGETS: dict[str, float] = {"proactive": 0.30, "both-devices": 0.30, "safety-trap": 0.20}


def traits(f: Family) -> set[str]:
    """The mix traits a family's tasks carry (the same for all its tasks)."""
    out = set()
    if f.kind == "proactive":
        out.add("proactive")
    if {"laptop", "phone"} <= set(f.devices):
        out.add("both-devices")
    if "safety-trap" in f.tags:
        out.add("safety-trap")
    return out


def declared_count(f: Family) -> int:
    """A suite family's own task count; a family without one is an error that says what to add."""
    if f.count is None or f.count < 1:
        module = getattr(f.generate, "__module__", "") or "its module"
        where = f"envs/{module.rsplit('.', 1)[-1]}.py" if module.startswith(("envs.", "claw_gym.envs.")) else module
        raise ValueError(
            f"suite family {f.name!r} declares no task count: add `count=<number of tasks>` to "
            f"`FAMILY = Family(...)` in {where} (e.g. count={10 * len(f.variants)}, at least 10 per variant "
            "is usual); a family's count is its own, never derived from the others (docs/task-changes.md)"
        )
    return f.count


@dataclass
class Mix:
    """The suite's share of each trait over the declared counts, and the targets it misses."""

    shares: dict[str, float]
    short: dict[str, str] = field(default_factory=dict)  # trait -> why the target is not met

    @property
    def ok(self) -> bool:
        return not self.short


def mix(fams: Iterable[Family]) -> Mix:
    """The mix of ``fams`` at their declared counts, with every target it falls short of explained."""
    fams = sorted(fams, key=lambda f: f.name)
    counts = {f.name: declared_count(f) for f in fams}
    total = sum(counts.values())
    fam_traits = {f.name: traits(f) for f in fams}
    shares = {t: sum(c for n, c in counts.items() if t in fam_traits[n]) / total if total else 0.0 for t in TARGETS}
    short = {}
    for t, target in TARGETS.items():
        if shares[t] < target:
            carriers = sorted(n for n in counts if t in fam_traits[n])
            short[t] = (
                f"{shares[t]:.1%} of tasks are {t}, target {target:.0%}; families with it ({len(carriers)}): "
                f"{', '.join(carriers) or 'none'}"
            )
    return Mix(shares, short)


def per_variant(count: int, n_variants: int) -> list[int]:
    """A family's count dealt round-robin over its variants (counts differ by at most one)."""
    return [count // n_variants + (1 if v < count % n_variants else 0) for v in range(n_variants)]


def difficulty(number: int, variant_index: int, n_variants: int) -> int:
    """Difficulty 1-5 of task ``number`` of a variant: dealt round-robin over the whole family, so
    each family's difficulties are even (counts differ by at most one), and a task keeps its
    difficulty when its family's count changes."""
    if n_variants % 5:
        return 1 + (number * n_variants + variant_index) % 5
    return 1 + (number + variant_index) % 5
