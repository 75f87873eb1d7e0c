"""Baselines (issue 22): Wilson intervals, the oracle-to-menu mapping behaviour cloning learns from,
and the ``--quick`` run end to end (its table's rows and intervals)."""

from __future__ import annotations

import json
import math

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym.baselines import facts, same_action, wilson
from claw_gym.baselines.demos import DemoMenu, coverage, expresses, walk
from claw_gym.baselines.stats import Z95, breakdown, cell
from claw_gym.tasks import TaskSpec, suite
from claw_gym.wrappers import tutorial
from claw_gym.wrappers.menu_templates import RELEVANT, gui_texts, tap_order


@pytest.fixture(scope="module", autouse=True)
def tutorial_tasks():
    """The tutorial family, in the catalog for this module only: the baselines install it, and the
    other tests in this worker must see the suite's own catalog again (its counts, the manifest)."""
    tutorial.install()
    yield
    tutorial.uninstall()


def test_wilson_on_known_values():
    lo, hi = wilson(5, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.2366, 0.7634)
    # at 0 and n successes the interval reaches the bound and ends at z^2 / (n + z^2) from it
    assert wilson(0, 30) == (0.0, pytest.approx(Z95**2 / (30 + Z95**2)))
    lo, hi = wilson(30, 30)
    assert lo == pytest.approx(30 / (30 + Z95**2)) and hi == pytest.approx(1.0)
    assert wilson(0, 0) == (0.0, 1.0)
    # narrower with more data, always around the point estimate
    assert wilson(50, 100)[1] - wilson(50, 100)[0] < wilson(5, 10)[1] - wilson(5, 10)[0]
    for c, n in ((1, 7), (3, 4), (12, 40)):
        lo, hi = wilson(c, n)
        assert 0 <= lo <= c / n <= hi <= 1


def test_cells_and_breakdown_count_what_they_say():
    recs = [
        {"passed": True, "kind": "reactive", "difficulty": 1, "devices": []},
        {"passed": False, "kind": "proactive", "difficulty": 1, "devices": ["phone"]},
        {"passed": False, "kind": "reactive", "difficulty": 2, "devices": ["laptop", "phone"]},
    ]
    assert cell(recs)["passed"] == 1 and cell(recs)["n"] == 3 and math.isclose(cell(recs)["pass@1"], 1 / 3)
    by = breakdown(recs)
    assert by["kind"]["reactive"]["n"] == 2 and by["difficulty"]["1"]["passed"] == 1
    assert set(by["device"]) == {"none", "phone", "laptop+phone"}


def test_free_text_matches_on_the_facts_it_carries():
    assert facts("Booked Wed 2026-03-11 10:00 for 45 min") >= {"2026-03-11 10:00", "#45"}
    assert facts("the agreed price is EUR 106,000.") <= facts("Done - 106000.00.")
    assert not facts("the agreed price is EUR 106,000.") <= facts("Done - 16000.00.")
    reply = '{"kind": "api", "call": "sms.send", "args": {"to": "+1 555 0100", "body": "It is at 3 Mill Lane"}}'
    assert not same_action(reply, reply.replace("It is at 3 Mill Lane", "Done."))
    assert same_action(reply, reply.replace("It is at 3 Mill Lane", "Lane 3, see you"))
    thanks = '{"kind": "finish", "message": "Answered the texts."}'
    assert same_action(thanks, '{"kind": "finish", "message": "Done."}')
    # ids, times and calls stay exact
    move = '{"kind": "api", "call": "calendar.update_event", "args": {"id": "cal0001", "start": "2026-03-11 10:00"}}'
    assert not same_action(move, move.replace("cal0001", "cal0002"))
    assert not same_action(move, move.replace("update_event", "delete_event"))
    assert not same_action('{"kind": "wait", "seconds": 600}', '{"kind": "wait", "seconds": 3600}')


def _sample() -> list[TaskSpec]:
    """The first difficulty-1 train task of every fourth family, and one tutorial task."""
    tutorial.install()
    fams = sorted(f for f in suite.families() if f != tutorial.FAMILY.name)[::4]
    specs = [claw_gym.catalog(family=f, difficulty=1, split="train")[0] for f in fams]
    return specs + claw_gym.catalog(family=tutorial.FAMILY.name, difficulty=1)[:1]


