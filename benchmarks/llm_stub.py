"""The llm agent's own cost: eval throughput against a local stub server replaying the oracle.

The stub (tests/openai_stub_server.py) answers at once, so this measures the harness (prompt
rendering, the HTTP round trip through the ``openai`` client, the env) with no model time;
next to it, the same episodes played by the built-in oracle (no HTTP). Also prints the token
accounting: what the server counted, the harness's estimate, and the calls per episode.

    python benchmarks/llm_stub.py [--per-family 1] [--workers 1]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import gymnasium as gym

import claw_gym
from claw_gym import actions as A
from claw_gym.cli import main
from claw_gym.llm import prompt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from openai_stub_server import StubServer, conversation_key


def tasks(per_family: int) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for s in claw_gym.catalog():
        seen[s.family] = seen.get(s.family, 0) + 1
        if seen[s.family] <= per_family:
            out.append(s.task_id)
    return out


def replay_script(task_ids: list[str]):
    plans = {}
    for t in task_ids:
        env = gym.make(f"ClawAnything/{t}-v0")
        obs, _ = env.reset(seed=0)
        plans[conversation_key({"messages": [{"role": "user", "content": prompt.obs_text(obs, None)}]})] = (
            env.unwrapped.oracle_actions()
        )
        env.close()

    def script(req, turn, attempt):
        plan = plans[conversation_key(req)]
        fn = prompt.tool_call(plan[turn] if turn < len(plan) else A.finish("Done."), turn + 1)["function"]
        return {"tool_calls": [(fn["name"], fn["arguments"])]}

    return script


def run(args: list[str]) -> tuple[dict, float]:
    buf = io.StringIO()
    start = time.perf_counter()
    with redirect_stdout(buf):
        code = main(args)
    seconds = time.perf_counter() - start
    assert code == 0, code
    return json.loads(buf.getvalue()), seconds


def measure() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-family", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args()
    ids = tasks(a.per_family)
    common = ["--tasks", ",".join(ids), "--workers", str(a.workers), "--json"]
    _, oracle_s = run(["eval", "--agent", "oracle", *common])
    with StubServer(replay_script(ids)) as server:
        report, llm_s = run(["eval", "--agent", "llm", "--model", "stub", "--base-url", server.base_url, *common])
    llm = report["llm"]
    eps = len(report["episodes"])
    print(f"{eps} episodes ({len(ids)} tasks, {a.workers} worker(s)), pass@1 {report['overall']['pass@1']:.3f}")
    print(
        f"llm agent vs stub: {llm_s:.1f} s, {eps / llm_s:.2f} episodes/s, {llm['calls'] / llm_s:.1f} calls/s "
        f"({llm['calls']} calls, {llm['calls'] / eps:.1f} per episode)"
    )
    print(f"oracle, no HTTP:   {oracle_s:.1f} s, {eps / oracle_s:.2f} episodes/s")
    print(
        f"tokens (stub's count: messages only, 4 chars each): {llm['prompt_tokens']:,} prompt "
        f"({llm['prompt_tokens'] / llm['calls']:,.0f} per call), {llm['completion_tokens']:,} completion "
        f"({llm['completion_tokens'] / llm['calls']:,.0f} per call)"
    )
    print(
        f"harness estimate of what was sent (tools included): {llm['estimated_prompt_tokens']:,} "
        f"({llm['estimated_prompt_tokens'] / llm['calls']:,.0f} per call)"
    )


if __name__ == "__main__":
    measure()
