"""Agents for tests/test_cli.py (loaded by the CLI as ``cli_agents:<name>``)."""

from __future__ import annotations

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
