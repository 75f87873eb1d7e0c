"""A random agent over the action menu: the floor every learner must beat.

python examples/random_agent.py [--episodes 50] [--env ClawAnything-v0]
"""

from __future__ import annotations

import argparse

import numpy as np

import claw_gym  # noqa: F401  (registers the envs)
from claw_gym.wrappers import ActionMenu, tutorial


def run(env_id: str = "ClawAnything-v0", episodes: int = 50, seed: int = 0) -> float:
    import gymnasium as gym

    tutorial.install()
    env = ActionMenu(gym.make(env_id))
    rng = np.random.default_rng(seed)
    wins, steps = 0, 0
    for ep in range(episodes):
        obs, info = env.reset(seed=seed + ep)
        done, reward = False, 0.0
        while not done:
            action = int(rng.choice(np.flatnonzero(env.action_masks())))
            obs, reward, terminated, truncated, info = env.step(action)
            done, steps = terminated or truncated, steps + 1
        wins += reward > 0
    rate = wins / episodes
    print(f"random menu agent on {env_id}: {wins}/{episodes} passed ({rate:.2f}), {steps / episodes:.1f} steps/episode")
    return rate


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--env", default="ClawAnything-v0")
    p.add_argument("--episodes", type=int, default=50)
    a = p.parse_args()
    run(a.env, a.episodes)
