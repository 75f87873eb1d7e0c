"""RL plumbing: features, menus and masks, budget, tools, curriculum, PettingZoo, vector envs, SB3."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.services import ServiceError
from claw_gym.tasks import families
from claw_gym.wrappers import (
    ActionMenu,
    Curriculum,
    CurriculumWrapper,
    HashedTextObservation,
    ObservationBudget,
    ToolCalling,
    make_rl_env,
    tool_schemas,
    tutorial,
)
from claw_gym.wrappers.features import grayscale, hash_features
from claw_gym.wrappers.menu import StaleVerdictError, call_is_valid

ROOT = Path(__file__).resolve().parents[1]
SUITE_FAMILIES = [f for f in families() if f != tutorial.FAMILY.name]


@pytest.fixture(scope="module", autouse=True)
def tutorial_tasks():
    """The tutorial family, in the catalog for this module only (the suite's own counts stay exact)."""
    tutorial.install()
    yield
    tutorial.uninstall()


def first_env_id(family: str) -> str:
    return claw_gym.catalog(family=family, split=None)[0].env_id


# ---- features ------------------------------------------------------------------------------------
def test_features_fixed_box_and_in_space():
    base = gym.make("ClawAnything-v0")
    texts = [k for k, s in base.observation_space.spaces.items() if isinstance(s, gym.spaces.Text)]
    env = HashedTextObservation(base, dim=32)
    obs, _ = env.reset(seed=0)
    screen = 24 * 12 if "screen" in base.observation_space.spaces else 0
    assert env.observation_space.shape == (32 * len(texts) + screen,) and obs.dtype == np.float32
    assert env.observation_space.contains(obs)
    obs, *_ = env.step(A.api("help"))
    assert env.observation_space.contains(obs)
    assert np.abs(obs[env.layout()["result"]]).sum() > 0


def test_features_same_in_every_process():
    text = "Meeting moved to 2026-03-02 09:30 by ana@example.org (cal0003)"
    here = hash_features(text, 64).tobytes().hex()
    code = f"from claw_gym.wrappers.features import hash_features;print(hash_features({text!r}, 64).tobytes().hex())"
    for salt in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": salt},
        ).stdout.strip()
        assert out == here


class ScreenEnv(gym.Env):
    """A stand-in with a phone screen, to test the image path without the phone."""

    observation_space = gym.spaces.Dict(
        {"result": claw_gym.spaces.UnicodeText(100), "screen": gym.spaces.Box(0, 255, (64, 32, 3), np.uint8)}
    )
    action_space = gym.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        img = np.zeros((64, 32, 3), np.uint8)
        img[:32] = 255
        return {"result": "hello", "screen": img}, {}

    def step(self, action):
        return self.reset()[0], 0.0, True, False, {}


def test_features_screen_downsampled_grayscale():
    env = HashedTextObservation(ScreenEnv(), dim=8, screen_shape=(4, 2))
    obs, _ = env.reset()
    screen = obs[env.layout()["screen"]].reshape(4, 2)
    assert obs.shape == (8 + 8,) and np.allclose(screen[:2], 1.0) and np.allclose(screen[2:], 0.0)


@pytest.mark.parametrize("shape_in", [(585, 270, 3), (100, 37, 3), (48, 24), (3, 2, 3)])
def test_grayscale_matches_the_plain_float_mean(shape_in):
    """The fast integer path gives the channel mean block-averaged, as the obvious float code would."""
    from claw_gym.wrappers.features import grayscale

    img = np.random.default_rng(0).integers(0, 256, shape_in, dtype=np.uint8)
    h, w = 24, 12
    ref = img.astype(np.float64)
    ref = ref.mean(axis=2) if ref.ndim == 3 else ref
    ref = np.pad(ref, ((0, max(0, h - ref.shape[0])), (0, max(0, w - ref.shape[1]))))
    bh, bw = ref.shape[0] // h, ref.shape[1] // w
    ref = ref[: bh * h, : bw * w].reshape(h, bh, w, bw).mean(axis=(1, 3)) / 255.0
    assert np.allclose(grayscale(img, (h, w)), ref.ravel(), atol=1e-6)


def test_features_recompute_the_screen_when_it_changes():
    env = HashedTextObservation(ScreenEnv(), dim=8, screen_shape=(4, 2))
    obs, _ = env.reset()
    flipped = {"result": "hello", "screen": 255 - env.env.reset()[0]["screen"]}
    again = env.observation(flipped)
    assert np.allclose(again[env.layout()["screen"]], 1.0 - obs[env.layout()["screen"]])


