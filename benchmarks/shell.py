"""Laptop shell figures: step cost vs a bare pexpect bash, sandbox start, processes and memory.

    python benchmarks/shell.py [--n 300]

Prints medians measured in the same run (interleaved, so machine load hits both
sides alike). Not a test: no assertion on timings.
"""

from __future__ import annotations

import argparse
import statistics
import time

import gymnasium as gym
import pexpect

import claw_gym
from claw_gym import actions as A


def bare_bash() -> pexpect.spawn:
    child = pexpect.spawn("bash", ["--norc", "--noprofile", "--noediting"], echo=False, encoding=None,
                          env={"PS1": "\x1eP:$?\x1f", "PATH": "/usr/bin:/bin"})
    child.delaybeforesend = None
    child.expect(b"\x1eP:\\d+\x1f")
    return child


def bare_round_trip(child: pexpect.spawn) -> float:
    t = time.perf_counter()
    child.send(b"echo hi\n")
    child.expect(b"\x1eP:\\d+\x1f")
    return time.perf_counter() - t


def step_time(env: gym.Env, action: str) -> float:
    t = time.perf_counter()
    env.step(action)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--starts", type=int, default=15)
    args = ap.parse_args()
    task = claw_gym.catalog(family="downloads-cleanup")[0].env_id

    env = gym.make(task, max_steps=10 ** 6)
    env.reset(seed=0)
    env.step(A.shell("true"))
    laptop = env.unwrapped._laptop
    bare = bare_bash()
    echo, api = A.shell("echo hi"), A.api("files.list", limit=1)
    b, s, r, a = [], [], [], []
    for _ in range(args.n):  # interleaved: bare bash, env step, laptop.run alone, API step
        b.append(bare_round_trip(bare))
        s.append(step_time(env, echo))
        t = time.perf_counter()
        laptop.run("echo hi")
        r.append(time.perf_counter() - t)
        a.append(step_time(env, api))
    bare.close(force=True)
    med = {k: statistics.median(v) * 1000 for k, v in (("bare", b), ("step", s), ("run", r), ("api", a))}
    print(f"echo hi, median of {args.n}:")
    print(f"  bare pexpect bash round trip  {med['bare']:.3f} ms")
    print(f"  laptop.run (sandbox + sync)   {med['run']:.3f} ms   ({med['run'] / med['bare']:.2f}x bare)")
    print(f"  env.step shell action         {med['step']:.3f} ms   ({med['step'] / med['bare']:.2f}x bare)")
    print(f"  env.step api action (ref.)    {med['api']:.3f} ms")
    env.close()

    firsts, resets = [], []
    for seed in range(args.starts):
        t = time.perf_counter()
        env.reset(seed=seed)
        resets.append(time.perf_counter() - t)
        firsts.append(step_time(env, echo))
    print(f"first shell action (sandbox start + home), median of {args.starts}: "
          f"{statistics.median(firsts) * 1000:.1f} ms (reset alone {statistics.median(resets) * 1000:.1f} ms)")
    env.close()

    print("peak per episode (oracle run; sandbox processes incl. bwrap, their RSS):")
    for fam in ("statement-reconcile", "document-request", "downloads-cleanup", "config-fix"):
        e = gym.make(claw_gym.catalog(family=fam)[0].env_id)
        e.reset(seed=0)
        peak_p = peak_m = 0
        for act in e.unwrapped.oracle_actions():
            lp = e.unwrapped._laptop
            if lp is not None:
                u = lp.usage()
                peak_p, peak_m = max(peak_p, u["processes"]), max(peak_m, u["rss_kb"])
            *_, info = e.step(act)
        print(f"  {fam:<20} passed={info['verdict']['passed']}  processes={peak_p}  rss={peak_m / 1024:.1f} MiB")
        e.close()


if __name__ == "__main__":
    main()
