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
from episodes import finding as _finding
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import dual_flight_change, flight_delay, parcel_reschedule, venue_cancel
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
        assert not _finding(
            env, word, people=whos + [a.split("@")[0] for a in f["attendees"]], texts=_fd_identifiers(world, f)
        )
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


# ---- dual-flight-change -------------------------------------------------------------------------------------
def _dfc(level: int, seed: int):
    env = _at_level("dual-flight-change", level, seed)
    return env, env.world, env.scenario.facts


def _dfc_identifiers(world, f: dict) -> list[str]:
    """Every identifier of the trip an agent has: the flight, the city and its code, the airline, the itinerary's
    words, and the words of the person's own later text about the lead."""
    entry = world.services["calendar"].table("entries")[f["entry"]]
    city, code = re.match(r"Flight \S+ to (.+) \((\w+)\)$", entry["title"]).groups()
    airline = next(a for a, p in dual_flight_change.AIRLINES if f["flight"].startswith(p))
    words = ["itinerary", "Leave for airport", "airport", "Trip", "Departs", "Pickup", "Hotel", "flight"]
    return [f["flight"], city, code, airline, *words, "two and a half", "takeoff", "hours before", *PLAYERS]


@pytest.mark.parametrize("level", LEVELS)
def test_dual_flight_the_players_searches_miss_the_driver_s_word(level):
    for seed in range(3):
        env, world, f = _dfc(level, seed)
        word = f["word"]["sms"]
        me = world.persona.me
        friend = next(p.name for p in world.persona.people if p.phone == f["friend"])
        assert not _finding(
            env, word, people=(me.name, me.first, f["pickup_name"], friend), texts=_dfc_identifiers(world, f)
        )
        assert word in _found(env, person=f["driver_name"])  # reading the driver's texts finds it


@pytest.mark.parametrize("level", LEVELS)
def test_dual_flight_the_word_names_no_identifier_and_its_day_fits_one_trip(level):
    for seed in range(4):
        env, world, f = _dfc(level, seed)
        texts = world.services["sms"].table("messages")
        word = texts[f["word"]["sms"]]
        assert word["number"] == f["driver"][0] and word["direction"] == "in"
        for ident in _dfc_identifiers(world, f)[:-2]:
            assert ident.lower() not in word["body"].lower(), ident
        # whose say it is: the itinerary's Lift line, written (when the trip was booked) before the word
        itins = {r["path"]: r for r in world.services["files"].table("files").values() if "itinerary-" in r["path"]}
        mine = itins[f["path"]]
        lift = f"Lift there: {f['driver_name']} - when we set off is their call"
        assert lift in mine["content"] and mine["modified"] < word["time"] < world.clock.now
        assert ("tell them the new time if the flight moves" in mine["content"]) == (level == 5)
        # the person's own later lead (two and a half hours) is older than the driver's word
        own = [m for m in texts.values() if m["body"] == dual_flight_change.LONGER]
        assert len(own) == 1 and own[0]["time"] < word["time"]
        # the driver's same-shaped texts about other matters; "the lift for the 12th" fits one trip of theirs
        theirs = [m for m in texts.values() if m["number"] == f["driver"][0] and m["body"].startswith("re the ")]
        assert len(theirs) >= 4 and sum("the lift for" in m["body"] for m in theirs) == 1
        day = re.search(r"the lift for the (\d+\w\w)", word["body"]).group(1)
        with_them = [r for r in itins.values() if f["driver_name"] in r["content"]]
        departs = [clock.parse_time(re.search(r"Departs: (.+)", r["content"]).group(1)) for r in with_them]
        assert [r["path"] for r, t in zip(with_them, departs) if oblique.day_ordinal(t) == day] == [f["path"]]
        lead = {"three hours": 180, "three and a half hours": 210}[re.search(r"(three[a-z ]*hours)", word["body"])[1]]
        assert lead * clock.MINUTE == f["lead"] and f["new_leave"] != f["stale_leave"] != f["old_leave"]


def _dfc_steps(env, leave: str, *, tell: bool = True) -> list[str]:
    """The oracle's steps with the leaving line and the alarm at ``leave`` (the driver told it at level 5, unless
    ``tell`` is off)."""
    f = env.scenario.facts
    out = []
    for s in env.oracle_actions():
        s = s.replace(f"Leave for airport: {f['new_leave']}", f"Leave for airport: {leave}")
        if '"call": "sms.send"' in s and f["driver"] and f["driver"][0] in s:
            if not tell:
                continue
            s = A.api("sms.send", to=f["driver"][0], body=f"Flight moved - let's set off at {leave}.")
        elif f["new_leave"] in s and "Leave for airport" not in s:
            s = s.replace(f["new_leave"], leave)
        out.append(s)
    return out


