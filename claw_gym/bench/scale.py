"""Scale: the same figures on a world grown to a long history (thousands of mails and events).

The suite's worlds will carry about three months of activity; this area grows an API-only
world synthetically (mails delivered as timeline events over 90 days) to show how step,
snapshot and restore scale before the real long-history generator lands.
"""

from __future__ import annotations

from .. import actions as A
from .. import clock
from ..events import Event
from .core import Config, Row, per_call
from .tasks import make, task_for


def grown_env(n_mails: int):
    """An API-only env whose mailbox and timeline hold ``n_mails`` extra mails over 90 days."""
    task = task_for(None)
    assert task is not None, "the suite has API-only tasks"
    env = make(task, history="digest")
    env.reset(seed=0)
    w = env.world
    assert w is not None
    service = "mail" if "mail" in w.services else "workmail"
    now = w.clock.now
    for i in range(n_mails):
        t = now - 90 * clock.DAY + i * (90 * clock.DAY // max(n_mails, 1))
        w.schedule(
            Event(
                t,
                service,
                "mail.received",
                f"from sender{i % 97}@example.org: note {i}",
                "messages",
                {
                    "time": t,
                    "from": f"sender{i % 97}@example.org",
                    "to": ["me@example.org"],
                    "cc": [],
                    "subject": f"note {i}",
                    "body": "lorem ipsum " * 8,
                    "folder": "inbox",
                    "read": i % 3 > 0,
                    "attachments": [],
                },
            )
        )
    return env, service


def rows(cfg: Config) -> list[Row]:
    n = cfg.n(5_000, 300)
    env, service = grown_env(n)
    snap = env.snapshot()
    inner = cfg.n(200, 10)
    read = per_call(
        lambda: env.step(A.api(f"{service}.list", limit=20)), inner, cfg.repeats, setup=lambda: env.restore(snap)
    )
    write = A.api("notes.create", title="t", body="b") if "notes" in env.world.services else A.wait(60)

    def step_then_snapshot() -> None:  # the search-loop pattern: one change, then a snapshot
        env.step(write)
        env.snapshot()

    after_write = per_call(step_then_snapshot, inner, cfg.repeats, setup=lambda: env.restore(snap))
    env.restore(snap)

    def from_scratch() -> None:
        for svc in env.world.services.values():  # forget reusable frozen states
            svc._frozen = None
        env.world.timeline._pfrozen = None
        env.world.snapshot()

    full = per_call(from_scratch, inner, cfg.repeats)
    put = per_call(lambda: env.restore(snap), inner, cfg.repeats, setup=lambda: env.step(write))
    label = f"{n:,} extra mails over 90 days"
    return [
        Row("scale", f"step: {service}.list limit=20 ({label})", read, "us"),
        Row(
            "scale",
            f"step + snapshot after one write ({label})",
            after_write,
            "us",
            target="<= 1 ms",
            ok=after_write.median <= 1_000,
        ),
        Row("scale", f"snapshot from scratch, no reuse ({label}, {snap.world_state.nbytes() // 1024} KiB)", full, "us"),
        Row("scale", f"restore after one write ({label})", put, "us", target="<= 1 ms", ok=put.median <= 1_000),
    ]