# ---- menus and masks -----------------------------------------------------------------------------
def run_masked_random(env: ActionMenu, steps: int, seed: int, check_dry_run: bool = False) -> tuple[int, int]:
    """Random valid slots for ``steps`` steps; asserts the mask contract at every step.

    ``check_dry_run``: also rebuild the menu at every step and check that the dry runs left
    the world exactly as it was (the world's dry run stops at the first table operation)."""
    rng = np.random.default_rng(seed)
    obs, info = env.reset(seed=seed)
    episodes = 1
    for i in range(steps):
        mask = env.action_masks()
        assert mask.dtype == bool and mask.shape == (env.action_space.n,) and mask.any()
        assert np.array_equal(mask, info["action_mask"])
        assert all(bool(label) == m for label, m in zip(info["menu"], mask))
        if check_dry_run:
            world = env.unwrapped.world
            before = world.state_hash(), world.version
            env.build(env.unwrapped.last_obs)
            assert (world.state_hash(), world.version) == before
            assert np.array_equal(env.action_masks(), mask)
        slot = int(rng.choice(np.flatnonzero(mask)))
        label = info["menu"][slot]
        before = env.unwrapped.world.state_hash() if label.startswith(("tap(", "key(")) else None
        obs, reward, terminated, truncated, info = env.step(slot)
        if before is not None and obs["result"].startswith("error:"):  # GUI slots are not dry-run
            # the refused tap changes nothing, unless it was the last step a proactive task had: then the
            # world runs on to the deadline (the verdict's time), whatever the step did
            ran_on = truncated and "the world ran on to the deadline" in obs["result"]
            assert ran_on or env.unwrapped.world.state_hash() == before, label
        else:
            assert not obs["result"].startswith("error:"), (label, obs["result"][:200])
            assert info["action_ok"], label
        if terminated or truncated:
            obs, info = env.reset(seed=seed + 1000 + i)
            episodes += 1
    return steps, episodes


@pytest.mark.parametrize("family", SUITE_FAMILIES + [tutorial.FAMILY.name])
def test_valid_slots_never_error(family):
    """Valid = the slot holds a candidate whose dry-run passed; executing it never gives 'error:'."""
    env = ActionMenu(gym.make(first_env_id(family)))
    env.unwrapped.pool = claw_gym.catalog(family=family, split=None)
    steps, episodes = run_masked_random(env, 100, seed=3)
    assert episodes >= 1


@pytest.mark.slow
@pytest.mark.parametrize("family", SUITE_FAMILIES)
def test_valid_slots_never_error_long(family):
    env = ActionMenu(gym.make(first_env_id(family)))
    env.unwrapped.pool = claw_gym.catalog(family=family, split=None)
    run_masked_random(env, 1000, seed=11, check_dry_run=True)


def test_invalid_slot_is_an_error_observation_and_changes_nothing():
    env = ActionMenu(gym.make("ClawAnything-v0"))
    env.reset(seed=1)
    world = env.unwrapped.world
    before = world.state_hash()
    slot = int(np.flatnonzero(~env.action_masks())[0])
    obs, reward, terminated, truncated, info = env.step(slot)
    assert obs["result"].startswith("error: menu slot") and not info["action_ok"]
    assert world.state_hash() == before and not terminated


def test_building_the_menu_changes_nothing():
    env = ActionMenu(gym.make("ClawAnything-v0"))
    env.reset(seed=2)
    env.step(A.api("workmail.list") and int(np.flatnonzero(env.action_masks())[-1]))
    world = env.unwrapped.world
    before = (world.state_hash(), world.version, len(world.audit.entries))
    obs = env.unwrapped.last_obs
    for _ in range(3):
        env.build(obs)
    assert (world.state_hash(), world.version, len(world.audit.entries)) == before


def test_dry_run_rejects_what_the_service_rejects():
    env = gym.make(first_env_id("meeting-reschedule"))
    env.reset(seed=0)
    world = env.unwrapped.world
    assert call_is_valid(world, "calendar.list_events", {"start": "2026-01-01", "end": "2026-02-01"})
    assert not call_is_valid(world, "calendar.list_events", {"start": "2026-02-01", "end": "2026-01-01"})
    assert not call_is_valid(world, "calendar.get", {"id": "cal9999"})
    assert not call_is_valid(world, "nosuch.thing", {})
    some_id = next(iter(world.services["calendar"].table("entries")))
    assert call_is_valid(world, "calendar.delete_event", {"id": some_id})
    assert some_id in world.services["calendar"].table("entries")  # still there: dry run


def test_menu_can_express_the_tutorial_oracle():
    """Every oracle action of the tutorial appears in the menu when it is needed."""
    env = ActionMenu(gym.make("ClawTutorial-v0", difficulty=[3]), finish_message="Ticked it off.")
    for seed in range(5):
        obs, info = env.reset(seed=seed)
        for action in env.unwrapped.oracle_actions():
            actions = [c.action if c else None for c in env._choices]
            slot = actions.index(action)
            assert env.action_masks()[slot]
            obs, reward, terminated, truncated, info = env.step(slot)
        assert reward == 1.0


