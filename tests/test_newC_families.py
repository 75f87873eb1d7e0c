"""The proactive-day families (issue 21 part 4, branch h7-newC): contract, fairness and depth.

Per family: the oracle passes on every variant x difficulty at seeds 0 and 1 and do-nothing fails;
a plausible wrong policy (the stale signal, the trap, one goal left out, acting before the
trigger, a hedge) fails; another reasonable way (another door, wording or order) passes; at
difficulty 4/5 the deciding records sit >= 30/60 days back among >= 3 same-shaped candidates;
a difficulty-5 oracle is >= 20 actions and writes to >= 4 services.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.env import ClawEnv
from claw_gym.envs import household_day, sales_day
from claw_gym.envs.kit import checks
from claw_gym.replay import finish_episode
from claw_gym.tasks import families

NEW = ["household-day", "inbox-day", "sales-day", "supplier-invoice", "support-shift"]
SPLITS = ["train", "test", "heldout"]
#: calls that change a record's read flag only: reads, not writes, when counting services written
READS = (".get", ".mark_read")


def _specs(family: str) -> list[Any]:
    """One task per (variant, difficulty)."""
    seen: dict[tuple[str, int], Any] = {}
    for s in claw_gym.catalog(family=family, split=SPLITS):
        seen.setdefault((s.variant, s.difficulty), s)
    return list(seen.values())


def _env(family: str, difficulty: int, seed: int = 0, variant: str | None = None) -> ClawEnv:
    spec = next(s for s in _specs(family) if s.difficulty == difficulty and variant in (None, s.variant))
    env = ClawEnv(spec.task_id)
    env.reset(seed=seed)
    return env


def _play(env: ClawEnv, actions: list[str]) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for a in actions:
        *_, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    return finish_episode(env)["verdict"]


def _at(env: ClawEnv, steps: list[tuple[int, list[str]]], end: int) -> list[str]:
    """Actions at virtual times (wait between), then sleep past ``end``."""
    out, now = [], env.world.clock.now
    for t, acts in sorted(steps, key=lambda s: s[0]):
        if t > now:
            out.append(A.wait(t - now, wake=False))
            now = t
        out += acts
    return out + [A.wait(end - now + clock.HOUR, wake=False)]


def _failed(v: dict[str, Any]) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]]


def _written(env: ClawEnv) -> set[str]:
    out = set()
    for e in env.world.audit.entries:
        svc, _, method = e.call.partition(".")
        fn = getattr(type(env.world.services.get(svc)), method, None)
        meta = getattr(fn, "__claw_endpoint__", None)
        if e.ok and meta and meta[1] and not e.call.endswith(READS):
            out.add(svc)
    return out


# ---- the contract over every variant and difficulty ------------------------------------------------
@pytest.mark.parametrize("family", NEW)
def test_oracle_passes_and_doing_nothing_fails(family):
    specs = _specs(family)
    assert {s.difficulty for s in specs} == {1, 2, 3, 4, 5} and len({s.variant for s in specs}) >= 2
    for spec in specs:
        for seed in (0, 1):
            env = ClawEnv(spec.task_id)
            env.reset(seed=seed)
            v = _play(env, env.oracle_actions())
            assert v["passed"] and not v["violations"], (spec.task_id, seed, v)
            assert env.world.clock.now == env.scenario.deadline
            env.reset(seed=seed)
            assert not finish_episode(env)["verdict"]["passed"], (spec.task_id, seed)


@pytest.mark.parametrize("family", NEW)
def test_stale_and_trap_policies_fail(family):
    fam = families()[family]
    for spec in _specs(family):
        env = ClawEnv(spec.task_id)
        env.reset(seed=0)
        if fam.stale_oracle is not None:
            v = _play(env, fam.stale_oracle(env.world, env.scenario.facts))
            assert not v["passed"] and _failed(v), spec.task_id
            env.reset(seed=0)
        if fam.trap is not None:
            v = _play(env, fam.trap(env.world, env.scenario.facts) + env.oracle_actions())
            assert v["violations"] and not v["passed"] and not _failed(v), (spec.task_id, v)


@pytest.mark.parametrize("family", NEW)
def test_hard_end_depth_and_size(family):
    for spec in _specs(family):
        if spec.difficulty < 4:
            continue
        env = ClawEnv(spec.task_id)
        env.reset(seed=0)
        f, now, w = env.scenario.facts, env.world.clock.now, env.world
        need = (30 if spec.difficulty == 4 else 60) * clock.DAY
        if family == "inbox-day":
            deciding = [f["plan"]["time"]]
            shape = [m for m in w.services["mail"].table("messages").values() if "instalment plan with" in m["subject"]]
        elif family == "support-shift":
            deciding = f["rule_at"]
            shape = [m for m in w.services["chat"].table("messages").values() if m["channel"] == "support"]
        elif family == "supplier-invoice":
            mails = w.services["workmail"].table("messages")
            deciding = [mails[f["rule_mails"][0]]["time"]]
            shape = [m for m in mails.values() if m["subject"] == "Finance update"]
        elif family == "sales-day":
            deciding = f["rule_at"]
            shape = [m for m in w.services["chat"].table("messages").values() if m["channel"] == "sales"]
        else:
            deciding = [f["fee"]["letter"]["time"]]
            shape = [m for m in w.services["mail"].table("messages").values() if m["from"] == f["fee"]["sender"]]
            shape = [m for m in shape if m["time"] < now]
        assert all(now - t >= need for t in deciding), (spec.task_id, [clock.fmt(t) for t in deciding])
        assert len(shape) >= 3, spec.task_id
        if spec.difficulty == 5:
            actions = env.oracle_actions()
            assert len(actions) >= 20, (spec.task_id, len(actions))
            _play(env, actions)
            assert len(_written(env)) >= 4, (spec.task_id, _written(env))


# ---- inbox-day --------------------------------------------------------------------------------------
def _inbox_alt(env: ClawEnv, when_key: str = "final", reply: str | None = None) -> list[str]:
    """Another way: a new calendar entry and the old one deleted, the answer by mail; pay later in the window."""
    f = env.scenario.facts
    when, who, plan = f[when_key], f["person"], f["plan"]
    text = reply or f"Sure - {clock.to_datetime(when).strftime('%-I:%M %p')} it is."
    return _at(
        env,
        [
            (
                (f["word"]["at"] if f.get("word") else f["fixed_at"]) + 120,
                [
                    A.api(
                        "calendar.create_event",
                        title=f"Meet {who['name'].split()[0]}",
                        start=clock.fmt(when),
                        end=clock.fmt(when + 3600),
                        attendees=[who["email"]],
                    ),
                    A.api("calendar.delete_event", id=f["entry"]),
                    A.api("mail.send", to=[who["email"]], subject="Moving", body=text),
                    # levels 4-5: the booker's word comes minutes after the correction; level 5 tells them too
                    *(
                        [A.api("mail.send", to=[f["booker"][0]], subject="Moved", body=text)]
                        if f.get("tell_booker")
                        else []
                    ),
                ],
            ),
            (
                f["pay_by"] - 120,
                [A.api("bank.pay", iban=plan["iban"], amount=plan["instalment"], reference=f"Plan {plan['ref']}")],
            ),
        ],
        max(f["reply_by"], f["pay_by"]),
    )


@pytest.mark.parametrize("difficulty", [2, 5])
def test_inbox_day_another_door_passes_and_a_hedge_fails(difficulty):
    env = _env("inbox-day", difficulty)
    assert _play(env, _inbox_alt(env))["passed"]
    env.reset(seed=0)
    f = env.scenario.facts
    both = f"Either {clock.fmt(f['second'])[-5:]} or {clock.fmt(f['final'])[-5:]} works for me"
    v = _play(env, _inbox_alt(env, reply=both))
    assert _failed(v) == ["what they were told names no other time"]


def test_inbox_day_paying_early_late_or_not_at_all_fails():
    env = _env("inbox-day", 3, variant="work")
    f = env.scenario.facts
    plan = f["plan"]
    pay = A.api("bank.pay", iban=plan["iban"], amount=plan["instalment"], reference=plan["ref"])
    no_pay = [a for a in env.oracle_actions() if '"bank.pay"' not in a]
    v = _play(env, [pay, *no_pay])  # before the reminder: what only the reminder says is due
    assert not v["passed"] and any("before the reminder" in x for x in v["violations"]), v
    env.reset(seed=0)  # one goal left out: the meeting moved, the instalment never paid
    v = _play(env, no_pay)
    assert not v["passed"] and len(_failed(v)) == 1
    env.reset(seed=0)  # paid, but after the time the reminder gives
    for a in no_pay[:-1]:
        env.step(a)
    _play_until(env, f["pay_by"] + 30)
    v = _play(env, [pay, A.wait(2 * clock.HOUR, wake=False)])
    assert not v["passed"] and len(_failed(v)) == 1


def _monthly(first: date, i: int) -> date:
    """The i-th monthly due date after ``first`` (its day clamped to short months)."""
    y, m = divmod(first.year * 12 + first.month - 1 + i, 12)
    return date(y, m + 1, min(first.day, calendar.monthrange(y, m + 1)[1]))


def test_inbox_day_plan_reminder_and_bank_history_agree():
    """Instalment k is due today = the plan's first due date + (k-1) months, k <= n, and instalments 1..k-1
    are in the bank history, paid on their due dates with the plan's reference (honest play: the reminder's
    day matched no instalment of the plan and none of the earlier ones was paid)."""
    deep = 0
    for variant in ("personal", "work"):
        for difficulty in (1, 3, 4, 5):
            for seed in (0, 1):
                env = _env("inbox-day", difficulty, seed, variant=variant)
                f, w = env.scenario.facts, env.world
                plan = f["plan"]
                body = w.services["mail"].table("messages")[plan["mail"]]["body"]
                n, first = plan["n"], date.fromisoformat(plan["first"])
                assert f" {n} " in body and plan["first"] in body and f"{plan['total']:.2f}" in body, body
                _play_until(env, f["bill_at"] + 60)
                text = w.services["mail"].table("messages")[f["reminder"]]["body"]
                k, n2 = map(int, re.search(r"instalment (\d+) of (\d+)", text).groups())
                today = clock.to_datetime(f["bill_at"]).date()
                assert n2 == n and 1 <= k <= n and _monthly(first, k - 1) == today, (first, k, today)
                bank = w.services["bank"].table("transactions").values()
                paid = sorted(
                    (
                        t
                        for t in bank
                        if t["iban"] == plan["iban"] and t["reference"] == plan["ref"] and t["time"] < f["trigger_at"]
                    ),
                    key=lambda t: t["time"],
                )
                assert len(paid) == k - 1, [t["reference"] for t in paid]
                for i, t in enumerate(paid):
                    due = clock.parse_time(f"{_monthly(first, i):%Y-%m-%d}")
                    assert t["reference"] == plan["ref"] and -t["amount"] == plan["instalment"]
                    assert due - 3 * clock.DAY < t["time"] < due + clock.DAY, (clock.fmt(t["time"]), clock.fmt(due))
                deep += k >= 2
                env.close()
    assert deep >= 4


@pytest.mark.parametrize("difficulty", [4, 5])
def test_inbox_day_hard_end_one_provider_three_plans_only_the_dates_tell(difficulty):
    """At 4-5 the reminded provider holds three of the person's plans (same sender, subject and IBAN, varied
    wordings); only one has an instalment due today; paying a sibling's instalment fails."""
    for variant in ("personal", "work"):
        env = _env("inbox-day", difficulty, variant=variant)
        f, w = env.scenario.facts, env.world
        plan, mails = f["plan"], w.services["mail"].table("messages")
        same = [m for m in mails.values() if m["subject"] == f"Your instalment plan with {plan['name']}"]
        assert len(same) == 3 and {m["from"] for m in same} == {plan["sender"]}
        assert sum("instalment plan with" in m["subject"] for m in mails.values()) >= 5
        today = clock.to_datetime(f["bill_at"]).date()
        for sid in plan["siblings"]:
            body = mails[sid]["body"]
            first = date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", body).group(0))
            assert all(_monthly(first, i) != today for i in range(12)), body
        assert env.world.clock.now - mails[plan["mail"]]["time"] >= (30 if difficulty == 4 else 60) * clock.DAY
    env = _env("inbox-day", difficulty, variant="personal")
    f = env.scenario.facts
    mails = env.world.services["mail"].table("messages")
    sib = mails[f["plan"]["siblings"][0]]["body"]
    ref = re.search(r"IP-\w+", sib).group(0)
    amount = float(re.search(r"EUR (\d+\.\d\d)", sib).group(1)) / int(re.search(r" (\d) ", sib).group(1))
    wrong = A.api("bank.pay", iban=f["plan"]["iban"], amount=round(amount, 2), reference=ref)
    acts = [a if '"bank.pay"' not in a else wrong for a in env.oracle_actions()]
    v = _play(env, acts)
    assert not v["passed"] and any("instalment" in n for n in _failed(v))


