"""``claw-gym demo``: the README's first command. The oracle solves one reactive task step by step:
what it was asked, what it read that mattered, what it changed, and the checker's verdict."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any, SupportsFloat, cast

from .. import actions as A
from ..textcard import caption
from . import readout
from .common import CliError, resolve_task

if TYPE_CHECKING:
    from ..env import ClawEnv

#: A reactive task with a short story (a mail asks to move a meeting; the oracle reads it, moves
#: the meeting and replies), API only, so the demo runs in about a second.
DEMO_TASK = "meeting-reschedule-thread-0000"
WIDTH = 100


def is_read(env: Any, action: str) -> bool:
    """Whether ``action`` is there to look: a shell command, an API call to an endpoint that changes
    nothing, or a ``get`` (mail's marks the message read, yet it is how a mail is read)."""
    a = A.parse(action)
    if a.kind == "shell":
        return True
    if a.kind != "api" or a.fields["call"] == "help":
        return False
    service, _, name = a.fields["call"].partition(".")
    svc = env.world.services.get(service)
    ep = svc.endpoints.get(name) if svc is not None else None
    return ep is not None and (not ep.mutates or name == "get")


def _say(lines: list[str], indent: str) -> None:
    for line in lines:
        print(textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  "))


def demo(task_id: str, seed: int) -> int:
    """Run the oracle on one task, printing what it read, what it did, and the verdict."""
    import gymnasium as gym

    import claw_gym  # noqa: F401  (registers the envs)

    spec = resolve_task(task_id)
    env = gym.make(spec.env_id)
    obs, info = env.reset(seed=seed)
    print(f"task {spec.task_id} ({spec.family}, {spec.kind}, difficulty {spec.difficulty}), seed {seed}")
    print(f"time: {obs['time']}")
    print(f"instruction: {info['instruction'] or '(proactive: nobody asks; watch the events)'}")
    print("services:\n  " + obs["services"].replace("\n", "\n  "))
    print("\nThe oracle (the task's scripted solution) acts through the same actions an agent sends.")
    oracle = cast("ClawEnv", env.unwrapped).oracle_actions()
    reward: SupportsFloat = 0.0
    verdict = None
    for n, action in enumerate(oracle, 1):
        obs, reward, terminated, truncated, info = env.step(action)
        print(f"\n[{n}] {obs['time']}  {caption(action)}")
        if info["action_ok"] and is_read(env.unwrapped, action):
            lines = readout.lines_of(obs["result"], "\n".join(oracle[n:]))
            verb = "output" if A.parse(action).kind == "shell" else "read"
            head = f"{verb} {lines.pop(0)}" if lines and lines[0].endswith(":") else f"{verb}:"
            _say([head], "    ")
            _say(lines, "      ")
        else:
            _say(["-> " + readout.item_line(obs["result"])], "    ")
        if obs["events"]:
            _say(["events:"] + ["  " + line for line in obs["events"].splitlines()], "    ")
        verdict = info.get("verdict")
        if terminated or truncated:
            break
    print(f"\nreward {reward}  verdict: {'PASSED' if verdict and verdict['passed'] else 'FAILED'}")
    for c in (verdict or {}).get("checks", []):
        print(f"  [{'x' if c['passed'] else ' '}] {c['name']}" + (f" ({c['detail']})" if c["detail"] else ""))
    for v in (verdict or {}).get("violations", []):
        print(f"  violation: {v}")
    env.close()
    if verdict is None:
        raise CliError(f"the oracle's {len(oracle)} actions did not end the episode")
    return 0 if verdict["passed"] else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help="run the oracle on a task and print what it reads, does and the verdict", description=__doc__
    )
    p.add_argument("--task", default=DEMO_TASK, help=f"task id (default: {DEMO_TASK}, a reactive task)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=lambda args: demo(args.task, args.seed))
