"""``claw-gym render``: an episode as an animated GIF (or a folder of PNG frames) with captions.

When the env's observations carry the phone screen (``obs["screen"]``, an H x W x 3 uint8
array) each frame is that screen; otherwise a text card of the observation (time, events,
result). Under each frame, a caption band: step number, virtual time and the action.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from .. import actions as A
from .common import CliError, add_env_args, env_kwargs, print_json, resolve_task
from .runner import run_episode

CARD = (360, 640)  # text card size (W, H) when there is no phone screen
CAPTION_LINES = 4
LINE_H = 16
FONT_SIZE = 13
BG, FG, DIM, ACCENT = (250, 250, 247), (30, 30, 30), (110, 110, 110), (24, 96, 170)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render an episode as an animated GIF or PNG frames with captions",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", help="task id")
    p.add_argument("--out", required=True, help="episode.gif, or a directory for PNG frames")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--policy", default="oracle", metavar="SPEC", help="oracle (default) or module:callable")
    add_env_args(p)
    p.add_argument("--ms", type=int, default=1200, help="milliseconds per frame in the GIF")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(func=run)


def _font(size: int = FONT_SIZE) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    out: list[str] = []
    for para in text.splitlines() or [""]:
        out.extend(textwrap.wrap(para, width) or [""])
        if len(out) >= lines:
            break
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 3] + "..."
    return out[:lines]


def text_card(obs: dict[str, Any], size: tuple[int, int] = CARD) -> np.ndarray:
    """An observation drawn as a card: time, instruction, new events and the result."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, BG)
    draw = ImageDraw.Draw(img)
    font, big = _font(), _font(FONT_SIZE + 3)
    cols = max(20, size[0] // 7)
    y = 10
    draw.text((10, y), obs.get("time", ""), font=big, fill=ACCENT)
    y += 26
    sections = [("instruction", obs.get("instruction", ""), 4), ("events", obs.get("events", ""), 12),
                ("result", obs.get("result", ""), 16), ("services", obs.get("services", ""), 10)]
    for title, text, max_lines in sections:
        if not text or y > size[1] - 3 * LINE_H:
            continue
        draw.text((10, y), title, font=font, fill=DIM)
        y += LINE_H
        for line in _wrap(text, cols, min(max_lines, (size[1] - y) // LINE_H - 1)):
            draw.text((14, y), line, font=font, fill=FG)
            y += LINE_H
        y += 6
    return np.asarray(img)


def caption(action: str) -> str:
    """A short human caption of an action (``api calendar.update_event id=e0003 ...``)."""
    try:
        a = A.parse(action)
    except A.ActionError:
        return f"(invalid) {action}"
    if a.kind == "api":
        args = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in a.fields["args"].items())
        return f"api {a.fields['call']} {args}".strip()
    if a.kind == "gui":
        rest = " ".join(str(v) for k, v in a.fields.items() if k != "op")
        return f"{a.fields['op']} {rest}".strip()
    if a.kind == "shell":
        return f"$ {a.fields['cmd']}"
    if a.kind == "wait":
        return f"wait {a.fields['seconds']} s"
    return f"finish: {a.fields.get('message', '')}"


def frame(obs: dict[str, Any], title: str, text: str) -> Any:
    """The screen (or a text card) with a caption band underneath."""
    from PIL import Image, ImageDraw

    screen = obs.get("screen")
    pixels = np.asarray(screen, dtype=np.uint8) if isinstance(screen, np.ndarray) and screen.ndim == 3 \
        else text_card(obs)
    h, w = pixels.shape[:2]
    band = (CAPTION_LINES + 1) * LINE_H + 8
    img = Image.new("RGB", (w, h + band), (32, 34, 40))
    img.paste(Image.fromarray(pixels[:, :, :3]), (0, 0))
    draw = ImageDraw.Draw(img)
    font = _font()
    draw.text((8, h + 4), title, font=font, fill=(150, 200, 255))
    for i, line in enumerate(_wrap(text, max(20, w // 7), CAPTION_LINES)):
        draw.text((8, h + 4 + (i + 1) * LINE_H), line, font=font, fill=(235, 235, 235))
    return img


def frames_of(ep: Any) -> list[Any]:
    first = ep.info["instruction"] or "(proactive: nobody asks; watch the events)"
    out = [frame(ep.obs, f"{ep.task_id}  seed {ep.seed}", first)]
    for n, step in enumerate(ep.steps, 1):
        title = f"step {n}  {step.obs.get('time', '')}" + ("" if step.action_ok else "  (error)")
        text = caption(step.action)
        if step.terminated or step.truncated:
            passed = bool(ep.verdict and ep.verdict["passed"])
            title += f"  verdict: {'PASSED' if passed else 'FAILED'}"
        out.append(frame(step.obs, title, text))
    return out


def run(args: argparse.Namespace) -> int:
    spec = resolve_task(args.task)
    ep = run_episode(spec.task_id, args.seed, args.policy, env_kwargs=env_kwargs(args), keep_images=True)
    if ep.crash:
        print(f"warning: the policy raised; rendering up to there:\n{ep.crash}", file=sys.stderr)
    frames = frames_of(ep)
    out = Path(args.out)
    if out.suffix.lower() == ".gif":
        out.parent.mkdir(parents=True, exist_ok=True)
        durations = [args.ms] * (len(frames) - 1) + [args.ms * 3]  # hold the verdict
        frames[0].save(out, save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=False)
        written = [str(out)]
    elif out.suffix:
        raise CliError(f"--out must end in .gif or be a directory, got {args.out!r}")
    else:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for i, img in enumerate(frames):
            path = out / f"frame_{i:03d}.png"
            img.save(path)
            written.append(str(path))
    source = "screen" if "screen" in ep.obs else "text cards"
    if args.json:
        print_json({"task_id": spec.task_id, "seed": args.seed, "frames": len(frames), "source": source,
                    "passed": ep.passed, "files": written})
    else:
        print(f"{len(frames)} frames ({source}) of {spec.task_id} seed {args.seed} "
              f"({'passed' if ep.passed else 'failed'}) -> {written[0] if len(written) == 1 else str(out) + '/'}")
    return 0
