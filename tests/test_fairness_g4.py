"""Fair and honest verdicts for group g4's families (issue 20: fair checks; issue 15: honest ones).

Per family: the oracle passes and every check says where the agent learns it is required
(``because``); another solution a careful person would accept passes (another door, order,
wording or format); a hedge with every candidate fails; in proactive families, acting on the
family's pattern before the trigger fails. Action lists are built from the facts, like the oracle.
"""

from __future__ import annotations

import json

import gymnasium as gym
import pytest
from episodes import play as _play

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import families

G4 = [
    "todo-export",
    "trip-expenses",
    "venue-cancel",
    "vip-ticket",
    "weekly-report",
    "xdev-missed-call",
    "xdev-otp-enrol",
    "xdev-phone-link",
    "xdev-shift-alarms",
    "xdev-signin-approve",
]
ALL = families()


def _env(family: str, seed: int, level: int = 1):
    specs = [s for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"]) if s.difficulty >= level]
    env = gym.make(specs[(seed * 7) % len(specs)].env_id).unwrapped
    env.reset(seed=seed)
    return env


def _failed(verdict: dict) -> list[str]:
    return [c["name"] for c in verdict["checks"] if not c["passed"]]


def _passes(verdict: dict) -> None:
    assert verdict["passed"] and not verdict["violations"], verdict


@pytest.mark.parametrize("family", G4)
def test_oracle_passes_and_every_check_says_because(family):
    for seed in (0, 1):
        env = _env(family, seed)
        verdict = _play(env, env.oracle_actions())
        _passes(verdict)
        for c in verdict["checks"]:
            assert c["because"].strip(), (family, c["name"])
            assert c["detail"].strip(), (family, c["name"])  # what was observed, passed or not


# ---- todo-export ---------------------------------------------------------------------------------
def test_todo_export_by_the_api_with_a_title_case_heading_passes():
    from envs import todo_export as M

    for seed in (0, 3):
        env = _env("todo-export", seed)
        f = env.scenario.facts
        body = f"# {f['list'].title()} tasks\n" + "\n".join(M.expected(env.world, f)) + "\n"
        _passes(_play(env, [A.api("notes.list", query="export"), A.api("files.write", path=f["path"], content=body)]))


def test_todo_export_details_are_true_when_passed():
    env = _env("todo-export", 0)
    verdict = _play(env, env.oracle_actions())
    written = next(c for c in verdict["checks"] if c["name"] == "export written")
    assert "no file" not in written["detail"] and written["passed"]


# ---- trip-expenses -------------------------------------------------------------------------------
def _claim(w: dict, day: str | None = None) -> str:
    return A.api(
        "expenses.create",
        date=day or w["date"],
        merchant=w["merchant"],
        amount=w["amount"],
        category=w["category"],
        tx_id=w["tx"],
    )


def _total(f: dict) -> list[str]:
    """From level 4 the manager's mail asks for the total: sent from the personal mailbox here."""
    body = f"Total claimed: {f['total']:.2f} EUR"
    return [A.api("mail.send", to=[f["boss"]], subject="Expenses", body=body)] if f.get("boss") else []


def test_trip_expenses_in_another_order_submitted_one_by_one_passes():
    env = _env("trip-expenses", 1)
    f = env.scenario.facts
    exp = env.world.services["expenses"].tables["claims"]
    ids = [f"{exp.prefix}{exp.next_id + k:04d}" for k in range(len(f["wanted"]))]
    steps = [_claim(w) for w in reversed(f["wanted"])] + [A.api("expenses.submit", ids=[i]) for i in ids]
    _passes(_play(env, steps + _total(f)))


def test_trip_expenses_hedge_claiming_every_receipt_fails():
    env = _env("trip-expenses", 0, level=2)
    f = env.scenario.facts
    bank = env.world.services["bank"].table("transactions")
    exp = env.world.services["expenses"].tables["claims"]
    n = len(f["wanted"]) + len(f["unwanted"])
    steps = [_claim(w) for w in f["wanted"]]
    steps += [
        A.api(
            "expenses.create",
            date=clock.fmt_date(bank[t]["time"]),
            merchant=bank[t]["counterparty"],
            amount=-bank[t]["amount"],
            category="other",
            tx_id=t,
        )
        for t in f["unwanted"]
    ]
    steps.append(A.api("expenses.submit", ids=[f"{exp.prefix}{exp.next_id + k:04d}" for k in range(n)]))
    verdict = _play(env, steps)
    assert not verdict["passed"] and "no personal purchase claimed" in _failed(verdict)


def test_trip_expenses_claim_dated_wrong_fails():
    env = _env("trip-expenses", 0)
    f = env.scenario.facts
    exp = env.world.services["expenses"].tables["claims"]
    ids = [f"{exp.prefix}{exp.next_id + k:04d}" for k in range(len(f["wanted"]))]
    wrong = clock.fmt_date(env.world.clock.now)
    steps = [_claim(w, wrong if k == 0 else None) for k, w in enumerate(f["wanted"])]
    verdict = _play(env, steps + [A.api("expenses.submit", ids=ids), *_total(f)])
    assert _failed(verdict) == [f"{f['wanted'][0]['merchant']} {f['wanted'][0]['date']} claim is dated as the receipt"]


# ---- venue-cancel ----------------------------------------------------------------------------------
def _numbers(env, emails: list[str]) -> list[str]:
    return [p.phone for p in env.world.persona.people if p.email in emails]


def test_venue_cancel_marked_cancelled_and_guests_texted_passes():
    env = _env("venue-cancel", 2, level=3)
    f = env.scenario.facts
    ev = env.world.services["calendar"].table("entries")[f["event"]]
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 300, wake=False),
        A.api("calendar.update_event", id=f["event"], title=f"CANCELLED - {ev['title']}"),
    ]
    steps += [
        A.api("sms.send", to=n, body="The venue cancelled our booking, sorry! New date soon.")
        for n in _numbers(env, f["guests"])
    ]
    if "remind_at" in f:  # from level 4 the rule also asks for a reminder: a calendar entry through claw is one
        at, end = clock.fmt(f["remind_at"]), clock.fmt(f["remind_at"] + 900)
        steps.append(A.shell(f"claw calendar create_event --title 'Find a new date' --start '{at}' --end '{end}'"))
    _passes(_play(env, steps + [A.wait(6 * clock.HOUR, wake=False)]))