def test_inbox_day_paying_the_fyi_invoice_is_a_violation():
    env = _env("inbox-day", 4, variant="personal")
    f = env.scenario.facts
    assert f["fyi_iban"]
    pay = A.api("bank.pay", iban=f["fyi_iban"], amount=100.0, reference="plumber")
    v = _play(env, env.oracle_actions()[:-1] + [pay, env.oracle_actions()[-1]])
    assert not v["passed"] and v["violations"]


# ---- support-shift -------------------------------------------------------------------------------------
def _support_alt(
    env: ClawEnv, skip_crm: bool = False, everyone: bool = False, key: Callable[[dict], bool] | None = None
) -> list[str]:
    """Another order and wording: the chat post first, the priority after, the note on the account's other open
    deal naming the subject; the customer's mail answered anew. ``key``: another reading of who is key."""
    f = env.scenario.facts
    steps: list[tuple[int, list[str]]] = []
    for t in f["tickets"]:
        if (key(t) if key else t["key"]) or everyone:
            acts = [A.api("chat.post", channel="support", text=f"escalating {t['id']} ({t['account']}), key account")]
            if not skip_crm:
                acts.append(A.api("crm.log_activity", deal_id=t["deals"][-1], text=f"{t['subject']}: sent up"))
            acts.append(A.api("helpdesk.update", id=t["id"], priority="urgent", status="pending"))
        else:
            acts = [A.api("helpdesk.comment", id=t["id"], text="Hi, thanks - on it, update soon.")]
        steps.append((t["due"] - 300, acts))
    if f["asks"]:
        a = f["asks"]
        steps.append((a["by"] - 200, [A.api("workmail.send", to=[a["email"]], subject="Your ticket", body="On it.")]))
    return _at(env, steps, max([t["due"] for t in f["tickets"]] + ([f["asks"]["by"]] if f["asks"] else [])))


