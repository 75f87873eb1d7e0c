"""Helpers for the cross-device ("dual-") families: laptop shell steps and phone-side readers.

Shell steps are built with ``shlex`` quoting so that texts with quotes or ``$`` reach
``claw`` intact; the checkers read the phone's device-only state (calls, contacts,
alarms, settings) and the texts the person sent, with numbers compared digit by digit.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym.devices.phone import script as S
from claw_gym.events import Event
from claw_gym.tasks import Ctx
from claw_gym.world import World

from . import _kit as K


def number(ctx: Ctx, area: str = "555") -> str:
    """A fresh phone number in the persona's format (seeded)."""
    return f"+1 {area} {int(ctx.rng.integers(200, 999))} {int(ctx.rng.integers(1000, 9999))}"


def claw(call: str, **args: Any) -> str:
    """A laptop step calling any endpoint through ``claw api`` (exact JSON arguments)."""
    return A.shell(f"claw api {call} --json {shlex.quote(json.dumps(args, ensure_ascii=False))}")


def write_file(path: str, content: str) -> str:
    """A laptop step writing ``~/path`` (parents created) from a literal text."""
    parent = path.rsplit("/", 1)[0] if "/" in path else "."
    return A.shell(f"cd ~ && mkdir -p {shlex.quote(parent)} && printf %s {shlex.quote(content)} > {shlex.quote(path)}"
                   f" && cat {shlex.quote(path)}")


def arrive_notification(ctx: Ctx, t: int, app: str, title: str, text: str) -> str:
    """A notification of a phone app (device-only: no other door shows it) posted at ``t``."""
    rid = K.reserve(ctx.svc("phone"), "notifications")
    rec = {"id": rid, "time": t, "app": app, "package": "", "actions": [], "title": title, "text": text,
           "dismissed": False, "response": None}
    ctx.world.schedule(Event(t, "phone", "notification", f"{app}: {title}", "notifications", rec))
    return rid


def arrive_file(ctx: Ctx, t: int, path: str, content: str) -> str:
    """A file that lands in the laptop's home at ``t`` (a download, a synced share)."""
    rid = K.reserve(ctx.svc("files"), "files")
    rec = {"id": rid, "path": path, "content": content, "modified": t}
    ctx.world.schedule(Event(t, "files", "file.saved", f"new file ~/{path}", "files", rec))
    return rid


def texts_out(world: World, to: str | None = None, after: int | None = None) -> list[dict]:
    """Outgoing SMS (to a number, digit-compared), optionally from a time on."""
    out = [m for m in world.services["sms"].table("messages").values() if m["direction"] == "out"
           and (to is None or K.norm_phone(m["number"]) == K.norm_phone(to))
           and (after is None or m["time"] >= after)]
    return sorted(out, key=lambda m: (m["time"], m["id"]))


def calls_out(world: World, to: str, after: int) -> list[dict]:
    """Calls the phone placed to a number from a time on."""
    return [c for c in world.services["phone"].table("calls").values() if c["direction"] == "out"
            and K.norm_phone(c["number"]) == K.norm_phone(to) and c["time"] >= after]


def phone_contacts_with(world: World, name: str) -> list[dict]:
    """Contacts stored on the phone whose name contains ``name`` (case-insensitive)."""
    low = name.lower()
    return [c for c in world.services["phone"].table("contacts").values() if low in c["name"].lower()]


def no_phone(actions: list[str]) -> list[str]:
    """The same plan without any phone step (what an agent that never touches the phone does)."""
    return [a for a in actions if json.loads(a)["kind"] != "gui"]


def fill_template(text: str, **values: str) -> str:
    """Replace ``{{key}}`` placeholders (what a person does with a notes template)."""
    for k, v in values.items():
        text = text.replace("{{" + k + "}}", v)
    return text


def text_from_phone(to: str, body: str) -> list[str]:
    """Phone steps: Messages, new message to a number, send."""
    return [*S.open_app("Messages"), S.tap("id/new_message"), *S.fill("recipient", to),
            *S.fill("compose_text", body), S.tap("id/send")]
