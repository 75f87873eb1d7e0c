"""The catalog: every task as a TaskSpec, built from the registered families (:mod:`.registration`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..rng import derive_seed
from . import ambient, quota, registration
from .family import Family
from .spec import TaskSpec

SPLITS: dict[str, int] = {"train": 1600, "test": 200, "heldout": 200}
_MERGED: list[Any] = [None, None]  # [registration version, (families, specs)]


def families() -> dict[str, Family]:
    """Every family in the catalog: the suite's, then any registered add-ons (the tutorial)."""
    return _merged()[0]


def _merged() -> tuple[dict[str, Family], dict[str, TaskSpec]]:
    """The suite plus the add-ons, rebuilt when a registration changes :func:`registration.version`."""
    key = registration.version()
    if _MERGED[0] != key:
        fams, specs = dict(registration.suite_families()), dict(_suite_specs())
        for name, add in registration.add_ons().items():
            fams[name] = add.family
            specs.update((s.task_id, s) for s in add.specs)
        _MERGED[:] = [key, (fams, specs)]
    return _MERGED[1]


def suite_plan() -> quota.Plan:
    """The quotas of the suite's families (and whether the mix targets hold)."""
    return _plan(registration.suite_version())


@lru_cache(maxsize=1)
def _plan(suite_version: int) -> quota.Plan:
    return quota.plan(registration.suite_families().values(), sum(SPLITS.values()))


def _split_counts(quotas: dict[str, int]) -> dict[str, dict[str, int]]:
    """Test and held-out tasks per family, proportional to its quota, exact in total."""
    fams = registration.suite_families()
    can_hold = {n: q for n, q in quotas.items() if q and ambient.heldout_service(fams[n]) is not None}
    return {
        "heldout": quota.largest_remainder(can_hold, SPLITS["heldout"]),
        "test": quota.largest_remainder({n: q for n, q in quotas.items() if q}, SPLITS["test"]),
    }


def _family_specs(f: Family, count: int, n_heldout: int, n_test: int) -> list[TaskSpec]:
    ids = [
        (f"{f.name}-{v}-{n:04d}", i, v, n)
        for i, v in enumerate(f.variants)
        for n in range(quota.per_variant(count, len(f.variants))[i])
    ]
    # which tasks are held out / test: a fixed order of the family's ids by hash
    order = sorted(ids, key=lambda t: (derive_seed("split", t[0]), t[0]))
    split = {t[0]: "heldout" for t in order[:n_heldout]}
    split.update({t[0]: "test" for t in order[n_heldout : n_heldout + n_test]})
    out = []
    for task_id, i, v, n in ids:
        d = quota.difficulty(n, i, len(f.variants))
        sp = split.get(task_id, "train")
        out.append(
            TaskSpec(
                task_id=task_id,
                family=f.name,
                difficulty=d,
                kind=f.kind,  # type: ignore[arg-type]  # Family.kind is a str
                split=sp,  # type: ignore[arg-type]  # a str split
                services=ambient.world_services(f, task_id, d, sp == "heldout"),
                devices=f.devices,
                max_steps=f.max_steps,
                variant=v,
                number=n,
                tags=f.tags,
            )
        )
    return out


def _suite_specs() -> dict[str, TaskSpec]:
    """The suite's tasks: exactly 2,000, split 1,600 / 200 / 200."""
    return _suite_specs_of(registration.suite_version())


@lru_cache(maxsize=1)
def _suite_specs_of(suite_version: int) -> dict[str, TaskSpec]:
    plan = suite_plan()
    counts = _split_counts(plan.quotas)
    out: dict[str, TaskSpec] = {}
    for name, f in sorted(registration.suite_families().items()):
        for s in _family_specs(f, plan.quotas[name], counts["heldout"].get(name, 0), counts["test"].get(name, 0)):
            out[s.task_id] = s
    return out


def all_specs() -> dict[str, TaskSpec]:
    """Every task in the catalog by id: the suite's 2,000, then any registered add-on family's."""
    return _merged()[1]


def _as_set(value: Any) -> set[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value)


def catalog(
    *,
    family: Any = None,
    kind: Any = None,
    difficulty: Any = None,
    split: Any = None,
    device: Any = None,
    service: Any = None,
    tag: Any = None,
) -> list[TaskSpec]:
    """Task specs matching every given filter (each a value or a collection of values)."""
    fam, kinds, diffs, splits = _as_set(family), _as_set(kind), _as_set(difficulty), _as_set(split)
    devs, svcs, tags = _as_set(device), _as_set(service), _as_set(tag)
    if fam:
        unknown = fam - set(families())
        if unknown:
            raise ValueError(f"unknown family {sorted(unknown)}; families: {', '.join(families())}")
    return [
        s
        for s in all_specs().values()
        if (fam is None or s.family in fam)
        and (kinds is None or s.kind in kinds)
        and (diffs is None or s.difficulty in diffs)
        and (splits is None or s.split in splits)
        and (devs is None or devs & set(s.devices))
        and (svcs is None or svcs <= set(s.services))
        and (tags is None or tags & set(s.tags))
    ]


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