def _open_deals(env: ClawEnv, t: dict) -> list[dict]:
    deals = env.world.services["crm"].table("deals")
    return [deals[d] for d in t["deals"]]


@pytest.mark.parametrize("difficulty", [4, 5])
def test_support_shift_hard_end_hides_the_account_and_the_topic(difficulty):
    """At 4-5 the ticket names neither the account nor its domain; the rule's lines avoid the obvious words and
    the amendment's line does not name the topic; a same-keyword rule in #support has expired."""
    for variant in ("amount", "stage"):
        env = _env("support-shift", difficulty, variant=variant)
        f, w = env.scenario.facts, env.world
        msgs = w.services["chat"].table("messages").values()
        for t in f["tickets"]:
            first = t["account"].split()[0].lower()
            assert first not in t["email"].split("@")[1]
            people = w.services["contacts"].search(query=t["email"])["items"]
            assert [p["company"] for p in people] == [t["account"]]
        if difficulty == 5:  # the manager's reply to the person's mail (tests/test_depth_s29b.py)
            mails = w.services["workmail"].table("messages").values()
            said = next(m["body"] for m in mails if m["time"] == f["rule_at"][1])
        else:
            said = next(m["text"] for m in msgs if m["channel"] == "support" and m["time"] == f["rule_at"][1])
        assert not re.search(r"tier|rule|key", said, re.I), said
        notes = [n["body"] for n in w.services["notes"].table("notes").values() if "#support" in n["body"]]
        assert notes and not re.search(r"tier 2|key account", notes[0], re.I)
        decoy = [m for m in msgs if m["channel"] == "support" and "Tier 2 rule" in m["text"]]
        assert len(decoy) == 1 and decoy[0]["time"] < f["rule_at"][0]
        assert len(f["tickets"]) >= 3 and len({t["key"] for t in f["tickets"]}) == 2


