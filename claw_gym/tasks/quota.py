"""How many tasks each family gets, so the suite is exactly 2,000 tasks with the mix it promises.

Every family's share starts from its size (the square root of its variant count, times an
optional declared ``Family.weight``). If the mix falls short of a target (proactive,
needing both devices, safety traps), the families that carry the missing trait are boosted,
a little at a time and never beyond :data:`MAX_BOOST`, until every target holds. Shares are
turned into whole tasks by largest-remainder rounding, so the total is exact for any family set.
Nothing here names a family: it reads kinds, devices and tags.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .family import Family

TOTAL = 2000
#: Minimum share of the suite for each trait.
TARGETS: dict[str, float] = {"proactive": 0.30, "both-devices": 0.30, "safety-trap": 0.20}
MAX_BOOST = 3.0  # no family gets more than 3x its plain share to fix the mix
_STEP = 1.02


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


def base_weight(f: Family) -> float:
    return math.sqrt(max(1, len(f.variants))) * float(f.weight)


def largest_remainder(weights: Mapping[str, float], total: int) -> dict[str, int]:
    """Whole numbers proportional to ``weights`` that sum to ``total`` exactly (ties by name)."""
    if total == 0 or not weights:
        return dict.fromkeys(weights, 0)
    w_sum = sum(weights.values())
    if w_sum <= 0:
        raise ValueError("weights must have a positive sum")
    exact = {k: total * w / w_sum for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(out.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))[:left]:
        out[k] += 1
    return out


@dataclass
class Plan:
    quotas: dict[str, int]
    boosts: dict[str, float]
    shares: dict[str, float]  # trait -> share of the suite
    short: dict[str, str] = field(default_factory=dict)  # trait -> why the target is not met

    @property
    def ok(self) -> bool:
        return not self.short


def _shares(quotas: dict[str, int], fam_traits: dict[str, set[str]], total: int) -> dict[str, float]:
    return {t: sum(q for n, q in quotas.items() if t in fam_traits[n]) / total for t in TARGETS}


def plan(fams: Iterable[Family], total: int = TOTAL) -> Plan:
    """Quotas for ``fams`` summing to ``total``, boosted (bounded) until the mix targets hold."""
    fams = sorted(fams, key=lambda f: f.name)
    base = {f.name: base_weight(f) for f in fams}
    fam_traits = {f.name: traits(f) for f in fams}
    boost = dict.fromkeys(base, 1.0)
    for _ in range(400):
        quotas = largest_remainder({n: base[n] * boost[n] for n in base}, total)
        shares = _shares(quotas, fam_traits, total)
        missing = [t for t, target in TARGETS.items() if shares[t] < target]
        if not missing:
            break
        moved = False
        for n in base:
            factor = _STEP ** sum(t in fam_traits[n] for t in missing)
            if factor > 1 and boost[n] < MAX_BOOST:
                boost[n] = min(MAX_BOOST, boost[n] * factor)
                moved = True
        if not moved:
            break
    short = {}
    for t, target in TARGETS.items():
        if shares[t] < target:
            carriers = sorted(n for n in base if t in fam_traits[n])
            short[t] = (
                f"{shares[t]:.1%} of tasks are {t}, target {target:.0%}, even with weights up to "
                f"{MAX_BOOST:g}x; families with it ({len(carriers)}): {', '.join(carriers) or 'none'}"
            )
    return Plan(quotas, {n: round(b, 4) for n, b in boost.items()}, shares, short)


def per_variant(quota: int, n_variants: int) -> list[int]:
    """A family's quota dealt round-robin over its variants (counts differ by at most one)."""
    return [quota // n_variants + (1 if v < quota % n_variants else 0) for v in range(n_variants)]


def difficulty(number: int, variant_index: int, n_variants: int) -> int:
    """Difficulty 1-5 of task ``number`` of a variant: dealt round-robin over the whole family, so
    each family's difficulties are even (counts differ by at most one), and a task keeps its
    difficulty when quotas change."""
    if n_variants % 5:
        return 1 + (number * n_variants + variant_index) % 5
    return 1 + (number + variant_index) % 5
