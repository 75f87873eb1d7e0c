"""Replay a phone task's scripted solution and save every screen as a PNG.

python examples/phone_frames.py --task phone-card-check-alert-0000 --seed 0 --out frames/
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import gymnasium as gym
from PIL import Image

import claw_gym


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default=claw_gym.catalog(family="phone-card-check")[0].task_id)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="frames")
    ap.add_argument("--width", type=int, default=360, help="frame width; height keeps the 360x780 aspect")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    size = (args.width, round(args.width * 780 / 360))
    env = gym.make(f"ClawAnything/{args.task}-v0", screen_size=size)
    obs, info = env.reset(seed=args.seed)
    print(info["instruction"] or "(proactive: no instruction)")
    Image.fromarray(obs["screen"]).save(out / "000.png")
    for i, action in enumerate(env.unwrapped.oracle_actions(), 1):
        obs, reward, terminated, truncated, info = env.step(action)
        Image.fromarray(obs["screen"]).save(out / f"{i:03d}.png")
        print(f"{i:03d} {json.loads(action)['kind']:6} {obs['result'][:90]}")
        if terminated or truncated:
            break
    print("verdict:", info["verdict"]["passed"], "frames in", out)


if __name__ == "__main__":
    main()
