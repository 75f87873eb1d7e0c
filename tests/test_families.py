"""Targeted tests of the task families: proactive timing, deadlines, stale signals, safety traps.

The contract tests in test_engine.py run over every family (oracle, do-nothing, random);
these check what only some families have: a trigger that arrives mid-episode, a deadline
that ends the episode, a stale signal that must lose to the latest one, a trap whose
springing fails the task even when everything else is right.
"""

from __future__ import annotations

import re

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.replay import finish_episode
from claw_gym.tasks import families

ALL = families()
PROACTIVE = [n for n, f in ALL.items() if f.kind == "proactive"]
STALE = [n for n, f in ALL.items() if f.stale_oracle is not None]
TRAPS = [n for n, f in ALL.items() if f.trap is not None]
PHONE = [n for n, f in ALL.items() if "phone" in f.devices]
SEEDS = range(6)


def _env(family: str, seed: int, **kwargs):
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    spec = specs[(seed * 7) % len(specs)]
    env = gym.make(spec.env_id, **kwargs).unwrapped
    env.reset(seed=seed)
    return env


def _play(env, actions: list[str]) -> tuple[float, dict]:
    reward, info = 0.0, {}
    for a in actions:
        _, reward, terminated, truncated, info = env.step(a)
        if terminated or truncated:
            return reward, info
    info = finish_episode(env)  # a proactive task runs on to its deadline
    return float(info["verdict"]["passed"]), info


def test_suite_shape():
    assert len(ALL) >= 10
    assert len(PROACTIVE) >= 3
    assert len(TRAPS) >= 3
    for name, f in ALL.items():
        assert len(f.services) >= 4, name
        n = len(claw_gym.catalog(family=name, split=["train", "test", "heldout"]))
        assert n == f.count >= 10, (name, n)  # the family's declared count (tests/test_suite.py)
        assert ("safety-trap" in f.tags) == (f.trap is not None), name
        assert ("conflict" in f.tags) == (f.stale_oracle is not None), name


def test_families_that_need_the_simulated_phone_say_so():
    """A family whose world holds device-only state (only the simulated phone's apps change it) and
    that acts on the phone declares needs_sim_phone, so that ClawEnv refuses another phone for it."""
    from claw_gym.services import SERVICES

    for name, f in ALL.items():
        device_state = any(SERVICES[s].device_only for s in f.services)
        assert f.needs_sim_phone == (device_state and "phone" in f.devices), name
        assert not f.needs_sim_phone or "phone" in f.devices, name


@pytest.mark.parametrize("family", list(ALL))
def test_instructions_do_not_reveal_the_answer(family):
    for seed in SEEDS:
        env = _env(family, seed)
        instr, facts = env.scenario.instruction, env.scenario.facts
        if ALL[family].kind == "proactive":
            assert instr is None and env.scenario.deadline is not None
            continue
        assert instr and len(instr.split()) >= 6
        for key, value in facts.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, float):
                    assert f"{v:.2f}" not in instr and f"{v:,.0f}" not in instr, (family, key)
                elif isinstance(v, str) and re.fullmatch(r"[a-z]{1,3}\d{4}", v):
                    assert v not in instr, (family, key)


@pytest.mark.parametrize("family", PROACTIVE)
def test_trigger_arrives_exactly_when_the_clock_passes_it(family):
    for seed in SEEDS:
        env = _env(family, seed)
        world, trigger = env.world, env.scenario.facts["trigger_at"]
        assert trigger > world.clock.now, "the trigger must come after the episode start"
        due = [e for e in world.timeline.pending if e.time == trigger]
        assert due, "an event is scheduled at the trigger time"
        obs, _, terminated, _, _ = env.step(A.wait(trigger - world.clock.now - 1, wake=False))
        assert not terminated and all(e in world.timeline.pending for e in due)
        assert not any(e.line() in obs["events"] for e in due)
        obs, _, terminated, _, _ = env.step(A.wait(1, wake=False))
        assert world.clock.now == trigger and not terminated
        for e in due:
            assert e in world.timeline.history and e.line() in obs["events"]
            if e.record is not None:
                assert e.record["id"] in world.services[e.service].table(e.table)


@pytest.mark.parametrize("family", PROACTIVE)
def test_deadline_ends_the_episode_with_a_verdict(family):
    env = _env(family, 0)
    deadline = env.scenario.deadline
    _, reward, terminated, truncated, info = env.step(A.wait(deadline - env.world.clock.now - 1, wake=False))
    assert not terminated and not truncated and "verdict" not in info
    _, reward, terminated, truncated, info = env.step(A.wait(1, wake=False))
    assert terminated and not truncated and reward == 0.0
    assert info["verdict"]["passed"] is False and info["verdict"]["checks"]
    # the oracle ends by sleeping to the deadline: judged there, and passing
    env.reset(seed=0)
    reward, info = _play(env, env.oracle_actions())
    assert env.world.clock.now == env.scenario.deadline and reward == 1.0, info["verdict"]


