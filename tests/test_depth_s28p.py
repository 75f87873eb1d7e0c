"""Headroom for group s28P's families (issue 21, points 3 and 5): at levels 4-5 the record that decides sits
deep in the history among same-shaped live candidates, its later change comes through another channel whose
line names no topic and is not among the opening's latest lines, the answer takes a step of reasoning, a
half-done or stale run fails and another reasonable way passes.

Action lists are built from the facts, like the oracle; each test plays one task to its verdict.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S


def _opening(env, seed: int) -> str:
    obs, _ = env.reset(seed=seed)
    return str(obs["events"])


# ---- phone-alarm-from-message ----------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_alarm_the_booking_is_deep_among_live_bookings_and_its_move_names_only_the_reference(level, days):
    from claw_gym.envs.phone_alarm_from_message import FIRMS

    for seed in range(3):
        env = _at_level("phone-alarm-from-message", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        mails = list(world.services["mail"].table("messages").values())
        booking = world.services["mail"].table("messages")[f["booking"]]
        assert booking["time"] <= now - days * clock.DAY and f["ref"] in booking["body"]
        assert f["depth"]["at"] == booking["time"]
        firm = next(x for x in FIRMS if x[1] == booking["from"])
        live = [
            m
            for m in mails
            if m["from"] == booking["from"]
            and m["subject"].startswith("Booking confirmed - ")
            and clock.parse_time(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", m["body"])[0]) > now
        ]
        assert len(live) >= 3 and f["depth"]["candidates"] >= 3  # several live bookings of the same firm
        texts = list(world.services["sms"].table("messages").values())
        asks = [m for m in texts if m["number"] == f["sender"] and "be up " in m["body"]]
        assert len(asks) == 1 and not re.search(r"\d\d:\d\d", asks[0]["body"])  # a lead, no clock time
        moves = [m for m in texts if m["number"] == firm[2]]
        mine = [m for m in moves if f["ref"] in m["body"]]
        assert len(moves) >= 2 and len(mine) == 1  # the firm moved another booking too
        assert not {firm[3].split()[0], "alarm", "wake"} & set(mine[0]["body"].lower().split())
        assert asks[0]["time"] < mine[0]["time"] <= now - 2 * clock.DAY
        assert f["ref"] not in _opening(env, seed)  # the move is not among the opening's latest lines
        everything = [m["body"] for m in mails] + [m["body"] for m in texts]
        assert not any(f["time"] in b for b in everything)  # the alarm time is computed, never copied
        if level == 5:
            asides = [m for m in mails if m["from"] != booking["from"] and m["subject"].startswith("Re: ")]
            lead = [m for m in asides if "before" in m["body"] and f["first"] in m["body"]]
            assert len(lead) == 1 and asks[0]["time"] < lead[0]["time"] <= now - 2 * clock.DAY
            assert not {"alarm", "wake", "up", firm[3].split()[0]} & set(lead[0]["subject"].lower().split())


def _alarm(hhmm: str, label: bool = True) -> list[str]:
    """Set one alarm in Clock (the only door: alarms live on the phone)."""
    steps = [*S.open_app("Clock"), S.tap("id/add_alarm"), *S.fill("time", hhmm)]
    if label:
        steps += S.fill("label", "Early start")
    return [*steps, S.tap("id/save"), A.finish(f"Alarm set for {hhmm}.")]


def _minus(hhmm: str, minutes: int) -> str:
    h, m = map(int, hhmm.split(":"))
    t = h * 60 + m - minutes
    return f"{t // 60:02d}:{t % 60:02d}"


@pytest.mark.parametrize("level", [4, 5])
def test_alarm_another_way_passes_and_the_booking_time_or_the_unmoved_time_fails(level):
    env = _at_level("phone-alarm-from-message", level, 2)
    f = env.scenario.facts
    verdict = _play(env, _alarm(f["time"].lstrip("0"), label=False))  # no label, no leading zero, no Contacts
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    assert _failed(_play(env, _alarm(f["stale"]))) == [
        "an alarm is on at the requested time",
        "no alarm at the superseded time",
        "no alarm added at another time",
    ]
    env.reset(seed=2)
    booked = env.world.services["mail"].table("messages")[f["booking"]]["body"]
    at = re.search(r"\d{4}-\d\d-\d\d (\d\d:\d\d)", booked)[1]
    failed = _failed(_play(env, _alarm(at)))  # the lead left out
    assert failed == ["an alarm is on at the requested time", "no alarm added at another time"]


def test_alarm_the_lead_changed_in_an_aside_decides_at_level_5():
    env = _at_level("phone-alarm-from-message", 5, 1)
    f = env.scenario.facts
    assert _failed(_play(env, _alarm(f["stale"]))) == [
        "an alarm is on at the requested time",
        "no alarm at the superseded time",
        "no alarm added at another time",
    ]
    env.reset(seed=1)
    both = [*_alarm(f["time"])[:-1], *_alarm(_minus(f["time"], -15))]  # right time plus a hedge a bit later
    assert _failed(_play(env, both)) == ["no alarm added at another time"]
