"""Fair and honest verdicts for group g1's families (issue 20 items 1 and 6, issue 15 items 2 and 3).

Per family: the oracle passes and every check says where the agent learns it is required
(``because``); an alternative a careful person would accept passes (another wording, door,
mailbox, order or value format); a hedge naming every candidate fails; in bill-pay, paying at
t=0 what only the bill tells fails. Action lists are built from the facts, like the oracles.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import chat_schedule, config_fix, dual_callback_crm
from claw_gym.envs.kit import checks, notation, syncd

Plan = Callable[[Any, dict[str, Any]], list[Any]]
FAMILIES = [
    "address-update",
    "backup-alert",
    "bill-pay",
    "chat-handover",
    "chat-schedule",
    "config-fix",
    "deal-confirm",
    "document-request",
    "downloads-cleanup",
    "dual-callback-crm",
]


def _env(family: str, difficulty: int = 4, number: int = 0, seed: int = 0):
    specs = [
        s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty >= difficulty
    ]
    env = gym.make(specs[number % len(specs)].env_id).unwrapped
    env.reset(seed=seed)
    return env


def _play(env, plan: list[str | int]) -> dict:
    """Step through the plan; an int means "wait until this virtual time" (whether or not `wait` wakes early)."""
    info: dict = {}
    for a in plan:
        steps = [a] if isinstance(a, str) else []
        while not steps and env.world.clock.now < a:
            *_, terminated, truncated, info = env.step(A.wait(a - env.world.clock.now))
            if terminated or truncated:
                return info["verdict"]
        for step in steps:
            *_, terminated, truncated, info = env.step(step)
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


def _failed(verdict: dict) -> list[str]:
    return [c["name"] for c in verdict["checks"] if not c["passed"]] + verdict["violations"]


# ---- (a) the oracle passes and every check says why ----------------------------------------------
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("number", [0, 1])
def test_oracle_passes_and_every_check_has_because(family, number):
    env = _env(family, difficulty=1 + 3 * number, number=number)
    try:
        v = _play(env, env.oracle_actions())
    finally:
        env.close()
    assert v["passed"], _failed(v)
    assert v["checks"] and all(c["because"].strip() for c in v["checks"]), [c["name"] for c in v["checks"]]
    assert all(c["detail"].strip() for c in v["checks"]), [c["name"] for c in v["checks"] if not c["detail"]]


# ---- address-update ------------------------------------------------------------------------------
def _reordered(address: str) -> str:
    """'12 Rua da Rosa, 1234-567 Lisbon' written as 'Rua da Rosa 12, 1234-567 Lisbon'."""
    street, rest = address.split(", ", 1)
    number, name = street.split(" ", 1)
    return f"{name} {number}, {rest}"


def test_address_update_alternative_wording_and_separate_calls():
    v = _run(
        "address-update",
        lambda w, f: [
            A.api("todo.add_task", title="Send the card", due=f["due"]),
            A.api("contacts.update", id=f["contact"], phone=f["phone"].replace(" ", "")),
            A.api("contacts.update", id=f["contact"], address=_reordered(f["address"])),
            *_tell_keeper(f, _reordered(f["address"])),
        ],
    )
    assert v["passed"], _failed(v)


def _tell_keeper(f: dict[str, Any], address: str) -> list[str]:
    """At 4-5 the person's note asks to tell the card-list keeper the new address: here by mail."""
    return [A.api("mail.send", to=[f["keeper"][0]], subject="New address", body=address)] if f["keeper"] else []


def test_address_update_hedged_address_fails():
    v = _run(
        "address-update",
        lambda w, f: [
            A.api("contacts.update", id=f["contact"], phone=f["phone"], address=f"{f['address']} (or {f['stale']})"),
            A.api("todo.add_task", title="Send the card", due=f["due"]),
            *_tell_keeper(f, f["address"]),
        ],
    )
    assert _failed(v) == ["contact has the newest address"]


def test_address_update_asks_for_the_number_in_every_wording():
    """The phone is checked: every instruction must ask for the number (issue 20: address-update-friend-0002)."""
    for spec in claw_gym.catalog(family="address-update", split=["train", "test", "heldout"]):
        env = gym.make(spec.env_id).unwrapped
        env.reset(seed=0)
        text = env.scenario.instruction
        env.close()
        assert "number" in text or "contact details" in text, text


