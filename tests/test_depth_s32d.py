"""Headroom for phone-card-check, dual-callback-crm and dual-ticket-new-number at levels 4-5 (issue 21, session
32): the players' method (the requester and the trigger's sender by person, every identifier of the matter by
text, "from now on", "after all") no longer finds what decides the task. The deciding word comes from someone
whose say is written in the world before it, naming the matter only by when it came in or its date, among their
same-shaped lines about other matters (:mod:`claw_gym.envs.kit.oblique`).

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import copy
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found, search
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import dual_callback_crm as dc
from claw_gym.envs import dual_ticket_new_number as dt
from claw_gym.envs import phone_card_check
from claw_gym.envs.kit import oblique

SHAPE = re.compile(r"re the [a-z' ]+ that came in at \d\d:\d\d( on [A-Z][a-z]+day)?: ")
HABITS = ["from now on", "after all"]


def _found(env, texts: list[str], people: list[str]) -> set[str]:
    """The records the players' method finds: each identifier and habit by text, each requester by person."""
    out = {h["record"] for t in [*texts, *HABITS] for h in search(env, t)}
    for who in people:
        out |= found(env, person=who)
    return out


def _amounts(n: float) -> list[str]:
    return [f"{n:.2f}", f"{n:,.2f}", f"{n:.2f}".replace(".", ","), f"{n:.0f}"]


# ---- phone-card-check ------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [4, 5])
def test_phone_card_check_the_twin_holder_s_text_claims_one_charge_and_no_identifier_finds_it(level):
    for seed in range(3):
        env = _at_level("phone-card-check", level, seed)
        world, f = env.world, env.scenario.facts
        stop = f["stop"]
        texts = world.services["sms"].table("messages").values()
        word = [m for m in texts if m["id"] == stop["claim"]]
        assert len(word) == 1 and word[0]["number"] == stop["holder"] and word[0]["time"] < world.clock.now
        word_text = word[0]["body"]
        assert SHAPE.match(word_text)
        # the holder's other texts of the same shape settle other matters, one of them later than the word
        shaped = [m for m in texts if m["number"] == stop["holder"] and SHAPE.match(m["body"]) and m is not word[0]]
        assert 2 <= len(shaped) <= 4
        # whose say it is: the running note, written before, with the stop rule beside it
        says = phone_card_check.TWIN_SAYS[1:]
        notes = [n for n in world.services["notes"].table("notes").values() if says in n["body"]]
        assert len(notes) == 1 and "gets stopped" in notes[0]["body"] and notes[0]["updated"] < word[0]["time"]
        claimed = [p for p in f["payments"] if p["claimed"]]
        assert len(claimed) == 1 and claimed[0]["legit"] and not claimed[0]["order"]
        assert any(not p["legit"] for p in f["payments"])  # the card still ends up blocked
        p = claimed[0]
        merchant = p["row"].split("  ")[0]
        ids = [merchant, merchant.split()[0], *_amounts(p["amount"]), phone_card_check.CARD, p["tx"]]
        assert not [i for i in ids if i.lower() in word_text.lower()]
        # the time it names is when exactly one of today's charges came in: the claimed one
        hhmm = re.search(r"came in at (\d\d:\d\d):", word_text).group(1)  # type: ignore[union-attr]
        today = clock.day_start(world.clock.now)
        rows = world.services["bank"].table("transactions").values()
        assert [r["id"] for r in rows if clock.day_start(r["time"]) == today and clock.fmt(r["time"])[-5:] == hhmm] == [
            p["tx"]
        ]
        found = _found(env, ids, ["Bank", world.persona.me.name])
        assert stop["claim"] not in found
        if level == 5:  # the move of the twin says neither "from now on" nor "bank"
            moved = [m for m in texts if m["number"] == stop["holder"] and "spare debit card" in m["body"]]
            assert len(moved) == 1 and moved[0]["id"] not in found


