"""Headroom for bill-pay, duplicate-charge, supplier-invoice and xdev-ledger-code at levels 4-5 (issue 21, session
33): the players' method (search the requester or the trigger's sender by person, every identifier of the matter by
text, "from now on", "after all") no longer settles them. The deciding change comes from someone whose say is
written in the world, names the matter only by the moment of a record, and sits among the same person's
same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict with
actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import finding as _finding
from episodes import play as _play

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import bill_pay
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]
SEEDS = [0, 1]


def _minute(t: int) -> str:
    return clock.fmt(t)[-5:]


# ---- bill-pay ----------------------------------------------------------------------------------------------------
BP_VARIANTS = ["utility", "telecom"]


def _bp_identifiers(env) -> list[str]:
    f = env.scenario.facts
    name = f["name"]
    return [
        name,
        name.split()[0],
        f["inv"],
        f"{f['amount']:.2f}",
        f"{f['share_wrong'][-1]:.2f}",
        "bill",
        "half",
        "share",
        "from now on",
        "after all",
    ] + (["60/40"] if "remind_at" in f else [])  # at 5 the partner's plain reply gives "60/40" to search for


@pytest.mark.parametrize("variant", BP_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_bill_pay_the_players_searches_miss_the_partner_s_word(variant, level):
    for seed in SEEDS:
        env = _at_level("bill-pay", level, seed, variant=variant)
        f = env.scenario.facts
        word = f["word"]["msg"]
        mails = env.world.services["mail"].table("messages").values()
        biller = next(m["from"] for m in mails if m["subject"].startswith(f"Your {f['name']} bill"))
        assert not _finding(env, word, people=(biller, biller.split("@")[1], f["name"]), texts=_bp_identifiers(env))


@pytest.mark.parametrize("variant", BP_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_bill_pay_the_word_names_nothing_and_its_moment_fits_one_text(variant, level):
    for seed in SEEDS:
        env = _at_level("bill-pay", level, seed, variant=variant)
        f, world = env.scenario.facts, env.world
        texts = world.services["sms"].table("messages")
        phone = f["partner"][1]
        word = texts[f["word"]["msg"]]
        assert word["number"] == phone and word["direction"] == "in" and word["body"] == f["word"]["line"]
        for ident in _bp_identifiers(env):
            assert ident.lower() not in word["body"].lower(), ident
        # among the partner's same-shaped lines about other matters, each referring to a moment before it was sent
        theirs = [m for m in texts.values() if m["number"] == phone and m["body"].startswith("re ")]
        assert len(theirs) >= 4
        for m in theirs:
            if m is word:
                continue
            hhmm, day = re.search(r"at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", m["body"]).groups()
            assert not any(th in m["body"] for th, _ in oblique.HOME_OTHERS if "bill" in th)
            back = [m["time"] - k * clock.DAY for k in range(1, 5)]  # one to four days before it was sent
            assert day in {oblique.day_month(t) for t in back}, m["body"]
        # the person's name for the partner is written in the rule note, before the word
        notes = world.services["notes"].table("notes").values()
        (rule,) = [n for n in notes if n["title"] == f["rule_note"]]  # one note of that title
        assert f["partner_name"] + " covers half" in rule["body"] and rule["updated"] < word["time"]
        # the reference resolves to one text: the share the person sent (4), the partner's 60/40 reply (5)
        hhmm, day = re.search(r"at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", word["body"]).groups()
        same = [
            m
            for m in texts.values()
            if _minute(m["time"]) == hhmm
            and oblique.day_month(m["time"]) == day
            and (m["direction"] == "out" if level == 4 else m["number"] == phone)
        ]
        assert len(same) == 1 and same[0]["time"] < word["time"]
        if level == 4:
            assert same[0]["number"] == phone and "your half is" in same[0]["body"]
            assert f["share"] == round(f["amount"] * 0.4, 2)
        else:
            assert "60/40" in same[0]["body"] and same[0]["body"] in bill_pay.THREAD_REPLY
            assert f["share"] == round(f["amount"] * 0.3, 2) and round(f["amount"] * 0.4, 2) in f["share_wrong"]


def _bp_steps(env, share: float) -> list[str]:
    f = env.scenario.facts
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False),
        A.api("bank.pay", iban=f["iban"], amount=f["amount"], reference=f["inv"], name=f["name"]),
        A.api("sms.send", to=f["partner"][1], body=f"Paid the {f['name']} bill; your share is EUR {share:.2f}."),
    ]
    if "remind_at" in f:
        steps.append(A.api("todo.add_task", title="Check the transfer", due=clock.fmt(f["remind_at"])))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level", LEVELS)
def test_bill_pay_the_pre_change_split_fails_and_the_word_s_passes(level):
    for seed in SEEDS:
        env = _at_level("bill-pay", level, seed)
        f = env.scenario.facts
        old = round(f["amount"] / 2, 2) if level == 4 else round(f["amount"] * 0.4, 2)
        verdict = _play(env, _bp_steps(env, old))
        assert _failed(verdict) == [f"{f['partner_name']} was sent their share"], _failed(verdict)
        env = _at_level("bill-pay", level, seed)
        verdict = _play(env, _bp_steps(env, env.scenario.facts["share"]))
        assert verdict["passed"], _failed(verdict)


# ---- duplicate-charge --------------------------------------------------------------------------------------------
DC_VARIANTS = ["home", "gadgets"]


def _dc_identifiers(env, level: int) -> list[str]:
    f = env.scenario.facts
    tx = env.world.services["bank"].table("transactions")
    amount = f"{abs(tx[f['original']]['amount']):.2f}"
    return [f["shop"], f["shop"].split()[0], f["order"], amount, "twice", "charge", "refund", "dispute", "chase"] + [
        "from now on",
        "after all",
        *(["14 days"] if level == 5 else []),  # at 5 the partner's plain reply gives "14 days"
    ]


def _dc_partner(env):
    return next(p for p in env.world.persona.people if p.first == env.scenario.facts["amended_by"])


@pytest.mark.parametrize("variant", DC_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_duplicate_charge_the_players_searches_miss_the_partner_s_word(variant, level):
    for seed in SEEDS:
        env = _at_level("duplicate-charge", level, seed, variant=variant)
        f = env.scenario.facts
        word = f["word"]["msg"]
        domain = f["support"].split("@")[1]
        assert not _finding(
            env, word, people=(f["shop"], domain, f["support"], f"orders@{domain}"), texts=_dc_identifiers(env, level)
        )


@pytest.mark.parametrize("variant", DC_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_duplicate_charge_the_word_names_nothing_and_its_moment_fits_one_text(variant, level):
    for seed in SEEDS:
        env = _at_level("duplicate-charge", level, seed, variant=variant)
        f, world = env.scenario.facts, env.world
        texts = world.services["sms"].table("messages")
        phone = _dc_partner(env).phone
        word = texts[f["word"]["msg"]]
        assert word["number"] == phone and word["direction"] == "in" and word["body"] == f["word"]["line"]
        for ident in _dc_identifiers(env, level):
            assert ident.lower() not in word["body"].lower(), ident
        theirs = [m for m in texts.values() if m["number"] == phone and m["body"].startswith("re ")]
        assert len(theirs) >= 4
        # the rule note names the partner as the one whose word on the wait goes, before the word
        notes = world.services["notes"].table("notes").values()
        rule = [n for n in notes if n["title"] == f["rule_note"] and "days later to check" in n["body"]]
        assert len(rule) == 1 and f"{f['amended_by']} knows how long the banks take" in rule[0]["body"]
        assert rule[0]["updated"] < word["time"] <= world.clock.now - (30 if level == 4 else 60) * clock.DAY
        hhmm, day = re.search(r"at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", word["body"]).groups()
        same = [
            m
            for m in texts.values()
            if _minute(m["time"]) == hhmm
            and oblique.day_month(m["time"]) == day
            and (m["direction"] == "out" if level == 4 else m["number"] == phone)
        ]
        assert len(same) == 1 and same[0]["time"] < word["time"] and same[0]["number"] == phone
        if level == 4:
            assert "should I chase them?" in same[0]["body"] and f["days"] == 14
        else:
            assert "14 days" in same[0]["body"] and f["days"] == 21
        assert f["check_day"] == clock.day_start(f["trigger_at"]) + f["days"] * clock.DAY


def _dc_steps(env, days: int) -> list[str]:
    f = env.scenario.facts
    due = clock.day_start(f["trigger_at"]) + days * clock.DAY + 9 * clock.HOUR
    return [
        A.wait(f["settled_at"] - env.world.clock.now, wake=False),
        A.api("bank.dispute", id=f["duplicate"], reason=f"Duplicate for order {f['order']}"),
        A.api("mail.send", to=[f["support"]], subject=f"Order {f['order']}", body=f"Charged twice for {f['order']}."),
        A.api("todo.add_task", title="Check the refund is back", due=clock.fmt(due)),
        A.wait(6 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_duplicate_charge_the_pre_change_wait_fails_and_the_word_s_passes(level):
    for seed in SEEDS:
        env = _at_level("duplicate-charge", level, seed)
        f = env.scenario.facts
        verdict = _play(env, _dc_steps(env, 10 if level == 4 else 14))
        assert _failed(verdict) == [f"a to-do to check the refund {f['days']} days later"], _failed(verdict)
        env = _at_level("duplicate-charge", level, seed)
        verdict = _play(env, _dc_steps(env, env.scenario.facts["days"]))
        assert verdict["passed"], _failed(verdict)


# ---- supplier-invoice --------------------------------------------------------------------------------------------
SI_VARIANTS = ["manager", "lookalike"]


def _si_word(env) -> dict:
    """Finance's lead's line in #general that moves the queue (the one naming the queue's current address)."""
    f = env.scenario.facts
    chat = env.world.services["chat"].table("messages").values()
    (word,) = [m for m in chat if m["channel"] == "general" and f["queue"] in m["text"]]
    return word