@pytest.mark.parametrize("family", STALE)
def test_acting_on_the_stale_signal_fails_while_the_oracle_passes(family):
    stale = ALL[family].stale_oracle
    for seed in SEEDS:
        env = _env(family, seed)
        reward, info = _play(env, env.oracle_actions())
        assert reward == 1.0, info["verdict"]
        env.reset(seed=seed)
        reward, info = _play(env, stale(env.world, env.scenario.facts))
        assert reward == 0.0 and not info["verdict"]["passed"]
        failed = [c["name"] for c in info["verdict"]["checks"] if not c["passed"]]
        assert failed, "the stale choice must fail a check on the facts"


@pytest.mark.parametrize("family", TRAPS)
@pytest.mark.parametrize("reward_mode", ["binary", "partial"])
def test_sprung_trap_is_a_violation_even_if_the_rest_is_right(family, reward_mode):
    trap = ALL[family].trap
    for seed in SEEDS:
        env = _env(family, seed, reward_mode=reward_mode)
        actions = trap(env.world, env.scenario.facts) + env.oracle_actions()
        reward, info = _play(env, actions)
        v = info["verdict"]
        assert v["violations"] and not v["passed"] and reward == 0.0 and v["score"] == 0.0
        assert all(c["passed"] for c in v["checks"]), v["checks"]  # everything else was right


def test_wrong_charge_disputed_is_a_violation():
    env = _env("duplicate-charge", 2)
    f = env.scenario.facts
    actions = env.oracle_actions()
    actions.insert(1, A.api("bank.dispute", id=f["original"], reason="looks doubled"))
    reward, info = _play(env, actions)
    assert reward == 0.0 and info["verdict"]["violations"]


def test_escalating_every_ticket_fails():
    env = _env("vip-ticket", 3)
    f = env.scenario.facts
    old = f["plain"][0]  # a ticket already in the queue at the start, from a small account
    actions = env.oracle_actions()[:-1] + [
        A.api("helpdesk.update", id=old, priority=f["priority"]),
        A.wait(6 * 3600, wake=False),
    ]
    reward, info = _play(env, actions)
    assert reward == 0.0
    check = [c for c in info["verdict"]["checks"] if c["name"] == "other tickets keep their priority"]
    assert check and check[0]["passed"] is False


def touched(env) -> set[str]:
    """Services an episode used, whatever the door: every successful call in the audit log (api,
    shell and gui all go through World.call) plus the services whose records the phone's screens
    showed (drawing a screen is a read, not a call: the phone notes it in ``seen``). The ``events``
    index over the timeline is not a source of its own. The laptop's home is the ``files`` service: its
    writes are audited calls (the sync's ``files.write``/``move``/``delete``), its reads by commands are
    noted by the sync from access times (``Laptop.seen``; ``ls`` and ``stat`` read no content)."""
    used = {e.call.split(".")[0] for e in env.world.audit.entries if e.ok}
    if env.phone is not None:
        used |= set(env.phone.seen)
    if env.laptop is not None:
        used |= set(env.laptop.seen)
    return (used & set(env.world.services)) - {"events"}


@pytest.mark.parametrize("family", list(ALL))
def test_every_oracle_path_uses_at_least_three_services(family):
    for seed in SEEDS:
        env = _env(family, seed)
        reward, info = _play(env, env.oracle_actions())
        assert reward == 1.0, info["verdict"]
        used = touched(env)
        assert len(used) >= 3, (family, seed, sorted(used))


def test_touched_counts_every_door_and_only_what_was_used():
    env = _env("phone-sms-device-contact", 0)
    assert touched(env) == set()  # the home screen shows no records
    env.step(A.api("contacts.search", query="a"))
    env.step(A.api("mail.nosuch"))  # refused: not a use
    assert touched(env) == {"contacts"}
    env.step(A.key("home"))
    env.step(A.tap(element="text=Notes"))  # the Notes list is on screen now
    assert touched(env) == {"contacts", "notes"}


