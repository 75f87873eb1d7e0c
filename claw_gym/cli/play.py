"""``claw-gym play TASK``: play a task yourself, in the terminal (or from a script on stdin).

Type actions as JSON or in short form (see ':help'); lines starting with ':' are
commands to the player, not actions. After a phone (gui) step the element listing (``ui``)
is printed and the screen saved as a PNG, its path printed (in a temporary directory removed
at exit, unless --screens).
The episode text names neither the task nor its family, as an agent sees it; both are
printed with the verdict. Exit status 0 if the episode passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import gymnasium as gym

from .. import actions as A
from ..plural import count
from . import shortforms
from .common import add_env_args, env_kwargs, resolve_task

if TYPE_CHECKING:
    from ..env import ClawEnv

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
    p = sub.add_parser(
        "play",
        help="play a task interactively (actions as JSON or short forms)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("task", help="task id")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--screens",
        metavar="DIR",
        help="where phone screens go, kept (default: a temporary directory, removed at exit)",
    )
    add_env_args(p)
    p.add_argument("--width", type=int, default=2000, help="print at most this many characters of a result")
    p.set_defaults(func=run)


class Session:
    """One episode driven by typed lines; all output goes to ``out``."""

    def __init__(
        self, task_id: str, seed: int, out: TextIO, screens: str | None, width: int, env_kwargs: str = "{}"
    ) -> None:
        import claw_gym  # noqa: F401  (registers the envs)

        self.spec = resolve_task(task_id)
        self.env = gym.make(self.spec.env_id, **json.loads(env_kwargs))
        self.obs, self.info = self.env.reset(seed=seed)
        self.oracle = cast("ClawEnv", self.env.unwrapped).oracle_actions()
        self.out, self.width, self.seed = out, width, seed
        self.screens_dir = screens
        self.temp_screens: str | None = None  # made on the first screen when no --screens; removed by close()
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
        """What an agent knows at the start; the task id and family wait for the verdict."""
        s, i = self.spec, self.info
        self.say(
            f"new episode, seed {self.seed}: difficulty {s.difficulty}, max {s.max_steps} steps; "
            f"devices needed: {', '.join(s.devices) or 'none (the API does it all; the phone and laptop still answer)'}"
        )
        self.say(f"time: {self.obs['time']}")
        self.say(f"instruction: {i['instruction'] or '(none: proactive task; watch the events)'}")
        self.say("services:\n  " + self.obs["services"].replace("\n", "\n  "))
        if self.obs["events"]:
            self.say("recent events:\n  " + self.obs["events"].replace("\n", "\n  "))
        self.say("type an action ('help' lists endpoints; ':help' lists short forms and commands)")

    def show_step(self, action: str, prev: dict[str, Any]) -> None:
        ok = "" if self.info["action_ok"] else "  (error: the world is unchanged)"
        self.say(f"[{self.steps}] {self.obs['time']}{ok}")
        listing = endpoint_lines(action, self.obs["result"]) if self.info["action_ok"] else None
        result = "\n".join(listing) if listing is not None else self._cut(self.obs["result"])
        self.say("  " + result.replace("\n", "\n  "))
        if self.obs["events"]:
            self.say("  events:\n    " + self.obs["events"].replace("\n", "\n    "))
        changed = changed_lines(prev["services"], self.obs["services"])
        if changed:
            self.say("  services changed:\n    " + "\n    ".join(changed))
        if self.info["action_ok"] and A.parse(action).kind == "gui":
            ui = self.obs.get("ui")
            if ui:  # the element listing the agent reads (players asked for it next to the PNG)
                self.say("  ui:\n    " + self._cut(str(ui)).replace("\n", "\n    "))
            self.save_screen()

    def save_screen(self) -> None:
        screen = self.obs.get("screen")
        if screen is None:
            self.say("  (no phone screen in this observation)")
            return
        from PIL import Image

        if self.screens_dir is None:
            self.screens_dir = self.temp_screens = tempfile.mkdtemp(prefix="claw-gym-play-")
        # named without the task id (the player is not told it); a digest keeps tasks apart in one --screens dir
        digest = hashlib.sha1(self.spec.task_id.encode()).hexdigest()[:8]
        path = Path(self.screens_dir) / f"play-{digest}-seed{self.seed}-step{self.steps:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(screen).save(path)
        self.say(f"  screen: {path}")

    def reveal(self) -> None:
        s = self.spec
        self.say(f"task {s.task_id} (family {s.family}, {s.kind}, variant {s.variant})")

    def verdict(self) -> None:
        v = self.info.get("verdict") or {}
        self.passed = bool(v.get("passed"))
        self.say(
            f"\nepisode over after {count(self.steps, 'step')}: {'PASSED' if self.passed else 'FAILED'} "
            f"(score {v.get('score', 0.0):.2f})"
        )
        self.reveal()
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
        """Read and run lines until the episode ends, the input ends or :quit. Whatever ends it
        (Ctrl-C included), the env is closed and a temporary screen directory removed."""
        try:
            return self._loop(inp, echo)
        finally:
            self.close()

    def close(self) -> None:
        self.env.close()
        if self.temp_screens is not None:
            shutil.rmtree(self.temp_screens, ignore_errors=True)
            self.screens_dir = self.temp_screens = None

    def _loop(self, inp: TextIO, echo: bool) -> int:
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
            # no reveal: players replay a script one action longer each time, and the family and
            # variant would tell them what the task is about mid-episode
            self.say(f"no verdict: the episode did not end ({count(self.steps, 'step')} taken)")
        if self.temp_screens is not None:
            self.say(f"(screens in {self.temp_screens} are removed now; keep them with --screens DIR)")
        return 0 if self.passed else 1


def endpoint_lines(action: str, result: str) -> list[str] | None:
    """The result of an ``api help`` call as one endpoint a line (None for any other action)."""
    a = A.parse(action)
    if a.kind != "api" or a.fields["call"] != "help":
        return None
    try:
        listing = json.loads(result)
    except ValueError:
        return None
    if not isinstance(listing, dict) or not isinstance(listing.get("services"), dict):
        return None
    lines = [f"usage: {listing['usage']}"] if "usage" in listing else []
    for signatures in listing["services"].values():
        lines.extend(str(sig) for sig in signatures)
    phone_only = listing.get("phone_only")
    if isinstance(phone_only, dict):
        lines.extend(f"{name}.*: {why}" for name, why in phone_only.items())
    return lines


def changed_lines(before: str, after: str) -> list[str]:
    """The service summary lines of ``after`` that ``before`` doesn't have (one line per service)."""
    old = set(before.splitlines())
    return [line for line in after.splitlines() if line not in old]


def _same(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def run(args: argparse.Namespace) -> int:
    session = Session(args.task, args.seed, sys.stdout, args.screens, args.width, env_kwargs(args))
    return session.loop(sys.stdin, echo=not sys.stdin.isatty())


__all__ = ["Session", "run"]