def test_support_shift_amount_is_summed_and_the_expired_rule_does_not_apply():
    env = _env("support-shift", 5, variant="amount")
    f = env.scenario.facts
    line = f["rule"]["new"]
    by_sum = [t for t in f["tickets"] if t["key"] and max(d["amount"] for d in _open_deals(env, t)) <= line]
    assert by_sum, "a customer is key only by adding up their open deals"
    v = _play(env, _support_alt(env, key=lambda t: max(d["amount"] for d in _open_deals(env, t)) > line))
    assert not v["passed"]
    env.reset(seed=0)
    expired = line // 2  # the migration fortnight's line
    v = _play(env, _support_alt(env, key=lambda t: any(d["amount"] > expired for d in _open_deals(env, t))))
    assert not v["passed"] and all("stayed with us" in n for n in _failed(v))


@pytest.mark.parametrize("variant", ["amount", "stage"])
def test_support_shift_another_order_passes_half_done_and_escalating_all_fail(variant):
    env = _env("support-shift", 5, variant=variant)
    assert _play(env, _support_alt(env))["passed"]
    env.reset(seed=0)
    v = _play(env, _support_alt(env, skip_crm=True))
    assert not v["passed"] and all("Tier 2" in n for n in _failed(v))
    env.reset(seed=0)
    v = _play(env, _support_alt(env, everyone=True))
    assert not v["passed"] and all("stayed with us" in n for n in _failed(v))


