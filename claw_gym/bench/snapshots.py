"""Snapshot and restore of an API-only world, against deepcopy and against a fresh reset + replay."""

from __future__ import annotations

import copy

from .core import Config, Row, per_call
from .tasks import make, task_for


def rows(cfg: Config) -> list[Row]:
    task = task_for(None)
    assert task is not None
    env = make(task)
    env.reset(seed=0)
    for a in env.oracle_actions()[:-1]:  # a world mid-episode: some calls made, some records changed
        env.step(a)
    inner = cfg.n(1_000, 20)
    snap = env.snapshot()
    take = per_call(env.snapshot, inner, cfg.repeats)
    put = per_call(lambda: env.restore(snap), inner, cfg.repeats)
    deep = per_call(lambda: copy.deepcopy(env.world), cfg.n(100, 3), cfg.repeats)
    replay_actions = env.oracle_actions()[:-1]

    def replay() -> None:
        env.reset(seed=0)
        for a in replay_actions:
            env.step(a)

    fresh = per_call(replay, cfg.n(50, 3), cfg.repeats)
    env.restore(snap)
    size = snap.world_state.nbytes() / 1024
    return [Row("snapshot", f"snapshot ({size:.0f} KiB frozen)", take, "us", "copy.deepcopy(world)", deep,
                "<= 1 ms", take.median <= 1_000, note=task),
            Row("snapshot", "restore", put, "us", "reset + replay to the same point", fresh, "<= 1 ms",
                put.median <= 1_000)]
