"""Snapshots, injected faults, episode limits, determinism across processes (issues 9 and 11)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.events import Event
from claw_gym.faults import FAULT_KINDS, FaultConfig, FaultPlan, TransientFault, is_fault
from claw_gym.replay import replay_oracle
from claw_gym.tasks import families

FAMILIES = list(families())
# Snapshots cover every family (services, clock, timeline, audit, the phone's UI, the laptop's home);
# faults reach every door (API, the laptop's `claw`, the phone's apps) and replay_oracle resends any faulted step.
FAULTS = {"rate": 0.2, "kinds": ["429", "500", "timeout"]}


def _comparable(obs):
    """Observations to compare: arrays (the phone's screen) by a hash of their bytes, the rest as is."""
    return {
        k: (v.shape, hashlib.sha256(v.tobytes()).hexdigest()) if hasattr(v, "tobytes") else v for k, v in obs.items()
    }


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
    (laptop tasks), a phone key, time passing (events delivered), and a finish (a verdict; a
    proactive task's finish only sleeps to the next arrival: it then sleeps to its deadline)."""
    acts = [A.key("home"), A.wait(600, wake=False)]
    if "laptop" in spec.devices:
        acts.insert(0, A.shell("mkdir -p ~/branch && cd ~/branch && echo leak > leak.txt && chmod 700 leak.txt && V=1"))
    end = [A.wait(7 * 86400, wake=False)] if spec.kind == "proactive" else []
    return acts + [A.finish("a different branch")] + end


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
        rest = [A.wait(45, wake=False), A.api("help")] + oracle[k:]
        head = _steps(env, oracle[:k])
        snap = env.snapshot()
        first = _steps(env, rest)
        assert env.done and first[-1][-1]["verdict"]["passed"]
        restored_obs = env.restore(snap)
        assert not env.done and env.verdict is None and env._steps == k
        assert _comparable(restored_obs) == head[-1][0]
        assert _steps(env, rest) == first  # the same branch again
        env.restore(snap)
        _steps(env, _branch(env.task))  # another branch from the same snapshot ...
        assert env.done
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
    for i, spec in enumerate(specs[1 :: max(1, len(specs) // 12)]):  # a dozen variants, spread over the family
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
    return [
        (e.time, e.seq, e.id, e.service, e.kind, e.text, e.table, json.dumps(e.record, sort_keys=True))
        for e in w.timeline.pending
    ]


def _counters(w):
    return (
        w.timeline._seq,
        len(w.timeline.history),
        w.inserted,
        len(w.audit),
        w.budget.snapshot(),
        {n: {t: tab.next_id for t, tab in svc.tables.items()} for n, svc in w.services.items()},
    )


def test_pending_events_rng_and_counters_are_restored():
    env = gym.make("ClawAnything-v0", family="duplicate-charge").unwrapped  # a world with notes
    env.reset(seed=4)
    w = env.world
    w.schedule(
        Event(
            w.clock.now + 3600,
            "notes",
            "note.synced",
            "a synced note",
            "notes",
            {"title": "synced", "body": "v1", "folder": "", "updated": w.clock.now + 3600},
        )
    )
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
    env = gym.make("ClawAnything-v0", faults={"rate": 0.5, "kinds": ["429", "500", "timeout"]}, max_steps=100).unwrapped
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


ALL_KINDS = list(FAULT_KINDS)
FAULT_EPISODES = 4  # per family and rate: tasks spread over the family's catalog


def _oracle_under_faults(spec, seed: int, rate: float, **kw):
    """The oracle's run under faults, and the failed audit entries that report a fault."""
    env = gym.make(spec.env_id, faults={"rate": rate, "kinds": ALL_KINDS}, max_steps=4 * spec.max_steps)
    env.reset(seed=seed)
    try:
        run = replay_oracle(env, check_space=True, **kw)
        return run, [e for e in env.unwrapped.world.audit.entries if not e.ok and is_fault(e.error)]
    finally:
        env.close()


def _reports_fault(action: str, obs, info) -> bool:
    """The observation says so, in the words of the door the action went through."""
    kind, door = info["fault"], json.loads(action)["kind"]
    if door == "api":
        return obs["result"].startswith(f"error: [fault {kind}]") and not info["action_ok"]
    if door == "gui":  # the app restored its screen and shows a toast
        return f"[fault {kind}]" in obs["result"] and f"error {kind}, try again" in obs["ui"]
    # shell: `claw` printed the error and exited 75 (a script that ran it shows exit status 75)
    return door == "shell" and ("error: [fault " in obs["result"] or "exit status 75" in obs["result"])


@pytest.mark.parametrize("family", FAMILIES)
def test_every_oracle_passes_under_faults_by_retrying(family):
    """Every door (API, the laptop's claw and file sync, the phone's apps) meets faults; the
    oracle recovers by resending faulted steps; every fault is audited and reported."""
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    met, doors = 0, set()
    for r, rate in enumerate((0.1, 0.3)):
        for k in range(FAULT_EPISODES):
            # seed 0: the sweep checks every task's oracle there; fault points vary with the task id
            spec, seed = specs[(7 * k + 3 * r) % len(specs)], 0
            run, audited = _oracle_under_faults(spec, seed, rate)
            assert run.passed, (spec.task_id, seed, rate, run.info.get("verdict"))
            assert len(audited) == run.injected  # each fault met is in the audit log, once
            assert run.faults == sum(1 for i in run.infos if i.get("fault"))
            for action, obs, info in zip(run.actions, run.observations, run.infos):
                assert set(info.get("faults", [])) <= set(ALL_KINDS)
                if info.get("fault"):
                    assert _reports_fault(action, obs, info), (spec.task_id, seed, action[:80], obs["result"][:300])
            met += run.injected
            doors |= {json.loads(a)["kind"] for a, i in zip(run.actions, run.infos) if i.get("faults")}
            if k == 0 and r == 1:  # same seed, same faults, same observations
                again, audited_again = _oracle_under_faults(spec, seed, rate)
                assert [i.get("faults") for i in again.infos] == [i.get("faults") for i in run.infos]
                assert [o["result"] for o in again.observations] == [o["result"] for o in run.observations]
                seen = [(e.time, e.call, e.error) for e in audited]
                assert [(e.time, e.call, e.error) for e in audited_again] == seen
    assert met > 0  # the test would prove nothing if no fault was met
    assert doors & {"shell", "gui"} or not families()[family].devices  # device families: faults met on a device


# one family per door: the API, the laptop's shell (claw and the file sync), the phone's apps
@pytest.mark.parametrize(
    "family", ["meeting-reschedule", "config-fix", "document-request", "phone-missed-call", "dual-ticket-new-number"]
)
def test_checkers_reward_recovering_and_fail_an_agent_that_ignores_faults(family):
    specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
    ignored_and_failed = 0
    for spec in specs[:6]:
        careful, _ = _oracle_under_faults(spec, 0, 0.3)
        assert careful.passed and careful.info["verdict"]["score"] == 1.0
        careless, _ = _oracle_under_faults(spec, 0, 0.3, retry=False)  # the same actions, each sent once
        if not any(i.get("fault") for i in careless.infos):
            assert careless.passed  # no fault reached it: nothing to recover from
        elif not careless.passed:
            ignored_and_failed += 1
    assert ignored_and_failed > 0


class _Forced(FaultPlan):
    """Faults exactly the calls numbered in ``at`` (counted from when it is installed)."""

    def __init__(self, at: set[int], kind: str = "503") -> None:
        super().__init__(FaultConfig(0.5, (kind,)), "forced", 0)
        self.at = at

    def draw(self):
        self.calls += 1
        if self.calls not in self.at:
            return None
        self.injected += 1
        self.met.append(TransientFault(self.config.kinds[0]))
        return self.met[-1]


@pytest.fixture
def laptop_env():
    env = gym.make(claw_gym.catalog(family="config-fix")[0].env_id).unwrapped
    env.reset(seed=0)
    yield env
    env.close()


def test_a_fault_through_claw_exits_75_changes_nothing_and_a_rerun_works(laptop_env):
    env = laptop_env
    env.step(A.shell("true"))  # the laptop is up
    notes = dict(env.world.services["notes"].table("notes"))
    env.world.faults = _Forced({1})
    obs, _, _, _, info = env.step(A.shell("claw notes create --title T --body B && echo created"))
    assert obs["result"].startswith("[exit 75]") and "error: [fault 503]" in obs["result"]
    assert "created" not in obs["result"]
    assert info["fault"] == "503" and info["faults"] == ["503"] and info["action_ok"]  # the env ran the command
    assert env.world.services["notes"].table("notes") == notes
    entry = env.world.audit.entries[-1]
    assert (entry.source, entry.call, entry.ok) == ("shell", "notes.create", False) and "[fault 503]" in entry.error
    obs, _, _, _, info = env.step(A.shell("claw notes create --title T --body B && echo created"))
    assert obs["result"].startswith("[exit 0]") and "fault" not in info and "faults" not in info
    assert len(env.world.services["notes"].table("notes")) == len(notes) + 1


def test_a_fault_in_the_file_sync_is_retried_by_the_sync(laptop_env):
    env = laptop_env
    env.step(A.shell("true"))
    env.world.faults = _Forced({1, 2})
    obs, _, _, _, info = env.step(A.shell("echo hello >> ~/Documents/fault-test.txt"))
    assert "Documents/fault-test.txt: saved after 2 transient service fault(s)" in obs["result"]
    assert info["faults"] == ["503", "503"] and "fault" not in info  # recovered: nothing to resend
    files = {f["path"]: f["content"] for f in env.world.services["files"].table("files").values()}
    assert files["Documents/fault-test.txt"] == "hello\n"
    assert [e.ok for e in env.world.audit.entries[-3:]] == [False, False, True]


def test_a_fault_in_a_phone_app_restores_the_screen_shows_a_toast_and_a_retap_works():
    env = gym.make(claw_gym.catalog(family="phone-dnd-meeting")[0].env_id).unwrapped
    env.reset(seed=0)
    for a in (A.key("home"), A.tap(element="text=Settings")):
        env.step(a)
    before, ui = env.world.state_hash(), env.phone.ui_text()
    env.world.faults = _Forced({1}, "429")
    obs, _, _, _, info = env.step(A.tap(element="id/switch_do_not_disturb"))
    assert obs["result"].startswith("error: Settings: [fault 429]") and info["fault"] == "429"
    assert "Settings: error 429, try again" in obs["ui"]
    assert env.world.state_hash() == before  # a failed gui action costs no time either
    unnumbered = lambda text: [re.sub(r"^e\d+ ", "", line) for line in text.splitlines() if "try again" not in line]
    assert unnumbered(obs["ui"]) == unnumbered(ui)  # the same screen, plus the toast
    obs, _, _, _, info = env.step(A.tap(element="id/switch_do_not_disturb"))
    assert info["action_ok"] and "fault" not in info and env.world.services["phone"].settings["do_not_disturb"]
    env.close()


def test_a_fault_answering_a_notification_leaves_it_unanswered():
    """The bank alert's 'No' runs a dispute then records the answer: a fault in either leaves the
    alert open (the answer is not recorded without its effect) and answering again completes both."""
    env = gym.make("ClawAnything/phone-card-check-alert-0000-v0", max_steps=200).unwrapped
    env.reset(seed=0)
    actions = env.oracle_actions()
    confirm = max(i for i, a in enumerate(actions) if "id/button1" in a)
    for a in actions[:confirm]:
        env.step(a)
    before = env.world.state_hash()
    env.world.faults = _Forced({1}, "500")
    obs, _, _, _, info = env.step(actions[confirm])
    assert info["fault"] == "500" and env.world.state_hash() == before
    env.world.faults = None
    for a in actions[confirm:]:
        obs, _, te, tr, info = env.step(a)
    assert info["verdict"]["passed"]
    env.close()


def test_the_cli_oracle_policy_resends_faulted_steps():
    from claw_gym.cli.runner import run_episode

    kwargs = json.dumps({"faults": {"rate": 0.3, "kinds": ALL_KINDS}, "max_steps": 160})
    ep = run_episode("phone-card-check-alert-0000", 0, "oracle", env_kwargs=kwargs)
    assert ep.crash is None and ep.verdict["passed"]
    resent = [i for i, st in enumerate(ep.steps[:-1]) if "[fault " in (st.error or "")]
    assert resent and all(ep.steps[i + 1].action == ep.steps[i].action for i in resent)


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
# Replays the oracle of each case in a fresh process: per-step observation digests (text keys as
# JSON, arrays such as the phone's screen by dtype, shape and bytes), verdict, faults, final state hash.
_SCRIPT = """
import hashlib, json, sys
import gymnasium as gym
import claw_gym
from claw_gym.replay import replay_oracle

def digest(obs):
    h = hashlib.sha256()
    h.update(json.dumps({k: v for k, v in obs.items() if isinstance(v, str)}, sort_keys=True).encode())
    for k in sorted(k for k, v in obs.items() if not isinstance(v, str)):
        h.update(f"{k}:{obs[k].dtype}:{obs[k].shape}".encode())
        h.update(obs[k].tobytes())
    return h.hexdigest()[:16]

out = []
for task, seed, faults in json.loads(sys.argv[1]):
    env = gym.make("ClawAnything/" + task + "-v0", faults=faults, max_steps=200)
    obs, _ = env.reset(seed=seed)
    run = replay_oracle(env)
    out.append([task, [digest(o) for o in [obs] + run.observations], run.info["verdict"], run.faults,
                run.injected, env.unwrapped.world.state_hash()])
    env.close()
print(json.dumps(out))
"""
DETERMINISM_FAULTS = {"rate": 0.2, "kinds": ALL_KINDS}


def _sample_cases(per_family: int) -> list[tuple[str, int, dict | None]]:
    """``per_family`` tasks of every family (API, shell, phone, both), alternately with and without faults."""
    cases = []
    for i, family in enumerate(FAMILIES):
        specs = claw_gym.catalog(family=family, split=["train", "test", "heldout"])
        for k in range(per_family):
            spec = specs[(k * len(specs)) // per_family]
            cases.append((spec.task_id, 0, DETERMINISM_FAULTS if (i + k) % 2 else None))
    return cases


def _replay_in_fresh_processes(cases, hashseeds=("0", "12345")) -> list:
    """Both processes run at once (one per core)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SCRIPT, json.dumps(cases)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": h},
        )
        for h in hashseeds
    ]
    outs = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=900)
        assert p.returncode == 0, stderr[-3000:]
        outs.append(json.loads(stdout.strip().splitlines()[-1]))
    return outs


def _check_identical(outs) -> None:
    first, second = outs
    for a, b in zip(first, second):
        assert a == b, (
            f"{a[0]} differs across processes (first differing step: "
            f"{next((i for i, (x, y) in enumerate(zip(a[1], b[1])) if x != y), None)})"
        )
    assert len(first) == len(second)
    assert all(verdict["passed"] for _, _, verdict, *_ in first), [c[0] for c in first if not c[2]["passed"]]
    assert sum(c[4] for c in first) > 0  # faults were met, and met alike


def test_oracle_replays_are_identical_across_processes_and_hash_seeds():
    _check_identical(_replay_in_fresh_processes(_sample_cases(1)))


@pytest.mark.slow
def test_oracle_replays_are_identical_across_processes_and_hash_seeds_large():
    _check_identical(_replay_in_fresh_processes(_sample_cases(5)))


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
    vars(svc)["colour"] = "red"  # not a declared state attribute (state_attrs): not state, not covered
    assert w.snapshot().parts["service:notes"] is s2.parts["service:notes"]
    w.restore(s1)
    assert len(svc.table("notes")) == len(thaw_rows(s1))
    bank_env = gym.make("ClawAnything-v0", family="bill-pay").unwrapped
    bank_env.reset(seed=2)
    w, bank = bank_env.world, bank_env.world.services["bank"]
    assert "opening_balance" in bank.state_attrs
    b1, before = w.snapshot(), bank.opening_balance
    vars(bank)["opening_balance"] = before + 999  # a direct write of declared state (no changed()) is caught
    b2 = w.snapshot()
    assert b2.parts["service:bank"] is not b1.parts["service:bank"]
    w.restore(b1)
    assert bank.opening_balance == before
    w.restore(b2)
    assert bank.opening_balance == before + 999


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
    assert line in env.last_obs["services"]
    obs, *_ = env.step(A.api("notes.create", title="x", body="y"))
    assert f"notes: {n + 1} notes" in obs["services"]
    obs, *_ = env.step(A.wait(3 * 86400))  # a new day: day-dependent summaries are recomputed
    assert f"notes: {n + 1} notes" in obs["services"]
    assert env.restore(snap)["services"] == snap.last_obs["services"]
    obs, *_ = env.step(A.api("notes.list"))
    assert line in obs["services"]