@pytest.mark.parametrize("level", LEVELS)
def test_dual_flight_the_person_s_own_lead_fails_and_the_driver_s_passes(level):
    env, world, f = _dfc(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    stale = set(_failed(_play(env, _dfc_steps(env, f["stale_leave"]))))  # the players' answer: 2.5 hours
    want = {"the itinerary says when to leave now", "an alarm is on for the new leaving time"}
    assert stale == want | ({f"{f['driver_name']} was told the new time"} if level == 5 else set()), stale


def test_dual_flight_d5_the_driver_untold_fails():
    env, world, f = _dfc(5, 1)
    assert _failed(_play(env, _dfc_steps(env, f["new_leave"], tell=False))) == [
        f"{f['driver_name']} was told the new time"
    ]
    env.reset(seed=1)
    verdict = _play(env, _dfc_steps(env, f["new_leave"]))
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- parcel-reschedule --------------------------------------------------------------------------------------
def _pr(level: int, seed: int, variant: str = "home"):
    env = _at_level("parcel-reschedule", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _pr_identifiers(env) -> list[str]:
    """Every identifier of the matter an agent has once the notice is in: the courier, its number, the tracking
    number and the day of the notice, and the words of the rule and of the Friday thread."""
    f, world = env.scenario.facts, env.world
    if world.clock.now < f["trigger_at"]:
        env.step(A.wait(f["trigger_at"] - world.clock.now + 60, wake=False))
    courier = next(c for c, n in parcel_reschedule.COURIERS if n == f["number"])
    texts = world.services["sms"].table("messages").values()
    notice = max((m for m in texts if m["number"] == f["number"]), key=lambda m: m["time"])
    trk = re.search(rf"{courier[:2].upper()}\w{{9}}", notice["body"]).group(0)
    words = ["parcel", "deliver", "courier", "dropped off", "Friday", "allotment", "to-do", "stay in"]
    return [courier, f["number"], f["day"], trk, *words, *PLAYERS]


@pytest.mark.parametrize("variant", ["home", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_parcel_the_players_searches_miss_the_housemate_s_word(level, variant):
    for seed in range(2):
        env, world, f = _pr(level, seed, variant)
        word = f["word"]["sms"]
        assert word not in _found(env, person=world.persona.me.name)  # (the housemate may share the first name)
        for text in _pr_identifiers(env):
            assert word not in _found(env, text), text
        assert word in _found(env, person=f["home_name"])  # reading the housemate's texts finds it


@pytest.mark.parametrize("variant", ["home", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_parcel_the_word_names_no_delivery_and_its_day_fits_one_candidate(level, variant):
    from claw_gym.envs.kit import checks

    for seed in range(3):
        env, world, f = _pr(level, seed, variant)
        texts = world.services["sms"].table("messages")
        word = texts[f["word"]["sms"]]
        assert word["number"] == f["home"][0] and word["direction"] == "in" and word["time"] < world.clock.now
        for ident in _pr_identifiers(env)[:-2]:
            assert ident.lower() not in word["body"].lower(), ident
        # whose say it is: the rule line (written long before the word) counts the days they say they're both out
        notes = world.services["notes"].table("notes").values()
        note = next(n for n in notes if n["title"] == f["rule_note"] and "dropped off" in n["body"])
        assert f"or a day {f['home_name']} says we're both out" in note["body"] and note["updated"] < word["time"]
        # among the same person's same-shaped texts about other matters
        theirs = [m for m in texts.values() if m["number"] == f["home"][0] and m["body"].startswith("re the ")]
        assert len(theirs) >= 4 and word in theirs
        # "re the 9th" fits one day of the courier's window: the first free non-Friday weekday, which the note and
        # the Friday thread alone would pick
        day = re.match(r"re the (\d+\w\w):", word["body"]).group(1)
        first = clock.day_start(f["trigger_at"])
        window = [clock.fmt_date(first + k * clock.DAY) for k in range(1, 15)]
        assert [d for d in window if oblique.day_ordinal(clock.parse_time(d)) == day] == f["out_days"]
        rows = checks.calendar_rows(world, True)
        assert parcel_reschedule.valid_days({**f, "out_days": []}, rows)[0] == f["out_days"][0]
        assert f["out_days"][0] not in parcel_reschedule.valid_days(f, rows)


def _pr_steps(env, date: str) -> list[str]:
    """The oracle's steps asking for ``date`` (the courier, the to-do, the housemate)."""
    from claw_gym.envs.kit import checks

    f = env.scenario.facts
    first = parcel_reschedule.valid_days(f, checks.calendar_rows(env.world, True))[0]
    return [s.replace(first, date) for s in env.oracle_actions()]


@pytest.mark.parametrize("variant", ["home", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_parcel_the_day_they_are_both_out_fails_and_the_next_passes(level, variant):
    env, world, f = _pr(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = _failed(_play(env, _pr_steps(env, f["out_days"][0])))  # the players' answer: the first day left
    assert failed == [
        "the new date is a weekday within two weeks when the person is not away",
        "a to-do due on the new delivery date (and on no other candidate day)",
        f"{f['home_name']} was told the new day",
    ], failed


# ---- venue-cancel -------------------------------------------------------------------------------------------
def _vc(level: int, seed: int, variant: str):
    env = _at_level("venue-cancel", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _vc_identifiers(world, f: dict) -> list[str]:
    """Every identifier of the matter an agent has: the venue, its address, the booking's date and time and title,
    and the words of the rule, the expired rule and the later line."""
    ev = world.services["calendar"].table("entries")[f["event"]]
    venue = ev["location"]
    domain = next(d for v, d in venue_cancel.VENUES if v == venue)
    when = [f["date"], clock.fmt(ev["start"])[11:16], ev["title"], ev["title"].split(" at ")[0]]
    words = ["cancel", "booking", "reservation", "remind", "new date", "next morning", "diary", "can't have us"]
    return [venue, domain, *when, *words, *PLAYERS]


@pytest.mark.parametrize("variant", ["dinner", "lunch"])
@pytest.mark.parametrize("level", LEVELS)
def test_venue_the_players_searches_miss_the_booker_s_word(level, variant):
    for seed in range(2):
        env, world, f = _vc(level, seed, variant)
        word = f["word"]["sms"]
        others = [p.name for p in world.persona.people if p.email in f["guests"] and p.name != f["booker"]]
        assert not _finding(env, word, people=(world.persona.me.name, *others), texts=_vc_identifiers(world, f))
        assert word in _found(env, person=f["booker"])  # reading the booker's texts finds it


@pytest.mark.parametrize("variant", ["dinner", "lunch"])
@pytest.mark.parametrize("level", LEVELS)
def test_venue_the_word_names_no_identifier_and_its_day_fits_one_booking(level, variant):
    for seed in range(3):
        env, world, f = _vc(level, seed, variant)
        cal = world.services["calendar"].table("entries")
        texts = world.services["sms"].table("messages")
        word = texts[f["word"]["sms"]]
        booker = next(p for p in world.persona.people if p.name == f["booker"])
        assert word["number"] == booker.phone and word["direction"] == "in" and word["time"] < world.clock.now
        for ident in _vc_identifiers(world, f)[:-2]:
            assert ident.lower() not in word["body"].lower(), ident
        # whose say it is: the booking's own entry; the booker is one of its guests
        assert cal[f["event"]]["notes"] == f"{booker.name} booked it - changes go through them."
        assert booker.email in f["guests"]
        theirs = [m for m in texts.values() if m["number"] == booker.phone and m["body"].startswith("re the ")]
        assert len(theirs) >= 4 and sum("the one I booked" in m["body"] for m in theirs) == 1
        # "the one I booked for the 14th" fits one booking of theirs; the venue's other bookings name no booker
        day, back = re.findall(r"the (\d+(?:st|nd|rd|th))\b", word["body"])[:2]
        mine = [e["id"] for e in cal.values() if booker.name in e["notes"] and oblique.day_ordinal(e["start"]) == day]
        assert mine == [f["event"]] and not any(cal[k]["notes"] for k in f["keep"])
        # "back on the 12th" is the first such day after the notice, before the booking; the reminder that evening
        assert oblique.day_ordinal(f["remind_at"]) == back
        assert f["trigger_at"] < f["remind_at"] - clock.DAY < cal[f["event"]]["start"] - clock.DAY
        assert f["remind_at"] != f["rule_remind_at"] and 18 <= clock.to_datetime(f["remind_at"]).hour <= 20


@pytest.mark.parametrize("level", LEVELS)
def test_venue_the_planted_notes_pages_never_share_a_title(level):
    for seed in range(6):
        env, world, f = _vc(level, seed, "dinner")
        planted = [r["title"] for s, t, r in world.life.planted() if s == "notes" and t == "notes"]
        assert len(planted) == (2 if level == 4 else 3) and len(set(planted)) == len(planted), planted


def _vc_steps(env, at: int) -> list[str]:
    """The oracle's steps with the reminder at ``at``."""
    f = env.scenario.facts
    return [s.replace(clock.fmt(f["remind_at"]), clock.fmt(at)) for s in env.oracle_actions()]


@pytest.mark.parametrize("variant", ["dinner", "lunch"])
@pytest.mark.parametrize("level", LEVELS)
def test_venue_the_note_s_next_morning_fails_and_the_booker_s_evening_passes(level, variant):
    env, world, f = _vc(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _vc_steps(env, f["rule_remind_at"]))) == ["a reminder to find a new date"]
    env.reset(seed=1)
    verdict = _play(env, _vc_steps(env, f["remind_at"]))
    assert verdict["passed"] and not verdict["violations"], verdict
