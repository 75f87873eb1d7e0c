"""``claw-gym render``: an episode as an animated GIF (or a folder of PNG frames) with captions.

When the task uses the phone (and the env has it on), each frame is the phone screen
(``obs["screen"]``); otherwise a text card of the observation (time, instruction, the last
action and its result, events, service summaries). Under each frame, a caption band: step
number, virtual time and the action.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ..llm.config import add_llm_args
from ..plural import count
from ..textcard import LINE_H, caption, columns, font, text_card, wrap
from .common import CliError, add_env_args, env_kwargs, print_json, resolve_task
from .runner import run_episode

CAPTION_LINES = 4
CARD_SIZE = (360, 640)  # the text card of a task without the phone (W, H)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render",
        help="render an episode as an animated GIF or PNG frames with captions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("task", help="task id")
    p.add_argument("--out", required=True, help="episode.gif, or a directory for PNG frames")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--policy", default="oracle", metavar="SPEC", help="oracle (default), llm or module:callable")
    add_env_args(p)
    p.add_argument("--ms", type=int, default=1200, help="milliseconds per frame in the GIF")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    add_llm_args(p)
    p.set_defaults(func=run)


def pixels(obs: dict[str, Any], action: str | None, screen: bool) -> np.ndarray:
    """The phone screen when the task shows it (``screen``), else a text card of ``obs`` and ``action``."""
    shot = obs.get("screen")
    if screen and isinstance(shot, np.ndarray) and shot.ndim == 3:
        return np.asarray(shot, dtype=np.uint8)
    return text_card(obs, CARD_SIZE, caption(action))


def frame(image: np.ndarray, title: str, text: str) -> Any:
    """``image`` (a screen or a text card) with a caption band underneath."""
    from PIL import Image, ImageDraw

    h, w = image.shape[:2]
    band = (CAPTION_LINES + 1) * LINE_H + 8
    img = Image.new("RGB", (w, h + band), (32, 34, 40))
    img.paste(Image.fromarray(image[:, :, :3]), (0, 0))
    draw = ImageDraw.Draw(img)
    draw.text((8, h + 4), title, font=font(), fill=(150, 200, 255))
    for i, line in enumerate(wrap(text, columns(w - 16), CAPTION_LINES)):
        draw.text((8, h + 4 + (i + 1) * LINE_H), line, font=font(), fill=(235, 235, 235))
    return img


def shows_phone(devices: list[str], env_kwargs: str) -> bool:
    """Frames are the phone screen only for a phone task on an env with its phone on."""
    return "phone" in devices and json.loads(env_kwargs).get("phone", True) is not False


def frames_of(ep: Any, screen: bool) -> list[Any]:
    first = ep.info["instruction"] or "(proactive: nobody asks; watch the events)"
    out = [frame(pixels(ep.obs, None, screen), f"{ep.task_id}  seed {ep.seed}", first)]
    for n, step in enumerate(ep.steps, 1):
        title = f"step {n}  {step.obs.get('time', '')}" + ("" if step.action_ok else "  (error)")
        text = caption(step.action)
        if step.terminated or step.truncated:
            passed = bool(ep.verdict and ep.verdict["passed"])
            title += f"  verdict: {'PASSED' if passed else 'FAILED'}"
        out.append(frame(pixels(step.obs, step.action, screen), title, text))
    return out


def run(args: argparse.Namespace) -> int:
    from .policies import resolve

    spec = resolve_task(args.task)
    kwargs = env_kwargs(args)
    policy = resolve(args.policy, args)
    ep = run_episode(spec.task_id, args.seed, policy, env_kwargs=kwargs, keep_images=True)
    if ep.crash:
        print(f"warning: the policy raised; rendering up to there:\n{ep.crash}", file=sys.stderr)
    screen = shows_phone(ep.info["devices"], kwargs)
    frames = frames_of(ep, screen)
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
    source = "screen" if screen else "text cards"
    if args.json:
        print_json(
            {
                "task_id": spec.task_id,
                "seed": args.seed,
                "frames": len(frames),
                "source": source,
                "passed": ep.passed,
                "files": written,
            }
        )
    else:
        print(
            f"{count(len(frames), 'frame')} ({source}) of {spec.task_id} seed {args.seed} "
            f"({'passed' if ep.passed else 'failed'}) -> {written[0] if len(written) == 1 else str(out) + '/'}"
        )
    return 0
