"""The claw-gym command: every subcommand as a subprocess on a small filter, plus unit tests
of the pass@k estimator, the short forms and the export format."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from math import comb
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.cli import build_parser, metrics, shortforms, trajectory
from claw_gym.cli.render import frame
from claw_gym.tasks import families

TESTS = Path(__file__).parent
FAMILY = next(iter(families()))
TASKS = [s.task_id for s in claw_gym.catalog(family=FAMILY)]
TASK = TASKS[0]
SMALL = ["--family", FAMILY, "--limit", "2"]


def cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "claw_gym.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def ok(*args: str, **kw) -> subprocess.CompletedProcess:
    r = cli(*args, **kw)
    assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
    return r


# ---- the parser -------------------------------------------------------------------------------
SUBCOMMANDS = ["list", "show", "play", "oracle", "eval", "export", "render", "demo"]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([command, "--help"])
    assert exc.value.code == 0
    assert f"claw-gym {command}" in capsys.readouterr().out


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "claw-gym"
    r = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and all(c in r.stdout for c in SUBCOMMANDS)


# ---- list / show ------------------------------------------------------------------------------
def test_list_json_matches_catalog_and_table_counts():
    rows = json.loads(ok("list", "--family", FAMILY, "--difficulty", "1,2", "--json").stdout)
    expected = [s.task_id for s in claw_gym.catalog(family=FAMILY, difficulty=[1, 2])]
    assert [r["task_id"] for r in rows] == expected and expected
    out = ok("list", "--family", FAMILY, "--difficulty", "1,2").stdout
    assert f"{len(expected)} tasks" in out and expected[-1] in out


def test_list_device_none_means_api_only():
    rows = json.loads(ok("list", "--device", "none", "--json").stdout)
    assert [r["task_id"] for r in rows] == [s.task_id for s in claw_gym.catalog() if not s.devices]
    assert all(not r["devices"] for r in rows)


def test_limit_spreads_over_families():
    rows = json.loads(ok("list", "--limit", "5", "--json").stdout)
    catalog = claw_gym.catalog()
    first_families = list(dict.fromkeys(s.family for s in catalog))[:5]
    assert [r["family"] for r in rows] == first_families  # one task of each of the first five families
    assert [r["task_id"] for r in rows] == [next(s.task_id for s in catalog if s.family == f) for f in first_families]
    two = json.loads(ok("list", "--family", ",".join(first_families[:2]), "--limit", "3", "--json").stdout)
    firsts = [[s.task_id for s in catalog if s.family == f] for f in first_families[:2]]
    assert sorted(r["task_id"] for r in two) == sorted([firsts[0][0], firsts[1][0], firsts[0][1]])
    assert "\n1 task\n" in ok("list", "--limit", "1").stdout


def test_counts_say_one_thing_not_one_things():
    from claw_gym.plural import count, plural, singular
    from claw_gym.services import ServiceError

    assert [count(1, "task"), count(2, "task"), count(0, "unsolved ticket"), count(1, "person", "people")] == [
        "1 task",
        "2 tasks",
        "0 unsolved tickets",
        "1 person",
    ]
    assert [plural(w) for w in ("entry", "box", "day", "person", "match")] == [
        "entries",
        "boxes",
        "days",
        "people",
        "matches",
    ]
    assert [singular(w) for w in ("entries", "people", "tickets", "log", "activities", "boxes", "addresses")] == [
        "entry",
        "person",
        "ticket",
        "log",
        "activity",
        "box",
        "address",
    ]
    task = next(s for s in claw_gym.catalog() if "helpdesk" in s.services)
    env = gym.make(task.env_id)
    env.reset(seed=0)
    desk = env.unwrapped.world.services["helpdesk"]
    tickets = list(desk.table("tickets").values())
    for t in tickets:
        desk.modify(t, status="solved")
    desk.modify(tickets[0], status="open")
    assert desk.summary() == "helpdesk: 1 unsolved ticket"
    with pytest.raises(ServiceError, match="no calendar entry with id 'nope'"):
        env.unwrapped.world.call("calendar.get", {"id": "nope"})


def test_show_describes_task():
    d = json.loads(ok("show", TASK, "--json").stdout)
    env = gym.make(f"ClawAnything/{TASK}-v0")
    _, info = env.reset(seed=0)
    assert d["task_id"] == TASK and d["instruction"] == info["instruction"]
    assert d["oracle_length"] == len(env.unwrapped.oracle_actions()) and d["oracle_passes"]
    assert d["checks"] and d["checker"] == families()[FAMILY].summary
    text = ok("show", TASK).stdout
    assert "the checker:" in text and f"oracle: {d['oracle_length']} actions, passes" in text


@pytest.mark.parametrize(
    "args",
    [
        ["show", "TASK"],
        ["play", "TASK"],
        ["oracle", "TASK"],
        ["render", "TASK", "--out", "x.gif"],
        ["demo", "--task", "TASK"],
        ["list", "--tasks", "TASK"],
    ],
)
def test_unknown_task_suggests_close_ids(args, tmp_path):
    typo = TASK[:-3] + "x" + TASK[-2:]  # one character off
    r = cli(*[typo if a == "TASK" else a for a in args], cwd=tmp_path)
    assert r.returncode == 2, r
    assert "unknown task" in r.stderr and "did you mean" in r.stderr and TASK in r.stderr
    assert "Traceback" not in r.stderr


def test_env_args_reach_the_env():
    # max_steps=2 truncates the 5-step oracle: every episode fails, in process and in workers
    r = cli("oracle", "--all", *SMALL, "--env-arg", "max_steps=2", "--workers", "2", "--json")
    d = json.loads(r.stdout)
    assert r.returncode == 1 and d["passed"] == 0 and all(r["steps"] == 2 for r in d["results"])
    d = json.loads(ok("eval", "--agent", "oracle", *SMALL, "--env-arg", "reward_mode=partial", "--json").stdout)
    assert d["overall"]["pass@1"] == 1.0
    r = cli("eval", "--agent", "oracle", *SMALL, "--env-arg", "history=everything")
    assert r.returncode == 2 and "history must be one of" in r.stderr
    r = cli("export", *SMALL, "--out", "x.jsonl", "--env-arg", "nonsense")
    assert r.returncode == 2 and "KEY=VALUE" in r.stderr


@pytest.mark.parametrize(
    "pair, reason",
    [
        ("phone=False", "'False' is not JSON"),
        ("max_steps=ten", "'ten' is not JSON"),
        ("phone=1", "phone must be a bool"),
        ('phone="false"', "phone must be a bool"),
        ("screen_size=300", "screen_size must be two ints"),
        ("screen_size=[1,2]", "each 32..4096"),
        ('difficulty="3"', "difficulty must be an int"),
        ("max_steps=0", "max_steps must be a positive int"),
        ("bogus=1", "unknown keyword 'bogus'"),
        ("render_mode=human", "render_mode must be one of"),
    ],
)
def test_env_arg_values_are_json_of_the_right_type(pair, reason):
    from claw_gym.cli.common import CliError, env_kwargs

    with pytest.raises(CliError, match=reason) as exc:
        env_kwargs(build_parser().parse_args(["oracle", "--all", "--env-arg", pair]))
    assert "\n" not in str(exc.value)


def test_env_arg_text_keywords_may_be_bare_and_json_parses():
    from claw_gym.cli.common import env_kwargs

    args = build_parser().parse_args(
        [
            "oracle",
            "--all",
            "--env-arg",
            "history=full",
            "--env-arg",
            "phone=false",
            "--env-arg",
            "screen_size=[360, 780]",
            "--env-arg",
            'reward_mode="partial"',
        ]
    )
    assert json.loads(env_kwargs(args)) == {
        "history": "full",
        "phone": False,
        "screen_size": [360, 780],
        "reward_mode": "partial",
    }
    r = cli("oracle", "--all", *SMALL, "--env-arg", "phone=False")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "did you mean phone=false?" in r.stderr


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"phone": "False"}, TypeError),
        ({"phone": 0}, TypeError),
        ({"screen_size": (300,)}, TypeError),
        ({"screen_size": (300.0, 600)}, TypeError),
        ({"max_steps": "5"}, TypeError),
        ({"max_steps": True}, TypeError),
        ({"reward_mode": 1}, TypeError),
        ({"reward_mode": "all"}, ValueError),
        ({"history": None}, TypeError),
        ({"family": 3}, TypeError),
        ({"difficulty": ["1"]}, TypeError),
        ({"faults": "high"}, ValueError),
        ({"limits": {"records": -1}}, ValueError),
        ({"task_id": 7}, TypeError),
    ],
)
def test_gym_make_rejects_wrong_keyword_types(kwargs, error):
    (key,) = kwargs
    with pytest.raises(error, match=key):
        gym.make("ClawAnything-v0", **kwargs)


def test_bad_filters_are_clear_errors():
    r = cli("list", "--family", "no-such-family")
    assert r.returncode == 2 and "unknown family" in r.stderr
    r = cli("eval", "--agent", "no_such_module:agent", *SMALL)
    assert r.returncode == 2 and "cannot import" in r.stderr
    r = cli("eval", "--agent", "oracle", "--episodes", "2", "--k", "3", *SMALL)
    assert r.returncode == 2 and "between 1 and --episodes" in r.stderr


# ---- oracle / demo ----------------------------------------------------------------------------
def test_oracle_all_on_small_filter_with_workers():
    r = ok("oracle", "--all", *SMALL, "--episodes", "2", "--workers", "2", "--json")
    d = json.loads(r.stdout)
    assert d["episodes"] == 4 and d["passed"] == 4
    assert [(x["task_id"], x["seed"]) for x in d["results"]] == [(t, s) for t in TASKS[:2] for s in (0, 1)]
    assert "oracle passed 1/1" in ok("oracle", TASK).stdout


def test_demo_runs_the_oracle():
    out = ok("demo", "--task", TASK, "--seed", "3").stdout
    assert out.startswith(f"task {TASK}") and "verdict: PASSED" in out


def test_demo_tells_a_reactive_story_in_time():
    import time

    from claw_gym.cli.demo import DEMO_TASK

    start = time.monotonic()
    out = ok("demo").stdout
    assert time.monotonic() - start < 20
    assert out == ok("demo").stdout  # deterministic
    spec = claw_gym.catalog(kind="reactive")
    assert DEMO_TASK in {s.task_id for s in spec} and out.startswith(f"task {DEMO_TASK}")
    assert "instruction: (proactive" not in out and "verdict: PASSED" in out
    # every fact the oracle writes (a time, a date) was shown in what it read before
    env = gym.make(f"ClawAnything/{DEMO_TASK}-v0")
    env.reset(seed=0)
    reads, _, writes = out.partition("api calendar.update_event")
    assert "read:" in reads and "body:" in reads
    hhmm = json.loads(next(a for a in env.unwrapped.oracle_actions() if "update_event" in a))["args"]["start"][-5:]
    assert hhmm in reads.split("body:")[1]
    steps = reads.partition("The oracle")[2]
    assert all(len(line) <= 120 for line in steps.splitlines())  # read results are trimmed and wrapped


def test_readout_is_bounded_and_puts_what_is_used_first():
    from claw_gym.cli import readout

    items = [{"id": f"m{n}", "subject": "x" * 300, "read": False, "to": ["a"]} for n in range(20)]
    lines = readout.lines_of(json.dumps({"total": 20, "items": items}), later='{"id": "m7"}')
    assert lines[0] == "20 results (* used later):" and lines[1].startswith("* m7 ")
    assert len(lines) <= readout.MAX_LINES and all(len(x) <= readout.LINE_CHARS + 2 for x in lines)
    record = readout.lines_of(json.dumps({"id": "m1", "body": "word " * 500, "cc": [], "read": True}))
    assert record[0] == "id: m1" and len(record) == 2 and len(record[1]) <= readout.TEXT_CHARS + 6
    assert readout.lines_of("[exit 0]\n" + json.dumps({"id": "t1"})) == ["[exit 0]", "id: t1"]
    assert len(readout.lines_of("\n".join(map(str, range(100))))) == readout.MAX_LINES


# ---- eval and the estimators ------------------------------------------------------------------
def brute_pass_at_k(n: int, c: int, k: int) -> tuple[float, float]:
    """pass@k and pass^k by enumerating every k-subset of n episodes (the first c pass)."""
    subsets = list(itertools.combinations(range(n), k))
    any_pass = sum(any(i < c for i in s) for s in subsets) / len(subsets)
    all_pass = sum(all(i < c for i in s) for s in subsets) / len(subsets)
    return any_pass, all_pass


def test_estimators_match_hand_computed_cases():
    # n=4 episodes, c=2 passed: pass@2 = 1 - C(2,2)/C(4,2) = 5/6, pass^2 = C(2,2)/C(4,2) = 1/6
    assert metrics.pass_at_k(4, 2, 1) == pytest.approx(0.5)
    assert metrics.pass_at_k(4, 2, 2) == pytest.approx(5 / 6)
    assert metrics.pass_hat_k(4, 2, 2) == pytest.approx(1 / 6)
    assert metrics.pass_at_k(4, 2, 3) == 1.0 and metrics.pass_hat_k(4, 2, 3) == 0.0
    # n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
    assert metrics.pass_at_k(10, 3, 5) == pytest.approx(1 - 21 / 252)
    assert metrics.pass_at_k(5, 0, 2) == 0.0 and metrics.pass_hat_k(5, 5, 5) == 1.0
    for n in range(1, 7):
        for c in range(n + 1):
            for k in range(1, n + 1):
                at, hat = brute_pass_at_k(n, c, k)
                assert metrics.pass_at_k(n, c, k) == pytest.approx(at)
                assert metrics.pass_hat_k(n, c, k) == pytest.approx(hat)
                assert metrics.pass_hat_k(n, c, k) == pytest.approx(comb(c, k) / comb(n, k))
    with pytest.raises(ValueError):
        metrics.pass_at_k(3, 1, 4)
    assert metrics.default_ks(8) == [1, 2, 4, 8] and metrics.default_ks(5) == [1, 2, 4, 5]


def test_eval_reports_hand_computed_pass_at_k_by_group():
    # cli_agents.EvenSeedOracle passes on even seeds: 4 episodes per task (seeds 0..3) -> c = 2 of n = 4.
    args = ["eval", "--agent", "cli_agents:EvenSeedOracle", *SMALL, "--episodes", "4", "--json"]
    report = json.loads(ok(*args).stdout)
    overall = report["overall"]
    assert report["k"] == [1, 2, 4] and overall["tasks"] == 2 and overall["episodes"] == 8 and overall["passes"] == 4
    assert overall["pass@1"] == pytest.approx(0.5)
    assert overall["pass@2"] == pytest.approx(5 / 6)
    assert overall["pass@4"] == pytest.approx(1.0)
    assert overall["pass^2"] == pytest.approx(1 / 6)
    assert overall["pass^4"] == pytest.approx(0.0)
    assert set(report["by"]) == {"family", "kind", "difficulty", "device"}
    assert report["by"]["family"][FAMILY]["pass@2"] == pytest.approx(5 / 6)
    assert sum(g["tasks"] for g in report["by"]["difficulty"].values()) == 2
    parallel = json.loads(ok(*args, "--workers", "2").stdout)
    assert parallel == report
    table = ok("eval", "--agent", "cli_agents:EvenSeedOracle", *SMALL, "--episodes", "4").stdout
    assert "pass@2" in table and "pass^2" in table and "0.833" in table and "0.167" in table


def test_eval_function_agent_and_crashing_agent():
    d = json.loads(ok("eval", "--agent", "cli_agents:lister", *SMALL, "--json").stdout)
    assert d["overall"]["pass@1"] == 0.0 and not d["crashes"]
    r = ok("eval", "--agent", "cli_agents:crasher", "--tasks", TASK, "--json")
    d = json.loads(r.stdout)
    assert d["overall"]["pass@1"] == 0.0 and "agent bug" in d["crashes"][0]["error"]
    assert "raised in 1 episode" in r.stderr


# ---- export -----------------------------------------------------------------------------------
def test_export_chat_is_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ok("export", *SMALL, "--episodes", "2", "--out", str(a))
    ok("export", *SMALL, "--episodes", "2", "--out", str(b), "--workers", "2")
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    rec = json.loads(lines[0])
    assert rec["metadata"]["task_id"] == TASK and rec["metadata"]["passed"] and rec["metadata"]["verdict"]["passed"]
    roles = [m["role"] for m in rec["messages"]]
    assert roles[:2] == ["system", "user"] and roles[-1] == "assistant"
    assert roles[2:] == ["assistant", "tool"] * (len(roles[2:]) // 2) + ["assistant"] * (len(roles[2:]) % 2)
    names = {t["function"]["name"] for t in rec["tools"]}
    assert {"help", "finish", "wait"} <= names
    for name in names - {"help", "finish", "wait", "shell", "gui"}:
        assert name in rec["messages"][0]["content"]  # the system message lists every tool
    # the tool calls, turned back into actions, replay the episode to the same verdict
    env = gym.make(f"ClawAnything/{TASK}-v0")
    obs, _ = env.reset(seed=0)
    assert trajectory.obs_text(obs, None) == rec["messages"][1]["content"]
    calls = [m["tool_calls"][0] for m in rec["messages"] if m["role"] == "assistant"]
    assert [trajectory.action_of(c) for c in calls] == env.unwrapped.oracle_actions()
    for c in calls:
        obs, reward, terminated, truncated, info = env.step(trajectory.action_of(c))
    assert terminated and info["verdict"] == rec["metadata"]["verdict"]


def test_export_steps_and_only_passing_unless_all(tmp_path):
    out = tmp_path / "steps.jsonl"
    ok("export", "--tasks", TASK, "--format", "steps-jsonl", "--out", str(out))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    env = gym.make(f"ClawAnything/{TASK}-v0")
    env.reset(seed=0)
    assert [x["action"] for x in lines] == env.unwrapped.oracle_actions()
    assert [x["step"] for x in lines] == list(range(1, len(lines) + 1))
    assert lines[-1]["metadata"]["passed"] and lines[-1]["terminated"] and "final_observation" in lines[-1]
    none = tmp_path / "none.jsonl"
    r = ok("export", "--policy", "finish", *SMALL, "--out", str(none), "--json")
    assert json.loads(r.stdout)["written"] == 0 and none.read_text() == ""
    r = ok("export", "--policy", "finish", *SMALL, "--out", str(none), "--all", "--json")
    assert json.loads(r.stdout)["written"] == 2
    assert [json.loads(x)["metadata"]["passed"] for x in none.read_text().splitlines()] == [False, False]


def test_policy_class_is_reset_every_episode(tmp_path):
    out = tmp_path / "all.jsonl"
    ok("export", "--policy", "cli_agents:TwoLooksThenFinish", *SMALL, "--episodes", "2", "--all", "--out", str(out))
    metas = [json.loads(x)["metadata"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert [m["steps"] for m in metas] == [3, 3, 3, 3] and not any(m["passed"] for m in metas)


def test_user_turns_show_what_changed():
    first = {
        "instruction": "do it",
        "time": "t0",
        "events": "e1",
        "services": "s1",
        "ui": "u1",
        "result": "r0",
        "screen": np.zeros((2, 2, 3), dtype=np.uint8),
    }
    text = trajectory.obs_text(first, None)
    assert text.split("\n\n") == [
        "instruction: do it",
        "time: t0",
        "events: e1",
        "services: s1",
        "ui: u1",
        "result: r0",
    ]
    same = {**first, "time": "t1", "events": "", "result": "r1"}
    assert trajectory.obs_text(same, first) == "time: t1\n\nresult: r1"
    changed = {**same, "services": "s2", "ui": "u2\nmore", "events": "e2"}
    assert trajectory.obs_text(changed, same) == "time: t1\n\nevents: e2\n\nservices: s2\n\nui:\nu2\nmore\n\nresult: r1"


def test_policy_shapes():
    from claw_gym.cli.policies import Agent

    class WithReset:
        def reset(self, obs, info):
            self.n = 0

        def act(self, obs, info):
            self.n += 1
            return {"kind": "wait", "seconds": self.n}

    obs, info = {"result": ""}, {}
    assert Agent(lambda o: A.wait(1)).act(obs, info) == A.wait(1)
    assert Agent(lambda o, i: A.wait(2)).act(obs, info) == A.wait(2)
    agent = Agent(WithReset)
    for _ in range(2):  # reset rearms it each episode
        agent.begin(None, obs, info)
        assert [json.loads(agent.act(obs, info))["seconds"] for _ in range(2)] == [1, 2]


def test_tool_call_round_trip_for_every_action_kind():
    for action in [
        A.api("calendar.list_events", start="2026-03-02", end="2026-03-09"),
        A.shell("ls -la"),
        A.tap(120, 540),
        A.tap(element="e12"),
        A.swipe(1, 2, 3, 4),
        A.type_text("hé"),
        A.key("back"),
        A.wait(600),
        A.finish("done"),
    ]:
        call = trajectory.tool_call(action, 1)
        assert json.loads(trajectory.action_of(call)) == json.loads(action)
    assert trajectory.tool_call("not json", 1) is None


# ---- render -----------------------------------------------------------------------------------
def test_render_gif_and_frames(tmp_path):
    from PIL import Image

    r = ok("render", TASK, "--out", str(tmp_path / "ep.gif"), "--json")
    d = json.loads(r.stdout)
    env = gym.make(f"ClawAnything/{TASK}-v0")
    env.reset(seed=0)
    steps = len(env.unwrapped.oracle_actions())
    assert d["frames"] == steps + 1 and d["passed"] and d["source"] == "text cards"  # an API-only task
    with Image.open(tmp_path / "ep.gif") as im:
        assert im.n_frames == steps + 1
    ok("render", TASK, "--out", str(tmp_path / "frames"))
    pngs = sorted((tmp_path / "frames").glob("frame_*.png"))
    assert len(pngs) == steps + 1
    first, second = (np.asarray(Image.open(p)) for p in pngs[:2])
    assert (first != second).any()


def test_render_uses_the_phone_screen_when_there_is_one():
    from claw_gym.cli.render import pixels, shows_phone

    screen = np.zeros((200, 120, 3), dtype=np.uint8)
    screen[:, :, 1] = 200
    obs = {"time": "t", "result": "r", "screen": screen}
    img = frame(pixels(obs, A.tap(10, 20), screen=True), "step 1", "tap 10 20")
    assert img.size[0] == 120 and img.size[1] > 200
    assert np.asarray(img)[100, 60].tolist() == [0, 200, 0]
    card = frame(pixels(obs, A.wait(600), screen=False), "step 1", "wait 600 s")
    assert card.size[1] > card.size[0] and np.asarray(card)[100, 60].tolist() != [0, 200, 0]
    assert shows_phone(["phone"], "{}") and not shows_phone(["phone"], '{"phone": false}')
    assert not shows_phone(["laptop"], "{}") and not shows_phone([], "{}")


API_TASK = next(s.task_id for s in claw_gym.catalog() if not s.devices)
PHONE_TASK = next(s.task_id for s in claw_gym.catalog() if "phone" in s.devices)


def test_env_render_draws_a_text_card_without_the_phone():
    env = gym.make(f"ClawAnything/{API_TASK}-v0", render_mode="rgb_array")
    env.reset(seed=0)
    frames = [env.render()]
    for action in env.unwrapped.oracle_actions()[:2]:
        env.step(action)
        frames.append(env.render())
    assert frames[0].shape == frames[1].shape == (*reversed(env.unwrapped.screen_size), 3)
    assert (frames[0] != frames[1]).any() and (frames[1] != frames[2]).any()
    off = gym.make(f"ClawAnything/{PHONE_TASK}-v0", render_mode="rgb_array", phone=False)
    off.reset(seed=0)
    card = off.render()
    assert card.any() and len(np.unique(card.reshape(-1, 3), axis=0)) > 10  # text, not a flat colour
    on = gym.make(f"ClawAnything/{PHONE_TASK}-v0", render_mode="rgb_array")
    obs, _ = on.reset(seed=0)
    assert (on.render() == obs["screen"]).all()


def test_text_card_shows_the_last_action_and_fits_its_lines():
    from claw_gym.textcard import caption, text_card, wrap

    obs = {"time": "Mon 2026-03-02 09:30", "instruction": "x", "result": "ok", "services": "a\nb"}
    plain = text_card(obs, (270, 585))
    acted = text_card(obs, (270, 585), caption(A.api("mail.list", folder="inbox")))
    assert (plain != acted).any()
    assert caption(None) == "" and caption(A.wait(60)) == "wait 60 s" and caption("{").startswith("(invalid)")
    assert wrap("one two three four five six", 9, 2) == ["one two", "three..."]
    assert wrap("a very long service line\nb", 10, 5, wrapped=False) == ["a very ...", "b"]


# ---- play -------------------------------------------------------------------------------------
def oracle_of(task: str, seed: int = 0) -> list[str]:
    env = gym.make(f"ClawAnything/{task}-v0")
    env.reset(seed=seed)
    return env.unwrapped.oracle_actions()


def test_play_from_a_piped_script_reaches_a_verdict():
    oracle = oracle_of(TASK)
    first = json.loads(oracle[0])
    short = "api " + first["call"] + "".join(f" {k}={json.dumps(v)}" for k, v in first["args"].items())
    script = "\n".join([":help", "# a comment", short, "not-a-verb x", ":oracle", *oracle[1:-1], ":oracle run", ""])
    r = cli("play", TASK, stdin=script)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "not an action: unknown command 'not-a-verb'" in r.stdout
    assert f"oracle step 2 of {len(oracle)}" in r.stdout
    assert "PASSED" in r.stdout and f"episode over after {len(oracle)} steps" in r.stdout


def test_play_failing_script_and_end_of_input():
    r = cli("play", TASK, stdin="help\nfinish nothing to do\n")
    assert r.returncode == 1 and "FAILED" in r.stdout and "[1]" in r.stdout
    lines = r.stdout.splitlines()
    assert "  contacts.search(query: string = '', limit: integer = 20, offset: integer = 0)" in lines
    assert sum(line.startswith("  calendar.") for line in lines) >= 5  # help: one endpoint a line
    r = cli("play", TASK, stdin="wait 60\n:quit\n")
    assert r.returncode == 1 and "waited 60 s" in r.stdout and "no verdict" in r.stdout


def test_play_shows_only_what_changed_and_names_the_task_at_the_end():
    oracle = oracle_of(TASK)
    r = ok("play", TASK, stdin="\n".join(oracle) + "\n")
    intro, _, after = r.stdout.partition("claw> ")
    episode, _, ending = after.partition("episode over")
    assert TASK not in intro + episode and FAMILY not in intro + episode  # what an agent would see
    assert f"task {TASK} (family {FAMILY}, " in ending
    env = gym.make(f"ClawAnything/{TASK}-v0")
    obs, _ = env.reset(seed=0)
    assert all(line in intro.splitlines() for line in ("  " + x for x in obs["services"].splitlines()))
    changed: list[str] = []
    for action in oracle:
        prev = obs["services"].splitlines()
        obs, *_ = env.step(action)
        changed += [line for line in obs["services"].splitlines() if line not in prev]
    printed, section = [], None
    for line in episode.splitlines():
        if line.startswith("  ") and not line.startswith("    "):
            section = line.strip()
        elif section == "services changed:" and line.startswith("    "):
            printed.append(line.strip())
    assert changed and printed == changed


def test_changed_service_lines():
    from claw_gym.cli.play import changed_lines, endpoint_lines

    assert changed_lines("a: 1\nb: 2\nc: 3", "a: 1\nb: 3\nc: 3") == ["b: 3"]
    assert changed_lines("a: 1", "a: 1") == []
    listing = json.dumps({"usage": "u", "services": {"x": ["x.a()", "x.b(n: integer)"], "y": ["y.c()"]}})
    assert endpoint_lines(A.api("help"), listing) == ["usage: u", "x.a()", "x.b(n: integer)", "y.c()"]
    assert endpoint_lines(A.api("mail.list"), listing) is None and endpoint_lines(A.api("help"), "oops") is None


def test_play_saves_the_phone_screen(tmp_path, capsys):
    from claw_gym.cli.play import Session

    s = Session(TASK, 0, sys.stdout, str(tmp_path), 200)
    s.obs = {**s.obs, "screen": np.full((40, 30, 3), 7, dtype=np.uint8)}
    s.save_screen()
    (png,) = tmp_path.glob("*.png")
    assert str(png) in capsys.readouterr().out


class FakePhone(gym.Wrapper):
    """Stands in for the phone (built elsewhere): gui actions succeed and every obs has a screen."""

    def _screen(self, obs, shade):
        return {**obs, "screen": np.full((64, 32, 3), shade, dtype=np.uint8)}

    def step(self, action):
        if json.loads(action)["kind"] == "gui":
            obs = self._screen({**self.env.unwrapped.last_obs, "result": "tapped", "events": "", "ui": "[1] Bank"}, 9)
            return obs, 0.0, False, False, {"action_ok": True, "error": None}
        obs, r, term, trunc, info = self.env.step(action)
        return self._screen(obs, 3), r, term, trunc, info


def test_play_saves_a_png_after_each_gui_step(tmp_path):
    import io

    from PIL import Image

    from claw_gym.cli.play import Session

    out = io.StringIO()
    s = Session(TASK, 0, out, str(tmp_path), 200)
    s.env = FakePhone(s.env)
    code = s.loop(io.StringIO("tap 10 20\nhelp\nkey back\n:screen\n:quit\n"), echo=True)
    text = out.getvalue()
    pngs = sorted(tmp_path.glob("*.png"))
    assert code == 1 and [p.name[-11:] for p in pngs] == ["step001.png", "step003.png"]
    assert text.count("  screen: ") == 3 and str(pngs[0]) in text  # two gui steps + :screen (overwrites step 3)
    assert text.count("  ui:\n    [1] Bank") == 2  # the element listing beside each gui step's PNG
    assert np.asarray(Image.open(pngs[0]))[0, 0].tolist() == [9, 9, 9]


class Interrupting(io.StringIO):
    """Input that presses Ctrl-C after its lines."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


