"""Event ids follow time, so the highest ids of the history are never the task's own records."""

from __future__ import annotations

import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.env import ClawEnv


def _first_tasks() -> list[str]:
    seen: dict[str, str] = {}
    for spec in claw_gym.catalog():
        if spec.difficulty == 5:
            seen.setdefault(spec.family, spec.task_id)
    return sorted(seen.values())[::6]  # a spread of families; the build path is shared


@pytest.mark.parametrize("task_id", _first_tasks())
def test_event_ids_follow_time_and_new_ones_never_collide(task_id: str) -> None:
    env = ClawEnv(task_id=task_id)
    env.reset(seed=2)
    assert env.world is not None
    timeline = env.world.timeline
    events = timeline.history + timeline.pending
    numbers = [int(ev.id[2:]) for ev in events]
    assert numbers == list(range(1, len(events) + 1))
    assert [(ev.time, ev.seq) for ev in events] == sorted((ev.time, ev.seq) for ev in events)
    env.step(A.wait(3600))  # deliveries keep their ids; anything scheduled now draws a fresh one
    env.step(A.api("mail.send", to="someone@example.org", subject="hello", body="hi"))
    ids = [ev.id for ev in timeline.history + timeline.pending]
    assert len(ids) == len(set(ids))
    env.close()
