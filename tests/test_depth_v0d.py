"""Headroom for group v0D's families (issue 21): at levels 4-5 the deciding record sits deep in the history
among same-shaped live candidates, a same-keyword rule that is not the person's own misleads, the task has
more goals, a half-done run fails and another door passes.

Action lists are built from the facts, like the oracle; each test plays one task to its verdict.
"""

from __future__ import annotations

import json

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock


def _calls(steps: list[str], call: str) -> list[dict]:
    return [a for a in map(json.loads, steps) if a.get("kind") == "api" and a["call"] == call]


# ---- meeting-rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
@pytest.mark.parametrize("variant", ["start", "gap"])
def test_meeting_rules_the_change_is_deep_unworded_and_another_persons_rule_comes_later(variant, level, days):
    from claw_gym.envs.kit.rules import TITLES

    for seed in range(3):
        env = _at_level("meeting-rules", level, seed, variant)
        world, f = env.world, env.scenario.facts
        me = world.persona.me
        notes = [n for n in world.services["notes"].table("notes").values() if n["title"] in TITLES]
        assert len([n for n in notes if "meeting" in n["body"].lower()]) >= 3  # the keyword lands on three notes
        if variant == "start":
            chat = world.services["chat"].table("messages").values()
            mine = [m for m in chat if m["sender"] == me.name and "from now on" in m["text"]]
            theirs = [m for m in chat if m["sender"] == f["decoy_person"] and "from now on" in m["text"]]
            texts = [m["text"] for m in mine]
        else:
            mails = world.services["workmail"].table("messages").values()
            mine = [m for m in mails if m["folder"] == "sent" and "from now on" in m["body"]]
            theirs = [m for m in mails if m["folder"] != "sent" and "from now on" in m["body"]]
            texts = [m["body"] + m["subject"] for m in mine]
        assert len(mine) == 1 and mine[0]["time"] <= world.clock.now - days * clock.DAY
        # since session 33 the diary keeper's later word is the deciding record (tests/test_depth_s33a.py)
        assert f["own_at"] == mine[0]["time"] < f["depth"]["at"] and f["depth"]["candidates"] >= 3
        assert not any("meeting" in t.lower() for t in texts)  # the change does not carry the task's keyword
        assert len(theirs) == 1 and mine[0]["time"] < theirs[0]["time"] < world.clock.now - clock.DAY
        assert f["decoy_person"] and f["decoy_person"] not in [q["name"] for q in f["requests"]]


def _book(env, rules: list[int], *, reply: bool = True, todo: bool = True, shell: bool = False) -> list[str]:
    """Book each request at its earliest slot under ``rules``; reply, log and prepare as the level asks."""
    from claw_gym.envs import meeting_rules as M

    world, f = env.world, env.scenario.facts
    acts = M._solve(world, f, M.Rules(*rules))
    out = []
    for a in map(json.loads, acts):
        if a.get("kind") == "api" and a["call"] == "workmail.reply" and not reply:
            continue
        if a.get("kind") == "api" and a["call"] == "todo.add_task" and not todo:
            continue
        if a.get("kind") == "api" and a["call"] == "calendar.create_event" and shell:
            g = a["args"]
            out.append(
                A.shell(
                    f"claw calendar create_event --title 'Catch-up' --start '{g['start']}' --end '{g['end']}' "
                    f"--attendees {','.join(g['attendees'])}"
                )
            )
            continue
        out.append(json.dumps(a))
    return out


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("variant", ["start", "gap"])
def test_meeting_rules_booking_by_the_other_persons_rule_fails(variant, level):
    env = _at_level("meeting-rules", level, 1, variant)
    f = env.scenario.facts
    assert len(f["decoy_rules"]) == 1
    failed = _failed(_play(env, _book(env, f["decoy_rules"][0])))
    first = f["requests"][0]
    assert f"{first['name']} invited to {first['mins']} min on {first['day']} inside the rules" in failed


