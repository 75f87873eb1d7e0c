"""Laptop shell figures: step cost vs a bare pexpect bash, sandbox start, processes and memory.

    python benchmarks/shell.py [--n 300]

Prints medians measured in the same run (interleaved, so machine load hits both
sides alike). Not a test: no assertion on timings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time

import gymnasium as gym
import pexpect

import claw_gym
from claw_gym import actions as A


def bare_bash() -> pexpect.spawn:
    child = pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "--noediting"],
        echo=False,
        encoding=None,
        env={"PS1": "\x1eP:$?\x1f", "PATH": "/usr/bin:/bin"},
    )
    child.delaybeforesend = None
    child.expect(b"\x1eP:\\d+\x1f")
    return child


def bare_round_trip(child: pexpect.spawn) -> float:
    t = time.perf_counter()
    child.send(b"echo hi\n")
    child.expect(b"\x1eP:\\d+\x1f")
    return time.perf_counter() - t


def raw_round_trip(child: pexpect.spawn) -> float:
    """The same bare bash, read with os.read instead of expect(): the floor for any pty round trip."""
    t = time.perf_counter()
    os.write(child.child_fd, b"echo hi\n")
    buf = b""
    while not buf.endswith(b"\x1f"):
        buf += os.read(child.child_fd, 4096)
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

    env = gym.make(task, max_steps=10**6)
    env.reset(seed=0)
    env.step(A.shell("true"))
    laptop = env.unwrapped.laptop
    bare = bare_bash()
    echo, api = A.shell("echo hi"), A.api("files.list", limit=1)
    b, raw, s, r, a = [], [], [], [], []

    def run_laptop() -> float:
        t = time.perf_counter()
        laptop.run("echo hi")
        return time.perf_counter() - t

    probes = [
        (b, lambda: bare_round_trip(bare)),
        (raw, lambda: raw_round_trip(bare)),
        (s, lambda: step_time(env, echo)),
        (r, run_laptop),
        (a, lambda: step_time(env, api)),
    ]
    for i in range(args.n):  # interleaved, order rotated each round: load and wake-ups hit all alike
        for k in range(len(probes)):
            out, probe = probes[(i + k) % len(probes)]
            out.append(probe())
    bare.close(force=True)
    med = {k: statistics.median(v) * 1000 for k, v in (("bare", b), ("raw", raw), ("step", s), ("run", r), ("api", a))}
    print(f"echo hi, median of {args.n}:")
    print(f"  bare pexpect bash round trip  {med['bare']:.3f} ms   (pexpect send + expect on the prompt)")
    print(f"  same bash, raw pty read       {med['raw']:.3f} ms   (os.write/os.read: the floor)")
    print(f"  laptop.run (sandbox + sync)   {med['run']:.3f} ms   ({med['run'] / med['bare']:.2f}x bare)")
    print(
        f"  env.step shell action         {med['step']:.3f} ms   ({med['step'] / med['bare']:.2f}x bare, "
        f"{med['step'] / med['raw']:.2f}x raw)"
    )
    print(f"  env.step api action (ref.)    {med['api']:.3f} ms")
    env.close()

    firsts, resets = [], []
    for seed in range(args.starts):
        t = time.perf_counter()
        env.reset(seed=seed)
        resets.append(time.perf_counter() - t)
        firsts.append(step_time(env, echo))
    print(
        f"first shell action (sandbox start + home), median of {args.starts}: "
        f"{statistics.median(firsts) * 1000:.1f} ms (reset alone {statistics.median(resets) * 1000:.1f} ms)"
    )
    env.close()

    print("peak per episode (oracle run, sampled every 2 ms; sandbox processes incl. bwrap, their RSS):")
    for fam in ("statement-reconcile", "document-request", "downloads-cleanup", "config-fix"):
        e = gym.make(claw_gym.catalog(family=fam)[0].env_id)
        e.reset(seed=0)
        peak = {"processes": 0, "rss_kb": 0}
        done = threading.Event()

        def sample(env_: gym.Env = e, done: threading.Event = done, peak: dict[str, int] = peak) -> None:
            while not done.wait(0.002):
                lp = env_.unwrapped.laptop
                if lp is not None and lp.shell is not None:
                    u = lp.usage()
                    for k in peak:
                        peak[k] = max(peak[k], u[k])

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        for act in e.unwrapped.oracle_actions():
            *_, info = e.step(act)
        done.set()
        th.join()
        print(
            f"  {fam:<20} passed={info['verdict']['passed']}  processes={peak['processes']}  "
            f"rss={peak['rss_kb'] / 1024:.1f} MiB"
        )
        e.close()


if __name__ == "__main__":
    main()
