"""Full-history cost: rendering every delivered event's line, and a search that scans them all."""

from __future__ import annotations

from .. import actions as A
from .. import observation
from ..env import DIGEST_EVENTS
from ..life import views
from .core import Config, Row, per_call
from .tasks import make, task_for


def rows(cfg: Config) -> list[Row]:
    task = task_for(None, difficulty=5)
    assert task is not None
    env = make(task, history="full")
    env.reset(seed=0)
    assert env.world is not None
    history = env.world.timeline.history
    inner = cfg.n(200, 10)
    world = env.world
    render = per_call(
        lambda: views.initial(world, "full", DIGEST_EVENTS, observation.LIMITS["events"]), inner, cfg.repeats
    )
    lines = [e.line() for e in history]
    join = per_call(lambda: "\n".join(lines), inner, cfg.repeats)
    snap = env.snapshot()
    scan = per_call(
        lambda: env.step(A.api("events.search", text="zzzz-no-match")),
        inner,
        cfg.repeats,
        setup=lambda: env.restore(snap),
    )
    n = f"{len(history)} events"
    return [
        Row("history", f"render full history ({n})", render, "us", "join of prebuilt lines", join, note=task),
        Row("history", f"step: events.search scanning all ({n})", scan, "us"),
    ]
