"""PettingZoo laptop + phone: the two agents replay the task's oracle between them.

Each oracle action goes to the agent whose device can send it (``gui`` to the phone, the
rest to the laptop); the idle agent reads the activity stream. Both agents share the
world and the terminal reward. Prints each joint step and the rewards.

    python examples/pettingzoo_loop.py [--episodes 3]
"""

from __future__ import annotations

import argparse
import json

import claw_gym  # noqa: F401  (registers the envs)
from claw_gym import actions as A
from claw_gym.wrappers.multiagent import parallel_env

IDLE = A.api("events.search", limit=3)  # every world has the events service


def run(episodes: int = 3, verbose: bool = True) -> float:
    env = parallel_env()
    total = 0.0
    for seed in range(episodes):
        obs, infos = env.reset(seed=seed)
        plan = env.env.oracle_actions()
        rewards = {}
        while env.agents:
            action = plan.pop(0) if plan else A.finish("Done.")
            doer = "phone" if json.loads(action)["kind"] == "gui" else "laptop"
            actions = {a: action if a == doer else IDLE for a in env.agents}
            obs, rewards, terms, truncs, infos = env.step(actions)
            if verbose:
                for a in env.possible_agents:
                    if a in obs:
                        print(f"  {a:6s}> {actions[a][:70]}\n           {obs[a]['result'][:70]}")
        total += rewards["laptop"]
        print(f"episode {seed}: rewards {rewards}")
    print(f"shared reward mean {total / episodes:.2f}")
    return total / episodes


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--episodes", type=int, default=3)
    run(p.parse_args().episodes)
