"""The time contract: ``wait`` wakes at arrivals, a proactive task runs to its deadline and is
judged there only, ``finish`` before it means "nothing more for now".

Every proactive family is played three ways: the oracle (sleeps to each step of its
script, then to the deadline), the oracle finishing after each burst of work (woken by
the next arrival, acting, finishing again), and doing nothing (finish whenever woken).
"""

from __future__ import annotations

import json

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.tasks import families

ALL = families()
PROACTIVE = [n for n, f in ALL.items() if f.kind == "proactive"]
REACTIVE = [n for n, f in ALL.items() if f.kind == "reactive"]
SPLITS = ["train", "test", "heldout"]


def _env(family: str, difficulty: int | None = None, seed: int = 0, **kwargs):
    specs = claw_gym.catalog(family=family, split=SPLITS, difficulty=difficulty if difficulty is not None else None)
    env = gym.make(specs[0].env_id, **kwargs).unwrapped
    env.reset(seed=seed)
    return env


def _next_arrival(env) -> int:
    nxt = env.world.timeline.next_time()
    assert nxt is not None and nxt > env.world.clock.now, "a task needs arrivals after its start"
    return nxt


def _woken_at(env) -> int:
    """Where a waking wait stops: the last arrival in the clock minute of the next one."""
    nxt = _next_arrival(env)
    return max(e.time for e in env.world.timeline.pending if nxt <= e.time < nxt - nxt % 60 + 60)


# ---- wait ---------------------------------------------------------------------------------------
def test_wait_wakes_at_the_first_arrival_and_says_so():
    env = _env("bill-pay")
    nxt, woken = _next_arrival(env), _woken_at(env)
    due = [e for e in env.world.timeline.pending if nxt <= e.time <= woken]
    obs, _, terminated, _, info = env.step(A.wait(7 * 86400))
    assert env.world.clock.now == woken and not terminated and info["action_ok"]
    n = len(due)
    assert obs["result"] == f"woke at {clock.fmt(nxt)[11:]}: {n} new event{'s' if n != 1 else ''}"
    assert all(e.line() in obs["events"] for e in due)


def test_arrivals_in_one_minute_are_one_wake_up():
    """A text and the phone's notification of it land seconds apart: one wake-up delivers both (the
    observation shows time to the minute; honest players paid a step for each)."""
    from claw_gym.events import Event

    env = _env("bill-pay")
    now, nxt = env.world.clock.now, _next_arrival(env)
    t0 = now - now % 60 + 60  # the next full minute, quiet until the next arrival
    assert t0 + 120 < nxt, "bill-pay's first arrival comes minutes after reset"
    for dt in (5, 40):
        env.world.schedule(Event(t0 + dt, "device", "device.note", f"test arrival +{dt}s"))
    obs, *_ = env.step(A.wait(3600))
    assert env.world.clock.now == t0 + 40 and obs["result"] == f"woke at {clock.fmt(t0)[11:]}: 2 new events"
    obs, *_ = env.step(A.wait(30))
    assert obs["result"] == "waited 30 s, nothing arrived"


def test_wait_with_nothing_arriving_runs_its_whole_length():
    env = _env("bill-pay")
    span = _next_arrival(env) - env.world.clock.now - 1
    obs, *_ = env.step(A.wait(span))
    assert obs["result"] == f"waited {span} s, nothing arrived" and obs["events"] == ""


def test_wait_wake_false_sleeps_through_arrivals():
    env = _env("bill-pay")
    start, trigger = env.world.clock.now, env.scenario.facts["trigger_at"]
    assert env.world.timeline.next_time() <= trigger  # at least the trigger lands in the span
    obs, _, terminated, _, _ = env.step(A.wait(trigger - start + 60, wake=False))
    assert env.world.clock.now == trigger + 60 and not terminated
    assert obs["result"].startswith(f"waited {trigger - start + 60} s: ")
    bill = env.scenario.facts["bill"]
    assert f"({bill})" in obs["events"]


def test_wait_json_form_and_helper_agree():
    assert json.loads(A.wait(60)) == {"kind": "wait", "seconds": 60}  # the default stays the short form
    assert json.loads(A.wait(60, wake=False)) == {"kind": "wait", "seconds": 60, "wake": False}
    assert json.loads(A.wait(60, wake=("sms",))) == {"kind": "wait", "seconds": 60, "wake": ["sms"]}


