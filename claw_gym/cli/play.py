"""``claw-gym play TASK``: play a task yourself, in the terminal (or from a script on stdin).

Type actions as JSON or in short form (see ':help'); lines starting with ':' are
commands to the player, not actions. After a phone (gui) step the screen is saved as a
PNG and its path printed. Exit status 0 if the episode passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

import gymnasium as gym

from .. import actions as A
from . import shortforms
from .common import add_env_args, env_kwargs, resolve_task

COMMANDS = """player commands:
  :help            this help
  :oracle          show the oracle's next action (its script is fixed at reset: it advances when you
                   take its next action, so a detour of yours can leave its hint stale)
  :oracle run      take that action
  :obs             print the whole current observation
  :screen          save the current phone screen as a PNG (when the observation has one)
  :quit            stop (no verdict unless the episode ended)
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play a task interactively (actions as JSON or short forms)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", help="task id")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--screens", metavar="DIR", help="where phone screens go (default: a new temporary directory)")
    add_env_args(p)
    p.add_argument("--width", type=int, default=2000, help="print at most this many characters of a result")
    p.set_defaults(func=run)


class Session:
    """One episode driven by typed lines; all output goes to ``out``."""

    def __init__(self, task_id: str, seed: int, out: TextIO, screens: str | None, width: int,
                 env_kwargs: str = "{}") -> None:
        import claw_gym  # noqa: F401  (registers the envs)

        self.spec = resolve_task(task_id)
        self.env = gym.make(self.spec.env_id, **json.loads(env_kwargs))
        self.obs, self.info = self.env.reset(seed=seed)
        self.oracle = self.env.unwrapped.oracle_actions()
        self.out, self.width, self.seed = out, width, seed
        self.screens_dir = screens
        self.steps = 0
        self.oracle_pos = 0  # how many of the oracle's actions were taken, in order
        self.done = False
        self.passed = False

    # ---- printing ----------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _cut(self, text: str) -> str:
        return text if len(text) <= self.width else text[: self.width] + f" ...[{len(text) - self.width} more chars]"

    def intro(self) -> None:
        s, i = self.spec, self.info
        self.say(f"task {s.task_id} seed {self.seed}: {s.family}, {s.kind}, difficulty {s.difficulty}, "
                 f"max {s.max_steps} steps; devices: {', '.join(s.devices) or 'none (API only)'}")
        self.say(f"time: {self.obs['time']}")
        self.say(f"instruction: {i['instruction'] or '(none: proactive task; watch the events)'}")
        self.say("services:\n  " + self.obs["services"].replace("\n", "\n  "))
        if self.obs["events"]:
            self.say("recent events:\n  " + self.obs["events"].replace("\n", "\n  "))
        self.say("type an action ('help' lists endpoints; ':help' lists short forms and commands)")

    def show_step(self, action: str, prev: dict[str, Any]) -> None:
        ok = "" if self.info["action_ok"] else "  (error: the world is unchanged)"
        self.say(f"[{self.steps}] {self.obs['time']}{ok}")
        self.say("  " + self._cut(self.obs["result"]).replace("\n", "\n  "))
        if self.obs["events"]:
            self.say("  events:\n    " + self.obs["events"].replace("\n", "\n    "))
        if self.obs["services"] != prev["services"]:
            self.say("  services:\n    " + self.obs["services"].replace("\n", "\n    "))
        if self.info["action_ok"] and A.parse(action).kind == "gui":
            self.save_screen()

    def save_screen(self) -> None:
        screen = self.obs.get("screen")
        if screen is None:
            self.say("  (no phone screen in this observation)")
            return
        from PIL import Image

        if self.screens_dir is None:
            self.screens_dir = tempfile.mkdtemp(prefix="claw-gym-play-")
        path = Path(self.screens_dir) / f"{self.spec.task_id}-seed{self.seed}-step{self.steps:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(screen).save(path)
        self.say(f"  screen: {path}")

    def verdict(self) -> None:
        v = self.info.get("verdict") or {}
        self.passed = bool(v.get("passed"))
        self.say(f"\nepisode over after {self.steps} steps: {'PASSED' if self.passed else 'FAILED'} "
                 f"(score {v.get('score', 0.0):.2f})")
        for c in v.get("checks", []):
            self.say(f"  [{'x' if c['passed'] else ' '}] {c['name']}" + (f" ({c['detail']})" if c["detail"] else ""))
        for violation in v.get("violations", []):
            self.say(f"  violation: {violation}")

    # ---- acting ------------------------------------------------------------------------------
    def act(self, action: str) -> None:
        if self.oracle_pos < len(self.oracle) and _same(action, self.oracle[self.oracle_pos]):
            self.oracle_pos += 1
        prev = self.obs
        self.obs, _, terminated, truncated, self.info = self.env.step(action)
        self.steps += 1
        self.show_step(action, prev)
        if terminated or truncated:
            if truncated:
                self.say(f"  (truncated: the task allows {self.spec.max_steps} steps)")
            self.done = True
            self.verdict()

    def command(self, line: str) -> bool:
        """Run a ':' command; False means quit."""
        word, _, rest = line[1:].strip().partition(" ")
        if word in ("q", "quit", "exit"):
            return False
        if word in ("h", "help", "?"):
            self.say(COMMANDS + "\n" + shortforms.__doc__.strip())
        elif word == "oracle":
            nxt = self.oracle[self.oracle_pos] if self.oracle_pos < len(self.oracle) else None
            if nxt is None:
                self.say("the oracle has no more actions")
            elif rest.strip() == "run":
                self.say(f"oracle: {nxt}")
                self.act(nxt)
            else:
                self.say(f"oracle step {self.oracle_pos + 1} of {len(self.oracle)}: {nxt}")
        elif word == "obs":
            for k, v in self.obs.items():
                shown = v if isinstance(v, str) else f"<{type(v).__name__} {getattr(v, 'shape', '')}>"
                self.say(f"== {k} ==\n{shown}")
        elif word == "screen":
            self.save_screen()
        else:
            self.say(f"unknown command :{word}; try :help")
        return True

    def loop(self, inp: TextIO, echo: bool) -> int:
        self.intro()
        while not self.done:
            self.out.write("claw> ")
            self.out.flush()
            line = inp.readline()
            if not line:
                self.say("\n(end of input)")
                break
            line = line.strip()
            if echo:
                self.say(line)
            if not line or line.startswith("#"):
                continue
            if line.startswith(":"):
                if not self.command(line):
                    break
                continue
            try:
                action = shortforms.parse(line)
            except (shortforms.ShortFormError, A.ActionError) as exc:
                self.say(f"  not an action: {exc}")
                continue
            self.act(action)
        if not self.done:
            self.say(f"no verdict: the episode did not end ({self.steps} steps taken)")
        self.env.close()
        return 0 if self.passed else 1


def _same(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def run(args: argparse.Namespace) -> int:
    session = Session(args.task, args.seed, sys.stdout, args.screens, args.width, env_kwargs(args))
    return session.loop(sys.stdin, echo=not sys.stdin.isatty())


__all__ = ["Session", "run"]
