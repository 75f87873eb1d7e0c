"""Issue 21's headroom for the first v0 families: depth, candidates, added goals at difficulty 4-5.

For each hardened family: the deciding record sits >= 30 / 60 days back at difficulty 4 / 5 among
same-shaped live candidates a keyword search turns up; the goals added at the hard end are checked
(the oracle without one of them fails); a reasonable other way of doing the job passes.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.replay import finish_episode

Plan = Callable[[Any, dict[str, Any]], list[str]]
DEPTH = {4: 30 * clock.DAY, 5: 60 * clock.DAY}


def _spec(family: str, difficulty: int, number: int = 0):
    specs = [
        s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty == difficulty
    ]
    return specs[number % len(specs)]


def _run(family: str, plan: Plan | None, difficulty: int = 5, seed: int = 0) -> dict:
    """Play ``plan`` (None: the oracle) on a task of ``difficulty``; the verdict at the episode's end."""
    env = gym.make(_spec(family, difficulty).env_id)
    try:
        env.reset(seed=seed)
        u = env.unwrapped
        steps = u.oracle_actions() if plan is None else plan(u.world, u.scenario.facts)
        info: dict = {}
        for a in steps:
            *_, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                return info["verdict"]
        return finish_episode(env)["verdict"]
    finally:
        env.close()


def _world(family: str, difficulty: int, seed: int = 0):
    env = gym.make(_spec(family, difficulty).env_id)
    env.reset(seed=seed)
    return env


def _failed(v: dict) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]] + v["violations"]


def _without(plan: list[str], *words: str) -> list[str]:
    """The plan minus every action whose JSON names any of ``words`` (a half-done policy)."""
    return [a for a in plan if not any(w in a for w in words)]