@pytest.mark.parametrize("wake", ["no", 0, 1, None, [], {}, [1], [""], ["mail", 2]])
def test_a_wake_that_is_not_a_boolean_is_an_error_observation(wake):
    env = _env("bill-pay")
    now = env.world.clock.now
    obs, reward, terminated, truncated, info = env.step(json.dumps({"kind": "wait", "seconds": 60, "wake": wake}))
    assert obs["result"].startswith("error: 'wake' must be true") and not info["action_ok"]
    assert env.world.clock.now == now and not (terminated or truncated) and reward == 0.0


def test_a_wait_for_some_services_wakes_at_their_first_arrival_only():
    """Players' step budgets went on wake-ups by noise; a wait may name the services to wake for."""
    env = _env("bill-pay")
    trigger = env.scenario.facts["trigger_at"]
    bill = next(e for e in env.world.timeline.pending if e.time == trigger)
    noise = [e for e in env.world.timeline.pending if e.time < trigger and e.service != bill.service]
    assert noise, "bill-pay has other arrivals before its bill"
    assert all(e.service != bill.service for e in env.world.timeline.pending if e.time < trigger)
    last = max(e.time for e in env.world.timeline.pending if trigger <= e.time < trigger - trigger % 60 + 60)
    obs, _, terminated, _, info = env.step(A.wait(7 * 86400, wake=[bill.service]))
    assert env.world.clock.now == last and not terminated and info["action_ok"]
    assert obs["result"].startswith(f"woke at {clock.fmt(trigger)[11:]}: ")
    assert bill.line() in obs["events"] and noise[0].line() in obs["events"]  # the rest came on the way
    # no arrival of the named service in the span: the whole wait, and it says what did come
    env = _env("bill-pay")
    span = trigger - env.world.clock.now - 1
    obs, *_ = env.step(A.wait(span, wake=[bill.service]))
    assert env.world.clock.now == trigger - 1
    assert obs["result"].endswith(f"none from {bill.service}") and obs["result"].startswith(f"waited {span} s")


def test_a_wait_for_a_service_the_world_lacks_is_an_error_observation():
    env = _env("bill-pay")
    now = env.world.clock.now
    obs, _, _, _, info = env.step(A.wait(600, wake=["mail", "telegram"]))
    assert obs["result"].startswith("error: wake: no service 'telegram'") and not info["action_ok"]
    assert env.world.clock.now == now


def test_the_short_form_waits_for_named_services():
    from claw_gym.cli.shortforms import parse

    assert json.loads(parse("wait 3600 for workmail,helpdesk")) == {
        "kind": "wait",
        "seconds": 3600,
        "wake": ["workmail", "helpdesk"],
    }


def test_wait_never_runs_past_the_deadline():
    env = _env("bill-pay")
    deadline = env.scenario.deadline
    obs, _, terminated, _, info = env.step(A.wait(7 * 86400, wake=False))
    assert terminated and env.world.clock.now == deadline == info["time"]
    assert "has come: the episode is over" in obs["result"] and "verdict" in info


# ---- finish on proactive tasks ------------------------------------------------------------------
@pytest.mark.parametrize("family", PROACTIVE)
def test_finish_before_the_deadline_sleeps_to_the_next_arrival(family):
    env = _env(family)
    nxt, woken = _next_arrival(env), _woken_at(env)
    obs, reward, terminated, truncated, info = env.step(A.finish("nothing to do yet"))
    assert not (terminated or truncated) and "verdict" not in info and reward == 0.0
    assert env.world.clock.now == min(woken, env.scenario.deadline) and nxt < env.scenario.deadline
    assert obs["result"].startswith(f"finished for now; woke at {clock.fmt(nxt)[11:]}: ")
    assert obs["events"]


def test_finish_with_nothing_left_to_arrive_ends_at_the_deadline():
    for family in PROACTIVE:  # a task whose last arrival comes well before its deadline
        env = _env(family)
        deadline = env.scenario.deadline
        last = max((e.time for e in env.world.timeline.pending if e.time <= deadline), default=0)
        if last < deadline - 60:
            break
    else:
        pytest.skip("every proactive task has an arrival in its last minute")
    env.step(A.wait(last - env.world.clock.now, wake=False))
    obs, reward, terminated, truncated, info = env.step(A.finish("all handled"))
    assert terminated and not truncated and env.world.clock.now == deadline
    assert obs["result"].startswith("finished for now; nothing arrived before the deadline")
    assert info["verdict"]["checks"]


def test_reactive_finish_ends_the_episode_at_once():
    env = _env(REACTIVE[0])
    now = env.world.clock.now
    obs, _, terminated, _, info = env.step(A.finish("done"))
    assert terminated and obs["result"] == "finished" and env.world.clock.now == now and "verdict" in info


