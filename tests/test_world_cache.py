"""The world cache (``gym.make(..., world_cache=N)``, issue 17): a warm reset equals a cold one.

For one task of every family: the first reset is cold, the second (same task, same seed) warm,
restored from the cache after the first episode changed the world. The reset observation, every
observation of the oracle's episode (the screen by hash), the verdict and ``state_hash`` equal
those of an env without a cache; so does a do-nothing episode run on the warm world.
"""

from __future__ import annotations

import hashlib

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import envargs
from claw_gym.replay import finish_episode, replay_oracle
from claw_gym.tasks import families
from claw_gym.worldcache import WorldCache, entry_bytes

FAMILIES = list(families())


def _comparable(obs):
    return {
        k: (v.shape, hashlib.sha256(v.tobytes()).hexdigest()) if hasattr(v, "tobytes") else v for k, v in obs.items()
    }


def _oracle_episode(env):
    run = replay_oracle(env)
    return ([_comparable(o) for o in run.observations], run.info["verdict"], env.unwrapped.world.state_hash())


def _idle_episode(env):
    info = finish_episode(env, "Nothing to do.")
    return info["verdict"], env.unwrapped.world.state_hash()


def _task(family):
    return claw_gym.catalog(family=family, split=["train", "test", "heldout"])[0].task_id


def _first_difference(a, b):
    """Where two oracle episodes part (for the failure message)."""
    for i, (x, y) in enumerate(zip(a[0], b[0])):
        for k in x:
            if x[k] != y.get(k):
                return f"step {i}, {k}:\n{str(x[k])[:800]}\n---\n{str(y.get(k))[:800]}"
    return f"verdicts {a[1] == b[1]}, state hashes {a[2] == b[2]}"


@pytest.fixture
def patient_shell(monkeypatch):
    """The laptop's default command time limit is wall-clock time (10 s): on a machine shared by other
    test workers, a long oracle command (weekly-report pages through `claw` calls) can hit it in one
    episode and not the other. This test compares episodes, not the machine's load: give every
    command the longest limit (an output that does not time out does not mention the limit)."""
    from claw_gym.devices.laptop import laptop

    monkeypatch.setattr(laptop, "DEFAULT_TIMEOUT", laptop.MAX_TIMEOUT)


@pytest.mark.parametrize("family", FAMILIES)
def test_warm_reset_equals_cold_reset(family, patient_shell):
    task, seed = _task(family), 3
    cold = gym.make(f"ClawAnything/{task}-v0")
    cached = gym.make(f"ClawAnything/{task}-v0", world_cache=2)
    try:
        obs_cold, info_cold = cold.reset(seed=seed)
        oracle_cold = _oracle_episode(cold)
        cold.reset(seed=seed)
        idle_cold = _idle_episode(cold)

        obs1, info1 = cached.reset(seed=seed)  # cold: builds and keeps the world
        assert cached.unwrapped.world_cache.stats()["misses"] == 1
        assert _comparable(obs1) == _comparable(obs_cold) and info1 == info_cold
        first = _oracle_episode(cached)
        assert first == oracle_cold, _first_difference(oracle_cold, first)

        obs2, info2 = cached.reset(seed=seed)  # warm: the same world, restored after the oracle changed it
        assert cached.unwrapped.world_cache.stats()["hits"] == 1
        assert _comparable(obs2) == _comparable(obs_cold) and info2 == info_cold
        warm = _oracle_episode(cached)
        assert warm == oracle_cold, _first_difference(oracle_cold, warm)
        assert oracle_cold[1]["passed"]

        cached.reset(seed=seed)  # warm again: nothing of the oracle's episode is left
        assert _idle_episode(cached) == idle_cold
        assert not idle_cold[0]["passed"]
    finally:
        cold.close()
        cached.close()


def test_warm_reset_across_worlds_and_seeds_matches_cold():
    """Switching between cached worlds (each restores its own devices), with sampled seeds: every
    reset equals an uncached env's, and the env's own random draws follow the same sequence."""
    cold = gym.make("ClawAnything-v0")
    cached = gym.make("ClawAnything-v0", world_cache=3)
    try:
        for seed in (0, 1, 0, 2, 1, 0):
            a, _ = cold.reset(seed=seed)
            b, _ = cached.reset(seed=seed)
            assert _comparable(a) == _comparable(b)
            a = cold.step(A.api("help"))[0]
            b = cached.step(A.api("help"))[0]
            assert _comparable(a) == _comparable(b)
        for _ in range(4):  # seed=None: the env draws the world seed; cache or not, the same draws
            assert _comparable(cold.reset()[0]) == _comparable(cached.reset()[0])
        assert cached.unwrapped.world_cache.stats()["hits"] >= 3
    finally:
        cold.close()
        cached.close()