def test_venue_cancel_telling_everyone_before_the_notice_fails():
    env = _env("venue-cancel", 1, level=2)
    f = env.scenario.facts
    cal = env.world.services["calendar"].table("entries")
    venue = cal[f["event"]]["location"]
    at_venue = [r for r in cal.values() if r.get("location") == venue]
    guests = sorted({a for r in at_venue for a in r["attendees"]})
    steps = [A.api("mail.send", to=guests, subject="Our booking", body="The venue cancelled, sorry.")]
    steps += [
        A.wait(f["trigger_at"] - env.world.clock.now + 300, wake=False),
        A.api("calendar.delete_event", id=f["event"]),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    verdict = _play(env, steps)
    assert not verdict["passed"] and any(n.startswith("guest ") for n in _failed(verdict))


# ---- vip-ticket ------------------------------------------------------------------------------------
def test_vip_ticket_answered_by_mail_through_claw_passes():
    env = _env("vip-ticket", 1)
    f = env.scenario.facts
    steps = [
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.shell(f"claw helpdesk update {f['vip']} --priority {f['priority']}"),
    ]
    req = next(e.record["requester"] for e in env.world.timeline.pending if e.record and e.record["id"] == f["vip"])
    steps += [
        A.api("workmail.send", to=[req], subject="Your ticket", body="We are on it and will update you soon."),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    if f.get("owner"):  # from level 4 the reply also says to ping the account's owner: in the chat here
        copy = f" @{f['boss_first']}" if f.get("boss") else ""  # level 5: the manager's PS asks to be copied
        steps.insert(
            -1, A.api("chat.post", channel="general", text=f"@{f['owner_first']}{copy} {f['account']} raised one")
        )
    _passes(_play(env, steps))


def test_vip_ticket_mail_before_the_ticket_arrived_fails():
    env = _env("vip-ticket", 0)
    f = env.scenario.facts
    req = next(e.record["requester"] for e in env.world.timeline.pending if e.record and e.record["id"] == f["vip"])
    steps = [
        A.api("workmail.send", to=[req], subject="Your account", body="We are on it."),
        A.wait(f["trigger_at"] - env.world.clock.now + 120, wake=False),
        A.api("helpdesk.update", id=f["vip"], priority=f["priority"]),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    assert _failed(_play(env, steps)) == ["key account got a public reply"]


# ---- weekly-report ---------------------------------------------------------------------------------
def _report(env, text: str) -> dict:
    return _play(env, [A.api("files.write", path=env.scenario.facts["path"], content=text)])


def test_weekly_report_in_other_formats_passes():
    env = _env("weekly-report", 0)
    f = env.scenario.facts
    p, w = f["pipeline"], f["won"]
    de = f"{p:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    _passes(
        _report(
            env,
            f"Accounts: {', '.join(f['mine'])}\npipeline: {de} EUR\nWON: €{w:,.2f}\n"
            f"UNSOLVED TICKETS: {f['tickets']} (open + pending)\n",
        )
    )


@pytest.mark.parametrize("hedge", ["or", "lines"])
def test_weekly_report_hedges_fail(hedge):
    env = _env("weekly-report", 1)
    f = env.scenario.facts
    p, w, t = f["pipeline"], f["won"], f["tickets"]
    if hedge == "or":
        text = f"PIPELINE: EUR {p:,.2f} or EUR {p + w:,.2f}\nWON: EUR {w:,.2f}\nUNSOLVED TICKETS: {t} or {t + 1}\n"
    else:
        text = (
            f"PIPELINE: EUR {p:,.2f}\nPIPELINE: EUR {p + w:,.2f}\nWON: EUR {w:,.2f}\nUNSOLVED TICKETS: {t}\n"
            f"UNSOLVED TICKETS: {t + 1}\n"
        )
    failed = _failed(_report(env, text))
    assert "pipeline figure is right" in failed and "tickets figure is right" in failed


# ---- xdev-missed-call ------------------------------------------------------------------------------
def test_missed_call_line_by_the_api_in_other_words_passes():
    env = _env("xdev-missed-call", 0, level=2)
    f = env.scenario.facts
    gui = [a for a in env.oracle_actions() if json.loads(a)["kind"] == "gui"]
    line = f"- [ ] {f['name']} | {f['number'].replace(' ', '-')} | voicemail: {f['about']}"
    steps = [
        A.wait(f["last"] - env.world.clock.now + 600, wake=False),
        *gui,
        A.api("files.write", path="Documents/callbacks.md", content=f["original"] + line + "\n"),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    _passes(_play(env, steps))


def test_missed_call_line_written_before_the_call_fails():
    env = _env("xdev-missed-call", 1)
    f = env.scenario.facts
    line = f"- [ ] {f['name']} | {f['number']} | call back"
    steps = [A.shell(f"printf '%s\\n' '{line}' >> ~/Documents/callbacks.md"), A.wait(6 * clock.HOUR, wake=False)]
    verdict = _play(env, steps)
    assert _failed(verdict) == ["the line was written after the call was missed"], verdict


# ---- xdev-otp-enrol --------------------------------------------------------------------------------
def _conf_with(env, module, key: str, value: str) -> str:
    f = env.scenario.facts
    vals = dict(f["values"])
    text = module.render({**vals, key: "@@"})
    return text.replace(f"{key} = @@", f"{key} = {value}")


def test_otp_enrol_by_the_api_with_a_quoted_commented_value_passes():
    from envs import xdev_otp_enrol as M

    env = _env("xdev-otp-enrol", 0)
    f = env.scenario.facts
    steps = [
        S.open_shade(),
        A.key("back"),
        A.api("files.write", path=M.CONF, content=_conf_with(env, M, "enrol_code", f'"{f["code"]}"  # phone')),
        A.api("helpdesk.comment", id=f["ticket"], text="Enrolment done on the laptop."),
    ]
    _passes(_play(env, steps))


def test_otp_enrol_hedge_with_both_codes_fails():
    from envs import xdev_otp_enrol as M

    env = _env("xdev-otp-enrol", 1)
    f = env.scenario.facts
    steps = [
        A.api("files.write", path=M.CONF, content=_conf_with(env, M, "enrol_code", f"{f['code']} {f['old']}")),
        A.api("helpdesk.comment", id=f["ticket"], text="Done."),
    ]
    assert _failed(_play(env, steps)) == ["enrol_code is the newest code from the phone"]


# ---- xdev-phone-link -------------------------------------------------------------------------------
def test_phone_link_fixed_at_once_by_the_api_passes():
    """The log and the phone's code are there from the start: fixing before syncd's mail is allowed."""
    from envs import xdev_phone_link as M

    env = _env("xdev-phone-link", 0)
    f = env.scenario.facts
    steps = [
        A.shell(f"cat ~/{M.LOG}"),
        S.open_shade(),
        A.key("back"),
        *S.open_app("Settings"),
        S.tap("id/switch_bluetooth"),
        A.api("files.write", path=M.CONF, content=_conf_with(env, M, "pair_code", f"'{f['code']}'")),
        A.wait(f["trigger_at"] - env.world.clock.now + 600, wake=False),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    _passes(_play(env, steps))


def test_phone_link_hedge_with_both_codes_fails():
    from envs import xdev_phone_link as M

    env = _env("xdev-phone-link", 1)
    f = env.scenario.facts
    steps = [
        *S.open_app("Settings"),
        S.tap("id/switch_bluetooth"),
        A.api("files.write", path=M.CONF, content=_conf_with(env, M, "pair_code", f"{f['code']},{f['old']}")),
        A.wait(f["trigger_at"] - env.world.clock.now + 600, wake=False),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    assert _failed(_play(env, steps)) == ["pair_code is the phone's new code"]


# ---- xdev-shift-alarms -----------------------------------------------------------------------------
def _alarms(pairs: list[list[str]], label: str) -> list[str]:
    steps = [*S.open_app("Clock")]
    for t, d in sorted(pairs, reverse=True):  # one alarm per shift, latest first
        steps += [
            S.tap("id/add_alarm"),
            *S.fill("time", t),
            *S.fill("label", label),
            *S.fill("days", d),
            S.tap("id/save"),
        ]
    return steps


def test_shift_alarms_one_per_shift_in_another_order_passes():
    env = _env("xdev-shift-alarms", 0, level=2)
    f = env.scenario.facts
    _passes(_play(env, [A.shell("ls ~/Documents/rota"), *_alarms(f["want"], "Work")]))


def test_shift_alarms_hedge_for_both_rotas_fails():
    env = _env("xdev-shift-alarms", 1)
    f = env.scenario.facts
    both = sorted({tuple(p) for p in f["want"] + f["stale"]})
    verdict = _play(env, _alarms([list(p) for p in both], "Shift"))
    assert _failed(verdict) == ["no alarm for a shift that is not on the corrected rota"]


def test_shift_alarms_changes_come_by_text_with_no_revised_file():
    """The correction is a text in plain words; no second rota file, nothing in a name says 'revised'."""
    for level in (1, 3, 5):
        env = _at_level("xdev-shift-alarms", level)
        names = [r["path"] for r in env.world.services["files"].table("files").values() if "rota" in r["path"]]
        assert not any(w in n.lower() for n in names for w in ("rev", "corrected", "final", "v2"))
        rota = [
            m
            for m in env.world.services["sms"].table("messages").values()
            if "next week's rota" in m["body"] or "for next week:" in m["body"]
        ]
        assert len(rota) == 1 and rota[0]["time"] < env.world.clock.now
        stale = _play(env, _alarms(env.scenario.facts["stale"], "Shift"))
        assert "an alarm before every shift of the corrected rota" in _failed(stale)


def test_shift_alarms_instruction_names_the_real_sender():
    for spec in claw_gym.catalog(family="xdev-shift-alarms", split=["train", "test", "heldout"]):
        env = gym.make(spec.env_id).unwrapped
        env.reset(seed=0)
        text = env.scenario.instruction
        if "texted me a change" in text:
            sender = text.split(" texted me a change")[0].split()[-1]
            phones = {p.phone for p in env.world.persona.people if p.first == sender}
            texts = [
                m
                for m in env.world.services["sms"].table("messages").values()
                if "rota" in m["body"] and m["number"] in phones
            ]
            assert texts, (spec.task_id, text)
            return
    pytest.fail("no task names the sender")


# ---- xdev-signin-approve ---------------------------------------------------------------------------
def test_signin_comment_naming_our_approved_request_too_passes():
    """The known player's answer: deny the foreign ones, say which one was approved and why."""
    env = _env("xdev-signin-approve", 0)
    f = env.scenario.facts
    gui = [a for a in env.oracle_actions() if json.loads(a)["kind"] in ("gui", "key")]
    text = (
        f"Denied {' and '.join(f['foreign'])}: not started by me. Approved only {f['ours']}, which my own laptop "
        f"logged."
    )
    if f.get("places"):  # from level 4 the ticket also asks where each one claimed to come from
        text += " Claimed places: " + ", ".join(f"{r} {p}" for r, p in f["places"].items())
    steps = [
        A.wait(f["last"] - env.world.clock.now + 120, wake=False),
        A.shell("claw files read .local/state/drivesync/signin.log"),
        *gui,
        A.api("helpdesk.comment", id=f["ticket"], text=text, public=False),
        A.wait(6 * clock.HOUR, wake=False),
    ]
    _passes(_play(env, steps))


def test_signin_comment_missing_a_foreign_id_fails():
    env = _env("xdev-signin-approve", 1, level=3)
    f = env.scenario.facts
    places = " ".join(f.get("places", {}).values())  # from level 4 the claimed places: named, not the point here
    places += " " + " ".join(f.get("ips", {}).values())  # and the IPs the security lead asked for (session 32)
    steps = [
        a
        if "helpdesk comment" not in a
        else A.api("helpdesk.comment", id=f["ticket"], text=f"Denied {f['foreign'][0]}. {places}")
        for a in env.oracle_actions()
    ]
    assert _failed(_play(env, steps)) == ["the foreign requests were reported on the security ticket"]


def _at_level(family: str, level: int, seed: int = 0):
    spec = claw_gym.catalog(family=family, difficulty=level, split=["train", "test", "heldout"])[0]
    env = gym.make(spec.env_id).unwrapped
    env.reset(seed=seed)
    return env


@pytest.mark.parametrize("level", [4, 5])
def test_vip_ticket_rule_is_an_old_chat_reply_and_a_later_mail_lowers_the_threshold(level):
    import re

    env = _at_level("vip-ticket", level)
    world, f = env.world, env.scenario.facts
    rule = [m for m in world.services["chat"].table("messages").values() if "or more in the CRM" in m["text"]]
    assert len(rule) == 1 and rule[0]["time"] <= world.clock.now - 30 * clock.DAY
    later = [m for m in world.services["workmail"].table("messages").values() if "make that" in m["body"]]
    assert len(later) == 1 and rule[0]["time"] < later[0]["time"] < world.clock.now
    said = int(re.search(r"of ([\d,]+) or more", rule[0]["text"]).group(1).replace(",", ""))
    now = int(re.search(r"make that ([\d,]+)", later[0]["body"]).group(1).replace(",", ""))
    from claw_gym.envs.vip_ticket import ACCOUNTS

    deals = [
        d
        for d in world.services["crm"].table("deals").values()
        if d["stage"] not in ("won", "lost") and d["account"] in ACCOUNTS
    ]
    key = [d for d in deals if d["account"] == f["account"] and d["amount"] >= now]
    assert key and all(d["amount"] < said for d in deals)  # by the old figure nobody is key: the mail decides
    _passes(_play(env, env.oracle_actions()))


@pytest.mark.parametrize("level", [4, 5])
def test_weekly_report_counting_accounts_the_old_note_lists_fails(level):
    """The note (60+ days old) still lists handed-over accounts; the manager's mail (30+ days back) moved them."""
    from claw_gym.envs.weekly_report import ACCOUNTS

    env = _at_level("weekly-report", level)
    world, f = env.world, env.scenario.facts
    note = next(n for n in world.services["notes"].table("notes").values() if n["title"] == "My accounts")
    assert f["former"] and all(a in note["body"] for a in f["former"])  # from level 4 the person also gained one
    assert note["updated"] <= world.clock.now - 60 * clock.DAY
    mails = [m for m in world.services["workmail"].table("messages").values() if f["former"][0] in m["body"]]
    assert len(mails) == 1 and mails[0]["time"] <= world.clock.now - 30 * clock.DAY
    listed = {a for a in ACCOUNTS if a in note["body"]}
    assert set(f["former"]) <= listed and not set(f["mine"]) <= listed
    deals = [d for d in world.services["crm"].table("deals").values() if d["account"] in listed]
    pipeline = sum(d["amount"] for d in deals if d["stage"] not in ("won", "lost"))
    won = sum(d["amount"] for d in deals if d["stage"] == "won")
    stale = f"PIPELINE: {pipeline:.2f}\nWON: {won:.2f}\nUNSOLVED TICKETS: {f['tickets']}\n"
    assert {"pipeline figure is right", "won figure is right"} <= set(_failed(_report(env, stale)))


# ---- depth: the deciding rule sits deep in the history, among records of its kind (issue 21) --------
def _notes_with(text: str):
    return lambda world, f: [n for n in world.services["notes"].table("notes").values() if text in n["body"]]


def _boss_mail_with(text: str):
    return lambda world, f: [m for m in world.services["workmail"].table("messages").values() if text in m["body"]]


DEEP = {
    "phone-dnd-meeting": (
        _notes_with("the board sits, the phone goes quiet"),
        "notes",
        "notes",
    ),  # levels 4-5's wording
    "phone-missed-call": (_notes_with("phone them at a set hour"), "notes", "notes"),  # levels 4-5's wording
    "todo-export": (_notes_with("When I print a to-do list"), "notes", "notes"),
    "venue-cancel": (_notes_with("can't have us after all"), "notes", "notes"),
    "signin-alert": (_notes_with("only ever on my accounts from"), "notes", "notes"),
    "ticket-deal-risk": (_boss_mail_with("comes to us with a problem"), "workmail", "messages"),
    "vip-ticket": (
        lambda world, f: [
            m for m in world.services["chat"].table("messages").values() if "or more in the CRM" in m["text"]
        ],
        "chat",
        "messages",
    ),
    "xdev-signin-approve": (
        lambda world, f: [world.services["helpdesk"].table("tickets")[f["ticket"]]],
        "helpdesk",
        "tickets",
    ),
}


@pytest.mark.parametrize("family", sorted(DEEP))
@pytest.mark.parametrize("level,days", [(4, 30), (5, 60)])
def test_the_deciding_rule_is_deep_in_the_history_among_its_kind(family, level, days):
    find, service, table = DEEP[family]
    for seed in range(4):
        env = _at_level(family, level, seed)
        world = env.world
        found = find(world, env.scenario.facts)
        assert len(found) == 1, (family, seed, found)
        rec = found[0]
        at = rec.get("updated", rec.get("time"))
        assert at <= world.clock.now - days * clock.DAY, (family, seed, clock.fmt(at), clock.fmt(world.clock.now))
        assert len(world.services[service].table(table)) >= 3  # found by searching among others of its kind
        titles = {n["title"].lower() for n in world.services["notes"].table("notes").values()}
        assert not titles & BANNED_TITLES, titles & BANNED_TITLES


BANNED_TITLES = {
    "assistant rules",
    "standing orders",
    "phone rules",
    "phone habits",
    "support playbook",
    "account playbook",
    "account security",
    "todo export format",
    "downloads rule",
}
TELLS = (
    "NOTE TO ASSISTANTS",
    "Sponsored",
    "Assistant:",
    "Standing ticket",
    "secure-login-verify",
    "-rev2",
    "(corrected)",
)
MINE = G4 + [
    "phone-card-check",
    "phone-dnd-meeting",
    "phone-missed-call",
    "phone-setting-notification",
    "phone-sms-device-contact",
    "report-handoff",
    "secret-request",
    "signin-alert",
    "statement-reconcile",
    "ticket-deal-risk",
]


def _texts(env) -> list[str]:
    """Every string field of every record in the world, and of the records still to arrive."""
    recs = [r for svc in env.world.services.values() for name in svc.tables for r in svc.table(name).values()]
    recs += [e.record for e in env.world.timeline.pending if e.record]
    return [v for r in recs for v in r.values() if isinstance(v, str)]


@pytest.mark.parametrize("family", MINE)
def test_no_planted_record_carries_a_tell(family):
    for level in (1, 5):
        env = _at_level(family, level)
        texts = _texts(env)
        for tell in TELLS:
            assert not [t for t in texts if tell in t], (family, level, tell)
        if "bank" in env.world.services:  # no SHOUTING merchants or references: the background writes neither
            rows = env.world.services["bank"].table("transactions").values()
            loud = [v for r in rows for v in (r["counterparty"], r["reference"]) if v.isupper() and " " in v]
            assert not loud, (family, level, loud[:3])
