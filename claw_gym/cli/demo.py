"""``claw-gym demo``: the README's first command (the oracle solves one task, step by step)."""

from __future__ import annotations

import argparse

from .common import resolve_task


def demo(task_id: str | None, seed: int) -> int:
    """Run the oracle on one task, printing each action, its result and the verdict."""
    import gymnasium as gym

    import claw_gym  # noqa: F401  (registers the envs)

    if task_id:
        resolve_task(task_id)
    env = gym.make(f"ClawAnything/{task_id}-v0") if task_id else gym.make("ClawAnything-v0")
    obs, info = env.reset(seed=seed)
    print(f"task {info['task_id']} ({info['family']}, {info['kind']}, difficulty {info['difficulty']})")
    print(f"time: {obs['time']}")
    print(f"instruction: {info['instruction'] or '(proactive: nobody asks; watch the events)'}")
    print(f"services:\n  " + obs["services"].replace("\n", "\n  "))
    reward, terminated, truncated = 0.0, False, False
    for n, action in enumerate(env.unwrapped.oracle_actions(), 1):
        obs, reward, terminated, truncated, info = env.step(action)
        print(f"\n[{n}] {action}")
        result = obs["result"]
        print("    -> " + (result[:300] + " ..." if len(result) > 300 else result))
        if obs["events"]:
            print("    events: " + obs["events"].replace("\n", "\n            "))
        if terminated or truncated:
            break
    verdict = info.get("verdict")
    print(f"\nreward {reward}  verdict: {'PASSED' if verdict and verdict['passed'] else 'FAILED'}")
    for c in (verdict or {}).get("checks", []):
        print(f"  [{'x' if c['passed'] else ' '}] {c['name']}" + (f" ({c['detail']})" if c["detail"] else ""))
    for v in (verdict or {}).get("violations", []):
        print(f"  violation: {v}")
    env.close()
    return 0 if verdict and verdict["passed"] else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the oracle on a task and print each step and the verdict",
                       description=demo.__doc__)
    p.add_argument("--task", default=None, help="task id (default: sampled from the train split)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=lambda args: demo(args.task, args.seed))
