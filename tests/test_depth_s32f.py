"""Headroom for dual-receipt-sheet, trip-prep and xdev-phone-link (issue 21, session 32): the players' method
(search the requester and the trigger's sender by person, every identifier of the matter by text, "from now on",
"after all", read the requester's DMs) no longer settles levels 4-5. The deciding word comes from someone whose
say is written in the world and names the matter only by a date or when it came in (:mod:`envs.kit.oblique`),
among that person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import json
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock


def _misses(env, seed: int, probes: list[tuple[str, str]], record: str) -> None:
    """None of the searches (text, person) finds ``record``; the world is built afresh every ten searches (an
    episode has a step budget), the same world at the same seed."""
    for k, (text, person) in enumerate(probes):
        if k and k % 10 == 0:
            env.reset(seed=seed)
        assert record not in _found(env, text, person), (text, person)


# ---- dual-receipt-sheet ----------------------------------------------------------------------------
def _drs_day(t: int) -> str:
    d = clock.to_datetime(t)
    return f"{d.day} {d:%B}"


@pytest.mark.parametrize("level", [4, 5])
def test_dual_receipt_sheet_the_players_searches_miss_the_keeper_s_word(level):
    for seed in range(2):
        env = _at_level("dual-receipt-sheet", level, seed)
        f = env.scenario.facts
        probes = [
            ("", f["name"]),
            ("", f["name"].split()[0]),
            ("", f["boss"]),
            ("from now on", ""),
            ("after all", ""),
            (f"{f['total']:.2f}", ""),
            (f"{f['net']:.2f}", ""),
            (f"{f['tip']:.2f}", ""),
            (f["item"], ""),
            ("tip", ""),
            ("expenses sheet", ""),
            (f["number"], ""),
        ]
        _misses(env, seed, probes, f["undo"])
        env.reset(seed=seed)  # the requester's DM holds nothing on it
        chat = env.world.services["chat"].table("messages").values()
        assert all(m["channel"] == f["keeper_channel"] for m in chat if m["id"] == f["undo"])
        assert f["keeper_channel"] != f["channel"]


@pytest.mark.parametrize("level", [4, 5])
def test_dual_receipt_sheet_the_keeper_s_word_names_nothing_and_points_at_one_text(level):
    for seed in range(3):
        env = _at_level("dual-receipt-sheet", level, seed)
        world, f = env.world, env.scenario.facts
        chat = world.services["chat"].table("messages")
        undo = chat[f["undo"]]
        assert undo["sender"] == f["keeper"] and undo["channel"] == f["keeper_channel"]
        low = undo["text"].lower()
        for word in ("tip", "sheet", "expense", f["item"].lower(), f["name"].split()[0].lower(), "from now on"):
            assert word not in low, word
        for amount in (f["total"], f["net"], f["tip"]):
            assert f"{amount:.2f}" not in low
        # whose say it is: the manager's post in the channel names the keeper, after the text and before the word
        posts = [m for m in chat.values() if m["sender"] == f["boss"] and f["keeper"] in m["text"]]
        assert len(posts) == 1 and "last word" in posts[0]["text"]
        assert f["rule_at"] < posts[0]["time"] < undo["time"] < world.clock.now
        # the same person's same-shaped lines about other matters in the same DM
        dm = [m for m in chat.values() if m["channel"] == f["keeper_channel"] and m["id"] != undo["id"]]
        assert len(dm) >= 3 and all(m["text"].startswith("re the ") for m in dm)
        # "what <boss> texted round on <date>": exactly one text from the manager that day, the tip change
        boss_first = f["boss"].split()[0]
        assert f"{boss_first} texted round on " in undo["text"]
        day = undo["text"].split("texted round on ")[1].split(":")[0]
        texts = [
            m
            for m in world.services["sms"].table("messages").values()
            if m["number"] == f["boss_phone"] and _drs_day(m["time"]) == day
        ]
        assert len(texts) == 1 and "without the tip" in texts[0]["body"] and texts[0]["time"] == f["rule_at"]


def _drs_steps(env, amount: float, tell: bool = True) -> list[str]:
    from claw_gym.envs.dual_receipt_sheet import SHEET

    f = env.scenario.facts
    row = f"{clock.fmt_date(f['trigger_at'])},{f['name']},{f['item']},{amount:.2f}\n"
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 5 * clock.MINUTE, wake=False),
        A.api("files.write", path=SHEET, content=f["sheet"] + row),
        A.api("chat.post", channel=f["channel"], text="It's on the sheet now."),
    ]
    if tell and f["tell_keeper"]:
        steps.append(A.api("chat.post", channel=f["keeper_channel"], text=f"{f['name']}'s receipt is on the sheet."))
    return steps


@pytest.mark.parametrize("level", [4, 5])
def test_dual_receipt_sheet_the_manager_s_text_fails_and_the_keeper_s_word_passes(level):
    for seed in (0, 3):
        env = _at_level("dual-receipt-sheet", level, seed)
        f = env.scenario.facts
        assert f["amount"] == f["total"] != f["net"]
        verdict = _play(env, _drs_steps(env, f["amount"]))
        assert verdict["passed"] and not verdict["violations"], verdict
        env.reset(seed=seed)  # the manager's text (found by "from now on"): without the tip, undone since
        assert _failed(_play(env, _drs_steps(env, f["net"]))) == [
            "one new row under the colleague's name (and no one else's) with the amount"
        ]
        env.reset(seed=seed)
        assert env.oracle_actions() and _play(env, env.oracle_actions())["passed"]


def test_dual_receipt_sheet_level_5_the_keeper_must_be_told():
    for seed in (0, 1):
        env = _at_level("dual-receipt-sheet", 5, seed)
        f = env.scenario.facts
        assert f["tell_keeper"]
        assert _failed(_play(env, _drs_steps(env, f["amount"], tell=False))) == [
            "the sheet's keeper was told in their DM"
        ]
    env = _at_level("dual-receipt-sheet", 4, 0)  # at 4 it's not asked, and telling them is no hedge
    f = env.scenario.facts
    assert not f["tell_keeper"]
    assert _play(env, _drs_steps(env, f["amount"], tell=False))["passed"]
    env.reset(seed=0)
    extra = A.api("chat.post", channel=f["keeper_channel"], text="Added a receipt.")
    verdict = _play(env, [*_drs_steps(env, f["amount"]), extra])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- trip-prep -------------------------------------------------------------------------------------
def _tp_came_in(line: str) -> tuple[str, str]:
    """ "re the booking that came in at 10:42 on 14 October: ..." -> ("10:42", "14 October")."""
    m = re.search(r"came in at (\d\d:\d\d) on (\d+ \w+):", line)
    assert m, line
    return m.group(1), m.group(2)


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
@pytest.mark.parametrize("level", [4, 5])
def test_trip_prep_the_players_searches_miss_the_travel_desk_s_word(level, variant):
    for seed in range(2):
        env = _at_level("trip-prep", level, seed, variant=variant)
        f = env.scenario.facts
        probes = [
            ("", f["host"]["name"]),
            ("", f["host"]["name"].split()[0]),
            ("from now on", ""),
            ("after all", ""),
            (f["ref"], ""),
            (f["out"]["no"], ""),
            (f["ret"]["no"], ""),
            (f"{f['transfer']['amount']:.2f}", ""),
            (f["merchant"], ""),
            ("schedule change", ""),
            ("SkyJet", ""),
            ("Booking confirmed", ""),
        ]
        _misses(env, seed, probes, f["desk_word"])


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
@pytest.mark.parametrize("level", [4, 5])
def test_trip_prep_the_travel_desk_s_word_names_nothing_and_points_at_one_booking(level, variant):
    for seed in range(3):
        env = _at_level("trip-prep", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        chat = world.services["chat"].table("messages")
        word = chat[f["desk_word"]]
        assert word["sender"] == f["desk"] and word["channel"] == f["desk_channel"]
        for ident in (f["ref"], *f["other_refs"], f["out"]["no"], f["ret"]["no"], "SkyJet", "from now on", "after all"):
            assert ident.lower() not in word["text"].lower(), ident
        mails = world.services["mail"].table("messages")
        trip = mails[f["mails"][0]]
        # whose say it is: every booking mail names the travel desk, written before the word
        assert all(
            f"Changes to this booking go through {f['desk'].split()[0]}." in mails[m]["body"] for m in f["mails"]
        )
        assert trip["time"] < word["time"] < world.clock.now
        # "the booking that came in at HH:MM on D Month": exactly one mail fits, the trip's booking
        hm, day = _tp_came_in(word["text"])
        fits = [m for m in mails.values() if clock.fmt(m["time"])[-5:] == hm and _drs_day(m["time"]) == day]
        assert [m["id"] for m in fits] == [trip["id"]]
        assert f"Booking: {f['ref']}" not in word["text"] and f["ref"] in trip["subject"]
        # among the desk's same-shaped lines about the other bookings (one moves another flight home) and more
        dm = [m for m in chat.values() if m["channel"] == f["desk_channel"] and m["id"] != word["id"]]
        assert len(dm) >= len(f["other_refs"]) + 1 and all(m["text"].startswith("re the ") for m in dm)
        assert sum("moved your flight home" in m["text"] for m in dm) == 1
        assert notation_hhmm(f["ret"]["depart"]) in word["text"] and f["ret"]["depart"] != f["stale_ret"]["depart"]


def notation_hhmm(t: int) -> str:
    return clock.fmt(t)[-5:]


def _tp_with_return(env, ret: dict) -> list[str]:
    """The oracle with the flight home at ``ret``'s times."""
    f = env.scenario.facts
    out = []
    for a in env.oracle_actions():
        for k in ("depart", "land"):
            a = a.replace(json.dumps(clock.fmt(f["ret"][k])), json.dumps(clock.fmt(ret[k])))
        out.append(a)
    return out


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
@pytest.mark.parametrize("level", [4, 5])
def test_trip_prep_the_booking_mail_s_return_fails_and_the_desk_s_passes(level, variant):
    for seed in (0, 1):
        env = _at_level("trip-prep", level, seed, variant=variant)
        f = env.scenario.facts
        verdict = _play(env, env.oracle_actions())
        assert verdict["passed"] and not verdict["violations"], verdict
        env.reset(seed=seed)  # the booking mail's flight home (what the players' method finds): moved since
        steps = _tp_with_return(env, f["stale_ret"])
        assert steps != env.oracle_actions()
        assert _failed(_play(env, steps)) == [
            "the return flight is in the calendar at its departure",
            "no calendar entry for another booking's flights or the old departure",
        ]


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
def test_trip_prep_level_5_the_travel_desk_must_be_told(variant):
    for seed in (0, 1):
        env = _at_level("trip-prep", 5, seed, variant=variant)
        f = env.scenario.facts
        assert f["tell"]
        steps = [a for a in env.oracle_actions() if f["desk_channel"] not in a or "chat.history" in a]
        assert _failed(_play(env, steps)) == [f"{f['desk']} was told the flight home is in the calendar"]
    env = _at_level("trip-prep", 4, 0, variant=variant)  # at 4 it's not asked
    f = env.scenario.facts
    assert not f["tell"]
    steps = [a for a in env.oracle_actions() if f["desk_channel"] not in a]
    assert _play(env, steps)["passed"]


