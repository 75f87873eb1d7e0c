"""The limit a proactive task states is the time it is judged at, on every difficulty and variant (issue 21).

tests/test_stated_deadlines.py checks the first task at difficulty 1 and 5 for a stated limit at or before
the judging time. Here, for the families that state their limit with ``deadlines.stated_limit`` (a clock
time in the trigger's content) or ``deadlines.span_words`` (a span in the person's rule), two tasks of
every difficulty and variant, seeds 0 and 1: the task is judged exactly ``GRACE`` after the limit the
content states (not earlier, so acting at the last stated minute passes; not much later, so the limit
means what it says).
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import clock
from claw_gym.envs.kit import deadlines
from tests.test_stated_deadlines import SPLITS, content_texts, stated_times

#: family -> the fact holding the arrival its limit counts from (a span in the rule runs from the latest notice)
FAMILIES = {
    "backup-alert": "trigger_at",
    "bill-pay": "trigger_at",
    "dual-flight-change": "trigger_at",
    "dual-invite-dnd": "trigger_at",
    "dual-receipt-sheet": "trigger_at",
    "duplicate-charge": "trigger_at",
    "flight-delay": "last_notice_at",
    "parcel-reschedule": "trigger_at",
}


def _tasks(family: str) -> list[str]:
    """Two tasks of every (difficulty, variant)."""
    groups: dict[tuple[int, str], list[str]] = {}
    for s in claw_gym.catalog(family=family, split=SPLITS):
        groups.setdefault((s.difficulty, s.variant), []).append(s.task_id)
    return [t for ids in groups.values() for t in ids[:2]]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_task_is_judged_a_minute_after_the_limit_it_states(family):
    wrong = []
    for task_id in _tasks(family):
        env = gym.make(f"ClawAnything/{task_id}-v0", screen=False)
        try:
            for seed in (0, 1):
                env.reset(seed=seed)
                sc = env.unwrapped.scenario
                anchor = sc.facts[FAMILIES[family]]
                limit = sc.deadline - deadlines.GRACE
                said = stated_times(content_texts(env), anchor)
                if limit not in said or limit <= sc.facts["trigger_at"]:
                    wrong.append(
                        f"{task_id} seed {seed}: judged {clock.fmt(sc.deadline)}, stated "
                        f"{sorted(clock.fmt(t) for t in said)}"
                    )
        finally:
            env.close()
    assert not wrong, "\n".join(wrong)


def test_dual_invite_dnd_is_judged_before_any_slot_starts():
    """The manager's limit comes before the meeting (every candidate slot at 4-5): judged then, the meeting
    has not begun, so "Do not disturb beforehand" and "by 14:15" ask for the same thing."""
    for task_id in _tasks("dual-invite-dnd"):
        env = gym.make(f"ClawAnything/{task_id}-v0", screen=False)
        try:
            env.reset(seed=0)
            sc = env.unwrapped.scenario
            starts = [c["start"] for c in sc.facts.get("candidates", [])] + [sc.facts["start"]]
            assert sc.deadline < min(starts), task_id
        finally:
            env.close()
