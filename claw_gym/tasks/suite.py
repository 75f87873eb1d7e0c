"""The catalog: every task of the suite as a TaskSpec, built from the families in envs/."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Iterable

from ..rng import derive_seed
from .family import Family
from .spec import TaskSpec


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    from claw_gym.envs import FAMILIES  # the task families live in envs/

    return {f.name: f for f in FAMILIES}


def _split_of(task_id: str) -> str:
    bucket = derive_seed("split", task_id) % 10
    return "test" if bucket == 8 else "heldout" if bucket == 9 else "train"


def _specs_of(f: Family) -> list[TaskSpec]:
    out = []
    for variant in f.variants:
        for n in range(f.tasks_per_variant):
            task_id = f"{f.name}-{variant}-{n:04d}"
            out.append(TaskSpec(task_id=task_id, family=f.name, difficulty=1 + n % 5, kind=f.kind,  # type: ignore[arg-type]
                                split=_split_of(task_id), services=tuple(sorted(f.services)),  # type: ignore[arg-type]
                                devices=f.devices, max_steps=f.max_steps, variant=variant, number=n, tags=f.tags))
    return out


@lru_cache(maxsize=1)
def all_specs() -> dict[str, TaskSpec]:
    return {s.task_id: s for f in families().values() for s in _specs_of(f)}


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