@pytest.mark.parametrize("variant", ["start", "gap"])
def test_meeting_rules_booking_through_the_shell_passes_and_leaving_out_a_goal_fails(variant):
    env = _at_level("meeting-rules", 5, 2, variant)
    f = env.scenario.facts
    verdict = _play(env, _book(env, f["rules"], shell=True))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    failed = _failed(_play(env, _book(env, f["rules"], todo=False)))
    assert failed and all(n.startswith("a preparation to-do due") for n in failed)
    env = _at_level("meeting-rules", 4, 2, variant)
    failed = _failed(_play(env, _book(env, env.scenario.facts["rules"], reply=False)))
    assert failed and all(n.endswith("got a reply with the time") for n in failed)


def test_meeting_rules_two_entries_for_one_request_is_a_hedge():
    from claw_gym.envs import meeting_rules as M

    env = _at_level("meeting-rules", 4, 0, "gap")
    f = env.scenario.facts
    right = _book(env, f["rules"])
    stale = _calls(M._solve(env.world, f, M.Rules(*f["old_rules"])), "calendar.create_event")[0]
    hedged = [A.api("calendar.create_event", **stale["args"]), *right]
    first = f["requests"][0]
    assert f"{first['name']} invited to {first['mins']} min on {first['day']} inside the rules" in _failed(
        _play(env, hedged)
    )


# ---- phone-card-check ------------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_card_check_the_stop_rule_is_deep_among_card_notes_and_each_shop_has_three_orders(level, days):
    from claw_gym.envs.phone_card_check import NEAR_TWIN

    for seed in range(3):
        env = _at_level("phone-card-check", level, seed)
        world, f = env.world, env.scenario.facts
        now, stop = world.clock.now, f["stop"]
        notes = world.services["notes"].table("notes").values()
        rule = [n for n in notes if "ever gets stopped" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        assert len([n for n in notes if "card" in n["body"].lower() and n["updated"] < now - 20 * clock.DAY]) >= 3
        heads = [s.split("{name}")[0] for s in NEAR_TWIN]
        assert any(head[:1].upper() + head[1:] in n["body"] for n in notes for head in heads)
        assert f["depth"]["at"] <= now - days * clock.DAY and f["depth"]["candidates"] >= 3
        mails = world.services["mail"].table("messages").values()
        for p in f["payments"]:
            shop = p["row"].split("  ")[0]
            orders = [m for m in mails if m["subject"].startswith(f"Your {shop} order #")]
            assert len(orders) >= 3  # same shop, same subject shape: the amount decides
            matched = [m for m in orders if f"{p['amount']:.2f} EUR" in m["body"]]
            assert len(matched) == int(p["legit"] and not p["claimed"])  # s32: the twin's charge has no order
        if level == 5:  # the twin changed hands in a text as deep, which names no card; on the phone's thread
            texts = sorted(
                (m for m in world.services["sms"].table("messages").values() if m["number"] == stop["holder"]),
                key=lambda m: -m["time"],
            )
            moved = [i for i, m in enumerate(texts) if "spare debit card" in m["body"]]
            assert len(moved) == 1 and moved[0] < 30 and "4421" not in texts[moved[0]]["body"]
            assert stop["noted"] < texts[moved[0]]["time"] <= now - days * clock.DAY
            assert stop["former"] and stop["former"] != stop["holder"]


def _card_steps(env, *, to: str | None = None, remind: str | None = "todo") -> list[str]:
    """The oracle's alert answers, then the note's two goals by other doors: a mail or text, a calendar entry."""
    f = env.scenario.facts
    acts = [a for a in env.oracle_actions() if '"sms.send"' not in a and '"todo.add_task"' not in a]
    stop, extra = f["stop"], []
    holder = to or stop["holder"]
    person = next(p for p in env.world.persona.people if p.phone == holder)
    extra.append(
        A.shell(f"claw mail send --to {person.email} --subject 'Card' --body 'Bank card blocked, skip the twin.'")
    )
    day = clock.fmt_date(stop["morning"])
    if remind == "calendar":
        extra.append(A.api("calendar.create_event", title="New card", start=f"{day} 08:30", end=f"{day} 08:45"))
    elif remind == "evening":
        extra.append(A.api("todo.add_task", title="New card", due=f"{clock.fmt_date(f['start'])} 20:00"))
    return acts[:-1] + extra + acts[-1:]


@pytest.mark.parametrize("level", [4, 5])
def test_card_check_mail_and_calendar_pass_and_leaving_out_a_goal_fails(level):
    env = _at_level("phone-card-check", level, 1)
    verdict = _play(env, _card_steps(env, remind="calendar"))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _card_steps(env, remind="evening"))) == [
        "a reminder the next morning to order a new card"
    ]
    env.reset(seed=1)
    acts = [a for a in env.oracle_actions() if '"sms.send"' not in a]
    holder = env.scenario.facts["stop"]["holder_name"]
    assert _failed(_play(env, acts)) == [f"{holder} (who has the twin card) was told"]


