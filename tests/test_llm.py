"""The llm agent (claw_gym.llm) against a real local OpenAI-compatible server (tests/openai_stub_server.py).

- a server replaying the oracle: ``eval --agent llm`` passes every task (API, laptop, phone and
  both-device families), over two workers, and its transcripts equal ``export``'s messages;
- a server that misbehaves (bad JSON arguments, an unknown tool, two calls in one turn, plain
  text, 500s, a 429 with Retry-After, calls that hang): the run goes on, every failure has a reason;
- an unreachable --base-url: exit 2, one line, at once;
- the export validates against the OpenAI chat fine-tuning format;
- unit tests of the prompt, the context trimming, Retry-After and the tool gating.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym.cli import main
from claw_gym.llm import LLMConfig, context, prompt
from claw_gym.llm.client import ChatClient, ModelError, retry_after
from claw_gym.llm.tools import tools_for
from claw_gym.wrappers.tools import tool_schemas

pytest.importorskip("openai")

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))
from openai_stub_server import StubServer, conversation_key  # noqa: E402


def first(family: str) -> str:
    return claw_gym.catalog(family=family)[0].task_id


KEY = "sk-test-not-a-real-key"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """``claw-gym ARGS`` in this process (the stub server runs in a thread of it; a subprocess would spend
    seconds importing on a loaded machine), with an API key in the environment that must never leak."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def llm_args(server: StubServer, *extra: str) -> list[str]:
    return ["--agent", "llm", "--model", "stub-model", "--base-url", server.base_url, *extra]


def plans_for(tasks: list[str], seed: int = 0) -> dict[str, list[str]]:
    """Each task's oracle actions, keyed as the server tells conversations apart (by the first observation)."""
    plans = {}
    for task in tasks:
        env = gym.make(f"ClawAnything/{task}-v0")
        obs, _ = env.reset(seed=seed)
        key = conversation_key({"messages": [{"role": "user", "content": prompt.obs_text(obs, None)}]})
        plans[key] = env.unwrapped.oracle_actions()
        env.close()
    return plans


def oracle_call(plan: list[str], n: int) -> dict[str, Any]:
    """The oracle's n-th action (0-based) as the server's tool call; past the end, finish as OraclePolicy does."""
    action = plan[n] if n < len(plan) else A.finish("Done.")
    fn = prompt.tool_call(action, n + 1)["function"]
    return {"tool_calls": [(fn["name"], fn["arguments"])]}


# ---- a server replaying the oracle --------------------------------------------------------------
REPLAY_FAMILIES = ["bill-pay", "config-fix", "phone-card-check", "xdev-otp-enrol"]  # api, laptop, phone, both


def test_oracle_replay_passes_everywhere_and_transcripts_equal_the_export(tmp_path, cli):
    tasks = [first(f) for f in REPLAY_FAMILIES]
    plans = plans_for(tasks)
    with StubServer(lambda req, turn, attempt: oracle_call(plans[conversation_key(req)], turn)) as server:
        r = cli(
            "eval",
            *llm_args(server, "--transcripts", str(tmp_path / "tr"), "--temperature", "0.3"),
            "--tasks",
            ",".join(tasks),
            "--workers",
            "2",
            "--json",
        )
        assert r.returncode == 0, r.stderr[-3000:]
        report = json.loads(r.stdout)
        # every request carried the agent's settings and offered only the task's tools
        assert all(q["model"] == "stub-model" and q["temperature"] == 0.3 and q["seed"] == 0 for q in server.requests)
    assert report["overall"]["pass@1"] == 1.0 and not report["failures"] and not report["crashes"]
    assert [e["task_id"] for e in report["episodes"]] == tasks  # job order, whatever the workers
    llm = report["llm"]
    assert llm["prompt_version"] == prompt.PROMPT_VERSION and llm["model"] == "stub-model"
    assert llm["text_only_finishes"] == 0 and llm["retries"] == 0 and llm["usage_missing"] == 0
    # the token accounting adds up what the server reported, per episode and in total
    assert llm["prompt_tokens"] == server.prompt_tokens and llm["completion_tokens"] == server.completion_tokens
    assert sum(e["prompt_tokens"] for e in report["episodes"]) == server.prompt_tokens
    assert llm["calls"] == len(server.requests) == sum(e["steps"] for e in report["episodes"])
    assert all(e["wall_s"] > 0 for e in report["episodes"])
    assert KEY not in r.stdout + r.stderr and all(KEY not in p.read_text() for p in (tmp_path / "tr").iterdir())

    out = tmp_path / "oracle.jsonl"
    r = cli("export", "--policy", "oracle", "--tasks", ",".join(tasks), "--out", str(out))
    assert r.returncode == 0, r.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["metadata"]["task_id"] for rec in records] == tasks
    for rec in records:
        assert finetuning_problems(rec) == [], rec["metadata"]["task_id"]
        assert rec["metadata"]["prompt_version"] == prompt.PROMPT_VERSION
        transcript = json.loads((tmp_path / "tr" / f"{rec['metadata']['task_id']}-seed0.json").read_text())
        assert transcript["passed"] and transcript["verdict"] == rec["metadata"]["verdict"]
        assert transcript["tools"] == rec["tools"]
        assert transcript["messages"] == rec["messages"]  # what the agent sent is what the export trains on
        devices = set(rec["metadata"]["devices"])
        names = {t["function"]["name"] for t in rec["tools"]}
        assert ("shell" in names) == ("laptop" in devices) and ("gui" in names) == ("phone" in devices)


