"""Playing a row: a policy over menu slots, or the oracle, on fixed (task, seed) pairs.

A policy is ``policy(features, mask) -> slot``. Every row plays the same pairs in the same env
stack, so rows differ only in how they choose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np

from claw_gym.replay import replay_oracle
from claw_gym.tasks import TaskSpec

from .envs import menu_of

Policy = Callable[[np.ndarray, np.ndarray], int]


def record(spec: TaskSpec, seed: int, passed: bool, steps: int) -> dict[str, Any]:
    """One episode's line in the results."""
    return {
        "task_id": spec.task_id,
        "seed": seed,
        "family": spec.family,
        "kind": spec.kind,
        "difficulty": spec.difficulty,
        "devices": list(spec.devices),
        "split": spec.split,
        "passed": bool(passed),
        "steps": steps,
    }


def play(env: gym.Env, policy: Policy, pairs: list[tuple[TaskSpec, int]]) -> list[dict[str, Any]]:
    """One episode of ``policy`` per pair."""
    out = []
    masks = menu_of(env).action_masks
    for spec, seed in pairs:
        obs, info = env.reset(seed=seed, options={"task_id": spec.task_id})
        done, steps = False, 0
        while not done:
            obs, _, terminated, truncated, info = env.step(policy(obs, masks()))
            steps += 1
            done = terminated or truncated
        out.append(record(spec, seed, info.get("verdict", {}).get("passed", False), steps))
    return out


def play_oracle(env: gym.Env, pairs: list[tuple[TaskSpec, int]]) -> list[dict[str, Any]]:
    """The scripted solutions, as action text (the upper bound every row is read against)."""
    out = []
    base = env.unwrapped
    for spec, seed in pairs:
        base.reset(seed=seed, options={"task_id": spec.task_id})
        run = replay_oracle(base)
        out.append(record(spec, seed, run.info.get("verdict", {}).get("passed", False), run.steps))
    return out


def do_nothing(finish_slot: int = 0) -> Policy:
    """Finish at once (slot 0 of the menu is ``finish``)."""
    return lambda obs, mask: finish_slot


def random_valid(seed: int) -> Policy:
    """Uniform over the valid slots, from a seeded generator."""
    rng = np.random.default_rng(seed)
    return lambda obs, mask: int(rng.choice(np.flatnonzero(mask)))


def greedy(model: Any) -> Policy:
    """A MaskablePPO model's most likely valid slot."""
    return lambda obs, mask: int(model.predict(obs, action_masks=mask, deterministic=True)[0])