# The wrapped step reuses what has not changed (menu blocks, dry-run verdicts, field vectors, the
# screen's pixels); the trajectory must be the one a from-scratch computation gives at every step.
REFERENCE_FAMILIES = (
    "meeting-reschedule",
    "phone-missed-call",
    "xdev-otp-enrol",
    "bill-pay",
    "inbox-day",
    "trip-expenses",  # expenses.create reads the bank too
    "support-shift",
    "vip-ticket",  # an editor's enumerations (helpdesk.update), shell templates over ids and paths
)


def reference_step(env: gym.Env, raw: dict) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The vector, the mask and the menu of ``raw``, computed without any cache of the wrappers."""
    features: HashedTextObservation = env
    menu: ActionMenu = env.env
    fresh = ActionMenu(menu.env)  # no verdict, no block, no choice kept
    fresh._recalled.extend(menu._recalled)  # what the agent read in earlier steps: part of the input
    fresh.build(raw)
    parts = [hash_features(raw[k], features.dim, features.ngrams) for k in features.fields]
    if features.screen_shape is not None:
        parts.append(grayscale(np.array(raw["screen"]), features.screen_shape))
    return np.concatenate(parts).astype(np.float32), fresh.action_masks(), fresh.menu()


@pytest.mark.parametrize("family", REFERENCE_FAMILIES)
def test_cached_wrapped_steps_equal_an_uncached_reference(family):
    env = make_rl_env(first_env_id(family))
    rng = np.random.default_rng(5)
    obs, info = env.reset(seed=5)
    for step in range(60):
        vec, mask, labels = reference_step(env, env.unwrapped.last_obs)
        assert np.array_equal(obs, vec), step
        assert np.array_equal(info["action_mask"], mask) and info["menu"] == labels, step
        slots = [i for i in np.flatnonzero(mask) if not labels[i].startswith("shell(")]  # ls -la: real mtimes
        obs, _, terminated, truncated, info = env.step(int(rng.choice(slots)))
        if terminated or truncated:
            obs, info = env.reset(seed=100 + step)


@pytest.mark.parametrize("family", ("inbox-day", "trip-expenses", "xdev-shared-code"))
def test_kept_verdicts_agree_with_fresh_dry_runs(family):
    """``check_reads`` re-runs every kept verdict: a ``reads`` declaration that missed a part of the
    world a verdict depends on raises at the first step where that part moved."""
    env = make_rl_env(first_env_id(family), screen=False, menu_kwargs={"check_reads": True})
    rng = np.random.default_rng(7)
    obs, info = env.reset(seed=7)
    for step in range(70):
        slots = [i for i in np.flatnonzero(info["action_mask"]) if not info["menu"][i].startswith("shell(")]
        obs, _, terminated, truncated, info = env.step(int(rng.choice(slots)))
        if terminated or truncated:
            obs, info = env.reset(seed=200 + step)


def test_every_endpoint_declares_what_it_reads():
    """The menu keys verdicts on the declared parts; every name must be one a world can have."""
    from claw_gym.services import OWN, SERVICES, TIMELINE

    for svc in SERVICES.values():
        for ep in svc.endpoints.values():
            assert ep.reads is not None, ep.qualname
            assert set(ep.reads) <= {OWN, TIMELINE} | set(SERVICES), ep.qualname


def _menu_on(family: str, **kwargs) -> ActionMenu:
    menu = ActionMenu(gym.make(first_env_id(family), screen=False), **kwargs)
    menu.reset(seed=0)
    return menu


def test_a_change_elsewhere_keeps_a_blocks_verdicts():
    """Calendar verdicts read the calendar only: a mail sent keeps them, a calendar change does not."""
    menu = _menu_on("meeting-reschedule")
    world = menu.env.unwrapped.world
    event, message = (
        next(iter(world.services[n].table(t))) for n, t in (("calendar", "entries"), ("mail", "messages"))
    )
    obs = dict(menu.env.unwrapped.last_obs, result=json.dumps({"seen": [event, message]}))
    menu.build(obs)
    kept, mail = menu._verdicts["calendar.delete_event"], menu._verdicts["mail.mark_read"]
    assert kept and mail  # both blocks dry-ran candidates
    world.call("mail.send", {"to": ["someone@example.com"], "subject": "Hi", "body": "Hello"})
    menu.build(obs)
    assert menu._verdicts["calendar.delete_event"] is kept
    assert menu._verdicts["mail.mark_read"] is not mail  # mail's own blocks start over
    world.call("calendar.delete_event", {"id": event})
    menu.build(obs)
    assert menu._verdicts["calendar.delete_event"] is not kept


def test_a_wrong_reads_declaration_is_caught(monkeypatch):
    """An endpoint declared to read the wrong service keeps a stale verdict; ``check_reads`` catches it."""
    from dataclasses import replace

    expenses = claw_gym.services.SERVICES["expenses"]
    wrong = replace(expenses.endpoints["delete"], reads=("mail",))  # it reads the claims: expenses
    monkeypatch.setitem(expenses.endpoints, "delete", wrong)
    for check in (False, True):
        menu = _menu_on("trip-expenses", check_reads=check)
        world = menu.env.unwrapped.world
        claim = world.call(
            "expenses.create", {"date": "2026-03-02", "merchant": "Cafe", "amount": 12.5, "category": "meals"}
        )["created"]
        obs = dict(menu.env.unwrapped.last_obs, result=json.dumps({"created": claim}))
        menu.build(obs)
        label = f"expenses.delete(id={json.dumps(claim)})"
        assert label in menu.menu()  # a draft: it can be deleted
        world.call("expenses.submit", {"ids": [claim]})  # a change the wrong declaration doesn't watch
        if not check:
            menu.build(obs)  # silently stale: the submitted claim is still offered for deletion
            assert menu.action_masks()[menu.menu().index(label)]
            assert not call_is_valid(world, "expenses.delete", {"id": claim})
        else:
            with pytest.raises(StaleVerdictError, match="expenses.delete"):
                menu.build(obs)


def test_screen_off_draws_no_frame_and_keeps_the_text_features():
    env_id = first_env_id("phone-missed-call")
    on, off = make_rl_env(env_id, dim=32), make_rl_env(env_id, dim=32, screen=False)
    n_text = 32 * len(off.get_wrapper_attr("fields"))
    assert off.observation_space.shape == (n_text,) and on.observation_space.shape[0] > n_text
    a, info = on.reset(seed=2)
    b, _ = off.reset(seed=2)
    rng = np.random.default_rng(2)
    for _ in range(20):
        assert np.array_equal(a[:n_text], b)
        slot = int(
            rng.choice([i for i in np.flatnonzero(info["action_mask"]) if not info["menu"][i].startswith("shell(")])
        )
        a, _, te, tr, info = on.step(slot)
        b, *_ = off.step(slot)
        if te or tr:
            break
    phone = off.unwrapped.phone
    assert phone is not None and not phone._renderers  # never drawn
    assert not off.unwrapped.last_obs["screen"].any() and off.unwrapped.last_obs["ui"] == on.unwrapped.last_obs["ui"]
    with pytest.raises(TypeError, match="screen"):
        gym.make(env_id, screen="no")


# ---- language-model adapters -----------------------------------------------------------------------
def test_budget_caps_words_and_keeps_newest_events():
    env = ObservationBudget(gym.make("ClawAnything-v0"), {"events": 30, "result": 20})
    obs, _ = env.reset(seed=0)
    raw = env.unwrapped.last_obs
    assert len(obs["events"].split()) <= 30 + 6
    last_line = raw["events"].splitlines()[-1]
    assert obs["events"].splitlines()[-1] == last_line
    obs, *_ = env.step(A.api("help"))
    assert len(obs["result"].split()) <= 20 + 3 and "more words]" in obs["result"]


def test_tool_schemas_are_valid_and_tool_calls_solve_the_task():
    env = ToolCalling(gym.make("ClawAnything-v0"))
    obs, info = env.reset(seed=4)
    tools = info["tools"]
    names = [t["function"]["name"] for t in tools]
    assert len(names) == len(set(names))
    for t in tools:
        f = t["function"]
        assert t["type"] == "function" and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", f["name"])
        params = f["parameters"]
        assert params["type"] == "object" and set(params["required"]) <= set(params["properties"])
        json.dumps(t)
    world = env.unwrapped.world
    assert {
        ep.qualname.replace(".", "__")
        for svc in world.services.values()
        for ep in svc.endpoints.values()
        if svc.serves(ep.name, "api")
    } | {"finish", "wait", "help"} <= set(names)
    for k, action in enumerate(env.unwrapped.oracle_actions()):
        a = json.loads(action)
        if a["kind"] == "api":
            args = a["args"] if k % 2 else json.dumps(a["args"])  # both dict and JSON-string arguments
            call = {"name": a["call"].replace(".", "__"), "arguments": args}
        else:
            call = json.dumps({"name": a.pop("kind"), "arguments": a})  # a whole tool call as JSON text
        obs, reward, terminated, truncated, info = env.step(call)
        assert info["action_ok"], obs["result"]
    assert reward == 1.0
    obs, *_ = env.reset(seed=4)
    obs, reward, terminated, truncated, info = env.step({"name": "calendar__nope", "arguments": {}})
    assert obs["result"].startswith("error:") and not terminated
    obs, reward, terminated, truncated, info = env.step({"name": "calendar__get", "arguments": "{not json"})
    assert obs["result"].startswith("error: tool call arguments are not valid JSON") and not info["action_ok"]


def test_tool_schemas_follow_the_world():
    env = gym.make("ClawTutorial-v0")
    env.reset(seed=0)
    names = {t["function"]["name"] for t in tool_schemas(env)}
    assert "todo__complete" in names and "calendar__update_event" not in names


def test_no_door_offers_a_tool_it_refuses():
    """The phone's own storage answers only its apps: ToolCalling, the export's tools and the action
    menu offer none of its endpoints (describe aside), and the api door does refuse each of them."""
    from claw_gym.cli.trajectory import tools_of

    env = ToolCalling(gym.make("ClawAnything/phone-missed-call-callback-0000-v0"))
    _, info = env.reset(seed=0)
    world = env.unwrapped.world
    refused = [ep.qualname for ep in world.services["phone"].endpoints.values() if ep.name != "describe"]
    assert len(refused) >= 10
    for call in refused:
        with pytest.raises(ServiceError, match="is on the phone itself"):
            world.call(call, {}, source="api")
    offered = {t["function"]["name"].replace("__", ".") for t in info["tools"]}
    exported = {t["function"]["name"].replace("__", ".") for t in tools_of(env.unwrapped)}
    assert "phone.describe" in offered and "phone.describe" in exported
    assert not offered & set(refused) and not exported & set(refused)
    assert {n for n in offered if "." in n} == {n for n in exported if "." in n}
    menu = ActionMenu(gym.make("ClawAnything/phone-missed-call-callback-0000-v0"))
    menu.reset(seed=0)
    labels = [menu.choice(i).label for i in np.flatnonzero(menu.action_masks())]
    assert labels and not [x for x in labels if x.startswith("phone.") and not x.startswith("phone.describe")]


def test_llm_loop_example_with_a_scripted_callable():
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import llm_agent_loop
    finally:
        sys.path.pop(0)
    verdict = llm_agent_loop.run_episode(llm_agent_loop.scripted_agent(seed=5), seed=5, verbose=False)
    assert verdict["passed"]


# ---- curriculum ------------------------------------------------------------------------------------
def test_curriculum_raises_difficulty_when_success_is_high():
    cur = Curriculum.by_difficulty(["tutorial-todo"], max_difficulty=3, split="tutorial", window=5, threshold=0.8)
    for _ in range(10):
        cur.record(False)
    assert cur.level == 0
    for _ in range(3):
        cur.record(True)
    assert cur.level == 0  # 3 of the last 5
    cur.record(True)  # 4 of the last 5 = threshold
    assert cur.level == 1 and cur.results == type(cur.results)()


def test_curriculum_wrapper_samples_harder_tasks_after_success():
    cur = Curriculum.by_difficulty(["tutorial-todo"], max_difficulty=3, split="tutorial", window=3, threshold=1.0)
    env = CurriculumWrapper(gym.make("ClawTutorial-v0"), cur)
    seen = []
    for ep in range(12):
        obs, info = env.reset(seed=ep)
        seen.append(info["difficulty"])
        for action in env.unwrapped.oracle_actions():
            obs, reward, terminated, truncated, info = env.step(action)
    assert seen[:3] == [1, 1, 1] and max(seen[3:6]) <= 2 and 3 in seen[6:]
    assert cur.level == 2 and info["curriculum"]["level"] == 2


def test_curriculum_state_is_shared_through_vector_env_calls():
    cur = Curriculum.by_difficulty(["tutorial-todo"], max_difficulty=3, split="tutorial", window=3)
    envs = gym.vector.SyncVectorEnv(
        [lambda: CurriculumWrapper(gym.make("ClawTutorial-v0"), Curriculum(cur.stages)) for _ in range(2)]
    )
    envs.call("set_curriculum_state", {"level": 2, "results": []})
    assert [s["level"] for s in envs.call("curriculum_state")] == [2, 2]
    _, info = envs.reset(seed=0)
    assert set(info["difficulty"]) <= {1, 2, 3}


# ---- PettingZoo ------------------------------------------------------------------------------------
def test_parallel_api_and_aec_api():
    pytest.importorskip("pettingzoo")
    from pettingzoo.test import api_test, parallel_api_test

    from claw_gym.wrappers.multiagent import env, parallel_env

    parallel_api_test(parallel_env(), num_cycles=30)
    api_test(env(), num_cycles=10)


def test_parallel_env_devices_and_shared_reward():
    pytest.importorskip("pettingzoo")
    from claw_gym.wrappers.multiagent import parallel_env

    penv = parallel_env()
    obs, infos = penv.reset(seed=3)
    assert set(obs) == {"laptop", "phone"} and obs["laptop"]["instruction"] == obs["phone"]["instruction"]
    before = penv.env.world.state_hash()
    obs, rewards, terms, truncs, infos = penv.step({"laptop": A.tap(1, 2), "phone": A.shell("ls")})
    assert obs["laptop"]["result"].startswith("error: the laptop agent cannot send 'gui'")
    assert obs["phone"]["result"].startswith("error: the phone agent cannot send 'shell'")
    assert penv.env.world.state_hash() == before
    plan = penv.env.oracle_actions()
    idle = A.api("events.search", limit=3)
    while penv.agents:
        action = plan.pop(0)
        doer = "phone" if json.loads(action)["kind"] == "gui" else "laptop"
        obs, rewards, terms, truncs, infos = penv.step({a: action if a == doer else idle for a in penv.agents})
    assert rewards == {"laptop": 1.0, "phone": 1.0} and infos["phone"]["verdict"]["passed"]
    assert penv.observation_space("laptop") is penv.observation_space("laptop")


# ---- vector envs -----------------------------------------------------------------------------------
def _batch(obs: dict) -> dict:
    """Comparable form of a batched Dict observation (text tuples; arrays as bytes)."""
    return {k: v.tobytes() if isinstance(v, np.ndarray) else tuple(v) for k, v in obs.items()}


def _roll(env: gym.vector.VectorEnv, seed: int) -> list[dict]:
    obs, info = env.reset(seed=seed)
    out = [dict(_batch(obs), task=tuple(info["task_id"]))]
    for step in range(4):
        acts = [
            A.api("help"),
            A.api("workmail.list"),
            A.api("calendar.list_events", start="2026-01-01", end="2026-12-31"),
            A.wait(900),
        ]
        obs, reward, terminated, truncated, info = env.step([acts[(step + i) % 4] for i in range(env.num_envs)])
        out.append(_batch(obs))
    env.close()
    return out


def test_sync_and_async_vector_envs_agree():
    sync = _roll(gym.make_vec("ClawAnything-v0", num_envs=2, vectorization_mode="sync"), seed=11)
    asyn = _roll(gym.make_vec("ClawAnything-v0", num_envs=2, vectorization_mode="async"), seed=11)
    nosh = _roll(
        gym.make_vec("ClawAnything-v0", num_envs=2, vectorization_mode="async", vector_kwargs={"shared_memory": False}),
        seed=11,
    )
    assert sync == asyn == nosh
    assert sync[0]["task"][0] and sync[3]["result"][0].startswith('{"total"')  # list_events ran


def test_async_vector_env_of_the_rl_stack():
    envs = gym.vector.AsyncVectorEnv([lambda: make_rl_env("ClawTutorial-v0", dim=16) for _ in range(2)])
    obs, info = envs.reset(seed=0)
    masks = np.stack(envs.call("action_masks"))
    assert obs.shape == (2,) + envs.single_observation_space.shape
    assert masks.shape == (2, envs.single_action_space.n) and masks.any(axis=1).all()
    obs, *_ = envs.step([int(np.flatnonzero(m)[-1]) for m in masks])
    envs.close()


# ---- SB3 -------------------------------------------------------------------------------------------
def test_sb3_check_env_on_the_wrapped_env():
    pytest.importorskip("stable_baselines3")
    from stable_baselines3.common.env_checker import check_env

    check_env(make_rl_env("ClawAnything-v0", dim=32), warn=True)
    check_env(make_rl_env("ClawTutorial-v0", dim=32), warn=True)


def test_maskable_ppo_trains_a_few_thousand_steps():  # ~15 s (60 s with 8 neighbours on 2 cores)
    """MaskablePPO on the curriculum stack; the SB3 callback keeps every worker's schedule in step."""
    pytest.importorskip("sb3_contrib")
    import torch
    from sb3_contrib import MaskablePPO
    from stable_baselines3.common.vec_env import DummyVecEnv

    from claw_gym.wrappers.curriculum import sb3_callback

    torch.set_num_threads(1)
    master = Curriculum.by_difficulty(["tutorial-todo"], max_difficulty=3, split="tutorial", window=8, threshold=0.5)
    venv = DummyVecEnv(
        [
            lambda: make_rl_env(
                "ClawTutorial-v0",
                dim=32,
                curriculum=Curriculum(master.stages, window=8),
                record=False,
                menu_kwargs={"services": ["todo", "events"]},
            )
            for _ in range(2)
        ]
    )
    model = MaskablePPO("MlpPolicy", venv, n_steps=256, batch_size=128, n_epochs=2, seed=0, verbose=0)
    start = time.perf_counter()
    model.learn(2048, callback=sb3_callback(master))
    assert model.num_timesteps >= 2048 and master.episodes > 100
    assert all(s == master.state() for s in venv.env_method("curriculum_state"))
    obs = venv.reset()
    masks = np.stack(venv.env_method("action_masks"))
    actions, _ = model.predict(obs, action_masks=masks)
    assert all(masks[i, a] for i, a in enumerate(actions))
    print(f"MaskablePPO 2048 steps in {time.perf_counter() - start:.1f} s, curriculum stage {master.level + 1}")


