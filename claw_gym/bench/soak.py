"""Soak: many resets and steps across every family; memory, open fds and child processes must not grow."""

from __future__ import annotations

import ctypes
import gc
import re
import sys

import numpy as np

from .. import actions as A
from .. import caches
from ..tasks import suite
from .core import Config, Row, Stat, child_processes, open_fds, rss_mb
from .tasks import ALL_SPLITS, make

STEPS_PER_EPISODE = 3


def _trim_heap() -> None:
    """Hand freed heap pages back to the OS (glibc), so RSS shows what is live, not what was."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def soak(episodes: int, warmup: int = 100) -> dict[str, float]:
    """Run ``episodes`` resets (cycling over every family's tasks) with a few steps each; return figures.

    Measured after the warmup, halfway and at the end, each time in the same settled state: every
    live env reset to its family's first task at seed 0, bounded caches emptied
    (:func:`claw_gym.caches.clear_all` and ``re.purge``), a full gc and a heap trim. The figures then
    differ only by what the episodes in between leaked; without settling, they move with the size of
    whichever 40 worlds happen to be live.
    """
    specs = suite.catalog(split=ALL_SPLITS)
    by_family: dict[str, list[str]] = {}
    for s in specs:
        by_family.setdefault(s.family, []).append(s.task_id)
    envs = {f: make(ids[0], faults={"rate": 0.1}) for f, ids in by_family.items()}
    fams = sorted(envs)
    rng = np.random.default_rng(0)
    pool = ["help-like", A.wait(600), A.api("events.search", text="mail"), A.finish("done"), "not json"]

    def measure(tag: str) -> dict[str, float]:
        for f, env in envs.items():
            env.reset(seed=0, options={"task_id": by_family[f][0]})
        caches.clear_all()
        re.purge()  # the stdlib's compiled-pattern cache (bounded at 512): families build patterns from task data
        gc.collect()
        _trim_heap()
        return {
            f"rss_{tag}": rss_mb(),
            f"fds_{tag}": open_fds(),
            f"children_{tag}": child_processes(),
            f"blocks_{tag}": sys.getallocatedblocks(),
        }

    figures: dict[str, float] = {}
    for i in range(warmup + episodes):
        if i == warmup:
            figures.update(measure("start"))
        elif i == warmup + episodes // 2:
            figures.update(measure("mid"))  # a leak grows both halves alike; heap fragmentation settles
        fam = fams[i % len(fams)]
        env, ids = envs[fam], by_family[fam]
        env.reset(seed=i, options={"task_id": ids[i % len(ids)]})
        oracle = env.oracle_actions()
        for k in range(STEPS_PER_EPISODE):
            a = oracle[k] if k < len(oracle) - 1 and rng.random() < 0.7 else pool[int(rng.integers(len(pool)))]
            *_, terminated, truncated, _ = env.step(a)
            if terminated or truncated:
                break
    figures.update(measure("end"), episodes=episodes, families=len(fams))
    for e in envs.values():
        e.close()
    return figures


def rows(cfg: Config) -> list[Row]:
    f = soak(cfg.n(10_000, 200), warmup=cfg.n(200, 20))
    growth = f["rss_end"] - f.get("rss_mid", f["rss_start"])  # the second half: fragmentation has settled
    n = f"{int(f['episodes']):,} episodes x {STEPS_PER_EPISODE} steps, {int(f['families'])} families"
    return [
        Row(
            "soak",
            f"RSS ({n}): start {f['rss_start']:.1f} MB, halfway {f.get('rss_mid', float('nan')):.1f} MB, "
            f"end {f['rss_end']:.1f} MB",
            Stat(growth, 0.0),
            "MB growth (second half)",
            target="< 5 MB",
            ok=growth < 5.0,
        ),
        Row(
            "soak",
            f"Python objects (allocated blocks): start {f['blocks_start']:,.0f}, end {f['blocks_end']:,.0f}",
            Stat(f["blocks_end"] - f["blocks_start"], 0.0),
            "blocks",
            target="flat (< 1%)",
            ok=f["blocks_end"] - f["blocks_start"] < 0.01 * f["blocks_start"],
        ),
        Row(
            "soak",
            f"open fds: start {f['fds_start']:.0f}, end {f['fds_end']:.0f}",
            Stat(f["fds_end"] - f["fds_start"], 0.0),
            "fds growth",
            target="0",
            ok=f["fds_end"] <= f["fds_start"],
        ),
        Row(
            "soak",
            f"child processes: start {f['children_start']:.0f}, end {f['children_end']:.0f}",
            Stat(f["children_end"] - f["children_start"], 0.0),
            "growth",
            target="0",
            ok=f["children_end"] <= f["children_start"],
        ),
    ]
