"""Headroom for group v0C's families (issue 21): at levels 4-5 the deciding record sits deep in the history
among same-shaped live candidates, the task has more goals, a half-done run fails and another door passes.

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
from claw_gym.envs.kit import notation


# ---- bill-pay --------------------------------------------------------------------------------------
def _bill_steps(env, share: float | None, remind: bool = True) -> list[str]:
    """Pay through the laptop's claw, tell the partner by mail (the oracle texts), a reminder by claw."""
    f = env.scenario.facts
    steps = [A.wait(f["trigger_at"] - env.world.clock.now + 180, wake=False)]
    steps += [A.shell(f"claw bank pay --iban {f['iban']} --amount {f['amount']} --reference 'Invoice {f['inv']}'")]
    if share is not None:
        body = f"Hi, the {f['name']} one went out ({f['amount']:.2f} EUR), you owe me {share:.2f} EUR."
        steps.append(A.api("mail.send", to=[f["partner"][0]], subject="Household", body=body))
    if remind and "remind_at" in f:
        steps.append(A.shell(f"claw todo add_task --title 'check transfer' --due '{clock.fmt(f['remind_at'])}'"))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_bill_pay_the_account_is_only_in_deep_transfers_among_other_providers(level, days):
    from claw_gym.envs.bill_pay import PROVIDERS

    names = {p[0] for ps in PROVIDERS.values() for p in ps}
    for seed in range(3):
        env = _at_level("bill-pay", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        bill = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == f["bill"])
        assert f["iban"] not in bill["body"] and "IBAN" not in bill["body"]  # the bill names no account
        txs = world.services["bank"].table("transactions").values()
        mine = [t for t in txs if t["iban"] == f["iban"]]
        assert mine and max(t["time"] for t in mine) <= now - days * clock.DAY
        shaped = [t for t in txs if t["counterparty"] in names and re.fullmatch(r"[A-Z]{2}-\d{6}", t["reference"])]
        assert len({t["counterparty"] for t in shaped}) >= 3 and len({t["iban"] for t in shaped}) >= 3
        assert all(t["time"] % 60 and (t["time"] // 60) % 30 for t in shaped)  # off the round minute
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "settle whatever" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "settle whatever" in ln).lower()
        assert "bill" not in line and f["name"].split()[0].lower() not in line
        expired = [n for n in notes if "bills from their own account" in n["body"]]
        assert len(expired) == 1 and expired[0]["title"] != f["rule_note"]  # the keyword lands on the old one
        if level == 5:  # the partner's reply: deep, after the rule, and its line names no topic
            texts = [m for m in world.services["sms"].table("messages").values() if m["number"] == f["partner"][1]]
            reply = [m for m in texts if "60/40" in m["body"]]
            assert len(reply) == 1 and rule[0]["updated"] < reply[0]["time"] <= now - days * clock.DAY
            assert "bill" not in reply[0]["body"] and reply[0]["direction"] == "in"


@pytest.mark.parametrize("level", [4, 5])
def test_bill_pay_through_claw_and_mail_passes_and_without_the_share_fails(level):
    env = _at_level("bill-pay", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _bill_steps(env, f["share"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _bill_steps(env, None))) == [f"{f['partner_name']} was sent their share"]


def test_bill_pay_half_or_a_hedge_fails_after_the_partners_reply_at_level_5():
    env = _at_level("bill-pay", 5, seed=2)
    f = env.scenario.facts
    half = round(f["amount"] / 2, 2)
    # session 33: the partner's later word on their 60/40 reply makes it 70/30
    assert half in f["share_wrong"] and abs(f["share"] - round(f["amount"] * 0.3, 2)) < 0.005
    assert _failed(_play(env, _bill_steps(env, half))) == [f"{f['partner_name']} was sent their share"]
    env.reset(seed=2)
    steps = _bill_steps(env, f["share"])
    steps.insert(-1, A.api("sms.send", to=f["partner"][1], body=f"or {half:.2f} if we stay at half?"))
    assert _failed(_play(env, steps)) == [f"{f['partner_name']} was sent their share"]
    env.reset(seed=2)
    assert _failed(_play(env, _bill_steps(env, f["share"], remind=False))) == ["a reminder at 9 on the due date"]


def test_bill_pay_telling_the_partner_before_the_bill_came_fails():
    env = _at_level("bill-pay", 4, seed=0)
    f = env.scenario.facts
    early = [A.api("sms.send", to=f["partner"][1], body=f"Your half: {f['share']:.2f} EUR")]
    steps = early + _bill_steps(env, None)
    assert _failed(_play(env, steps)) == [f"{f['partner_name']} was sent their share"]


# ---- deal-confirm ----------------------------------------------------------------------------------
def _deal_steps(env, amount: float, boss: bool = True, chase: bool = True) -> list[str]:
    """Update by claw, reply to the request, forward the reply to the manager, the chase as a calendar entry."""
    f = env.scenario.facts
    steps = [
        A.shell(f"claw crm update_deal --id {f['deal']} --amount {amount:.0f} --stage negotiation"),
        A.api(
            "workmail.reply",
            id=f["ask"],
            body=f"Dear customer,\n\nthe agreed price is {amount:,.0f} EUR.\n\nKind regards",
        ),
    ]
    if boss:
        steps.append(A.api("workmail.forward", id=f["ask"], to=f["boss"], body=f"FYI: confirmed at EUR {amount:,.2f}."))
    if chase and "chase_at" in f:
        end = clock.fmt(f["chase_at"] + 30 * clock.MINUTE)
        steps.append(A.api("calendar.create_event", title="Signature?", start=clock.fmt(f["chase_at"]), end=end))
    return [*steps, A.finish("done")]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_deal_confirm_the_agreement_is_deep_among_three_live_deals_and_the_rule_is_plain(level, days):
    for seed in range(3):
        env = _at_level("deal-confirm", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["deciding_at"] <= now - days * clock.DAY
        crm = world.services["crm"]
        deals = [d for d in crm.table("deals").values() if d["account"] == f["account"]]
        assert len(deals) >= 3 and all(d["stage"] not in ("won", "lost") for d in deals)
        talk = [a for a in crm.table("activities").values() if a["deal"] in {d["id"] for d in deals}]
        agreed = [a for a in talk if "last quote less" in a["text"] or "off the last quote" in a["text"]]
        assert len({a["deal"] for a in agreed}) >= 2  # the request's subject, not the words, picks the deal
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "in writing to a client" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "in writing to a client" in ln).lower()
        assert "price" not in line and "confirm" not in line
        old = [n for n in notes if "Price confirmations to customers" in n["body"]]
        assert len(old) == 1 and old[0]["title"] != f["rule_note"]
        # the manager's word (s33: at 4 and 5, among their lines about other matters) names neither the account,
        # the deal nor the contact
        reply = world.services["chat"].table("messages")[f["word"]]
        assert reply["channel"] == f["boss_channel"] and reply["time"] <= now - days * clock.DAY
        title = crm.table("deals")[f["deal"]]["title"]
        first = f["email"].split(".")[0]
        assert not any(w.lower() in reply["text"].lower() for w in (f["account"], title, first))


@pytest.mark.parametrize("level", [4, 5])
def test_deal_confirm_by_claw_reply_and_forward_passes_and_without_the_manager_fails(level):
    env = _at_level("deal-confirm", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _deal_steps(env, f["final"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _deal_steps(env, f["final"], boss=False))) == [f"{f['boss_name']} saw the price"]


def test_deal_confirm_the_crm_discount_or_no_chase_fails_at_level_5():
    env = _at_level("deal-confirm", 5, seed=2)
    f = env.scenario.facts
    crm_price = f["stale_more"][-1]  # the last quote less the CRM's discount: the manager changed it later
    assert crm_price != f["final"]
    failed = _failed(_play(env, _deal_steps(env, crm_price)))
    assert "deal amount is the agreed price" in failed and "customer got the agreed price in writing" in failed
    assert f"{f['boss_name']} saw the price" in failed
    env.reset(seed=2)
    assert _failed(_play(env, _deal_steps(env, f["final"], chase=False))) == [
        "a reminder to chase the signature a week later at 10"
    ]
    env.reset(seed=2)
    hedge = _deal_steps(env, f["final"])
    hedge.insert(-1, A.api("chat.post", channel=f["boss_channel"], text=f"or EUR {crm_price:,.0f} if they balk"))
    assert _failed(_play(env, hedge)) == [f"{f['boss_name']} saw the price"]


# ---- flight-delay ----------------------------------------------------------------------------------
def _flight_steps(env, arr: int, ride_at: int | None) -> list[str]:
    """After the last notice: the flight by claw, the attendees from the other mailbox, the partner by mail,
    the ride moved by the API to ``ride_at`` (left alone when None)."""
    f = env.scenario.facts
    other = "workmail" if f["send_from"] == "mail" else "mail"
    steps = [
        A.wait(f["last_notice_at"] - env.world.clock.now + 120, wake=False),
        A.shell(
            f"claw calendar update_event --id {f['flight']} --start '{clock.fmt(f['dep'])}' --end '{clock.fmt(arr)}'"
        ),
        A.api(f"{other}.send", to=f["attendees"], subject="Late", body=f"Landing at {notation.hhmm(arr)} now, sorry."),
    ]
    if f.get("also"):
        steps.append(A.api("mail.send", to=[f["also"]["email"]], subject="landing", body=f"Now {notation.hhmm(arr)}"))
    if ride_at is not None:
        end = clock.fmt(ride_at + 30 * clock.MINUTE)
        steps.append(A.api("calendar.update_event", id=f["ride"], start=clock.fmt(ride_at), end=end))
    if f.get("word", {}).get("tell"):  # level 5: the ride's booker told its new time (its entry asks)
        body = f"Ride moved to {notation.hhmm(f['ride_at'])}."
        steps.append(A.api("mail.send", to=[f["booker"]["email"]], subject="ride", body=body))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_flight_delay_the_rule_is_deep_and_plain_among_three_live_flights(level, days):
    for seed in range(3):
        env = _at_level("flight-delay", level, seed, k=seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["deciding_at"] <= now - days * clock.DAY
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "land later than planned" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "land later" in ln).lower()
        assert not any(w in line for w in ("flight", "airline", "delay"))
        decoy = [n for n in notes if "Flight delays on" in n["body"]]
        assert len(decoy) == 1 and decoy[0]["title"] != f["rule_note"]
        cal = world.services["calendar"].table("entries")
        flights = [e for e in cal.values() if e["title"].startswith("Flight ") and e["start"] > now]
        assert len(flights) >= 3 and {f["flight"], *f["others"]} <= {e["id"] for e in flights}
        mails = world.services["mail"].table("messages").values()
        old = [m for m in mails if m["from"].startswith("alerts@") and m["time"] <= now - 30 * clock.DAY]
        assert len(old) >= 2  # the airline's same-shaped notices about other flights
        # the ride's booker's later text (session 33, tests/test_depth_s33b.py): after the rule, naming no trip
        word = world.services["sms"].table("messages")[f["word"]["sms"]]
        assert rule[0]["updated"] < word["time"] and str(f["margin"]) in word["body"]
        assert "flight" not in word["body"].lower()


@pytest.mark.parametrize("level", [4, 5])
def test_flight_delay_by_claw_and_the_other_mailbox_passes_and_without_the_ride_fails(level):
    env = _at_level("flight-delay", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _flight_steps(env, f["arr"], f["ride_at"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = _failed(_play(env, _flight_steps(env, f["arr"], None)))
    assert failed == ["the ride from the airport is at the margin after the latest landing"]


def test_flight_delay_the_rules_margin_or_moving_another_flight_fails_at_level_5():
    env = _at_level("flight-delay", 5, seed=2)
    f = env.scenario.facts
    stale = f["arr"] + f["stale_margin"] * clock.MINUTE
    assert stale in f["stale_rides"] and stale != f["ride_at"]
    failed = _failed(_play(env, _flight_steps(env, f["arr"], stale)))
    assert failed == ["the ride from the airport is at the margin after the latest landing"]
    env.reset(seed=2)
    steps = _flight_steps(env, f["arr"], f["ride_at"])
    other = f["others"][0]
    steps.insert(-1, A.api("calendar.update_event", id=other, start=clock.fmt(f["dep"]), end=clock.fmt(f["arr"])))
    assert "the other flights kept their entries" in _failed(_play(env, steps))


# ---- duplicate-charge ------------------------------------------------------------------------------
def _dup_steps(env, day: int | None, orders: list[str] | None = None) -> list[str]:
    """Dispute through claw, support from work mail naming ``orders``, a calendar entry on ``day`` (None: no)."""
    f = env.scenario.facts
    named = " and ".join(orders or [f["order"]])
    steps = [
        A.wait(f["settled_at"] - env.world.clock.now + 60, wake=False),
        A.shell(f"claw bank dispute --id {f['duplicate']} --reason 'second charge, same order'"),
        A.api("workmail.send", to=[f["support"]], subject="Double payment", body=f"You took {named} twice."),
    ]
    if day is not None:
        start = day + 8 * clock.HOUR
        steps.append(
            A.api("calendar.create_event", title="Refund?", start=clock.fmt(start), end=clock.fmt(start + 900))
        )
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_duplicate_charge_the_order_is_deep_among_same_shaped_receipts(level, days):
    for seed in range(3):
        env = _at_level("duplicate-charge", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["deciding_at"] <= now - days * clock.DAY
        tx = world.services["bank"].table("transactions")
        amount = -tx[f["original"]]["amount"]
        assert tx[f["original"]]["time"] <= now - days * clock.DAY
        receipts = [m for m in world.services["mail"].table("messages").values() if m["subject"].startswith("Your ")]
        shop = [m for m in receipts if f["shop"] in m["subject"]]
        sums = [float(re.search(r"EUR (\d+\.\d\d)", m["body"]).group(1)) for m in shop]
        near = {s for s in sums if 0.75 * amount <= s <= 1.25 * amount}
        assert len(near) >= 3 and sums.count(amount) == 1  # the amount picks one receipt among same-shaped ones
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "takes the money again" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "takes the money again" in ln).lower()
        assert not any(w in line for w in ("twice", "charge", "dispute", "duplicate"))
        decoy = [n for n in notes if "charged twice" in n["body"]]
        assert len(decoy) == 1 and decoy[0]["title"] != f["rule_note"]
        if level == 5:
            texts = world.services["sms"].table("messages").values()
            reply = [m for m in texts if "14 days" in m["body"]]
            assert len(reply) == 1 and rule[0]["updated"] < reply[0]["time"] <= now - days * clock.DAY
            assert f["shop"].split()[0].lower() not in reply[0]["body"].lower() and reply[0]["direction"] == "in"


@pytest.mark.parametrize("level", [4, 5])
def test_duplicate_charge_by_claw_work_mail_and_calendar_passes_and_without_the_todo_fails(level):
    env = _at_level("duplicate-charge", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _dup_steps(env, f["check_day"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _dup_steps(env, None))) == [f"a to-do to check the refund {f['days']} days later"]


def test_duplicate_charge_ten_days_or_naming_two_orders_fails_at_level_5():
    env = _at_level("duplicate-charge", 5, seed=2)
    f = env.scenario.facts
    ten = f["check_day"] - 11 * clock.DAY
    assert f["days"] == 21  # session 33: the partner's later word on their "14 days" reply makes it 21
    assert _failed(_play(env, _dup_steps(env, ten))) == ["a to-do to check the refund 21 days later"]
    env.reset(seed=2)
    hedge = _dup_steps(env, f["check_day"], [f["order"], f["other_orders"][0]])
    assert _failed(_play(env, hedge)) == ["the shop's support was told, naming the order"]


def test_duplicate_charge_naming_todays_new_order_as_genuine_is_no_hedge():
    """Honest play: "my only order today is ORD-x, which is correct" beside the duplicated order is not a hedge;
    naming another earlier order is."""
    env = _at_level("duplicate-charge", 5, seed=2)
    f = env.scenario.facts
    assert f["new_order"] in f["other_orders"]
    body = f"You charged order {f['order']} a second time. My only order today is {f['new_order']}, which is correct."
    steps = [
        a if '"workmail.send"' not in a else a.replace(f"You took {f['order']} twice.", body)
        for a in _dup_steps(env, f["check_day"])
    ]
    assert any(f["new_order"] in a for a in steps)
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- parcel-reschedule -----------------------------------------------------------------------------
def _parcel_steps(env, day: str, home: bool = True, home_text: str | None = None) -> list[str]:
    """After the notice: the courier told by text, the to-do by claw, the housemate by mail (or ``home_text``)."""
    f = env.scenario.facts
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 90, wake=False),
        A.api("sms.send", to=f["number"], body=f"Not home then, please come on {day}."),
        A.shell(f"claw todo add_task --title 'in for the courier' --due {day}"),
    ]
    if home:
        body = home_text or f"The courier now comes on {day}, 10-12."
        steps.append(A.api("mail.send", to=[f["home"][1]], subject="courier", body=body))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


def _parcel_days(env) -> list[str]:
    from claw_gym.envs import parcel_reschedule
    from claw_gym.envs.kit import checks

    return parcel_reschedule.valid_days(env.scenario.facts, checks.calendar_rows(env.world, with_pending=True))


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_parcel_reschedule_the_rule_and_its_amendment_are_deep_and_name_no_delivery(level, days):
    for seed in range(3):
        env = _at_level("parcel-reschedule", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["deciding_at"] <= now - days * clock.DAY
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "dropped off" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] < f["amended_at"]
        line = next(ln for ln in rule[0]["body"].splitlines() if "dropped off" in ln).lower()
        assert not any(w in line for w in ("deliver", "courier", "parcel"))
        assert len([n for n in notes if "Deliveries for" in n["body"]]) == 1  # the keyword lands elsewhere
        texts = list(world.services["sms"].table("messages").values())
        reply = [
            m for m in texts if m["number"] == f["home"][0] and m["direction"] == "in" and "allotment" in m["body"]
        ]
        assert len(reply) == 1 and reply[0]["time"] <= now - days * clock.DAY
        assert not any(w in reply[0]["body"].lower() for w in ("deliver", "courier", "parcel"))
        older = [m for m in texts if m["number"] == f["number"] and m["time"] < now]
        assert len(older) >= 3  # the courier's same-shaped thread
        cal = world.services["calendar"].table("entries").values()
        away = [r for r in cal if r["end"] - r["start"] >= 6 * clock.HOUR and r["start"] > now]
        assert len(away) >= 3  # the trip and the all-day entries: the calendar, not one entry, decides


@pytest.mark.parametrize("level", [4, 5])
def test_parcel_reschedule_the_housemate_by_mail_passes_and_left_out_fails(level):
    env = _at_level("parcel-reschedule", level, seed=1)
    f = env.scenario.facts
    day = _parcel_days(env)[0]
    verdict = _play(env, _parcel_steps(env, day))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _parcel_steps(env, day, home=False))) == [f"{f['home_name']} was told the new day"]


def test_parcel_reschedule_two_days_to_the_housemate_or_the_friday_fails():
    env = _at_level("parcel-reschedule", 5, seed=2)
    f = env.scenario.facts
    good = _parcel_days(env)
    hedge = _parcel_steps(env, good[0], home_text=f"It's {good[0]} or {good[1]}, not sure yet.")
    assert _failed(_play(env, hedge)) == [f"{f['home_name']} was told the new day"]
    env.reset(seed=2)
    from claw_gym.envs import parcel_reschedule
    from claw_gym.envs.kit import checks

    friday = parcel_reschedule.valid_days({**f, "no_friday": False}, checks.calendar_rows(env.world, True))[0]
    assert clock.weekday(clock.parse_time(friday)) == 4
    failed = _failed(_play(env, _parcel_steps(env, friday)))
    assert "the new date is a weekday within two weeks when the person is not away" in failed


# ---- chat-handover ---------------------------------------------------------------------------------
def _handover_steps(env, dues: dict[str, int], cover: str = "Cover", boss: bool = True) -> list[str]:
    """Tasks by claw on ``cover``, an hour at 07:00 each due day (before the morning meetings), the manager by
    work mail."""
    f = env.scenario.facts
    steps = []
    for item, due in dues.items():
        start = clock.day_start(due) + 7 * clock.HOUR
        steps.append(A.shell(f"claw todo add_task --title '{item}' --due {clock.fmt_date(due)} --list_name {cover}"))
        steps.append(
            A.api("calendar.create_event", title=f"{item}", start=clock.fmt(start), end=clock.fmt(start + 3600))
        )
    if boss:
        steps.append(A.api("workmail.send", to=f["boss"], subject="Cover", body="I've got the handover items."))
    return [*steps, A.finish("done")]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_chat_handover_the_thread_is_deep_among_other_handovers_and_the_rule_is_plain(level, days):
    from claw_gym.envs.chat_handover import REVERT_SUBJECT

    for seed in range(3):
        env = _at_level("chat-handover", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["deciding_at"] <= now - days * clock.DAY
        chat = list(world.services["chat"].table("messages").values())
        first = [m for m in chat if m["channel"] == f["channel"] and "leave" in m["text"] and " by " in m["text"]]
        assert len(first) == 1 and first[0]["time"] <= now - days * clock.DAY
        leave = ("long leave", "parental leave")
        shaped = [m for m in chat if m["channel"].startswith("dm-") and any(w in m["text"] for w in leave)]
        assert len({m["channel"] for m in shaped}) >= 3  # three colleagues handed over the same way
        mails = [m for m in world.services["workmail"].table("messages").values() if m["subject"] in REVERT_SUBJECT]
        assert len(mails) == 1 and not any(i in mails[0]["subject"] for i in f["stale"])
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if n["title"] == f["rule_note"] and "Cover list" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "Cover list" in ln).lower()
        assert "handover" not in line and "hand over" not in line
        assert len([n for n in notes if "handover items" in n["body"]]) == 1  # the keyword lands on the old one


@pytest.mark.parametrize("level", [4, 5])
def test_chat_handover_by_claw_and_mail_passes_and_the_inbox_or_no_word_fails(level):
    env = _at_level("chat-handover", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _handover_steps(env, f["final"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _handover_steps(env, f["final"], cover="inbox"))) == ["the tasks are on the Cover list"]
    env.reset(seed=1)
    assert _failed(_play(env, _handover_steps(env, f["final"], boss=False))) == [f"{f['boss_name']} was told"]


def test_chat_handover_the_chat_only_dates_fail_at_level_5():
    env = _at_level("chat-handover", 5, seed=2)
    f = env.scenario.facts
    moved = next(i for i, t in f["final"].items() if f["stale"][i] != t)
    failed = _failed(_play(env, _handover_steps(env, {**f["final"], moved: f["stale"][moved]})))
    assert f"a task for the {moved} due {clock.fmt_date(f['final'][moved])}" in failed


# ---- backup-alert ----------------------------------------------------------------------------------
def _backup_steps(env, value: str, solve: bool = True) -> list[str]:
    """After the ticket: the key rewritten with python (not the oracle's sed), the ticket solved by the API."""
    f = env.scenario.facts
    code = (
        f"import pathlib,re; p=pathlib.Path.home()/'.config/syncd/syncd.conf'; "
        f"p.write_text(re.sub(r'(?m)^{f['key']} = .*$', '{f['key']} = {value}', p.read_text()))"
    )
    steps = [A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False), A.shell(f'python3 -c "{code}"')]
    if solve:
        steps.append(A.api("helpdesk.update", id=f["alert"], status="solved"))
    return steps + [A.wait(8 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_backup_alert_the_source_is_deep_and_the_ticket_names_no_path(level, days):
    for seed in range(3):
        env = _at_level("backup-alert", level, seed, k=seed)
        world, f = env.world, env.scenario.facts
        assert f["deciding_at"] <= world.clock.now - days * clock.DAY and len(set(f["candidates"])) >= 3
        alert = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == f["alert"])
        assert "syncd.log" not in alert["body"] and "solved" in alert["body"]


@pytest.mark.parametrize("level", [4, 5])
def test_backup_alert_by_python_and_the_api_passes_and_unsolved_or_unfixed_fails(level):
    env = _at_level("backup-alert", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _backup_steps(env, f["value"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _backup_steps(env, f["value"], solve=False))) == ["the monitor's ticket is set to solved"]
    env.reset(seed=1)
    only_solved = [A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False)]
    only_solved += [A.api("helpdesk.update", id=f["alert"], status="solved"), A.wait(8 * clock.HOUR, wake=False)]
    verdict = _play(env, only_solved)
    assert not verdict["passed"] and "the monitor's ticket is set to solved" not in _failed(verdict)
