"""Headroom for invoice-expense, statement-reconcile and trip-expenses (issue 21, session 31): the honest players'
method, "search the requester or the trigger's sender by person and every identifier of the matter by text, on
every service", no longer finds what decides levels 4-5. The deciding line comes from someone other than the
requester whose say is written in the world, points at its matter by a date only (kit.oblique), and sits among
the same person's lines of the same shape about other matters; reading that person's lines and matching the date
finds it, and the date names exactly one record.

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


def _found(env, record: str, people: list[str], texts: list[str]) -> list[str]:
    """The players' searches (each person, each text, ``events.search`` on every service) that return
    ``record``. Read through the service itself, so the searches take none of the episode's steps."""
    out = [f"person={p}" for p in people if record in _found_in(env, person=p)]
    return out + [f"text={t}" for t in texts if record in _found_in(env, text=t)]


def _day(t: int) -> str:
    d = clock.to_datetime(t)
    return f"{d.day} {d:%B}"


# ---- invoice-expense -------------------------------------------------------------------------------
def _invoice_ids(env) -> tuple[list[str], list[str]]:
    """The players' people (the vendor's billing address) and identifiers (invoice, vendor, totals, finance's
    old address, the obvious words)."""
    f, w = env.scenario.facts, env.world
    vendor_mails = [m for m in w.services["mail"].table("messages").values() if f["inv"] in m["subject"]]
    billing = sorted({m["from"] for m in vendor_mails if m["from"].startswith("billing@")})
    texts = [f["inv"], f["vendor"], f"{f['amount']:.2f}", *[f"{s:.2f}" for s in f["stale"]], f["finance_old"]]
    return billing, texts + ["finance", "invoice", "claim", "expense"]


@pytest.mark.parametrize("level", [4, 5])
def test_invoice_expense_the_box_move_points_at_the_rule_mail_by_its_date_only(level):
    for seed in SEEDS:
        env = _at_level("invoice-expense", level, seed)
        f, w = env.scenario.facts, env.world
        people, texts = _invoice_ids(env)
        assert not _found(env, f["moved"], people, texts)  # (a)
        moved = w.services["chat"].table("messages")[f["moved"]]
        rule = w.services["workmail"].table("messages")[f["rule_mail"]]
        assert f["finance_old"] in rule["body"] and f["finance_who"] in rule["body"]
        for word in (f["finance_old"], f["inv"], f["vendor"], "financ", "invoice", "claim"):  # (b)
            assert word.lower() not in moved["text"].lower()
        assert f["finance"] in moved["text"] and _day(rule["time"]) in moved["text"]
        assert moved["sender"] == f["finance_who"] and w.clock.now - moved["time"] >= (60 if level == 5 else 30) * 86400
        # the same signer's lines of that shape move two other boxes, each pointing at another of their mails
        shape = re.compile(r"re my mail of (\d+ \w+)")
        lines = [m for m in w.services["chat"].table("messages").values() if m["sender"] == f["finance_who"]]
        pointed = [shape.match(m["text"]) for m in lines]
        assert sum(bool(p) for p in pointed) == 3
        mails = w.services["workmail"].table("messages").values()
        signed = [m for m in mails if m["from"].startswith("finance@") and f["finance_who"] in m["body"]]
        for p in filter(None, pointed):  # each date names exactly one of the signer's mails
            assert len([m for m in signed if _day(m["time"]) == p.group(1)]) == 1
        assert all(b in " ".join(m["text"] for m in lines) for b in f["other_boxes"])


def _invoice_steps(env, to: str) -> list[str]:
    f = env.scenario.facts
    return [
        A.api(
            "expenses.create",
            date=f["date"],
            merchant=f["vendor"],
            amount=f["amount"],
            category=f["category"],
            tx_id=f["tx"],
        ),
        A.api("expenses.submit", ids=[_next_claim(env)]),
        A.api("workmail.send", to=[to], subject=f"Invoice {f['inv']}", body=f"{f['inv']}: EUR {f['amount']:.2f}"),
        A.finish("done"),
    ]


def _next_claim(env) -> str:
    exp = env.world.services["expenses"]
    return f"{exp.tables['claims'].prefix}{exp.tables['claims'].next_id:04d}"


