"""Wrapped step against raw step: the cost of the action menu and the hashed features.

    python benchmarks/wrapped_step.py [--steps 600] [--repeats 3]

A menu agent picks random valid slots in ``make_rl_env("ClawAnything-v0")``; the raw env then
replays the same action strings from the same seeds (see benchmarks/wrappers.py). Per-step CPU
time of this process, resets excluded; medians over repeats (the machine is shared: compare
figures of one run only).
"""

from __future__ import annotations

import argparse
import statistics

from wrappers import raw_run, wrapped_run


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    runs = []
    for r in range(a.repeats):
        wrapped, episodes = wrapped_run(a.steps, seed=100 * r)
        raw = raw_run(episodes)
        runs.append(
            (statistics.median(wrapped), statistics.median(raw), statistics.fmean(wrapped), statistics.fmean(raw))
        )
    mw, mr, aw, ar = (statistics.median(run[i] for run in runs) for i in range(4))
    print(f"median step: wrapped {mw * 1e6:.0f} us, raw {mr * 1e6:.0f} us (x{mw / mr:.2f})")
    print(
        f"mean step: wrapped {aw * 1e6:.0f} us = {1 / aw:.0f} steps/s, raw {ar * 1e6:.0f} us = {1 / ar:.0f} steps/s "
        f"(x{aw / ar:.2f})"
    )


if __name__ == "__main__":
    main()