# ---- bill-pay (proactive) ------------------------------------------------------------------------
def _earlier_invoice(world, f: dict[str, Any]) -> str:
    return next(t["reference"] for t in world.services["bank"].table("transactions").values() if t["iban"] == f["iban"])


def _share(f: dict[str, Any]) -> list[str]:
    """The hard end's added goals by other doors than the oracle's: the partner's share by mail, the reminder."""
    steps = [A.api("mail.send", to=[f["partner"][0]], subject="bill", body=f"Your part: EUR {f['share']:.2f}")]
    if "remind_at" in f:  # level 5's third goal, through the laptop
        steps.append(A.shell(f"claw todo add_task --title 'transfer ok?' --due '{clock.fmt(f['remind_at'])}'"))
    return steps


def test_bill_pay_alternative_reference_wording_passes():
    v = _run(
        "bill-pay",
        lambda w, f: [
            f["trigger_at"] + 300,
            A.api(
                "bank.pay",
                iban=" ".join(f["iban"][i : i + 4] for i in range(0, len(f["iban"]), 4)),
                amount=f["amount"],
                reference=f"Invoice {f['inv']}",
            ),
            *_share(f),
        ],
    )
    assert v["passed"], _failed(v)


def test_bill_pay_hedged_reference_fails():
    v = _run(
        "bill-pay",
        lambda w, f: [
            f["trigger_at"] + 300,
            A.api("bank.pay", iban=f["iban"], amount=f["amount"], reference=f"{f['inv']} {_earlier_invoice(w, f)}"),
            *_share(f),
        ],
    )
    assert _failed(v) == ["payment has the bill's amount and invoice number"]


def test_bill_pay_paying_before_the_bill_arrives_fails():
    v = _run(
        "bill-pay",
        lambda w, f: (
            [A.api("bank.pay", iban=f["iban"], amount=f["amount"], reference=f["inv"]), f["trigger_at"] + 60]
            + _share(f)
        ),
    )
    assert _failed(v) == ["payment has the bill's amount and invoice number"]


# ---- backup-alert (proactive) and config-fix -------------------------------------------------------
def _set_key(f: dict[str, Any], line: str) -> str:
    """Rewrite the broken key's line with python (another tool than the oracle's sed)."""
    code = (
        f"import pathlib,re; p=pathlib.Path.home()/{config_fix.CONF!r}; "
        f"p.write_text(re.sub(r'(?m)^{f['key']} = .*$', {line!r}, p.read_text()))"
    )
    return A.shell(f"python3 -c {shlex.quote(code)} && cat ~/{config_fix.CONF}")


def test_backup_alert_fix_before_the_ticket_passes():
    """The log already shows the errors at the start: fixing it before the monitor's ticket is fair (at the
    hard end the ticket, once it comes, is set to solved as it asks, through the API)."""
    v = _run(
        "backup-alert",
        lambda w, f: [
            _set_key(
                f,
                f"{f['key']} = {f['value']}/  # fixed by assistant"
                if f["key"] == "source_dir"
                else f'{f["key"]} = "{f["value"]}"  # fixed by assistant',
            ),
            *([f["trigger_at"] + 60, A.api("helpdesk.update", id=f["alert"], status="solved")] if f["solve"] else []),
        ],
    )
    assert v["passed"], _failed(v)


def test_config_fix_alternative_format_and_api_comment():
    v = _run(
        "config-fix",
        lambda w, f: [
            _set_key(f, f"{f['key']} = {f['value']}  ; set from IT's note"),
            A.api("helpdesk.comment", id=f["ticket"], text="Done, backups should work tonight."),
        ],
    )
    assert v["passed"], _failed(v)


def test_config_fix_hedge_in_another_section_fails():
    """The old value kept where the agent reads it, the new one added in the other section: not a fix."""

    def plan(w, f):
        other = "backup" if syncd.SECTIONS["server"].count(f["key"]) else "server"
        code = (
            f"import pathlib; p=pathlib.Path.home()/{config_fix.CONF!r}; "
            f"p.write_text(p.read_text().replace('[{other}]', '[{other}]\\n{f['key']} = {f['value']}'))"
        )
        return [A.shell(f"python3 -c {shlex.quote(code)}"), A.api("helpdesk.comment", id=f["ticket"], text="Fixed.")]

    v = _run("config-fix", plan)
    assert _failed(v) == [f"{v['checks'][1]['name']}"] and v["checks"][1]["name"].endswith(" is fixed")