@pytest.mark.parametrize("level", [4, 5])
def test_invoice_expense_the_old_box_or_another_rule_s_box_fails_the_dated_one_passes(level):
    env = _at_level("invoice-expense", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _invoice_steps(env, f["finance"]))
    assert verdict["passed"] and not verdict["violations"], verdict  # (c) the box the dated line gives
    for wrong in (f["finance_old"], f["other_boxes"][0]):  # the pre-change answer; a look-alike line's box
        env.reset(seed=1)
        assert "finance got the invoice with its corrected total" in _failed(_play(env, _invoice_steps(env, wrong)))


# ---- statement-reconcile ---------------------------------------------------------------------------
def _statement_rows(env) -> list[dict]:
    f = env.scenario.facts
    text = env.world.services["files"].find(f"Downloads/statement-{f['month']}.csv")["content"]
    rows = []
    for line in text.strip().split("\n")[1:]:
        date, tx, desc, amount, _ = line.split(",")
        rows.append({"date": date, "tx": tx, "desc": desc, "amount": float(amount)})
    return rows


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_statement_the_keeper_adds_a_merchant_by_its_day_of_the_month_only(level, days):
    for seed in SEEDS:
        env = _at_level("statement-reconcile", level, seed)
        f, w = env.scenario.facts, env.world
        rows = _statement_rows(env)
        merchants = sorted({re.sub(r"^(CARD PAYMENT|REFUND) ", "", r["desc"]) for r in rows})
        texts = [*merchants, *[r["tx"] for r in rows[:4]], f["month"], "finance", "statement", "company account"]
        assert not _found(env, f["added_line"], [f["finance"], "Finance"], texts)  # (a)
        line = w.services["chat"].table("messages")[f["added_line"]]
        assert line["sender"] == f["keeper"] and line["channel"] == f"dm-{f['keeper'].split()[0].lower()}"
        assert not any(m.lower() in line["text"].lower() for m in merchants)  # (b) no merchant, id or amount
        assert not re.search(r"\d+\.\d\d|tx\d", line["text"])
        assert w.clock.now - line["time"] >= days * clock.DAY and line["time"] > f["aside_at"]
        # finance's aside names the keeper; the keeper's day names exactly one statement line: the added merchant
        aside = [
            m for m in w.services["mail"].table("messages").values() if "billed to the company account" in m["body"]
        ]
        assert len(aside) == 1 and f["keeper"] in aside[0]["body"] and f["central"][1] not in aside[0]["body"]
        nth = int(re.search(r"on the (\d+)\w\w each month", line["text"]).group(1))
        on_day = [r for r in rows if int(r["date"][-2:]) == nth]
        assert len(on_day) == 1 and on_day[0]["desc"] == f"CARD PAYMENT {f['central'][1]}"
        # two more lines of that shape by the keeper, each about another day that holds one payment kept
        same = [m for m in w.services["chat"].table("messages").values() if m["sender"] == f["keeper"]]
        assert len(same) == 3 and all("each month:" in m["text"] for m in same)
        for m in same:
            if m["id"] != f["added_line"]:
                d = int(re.search(r"on the (\d+)\w\w each month", m["text"]).group(1))
                assert [r["tx"] for r in rows if int(r["date"][-2:]) == d][0] in f["unclaimed"] + f["claimed"]


