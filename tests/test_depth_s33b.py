"""Headroom for flight-delay, dual-flight-change, parcel-reschedule and venue-cancel at levels 4-5 (issue 21, session
33): the players' method (search the requester, the trigger's sender and every identifier of the matter on every
service, "from now on", "after all", read the requester's messages) no longer settles them. The deciding change
comes from someone whose say is written in the world (the ride's entry names who booked it), and it names the
matter only by its day, among the same person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import flight_delay
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]
PLAYERS = ["from now on", "after all"]


# ---- flight-delay -------------------------------------------------------------------------------------------
def _fd(level: int, seed: int, variant: str):
    env = _at_level("flight-delay", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _fd_identifiers(world, f: dict) -> list[str]:
    """Every identifier of the matter an agent has: the flight, its airline and cities, the booking refs, the
    ride's title words, the airline's sender."""
    cal = world.services["calendar"].table("entries")
    flight = cal[f["flight"]]
    num, frm, to = re.match(r"Flight (\S+) (.+) - (.+)$", flight["title"]).groups()
    ride = cal[f["ride"]]
    airline, _, domain = next(a for a in flight_delay.AIRLINES if a[1] == num[:2])  # the notices arrive later
    sender = f"alerts@{domain}"
    refs = [e["notes"].split()[-1] for e in cal.values() if e["notes"].startswith("Booking ref")]
    return [num, frm, to, airline, sender, *refs, ride["title"], "Cab", "ride", "airport", "land", *PLAYERS]


@pytest.mark.parametrize("variant", ["work", "personal"])
@pytest.mark.parametrize("level", LEVELS)
def test_flight_delay_the_players_searches_miss_the_booker_s_word(level, variant):
    for seed in range(2):
        env, world, f = _fd(level, seed, variant)
        word = f["word"]["sms"]
        me = world.persona.me
        whos = [me.name, me.first, *(p["name"] for p in [f["also"]] if p)]
        for who in whos + [a.split("@")[0] for a in f["attendees"]]:
            assert word not in _found(env, person=who), who
        for text in _fd_identifiers(world, f):
            assert word not in _found(env, text), text
        assert word in _found(env, person=f["booker"]["name"])  # reading the booker's texts finds it


@pytest.mark.parametrize("variant", ["work", "personal"])
@pytest.mark.parametrize("level", LEVELS)
def test_flight_delay_the_word_names_no_identifier_and_its_day_fits_one_booking(level, variant):
    for seed in range(3):
        env, world, f = _fd(level, seed, variant)
        cal = world.services["calendar"].table("entries")
        texts = world.services["sms"].table("messages")
        word, booker = texts[f["word"]["sms"]], f["booker"]
        assert word["number"] == booker["phone"] and word["direction"] == "in"
        body = word["body"].lower()
        for ident in _fd_identifiers(world, f)[:-3]:
            assert ident.lower() not in body, ident
        assert "flight" not in body and f"{f['margin']} min" in body and str(f["stale_margin"]) in body
        # whose say it is: written on the ride's entry, booked before the word
        ride = cal[f["ride"]]
        assert ride["notes"].startswith(f"{booker['name']} booked it - changes go through them.")
        assert f["word"]["booked"] < word["time"] < world.clock.now
        assert ("Let them know the new time" in ride["notes"]) == (level == 5)
        # the same person's same-shaped lines about other matters, at waking hours
        theirs = [m for m in texts.values() if m["number"] == booker["phone"] and m["body"].startswith("re the ")]
        assert len(theirs) >= 4 and word in theirs
        assert all(9 <= clock.to_datetime(m["time"]).hour < 19 for m in theirs)
        # "the one I booked for the 12th" resolves to one booking of theirs: the ride
        day = re.search(r"the one I booked for the (\d+\w\w)", word["body"]).group(1)
        mine = [e for e in cal.values() if booker["name"] in e["notes"]]
        assert [e["id"] for e in mine if oblique.day_ordinal(e["start"]) == day] == [f["ride"]]
        assert sum("the one I booked" in m["body"] for m in theirs) == 1


def _fd_steps(env, margin: int, *, tell: bool = True) -> list[str]:
    """The oracle's steps with the ride at ``margin`` minutes after the latest landing (and the booker told, at
    level 5, unless ``tell`` is off)."""
    f = env.scenario.facts
    at = f["arr"] + margin * clock.MINUTE
    out = []
    for s in env.oracle_actions():
        if f'"id": "{f["ride"]}"' in s and "update_event" in s:
            s = A.api("calendar.update_event", id=f["ride"], start=clock.fmt(at), end=clock.fmt(at + 45 * clock.MINUTE))
        if f["booker"]["phone"] in s and "sms.send" in s:
            if not tell:
                continue
            s = A.api("sms.send", to=f["booker"]["phone"], body=f"Moved the ride to {clock.fmt(at)[-5:]}.")
        out.append(s)
    return out


@pytest.mark.parametrize("variant", ["work", "personal"])
@pytest.mark.parametrize("level", LEVELS)
def test_flight_delay_the_rule_s_margin_fails_and_the_booker_s_passes(level, variant):
    env, world, f = _fd(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    stale = _failed(_play(env, _fd_steps(env, f["stale_margin"])))  # the players' answer: the note's margin
    want = ["the ride from the airport is at the margin after the latest landing"]
    assert stale == want + ([f"{f['booker']['name']} told the ride's new time"] if level == 5 else []), stale
    env.reset(seed=1)
    verdict = _play(env, _fd_steps(env, f["margin"]))
    assert verdict["passed"] and not verdict["violations"], verdict


def test_flight_delay_d5_the_booker_untold_fails():
    for variant in ("work", "personal"):
        env, world, f = _fd(5, 1, variant)
        assert _failed(_play(env, _fd_steps(env, f["margin"], tell=False))) == [
            f"{f['booker']['name']} told the ride's new time"
        ]
