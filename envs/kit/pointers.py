"""Short lines that point at a matter only by its date, among the same person's lines of the same shape.

Issue 21: strong players settle a task by searching the requester by person and every identifier of the
matter (an invoice number, an address, a merchant, an amount) by text. A deciding line built here names
none of those: "re my mail of 14 October: ...", "about your card payment of 3 November: ...". The same
person writes two or three more lines of that shape about other matters, each pointing at a real record
of another date, so a search for the person or for the line's words lists them all, and only matching the
date to the record it names tells which one is about the task. Every date names exactly one record (the
family checks that when it draws them).
"""

from __future__ import annotations

from claw_gym import clock
from claw_gym.tasks import Ctx

from . import errands, plant


def day(t: int) -> str:
    """The date as people write it in a line: "14 October" (no weekday, no year, no time)."""
    d = clock.to_datetime(t)
    return f"{d.day} {d:%B}"


def post(
    ctx: Ctx,
    channel: str,
    sender: str,
    lines: list[tuple[int, str]],
    *,
    latest: int,
    mail_from: str = "",
    subject: str = "Quick one",
) -> list[str]:
    """Each (day, text) of ``lines`` as a chat line by ``sender`` in ``channel`` at a working-hours moment of
    that day (a weekend day moves to the Friday before, so a line is never younger than asked), never after
    ``latest``. In a world without chat, given ``mail_from``, each is a short work mail from that address
    under one plain ``subject`` instead. The records' ids, in order."""
    chat = "chat" in ctx.world.services
    out = []
    for t, text in lines:
        while clock.to_datetime(t).weekday() >= 5:
            t -= clock.DAY
        at = min(errands.office_hours(ctx, t), latest)
        if chat or not mail_from:
            out.append(str(plant.chat(ctx, at, channel, sender, text)["id"]))
        else:
            body = f"Hi all,\n\n{text[:1].upper()}{text[1:]}.\n\n{sender.split()[0]}"
            out.append(str(plant.mail_in(ctx, "workmail", at, mail_from, subject, body, who=sender)["id"]))
    return out


def dm(name: str) -> str:
    """The direct-message channel the background names after a colleague (``dm-<first name>``)."""
    return f"dm-{name.split()[0].lower()}"