@pytest.mark.parametrize("ending", ["eof", "quit", "interrupt"])
def test_play_removes_its_temporary_screens(ending):
    from claw_gym.cli.play import Session

    out = io.StringIO()
    s = Session(TASK, 0, out, None, 200)
    s.env = FakePhone(s.env)
    script = "tap 10 20\n" + (":quit\n" if ending == "quit" else "")
    inp = Interrupting(script) if ending == "interrupt" else io.StringIO(script)
    if ending == "interrupt":
        with pytest.raises(KeyboardInterrupt):
            s.loop(inp, echo=False)
    else:
        assert s.loop(inp, echo=False) == 1
    (shown,) = [line.split("screen: ")[1] for line in out.getvalue().splitlines() if "screen: " in line]
    assert Path(shown).name.startswith("play-") and TASK not in shown
    assert "claw-gym-play-" in shown and not Path(shown).parent.exists()


def test_closest_ids_count_edits():
    from claw_gym.cli.common import closest

    ids = [f"fam-a-{n:04d}" for n in range(30)] + [f"fam-b-{n:04d}" for n in range(30)]
    assert closest("fam-a-0x07", ids)[0] == "fam-a-0007"
    assert closest("fam-b-0012", ids)[0] == "fam-b-0012"
    assert closest("something-else-entirely", ids) == []


