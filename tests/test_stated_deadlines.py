"""Every proactive task says by when it is judged (issue 21, players).

A player found no deadline in the trigger of signin-alert (judged 2 h after) nor in a backup alert:
an agent cannot know how long it has. For every proactive family, at difficulty 1 and 5, the time
by which the checker judges must be stated, in the trigger's content (what arrives with it) or in
a rule the person wrote (notes, to-dos): a limit between the trigger and the judging time ("by
11:00", "before the 10:30 meeting", "call me back at 10:15"), or a span that ends by then ("within
the hour", "in the next 30 minutes"). A bare clock time ("meet around 11:15") is no limit, a later
limit is not enough (the agent would be judged before it), and text that arrives outside the
trigger's minutes does not count.

Families that fail are listed in ``UNSTATED`` (xfail, strict: a fixed family must leave the list);
their modules belong to other engineers, the lead assigns them.
"""

from __future__ import annotations

import re

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import clock
from claw_gym.services.events import record_text
from claw_gym.tasks import families, values

PROACTIVE = sorted(n for n, f in families().items() if f.kind == "proactive")
SPLITS = ["train", "test", "heldout"]
BURST = 10 * clock.MINUTE  # what arrives with the trigger: its minute and the few after
WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "half": 0.5}
#: a limit in words: "by 11:00", "before the 10:30 meeting", "call me back at 10:15", "no later than 4 pm",
#: "need it for the call at 11:40"
BY_TIME = re.compile(
    r"\b(?:by|before|until|till|no later than|latest|back at|need(?:s|ed)? it for\b[^.\n]{0,40}?\bat)\b"
    r"[^.\n]{0,30}?(\d{1,2}[:h]\d{2}|\d{1,2}\s?[ap]\.?m\b)",
    re.IGNORECASE,
)
#: a span: "within the hour", "within 30 minutes", "in the next two hours"
SPAN = re.compile(
    r"\b(?:within|in the next)\s+(?:the\s+)?(\d+|an?|one|two|three|four|five|six|half an?)?"
    r"\s*(hours?|h|minutes?|mins?)\b",
    re.IGNORECASE,
)

#: (family, difficulty) whose trigger and rules state no judging time at seed 0 of the first task (the
#: checker waits 2-5 h, the content names no limit): for the lead to assign to their owners
UNSTATED: set[tuple[str, int]] = set()  # every proactive family states it now (issue 21)


def _span_seconds(m: re.Match[str]) -> int:
    amount, unit = (m.group(1) or "the").lower(), m.group(2).lower()
    n = float(amount) if amount.isdigit() else WORDS.get(amount.split()[0], 1)
    return int(n * (clock.HOUR if unit.startswith("h") else clock.MINUTE))


def stated_times(texts: list[str], trigger_at: int) -> list[int]:
    """The virtual times the texts set as a limit, read from the trigger's day."""
    day = trigger_at - trigger_at % clock.DAY
    out = []
    for text in texts:
        for hhmm in {v for m in BY_TIME.finditer(text) for v in values.time_values(m.group(1))}:
            h, m = int(hhmm[:2]), int(hhmm[3:])
            t = day + h * clock.HOUR + m * clock.MINUTE
            out.append(t if t > trigger_at else t + clock.DAY)  # "by 09:00" said in the evening: tomorrow
        out += [trigger_at + _span_seconds(m) for m in SPAN.finditer(text)]
    return out


def content_texts(env: gym.Env) -> list[str]:
    """What arrives with the trigger (event lines and records), and the rules the person wrote."""
    world, f = env.unwrapped.world, env.unwrapped.scenario.facts
    t0 = f["trigger_at"]
    events = world.timeline.history + world.timeline.pending
    texts = [f"{e.text} {record_text(e.record)}" for e in events if t0 - clock.MINUTE <= e.time <= t0 + BURST]
    for svc, table, fields in (("notes", "notes", ("title", "body")), ("todo", "items", ("title", "notes"))):
        if svc in world.services:
            for r in world.services[svc].table(table).values():
                texts.append(" ".join(str(r.get(k) or "") for k in fields))
    return texts


def judged_by_stated_time(task_id: str) -> tuple[bool, str]:
    env = gym.make(f"ClawAnything/{task_id}-v0", screen=False)
    try:
        env.reset(seed=0)
        sc = env.unwrapped.scenario
        t0, deadline = sc.facts["trigger_at"], sc.deadline
        times = stated_times(content_texts(env), t0)
        ok = any(t0 < t <= deadline + clock.MINUTE for t in times)
        return ok, f"trigger {clock.fmt(t0)}, judged {clock.fmt(deadline)}"
    finally:
        env.close()


def test_the_reader_finds_clock_times_and_spans():
    t0 = clock.parse_time("2026-03-02 09:10")
    assert clock.parse_time("2026-03-02 11:00") in stated_times(["please have it done by 11:00"], t0)
    assert t0 + clock.HOUR in stated_times(["Approve it within the hour."], t0)
    assert t0 + 30 * clock.MINUTE in stated_times(["in the next 30 minutes please"], t0)
    assert clock.parse_time("2026-03-02 10:30") in stated_times(["Before the 10:30 meeting, please."], t0)
    assert clock.parse_time("2026-03-02 11:40") in stated_times(["Need it for the call with the vendor at 11:40."], t0)
    assert stated_times(["no time here", "we could meet at the cafe around 11:15"], t0) == []


CASES = [
    pytest.param(
        fam,
        d,
        marks=pytest.mark.xfail(strict=True, reason="no judging time in trigger or rules")
        if (fam, d) in UNSTATED
        else (),
        id=f"{fam}-d{d}",
    )
    for fam in PROACTIVE
    for d in (1, 5)
]


@pytest.mark.parametrize(("family", "difficulty"), CASES)
def test_the_judging_time_is_stated(family, difficulty):
    specs = claw_gym.catalog(family=family, split=SPLITS, difficulty=difficulty)
    if not specs:
        pytest.skip(f"{family} has no difficulty {difficulty}")
    ok, where = judged_by_stated_time(specs[0].task_id)
    assert ok, f"{specs[0].task_id}: {where}; nothing in the trigger's content or the person's rules says so"
