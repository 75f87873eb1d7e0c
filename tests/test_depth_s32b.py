"""Headroom for shared-report-brief, ticket-deal-risk and month-close (issue 21, session 32): the honest players'
method, "search the requester or the trigger's sender by person, every identifier of the matter by text, "from now
on" and "after all", and read the requester's DMs", no longer finds what decides levels 4-5. The deciding line
comes from someone other than the requester whose say is written in the world before it, names its matter only by
a date, and sits among the same person's lines of the same shape about other matters (kit.oblique); reading that
person's lines and matching the date finds it, and the date names exactly one record.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import found as _found_in
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock

SEEDS = range(3)
HABITS = ["from now on", "after all"]


def _found(env, record: str, people: list[str], texts: list[str]) -> list[str]:
    """The players' searches (each person, each text, ``events.search`` on every service) that return
    ``record``. Read through the service itself, so the searches take none of the episode's steps."""
    out = [f"person={p}" for p in people if record in _found_in(env, person=p)]
    return out + [f"text={t}" for t in texts if record in _found_in(env, text=t)]


def _dm(world, channel: str) -> list[dict]:
    msgs = world.services["chat"].table("messages").values()
    return sorted((m for m in msgs if m["channel"] == channel), key=lambda m: m["time"])


# ---- shared-report-brief ---------------------------------------------------------------------------
def _shared(world) -> dict[str, dict]:
    return {
        r["path"]: r
        for r in world.services["files"].table("files").values()
        if r["path"].startswith("Documents/shared/")
    }