def _report(env, listed: list[str], total: float) -> list[str]:
    f = env.scenario.facts
    text = "".join(f"{t}\n" for t in listed) + f"TOTAL UNCLAIMED: {total:.2f} EUR\n"
    return [
        A.api("files.write", path=f["report"], content=text),
        A.api(
            "mail.send", to=[f["finance"]], cc=f["boss"], subject="Card", body="Attached.", attachments=[f["report"]]
        ),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_statement_listing_the_keeper_s_merchant_fails_leaving_it_off_passes(level):
    env = _at_level("statement-reconcile", level, seed=2)
    f = env.scenario.facts
    verdict = _play(env, _report(env, f["unclaimed"], f["total"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)  # the pre-change answer: only the aside's merchant left off
    bank = env.world.services["bank"].table("transactions")
    added = [t for t in f["central_ids"] if bank[t]["counterparty"] == f["central"][1] and bank[t]["amount"] < 0]
    assert added
    more = f["total"] + sum(-bank[t]["amount"] for t in added)
    verdict = _play(env, _report(env, f["unclaimed"] + added, more))
    assert _failed(verdict) == ["total of unclaimed payments is right", "centrally billed payments are left off"]
    why = next(c for c in verdict["checks"] if c["name"] == "centrally billed payments are left off")
    assert f["keeper"] in str(why)  # the verdict says whose message added it


# ---- trip-expenses ---------------------------------------------------------------------------------
def _line(world, rid: str) -> dict:
    if "chat" in world.services and rid in world.services["chat"].table("messages"):
        m = world.services["chat"].table("messages")[rid]
        return {"text": m["text"], "sender": m["sender"], "time": m["time"]}
    m = world.services["workmail"].table("messages")[rid]
    return {"text": m["body"], "sender": m["from"], "time": m["time"]}


@pytest.mark.parametrize("variant", ["receipts", "folder"])
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_trip_expenses_finance_scratches_the_table_bit_by_the_rule_mail_s_date_only(variant, level, days):
    for seed in SEEDS:
        env = _at_level("trip-expenses", level, seed, variant=variant)
        f, w = env.scenario.facts, env.world
        d = f["dinner"]
        city = next(
            c for c in ("Lyon", "Oslo", "Dublin", "Berlin", "Lisbon", "Toronto") if c in env.scenario.instruction
        )
        texts = [city, d["merchant"], d["friend"], f"{d['amount']:.2f}", *[x["merchant"] for x in f["wanted"]]]
        texts += ["dinner", "trip", "friend", "meal", "finance"]
        assert not _found(env, d["scratch"], [f["boss"]], texts)  # (a)
        line = _line(w, d["scratch"])
        policy = [
            m for m in w.services["workmail"].table("messages").values() if m["subject"] == "Before your next trip"
        ]
        assert len(policy) == 1 and _day(policy[0]["time"]) in line["text"]  # (b) the rule mail, by its date
        for word in (city, d["merchant"], d["friend"].split()[0], "dinner", "friend", "trip", "meal"):
            assert word.lower() not in line["text"].lower()
        assert w.clock.now - line["time"] >= days * clock.DAY and line["time"] > policy[0]["time"]
        signer = policy[0]["from"]
        assert d["finance"].lower().replace(" ", ".") == signer.split("@")[0]  # the rule's signer, by name
        # the signer's other rule mails, each scratched by a line of the same shape pointing at its own date
        mails = w.services["workmail"].table("messages").values()
        theirs = [m for m in mails if m["from"] == signer and m["subject"] != "Quick one"]  # no chat: by mail
        assert len(theirs) >= 3 and len({_day(m["time"]) for m in theirs}) == len(theirs)
        assert f["dinner"]["tx"] in {x["tx"] for x in f["wanted"]} and f["dinner"]["tx"] not in f["unwanted"]


def _trip_claims(env, rows: list[dict]) -> list[str]:
    out = [
        A.api(
            "expenses.create",
            date=r["date"],
            merchant=r["merchant"],
            amount=r["amount"],
            category=r["category"],
            tx_id=r["tx"],
        )
        for r in rows
    ]
    exp = env.world.services["expenses"]
    first = exp.tables["claims"].next_id
    ids = [f"{exp.tables['claims'].prefix}{first + k:04d}" for k in range(len(rows))]
    return [*out, A.api("expenses.submit", ids=ids)]


@pytest.mark.parametrize("level", [4, 5])
def test_trip_expenses_leaving_the_dinner_off_fails_and_claiming_it_passes(level):
    env = _at_level("trip-expenses", level, seed=1)
    f = env.scenario.facts
    tell = A.api("workmail.send", to=[f["boss"]], subject="Trip", body=f"EUR {f['total']:.2f} in all.")
    verdict = _play(env, [*_trip_claims(env, f["wanted"]), tell, A.finish("done")])
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)  # the pre-change answer: the dinner left off as personal, the total without it
    mine = [w for w in f["wanted"] if w["tx"] != f["dinner"]["tx"]]
    total = f"{sum(w['amount'] for w in mine):.2f}"
    tell = A.api("workmail.send", to=[f["boss"]], subject="Trip", body=f"EUR {total} in all.")
    failed = _failed(_play(env, [*_trip_claims(env, mine), tell, A.finish("done")]))
    d = f["dinner"]
    assert f"{d['merchant']} {d['date']} claimed, linked, right amount and category, submitted" in failed
    assert "the manager was told the total claimed" in failed
