"""Headroom for meeting-reschedule, meeting-rules, chat-schedule and chat-handover at levels 4-5 (issue 21, session
33): the players' method (search the requester and every identifier of the matter on every service, "from now
on", "after all", read the requester's DMs) no longer settles them. The deciding word comes from someone whose say
is written in a record the task opens (a signature, the office's own mail), names the matter only by the time it
came in or the date of the record it changes, and sits among the same person's same-shaped lines about other
matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
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
from claw_gym.envs import meeting_reschedule
from claw_gym.envs.kit import notation, oblique

LEVELS = [4, 5]


# ---- meeting-reschedule ----------------------------------------------------------------------------------
def _mr(level: int, seed: int):
    env = _at_level("meeting-reschedule", level, seed)
    return env, env.world, env.scenario.facts


def _mr_requester(world, f) -> tuple[str, str]:
    who = next(p for p in world.persona.people if p.email == f["requester"])
    return who.name, who.first


def _mr_identifiers(world, f) -> list[str]:
    """Every identifier of the matter an agent has: the title, the requester, the room, the times asked, the note's
    desk and the office's planned desk."""
    ev = world.services["calendar"].table("entries")[f["event"]]
    name, first = _mr_requester(world, f)
    times = [notation.hhmm(t) for t in (f["stale"], f["thread_slot"], f["dm_slot"], f["start"])]
    desks = [f["old_desk"], f["old_desk"].split("@")[0], f["planned_desk"], f["planned_desk"].split("@")[0]]
    return [ev["title"], name, first, f["requester"], ev["location"], "reschedule", *times, *desks]


@pytest.mark.parametrize("level", LEVELS)
def test_meeting_reschedule_the_players_searches_miss_the_keeper_s_and_the_office_s_word(level):
    for seed in range(3):
        env, world, f = _mr(level, seed)
        deciding = {f["keeper_msg"], f["desk_moved"]}
        for who in _mr_requester(world, f):
            assert not deciding & _found(env, person=who), who
        for text in [*_mr_identifiers(world, f), "from now on", "after all"]:
            assert not deciding & _found(env, text), text
        # the requester's own DM is what those searches find: the players' answer (the pre-change one)
        assert f["amendment"] in _found(env, person=_mr_requester(world, f)[0])


_CAME_IN = re.compile(r"came in at (\d\d:\d\d) on (\w+(?: \w+)?):")


def _fits(t: int, when: str, hhmm: str, now: int) -> bool:
    """A record at ``t`` fits "came in at ``hhmm`` on ``when``" (a weekday within the week, or "14 October")."""
    if clock.fmt(t)[-5:] != hhmm:
        return False
    if when[0].isdigit():
        return oblique.day_month(t) == when
    return f"{clock.to_datetime(t):%A}" == when and now - t < 7 * clock.DAY