class PhoneStubEnv(gym.Env):
    """A stand-in whose observation has the phone's ``ui`` listing (no world)."""

    observation_space = gym.spaces.Dict(
        {"result": claw_gym.spaces.UnicodeText(100), "ui": claw_gym.spaces.UnicodeText(1000)}
    )
    action_space = claw_gym.env.act_space()
    UI = (
        "screen: home [com.claw.launcher] 360x780 px; tap an element by id or x,y\n"
        'e1 TextView "click here is just text" [0,0][10,10]\n'
        'e2 Button "Save" id=com.claw.notes:id/save [0,0][9,9] click\n'
        'e3 ImageView desc="Open" [0,0][9,9] click long-click'
    )

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return {"result": "", "ui": self.UI}, {}

    def step(self, action):
        return {"result": action, "ui": self.UI}, 0.0, False, False, {}


def test_menu_offers_taps_on_clickable_elements_of_the_ui():
    env = ActionMenu(PhoneStubEnv())
    _, info = env.reset()
    labels = [m for m in info["menu"] if m.startswith(("tap", "key"))]
    assert labels == [
        'tap(e2 Button "Save" id=com.claw.notes:id/save)',
        'tap(e3 ImageView desc="Open")',
        "key(back)",
        "key(home)",
    ]
    obs, *_ = env.step(info["menu"].index(labels[0]))
    assert json.loads(obs["result"]) == {"kind": "gui", "op": "tap", "element": "e2"}


