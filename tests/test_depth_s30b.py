"""No one-search shortcut at levels 4-5 of meeting-reschedule and dual-callback-crm, and no copy-marked receipt
names only the tasks have (issue 21, point 3; session 30).

meeting-reschedule: a search for the room desk's address used to return the person's note and the one chat line
that moves it. It now also returns the office's earlier plan by mail (superseded by its later chat line), a
colleague's guess in a DM and a venue's own front desk moving: which inbox holds is read from who said it, when
and for which organisation. dual-callback-crm: a search for the caller's first name used to return one text
naming one day and mails weeks apart; now a namesake texted the same words from an unknown mobile, and the
namesakes' mails sit in the same week or two, so only the number that rang leads to the right day.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import clock
from claw_gym.envs import dual_callback_crm, meeting_reschedule

ADDRESS = re.compile(r"[a-z.-]+@[a-z.-]+[a-z]")


def _record(world, hit: dict) -> dict:
    service, rid = hit["service"], hit["record"]
    table = {"chat": "messages", "workmail": "messages", "notes": "notes", "sms": "messages"}[service]
    return world.services[service].table(table)[rid]


def _text(rec: dict) -> str:
    return rec.get("body") or rec.get("text") or ""


# ---- meeting-reschedule ----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_meeting_reschedule_the_desk_s_address_finds_four_moves_of_it_and_the_office_s_latest_decides(level, days):
    for seed in range(3):
        env = _at_level("meeting-reschedule", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        old = f["old_desk"]
        hits = [h for h in search(env, old.split("@")[0]) if h["service"] in ("chat", "workmail", "notes")]
        recs = [_record(world, h) for h in hits]
        # every hit that moves a "frontdesk" address names another inbox; since session 33 the one that holds
        # is not among them (the office's word names its mail by date only, tests/test_depth_s33a.py)
        moved_to = {a for r in recs for a in ADDRESS.findall(_text(r)) if not a.startswith("frontdesk@")}
        assert {f["planned_desk"], f["guessed_desk"]} <= moved_to and len(moved_to) >= 3
        assert f["desk"] not in moved_to
        assert len({f["desk"], f["planned_desk"], f["guessed_desk"]}) == 3
        deciding = world.services["chat"].table("messages")[f["desk_moved"]]
        assert deciding["time"] <= now - days * clock.DAY and f["desk"] in deciding["text"]
        # the office's own earlier plan by mail: same author, older, says where changes are posted
        plan = [r for r in recs if f["planned_desk"] in _text(r)]
        assert len(plan) == 1 and plan[0]["time"] < deciding["time"] and "#general" in plan[0]["body"]
        assert (
            plan[0]["from"].startswith(f["office"].lower().replace(" ", ".") + "@")
            and deciding["sender"] == f["office"]
        )
        # the guess: later, from a colleague who is not the office, in a DM
        guess = [r for r in recs if f["guessed_desk"] in _text(r)]
        assert len(guess) == 1 and guess[0]["sender"] == f["guessed_by"] != f["office"]
        assert guess[0]["channel"].startswith("dm-") and guess[0]["time"] > deciding["time"]
        # the chat line that decides is shaped like the other inboxes' moves in #general
        same = [m for m in world.services["chat"].table("messages").values() if m["sender"] == f["office"]]
        assert len(same) >= 3


@pytest.mark.parametrize("level", [4, 5])
def test_meeting_reschedule_mailing_the_older_plan_or_the_guess_fails_and_the_oracle_passes(level):
    env = _at_level("meeting-reschedule", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, meeting_reschedule.oracle(env.world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    for wrong in (f["planned_desk"], f["guessed_desk"]):
        env.reset(seed=1)
        verdict = _play(env, meeting_reschedule.oracle(env.world, {**f, "desk": wrong}))
        assert "the room desk was told the room and the new time" in _failed(verdict)


# ---- dual-callback-crm -----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_dual_callback_crm_the_first_name_finds_two_texts_and_close_mails_only_the_number_decides(level, days):
    for seed in range(3):
        env = _at_level("dual-callback-crm", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        texts = [
            m
            for m in world.services["sms"].table("messages").values()
            if m["body"].startswith((f"{f['name']} here", f"Hi, it's {f['name']}"))
        ]
        assert len(texts) == 2 and {t["number"] for t in texts} == {f["number"], f["namesake_mobile"]}
        hits = search(env, f["name"])
        assert {h["record"] for h in hits if h["service"] == "sms"} == {t["id"] for t in texts}
        mails = world.services["workmail"].table("messages")
        found = [mails[h["record"]] for h in hits if h["service"] == "workmail"]
        namesake_mails = [m for m in found if f"\n{f['name']} " in m["body"]]  # signed by a customer of that name
        assert len(namesake_mails) >= 3 and f["caller_mail"] in {m["id"] for m in namesake_mails}
        caller = mails[f["caller_mail"]]
        assert caller["time"] <= now - days * clock.DAY
        # the namesakes' mails sit in the same fortnight, each on its own day, and the subjects look alike
        spread = [abs(clock.day_start(m["time"]) - clock.day_start(caller["time"])) for m in namesake_mails]
        assert max(spread) <= 7 * clock.DAY and sorted(spread).count(0) == 1
        assert all(m["subject"].startswith("Re: ") for m in namesake_mails)
        # each text names the day of a different mail: the number that rang tells which
        day = {t["number"]: re.search(r"(?:on|from) (\d+ [A-Z][a-z]+)", t["body"]).group(1) for t in texts}
        assert day[f["number"]] == clock.to_datetime(caller["time"]).strftime("%-d %B")
        other = mails[f["namesake_mail"]]
        assert day[f["namesake_mobile"]] == clock.to_datetime(other["time"]).strftime("%-d %B") != day[f["number"]]


@pytest.mark.parametrize("level", [4, 5])
def test_dual_callback_crm_the_other_text_s_deal_fails_and_the_oracle_passes(level):
    env = _at_level("dual-callback-crm", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, dual_callback_crm.oracle(env.world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    mails, deals = env.world.services["workmail"].table("messages"), env.world.services["crm"].table("deals")
    wrong = next(d for d in f["namesakes"] if deals[d]["account"] in mails[f["namesake_mail"]]["body"])
    assert wrong != f["deal"]
    plan = [a.replace(f["deal"], wrong) if "log_activity" in a else a for a in dual_callback_crm.oracle(env.world, f)]
    assert "the callback is logged on the customer's deal" in _failed(_play(env, plan))


# ---- receipt names ---------------------------------------------------------------------------------
def _shape(path: str) -> str:
    """A file name's form: digits and words folded, copy marks and separators kept ('citycab_0221 (1).txt' ->
    'a_0 (0).a')."""
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "0", path.rsplit("/", 1)[-1].lower()))


def _planted(env) -> set[str]:
    f = env.scenario.facts
    out = {w["path"] for w in f.get("wanted", [])} | ({f["dinner"]["path"]} if f.get("dinner") else set())
    files = env.world.services["files"]
    return out | {p.replace(".txt", " (1).txt") for p in out if files.find(p.replace(".txt", " (1).txt"))}


def test_every_form_of_a_planted_receipt_name_occurs_among_the_background_s_receipts():
    planted, background = set(), set()
    for level, seed in [(3, 0), (3, 1), (4, 0), (5, 2)]:
        env = _at_level("trip-expenses", level, seed, variant="receipts")
        mine = _planted(env)
        assert any(" (1)" in p for p in mine)  # the trip's receipt saved twice stays a copy
        planted |= {_shape(p) for p in mine}
    for level in (2, 4, 5):  # the other families that file receipts under dated names
        f = _at_level("receipt-policy", level, level).scenario.facts
        planted |= {_shape(m["receipt"]) for m in f["meals"] if m["receipt"]}
        f = _at_level("month-close", level, level).scenario.facts
        planted |= {_shape(r["path"]) for r in [*f["receipts"], *f["others"]]}
    for seed in range(6):  # worlds whose family plants no receipt
        env = _at_level("meeting-reschedule", 3, seed)
        files = env.world.services["files"].table("files").values()
        background |= {_shape(r["path"]) for r in files if r["path"].startswith("Documents/receipts/")}
    assert "a_0 (0).a" in background  # downloads get copies in the background too
    assert planted <= background, planted - background
