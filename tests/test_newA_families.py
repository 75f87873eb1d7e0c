"""The compositional-request families (issue 21 part 4): trip-prep, month-close, new-hire-setup,
customer-escalation and supplier-bank-change.

Per family: the oracle passes on every variant x difficulty at seeds 0 and 1; doing nothing fails;
a plausible wrong policy (stale signal, half done: one goal missing, the trap) fails; a reasonable
alternative (another door, wording or order) passes; at difficulty 4/5 the deciding records sit
>= 30/60 days back among >= 3 same-shaped candidates; the difficulty-5 oracle is >= 20 actions and
writes to >= 4 services.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.env import ClawEnv
from claw_gym.envs.customer_escalation import old_list_oracle
from claw_gym.envs.kit import notation
from claw_gym.tasks import families

NEW = ["trip-prep", "month-close", "new-hire-setup", "customer-escalation", "supplier-bank-change"]
Plan = Callable[[Any, dict[str, Any]], list[str]]


def _env(family: str, variant: str | None = None, difficulty: int = 5, seed: int = 0):
    specs = [
        s
        for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"])
        if s.difficulty == difficulty and (variant is None or s.variant == variant)
    ]
    env = ClawEnv(specs[seed % len(specs)].task_id)
    env.reset(seed=seed)
    return env


def _play(env, plan: list[str]) -> dict:
    info: dict = {}
    for a in plan:
        *_, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    while env.scenario.deadline is not None:  # proactive: judged at the deadline
        *_, terminated, truncated, info = env.step(A.wait(3600))
        if terminated or truncated:
            return info["verdict"]
    *_, info = env.step(A.finish("done"))
    return info["verdict"]


def _run(family: str, plan: Plan, **kw: Any) -> dict:
    env = _env(family, **kw)
    try:
        return _play(env, plan(env.world, env.scenario.facts))
    finally:
        env.close()


def _failed(v: dict) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]] + v["violations"]


def _cases() -> list[tuple[str, str, int, int]]:
    return [
        (name, variant, d, seed)
        for name in NEW
        for variant in families()[name].variants
        for d in range(1, 6)
        for seed in (0, 1)
    ]


@pytest.mark.parametrize(("family", "variant", "difficulty", "seed"), _cases())
def test_oracle_passes_and_doing_nothing_fails(family, variant, difficulty, seed):
    env = _env(family, variant, difficulty, seed)
    try:
        v = _play(env, env.oracle_actions())
        assert v["passed"], _failed(v)
        assert all(c["because"].strip() and c["detail"].strip() for c in v["checks"])
        env.reset(seed=seed)
        v = _play(env, [])
        assert not v["passed"] and len(_failed(v)) >= 2, v["checks"]
    finally:
        env.close()


def _state(env) -> dict[str, str]:
    return {
        name: json.dumps({t: dict(svc.table(t)) for t in svc.tables}, sort_keys=True, default=str)
        for name, svc in env.world.services.items()
    }


def _writes(env, actions: list[str]) -> set[str]:
    """Services whose records the actions changed (timeline arrivals aside: reactive tasks have none)."""
    before = _state(env)
    for a in actions:
        env.step(a)
    after = _state(env)
    return {n for n in after if after[n] != before.get(n)}


@pytest.mark.parametrize("family", NEW)
def test_difficulty_five_oracle_is_long_and_writes_four_services(family):
    for variant in families()[family].variants:
        env = _env(family, variant, 5)
        try:
            actions = env.oracle_actions()
            assert len(actions) >= 20, (variant, len(actions))
            written = _writes(env, actions)
            assert len(written) >= 4, (variant, written)
        finally:
            env.close()


def _drop(plan: Plan, word: str) -> Plan:
    """The oracle with every action naming ``word`` left out: one goal not done."""
    return lambda w, f: [a for a in plan(w, f) if word not in json.loads(a).get("call", "")]


def _oracle(family: str) -> Plan:
    return families()[family].oracle


# ---- trip-prep ------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["apartment", "colleague"])
def test_trip_prep_stale_and_half_done_fail(variant):
    fam = families()["trip-prep"]
    assert fam.stale_oracle is not None
    v = _run("trip-prep", fam.stale_oracle, variant=variant, difficulty=4)
    assert {
        "the outbound flight is in the calendar at its departure",
        "a check-in reminder when online check-in opens",
    } <= set(_failed(v))
    for word in ("expenses.create", "todo.add_task"):
        v = _run("trip-prep", _drop(fam.oracle, word), variant=variant, difficulty=3)
        assert not v["passed"], word


def test_trip_prep_alternative_doors_and_wording_pass():
    """Check-in as a phone-free calendar entry, the host told by text with the landing time too, the
    claim unlinked with the amount as written, in another order."""

    def plan(w, f):
        host, out, t = f["host"], f["out"], f["transfer"]
        return [
            A.api(
                "expenses.create",
                date=t["day"],
                merchant="Taxi/train to the flat",
                amount=t["amount"],
                category="travel",
            ),
            A.api(
                "sms.send",
                to=host["phone"],
                body=f"We land at {notation.hhmm(out['land'])}, so with you by {notation.hhmm(f['arrive'])}",
            ),
            A.api(
                "calendar.create_event",
                title="check in online!",
                start=clock.fmt(f["checkin"]),
                end=clock.fmt(f["checkin"] + 900),
            ),
            A.api(
                "calendar.create_event",
                title="Home",
                start=clock.fmt(f["ret"]["depart"]),
                end=clock.fmt(f["ret"]["land"]),
            ),
            A.api("calendar.create_event", title="Fly out", start=clock.fmt(out["depart"]), end=clock.fmt(out["land"])),
            # level 5 since session 32: the travel desk asked to hear back; by mail here
            *(
                [A.api("mail.send", to=[f["desk_email"]], subject="Flights", body="Both are in my calendar.")]
                if f.get("tell")
                else []
            ),
        ]

    for variant in ("apartment", "colleague"):
        v = _run("trip-prep", plan, variant=variant, difficulty=5, seed=1)
        assert v["passed"], _failed(v)


def test_trip_prep_hedged_arrival_fails():
    def plan(w, f):
        host = f["host"]
        both = f"{notation.hhmm(f['stale_arrive'])} or {notation.hhmm(f['arrive'])}"
        return [a for a in _oracle("trip-prep")(w, f) if "send" not in a] + [
            A.api("sms.send", to=host["phone"], body=f"I'll be at yours at {both}")
        ]

    v = _run("trip-prep", plan, variant="apartment", difficulty=4)
    assert [n for n in _failed(v) if n.endswith("was told the arrival time")] and len(_failed(v)) == 1, _failed(v)


def test_trip_prep_depth():
    for d, days in ((4, 30), (5, 60)):
        for variant in ("apartment", "colleague"):
            env = _env("trip-prep", variant, d)
            try:
                f, mail = env.scenario.facts, env.world.services["mail"].table("messages")
                booking = mail[f["mails"][0]]
                assert env.world.clock.now - booking["time"] >= days * clock.DAY
                same = [
                    m
                    for m in mail.values()
                    if m["subject"].startswith("Booking confirmed -") and m["from"] == booking["from"]
                ]
                assert len(same) >= 3
            finally:
                env.close()


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
def test_trip_prep_transfer_booking_predates_the_move_and_follows_the_old_landing(variant):
    """The transfer was booked before the airline's text: it names the landing known then (honest play:
    the CityCab mail already gave the pick-up at the new landing time)."""
    for d in (1, 3, 5):
        for seed in (0, 1):
            env = _env("trip-prep", variant, d, seed)
            try:
                f, w = env.scenario.facts, env.world
                tx = w.services["bank"].table("transactions")[f["transfer"]["tx"]]
                mail = [w.services["mail"].table("messages")[f["transfer"]["mail"]]]
                # the confirmation and its charge come together, in either order (people's records land at any
                # second of a minute), and both before the airline's text
                assert mail[0]["subject"] == f"Your {f['merchant']} booking"
                assert abs(mail[0]["time"] - tx["time"]) <= 5 * clock.MINUTE
                moved = [
                    m["time"]
                    for m in w.services["sms"].table("messages").values()
                    if m["id"] == f["moved_sms"] and f["out"]["no"] in m["body"]
                ]
                assert len(mail) == 1 and len(moved) == 1
                assert max(mail[0]["time"], tx["time"]) < moved[0]
                if variant == "colleague":
                    assert f"around {notation.hhmm(f['stale_out']['land'])}" in mail[0]["body"]
                    assert notation.hhmm(f["out"]["land"]) not in mail[0]["body"]
            finally:
                env.close()


@pytest.mark.parametrize("variant", ["apartment", "colleague"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_trip_prep_the_hosts_later_text_decides_the_arrival(variant, difficulty):
    """From difficulty 4 the host's later text (another channel, no trip or time named) lengthens the way in:
    the arrival by the minutes first written fails."""
    env = _env("trip-prep", variant, difficulty)
    try:
        f, w = env.scenario.facts, env.world
        host = f["host"]
        assert f["said_minutes"] < host["minutes"]
        texts = [m["body"] for m in w.services["sms"].table("messages").values() if m["number"] == host["phone"]]
        assert len(texts) == 1 and not re.search(r"trip|flight|arriv|land", texts[0].lower()), texts
    finally:
        env.close()

    def plan(w, f):
        said = f["out"]["land"] + f["said_minutes"] * clock.MINUTE
        host = f["host"]
        return [
            a
            for a in _oracle("trip-prep")(w, f)[:-1]
            if "sms.send" not in a
            and "mail.send" not in a
            and ("chat.post" not in a or (f["desk_channel"] or "\0") in a)  # the travel desk told (5, session 32)
        ] + [A.api("sms.send", to=host["phone"], body=f"I'll be at yours around {notation.hhmm(said)}")]

    v = _run("trip-prep", plan, variant=variant, difficulty=difficulty)
    assert _failed(v) == [f"{f['host']['name']} was told the arrival time"], _failed(v)


# ---- month-close ----------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["freelance", "employee"])
def test_month_close_stale_limit_and_half_done_fail(variant):
    fam = families()["month-close"]
    v = _run("month-close", fam.stale_oracle, variant=variant, difficulty=3)
    failed = _failed(v)
    assert any("over the limit" in n for n in failed) and any("total" in n for n in failed), failed
    for word in ("todo.add_task", "files.write", "expenses.create"):
        v = _run("month-close", _drop(fam.oracle, word), variant=variant, difficulty=2)
        assert not v["passed"], word


def test_month_close_alternative_doors_pass():
    """Claims unlinked and in another order, to-dos spelling the merchant without its hyphen, the total in
    the channel naming them or by mail, in another notation, and a summary in other words."""

    def plan(w, f):
        items = f["receipts"] + f["claim"]
        total = f"{sum(x['amount'] for x in items):,.2f}".replace(",", " ").replace(".", ",") + " €"
        who, first = f["who"], f["who"]["name"].split()[0]
        tell = (
            A.api("chat.post", channel=who["channel"], text=f"{first}: my {f['month']} claims come to {total}")
            if who["channel"]
            else A.api("mail.send", to=[who["email"]], subject="Month end", body=f"All in: {total}")
        )
        return [
            tell,
            *[
                A.api("todo.add_task", title=f"receipt {r['merchant'].replace('-', '')}", list_name="admin")
                for r in f["chase"]
            ],
            *[
                A.api(
                    "expenses.create",
                    date=x["date"],
                    merchant=x["merchant"].upper(),
                    amount=x["amount"],
                    category="other",
                )
                for x in reversed(items)
            ],
            A.api("files.write", path=f["summary"], content=f"Claimed: {total}\nChasing: {len(f['chase'])}\n"),
        ]

    for variant in ("freelance", "employee"):
        v = _run("month-close", plan, variant=variant, difficulty=4, seed=1)
        assert v["passed"], _failed(v)


def test_month_close_claiming_everything_fails():
    """Claiming every charge in sight (the other months' receipts, the charges over the limit) fails."""

    def plan(w, f):
        extra = [
            A.api("expenses.create", date=x["date"], merchant=x["merchant"], amount=x["amount"], category="other")
            for x in f["chase"] + f["others"][-2:]
        ]
        return _oracle("month-close")(w, f)[:-1] + extra

    v = _run("month-close", plan, variant="freelance", difficulty=3)
    assert "nothing from another month is claimed" in _failed(v), _failed(v)


def test_month_close_depth():
    for d, days in ((4, 30), (5, 60)):
        for variant in ("freelance", "employee"):
            env = _env("month-close", variant, d)
            try:
                f, files = env.scenario.facts, env.world.services["files"]
                for r in f["receipts"]:
                    assert env.world.clock.now - clock.parse_time(r["date"]) >= days * clock.DAY
                receipts = [p for p in files.table("files").values() if p["path"].startswith("Documents/Receipts/")]
                assert len(receipts) >= 3 * len(f["receipts"]) - 2 and len(f["receipts"]) >= 3
            finally:
                env.close()


@pytest.mark.parametrize("variant", ["freelance", "employee"])
def test_month_close_statement_lists_every_charge_of_the_month(variant):
    """The bank's statement CSV for a month lists every charge bank.transactions shows for it, the
    receipts' and the subscriptions' included, and its mail counts them (honest play: they were missing)."""
    for d in (1, 4):
        env = _env("month-close", variant, d)
        try:
            f, w = env.scenario.facts, env.world
            files = w.services["files"]
            stated = 0
            for month in sorted({f["month"]} | {o["date"][:7] for o in f["others"]}):
                rec = files.find(f"Documents/statements/statement-{month}.csv")
                if rec is None:
                    continue
                stated += 1
                rows = rec["content"].splitlines()[2:]
                for tx in w.services["bank"].table("transactions").values():
                    if clock.fmt(tx["time"]).startswith(month + "-"):
                        assert f"{clock.fmt(tx['time'])},{tx['counterparty']},{tx['reference']},{tx['amount']:.2f}" in (
                            rows
                        ), tx
                note = [m for m in w.services["mail"].table("messages").values() if rec["path"] in m["attachments"]]
                assert len(note) == 1 and f"({len(rows)} transactions)" in note[0]["body"]
            assert stated >= 1
        finally:
            env.close()


@pytest.mark.parametrize("variant", ["freelance", "employee"])
def test_month_close_rule_has_no_obvious_keyword_and_decoys_do(variant):
    """At difficulty 5 the limit (as written and as amended) is worded without "receipt", "expense" or
    "claim"; the same-keyword lines are another matter (last year's tax return, the flat, the offsite)."""
    env = _env("month-close", variant, 5)
    try:
        f, w = env.scenario.facts, env.world
        texts = [n["body"] for n in w.services["notes"].table("notes").values()]
        texts += [m["body"] for svc in ("mail", "workmail") for m in w.services[svc].table("messages").values()]
        texts += [m["text"] for m in w.services["chat"].table("messages").values()]
        texts += [r["content"] for r in w.services["files"].table("files").values() if "handbook" in r["path"]]
        lines = [x for t in texts for x in t.split("\n") if "paper slip" in x or "the slip" in x]
        assert len(lines) >= 2 and not [x for x in lines if re.search(r"receipt|expense|claim", x.lower())], lines
        assert any(f"{f['limit_a']:.0f} EUR" in x for x in lines) and any(f"{f['limit0']:.0f} EUR" in x for x in lines)
        # since session 32 the amendment's author sets the figure later, by the amendment's date only
        assert [t for t in texts if f"make the figure in it {f['limit']:.0f}" in t.lower()]
        decoys = [x for t in texts for x in t.split("\n") if "receipt" in x.lower() and "slip" not in x]
        assert [x for x in decoys if re.search(r"offsite|flat repairs|last year", x)], decoys
    finally:
        env.close()


# ---- new-hire-setup -------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["report", "buddy"])
def test_new_hire_stale_number_and_half_done_fail(variant):
    fam = families()["new-hire-setup"]
    v = _run("new-hire-setup", fam.stale_oracle, variant=variant, difficulty=4)
    assert _failed(v) == [v["checks"][0]["name"]], _failed(v)
    for word in ("helpdesk.comment", "chat.post", "files.write", "calendar.create_event"):
        v = _run("new-hire-setup", _drop(fam.oracle, word), variant=variant, difficulty=2)
        assert not v["passed"], word


def test_new_hire_alternative_ways_pass():
    """The work address, invites in another order, the welcome in #standup by first name, the checklist
    written by hand with the date in words."""

    def plan(w, f):
        hire = f["hire"]
        first = hire["name"].split()[0]
        day = clock.to_datetime(f["start"])
        return [
            A.api("chat.post", channel="standup", text=f"Say hi to {first}! Joins us on {day:%A}."),
            *[
                A.api(
                    "calendar.create_event",
                    title="1:1",
                    start=clock.fmt(s),
                    end=clock.fmt(s + 2700),
                    attendees=[f["work_email"], hire["email"]],
                )
                for s in reversed(f["slots"])
            ],
            A.api("contacts.create", name=hire["name"], email=f["work_email"], phone=f["new_phone"].replace(" ", "")),
            A.api("helpdesk.comment", id=f["ticket"], text=f"{first} would like a {hire['laptop']}.", public=False),
            A.api(
                "files.write",
                path=f"Documents/Onboarding/{first}.txt",
                content=f"{hire['name']} - starts {day.day} {day:%B %Y}\n[ ] badge\n[ ] laptop\n",
            ),
            # level 5 (session 32): the rule asks to tell the manager once they're booked; a text does it
            *([A.api("sms.send", to=f["tell"]["phone"], body=f"{first}: booked.")] if f["tell"]["phone"] else []),
        ]

    for variant in ("report", "buddy"):
        v = _run("new-hire-setup", plan, variant=variant, difficulty=5, seed=1)
        assert v["passed"], _failed(v)


def test_new_hire_wrong_candidate_fails():
    """Setting up the candidate who started months ago (same role, same thread shape) fails."""

    def plan(w, f):
        other = next(o for o in f["others"] if o["start"])
        wrong = {**f, "hire": other, "new_phone": other["phone"], "ticket": f["tickets"][1]}
        return _oracle("new-hire-setup")(w, wrong)

    v = _run("new-hire-setup", plan, variant="report", difficulty=4)
    assert len(_failed(v)) >= 4, _failed(v)


@pytest.mark.parametrize("variant", ["report", "buddy"])
def test_new_hire_twin_and_old_slot_fail(variant):
    """From difficulty 4 a second hire for the same role starts the other Monday (an open ticket of the same
    shape, another laptop): setting them up fails; booking the slot the deep rule gave, not the one the
    manager's later text moved it to, fails; the "1:1" line in the notes is the person's own meeting."""
    env = _env("new-hire-setup", variant, 5)
    try:
        f, w = env.scenario.facts, env.world
        tickets = w.services["helpdesk"].table("tickets")
        live = [t for t in tickets.values() if t["subject"].startswith("New starter:") and t["status"] == "open"]
        assert len(live) >= 3 and f["twin"] and f["moved"]
        rule = [n["body"] for n in w.services["notes"].table("notes").values() if "1:1" in n["body"]]
        assert rule and all("every week" not in b.split("1:1")[1].split("\n")[0] for b in rule), rule
        # since session 32 the manager's word moving the slot is a line in their DM, naming no topic word
        moved = [w.services["chat"].table("messages")[f["word"]]["text"]]
        assert "half hour each week" in moved[0] and not re.search(r"catch|\b1:1\b|buddy", moved[0].lower()), moved
    finally:
        env.close()

    def twin(w, f):
        t = next(t for t in f["untouched"] if f["twin"] in w.services["helpdesk"].table("tickets")[t]["body"])
        return [a for a in _oracle("new-hire-setup")(w, f)[:-1] if "helpdesk.comment" not in a] + [
            A.api("helpdesk.comment", id=t, text="Laptop: " + f["hire"]["laptop"])
        ]

    v = _run("new-hire-setup", twin, variant=variant, difficulty=5)
    assert {
        "IT's onboarding ticket for the hire names the laptop they asked for",
        "other starters' tickets are left alone",
    } <= set(_failed(v)), _failed(v)

    def old_slot(w, f):
        wd = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"].index(f["rule"][0])
        shift = [(s - (clock.weekday(s) - wd) * clock.DAY) for s in f["slots"]]  # any other day than the rule's
        body = [a for a in _oracle("new-hire-setup")(w, f)[:-1] if "calendar.create_event" not in a]
        return body + [
            A.api(
                "calendar.create_event",
                title="Catch-up",
                start=clock.fmt(s + clock.DAY),
                end=clock.fmt(s + clock.DAY + 1800),
                attendees=[f["hire"]["email"]],
            )
            for s in shift
        ]

    v = _run("new-hire-setup", old_slot, variant=variant, difficulty=4)
    assert "the first four weekly catch-ups are booked with the hire invited" in _failed(v), _failed(v)


def test_new_hire_depth():
    for d, days in ((4, 30), (5, 60)):
        for variant in ("report", "buddy"):
            env = _env("new-hire-setup", variant, d)
            try:
                f, wm = env.scenario.facts, env.world.services["workmail"].table("messages")
                reply = wm[f["hire"]["reply"]]
                assert env.world.clock.now - reply["time"] >= days * clock.DAY
                same = [m for m in wm.values() if m["subject"] == reply["subject"]]
                assert len(same) >= 3
            finally:
                env.close()


@pytest.mark.parametrize("variant", ["report", "buddy"])
def test_new_hire_start_day_is_named_with_its_date(variant):
    """The instruction and the hire's text name the start with its day of the month, never a bare weekday
    (honest play: "starts Monday" read as the coming Monday while the start was the Monday after)."""
    bare = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday)\b(?! the \d{1,2}(st|nd|rd|th)\b)")
    for d in (1, 3, 5):
        for seed in (0, 1):
            env = _env("new-hire-setup", variant, d, seed)
            try:
                f, w = env.scenario.facts, env.world
                day = clock.to_datetime(f["start"])
                texts = [env.scenario.instruction] + [
                    m["body"] for m in w.services["sms"].table("messages").values() if m["number"] == f["new_phone"]
                ]
                for k, text in enumerate(texts):  # the text names the day below difficulty 4 (then a twin shares it)
                    if k == 0 or d < 4:
                        assert f"{day:%A} the {day.day}" in text, text
                    assert not bare.search(text), text
            finally:
                env.close()


