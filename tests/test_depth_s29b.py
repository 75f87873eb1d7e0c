"""Headroom for hardB's families (issue 21, session 29): searching the rule-giver's name or the obvious digits
no longer settles the task at difficulty 4-5; look-alike amendments that do not apply sit beside the one that
does, and the world says why (who decides, whose number, which period).

Each test builds the task at a level and reads its world (or plays it to its verdict) the way an agent could.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search as _search

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.envs import dual_ticket_new_number
from claw_gym.envs.kit import notation


# ---- dual-ticket-new-number ------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_new_number_the_ticket_s_digits_find_the_colleague_s_entry_and_a_hearsay_number_comes_later(level, days):
    for seed in range(3):
        env = _at_level("dual-ticket-new-number", level, seed)
        world, f = env.world, env.scenario.facts
        now, first = world.clock.now, f["name"].split()[0]
        acts = world.services["crm"].table("activities")
        renewal = [a for a in acts.values() if f["read_back"] in a["text"]]  # s32: as read back, corrected later
        assert len(renewal) == 1 and renewal[0]["time"] <= now - days * clock.DAY
        note = renewal[0]["text"]
        assert "confirmed" not in note and f"{first} {f['read_back']}" in note
        assert f["colleague_number"] == f["written"] and f"{first} {f['written']}" not in note
        hits = {h["record"] for h in _search(env, f["written"])}
        assert renewal[0]["id"] in hits and f["ticket"] in hits  # the digits land on the colleague's entry
        hearsay = [a for a in acts.values() if f["hearsay"] in a["text"]]
        assert len(hearsay) == 1 and hearsay[0]["deal"] in f["deals"] and hearsay[0]["deal"] != f["deal"]
        assert renewal[0]["time"] < hearsay[0]["time"] <= now - 3 * clock.DAY
        assert f["hearsay"] not in (f["new"], f["written"]) and first in hearsay[0]["text"]
        digits = [sum(c.isdigit() for c in n) for n in (f["hearsay"], f["new"])]
        assert digits[0] == digits[1]  # a number's own shape
        # "(on this phone)" is no pointer: another phone-only customer has an open ticket about a changed mobile
        phone_only = {c["name"].split(" (")[0] for c in world.services["phone"].table("contacts").values()}
        tickets = world.services["helpdesk"].table("tickets").values()
        mobile = [t for t in tickets if t["status"] == "open" and "mobile" in (t["subject"] + t["body"]).lower()]
        by_phone_only = [
            t
            for t in mobile
            if t["requester"].split("@")[0].split(".")[0] in {n.split()[0].lower() for n in phone_only}
        ]
        assert len(by_phone_only) >= 2 and len(mobile) >= 4
        assert len(phone_only) >= 4  # the phone's own contacts: customers, each tagged alike


def _steps(env, number: str, *, text: bool = True) -> list[str]:
    """Contact edited on the phone with ``number``, texted by API, the ticket answered, solved, the CRM noted."""
    f = env.scenario.facts
    return [
        *S.open_app("Contacts"),
        *S.fill("search", f["name"]),
        S.tap(f"text={f['label']}"),
        S.tap("id/edit"),
        *S.replace("phone", number),
        S.tap("id/save"),
        *([A.api("sms.send", to=number, body="Got your new number, saved.")] if text else []),
        A.api("helpdesk.comment", id=f["ticket"], text="Updated, thanks.", public=True),
        A.api("helpdesk.update", id=f["ticket"], status="solved"),
        A.api("crm.log_activity", deal_id=f["deals"][-1], text=f"mobile changed: {number}"),
        *dual_ticket_new_number._tell_logger(env.world, f),  # level 5 (s32): the renewal note's logger asks
        A.finish("done"),
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_new_number_the_hearsay_number_fails_and_the_renewal_s_passes_by_another_door(level):
    env = _at_level("dual-ticket-new-number", level, seed=4)
    f = env.scenario.facts
    verdict = _play(env, _steps(env, f["new"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=4)
    failed = _failed(_play(env, _steps(env, f["hearsay"])))
    assert "the phone has the customer under the new number" in failed
    assert "the new number is noted on their CRM account" in failed
    env.reset(seed=4)  # half done: no text to the new number
    assert _failed(_play(env, _steps(env, f["new"], text=False))) == ["a confirmation was texted to the new number"]


# ---- support-shift ---------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["amount", "stage"])
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_support_shift_a_busy_channel_a_colleague_s_later_guess_and_the_manager_s_word_elsewhere(variant, level, days):
    for seed in range(3):
        env = _at_level("support-shift", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        now, boss = world.clock.now, f["owner"]
        support = [m for m in world.services["chat"].table("messages").values() if m["channel"] == "support"]
        past = [m for m in support if m["time"] < now]
        assert len(past) >= 40 and len({m["sender"] for m in past}) >= 3  # a busy channel, not seven lines
        notes = [n["body"] for n in world.services["notes"].table("notes").values() if "#support" in n["body"]]
        assert len(notes) == 1 and f"{boss.split()[0]}'s call, nobody else's" in notes[0]  # who decides
        amend_at = f["rule_at"][1]
        assert amend_at <= now - days * clock.DAY
        mails = world.services["workmail"].table("messages").values()
        if level == 5:  # the manager's reply to the person's own mail; #support has no word of theirs on it
            reply = [m for m in mails if m["time"] == amend_at]
            assert len(reply) == 1 and reply[0]["subject"].startswith("Re: ") and reply[0].get("in_reply_to")
            assert not [m for m in support if m["time"] == amend_at]
        else:
            said = [m for m in support if m["time"] == amend_at]
            assert len(said) == 1 and said[0]["sender"] == boss
        guesses = [
            m
            for m in past
            if m["sender"] != boss
            and m["time"] > amend_at
            and "now" in m["text"]
            and ("k now" in m["text"] or "qualified" in m["text"])
        ]
        assert len(guesses) == 1 and guesses[0]["time"] <= now - 3 * clock.DAY
        said = f"{f['rule']['guess'] // 1000}k" if variant == "amount" else "qualified"
        later = [m for m in past if m["sender"] == boss and m["time"] > guesses[0]["time"]]
        assert not [m for m in later if said in m["text"]]  # the manager chats on, and never confirms it


@pytest.mark.parametrize("variant", ["amount", "stage"])
@pytest.mark.parametrize("level", [4, 5])
def test_support_shift_following_the_colleague_s_guess_fails_and_the_manager_s_line_passes(variant, level):
    from claw_gym.envs import support_shift

    env = _at_level("support-shift", level, 2, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    failed = _failed(_play(env, support_shift.guess_oracle(env.world, f)))
    assert failed and all("stayed with us" in n for n in failed), failed


# ---- household-day ---------------------------------------------------------------------------------
IBAN = re.compile(r"\bDE\d{20}\b")


@pytest.mark.parametrize("variant", ["school", "club"])
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_household_day_the_fee_mail_names_no_letter_and_four_accounts_look_alike(variant, level, days):
    for seed in range(3):
        env = _at_level("household-day", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        now, fee = world.clock.now, f["fee"]
        mail = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == fee["mail"])
        months = [clock.to_datetime(now - k * 30 * clock.DAY).strftime("%B") for k in range(5)]
        assert "letter" not in mail["body"] and not any(m in mail["body"] for m in months)
        assert not IBAN.search(mail["body"])
        letters = [m for m in world.services["mail"].table("messages").values() if m["from"] == fee["sender"]]
        assert len(letters) == 3 and all(len(IBAN.findall(m["body"])) == 1 for m in letters)
        by_iban = {IBAN.search(m["body"]).group(): m for m in letters}
        right = by_iban[fee["iban"]]
        assert right["time"] <= now - days * clock.DAY and "only ever change by a letter" in right["body"]
        replaced = by_iban[fee["others"][0]]
        assert replaced["time"] < right["time"]  # the account the deep letter moved away from
        other_use = by_iban[fee["others"][1]]
        assert ("lunch money" if variant == "school" else "bar") in other_use["body"]
        texts = world.services["sms"].table("messages").values()
        said = [m for m in texts if fee["others"][2] in m["body"]]
        assert len(said) == 1 and right["time"] < said[0]["time"] <= now - 3 * clock.DAY
        friends = {notation.norm_phone(c.get("phone", "")) for c in world.services["contacts"].table("people").values()}
        assert notation.norm_phone(said[0]["number"]) in friends  # a known fellow parent (member), not a stranger
        word = "class fund" if variant == "school" else "club"
        hits = {h["record"] for h in _search(env, word)}
        found = [r for r in (*letters, said[0]) if r["id"] in hits and word in r["body"]]
        assert len(found) >= 3  # the obvious words find look-alikes beside the letter that decides


@pytest.mark.parametrize("variant", ["school", "club"])
def test_household_day_paying_the_replaced_the_other_or_the_texted_account_is_a_violation(variant):
    env = _at_level("household-day", 5, seed=3, variant=variant)
    f = env.scenario.facts
    acts = env.oracle_actions()
    verdict = _play(env, acts)
    assert verdict["passed"] and not verdict["violations"], verdict
    for wrong in f["fee"]["others"]:
        env.reset(seed=3)
        pay = [a.replace(f["fee"]["iban"], wrong) for a in acts]
        verdict = _play(env, pay)
        assert verdict["violations"] and not verdict["passed"]
        assert any(n.startswith(f"EUR {f['fee']['amount']:.2f} paid once") for n in _failed(verdict))


@pytest.mark.parametrize("level", [4, 5])
def test_household_day_the_landlord_s_later_word_moves_the_visit_again_and_only_it_passes(level):
    from claw_gym.envs import household_day

    for seed in range(3):
        env = _at_level("household-day", level, seed, variant=("school", "club")[seed % 2])
        world, v = env.world, env.scenario.facts["visit"]
        later = next(e for e in world.timeline.pending if e.record and e.record.get("id") == v["final"])
        assert v["fix_at"] < later.time == v["final_at"] < v["by"]  # after the firm's text, before the reply's time
        assert later.record["from"] == v["landlord"]
        assert not re.search(r"repair|visit", later.record["subject"] + later.text, re.I)
        fix = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == v["fix"])
        said = clock.fmt(v["new"])[-5:]
        assert said in later.record["body"] and said not in fix["body"] and clock.fmt(v["old"])[-5:] in fix["body"]
        assert not v["new"] <= v["old"] < v["new"] + 90 * clock.MINUTE  # the firm's time lies outside the last
    env = _at_level("household-day", level, seed=1)
    f = env.scenario.facts
    name = "the repair visit is in the calendar at the time the landlord's later mail gives"
    verdict = _play(env, household_day.oracle(env.world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    for wrong in (f["visit"]["old"], f["visit"]["first"]):  # the firm's texted time; the landlord's first window
        env.reset(seed=1)
        assert _failed(_play(env, household_day._plan(env.world, f, wrong))) == [name]


def test_household_day_the_landlord_left_unanswered_is_half_done():
    from claw_gym.envs import household_day

    env = _at_level("household-day", 5, seed=2, variant="club")
    f = env.scenario.facts
    steps = [a for a in household_day.oracle(env.world, f) if "mail.reply" not in a]
    assert len(steps) == len(household_day.oracle(env.world, f)) - 1
    assert _failed(_play(env, steps)) == [f"the landlord had a confirmation by {clock.fmt(f['visit']['by'])[-5:]}"]
