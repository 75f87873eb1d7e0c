"""Agents for tests/test_cli.py (loaded by the CLI as ``cli_agents:<name>``)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from claw_gym import actions as A


class EvenSeedOracle:
    """Replays the oracle on even seeds and gives up at once on odd ones: a known pass pattern."""

    def __init__(self) -> None:
        self.queue: list[str] = []

    def attach(self, env) -> None:
        self.queue = env.oracle_actions() if env.world.seed % 2 == 0 else []

    def act(self, obs, info) -> str:
        return self.queue.pop(0) if self.queue else A.finish("giving up")


def lister(obs):
    """A plain function agent: one API call, then finish (fails)."""
    return A.finish("done") if obs["result"].startswith("{") else A.api("help")


def crasher(obs, info):
    raise RuntimeError("agent bug")


class TwoLooksThenFinish:
    """A policy class with reset: two help calls, then finish; reset must rearm it every episode."""

    def reset(self, obs, info) -> None:
        self.left = 2

    def act(self, obs, info) -> str:
        self.left -= 1
        return A.api("help") if self.left >= 0 else A.finish("done")


class DiesOnSeed1:
    """Replays the oracle, but its process dies (SIGKILL) in every episode of seed 1: a Ray worker that
    dies on its first run and on its retry (tests/test_ray_backend.py; never use it in process)."""

    once = False

    def __init__(self) -> None:
        self.queue: list[str] = []

    def attach(self, env) -> None:
        if env.world.seed == 1 and self._die_now(f"{env.spec.id}-{env.world.seed}"):
            os.kill(os.getpid(), signal.SIGKILL)
        self.queue = env.oracle_actions()

    def _die_now(self, episode: str) -> bool:
        if not self.once:
            return True
        marker = Path(os.environ["CLAW_TEST_MARKERS"]) / episode.replace("/", "_")
        if marker.exists():
            return False
        marker.touch()
        return True

    def act(self, obs, info) -> str:
        return self.queue.pop(0) if self.queue else A.finish("done")


class DiesOnceOnSeed1(DiesOnSeed1):
    """As DiesOnSeed1, but only the first time each episode runs (a marker file in $CLAW_TEST_MARKERS):
    the retry passes."""

    once = True