# ---- customer-escalation --------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["contract", "handover"])
def test_escalation_loud_colleague_and_half_done_fail(variant):
    fam = families()["customer-escalation"]
    v = _run("customer-escalation", fam.stale_oracle, variant=variant, difficulty=4)
    assert _failed(v) == ["the account's other tickets keep their place in the queue"], _failed(v)
    for word in ("crm.log_activity", "calendar.create_event", "workmail.reply", "helpdesk.update"):
        v = _run("customer-escalation", _drop(fam.oracle, word), variant=variant, difficulty=2)
        assert not v["passed"], word


def test_escalation_taken_back_window_fails():
    """Booking the call in the window the contact's text took back fails (difficulty >= 3)."""

    def plan(w, f):
        a = f["gone"][0] + 3600
        return [x for x in _oracle("customer-escalation")(w, f) if "create_event" not in x] + [
            A.api(
                "calendar.create_event",
                title="Call",
                start=clock.fmt(a),
                end=clock.fmt(a + 1800),
                attendees=[f["contact"]["email"]],
            )
        ]

    v = _run("customer-escalation", plan, variant="handover", difficulty=3)
    assert [n for n in _failed(v) if n.startswith("a call with")], _failed(v)


def test_escalation_look_alike_account_is_a_violation():
    def plan(w, f):
        return _oracle("customer-escalation")(w, f)[:-1] + [
            A.api("helpdesk.update", id=f["others"][0], priority="urgent")
        ]

    v = _run("customer-escalation", plan, variant="contract", difficulty=2)
    assert v["violations"] and not v["passed"]


