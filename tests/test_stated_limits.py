"""Every task of these proactive families states the time it is judged at, and acting just before it passes.

tests/test_stated_deadlines.py reads the first task of each family at difficulty 1 and 5. Here every
difficulty and variant of the families whose limit is phrased from the trigger time (issue 21) is
read, at seeds 0 and 1: what arrives with the trigger names a limit, and the checker judges exactly
then (not earlier, so the last stated minute still counts; not later, so the limit is no bluff).
supplier-invoice is a day of arrivals, each with its own limit: its trigger (a colleague's chat line)
names the invoice's pay-by time, and the day is judged once every arrival's limit has passed.
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.replay import finish_episode
from claw_gym.tasks import families
from tests.test_stated_deadlines import SPLITS, content_texts, stated_times

#: the trigger names the judging time itself
COINCIDE = [
    "phone-setting-notification",
    "ticket-deal-risk",
    "venue-cancel",
    "vip-ticket",
    "xdev-missed-call",
    "xdev-phone-link",
    "xdev-signin-approve",
]
DAY = ["supplier-invoice"]


def _one_per_level_and_variant(family: str) -> list[str]:
    seen: dict[tuple[int, str], str] = {}
    for spec in claw_gym.catalog(family=family, split=SPLITS):
        seen.setdefault((spec.difficulty, spec.variant), spec.task_id)
    return [seen[k] for k in sorted(seen)]


def _limits(env: gym.Env) -> tuple[int, list[int]]:
    """The trigger time and the stated limits after it, up to the judging time."""
    sc = env.unwrapped.scenario
    t0 = sc.facts["trigger_at"]
    times = stated_times(content_texts(env), t0)
    return t0, sorted(t for t in times if t0 < t <= sc.deadline + clock.MINUTE)


@pytest.mark.parametrize("family", COINCIDE + DAY)
def test_every_level_and_variant_is_judged_at_a_limit_its_trigger_states(family):
    tasks = _one_per_level_and_variant(family)
    assert len(tasks) >= 5
    for task_id in tasks:
        for seed in (0, 1):
            env = gym.make(f"ClawAnything/{task_id}-v0", screen=False)
            try:
                env.reset(seed=seed)
                sc = env.unwrapped.scenario
                t0, limits = _limits(env)
                where = f"{task_id} seed {seed}: trigger {clock.fmt(t0)}, judged {clock.fmt(sc.deadline)}"
                assert limits, f"{where}; no limit stated"
                assert sc.deadline - t0 >= 2 * clock.HOUR, where  # the documented floor holds
                if family in COINCIDE:
                    assert sc.deadline == limits[-1], f"{where}; stated {[clock.fmt(t) for t in limits]}"
                else:
                    assert sc.facts["pay_by"] in limits, f"{where}; the chat line names the invoice's time"
            finally:
                env.close()


@pytest.mark.parametrize("difficulty", [1, 5])
@pytest.mark.parametrize("family", COINCIDE + DAY)
def test_acting_just_before_the_stated_limit_passes(family, difficulty):
    spec = claw_gym.catalog(family=family, split=SPLITS, difficulty=difficulty)[0]
    env = gym.make(spec.env_id, screen=False)
    try:
        env.reset(seed=0)
        u = env.unwrapped
        _, limits = _limits(env)
        env.step(A.wait(limits[0] - 10 * clock.MINUTE - u.world.clock.now, wake=False))
        # the family's own solution from here (its waits for arrivals already past are dropped)
        steps = [a for a in families()[family].oracle(u.world, u.scenario.facts) if '"seconds": -' not in a]
        info: dict = {}
        for action in steps:
            _, _, terminated, truncated, info = env.step(action)
            if terminated or truncated:
                break
        else:
            info = finish_episode(env)
        failed = [c["name"] for c in info["verdict"]["checks"] if not c["passed"]]
        assert info["verdict"]["passed"], failed
    finally:
        env.close()
