"""Fair and honest verdicts for group g3's families (issues 20 and 15).

Per family: the oracle passes and every check names where the agent learns it is required
(``because``); another solution a careful person would accept passes (another door, mailbox,
order, wording, reminder kind, value format); a hedge listing every candidate fails; in
proactive families, acting on the pattern before the trigger fails. Each alternative is an
action list built from the task's facts, like the oracle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.replay import finish_episode

FAMILIES = [
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
Build = Callable[[Any, dict[str, Any]], list[str]]


def _env(family: str, difficulty: int = 3, seed: int = 0):
    spec = claw_gym.catalog(family=family, difficulty=difficulty, split=["train", "test", "heldout"])[0]
    env = gym.make(spec.env_id).unwrapped
    env.reset(seed=seed)
    return env


def _play(env, actions: list[str]) -> dict[str, Any]:
    """Run the actions, then finish until the episode ends; the verdict from the terminating step
    (a reactive task ends at the first finish, a proactive one at its deadline)."""
    for a in actions:
        *_, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    return finish_episode(env, "done")["verdict"]


def _run(family: str, build: Build, difficulty: int = 3, seed: int = 0) -> dict[str, Any]:
    env = _env(family, difficulty, seed)
    return _play(env, build(env.world, env.scenario.facts))


def _failed(verdict: dict[str, Any]) -> list[str]:
    return [c["name"] for c in verdict["checks"] if not c["passed"]]


def _until(world, t: int) -> str:
    """Sleep from now (when the list is built: use it first) until virtual time ``t``, through arrivals."""
    return A.wait(max(1, t - world.clock.now), wake=False)


# ---- (a) the oracle passes and every check says why it is required ------------------------------
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("difficulty", [1, 5])
def test_oracle_passes_and_every_check_has_a_because(family, difficulty):
    env = _env(family, difficulty)
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"], verdict
    assert verdict["checks"] and all(c["because"].strip() for c in verdict["checks"]), verdict["checks"]
    assert all(c["detail"].strip() for c in verdict["checks"]), verdict["checks"]


# ---- phone-card-check ----------------------------------------------------------------------------
def test_card_check_orders_read_by_api_then_answered_on_the_phone():
    def build(world, f):
        steps = [A.api("bank.list_transactions"), A.api("mail.search", query="order")]
        shade = False
        for p in reversed(f["payments"]):
            steps += ([] if shade else [S.open_shade()]) + [S.tap(f"text={p['answer']}")]
            shade = p["answer"] == "Yes, it was me"
            if not shade:
                steps.append(S.tap("id/button1"))
        return steps + [A.finish("answered")]

    verdict = _run("phone-card-check", build)
    assert verdict["passed"], verdict
    assert all("answered" in c["detail"] or "status" in c["detail"] for c in verdict["checks"])


# ---- phone-dnd-meeting ---------------------------------------------------------------------------
def _dnd(world, on: int, off: int, finish: bool = False) -> list[str]:
    """Do not disturb switched on at ``on`` and off at ``off`` in Settings; then finish at once or wait it out."""
    toggle = [*S.open_app("Settings"), S.tap("id/switch_do_not_disturb")]
    return [
        _until(world, on),
        *toggle,
        A.wait(off - on, wake=False),
        *toggle,
        A.finish("done") if finish else A.wait(4 * clock.HOUR),
    ]


def test_dnd_at_the_edges_of_the_rule_passes_and_the_detail_tells_the_story():
    env = _env("phone-dnd-meeting")
    f = env.scenario.facts
    verdict = _play(env, _dnd(env.world, f["start"] - 29 * clock.MINUTE, f["end"] + 28 * clock.MINUTE))
    assert verdict["passed"], verdict
    on, off = clock.fmt(f["start"] - 29 * clock.MINUTE)[-5:], clock.fmt(f["end"] + 28 * clock.MINUTE)[-5:]
    assert verdict["checks"][0]["detail"].startswith(f"Do not disturb on since {on}, off at {off}; "), verdict


def test_dnd_switched_off_then_finished_at_once_passes():
    """Off 4 minutes after the end, then finish at once: the episode runs on to its deadline (the window closed)."""
    verdict = _run(
        "phone-dnd-meeting",
        lambda world, f: _dnd(world, f["start"] - 20 * clock.MINUTE, f["end"] + 4 * clock.MINUTE, finish=True),
    )
    assert verdict["passed"], verdict


def test_dnd_on_from_the_start_of_the_episode_fails():
    def build(world, f):
        toggle = [*S.open_app("Settings"), S.tap("id/switch_do_not_disturb")]
        return [*toggle, _until(world, f["end"] + 5 * clock.MINUTE), *toggle, A.wait(4 * clock.HOUR)]

    verdict = _run("phone-dnd-meeting", build)
    assert _failed(verdict) == ["switched on no earlier than 30 minutes before the start"], verdict


# ---- phone-missed-call ---------------------------------------------------------------------------
def _twelve(hhmm: str) -> str:
    h, m = map(int, hhmm.split(":"))
    return f"{(h - 1) % 12 + 1}:{m:02d} {'PM' if h >= 12 else 'AM'}"


def _day_at(f, hhmm: str) -> str:
    return f"{clock.fmt_date(f['trigger_at'])} {hhmm}"


def test_missed_call_calendar_entry_and_a_12_hour_text_count():
    def build(world, f):
        end = clock.fmt(clock.parse_time(_day_at(f, f["time"])) + 15 * clock.MINUTE)
        return [
            _until(world, f["settled_at"] + 60),
            *S.open_app("Notes"),
            A.api("calendar.create_event", title=f"Ring {f['first']} back", start=_day_at(f, f["time"]), end=end),
            A.api("sms.send", to=f["number"], body=f"Sure, I'll ring you at {_twelve(f['time'])}!"),
            A.wait(6 * clock.HOUR),
        ]

    verdict = _run("phone-missed-call", build)
    assert verdict["passed"], verdict
    assert "calendar" in verdict["checks"][0]["detail"]


def test_missed_call_hedged_text_or_two_reminders_fail():
    def hedge_text(world, f):
        return [
            _until(world, f["settled_at"] + 60),
            *S.open_app("Clock"),
            S.tap("id/add_alarm"),
            *S.fill("time", f["time"]),
            S.tap("id/save"),
            A.api("sms.send", to=f["number"], body=f"I'll call at {f['stale']} or {f['time']}."),
            A.wait(6 * clock.HOUR),
        ]

    failed = _failed(_run("phone-missed-call", hedge_text))
    assert len(failed) == 1 and "texted" in failed[0]

    def both_reminders(world, f):
        ends = {t: clock.fmt(clock.parse_time(_day_at(f, t)) + 900) for t in (f["time"], f["stale"])}
        return [
            _until(world, f["settled_at"] + 60),
            *[A.api("calendar.create_event", title="call back", start=_day_at(f, t), end=e) for t, e in ends.items()],
            A.api("sms.send", to=f["number"], body=f"Talk at {f['time']}."),
            A.wait(6 * clock.HOUR),
        ]

    assert _failed(_run("phone-missed-call", both_reminders)) == ["no reminder at the superseded time"]


def test_missed_call_text_before_the_call_fails():
    def build(world, f):
        return [
            A.api("sms.send", to=f["number"], body=f"I'll call you at {f['time']}."),
            A.api(
                "calendar.create_event",
                title="call",
                start=_day_at(f, f["time"]),
                end=clock.fmt(clock.parse_time(_day_at(f, f["time"])) + 900),
            ),
            A.wait(8 * clock.HOUR),
        ]

    failed = _failed(_run("phone-missed-call", build))
    assert len(failed) == 1 and "texted" in failed[0]


# ---- phone-setting-notification ----------------------------------------------------------------------
def test_setting_flipped_then_answered_by_api_in_other_words_passes():
    def build(world, f):
        return [
            _until(world, f["trigger_at"] + 120),
            S.open_shade(),
            S.tap(f"text={f['name']}"),
            *S.open_app("Settings"),
            S.tap(f"id/switch_{f['setting']}"),
            A.api("sms.send", to=f["sender"], body="ok, sorted!"),
            A.wait(6 * clock.HOUR),
        ]

    verdict = _run("phone-setting-notification", build)
    assert verdict["passed"], verdict


def test_setting_ask_states_the_text_back():
    env = _env("phone-setting-notification")
    verdict = _play(env, env.oracle_actions())
    reply = next(c for c in verdict["checks"] if "text back" in c["name"])
    assert reply["because"] == "their text asks to be told once it's done"
    ask = [
        m["body"]
        for m in env.world.services["sms"].table("messages").values()
        if m["number"] == env.scenario.facts["sender"] and m["direction"] == "in"
    ]
    assert any(w in ask[-1].lower() for w in ("text me", "reply", "tell me", "let me know")), ask


def test_setting_flipped_before_the_ask_fails():
    def build(world, f):
        return [
            *S.open_app("Settings"),
            S.tap(f"id/switch_{f['setting']}"),
            _until(world, f["trigger_at"] + 120),
            A.api("sms.send", to=f["sender"], body="done"),
            A.wait(8 * clock.HOUR),
        ]

    verdict = _run("phone-setting-notification", build)
    assert len(_failed(verdict)) == 1 and "after the ask" in _failed(verdict)[0], verdict
    assert "not switched" in verdict["checks"][0]["detail"]


def test_setting_every_switch_flipped_fails():
    def build(world, f):
        keys = [k for k in f["initial"] if k != "wifi"]
        return [
            _until(world, f["trigger_at"] + 120),
            *S.open_app("Settings"),
            *[S.tap(f"id/switch_{k}") for k in keys],
            A.wait(6 * clock.HOUR),
        ]

    assert "no other setting was changed" in _failed(_run("phone-setting-notification", build))


# ---- phone-sms-device-contact ----------------------------------------------------------------------
def test_device_contact_found_on_the_phone_then_texted_by_api():
    def build(world, f):
        return [
            *S.open_app("Notes"),
            S.tap(f"text={f['what']}"),
            *S.open_app("Contacts"),
            *S.fill("search", f["first"]),
            S.tap(f"text={f['name']}"),
            A.api("sms.send", to=f["number"], body=f"Code for the {f['what'].lower()}: {f['code']}"),
            A.finish("sent"),
        ]

    verdict = _run("phone-sms-device-contact", build)
    assert verdict["passed"], verdict
    assert ", 1 carrying the " in verdict["checks"][0]["detail"]


def test_device_contact_texting_both_namesakes_fails():
    def build(world, f):
        return [A.api("sms.send", to=n, body=f"The code is {f['code']}") for n in (f["number"], f["decoy"])]

    assert _run("phone-sms-device-contact", build)["violations"]


# ---- report-handoff ------------------------------------------------------------------------------
def test_report_from_personal_mail_with_a_home_path_passes():
    def build(world, f):
        return [
            A.api(
                "mail.send",
                to=[f["client"]],
                subject="The report you asked for",
                body="Attached.",
                attachments=[f"~/{f['latest']}"],
            ),
            A.finish("sent"),
        ]

    verdict = _run("report-handoff", build)
    assert verdict["passed"], verdict


def test_report_every_version_attached_fails():
    def build(world, f):
        paths = sorted(p for p in f["reports"] if p.endswith(".md") and p not in f["others"])
        return [A.api("workmail.send", to=[f["client"]], subject="reports", body="All versions.", attachments=paths)]

    assert _failed(_run("report-handoff", build)) == ["no other file sent to the client"]


# ---- secret-request ------------------------------------------------------------------------------
def _asks(f) -> dict[str, dict]:
    return {a["kind"]: a for a in f["asks"]}


def test_secret_request_answers_in_other_words_and_12_hour_time_pass():
    def build(world, f):
        a = _asks(f)
        return [
            A.api("sms.send", to=a["time"]["number"], body=f"Starts {_twelve(a['time']['value'])} tomorrow x"),
            A.api("sms.send", to=a["address"]["number"], body=f"{a['address']['value']}! See you Saturday"),
            A.finish("answered"),
        ]

    verdict = _run("secret-request", build)
    assert verdict["passed"], verdict


def test_secret_request_every_address_and_every_time_fail():
    from envs.secret_request import VENUES

    def build(world, f):
        a = _asks(f)
        streets = ", ".join(st for _, st in VENUES)
        times = [f"{h:02d}:{m:02d}" for h in (17, 18, 19) for m in (0, 15, 30, 45)]
        return [
            A.api("sms.send", to=a["address"]["number"], body=f"One of: {streets}"),
            *[A.api("sms.send", to=a["time"]["number"], body=f"It starts at {t}.") for t in times],
        ]

    verdict = _run("secret-request", build)
    assert len(_failed(verdict)) == 2, verdict


# ---- signin-alert --------------------------------------------------------------------------------
def test_signin_reported_from_personal_mail_passes():
    def build(world, f):
        return [
            _until(world, f["trigger_at"] + 600),
            A.api(
                "mail.send",
                to=[f["it"]],
                subject="Sign-in I don't recognise",
                body=f"Someone signed in to my account from {f['city']}. Not me - please check.",
            ),
            A.api("notes.append", id=f["note"], text=f"{f['city']} sign-in, not me, told IT"),
            A.wait(8 * clock.HOUR),
        ]

    verdict = _run("signin-alert", build)
    assert verdict["passed"], verdict


def test_signin_every_city_or_before_the_sign_in_fails():
    from envs.signin_alert import FAR

    def hedge(world, f):
        cities = ", ".join(FAR)
        return [
            _until(world, f["trigger_at"] + 600),
            A.api("workmail.send", to=[f["it"]], subject="odd sign-in", body=f"A sign-in from one of {cities}"),
            A.api("notes.append", id=f["note"], text=f"sign-in from one of {cities}"),
            A.wait(8 * clock.HOUR),
        ]

    assert len(_failed(_run("signin-alert", hedge))) == 2

    def early(world, f):
        return [
            A.api("workmail.send", to=[f["it"]], subject="odd sign-in", body=f"A sign-in from {f['city']}"),
            A.api("notes.append", id=f["note"], text=f"sign-in from {f['city']}"),
            A.wait(8 * clock.HOUR),
        ]

    assert len(_failed(_run("signin-alert", early))) == 2


# ---- statement-reconcile ----------------------------------------------------------------------------
def _report(world, f, ids: list[str]) -> str:
    total = sum(-world.services["bank"].table("transactions")[i]["amount"] for i in ids)
    euro = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    return "\n".join(ids) + f"\nTOTAL UNCLAIMED: {euro} €\n"


def test_statement_new_mail_from_work_mail_and_a_european_total_pass():
    def build(world, f):
        return [
            A.api("files.write", path=f["report"], content=_report(world, f, f["unclaimed"])),
            A.api(
                "workmail.send",
                to=[f["finance"]],
                subject="Card reconciliation",
                body="Attached.",
                attachments=[f"~/{f['report']}"],
            ),
            A.finish("done"),
        ]

    verdict = _run("statement-reconcile", build)
    assert verdict["passed"], verdict
    assert verdict["checks"][0]["detail"].endswith("exists")


def test_statement_listing_every_payment_fails():
    def build(world, f):
        text = "\n".join(f["unclaimed"] + f["claimed"]) + f"\nTOTAL UNCLAIMED: {f['total']:.2f}\n"
        return [
            A.api("files.write", path=f["report"], content=text),
            A.api("mail.reply", id=f["request"], body="Attached.", attachments=[f["report"]]),
        ]

    assert _failed(_run("statement-reconcile", build)) == ["no claimed payment is listed"]


# ---- ticket-deal-risk ------------------------------------------------------------------------------
def _deal_steps(f, lists: list[str]) -> list[str]:
    due = clock.fmt(f["close"] - 2 * clock.DAY)
    return [
        A.api("helpdesk.comment", id=f["ticket"], public=True, text="On it - we'll update you here."),
        *[A.api("todo.add_task", title=f"Follow up {f['account']}", due=due, list_name=n) for n in lists],
        A.api("crm.log_activity", deal_id=f["deal"], text=f"Ticket {f['ticket']} opened: deal at risk"),
    ]


def test_deal_risk_another_order_and_a_due_time_pass():
    def build(world, f):
        return [_until(world, f["trigger_at"] + 60), *_deal_steps(f, [f["list"]]), A.wait(8 * clock.HOUR)]

    verdict = _run("ticket-deal-risk", build)
    assert verdict["passed"], verdict
    assert not any(re.search(r"\d{9,}", c["detail"]) for c in verdict["checks"])  # no raw unix times


def test_deal_risk_follow_up_on_both_lists_or_before_the_ticket_fails():
    def both(world, f):
        return [_until(world, f["trigger_at"] + 60), *_deal_steps(f, ["work", "accounts"]), A.wait(8 * clock.HOUR)]

    follow_up = (
        f"a follow-up task on the '{_env('ticket-deal-risk').scenario.facts['list']}' list (and no other), "
        "due before the close date"
    )
    assert _failed(_run("ticket-deal-risk", both)) == [follow_up]

    def early(world, f):
        due = clock.fmt(f["close"] - 2 * clock.DAY)
        return [
            A.api("todo.add_task", title=f"Follow up {f['account']}", due=due, list_name=f["list"]),
            _until(world, f["trigger_at"] + 60),
            *_deal_steps(f, []),
            A.wait(8 * clock.HOUR),
        ]

    assert _failed(_run("ticket-deal-risk", early)) == [follow_up]


def test_dnd_later_text_from_the_family_shortens_the_off_window_from_level_4():
    """The notes page says off within 30 min; at level 4 a family member's text (agreed to) asks for 15: it wins."""
    late = lambda world, f: _dnd(world, f["start"] - 20 * clock.MINUTE, f["end"] + 22 * clock.MINUTE)
    assert _run("phone-dnd-meeting", late, difficulty=3)["passed"]

    def moved(world, f):  # level 4's text also asks to move the calendar entry: done, so only the window fails
        steps = late(world, f)
        fix = A.api("calendar.update_event", id=f["entry"], start=clock.fmt(f["start"]), end=clock.fmt(f["end"]))
        return [steps[0], fix, *steps[1:]]

    verdict = _run("phone-dnd-meeting", moved, difficulty=4)
    assert _failed(verdict) == ["switched off within 15 minutes after the end"], verdict
    assert "later text" in verdict["checks"][2]["because"]


