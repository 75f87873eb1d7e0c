"""Replay each task's oracle through the env and print every action, its result and the verdict.

python examples/oracle_replay.py [--episodes 5] [--env ClawAnything-v0]
"""

from __future__ import annotations

import argparse

import gymnasium as gym

import claw_gym  # noqa: F401  (registers the envs)


def run(env_id: str = "ClawAnything-v0", episodes: int = 5, verbose: bool = True) -> float:
    env = gym.make(env_id)
    passed = 0
    for seed in range(episodes):
        obs, info = env.reset(seed=seed)
        if verbose:
            print(f"== {info['task_id']} (seed {seed}) ==\n{obs['instruction']}")
        for action in env.unwrapped.oracle_actions():
            obs, reward, terminated, truncated, info = env.step(action)
            if verbose:
                print(f"  > {action[:110]}\n    {obs['result'][:110]}")
            if terminated or truncated:
                break
        passed += info["verdict"]["passed"]
        if verbose:
            print(f"  verdict: passed={info['verdict']['passed']} score={info['verdict']['score']:.2f}")
    print(f"oracle passed {passed}/{episodes}")
    return passed / episodes


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--env", default="ClawAnything-v0")
    p.add_argument("--episodes", type=int, default=5)
    a = p.parse_args()
    run(a.env, a.episodes)