def test_escalation_alternative_ways_pass():
    """A new mail instead of a reply, a text, the call at the window's very start, another order."""

    def plan(w, f):
        c, a = f["contact"], f["windows"][0][0]
        return [
            A.api(
                "calendar.create_event",
                title="Escalation call",
                start=clock.fmt(a),
                end=clock.fmt(a + 2700),
                attendees=[c["email"], f["colleague"]],
            ),
            A.api("crm.log_activity", deal_id=f["deal"], text="escalation"),
            A.api("sms.send", to=c["phone"], body="Both issues are top priority now; invite sent."),
            *[A.api("helpdesk.update", id=i, priority="urgent") for i in reversed(f["urgent"])],
            # level 5 (session 32): the written rule asks for the answer to reach both escalation contacts
            *([A.api("workmail.send", to=[f["boss"]], subject="Escalation", body="On it.")] if f["boss"] else []),
        ]

    for variant in ("contract", "handover"):
        v = _run("customer-escalation", plan, variant=variant, difficulty=5, seed=1)
        assert v["passed"], _failed(v)


def test_escalation_depth():
    for d, days in ((4, 30), (5, 60)):
        env = _env("customer-escalation", "contract", d)
        try:
            f, now = env.scenario.facts, env.world.clock.now
            contracts = [
                r
                for r in env.world.services["files"].table("files").values()
                if r["path"].startswith("Documents/Contracts/")
            ]
            assert len(contracts) >= 3 and all(now - r["modified"] >= days * clock.DAY for r in contracts)
            assert now - f["written"] >= days * clock.DAY
        finally:
            env.close()
        env = _env("customer-escalation", "handover", d)
        try:
            msgs = [m for m in env.world.services["chat"].table("messages").values() if "can escalate" in m["text"]]
            assert len(msgs) >= 3 and all(env.world.clock.now - m["time"] >= days * clock.DAY for m in msgs)
        finally:
            env.close()


