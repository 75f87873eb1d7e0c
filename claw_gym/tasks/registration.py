"""How families reach the catalog: the suite's through a source, add-ons through :func:`register_family`.

The tasks layer never imports the families (``envs/``): the package's composition root
(``claw_gym/__init__.py``) hands it a *source*, a function returning the suite's families, called
the first time the catalog is read. Families outside the suite (the tutorial, a user's own) are
added with :func:`register_family` and taken out with :func:`unregister_family`. Both are explicit
and process-local; every view built from them (``suite.families()``, ``suite.all_specs()``) keys on
:func:`version`, which each registration bumps, so no cache is invalidated by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the composition root imports this module at `import claw_gym`
    from .family import Family
    from .spec import TaskSpec

SuiteSource = Callable[[], Iterable["Family"]]

_source: SuiteSource | None = None


@dataclass(frozen=True)
class AddOn:
    """A family registered outside the suite, with the split its tasks carry."""

    family: Family
    split: str
    specs: tuple[TaskSpec, ...]


_add_ons: dict[str, AddOn] = {}
_version = 0  # bumped by any registration
_suite_version = 0  # bumped when the suite's source changes


def set_suite_source(source: SuiteSource) -> None:
    """Install the function that lists the suite's families (the composition root calls this once)."""
    global _source, _version, _suite_version
    _source = source
    _version += 1
    _suite_version += 1


def suite_source() -> SuiteSource | None:
    """The installed suite source (a test swaps in another and puts this one back)."""
    return _source


def suite_families() -> dict[str, Family]:
    """The suite's families by name (each declares its own task count); imported on first use."""
    return _suite_families(_suite_version)


def suite_version() -> int:
    """Bumped when the suite's source changes: the key of the suite's plan and specs."""
    return _suite_version


@lru_cache(maxsize=1)
def _suite_families(suite_version: int) -> dict[str, Family]:
    if _source is None:
        raise RuntimeError("no suite families: `import claw_gym` installs them (claw_gym/__init__.py)")
    return {f.name: f for f in _source()}


def version() -> int:
    """Bumped by every registration: the key of every view that merges the suite and the add-ons."""
    return _version


def add_ons() -> dict[str, AddOn]:
    """The registered add-on families by name (a copy)."""
    return dict(_add_ons)


def add_on_specs(family: Family, split: str) -> tuple[TaskSpec, ...]:
    """Specs of a family on its own, outside the suite: ``count`` tasks dealt over its variants if it
    declares one, else ``tasks_per_variant`` per variant; all in ``split``, its own services plus the
    always-on ones."""
    from . import ambient, quota
    from .spec import TaskSpec

    n_variants = len(family.variants)
    per_variant = (
        quota.per_variant(family.count, n_variants)
        if family.count is not None
        else [family.tasks_per_variant] * n_variants
    )
    return tuple(
        TaskSpec(
            task_id=f"{family.name}-{v}-{n:04d}",
            family=family.name,
            kind=family.kind,  # type: ignore[arg-type]  # Family.kind is a plain str
            difficulty=quota.difficulty(n, i, len(family.variants)),
            split=split,  # type: ignore[arg-type]  # add-ons name their own splits
            services=tuple(sorted(set(family.services) | set(ambient.ALWAYS))),
            devices=family.devices,
            max_steps=family.max_steps,
            variant=v,
            number=n,
            tags=family.tags,
        )
        for i, v in enumerate(family.variants)
        for n in range(per_variant[i])
    )


def register_family(family: Family, split: str = "train") -> list[TaskSpec]:
    """Add a family outside the suite to this process's catalog; returns its task specs.

    Its tasks are ``<name>-<variant>-<nnnn>``: ``count`` of them dealt round-robin over the variants
    when the family declares one, else ``tasks_per_variant`` per variant; all in
    ``split`` (pick a split of your own, e.g. ``"tutorial"``, to keep them out of pools that
    sample ``"train"``). ``claw_gym.catalog(family=name)``, ``ClawEnv(task_id=...)`` and
    ``ClawEnv(family=name, split=split)`` then find them. Registering the same family again is a
    no-op; a different family under a suite family's or another add-on's name is an error.
    Worker processes (async vector envs) must register it too, e.g. from their env factory.
    """
    global _version
    taken = _add_ons.get(family.name)
    if taken is not None and taken.family is family and taken.split == split:
        return list(taken.specs)
    if taken is not None or family.name in suite_families():
        raise ValueError(f"a family named {family.name!r} is already in the catalog")
    _add_ons[family.name] = AddOn(family, split, add_on_specs(family, split))
    _version += 1
    return list(_add_ons[family.name].specs)


def unregister_family(name: str) -> list[TaskSpec]:
    """Take an add-on family out of this process's catalog (no-op if absent); returns its specs."""
    global _version
    gone = _add_ons.pop(name, None)
    if gone is None:
        return []
    _version += 1
    return list(gone.specs)