# ---- xdev-phone-link -------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [4, 5])
def test_xdev_phone_link_the_players_searches_miss_the_it_colleague_s_word(level):
    for seed in range(2):
        env = _at_level("xdev-phone-link", level, seed)
        f = env.scenario.facts
        probes = [
            ("", "syncd"),
            ("syncd", ""),
            ("from now on", ""),
            ("after all", ""),
            (f["code"], ""),
            (f["old"], ""),
            ("Phone link", ""),
            ("Claw Phone 1", ""),
            ("backup", ""),
            ("bluetooth", ""),
            ("pair", ""),
        ]
        _misses(env, seed, probes, f["word"])


@pytest.mark.parametrize("level", [4, 5])
def test_xdev_phone_link_the_word_names_nothing_and_points_at_one_alert(level):
    from claw_gym.envs.xdev_phone_link import CONF

    for seed in range(3):
        env = _at_level("xdev-phone-link", level, seed)
        world, f = env.world, env.scenario.facts
        mails = world.services["mail"].table("messages")
        word = mails[f["word"]]
        assert word["from"] == f["owner_email"]
        low = word["body"].lower()
        for ident in ("syncd", "backup", "phone link", "bluetooth", "pair", f["code"], f["old"], "from now on"):
            assert ident not in low, ident
        # whose say it is: the config's header, written long before
        conf = world.services["files"].find(CONF)
        assert f"set up by {f['owner']} (IT): how this link connects is their call" in conf["content"]
        assert conf["modified"] < word["time"] < world.clock.now
        # "the alert that came in at HH:MM on D Month": one mail fits, syncd's alert of the Wi-Fi night
        m = re.search(r"came in at (\d\d:\d\d) on (\d+ \w+):", word["body"])
        assert m
        fits = [
            x for x in mails.values() if clock.fmt(x["time"])[-5:] == m.group(1) and _drs_day(x["time"]) == m.group(2)
        ]
        assert [x["id"] for x in fits] == [f["alert"]] and fits[0]["from"] == "syncd@laptop.local"
        # among the same colleague's same-shaped mails about other matters
        same = [x for x in mails.values() if x["from"] == f["owner_email"] and x["id"] != word["id"]]
        assert len(same) >= 3 and all(x["subject"] == word["subject"] for x in same)