@pytest.mark.parametrize("level", LEVELS)
def test_meeting_reschedule_the_keeper_s_word_names_nothing_and_its_time_fits_one_request(level):
    for seed in range(3):
        env, world, f = _mr(level, seed)
        chat = world.services["chat"].table("messages")
        word = chat[f["keeper_msg"]]
        assert word["sender"] == f["keeper"] and word["channel"] == f["keeper_dm"] == oblique.dm_channel(f["keeper"])
        for ident in _mr_identifiers(world, f):
            assert ident.lower() not in word["text"].lower(), ident
        assert meeting_reschedule._slot_text(f["final"])["day"] in word["text"]
        # among the keeper's same-shaped lines about other matters, one of them another colleague's request
        theirs = [m for m in chat.values() if m["channel"] == f["keeper_dm"]]
        assert len(theirs) >= 4 and all(m["sender"] == f["keeper"] and m["text"].startswith("re ") for m in theirs)
        assert sum("the request that came in" in m["text"] for m in theirs) == 2
        # the time resolves to one mail in either mailbox: the requester's ask, whose signature names the keeper
        hhmm, when = _CAME_IN.search(word["text"]).groups()
        mails = [m for s in ("workmail", "mail") for m in world.services[s].table("messages").values()]
        same = [m for m in mails if m["time"] < word["time"] and _fits(m["time"], when, hhmm, world.clock.now)]
        assert len(same) == 1, same
        ask = same[0]
        assert ask["from"] == f["requester"] and f["keeper"] in ask["body"] and "last word" in ask["body"]
        assert ("copy" in ask["body"]) == (level == 5)
        # the keeper's word is the latest: after the requester's own DM change
        assert chat[f["amendment"]]["time"] < word["time"] <= world.clock.now - 6 * clock.HOUR
        assert 9 <= clock.to_datetime(word["time"]).hour < 18 and clock.to_datetime(word["time"]).weekday() < 5


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_meeting_reschedule_the_office_s_word_names_its_mail_by_date_and_fits_one_mail(level, days):
    for seed in range(3):
        env, world, f = _mr(level, seed)
        moved = world.services["chat"].table("messages")[f["desk_moved"]]
        assert moved["channel"] == "general" and moved["sender"] == f["office"]
        assert f["desk"] in moved["text"] and f["old_desk"] not in moved["text"]
        assert f["planned_desk"] not in moved["text"] and moved["time"] <= world.clock.now - days * clock.DAY
        day = re.match(r"re my mail of (\d+ \w+):", moved["text"]).group(1)
        addr = f["office"].lower().replace(" ", ".") + "@"
        office = [m for m in world.services["workmail"].table("messages").values() if m["from"].startswith(addr)]
        same = [m for m in office if oblique.day_month(m["time"]) == day]
        assert len(same) == 1 and f["old_desk"] in same[0]["body"] and f["planned_desk"] in same[0]["body"]
        assert "#general" in same[0]["body"] and same[0]["time"] < moved["time"]
        # the office's same-shaped lines amending its other mails, in #general
        lines = [m for m in world.services["chat"].table("messages").values() if m["sender"] == f["office"]]
        assert sum(m["text"].startswith("re my mail of ") for m in lines) >= 3


def _mr_steps(f: dict, slot: int, desk: str, *, copy: bool = True) -> list[str]:
    start, end = clock.fmt(slot), clock.fmt(slot + f["minutes"] * 60)
    steps = [
        A.api("calendar.update_event", id=f["event"], start=start, end=end),
        A.api("workmail.send", to=[f["requester"]], subject="Moved", body=f"Moved to {clock.fmt_long(slot)}."),
        A.api("workmail.send", to=[desk], subject=f["room"], body=f"{f['room']} now {clock.fmt_long(slot)}."),
    ]
    if copy:
        steps.append(A.api("workmail.send", to=[f["keeper_mail"]], subject="FYI", body=f"Now {clock.fmt_long(slot)}."))
    return [*steps, A.finish("done")]