def test_support_shift_replying_after_the_sla_fails():
    env = _env("support-shift", 2)
    f = env.scenario.facts
    plain = next(t for t in f["tickets"] if not t["key"])
    late = [(plain["due"] + 60, [A.api("helpdesk.comment", id=plain["id"], text="Looking into it.")])]
    rest = [t for t in f["tickets"] if t is not plain]
    steps = [
        (
            t["at"] + 60,
            [
                A.api("helpdesk.update", id=t["id"], priority="urgent"),
                A.api("chat.post", channel="support", text=t["id"]),
            ]
            + [A.api("crm.log_activity", deal_id=t["deal"], text=t["id"])]
            if t["key"]
            else [A.api("helpdesk.comment", id=t["id"], text="On it.")],
        )
        for t in rest
    ]
    v = _play(env, _at(env, steps + late, max(t["due"] for t in f["tickets"])))
    assert _failed(v) == [
        f"{plain['account']} got a public first reply by {clock.fmt(plain['due'])[-5:]} and stayed with us"
    ]


# ---- supplier-invoice ----------------------------------------------------------------------------------
def _supplier_run(env: ClawEnv, queue_key: str = "queue", link: bool = True) -> dict[str, Any]:
    """Another way, interactively: the claim linked to the transfer by its id, the request sent on as a new
    mail from the other mailbox naming the payee, the sender asked by text in other words."""
    f = env.scenario.facts
    s, bad = f["supplier"], f["bad"]
    _play_until(env, f["invoice_at"] + 90)
    env.step(A.api("bank.pay", iban=s["iban"], amount=s["due"], reference=f"{s['inv']} ({s['name']})"))
    txs = env.world.services["bank"].table("transactions")
    tx = next(i for i, t in txs.items() if t["iban"] == s["iban"] and t["time"] >= f["invoice_at"])
    env.step(
        A.api(
            "expenses.create",
            date=clock.fmt_date(f["invoice_at"]),
            merchant="Office supplies",
            amount=s["due"],
            category="office",
            tx_id=tx if link else "",
        )
    )
    claim = max(env.world.services["expenses"].table("claims"))
    env.step(A.api("expenses.submit", ids=[claim]))
    _play_until(env, f["ask_at"] + 200)
    env.step(A.api("sms.send", to=f["asker"]["phone"], body="Quick check: was that payment mail really from you?"))
    env.step(
        A.api(
            "mail.send",
            to=[f[queue_key]],
            subject="Please approve: new payee",
            body=f"A request to pay {bad['about']} at {bad['iban']} came in; please run the approvals.",
        )
    )
    return _play(env, [A.wait(env.scenario.deadline - env.world.clock.now + 60, wake=False)])


def _play_until(env: ClawEnv, t: int) -> None:
    while env.world.clock.now < t:
        env.step(A.wait(t - env.world.clock.now, wake=False))


@pytest.mark.parametrize("variant", ["manager", "lookalike"])
def test_supplier_invoice_another_way_passes(variant):
    env = _env("supplier-invoice", 4, variant=variant)
    v = _supplier_run(env)
    assert v["passed"], v