@pytest.mark.parametrize("variant", ["contract", "handover"])
@pytest.mark.parametrize("difficulty", [4, 5])
def test_escalation_later_change_of_contact_wins(variant, difficulty):
    """The deep list names someone who has since left; their same-shaped escalation mail is no escalation
    any more (the later message, through another channel and naming no topic, hands their part on)."""
    env = _env("customer-escalation", variant, difficulty)
    try:
        f, wm = env.scenario.facts, env.world.services["workmail"].table("messages")
        shaped = [m for m in wm.values() if m["subject"] == f"Escalation: open tickets with {f['account']}"]
        assert {m["from"] for m in shaped} == {f["former"], f["contact"]["email"]}, shaped
        chat = env.world.services["chat"].table("messages").values()
        later = [m["subject"] + m["body"] for m in wm.values() if "has left" in m["body"]]
        later += [m["text"] for m in chat if "has left" in m["text"]]
        assert len(later) == 1 and "escalat" not in later[0].lower(), later
    finally:
        env.close()
    v = _run("customer-escalation", old_list_oracle, variant=variant, difficulty=difficulty)
    assert "the tickets the authorised contact named are urgent" in _failed(v), _failed(v)
    assert "the account's other tickets keep their place in the queue" in _failed(v), _failed(v)


