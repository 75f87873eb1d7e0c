"""Which tasks the benchmark runs: an API-only task, and shell/phone tasks when the suite has them."""

from __future__ import annotations

from typing import Any

from ..env import ClawEnv
from ..tasks import suite

ALL_SPLITS = ["train", "test", "heldout"]


def task_for(device: str | None, difficulty: int = 3) -> str | None:
    """A task needing ``device`` ("laptop", "phone"; None = API only), nearest to ``difficulty``.

    Reactive tasks first: a proactive task's deadline ends the episode in the middle of a timed
    loop (each step costs virtual time), after which steps return at once and flatter the figure.
    """
    specs = [
        s
        for s in suite.catalog(split=ALL_SPLITS)
        if (device is None and not s.devices) or (device is not None and device in s.devices)
    ]
    if not specs:
        return None
    return min(specs, key=lambda s: (s.kind != "reactive", abs(s.difficulty - difficulty), s.task_id)).task_id


def make(task_id: str, **kwargs: Any) -> ClawEnv:
    return ClawEnv(task_id, max_steps=10**9, **kwargs)


def read_call(env: ClawEnv) -> str:
    """A typical listing call that exists in this world."""
    assert env.world is not None
    for call in ("mail.list", "workmail.list", "notes.list", "events.search"):
        service, _, _ = call.partition(".")
        if service in env.world.services:
            return call
    return "events.search"
