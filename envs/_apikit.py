"""Small helpers of the api/laptop/phone families of wave 2 (arrivals _kit.py lacks, audit readers).

Kept apart from ``_kit.py`` so parallel edits merge cleanly; each helper is generic.
"""

from __future__ import annotations

from typing import Any

from claw_gym.events import Event
from claw_gym.tasks import Ctx
from claw_gym.world import World

from . import _kit as K


def arrive_chat(ctx: Ctx, t: int, channel: str, sender: str, text: str) -> str:
    """A chat message that lands in a channel when the clock passes ``t``."""
    rid = K.reserve(ctx.svc("chat"), "messages")
    rec = {"id": rid, "time": t, "channel": channel, "sender": sender, "text": text}
    ctx.world.schedule(Event(t, "chat", "chat.message", f"#{channel} {sender}: {text[:60]}", "messages", rec))
    return rid


def arrive_device_log(ctx: Ctx, t: int, kind: str, app: str, text: str, device: str = "phone") -> str:
    """A line in the device log (a sign-in, an install) when the clock passes ``t``."""
    rid = K.reserve(ctx.svc("device"), "log")
    rec = {"id": rid, "time": t, "device": device, "kind": kind, "app": app, "text": text}
    ctx.world.schedule(Event(t, "device", f"device.{kind}", f"{app}: {text[:60]}", "log", rec))
    return rid


def arrive_missed_call(ctx: Ctx, t: int, number: str) -> str:
    """A missed call in the phone's call log when the clock passes ``t``."""
    rid = K.reserve(ctx.svc("phone"), "calls")
    rec = {"id": rid, "time": t, "number": number, "direction": "in", "duration": 0, "missed": True}
    ctx.world.schedule(Event(t, "phone", "call.missed", f"missed call from {number}", "calls", rec))
    return rid


def setting_at(world: World, key: str, t: int, initial: bool) -> bool:
    """A phone setting's value at virtual time ``t``, replayed from the audit log."""
    value = initial
    for e in world.audit.calls("phone.set_setting"):
        if e.time <= t and e.args.get("name") == key:
            value = bool(e.args.get("on"))
    return value


def setting_changes(world: World, key: str) -> list[tuple[int, bool]]:
    """(time, value) of every successful change of one phone setting."""
    return [(e.time, bool(e.args.get("on"))) for e in world.audit.calls("phone.set_setting")
            if e.args.get("name") == key]


def mutations(world: World, service: str, after: int | None = None) -> list[Any]:
    """Successful mutating calls into one service (any door), optionally from a time on."""
    svc = world.services[service]
    names = {f"{service}.{n}" for n, ep in svc.endpoints.items() if ep.mutates}
    return [e for e in world.audit.entries if e.ok and e.call in names and (after is None or e.time >= after)]


def id_number(rid: str) -> int:
    digits = "".join(c for c in rid if c.isdigit())
    return int(digits) if digits else -1


def new_rows(world: World, service: str, table: str, first: str) -> list[dict]:
    """Records the agent made: ids from ``first`` (the table's next id when the family built the world) on,
    minus the ones the timeline brought (background life, arrivals)."""
    skip = K.timeline_ids(world, service, table)
    n = id_number(first)
    return [r for i, r in world.services[service].table(table).items() if id_number(i) >= n and i not in skip]