def test_bc_mapping_reproduces_oracle_actions_on_a_sample():
    """Every oracle action mapped to a slot means the same action, and the oracle's episode played
    through those slots (raw text where the menu has none) still passes."""
    sample = _sample()
    menu = DemoMenu(gym.make("ClawTutorial-v0"))
    mapped = 0
    for spec in sample:
        menu.reset(seed=3, options={"task_id": spec.task_id})
        oracle = menu.unwrapped.oracle_actions()
        w = walk(menu, menu, spec.task_id, 3, spec.family)
        assert w.passed, spec.task_id
        replay = DemoMenu(gym.make("ClawTutorial-v0"))
        replay.reset(seed=3, options={"task_id": spec.task_id})
        for action, slot in zip(oracle, w.slots):
            if slot is not None:
                choice = replay.choice(slot)
                assert choice is not None and expresses(replay, action, choice), (spec.task_id, action)
                replay.step(slot)
                mapped += 1
            else:
                replay.step_text(action)
    assert mapped > 0
    cov = coverage([w])
    assert cov[w.family]["coverage"] == 1.0  # the tutorial's oracle is all menu actions


@pytest.mark.slow  # 90 s: the default suite stays under 15 minutes; CI runs it with -m slow
def test_quick_run_writes_a_sane_table(tmp_path):
    pytest.importorskip("sb3_contrib")
    pytest.importorskip("matplotlib")
    from claw_gym.baselines.run import main

    result = main(["--quick", "--out", str(tmp_path)])
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["rows"] == json.loads(json.dumps(result["rows"]))
    text = (tmp_path / "results.md").read_text()
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"
    rows = {r["row"]: r for r in result["rows"]}
    for name in rows:
        assert name in text
    episodes = {name: r["episodes"] for name, r in rows.items()}
    assert episodes["do-nothing (finish at once)"] and not any(
        e["passed"] for e in episodes["do-nothing (finish at once)"]
    )
    assert all(e["passed"] for e in episodes["oracle (scripted solution)"])
    random_rate = sum(e["passed"] for e in episodes["random valid menu slot"]) / len(episodes["random valid menu slot"])
    assert random_rate <= 0.25
    for r in result["rows"]:
        for c in r["splits"].values():
            if c["n"]:
                lo, hi = c["ci95"]
                assert 0 <= lo <= c["pass@1"] <= hi <= 1
    assert {"PPO (curriculum)", "BC", "BC then PPO"} <= set(rows)
    assert saved["policy"].startswith("pair scorer")  # the learned rows' network, by default
    llm = rows["language-model agent (claw-gym eval --agent llm)"]
    assert llm["splits"] == {} and "no model configured" in llm["note"]
    assert [c["name"] for c in result["curves"]] == ["PPO (curriculum)", "BC then PPO"]
    assert result["coverage"][tutorial.FAMILY.name]["coverage"] == 1.0


def test_phone_templates_type_names_and_codes_from_what_is_visible():
    obs = {
        "instruction": "Marta (the handyman) needs the garage code. Send it by SMS.",
        "ui": 'e5 TextView "Garage door: 2304" id=notes:id/body [0,84][360,148]\ne6 TextView "08:28" [0,0][9,9]\n'
        'e7 EditText hint="Text message" [0,92][360,148] click focused',
    }
    assert not any(f["op"] == "type" for _, _, f in gui_texts({**obs, "ui": obs["ui"].replace(" focused", "")}))
    assert [k for k, _, f in gui_texts(obs) if f["op"] == "type"] == [
        k for k, _, f in gui_texts({**obs, "ui": "screen: notification shade\n" + obs["ui"]}) if f["op"] == "type"
    ]
    texts = {label: fields for _, label, fields in gui_texts(obs)}
    assert {"op": "type", "text": "Marta"} in texts.values()
    assert not any(f.get("text") == "Send" for f in texts.values())  # an opener, not a name
    coded = [f["text"] for f in texts.values() if "2304" in f.get("text", "")]
    assert coded and not any("08" in t for t in coded)  # the clock's digits are not a code
    typed = '{"kind": "gui", "op": "type", "text": "Hi Marta, the garage code is 2304."}'
    assert same_action(typed, json.dumps({"kind": "gui", "op": "type", "text": coded[0]}))
    assert not same_action(typed, '{"kind": "gui", "op": "type", "text": "Hi Marta, it is 2305."}')
    # a search term stays exact: typing another name is another search
    name = '{"kind": "gui", "op": "type", "text": "Marta"}'
    assert not same_action(name, name.replace("Marta", "Mart"))


def test_a_phone_family_is_expressed_whole_through_the_menu():
    """Taps by selector (``text=`` with the listing's spacing collapsed, ``id/``) and the
    notifications gesture map to slots: every action of phone-card-check's oracle is on the menu."""
    spec = claw_gym.catalog(family="phone-card-check", difficulty=1, split="train")[0]
    menu = DemoMenu(gym.make("ClawTutorial-v0"))
    w = walk(menu, menu, spec.task_id, 0, spec.family)
    assert w.passed and w.slots and all(s is not None for s in w.slots), w.slots


