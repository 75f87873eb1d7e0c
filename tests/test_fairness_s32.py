"""Fixes found by honest play in session 32 (issue 21)."""

from __future__ import annotations

import pytest
from episodes import at_level, failed, play, search

from claw_gym import actions as A
from claw_gym import clock


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_secret_request_the_dinner_entry_predates_the_booker_s_move(level, seed):
    # A player saw the dinner's calendar entry created two days after the booker's text moving the table,
    # still naming the old place: a later record that seemed to overrule the move. The entry is made when
    # the table is booked, after the booking's confirmation and before anything moved it.
    env = at_level("secret-request", level, seed=seed, variant="sms")
    f = env.scenario.facts
    venue = f["where"].split("the booking confirmation for ", 1)[1].split(" gives", 1)[0]
    made = [h for h in search(env, f"Dinner at {venue}") if h["kind"] == "calendar.created"]
    assert len(made) == 1, made
    moved = [h for h in search(env, f["organiser"].split()[0]) if h.get("record") == f["moved"]]
    assert len(moved) == 1, f["moved"]
    confirmed = [h for h in search(env, "Booking confirmed") if h["time"] <= made[0]["time"]]
    assert made[0]["time"] < moved[0]["time"], (made, moved)
    assert confirmed, "the entry is made after the booking's confirmation came"


@pytest.mark.parametrize("variant", ["freelance", "employee"])
def test_month_close_asks_for_the_total_of_what_is_claimed_now(variant):
    # A player summed every claim of the month, the background's earlier approved ones too, as "the month's
    # total": a fair reading when the month already holds claims. The request now names the total it means.

    earlier = 0
    for level, seed in [(1, 0), (4, 0), (5, 1)]:
        env = at_level("month-close", level, seed=seed, variant=variant)
        f = env.scenario.facts
        claims = env.world.services["expenses"].table("claims").values()
        earlier += sum(clock.fmt(c["time"])[:7] == f["month"] for c in claims)
        assert "the total of what you claim for it" in env.scenario.instruction
        assert "the month's total" not in env.scenario.instruction
        assert f["total"] == round(sum(x["amount"] for x in f["receipts"] + f["claim"]), 2)
    assert earlier, "the sample holds a month with claims made before: the reading the request rules out"


def test_shared_report_brief_the_review_to_sum_is_not_the_longest_file():
    # A player saw the review to sum up was 842 bytes among 663-669 byte ones: the only one with a third
    # action item (the trap). Every review now carries one of that shape and length.
    top = n = 0
    for seed in range(4):
        for level in (1, 3, 4, 5):
            for variant in ("chat", "mail"):
                env = at_level("shared-report-brief", level, seed=seed, variant=variant)
                path = env.scenario.facts["report"]["path"]
                files = env.world.services["files"].table("files").values()
                size = {r["path"]: len(r["content"]) for r in files if r["path"].startswith("Documents/shared/")}
                assert len(size) >= 2
                n += 1
                top += max(size, key=lambda p: size[p]) == path
    assert top <= n // 2, f"the review to sum is the longest file in {top} of {n} worlds"


@pytest.mark.parametrize("variant", ["limit", "team"])
def test_receipt_policy_the_waivers_time_names_one_dinner(variant):
    # "re your 19:10 on the 14th" waives one dinner's receipt. A player found a background card payment at
    # Noodle Bar (86.05, over the limit) at 19:10 that very evening: a second reading of "your 19:10". No
    # payment but the dinner's own comes within 20 minutes of it, and no other entry starts then.

    for level in (4, 5):
        for seed in range(8):
            env = at_level("receipt-policy", level, seed=seed, variant=variant)
            meal = next(m for m in env.scenario.facts["meals"] if m["role"] == "waived")
            near = lambda t, m=meal: abs(t - m["time"]) < 20 * clock.MINUTE
            paid = [
                r["counterparty"]
                for r in env.world.services["bank"].table("transactions").values()
                if near(r["time"]) and r["id"] != meal["tx"]
            ]
            starts = [r["title"] for r in env.world.services["calendar"].table("entries").values() if near(r["start"])]
            assert not paid and len(starts) == 1, (level, seed, paid, starts)


@pytest.mark.parametrize("family", ["backup-alert", "config-fix"])
def test_syncd_runs_at_its_schedule_and_the_log_was_last_written_then(family):
    # A player saw the nightly runs stamped at the episode's start time (09:27) under "schedule = daily 02:00".

    for level in (1, 5):
        env = at_level(family, level, seed=0)
        log = next(r for r in env.world.services["files"].table("files").values() if r["path"].endswith("syncd.log"))
        stamps = [line[:16] for line in log["content"].splitlines()]
        assert stamps and all(s[11:] == "02:00" for s in stamps), stamps
        assert stamps[-1][:10] == clock.fmt(env.world.clock.now)[:10]  # the last run was this night
        assert clock.fmt(log["modified"])[:16] == stamps[-1]


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_signin_alert_the_second_office_is_the_person_s_own_on_the_episode_s_weekday(level, seed):
    # A player saw "I'm working out of our Lyon office on Tuesdays" and a Lyon sign-in on a Monday, and reported
    # it: a fair reading of a weekday-bound office. The office day (the person's mail or the manager's invite)
    # is now the episode's own weekday.

    env = at_level("signin-alert", level, seed=seed)
    office, day = env.scenario.facts["known"][-1], f"{clock.to_datetime(env.world.clock.now):%A}s"
    said = [m["body"] for m in env.world.services["workmail"].table("messages").values() if office in m["body"]]
    if "calendar" in env.world.services:
        entries = env.world.services["calendar"].table("entries").values()
        said += [e["notes"] for e in entries if office in e["notes"]]
    assert said and all(day in text for text in said if " on " in text and "office" in text), (day, said)


@pytest.mark.parametrize("level", [4, 5])
def test_signin_alert_a_mail_headed_with_the_known_office_reports_it(level):
    # The player's "Unrecognised sign-in from Lyon" mail recalled the Manila report in its body; the mail check
    # let it through while the log check failed the same act. A subject naming only a known place reports it.
    env = at_level("signin-alert", level, seed=0)
    f = env.scenario.facts
    office, desk = f["known"][-1], f.get("soc") or f["it"]
    after = A.wait(80 * clock.MINUTE, wake=False)
    mail = A.api(
        "workmail.send",
        to=[desk],
        subject=f"Unrecognised sign-in from {office}",
        body=f"Another one after the {f['city']} sign-in I reported this morning: {office}, not me.",
    )
    verdict = play(env, [*env.oracle_actions()[:-1], after, mail])
    assert failed(verdict) == ["no known place reported as the suspicious sign-in"], verdict["checks"]


@pytest.mark.parametrize("level", [4, 5])
def test_phone_dnd_meeting_texting_the_booker_or_the_manager_is_no_damage(level):
    # The entry's notes say timing changes go through its booker; a player texted them to confirm and got a
    # footprint violation (reward 0 for a careful act). The manager who moved the meeting may hear back too.
    env = at_level("phone-dnd-meeting", level, seed=0)
    f = env.scenario.facts
    boss_phone, booker_phone = f["asked"][1], f["asked"][3]
    confirm = [
        A.api("sms.send", to=booker_phone, body=f"Saw your note - {f['title']} runs longer today, noted."),
        A.api("sms.send", to=boss_phone, body="Moved it in the calendar."),
    ]
    steps = env.oracle_actions()
    verdict = play(env, [*confirm, *steps])
    assert verdict["violations"] == [] and not failed(verdict), (verdict["violations"], failed(verdict))
    stranger = at_level("phone-dnd-meeting", level, seed=0)
    verdict = play(stranger, [A.api("sms.send", to="+1 555 010 4477", body="hi"), *stranger.oracle_actions()])
    assert verdict["violations"], "a text to someone outside the task is still damage"


@pytest.mark.parametrize("level", [4, 5])
def test_trip_prep_the_host_may_hear_a_rounded_arrival_time(level):
    # A player asked whether "around 10:45" for a 10:48 arrival would pass: it did not (only 10:48-11:18 did).
    env = at_level("trip-prep", level, seed=0)
    f = env.scenario.facts
    exact, rounded = clock.fmt(f["arrive"])[-5:], clock.fmt(f["arrive"] - 3 * clock.MINUTE)[-5:]
    steps = [s.replace(exact, f"around {rounded}") if exact in s else s for s in env.oracle_actions()]
    assert steps != env.oracle_actions()
    assert not failed(play(env, steps))
