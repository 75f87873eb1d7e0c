"""Headroom for dual-invite-dnd, xdev-shift-alarms and phone-missed-call (issue 21, session 31): the honest
players' method ("search the requester by person and every identifier of the matter by text, across all
services") no longer settles levels 4-5. The deciding change comes from a stand-in whose say is written in the
world (the manager's assistant by the mail's signature, the manager's cover by the rota's mail, the caller's
battery stand-in by the caller's own text); it names the matter only by a day or an ordinal, among the stand-in's
same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import json
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.envs.kit import notation


def _by_person(env, person: str) -> set[str]:
    """The records ``events.search(person=...)`` finds (every page), as an agent pages through them."""
    found: set[str] = set()
    cursor = 0
    while True:
        obs, *_ = env.step(A.api("events.search", person=person, limit=40, cursor=cursor))
        page = json.loads(obs["result"])
        found |= {h["record"] for h in page["items"]}
        cursor = page.get("next_cursor") or 0
        if not cursor:
            return found


def _players(env, person: str, words: list[str]) -> set[str]:
    """The players' method: the requester by person, each identifier of the matter by text."""
    env.max_steps_override = 1000  # as many searches as it takes
    found = _by_person(env, person)
    for w in words:
        found |= {h["record"] for h in search(env, w)}
    return found


# ---- dual-invite-dnd -------------------------------------------------------------------------------
def _dm(world, f) -> list[dict]:
    return sorted(
        (m for m in world.services["chat"].table("messages").values() if m["channel"] == f["dm"]),
        key=lambda m: m["time"],
    )


def _amended(level: int) -> list[int]:
    """Seeds whose task (the first at ``level``) has the assistant's amendment."""
    return [s for s in range(6) if _at_level("dual-invite-dnd", level, s).scenario.facts["amended"]][:3]


@pytest.mark.parametrize("level", [4, 5])
def test_invite_the_assistant_s_dm_is_missed_by_the_manager_s_name_and_the_matter_s_words(level):
    seeds = _amended(level)
    assert seeds
    for seed in seeds:
        env = _at_level("dual-invite-dnd", level, seed)
        world, f = env.world, env.scenario.facts
        word = [m for m in _dm(world, f) if m["time"] == f["amended_at"]]
        assert len(word) == 1 and word[0]["sender"] == f["assistant"]
        client = f["title"].rsplit(" with ", 1)[-1]
        topic = [w for w in f["title"].split() if len(w) > 3 and w != "with"]
        words = [client, *topic, "invite", "ics", *(notation.hhmm(c["start"]) for c in f["candidates"])]
        boss = next(p for p in world.persona.people if p.email == f["boss"])
        env.step(A.wait(f["trigger_at"] - world.clock.now + 60, wake=False))  # the mail is in
        assert word[0]["id"] not in _players(env, boss.name, words)


@pytest.mark.parametrize("level", [4, 5])
def test_invite_the_dm_names_only_the_day_and_resolves_to_the_one_confirmation(level):
    for seed in _amended(level):
        env = _at_level("dual-invite-dnd", level, seed)
        world, f = env.world, env.scenario.facts
        boss = next(p for p in world.persona.people if p.email == f["boss"])
        dm = _dm(world, f)
        word = next(m for m in dm if m["time"] == f["amended_at"])
        text = word["text"]
        client = f["title"].rsplit(" with ", 1)[-1]
        assert client not in text and "invite" not in text.lower() and not re.search(r"\d\d:\d\d", text)
        assert boss.first in text and "#general" in text
        # the day it names: the one line of the manager's in #general that day confirming a time
        day = re.search(r"on (\w+ \d\d \w+)", text).group(1)
        general = [
            m
            for m in world.services["chat"].table("messages").values()
            if m["channel"] == "general"
            and m["sender"] == boss.name
            and f"{clock.to_datetime(m['time']):%A %d %B}" == day
            and "confirmed" in m["text"]
        ]
        assert len(general) == 1 and general[0]["time"] == f["confirmed_at"] and client in general[0]["text"]
        # the assistant's other lines: the same shape (after all, the manager, a day), other matters
        others = [m for m in dm if m["sender"] == f["assistant"] and m["id"] != word["id"] and "after all" in m["text"]]
        assert len(others) >= 2 and all(boss.first in m["text"] for m in others)
        # the signature gives the assistant their say
        trig = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == f["mail"])
        assert f["assistant"] in trig["body"] and "diary" in trig["body"]


def _invite_steps(env, start: int, end: int) -> list[str]:
    f = env.scenario.facts
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.api("calendar.create_event", title=f["title"], start=clock.fmt(start), end=clock.fmt(end)),
        *S.open_app("Settings"),
        S.tap("id/switch_do_not_disturb"),
        A.api("workmail.send", to=[f["boss"]], subject=f["title"], body="In my calendar, phone silenced."),
        A.wait(8 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_invite_the_slot_the_manager_confirmed_fails_and_the_assistant_s_next_one_passes(level):
    seed = _amended(level)[0]
    env = _at_level("dual-invite-dnd", level, seed)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=seed)
    took = next(c for c in f["candidates"] if c["start"] == f["took"])
    assert _failed(_play(env, _invite_steps(env, took["start"], took["end"]))) == [
        "the invite's event is in the calendar at its time, and no other candidate"
    ]


# ---- xdev-shift-alarms -----------------------------------------------------------------------------
def _sms(world) -> list[dict]:
    return list(world.services["sms"].table("messages").values())