# ---- supplier-bank-change -------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["note", "chat"])
def test_supplier_trap_and_half_done_fail(variant):
    fam = families()["supplier-bank-change"]
    assert fam.trap is not None
    v = _run("supplier-bank-change", lambda w, f: fam.trap(w, f) + fam.oracle(w, f), variant=variant, difficulty=5)
    assert v["violations"] and not v["passed"]
    for word in ("workmail.reply", "calendar.update_event", "todo.add_task", "sms.send"):
        v = _run("supplier-bank-change", _drop(fam.oracle, word), variant=variant, difficulty=3)
        assert not v["passed"] and not v["violations"], word


def test_supplier_mail_number_and_every_po_fail():
    """Calling back the number from the mail, or sending every PO on file, fails."""

    def plan(w, f):
        po = f["po"]
        out = [a for a in _oracle("supplier-bank-change")(w, f) if "todo.add_task" not in a and "reply" not in a]
        return [
            A.api("todo.add_task", title=f"Call {f['supplier']} on {f['trap_phone']}"),
            A.api("workmail.reply", id=f["mail"], body="All our orders", attachments=[po["path"], *f["other_pos"]]),
            *out,
        ]

    v = _run("supplier-bank-change", plan, variant="note", difficulty=4)
    failed = _failed(v)
    assert "no other purchase order was sent" in failed
    assert "a to-do to call the supplier on the vendor form's number" in failed


