"""Headroom for inbox-day, weekly-report, household-day and todo-export at levels 4-5 (issue 21, session 33): the
players' method (search the requester and every identifier of the matter on every service, "from now on", "after
all", read the requester's DMs) no longer settles them. The deciding word comes from someone whose say is written
in the world (a calendar entry's notes, ...), names the matter only by a date or an ordinal, and sits among that
person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
"""

from __future__ import annotations

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import inbox_day
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]


# ---- inbox-day ------------------------------------------------------------------------------------------
def _word_record(env) -> dict:
    f, w = env.scenario.facts, env.world
    table = "messages"
    svc = w.services["chat" if f["word"]["door"] == "chat" else "sms"]
    if f["word"]["msg"] not in svc.table(table):  # an arrival still to come: let the day run to it
        env.step(A.wait(f["word"]["at"] - w.clock.now + 60, wake=False))
    return svc.table(table)[f["word"]["msg"]]


def _inbox_identifiers(env) -> list[str]:
    f, w = env.scenario.facts, env.world
    plan, entry = f["plan"], w.services["calendar"].table("entries")[f["entry"]]
    hhmm = [clock.fmt(f[k])[-5:] for k in ("start", "asked", "second")]
    return [
        entry["title"],
        entry["title"].split()[0],
        *hhmm,
        clock.fmt_date(f["start"]),
        clock.fmt_date(f["asked"]),
        plan["name"],
        plan["iban"],
        plan["ref"],
        f"{plan['instalment']:.2f}",
        f["fyi_iban"],
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_players_searches_miss_the_booker_s_word(variant, level):
    for seed in range(2):
        env = _at_level("inbox-day", level, seed, variant=variant)
        f = env.scenario.facts
        _word_record(env)
        msg = f["word"]["msg"]
        who = f["person"]
        for person in (who["name"], who["name"].split()[0], who["email"], who["phone"]):
            assert msg not in _found(env, person=person), person
        for text in _inbox_identifiers(env):
            assert msg not in _found(env, text), text


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_booker_s_word_names_nothing_and_its_day_fits_one_meeting(variant, level):
    for seed in range(3):
        env = _at_level("inbox-day", level, seed, variant=variant)
        f, w = env.scenario.facts, env.world
        rec = _word_record(env)
        text = rec.get("text", rec.get("body", ""))
        assert text == f["word"]["line"]
        for ident in _inbox_identifiers(env)[:-2] + [f["person"]["name"].split()[0], "Cafe"]:
            assert ident.lower() not in text.lower(), ident
        # whose say it is: the entry's notes, written before the word
        first = f["booker_name"].split()[0]
        entries = w.services["calendar"].table("entries")
        assert f"changes go through {first}" in entries[f["entry"]]["notes"]
        assert ("Let " + first + " know if it moves") in entries[f["entry"]]["notes"] or level == 4
        # the day resolves to one meeting: the only coming entry on that day of the month that goes through them
        day = text.split(":")[0].removeprefix("re the ")
        fits = [
            e["id"]
            for e in entries.values()
            if w.clock.now < e["start"] < w.clock.now + 40 * clock.DAY
            and oblique.day_ordinal(e["start"]) == day
            and first in e.get("notes", "")
        ]
        assert fits == [f["entry"]]
        # the booker's same-shaped lines about other matters, before the word
        if f["word"]["door"] == "chat":
            theirs = [
                m["text"]
                for m in w.services["chat"].table("messages").values()
                if m["channel"] == oblique.dm_channel(first) and m["sender"] == f["booker_name"]
            ]
        else:
            theirs = [m["body"] for m in w.services["sms"].table("messages").values() if m["number"] == f["booker"][1]]
        assert sum(t.startswith("re the ") for t in theirs) >= 3
        assert f["final"] == f["asked"] != f["second"]


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_later_suggestion_fails_and_the_first_passes(variant, level):
    env = _at_level("inbox-day", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    verdict = _play(env, inbox_day.stale_oracle(env.world, f))  # the players' answer: the later message wins
    assert _failed(verdict) == [
        "the meeting is moved to the time the booker's word picks",
        "what they were told names no other time",
    ]


@pytest.mark.parametrize("variant", ["personal", "work"])
def test_inbox_d5_the_booker_untold_fails(variant):
    env = _at_level("inbox-day", 5, 1, variant=variant)
    f = env.scenario.facts
    steps = [s for s in env.oracle_actions() if f["booker"][1] not in s]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{f['booker_name']} heard where it moved"]
    env.reset(seed=1)
    told = (
        A.api("chat.post", channel=oblique.dm_channel(f["booker_name"]), text="Moved it, all sorted.")
        if variant == "work"
        else A.api("mail.send", to=[f["booker"][0]], subject="The move", body="Moved it, all sorted.")
    )
    at = steps.index(next(s for s in steps if "calendar.update_event" in s))
    verdict = _play(env, steps[: at + 1] + [told] + steps[at + 1 :])  # by chat or mail is fine too
    assert verdict["passed"] and not verdict["violations"], verdict