# ---- downloads-cleanup ---------------------------------------------------------------------------
@pytest.mark.parametrize("difficulty", [4, 5])
def test_downloads_cleanup_rule_is_deep_and_downloads_finds_only_decoys(difficulty):
    env = _world("downloads-cleanup", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        assert f["start"] - f["rule_at"] >= DEPTH[difficulty]
        notes = list(w.services["notes"].table("notes").values())
        rule = [n for n in notes if "download folder" in n["body"]]
        keyword = [n for n in notes if "downloads" in n["body"].lower()]
        assert len(rule) == 1 and rule[0]["updated"] == f["rule_at"] and f["keeper_name"] in rule[0]["body"]
        assert len(keyword) >= 3 and rule[0] not in keyword  # the obvious keyword lands on the decoys only
    finally:
        env.close()


def test_downloads_cleanup_without_the_bookkeeper_mail_fails():
    v = _run("downloads-cleanup", lambda w, f: _without(w and _oracle(w, f), "mail.send"))
    assert _failed(v) == ["the filed invoices were mailed to the bookkeeper"]


def _oracle(w, f):
    from claw_gym.envs import downloads_cleanup

    return downloads_cleanup.oracle(w, f)


def test_downloads_cleanup_one_mail_per_invoice_before_the_move_from_workmail_passes():
    def plan(w, f):
        filed = sorted(p for p, dst in f["expected"].items() if dst.startswith("Documents/Invoices/"))
        filed = [p for p in filed if p.startswith("Downloads/")]
        mails = [
            A.api("workmail.send", to=[f["keeper"]], subject=p, body="For the books.", attachments=[p]) for p in filed
        ]
        return mails + [a for a in _oracle(w, f) if "mail.send" not in a]

    v = _run("downloads-cleanup", plan, difficulty=4)
    assert v["passed"], _failed(v)


def test_downloads_cleanup_mailing_the_half_downloaded_invoice_too_fails():
    def plan(w, f):
        part = next(p for p in f["contents"] if p.endswith(".pdf.part"))
        return [A.api("mail.send", to=[f["keeper"]], subject="also", body="this one", attachments=[part])] + _oracle(
            w, f
        )

    v = _run("downloads-cleanup", plan)
    assert not v["passed"] and any(x.startswith("mailed a file that is not a filed invoice") for x in v["violations"])


# ---- dual-callback-crm ---------------------------------------------------------------------------
def _callback_oracle(w, f):
    from claw_gym.envs import dual_callback_crm

    return dual_callback_crm.oracle(w, f)


@pytest.mark.parametrize("difficulty", [4, 5])
def test_dual_callback_crm_the_number_decides_among_namesakes_deep_in_the_mail(difficulty):
    env = _world("dual-callback-crm", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        first = f["contact"].split()[0]
        deals = w.services["crm"].table("deals")
        namesakes = [deals[d] for d in f["namesakes"]]
        assert len(namesakes) >= 3 and len({d["account"] for d in namesakes}) == len(namesakes)
        assert all(d["contact"].split()[0] == first for d in namesakes) and f["deal"] in f["namesakes"]
        mails = [m for m in w.services["workmail"].table("messages").values() if f"\n{first} " in m["body"]]
        assert len(mails) >= 3
        assert not [m for m in mails if f["number"] in m["body"]]  # the mobile that rang is in no signature
        with_number = [m for m in mails if f["desk"] in m["body"]]
        assert [m["id"] for m in with_number] == [f["caller_mail"]]
        assert f["start"] - with_number[0]["time"] >= DEPTH[difficulty]
        assert f["start"] - f["rule_at"] >= DEPTH[difficulty]
        # the phone knows the caller by first name only
        assert f["name"] == first
    finally:
        env.close()


def test_dual_callback_crm_without_the_follow_up_fails():
    v = _run("dual-callback-crm", lambda w, f: _without(_callback_oracle(w, f), "create_event"))
    assert _failed(v) == ["a follow-up with the customer three working days later"]


def test_dual_callback_crm_a_to_do_for_the_follow_up_passes_and_a_day_off_fails():
    def todo(shift: int) -> Plan:
        def plan(w, f):
            due = clock.fmt(f["follow_day"] + shift * clock.DAY + 9 * clock.HOUR)
            add = A.api("todo.add_task", title=f"Call {f['contact']} again", due=due)
            return [add if "create_event" in a else a for a in _callback_oracle(w, f)]

        return plan

    assert _run("dual-callback-crm", todo(0), difficulty=4)["passed"]
    assert _failed(_run("dual-callback-crm", todo(1), difficulty=4)) == [
        "a follow-up with the customer three working days later"
    ]


def test_dual_callback_crm_logging_on_a_namesakes_deal_fails():
    def plan(w, f):
        wrong = next(d for d in f["namesakes"] if d != f["deal"])
        return [a.replace(f["deal"], wrong) if "log_activity" in a else a for a in _callback_oracle(w, f)]

    failed = _failed(_run("dual-callback-crm", plan))
    assert "the callback is logged on the customer's deal" in failed


# ---- document-request ----------------------------------------------------------------------------
def _doc_oracle(w, f):
    from claw_gym.envs import document_request

    return document_request.oracle(w, f)


@pytest.mark.parametrize("difficulty", [4, 5])
def test_document_request_the_text_picks_an_old_scan_among_four(difficulty):
    env = _world("document-request", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        files = w.services["files"]
        heads = [files.find(p)["content"].split("\n")[0].rsplit(" ", 2)[0] for p in f["candidates"]]
        kind = heads[0].split()[0]
        assert len(f["candidates"]) >= 4 and all(h.startswith(kind) for h in heads[:2])
        names = [p.rsplit("/", 1)[1].lower() for p in f["candidates"]]
        assert not [n for n in names if kind.lower() in n or any(c.isdigit() for c in n)], names  # reading decides
        assert f["start"] - files.find(f["path"])["modified"] >= DEPTH[difficulty]
        assert f["start"] - f["rule_at"] >= DEPTH[difficulty]
        text = w.services["sms"].table("messages")[f["amendment"]]
        first = files.find(f["path"])["content"].split("\n")[0]
        year = next(w for w in first.split() if len(w) == 4 and w.isdigit())  # the text names it, not the document
        assert year in text["body"] and kind.lower() not in text["body"].lower()
        assert f["start"] - 6 * clock.DAY < text["time"] < f["start"] - 3 * clock.DAY  # out of the opening digest
        assert ("lookalike" in f) is (difficulty == 5)
    finally:
        env.close()


def test_document_request_without_the_log_line_fails():
    v = _run("document-request", lambda w, f: _without(_doc_oracle(w, f), "handed-out.txt"))
    assert _failed(v) == ["the hand-out log has a line for this document"]


def test_document_request_the_year_first_asked_for_fails():
    def plan(w, f):
        first = f["decoys"][0]  # the year the mail asked for, before the text changed it
        return [a.replace(f["path"].rsplit("/", 1)[1], first.rsplit("/", 1)[1]) for a in _doc_oracle(w, f)]

    failed = _failed(_run("document-request", plan, difficulty=4))
    assert "the requested document was sent to the requester" in failed


def test_document_request_answering_the_lookalike_is_a_leak():
    def plan(w, f):
        return [
            A.api("mail.send", to=[f["lookalike"]], subject="Re: paperwork", body="Here.", attachments=[f["path"]]),
            *_doc_oracle(w, f),
        ]

    v = _run("document-request", plan)
    assert not v["passed"] and any("reached someone" in x for x in v["violations"])


def test_document_request_api_log_entry_with_the_address_passes():
    def plan(w, f):
        log = w.services["files"].find("Documents/handed-out.txt")["content"]
        line = f"{clock.fmt_date(w.clock.now)} - {f['requester']} - {f['path'].rsplit('/', 1)[1]} ({f['what'][:20]})"
        return [
            A.api("mail.send", to=[f["requester"]], subject="Your document", body="Attached.", attachments=[f["path"]]),
            A.api("files.write", path="Documents/handed-out.txt", content=log + line + "\n"),
        ]

    v = _run("document-request", plan, difficulty=4)
    assert v["passed"], _failed(v)


# ---- address-update ------------------------------------------------------------------------------
def _address_oracle(w, f):
    from claw_gym.envs import address_update

    return address_update.oracle(w, f)


TOLD = "the card-list keeper was told the new address (and only that one)"


@pytest.mark.parametrize("difficulty", [4, 5])
def test_address_update_the_rule_and_the_move_sit_deep(difficulty):
    env = _world("address-update", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        assert f["start"] - f["rule_at"] >= DEPTH[difficulty] and f["start"] - f["deciding_at"] >= DEPTH[difficulty]
        assert len(f["candidates"]) >= 4  # same-shaped mails from the friend with an address in the signature
        notes = [n for n in w.services["notes"].table("notes").values() if "address" in n["body"].lower()]
        assert len(notes) >= 2 and any(f["keeper_name"].split()[0] in n["body"] for n in notes)
    finally:
        env.close()


def test_address_update_without_telling_the_keeper_fails():
    v = _run("address-update", lambda w, f: _without(_address_oracle(w, f), "sms.send"))
    assert _failed(v) == [TOLD]


def test_address_update_a_mail_to_the_keeper_passes_and_naming_the_old_address_too_fails():
    def tell(text: Callable[[dict[str, Any]], str]) -> Plan:
        def plan(w, f):
            mail = A.api("mail.send", to=[f["keeper"][0]], subject="Card list", body=text(f))
            return [mail if "sms.send" in a else a for a in _address_oracle(w, f)]

        return plan

    ok = _run("address-update", tell(lambda f: f"{f['name']} lives at {f['address']} now."), difficulty=4)
    assert ok["passed"], _failed(ok)
    hedge = _run("address-update", tell(lambda f: f"{f['name']}: {f['address']} (or maybe still {f['old']})"))
    assert _failed(hedge) == [TOLD]


# ---- dual-receipt-sheet --------------------------------------------------------------------------
def _receipt_oracle(w, f):
    from claw_gym.envs import dual_receipt_sheet

    return dual_receipt_sheet.oracle(w, f)


ROW = "one new row under the colleague's name (and no one else's) with the amount"


@pytest.mark.parametrize("difficulty", [4, 5])
def test_dual_receipt_sheet_the_later_chat_word_on_tips_sits_deep(difficulty):
    env = _world("dual-receipt-sheet", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        said = sorted(
            (m["time"], m["text"])
            for m in w.services["chat"].table("messages").values()
            if m["sender"] == f["boss"] and "sheet" in m["text"]
        )
        assert len(said) >= 3 and all(w.clock.now - t >= DEPTH[difficulty] for t, _ in said[:2])
        tips = [text for _, text in said if "tip" in text]
        texts = [m for m in w.services["sms"].table("messages").values() if m["number"] == f["boss_phone"]]
        change = [m for m in texts if "without the tip" in m["body"]]  # the later word, by text, wins
        assert len(tips) == 1 and len(change) == 1 and w.clock.now - change[0]["time"] >= DEPTH[difficulty]
        assert change[0]["time"] > said[0][0] and "sheet" not in change[0]["body"]
        assert abs(f["total"] - f["tip"] - f["net"]) < 0.005  # undone since by the sheet's keeper (session 32)
    finally:
        env.close()


def _sheet_row(amount: Callable[[dict[str, Any]], str]) -> Plan:
    """The oracle with its appended row replaced: first name only, ``amount`` as written."""

    def plan(w, f):
        line = f"{clock.fmt_date(f['trigger_at'])},{f['name'].split()[0]},{f['item']},{amount(f)}"
        append = A.shell(f"echo {shlex.quote(line)} >> ~/Documents/shared/team-expenses.csv")
        return [append if "printf" in a else a for a in _receipt_oracle(w, f)]

    return plan


def test_dual_receipt_sheet_the_net_fails_the_total_in_euro_format_passes():
    # session 32: the manager's text taking the tip out was undone by the sheet's keeper: the total as paid
    assert _failed(_run("dual-receipt-sheet", _sheet_row(lambda f: f"{f['net']:.2f}"))) == [ROW]
    v = _run("dual-receipt-sheet", _sheet_row(lambda f: f'"€{f["amount"]:.2f}"'), difficulty=4)
    assert v["passed"], _failed(v)


# ---- invoice-expense -----------------------------------------------------------------------------
def _invoice_oracle(w, f):
    from claw_gym.envs import invoice_expense

    return invoice_expense.oracle(w, f)


FINANCE = "finance got the invoice with its corrected total"


@pytest.mark.parametrize("difficulty", [4, 5])
def test_invoice_expense_finances_address_change_sits_deep(difficulty):
    env = _world("invoice-expense", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        said = sorted(
            (m["time"], m["body"])
            for m in w.services["workmail"].table("messages").values()
            if m["from"].startswith("finance@")
        )
        moved = w.services["chat"].table("messages")[f["moved"]]  # the signer's later chat line moves it
        rule = w.services["workmail"].table("messages")[f["rule_mail"]]
        travel = [t for t, body in said if "travel claims" in body]
        assert len(said) >= 2 and w.clock.now - rule["time"] >= DEPTH[difficulty] and f["finance_old"] in rule["body"]
        assert w.clock.now - moved["time"] >= DEPTH[difficulty] and rule["time"] < moved["time"] < travel[0]
        assert f["finance"] in moved["text"] and moved["sender"] == f["finance_who"] in rule["body"]
    finally:
        env.close()


def test_invoice_expense_without_the_finance_mail_fails():
    v = _run("invoice-expense", lambda w, f: _without(_invoice_oracle(w, f), "workmail.send"))
    assert _failed(v) == [FINANCE]


def _forward(pick: Callable[[list[dict]], dict], to: str = "finance") -> Plan:
    """The oracle, with finance's mail replaced by a forward of one of the vendor's invoice mails."""

    def plan(w, f):
        mails = sorted(
            (
                m
                for m in w.services["mail"].table("messages").values()
                if f["inv"] in m["subject"] and m["from"].startswith("billing@")
            ),
            key=lambda m: m["time"],
        )
        fwd = A.api("mail.forward", id=pick(mails)["id"], to=[f[to]], body="For matching.")
        return [fwd if "workmail.send" in a else a for a in _invoice_oracle(w, f)]

    return plan


def test_invoice_expense_forwarding_the_latest_invoice_passes_the_first_or_the_old_address_fails():
    ok = _run("invoice-expense", _forward(lambda ms: ms[-1]), difficulty=4)
    assert ok["passed"], _failed(ok)
    assert _failed(_run("invoice-expense", _forward(lambda ms: ms[0]))) == [FINANCE]
    old = _run("invoice-expense", _forward(lambda ms: ms[-1], to="finance_old"))
    assert _failed(old) == [FINANCE] and not old["passed"]  # stale, not damage: finance's old address is a party


# ---- chat-schedule -------------------------------------------------------------------------------
def _schedule_oracle(w, f):
    from claw_gym.envs import chat_schedule

    return chat_schedule.oracle(w, f)


FIRST_HOUR = "meeting keeps the first hour of the window free"


@pytest.mark.parametrize("difficulty", [4, 5])
def test_chat_schedule_the_first_hour_rule_sits_deep_beside_an_expired_one(difficulty):
    env = _world("chat-schedule", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        assert f["skip"] == clock.HOUR and w.clock.now - f["rule_at"] >= DEPTH[difficulty]
        booked = [n for n in w.services["notes"].table("notes").values() if "nothing booked" in n["body"]]
        assert len(booked) == 2  # the rule and the expired one, in notes of the same shape
    finally:
        env.close()


def _book_at(offset: int) -> Plan:
    """The oracle's booking moved to ``offset`` seconds into the latest window (reply naming that time)."""

    def plan(w, f):
        from claw_gym.envs.kit import notation

        start = f["win"][0] + offset
        end = start + f["minutes"] * 60
        out = []
        for a in _schedule_oracle(w, f):
            if "create_event" in a:
                a = A.api(
                    "calendar.create_event",
                    title="Catch-up",
                    start=clock.fmt(start),
                    end=clock.fmt(end),
                    attendees=[f["email"]],
                )
            elif "chat.post" in a:
                a = A.api("chat.post", channel=f["channel"], text=f"Invite sent for {notation.hhmm(start)}.")
            out.append(a)
        return out

    return plan


def test_chat_schedule_booking_at_the_windows_opening_breaks_the_rule():
    assert FIRST_HOUR in _failed(_run("chat-schedule", _book_at(0)))


def test_chat_schedule_the_oracle_books_after_the_first_hour():
    v = _run("chat-schedule", None, difficulty=4)
    assert v["passed"] and any(c["name"] == FIRST_HOUR and c["passed"] for c in v["checks"])


# ---- meeting-reschedule --------------------------------------------------------------------------
def _meeting_oracle(w, f):
    from claw_gym.envs import meeting_reschedule

    return meeting_reschedule.oracle(w, f)


DESK = "the room desk was told the room and the new time"


@pytest.mark.parametrize("difficulty", [4, 5])
def test_meeting_reschedule_the_room_rule_sits_deep_beside_a_video_call_line(difficulty):
    env = _world("meeting-reschedule", difficulty)
    try:
        f, w = env.unwrapped.scenario.facts, env.unwrapped.world
        assert f["room"].startswith("Room ") and w.clock.now - f["rule_at"] >= DEPTH[difficulty]
        lines = [
            n
            for n in w.services["notes"].table("notes").values()
            if "room admin" in n["body"] or f["old_desk"] in n["body"]  # the note's desk (a chat line moves it)
        ]
        assert len(lines) == 2
    finally:
        env.close()


def _desk(body: Callable[[dict[str, Any]], str]) -> Plan:
    def plan(w, f):
        mail = A.api("mail.send", to=[f["desk"]], subject="Room", body=body(f))
        return [mail if "workmail.send" in a else a for a in _meeting_oracle(w, f)]

    return plan


def _twelve(t: int) -> str:
    d = clock.to_datetime(t)
    return f"{d:%A} {d.hour % 12 or 12}:{d.minute:02d} {'PM' if d.hour >= 12 else 'AM'}"


def test_meeting_reschedule_without_the_room_desk_fails_a_twelve_hour_mail_passes_a_hedge_fails():
    assert _failed(_run("meeting-reschedule", lambda w, f: _without(_meeting_oracle(w, f), "workmail.send"))) == [DESK]
    ok = _run("meeting-reschedule", _desk(lambda f: f"{f['room']} now {_twelve(f['final'])}, thanks"), difficulty=4)
    assert ok["passed"], _failed(ok)
    hedge = _run(
        "meeting-reschedule",
        _desk(lambda f: f"{f['room']}: {_twelve(f['final'])} or {_twelve(f['stale'])}"),
    )
    assert DESK in _failed(hedge)