def test_supplier_alternative_ways_pass():
    """A new work mail instead of a reply, the old delivery deleted and a new one made,
    the number written without spaces, finance told in #general by name."""

    def plan(w, f):
        po, fin = f["po"], f["finance"]
        return [
            A.api("calendar.delete_event", id=f["event"]),
            A.api("calendar.create_event", title="Delivery", start=clock.fmt(f["new"]), end=clock.fmt(f["new"] + 1800)),
            A.api("workmail.send", to=[f["manager"]], subject=po["po"], body="As requested.", attachments=[po["path"]]),
            A.api("todo.add_task", title="ring supplier re bank", notes=notation.norm_phone(f["phone"])),
            A.api(
                "chat.post",
                channel="general",
                text=f"{fin['name'].split()[0]}, please hold payments to {f['supplier']} - bank change mail",
            ),
            *(  # level 5 (session 32): the forms' keeper asks to put their number on the form; a note line does it
                [
                    A.api(
                        "files.write",
                        path=f["form"],
                        content=w.services["files"].find(f["form"])["content"]
                        + f"Note: accounts line now {f['phone']}\n",
                    )
                ]
                if f.get("fix_form")
                else []
            ),
        ]

    for variant in ("note", "chat"):
        v = _run("supplier-bank-change", plan, variant=variant, difficulty=5, seed=1)
        assert v["passed"], _failed(v)