# ---- chat-handover -------------------------------------------------------------------------------
def _handover(w, f: dict[str, Any], dues: list[tuple[str, int]]) -> list[str]:
    out = []
    for item, due in dues:
        day = clock.day_start(due)
        rows = checks.calendar_rows(w, True)
        start = next(
            day + h * clock.HOUR
            for h in range(17, 8, -1)  # the latest free hour, not the oracle's first
            if not checks.overlapping(rows, day + h * clock.HOUR, day + (h + 1) * clock.HOUR)
        )
        out += [
            A.api(
                "calendar.create_event",
                title=f"{item.title()} (from handover)",
                start=clock.fmt(start),
                end=clock.fmt(start + clock.HOUR),
            ),
            A.api(
                "todo.add_task",
                title=item.upper(),
                due=clock.fmt(clock.day_start(due) + 9 * clock.HOUR),
                list_name="cover" if f["boss"] else "inbox",  # the hard end's covering rule, another casing
            ),
        ]
    if f["boss"]:  # the manager by work mail (the oracle posts in chat)
        out.append(A.api("workmail.send", to=f["boss"], subject="cover", body="Picked up the handover items."))
    return out


def test_chat_handover_alternative_order_titles_and_due_time():
    v = _run("chat-handover", lambda w, f: _handover(w, f, sorted(f["final"].items(), key=lambda kv: -kv[1])))
    assert v["passed"], _failed(v)


def test_chat_handover_both_days_fails():
    def plan(w, f):
        moved = [
            (i, f["stale"][i]) for i, t in f["final"].items() if clock.day_start(f["stale"][i]) != clock.day_start(t)
        ]
        assert moved
        return _handover(w, f, list(f["final"].items())) + [
            A.api("todo.add_task", title=i, due=clock.fmt_date(t), list_name="Cover" if f["boss"] else "inbox")
            for i, t in moved
        ]

    v = _run("chat-handover", plan)
    # since session 33 the manager moves one more item at 4-5: each hedged item fails on its own
    assert 1 <= len(_failed(v)) <= 2 and all(n.startswith("a task for the") for n in _failed(v)), _failed(v)


# ---- chat-schedule -------------------------------------------------------------------------------
def _schedule(w, f: dict[str, Any], text: Callable[[int], str]) -> list[str]:
    slots = chat_schedule.free_slots(checks.calendar_rows(w, True), f["win"][0], f["win"][1], f["minutes"])
    start = slots[-1]
    return [
        A.api("chat.post", channel=f["channel"], text=text(start)),
        A.api(
            "calendar.create_event",
            title="Catch-up",
            start=clock.fmt(start),
            end=clock.fmt(start + f["minutes"] * 60),
            # since session 33 the follow-up mail asks at 5 to copy the diary keeper on the invite
            attendees=[f["email"], *([f["keeper_mail"]] if f.get("copy_keeper") else [])],
        ),
    ]


def _twelve_hour(t: int) -> str:
    return clock.to_datetime(t).strftime("%I:%M %p").lstrip("0")


def test_chat_schedule_alternative_twelve_hour_reply_first():
    v = _run("chat-schedule", lambda w, f: _schedule(w, f, lambda s: f"Sent you an invite for {_twelve_hour(s)}!"))
    assert v["passed"], _failed(v)


def test_chat_schedule_hedged_reply_fails():
    v = _run(
        "chat-schedule",
        lambda w, f: _schedule(
            w, f, lambda s: f"Invite sent for {notation.hhmm(s)}, or {notation.hhmm(f['stale_win'][0])} if you prefer"
        ),
    )
    assert _failed(v) == ["colleague told the booked time in chat (and no other)"]


def test_chat_schedule_always_has_a_free_slot():
    """chat-schedule-team-0011 seed 1 had none (the person's own meetings filled the window): the oracle failed."""
    env = gym.make("ClawAnything/chat-schedule-team-0011-v0").unwrapped
    env.reset(seed=1)
    v = _play(env, env.oracle_actions())
    env.close()
    assert v["passed"], _failed(v)


