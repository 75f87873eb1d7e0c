"""One way to change state: every change goes through the mechanism the observation's caches
key on, so ``obs["services"]`` always equals a summary computed with every cache cleared.

Played in every family (one task each): the oracle and a seeded random policy of valid-shaped
actions (API calls with ids from the world, taps on tappable elements, shell commands).
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import caches, observation
from claw_gym.devices.phone import script as S
from claw_gym.runs.sweep import random_actions
from claw_gym.tasks import families

ALL = list(families())


def fresh_services_text(env) -> str:
    """The services summary from scratch: process caches and every service's derived views
    emptied (and put back afterwards, so the episode's own caches are not refreshed by us)."""
    caches.clear_all()
    services = {n: s for n, s in env.world.services.items() if n != "events"}
    kept = {n: dict(s._derived) for n, s in services.items()}
    try:
        for s in services.values():
            s._derived.clear()
        text = "\n".join(s.summary() for s in services.values())
    finally:
        for n, s in services.items():
            s._derived.clear()
            s._derived.update(kept[n])
    return observation.bound(text, observation.LIMITS["services"])


def _play_checking(env, actions) -> int:
    steps = 0
    for a in actions:
        obs, _, terminated, truncated, _ = env.step(a)
        steps += 1
        assert obs["services"] == fresh_services_text(env), f"stale obs['services'] after step {steps}: {a}"
        if terminated or truncated:
            break
    return steps


@pytest.mark.parametrize("family", ALL)
def test_services_summary_is_never_stale(family):
    spec = claw_gym.catalog(family=family, split=["train", "test", "heldout"])[0]
    env = gym.make(spec.env_id).unwrapped
    try:
        obs, _ = env.reset(seed=0)
        assert obs["services"] == fresh_services_text(env)
        assert _play_checking(env, env.oracle_actions()) > 0
        env.reset(seed=0)
        assert _play_checking(env, random_actions(env, spec.task_id)) > 0
    finally:
        env.close()


def test_a_setting_changed_in_the_settings_app_shows_in_the_summary():
    env = gym.make(claw_gym.catalog(family="xdev-phone-link")[0].env_id).unwrapped
    try:
        obs, _ = env.reset(seed=0)
        assert "Bluetooth" not in obs["services"].split("on: ")[-1]
        for a in [*S.open_app("Settings"), S.tap("id/switch_bluetooth")]:
            obs, *_ = env.step(a)
        assert env.world.services["phone"].settings["bluetooth"]
        phone_line = next(line for line in obs["services"].splitlines() if line.startswith("phone:"))
        assert "Bluetooth" in phone_line.split("on: ")[-1], phone_line
    finally:
        env.close()


def test_a_setting_changed_through_the_api_changes_the_phone_service_version():
    env = gym.make(claw_gym.catalog(family="xdev-phone-link")[0].env_id).unwrapped
    try:
        env.reset(seed=0)
        phone = env.world.services["phone"]
        before = phone.version
        env.world.call("phone.set_setting", {"name": "bluetooth", "on": True}, source="gui")
        assert phone.version != before and phone.version == env.world.version
    finally:
        env.close()