def test_tutorial_family_oracle_passes_and_shortcuts_fail():
    for seed in range(10):
        env = gym.make("ClawTutorial-v0", difficulty=[1 + seed % 5])
        env.reset(seed=seed)
        for action in env.unwrapped.oracle_actions():
            *_, info = env.step(action)
        assert info["verdict"]["passed"]
        env.reset(seed=seed)
        *_, info = env.step(A.finish("done"))
        assert not info["verdict"]["passed"]
        env.reset(seed=seed)
        items = env.unwrapped.world.services["todo"].table("items")
        for rid in list(items):  # ticking off everything is a violation
            env.step(A.api("todo.complete", id=rid))
        *_, info = env.step(A.finish("done"))
        assert not info["verdict"]["passed"] and info["verdict"]["violations"]
    assert all(s.split == "tutorial" for s in tutorial.install())
    n = len(claw_gym.all_specs())
    tutorial.uninstall()
    assert len(claw_gym.all_specs()) == n - 50 and "ClawTutorial-v0" not in gym.registry
    tutorial.install()
    assert not [s for s in claw_gym.catalog(split="train") if s.family == "tutorial-todo"]


@pytest.mark.skipif("meeting-reschedule" not in families(), reason="the model family is not in this suite")
def test_menu_can_express_a_suite_solution():
    """Through menu slots only: read the thread, move the meeting to the time written in the
    latest mail (prose), reply naming it. Needs recall (the id and the time are seen apart)."""
    env = ActionMenu(gym.make(first_env_id("meeting-reschedule")))
    # levels 1-3: the last word is in the mail thread (at 4-5 it comes later in a chat message)
    env.unwrapped.pool = claw_gym.catalog(family="meeting-reschedule", split=None, difficulty=[1, 2, 3])

    def slot(info, label):
        return info["menu"].index(label)

    for seed in range(6):
        obs, info = env.reset(seed=seed)
        f = env.unwrapped.scenario.facts
        want = claw_gym.clock.fmt(f["final"])
        obs, *_, info = env.step(slot(info, 'workmail.search(query="")'))
        obs, *_, info = env.step(slot(info, f'workmail.get(id="{f["thread_latest"]}")'))
        # the week from the date seen (the 60-day window is full of the history's meetings, cut at its limit)
        windows = [i for i, m in enumerate(info["menu"]) if m.startswith("calendar.list_events") and "query" not in m]
        obs, *_, info = env.step(windows[1])
        obs, *_, info = env.step(slot(info, f'calendar.update_event(id="{f["event"]}", start="{want}")'))
        obs, *_, info = env.step(slot(info, f'workmail.reply(id="{f["thread_latest"]}", body="Done - {want}.")'))
        obs, reward, terminated, truncated, info = env.step(slot(info, "finish('Done.')"))
        assert reward == 1.0, info["verdict"]


