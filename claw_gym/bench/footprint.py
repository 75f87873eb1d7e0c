"""What the whole-world diff costs an episode: the baseline taken at reset, the diff and judge at the end.

Measured on the first task of a few API-only families: the capture on a freshly built world
(cold: nothing frozen yet, as at reset), and :func:`footprint.violations` on the world the
oracle leaves (the diff of every service it touched, the allow-list, the recipients). The
baseline figure is the episode's reset, measured on the same tasks.
"""

from __future__ import annotations

import statistics

from ..tasks import footprint, suite
from ..tasks.build import build
from .core import Config, Row, Stat, per_call
from .tasks import ALL_SPLITS, make


def _tasks(k: int) -> list[str]:
    out = []
    for name in sorted(suite.families()):
        spec = next(iter(suite.catalog(family=name, split=ALL_SPLITS)))
        if not spec.devices:
            out.append(spec.task_id)
    return out[:k]


def _median_of(stats: list[Stat]) -> Stat:
    return Stat.of([statistics.median(s.samples) for s in stats])


def rows(cfg: Config) -> list[Row]:
    tasks = _tasks(cfg.n(8, 2))
    capture, judge, reset = [], [], []
    for task in tasks:
        env = make(task)
        env.reset(seed=0)
        assert env.family is not None and env.spec_task is not None and env.scenario is not None
        fam, spec = env.family, env.spec_task
        worlds = iter([build(fam, spec, 0)[0] for _ in range(cfg.repeats)])  # built untimed, captured cold
        capture.append(per_call(lambda: footprint.capture(next(worlds)), 1, cfg.repeats))  # noqa: B023  (called now)
        seeds = iter(range(10**9))
        reset.append(per_call(lambda: env.reset(seed=next(seeds)), 1, cfg.repeats))  # noqa: B023  (called now)
        env.reset(seed=0)
        for a in env.oracle_actions():
            if env.step(a)[2]:
                break
        world, facts = env.world, env.scenario.facts
        assert world is not None
        judge.append(
            per_call(
                lambda: footprint.violations(world, fam.footprint, facts),  # noqa: B023  (called now)
                cfg.n(20, 2),
                cfg.repeats,
            )
        )
        env.close()
    note = f"median over {len(tasks)} tasks: {', '.join(tasks)}"
    base = _median_of(reset)
    return [
        Row(
            "footprint",
            "baseline capture at reset (cold)",
            _median_of(capture),
            "us",
            "reset",
            base,
            "<= 5% of reset",
            _median_of(capture).median <= 0.05 * base.median,
            note=note,
        ),
        Row(
            "footprint",
            "diff + judge at the end of the oracle",
            _median_of(judge),
            "us",
            "reset",
            base,
            "<= 5% of reset",
            _median_of(judge).median <= 0.05 * base.median,
            note=note,
        ),
    ]