def test_export_and_render_take_the_llm_agent(tmp_path, cli):
    task = first("config-fix")
    plans = plans_for([task])
    with StubServer(lambda req, turn, attempt: oracle_call(plans[conversation_key(req)], turn)) as server:
        args = ["--model", "stub-model", "--base-url", server.base_url]
        r = cli("export", "--policy", "llm", *args, "--tasks", task, "--out", str(tmp_path / "llm.jsonl"))
        assert r.returncode == 0, r.stderr[-3000:]
        r = cli("render", task, "--policy", "llm", *args, "--out", str(tmp_path / "frames"), "--json")
        assert r.returncode == 0 and json.loads(r.stdout)["passed"], r.stderr[-3000:]
    r = cli("export", "--policy", "oracle", "--tasks", task, "--out", str(tmp_path / "oracle.jsonl"))
    assert r.returncode == 0, r.stderr[-3000:]
    by_llm, by_oracle = (json.loads((tmp_path / f).read_text()) for f in ("llm.jsonl", "oracle.jsonl"))
    assert by_llm["metadata"]["passed"] and by_llm["messages"] == by_oracle["messages"]
    assert by_llm["metadata"]["policy"].startswith("llm:") and KEY not in json.dumps(by_llm)
    assert len(list((tmp_path / "frames").iterdir())) == by_llm["metadata"]["steps"] + 1


# ---- a server that misbehaves --------------------------------------------------------------------
MISBEHAVING = {  # family -> what the server does in its episodes
    "address-update": "bad JSON arguments, an unknown tool, two calls in one turn; then the oracle",
    "deal-confirm": "a 500, then a 429 with Retry-After: 1; then the oracle",
    "invoice-expense": "plain text, no tool call",
    "meeting-reschedule": "hangs past the call timeout, every time",
    "report-handoff": "500 every time (Retry-After: 0)",
}


def misbehaving_script(plans: dict[str, list[str]], family_of: dict[str, str]):
    def script(req: dict[str, Any], turn: int, attempt: int) -> dict[str, Any]:
        key = conversation_key(req)
        family, plan = family_of[key], plans[key]
        if family == "address-update":
            if turn == 0:
                return {"tool_calls": [("contacts__search", '{"query": "Ann')]}
            if turn == 1:
                return {"tool_calls": [("teleport", '{"to": "moon"}')]}
            if turn == 2:
                return {"tool_calls": [("help", "{}"), ("teleport", "{}")]}
            return oracle_call(plan, turn - 3)
        if family == "deal-confirm":
            if turn == 0 and attempt == 0:
                return {"status": 500}
            if turn == 0 and attempt == 1:
                return {"status": 429, "headers": {"Retry-After": "1"}}
            return oracle_call(plan, turn)
        if family == "invoice-expense":
            return {"text": "I looked around; everything seems fine."}
        if family == "meeting-reschedule":
            return {"hang": 8}
        return {"status": 500, "headers": {"Retry-After": "0"}}

    return script


def test_a_misbehaving_server_gives_observations_retries_timeouts_and_reasons(tmp_path, cli):
    tasks = [first(f) for f in MISBEHAVING]
    plans = plans_for(tasks)
    family_of = dict(zip(plans, MISBEHAVING))
    with StubServer(misbehaving_script(plans, family_of)) as server:
        r = cli(
            "eval",
            *llm_args(server, "--call-timeout", "2", "--retries", "2", "--transcripts", str(tmp_path)),
            "--tasks",
            ",".join(tasks),
            "--json",
        )
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout)
    by = {e["family"]: e for e in report["episodes"]}
    assert not report["crashes"]

    bad = by["address-update"]  # errors came back as observations, and the model recovered
    assert bad["passed"] and bad["tool_errors"] == 2
    messages = json.loads((tmp_path / f"{first('address-update')}-seed0.json").read_text())["messages"]
    results = [m["content"] for m in messages if m["role"] == "tool"]
    assert "error: contacts__search: tool call arguments are not valid JSON" in results[0]
    assert "error: unknown tool 'teleport'" in results[1]
    assert "note: only the first tool call of a turn runs; 1 more were ignored" in results[2]
    assert [len(m.get("tool_calls", [])) for m in messages if m["role"] == "assistant"][:3] == [1, 1, 1]

    retried = by["deal-confirm"]  # a 500 and a 429 retried, the 429 after the server's Retry-After
    assert retried["passed"] and retried["retries"] >= 2 and retried["wall_s"] >= 1.0
    stats = json.loads((tmp_path / f"{first('deal-confirm')}-seed0.json").read_text())["stats"]
    assert stats["problems"][:2] == ["HTTP 500: stub 500", "HTTP 429: stub 429"]

    text = by["invoice-expense"]  # plain text is finish with that text, counted
    assert not text["passed"] and text["text_finishes"] == 1
    assert "finished with text and no tool call" in text["reason"]

    hung = by["meeting-reschedule"]  # timeouts retried, then the episode stops with the reason
    assert not hung["passed"] and "timeout after 2 s" in hung["stop_reason"] and "gave up" in hung["reason"]

    down = by["report-handoff"]
    assert not down["passed"] and "HTTP 500" in down["reason"]

    assert report["llm"]["text_only_finishes"] == 1 and report["llm"]["stopped_episodes"] == 2
    assert {f["task_id"] for f in report["failures"]} == {hung["task_id"], down["task_id"], text["task_id"]}
    assert all(f["reason"] for f in report["failures"])


def test_the_episode_budget_bounds_retries_and_4xx_is_not_retried():
    hi = [{"role": "user", "content": "hi"}]
    with StubServer(lambda req, turn, attempt: {"status": 429, "headers": {"Retry-After": "30"}}) as server:
        client = ChatClient(LLMConfig(model="m", base_url=server.base_url, retries=3))
        start = time.monotonic()
        with pytest.raises(ModelError, match=r"HTTP 429.*the next retry \(in 30 s\) would pass the episode budget"):
            client.complete(hi, [], seed=0, deadline=time.monotonic() + 5)
        assert time.monotonic() - start < 5 and len(server.requests) == 1
        with pytest.raises(ModelError, match="episode wall-clock budget spent"):
            client.complete(hi, [], seed=0, deadline=time.monotonic() - 1)
        assert len(server.requests) == 1
    with StubServer(lambda req, turn, attempt: {"status": 400}) as server:
        client = ChatClient(LLMConfig(model="m", base_url=server.base_url, retries=3))
        with pytest.raises(ModelError, match="HTTP 400: stub 400"):
            client.complete(hi, [], seed=0, deadline=time.monotonic() + 60)
        assert len(server.requests) == 1


def test_an_unreachable_server_exits_2_with_one_line_at_once(cli):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    r = cli(
        "eval",
        "--agent",
        "llm",
        "--model",
        "m",
        "--base-url",
        f"http://127.0.0.1:{port}/v1",
        "--tasks",
        first("bill-pay"),
    )
    assert time.monotonic() - start < 30
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and f"cannot reach http://127.0.0.1:{port}/v1" in r.stderr


def test_the_llm_agent_needs_a_model_and_its_options_need_the_llm_agent(cli):
    r = cli("eval", "--agent", "llm", "--base-url", "http://127.0.0.1:9/v1", "--tasks", first("bill-pay"))
    assert r.returncode == 2 and "needs --model" in r.stderr
    r = cli("eval", "--agent", "oracle", "--model", "x", "--tasks", first("bill-pay"))
    assert r.returncode == 2 and "options of the llm agent" in r.stderr


def test_screen_sends_the_phone_screen_as_an_image_only_on_phone_tasks(cli):
    tasks = [first("phone-card-check"), first("address-update")]
    with StubServer(lambda req, turn, attempt: {"tool_calls": [("finish", '{"message": "ok"}')]}) as server:
        r = cli("eval", *llm_args(server, "--screen"), "--tasks", ",".join(tasks), "--json")
        assert r.returncode == 0, r.stderr[-3000:]
    images = {}
    for req in server.requests:
        parts = [p for m in req["messages"] if isinstance(m.get("content"), list) for p in m["content"]]
        task = "phone" if "gui" in {t["function"]["name"] for t in req["tools"]} else "api"
        images.setdefault(task, []).append([p["image_url"]["url"][:22] for p in parts if p["type"] == "image_url"])
    assert images["phone"] and all(urls == ["data:image/png;base64,"] for urls in images["phone"])
    assert images["api"] and all(urls == [] for urls in images["api"])


# ---- the OpenAI chat fine-tuning format ------------------------------------------------------------
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def finetuning_problems(record: dict[str, Any]) -> list[str]:
    """What makes ``record`` an invalid example of OpenAI's chat fine-tuning format (with tools)."""
    problems: list[str] = []
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return ["no messages"]
    open_calls: set[str] = set()
    for i, m in enumerate(messages):
        role = m.get("role")
        if role not in ("system", "user", "assistant", "tool"):
            problems.append(f"{i}: role {role!r}")
            continue
        extra = set(m) - {"role", "content", "tool_calls", "tool_call_id", "weight", "name"}
        if extra:
            problems.append(f"{i}: unknown keys {sorted(extra)}")
        if role != "tool" and open_calls:
            problems.append(f"{i}: tool calls {sorted(open_calls)} have no tool message")
        if role in ("system", "user") and not isinstance(m.get("content"), str):
            problems.append(f"{i}: {role} content must be text")
        if role == "assistant":
            calls = m.get("tool_calls")
            if calls is None and not isinstance(m.get("content"), str):
                problems.append(f"{i}: assistant has neither content nor tool calls")
            for c in calls or []:
                fn = c.get("function", {})
                if (
                    c.get("type") != "function"
                    or not isinstance(c.get("id"), str)
                    or not NAME.match(fn.get("name", ""))
                ):
                    problems.append(f"{i}: malformed tool call {c}")
                    continue
                if not isinstance(fn.get("arguments"), str):
                    problems.append(f"{i}: arguments of {fn['name']} must be JSON text")
                else:
                    try:
                        if not isinstance(json.loads(fn["arguments"]), dict):
                            problems.append(f"{i}: arguments of {fn['name']} are not a JSON object")
                    except json.JSONDecodeError:
                        problems.append(f"{i}: arguments of {fn['name']} are not JSON")
                open_calls.add(c["id"])
        if role == "tool":
            if m.get("tool_call_id") not in open_calls:
                problems.append(f"{i}: tool message answers no open call ({m.get('tool_call_id')!r})")
            open_calls.discard(m.get("tool_call_id"))
            if not isinstance(m.get("content"), str):
                problems.append(f"{i}: tool content must be text")
    if messages[-1].get("role") != "assistant":
        problems.append("the last message is not the assistant's")
    for t in record.get("tools", []):
        fn = t.get("function", {})
        if (
            t.get("type") != "function"
            or not NAME.match(fn.get("name", ""))
            or (fn.get("parameters") or {}).get("type") != "object"
        ):
            problems.append(f"malformed tool {fn.get('name')!r}")
    return problems


def test_the_format_check_catches_what_fine_tuning_rejects():
    call = {"id": "call_001", "type": "function", "function": {"name": "mail__get", "arguments": '{"id": "m1"}'}}
    good = {
        "messages": [
            {"role": "system", "content": "s"},
            {"role": "user", "content": "u"},
            {"role": "assistant", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_001", "content": "r"},
            {"role": "assistant", "content": "done"},
        ]
    }
    assert finetuning_problems(good) == []
    dict_args = json.loads(json.dumps(good))
    dict_args["messages"][2]["tool_calls"][0]["function"]["arguments"] = {"id": "m1"}
    no_id = json.loads(json.dumps(good))
    del no_id["messages"][3]["tool_call_id"]
    unanswered = json.loads(json.dumps(good))
    unanswered["messages"][3] = {"role": "user", "content": "r"}
    for bad in (dict_args, no_id, unanswered):
        assert finetuning_problems(bad)


# ---- units: prompt, context, Retry-After, tools, settings ------------------------------------------
def test_conversation_answers_each_call_with_a_tool_message_and_text_with_a_user_turn():
    tools = [
        {
            "type": "function",
            "function": {
                "name": "finish",
                "description": "d",
                "parameters": {"type": "object", "properties": {}, "required": []},
            },
        }
    ]
    obs = [{"time": f"t{i}", "result": f"r{i}"} for i in range(4)]
    steps = [(A.api("mail.list"), obs[1]), ("not an action", obs[2]), (A.finish("bye"), obs[3])]
    msgs = prompt.conversation(tools, [], {"instruction": "do it", "time": "t0"}, steps)
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool", "assistant", "user", "assistant"]
    assert msgs[1]["content"].startswith("instruction: do it")
    assert msgs[3]["tool_call_id"] == msgs[2]["tool_calls"][0]["id"] == "call_001"
    assert msgs[2]["tool_calls"][0]["function"] == {"name": "mail__list", "arguments": "{}"}
    assert msgs[4] == {"role": "assistant", "content": "not an action"}
    assert msgs[6]["tool_calls"][0]["id"] == "call_003"
    assert finetuning_problems({"messages": msgs, "tools": tools}) == []


def _long_conversation(turns: int, size: int) -> list[dict[str, Any]]:
    msgs = [
        {"role": "system", "content": "S" * 400},
        {"role": "user", "content": "instruction: pay the bill\n\nevents:\n" + "e" * size},
    ]
    for n in range(1, turns + 1):
        call = {"id": f"call_{n:03d}", "type": "function", "function": {"name": "mail__get", "arguments": "{}"}}
        msgs += [
            {"role": "assistant", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": call["id"], "content": f"result {n}: " + "x" * size},
        ]
    return msgs


def test_context_shortens_old_results_first_then_drops_old_turns_never_the_instruction():
    msgs = _long_conversation(10, 4000)
    assert context.fit(msgs, [], None) is msgs and context.fit(msgs, [], 10**6) is msgs
    full = context.count(msgs)
    mild = context.fit(msgs, [], full - 3000)  # shortening old results is enough
    assert context.count(mild) <= full - 3000 and len(mild) == len(msgs)
    assert "characters cut to fit the context" in mild[3]["content"] and mild[-1] == msgs[-1]
    tight = context.fit(msgs, [], 2500)  # turns must go too
    assert context.count(tight) <= 2500
    assert tight[0] == msgs[0] and tight[1]["content"].startswith("instruction: pay the bill\n\n")
    assert "earlier turns removed to fit the context" in tight[2]["content"]
    assert tight[-2]["tool_calls"][0]["id"] == "call_010"  # the newest turn stays
    calls = {c["id"] for m in tight for c in m.get("tool_calls", [])}
    assert all(m["tool_call_id"] in calls for m in tight if m["role"] == "tool")  # no orphan tool result
    assert msgs[3]["content"].endswith("x")  # the input is untouched
    tiny = context.fit(msgs, [], 300)  # even then, the instruction stays whole
    assert tiny[1]["content"].startswith("instruction: pay the bill\n\n") and len(tiny) == 5


def test_tokens_are_counted_as_documented():
    msg = {"role": "user", "content": "x" * 9}
    assert context.message_tokens(msg) == context.MESSAGE_TOKENS + 3
    img = {"role": "user", "content": [{"type": "text", "text": "abcd"}, {"type": "image_url", "image_url": {}}]}
    assert context.message_tokens(img) == context.MESSAGE_TOKENS + 1 + context.IMAGE_TOKENS


def test_retry_after_reads_seconds_milliseconds_and_dates():
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after({}) is None and retry_after(None) is None
    from email.utils import formatdate

    assert 25 < retry_after({"retry-after": formatdate(time.time() + 30, usegmt=True)}) <= 30


@pytest.mark.parametrize("family", ["bill-pay", "config-fix", "phone-card-check", "xdev-otp-enrol"])
def test_tools_are_toolcallings_with_device_tools_as_the_task_allows(family):
    env = gym.make(f"ClawAnything/{first(family)}-v0")
    obs, _ = env.reset(seed=0)
    offered = {t["function"]["name"]: t for t in tools_for(env)}
    every = {t["function"]["name"]: t for t in tool_schemas(env, obs)}
    assert all(every[name] == t for name, t in offered.items())
    devices = set(env.unwrapped.task.devices)
    assert ("shell" in offered) == ("laptop" in devices) and ("gui" in offered) == ("phone" in devices)
    assert set(every) - set(offered) <= {"shell", "gui"} and {"wait", "finish", "help"} <= set(offered)


def test_settings_travel_in_the_spec_without_the_key(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-secret")
    cfg = LLMConfig(model="m", base_url="http://x/v1", api_key_env="MY_KEY", context_tokens=8000, screen=True)
    assert LLMConfig.from_spec(cfg.spec()) == cfg and "sk-secret" not in cfg.spec()
    assert (
        cfg.api_key() == "sk-secret" and LLMConfig(model="m", base_url="u", api_key_env="NOPE_X").api_key() == "EMPTY"
    )