# ---- templates filled from visible facts ----------------------------------------------------------
def test_menu_facts_are_read_from_what_is_visible():
    from claw_gym.wrappers import menu_facts as F

    result = '{"items": [{"path": "Documents/Receipts/noodle-20260125.txt", "channel": "dm-rosa", "id": "x1"}]}'
    assert F.record_fields(result) == (("path", "Documents/Receipts/noodle-20260125.txt"), ("channel", "dm-rosa"))
    said = "Save it as ~/Documents/notes/week.md, see Documents/Receipts and the 2026-01-20 log."
    assert F.paths(said) == ("~/Documents/notes/week.md", "Documents/Receipts")
    assert F.folders(list(F.paths(said))) == ["~/Documents/notes", "Documents/Receipts", "Documents"]
    assert F.quoted("Put 'post the present' on my list; Umar Berg's card") == ("Post the present",)
    assert F.names("Before I mail Umar Berg's present, ask Lars") == ("Umar Berg",)
    assert F.durations("a one-hour block, then 30 min, then a 45-minute call") == (3600, 1800, 2700)
    times = ["2026-05-28 09:00", "2026-05-28 09:45", "2026-05-29 08:00"]
    assert F.spans(times, [1800], 1) == [
        ("2026-05-28 09:00", "2026-05-28 09:30"),
        ("2026-05-28 09:00", "2026-05-28 09:45"),
    ]


