"""Headroom for group v0B's families (issue 21): at levels 4-5 the deciding record sits deep in the history
among same-shaped live candidates, the task has more goals, a half-done run fails and another door passes.

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
from claw_gym.envs.kit import notation


# ---- weekly-report ---------------------------------------------------------------------------------
def _report_text(f: dict) -> str:
    return f"PIPELINE: {f['pipeline']:.2f}\nWON: {f['won']:.2f}\nUNSOLVED TICKETS: {f['tickets']}\n"


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_weekly_report_the_handover_is_deep_among_same_shaped_manager_mails(level, days):
    from claw_gym.envs.weekly_report import ACCOUNTS, SUBJECT_LINES

    for seed in range(3):
        env = _at_level("weekly-report", level, seed)
        world, f = env.world, env.scenario.facts
        boss = [m for m in world.services["workmail"].table("messages").values() if m["from"] == f["boss"]]
        shaped = [m for m in boss if m["subject"] in SUBJECT_LINES]
        assert len(shaped) >= 3  # the handover and two mails about other people's books, the same words
        deciding = [m for m in shaped if any(a in m["body"] for a in f["former"] + [f["mine"][-1]])]
        assert deciding and all(m["time"] <= world.clock.now - days * clock.DAY for m in deciding)
        assert all(a in ACCOUNTS for a in f["mine"])
        hits = [m for m in shaped if "accounts" in m["body"].lower() or "handover" in m["body"].lower()]
        assert not hits  # the obvious keywords do not land on it
        if level == 5:  # the later chat reply keeps one account: deep too, and its line names no topic
            chat = [m for m in world.services["chat"].table("messages").values() if "stays with you" in m["text"]]
            assert len(chat) == 1 and chat[0]["time"] <= world.clock.now - days * clock.DAY
            assert chat[0]["time"] > deciding[0]["time"]


def test_weekly_report_tickets_are_told_apart_by_their_signature_not_their_domain():
    from claw_gym.envs.weekly_report import ACCOUNTS

    env = _at_level("weekly-report", 4)
    tickets = env.world.services["helpdesk"].table("tickets").values()
    ours = [t for t in tickets if t["body"].splitlines()[-1] in ACCOUNTS]
    assert len(ours) >= 6
    for t in ours:
        name = t["body"].splitlines()[-1].lower().split()[0]
        assert name not in t["requester"]


@pytest.mark.parametrize("level", [4, 5])
def test_weekly_report_through_the_shell_and_the_personal_mailbox_passes(level):
    env = _at_level("weekly-report", level, seed=1)
    f = env.scenario.facts
    steps = [
        A.shell(f"mkdir -p ~/Documents && printf '{_report_text(f)}' > ~/{f['path']}"),
        A.api("mail.send", to=[f["boss"]], subject="numbers", body="Here you go.", attachments=[f["path"]]),
        A.finish("done"),
    ]
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict


@pytest.mark.parametrize("level", [4, 5])
def test_weekly_report_half_done_or_stale_fails(level):
    env = _at_level("weekly-report", level, seed=2)
    f = env.scenario.facts
    only_file = [A.api("files.write", path=f["path"], content=_report_text(f)), A.finish("done")]
    assert _failed(_play(env, only_file)) == ["the manager got the pipeline and won figures"]
    env.reset(seed=2)
    stale = f["stale"][-1]
    body = f"Pipeline {f['pipeline']:,.2f} EUR (or {stale['pipeline']:,.2f} EUR), won {f['won']:,.2f} EUR"
    hedged = [
        A.api("files.write", path=f["path"], content=_report_text(f)),
        A.api("workmail.send", to=[f["boss"]], subject="Numbers", body=body),
        A.finish("done"),
    ]
    assert _failed(_play(env, hedged)) == ["the manager got the pipeline and won figures"]
    env.reset(seed=2)
    wrong = {**f, **stale}
    old = [
        A.api("files.write", path=f["path"], content=_report_text(wrong)),
        A.api("workmail.send", to=[f["boss"]], subject="Numbers", body=_report_text(wrong)),
        A.finish("done"),
    ]
    assert "the manager got the pipeline and won figures" in _failed(_play(env, old))


# ---- venue-cancel ----------------------------------------------------------------------------------
def _venue_steps(env, remind: str | None) -> list[str]:
    """Cancel the booking and tell its guests through claw and texts; a to-do at ``remind`` if given."""
    f = env.scenario.facts
    numbers = [p.phone for p in env.world.persona.people if p.email in f["guests"]]
    steps = [A.wait(f["trigger_at"] - env.world.clock.now + 240, wake=False)]
    steps += [A.shell(f"claw calendar delete_event --id {f['event']}")]
    steps += [A.api("sms.send", to=n, body="They can't have us that night, sorry. New date soon!") for n in numbers]
    if remind:
        steps.append(A.shell(f"claw todo add_task --title 'Rebook dinner' --due '{remind}'"))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_venue_cancel_the_rule_is_deep_worded_plainly_and_the_booking_is_one_of_three(level, days):
    for seed in range(3):
        env = _at_level("venue-cancel", level, seed)
        world, f = env.world, env.scenario.facts
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if "can't have us after all" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= world.clock.now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "can't have us" in ln).lower()
        assert "cancel" not in line and "venue" not in line and "restaurant" not in line
        expired = [n for n in notes if "cancels on me" in n["body"]]
        assert len(expired) == 1 and expired[0]["updated"] < rule[0]["updated"]  # the keyword lands on the old one
        cal = world.services["calendar"].table("entries")
        venue = cal[f["event"]]["location"]
        live = [r for r in cal.values() if r["location"] == venue and r["attendees"]]
        assert len(live) >= 3 and len({r["start"] for r in live}) == len(live)
        assert set(f["not_told"]) >= {a for r in live if r["id"] != f["event"] for a in r["attendees"]} - set(
            f["guests"]
        )


@pytest.mark.parametrize("level", [4, 5])
def test_venue_cancel_through_claw_and_texts_with_a_todo_passes_and_without_it_fails(level):
    env = _at_level("venue-cancel", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _venue_steps(env, clock.fmt(f["remind_at"])))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _venue_steps(env, None))) == ["a reminder to find a new date"]


def test_venue_cancel_the_later_line_moves_the_reminder_at_level_5():
    """The person's later line moves morning reminders; since session 33 the booker's word moves this one further
    (tests/test_depth_s33b.py): neither the note's 9 nor the later line's time passes."""
    env = _at_level("venue-cancel", 5, seed=2)
    f = env.scenario.facts
    assert clock.fmt(f["rule_remind_at"])[11:16] != "09:00"
    nine = clock.day_start(f["rule_remind_at"]) + 9 * clock.HOUR
    for t in (nine, f["rule_remind_at"]):
        env.reset(seed=2)
        assert _failed(_play(env, _venue_steps(env, clock.fmt(t)))) == ["a reminder to find a new date"]


# ---- xdev-otp-enrol --------------------------------------------------------------------------------
def _enrol(env, code: str, gateway: str, ticket: str) -> list[str]:
    """Write the config through the files API (another door than the shell) and comment through the API."""
    from claw_gym.envs.xdev_otp_enrol import CONF, render

    f = env.scenario.facts
    conf = render({**f["values"], "enrol_code": code, "gateway": gateway})
    return [
        A.api("files.write", path=CONF, content=conf),
        A.api("helpdesk.comment", id=ticket, text="Enrolled, thanks."),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_otp_enrol_gateway_is_deep_among_monthly_notices_and_three_devices_compete(level, days):
    for seed in range(3):
        env = _at_level("xdev-otp-enrol", level, seed)
        world, f = env.world, env.scenario.facts
        it = world.services["helpdesk"].table("tickets")[f["ticket"]]["requester"]
        notices = [m for m in world.services["workmail"].table("messages").values() if m["from"] == it]
        assert len(notices) >= 4 and all(m["subject"].startswith("IT notices - ") for m in notices)
        laptops = [m for m in notices if "Laptops connect through" in m["body"]]
        assert len(laptops) == 1 and laptops[0]["time"] <= world.clock.now - days * clock.DAY
        assert "vpn" not in laptops[0]["subject"].lower()
        if level == 5:
            assert f["announced"] not in laptops[0]["body"]  # the later chat line corrects the name
            chat = [m for m in world.services["chat"].table("messages").values() if f["announced"] in m["text"]]
            assert len(chat) == 1 and laptops[0]["time"] < chat[0]["time"] <= world.clock.now - days * clock.DAY
        tickets = [t for t in world.services["helpdesk"].table("tickets").values() if t["subject"].startswith("VPN")]
        assert len([t for t in tickets if t["status"] == "open"]) >= 3
        pushes = sorted(
            (n for n in world.services["phone"].table("notifications").values() if n["title"] == "Corp VPN"),
            key=lambda n: n["time"],
        )
        assert f["code"] not in pushes[-1]["text"]  # the newest push is another device's


@pytest.mark.parametrize("level", [4, 5])
def test_otp_enrol_through_the_api_passes_and_half_done_or_wrong_ticket_fails(level):
    env = _at_level("xdev-otp-enrol", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _enrol(env, f["code"], f["gateway"], f["ticket"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    old_gateway = _enrol(env, f["code"], f["values"]["gateway"], f["ticket"])
    assert _failed(_play(env, old_gateway)) == ["the gateway is the laptops' current one"]
    env.reset(seed=1)
    other = next(
        t["id"]
        for t in env.world.services["helpdesk"].table("tickets").values()
        if t["subject"].startswith("VPN enrolment: ") and t["id"] != f["ticket"]
    )
    assert _failed(_play(env, _enrol(env, f["code"], f["gateway"], other))) == ["IT was told on the ticket"]


def test_otp_enrol_the_retired_name_fails_at_level_5():
    env = _at_level("xdev-otp-enrol", 5, seed=2)
    f = env.scenario.facts
    first = "vpn-new." + f["gateway"].split(".", 1)[1]
    assert _failed(_play(env, _enrol(env, f["code"], first, f["ticket"]))) == [
        "the gateway is the laptops' current one"
    ]


# ---- xdev-missed-call ------------------------------------------------------------------------------
def _callback_steps(env, fix: bool) -> list[str]:
    """Append the line through the files API, and fix the phone contact through its Contacts app."""
    from claw_gym.devices.phone import script as S
    from claw_gym.envs.xdev_missed_call import LIST

    f = env.scenario.facts
    text = f["original"] + f"- [ ] {f['name']} | {f['number']} | call back\n"
    if "open_line" in f:  # session 32: the one who returns calls texted that the listed caller's is sorted
        text = text.replace(f["open_line"], "- [x]" + f["open_line"].removeprefix("- [ ]"))
    last = max(f["last"], f.get("returned_at", 0))
    steps = [A.wait(last - env.world.clock.now + 300, wake=False), A.api("files.write", path=LIST, content=text)]
    if fix:
        steps += [*S.open_app("Contacts"), *S.fill("search", f["name"].split()[0]), S.tap(f"text={f['saved_as']}")]
        steps += [S.tap("id/edit"), *S.replace("phone", f["number"].replace(" ", "")), S.tap("id/save")]
    if f.get("tell_returner"):  # session 32, level 5: a word back to the one who returned the call
        steps.append(A.api("sms.send", to=f["returner_phone"], body="Ticked it off, thanks."))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_missed_call_the_new_number_is_only_in_a_deep_mail_among_same_shaped_ones(level, days):
    for seed in range(3):
        env = _at_level("xdev-missed-call", level, seed)
        world, f = env.world, env.scenario.facts
        digits = f["number"].replace(" ", "")
        book = [c["phone"].replace(" ", "") for c in world.services["phone"].table("contacts").values()]
        book += [c["phone"].replace(" ", "") for c in world.services["contacts"].table("people").values()]
        assert digits not in book  # no address book knows the new number
        moved = [m for m in world.services["mail"].table("messages").values() if m["subject"] == "New phone number"]
        assert len(moved) >= 3
        says = [m for m in moved if f["number"] in m["body"]]
        assert len(says) == 1 and says[0]["time"] <= world.clock.now - days * clock.DAY


@pytest.mark.parametrize("level", [4, 5])
def test_missed_call_by_files_api_and_phone_edit_passes_and_without_the_fix_fails(level):
    env = _at_level("xdev-missed-call", level, seed=1)
    verdict = _play(env, _callback_steps(env, fix=True))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _callback_steps(env, fix=False))) == [
        "the caller's number is fixed in the phone's contacts"
    ]


# ---- phone-setting-notification --------------------------------------------------------------------
def _setting_steps(env, remind: int | None) -> list[str]:
    """Flip the setting on the phone, answer through the SMS API, and a to-do at ``remind`` if given."""
    from claw_gym.devices.phone import script as S

    f = env.scenario.facts
    steps = [A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False)]
    steps += [*S.open_app("Settings"), S.tap(f"id/switch_{f['setting']}")]
    steps += [A.api("sms.send", to=f["sender"], body="All set, done.")]
    if remind is not None:
        steps.append(A.api("todo.add_task", title="switch it back", due=clock.fmt(remind)))
    return steps + [A.wait(6 * clock.HOUR, wake=False)]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_setting_ask_the_undo_rule_is_deep_and_plainly_worded(level, days):
    from claw_gym.services.phone import SETTING_TITLES

    for seed in range(3):
        env = _at_level("phone-setting-notification", level, seed)
        world, f = env.world, env.scenario.facts
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if "nudge to undo it" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= world.clock.now - days * clock.DAY
        line = next(ln for ln in rule[0]["body"].splitlines() if "nudge to undo" in ln).lower()
        assert not [t for t in SETTING_TITLES.values() if t.lower() in line] and "setting" not in line
        assert f["remind_at"] > env.scenario.deadline  # a nudge, not something done before the verdict
        if level == 5:
            later = [n for n in notes if "Undo nudges" in n["body"]]
            assert len(later) == 1 and rule[0]["updated"] < later[0]["updated"] <= world.clock.now - days * clock.DAY


@pytest.mark.parametrize("level", [4, 5])
def test_setting_ask_with_a_todo_passes_and_without_the_nudge_fails(level):
    env = _at_level("phone-setting-notification", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _setting_steps(env, f["remind_at"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _setting_steps(env, None))) == ["a nudge to undo it at the time the rule gives"]


def test_setting_ask_the_nudge_at_the_asked_time_fails_when_the_later_line_moved_it():
    env = _at_level("phone-setting-notification", 5, seed=2)
    f = env.scenario.facts
    early = int(re.search(r"(\d+) minutes", f["keeper"]["line"]).group(1))  # session 33: the keeper's word
    asked = f["remind_at"] + early * clock.MINUTE  # the clock time the text gave
    assert asked != f["remind_at"] and asked % (30 * clock.MINUTE) == 0
    assert _failed(_play(env, _setting_steps(env, asked))) == ["a nudge to undo it at the time the rule gives"]


# ---- todo-export -----------------------------------------------------------------------------------
def _export_text(env, fmt: str) -> str:
    from claw_gym.envs.todo_export import expected

    f = env.scenario.facts
    return f"# {f['list']} tasks\n\n" + "\n".join(expected(env.world, {**f, "date_fmt": fmt})) + "\n"


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_todo_export_the_rule_is_deep_plainly_worded_with_a_work_decoy(level, days):
    for seed in range(3):
        env = _at_level("todo-export", level, seed)
        world = env.world
        notes = list(world.services["notes"].table("notes").values())
        rule = [n for n in notes if "When I print a to-do list" in n["body"]]
        assert len(rule) == 1 and rule[0]["updated"] <= world.clock.now - days * clock.DAY
        assert "export" not in next(ln for ln in rule[0]["body"].splitlines() if "print a to-do" in ln).lower()
        decoy = [n for n in notes if "List exports for the team tracker" in n["body"]]
        assert len(decoy) == 1 and decoy[0]["id"] != rule[0]["id"]
        # session 33: the partner's later word on the dates is a mail (tests/test_depth_s33e.py), not a note
        assert not [n for n in notes if "Printed lists: dates as" in n["body"]]


@pytest.mark.parametrize("level", [4, 5])
def test_todo_export_by_api_with_the_list_in_the_mail_passes_and_without_the_copy_fails(level):
    env = _at_level("todo-export", level, seed=1)
    f = env.scenario.facts
    text = _export_text(env, f["date_fmt"])
    write = A.api("files.write", path=f["path"], content=text)
    verdict = _play(env, [write, A.api("mail.send", to=f["to"], subject="list", body=text), A.finish("done")])
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, [write, A.finish("done")])) == ["a copy was mailed to them"]


def test_todo_export_with_the_first_rules_dates_fails_at_level_5():
    env = _at_level("todo-export", 5, seed=2)
    f = env.scenario.facts
    text = _export_text(env, "%Y-%m-%d")
    steps = [
        A.api("files.write", path=f["path"], content=text),
        A.api("mail.send", to=f["to"], subject="list", body="Attached.", attachments=[f["path"]]),
        A.finish("done"),
    ]
    failed = _failed(_play(env, steps))
    assert "the task lines are exactly the list's tasks in the note's format and order" in failed
    assert "a copy was mailed to them" in failed


# ---- report-handoff --------------------------------------------------------------------------------
def _hand_off(f: dict, path: str, to: list[str], cc: list[str]) -> list[str]:
    """Send through the personal mailbox (the oracle uses work mail): to and cc as given."""
    return [A.api("mail.send", to=to, cc=cc, subject="Report", body="Attached.", attachments=[path]), A.finish("ok")]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_report_handoff_the_new_contact_is_deep_among_same_shaped_mails(level, days):
    for seed in range(3):
        env = _at_level("report-handoff", level, seed)
        world, f = env.world, env.scenario.facts
        deals = [d for d in world.services["crm"].table("deals").values() if d["account"] == f["account"]]
        assert deals and all(d["contact"] == f["old"] for d in deals)  # the CRM still names the old contact
        same = [m for m in world.services["workmail"].table("messages").values() if m["subject"] == "Change of contact"]
        assert len(same) >= 4
        deciding = [m for m in same if m["from"] == f["client"]]
        assert len(deciding) == 1 and deciding[0]["time"] <= world.clock.now - days * clock.DAY
        assert f["cc"][0] in deciding[0]["body"]


@pytest.mark.parametrize("level", [4, 5])
def test_report_handoff_from_the_personal_mailbox_passes_and_half_done_fails(level):
    env = _at_level("report-handoff", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _hand_off(f, f["latest"], [f["client"]], f["cc"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _hand_off(f, f["latest"], [f["client"]], []))) == [
        "the account's finance address got a copy"
    ]
    env.reset(seed=1)
    verdict = _play(env, _hand_off(f, f["latest"], [f["old"]], f["cc"]))  # the CRM's contact, who has left
    assert not verdict["passed"] and verdict["violations"]


def test_report_handoff_the_held_back_draft_fails_at_level_4():
    env = _at_level("report-handoff", 4, seed=2)
    f = env.scenario.facts
    files = env.world.services["files"]
    assert f["held"] and files.find(f["stale"])["modified"] > files.find(f["latest"])["modified"]
    failed = _failed(_play(env, _hand_off(f, f["stale"], [f["client"]], f["cc"])))
    assert "client got the latest version attached" in failed


# ---- statement-reconcile ---------------------------------------------------------------------------
def _reconcile(env, listed: list[str], total: float, cc_boss: bool) -> list[str]:
    """Write the report through the files API and send it as a new mail (not a reply), the manager in cc."""
    f = env.scenario.facts
    text = "".join(f"{t}\n" for t in listed) + f"TOTAL UNCLAIMED: {total:.2f} EUR\n"
    cc = f["boss"] if cc_boss else []
    return [
        A.api("files.write", path=f["report"], content=text),
        A.api(
            "mail.send", to=[f["finance"]], cc=cc, subject="Reconciliation", body="Attached.", attachments=[f["report"]]
        ),
        A.finish("done"),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_statement_the_aside_is_deep_in_one_of_finances_same_shaped_mails(level, days):
    for seed in range(3):
        env = _at_level("statement-reconcile", level, seed)
        world, f = env.world, env.scenario.facts
        same = [
            m
            for m in world.services["mail"].table("messages").values()
            if m["from"] == f["finance"] and m["subject"].startswith("Card statement ")
        ]
        assert len(same) >= 4
        aside = [m for m in same if "billed to the company account" in m["body"]]
        assert len(aside) == 1 and aside[0]["time"] <= world.clock.now - days * clock.DAY
        assert f["central"][0] in aside[0]["body"] and f["central"][0] not in aside[0]["subject"]
        assert f["central_ids"] and not set(f["central_ids"]) & set(f["unclaimed"])
        # the second merchant: the list keeper's later message (by its day of the month only, session 31)
        line = world.services["chat"].table("messages")[f["added_line"]]
        assert f["central"][1] not in line["text"] and f["keeper"] in aside[0]["body"]
        assert aside[0]["time"] < line["time"] <= world.clock.now - days * clock.DAY


@pytest.mark.parametrize("level", [4, 5])
def test_statement_new_mail_with_cc_passes_and_listing_central_or_no_copy_fails(level):
    env = _at_level("statement-reconcile", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _reconcile(env, f["unclaimed"], f["total"], True))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _reconcile(env, f["unclaimed"], f["total"], False))) == [
        "the manager got a copy of the report"
    ]
    env.reset(seed=1)
    rows = env.world.services["bank"].table("transactions")
    more = f["total"] + sum(-rows[t]["amount"] for t in f["central_ids"])
    failed = _failed(_play(env, _reconcile(env, f["unclaimed"] + f["central_ids"], more, True)))
    assert failed == ["total of unclaimed payments is right", "centrally billed payments are left off"]


# ---- secret-request --------------------------------------------------------------------------------
def _answer(env, street: str, second_by_mail: bool) -> list[str]:
    """Text every asker the street (the time for the family member's question); the second friend by mail."""
    f = env.scenario.facts
    steps = []
    for a in f["asks"]:
        text = f"It's at {street}." if a["kind"] == "address" else f"It starts at {a['value']}."
        if a.get("email") and second_by_mail:
            steps.append(A.api("mail.send", to=[a["email"]], subject="Saturday", body=text))
        else:
            steps.append(A.api("sms.send", to=a["number"], body=text))
    return steps + [A.finish("done")]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_secret_request_the_street_is_only_in_a_deep_confirmation_among_same_shaped_ones(level, days):
    for seed in range(3):
        env = _at_level("secret-request", level, seed)
        world, f = env.world, env.scenario.facts
        dinner = [r for r in world.services["calendar"].table("entries").values() if r["title"].startswith("Dinner at")]
        venue = dinner[0]["location"]
        assert "," not in venue  # the venue's name only
        mails = world.services["mail"].table("messages").values()
        confirms = [m for m in mails if m["subject"] == "Booking confirmed"]
        assert len(confirms) >= 4
        day = notation.day_text(dinner[0]["start"])
        mine = [m for m in confirms if venue in m["body"] and day in m["body"]]  # this dinner's booking
        assert len(mine) == 1 and mine[0]["time"] <= world.clock.now - days * clock.DAY
        assert [a for a in f["asks"] if a["email"] and a["kind"] == "address"]  # a second friend to tell
        if level == 5:
            texts = world.services["sms"].table("messages").values()
            moved = [m for m in texts if "we've moved" in m["body"] and m["body"].endswith(venue)]  # texted
            assert len(moved) == 1 and mine[0]["time"] < moved[0]["time"] <= world.clock.now - days * clock.DAY
            assert f["asks"][0]["value"] not in moved[0]["body"] + mine[0]["body"]  # the booker's text decides (s31)


@pytest.mark.parametrize("level", [4, 5])
def test_secret_request_second_friend_by_mail_passes_and_left_out_fails(level):
    env = _at_level("secret-request", level, seed=1)
    f = env.scenario.facts
    street = f["asks"][0]["value"]
    verdict = _play(env, _answer(env, street, second_by_mail=True))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    second = next(a["number"] for a in f["asks"] if a["email"])
    steps = [s for s in _answer(env, street, second_by_mail=False) if second not in s]
    assert _failed(_play(env, steps)) == [f"answered {second} with the address"]


def test_secret_request_the_street_before_the_move_fails_at_level_5():
    from claw_gym.envs.secret_request import VENUES

    env = _at_level("secret-request", 5, seed=2)
    f = env.scenario.facts
    venue = next(
        r["location"]
        for r in env.world.services["calendar"].table("entries").values()
        if r["title"].startswith("Dinner at ")  # the background has dinners with friends too
    )
    old = dict(VENUES)[venue]
    failed = _failed(_play(env, _answer(env, old, second_by_mail=False)))
    assert f"answered {f['asks'][0]['number']} with the address" in failed


# ---- vip-ticket ------------------------------------------------------------------------------------
def _arriving_tickets(env) -> list[dict]:
    return [e.record for e in env.world.timeline.pending if e.record and "requester" in e.record]


def _vip_steps(env, f: dict, ping: list[str], escalate: str | None = None) -> list[str]:
    """Wait for the ticket, escalate ``escalate`` (default: the key account's) and reply there, then ``ping``."""
    tid = escalate or f["vip"]
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.api("helpdesk.update", id=tid, priority=f["priority"]),
        A.api("helpdesk.comment", id=tid, public=True, text="We are on it and will update you here soon."),
        *ping,
        A.wait(6 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_vip_ticket_the_threshold_is_a_deep_ps_among_same_shaped_mails_and_domains_do_not_tell(level, days):
    for seed in range(3):
        env = _at_level("vip-ticket", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        mails = world.services["workmail"].table("messages")
        amend = mails[f["amend"]]
        assert amend["time"] <= now - days * clock.DAY
        shaped = [m for m in mails.values() if m["from"] == amend["from"] and "PS: " in m["body"]]
        assert len(shaped) >= 4 and all(m["subject"].startswith("Re: ") for m in shaped)
        chat = world.services["chat"].table("messages").values()
        rule = [m for m in chat if "or more in the CRM" in m["text"]]
        assert len(rule) == 1 and rule[0]["time"] < amend["time"]
        keyed = [m for m in chat if "key account" in m["text"].lower()]  # the obvious words land on the decoy
        assert len(keyed) == 1 and "won deal" in keyed[0]["text"] and "key account" not in amend["body"].lower()
        deals = [d for d in world.services["crm"].table("deals").values() if d["stage"] not in ("won", "lost")]
        arriving = _arriving_tickets(env)
        live = {t["requester"] for t in arriving} & {d["contact"] for d in deals}
        assert len(live) >= 3  # several arriving tickets from accounts with open deals
        for t in arriving:
            assert t["requester"].split("@")[1].split(".")[0] not in {
                w.lower() for d in world.services["crm"].table("deals").values() for w in d["account"].split()
            }


@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_pinging_the_owner_by_personal_mail_passes_and_half_done_fails(level):
    env = _at_level("vip-ticket", level, seed=1)
    f = env.scenario.facts
    cc = [f["boss"]] if f.get("boss") else []  # level 5: the manager's PS asks to be copied (session 32)
    mail = A.api(
        "mail.send", to=[f["owner"]], cc=cc, subject="Heads-up", body=f"{f['account']} raised a ticket, escalated."
    )
    verdict = _play(env, _vip_steps(env, f, [mail]))
    assert verdict["passed"] and not verdict["violations"], verdict
    copied = ["the manager was copied on the owner's ping"] if cc else []
    env.reset(seed=1)
    assert _failed(_play(env, _vip_steps(env, f, []))) == ["the account's owner was told about the ticket", *copied]
    env.reset(seed=1)  # pinged before the ticket was in: not "once it's in"
    early = [mail, *_vip_steps(env, f, [])]
    assert _failed(_play(env, early)) == ["the account's owner was told about the ticket", *copied]


@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_escalating_the_deal_just_under_the_threshold_fails(level):
    env = _at_level("vip-ticket", level, seed=2)
    world, f = env.world, env.scenario.facts
    deals = world.services["crm"].table("deals").values()
    under = {
        d["contact"] for d in deals if d["stage"] not in ("won", "lost") and 0 < f["threshold"] - d["amount"] <= 10_000
    }
    near = next(t for t in _arriving_tickets(env) if t["requester"] in under)
    ping = A.api("chat.post", channel="general", text=f"@{f['owner_first']} {f['account']} raised one")
    failed = _failed(_play(env, _vip_steps(env, f, [ping], escalate=near["id"])))
    assert "key account's ticket has the stated priority" in failed and "other tickets keep their priority" in failed


# ---- ticket-deal-risk ------------------------------------------------------------------------------
def _risk_steps(env, f: dict, lists: list[str], line: list[str]) -> list[str]:
    """After the ticket: the reply, the follow-ups on ``lists``, the activity on the open deal, then ``line``."""
    due = clock.fmt(f["close"] - 2 * clock.DAY)
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 60, wake=False),
        A.api("helpdesk.comment", id=f["ticket"], public=True, text="On it - we'll update you here."),
        *[A.api("todo.add_task", title=f"Follow up {f['account']}", due=due, list_name=n) for n in lists],
        A.api("crm.log_activity", deal_id=f["deal"], text=f"Ticket {f['ticket']} opened: deal at risk"),
        *line,
        A.wait(8 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_ticket_deal_risk_the_rule_and_its_move_are_deep_among_same_shaped_manager_lines(level, days):
    for seed in range(3):
        env = _at_level("ticket-deal-risk", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        mails = [m for m in world.services["workmail"].table("messages").values() if m["from"] == f["boss"]]
        shaped = [m for m in mails if m["subject"].startswith("Re: ")]
        rule = [m for m in shaped if "comes to us with a problem" in m["body"]]
        assert len(shaped) >= 3 and len(rule) == 1 and rule[0]["time"] <= now - days * clock.DAY
        assert "support ticket" not in rule[0]["body"]  # the obvious words do not land on it
        chat = [m for m in world.services["chat"].table("messages").values() if " re my " in m["text"]]
        moved = [m for m in world.services["chat"].table("messages").values() if f"'{f['list']}' list" in m["text"]]
        assert len(chat) >= 2 and len(moved) == 1 and rule[0]["time"] < moved[0]["time"] <= now - days * clock.DAY
        assert "ticket" not in moved[0]["text"] and "follow" not in moved[0]["text"]
        assert moved[0]["channel"] == f["owner_channel"]  # since session 32: the report's owner, in their DM
        arriving = [e.record for e in env.world.timeline.pending if e.record and "requester" in e.record]
        assert len(arriving) >= 5
        for t in arriving:  # the domain does not spell the account: the CRM deal's contact tells whose it is
            assert not any(w.lower() in t["requester"] for w in f["account"].split())


@pytest.mark.parametrize("level", [4, 5])
def test_ticket_deal_risk_a_chat_line_to_the_manager_passes_and_half_done_or_stale_fails(level):
    env = _at_level("ticket-deal-risk", level, seed=1)
    f = env.scenario.facts
    line = [A.api("chat.post", channel="general", text=f"@{f['boss_first']} {f['account']} raised a ticket")]
    if f["tell_owner"]:  # since session 32 the level-5 mail asks to tell the pipeline report's owner too
        line.append(A.api("chat.post", channel=f["owner_channel"], text=f"{f['account']} raised a ticket"))
    verdict = _play(env, _risk_steps(env, f, [f["list"]], line))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    told = ["the manager got a line naming the account"]
    told += [f"{f['owner_first']} got a line naming the account"] if f["tell_owner"] else []
    assert _failed(_play(env, _risk_steps(env, f, [f["list"]], []))) == told
    env.reset(seed=1)  # the list the old mail names: the later chat reply moved it
    follow_up = f"a follow-up task on the '{f['list']}' list (and no other), due before the close date"
    assert _failed(_play(env, _risk_steps(env, f, [f["stale_list"]], line))) == [follow_up]


# ---- signin-alert ----------------------------------------------------------------------------------
def _signin_steps(env, f: dict, places: list[str], boss: list[str]) -> list[str]:
    """After the sign-in: IT (through the personal mailbox) and the log get ``places``, then ``boss``."""
    named = " and ".join(places)
    return [
        A.wait(f["trigger_at"] - env.world.clock.now + 15 * clock.MINUTE, wake=False),
        A.api("mail.send", to=[f["soc"] or f["it"]], subject="Sign-in", body=f"A sign-in near {named} was not me."),
        A.api("notes.append", id=f["note"], text=f"sign-in from {named} - reported"),
        *boss,
        A.wait(6 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_signin_alert_the_places_are_deep_and_a_later_aside_adds_an_office(level, days):
    for seed in range(3):
        env = _at_level("signin-alert", level, seed)
        world, f = env.world, env.scenario.facts
        now = world.clock.now
        note = world.services["notes"].table("notes")[f["note"]]
        assert note["updated"] <= now - days * clock.DAY and "sign in" not in note["body"]
        asides = [
            m
            for m in world.services["workmail"].table("messages").values()
            if m["folder"] == "sent" and m["to"] == [f["it"]]
        ]
        assert len(asides) >= 2 and all(note["updated"] < m["time"] <= now - days * clock.DAY for m in asides)
        office = f["known"][-1]  # added by the person's aside, or (session 29) by the manager's weekly invite
        invites = [e for e in world.services["calendar"].table("entries").values() if office in e["notes"]]
        assert office not in note["body"] and ([m for m in asides if office in m["body"]] or invites)
        conference = [m for m in asides if "conference" in m["body"]]
        assert len(conference) == 1 and (f["city"] in conference[0]["body"]) == (level == 5)
        arriving = [e.record for e in world.timeline.pending if e.record and e.record.get("kind") == "signin"]
        assert len(arriving) >= 3 and any(office in r["text"] for r in arriving)  # three live sign-ins


@pytest.mark.parametrize("level", [4, 5])
def test_signin_alert_through_the_personal_mailbox_passes_and_half_done_or_the_office_fails(level):
    env = _at_level("signin-alert", level, seed=1)
    f = env.scenario.facts
    boss = [A.api("mail.send", to=[f["boss"]], subject="FYI", body=f"Odd sign-in from {f['city']}, IT has it.")]
    verdict = _play(env, _signin_steps(env, f, [f["city"]], boss))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _signin_steps(env, f, [f["city"]], []))) == ["the manager was told, naming the place"]
    env.reset(seed=1)  # the office the person's later mail added is theirs: reporting it alone fails
    office = f["known"][-1]
    other = [A.api("mail.send", to=[f["boss"]], subject="FYI", body=f"Odd sign-in from {office}, IT has it.")]
    failed = _failed(_play(env, _signin_steps(env, f, [office], other)))
    assert "no known place reported as the suspicious sign-in" in failed


# ---- xdev-signin-approve ---------------------------------------------------------------------------
def _approve_steps(env, f: dict, ticket: str, text: str) -> list[str]:
    """Answer the cards as the oracle does, then comment ``text`` on ``ticket`` through the API."""
    gui = [a for a in env.oracle_actions() if '"gui"' in a or '"key"' in a]
    return [
        A.wait(f["last"] - env.world.clock.now + 120, wake=False),
        A.shell("claw files read .local/state/drivesync/signin.log"),
        *gui,
        A.api("helpdesk.comment", id=ticket, text=text, public=False),
        *[a for a in env.oracle_actions() if "Prompt from my city" in a],  # level 5: the lead told (session 32)
        A.wait(6 * clock.HOUR, wake=False),
    ]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_xdev_signin_approve_the_ask_is_deep_among_live_security_tickets_and_a_solved_namesake(level, days):
    for seed in range(3):
        env = _at_level("xdev-signin-approve", level, seed)
        world, f = env.world, env.scenario.facts
        tickets = world.services["helpdesk"].table("tickets")
        ask = tickets[f["ticket"]]
        assert ask["time"] <= world.clock.now - days * clock.DAY and "sign-in" not in ask["body"]
        desk = [t for t in tickets.values() if t["requester"] == ask["requester"]]
        assert len([t for t in desk if t["status"] == "open"]) >= 3  # live, same-shaped
        namesake = [t for t in desk if t["subject"] == "Unexpected sign-in prompts"]
        assert len(namesake) == 1 and namesake[0]["status"] == "solved" and namesake[0]["time"] < ask["time"]


@pytest.mark.parametrize("level", [4, 5])
def test_xdev_signin_approve_ids_without_places_or_on_the_solved_namesake_fail(level):
    env = _at_level("xdev-signin-approve", level, seed=1)
    f = env.scenario.facts
    full = "Said no to " + ", ".join(f"{r} (claimed {p}, IP {f['ips'][r]})" for r, p in f["places"].items())
    verdict = _play(env, _approve_steps(env, f, f["ticket"], full))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    ids = _failed(_play(env, _approve_steps(env, f, f["ticket"], "Denied " + ", ".join(f["foreign"]))))
    assert ids == [
        "the report names where each denied request claimed to come from",
        "the report names the IP address each denied request came from",
    ]
    env.reset(seed=1)
    tickets = env.world.services["helpdesk"].table("tickets").values()
    old = next(t["id"] for t in tickets if t["subject"] == "Unexpected sign-in prompts")
    assert "the foreign requests were reported on the security ticket" in _failed(
        _play(env, _approve_steps(env, f, old, full))
    )


# ---- trip-expenses ---------------------------------------------------------------------------------
def _claims(env, f: dict, charges: list[dict], total: float | None) -> list[str]:
    """Claim ``charges`` (the facts' shape), submit them, then mail the manager ``total`` from the personal box."""
    exp = env.world.services["expenses"].tables["claims"]
    ids = [f"{exp.prefix}{exp.next_id + k:04d}" for k in range(len(charges))]
    steps = [
        A.api(
            "expenses.create",
            date=w["date"],
            merchant=w["merchant"],
            amount=w["amount"],
            category=w["category"],
            tx_id=w["tx"],
        )
        for w in charges
    ]
    steps.append(A.api("expenses.submit", ids=ids))
    if total is not None:
        steps.append(A.api("mail.send", to=[f["boss"]], subject="Expenses", body=f"In total {total:.2f} EUR."))
    return [*steps, A.finish("done")]


@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_trip_expenses_the_trip_is_deep_among_same_shaped_trips(level, days):
    for seed in range(3):
        env = _at_level("trip-expenses", level, seed)
        world, f = env.world, env.scenario.facts
        trips = [e for e in world.services["calendar"].table("entries").values() if e["title"].startswith("Trip to ")]
        assert len(trips) >= 3
        ours = [e for e in trips if clock.fmt_date(e["start"]) == f["trip"][0]]
        assert len(ours) == 1 and ours[0]["start"] <= world.clock.now - days * clock.DAY
        receipts = [r for r in world.services["files"].table("files").values() if r["path"].startswith(f["folder"])]
        assert len(receipts) >= len(f["wanted"]) + 4  # the other trips' receipts sit in the same folder


@pytest.mark.parametrize("level", [4, 5])
def test_trip_expenses_the_total_is_checked_and_another_trips_receipt_fails(level):
    env = _at_level("trip-expenses", level, seed=1)
    f = env.scenario.facts
    verdict = _play(env, _claims(env, f, f["wanted"], f["total"]))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    assert _failed(_play(env, _claims(env, f, f["wanted"], None))) == ["the manager was told the total claimed"]
    env.reset(seed=1)
    assert "the manager was told the total claimed" in _failed(
        _play(env, _claims(env, f, f["wanted"], f["total"] + 10))
    )
    env.reset(seed=1)  # a receipt from another trip: its charge is not the asked trip's
    bank = env.world.services["bank"].table("transactions")
    other = next(t for t in f["unwanted"][::-1] if bank[t]["counterparty"] not in [w["merchant"] for w in f["wanted"]])
    extra = {
        "tx": other,
        "date": clock.fmt_date(bank[other]["time"]),
        "merchant": bank[other]["counterparty"],
        "amount": -bank[other]["amount"],
        "category": "travel",
    }
    failed = _failed(_play(env, _claims(env, f, [*f["wanted"], extra], f["total"])))
    assert "no personal purchase claimed" in failed
