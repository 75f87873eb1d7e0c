"""The phone: steps an oracle takes on it, and its device-only state (texts, calls, contacts, settings).

Numbers are compared digit by digit (:func:`.notation.norm_phone`); settings are replayed from the
audit log, so a checker can ask what a setting was at a given time.
"""

from __future__ import annotations

import json

from claw_gym.devices.phone import script as S
from claw_gym.world import World

from .notation import norm_phone


def text_from_phone(to: str, body: str) -> list[str]:
    """Phone steps: Messages, new message to a number, send."""
    return [
        *S.open_app("Messages"),
        S.tap("id/new_message"),
        *S.fill("recipient", to),
        *S.fill("compose_text", body),
        S.tap("id/send"),
    ]


def no_phone(actions: list[str]) -> list[str]:
    """The same plan without any phone step (what an agent that never touches the phone does)."""
    return [a for a in actions if json.loads(a)["kind"] != "gui"]


def texts_out(world: World, to: str | None = None, after: int | None = None) -> list[dict]:
    """Outgoing SMS (to a number, digit-compared), optionally from a time on, oldest first."""
    out = [
        m
        for m in world.services["sms"].table("messages").values()
        if m["direction"] == "out"
        and (to is None or norm_phone(m["number"]) == norm_phone(to))
        and (after is None or m["time"] >= after)
    ]
    return sorted(out, key=lambda m: (m["time"], m["id"]))


def calls_out(world: World, to: str, after: int) -> list[dict]:
    """Calls the phone placed to a number from a time on."""
    return [
        c
        for c in world.services["phone"].table("calls").values()
        if c["direction"] == "out" and norm_phone(c["number"]) == norm_phone(to) and c["time"] >= after
    ]


def phone_contacts_with(world: World, name: str) -> list[dict]:
    """Contacts stored on the phone whose name contains ``name`` (case-insensitive)."""
    low = name.lower()
    return [c for c in world.services["phone"].table("contacts").values() if low in c["name"].lower()]


def setting_at(world: World, key: str, t: int, initial: bool) -> bool:
    """A phone setting's value at virtual time ``t``, replayed from the audit log."""
    value = initial
    for e in world.audit.calls("phone.set_setting"):
        if e.time <= t and e.args.get("name") == key:
            value = bool(e.args.get("on"))
    return value


def setting_changes(world: World, key: str) -> list[tuple[int, bool]]:
    """(time, value) of every successful change of one phone setting."""
    return [
        (e.time, bool(e.args.get("on"))) for e in world.audit.calls("phone.set_setting") if e.args.get("name") == key
    ]
