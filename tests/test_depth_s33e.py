"""Headroom for inbox-day, weekly-report, household-day and todo-export at levels 4-5 (issue 21, session 33): the
players' method (search the requester and every identifier of the matter on every service, "from now on", "after
all", read the requester's DMs) no longer settles them. The deciding word comes from someone whose say is written
in the world (a calendar entry's notes, ...), names the matter only by a date or an ordinal, and sits among that
person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
"""

from __future__ import annotations

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import finding as _finding
from episodes import found as _found
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import inbox_day
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]


# ---- inbox-day ------------------------------------------------------------------------------------------
def _word_record(env) -> dict:
    f, w = env.scenario.facts, env.world
    table = "messages"
    svc = w.services["chat" if f["word"]["door"] == "chat" else "sms"]
    if f["word"]["msg"] not in svc.table(table):  # an arrival still to come: let the day run to it
        env.step(A.wait(f["word"]["at"] - w.clock.now + 60, wake=False))
    return svc.table(table)[f["word"]["msg"]]


def _inbox_identifiers(env) -> list[str]:
    f, w = env.scenario.facts, env.world
    plan, entry = f["plan"], w.services["calendar"].table("entries")[f["entry"]]
    hhmm = [clock.fmt(f[k])[-5:] for k in ("start", "asked", "second")]
    return [
        entry["title"],
        entry["title"].split()[0],
        *hhmm,
        clock.fmt_date(f["start"]),
        clock.fmt_date(f["asked"]),
        plan["name"],
        plan["iban"],
        plan["ref"],
        f"{plan['instalment']:.2f}",
        f["fyi_iban"],
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_players_searches_miss_the_booker_s_word(variant, level):
    for seed in range(2):
        env = _at_level("inbox-day", level, seed, variant=variant)
        f = env.scenario.facts
        _word_record(env)
        msg = f["word"]["msg"]
        who = f["person"]
        assert not _finding(
            env,
            msg,
            people=(who["name"], who["name"].split()[0], who["email"], who["phone"]),
            texts=_inbox_identifiers(env),
        )


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_booker_s_word_names_nothing_and_its_day_fits_one_meeting(variant, level):
    for seed in range(3):
        env = _at_level("inbox-day", level, seed, variant=variant)
        f, w = env.scenario.facts, env.world
        rec = _word_record(env)
        text = rec.get("text", rec.get("body", ""))
        assert text == f["word"]["line"]
        for ident in _inbox_identifiers(env)[:-2] + [f["person"]["name"].split()[0], "Cafe"]:
            assert ident.lower() not in text.lower(), ident
        # whose say it is: the entry's notes, written before the word
        first = f["booker_name"].split()[0]
        entries = w.services["calendar"].table("entries")
        assert f"changes go through {first}" in entries[f["entry"]]["notes"]
        assert ("Let " + first + " know if it moves") in entries[f["entry"]]["notes"] or level == 4
        # the day resolves to one meeting: the only coming entry on that day of the month that goes through them
        day = text.split(":")[0].removeprefix("re the ")
        fits = [
            e["id"]
            for e in entries.values()
            if w.clock.now < e["start"] < w.clock.now + 40 * clock.DAY
            and oblique.day_ordinal(e["start"]) == day
            and first in e.get("notes", "")
        ]
        assert fits == [f["entry"]]
        # the booker's same-shaped lines about other matters, before the word
        if f["word"]["door"] == "chat":
            theirs = [
                m["text"]
                for m in w.services["chat"].table("messages").values()
                if m["channel"] == oblique.dm_channel(first) and m["sender"] == f["booker_name"]
            ]
        else:
            theirs = [m["body"] for m in w.services["sms"].table("messages").values() if m["number"] == f["booker"][1]]
        assert sum(t.startswith("re the ") for t in theirs) >= 3
        assert f["final"] == f["asked"] != f["second"]


@pytest.mark.parametrize("variant", ["personal", "work"])
@pytest.mark.parametrize("level", LEVELS)
def test_inbox_the_later_suggestion_fails_and_the_first_passes(variant, level):
    env = _at_level("inbox-day", level, 1, variant=variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    verdict = _play(env, inbox_day.stale_oracle(env.world, f))  # the players' answer: the later message wins
    assert _failed(verdict) == [
        "the meeting is moved to the time the booker's word picks",
        "what they were told names no other time",
    ]


@pytest.mark.parametrize("variant", ["personal", "work"])
def test_inbox_d5_the_booker_untold_fails(variant):
    env = _at_level("inbox-day", 5, 1, variant=variant)
    f = env.scenario.facts
    steps = [s for s in env.oracle_actions() if f["booker"][1] not in s]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{f['booker_name']} heard where it moved"]
    env.reset(seed=1)
    told = (
        A.api("chat.post", channel=oblique.dm_channel(f["booker_name"]), text="Moved it, all sorted.")
        if variant == "work"
        else A.api("mail.send", to=[f["booker"][0]], subject="The move", body="Moved it, all sorted.")
    )
    at = steps.index(next(s for s in steps if "calendar.update_event" in s))
    verdict = _play(env, steps[: at + 1] + [told] + steps[at + 1 :])  # by chat or mail is fine too
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- weekly-report --------------------------------------------------------------------------------------
def _wr(level: int, seed: int):
    env = _at_level("weekly-report", level, seed)
    return env, env.world, env.scenario.facts


def _wr_word(world, f) -> tuple[str, dict]:
    word = f["word"]
    if word["door"] == "chat":
        rec = world.services["chat"].table("messages")[word["msg"]]
        return rec["text"], rec
    rec = world.services["workmail"].table("messages")[word["msg"]]
    return rec["body"], rec


@pytest.mark.parametrize("level", LEVELS)
def test_weekly_report_the_players_searches_miss_the_colleague_s_word(level):
    from claw_gym.envs.weekly_report import ACCOUNTS

    for seed in range(3):
        env, world, f = _wr(level, seed)
        msg = f["word"]["msg"]
        boss = next(p for p in world.persona.people if p.email == f["boss"])
        assert not _finding(
            env,
            msg,
            people=(boss.name, boss.first, boss.email),
            texts=[*ACCOUNTS, "accounts", "handover", "swap", "from now on", "after all"],
        )


@pytest.mark.parametrize("level", LEVELS)
def test_weekly_report_the_word_names_no_account_and_its_date_fits_one_mail(level):
    from claw_gym.envs.weekly_report import ACCOUNTS

    for seed in range(3):
        env, world, f = _wr(level, seed)
        text, rec = _wr_word(world, f)
        assert f["word"]["line"][1:] in text
        assert not [a for a in ACCOUNTS if a.lower() in text.lower()]
        assert "after all" not in text and "from now on" not in text
        mate = f["word"]["mate"].split()[0]
        # the date resolves to one mail: the manager's only mail that day, the one that moves accounts to the mate
        day = text.split("the mail of ", 1)[1].split(":")[0]
        mails = world.services["workmail"].table("messages").values()
        that_day = [m for m in mails if oblique.day_month(m["time"]) == day and m["time"] < rec["time"]]
        theirs = [m for m in that_day if m["from"] == f["boss"]]
        assert len(theirs) == 1 and [m for m in that_day if mate in m["body"]] == theirs
        handover = theirs[0]
        assert f"{mate} has the last word on what they can take on" in handover["body"]  # whose say, before
        assert f["kept"] in handover["body"] and f["former"][0] in handover["body"]
        k = "first" if handover["body"].index(f["kept"]) < handover["body"].index(f["former"][0]) else "second"
        assert f"the {k} stays with you" in text
        # the mate's same-shaped lines about other mails of other days
        if f["word"]["door"] == "chat":
            lines = [
                m["text"] for m in world.services["chat"].table("messages").values() if m["sender"] == f["word"]["mate"]
            ]
        else:
            lines = [m["body"] for m in mails if m["from"] == rec["from"] and m["subject"] == "Quick one"]
        shaped = [ln for ln in lines if "the mail of " in ln]
        assert len(shaped) >= 4 and len({ln.split("the mail of ")[1].split(":")[0] for ln in shaped}) == len(shaped)


def _wr_report(f: dict, totals: dict) -> str:
    return f"PIPELINE: {totals['pipeline']:.2f}\nWON: {totals['won']:.2f}\nUNSOLVED TICKETS: {totals['tickets']}\n"


@pytest.mark.parametrize("level", LEVELS)
def test_weekly_report_the_mail_without_the_word_fails_and_the_oracle_passes(level):
    env, world, f = _wr(level, 1)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    f = env.scenario.facts
    assert f["kept"] in f["mine"] and f["kept"] not in f["former"]  # the word keeps one of the two moved accounts
    for stale in f["stale"]:  # the old note's list; the manager's mail without the colleague's word (the players')
        env.reset(seed=1)
        body = f"Pipeline {stale['pipeline']:,.2f} EUR, won {stale['won']:,.2f} EUR"
        steps = [
            A.api("files.write", path=f["path"], content=_wr_report(f, stale)),
            A.api("workmail.send", to=[f["boss"]], subject="Weekly numbers", body=body),
            A.finish("done"),
        ]
        failed = _failed(_play(env, steps))
        assert {
            "pipeline figure is right",
            "won figure is right",
            "the manager got the pipeline and won figures",
        } <= set(failed), failed
    env.reset(seed=1)
    steps = [
        A.api("files.write", path=f["path"], content=_wr_report(f, f)),
        A.api(
            "workmail.send",
            to=[f["boss"]],
            subject="Weekly numbers",
            body=f"Pipeline {f['pipeline']:,.2f} EUR, won {f['won']:,.2f} EUR",
        ),
        A.finish("done"),
    ]
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- household-day --------------------------------------------------------------------------------------
def _hh(level: int, seed: int, variant: str):
    env = _at_level("household-day", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _hh_word(env) -> dict:
    f, w = env.scenario.facts, env.world
    word = f["fee"]["word"]
    if word["msg"] not in w.services["sms"].table("messages"):  # an arrival still to come: let the day run to it
        env.step(A.wait(word["at"] - w.clock.now + 60, wake=False))
    return w.services["sms"].table("messages")[word["msg"]]


@pytest.mark.parametrize("variant", ["school", "club"])
@pytest.mark.parametrize("level", LEVELS)
def test_household_the_players_searches_miss_the_partner_s_word(variant, level):
    for seed in range(2):
        env, world, f = _hh(level, seed, variant)
        _hh_word(env)
        fee, msg = f["fee"], f["fee"]["word"]["msg"]
        for who in (fee["sender"], fee["org"]):
            assert msg not in _found(env, person=who), who
        idents = [fee["org"], fee["sender"], fee["ref"], fee["child"], fee["iban"], *fee["others"]]
        idents += [f"{fee[k]:.2f}" for k in ("a", "b", "total")] + ["coach", "museum", "boat", "locker", "fee"]
        for text in [*idents, "from now on", "after all"]:
            assert msg not in _found(env, text), text


@pytest.mark.parametrize("variant", ["school", "club"])
@pytest.mark.parametrize("level", LEVELS)
def test_household_the_word_names_nothing_and_its_minute_fits_the_fee_mail(variant, level):
    for seed in range(3):
        env, world, f = _hh(level, seed, variant)
        rec, fee = _hh_word(env), f["fee"]
        body = rec["body"]
        assert body == fee["word"]["line"] and rec["number"] == fee["partner_contacts"][1]
        for ident in [fee["org"], fee["ref"], fee["child"], "coach", "museum", "boat", "locker", "EUR", "fee"]:
            assert ident.lower() not in body.lower(), ident
        # the minute resolves to one record: the only mail that came in at that minute today, the fee mail
        hhmm = body.split("came in at ")[1][:5]
        mails = [
            m
            for m in world.services["mail"].table("messages").values()
            if clock.day_start(m["time"]) == clock.day_start(rec["time"]) and clock.fmt(m["time"])[-5:] == hhmm
        ]
        assert [m["id"] for m in mails] == [fee["mail"]] and mails[0]["time"] < rec["time"] < fee["by"]
        assert "first part" in body and abs(fee["amount"] - fee["b"]) < 0.005 and fee["total"] > fee["amount"]
        # whose say it is: a running note's line, weeks before
        note = world.services["notes"].table("notes")[fee["word"]["note"]]
        first = fee["partner_name"].split()[0]
        assert f"check with {first} before paying one" in note["body"] and note["updated"] < rec["time"]
        assert ("tell them once it's paid" in note["body"]) == (level == 5)
        # the partner's same-shaped texts about other matters
        theirs = [m["body"] for m in world.services["sms"].table("messages").values() if m["number"] == rec["number"]]
        assert sum(t.startswith("re the ") for t in theirs) >= 3


def _hh_paying(steps: list[str], amount: float) -> list[str]:
    import json

    out = []
    for s in steps:
        if '"bank.pay"' in s:
            act = json.loads(s)
            act["args"]["amount"] = amount
            s = json.dumps(act)
        out.append(s)
    return out


@pytest.mark.parametrize("variant", ["school", "club"])
@pytest.mark.parametrize("level", LEVELS)
def test_household_paying_both_parts_fails_and_the_second_passes(variant, level):
    env, world, f = _hh(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    fee = env.scenario.facts["fee"]
    verdict = _play(env, _hh_paying(env.oracle_actions(), fee["total"]))  # the players' answer: both parts
    assert _failed(verdict) == [
        f"EUR {fee['amount']:.2f} paid once to the account of the {fee['letter']['month']} letter by "
        f"{clock.fmt(fee['by'])[-5:]}, reference {fee['ref']}"
    ]


@pytest.mark.parametrize("variant", ["school", "club"])
def test_household_d5_the_partner_untold_fails(variant):
    env, world, f = _hh(5, 1, variant)
    fee = f["fee"]
    steps = [s for s in env.oracle_actions() if fee["partner"][1] not in s]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{fee['partner_name']} was told the fee is paid"]
    env.reset(seed=1)
    told = A.api("mail.send", to=[fee["partner"][0]], subject="Paid", body="Paid the rest.")
    at = steps.index(next(s for s in steps if "bank.pay" in s))
    verdict = _play(env, steps[: at + 1] + [told] + steps[at + 1 :])  # by mail is fine too
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- todo-export ----------------------------------------------------------------------------------------
def _te(level: int, seed: int, variant: str):
    env = _at_level("todo-export", level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _te_text(env, fmt: str) -> str:
    from claw_gym.envs.todo_export import expected

    f = env.scenario.facts
    return f"# {f['list']} tasks\n\n" + "\n".join(expected(env.world, {**f, "date_fmt": fmt})) + "\n"


@pytest.mark.parametrize("variant", ["open", "with-done"])
@pytest.mark.parametrize("level", LEVELS)
def test_todo_export_the_players_searches_miss_the_partner_s_word(variant, level):
    for seed in range(3):
        env, world, f = _te(level, seed, variant)
        msg = f["word"]["msg"]
        me = world.persona.me
        named = next(p for p in world.persona.people if p.email == f["to"][0])
        for who in (me.name, me.first, named.name, named.first, named.email):
            assert msg not in _found(env, person=who), who
        items = world.services["todo"].table("items")
        titles = [items[i]["title"] for i in f["ids"]]
        for text in [f["list"], *titles, "to-do", "todo", "export", "print", "from now on", "after all"]:
            assert msg not in _found(env, text), text


@pytest.mark.parametrize("variant", ["open", "with-done"])
@pytest.mark.parametrize("level", LEVELS)
def test_todo_export_the_word_names_no_list_and_its_time_fits_one_sent_mail(variant, level):
    from claw_gym.envs.todo_export import LISTS

    for seed in range(3):
        env, world, f = _te(level, seed, variant)
        mails = world.services["mail"].table("messages")
        rec = mails[f["word"]["msg"]]
        assert f["word"]["line"][1:] in rec["body"]
        for word in [*LISTS, "list", "to-do", "print"]:
            assert word not in rec["body"].split(":", 1)[0].lower(), word  # the reference names no list
        assert not [n for n in LISTS if n in rec["body"].lower()]
        # its time and date resolve to one mail the person sent: the earlier printed list, to the partner
        when = rec["body"].split("sent out at ")[1].split(":")[0:2]
        hhmm, day = when[0] + ":" + when[1][:2], when[1].split(" on ")[1]
        sent = [
            m
            for m in mails.values()
            if m.get("folder") == "sent"
            and clock.fmt(m["time"])[-5:] == hhmm
            and oblique.day_month(m["time"]) == day
            and m["time"] < rec["time"]
        ]
        assert [m["id"] for m in sent] == [f["word"]["sent"]] and rec["from"] in sent[0]["to"]
        # whose word goes on the layout: the rule's own line, written before
        first = f["word"]["partner"].split()[0]
        rule = next(n for n in world.services["notes"].table("notes").values() if "When I print a to-do" in n["body"])
        assert f"{first} reads them on the fridge: their word goes on the layout" in rule["body"]
        assert rule["updated"] < sent[0]["time"]
        assert f["date_fmt"] == "%d.%m.%Y" and ("copy me in" in rec["body"]) == (level == 5)
        # the partner's same-shaped mails about other matters
        theirs = [m for m in mails.values() if m["from"] == rec["from"] and m["subject"] == rec["subject"]]
        assert len(theirs) >= 4 and all(m["body"].split("\n\n")[1].startswith("Re ") for m in theirs)


@pytest.mark.parametrize("variant", ["open", "with-done"])
@pytest.mark.parametrize("level", LEVELS)
def test_todo_export_the_rule_s_own_dates_fail_and_the_partner_s_pass(variant, level):
    env, world, f = _te(level, 1, variant)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    # the pre-change answers: the rule's own dates (level 4), the later note's dates to the named person only (5)
    fmt, to = ("%Y-%m-%d", f["to"]) if level == 4 else ("%d.%m.%Y", f["to"][:1])
    env.reset(seed=1)
    text = _te_text(env, fmt)
    steps = [A.api("files.write", path=f["path"], content=text), A.api("mail.send", to=to, subject="l", body=text)]
    failed = _failed(_play(env, [*steps, A.finish("done")]))
    assert failed == (
        ["the task lines are exactly the list's tasks in the note's format and order", "a copy was mailed to them"]
        if level == 4
        else ["a copy was mailed to them"]
    )
    env.reset(seed=1)
    text = _te_text(env, "%d.%m.%Y")
    steps = [A.api("files.write", path=f["path"], content=text), A.api("mail.send", to=f["to"], subject="l", body=text)]
    verdict = _play(env, [*steps, A.finish("done")])
    assert verdict["passed"] and not verdict["violations"], verdict


def test_todo_export_d5_the_partner_left_uncopied_fails():
    env, world, f = _te(5, 1, "open")
    assert len(f["to"]) == 2
    text = _te_text(env, f["date_fmt"])
    steps = [
        A.api("files.write", path=f["path"], content=text),
        A.api("mail.send", to=f["to"][:1], subject="list", body="Attached.", attachments=[f["path"]]),
        A.finish("done"),
    ]
    assert _failed(_play(env, steps)) == ["a copy was mailed to them"]


@pytest.mark.parametrize("level", LEVELS)
def test_inbox_agreeing_to_the_second_suggestion_before_the_word_then_correcting_passes(level):
    """Fair to a quick agent: what counts is what they hear once the booker's word is in; left uncorrected, it fails."""
    for fix in (True, False):
        env = _at_level("inbox-day", level, 1, variant="work")
        f = env.scenario.facts
        early = A.api("sms.send", to=f["person"]["phone"], body=f"{clock.fmt(f['second'])[-5:]} works!")
        moves = inbox_day._moves(f, f["final"])
        if not fix:  # left at the early word (an updated invite would tell them the time too)
            moves = []
        acts = [(f["fixed_at"] + 30, [early]), (inbox_day._act_at(f), moves), (f["bill_at"] + 60, inbox_day._pay(f))]
        verdict = _play(env, inbox_day._schedule(env.world, f, acts))
        if fix:
            assert verdict["passed"] and not verdict["violations"], verdict
        else:
            assert "what they were told names no other time" in _failed(verdict)