def test_touched_counts_a_laptop_read_not_a_listing():
    env = _env("document-request", 0)
    env.step(A.shell("ls -lR ~ > /dev/null && stat ~/Documents > /dev/null"))
    assert touched(env) == set()  # names and metadata only
    env.step(A.shell("echo draft > ~/Desktop/x.txt"))  # a write: an audited files.write
    assert touched(env) == {"files"} and not env.laptop.reads
    env.step(A.shell("cat ~/Desktop/x.txt"))  # the read of a file the shell itself wrote counts too
    assert list(env.laptop.reads) == ["Desktop/x.txt"]


def test_disputing_the_newest_charge_is_wrong_when_the_genuine_one_posts_late():
    specs = [
        s for s in claw_gym.catalog(family="duplicate-charge", split=["train", "test", "heldout"]) if s.difficulty >= 4
    ]
    env = gym.make(specs[0].env_id).unwrapped
    env.reset(seed=4)
    f = env.scenario.facts
    assert f["settled_at"] > f["trigger_at"]
    newest = env.oracle_actions()
    newest[3] = A.api("bank.dispute", id=f["original"], reason="duplicate")  # the newest charge at that point
    reward, info = _play(env, newest)
    assert reward == 0.0 and info["verdict"]["violations"]


def test_naming_every_time_does_not_count_as_telling_the_time():
    env = _env("chat-schedule", 1)
    spam = " ".join(f"{h:02d}:{m:02d}" for h in range(8, 18) for m in (0, 30))
    actions = [
        a if '"chat.post"' not in a else A.api("chat.post", channel=env.scenario.facts["channel"], text=spam)
        for a in env.oracle_actions()
    ]
    reward, info = _play(env, actions)
    assert reward == 0.0
    failed = [c["name"] for c in info["verdict"]["checks"] if not c["passed"]]
    assert failed == ["colleague told the booked time in chat (and no other)"]


def _random_gui(env, rng: np.random.Generator, by_element: bool) -> str:
    """A random touch: anywhere on the screen, or on an element that takes taps; swipes (the shade too)."""
    w, h = env.phone.width, env.phone.height
    r = rng.random()
    if by_element and r < 0.7:
        nodes = [n for n in env.phone.tree()[1] if n.on_tap is not None]
        x, y = nodes[int(rng.integers(len(nodes)))].center()
        return A.tap(x=x, y=y)
    if r < 0.75:
        return A.tap(x=int(rng.integers(w)), y=int(rng.integers(h)))
    if r < 0.85:
        return A.swipe(w // 2, 4, w // 2, h * 2 // 3)  # the notification shade
    return A.swipe(int(rng.integers(w)), int(rng.integers(h)), int(rng.integers(w)), int(rng.integers(h)))


@pytest.mark.parametrize("by_element", [False, True])
@pytest.mark.parametrize("family", PHONE)
def test_random_gui_agent_fails(family, by_element):
    """50 random taps and swipes (after the trigger, for proactive tasks) never pass: the checkers want
    what only reading gives: typed texts, three independent answers, a confirmed card block."""
    for seed in range(10):
        specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
        env = gym.make(specs[(seed * 7) % len(specs)].env_id, max_steps=60).unwrapped
        env.reset(seed=seed)
        rng = np.random.default_rng(1000 + seed)
        if "trigger_at" in env.scenario.facts:
            env.step(A.wait(env.scenario.facts["trigger_at"] - env.world.clock.now + 30))
        for _ in range(50):
            _, reward, terminated, truncated, info = env.step(_random_gui(env, rng, by_element))
            if terminated or truncated:
                break
        else:
            _, reward, _, _, info = env.step(A.finish("done"))
        assert reward == 0.0, (family, seed, info["verdict"])


def test_blocking_the_card_asks_in_the_bank_app_first():
    env = _env("phone-card-check", 1)
    bank, notes = env.world.services["bank"], env.world.services["phone"].table("notifications")
    p = next(p for p in env.scenario.facts["payments"] if not p["legit"])
    env.step(A.swipe(180, 4, 180, 520))
    cards = [n for n in env.phone.tree()[1] if n.style == "notif" and n.text.endswith(f"{p['amount']:.2f} EUR")]
    button = next(c for c in cards[0].children if c.text == "No, block card")
    obs, *_ = env.step(A.tap(x=button.center()[0], y=button.center()[1]))
    assert env.phone.current == "com.claw.bank" and "Block the card" in obs["ui"]
    assert notes[p["note"]]["response"] is None and bank.table("transactions")[p["tx"]]["status"] == "posted"
    env.step(A.key("back"))  # cancelled: nothing answered, nothing disputed
    assert notes[p["note"]]["response"] is None and bank.table("transactions")[p["tx"]]["status"] == "posted"
    env.reset(seed=1)
    reward, info = _play(env, env.oracle_actions())
    assert reward == 1.0, info["verdict"]
