"""Families reach the catalog by registration: the suite's from the composition root, add-ons
through ``claw_gym.tasks.register_family`` (no writes into cached dicts)."""

from __future__ import annotations

import dataclasses

import pytest

import claw_gym
from claw_gym.env import ClawEnv
from claw_gym.envs.tutorial import FAMILY as TUTORIAL
from claw_gym.tasks import register_family, registration, suite, unregister_family

ADDON = dataclasses.replace(TUTORIAL, name="addon-todo", tasks_per_variant=3)


@pytest.fixture
def addon():
    specs = register_family(ADDON, split="addon")
    yield specs
    unregister_family(ADDON.name)


def test_an_add_on_family_joins_the_catalog_and_leaves_it(addon):
    assert [s.task_id for s in addon] == ["addon-todo-tick-0000", "addon-todo-tick-0001", "addon-todo-tick-0002"]
    assert {s.split for s in addon} == {"addon"}
    assert claw_gym.catalog(family="addon-todo") == addon and suite.families()["addon-todo"] is ADDON
    assert claw_gym.get_spec("addon-todo-tick-0001") == addon[1]
    unregister_family(ADDON.name)
    assert "addon-todo" not in suite.families() and "addon-todo-tick-0001" not in claw_gym.all_specs()
    with pytest.raises(ValueError, match="unknown family"):
        claw_gym.catalog(family="addon-todo")


def test_an_add_on_leaves_the_suite_alone(addon):
    """The suite's tasks, splits and default pool do not see add-ons."""
    n_suite = sum(f.count or 0 for f in registration.suite_families().values())
    assert len(claw_gym.catalog(split=list(suite.SPLITS))) == n_suite
    assert len(claw_gym.all_specs()) == n_suite + len(addon)
    assert not [s for s in ClawEnv().pool if s.family == ADDON.name]


def test_an_add_on_may_declare_its_count():
    """``count`` is dealt round-robin over the variants; without it, ``tasks_per_variant`` each."""
    two = dataclasses.replace(TUTORIAL, name="addon-count", variants=("a", "b"), count=5)
    specs = register_family(two, split="addon")
    try:
        assert [s.task_id for s in specs] == [
            "addon-count-a-0000",
            "addon-count-a-0001",
            "addon-count-a-0002",
            "addon-count-b-0000",
            "addon-count-b-0001",
        ]
        assert sorted({s.difficulty for s in specs}) == [1, 2, 3, 4, 5]
    finally:
        unregister_family(two.name)
    plain = registration.add_on_specs(dataclasses.replace(two, count=None, tasks_per_variant=2), "addon")
    assert [s.task_id for s in plain] == [
        "addon-count-a-0000",
        "addon-count-a-0001",
        "addon-count-b-0000",
        "addon-count-b-0001",
    ]


def test_registering_is_idempotent_and_names_are_unique(addon):
    version = registration.version()
    assert register_family(ADDON, split="addon") == addon and registration.version() == version
    with pytest.raises(ValueError, match="already in the catalog"):
        register_family(ADDON, split="train")  # same name, another split
    with pytest.raises(ValueError, match="already in the catalog"):
        register_family(dataclasses.replace(TUTORIAL, name=next(iter(registration.suite_families()))))
    assert unregister_family("no-such-family") == []


def test_an_add_on_task_plays_through_its_oracle(addon):
    env = ClawEnv(family=ADDON.name, split="addon")
    try:
        env.reset(seed=3)
        assert env.task.family == ADDON.name
        for action in env.oracle_actions():
            _, reward, terminated, _, info = env.step(action)
        assert terminated and info["verdict"]["passed"] and reward > 0
    finally:
        env.close()