@pytest.mark.parametrize("level", LEVELS)
def test_meeting_reschedule_the_requester_s_dm_slot_or_the_planned_desk_fails_and_the_keeper_s_passes(level):
    env, world, f = _mr(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    verdict = _play(env, _mr_steps(f, f["final"], f["desk"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert f["dm_slot"] not in (f["final"], f["stale"], f["thread_slot"])
    failed = _failed(_play(env, _mr_steps(f, f["dm_slot"], f["desk"])))  # the players' answer
    assert "meeting starts at the latest requested time" in failed
    env.reset(seed=1)
    failed = _failed(_play(env, _mr_steps(f, f["final"], f["planned_desk"])))
    assert failed == ["the room desk was told the room and the new time"]


def test_meeting_reschedule_d5_the_keeper_uncopied_fails_and_a_dm_counts():
    env, world, f = _mr(5, 1)
    assert _failed(_play(env, _mr_steps(f, f["final"], f["desk"], copy=False))) == [
        "the diary keeper was told the new time"
    ]
    env.reset(seed=1)
    steps = _mr_steps(f, f["final"], f["desk"], copy=False)
    dm = A.api("chat.post", channel=f["keeper_dm"], text=f"moved to {notation.hhmm(f['final'])}")
    verdict = _play(env, [*steps[:-1], dm, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict
    env2, _, f4 = _mr(4, 1)
    assert not f4.get("copy_keeper")


# ---- meeting-rules -----------------------------------------------------------------------------------------
RULE_WORDS = ["meeting", "meetings", "between meetings", "nothing before", "school run", "minutes free", "Fridays"]


def _rules_env(level: int, seed: int, variant: str):
    env = _at_level("meeting-rules", level, seed, variant)
    return env, env.world, env.scenario.facts


@pytest.mark.parametrize("variant", ["start", "gap"])
@pytest.mark.parametrize("level", LEVELS)
def test_meeting_rules_the_players_searches_miss_the_keeper_s_word(level, variant):
    for seed in range(3):
        env, world, f = _rules_env(level, seed, variant)
        me = world.persona.me
        for who in [me.name, *(q["name"] for q in f["requests"]), *(q["first"] for q in f["requests"])]:
            assert f["keeper_msg"] not in _found(env, person=who), who
        times = {_hm_of(m) for k in ("old_rules", "own_rules") for m in f[k][:1]}
        words = [*RULE_WORDS, *times, *(q["name"] for q in f["requests"]), "from now on", "after all"]
        for text in words:
            assert f["keeper_msg"] not in _found(env, text), text


def _hm_of(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@pytest.mark.parametrize("variant", ["start", "gap"])
@pytest.mark.parametrize("level", LEVELS)
def test_meeting_rules_the_keeper_s_word_names_no_rule_and_its_date_fits_one_list(level, variant):
    for seed in range(3):
        env, world, f = _rules_env(level, seed, variant)
        chat = world.services["chat"].table("messages")
        word = chat[f["keeper_msg"]]
        assert word["sender"] == f["keeper"] and word["channel"] == f["keeper_dm"]
        for w in [*RULE_WORDS, "from now on", "after all", "minutes"]:
            assert w.lower() not in word["text"].lower(), w
        theirs = [m for m in chat.values() if m["channel"] == f["keeper_dm"]]
        assert len(theirs) >= 4 and all(m["text"].startswith("re ") and m["sender"] == f["keeper"] for m in theirs)
        assert word["time"] <= world.clock.now - (30 if level == 4 else 60) * clock.DAY
        assert f["own_at"] < word["time"]
        # "your list of 14 February": one running list written that day, the rules note, which names the keeper
        day = re.match(r"re your list of (\d+ \w+):", word["text"]).group(1)
        notes = world.services["notes"].table("notes").values()
        same = [n for n in notes if "\n- " in n["body"] and oblique.day_month(n["updated"]) == day]
        assert [n["id"] for n in same] == [f["rule_note"]]
        assert f"{f['keeper']} keeps my diary and has the last word on my meeting rules" in same[0]["body"]
        assert ("wants the time of every meeting" in same[0]["body"]) == (level == 5)
        assert same[0]["updated"] < word["time"] and same[0]["folder"] == ""


def _rules_book(env, rules: list[int], *, tell: bool = True) -> list[str]:
    from claw_gym.envs import meeting_rules as M

    steps = M._solve(env.world, env.scenario.facts, M.Rules(*rules))
    return [s for s in steps if tell or "chat.post" not in s]


@pytest.mark.parametrize("variant", ["start", "gap"])
@pytest.mark.parametrize("level", LEVELS)
def test_meeting_rules_the_person_s_own_change_fails_and_the_keeper_s_passes(level, variant):
    env, world, f = _rules_env(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert f["own_rules"] != f["rules"]
    failed = _failed(_play(env, _rules_book(env, f["own_rules"])))  # the players' answer: "from now on"
    first = f["requests"][0]
    assert f"{first['name']} invited to {first['mins']} min on {first['day']} inside the rules" in failed


@pytest.mark.parametrize("variant", ["start", "gap"])
def test_meeting_rules_d5_the_keeper_untold_fails_and_by_mail_counts(variant):
    env, world, f = _rules_env(5, 1, variant)
    assert _failed(_play(env, _rules_book(env, f["rules"], tell=False))) == [
        f"{f['keeper']} got the time of every meeting booked"
    ]
    env.reset(seed=1)
    steps = _rules_book(env, f["rules"], tell=False)
    from claw_gym.envs import meeting_rules as M

    plan = M._plan(env.world, f, M.Rules(*f["rules"]))
    body = "Booked: " + "; ".join(f"{q['name']} at {notation.hhmm(s)}" for q, s in plan)
    mail = A.api("workmail.send", to=[f["keeper_mail"]], subject="Diary", body=body)
    verdict = _play(env, [*steps[:-1], mail, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict
    env4, _, f4 = _rules_env(4, 1, variant)
    names = [c["name"] for c in _play(env4, env4.oracle_actions())["checks"]]
    assert f"{f4['keeper']} got the time of every meeting booked" not in names


# ---- chat-schedule -----------------------------------------------------------------------------------------
def _cs(level: int, seed: int, variant: str):
    env = _at_level("chat-schedule", level, seed, variant)
    return env, env.world, env.scenario.facts


def _cs_requester(world, f):
    return next(p for p in world.persona.people if p.email == f["email"])


@pytest.mark.parametrize("variant", ["dm", "team"])
@pytest.mark.parametrize("level", LEVELS)
def test_chat_schedule_the_players_searches_miss_the_keeper_s_word(level, variant):
    for seed in range(3):
        env, world, f = _cs(level, seed, variant)
        who = _cs_requester(world, f)
        for name in (who.name, who.first):
            assert f["keeper_msg"] not in _found(env, person=name), name
        idents = [who.name, who.first, f["email"], f["topic"], f["channel"], "from now on", "after all"]
        for text in idents:
            assert f["keeper_msg"] not in _found(env, text), text
        # the requester's follow-up mail is what the players find: it names the keeper (the careful reader's pointer)
        mails = world.services["workmail"].table("messages")
        assert f["mailed"] in _found(env, person=who.name) and f["keeper"] in mails[f["mailed"]]["body"]


@pytest.mark.parametrize("variant", ["dm", "team"])
@pytest.mark.parametrize("level", LEVELS)
def test_chat_schedule_the_keeper_s_word_names_nothing_and_its_time_fits_one_mail(level, variant):
    for seed in range(3):
        env, world, f = _cs(level, seed, variant)
        who = _cs_requester(world, f)
        chat = world.services["chat"].table("messages")
        word = chat[f["keeper_msg"]]
        assert word["sender"] == f["keeper"] and word["channel"] == f["keeper_dm"]
        for ident in (who.name, who.first, f["topic"], f["email"]):
            assert ident.lower() not in word["text"].lower(), ident
        theirs = [m for m in chat.values() if m["channel"] == f["keeper_dm"]]
        assert len(theirs) >= 4 and all(m["text"].startswith("re ") and m["sender"] == f["keeper"] for m in theirs)
        hhmm, when = _CAME_IN.search(word["text"]).groups()
        mails = [m for s in ("workmail", "mail") for m in world.services[s].table("messages").values()]
        same = [m for m in mails if m["time"] < word["time"] and _fits(m["time"], when, hhmm, world.clock.now)]
        assert [m["id"] for m in same] == [f["mailed"]]
        assert "last word" in same[0]["body"] and ("copy" in same[0]["body"]) == (level == 5)
        assert same[0]["time"] < word["time"] < world.clock.now
        at = clock.to_datetime(word["time"])
        assert at.weekday() < 5 and 9 <= at.hour < 20
        # the window the keeper names is the one that holds, not the mail's
        d = clock.to_datetime(f["win"][0])
        assert f"{d:%A}" in word["text"] and f["win"] != f["mail_win"]


def _cs_book(env, win: list[int], *, copy: bool = True) -> list[str]:
    from claw_gym.envs import chat_schedule

    f = env.scenario.facts
    steps = chat_schedule._book(env.world, {**f, "copy_keeper": f.get("copy_keeper") and copy}, win)
    return steps


@pytest.mark.parametrize("variant", ["dm", "team"])
@pytest.mark.parametrize("level", LEVELS)
def test_chat_schedule_the_mail_s_window_fails_and_the_keeper_s_passes(level, variant):
    env, world, f = _cs(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    failed = _failed(_play(env, _cs_book(env, f["mail_win"])))  # the players' answer: the requester's last word
    assert "meeting lies in the latest requested window" in failed


@pytest.mark.parametrize("variant", ["dm", "team"])
def test_chat_schedule_d5_the_keeper_uncopied_fails_and_told_in_their_dm_counts(variant):
    env, world, f = _cs(5, 1, variant)
    assert _failed(_play(env, _cs_book(env, f["win"], copy=False))) == ["the diary keeper was copied"]
    env.reset(seed=1)
    steps = _cs_book(env, f["win"], copy=False)
    start = next(json.loads(s)["args"]["start"] for s in steps if "create_event" in s)
    dm = A.api("chat.post", channel=f["keeper_dm"], text=f"FYI I booked {start[-5:]} with them.")
    verdict = _play(env, [*steps[:-1], dm, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- chat-handover -----------------------------------------------------------------------------------------
def _ch(level: int, seed: int):
    env = _at_level("chat-handover", level, seed)
    return env, env.world, env.scenario.facts


def _ch_requester(world, f):
    return next(p for p in world.persona.people if "dm-" + p.first.lower() == f["channel"])


@pytest.mark.parametrize("level", LEVELS)
def test_chat_handover_the_players_searches_miss_the_manager_s_word(level):
    from claw_gym.envs.kit import notation as N

    for seed in range(3):
        env, world, f = _ch(level, seed)
        who = _ch_requester(world, f)
        for name in (who.name, who.first):
            assert f["boss_msg"] not in _found(env, person=name), name
        idents = [*f["stale"], who.name, who.first, "handover", "leave", "from now on", "after all"]
        # the due days the thread names ("Monday Mar 2") are not in the word either (the search ANDs words)
        days = [N.day_text(t) for t in [*f["stale"].values(), *f["mail_final"].values()]]
        text_of = world.services["chat"].table("messages")[f["boss_msg"]]["text"]
        assert not any(d in text_of for d in days)
        for text in idents:
            assert f["boss_msg"] not in _found(env, text), text


@pytest.mark.parametrize("level", LEVELS)
def test_chat_handover_the_manager_s_word_names_no_item_and_points_to_one_list_and_one_item(level):
    for seed in range(3):
        env, world, f = _ch(level, seed)
        who = _ch_requester(world, f)
        chat = world.services["chat"].table("messages")
        word = chat[f["boss_msg"]]
        boss = world.persona.by_relation("manager")[0]
        assert word["sender"] == boss.name and word["channel"] == f["boss_channel"]
        for ident in [*f["stale"], who.name, who.first, "handover"]:
            assert ident.lower() not in word["text"].lower(), ident
        theirs = [m for m in chat.values() if m["channel"] == f["boss_channel"] and m["sender"] == boss.name]
        assert sum(m["text"].startswith("re ") for m in theirs) >= 4
        assert {m["sender"] for m in chat.values() if m["channel"] == f["boss_channel"]} <= {
            boss.name,
            world.persona.me.name,
        }
        # "the list you got on 14 February": one handover list in the person's DMs that day, the colleague's, which
        # names the manager as the one with the last word on dates
        m = re.match(r"re the list you got on (\d+ \w+): .*the (\w+) one", word["text"])
        day, nth = m.groups()
        lists = [
            c
            for c in chat.values()
            if c["channel"].startswith("dm-")
            and " by " in c["text"]
            and "; the " in c["text"]
            and oblique.day_month(c["time"]) == day
        ]
        assert len(lists) == 1 and lists[0]["channel"] == f["channel"] and lists[0]["sender"] == who.name
        assert f"{boss.first} has the last word on dates" in lists[0]["text"] and lists[0]["time"] < word["time"]
        listed = re.findall(r"the ([\w ]+?) by ", lists[0]["text"])
        assert listed[oblique.ORDINALS.index(nth)] == f["boss_item"]
        assert f["boss_item"] != f["done"] and f["mail_final"][f["boss_item"]] != f["final"][f["boss_item"]]
        # the latest word: after the colleague's take-back mail, still deep
        assert f["reverted_at"] < word["time"] == f["deciding_at"]
        at = clock.to_datetime(word["time"])
        assert at.weekday() < 5 and 9 <= at.hour < 18


def _ch_steps(env, dues: dict[str, int]) -> list[str]:
    from claw_gym.envs import chat_handover

    return chat_handover._act(env.world, env.scenario.facts, dues)


@pytest.mark.parametrize("level", LEVELS)
def test_chat_handover_the_colleague_s_last_dates_fail_and_the_manager_s_pass(level):
    env, world, f = _ch(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    item = f["boss_item"]
    failed = _failed(_play(env, _ch_steps(env, f["mail_final"])))  # the players' answer: the take-back mail's
    assert f"a task for the {item} due {clock.fmt_date(f['final'][item])}" in failed
    assert f"an hour blocked for the {item} on its due day" in failed