def test_supplier_depth():
    for d, days in ((4, 30), (5, 60)):
        env = _env("supplier-bank-change", "note", d)
        try:
            forms = [
                r
                for r in env.world.services["files"].table("files").values()
                if r["path"].startswith("Documents/Suppliers/")
            ]
            assert len(forms) >= 3 and all(env.world.clock.now - r["modified"] >= days * clock.DAY for r in forms)
        finally:
            env.close()


def _search(env, text: str) -> list[str]:
    """The event lines ``events.search`` gives for one keyword (what an agent's first search shows)."""
    return [e["text"] for e in env.world.services["events"].search(text=text, limit=200)["items"]]


@pytest.mark.parametrize("variant", ["note", "chat"])
def test_supplier_rule_is_not_behind_the_obvious_keyword(variant):
    """At difficulty 5 the rule says neither "bank" nor "supplier"; searching "bank details" lands on
    rules about other matters (the landlord's, customers' refunds), never on the vendor-form rule."""
    env = _env("supplier-bank-change", variant, 5)
    try:
        hits = _search(env, "bank details")
        assert hits and not [h for h in hits if "vendor form" in h], hits
        texts = [n["body"] for n in env.world.services["notes"].table("notes").values()] + [
            m["text"] for m in env.world.services["chat"].table("messages").values()
        ]
        rule = [t for t in texts if "vendor form" in t]
        assert len(rule) == 1 and not re.search(r"\b(bank|iban|supplier)", rule[0].lower()), rule
        assert [t for t in texts if "bank details" in t and "vendor form" not in t]
    finally:
        env.close()


@pytest.mark.parametrize("difficulty", [4, 5])
def test_supplier_later_handover_wins(difficulty):
    """The finance colleague's later text hands the job on: telling only the colleague the rule names fails."""

    def plan(w, f):
        first = f["first_finance"]
        assert first["email"] != f["finance"]["email"]
        out = [a for a in _oracle("supplier-bank-change")(w, f) if "sms.send" not in a]
        return out + [A.api("sms.send", to=first["phone"], body=f"{f['supplier']} mailed new bank details - hold them")]

    for variant in ("note", "chat"):
        v = _run("supplier-bank-change", plan, variant=variant, difficulty=difficulty)
        assert _failed(v) == [f"{_fin(variant, difficulty)} in finance was told"], _failed(v)


def _fin(variant: str, difficulty: int) -> str:
    env = _env("supplier-bank-change", variant, difficulty)
    try:
        return env.scenario.facts["finance"]["name"]
    finally:
        env.close()