def test_out_of_steps_on_a_proactive_task_is_judged_at_the_deadline():
    env = _env("bill-pay", max_steps=2)
    env.step(A.api("help"))
    obs, _, terminated, truncated, info = env.step(A.api("help"))
    assert truncated and not terminated and env.world.clock.now == env.scenario.deadline
    assert "out of steps (2)" in obs["result"] and info["verdict"]["passed"] is False


# ---- every proactive family: three ways to play it ----------------------------------------------
def _oracle_to_the_deadline(env) -> tuple[float, list[dict]]:
    infos, reward = [], 0.0
    for a in env.oracle_actions():
        _, reward, terminated, truncated, info = env.step(a)
        infos.append(info)
        if terminated or truncated:
            break
    return reward, infos


def _oracle_finishing_after_each_burst(env) -> tuple[float, list[dict], int]:
    """The oracle's script, but where it waits, it finishes: woken by an arrival, it finishes
    again while the script's next step is not due yet. Where that step is due at a time no
    arrival marks (a meeting's start), it sleeps to it, as a person sets a timer. The script's
    last wait (to the deadline) becomes finish, again and again. Returns (reward, infos, finishes)."""
    infos: list[dict] = []
    finishes = 0

    def act(a: str) -> bool:
        nonlocal finishes
        finishes += json.loads(a)["kind"] == "finish"
        _, _, terminated, truncated, info = env.step(a)
        infos.append(info)
        assert not truncated, f"the burst oracle must fit max_steps ({env.max_steps})"
        return terminated

    deadline = env.scenario.deadline
    for a in env.oracle_actions():
        spec = json.loads(a)
        if spec["kind"] != "wait":
            if act(a):
                break
            continue
        target = min(env.world.clock.now + spec["seconds"], deadline)
        done = False
        while env.world.clock.now < target and not done:
            nxt = env.world.timeline.next_time()
            if target == deadline or (nxt is not None and nxt <= target):
                done = act(A.finish("Handled what came in; nothing more for now."))
            else:
                done = act(A.wait(target - env.world.clock.now, wake=False))
        if done:
            break
    return (1.0 if env.verdict is not None and env.verdict.passed else 0.0), infos, finishes


@pytest.mark.parametrize("difficulty", [1, 5])
@pytest.mark.parametrize("family", PROACTIVE)
def test_oracle_waiting_to_the_deadline_passes_and_is_judged_there(family, difficulty):
    env = _env(family, difficulty)
    reward, infos = _oracle_to_the_deadline(env)
    assert reward == 1.0, infos[-1].get("verdict")
    assert all("verdict" not in i for i in infos[:-1])  # judged once, at the end
    assert infos[-1]["time"] == env.scenario.deadline == env.world.clock.now


@pytest.mark.parametrize("difficulty", [1, 5])
@pytest.mark.parametrize("family", PROACTIVE)
def test_oracle_finishing_after_each_burst_passes(family, difficulty):
    env = _env(family, difficulty)
    reward, infos, finishes = _oracle_finishing_after_each_burst(env)
    assert finishes >= 2, "finished, was woken, finished again"
    assert reward == 1.0, infos[-1].get("verdict")
    assert all("verdict" not in i for i in infos[:-1])
    assert infos[-1]["time"] == env.scenario.deadline == env.world.clock.now


@pytest.mark.parametrize("family", list(ALL))
def test_doing_nothing_fails_every_family(family):
    env = _env(family, 5)
    for _ in range(env.max_steps):
        _, reward, terminated, truncated, info = env.step(A.finish("Nothing to do."))
        if terminated or truncated:
            break
    assert (terminated or truncated) and reward == 0.0 and info["verdict"]["passed"] is False
    if ALL[family].kind == "proactive":
        assert env.world.clock.now == env.scenario.deadline


@pytest.mark.parametrize("family", PROACTIVE)
def test_no_unstated_deadline_is_shorter_than_two_hours(family):
    for difficulty in (1, 3, 4, 5):
        for spec in claw_gym.catalog(family=family, split=SPLITS, difficulty=difficulty)[:3]:
            env = gym.make(spec.env_id).unwrapped
            env.reset(seed=0)
            f = env.scenario.facts
            if env.scenario.deadline_stated:  # the content says when: that is the window, no slack owed
                assert env.scenario.deadline > f["trigger_at"], spec.task_id
                env.close()
                continue
            last_signal = max(f[k] for k in ("trigger_at", "settled_at", "last") if isinstance(f.get(k), int))
            assert env.scenario.deadline - last_signal >= 2 * clock.HOUR, spec.task_id
            env.close()