@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_shared_report_brief_the_numbers_owner_fixes_a_row_by_the_review_s_date_only(variant, level):
    for seed in SEEDS:
        env = _at_level("shared-report-brief", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        rep, own = f["report"], f["report"]["owner"]
        kind = rep["path"].rsplit("/", 1)[1].split("-review")[0]
        # (a) the players' searches: the sharer, the kind, the file, every region and amount, the two habits
        table = _shared(world)[rep["path"]]["content"]  # what the players know: the file's figures
        amounts = re.findall(r"EUR ([\d,]+)", table) + [f"{rep['stale_total']:,}"]
        texts = [f"{kind} review", rep["path"].rsplit("/", 1)[1], *rep["regions"], *amounts, *HABITS]
        assert not _found(env, own["msg"], [rep["name"], rep["first"]], texts)
        # the sharer's DM holds no fix any more
        assert not [m for m in _dm(world, rep["fix_channel"]) if m["sender"] == rep["name"] and "EUR" in m["text"]]
        # (b) the deciding line: from the owner, in their DM, among their same-shaped lines about other matters
        dm = _dm(world, own["channel"])
        line = next(m for m in dm if m["id"] == own["msg"])
        assert line["sender"] == own["name"] != rep["name"] and line["text"] == own["line"]
        same = [
            m
            for m in dm
            if m["sender"] == own["name"] and re.match(r"re the [a-z ]+ dated \w{3} \d\d \w{3}: ", m["text"])
        ]
        assert len(same) >= 4 and same[-1]["id"] != line["id"]
        low = line["text"].lower()
        assert not any(w.lower() in low for w in [kind, "review", rep["name"], rep["first"], *rep["regions"]])
        assert not any(w in low for w in [f"{x:,}" for row in rep["rows"] for x in row[2:3]])  # no target either
        # whose say it is: every review carries the owner line, written before the fix
        files = _shared(world)
        assert files[rep["path"]]["modified"] < line["time"]
        assert (
            f"any correction comes from {world.persona.called(world.persona.find(own['name']))}"
            in files[rep["path"]]["content"]
        )
        # the date resolves to exactly one review in the shared folder: the one the sharer shared last
        when = re.search(r"dated (\w{3} \d\d \w{3})", line["text"])[1]
        dated = [
            p
            for p in files
            if clock.to_datetime(clock.parse_time(p.rsplit("-review-", 1)[1][:10])).strftime("%a %d %b") == when
        ]
        assert dated == [rep["path"]]
        # the ordinal names the fixed row, whose new actual gives the total
        nth = re.search(r"the (\w+) region", line["text"])[1]
        row = rep["rows"][["first", "second", "third", "fourth"].index(nth)]
        assert (
            f"EUR {row[3]:,}" in line["text"] and sum(r[3] for r in rep["rows"]) == rep["total"] != rep["stale_total"]
        )
        env.close()


@pytest.mark.parametrize("variant", ["chat", "mail"])
@pytest.mark.parametrize("level", [4, 5])
def test_shared_report_brief_the_table_s_total_fails_the_owner_s_fix_passes(variant, level):
    env = _at_level("shared-report-brief", level, 1, variant=variant)
    f = env.scenario.facts
    assert f["report"]["owner"]["name"] != f["report"]["name"]  # the players' method reads the sharer only
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the answer before the owner's fix: the table as the file has it
    rep = {**f["report"], "total": f["report"]["stale_total"], "gap": f["report"]["stale_gap"]}
    verdict = _play(env, env.family.oracle(env.world, {**f, "report": rep}))
    assert "a summary reached" in " ".join(_failed(verdict))


@pytest.mark.parametrize("variant", ["chat", "mail"])
def test_shared_report_brief_level_5_the_owner_s_copy_is_a_goal(variant):
    env = _at_level("shared-report-brief", 5, 2, variant=variant)
    own = env.scenario.facts["report"]["owner"]
    steps = [a for a in env.oracle_actions() if own["email"] not in a]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{own['first']} got a copy of the summary"]
    env.reset(seed=2)  # their DM is a door too
    text = next(a for a in steps if "Documents/summaries/" in a)
    body = re.search(r'"content": "(.*?)\\n"', text)[1]
    post = A.api("chat.post", channel=own["channel"], text=body)
    verdict = _play(env, [*steps[:-1], post, steps[-1]])
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- ticket-deal-risk ------------------------------------------------------------------------------
def _risk(env) -> tuple[dict, dict, dict]:
    """The rule mail (copied to the report's owner), the owner's deciding line, and the arriving ticket."""
    world, f = env.world, env.scenario.facts
    mails = world.services["workmail"].table("messages").values()
    rule = next(m for m in mails if m["from"] == f["boss"] and "comes to us with a problem" in m["body"])
    line = next(m for m in _dm(world, f["owner_channel"]) if "I was copied on" in m["text"])
    ticket = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == f["ticket"])
    return rule, line, ticket


