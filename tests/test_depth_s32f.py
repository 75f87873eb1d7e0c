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

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock


def _found(env, text: str = "", person: str = "") -> set[str]:
    """The records ``events.search`` finds for ``text`` / ``person`` (every page), as an agent pages through."""
    out: set[str] = set()
    cursor = 0
    while True:
        args = {"text": text, "limit": 40, "cursor": cursor} | ({"person": person} if person else {})
        obs, *_ = env.step(A.api("events.search", **args))
        page = json.loads(obs["result"])
        out |= {h["record"] for h in page["items"]}
        cursor = page.get("next_cursor") or 0
        if not cursor:
            return out


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