def test_behaviour_cloning_fits_its_demonstrations():
    """Enough gradient steps on a few dozen pairs: the greedy policy reproduces every demonstrated
    slot of the tutorial and passes the tasks it imitated (30 epochs of one batch did not)."""
    pytest.importorskip("sb3_contrib")
    from claw_gym.baselines.diagnose import diagnose

    d = diagnose([tutorial.FAMILY.name], demos=6, epochs=1, updates=1500)
    assert d.pairs >= 12 and d.fit_accuracy == 1.0 and d.train_pass == 1.0


def test_stable_taps_keep_a_button_in_one_slot_whatever_else_the_screen_lists():
    bank = ("e11", 'TextView "Bank" icon="B" id=com.claw.launcher:id')
    others = [(f"e{k}", f'TextView "App {k}" id=com.claw.launcher:id') for k in range(1, 9)]
    one = {el: k for k, el in tap_order([*others[:3], bank], 24, True)}
    two = {el: k for k, el in tap_order([*others[3:], bank], 24, True)}
    assert one[bank] == two[bank]
    assert [el for _, el in tap_order(others, 4, False)] == others[:4]  # the plain menu: listing order
    # the request's words: the element they name comes first, the rest keep clear of those slots
    garage = ("e7", 'LinearLayout "Garage" desc="Home"')
    placed = tap_order([*others, garage], 24, True, ["garage", "code"])
    assert placed[0] == (0, garage) and all(k >= RELEVANT for k, el in placed if el != garage)


def _pair_model():
    """A MaskablePPO with the pair-scoring policy on the tutorial's menu, and that env."""
    pytest.importorskip("sb3_contrib")
    from stable_baselines3.common.vec_env import DummyVecEnv

    from claw_gym.baselines.envs import Setup, make_env
    from claw_gym.baselines.learn import new_model

    setup = Setup(())
    env = make_env(setup)
    return new_model(DummyVecEnv([lambda: make_env(setup)]), 0, setup), env


def test_slot_features_follow_the_open_slots():
    """Every open slot carries its label's features (and how much of the label the request names);
    closed slots are zeros; the observation's own features come first, unchanged."""
    from claw_gym.baselines.envs import Setup, make_env, menu_of

    env = make_env(Setup(()))
    menu = menu_of(env)
    spec = claw_gym.catalog(family=tutorial.FAMILY.name, difficulty=1)[0]
    obs, _ = env.reset(seed=0, options={"task_id": spec.task_id})
    base, n, width = env.layout()
    assert obs.shape == env.observation_space.shape == (base + n * width,)
    assert np.array_equal(obs[:base], env.env.observation(menu.last_observation))
    grid = obs[base:].reshape(n, width)
    open_ = menu.action_masks()
    assert np.all(np.linalg.norm(grid[open_, : env.dim], axis=1) > 0.99)
    assert not grid[~open_].any()
    # 'core finish('Done.')': 3 words, one of them ("done") in the request "Done with '...'. Mark it ..."
    assert menu.slot_text(0) == "core finish('Done.')" and grid[0, env.dim] == pytest.approx(1 / 3)
    plain = next(i for i in np.flatnonzero(open_) if menu.slot_text(int(i)) == "todo.list todo.list()")
    assert grid[plain, env.dim :].sum() == 0


def test_pair_policy_logits_are_permutation_equivariant_and_masks_hold():
    """Permuting the slots' features permutes the logits (one scorer for every slot), and a masked
    slot is never chosen, greedy or sampled."""
    torch = pytest.importorskip("torch")
    from claw_gym.baselines.envs import menu_of

    model, env = _pair_model()
    spec = claw_gym.catalog(family=tutorial.FAMILY.name, difficulty=1)[0]
    obs, _ = env.reset(seed=0, options={"task_id": spec.task_id})
    base, n, width = env.layout()
    perm = np.random.default_rng(0).permutation(n)
    permuted = np.concatenate([obs[:base], obs[base:].reshape(n, width)[perm].ravel()])
    policy = model.policy

    def logits(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return policy.get_distribution(torch.as_tensor(x[None])).distribution.logits[0].numpy()

    before, after = logits(obs), logits(permuted)
    assert np.allclose(after, before[perm], atol=1e-5)
    assert np.ptp(before[menu_of(env).action_masks()]) > 0  # not a constant: the slots' features count
    mask = np.zeros(n, dtype=bool)
    mask[[0, 29, 37]] = True
    chosen = {int(model.predict(obs, action_masks=mask, deterministic=d)[0]) for d in (True, *[False] * 50)}
    assert chosen <= {0, 29, 37}