@pytest.mark.parametrize("level", [4, 5])
def test_phone_card_check_blocking_the_claimed_charge_fails_and_the_oracle_passes(level):
    env = _at_level("phone-card-check", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the players' answer: no order mail, so "no"
    p = next(p for p in f["payments"] if p["claimed"])
    before = copy.deepcopy(f)
    for q in before["payments"]:
        if q["claimed"]:
            q["answer"] = phone_card_check.NO
    verdict = _play(env, phone_card_check.oracle(env.world, before))
    assert _failed(verdict) == [f"the alert for {p['amount']:.2f} was answered correctly"]
    assert verdict["violations"] == [f"disputed the user's own payment of {p['amount']:.2f}"]


# ---- dual-callback-crm -----------------------------------------------------------------------------
MEMO_LINE = re.compile(r"re my mail of (\d{1,2} [A-Z][a-z]+): ")


@pytest.mark.parametrize("level", [4, 5])
def test_dual_callback_crm_the_manager_amends_the_memo_by_its_date_and_no_identifier_finds_it(level):
    for seed in range(3):
        env = _at_level("dual-callback-crm", level, seed)
        world, f = env.world, env.scenario.facts
        chat = world.services["chat"].table("messages").values()
        dm = [m for m in chat if m["channel"] == f["told"][1][1:]]
        word = [m for m in dm if m["id"] == f["amend"]]
        assert len(word) == 1 and word[0]["sender"] == f["boss_name"]
        text = word[0]["text"]
        assert MEMO_LINE.match(text) and "three working days" in text and "second point" in text
        shaped = [m for m in dm if m["sender"] == f["boss_name"] and MEMO_LINE.match(m["text"]) and m is not word[0]]
        assert len(shaped) == 2  # their other memos amended the same way
        # the date names exactly one mail of theirs: the memo, whose second point is the follow-up
        day = MEMO_LINE.match(text).group(1)  # type: ignore[union-attr]
        theirs = [
            m
            for svc in ("workmail", "mail")
            for m in world.services[svc].table("messages").values()
            if m["from"] == f["boss"] and oblique.day_month(m["time"]) == day
        ]
        assert [m["id"] for m in theirs] == [f["memo"]] and day == f["memo_day"]
        assert "2. Book a follow-up with the customer two working days later" in theirs[0]["body"]
        # whose say it is: the note, written after the memo and before the word, names them and the date
        notes = [n for n in world.services["notes"].table("notes").values() if f"mail of {day}" in n["body"]]
        assert len(notes) == 1 and f"{f['boss_name'].split()[0]} has the last word" in notes[0]["body"]
        assert theirs[0]["time"] < notes[0]["updated"] < word[0]["time"] < world.clock.now - clock.DAY
        first = f["contact"].split()[0]
        caller_day = clock.to_datetime(f["caller_mail_at"]).strftime("%-d %B")
        ids = [first, f["contact"], f["account"], f["account"].split()[0], f["deal_title"], f["deal"], caller_day]
        ids += [f["number"], f["desk"]]
        assert not [i for i in ids if i.lower() in text.lower()]
        found = _found(env, ids, [first, f["contact"], f["number"]])
        assert f["amend"] not in found


def _two_days(env) -> dict:
    """The facts as the players read them: the note's memo as written (two working days), nothing more."""
    f = copy.deepcopy(env.scenario.facts)
    day = clock.day_start(f["start"])
    n = 2
    while n:
        day = clock.add_days(day, 1)
        n -= clock.weekday(day) < 5
    f["follow_day"] = day
    return f


@pytest.mark.parametrize("level", [4, 5])
def test_dual_callback_crm_the_memo_s_two_working_days_fails_and_the_oracle_passes(level):
    env = _at_level("dual-callback-crm", level, seed=1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    verdict = _play(env, dc.oracle(env.world, _two_days(env)))
    assert _failed(verdict) == ["a follow-up with the customer three working days later"]


def test_dual_callback_crm_at_level_5_leaving_the_manager_untold_fails():
    env = _at_level("dual-callback-crm", 5, seed=2)
    f = env.scenario.facts
    steps = [a for a in env.oracle_actions() if '"workmail.send"' not in a]
    assert _failed(_play(env, steps)) == [f"{f['boss_name']} was told the deal the call was logged on"]
    env.reset(seed=2)  # a chat line in their DM naming the deal passes too
    dm = A.api("chat.post", channel=f["told"][1][1:], text=f"Logged the callback on {f['deal_title']}.")
    verdict = _play(env, [*steps[:-1], dm, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- dual-ticket-new-number ------------------------------------------------------------------------
FIX_LINE = re.compile(r"re my CRM note of (\d{1,2} [A-Z][a-z]+): ")


def _digits(number: str) -> list[str]:
    """A number as a player would search it: as written, and without its spaces."""
    return [number, number.replace(" ", "")]


@pytest.mark.parametrize("level", [4, 5])
def test_dual_ticket_new_number_the_logger_corrects_one_entry_by_date_and_place_and_no_identifier_finds_it(level):
    for seed in range(3):
        env = _at_level("dual-ticket-new-number", level, seed)
        world, f = env.world, env.scenario.facts
        logger = next(p for p in world.persona.people if p.name == f["logger"])
        chat = world.services["chat"].table("messages").values()
        dm = [m for m in chat if m["channel"] == oblique.dm_channel(logger.first)]
        word = [m for m in dm if m["id"] == f["fix"]]
        assert len(word) == 1 and word[0]["sender"] == logger.name and word[0]["text"] == f["fix_line"]
        text = word[0]["text"]
        assert FIX_LINE.match(text) and text.split("it's ")[1].startswith(f["new"])
        shaped = [m for m in dm if m["sender"] == logger.name and FIX_LINE.match(m["text"]) and m is not word[0]]
        assert len(shaped) == 2  # their other renewal notes corrected the same way
        # the date names exactly one signed note of theirs: the customer's renewal; the ordinal, their entry
        day = FIX_LINE.match(text).group(1)  # type: ignore[union-attr]
        acts = world.services["crm"].table("activities").values()
        signed = [a for a in acts if a["text"].endswith(f"Logged by {logger.name}.")]
        assert len(signed) == 3
        note = [a for a in signed if oblique.day_month(a["time"]) == day]
        assert len(note) == 1 and note[0]["deal"] == f["deal"] and note[0]["time"] < word[0]["time"]
        for m in shaped:  # each of the others names another signed note, before it
            other = [a for a in signed if oblique.day_month(a["time"]) == FIX_LINE.match(m["text"]).group(1)]
            assert len(other) == 1 and other[0]["deal"] != f["deal"] and other[0]["time"] < m["time"]
        pair = note[0]["text"].split("Mobiles for the file: ")[1].split(". Logged")[0].split(", ")
        nth = oblique.ORDINALS.index(text.split("the ")[1].split()[0])
        first = f["name"].split()[0]
        assert pair[nth] == f"{first} {f['read_back']}" and f["read_back"] not in (f["new"], f["written"])
        assert f["new"] not in note[0]["text"]  # the right number is only in the logger's line
        ticket = world.services["helpdesk"].table("tickets")[f["ticket"]]
        ids = [first, f["name"], f["name"].split()[1], "renewal", f["ticket"], f["deal"], ticket["requester"]]
        ids += [*_digits(f["written"]), *_digits(f["read_back"]), *_digits(f["old"])]
        assert not [i for i in ids if i.lower() in text.lower()]
        found = _found(env, ids, [first, f["name"], ticket["requester"]])
        assert f["fix"] not in found
        assert word[0]["time"] < world.clock.now - clock.DAY


@pytest.mark.parametrize("level", [4, 5])
def test_dual_ticket_new_number_the_renewal_note_s_number_fails_and_the_oracle_passes(level):
    env = _at_level("dual-ticket-new-number", level, seed=1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the players' answer: the number beside the customer's name in the renewal note
    f = copy.deepcopy(env.scenario.facts)
    f["new"] = f["read_back"]
    verdict = _play(env, dt.oracle(env.world, f))
    assert "the phone has the customer under the new number" in _failed(verdict)
    assert "a confirmation was texted to the new number" in _failed(verdict)


def test_dual_ticket_new_number_at_level_5_leaving_the_logger_untold_fails():
    env = _at_level("dual-ticket-new-number", 5, seed=2)
    f = env.scenario.facts
    steps = [a for a in env.oracle_actions() if not re.search(r'"(chat.post|workmail.send|mail.send)"', a)]
    assert _failed(_play(env, steps)) == [f"{f['logger']} was told the number is fixed"]
