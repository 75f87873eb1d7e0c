"""PettingZoo laptop + phone: the laptop agent replays the oracle, the phone agent reads services.

Both agents share the world and the terminal reward. Prints each joint step and the rewards.

    python examples/pettingzoo_loop.py [--episodes 3]
"""

from __future__ import annotations

import argparse

import claw_gym  # noqa: F401  (registers the envs)
from claw_gym import actions as A
from claw_gym.wrappers.multiagent import parallel_env


def run(episodes: int = 3, verbose: bool = True) -> float:
    env = parallel_env()
    total = 0.0
    for seed in range(episodes):
        obs, infos = env.reset(seed=seed)
        plan = env.env.oracle_actions()
        rewards = {}
        while env.agents:
            laptop = plan.pop(0) if plan else A.finish("Done.")
            actions = {"laptop": laptop, "phone": A.api("todo.list")}
            obs, rewards, terms, truncs, infos = env.step(actions)
            if verbose:
                print(f"  laptop> {laptop[:80]}\n    {obs['laptop']['result'][:80]}\n"
                      f"  phone > todo.list -> {obs['phone']['result'][:60]}")
        total += rewards["laptop"]
        print(f"episode {seed}: rewards {rewards}")
    print(f"shared reward mean {total / episodes:.2f}")
    return total / episodes


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--episodes", type=int, default=3)
    run(p.parse_args().episodes)