def test_card_check_telling_the_notes_holder_misses_the_later_text_at_level_5():
    env = _at_level("phone-card-check", 5, 2)
    stop = env.scenario.facts["stop"]
    verdict = _play(env, _card_steps(env, to=stop["former"], remind="calendar"))
    assert _failed(verdict) == [f"{stop['holder_name']} (who has the twin card) was told"]
    assert not verdict["violations"]  # telling the former holder too is no leak


def test_card_check_the_lower_levels_keep_one_goal():
    env = _at_level("phone-card-check", 3, 0)
    assert not env.scenario.facts["stop"] and "noted down" not in env.scenario.instruction


# ---- phone-missed-call -----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_missed_call_the_habit_is_a_deep_note_line_and_the_calendar_comes_from_a_deeper_text(level, days):
    from claw_gym.envs.phone_missed_call import FROM_NOW_ON, NEAR, RUNNING_LINE

    for seed in range(3):
        env = _at_level("phone-missed-call", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        notes = world.services["notes"].table("notes").values()
        rule = [n for n in notes if RUNNING_LINE[1:] in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY and rule[0]["title"] == f["note"]
        assert "missed" not in RUNNING_LINE and "call" not in RUNNING_LINE  # the obvious keywords miss it
        near = [n for n in notes if any(x[1:] in n["body"] for x in NEAR)]
        assert len(near) >= 3 and f["depth"]["candidates"] >= 3
        assert f["wanted"]["phone"] and f["wanted"]["phone"] != f["number"]
        assert f["calendar"] == (level == 5)
        if level == 5:
            texts = world.services["sms"].table("messages").values()
            said = [m for m in texts if m["body"] == FROM_NOW_ON]
            assert len(said) == 1 and rule[0]["updated"] < said[0]["time"] <= now - days * clock.DAY
            thread = sorted((m for m in texts if m["number"] == said[0]["number"]), key=lambda m: -m["time"])
            assert thread.index(said[0]) < 30  # on the phone's Messages thread (its newest 30)
            assert f["depth"]["at"] == said[0]["time"]


def _callback_by_api(env, *, number: bool = True, calendar: bool = True) -> list[str]:
    """Texts through the API, the number by mail, the reminder as a calendar entry (or an alarm-free to-do)."""
    f = env.scenario.facts
    day = clock.fmt_date(f["trigger_at"])
    h, m = map(int, f["time"].split(":"))
    end = f"{h + (m + 20) // 60:02d}:{(m + 20) % 60:02d}"
    steps = [
        A.wait(f["settled_at"] - env.world.clock.now + 90, wake=False),
        A.api("sms.send", to=f["number"], body=f"Got it, I'll ring you at {f['time']}."),
    ]
    if number:
        want = f["wanted"]
        steps.append(A.api("mail.send", to=[f["email"]], subject="Number", body=f"{want['name']}: {want['phone']}"))
    if calendar:
        steps.append(
            A.api("calendar.create_event", title=f"Ring {f['first']}", start=f"{day} {f['time']}", end=f"{day} {end}")
        )
    else:
        steps.append(A.api("todo.add_task", title=f"Ring {f['first']}", due=f"{day} {f['time']}"))
    return [*steps, A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_through_the_api_and_mail_passes_and_a_goal_left_out_fails(level):
    env = _at_level("phone-missed-call", level, 1)
    f = env.scenario.facts
    verdict = _play(env, _callback_by_api(env))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _callback_by_api(env, number=False))) == [
        f"{f['first']} got {f['wanted']['name']}'s number"
    ]


def test_missed_call_a_reminder_without_the_calendar_misses_the_later_text_at_level_5():
    env = _at_level("phone-missed-call", 5, 2)
    assert _failed(_play(env, _callback_by_api(env, calendar=False))) == [
        "a calendar entry at the settled call-back time"
    ]
    env.reset(seed=2)
    oracle = [a for a in env.oracle_actions() if '"calendar.create_event"' not in a]  # the alarm alone
    assert _failed(_play(env, oracle)) == ["a calendar entry at the settled call-back time"]


# ---- phone-dnd-meeting -----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_dnd_the_rule_and_the_friends_shortening_are_deep_and_board_meetings_are_several(level, days):
    from claw_gym.envs.phone_dnd_meeting import ASK_LESS, NEAR, RUNNING_LINE

    for seed in range(3):
        env = _at_level("phone-dnd-meeting", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        notes = world.services["notes"].table("notes").values()
        rule = [n for n in notes if RUNNING_LINE[1:] in n["body"]]
        assert len(rule) == 1 and rule[0]["title"] == f["note"]
        assert "disturb" not in RUNNING_LINE.lower() and "board meeting" not in RUNNING_LINE.lower()
        assert len([n for n in notes if any(x[1:] in n["body"] for x in NEAR)]) >= 3
        texts = world.services["sms"].table("messages").values()
        asked = [m for m in texts if m["body"] == ASK_LESS]
        assert len(asked) == 1 and rule[0]["updated"] < asked[0]["time"] <= now - days * clock.DAY
        assert "board" not in ASK_LESS.lower() and "disturb" not in ASK_LESS.lower()  # its line names no topic
        thread = sorted((m for m in texts if m["number"] == asked[0]["number"]), key=lambda m: -m["time"])
        assert thread.index(asked[0]) < 28  # on the phone's Messages thread with the agreement after it
        cal = world.services["calendar"].table("entries").values()
        board = [e for e in cal if e["location"] == "Board room" and e["start"] > now]
        assert len(board) >= 3 and len({clock.day_start(e["start"]) for e in board}) == len(board)
        assert f["off_within"] == 15 * clock.MINUTE and bool(f["presenter"]) == (level == 5)


def _dnd_steps(env, *, calendar: str = "move", tell: bool = True) -> list[str]:
    """DND through the oracle's switch taps; the calendar by deleting and re-creating on the laptop (or not at
    all), the presenter told by chat-free mail."""
    f = env.scenario.facts
    acts = [a for a in env.oracle_actions() if '"calendar.update_event"' not in a and '"sms.send"' not in a]
    extra = []
    if calendar == "recreate":
        extra += [
            A.shell(f"claw calendar delete_event --id {f['entry']}"),
            A.shell(
                f"claw calendar create_event --title '{f['title']}' --start '{clock.fmt(f['start'])}' "
                f"--end '{clock.fmt(f['end'])}'"
            ),
        ]
    if tell and f["presenter"]:
        extra.append(A.api("mail.send", to=[f["presenter"][0]], subject="Board", body="It starts later today."))
    i = next(k for k, a in enumerate(acts) if '"wait"' in a)  # after the first wait: the text has arrived
    return acts[: i + 1] + extra + acts[i + 1 :]


@pytest.mark.parametrize("level", [4, 5])
def test_dnd_recreating_the_entry_and_mailing_pass_and_leaving_the_calendar_fails(level):
    env = _at_level("phone-dnd-meeting", level, 1)
    verdict = _play(env, _dnd_steps(env, calendar="recreate"))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = _failed(_play(env, _dnd_steps(env, calendar="leave")))
    assert failed == ["the calendar shows the meeting at its new time (and not at the old one)"]


def test_dnd_the_presenter_left_out_fails_at_level_5():
    env = _at_level("phone-dnd-meeting", 5, 2)
    f = env.scenario.facts
    assert _failed(_play(env, _dnd_steps(env, calendar="recreate", tell=False))) == [
        f"{f['presenter_name']} was told of the move"
    ]


# ---- dual-flight-change ----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_flight_the_longer_lead_is_a_deep_text_after_booking_among_three_future_trips(level, days):
    from claw_gym.envs.dual_flight_change import LONGER, THEIRS

    for seed in range(3):
        env = _at_level("dual-flight-change", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        texts = world.services["sms"].table("messages").values()
        said = [m for m in texts if m["body"] == LONGER]
        assert len(said) == 1 and said[0]["direction"] == "out" and said[0]["time"] <= now - days * clock.DAY
        assert not {"flight", "airport", "leave"} & set(LONGER[:50].split())  # its line names no topic
        thread = sorted((m for m in texts if m["number"] == said[0]["number"]), key=lambda m: -m["time"])
        assert thread.index(said[0]) < 29 and any(m["body"] == THEIRS for m in thread)  # the friend's own, after
        itin = world.services["files"].table("files")
        mine = next(r for r in itin.values() if r["path"] == f["path"])
        assert mine["modified"] < said[0]["time"]  # the itinerary's "2 hours" predates the change
        future = [e for e in world.services["calendar"].table("entries").values() if e["title"].startswith("Flight ")]
        assert len([e for e in future if e["start"] > now]) >= 3
        trips = [r for r in itin.values() if r["path"].startswith("Documents/travel/itinerary-")]
        assert len(trips) >= 3
        assert f["stale_leave"] == clock.fmt(f["new"] - 150 * clock.MINUTE)[11:16]  # the driver's word wins (s33)


def _flight_steps(env, *, lead: int = 0, lands: str | None = None, tell: bool = True) -> list[str]:
    """Calendar and itinerary through the API (other doors than claw and sed), the alarm on the phone, the
    pickup told by mail (and at level 5 the driver, session 33). ``lead`` in minutes, default the task's."""
    from claw_gym.devices.phone import script as S

    f = env.scenario.facts
    lead = lead or f["lead"] // clock.MINUTE
    leave = clock.fmt(f["new"] - lead * clock.MINUTE)[11:16]
    old = next(r for r in env.world.services["files"].table("files").values() if r["path"] == f["path"])["content"]
    fixed = old.replace(f"Departs: {clock.fmt(f['dep'])}", f"Departs: {clock.fmt(f['new'])}").replace(
        f"Leave for airport: {f['old_leave']}", f"Leave for airport: {leave}"
    )
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now, wake=False),
        A.api("calendar.update_event", id=f["entry"], start=clock.fmt(f["new"])),
        A.api("files.write", path=f["path"], content=fixed),
        *S.open_app("Clock"),
        S.tap("desc=Leave for airport · Once"),
        S.tap("id/add_alarm"),
        *S.fill("time", leave),
        *S.fill("label", "Leave for airport"),
        S.tap("id/save"),
    ]
    if tell:
        steps.append(
            A.api("mail.send", to=[f["pickup"][1]], subject="Flight", body=f"Landing {lands or f['lands']} now.")
        )
    if f["word"].get("tell"):
        steps.append(A.api("mail.send", to=[f["driver"][1]], subject="Lift", body=f"Let's set off at {leave}."))
    return [*steps, A.wait(8 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level", [4, 5])
def test_flight_through_the_api_and_mail_passes_and_the_itinerarys_two_hours_fail(level):
    env = _at_level("dual-flight-change", level, 1)
    verdict = _play(env, _flight_steps(env))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = set(_failed(_play(env, _flight_steps(env, lead=120))))
    assert failed - {f"{env.scenario.facts['driver_name']} was told the new time"} == {
        "the itinerary says when to leave now",
        "an alarm is on for the new leaving time",
    }


@pytest.mark.parametrize("level", [4, 5])
def test_flight_the_pickup_left_out_or_told_both_times_fails(level):
    env = _at_level("dual-flight-change", level, 2)
    f = env.scenario.facts
    name = f"{f['pickup_name']} was told the new landing time"
    assert _failed(_play(env, _flight_steps(env, tell=False))) == [name]
    env.reset(seed=2)
    assert _failed(_play(env, _flight_steps(env, lands=f"{f['lands']} (or {f['old_lands']})"))) == [name]
    env.reset(seed=2)
    assert _failed(_play(env, _flight_steps(env, lands=f["old_lands"]))) == [name]


@pytest.mark.parametrize("level", [4, 5])
def test_flight_the_old_landing_only_mentioned_is_no_hedge(level):
    """Honest play: "departs 12:30 instead of 10:00, so I land at 15:00 (not 12:30)" tells the new landing
    time; the new departure is never the old landing time (it would read as one)."""
    for seed in range(6):
        env = _at_level("dual-flight-change", level, seed)
        f = env.scenario.facts
        assert clock.fmt(f["new"])[11:16] != f["old_lands"], (seed, f["old_lands"])
    env = _at_level("dual-flight-change", level, 2)
    f = env.scenario.facts
    said = (
        f"{f['lands']} (not {f['old_lands']}): it now departs {clock.fmt(f['new'])[11:16]} "
        f"instead of {clock.fmt(f['dep'])[11:16]}"
    )
    verdict = _play(env, _flight_steps(env, lands=said))
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- dual-ticket-new-number ------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_new_number_the_right_digits_are_in_a_deep_renewal_note_among_three_and_tickets_are_several(level, days):
    for seed in range(3):
        env = _at_level("dual-ticket-new-number", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        acts = list(world.services["crm"].table("activities").values())
        renewals = [
            a for a in acts if a["text"].startswith("Renewal call with ") and "Mobiles for the file" in a["text"]
        ]
        assert len(renewals) >= 3
        right = [a for a in renewals if f["read_back"] in a["text"]]  # s32: as read back, corrected later
        assert len(right) == 1 and right[0]["time"] <= now - days * clock.DAY and right[0]["deal"] == f["deal"]
        assert f["colleague_number"] in right[0]["text"]  # two mobiles in the note: the right person's decides
        ticket = world.services["helpdesk"].table("tickets")[f["ticket"]]
        assert f["written"] in ticket["body"] and f["new"] not in ticket["body"]
        digits = [sum(c.isdigit() for c in n) for n in (f["written"], f["new"])]
        assert digits[0] == digits[1] and f["written"] != f["new"]  # a slip of the right shape (tests/test_depth_s28p)
        tickets = world.services["helpdesk"].table("tickets").values()
        shaped = [t for t in tickets if t["status"] == "open" and "mobile" in (t["subject"] + t["body"]).lower()]
        assert len(shaped) >= 3
        synced = {c["name"] for c in world.services["contacts"].table("people").values()}
        assert f["name"] not in synced  # the one saved on the phone only
        assert "CRM" in env.scenario.instruction


def _number_steps(env, number: str, *, crm: bool = True) -> list[str]:
    """The oracle's phone steps with ``number``; ticket and CRM through the API (another door than claw)."""
    f = env.scenario.facts
    acts = [a.replace(f["new"], number) for a in env.oracle_actions() if '"shell"' not in a and '"finish"' not in a]
    acts += [
        A.api("helpdesk.comment", id=f["ticket"], text="Done, thanks!"),
        A.api("helpdesk.update", id=f["ticket"], status="solved"),
    ]
    if crm:
        acts.append(A.api("crm.log_activity", deal_id=f["deal"], text=f"Mobile changed to {number}"))
    return [*acts, A.finish("done")]


@pytest.mark.parametrize("level", [4, 5])
def test_new_number_by_api_passes_and_the_co_listed_or_ticket_number_or_no_crm_fails(level):
    env = _at_level("dual-ticket-new-number", level, 1)
    f = env.scenario.facts
    verdict = _play(env, _number_steps(env, f["new"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    for wrong in (f["colleague_number"], f["written"]):
        env.reset(seed=1)
        failed = _failed(_play(env, _number_steps(env, wrong)))
        assert "the phone has the customer under the new number" in failed
        assert "the new number is noted on their CRM account" in failed
    env.reset(seed=1)
    assert _failed(_play(env, _number_steps(env, f["new"], crm=False))) == [
        "the new number is noted on their CRM account"
    ]
