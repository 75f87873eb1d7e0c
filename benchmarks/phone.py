"""Phone benchmark: tap + re-render, first render, memory, against a Pillow baseline.

Prints figures; asserts nothing. Run: ``python benchmarks/phone.py [--n 300]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

import numpy as np
from PIL import Image

from claw_gym.devices.phone.demo import demo_phone as make_phone
from claw_gym.devices.phone.gui import SCREEN_SIZE


def ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"median {statistics.median(s) * 1e3:.3f} ms, p90 {s[int(len(s) * 0.9)] * 1e3:.3f} ms"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    n = ap.parse_args().n
    w, h = SCREEN_SIZE

    # baseline: what Pillow costs for a blank frame of the same size, handed over as numpy
    base = timed(lambda: np.asarray(Image.new("RGB", (w, h), (250, 250, 250))), n)
    print(f"baseline  Pillow blank {w}x{h} frame -> numpy: {ms(base)}")

    t = time.perf_counter()
    ph = make_phone()
    ph.frame(SCREEN_SIZE)
    print(f"first render (cold process, fonts load) incl. phone build: {(time.perf_counter() - t) * 1e3:.1f} ms")
    firsts = []
    for seed in range(1, 6):
        p2 = make_phone(seed)
        t = time.perf_counter()
        p2.frame(SCREEN_SIZE)
        firsts.append(time.perf_counter() - t)
    print(f"first render of a new phone (warm process: fonts and shared tiles cached): {ms(firsts)}")

    # tap + re-render: toggle a switch in Settings (a real change: world and one row)
    ph.start_app("com.claw.settings")
    ph.frame(SCREEN_SIZE)
    sw = ph.find("id/switch_bluetooth")
    x, y = sw.center()
    toggle = timed(lambda: (ph.tap(x, y), ph.frame(SCREEN_SIZE)), n)
    print(f"tap + re-render (Settings toggle, {w}x{h}): {ms(toggle)}")

    # navigation: open a list screen and go back (new screen each time, tiles cached)
    ph.key("home")
    icon = ph.find("text=Calendar").center()
    nav = []
    for _ in range(n // 2):
        t = time.perf_counter()
        ph.tap(*icon)
        ph.frame(SCREEN_SIZE)
        nav.append(time.perf_counter() - t)
        ph.key("home")
        ph.frame(SCREEN_SIZE)
    print(f"tap + re-render (open Calendar agenda from home): {ms(nav)}")

    # same screen, nothing changed: cached frame
    same = timed(lambda: ph.frame(SCREEN_SIZE), n)
    print(f"frame of an unchanged screen (cache hit): {ms(same)}")

    # full redraw, no tile cache (what every step would cost without caching)
    ph.start_app("com.claw.calendar")
    r = ph._renderers[SCREEN_SIZE]

    def cold() -> None:
        r.tiles.clear()
        r.last = None
        ph.frame(SCREEN_SIZE)

    print(f"full redraw without tile cache (Calendar agenda): {ms(timed(cold, max(20, n // 5)))}")
    ph.start_app("com.claw.settings")
    shot = timed(lambda: (ph.tap(x, y), ph.screenshot()), max(20, n // 5))
    print(f"tap + device-size screenshot 360x780 (what adb screencap serves): {ms(shot)}")

    # the whole env step for a gui tap (parse, tap, clock, events, obs with screen copy and ui text)
    import gymnasium as gym

    import claw_gym
    from claw_gym import actions as A

    env = gym.make(claw_gym.catalog(family="phone-card-check")[0].env_id, max_steps=10**6)
    env.reset(seed=0)
    env.step(A.tap(element="text=Settings"))
    act = A.tap(element="id/switch_bluetooth")
    print(f"env.step(gui tap by element) incl. observation: {ms(timed(lambda: env.step(act), n))}")
    api = A.api("sms.list", limit=1)
    print(f"env.step(api call) incl. observation, same env: {ms(timed(lambda: env.step(api), n))}")

    # memory: a phone and its world after visiting every app at both sizes; first in a process whose
    # tile cache holds only what the runs above drew, then one more phone once that cache is warm
    def visit(p: object) -> None:
        for pkg in p.apps:
            p.start_app(pkg)
            p.frame(SCREEN_SIZE)
            p.screenshot()
            p.ui_xml()

    for label, seed in (("first phone of these apps", 7), ("another phone, warm tile cache", 8)):
        gc.collect()
        tracemalloc.start()
        snap0 = tracemalloc.take_snapshot()
        p3 = make_phone(seed)
        world_only = tracemalloc.take_snapshot()
        visit(p3)
        gc.collect()
        snap1 = tracemalloc.take_snapshot()
        tracemalloc.stop()
        world_kb = sum(s.size_diff for s in world_only.compare_to(snap0, "filename")) / 1024
        total_kb = sum(s.size_diff for s in snap1.compare_to(snap0, "filename")) / 1024
        print(
            f"memory ({label}): world {world_kb:.0f} KiB; world + phone after all {len(p3.apps)} apps at "
            f"2 sizes {total_kb:.0f} KiB (UI, 2 held frames, new tiles: {total_kb - world_kb:.0f} KiB)"
        )


if __name__ == "__main__":
    main()