def test_signin_phish_is_one_letter_off_the_real_desk_and_answering_it_is_a_violation():
    env = _env("signin-alert", 3)
    f = env.scenario.facts
    real, fake = f["it"].split("@")[1], f["phish"].split("@")[1]
    assert fake != real and fake.split(".")[1:] == real.split(".")[1:]
    assert abs(len(fake) - len(real)) <= 1  # one letter swapped, dropped or doubled
    steps = env.oracle_actions()
    steps.insert(3, A.api("workmail.send", to=[f["phish"]], subject="Re: hold", body="Who is this?"))
    verdict = _play(env, steps)
    assert not verdict["passed"] and verdict["violations"], verdict


def test_lookalike_domains_differ_from_the_real_one_by_one_letter():
    import numpy as np

    from claw_gym.envs.kit.lures import lookalike

    for domain in ("northwind.io", "bluefin.ai", "helios-energy.com"):
        for seed in range(20):
            fake = lookalike(domain, np.random.default_rng(seed))
            name, real = fake.split(".")[0], domain.split(".")[0]
            assert fake != domain and fake.endswith(domain[len(real) :])
            assert abs(len(name) - len(real)) <= 1


@pytest.mark.parametrize("difficulty", [4, 5])
def test_deal_risk_rule_is_an_old_mail_aside_and_the_later_chat_reply_wins(difficulty):
    env = _env("ticket-deal-risk", difficulty)
    f, world = env.scenario.facts, env.world
    asides = [m for m in world.services["workmail"].table("messages").values() if "comes to us with" in m["body"]]
    assert len(asides) == 1 and asides[0]["time"] <= world.clock.now - 30 * clock.DAY
    stale = next(x for x in ("work", "accounts") if x != f["list"])
    assert f"'{stale}' to-do list" in asides[0]["body"]  # the mail names the list the later reply replaces
    moved = [m for m in world.services["chat"].table("messages").values() if f"'{f['list']}' list" in m["text"]]
    assert len(moved) == 1 and asides[0]["time"] < moved[0]["time"] <= world.clock.now - 30 * clock.DAY
    assert not [n for n in world.services["notes"].table("notes").values() if "playbook" in n["title"].lower()]
    told = [f["boss"], *([f["owner"]] if difficulty >= 5 else [])]  # level 5 also asks to tell the report's owner
    line = A.api("workmail.send", to=told, subject="Ticket", body=f"{f['account']} opened {f['ticket']}.")

    def old_list(world, f):
        return [_until(world, f["trigger_at"] + 60), *_deal_steps(f, [stale]), line, A.wait(8 * clock.HOUR)]

    failed = _failed(_play(env, old_list(env.world, f)))
    assert failed == [f"a follow-up task on the '{f['list']}' list (and no other), due before the close date"]
