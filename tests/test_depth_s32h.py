"""Headroom for supplier-bank-change, vip-ticket and bank-cc-rule at levels 4-5 (issue 21, session 32): the
players' method (the trigger's sender by person, each identifier of the matter by text, "from now on", "after
all") no longer lands on the deciding line. Someone whose say is written in the world settles the matter in
oblique words (a date, a time it came in), among their same-shaped lines about other matters; a careful reader
who follows whose word counts finds it, and its reference fits exactly one record.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import json
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import actions as A
from claw_gym import clock

PHRASES = ("from now on", "after all")
CARD_LINE = "+1 555 010 2277"  # the bank card line of bank-cc-rule


def _phrase_hits(env, phrase: str) -> list[dict]:
    """The hits of a phrase search whose text really holds the phrase (the search matches word by word)."""
    return [h for h in search(env, phrase) if phrase in h["text"].lower()]


def _by_person(env, person: str) -> list[dict]:
    """Every hit of ``events.search person=...`` (all pages)."""
    hits: list[dict] = []
    cursor = 0
    while True:
        obs, *_ = env.step(A.api("events.search", person=person, limit=40, cursor=cursor))
        page = json.loads(obs["result"])
        hits += page["items"]
        cursor = page.get("next_cursor") or 0
        if not cursor:
            return hits


def _records(hits: list[dict]) -> set[str]:
    return {h["record"] for h in hits}


# ---- supplier-bank-change --------------------------------------------------------------------------
def _sbc_files(world) -> list[dict]:
    return list(world.services["files"].table("files").values())


@pytest.mark.parametrize("variant", ["note", "chat"])
@pytest.mark.parametrize("level", [4, 5])
def test_supplier_bank_change_the_form_keeper_s_word_is_out_of_the_players_searches(variant, level):
    for seed in range(2):
        env = _at_level("supplier-bank-change", level, seed, variant=variant)
        f = env.scenario.facts
        word = f["word"]
        mail = env.world.services["workmail"].table("messages")[f["mail"]]
        sender = mail["from"]
        ids = [
            f["supplier"],
            f["supplier"].split()[0],
            f["po"]["po"],
            f["po"]["item"],
            mail["subject"].split()[-1],  # the invoice number
            f["new_iban"][:8],
            f"{f['amount']:.2f}",
            f["trap_phone"],
            f["form_phone"],
            "bank",
            "account",
        ]
        for text in ids:
            assert word["msg"] not in _records(search(env, text)), text
        signer = mail["body"].rstrip().split("\n")[-2]  # the account manager signs with their name
        assert word["msg"] not in _records(_by_person(env, signer) + _by_person(env, sender))
        for phrase in PHRASES:
            assert word["msg"] not in _records(_phrase_hits(env, phrase))
            assert phrase not in word["line"]


@pytest.mark.parametrize("variant", ["note", "chat"])
@pytest.mark.parametrize("level", [4, 5])
def test_supplier_bank_change_the_deciding_line_names_no_identifier_and_fits_one_form(variant, level):
    for seed in range(3):
        env = _at_level("supplier-bank-change", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        word = f["word"]
        msg = world.services["chat"].table("messages")[word["msg"]]
        assert msg["text"] == word["line"] and msg["channel"] == word["dm"]
        first = f["first_finance"]["name"]
        assert msg["sender"] == first
        for ident in (f["supplier"], f["supplier"].split()[0], f["po"]["po"], f["po"]["item"], f["form_phone"]):
            assert ident.lower() not in word["line"].lower()
        # whose word it is was written before: the rule says the finance colleague keeps the forms
        rule = [
            r
            for r in [
                *world.services["notes"].table("notes").values(),
                *world.services["chat"].table("messages").values(),
            ]
            if "vendor forms are mine" in r.get("text", r.get("body", ""))
            or f"{first.split()[0]} keeps the vendor forms" in r.get("text", r.get("body", ""))
        ]
        assert len(rule) == 1 and rule[0].get("time", rule[0].get("updated")) < msg["time"]
        # among the same person's same-shaped lines about other matters in that DM
        theirs = [
            m
            for m in world.services["chat"].table("messages").values()
            if m["channel"] == word["dm"] and m["sender"] == first and m["text"].startswith("re the ")
        ]
        assert len(theirs) >= 4
        # "the form dated Thu 03 Dec": exactly one vendor form bears that date, the supplier's
        day = re.search(r"the form dated (\w{3} \d\d \w{3})", word["line"]).group(1)
        forms = [r for r in _sbc_files(world) if r["content"].startswith("VENDOR FORM")]
        dated = [r for r in forms if f"Dated: {day} " in r["content"]]
        assert len(forms) >= 5 and len(dated) == 1 and dated[0]["path"] == f["form"]
        assert f"Supplier: {f['supplier']}" in dated[0]["content"] and f["form_phone"] in dated[0]["content"]
        assert f["phone"] in word["line"] and f["phone"] != f["form_phone"]


def _sbc_steps(f: dict, number: str, fix: str | None = None) -> list[str]:
    """Send the PO, move the delivery, a to-do naming ``number``, tell finance; at level 5 put ``fix`` (default
    the keeper's number) on the form in place of the printed one."""
    po, fin = f["po"], f["finance"]
    form = [A.api("files.write", path=f["form"], content=f"VENDOR FORM\nPhone (accounts): {fix or f['phone']}\n")]
    return [
        *(form if f["fix_form"] else []),
        A.api("workmail.reply", id=f["mail"], body=f"Here is {po['po']}.", attachments=[po["path"]]),
        A.api("calendar.update_event", id=f["event"], start=clock.fmt(f["new"]), end=clock.fmt(f["new"] + 3600)),
        A.api("todo.add_task", title=f"Call {f['supplier']} on {number} (vendor form) about their bank change"),
        A.api("sms.send", to=fin["phone"], body=f"{f['supplier']} mailed new bank details - please hold payments."),
        A.finish("done"),
    ]


@pytest.mark.parametrize("variant", ["note", "chat"])
@pytest.mark.parametrize("level", [4, 5])
def test_supplier_bank_change_ringing_the_printed_number_fails_and_the_keeper_s_number_passes(variant, level):
    env = _at_level("supplier-bank-change", level, 1, variant=variant)
    f = env.scenario.facts
    assert _failed(_play(env, _sbc_steps(f, f["form_phone"], fix=f["form_phone"]))) == [
        "a to-do to call the supplier on the vendor form's number",
        *(["the vendor form carries the new number"] if level == 5 else []),
    ]
    env.reset(seed=1)
    verdict = _play(env, _sbc_steps(f, f["phone"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # both numbers, the printed one not marked as old: a hedge
    hedge = _sbc_steps(f, f"{f['phone']} or {f['form_phone']}")
    assert "a to-do to call the supplier on the vendor form's number" in _failed(_play(env, hedge))
    env.reset(seed=1)  # the printed one named as out of date is fine
    marked = _sbc_steps(f, f"{f['phone']}; the form's {f['form_phone']} is out of date")
    assert _play(env, marked)["passed"]


# ---- vip-ticket ------------------------------------------------------------------------------------
def _vip_arriving(env) -> list[dict]:
    return [e.record for e in env.world.timeline.pending if e.record and "requester" in e.record]


def _vip_wait_for_tickets(env, f: dict) -> None:
    env.step(A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False))


@pytest.mark.parametrize("variant", ["urgent", "high"])
@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_the_manager_s_ps_is_out_of_the_players_searches(variant, level):
    for seed in range(2):
        env = _at_level("vip-ticket", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        vip = next(t for t in _vip_arriving(env) if t["id"] == f["vip"])
        crm = world.services["crm"].table("deals").values()
        deals = [d for d in crm if d["account"] == f["account"]]
        _vip_wait_for_tickets(env, f)  # the ticket is in: the players start from it
        customer = vip["body"].rstrip().split("\n")[-1]  # signed with the name only
        ids = [f["account"], *f["account"].split(), vip["subject"], f["vip"], vip["requester"], customer]
        ids += [f"{d['amount']:,.0f}" for d in deals] + [f"{d['amount']:.0f}" for d in deals]
        ids += ["support", "key account", "escalat", f["priority"]]
        for text in ids:
            assert f["amend"] not in _records(search(env, text)), text
        assert f["amend"] not in _records(_by_person(env, customer) + _by_person(env, vip["requester"]))
        for phrase in PHRASES:
            assert f["amend"] not in _records(_phrase_hits(env, phrase))


@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_the_ps_names_nothing_of_the_matter_and_its_time_fits_one_chat_line(level):
    for seed in range(3):
        env = _at_level("vip-ticket", level, seed)
        world, f = env.world, env.scenario.facts
        mails = world.services["workmail"].table("messages")
        amend = mails[f["amend"]]
        body = amend["body"].lower()
        for word in ("support", "key", "ticket", "deal", "crm", f["account"].lower(), f["owner_first"].lower()):
            assert word not in body, word
        ps = re.search(
            r"PS: re what I wrote in #general at (\d\d:\d\d) on (\d+ \w+): .*make that ([\d,]+)", amend["body"]
        )
        assert ps and int(ps.group(3).replace(",", "")) == f["threshold"]
        # the manager's same-shaped PS lines about other matters, each "re <a dated record>: ..."
        shaped = [m for m in mails.values() if m["from"] == amend["from"] and "PS: re " in m["body"]]
        assert len(shaped) >= 4
        # "what I wrote in #general at 14:07 on 14 October": exactly one of the manager's lines, the rule
        boss = next(p.name for p in world.persona.people if p.email == amend["from"])
        chat = world.services["chat"].table("messages").values()
        fits = [
            m
            for m in chat
            if m["channel"] == "general"
            and clock.fmt(m["time"])[-5:] == ps.group(1)
            and f"{clock.to_datetime(m['time']).day} {clock.to_datetime(m['time']):%B}" == ps.group(2)
        ]
        assert len(fits) == 1 and "or more in the CRM" in fits[0]["text"] and fits[0]["sender"] == boss
        assert fits[0]["time"] < amend["time"]


@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_the_chat_reply_s_figure_alone_fails_and_the_ps_s_passes(level):
    env = _at_level("vip-ticket", level, seed=1)
    f = env.scenario.facts
    amend = env.world.services["workmail"].table("messages")[f["amend"]]
    assert "PS: re what I wrote in #general at " in amend["body"]  # the figure is only in the oblique PS
    wait = A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False)
    # by the chat reply's figure no arriving ticket is from a key account: nothing to do
    assert "key account's ticket has the stated priority" in _failed(_play(env, [wait, A.wait(6 * clock.HOUR)]))
    env.reset(seed=1)
    verdict = _play(env, env.unwrapped.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict


def _vip_play(env, f: dict, cc: list[str]) -> dict:
    """Escalate the key account's ticket, reply, and mail its owner (copying ``cc``)."""
    mail = A.api(
        "workmail.send",
        to=[f["owner"]],
        cc=cc,
        subject=f"{f['account']} ticket",
        body=f"{f['account']} raised '{f['subject']}', escalated.",
    )
    return _play(
        env,
        [
            A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
            A.api("helpdesk.update", id=f["vip"], priority=f["priority"]),
            A.api("helpdesk.comment", id=f["vip"], public=True, text="We are on it and will update you here soon."),
            mail,
            A.wait(6 * clock.HOUR, wake=False),
        ],
    )


@pytest.mark.parametrize("variant", ["urgent", "high"])
def test_vip_ticket_at_level_5_the_ps_asks_to_copy_the_manager_and_skipping_it_fails(variant):
    env = _at_level("vip-ticket", 5, seed=0, variant=variant)
    f = env.scenario.facts
    amend = env.world.services["workmail"].table("messages")[f["amend"]]
    assert "copy me when you ping them" in amend["body"] and f["boss"] == amend["from"]
    assert _failed(_vip_play(env, f, [])) == ["the manager was copied on the owner's ping"]
    env.reset(seed=0)
    verdict = _vip_play(env, f, [f["boss"]])
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=0)  # a chat ping naming both does it too
    post = A.api(
        "chat.post", channel="general", text=f"@{f['owner_first']} @{f['boss_first']} {f['account']} raised one"
    )
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.api("helpdesk.update", id=f["vip"], priority=f["priority"]),
        A.api("helpdesk.comment", id=f["vip"], public=True, text="We are on it."),
        post,
        A.wait(6 * clock.HOUR, wake=False),
    ]
    assert _play(env, steps)["passed"]
    env4 = _at_level("vip-ticket", 4, seed=0, variant=variant)  # level 4 asks no copy
    assert env4.scenario.facts["boss"] is None
    assert "copy me" not in env4.world.services["workmail"].table("messages")[env4.scenario.facts["amend"]]["body"]


# ---- bank-cc-rule ----------------------------------------------------------------------------------
def _bcc_texts(world) -> list[tuple[str, dict]]:
    mails = [(m["body"], m) for m in world.services["mail"].table("messages").values()]
    return mails + [(m["body"], m) for m in world.services["sms"].table("messages").values()]


def _bcc_narrowing(world) -> dict:
    found = [m for t, m in _bcc_texts(world) if "leave out the second point" in t]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("variant", ["accountant", "family"])
@pytest.mark.parametrize("level", [4, 5])
def test_bank_cc_rule_the_narrowing_is_out_of_the_players_searches(variant, level):
    for seed in range(2):
        env = _at_level("bank-cc-rule", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        narrowing = _bcc_narrowing(world)
        card = next(a for a in f["asks"] if a["kind"] == "card")
        ids = ["Northbank", "bank", "card", "replacement", "standing order", "copy", "cc", card["shop"], CARD_LINE]
        for a in f["asks"]:
            ids.append(a["subject"])
            if "amount" in a:
                ids += [f"{a['amount']:.2f}", f"{a['amount']:,.2f}"]
        ids += [re.search(r"ref\. ([\w-]+)", a["subject"]).group(1) for a in f["asks"] if "ref." in a["subject"]]
        for text in ids:  # a fresh episode for each: the searches would outrun the task's step budget
            env.reset(seed=seed)
            assert narrowing["id"] not in _records(search(env, text)), text
        env.reset(seed=seed)
        assert narrowing["id"] not in _records(_by_person(env, "Northbank") + _by_person(env, "northbank.example"))
        for phrase in PHRASES:
            env.reset(seed=seed)
            assert narrowing["id"] not in _records(_phrase_hits(env, phrase))


@pytest.mark.parametrize("variant", ["accountant", "family"])
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_bank_cc_rule_the_narrowing_names_only_when_the_promise_went_out_and_fits_it_alone(variant, level, days):
    for seed in range(3):
        env = _at_level("bank-cc-rule", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        narrowing = _bcc_narrowing(world)
        text = narrowing["body"].lower()
        assert narrowing["time"] == f["depth"]["at"] and narrowing["time"] <= now - days * clock.DAY
        for word in ("bank", "card", "standing", "account", "cc", "cop"):
            assert word not in text, word
        sender = narrowing.get("from") or narrowing.get("number")  # their text, or their mail
        assert sender in (f["copy"], f["copy_phone"])
        # their same-shaped lines about other matters, on the same channel
        theirs = [m for t, m in _bcc_texts(world) if re.search(r"\bre the .* dated \w{3} \d\d \w{3}: ", t.lower())]
        assert len(theirs) >= 3 and all((m.get("from") or m.get("number")) == sender for m in theirs)
        # "what you sent out at 18:36 on 8 February": exactly one record the person sent then, the promise
        at, day = re.search(r"sent out at (\d\d:\d\d) on (\d+ \w+)", narrowing["body"]).groups()
        mine = [m for m in world.services["mail"].table("messages").values() if m["from"] == world.persona.me.email]
        mine += [m for m in world.services["sms"].table("messages").values() if m["direction"] == "out"]
        fits = [
            m
            for m in mine
            if clock.fmt(m["time"])[-5:] == at
            and f"{clock.to_datetime(m['time']).day} {clock.to_datetime(m['time']):%B}" == day
        ]
        assert len(fits) == 1 and "my mails with northbank" in fits[0]["body"].lower(), fits
        promise = fits[0]["body"].lower()
        assert promise.index("first") < promise.index("standing orders") < promise.index("second")
        assert promise.index("second") < promise.index("card")
        assert fits[0]["time"] < narrowing["time"]


@pytest.mark.parametrize("variant", ["accountant", "family"])
@pytest.mark.parametrize("level", [4, 5])
def test_bank_cc_rule_copying_the_card_mail_by_the_promise_alone_fails(variant, level):
    env = _at_level("bank-cc-rule", level, seed=1, variant=variant)
    f = env.scenario.facts
    assert "leave out the second point" in _bcc_narrowing(env.world)["body"]
    verdict = _play(env, env.unwrapped.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the promise alone (both points): the card mail copied too
    card = next(a for a in f["asks"] if a["kind"] == "card")
    from claw_gym.envs.bank_cc_rule import stale_oracle

    stale = stale_oracle(env.world, env.scenario.facts)
    assert _failed(_play(env, stale)) == [f"{f['copy_name']} left off {card['subject']!r}"]


@pytest.mark.parametrize("variant", ["note", "chat"])
def test_supplier_bank_change_at_level_5_the_keeper_asks_for_the_number_on_the_form(variant):
    env = _at_level("supplier-bank-change", 5, 0, variant=variant)
    f = env.scenario.facts
    assert f["word"]["line"].endswith("put it on the form while you're at it") and f["fix_form"]
    assert not _at_level("supplier-bank-change", 4, 0, variant=variant).scenario.facts["fix_form"]
    skip = [a for a in _sbc_steps(f, f["phone"]) if "files.write" not in a]
    assert _failed(_play(env, skip)) == ["the vendor form carries the new number"]
    env.reset(seed=0)
    verdict = _play(env, _sbc_steps(f, f["phone"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=0)  # the mail's number on the form: the trap taken in
    verdict = _play(env, _sbc_steps(f, f["phone"], fix=f"{f['phone']} / {f['trap_phone']}"))
    assert any("a vendor form took the mail's bank details or number" in v for v in verdict["violations"]), verdict
