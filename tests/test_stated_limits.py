"""The limit a proactive task states is the time it is judged at, on every difficulty and variant (issue 21).

tests/test_stated_deadlines.py checks the first task of every proactive family at difficulty 1 and 5 for a
stated limit at or before the judging time. Here, for the families whose content names a clock time
(``deadlines.stated_limit``: "reply by 14:15", "call me back before 15:30") or whose rule names a span
(``deadlines.span_words``: "within two hours of it landing"), two tasks of every difficulty and variant,
seeds 0 and 1: the task is judged exactly ``GRACE`` after the limit the content states (not earlier, so
acting at the last stated minute passes; not much later, so the limit means what it says), and the
family's own solution started ten minutes before the limit passes. supplier-invoice is a day of arrivals,
each with its own limit: its trigger (a colleague's chat line) names the invoice's pay-by time, and the
day is judged once every arrival's limit has passed.
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.envs.kit import deadlines
from claw_gym.replay import finish_episode
from claw_gym.tasks import families
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
    "phone-setting-notification": "trigger_at",
    "ticket-deal-risk": "trigger_at",
    "venue-cancel": "trigger_at",
    "vip-ticket": "trigger_at",
    "xdev-missed-call": "trigger_at",
    "xdev-phone-link": "trigger_at",
    "xdev-signin-approve": "trigger_at",
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


def _limits(env: gym.Env) -> tuple[int, list[int]]:
    """The trigger time and the stated limits after it, up to the judging time."""
    sc = env.unwrapped.scenario
    t0 = sc.facts["trigger_at"]
    times = stated_times(content_texts(env), t0)
    return t0, sorted(t for t in times if t0 < t <= sc.deadline)


def test_supplier_invoices_trigger_names_the_invoices_time_and_the_day_is_judged_after_every_limit():
    for task_id in _tasks("supplier-invoice"):
        env = gym.make(f"ClawAnything/{task_id}-v0", screen=False)
        try:
            for seed in (0, 1):
                env.reset(seed=seed)
                sc = env.unwrapped.scenario
                t0, limits = _limits(env)
                where = f"{task_id} seed {seed}: trigger {clock.fmt(t0)}, judged {clock.fmt(sc.deadline)}"
                assert sc.deadline - t0 >= deadlines.MIN_DEADLINE, where  # the documented floor holds
                assert sc.facts["pay_by"] in limits, f"{where}; the chat line names the invoice's time"
                assert sc.deadline > max(sc.facts["pay_by"], sc.facts["ask_by"]), where
        finally:
            env.close()


@pytest.mark.parametrize("difficulty", [1, 5])
@pytest.mark.parametrize("family", [*sorted(FAMILIES), "supplier-invoice"])
def test_acting_just_before_the_stated_limit_passes(family, difficulty):
    spec = claw_gym.catalog(family=family, split=SPLITS, difficulty=difficulty)[0]
    env = gym.make(spec.env_id, screen=False)
    try:
        env.reset(seed=0)
        u = env.unwrapped
        limit = u.scenario.facts["pay_by"] if family == "supplier-invoice" else u.scenario.deadline - deadlines.GRACE
        env.step(A.wait(limit - 10 * clock.MINUTE - u.world.clock.now, wake=False))
        # the family's own solution from here (its waits for arrivals already past are dropped)
        steps = [a for a in families()[family].oracle(u.world, u.scenario.facts) if '"seconds": -' not in a]
        if family == "xdev-signin-approve":  # its oracle denies the early prompt as it comes; this late, page on
            steps = _answer_every_card_paging(u.scenario.facts) + [a for a in steps if '"shell"' in a]
        info: dict = {}
        for action in steps:
            _, _, terminated, truncated, info = env.step(action)
            if terminated or truncated:
                break
        else:
            info = finish_episode(env)
        failed = [c["name"] for c in info["verdict"]["checks"] if not c["passed"]]
        assert info["verdict"]["passed"], failed
    finally:
        env.close()


def _answer_every_card_paging(f: dict) -> list[str]:
    """Late in a busy day the first prompt is pages down the shade: answer what shows, page on (a tap on
    a card that is not on this page is an error observation and changes nothing)."""
    answers = [S.tap(f"text=Approve {f['ours']}")] + [S.tap(f"text=Deny {rid}") for rid in f["foreign"]]
    return [S.open_shade(), *[a for _ in range(8) for a in (*answers, S.tap("id/more"))], A.key("back")]