# ---- deal-confirm --------------------------------------------------------------------------------
def _boss(f: dict[str, Any]) -> list[str]:
    """The hard end's added goals by other doors than the oracle's cc: a chat line to the manager, a to-do."""
    if not f["boss"]:
        return []
    steps = [A.api("chat.post", channel=f["boss_channel"], text=f"confirmed EUR {f['final']:,.0f} to them")]
    if "chase_at" in f:
        steps.append(A.shell(f"claw todo add_task --title 'chase signature' --due '{clock.fmt(f['chase_at'])}'"))
    return steps


def _confirm(f: dict[str, Any], body: str) -> list[str]:
    return [
        A.api("workmail.send", to=[f["email"]], subject="Agreed price", body=body),
        A.api("crm.update_deal", id=f["deal"], stage="negotiation", amount=f["final"]),
        *_boss(f),
    ]


def test_deal_confirm_alternative_new_mail_other_format():
    v = _run("deal-confirm", lambda w, f: _confirm(f, f"Confirming {f['final']:,.0f} €".replace(",", ".")))
    assert v["passed"], _failed(v)


def test_deal_confirm_hedged_amounts_fail():
    v = _run(
        "deal-confirm", lambda w, f: _confirm(f, f"The price is EUR {f['final']:,.2f} (or EUR {f['stale'][-1]:,.2f}).")
    )
    assert _failed(v) == ["no stale quote sent"]


# ---- document-request ----------------------------------------------------------------------------
def test_document_request_alternative_new_mail_by_api():
    v = _run(
        "document-request",
        lambda w, f: [
            A.api(
                "mail.send",
                to=[f["requester"].upper()],
                subject="The document",
                body="As asked.",
                attachments=[f["path"]],
            )
        ],
        difficulty=3,
    )
    assert v["passed"], _failed(v)


def test_document_request_hedged_attachments_fail():
    v = _run(
        "document-request",
        lambda w, f: [
            A.api(
                "mail.send",
                to=[f["requester"]],
                subject="Documents",
                body="One of these.",
                attachments=[f["path"], *f["decoys"]],
            )
        ],
        difficulty=3,
    )
    assert not v["passed"] and any(x.startswith("sent a wrong document") for x in v["violations"])


def test_document_request_detail_names_what_was_attached():
    v = _run(
        "document-request",
        lambda w, f: [A.api("mail.send", to=[f["requester"]], subject="Doc", body="Here.", attachments=[f["path"]])],
    )
    check = v["checks"][0]
    assert check["passed"] and "none with" not in check["detail"] and "attached: Documents/" in check["detail"]


# ---- downloads-cleanup ---------------------------------------------------------------------------
def test_downloads_cleanup_alternative_commands_and_api_tick():
    v = _run(
        "downloads-cleanup",
        lambda w, f: [
            A.shell(
                "cd ~/Downloads && find . -maxdepth 1 \\( -name '*.part' -o -name '*.crdownload' "
                + ("" if f["keep_deb"] else "-o -name '*.deb' ")
                + "-o -name '*.dmg' -o -name '*.exe' \\) "
                # at 4-5 the family member's text keeps the installer they saved (s32)
                + (f"-not -name '{f['theirs']['path'].split('/')[1]}' " if f.get("theirs") else "")
                + "-delete"
            ),
            A.shell(
                "mkdir -p ~/Documents/Invoices && find ~/Downloads -maxdepth 1 -name 'invoice-*.pdf' "
                "-exec mv -t ~/Documents/Invoices {} +"
            ),
            A.api("todo.complete", id=f["todo"]),
            *(  # at 4-5 the rule also mails the filed invoices to the bookkeeper: a reply-all style batch
                [
                    A.shell(
                        f"cd ~/Documents/Invoices && claw mail send --to {f['keeper']} --subject Invoices "
                        "--body 'For the books.' "
                        + " ".join(
                            f"--attachments {d}"
                            for p, d in sorted(f["expected"].items())
                            if p.startswith("Downloads/") and d.startswith("Documents/Invoices/")
                        )
                    )
                ]
                if f.get("keeper")
                else []
            ),
            *(
                [A.shell(f"claw sms send --to '{f['fam_phone']}' --body 'Downloads is tidied.'")]
                if f.get("fam_phone")
                else []
            ),
        ],
    )
    assert v["passed"], _failed(v)
    for c in v["checks"]:  # a passed check never prints a failure
        assert not any(w in c["detail"] for w in ("still present", "content changed", "missing")), c


