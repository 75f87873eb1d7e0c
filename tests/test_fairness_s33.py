"""Fixes from honest play in session 33 (issue 21's fairness contract: a world tells one consistent story)."""

from __future__ import annotations

import pytest
from episodes import at_level

from claw_gym import clock


def _syncd(env):
    files = {r["path"]: r for r in env.world.services["files"].table("files").values()}
    log = next(r for p, r in files.items() if p.endswith("syncd.log"))
    conf = next(r for p, r in files.items() if p.endswith("syncd.conf"))
    runs = [line for line in log["content"].splitlines() if "backup finished" in line or "starting" in line]
    ok = [clock.parse_time(line[:16]) for line in runs if "backup finished" in line]
    failed = [clock.parse_time(line[:16]) for line in runs if "starting" in line]
    return conf, ok, failed


@pytest.mark.parametrize("family", ["backup-alert", "config-fix"])
@pytest.mark.parametrize("level", [1, 3, 4, 5])
def test_syncd_the_last_good_run_fits_the_story_of_what_broke(family, level):
    # A player saw a run finish on a port IT's mail had called closed weeks before: the desk's mail now says the
    # old port stays open until the day of the last finished run, and a bad folder or retention is written into
    # the config after that run, before the first failed one.
    for variant in ("port", "path", "retention"):
        env = at_level(family, level, seed=0, variant=variant)
        conf, ok, failed = _syncd(env)
        assert ok and failed and max(ok) < min(failed), (variant, ok, failed)
        if variant == "port":
            desk = [
                m
                for m in env.world.services["mail"].table("messages").values()
                if m["subject"] == "Backup server maintenance done"
            ]
            assert len(desk) == 1
            day = clock.to_datetime(max(ok))
            assert f"stays open until {day:%A} {day.day} {day:%B}" in desk[0]["body"], desk[0]["body"]
            assert int(desk[0]["time"]) < max(ok)
        else:
            assert max(ok) < int(conf["modified"]) < min(failed), (variant, ok, conf["modified"], failed)


@pytest.mark.parametrize("level", [1, 3, 5])
def test_xdev_missed_call_the_task_s_calls_read_like_the_background_s(level):
    # A player saw the trigger logged as a bare "missed call" while every background missed call names its
    # caller: the task's calls stood out by their format.
    for seed in (0, 1):
        env = at_level("xdev-missed-call", level, seed=seed)
        tl = env.world.timeline
        calls = [e.text for e in [*tl.history, *tl.pending] if e.kind == "phone.call" and "missed" in e.text]
        arrivals = [e.text for e in tl.pending if e.kind == "phone.call"]
        assert arrivals and all(t.startswith("missed call from ") for t in calls), calls


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Tuesday 13:00 clashes with the board prep, so let's keep the budget sync at Tuesday 11:30.", {"11:30"}),
        ("13:00 doesn't work for us, let's do 11:30", {"11:30"}),
        ("Let's do 11:30. 13:00 is out.", {"11:30"}),
        ("13:00 is taken so 11:30 it is", {"11:30"}),
        ("11:30 is fine; 13:00 won't work", {"11:30"}),
        ("11:30 - does that work?", {"11:30"}),
        ("11:30 or 13:00, whichever suits", {"11:30", "13:00"}),  # still a hedge
        ("see you at 11:30 and 13:00", {"11:30", "13:00"}),
    ],
)
def test_a_time_its_own_clause_turns_down_is_only_mentioned(text, asked):
    # A player's "13:00 clashes with the board prep, so let's keep it at 11:30" failed inbox-day's "names no
    # other time": a value turned down just after it is named only to decline it, as "not 13:00" always was.
    from claw_gym.tasks import values

    assert values.asked_values(text, values.times_in(text)) == asked


@pytest.mark.parametrize("variant", ["personal", "work"])
def test_inbox_day_a_reply_that_declines_the_other_time_passes(variant):
    import json

    from episodes import play

    env = at_level("inbox-day", 5, 1, variant=variant)
    f = env.scenario.facts
    final, other = clock.fmt(f["final"])[-5:], clock.fmt(f["second"])[-5:]
    steps = []
    for s in env.oracle_actions():
        a = json.loads(s)
        if a.get("call") in ("sms.send", "mail.send", "workmail.send") and f["person"]["phone"] in str(a["args"]):
            a["args"]["body"] = f"{other} clashes with something else, so let's keep it at {final}."
        steps.append(json.dumps(a))
    assert steps != env.oracle_actions()
    verdict = play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict
