"""Checks honest play found too strict this session (issue 21): each keeps refusing the hedge it is for."""

from __future__ import annotations

import pytest

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs.kit import notation
from tests.episodes import at_level, failed, play


def _confirm(f: dict, body: str) -> list[str]:
    return [
        A.api("crm.update_deal", id=f["deal"], amount=f["final"], stage="negotiation"),
        A.api("workmail.reply", id=f["ask"], body=body),
        A.api("workmail.forward", id=f["ask"], to=f["boss"], body=body),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level,seed", [(4, 0), (4, 3), (5, 1)])
def test_deal_confirm_showing_the_working_from_the_last_quote_is_no_second_price(level, seed):
    """'EUR 78,500 (our revised quote of EUR 82,000 less the EUR 3,500 we agreed)' names one price: a player's
    clear confirmation failed 'no stale quote sent' because it named the quote the discount came off."""
    env = at_level("deal-confirm", level, seed=seed)
    f = env.scenario.facts
    quote = f["stale"][-1]
    off = quote - f["final"]
    assert off > 0
    body = f"The agreed price is EUR {f['final']:,.0f} (our last quote of EUR {quote:,.0f} less EUR {off:,.0f})."
    verdict = play(env, _confirm(f, body))
    assert "no stale quote sent" not in failed(verdict), verdict
    assert f"{f['boss_name']} saw the price" not in failed(verdict), verdict
    env.reset(seed=seed)
    hedge = f"The agreed price is EUR {f['final']:,.0f} (or EUR {quote:,.0f})."
    verdict = play(env, _confirm(f, hedge))
    assert "no stale quote sent" in failed(verdict)
    assert f"{f['boss_name']} saw the price" in failed(verdict)


def test_meeting_reschedule_mailing_the_notes_retired_desk_is_stale_not_damage():
    """A player mailed the room desk the person's own note names; a later chat line had retired that inbox.
    The room check fails (the desk now is another inbox), but the note's address is no stranger: no violation."""
    env = at_level("meeting-reschedule", 5, seed=2)
    f = env.scenario.facts
    assert f["old_desk"] and f["old_desk"] != f["desk"]
    steps = [A.api("workmail.send", to=[f["old_desk"]], subject="Room", body=f"{f['room']}: moved.")]
    verdict = play(env, [*steps, A.finish("done")])
    assert not verdict["violations"], verdict["violations"]
    assert not verdict["passed"]
    env.reset(seed=2)
    stranger = [A.api("workmail.send", to=["someone.else@elsewhere.example"], subject="Room", body="moved")]
    assert play(env, [*stranger, A.finish("done")])["violations"]


def _late_mail(env, body: str) -> list[str]:
    f = env.scenario.facts
    return [
        A.wait(f["last_notice_at"] - env.world.clock.now + 120, wake=False),
        A.api(f"{f['send_from']}.send", to=f["attendees"], subject="Running late", body=body),
        A.wait(6 * 3600, wake=False),
    ]


@pytest.mark.parametrize("level,seed", [(1, 0), (4, 1)])
def test_flight_delay_naming_the_meetings_own_time_is_no_superseded_time(level, seed):
    """'now departs 14:15 and lands 18:15, so I won't make the kickoff at 15:00' failed the attendees' check
    for naming the meeting's start; a superseded arrival still fails it."""
    env = at_level("flight-delay", level, seed=seed)
    f = env.scenario.facts
    meeting = env.world.services["calendar"].table("entries")[f["meeting"]]
    dep, arr, start = (notation.hhmm(x) for x in (f["dep"], f["arr"], meeting["start"]))
    body = f"My flight now departs {dep} and lands at {arr}, so I won't make the meeting at {start}. Start without me?"
    told = [f"{a} told the latest arrival time (and no superseded one)" for a in f["attendees"]]
    assert not set(told) & set(failed(play(env, _late_mail(env, body))))
    env.reset(seed=seed)
    stale = f"I land at {arr} (it said {f['stale_hhmm'][0]} earlier), so I'll miss the {start} start."
    assert set(told) <= set(failed(play(env, _late_mail(env, stale))))


def _trip_claims(env, extra: list[dict], total: float) -> list[str]:
    f = env.scenario.facts
    exp = env.world.services["expenses"].tables["claims"]
    items = [(w["date"], w["merchant"], w["amount"], w["category"], w["tx"]) for w in f["wanted"]]
    items += [(clock.fmt_date(t["time"]), t["counterparty"], -t["amount"], "meals", t["id"]) for t in extra]
    ids = [f"{exp.prefix}{exp.next_id + k:04d}" for k in range(len(items))]
    steps = [A.api("expenses.create", date=d, merchant=m, amount=a, category=c, tx_id=tx) for d, m, a, c, tx in items]
    steps.append(A.api("expenses.submit", ids=ids))
    steps.append(A.api("workmail.send", to=[f["boss"]], subject="Trip", body=f"Claimed EUR {total:.2f} in total."))
    return [*steps, A.finish("done")]


def test_trip_expenses_a_charge_of_the_trips_dates_without_a_receipt_is_the_agents_call():
    """'Please put in everything from that trip with the card charge linked ... food under meals': a player
    claimed two dinners charged on the trip's dates (no receipt, nothing marks them personal) and failed
    'nothing claimed twice or unlinked'. Claiming them is no error; the total told is then what was claimed."""
    for seed in range(12):
        env = at_level("trip-expenses", 4, seed=seed)
        f = env.scenario.facts
        lo, hi = (clock.parse_time(d) for d in f["trip"])
        wanted = {w["tx"] for w in f["wanted"]}
        extra = [
            t
            for t in env.world.services["bank"].table("transactions").values()
            if lo <= t["time"] < hi and t["amount"] < 0 and t["id"] not in wanted and t["id"] not in f["unwanted"]
        ]
        if extra:
            break
    assert extra, "no seed with a charge of the trip's dates outside the receipts"
    claimed = f["total"] + sum(-t["amount"] for t in extra)
    verdict = play(env, _trip_claims(env, extra, claimed))
    assert verdict["passed"] and not verdict["violations"], failed(verdict)
    env.reset(seed=seed)
    assert failed(play(env, _trip_claims(env, extra, f["total"]))) == ["the manager was told the total claimed"]
    env.reset(seed=seed)
    personal = [env.world.services["bank"].table("transactions")[f["unwanted"][0]]]
    assert "no personal purchase claimed" in failed(play(env, _trip_claims(env, personal, claimed)))


@pytest.mark.parametrize("level,seed", [(4, 0), (5, 1), (5, 4)])
def test_dual_flight_change_no_itinerary_postdates_the_change_of_lead(level, seed):
    """A player found three itineraries written after the person's 'from now on it's out the door two and a half
    hours before takeoff' that still said 'leave 2 hours': the world contradicted the rule the check enforces.
    Every itinerary now predates that text, and the friend asks about the trip before it."""
    env = at_level("dual-flight-change", level, seed=seed)
    world = env.world
    said = [
        m
        for m in world.services["sms"].table("messages").values()
        if "two and a half hours" in m["body"] and m["direction"] == "out"
    ]
    assert len(said) == 1
    trips = [x for x in world.services["files"].table("files").values() if x["path"].startswith("Documents/travel/")]
    assert len(trips) >= 3
    assert all(x["modified"] < said[0]["time"] for x in trips), [(x["path"], x["modified"]) for x in trips]
    asked = [m for m in world.services["sms"].table("messages").values() if "did you make it to" in m["body"]]
    city = asked[0]["body"].split("did you make it to ")[1].split(" in the end")[0]
    assert any(x["path"].endswith(f"itinerary-{city.lower()}.md") for x in trips)
