"""The catalog: every task as a TaskSpec, built from the registered families (:mod:`.registration`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from . import ambient, quota, registration, splits
from .family import Family
from .spec import TaskSpec

SPLITS = splits.SPLITS  # the suite's splits: train, test, heldout
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


def suite_mix() -> quota.Mix:
    """The suite's mix over the families' declared counts (and the targets it misses)."""
    return quota.mix(registration.suite_families().values())


def family_specs(f: Family) -> list[TaskSpec]:
    """A suite family's tasks, from the family alone: its declared count dealt over its variants,
    difficulty by number, split by id (:mod:`.splits`), ambient services by id (:mod:`.ambient`)."""
    count = quota.declared_count(f)
    can_hold_out = ambient.heldout_service(f) is not None
    out = []
    for i, v in enumerate(f.variants):
        for n in range(quota.per_variant(count, len(f.variants))[i]):
            task_id = f"{f.name}-{v}-{n:04d}"
            d = quota.difficulty(n, i, len(f.variants))
            sp = splits.split_of(f.name, v, n, task_id, can_hold_out)
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
    """The suite's tasks: each family's declared count, nothing shared between families."""
    return _suite_specs_of(registration.suite_version())


@lru_cache(maxsize=1)
def _suite_specs_of(suite_version: int) -> dict[str, TaskSpec]:
    out: dict[str, TaskSpec] = {}
    for _, f in sorted(registration.suite_families().items()):
        for s in family_specs(f):
            out[s.task_id] = s
    return out


def all_specs() -> dict[str, TaskSpec]:
    """Every task in the catalog by id: the suite's, then any registered add-on family's."""
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