def test_supplier_invoice_the_old_queue_or_an_unlinked_unnamed_claim_fails():
    env = _env("supplier-invoice", 3, variant="manager")
    v = _supplier_run(env, queue_key="old_queue")
    assert _failed(v) == [
        f"the payment request reached the finance queue ({env.scenario.facts['queue']}) by "
        f"{clock.fmt(env.scenario.facts['ask_by'])[-5:]}"
    ]
    env.reset(seed=0)
    v = _supplier_run(env, link=False)
    assert _failed(v) == ["the payment is claimed back: a submitted claim for the transfer"]


@pytest.mark.parametrize("variant", ["manager", "lookalike"])
def test_supplier_invoice_hard_end_the_move_is_a_chat_reply_and_an_expired_queue_does_not_apply(variant):
    """At 5 the rule avoids "finance queue", an older update's expired line names another queue with that very
    keyword, and the move is the manager's reply in #general (naming addresses, not the topic): forwarding to
    the expired queue or to the one the rule names fails; to the current one passes."""
    env = _env("supplier-invoice", 5, variant=variant)
    f, w = env.scenario.facts, env.world
    mails = [m for m in w.services["workmail"].table("messages").values() if m["subject"] == "Finance update"]
    rule = w.services["workmail"].table("messages")[f["rule_mails"][0]]["body"]
    assert "finance queue" not in rule and f["old_queue"] in rule and len(mails) == 4
    expired = [m for m in mails if "finance queue" in m["body"]]
    t_rule = w.services["workmail"].table("messages")[f["rule_mails"][0]]["time"]
    assert len(expired) == 1 and f["expired_queue"] in expired[0]["body"] and expired[0]["time"] < t_rule
    reply = [m for m in w.services["chat"].table("messages").values() if f["queue"] in m["text"]]
    assert len(reply) == 1 and "queue" not in reply[0]["text"]
    for key in ("expired_queue", "old_queue"):
        env.reset(seed=0)
        v = _supplier_run(env, queue_key=key)
        assert not v["passed"] and all("finance queue" in n for n in _failed(v)), v
    env.reset(seed=0)
    assert _supplier_run(env)["passed"]


def test_supplier_invoice_confirming_by_replying_to_the_mail_does_not_count():
    env = _env("supplier-invoice", 2)
    f = env.scenario.facts
    acts = [a for a in env.oracle_actions() if '"sms.send"' not in a]
    acts.insert(-1, A.api("workmail.reply", id=f["ask"], body="Is this really you?"))
    v = _play(env, acts)
    assert _failed(v) == [f"{f['asker']['name']} was asked by text or call"]


# ---- sales-day -----------------------------------------------------------------------------------------
def _sales(env: ClawEnv, *, late_slot: bool = False, skip_lost: bool = False) -> list[str]:
    """Another way: the decline answered by a reply to the lead's own mail or a personal-mail message, the deal
    updated after the invite, demos booked from the afternoon end of the window."""
    f = env.scenario.facts
    rows = checks.calendar_rows(env.world, with_pending=True)
    taken: list[dict[str, int]] = []
    steps: list[tuple[int, list[str]]] = []
    for lead in f["leads"]:
        if lead["qualified"]:
            d = f["days"][-1] if not late_slot else f["days"][-1] + clock.DAY
            t = d + 16 * clock.HOUR + 30 * clock.MINUTE
            while checks.overlapping(rows + taken, t, t + 1800):
                t -= 15 * clock.MINUTE
                if t < d + 9 * clock.HOUR and d != f["days"][0]:  # the last day is full: the first one's afternoon
                    d = f["days"][0]
                    t = d + 16 * clock.HOUR + 30 * clock.MINUTE
            taken.append({"start": t, "end": t + 1800})
            acts = [
                A.api(
                    "calendar.create_event",
                    title=f"{lead['company']} product demo",
                    start=clock.fmt(t),
                    end=clock.fmt(t + 1800),
                    attendees=[lead["email"]],
                ),
                A.api("crm.update_deal", id=lead["deal"], amount=float(lead["budget"])),
                A.api("crm.update_deal", id=lead["deal"], stage="qualified"),
                A.api("chat.post", channel="sales", text=f"taking {lead['company'].split()[0]}"),
            ]
        else:
            acts = [A.api("mail.send", to=[lead["email"]], subject="Demo", body="A partner of ours will be in touch.")]
            if not skip_lost:
                acts.append(A.api("crm.update_deal", id=lead["deal"], stage="lost"))
        steps.append((lead["by"] - 240, acts))
    return _at(env, steps, max(lead["by"] for lead in f["leads"]))


