"""Memory: RSS per live env, and RSS over many resets of one env (must stay flat)."""

from __future__ import annotations

import gc
import tracemalloc

from .core import Config, Row, Stat, rss_mb
from .tasks import make, task_for


def per_env_rows(cfg: Config) -> list[Row]:
    """Python heap per live env (tracemalloc: exact, noise-free) and the RSS delta (what the OS sees)."""
    task = task_for(None)
    assert task is not None
    n = cfg.n(50, 5)
    make(task).reset(seed=0)  # imports and caches warm
    heap, rss = [], []
    for _ in range(max(3, cfg.repeats // 2)):
        gc.collect()
        before_rss = rss_mb()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        envs = [make(task) for _ in range(n)]
        for i, e in enumerate(envs):
            e.reset(seed=i)
        gc.collect()
        heap.append((tracemalloc.get_traced_memory()[0] - before) / n / 2**20)
        tracemalloc.stop()
        rss.append((rss_mb() - before_rss) / n)
        del envs
    h, r = Stat.of(heap), Stat.of(rss)
    return [
        Row(
            "memory",
            f"Python heap per live env (tracemalloc, {n} envs)",
            h,
            "MB",
            target="<= 50 MB",
            ok=h.median <= 50,
            note=task,
        ),
        Row("memory", f"RSS per live env (delta over {n} envs)", r, "MB", target="<= 50 MB", ok=r.median <= 50),
    ]


def many_resets_rows(cfg: Config) -> list[Row]:
    task = task_for(None)
    assert task is not None
    n = cfg.n(10_000, 300)
    env = make(task)
    for s in range(min(200, n)):  # warm up allocator pools and caches
        env.reset(seed=s)
    gc.collect()
    start = rss_mb()
    for s in range(n):
        env.reset(seed=s)
    gc.collect()
    end = rss_mb()
    growth = end - start
    return [
        Row(
            "memory",
            f"RSS over {n:,} resets: start {start:.1f} MB, end {end:.1f} MB",
            Stat(growth, 0.0),
            "MB growth",
            target="flat (< 2 MB)",
            ok=growth < 2.0,
            note=task,
        )
    ]
