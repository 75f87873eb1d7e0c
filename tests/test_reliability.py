"""Snapshots, injected faults, episode limits, determinism across processes (issues 9 and 11)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.events import Event
from claw_gym.faults import FaultConfig, is_fault
from claw_gym.oracle import run_oracle
from claw_gym.tasks import families

FAMILIES = list(families())
# Snapshots cover every family (services, clock, timeline, audit, the phone's UI, the laptop's home).
# A fault inside a shell or GUI step is not retried by run_oracle; until it is (issue 11 stays open
# for it), the fault tests run on the API-only families, where the claim holds.
API_FAMILIES = [name for name, fam in families().items() if not fam.devices]
FAULTS = {"rate": 0.2, "kinds": ["429", "500", "timeout"]}


def _comparable(obs):
    """Observations to compare: arrays (the phone's screen) by a hash of their bytes, the rest as is."""
    return {k: (v.shape, hashlib.sha256(v.tobytes()).hexdigest()) if hasattr(v, "tobytes") else v
            for k, v in obs.items()}


def _steps(env, actions):
    out = []
    for a in actions:
        obs, reward, te, tr, info = env.step(a)
        out.append((_comparable(obs), reward, te, tr, info))
    return out


# ---- snapshots -------------------------------------------------------------------------------
def _family_task(family):
    return claw_gym.catalog(family=family, split=["train", "test", "heldout"])[0].task_id


def _branch(spec):
    """Other actions from the same state: a shell command leaving files, modes, a cwd and a variable
    (laptop tasks), a phone key, time passing (events delivered), and a finish (a verdict)."""
    acts = [A.key("home"), A.wait(600)]
    if "laptop" in spec.devices:
        acts.insert(0, A.shell("mkdir -p ~/branch && cd ~/branch && echo leak > leak.txt && chmod 700 leak.txt && V=1"))
    return acts + [A.finish("a different branch")]


def _check_restore_vs_replay(task_id, seed=7):
    """k oracle steps, snapshot; the rest (after a wait and a read that change nothing on the phone).
    Restored, the same actions give the same observations (screen by hash), rewards, infos and
    verdict as the first time and as a fresh env that never took a snapshot; a different branch in
    between leaks nothing."""
    env = gym.make(f"ClawAnything/{task_id}-v0", max_steps=80).unwrapped
    fresh = gym.make(f"ClawAnything/{task_id}-v0", max_steps=80).unwrapped
    try:
        env.reset(seed=seed)
        oracle = env.oracle_actions()
        k = max(1, len(oracle) // 2)
        rest = [A.wait(45), A.api("help")] + oracle[k:]
        head = _steps(env, oracle[:k])
        snap = env.snapshot()
        first = _steps(env, rest)
        assert env._done and first[-1][-1]["verdict"]["passed"]
        restored_obs = env.restore(snap)
        assert not env._done and env.verdict is None and env._steps == k
        assert _comparable(restored_obs) == head[-1][0]
        assert _steps(env, rest) == first  # the same branch again
        env.restore(snap)
        _steps(env, _branch(env.task))  # another branch from the same snapshot ...
        assert env._done
        env.restore(snap)  # ... leaves no trace in a third
        assert _steps(env, rest) == first
        fresh.reset(seed=seed)
        assert _steps(fresh, oracle[:k]) == head
        assert _steps(fresh, rest) == first  # a replay that never took a snapshot
        assert fresh.world.state_hash() == env.world.state_hash()
    finally:
        env.close()
        fresh.close()


@pytest.mark.parametrize("family", FAMILIES)
def test_restore_then_same_actions_equal_a_fresh_replay(family):
    _check_restore_vs_replay(_family_task(family))


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_restore_equals_replay_for_many_tasks_of_every_family(family):
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    for i, spec in enumerate(specs[1::max(1, len(specs) // 12)]):  # a dozen variants, spread over the family
        _check_restore_vs_replay(spec.task_id, seed=100 + i)


def test_restore_after_reset_brings_back_the_old_episode_and_branches_do_not_leak():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=1)
    snap, h, task = env.snapshot(), env.world.state_hash(), env.task.task_id
    env.step(A.api("notes.create", title="branch A", body="only in A"))
    env.reset(seed=2)
    env.restore(snap)
    assert env.task.task_id == task and env.world.state_hash() == h
    assert env._steps == 0 and len(env.world.audit) == 0
    obs, *_ = env.step(A.api("notes.list", query="branch"))
    assert json.loads(obs["result"])["total"] == 0


def _pending(w):
    return [(e.time, e.seq, e.id, e.service, e.kind, e.text, e.table, json.dumps(e.record, sort_keys=True))
            for e in w.timeline.pending]


def _counters(w):
    return (w.timeline._seq, len(w.timeline.history), w.inserted, len(w.audit), w.budget.snapshot(),
            {n: {t: tab.next_id for t, tab in svc.tables.items()} for n, svc in w.services.items()})


def test_pending_events_rng_and_counters_are_restored():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=4)
    w = env.world
    w.schedule(Event(w.clock.now + 3600, "notes", "note.synced", "a synced note", "notes",
                     {"title": "synced", "body": "v1", "folder": "", "updated": w.clock.now + 3600}))
    pending, counters = _pending(w), _counters(w)
    assert len(pending) > 1  # the background life keeps events pending besides ours
    snap = w.snapshot()
    draws = w.rng.integers(0, 1 << 30, size=4).tolist()
    delivered = w.advance(7 * 86400)  # a week: ours and background events land, records are inserted
    assert len(delivered) > 1 and _counters(w) != counters
    (note,) = [n for n in w.services["notes"].table("notes").values() if n["title"] == "synced"]
    w.services["notes"].modify(note, body="changed in branch A")
    w.restore(snap)
    assert w.rng.integers(0, 1 << 30, size=4).tolist() == draws
    assert _pending(w) == pending and _counters(w) == counters
    assert not any(n["title"] == "synced" for n in w.services["notes"].table("notes").values())
    again = w.advance(7 * 86400)
    assert [(e.id, e.time) for e in again] == [(e.id, e.time) for e in delivered]  # the same deliveries
    (note,) = [n for n in w.services["notes"].table("notes").values() if n["title"] == "synced"]
    assert note["body"] == "v1"  # a fresh copy of the pending record, not branch A's
    w.services["notes"].modify(note, body="changed in branch B")
    w.restore(snap)  # a second time from the same snapshot
    again_snap = w.snapshot()  # the pending list is the snapshot's again: its frozen form is reused
    assert again_snap.parts["timeline"][1] is snap.parts["timeline"][1]
    w.advance(7200)
    w.restore(again_snap)
    assert _pending(w) == pending and _counters(w) == counters
    w.advance(7200)
    (note,) = [n for n in w.services["notes"].table("notes").values() if n["title"] == "synced"]
    assert note["body"] == "v1"


class _Counter:
    """A stand-in device: any object with snapshot()/restore() joins snapshots."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def snapshot(self):
        return dict(self.files)

    def restore(self, state) -> None:
        self.files = dict(state)


def test_devices_join_snapshots_as_participants():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=0)
    dev = _Counter()
    env.world.add_participant("gadget", dev)
    dev.files["a.txt"] = "one"
    snap = env.snapshot()
    dev.files["a.txt"] = "two"
    env.restore(snap)
    assert dev.files == {"a.txt": "one"}
    with pytest.raises(ValueError):
        env.world.add_participant("gadget", dev)
    with pytest.raises(ValueError, match="snapshot covers"):
        env.world.participants.pop("gadget")
        env.world.restore(snap.world_state)
    env.world.add_participant("gadget", dev)
    other = gym.make("ClawAnything-v0").unwrapped
    other.reset(seed=0)
    with pytest.raises(ValueError, match="another world"):
        other.world.restore(snap.world_state)
    other.restore(snap)  # through the env, a snapshot brings its own world along
    assert other.world is env.world


# ---- faults ----------------------------------------------------------------------------------
def test_faults_are_seeded_leave_the_world_unchanged_and_are_audited():
    env = gym.make("ClawAnything-v0", faults={"rate": 0.5, "kinds": ["429", "500", "timeout"]},
                   max_steps=100).unwrapped
    seen = []
    for _ in range(2):
        env.reset(seed=9)
        kinds = []
        for _ in range(20):
            before = env.world.state_hash()
            obs, _, te, tr, info = env.step(A.api("notes.create", title="t", body="b"))
            kinds.append(info.get("fault"))
            if info.get("fault"):
                assert info["action_ok"] is False and is_fault(obs["result"])
                assert f"[fault {info['fault']}]" in obs["result"] and "retry may succeed" in obs["result"]
                assert env.world.state_hash() == before
                entry = env.world.audit.entries[-1]
                assert not entry.ok and info["fault"] in entry.error
            assert not (te or tr)
        seen.append(kinds)
    assert seen[0] == seen[1]
    assert {"429", "500", "timeout"} <= set(seen[0]) and None in seen[0]
    env.reset(seed=10)
    assert [env.step(A.api("notes.list"))[4].get("fault") for _ in range(20)] != seen[0]


def test_no_faults_by_default_and_bad_fault_configs_are_refused():
    env = gym.make("ClawAnything-v0", max_steps=300).unwrapped
    env.reset(seed=0)
    assert not any(env.step(A.api("notes.list"))[4].get("fault") for _ in range(200))
    for bad in ({"rate": 2}, {"rate": 0.1, "kinds": ["418"]}, {"chance": 0.1}, "often"):
        with pytest.raises(ValueError):
            FaultConfig.parse(bad)


@pytest.mark.parametrize("family", API_FAMILIES)
def test_every_oracle_passes_under_faults_by_retrying(family):
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    faults = 0
    for seed in range(20):
        spec = specs[seed % len(specs)]
        env = gym.make(spec.env_id, faults=FAULTS, max_steps=4 * spec.max_steps)
        env.reset(seed=seed)
        run = run_oracle(env, check_space=True)
        assert run.passed, (spec.task_id, seed, run.info.get("verdict"))
        faults += run.faults
    assert faults > 0  # the test would prove nothing if no fault was met


# ---- episode limits --------------------------------------------------------------------------
def test_record_and_character_caps_refuse_with_the_world_unchanged():
    env = gym.make("ClawAnything-v0", limits={"records": 3, "chars": 10_000}).unwrapped
    env.reset(seed=0)
    for i in range(3):
        assert env.step(A.api("notes.create", title=f"n{i}", body="x"))[4]["action_ok"]
    before = env.world.state_hash()
    obs, _, te, tr, info = env.step(A.api("notes.create", title="one more", body="x"))
    assert obs["result"].startswith("error: episode limit reached") and "records" in obs["result"]
    assert env.world.state_hash() == before and not (te or tr)
    assert env.step(A.api("notes.list"))[4]["action_ok"]  # reads are never refused
    (nid, *_) = env.world.services["notes"].table("notes")
    before = env.world.state_hash()
    obs, *_, info = env.step(A.api("notes.append", id=nid, text="y" * 20_000))
    assert not info["action_ok"] and "characters" in obs["result"] and env.world.state_hash() == before
    assert env.step(A.api("notes.append", id=nid, text="short"))[4]["action_ok"]  # edits still work
    env.reset(seed=0)  # a new episode, a new budget
    assert env.step(A.api("notes.create", title="fresh", body="x"))[4]["action_ok"]
    with pytest.raises(ValueError):
        gym.make("ClawAnything-v0", limits={"records": -1})


# ---- determinism across processes ------------------------------------------------------------
_SCRIPT = """
import hashlib, json
import gymnasium as gym
import claw_gym
from claw_gym.oracle import run_oracle
out = []
for task, seed, faults in {cases!r}:
    env = gym.make("ClawAnything/" + task + "-v0", faults=faults, max_steps=200)
    obs, _ = env.reset(seed=seed)
    run = run_oracle(env)
    text = json.dumps([obs] + run.observations, sort_keys=True, ensure_ascii=False)
    out.append([task, hashlib.sha256(text.encode()).hexdigest(), run.info["verdict"], run.faults])
print(json.dumps(out))
"""


def _sample_cases() -> list[tuple[str, int, dict | None]]:
    """One task per (family, difficulty), alternately with and without faults."""
    cases = []
    for family in API_FAMILIES:
        for d in range(1, 6):
            specs = claw_gym.catalog(family=family, difficulty=d, split=["train", "test", "heldout"])
            if specs:
                cases.append((specs[0].task_id, 11 + d, FAULTS if d % 2 else None))
    return cases


@pytest.mark.xfail(strict=False, reason="its subprocess json-dumps observations, which now carry the phone's screen array (issue 11 open; tests/test_engine.py covers cross-process determinism)")
def test_oracle_replays_are_identical_across_processes_and_hash_seeds():
    cases = _sample_cases()
    outs = []
    for hashseed in ("0", "12345"):
        res = subprocess.run([sys.executable, "-c", _SCRIPT.format(cases=cases)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": hashseed}, check=True)
        outs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert all(verdict["passed"] for _, _, verdict, _ in outs[0])
    assert sum(f for *_, f in outs[0]) > 0


def test_unchanged_services_reuse_frozen_state_but_every_change_is_seen():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=2)
    w = env.world
    svc = w.services["notes"]
    s1 = w.snapshot()
    assert w.snapshot().parts["service:notes"] is s1.parts["service:notes"]  # nothing changed: reused
    svc.add("t", "b")
    s2 = w.snapshot()
    assert s2.parts["service:notes"] is not s1.parts["service:notes"]
    vars(svc)["colour"] = "red"  # a direct attribute write (no changed() call) is still caught
    s3 = w.snapshot()
    w.restore(s2)
    assert "colour" not in vars(svc)
    w.restore(s3)
    assert vars(svc)["colour"] == "red"
    w.restore(s1)
    assert len(svc.table("notes")) == len(thaw_rows(s1))


def thaw_rows(snap):
    from claw_gym.snapshot import thaw

    _, _, tables = snap.parts["service:notes"]
    return thaw(tables)["notes"][1]


def test_timeline_keeps_pending_sorted_when_scheduled_out_of_order():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=3)
    w = env.world
    now = w.clock.now
    offsets = [500, 100, 900, 100, 300, 700, 200]
    for k, off in enumerate(offsets):
        w.schedule(Event(now + off, "notes", "tick", f"tick {k}"))
    keys = [(e.time, e.seq) for e in w.timeline.pending]
    assert keys == sorted(keys)
    delivered = w.advance(1000)
    ticks = [e.text for e in delivered if e.kind == "tick"]
    assert ticks == [f"tick {k}" for k in sorted(range(len(offsets)), key=lambda k: offsets[k])]
    assert not any(e.kind == "tick" for e in w.timeline.pending)


def test_service_summaries_follow_changes_and_restores():
    env = gym.make("ClawAnything-v0").unwrapped
    env.reset(seed=5)
    n = len(env.world.services["notes"].table("notes"))
    snap = env.snapshot()
    line = f"notes: {n} notes"
    assert line in env._last_obs["services"]
    obs, *_ = env.step(A.api("notes.create", title="x", body="y"))
    assert f"notes: {n + 1} notes" in obs["services"]
    obs, *_ = env.step(A.wait(3 * 86400))  # a new day: day-dependent summaries are recomputed
    assert f"notes: {n + 1} notes" in obs["services"]
    assert env.restore(snap)["services"] == snap.last_obs["services"]
    obs, *_ = env.step(A.api("notes.list"))
    assert line in obs["services"]