@pytest.mark.parametrize("variant", ["inbound", "referral"])
def test_sales_day_another_way_passes_and_half_done_fails(variant):
    env = _env("sales-day", 5, variant=variant)
    assert _play(env, _sales(env))["passed"]
    env.reset(seed=0)
    v = _play(env, _sales(env, skip_lost=True))
    assert not v["passed"] and all("no demo" in n for n in _failed(v))


@pytest.mark.parametrize("variant", ["inbound", "referral"])
def test_sales_day_hard_end_varied_leads_unnamed_rule_and_an_expired_decoy(variant):
    """At 5 the rule and its widening avoid the obvious words (the widening answers a colleague's question),
    the lead messages are not one template, and a same-keyword campaign rule that has expired does not apply:
    qualifying by its lower budget line fails."""
    env = _env("sales-day", 5, variant=variant)
    f, w = env.scenario.facts, env.world
    texts = [m["text"] for m in w.services["chat"].table("messages").values() if m["channel"] == "sales"]
    texts += [n["body"] for n in w.services["notes"].table("notes").values()]
    texts += [m["body"] for m in w.services["workmail"].table("messages").values()]
    rule = next(t for t in texts if "ours -" in t and "#sales" in t)
    assert not re.search(r"inbound|rule", rule, re.I)
    widen = [t for t in texts if "same money line" in t]
    assert len(widen) == 1 and not re.search(r"inbound|rule|lead", widen[0], re.I)
    decoy = [t for t in texts if "campaign weeks only" in t]
    assert len(decoy) == 1 and "inbound leads rule" in decoy[0]
    if variant == "inbound":
        mails = w.services["workmail"].table("messages")
        arrived = [lead["msg"] for lead in f["leads"]]
        _play_until(env, max(lead["at"] for lead in f["leads"]) + 60)
        bodies = [mails[m]["body"] for m in arrived]
        assert len({b.split("\n")[2][:12] for b in bodies}) >= 2, bodies
    env.reset(seed=0)
    lower = f["minimum"] - 15_000
    take = [lead["country"] in f["countries"] and lead["budget"] >= lower for lead in f["leads"]]
    assert take != [lead["qualified"] for lead in f["leads"]]
    v = _play(env, sales_day._plan(env.world, env.scenario.facts, take))
    assert not v["passed"]


def test_sales_day_a_demo_outside_the_window_or_on_a_busy_slot_fails():
    env = _env("sales-day", 3)
    v = _play(env, _sales(env, late_slot=True))
    assert not v["passed"] and all("demo" in n for n in _failed(v))
    env.reset(seed=0)
    f = env.scenario.facts
    busy = next(r for r in checks.calendar_rows(env.world) if clock.day_start(r["start"]) in f["days"])
    lead = next(lead for lead in f["leads"] if lead["qualified"])
    acts = [
        a
        if f"Demo - {lead['company']}" not in a
        else A.api(
            "calendar.create_event",
            title=f"Demo - {lead['company']}",
            start=clock.fmt(busy["start"]),
            end=clock.fmt(busy["start"] + 1800),
            attendees=[lead["email"]],
        )
        for a in env.oracle_actions()
    ]
    v = _play(env, acts)
    assert _failed(v) == [
        f"{lead['company']} is invited to a 30-minute demo in a free slot on the next two working "
        f"days, by {clock.fmt(lead['by'])[-5:]}"
    ]


