"""The last two days, the next hours, and the people who are not in the contacts.

A task's records are mostly recent: the text that came in this morning, the missed call an hour
ago, the mail still unread. A history spread evenly over 90 days has few such records, so being
recent, unread, still to arrive or from a number the phone does not know marked a record as the
family's (``python -m claw_gym.runs.camouflage``). A person's phone and inboxes are not like that:
the last day holds a pile of unread messages, strangers text and call (a courier, a new
neighbour, a wrong number), calls get missed, and messages keep arriving during the day.

Every builder plans through :mod:`claw_gym.life.records` (the background's lines, companions and
read flags), on the plan's stream: the world stays a function of (task id, seed).
"""

from __future__ import annotations

from .. import clock
from . import records as R
from .corpus import PERSONAL, SMS
from .plan import Plan
from .variety import FIRST, NOTICES, SHORT_WORK, _fill

#: texts from people the phone does not know ({name}: a first name they sign with)
STRANGER_TEXTS = (
    "Hi, it's {name} from the flat viewing. Is 18:00 still ok for you?",
    "Hello, this is {name}, the courier. I'm outside, nobody answers the bell.",
    "Hey it's {name}, new number! Save this one.",
    "{name} here - I've changed my number, this is the new one. The old one stops working Friday.",
    "New phone, new number :) it's {name}. Delete the old one when you get a sec",
    "Hi, this is {name}. I switched providers so this is my number now.",
    "Hi, {name} here from the running club, got your number from the group. Are you coming on Sunday?",
    "Sorry, wrong number I think. Looking for the bike seller?",
    "This is {name} from the garage, we found a second issue with the brakes. Can you call?",
    "Hi! {name} from next door. Did a parcel for us end up at yours?",
    "It's {name}, Sam's friend. He said you might have a spare ticket for Friday?",
)
#: who calls from a number the phone does not know
STRANGER_CALLERS = 6
#: recent work mail: (subject, body); {first}: the sender's first name
RECENT_WORK = (
    ("Re: notes from today", "Added my notes to the doc, have a look when you can.\n\n{first}"),
    ("Tomorrow", "Can we push our chat to the afternoon? Something came up.\n\n{first}"),
    ("FYI", "Forwarding this so you have it before the meeting.\n\n{first}"),
    ("Re: numbers", "The figures look fine to me, one question on the second table.\n\n{first}"),
    ("Quick favour", "Could you look over my draft before I send it out? Ten minutes max.\n\n{first}"),
)


def _recent(p: Plan, hours: float = 36) -> int:
    """A moment in the last ``hours`` before now, at any second."""
    return p.now - p.randint(120, int(hours * clock.HOUR))


def _stranger(p: Plan) -> str:
    return f"+1 555 {p.randint(100, 999)} {p.randint(1000, 9999)}"


def last_days(p: Plan, n: int) -> None:
    """About ``n`` messages of each kind in the last day and a half (many still unread), and a few
    texts arriving in the coming hours."""
    private = p.cast.private_people()
    people = p.cast.work_people()
    if p.has("sms") and private:
        for _ in range(n):
            who = p.pick(private)
            body = _fill(p, p.pick(SMS)) if p.random() < 0.5 else " ".join(_fill(p, p.pick(PERSONAL)) for _ in range(2))
            R.sms(p, _recent(p), who.phone, body, who=who.name)
        for _ in range(max(1, n // 2)):
            who = p.pick(private)
            t = p.now + p.randint(300, 6 * clock.HOUR)
            R.sms(p, t, who.phone, _fill(p, p.pick(SMS)), who=who.name)
    if p.has("mail") and p.cast.shops:
        for _ in range(n):
            brand, addr = p.pick(p.cast.shops)
            subject, body = p.pick(NOTICES)
            R.mail_in(p, "mail", _recent(p), addr, subject, body.format(brand=brand), who=brand, words=12)
    if p.has("workmail") and people:
        for _ in range(n):
            who = p.pick(people)
            t = _recent(p, 30)
            if p.random() < 0.5:
                subject, body = p.pick(RECENT_WORK)
                R.mail_in(p, "workmail", t, who.email, subject, body.format(first=who.first), who=who.name, words=14)
            else:
                subject, text = p.pick(SHORT_WORK)
                subject, text = _fill(p, subject), _fill(p, text)
                R.mail_in(p, "workmail", t, who.email, subject, f"{text}\n\n{who.first}", who=who.name, words=12)


def strangers(p: Plan, per_week: float) -> None:
    """Texts from numbers not in the contacts, at the rate people get them, some of them recent."""
    if not p.has("sms"):
        return
    # a stranger signs with a name none of the person's people has: "Hey it's Jonas, new number!" from
    # an unknown number reads as their friend Jonas's new phone (a player sent a task's answer there)
    known = {q.first for q in p.cast.persona.people}
    names = [n for n in FIRST if n not in known] or list(FIRST)
    for k in range(int(p.days / 7 * per_week)):
        t = _recent(p, 48) if k % 3 == 0 else p.at(p.randint(0, p.days + 1), p.uniform(8, 21.5)) + p.randint(0, 60)
        if t > p.now:
            continue
        R.sms(p, t, _stranger(p), p.pick(STRANGER_TEXTS).format(name=p.pick(names)))


def calls(p: Plan, per_week: float) -> None:
    """Calls from numbers the phone does not know (most missed), and missed calls from friends
    late in the evening or early in the morning; a few recent ones. Past only."""
    if not p.has("phone"):
        return
    numbers = [_stranger(p) for _ in range(STRANGER_CALLERS)]
    for k in range(int(p.days / 7 * per_week)):
        t = _recent(p, 40) if k % 3 == 0 else p.at(p.randint(0, p.days + 1), p.uniform(8, 21)) + p.randint(0, 60)
        if t > p.now:
            continue
        missed = p.random() < 0.7
        R.call(p, t, p.pick(numbers), incoming=True, missed=missed, duration=p.randint(15, 240))
    friends = p.cast.private_people()
    for _ in range(int(p.days / 7 * per_week / 2) if friends else 0):
        hour = p.pick((6.0, 6.5, 22.0, 22.5, 23.0))
        t = p.at(p.randint(0, p.days + 1), hour + p.uniform(0, 0.5)) + p.randint(0, 60)
        if t > p.now:
            continue
        who = p.pick(friends)
        R.call(p, t, who.phone, incoming=True, missed=p.random() < 0.6, duration=p.randint(20, 600), who=who.name)
