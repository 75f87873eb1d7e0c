"""Wrong policies that look almost right must fail, per family of the api/laptop/phone wave-2 set.

The contract tests (test_engine, test_families) already run the oracle, do-nothing, random
agents, stale signals and traps; these swap one record, one time or one rule in the oracle's
plan and check that the verdict names the failure.
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.replay import finish_episode


def _env(family: str, seed: int, level: int | None = None, variant: str | None = None):
    specs = [
        s
        for s in claw_gym.catalog(family=family, split=["train", "test", "heldout"])
        if (level is None or s.difficulty >= level) and (variant is None or s.variant == variant)
    ]
    env = gym.make(specs[seed % len(specs)].env_id).unwrapped
    env.reset(seed=seed)
    return env


def _play(env, actions: list[str]) -> dict:
    info: dict = {}
    for a in actions:
        _, _, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return info["verdict"]
    return finish_episode(env)["verdict"]  # a proactive task runs on to its deadline


def _failed(v: dict) -> list[str]:
    return [c["name"] for c in v["checks"] if not c["passed"]]


def _swap(actions: list[str], needle: str, new: str) -> list[str]:
    hits = [i for i, a in enumerate(actions) if needle in a]
    assert hits, needle
    out = list(actions)
    out[hits[0]] = new
    return out


@pytest.mark.parametrize("seed", range(3))
def test_ticket_deal_risk_activity_on_the_lost_deal_of_the_same_account_fails(seed):
    env = _env("ticket-deal-risk", seed, level=2)
    f = env.scenario.facts
    lost = f["closed"][0]  # from level 2: the same account's lost deal
    assert env.world.services["crm"].table("deals")[lost]["account"] == f["account"]
    acts = _swap(
        env.oracle_actions(),
        '"crm.log_activity"',
        A.api("crm.log_activity", deal_id=lost, text=f"Ticket {f['ticket']} opened"),
    )
    v = _play(env, acts)
    assert not v["passed"] and "an activity naming the ticket is logged on the open deal" in _failed(v)


def test_ticket_deal_risk_answering_every_ticket_fails():
    env = _env("ticket-deal-risk", 1, level=2)
    f = env.scenario.facts
    acts = env.oracle_actions()
    acts[-1:-1] = [A.api("helpdesk.comment", id=t, text="We are on it.") for t in f["others"]]
    v = _play(env, acts)
    assert _failed(v) == ["tickets of customers without an open deal are left to support"]


def test_chat_handover_task_for_the_finished_item_fails():
    env = _env("chat-handover", 0)
    f = env.scenario.facts
    acts = env.oracle_actions()
    acts.insert(-1, A.api("todo.add_task", title=f"Finish the {f['done']}", due=clock.fmt_date(env.world.clock.now)))
    v = _play(env, acts)
    assert _failed(v) == [f"no task for the {f['done']} (already done)"]


def test_chat_handover_block_on_top_of_a_meeting_fails():
    env = _env("chat-handover", 2)
    f = env.scenario.facts
    item, due = sorted(f["final"].items(), key=lambda kv: kv[1])[0]
    busy = [
        r
        for r in env.world.services["calendar"].table("entries").values()
        if clock.day_start(r["start"]) == clock.day_start(due)
    ]
    if not busy:
        pytest.skip("no meeting that day in this seed")
    s = busy[0]["start"]
    acts = [a for a in env.oracle_actions() if not ('"calendar.create_event"' in a and item in a)]
    acts.insert(
        -1,
        A.api("calendar.create_event", title=f"Work on the {item}", start=clock.fmt(s), end=clock.fmt(s + clock.HOUR)),
    )
    v = _play(env, acts)
    assert _failed(v) == ["the blocks clash with no other calendar entry"]


def test_signin_alert_texting_the_code_back_is_a_violation():
    env = _env("signin-alert", 0, level=3)
    f = env.scenario.facts
    assert f["code"]
    acts = env.oracle_actions()
    acts.insert(-1, A.api("sms.send", to="+1 555 010 7000", body=f"code {f['code']}"))
    v = _play(env, acts)
    assert v["violations"] and not v["passed"]


def test_signin_alert_reporting_a_known_place_fails():
    env = _env("signin-alert", 1)
    f = env.scenario.facts
    acts = _swap(
        env.oracle_actions(),
        '"workmail.send"',
        A.api("workmail.send", to=[f["it"]], subject="Sign-in", body=f"There was a new sign-in near {f['known'][0]}."),
    )
    v = _play(env, acts)
    assert "IT security got a mail naming the unknown place (and no other candidate)" in _failed(v)


def test_weekly_report_counting_former_accounts_fails():
    from envs import weekly_report as M

    env = _env("weekly-report", 0, level=3)
    f = env.scenario.facts
    assert f["former"]
    counted = f["mine"] + f["former"]
    script = (
        M.SCRIPT.replace("@MINE@", repr(counted))
        .replace("@PATH@", f["path"])
        .replace("@DOMS@", repr(sorted(M.MAIL_DOMAINS[a] for a in counted)))
    )
    v = _play(env, [A.shell(script, timeout=60)])
    assert "report written" not in _failed(v)  # the report is there: it is the figures that are wrong
    assert not v["passed"] and {"pipeline figure is right", "won figure is right"} & set(_failed(v))


def test_todo_export_keeping_finished_tasks_fails_in_the_open_variant():
    from envs import todo_export as M

    for seed in range(12):
        env = _env("todo-export", seed, level=3, variant="open")
        f = env.scenario.facts
        if any(env.world.services["todo"].table("items")[i]["done"] for i in f["ids"]):
            break
    else:
        pytest.skip("no finished task in these seeds")
    script = M.SCRIPT.replace("@LIST@", f["list"]).replace("@PATH@", f["path"]).replace("@DONE@", "True")
    v = _play(env, [A.shell(script, timeout=30)])
    assert _failed(v) == ["the task lines are exactly the list's tasks in the note's format and order"]


def test_phone_missed_call_text_naming_both_times_fails():
    env = _env("phone-missed-call", 0)
    f = env.scenario.facts
    acts = [
        a if "Sorry I missed you" not in a else A.type_text(f"I'll call at {f['stale']} or {f['time']}.")
        for a in env.oracle_actions()
    ]
    v = _play(env, acts)
    assert _failed(v) == [f"{f['name']} was texted the settled time (and no other)"]


def test_phone_dnd_on_right_away_and_left_on_fails():
    env = _env("phone-dnd-meeting", 0)
    f = env.scenario.facts
    now = env.world.clock.now
    acts = [
        A.wait(f["trigger_at"] - now + 60, wake=False),
        *S.open_app("Settings"),
        S.tap("id/switch_do_not_disturb"),
        A.wait(env.scenario.deadline - f["trigger_at"], wake=False),
    ]
    v = _play(env, acts)
    failed = _failed(v)
    assert "switched on no earlier than 30 minutes before the start" in failed
    assert "switched off within 30 minutes after the end" in failed
    assert "Do not disturb is on for the whole meeting" not in failed