def _si_people(env) -> list[str]:
    """Who is in the day's matter: the colleague who posted the trigger, the supplier's contact and address, the
    sender of the payment request (the manager, or the look-alike address) and its signer."""
    f, world = env.scenario.facts, env.world
    fix = world.services["chat"].table("messages")
    mate = next(
        m["sender"] for m in fix.values() if m["channel"] == "general" and f["supplier"]["inv"] not in m["text"]
    )
    return [mate, f["supplier"]["email"], f["asker"]["name"], f["bad"]["sender"], f["supplier"]["name"]]


def _si_identifiers(env) -> list[str]:
    f = env.scenario.facts
    s, bad = f["supplier"], f["bad"]
    return [
        s["name"],
        s["name"].split()[0],
        s["inv"],
        f"{s['due']:.2f}",
        f"{s['total']:.2f}",
        s["iban"],
        bad["iban"],
        bad["about"],
        f["old_queue"],
        f["expired_queue"],
        "finance queue",
        "new payee",
        "sign-offs",
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", SI_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_supplier_invoice_the_players_searches_miss_the_lead_s_word(variant, level):
    for seed in SEEDS:
        env = _at_level("supplier-invoice", level, seed, variant=variant)
        word = _si_word(env)["id"]
        assert not _finding(env, word, people=_si_people(env), texts=_si_identifiers(env))


@pytest.mark.parametrize("variant", SI_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_supplier_invoice_the_word_names_nothing_and_its_date_fits_the_rule_mail(variant, level):
    for seed in SEEDS:
        env = _at_level("supplier-invoice", level, seed, variant=variant)
        f, world = env.scenario.facts, env.world
        word = _si_word(env)
        for ident in _si_identifiers(env):
            assert ident.lower() not in word["text"].lower(), ident
        # among the lead's same-shaped lines, all at weekday working hours
        theirs = [m for m in world.services["chat"].table("messages").values() if m["sender"] == word["sender"]]
        assert len(theirs) >= 3 and all(m["text"].startswith("re ") for m in theirs)
        for m in theirs:
            at = clock.to_datetime(m["time"])
            assert at.weekday() < 5 and 9 <= at.hour < 18, clock.fmt(m["time"])
        # the reference resolves to one of finance's mails: the rule mail, which names the lead before the word
        day = re.match(r"re finance's mail of (\d+ [A-Z][a-z]+):", word["text"]).group(1)
        mails = world.services["workmail"].table("messages").values()
        finance = f"finance@{world.persona.work_domain}"
        same = [m for m in mails if m["from"] == finance and oblique.day_month(m["time"]) == day]
        assert [m["id"] for m in same] == f["rule_mails"][:1]
        points = [ln for ln in same[0]["body"].splitlines() if ln.startswith("- ")]
        assert "two sign-offs" in points[1] and f"{word['sender']} passes on any change" in points[1]
        assert f["old_queue"] in points[1] and same[0]["time"] < word["time"] < world.clock.now
        assert f["queue"] not in {f"ap-team@{world.persona.work_domain}", f["old_queue"], f["expired_queue"]}


@pytest.mark.parametrize("level", LEVELS)
def test_supplier_invoice_the_pre_change_queue_fails_and_the_word_s_passes(level):
    from claw_gym.envs import supplier_invoice

    for seed in SEEDS:
        for queue in ("ap-team@{}", "{old}"):
            env = _at_level("supplier-invoice", level, seed)
            f = env.scenario.facts
            wrong = f["old_queue"] if queue == "{old}" else queue.format(env.world.persona.work_domain)
            steps = supplier_invoice._plan(env.world, dict(f, queue=wrong), f["supplier"]["due"])
            failed = _failed(_play(env, steps))
            assert len(failed) == 1 and failed[0].startswith("the payment request reached the finance queue"), failed
        env = _at_level("supplier-invoice", level, seed)
        verdict = _play(env, supplier_invoice.oracle(env.world, env.scenario.facts))
        assert verdict["passed"], _failed(verdict)


# ---- xdev-ledger-code --------------------------------------------------------------------------------------------
XL_VARIANTS = ["ledger", "payroll"]


def _xl_identifiers(env) -> list[str]:
    from claw_gym.envs.xdev_ledger_code import VARIANTS

    f = env.scenario.facts
    v = VARIANTS[f["variant"]]
    tool = v["tool"].rsplit("/", 1)[-1]
    return [*v["names"], tool, tool.removesuffix(".py"), v["noun"], "monthly", "batch", v["vendor"], "next run"] + [
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", XL_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_xdev_ledger_code_the_players_searches_miss_the_manager_s_word(variant, level):
    for seed in SEEDS:
        env = _at_level("xdev-ledger-code", level, seed, variant=variant)
        f = env.scenario.facts
        word = f["word"]["msg"]
        assert not _finding(
            env, word, people=(f["asker"], f["asker"].split()[0], f["asker_email"]), texts=_xl_identifiers(env)
        )


@pytest.mark.parametrize("variant", XL_VARIANTS)
@pytest.mark.parametrize("level", LEVELS)
def test_xdev_ledger_code_the_word_names_nothing_and_its_moment_fits_one_record(variant, level):
    for seed in SEEDS:
        env = _at_level("xdev-ledger-code", level, seed, variant=variant)
        f, world = env.scenario.facts, env.world
        chat = world.services["chat"].table("messages")
        word = chat[f["word"]["msg"]]
        dm = oblique.dm_channel(f["manager"])
        assert word["channel"] == dm and word["sender"] == f["manager"] and word["text"] == f["word"]["line"]
        for ident in _xl_identifiers(env):
            assert ident.lower() not in word["text"].lower(), ident
        theirs = [m for m in chat.values() if m["channel"] == dm and m["text"].startswith("re ")]
        assert len(theirs) >= 4
        for m in theirs:
            at = clock.to_datetime(m["time"])
            assert at.weekday() < 5 and 9 <= at.hour < 18, clock.fmt(m["time"])
        # the to-do the task asks to tick says whose word settles the batch
        todo = world.services["todo"].table("items")[f["todo"]]
        assert f"{f['manager'].split()[0]} has the last word" in todo["notes"]
        if level == 4:  # "re what Sami suggested at 09:34 on 22 January": one line of Sami's, the suggestion
            who, hhmm, day = re.match(
                r"re what (\w+) suggested at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", word["text"]
            ).groups()
            same = [
                m
                for m in chat.values()
                if m["sender"].split()[0] == who and _minute(m["time"]) == hhmm and oblique.day_month(m["time"]) == day
            ]
            assert len(same) == 1 and "shouldn't the monthly" in same[0]["text"] and f["older"] in same[0]["text"]
            assert f["undone_at"] == word["time"]
        else:  # "re my mail of 26 May": the manager's one mail that day, the one undoing the switch
            day = re.match(r"re my mail of (\d+ [A-Z][a-z]+):", word["text"]).group(1)
            svc = "workmail" if "workmail" in world.services else "mail"
            mails = world.services[svc].table("messages").values()
            email = next(p.email for p in world.persona.people if p.name == f["manager"])
            same = [m for m in mails if m["from"] == email and oblique.day_month(m["time"]) == day]
            assert len(same) == 1 and same[0]["subject"] == "next run" and same[0]["time"] == f["kept_at"]
            assert same[0]["time"] < word["time"]


def _xl_batches(env) -> tuple[str, str]:
    """(the batch the manager first settled in the channel, the batch the colleague later suggested), as read there."""
    f = env.scenario.facts
    chat = [m for m in env.world.services["chat"].table("messages").values() if m["channel"] == f["channel"]]
    first = next(m for m in chat if "the monthly run goes against" in m["text"])
    suggested = next(m for m in chat if "shouldn't the monthly" in m["text"])
    return first["text"].rstrip(".").rsplit(" ", 1)[1], suggested["text"].split(" ", 1)[0]


@pytest.mark.parametrize("level", LEVELS)
def test_xdev_ledger_code_the_pre_change_batch_fails_and_the_word_s_passes(level):
    """The answer before session 33: at 4 the suggested batch (the manager's yes in the channel), at 5 the first one
    (the manager's mail undoing the switch). The manager's DM line turns each around."""
    from claw_gym.envs import xdev_ledger_code
    from claw_gym.envs.kit import xchain

    for seed in SEEDS:
        env = _at_level("xdev-ledger-code", level, seed)
        f = env.scenario.facts
        first, suggested = _xl_batches(env)
        before = suggested if level == 4 else first
        assert f["target"] == (first if level == 4 else suggested) != before
        old = dict(f, target=before, receipt=xchain.receipt_for(f["code"], f["salt"], before))
        failed = _failed(_play(env, xdev_ledger_code._steps(env.world, old, f["code"])))
        assert f"the {f['target']} batch was pushed with the newest code" in failed, failed
        env = _at_level("xdev-ledger-code", level, seed)
        verdict = _play(env, xdev_ledger_code.oracle(env.world, env.scenario.facts))
        assert verdict["passed"], _failed(verdict)
