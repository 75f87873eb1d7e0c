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
from claw_gym.envs import dual_ticket_new_number


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
        assert len(moves) >= 1 and not any(f["ref"] in m["body"] for m in moves)  # the firm moved another booking
        # session 33: the booking's own move is the booker's text (the ask names them), by the booking's day
        mine = [m for m in texts if m["id"] == f["booker"]["msg"]]
        assert len(mine) == 1 and mine[0]["number"] == f["booker"]["phone"] and f["ref"] not in mine[0]["body"]
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


# ---- dual-ticket-new-number ------------------------------------------------------------------------
def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_new_number_the_slip_has_a_numbers_shape_and_the_confirmed_renewal_note_decides(level, days):
    seen = set()
    for seed in range(5):
        env = _at_level("dual-ticket-new-number", level, seed)
        world, f = env.world, env.scenario.facts
        w, n = _digits(f["written"]), _digits(f["new"])
        assert len(w) == len(n) and w != n  # the format gives nothing away
        diff = [i for i in range(len(n)) if w[i] != n[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and (w[diff[0]], w[diff[1]]) == (n[diff[1]], n[diff[0]])
        assert len(diff) == 1 or swapped
        seen.add("swap" if swapped else "digit")
        ticket = world.services["helpdesk"].table("tickets")[f["ticket"]]
        assert "renewal call" in ticket["body"] and f["written"] in ticket["body"]  # the customer defers to it
        acts = list(world.services["crm"].table("activities").values())
        right = [a for a in acts if f["read_back"] in a["text"]]  # s32: as read back, corrected later by its logger
        # the customer's first name beside the number decides (the co-listed colleague's is the ticket's digits)
        assert len(right) == 1 and f"{f['name'].split()[0]} {f['read_back']}" in right[0]["text"]
        assert right[0]["time"] <= world.clock.now - days * clock.DAY
        deals = world.services["crm"].table("deals")
        account = deals[f["deal"]]["account"]
        theirs = [d for d in deals.values() if d["account"] == account]
        assert len(theirs) >= 3 and {d["id"] for d in theirs} >= set(f["deals"])  # not the only deal
        mobiles = [a for a in acts if a["deal"] in f["deals"] and "+1 " in a["text"]]
        assert len(mobiles) >= 2 and any(f["old"] in a["text"] for a in mobiles)  # the old number, older
    assert seen == {"swap", "digit"}  # both shapes of slip occur


def _ticket_steps(env, number: str, deal: str) -> list[str]:
    """Contact edited on the phone with ``number``, texted by API, ticket solved and the CRM noted by API."""
    f = env.scenario.facts
    return [
        *S.open_app("Contacts"),
        *S.fill("search", f["name"]),
        S.tap(f"text={f['label']}"),
        S.tap("id/edit"),
        *S.replace("phone", number),
        S.tap("id/save"),
        A.api("sms.send", to=number, body="Saved your new number, thanks."),
        A.api("helpdesk.comment", id=f["ticket"], text="Updated, thanks."),
        A.api("helpdesk.update", id=f["ticket"], status="solved"),
        A.api("crm.log_activity", deal_id=deal, text=f"Mobile now {number}"),
        *dual_ticket_new_number._tell_logger(env.world, f),  # level 5 (s32): the renewal note's logger asks
        A.finish("done"),
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_new_number_noted_on_another_deal_of_the_account_passes_and_the_ticket_digits_fail(level):
    env = _at_level("dual-ticket-new-number", level, 3)
    f = env.scenario.facts
    other = next(d for d in f["deals"] if d != f["deal"])
    verdict = _play(env, _ticket_steps(env, f["new"], other))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=3)
    failed = _failed(_play(env, _ticket_steps(env, f["written"], f["deal"])))
    assert failed == [
        "the phone has the customer under the new number",
        "a confirmation was texted to the new number",
        "the new number is noted on their CRM account",
    ]


# ---- phone-sms-device-contact ----------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
@pytest.mark.parametrize("variant", ["code", "reply"])
def test_code_the_change_is_a_deep_unworded_reply_and_the_codes_page_holds_three_codes(variant, level, days):
    for seed in range(3):
        env = _at_level("phone-sms-device-contact", level, seed, variant)
        world, f = env.world, env.scenario.facts
        now, what = world.clock.now, f["what"].lower()
        assert "note" not in env.scenario.instruction.lower()
        notes = list(world.services["notes"].table("notes").values())
        assert not [n for n in notes if what in n["title"].lower()]  # no note titled after the code
        page = world.services["notes"].table("notes")[f["note"]]
        # session 32 (test_depth_s32e): the landlord put the change back, so the page's code holds again
        assert f["code"] in page["body"] and f["stale"] not in page["body"]
        assert len(re.findall(r"(?<!\d)\d{5}(?!\d)", page["body"])) >= 3  # three same-shaped codes
        texts = list(world.services["sms"].table("messages").values())
        said = [m for m in texts if f["stale"] in m["body"]]
        assert len(said) == 1 and said[0]["time"] <= now - days * clock.DAY
        assert said[0]["time"] == f["depth"]["at"]
        assert not {w.strip(".,:-") for w in said[0]["body"].lower().split()} & set(what.split() + ["code"])
        thread = sorted((m for m in texts if m["number"] == said[0]["number"]), key=lambda m: -m["time"])
        assert thread.index(said[0]) < 30 and len([m for m in thread if m["direction"] == "in"]) >= 2
        assert f["code"] not in _opening(env, seed)
        phone = world.services["phone"].table("contacts").values()
        assert len([c for c in phone if c["name"].startswith(f["first"] + " ")]) >= 2  # two on this phone


def _code_steps(env, code: str, to: str | None = None) -> list[str]:
    f = env.scenario.facts
    return [A.api("sms.send", to=to or f["number"], body=f"Hi {f['first']}, it's {code}."), A.finish("Sent.")]


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["code", "reply"])
def test_code_by_api_passes_and_the_noted_or_the_other_changed_code_fails(variant, level):
    env = _at_level("phone-sms-device-contact", level, 1, variant)
    f = env.scenario.facts
    verdict = _play(env, _code_steps(env, f["code"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    texts = env.world.services["sms"].table("messages").values()
    other = next(
        m["body"][-5:]
        for m in texts
        if m["number"] == f["partner"] and m["direction"] == "in" and f["code"] not in m["body"]
    )
    for wrong in (f["stale"], other):
        env.reset(seed=1)
        assert _failed(_play(env, _code_steps(env, wrong))) == ["the code was texted to the contact saved on the phone"]
    env.reset(seed=1)
    namesake = next(
        c["phone"] for c in env.world.services["phone"].table("contacts").values() if c["name"] == f["namesake"]
    )
    verdict = _play(env, _code_steps(env, f["code"], namesake))
    assert not verdict["passed"] and verdict["violations"]


# ---- xdev-shift-alarms -----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_shifts_the_lead_is_a_deep_unworded_rule_and_the_change_text_names_no_rota(level, days):
    from claw_gym.envs.xdev_shift_alarms import THEIR_RULE

    for seed in range(3):
        env = _at_level("xdev-shift-alarms", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert "hour" not in env.scenario.instruction
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["note"] and "before 9" in n["body"].lower()]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(x for x in rule[0]["body"].split("\n") if "before 9" in x.lower())
        assert "alarm" not in line.lower() and "shift" not in line.lower() and len(rule[0]["body"].split("\n")) >= 5
        theirs = [n for n in notes if THEIR_RULE.split("{name}")[1] in n["body"]]
        assert len(theirs) == 1 and theirs[0]["title"] != f["note"]  # another person's rule, same shape
        texts = list(world.services["sms"].table("messages").values())
        changes = [m for m in texts if "you start at" in m["body"]]
        assert len(changes) >= 2 and not any("rota" in m["body"].lower() for m in changes)
        assert len({m["number"] for m in changes}) == 1  # the same manager, two weeks' changes
        assert f["want"] != f["hourly"]  # the rule's leads decide, not the old hour


def _shift_steps(env, pairs: list[list[str]]) -> list[str]:
    """The alarms one per (time, weekday), in another order than the oracle's (one weekday each)."""
    steps = [*S.open_app("Clock")]
    for t, d in sorted(pairs, key=lambda p: p[1]):
        steps += [S.tap("id/add_alarm"), *S.fill("time", t), *S.fill("days", d), S.tap("id/save")]
    return [*steps, A.finish("Set.")]


@pytest.mark.parametrize("level", [4, 5])
def test_shifts_one_alarm_per_day_passes_and_the_hour_or_a_missing_shift_fails(level):
    env = _at_level("xdev-shift-alarms", level, 2)
    f = env.scenario.facts
    verdict = _play(env, _shift_steps(env, f["want"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    name = "an alarm before every shift of the corrected rota"
    env.reset(seed=2)
    assert _failed(_play(env, _shift_steps(env, f["hourly"]))) == [
        name,
        "no alarm for a shift that is not on the corrected rota",
    ]
    env.reset(seed=2)
    assert _failed(_play(env, _shift_steps(env, f["want"][1:]))) == [name]  # half done
