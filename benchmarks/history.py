"""Figures for the life history: words and events per task, reset time, render time, memory.

    python benchmarks/history.py [--tasks-per-family 10] [--resets 30]

Prints words per task (mean/min/max by difficulty), events per task, the median of
``env.reset`` end to end (wall and CPU) against the old light background measured in the
same run, the time to render a task's whole history text, and the memory one world holds
(tracemalloc) before and after its text is rendered. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import gymnasium as gym

import claw_gym
from claw_gym.life import background, history_text, history_words
from claw_gym.tasks import build as build_mod
from claw_gym.tasks import suite
from claw_gym.tasks.family import Ctx


@contextmanager
def light_background() -> Iterator[None]:
    """Swap the life generator for the old light background (the baseline)."""

    def old_build(family, spec, seed):  # type: ignore[no-untyped-def]
        from claw_gym.persona import make_persona
        from claw_gym.rng import derive_rng
        from claw_gym.world import World

        rng = derive_rng(spec.task_id, seed, "build")
        world = World(spec.task_id, seed, spec.services, build_mod.start_time(int(rng.integers(0, 2**31))))
        world.persona = make_persona(world.rng)
        background.populate(world, world.rng, spec.difficulty)
        return world, family.generate(Ctx(spec, world, rng))

    saved = build_mod.build
    import claw_gym.env as env_mod

    env_mod.build = old_build  # type: ignore[assignment]
    try:
        yield
    finally:
        env_mod.build = saved  # type: ignore[assignment]


def reset_times(specs: list, n: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of env.reset over n resets cycling through specs."""
    wall, cpu = [], []
    envs = {s.task_id: gym.make(s.env_id) for s in specs}
    for k in range(n):
        spec = specs[k % len(specs)]
        env = envs[spec.task_id]
        t0, c0 = time.perf_counter(), time.process_time()
        env.reset(seed=1000 + k)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def speed_reference() -> float:
    """CPU milliseconds of a plain 1M-step loop: shared or slow machines show up here."""
    best = float("inf")
    for _ in range(3):
        c0 = time.process_time()
        x = 0
        for i in range(1_000_000):
            x += i
        best = min(best, time.process_time() - c0)
    return 1000 * best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks-per-family", type=int, default=10)
    ap.add_argument("--resets", type=int, default=30)
    args = ap.parse_args()
    specs = [
        s
        for f in suite.families()
        for s in claw_gym.catalog(family=f, split=["train", "test", "heldout"])[: args.tasks_per_family]
    ]
    print(f"{len(specs)} tasks from {len(suite.families())} families")

    print(
        f"machine speed reference: a 1M-step Python loop takes {speed_reference():.0f} ms CPU here "
        f"(best of 3; the figures below scale with it, and wall times with the machine's load)"
    )
    words: dict[int, list[int]] = {}
    events: dict[int, list[int]] = {}
    render_ms: list[float] = []
    render_cpu: list[float] = []
    for spec in specs:
        world, _ = build_mod.build(suite.family_of(spec), spec, 0)
        t0, c0 = time.perf_counter(), time.process_time()
        text = history_text(world)
        render_ms.append(1000 * (time.perf_counter() - t0))
        render_cpu.append(1000 * (time.process_time() - c0))
        words.setdefault(spec.difficulty, []).append(len(text.split()))
        events.setdefault(spec.difficulty, []).append(len(world.timeline.history))
    print("\ndifficulty  words mean / min / max          events mean / min / max")
    for d in sorted(words):
        w, e = words[d], events[d]
        print(
            f"  {d}        {statistics.mean(w):>9,.0f} / {min(w):>9,} / {max(w):>9,}    "
            f"{statistics.mean(e):>6,.0f} / {min(e):>5,} / {max(e):>5,}"
        )
    allw = [x for v in words.values() for x in v]
    print(f"  all      {statistics.mean(allw):>9,.0f} words per task on average")
    print(
        f"\nfull-history render (first read of every text): median {statistics.median(render_ms):.0f} ms wall "
        f"({statistics.median(render_cpu):.0f} ms CPU), max {max(render_ms):.0f} ms wall "
        f"({max(render_cpu):.0f} ms CPU)"
    )

    wall, cpu = reset_times(specs, args.resets)
    with light_background():
        old_wall, old_cpu = reset_times(specs, args.resets)
    print(
        f"\nenv.reset median: {wall:.1f} ms wall, {cpu:.1f} ms CPU  "
        f"(old light background, same run: {old_wall:.1f} ms wall, {old_cpu:.1f} ms CPU)"
    )

    spec = max(specs, key=lambda s: s.difficulty)
    world, _ = build_mod.build(suite.family_of(spec), spec, 0)
    name = world.persona.people[2].name
    queries = [
        {"text": "invoice"},
        {"service": "mail", "limit": 50, "cursor": 50},
        {"person": name},
        {"start": "2026-01-01", "end": "2026-02-01", "text": "the"},
    ]
    world.call("events.search", {})  # builds the index once
    t0 = time.perf_counter()
    n = 0
    for _ in range(50):
        for q in queries:
            world.call("events.search", q)
            n += 1
    print(
        f"\nevents.search on {len(world.timeline.history):,} events: "
        f"{1e6 * (time.perf_counter() - t0) / n:.0f} us per query (mixed filters, index built)"
    )

    spec = specs[len(specs) // 2]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    world, _ = build_mod.build(suite.family_of(spec), spec, 0)
    built = tracemalloc.get_traced_memory()[0] - before
    n_words = history_words(world)
    rendered = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(
        f"\nmemory per world ({spec.task_id}, {n_words:,} words): {built / 2**20:.1f} MiB after reset, "
        f"{rendered / 2**20:.1f} MiB with all text rendered"
    )


if __name__ == "__main__":
    main()
