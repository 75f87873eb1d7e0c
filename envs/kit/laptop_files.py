"""The laptop: shell steps for oracles, files the agent wrote, and config files the person's tools read.

Shell steps quote with ``shlex`` so that texts with quotes or ``$`` reach ``claw`` intact. Configs are
read as their own parser reads them (:func:`claw_gym.tasks.values.read_config`), never by text match.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

from claw_gym import actions as A
from claw_gym.services import ServiceError
from claw_gym.services.files import clean_path
from claw_gym.tasks import Grader, values
from claw_gym.world import World

from . import views


def claw(call: str, **args: Any) -> str:
    """A laptop step calling any endpoint through ``claw api`` (exact JSON arguments)."""
    return A.shell(f"claw api {call} --json {shlex.quote(json.dumps(args, ensure_ascii=False))}")


def write_file(path: str, content: str) -> str:
    """A laptop step writing ``~/path`` (parents created) from a literal text."""
    parent = path.rsplit("/", 1)[0] if "/" in path else "."
    return A.shell(
        f"cd ~ && mkdir -p {shlex.quote(parent)} && printf %s {shlex.quote(content)} > {shlex.quote(path)}"
        f" && cat {shlex.quote(path)}"
    )


def first_written(world: World, path: str, holds: Callable[[str], bool]) -> int | None:
    """When the file at ``path`` first held content for which ``holds`` is true, by any door.

    Read from the audit log (the laptop's shell syncs its writes through ``files.write``, as the
    API does; a move onto the path counts too), so a line written at t=0 and kept shows t=0:
    the time a proactive checker compares with its trigger.
    """
    files = views.files(world)
    for e in world.audit.entries:
        if not e.ok:
            continue
        if (
            e.call == "files.write"
            and _same_path(str(e.args.get("path", "")), path)
            and holds(str(e.args.get("content", "")))
        ):
            return e.time
        if e.call == "files.move" and _same_path(str(e.args.get("dst", "")), path):  # content as it is now
            rec = files.find(path)
            if rec is not None and holds(rec["content"]):
                return e.time
    return None


def _same_path(a: str, b: str) -> bool:
    try:
        return clean_path(a) == clean_path(b)
    except ServiceError:  # a path the service refused: never the file
        return False


def parse_conf(text: str) -> dict[str, str]:
    """The settings as an INI parser reads them (inline comments, quotes); {} if the file doesn't parse."""
    try:
        return values.read_config(text)
    except ValueError:
        return {}


def expect_config_fixed(
    world: World,
    g: Grader,
    path: str,
    key: str,
    want: str,
    before: dict[str, str],
    *,
    fixed: tuple[str, str],
    rest: tuple[str, str],
) -> None:
    """Two checks on the config at ``path``: ``key`` reads as ``want`` (as the file's parser reads it),
    and every other key of ``before`` is unchanged. ``fixed`` and ``rest`` are each check's
    (name, because)."""
    rec = views.files(world).find(path)
    conf = parse_conf(rec["content"]) if rec else {}
    missing = f"no {path.rsplit('/', 1)[-1]}"
    g.expect(
        fixed[0],
        values.same_setting(conf.get(key), want),
        missing if rec is None else f"{key} = {conf.get(key)!r}",
        because=fixed[1],
    )
    others = [k for k in before if k != key]
    changed = sorted(k for k in others if not values.same_setting(conf.get(k), before[k]))
    g.expect(
        rest[0],
        rec is not None and not changed,
        missing
        if rec is None
        else (f"changed: {', '.join(changed)}" if changed else f"{', '.join(others)} as they were"),
        because=rest[1],
    )
