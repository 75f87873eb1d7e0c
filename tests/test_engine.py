"""Engine contracts: spaces, registration, oracle/do-nothing/random, determinism, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import claw_gym
from claw_gym import actions as A
from claw_gym.replay import finish_episode
from claw_gym.tasks import families

FAMILIES = list(families())
SEEDS = range(20)


def run_oracle(env: gym.Env) -> dict:
    info: dict = {}
    for action in env.unwrapped.oracle_actions():
        obs, reward, terminated, truncated, info = env.step(action)
        assert env.observation_space.contains(obs)
        if terminated or truncated:
            break
    return info


def test_suite_env_passes_check_env():
    env = gym.make("ClawAnything-v0").unwrapped
    check_env(env, skip_render_check=True)


@pytest.mark.parametrize("family", FAMILIES)
def test_family_env_passes_check_env(family):
    env = gym.make(claw_gym.catalog(family=family)[0].env_id).unwrapped
    check_env(env, skip_render_check=True)


def test_every_task_is_registered():
    for spec in claw_gym.all_specs().values():
        assert spec.env_id in gym.registry
    assert "ClawAnything-v0" in gym.registry


@pytest.mark.parametrize("family", FAMILIES)
def test_oracle_passes_and_do_nothing_fails(family):
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    for seed in SEEDS:
        spec = specs[seed % len(specs)]
        env = gym.make(spec.env_id)
        env.reset(seed=seed)
        info = run_oracle(env)
        assert info["verdict"]["passed"], (spec.task_id, seed, info["verdict"])
        env.reset(seed=seed)
        info = finish_episode(env, "All done.")  # a proactive task runs on to its deadline
        assert not info["verdict"]["passed"], (spec.task_id, seed)


def random_api_action(env: gym.Env, rng: np.random.Generator) -> str:
    """A well-formed API call with plausible arguments drawn from visible ids."""
    world = env.unwrapped.world
    services = list(world.services.values())
    svc = services[int(rng.integers(len(services)))]
    ep = list(svc.endpoints.values())[int(rng.integers(len(svc.endpoints)))]
    ids = [rid for s in world.services.values() for t in s.tables.values() for rid in t.rows]
    args = {}
    for p in ep.params:
        if not p.required and rng.random() < 0.5:
            continue
        tname = p.type_name()
        if p.name in ("id", "deal_id") or p.name.endswith("_id"):
            args[p.name] = ids[int(rng.integers(len(ids)))] if ids else "x1"
        elif tname == "integer":
            args[p.name] = int(rng.integers(1, 50))
        elif tname == "number":
            args[p.name] = float(rng.integers(1, 500))
        elif tname == "boolean":
            args[p.name] = bool(rng.random() < 0.5)
        elif tname.startswith("list"):
            args[p.name] = [world.persona.people[int(rng.integers(len(world.persona.people)))].email]
        elif p.name in ("start", "end", "date", "due", "close_date"):
            args[p.name] = f"2026-03-0{int(rng.integers(1, 9))} 1{int(rng.integers(0, 9))}:00"
        else:
            args[p.name] = ["hello", "done", "inbox", "Documents/a.txt", "general"][int(rng.integers(5))]
    return A.api(ep.qualname, **args)


@pytest.mark.parametrize("family", FAMILIES)
def test_random_valid_api_calls_then_finish_fail(family):
    rng = np.random.default_rng(0)
    for spec in claw_gym.catalog(family=family, split=["train", "test", "heldout"])[:5]:
        env = gym.make(spec.env_id, max_steps=200)
        env.reset(seed=1)
        for _ in range(50):
            _, _, terminated, truncated, info = env.step(random_api_action(env, rng))
            if terminated or truncated:
                break
        else:
            info = finish_episode(env)
        assert not info["verdict"]["passed"], spec.task_id


def plain(obs: dict) -> dict:
    """Observation with arrays (the phone screen) replaced by a content digest: comparable, JSON-able."""
    import hashlib

    return {
        k: (f"{v.shape}:{hashlib.sha256(v.tobytes()).hexdigest()}" if isinstance(v, np.ndarray) else v)
        for k, v in obs.items()
    }


def replay(task_id: str, seed: int) -> tuple[list[dict], dict]:
    env = gym.make(f"ClawAnything/{task_id}-v0")
    obs, _ = env.reset(seed=seed)
    out = [plain(obs)]
    info: dict = {}
    for a in env.unwrapped.oracle_actions():
        obs, _, te, tr, info = env.step(a)
        out.append(plain(obs))
        if te or tr:
            break
    return out, info["verdict"]


@pytest.mark.parametrize("family", FAMILIES)  # one test per family: the workers share them out
def test_same_seed_same_actions_same_observations(family):
    task = claw_gym.catalog(family=family)[0].task_id
    assert replay(task, 5) == replay(task, 5)
    assert replay(task, 5)[0] != replay(task, 6)[0]


_REPLAY_SCRIPT = """
import json, sys, hashlib
sys.path.insert(0, {root!r})
from tests.test_engine import replay
import claw_gym
out = []
for f in {families!r}:
    t = claw_gym.catalog(family=f)[0].task_id
    obs, verdict = replay(t, 11)
    out.append([hashlib.sha256(json.dumps(obs, sort_keys=True).encode()).hexdigest(), verdict["passed"]])