@pytest.mark.parametrize(
    ("family", "task_id", "call", "template"),
    [
        # an optional flag of the declared schema (public=true) with a composed text
        ("support-shift", "support-shift-amount-0001", "helpdesk.comment", "public=true"),
        ("ticket-deal-risk", "ticket-deal-risk-work-0000", "helpdesk.comment", "public=true"),
        # an enumeration of the declared schema (priority=urgent)
        ("vip-ticket", "vip-ticket-urgent-0001", "helpdesk.update", 'priority="urgent"'),
        # a list of ids: one record, or a batch of the newest in id order (after the person's earlier claims)
        ("invoice-expense", "invoice-expense-tools-0000", "expenses.submit", 'ids=["x0010"]'),
        ("receipt-policy", "receipt-policy-limit-0001", "expenses.submit", 'ids=["x0013", "x0014"]'),
        # the laptop's command-line door over a visible id; a file seen in the request, read
        ("backup-alert", "backup-alert-port-0000", "claw helpdesk get", "shell("),
        ("todo-export", "todo-export-open-0000", "cat ~/Documents/todo-move.md", "shell("),
    ],
)
def test_a_template_expresses_a_real_oracle_action(family, task_id, call, template):
    """Each template puts on the menu an action of a real oracle, in a family that had no
    world-changing action on the menu before it; the slot does what the oracle did (the episode
    walked through the mapped slots still passes)."""
    if task_id not in {s.task_id for s in claw_gym.catalog(family=family, split=None)}:
        pytest.skip(f"{task_id} is not in this suite")
    from claw_gym.baselines.demos import find_slot
    from claw_gym.baselines.envs import Setup, make_env, menu_of

    env = make_env(Setup((family,), max_difficulty=3, pointer=False))
    menu = menu_of(env)
    env.reset(seed=0, options={"task_id": task_id})
    hits = []
    info: dict = {}
    for action in menu.unwrapped.oracle_actions():
        slot = find_slot(menu, action)
        if slot is not None and call in action:
            label = menu.menu()[slot]
            hits.append(label)
        if slot is None:
            *_, terminated, truncated, info = menu.step_text(action)
        else:
            *_, terminated, truncated, info = env.step(slot)
        if terminated or truncated:
            break
    assert hits and all(template in h for h in hits), hits
    assert info["verdict"]["passed"]


