"""The catalog: every task of the suite as a TaskSpec, built from the families in envs/."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..rng import derive_seed
from . import ambient, quota
from .family import Family
from .spec import TaskSpec


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    from claw_gym.envs import FAMILIES  # the task families live in envs/

    return {f.name: f for f in FAMILIES}


SPLITS: dict[str, int] = {"train": 1600, "test": 200, "heldout": 200}


def _specs_of(f: Family) -> list[TaskSpec]:
    """Specs of one family on its own (outside the suite's quotas): ``tasks_per_variant`` per
    variant, all train, its own services only. Used by add-on families such as the tutorial."""
    return [TaskSpec(task_id=f"{f.name}-{v}-{n:04d}", family=f.name, kind=f.kind,  # type: ignore[arg-type]  # Family.kind is a str
                     difficulty=quota.difficulty(n, i, len(f.variants)), split="train",
                     services=tuple(sorted(set(f.services) | set(ambient.ALWAYS))), devices=f.devices,
                     max_steps=f.max_steps, variant=v, number=n, tags=f.tags)
            for i, v in enumerate(f.variants) for n in range(f.tasks_per_variant)]


@lru_cache(maxsize=1)
def suite_plan() -> quota.Plan:
    """The quotas of the current families (and whether the mix targets hold)."""
    return quota.plan(families().values(), sum(SPLITS.values()))


def _split_counts(quotas: dict[str, int]) -> dict[str, dict[str, int]]:
    """Test and held-out tasks per family, proportional to its quota, exact in total."""
    fams = families()
    can_hold = {n: q for n, q in quotas.items() if q and ambient.heldout_service(fams[n]) is not None}
    return {"heldout": quota.largest_remainder(can_hold, SPLITS["heldout"]),
            "test": quota.largest_remainder({n: q for n, q in quotas.items() if q}, SPLITS["test"])}


def _family_specs(f: Family, count: int, n_heldout: int, n_test: int) -> list[TaskSpec]:
    ids = [(f"{f.name}-{v}-{n:04d}", i, v, n) for i, v in enumerate(f.variants)
           for n in range(quota.per_variant(count, len(f.variants))[i])]
    # which tasks are held out / test: a fixed order of the family's ids by hash
    order = sorted(ids, key=lambda t: (derive_seed("split", t[0]), t[0]))
    split = {t[0]: "heldout" for t in order[:n_heldout]}
    split.update({t[0]: "test" for t in order[n_heldout:n_heldout + n_test]})
    out = []
    for task_id, i, v, n in ids:
        d = quota.difficulty(n, i, len(f.variants))
        sp = split.get(task_id, "train")
        out.append(TaskSpec(task_id=task_id, family=f.name, difficulty=d, kind=f.kind,  # type: ignore[arg-type]  # Family.kind is a str
                            split=sp, services=ambient.world_services(f, task_id, d, sp == "heldout"),  # type: ignore[arg-type]  # a str split
                            devices=f.devices, max_steps=f.max_steps, variant=v, number=n, tags=f.tags))
    return out


@lru_cache(maxsize=1)
def all_specs() -> dict[str, TaskSpec]:
    """Every task of the suite: exactly 2,000, split 1,600 / 200 / 200."""
    plan = suite_plan()
    counts = _split_counts(plan.quotas)
    out: dict[str, TaskSpec] = {}
    for name, f in sorted(families().items()):
        for s in _family_specs(f, plan.quotas[name], counts["heldout"].get(name, 0), counts["test"].get(name, 0)):
            out[s.task_id] = s
    return out


def _as_set(value: Any) -> set[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value)


def catalog(*, family: Any = None, kind: Any = None, difficulty: Any = None, split: Any = None,
            device: Any = None, service: Any = None, tag: Any = None) -> list[TaskSpec]:
    """Task specs matching every given filter (each a value or a collection of values)."""
    fam, kinds, diffs, splits = _as_set(family), _as_set(kind), _as_set(difficulty), _as_set(split)
    devs, svcs, tags = _as_set(device), _as_set(service), _as_set(tag)
    if fam:
        unknown = fam - set(families())
        if unknown:
            raise ValueError(f"unknown family {sorted(unknown)}; families: {', '.join(families())}")
    return [s for s in all_specs().values()
            if (fam is None or s.family in fam) and (kinds is None or s.kind in kinds)
            and (diffs is None or s.difficulty in diffs) and (splits is None or s.split in splits)
            and (devs is None or devs & set(s.devices)) and (svcs is None or svcs <= set(s.services))
            and (tags is None or tags & set(s.tags))]


def get_spec(task_id: str) -> TaskSpec:
    specs = all_specs()
    if task_id not in specs:
        close = difflib.get_close_matches(task_id, list(specs), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown task {task_id!r}{hint}")
    return specs[task_id]


def family_of(spec: TaskSpec) -> Family:
    return families()[spec.family]


def ids(specs: Iterable[TaskSpec]) -> list[str]:
    return [s.task_id for s in specs]