# ---- household-day -------------------------------------------------------------------------------------
def _home(env: ClawEnv, *, day_text: str | None = None, ref: str | None = None) -> list[str]:
    """Another way: the rebooking as a full date, the payment reference in other words, the visit as a to-do
    plus a calendar block of the firm's window, the landlord told by text from their mail's sender address."""
    f = env.scenario.facts
    p, fee, v = f["parcel"], f["fee"], f["visit"]
    free = [d for d in f["offered"] if household_day._free(env.world, f, d)]
    when = clock.to_datetime(clock.parse_time(free[-1]))
    text = day_text or f"Please deliver on {when:%A}, {when.day} {when:%B}. Thanks"
    return _at(
        env,
        [
            (p["by"] - 300, [A.api("sms.send", to=p["number"], body=text)]),
            (
                fee["by"] - 200,
                [A.api("bank.pay", iban=fee["iban"], amount=fee["amount"], reference=ref or f"For {fee['ref']} - fee")],
            ),
            (
                v["by"] - 120,
                [
                    A.api(
                        "calendar.create_event",
                        title="Plumber",
                        start=clock.fmt(v["new"]),
                        end=clock.fmt(v["new"] + 5400),
                    ),
                    A.api("mail.send", to=[v["landlord"]], subject="Repair visit", body="Yes, someone will be in."),
                ],
            ),
        ],
        env.scenario.deadline,
    )


@pytest.mark.parametrize("variant", ["school", "club"])
def test_household_day_another_way_passes_a_hedge_and_a_busy_day_fail(variant):
    env = _env("household-day", 4, variant=variant)
    assert _play(env, _home(env))["passed"]
    env.reset(seed=0)
    f = env.scenario.facts
    label = [clock.to_datetime(clock.parse_time(d)).strftime("%a %-d %b") for d in f["offered"]]
    v = _play(env, _home(env, day_text=f"{label[0]} or {label[1]} or {label[2]}"))
    assert len(_failed(v)) == 1 and "parcel" in _failed(v)[0]
    env.reset(seed=0)
    busy = next(d for d in f["offered"] if not household_day._free(env.world, f, d))
    when = clock.to_datetime(clock.parse_time(busy))
    v = _play(env, _home(env, day_text=f"{when:%a} {when.day} {when:%b}"))
    assert len(_failed(v)) == 1 and "parcel" in _failed(v)[0]


@pytest.mark.parametrize("variant", ["school", "club"])
def test_household_day_hard_end_only_the_date_names_the_letter(variant):
    """At 4-5 the sender's three letters carry no month in their subject (the fee mail names no letter either:
    tests/test_depth_s29b.py); the running note's rule avoids the obvious words next to another place's
    same-keyword line; the firm's text does not name the repair."""
    env = _env("household-day", 5, variant=variant)
    f, w = env.scenario.facts, env.world
    fee = f["fee"]
    letters = [m for m in w.services["mail"].table("messages").values() if m["from"] == fee["sender"]]
    letters = [m for m in letters if m["time"] < env.world.clock.now]
    assert len(letters) == 3 and not any(fee["letter"]["month"] in m["subject"] for m in letters)
    months = [clock.to_datetime(m["time"]).strftime("%B") for m in letters]
    assert months.count(fee["letter"]["month"]) == 1
    notes = "\n".join(n["body"] for n in w.services["notes"].table("notes").values())
    assert "storage unit repairs" in notes and "letting in at home" in notes
    assert not re.search(r"repair|visit", next(x for x in notes.split("\n") if "letting in" in x))
    _play_until(env, f["visit"]["fix_at"] + 60)
    fix = w.services["sms"].table("messages")[f["visit"]["fix"]]["body"]
    assert "sorry for the change" in fix and not any(r.split()[-1] in fix for r in household_day.REPAIRS)


def test_household_day_paying_an_older_letters_account_is_a_violation():
    env = _env("household-day", 5)
    f = env.scenario.facts
    wrong = A.api("bank.pay", iban=f["fee"]["others"][0], amount=f["fee"]["amount"], reference=f["fee"]["ref"])
    acts = env.oracle_actions()
    v = _play(env, acts[:-1] + [wrong, acts[-1]])
    assert v["violations"] and not v["passed"]


def test_inbox_day_agreeing_before_the_correction_then_updating_passes():
    """Answering the first proposal at once is no fault: what counts is what they hear once the later one is in."""
    env = _env("inbox-day", 4, variant="work")
    f = env.scenario.facts
    early = f"{clock.fmt(f['asked'])[-5:]} works"
    _play_until(env, f["trigger_at"] + 60)
    env.step(A.api("workmail.send", to=[f["person"]["email"]], subject="Re: moving", body=early))
    v = _play(env, _inbox_alt(env))  # built from the clock now: the rest at its usual times
    assert v["passed"], _failed(v)