def _xpl_steps(env, *, bluetooth: bool, wifi: bool, tell: bool) -> list[str]:
    from claw_gym.devices.phone import script as S
    from claw_gym.envs.xdev_phone_link import CONF

    f = env.scenario.facts
    steps = [A.wait(f["trigger_at"] - env.world.clock.now + clock.MINUTE, wake=False)]
    if bluetooth:
        steps += [*S.open_app("Settings"), S.tap("id/switch_bluetooth")]
    if wifi:
        steps.append(A.shell(f"sed -i 's/^transport = .*/transport = Wi-Fi/' ~/{CONF}"))
    steps.append(A.shell(f"sed -i 's/^pair_code = .*/pair_code = {f['code']}/' ~/{CONF}"))
    if tell:
        steps.append(A.api("mail.send", to=[f["owner_email"]], subject="Phone link", body="Done, it's on Wi-Fi."))
    return steps


@pytest.mark.parametrize("level", [4, 5])
def test_xdev_phone_link_bluetooth_on_fails_and_the_wifi_switch_passes(level):
    for seed in (0, 1):
        env = _at_level("xdev-phone-link", level, seed)
        f = env.scenario.facts
        verdict = _play(env, _xpl_steps(env, bluetooth=False, wifi=True, tell=f["tell"]))
        assert verdict["passed"] and not verdict["violations"], verdict
        env.reset(seed=seed)  # the log's reading (what players did): Bluetooth on, the code; the transport as it was
        assert _failed(_play(env, _xpl_steps(env, bluetooth=True, wifi=False, tell=f["tell"]))) == [
            "Bluetooth stays off on the phone",
            "transport is wifi",
        ]
        env.reset(seed=seed)
        assert _play(env, env.oracle_actions())["passed"]


def test_xdev_phone_link_level_5_the_it_colleague_must_be_told():
    for seed in (0, 1):
        env = _at_level("xdev-phone-link", 5, seed)
        f = env.scenario.facts
        assert f["tell"]
        assert _failed(_play(env, _xpl_steps(env, bluetooth=False, wifi=True, tell=False))) == [
            f"{f['owner']} was told the link is switched"
        ]
    env = _at_level("xdev-phone-link", 4, 0)  # at 4 it's not asked
    assert not env.scenario.facts["tell"]
    assert _play(env, _xpl_steps(env, bluetooth=False, wifi=True, tell=False))["passed"]
