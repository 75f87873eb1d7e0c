"""Conflicting signals: a meeting moved twice (the latest change wins: the calendar shows
it, the first two mails are stale), and a friend who moved (old address in the contact
card and old signatures, the new one in the "we moved" mail and later signatures).
"""

from __future__ import annotations

from typing import Any

from .. import clock
from . import records as R
from .plan import Plan

MOVED_TITLES = (
    "Offsite planning",
    "Budget walkthrough",
    "Architecture deep-dive",
    "Customer escalation review",
    "Team photo shoot",
    "Security tabletop exercise",
)


def upcoming_moved(world: Any, cast: Any, rng: Any) -> dict[str, Any] | None:
    """Before the family runs: the next-week meeting that was moved twice, at its final time."""
    if "calendar" not in world.services or "workmail" not in world.services:
        return None
    day = clock.day_start(world.clock.now) + int(rng.integers(3, 9)) * clock.DAY
    while clock.weekday(day) >= 5:
        day += clock.DAY
    final = day + int(rng.choice([10, 13, 16])) * clock.HOUR + int(rng.choice([0, 30])) * clock.MINUTE
    title = MOVED_TITLES[int(rng.integers(len(MOVED_TITLES)))]
    rec = world.services["calendar"].add(
        title, final, final + 3600, location="Room 4.02", attendees=[p.email for p in cast.work_people()[:3]]
    )
    return {"entry": rec, "title": title, "final": final}


def _slot(t: int) -> str:
    return clock.to_datetime(t).strftime("%A %b %d at %H:%M")


def moved_twice(p: Plan, title: str, final: int, entry: Any, t_invite: int) -> None:
    """Invitation, first move, second move: three mails from the organizer and two calendar changes."""
    people = p.cast.work_people()
    if not people:
        return
    org = p.pick(people)
    first = final - p.randint(1, 3) * clock.DAY - 2 * clock.HOUR
    second = final + clock.DAY + clock.HOUR
    t1 = t_invite + p.randint(1, 4) * clock.DAY
    t2 = t1 + p.randint(1, 3) * clock.DAY
    if t2 >= p.now:
        return
    R.mail_in(
        p,
        "workmail",
        t_invite,
        org.email,
        f"Invitation: {title}",
        f"{_slot(first)}, Room 4.02. Agenda to follow.\n\n{org.first}",
        who=org.name,
        words=12,
    )
    R.mail_in(
        p,
        "workmail",
        t1,
        org.email,
        f"Moved: {title}",
        f"Sorry all, {title} moves to {_slot(second)}. Same room.\n\n{org.first}",
        who=org.name,
        words=15,
    )
    p.ref(t1 + 60, "calendar", "calendar.changed", f"{title} moved to {clock.fmt(second)}", entry)
    R.mail_in(
        p,
        "workmail",
        t2,
        org.email,
        f"Moved again: {title}",
        f"Last change, promise: {title} is now {_slot(final)}. Please ignore my earlier mail.\n\n{org.first}",
        who=org.name,
        words=18,
    )
    p.ref(t2 + 60, "calendar", "calendar.changed", f"{title} moved to {clock.fmt(final)}", entry)
    if p.has("chat"):
        R.chat(p, t2 + 600, "general", org.name, f"heads up, {title} moved again - check the latest invite")


def past_moved(p: Plan) -> None:
    """A past meeting that was moved twice, its entry at the final time."""
    if not p.has("calendar", "workmail"):
        return
    day = p.at(p.randint(10, max(11, p.days - 20)), 0)
    while clock.weekday(day) >= 5:
        day += clock.DAY
    final = day + 15 * clock.HOUR
    title = p.pick(MOVED_TITLES)
    t_invite = final - 12 * clock.DAY
    entry = R.calendar(p, t_invite, title, final, final + 3600, location="Room 4.02")
    moved_twice(p, title, final, entry, t_invite)


def moved_house(p: Plan) -> dict[str, Any] | None:
    """A friend or relative moves: old address in contacts and early signatures, new one after."""
    cands = [x for x in p.cast.private_people() if x.name in p.cast.addresses]
    if not cands or not (p.has("mail") or p.has("sms")):
        return None
    who = p.pick(cands)
    old = p.cast.addresses[who.name]
    new = f"{p.randint(1, 220)} {p.pick(('Quayside', 'Birch Lane', 'Rue Neuve', 'Hill Street'))}, {p.cast.persona.city}"
    moved = p.at(p.randint(30, max(31, p.days - 15)), 19)
    style = p.cast.style(who.name)
    for k in range(3):
        t = moved - (k + 1) * p.randint(8, 15) * clock.DAY
        if t > p.start:
            w = p.randint(80, 180)
            R.mail_in(
                p,
                "mail",
                t,
                who.email,
                p.pick(("Sunday lunch?", "Long time no see", "Quick hello")),
                p.lazy("letter", style, who.name, p.me_first(), "personal", w, f"{who.name}\n{old}", words=w),
                words=w,
                who=who.name,
            )
    R.mail_in(
        p,
        "mail",
        moved,
        who.email,
        "We moved!",
        f"Hi {p.me_first()},\n\nbig news: we finally moved. The new address is {new}. The old one "
        f"({old}) is no longer valid, please update your address book.\n\n{who.first}",
        who=who.name,
        words=40,
    )
    R.sms(p, moved + 600, who.phone, f"new address: {new} - sent you a mail too", who=who.name)
    t = moved + p.randint(5, 12) * clock.DAY
    if t < p.now - 7 * clock.DAY:
        w = p.randint(80, 180)
        R.mail_in(
            p,
            "mail",
            t,
            who.email,
            "Housewarming?",
            p.lazy("letter", style, who.name, p.me_first(), "personal", w, f"{who.name}\n{new}", words=w),
            words=w,
            who=who.name,
        )
    return {"person": who.name, "old": old, "new": new, "moved": moved}
