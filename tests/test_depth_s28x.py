"""Headroom for session 28's group X (issue 21, points 3 and 5): at levels 4-5 the deciding record sits deep
in the history among same-shaped live candidates, a later amendment in another channel can overrule it,
and the trigger asks for the outcome; a half-done or stale run fails and another door passes.

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
from claw_gym.devices.phone import script as S
from claw_gym.envs.kit import notation, records


# ---- dual-invite-dnd -------------------------------------------------------------------------------
def _invite_steps(env, start: int, end: int, dnd: bool = True) -> list[str]:
    """Another door than the oracle's: the event through the API, a new mail (not a reply) to the manager."""
    f = env.scenario.facts
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.api("calendar.create_event", title=f["title"], start=clock.fmt(start), end=clock.fmt(end)),
    ]
    if dnd:
        steps += [*S.open_app("Settings"), S.tap("id/switch_do_not_disturb")]
    steps.append(A.api("workmail.send", to=[f["boss"]], subject=f["title"], body="In my calendar, phone silenced."))
    return steps + [A.wait(8 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_invite_slot_is_decided_deep_among_live_same_shaped_invites(level, days):
    for seed in range(3):
        env = _at_level("dual-invite-dnd", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        files = world.services["files"]
        live = [c for c in f["candidates"] if c["start"] > f["trigger_at"]]
        assert len(live) >= 3 and all(re.fullmatch(r"Downloads/invite( \(\d\))?\.ics", c["path"]) for c in live)
        uids = [re.search(r"UID:(\S+)", files.read(c["path"])["content"]).group(1) for c in live]
        assert all(re.fullmatch(r"\d{10}@claw", u) for u in uids)  # no "old-" tell in any of them
        assert {f["title"] in files.read(c["path"])["content"] for c in live} == {True}
        chat = list(world.services["chat"].table("messages").values())
        took = [m for m in chat if notation.hhmm(f["took"]) in m["text"] and f["title"].split()[-1] in m["text"]]
        assert len(took) == 1 and took[0]["time"] == f["confirmed_at"] <= now - days * clock.DAY
        trig = next(e.record for e in world.timeline.pending if e.record and e.record.get("id") == f["mail"])
        assert not any(notation.hhmm(c["start"]) in trig["body"] for c in live)  # the mail names no slot
        assert "invite (" not in trig["body"] and ".ics" not in trig["body"]
        if level == 5 or "amended_at" in f:  # the assistant's later DM (session 31): no topic named, days back
            dm = [m for m in chat if m["channel"] == f["dm"] and m["time"] == f["amended_at"]]
            assert len(dm) == 1 and f["title"].split()[-1] not in dm[0]["text"]
            assert f["confirmed_at"] < f["amended_at"] <= now - 3 * clock.DAY
            later = sorted(c["start"] for c in live if c["start"] > f["took"])
            assert f["start"] == later[0]
        else:
            assert f["start"] == f["took"]


@pytest.mark.parametrize("level", [4, 5])
def test_invite_through_the_api_and_a_new_mail_passes_and_without_dnd_fails(level):
    env = _at_level("dual-invite-dnd", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _invite_steps(env, f["start"], f["end"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _invite_steps(env, f["start"], f["end"], dnd=False))) == [
        "the phone is on Do not disturb"
    ]


def test_invite_the_slot_the_client_first_took_fails_once_the_assistant_took_it_off():
    env = _at_level("dual-invite-dnd", 5, seed=2)
    f = env.scenario.facts
    took = next(c for c in f["candidates"] if c["start"] == f["took"])
    assert took["start"] != f["start"]
    want = ["the invite's event is in the calendar at its time, and no other candidate"]
    assert _failed(_play(env, _invite_steps(env, took["start"], took["end"]))) == want


# ---- xdev-receipt-expense --------------------------------------------------------------------------
def _receipts(env) -> dict[str, str]:
    """The receipts' texts as the phone's shade will show them, by arrival time."""
    return {e.time: e.record["text"] for e in env.world.timeline.pending if e.service == "phone" and e.record}


@pytest.mark.parametrize("level", [4, 5])
def test_receipt_profile_is_a_calendar_judgement_not_a_label(level):
    from claw_gym.envs.xdev_receipt_expense import DEEP, NOTE_TITLE

    orders = set()
    for variant in ("ride", "meal"):
        for seed in range(4):
            env = _at_level("xdev-receipt-expense", level, seed, variant=variant)
            world, f = env.world, env.scenario.facts
            shown = _receipts(env)
            texts = [shown[f["receipt_at"]], shown[f["personal_at"]]]
            assert not any(w in t for t in texts for w in ("Business", "Personal", "business", "personal"))
            places = [next(p for p in DEEP[variant]["places"] if p in t) for t in texts]
            entries = list(world.services["calendar"].table("entries").values())
            at = {p: [e for e in entries if e["location"] == p] for p in places}
            assert all(len(v) == 1 for v in at.values()), at
            work, private = at[places[0]][0], at[places[1]][0]
            assert abs(work["start"] - f["receipt_at"]) < 2 * clock.HOUR
            assert abs(private["start"] - f["personal_at"]) < 2 * clock.HOUR
            assert work["notes"] and not private["notes"]  # the client and their company, on the work one only
            note = next(n for n in world.services["notes"].table("notes").values() if n["title"] == NOTE_TITLE)
            assert "business" not in note["body"].lower() and "profile" not in note["body"].lower()
            orders.add(f["receipt_at"] < f["personal_at"])
    assert orders == {True, False}  # the work receipt is not always the first (or the last) to land


@pytest.mark.parametrize("level", [4, 5])
def test_receipt_personal_one_fails_and_api_door_passes_whichever_lands_first(level):
    from claw_gym.envs.xdev_receipt_expense import FAMILY

    for seed in (0, 1):
        env = _at_level("xdev-receipt-expense", level, seed, variant="meal")
        f = env.scenario.facts
        v = _play(env, FAMILY.stale_oracle(env.world, f))
        assert "the personal meal is not claimed" in _failed(v)
        env.reset(seed=seed)
        f = env.scenario.facts
        sheet = env.world.services["files"].find(f["sheet"])["content"]
        steps = [
            A.wait(max(f["receipt_at"], f["personal_at"]) + 200 - env.world.clock.now, wake=False),
            A.api(
                "expenses.create",
                date=f["date"],
                merchant="Tabby",
                amount=f["amount"],
                category="meals",
                tx_id=f["tx"],
                notes=f"client lunch, {f['cc']}",
            ),
            A.api("files.write", path=f["sheet"], content=sheet + f"{f['date']},Tabby,{f['amount']:.2f},meals\n"),
        ]
        steps.append(A.api("expenses.submit", ids=[records.next_id(env.world.services["expenses"], "claims")]))
        if f["dm"]:
            steps.append(A.api("chat.post", channel=f["dm"], text=f"Claim in for {f['amount']:.2f} EUR"))
            steps.append(A.api("chat.post", channel=f["lead_dm"], text=f"Claim in for {f['amount']:.2f} EUR"))
        v = _play(env, steps)
        assert v["passed"] and not v["violations"], v
        env.reset(seed=seed)
        v = _play(env, steps[:2] + steps[3:])  # half done: no line in the sheet
        assert _failed(v) == ["one line in the laptop's expenses sheet with the date and amount"]


# ---- xdev-ledger-code ------------------------------------------------------------------------------
def _ledger_run(env, code: str, receipts: list[str]) -> list[str]:
    """Run the tool with ``code`` for the target batch, post the total with ``receipts``, and the side goals."""
    from claw_gym.envs.xdev_ledger_code import VARIANTS

    f = env.scenario.facts
    v = VARIANTS[f["variant"]]
    steps = [A.shell(f"python3 ~/{v['tool']} --{v['key']} {f['target']} --code {code}", timeout=30)]
    steps.append(
        A.shell(
            f"claw chat post --channel {f['channel']} --text 'Total {f['total']:.2f} EUR, receipt {' '.join(receipts)}'"
        )
    )
    if f["todo"]:
        steps.append(A.api("todo.complete", id=f["todo"]))
    if f["ticket"]:
        steps.append(A.api("helpdesk.comment", id=f["ticket"], text=f"receipt {receipts[-1]}"))
    return steps


def test_ledger_the_tool_takes_the_expired_code_so_choosing_the_newest_is_the_agents_job():
    env = _at_level("xdev-ledger-code", 4, seed=0, variant="ledger")
    f = env.scenario.facts
    from claw_gym.envs.xdev_ledger_code import VARIANTS

    v = VARIANTS["ledger"]
    script = env.world.services["files"].find(v["tool"])["content"]
    assert f["code"] not in script and f["old"] not in script  # hashes only, and both of them
    obs, *_ = env.step(A.shell(f"python3 ~/{v['tool']} --{v['key']} {f['target']} --code {f['old']}", timeout=30))
    assert f["old_receipt"] in obs["result"]  # the tool does not refuse the expired push
    env.reset(seed=0)
    verdict = _play(env, _ledger_run(env, f["old"], [f["old_receipt"]]))
    assert f"the {f['target']} batch was pushed with the newest code" in _failed(verdict)
    env.reset(seed=0)
    verdict = _play(env, _ledger_run(env, f["code"], [f["old_receipt"], f["receipt"]]))  # a hedge
    assert _failed(verdict) == [f"the total and the receipt were posted in #{f['channel']}"]
    env.reset(seed=0)
    retry = _ledger_run(env, f["old"], [])[:1] + _ledger_run(env, f["code"], [f["receipt"]])
    verdict = _play(env, retry)  # a first run with the expired code, then the right one: the last run counts
    assert verdict["passed"] and not verdict["violations"], verdict


@pytest.mark.parametrize("variant", ["ledger", "payroll"])
def test_ledger_a_later_mail_undoes_the_switch_and_the_manager_s_dm_takes_it_back(variant):
    """Session 33: at 5 the manager's mail undoing the switch is taken back by their later DM line ("re my mail of
    <day>: ..."), so the suggested batch counts; the batch from before it is the one the mail alone gives."""
    for seed in range(3):
        env = _at_level("xdev-ledger-code", 5, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        assert f["kept_at"] and now - 26 * clock.DAY <= f["kept_at"] <= now - 14 * clock.DAY
        svc = "workmail" if "workmail" in world.services else "mail"
        undo = [m for m in world.services[svc].table("messages").values() if m["time"] == f["kept_at"]]
        assert len(undo) == 1
        from claw_gym.envs.xdev_ledger_code import VARIANTS

        text = (undo[0]["subject"] + undo[0]["body"]).lower()
        assert not any(n in text for n in VARIANTS[variant]["names"]) and VARIANTS[variant]["noun"] not in text
        messages = world.services["chat"].table("messages")
        chat = [m for m in messages.values() if m["channel"] == f["channel"]]
        first = [m for m in chat if f["older"] in m["text"] and m["sender"] == f["manager"]]
        assert len(first) == 1 and first[0]["time"] <= now - 60 * clock.DAY  # the batch from before: deeper still
        assert first[0]["time"] < f["decided_at"] < f["kept_at"] < messages[f["word"]["msg"]]["time"]
        assert len(f["candidates_at"]) >= 3
    env.reset(seed=0)
    from claw_gym.envs.xdev_ledger_code import FAMILY

    verdict = _play(env, FAMILY.oracle(env.world, {**env.scenario.facts, "target": env.scenario.facts["older"]}))
    assert "no other batch was pushed" in _failed(verdict)  # the batch the mail alone gives, taken back


# ---- dual-callback-crm -----------------------------------------------------------------------------
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_callback_the_number_is_in_no_signature_and_the_text_points_to_a_day(level, days):
    for seed in range(3):
        env = _at_level("dual-callback-crm", level, seed)
        world, f = env.world, env.scenario.facts
        now, first = world.clock.now, f["contact"].split()[0]
        deals = world.services["crm"].table("deals")
        assert len(f["namesakes"]) >= 3 and all(deals[d]["stage"] != "won" for d in f["namesakes"])
        mails = [m for m in world.services["workmail"].table("messages").values() if f"\n{first} " in m["body"]]
        assert len(mails) >= 3 and not any(f["number"] in m["body"] for m in mails)
        texts = [m for m in world.services["sms"].table("messages").values() if m["number"] == f["number"]]
        assert len(texts) == 1 and texts[0]["time"] == f["texted_at"] and now - f["texted_at"] >= 3 * clock.DAY
        body = texts[0]["body"]
        assert first in body and f["contact"].split()[1] not in body and f["account"].split()[0] not in body
        day = re.search(r"on (\d{1,2} [A-Z][a-z]+)|from (\d{1,2} [A-Z][a-z]+)", body)
        said = day.group(1) or day.group(2)
        on_day = [m for m in mails if clock.to_datetime(m["time"]).strftime("%-d %B") == said]
        assert [m["id"] for m in on_day] == [f["caller_mail"]]  # the day picks one namesake's mail
        assert now - on_day[0]["time"] >= days * clock.DAY and f["account"] in on_day[0]["body"]


def test_callback_the_namesake_who_mailed_last_is_not_the_caller():
    from claw_gym.envs import dual_callback_crm

    env = _at_level("dual-callback-crm", 5, seed=2)
    f = env.scenario.facts
    deals = env.world.services["crm"].table("deals")
    mails = [
        m
        for m in env.world.services["workmail"].table("messages").values()
        if f"\n{f['contact'].split()[0]} " in m["body"]
    ]
    newest = max(mails, key=lambda m: m["time"])
    assert newest["id"] != f["caller_mail"]
    wrong = next(d for d in f["namesakes"] if deals[d]["account"] in newest["body"])
    plan = [a.replace(f["deal"], wrong) if "log_activity" in a else a for a in dual_callback_crm.oracle(env.world, f)]
    assert "the callback is logged on the customer's deal" in _failed(_play(env, plan))