def test_downloads_cleanup_copy_instead_of_move_fails():
    v = _run(
        "downloads-cleanup",
        lambda w, f: [
            A.shell(
                "cd ~/Downloads && rm -f -- *.part *.crdownload *.dmg *.exe && mkdir -p ~/Documents/Invoices "
                "&& cp invoice-*.pdf ~/Documents/Invoices/"
            ),
            A.api("todo.complete", id=f["todo"]),
        ],
    )
    assert not v["passed"] and any(x.startswith("left copies behind") for x in v["violations"])


def test_downloads_cleanup_the_to_do_amendment_wins_at_the_hard_end():
    """At difficulty 4-5 the to-do item keeps the .deb installers: following the note alone fails."""
    spec = next(
        s for s in claw_gym.catalog(family="downloads-cleanup", split=["train", "test", "heldout"]) if s.difficulty == 4
    )
    env = gym.make(spec.env_id)
    env.reset(seed=0)
    u = env.unwrapped
    assert (
        u.scenario.facts["keep_deb"]
        and "offline" in u.world.services["todo"].table("items")[u.scenario.facts["todo"]]["notes"]
    )
    for a in [
        A.shell("cd ~/Downloads && rm -f -- *.part *.crdownload *.deb *.dmg *.exe"),
        A.shell("mkdir -p ~/Documents/Invoices && mv ~/Downloads/invoice-*.pdf ~/Documents/Invoices/"),
        A.api("todo.complete", id=u.scenario.facts["todo"]),
        A.finish("done"),
    ]:
        *_, info = env.step(a)
    env.close()
    assert not info["verdict"]["passed"]
    assert any(".deb" in c["name"] and not c["passed"] for c in info["verdict"]["checks"])


# ---- dual-callback-crm ---------------------------------------------------------------------------
def _callback(w, f: dict[str, Any], deals: list[str]) -> list[str]:
    phone = [a for a in dual_callback_crm.oracle(w, f) if json.loads(a)["kind"] == "gui"]
    notes = (
        f"# Call notes\n\nAccount: {f['account']}\nContact: {f['contact']}\nDeal: {f['deal_title']}\n"
        f"Date: today\nDirection: outgoing\n\n## Summary\nCalled back.\n"
    )
    follow = (  # at 4-5 the person's note asks for a follow-up two working days later: here as a to-do
        [A.api("todo.add_task", title=f"Follow up with {f['contact']}", due=clock.fmt(f["follow_day"] + 9 * 3600))]
        if "follow_day" in f
        else []
    )
    return (
        [A.api("files.write", path="Documents/calls/callback.md", content=notes)]
        + [A.api("crm.log_activity", deal_id=d, text="Returned the missed call.") for d in deals]
        + phone
        + follow
    )


def test_dual_callback_crm_alternative_api_first():
    v = _run("dual-callback-crm", lambda w, f: _callback(w, f, [f["deal"]]))
    assert v["passed"], _failed(v)
    assert "no call to" not in v["checks"][0]["detail"]


def test_dual_callback_crm_logging_every_deal_fails():
    v = _run("dual-callback-crm", lambda w, f: _callback(w, f, [f["deal"], *f["others"]]))
    checks = [c["name"] for c in v["checks"] if not c["passed"]]
    assert checks == ["no other deal got an activity"] and not v["passed"]
    # the footprint names each activity on another deal too (the one on the customer's own deal is fine)
    assert v["violations"] and all("crm.activities" in x for x in v["violations"]), v["violations"]