@pytest.mark.parametrize(
    "line, action",
    [
        (
            "api calendar.list_events start=2026-03-02 end=2026-03-09 limit=5",
            A.api("calendar.list_events", start="2026-03-02", end="2026-03-09", limit=5),
        ),
        (
            'api mail.send to=["a@b.c", "d@e.f"] subject="Two words" body=\'hi there\' urgent=true',
            A.api("mail.send", to=["a@b.c", "d@e.f"], subject="Two words", body="hi there", urgent=True),
        ),
        ("help", A.api("help")),
        ("sh ls -la | head", A.shell("ls -la | head")),
        ("tap 120 540", A.tap(120, 540)),
        ("tap e12", A.tap(element="e12")),
        ('tap text="Work Mail"', A.tap(element="text=Work Mail")),
        ("tap text=Save", A.tap(element="text=Save")),
        ("tap text=5", A.tap(element="text=5")),
        ("tap id=com.android.messaging:id/send", A.tap(element="id=com.android.messaging:id/send")),
        ("long desc='Navigate up'", A.long_press(element="desc=Navigate up")),
        ("long 5 6", A.long_press(5, 6)),
        ("swipe 180 600 180 200", A.swipe(180, 600, 180, 200)),
        ("type hello  world", A.type_text("hello  world")),
        ("key back", A.key("back")),
        ("wait 600", A.wait(600)),
        ("sleep 600", A.wait(600, wake=False)),
        ("finish Moved it to Thursday.", A.finish("Moved it to Thursday.")),
        ('{"kind": "wait", "seconds": 5}', '{"kind": "wait", "seconds": 5}'),
    ],
)
def test_short_forms(line, action):
    assert json.loads(shortforms.parse(line)) == json.loads(action)


@pytest.mark.parametrize(
    "line",
    [
        "tap 1",
        "swipe 1 2 3",
        "tap text=",
        'tap text=""',
        'tap text="open',
        "wait soon",
        "api",
        "api x.y bad",
        "dance",
        '{"kind": 1}',
        'api x.y a="unclosed',
    ],
)
def test_bad_short_forms_explain(line):
    with pytest.raises((shortforms.ShortFormError, A.ActionError)):
        shortforms.parse(line)


def test_play_says_an_api_only_task_still_has_its_devices():
    # A player saw a phone screen in `:obs` under a header that said "devices: none": the phone and the
    # laptop are there in every task, a task's devices are the ones it needs.
    api_only = next(s for s in claw_gym.catalog() if not s.devices)
    r = cli("play", api_only.task_id, stdin="tap e12\n:quit\n")  # quitting before a verdict exits 1
    intro = r.stdout.partition("claw> ")[0]
    assert "devices needed: none (the API does it all; the phone and laptop still answer)" in intro
    assert "tapped 'Home'" in r.stdout
