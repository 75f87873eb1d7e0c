"""Reset and step costs: reset per device kind, step per action kind, against the bare env."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from .. import actions as A
from . import baselines, core
from .core import Config, Row, Stat, per_call, rate
from .tasks import make, read_call, task_for


def _reset_row(cfg: Config, device: str | None, label: str, bare: Stat) -> Row:
    task = task_for(device)
    if task is None:
        return Row("reset", f"reset: {label} task", None, "ms", note=f"no {label} task in this build")
    env = make(task)
    env.reset(seed=0)
    seeds = iter(range(10**9))
    stat = per_call(lambda: env.reset(seed=next(seeds)), cfg.n(200, 20), cfg.repeats, scale=1e3)
    return Row(
        "reset", f"reset: {label} task", stat, "ms", "bare env reset", bare, "<= 20 ms", stat.median <= 20, note=task
    )


def reset_rows(cfg: Config) -> list[Row]:
    bare = baselines.bare_env_reset(cfg)
    return [
        _reset_row(cfg, None, "API-only", bare),
        _reset_row(cfg, "laptop", "shell", bare),
        _reset_row(cfg, "phone", "phone", bare),
    ]


def _timed_steps(env, action: str, inner: int, repeats: int, snap, timer: Callable[[], float] | None = None) -> Stat:
    """Per-step time of ``action`` repeated; restores ``snap`` (untimed) before each repeat, if given."""

    def setup() -> None:
        env.restore(snap)

    return per_call(lambda: env.step(action), inner, repeats, setup=setup if snap is not None else None, timer=timer)


def _passes_stat(env, actions: list[str], snap, passes: int, repeats: int) -> Stat:
    """Per-step time of ``actions`` replayed from ``snap`` again and again; restores are not timed
    (so the world does not grow over the loop, and episode-ending actions can be timed)."""
    samples = []
    for _ in range(repeats):
        total = 0.0
        for _ in range(passes):
            env.restore(snap)
            t0 = core.TIMER()
            for a in actions:
                env.step(a)
            total += core.TIMER() - t0
        samples.append(total / (passes * len(actions)) * 1e6)
    return Stat.of(samples)


def _device_kind_row(
    cfg: Config,
    kind: str,
    device: str,
    actions: list[str],
    base_name: str,
    base: Stat | None,
    target: str,
    meets: Callable[[Stat, Stat | None], bool | None],
    label: str = "",
) -> Row:
    """Per-step cost of ``actions`` on a task with ``device`` (one action: repeated; several: a cycle)."""
    name = f"step: {kind} ({label or actions[0][:40]})"
    task = task_for(device)
    if task is None:
        return Row("step", name, None, "us", base_name, base, target, note=f"no {device} task in this build")
    env = make(task)
    env.reset(seed=0)
    snap = env.snapshot()
    for action in actions:
        _, _, _, _, info = env.step(action)
        if not info["action_ok"]:
            return Row(
                "step", name, None, "us", base_name, base, target, note=f"{kind} not available: {info['error'][:60]}"
            )
    if len(actions) == 1:  # a device action that does not grow the world: no restores (a restore restarts the shell)
        # the shell's work happens in bash, another process: wall clock, like its pexpect baseline
        timer = time.perf_counter if kind == "shell" else None
        stat = _timed_steps(env, actions[0], cfg.n(300, 10), cfg.repeats, None, timer)
    else:
        stat = _passes_stat(env, actions, snap, cfg.n(150, 5), cfg.repeats)
    if env.done:  # the episode ended inside the loop: the later steps cost nothing
        return Row("step", name, None, "us", base_name, base, target, note="invalid loop: the episode ended in it")
    return Row("step", name, stat, "us", base_name, base, target, meets(stat, base), note=task)


def floor_result(env, call: str) -> str:
    """The JSON text an api step on ``call`` returns (the call runs through the world's one door)."""
    return json.dumps(env.world.call(call, {}, source="api"), ensure_ascii=False, default=str)


def step_rows(cfg: Config) -> list[Row]:
    bare = baselines.bare_env_step(cfg)
    task = task_for(None)
    assert task is not None
    env = make(task)
    env.reset(seed=0)
    world = env.world
    assert world is not None
    snap = env.snapshot()
    inner = cfg.n(2_000, 100)
    call = read_call(env)
    api = _timed_steps(env, A.api(call), inner, cfg.repeats, snap)
    rows = [
        Row(
            "step",
            f"step: api read ({call})",
            api,
            "us",
            "bare env step",
            bare,
            "<= 10x bare",
            api.median <= 10 * bare.median,
            note=task,
        )
    ]
    floor = baselines.json_floor(cfg, A.api(call), world.call(call, {}))
    env.restore(snap)
    rows.append(
        Row(
            "step",
            f"step: api read ({call}) vs the JSON floor",
            api,
            "us",
            "json.loads(action) + json.dumps(same result)",
            floor,
        )
    )
    mix = [a for a in env.oracle_actions() if '"finish"' not in a]
    mixed = _passes_stat(env, mix, snap, cfg.n(500, 20), cfg.repeats)
    rows.append(
        Row(
            "step",
            "step: api oracle mix (reads + writes)",
            mixed,
            "us",
            "bare env step",
            bare,
            "<= 10x bare",
            mixed.median <= 10 * bare.median,
        )
    )
    small_call = "contacts.list" if "contacts" in world.services else "events.search"
    small = _timed_steps(env, A.api(small_call, limit=1), inner, cfg.repeats, snap)
    for label, stat in (
        (f"{call}, {len(floor_result(env, call))} chars of JSON", api),
        (f"{small_call} limit=1", small),
    ):
        r = rate(stat)
        rows.append(
            Row(
                "step",
                f"api steps per second ({label})",
                r,
                "/s",
                "bare env steps/s",
                rate(bare),
                ">= 10,000/s",
                r.median >= 10_000,
            )
        )
    # the rows above repeat one read while nothing changes: a cached endpoint answers from its cache
    # (and the env reuses its JSON); here the service changes before every call, as after a write:
    # the mailbox is re-sorted, its rows rebuilt, and the phone redraws its notifications
    service = world.services[call.split(".")[0]]
    read = A.api(call)

    def cold_read() -> None:
        service.changed()
        env.step(read)

    env.restore(snap)
    cold = per_call(cold_read, inner, cfg.repeats, setup=lambda: env.restore(snap))
    rows.append(
        Row(
            "step",
            f"step: api read ({call}) right after its service changed (nothing reused)",
            cold,
            "us",
            "the same read repeated",
            api,
        )
    )
    wait = _timed_steps(env, A.wait(60), inner, cfg.repeats, snap)
    rows.append(Row("step", "step: wait 60 s", wait, "us", "bare env step", bare))
    fin = _passes_stat(env, [A.finish("done")], snap, cfg.n(300, 10), cfg.repeats)
    rows.append(Row("step", "step: finish (with verdict)", fin, "us", "bare env step", bare))
    pex = baselines.pexpect_round_trip(cfg)
    rows.append(
        Row("step", "baseline: bare pexpect bash round trip", pex, "us", note="" if pex else "pexpect or bash missing")
    )
    rows.append(
        _device_kind_row(
            cfg,
            "shell",
            "laptop",
            [A.shell("echo hi")],
            "pexpect round trip",
            pex,
            "<= 2x pexpect",
            lambda s, b: None if b is None else s.median <= 2 * b.median,
        )
    )
    pil = baselines.pillow_blank_frame(cfg)
    rows.append(Row("step", "baseline: Pillow blank 360x780 frame", pil, "us", note="" if pil else "Pillow missing"))
    # open an app from the home screen, then back: every step changes the screen (a new frame)
    rows.append(
        _device_kind_row(
            cfg,
            "gui",
            "phone",
            [A.tap(225, 166), A.key("back")],
            "Pillow blank frame",
            pil,
            "tap + render <= 3 ms",
            lambda s, b: s.median <= 3_000,
            label="tap an app icon, then back: each re-renders",
        )
    )
    return rows