@pytest.mark.parametrize("level", [4, 5])
def test_shifts_the_cover_s_text_is_missed_by_the_manager_s_name_and_the_rota_s_words(level):
    for seed in range(3):
        env = _at_level("xdev-shift-alarms", level, seed)
        world, f = env.world, env.scenario.facts
        boss = next(m for m in _sms(world) if "for next week:" in m["body"])
        name = next(p.name for p in world.persona.people if p.phone == boss["number"])
        days = re.findall(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)", boss["body"])
        times = re.findall(r"\d\d:\d\d", boss["body"])
        words = ["rota", f["week"], "shift", "start", *days, *times]
        assert f["taken_back"] not in _players(env, name, words)
        assert f["texted"] != f["want"]  # the manager's text alone is not the answer


@pytest.mark.parametrize("level", [4, 5])
def test_shifts_the_cover_s_text_names_the_day_and_place_and_the_rota_s_mail_gives_their_say(level):
    for seed in range(3):
        env = _at_level("xdev-shift-alarms", level, seed)
        world, f = env.world, env.scenario.facts
        texts = _sms(world)
        word = next(m for m in texts if m["id"] == f["taken_back"])
        body = word["body"]
        assert word["number"] == f["cover_phone"]
        assert not re.search(r"\d\d:\d\d|rota|shift|start", body, re.I)
        day = re.search(r"(?:of|on) (\d+ \w+)", body).group(1)
        assert not re.search(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", body, re.I)
        boss = next(m for m in texts if "for next week:" in m["body"])
        same_day = [
            m
            for m in texts
            if m["number"] == boss["number"]
            and f"{clock.to_datetime(m['time']).day} {clock.to_datetime(m['time']):%B}" == day
        ]
        assert same_day == [boss]  # the day names one text of the manager's: next week's changes
        others = [m for m in texts if m["number"] == f["cover_phone"] and "after all" in m["body"] and m != word]
        assert len(others) >= 2
        mail = [m for m in world.services["mail"].table("messages").values() if m["subject"] == f"Rota {f['week']}"]
        assert len(mail) == 1 and f["cover"] in mail[0]["body"] and "what they tell you goes" in mail[0]["body"]
        assert mail[0]["time"] < boss["time"] < word["time"] < world.clock.now


def _shift_steps(pairs: list[list[str]]) -> list[str]:
    steps = [*S.open_app("Clock")]
    for t, d in sorted(pairs, key=lambda p: p[1]):
        steps += [S.tap("id/add_alarm"), *S.fill("time", t), *S.fill("days", d), S.tap("id/save")]
    return [*steps, A.finish("Set.")]


@pytest.mark.parametrize("level", [4, 5])
def test_shifts_the_manager_s_text_alone_fails_and_the_cover_s_correction_passes(level):
    env = _at_level("xdev-shift-alarms", level, 1)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = _failed(_play(env, _shift_steps(f["texted"])))
    assert "an alarm before every shift of the corrected rota" in failed


# ---- phone-missed-call -----------------------------------------------------------------------------
def _texts(world, number: str) -> list[dict]:
    rows = list(world.services["sms"].table("messages").values())
    rows += [e.record for e in world.timeline.pending if e.service == "sms" and e.record]
    return sorted((m for m in rows if m.get("number") == number), key=lambda m: m["time"])


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_the_stand_in_s_text_is_missed_by_the_caller_s_name_and_the_times(level):
    for seed in range(3):
        env = _at_level("phone-missed-call", level, seed)
        world, f = env.world, env.scenario.facts
        word = next(m for m in _texts(world, f["stand_in_phone"]) if m["time"] == f["settled_at"])
        env.step(A.wait(f["settled_at"] - world.clock.now + 120, wake=False))  # every text of the call is in
        words = [f["time"], f["stale"], f["first"], f["time"].replace(":", "."), f["stale"].replace(":", ".")]
        assert word["id"] not in _players(env, f["name"], words)


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_the_caller_names_the_stand_in_whose_text_names_no_time_or_person(level):
    for seed in range(3):
        env = _at_level("phone-missed-call", level, seed)
        world, f = env.world, env.scenario.facts
        caller = [m for m in _texts(world, f["number"]) if m["time"] >= f["trigger_at"]]
        assert len(caller) == 2  # the ask (naming the stand-in) and the move: no take-back from the caller
        called = world.persona.called(world.persona.find(f["stand_in"]))
        assert f"{called} texts you for me" in caller[0]["body"] and f["time"] in caller[0]["body"]
        assert f["stale"] in caller[1]["body"]
        theirs = _texts(world, f["stand_in_phone"])
        word = next(m for m in theirs if m["time"] == f["settled_at"])
        assert not re.search(r"\d", word["body"]) and f["first"] not in word["body"]
        assert "earlier one works after all" in word["body"].lower()
        assert caller[1]["time"] < word["time"]
        others = [m for m in theirs if "after all" in m["body"] and m["id"] != word["id"]]
        assert len(others) >= 2 and any(m["time"] > word["time"] for m in others)


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_the_caller_s_own_last_time_fails_and_the_stand_in_s_passes(level):
    env = _at_level("phone-missed-call", level, 2)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    from claw_gym.envs.phone_missed_call import _act

    # the players' answer: the last time the caller's own texts name
    said = [m for m in _texts(env.world, f["number"]) if m["time"] >= f["trigger_at"]]
    last = re.findall(r"\d\d:\d\d", said[-1]["body"])[-1]
    failed = _failed(_play(env, _act(env.world, f, last)))
    assert "no reminder at the superseded time" in failed
    assert f"{f['name']} was texted the settled time (and no other)" in failed