print(json.dumps(out))
"""


def test_determinism_across_processes():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = _REPLAY_SCRIPT.format(root=root, families=FAMILIES)
    outs = []
    for hashseed in ("1", "999"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        outs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert all(passed for _, passed in outs[0])


BAD_INPUTS = {
    "not json": "call mail.list please",
    "json not an object": "[1, 2, 3]",
    "unknown kind": json.dumps({"kind": "teleport"}),
    "unknown service": A.api("fax.send", to="x"),
    "unknown endpoint": A.api("mail.explode"),
    "missing argument": A.api("calendar.list_events", start="2026-03-01"),
    "wrong argument type": A.api("calendar.list_events", start=5, end="2026-03-09"),
    "extra argument": A.api("mail.list", folder="inbox", colour="red"),
    "one megabyte action": A.api("notes.create", title="big", body="x" * 1_000_000),
    "record that does not exist": A.api("mail.get", id="m9999"),
    "non-utf8 text": b'\xff\xfe{"kind": "wait"}',
    "lone surrogate": '{"kind": "api", "call": "notes.create", "args": {"title": "\\ud800", "body": 1}}',
    "args not an object": json.dumps({"kind": "api", "call": "mail.list", "args": [1]}),
    "bad wait": A.wait(-5),
    "bad time text": A.api("calendar.list_events", start="next tuesday", end="2026-03-09"),
    "bool as int": A.api("mail.list", limit=True),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_an_error_observation_and_changes_nothing(case):
    env = gym.make("ClawAnything-v0")
    env.reset(seed=3)
    world = env.unwrapped.world
    before = world.state_hash()
    obs, reward, terminated, truncated, info = env.step(BAD_INPUTS[case])
    assert obs["result"].startswith("error: "), obs["result"][:200]
    assert info["action_ok"] is False and info["error"]
    assert env.observation_space.contains(obs)
    assert world.state_hash() == before
    assert not terminated and reward == 0.0
    obs, *_ = env.step(A.api("help"))
    assert not obs["result"].startswith("error")


def test_observation_fields_are_bounded():
    env = gym.make(claw_gym.catalog(service="notes")[0].env_id)  # a task whose world has notes
    env.reset(seed=0)
    obs, *_ = env.step(A.api("notes.create", title="t", body="y" * 60_000))
    nid = json.loads(obs["result"])["created"]
    obs, *_ = env.step(A.api("notes.get", id=nid))
    assert len(obs["result"]) <= env.observation_space["result"].max_length
    assert "[truncated" in obs["result"]


def test_filters_and_catalog():
    pro = claw_gym.catalog(kind="proactive")
    assert pro and all(s.kind == "proactive" for s in pro)
    env = gym.make("ClawAnything-v0", kind="proactive", difficulty=[1, 2])
    for seed in range(5):
        _, info = env.reset(seed=seed)
        assert info["kind"] == "proactive" and info["difficulty"] in (1, 2) and info["split"] == "train"
        assert info["instruction"] is None
    env.reset(options={"task_id": pro[0].task_id})
    assert env.unwrapped.task.task_id == pro[0].task_id
    with pytest.raises(KeyError, match="did you mean"):
        claw_gym.get_spec(pro[0].task_id[:-1] + "x")


def test_partial_reward_mode():
    spec = claw_gym.catalog(family=FAMILIES[0])[0]
    env = gym.make(spec.env_id, reward_mode="partial")
    env.reset(seed=0)
    _, reward, _, _, info = env.step(A.finish())
    assert reward == info["verdict"]["score"]


def test_truncation_at_max_steps_gives_a_verdict():
    spec = claw_gym.catalog(family=FAMILIES[0])[0]
    env = gym.make(spec.env_id, max_steps=3)
    env.reset(seed=0)
    for _ in range(3):
        _, reward, terminated, truncated, info = env.step(A.api("help"))
    assert truncated and not terminated and "verdict" in info and reward == 0.0


def test_cached_listings_follow_every_change_and_restore():
    """mail/sms keep their sorted listings until the records change (Service.derived): a move, a new
    message, a restore and an arriving event must all show in the next listing, with live records."""
    env = gym.make("ClawAnything-v0", family="meeting-reschedule").unwrapped
    env.reset(seed=3)
    mail = env.world.services["workmail"] if "workmail" in env.world.services else env.world.services["mail"]
    svc = mail.name
    inbox = mail.messages("inbox")
    assert inbox and list(inbox) == sorted(inbox, key=lambda m: (m["time"], m["id"]), reverse=True)
    snap = env.snapshot()
    newest = inbox[0]["id"]
    _, _, _, _, info = env.step(A.api(f"{svc}.move", id=newest, folder="archive"))
    assert info["action_ok"], info
    assert newest not in [m["id"] for m in mail.messages("inbox")]
    assert newest in [m["id"] for m in mail.messages("archive")]
    env.restore(snap)
    again = mail.messages("inbox")
    assert [m["id"] for m in again] == [m["id"] for m in inbox]
    rows = mail.table("messages")
    assert all(m is rows[m["id"]] for m in again)  # the restored (live) records, not the old objects
    before = len(mail.messages())
    env.step(A.wait(3 * 86400))  # the life keeps delivering: new mail lands in the listing
    assert len(mail.messages()) == len(rows) >= before


def test_listed_rows_follow_field_changes_and_restore():
    """Listed rows are kept per record until the service changes (Service.page): reading a message
    must flip its row to read and drop it from the unread listing; a restore brings both back."""
    env = gym.make("ClawAnything-v0", family="meeting-reschedule").unwrapped
    env.reset(seed=3)
    mail = env.world.services["workmail"] if "workmail" in env.world.services else env.world.services["mail"]
    svc = mail.name

    unread = [m for m in mail.messages("inbox") if not m["read"]]
    assert unread, "the task's inbox has unread mail"
    snap = env.snapshot()
    first = mail.list(limit=200)
    assert mail.list(limit=200)["items"][0] is first["items"][0]  # kept: the same row object
    target = unread[0]["id"]
    env.step(A.api(f"{svc}.get", id=target))
    rows = {r["id"]: r for r in mail.list(limit=200)["items"]}
    assert rows[target]["read"] is True
    assert target not in [r["id"] for r in mail.list(unread_only=True, limit=200)["items"]]
    env.restore(snap)
    rows = {r["id"]: r for r in mail.list(limit=200)["items"]}
    assert rows[target]["read"] is False
    assert target in [r["id"] for r in mail.list(unread_only=True, limit=200)["items"]]
    fresh = [mail._brief(m) for m in mail.messages("inbox")[:200]]
    assert mail.list(limit=200)["items"] == fresh


def _cached_calls(world) -> list[tuple[str, dict]]:
    """Every cached endpoint of the world, with default arguments and a few variants."""
    calls = []
    for svc in world.services.values():
        for ep in svc.endpoints.values():
            if not ep.cached:
                continue
            base: dict = {}
            if ep.qualname == "chat.history":
                names = svc.channel_names()
                if not names:
                    continue
                base = {"channel": names[0]}
            if any(p.name == "query" and p.required for p in ep.params):
                base = {"query": "the"}
            assert all(not p.required or p.name in base for p in ep.params), ep.signature()
            names = {p.name for p in ep.params}
            calls.append((ep.qualname, base))
            if "limit" in names:
                calls.append((ep.qualname, {**base, "limit": 3, "offset": 1}))
            if "unread_only" in names:
                calls.append((ep.qualname, {**base, "unread_only": True}))
            if "query" in names and "query" not in base:
                calls.append((ep.qualname, {**base, "query": "the"}))
    return calls


@pytest.mark.parametrize("family", ["meeting-reschedule", "dual-invite-dnd", "statement-reconcile", "todo-export"])
def test_cached_endpoints_answer_what_a_fresh_call_would(family):
    """A cached read (Endpoint.cached) must be a function of its service's records and arguments only:
    after writes, arrivals over simulated days and a restore, it equals the method run afresh."""
    env = gym.make("ClawAnything-v0", family=family).unwrapped
    env.reset(seed=1)
    world = env.world
    calls = _cached_calls(world)
    assert len({c for c, _ in calls}) >= 3, calls

    def check() -> None:
        for call, args in calls:
            svc_name, _, name = call.partition(".")
            svc = world.services[svc_name]
            first = world.call(call, args)
            assert world.call(call, args) is first  # kept while nothing changed
            fresh = getattr(svc, name)(**svc.endpoints[name].bind(args))
            assert first == fresh, call

    check()
    snap = env.snapshot()
    for action in env.oracle_actions()[:-1]:  # the writes of a solution (its finish left out)
        env.step(action)
        check()
    env.step(A.wait(2 * 86400))  # the life delivers mail, texts, chat over two days
    check()
    env.restore(snap)
    check()


def test_cached_results_are_bounded_and_reach_the_observation():
    env = gym.make("ClawAnything-v0", family="meeting-reschedule").unwrapped
    env.reset(seed=3)
    mail = env.world.services["workmail"] if "workmail" in env.world.services else env.world.services["mail"]
    for offset in range(200):
        env.world.call(f"{mail.name}.list", {"limit": 1, "offset": offset})
    assert len(mail._derived["calls"]) <= 64
    unread = next(m for m in mail.messages("inbox")[:40] if not m["read"])
    listing = A.api(f"{mail.name}.list", limit=40)  # about 7,000 characters: within the result's limit
    before = json.loads(env.step(listing)[0]["result"])
    assert json.loads(env.step(listing)[0]["result"]) == before
    env.step(A.api(f"{mail.name}.get", id=unread["id"]))
    after = json.loads(env.step(listing)[0]["result"])
    was = {r["id"]: r["read"] for r in before["items"]}
    now = {r["id"]: r["read"] for r in after["items"]}
    assert was[unread["id"]] is False and now[unread["id"]] is True


def test_bound_is_cached_on_its_arguments_and_bounded():
    from claw_gym import observation as O

    texts = [("x" * n) + "\x00" for n in range(40)] + ["plain", "a\tb\nc", "y" * 20_000]
    for _ in range(2):
        for t in texts:
            assert O.bound(t, 100) == O._bound(t, 100)
            assert O.bound(t, 5_000) == O._bound(t, 5_000)
    assert O.bound.cache_info().currsize <= 16


def test_help_says_which_services_only_the_phone_reaches():
    """phone.* is listed (its endpoints exist) but refused by the api door: help says so up front."""
    env = gym.make("ClawAnything/phone-card-check-alert-0000-v0")
    env.reset(seed=0)
    obs, *_ = env.step(A.api("help"))
    listing = json.loads(obs["result"])
    assert "phone" in listing["services"] and set(listing["phone_only"]) == {"phone"}
    env2 = gym.make("ClawAnything/meeting-reschedule-thread-0000-v0")
    env2.reset(seed=0)
    obs, *_ = env2.step(A.api("help"))
    assert "phone_only" not in json.loads(obs["result"])