def test_a_warm_reset_leaves_the_envs_random_draws_alone():
    """A seedless reset that draws the seed of a cached world restores it; the env's next draws
    are still those of an uncached env (the snapshot's generator state is not put back)."""
    task = _task(FAMILIES[0])
    cold = gym.make(f"ClawAnything/{task}-v0")
    cold.reset(seed=9)
    cold.reset()
    drawn = cold.unwrapped.world.seed  # the seed a seedless reset draws after reset(seed=9)
    cached = gym.make(f"ClawAnything/{task}-v0", world_cache=4)
    cached.reset(seed=drawn)  # cold: kept, with the generator state of a reset seeded `drawn`
    cached.reset(seed=9)
    cached.reset()  # draws `drawn`: warm
    assert cached.unwrapped.world_cache.stats()["hits"] == 1
    for _ in range(3):
        cold.reset()
        cached.reset()
        assert cached.unwrapped.world.seed == cold.unwrapped.world.seed


def test_the_users_arrays_are_not_the_cached_ones():
    env = gym.make("ClawAnything-v0", world_cache=1)
    obs, _ = env.reset(seed=5)
    first = obs["screen"].copy()
    obs["screen"][:] = 0
    obs["ui"] = "scribbled"
    again, _ = env.reset(seed=5)
    assert np.array_equal(again["screen"], first) and again["ui"] != "scribbled"
    again["screen"][:] = 7
    assert np.array_equal(env.reset(seed=5)[0]["screen"], first)


def test_lru_bounded_by_count_and_budget():
    env = gym.make("ClawAnything-v0", world_cache=2).unwrapped
    for seed in (0, 1, 2):
        env.reset(seed=seed)
    cache = env.world_cache
    assert len(cache) == 2 and cache.stats()["misses"] == 3
    env.reset(seed=1)  # kept
    env.reset(seed=0)  # evicted (least recently used): built again
    assert cache.stats()["hits"] == 1 and cache.stats()["misses"] == 4
    size = entry_bytes(cache.get(next(iter(cache._entries))))
    assert size > 0
    small = WorldCache(10, budget_mb=2.5 * size / 2**20)  # room for two worlds of that size
    for k in range(4):
        small.put(k, cache.get(next(iter(cache._entries))))
    assert len(small) == 2 and small.nbytes <= small.budget and 3 in small and 0 not in small
    tiny = WorldCache(10, budget_mb=0.5 * size / 2**20)  # a world larger than the budget is not kept
    tiny.put("x", cache.get(next(iter(cache._entries))))
    assert len(tiny) == 0


def test_world_cache_keyword_is_checked():
    for bad, exc in ((-1, ValueError), (1.5, TypeError), ("4", TypeError), (True, TypeError)):
        with pytest.raises(exc, match="world_cache"):
            gym.make("ClawAnything-v0", world_cache=bad)
    envargs.check({"world_cache": None})
    envargs.check({"world_cache": 0})
    assert gym.make("ClawAnything-v0", world_cache=0).unwrapped.world_cache is None


def test_the_rl_stack_on_a_cached_env_sees_what_it_sees_without():
    """make_rl_env over a cached env: the same feature vectors, masks and rewards, warm or cold."""
    from claw_gym.wrappers import make_rl_env

    cached, plain = make_rl_env("ClawAnything-v0", world_cache=4), make_rl_env("ClawAnything-v0")
    rng = np.random.default_rng(0)
    for seed in (1, 2, 1, 1, 2):
        a, _ = cached.reset(seed=seed)
        b, _ = plain.reset(seed=seed)
        assert np.array_equal(a, b)
        for _ in range(5):
            mask = cached.get_wrapper_attr("action_masks")()
            assert np.array_equal(mask, plain.get_wrapper_attr("action_masks")())
            slot = int(rng.choice(np.flatnonzero(mask)))
            got, want = cached.step(slot), plain.step(slot)
            assert np.array_equal(got[0], want[0]) and got[1:4] == want[1:4]
            if got[2] or got[3]:
                break
    assert cached.unwrapped.world_cache.stats()["hits"] == 3