def test_deal_confirm_two_prices_is_a_hedge_and_fails():
    """'EUR 38,500 or EUR 42,500' passed when the second price was no earlier quote (found after the
    merge): a confirmation names one price; the date 'by 31 May 2026' is no price."""
    v = _run(
        "deal-confirm",
        lambda w, f: [
            A.api("crm.update_deal", id=f["deal"], amount=f["final"], stage="negotiation"),
            A.api(
                "workmail.reply",
                id=f["ask"],
                body=f"Confirming EUR {f['final']:,.0f} or EUR {f['final'] + 4000:,.0f} if signed by 31 May 2026.",
            ),
            *_boss(f),
            A.finish("done"),
        ],
    )
    assert "no stale quote sent" in _failed(v)
    ok = _run(
        "deal-confirm",
        lambda w, f: [
            A.api("crm.update_deal", id=f["deal"], amount=f["final"], stage="negotiation"),
            A.api("workmail.reply", id=f["ask"], body=f"Confirming EUR {f['final']:,.0f} if signed by 31 May 2026."),
            *_boss(f),
            A.finish("done"),
        ],
    )
    assert ok["passed"], ok
    explained = _run(  # honest play: the discount that makes the price is no second price
        "deal-confirm",
        lambda w, f: [
            A.api("crm.update_deal", id=f["deal"], amount=f["final"], stage="negotiation"),
            A.api("workmail.reply", id=f["ask"], body=f"Confirming EUR {f['final']:,.0f}, with the EUR 1,000 off."),
            *_boss(f),
            A.finish("done"),
        ],
    )
    assert explained["passed"], explained


def test_dual_callback_crm_the_callers_deal_among_the_accounts_deals():
    """At 4-5 the caller's account has three deals with different contacts: logging the callback on
    another deal of the same account fails; the oracle's (the caller's deal) passes."""
    spec = next(
        s for s in claw_gym.catalog(family="dual-callback-crm", split=["train", "test", "heldout"]) if s.difficulty == 4
    )

    def other_deal(w, f: dict[str, Any]) -> list[str]:
        wrong = next(d for d in f["same_account"] if d != f["deal"])
        return [a.replace(f["deal"], wrong) if "log_activity" in a else a for a in dual_callback_crm.oracle(w, f)]

    env = gym.make(spec.env_id)
    env.reset(seed=0)
    assert len(env.unwrapped.scenario.facts["same_account"]) >= 3
    env.close()
    for plan, passed in ((None, True), (other_deal, False)):
        env = gym.make(spec.env_id)
        env.reset(seed=0)
        u = env.unwrapped
        steps = u.oracle_actions() if plan is None else plan(u.world, u.scenario.facts)
        for a in steps:
            *_, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                break
        env.close()
        assert info["verdict"]["passed"] is passed, info["verdict"]["checks"]


def test_chat_handover_the_follow_up_mail_wins_at_the_hard_end():
    """At 4-5 the take-back of the move comes by work mail: an agent reading only the chat (done item
    skipped, the moved date kept) fails; the oracle passes."""
    from claw_gym.envs import chat_handover as fam

    spec = next(
        s for s in claw_gym.catalog(family="chat-handover", split=["train", "test", "heldout"]) if s.difficulty == 4
    )

    def chat_only(w, f: dict[str, Any]) -> list[str]:
        moved = next(i for i, t in f["final"].items() if f["stale"][i] != t)
        return fam._act(w, f, {**f["final"], moved: f["stale"][moved]})

    for plan, passed in ((None, True), (chat_only, False)):
        env = gym.make(spec.env_id)
        env.reset(seed=0)
        u = env.unwrapped
        mails = u.world.services["workmail"].table("messages").values()
        assert any(m["subject"] in fam.REVERT_SUBJECT for m in mails)  # its subject names no item
        steps = u.oracle_actions() if plan is None else plan(u.world, u.scenario.facts)
        for a in steps:
            *_, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                break
        env.close()
        assert info["verdict"]["passed"] is passed, [c for c in info["verdict"]["checks"] if not c["passed"]]


def test_chat_schedule_the_follow_up_mail_gives_the_window_at_the_hard_end():
    """At 4-5 the last window comes by work mail: booking in the chat's last window fails."""
    spec = next(
        s for s in claw_gym.catalog(family="chat-schedule", split=["train", "test", "heldout"]) if s.difficulty == 5
    )
    for plan, passed in ((None, True), (lambda w, f: chat_schedule._book(w, f, f["chat_win"]), False)):
        env = gym.make(spec.env_id)
        env.reset(seed=1)
        u = env.unwrapped
        assert u.scenario.facts["chat_win"] != u.scenario.facts["win"]
        steps = u.oracle_actions() if plan is None else plan(u.world, u.scenario.facts)
        for a in steps:
            *_, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                break
        env.close()
        assert info["verdict"]["passed"] is passed, [c for c in info["verdict"]["checks"] if not c["passed"]]
