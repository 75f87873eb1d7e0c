"""Replay a task's oracle (its family's scripted solution) as a careful agent would: retry transient faults.

The oracle itself is the family's (``env.unwrapped.oracle_actions()``); ``claw-gym oracle``
(:mod:`claw_gym.cli.oracle_cmd`) runs the oracles of many tasks the same way.

With ``faults=`` on, any service call may fail with ``error: [fault 429] ...``, whichever
door it came through: an API action, the laptop's ``claw`` command (exit status 75) or a
phone app (an error toast). The env sets ``info["fault"]`` when a fault reached the
step's request; the faulted call changed nothing and every oracle step is written so
that running it again is safe (a shell step stops at its first failed ``claw`` call;
the file sync retries on its own). Checkers read the final state, so an episode that
recovers from faults passes like one that met none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import gymnasium as gym

from . import actions as A

if TYPE_CHECKING:
    from .env import ClawEnv


@dataclass
class Replay:
    info: dict[str, Any]  # info of the last step (holds the verdict if the episode ended)
    observations: list[dict[str, Any]] = field(default_factory=list)  # after every step, retries included
    actions: list[str] = field(default_factory=list)  # every action sent, retries included
    infos: list[dict[str, Any]] = field(default_factory=list)  # the info of every step
    steps: int = 0
    faults: int = 0  # actions that met an injected fault and were retried
    injected: int = 0  # faults met in all (with those a door retried on its own: info["faults"])

    @property
    def passed(self) -> bool:
        return bool(self.info.get("verdict", {}).get("passed"))


def replay_oracle(env: gym.Env, *, max_retries: int = 25, check_space: bool = False, retry: bool = True) -> Replay:
    """Step the current episode's oracle actions to the end, retrying transient faults.

    ``env`` must have been reset. Raises RuntimeError if one action meets more than
    ``max_retries`` faults in a row (at a fault rate below 0.5 that is vanishingly rare).
    ``retry=False`` sends each action once whatever happens: an agent that ignores faults.
    """
    run = Replay(info={})
    for action in cast("ClawEnv", env.unwrapped).oracle_actions():
        for _ in range(max_retries + 1):
            obs, _, terminated, truncated, info = env.step(action)
            run.steps += 1
            run.observations.append(obs)
            run.actions.append(action)
            run.infos.append(info)
            run.info = info
            run.injected += len(info.get("faults", ()))
            if check_space and not env.observation_space.contains(obs):
                raise AssertionError(f"observation outside the space after {action[:80]}")
            if not (retry and info.get("fault")) or terminated or truncated:
                break
            run.faults += 1
        else:
            raise RuntimeError(f"{action[:80]} met {max_retries + 1} faults in a row")
        if terminated or truncated:
            break
    return run


def finish_episode(env: gym.Env, message: str = "Done.") -> dict[str, Any]:
    """Send ``finish`` until the episode ends; returns the last info (with the verdict).

    A reactive task ends at the first finish. A proactive one runs to its deadline: each
    finish sleeps to the next arrival, and running out of steps sleeps to the deadline, so
    this ends within ``max_steps``. The do-nothing baseline is ``finish_episode`` at reset.
    """
    while True:
        _, _, terminated, truncated, info = env.step(A.finish(message))
        if terminated or truncated:
            return info


__all__ = ["replay_oracle", "finish_episode", "Replay"]