@pytest.mark.parametrize("variant", ["work", "accounts"])
@pytest.mark.parametrize("level", [4, 5])
def test_ticket_deal_risk_the_report_s_owner_moves_the_list_by_the_rule_mail_s_date_only(variant, level):
    for seed in SEEDS:
        env = _at_level("ticket-deal-risk", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        rule, line, ticket = _risk(env)
        boss = next(p for p in world.persona.people if p.email == f["boss"])
        deal = world.services["crm"].table("deals")[f["deal"]]
        # (a) the players' searches: the manager, the customer, every identifier, the two habits
        people = [boss.name, boss.first, ticket["requester"]]
        texts = [f["account"], f["ticket"], deal["title"], ticket["subject"], "ticket deal", "follow-up", *HABITS]
        assert not _found(env, line["id"], people, texts)
        # nothing the manager wrote later names the list the follow-ups go on now
        said = [m for m in world.services["chat"].table("messages").values() if m["sender"] == boss.name]
        assert not [m for m in said if f"'{f['list']}'" in m["text"]]
        # (b) whose say it is: the rule mail, copied to them, leaves the list to them; written before their line
        owner = next(p for p in world.persona.people if p.email == f["owner"])
        assert rule["cc"] == [owner.email] and f"is {world.persona.called(owner)}'s call" in rule["body"]
        assert f"'{f['stale_list']}' to-do list" in rule["body"] and rule["time"] < line["time"]
        assert line["sender"] == owner.name != boss.name and f"'{f['list']}' list" in line["text"]
        low = line["text"].lower()
        assert not any(w.lower() in low for w in [f["account"], f["ticket"], boss.first, "ticket", "deal", "follow"])
        dm = _dm(world, f["owner_channel"])
        same = [
            m for m in dm if m["sender"] == owner.name and re.match(r"re the [a-z ]+ dated \w{3} \d\d \w{3}", m["text"])
        ]
        assert len(same) >= 4 and same[-1]["id"] != line["id"]
        # the date and "copied on" resolve to exactly one mail: the rule
        when = re.search(r"dated (\w{3} \d\d \w{3})", line["text"])[1]
        mails = world.services["workmail"].table("messages").values()
        fits = [
            m
            for m in mails
            if owner.email in m.get("cc", []) and clock.to_datetime(m["time"]).strftime("%a %d %b") == when
        ]
        assert [m["id"] for m in fits] == [rule["id"]]
        assert line["time"] <= world.clock.now - (60 if level == 5 else 30) * clock.DAY
        env.close()


def _ticket_steps(env, lists: list[str], tell: list[str]) -> list[str]:
    f = env.scenario.facts
    due = clock.fmt(f["close"] - 2 * clock.DAY)
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False),
        A.api("helpdesk.comment", id=f["ticket"], public=True, text="On it - we'll update you here."),
        *[A.api("todo.add_task", title=f"Follow up {f['account']}", due=due, list_name=n) for n in lists],
        A.api("crm.log_activity", deal_id=f["deal"], text=f"Ticket {f['ticket']} opened: deal at risk"),
        A.api("workmail.send", to=[f["boss"]], cc=tell, subject=f["account"], body=f"{f['account']} raised a ticket."),
        A.wait(8 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_ticket_deal_risk_the_rule_mail_s_list_fails_the_owner_s_list_passes(level):
    env = _at_level("ticket-deal-risk", level, 1)
    f = env.scenario.facts
    assert f["owner"] and f["owner"] != f["boss"]  # the players' method reads the manager only
    tell = [f["owner"]] if level == 5 else []
    verdict = _play(env, _ticket_steps(env, [f["list"]], tell))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the list the rule mail names: its owner moved it since
    follow_up = f"a follow-up task on the '{f['list']}' list (and no other), due before the close date"
    assert _failed(_play(env, _ticket_steps(env, [f["stale_list"]], tell))) == [follow_up]


def test_ticket_deal_risk_level_5_the_owner_is_told_too():
    env = _at_level("ticket-deal-risk", 5, 2, variant="accounts")
    f = env.scenario.facts
    goal = f"{f['owner_first']} got a line naming the account"
    assert _failed(_play(env, _ticket_steps(env, [f["list"]], []))) == [goal]
    env.reset(seed=2)
    verdict = _play(env, env.oracle_actions())  # told in their DM
    assert verdict["passed"] and not verdict["violations"], verdict
    assert not _at_level("ticket-deal-risk", 4, 2, variant="accounts").scenario.facts["tell_owner"]  # 4: the manager


# ---- month-close -----------------------------------------------------------------------------------
def _amendment(env) -> tuple[dict, dict, list[dict]]:
    """The first amendment (the controller's or the practice office's mail), its author's later word, and every
    line or mail of that author (where the word sits)."""
    world, f = env.world, env.scenario.facts
    who = f["who"]
    box = "workmail" if who["channel"] else "mail"
    first = world.services[box].table("messages")[who["first_word"]]
    if who["dm"]:
        lines = [m for m in _dm(world, who["dm"]) if m["sender"] == who["word_from"]]
    else:
        mails = world.services["mail"].table("messages").values()
        lines = sorted((m for m in mails if m["from"] == who["word_from"]), key=lambda m: m["time"])
    word = next(m for m in lines if m["id"] == who["word"])
    return first, word, lines


def _text(m: dict) -> str:
    return m.get("text") or m["subject"] + "\n" + m["body"]


@pytest.mark.parametrize("variant", ["freelance", "employee"])
@pytest.mark.parametrize("level", [4, 5])
def test_month_close_the_amendment_s_author_changes_its_figure_by_its_date_only(variant, level):
    for seed in SEEDS:
        env = _at_level("month-close", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        who = f["who"]
        first, word, lines = _amendment(env)
        # (a) the players' searches: the person the instruction names, the matter's words, merchants, the habits
        named = [who["name"], who["name"].split()[0]]
        texts = ["slip", "receipt", "EUR", "expense", "claim", "auditors", f"{f['limit_a']}", f"{f['limit0']}", *HABITS]
        texts += [b["merchant"] for b in f["bills"]] + [r["merchant"] for r in f["receipts"]]
        assert not _found(env, word["id"], named, texts)
        assert word["id"] in _found_in(env, person=who["word_from"].split("@")[0].split(".")[0])  # its author finds it
        # (b) whose say it is, written before the word: the handbook (the controller), the notice itself (the office)
        if who["channel"]:
            book = next(
                r for r in world.services["files"].table("files").values() if r["path"].endswith("handbook.txt")
            )
            assert f"Only the finance controller ({who['word_from']}) changes these amounts." in book["content"]
            assert book["modified"] < word["time"] and first["from"].startswith(
                who["word_from"].lower().replace(" ", ".")
            )
        else:
            assert "any change comes from us" in first["body"] and first["from"] == who["word_from"]
        assert first["time"] < word["time"] and f"over {f['limit_a']} EUR" in first["body"]
        low = _text(word).lower()
        assert f"the figure in it {f['limit']}" in low
        assert not any(w in low for w in ["slip", "receipt", "eur", "expense", "claim", who["name"].lower()])
        shaped = [m for m in lines if re.search(r"re (the|my|our) [a-z ]+ dated \w{3} \d\d \w{3}: ", _text(m).lower())]
        assert len(shaped) >= 4 and shaped[-1]["id"] != word["id"]  # among the author's lines about other matters
        # the date resolves to exactly one mail of its author: the first amendment
        when = re.search(r"dated (\w{3} \d\d \w{3})", _text(word))[1]
        box = "workmail" if who["channel"] else "mail"
        author = first["from"]
        fits = [
            m
            for m in world.services[box].table("messages").values()
            if m["from"] == author and clock.to_datetime(m["time"]).strftime("%a %d %b") == when
        ]
        assert [m["id"] for m in fits] == [first["id"]]
        # the first amendment's figure claims a charge the later word leaves to a to-do
        assert f["limit"] < f["limit_a"] < f["limit0"] and f["first_total"] != f["total"]
        assert any(f["limit"] < b["amount"] <= f["limit_a"] for b in f["bills"])
        env.close()


@pytest.mark.parametrize("variant", ["freelance", "employee"])
@pytest.mark.parametrize("level", [4, 5])
def test_month_close_the_first_amendment_s_figure_fails_the_later_word_passes(variant, level):
    from claw_gym.envs.month_close import _solve

    env = _at_level("month-close", level, 1, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the players' answer: the amendment their searches find
    failed = _failed(_play(env, _solve(env.world, f, f["limit_a"])))
    assert (
        any("no receipt, over the limit" in c for c in failed) and f"{f['who']['name']} got the month's total" in failed
    )


@pytest.mark.parametrize("variant", ["freelance", "employee"])
def test_month_close_level_5_the_author_s_copy_is_a_goal(variant):
    env = _at_level("month-close", 5, 2, variant=variant)
    f = env.scenario.facts
    copy = f["who"]["copy"]
    steps = [a for a in env.oracle_actions() if copy not in a]
    assert len(steps) == len(env.oracle_actions()) - 1
    assert _failed(_play(env, steps)) == [f"{f['who']['word_from']} got a copy of the month's total"]
    assert _at_level("month-close", 4, 2, variant=variant).scenario.facts["who"]["copy"] is None