def test_bad_template_fills_are_refused_as_observations():
    """A fact that names nothing real (a path that does not exist, a record field of no record)
    is never an exception: an API candidate the world's dry run refuses stays closed, and a shell
    template over it answers with an error text and changes nothing."""
    env = ActionMenu(gym.make(first_env_id("backup-alert")))
    obs, info = env.reset(seed=0)
    fake = dict(obs)
    fake["result"] = '{"path": "Documents/no-such-dir/missing.txt", "channel": "no-such-channel", "id": "tk9999"}'
    fake["instruction"] = str(obs["instruction"]) + " Save it as 'No such title' in ~/no-such/file.txt."
    env.build(fake)
    labels = [label for label, m in zip(env.menu(), env.action_masks()) if m]
    assert not [m for m in labels if "missing.txt" in m and m.startswith("files.read")]  # the dry run refused it
    assert [m for m in labels if "missing.txt" in m and m.startswith("files.write")]  # a new file may be written
    assert not [m for m in labels if "tk9999" in m]  # an id no service holds
    world = env.unwrapped.world
    before = {name: svc.version for name, svc in world.services.items()}
    cat = next(i for i, m in enumerate(env.menu()) if m.startswith("shell('cat") and "missing.txt" in m)
    obs, reward, terminated, truncated, info = env.step(cat)
    assert "No such file" in obs["result"] and not terminated
    assert {name: svc.version for name, svc in world.services.items()} == before  # no service changed
