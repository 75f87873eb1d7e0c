"""Stable task ids: a family's tasks depend on that family alone, and released splits never move.

A throwaway family (a copy of a small suite family under a new name, 7 tasks) is added to the
suite's source, and a family is taken out of it: every other family's specs and (on a sample of
tasks per family) content hashes stay exactly as they were. The v0 release's splits are frozen
(``claw_gym/data/splits-v0.json``); later tasks take theirs from a hash of their own id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import pytest

import claw_gym
from claw_gym.env import ClawEnv
from claw_gym.runs import manifest as manifest_run
from claw_gym.tasks import ambient, manifest, quota, registration, splits, suite
from claw_gym.tasks.family import Family

SUITE = dict(registration.suite_families())
SMALL = min(SUITE.values(), key=lambda f: (f.count or 0, f.name))  # the smallest family, copied
THROWAWAY = dataclasses.replace(SMALL, name="aa-throwaway", count=7)  # sorts first: nothing may shift
GONE = sorted(SUITE)[len(SUITE) // 2]  # a family from the middle, taken out


@contextmanager
def suite_of(families: Callable[[], Iterable[Family]]) -> Iterator[None]:
    """The catalog built from another suite source, then the original one again."""
    original = registration.suite_source()
    assert original is not None
    registration.set_suite_source(families)
    try:
        yield
    finally:
        registration.set_suite_source(original)


def specs() -> dict[str, dict]:
    return {t: manifest.plain_spec(s) for t, s in claw_gym.all_specs().items()}


def sample(ids: Iterable[str]) -> list[str]:
    """Two tasks per family (its first and its last id): the content hashes compared."""
    by_family: dict[str, list[str]] = {}
    for t in sorted(ids):
        by_family.setdefault(claw_gym.get_spec(t).family, []).append(t)
    return [t for fam_ids in by_family.values() for t in {fam_ids[0], fam_ids[-1]}]


@pytest.fixture(scope="module")
def before() -> tuple[dict[str, dict], dict[str, dict]]:
    """Every suite task's spec, and the manifest entries (spec and content hash) of the sample."""
    every = specs()
    return every, {e["task_id"]: e for e in manifest_run.compute(sample(every), workers=1)}


def test_adding_a_family_changes_no_other_family(before):
    old_specs, old_entries = before
    with suite_of(lambda: [*SUITE.values(), THROWAWAY]):
        new_specs = specs()
        mine = [t for t, s in new_specs.items() if s["family"] == THROWAWAY.name]
        assert {t: s for t, s in new_specs.items() if t not in mine} == old_specs
        assert [e for e in manifest_run.compute(sorted(old_entries), workers=1) if e != old_entries[e["task_id"]]] == []
        # the new family: its declared count, its splits from the hash of each id alone
        assert len(mine) == 7
        can_hold_out = ambient.heldout_service(THROWAWAY) is not None
        for t in mine:
            spec = new_specs[t]
            assert spec["split"] == splits.hashed_split(spec["family"], spec["variant"], spec["number"], can_hold_out)
        # ClawAnything-v0 samples train, the new family's train tasks too
        pool = ClawEnv().pool
        assert {s.split for s in pool} == {"train"}
        assert {s.task_id for s in pool if s.family == THROWAWAY.name} == {
            t for t in mine if new_specs[t]["split"] == "train"
        }
    assert specs() == old_specs  # the original source is back


def test_removing_a_family_changes_no_other_family(before):
    old_specs, old_entries = before
    with suite_of(lambda: [f for f in SUITE.values() if f.name != GONE]):
        new_specs = specs()
        assert new_specs == {t: s for t, s in old_specs.items() if s["family"] != GONE}
        kept = sorted(t for t in old_entries if old_specs[t]["family"] != GONE)[::4]
        assert [e for e in manifest_run.compute(kept, workers=1) if e != old_entries[e["task_id"]]] == []


def test_every_released_task_keeps_its_frozen_split():
    frozen = splits.frozen()
    released = frozen.ids()
    assert len(released) == 2000 and len(frozen.test) == len(frozen.heldout) == 200
    catalog = claw_gym.all_specs()
    missing = [t for t in released if t not in catalog]
    assert not missing, f"released ids left the catalog (a family's count went down?): {missing[:10]}"
    moved = [t for t in released if catalog[t].split != frozen.split_of(*_parts(t), t)]
    assert not moved, moved[:10]
    assert {t for t in released if catalog[t].split == "test"} == frozen.test
    assert {t for t in released if catalog[t].split == "heldout"} == frozen.heldout


def _parts(task_id: str) -> tuple[str, str, int]:
    spec = claw_gym.get_spec(task_id)
    return spec.family, spec.variant, spec.number


def test_later_tasks_split_by_their_id_alone():
    """About 82 / 9 / 9 over many ids; no held-out split for a family without a held-out service; every
    variant of 11+ tasks has test tasks, and a variant's test tasks are not all of one difficulty."""
    parts = [("zz-new", v, n) for v in ("base", "other", "third") for n in range(1000)]
    with_heldout = [splits.hashed_split(f, v, n, True) for f, v, n in parts]
    for name, share in (("train", 9 / 11), ("test", 1 / 11), ("heldout", 1 / 11)):
        assert abs(with_heldout.count(name) / len(parts) - share) < 0.01, name
    without = [splits.hashed_split(f, v, n, False) for f, v, n in parts]
    assert "heldout" not in without and without.count("test") == with_heldout.count("test")
    assert splits.split_of("zz-new", "base", 5, "zz-new-base-0005", True) == with_heldout[5]
    for fam in suite.families().values():
        for variant in fam.variants:
            first = [splits.hashed_split(fam.name, variant, n, False) for n in range(11)]
            assert "test" in first, (fam.name, variant)
    by_difficulty = {
        quota.difficulty(n, 0, 2) for n in range(60) if splits.hashed_split("zz-new", "base", n, False) == "test"
    }
    assert len(by_difficulty) == 5


def test_a_family_grown_past_its_release_keeps_its_released_splits():
    grown = dataclasses.replace(SMALL, count=(SMALL.count or 0) + 20)
    old = {s.task_id: s for s in suite.family_specs(SMALL)}
    new = {s.task_id: s for s in suite.family_specs(grown)}
    assert set(old) < set(new) and all(new[t] == s for t, s in old.items())
    can_hold_out = ambient.heldout_service(SMALL) is not None
    assert all(
        new[t].split == splits.hashed_split(t_spec.family, t_spec.variant, t_spec.number, can_hold_out)
        for t, t_spec in new.items()
        if t not in old
    )


def test_a_suite_family_without_a_count_is_a_clear_error():
    uncounted = dataclasses.replace(SMALL, name="aa-uncounted", count=None)
    clear = r"'aa-uncounted' declares no task count: add `count=<number of tasks>`"
    with suite_of(lambda: [*SUITE.values(), uncounted]), pytest.raises(ValueError, match=clear):
        claw_gym.all_specs()
    assert len(claw_gym.all_specs()) == sum(f.count or 0 for f in SUITE.values())
