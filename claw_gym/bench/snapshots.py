"""Snapshot and restore of an API-only world, against deepcopy and against a fresh reset + replay;
of a phone world; and what a restore costs a shell task (the shell restarts at the next command)."""

from __future__ import annotations

import copy

from .. import actions as A
from ..env import ClawEnv
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
    return [
        Row(
            "snapshot",
            f"snapshot ({size:.0f} KiB frozen)",
            take,
            "us",
            "copy.deepcopy(world)",
            deep,
            "<= 1 ms",
            take.median <= 1_000,
            note=task,
        ),
        Row(
            "snapshot", "restore", put, "us", "reset + replay to the same point", fresh, "<= 1 ms", put.median <= 1_000
        ),
        *_device_rows(cfg),
    ]


def _half_way(device: str) -> tuple[ClawEnv, str] | None:
    """An env of a ``device`` task, half-way through its oracle (the phone/laptop in use)."""
    task = task_for(device)
    if task is None:
        return None
    env = make(task)
    env.reset(seed=0)
    plan = env.oracle_actions()
    for a in plan[: max(1, len(plan) // 2)]:
        env.step(a)
    return env, task


def _device_rows(cfg: Config) -> list[Row]:
    rows = []
    phone = _half_way("phone")
    if phone is not None:
        env, task = phone
        snap, inner = env.snapshot(), cfg.n(1_000, 20)
        step = per_call(lambda: env.step(A.wait(1)), cfg.n(200, 5), cfg.repeats, setup=lambda: env.restore(snap))
        both = per_call(lambda: (env.restore(snap), env.snapshot()), inner, cfg.repeats)
        rows.append(
            Row(
                "snapshot",
                "restore + snapshot, phone task mid-episode",
                both,
                "us",
                "a wait step (re-renders nothing)",
                step,
                "<= 1 ms",
                both.median <= 1_000,
                note=task,
            )
        )
        env.close()
    shell = _half_way("laptop")
    if shell is not None:
        env, task = shell
        echo = A.shell("echo hi")
        env.step(echo)
        if env.laptop is None or not env.laptop.running:
            rows.append(
                Row("snapshot", "restore + first shell command", None, "ms", note="no shell here (bubblewrap?)")
            )
        else:
            snap = env.snapshot()
            live = per_call(lambda: env.step(echo), cfg.n(20, 2), cfg.repeats, scale=1e3)
            again = per_call(
                lambda: (env.restore(snap), env.step(echo)),
                cfg.n(5, 1),
                cfg.repeats,
                scale=1e3,
                setup=lambda: env.step(echo),
            )
            rows.append(
                Row(
                    "snapshot",
                    "restore + first shell command (a new shell on the restored home)",
                    again,
                    "ms",
                    "a shell command on the live shell",
                    live,
                    note=task,
                )
            )
        env.close()
    return rows
