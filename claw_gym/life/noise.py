"""Noise: what nobody needs but everybody gets. Newsletters (the bulk of the words),
promotions, spam, company announcements, channel banter, and near-duplicates
(a colleague forwarding an announcement, the same newsletter section re-sent).
"""

from __future__ import annotations

from .. import clock
from . import records as R
from .cast import SPAMMERS
from .corpus import CHAT
from .plan import Plan, weekday

ANNOUNCEMENTS = (
    "IT maintenance window this weekend",
    "All-hands recording and slides",
    "Reminder: submit your expenses by Friday",
    "New parking policy",
    "Office closed on Monday",
    "Quarterly results - internal summary",
    "Welcome our new team members",
    "Security training due this month",
    "Benefits enrolment is open",
    "Kitchen etiquette, again",
)


def newsletters(p: Plan, t0: int, t1: int, words_each: int, per_week: float) -> None:
    """Each subscribed newsletter on its own cadence, at the same hour every issue."""
    if not p.has("mail"):
        return
    for k, (brand, addr) in enumerate(p.cast.newsletters):
        rate = per_week * (0.6 + 0.3 * k)
        step = max(clock.HOUR, int(7 * clock.DAY / rate))
        hour = 6 + 2 * k
        t = clock.day_start(t0) + hour * clock.HOUR + (k * 37 % 7) * clock.DAY
        issue = 100 + p.randint(0, 300)
        while t <= t1:
            if t >= t0:
                issue += 1
                w = int(words_each * p.uniform(0.7, 1.3))
                topic = p.pick(("this week", "what you missed", "the big picture", "top stories", "weekend reads"))
                subject = f"{brand} #{issue}: {topic}"
                R.mail_in(
                    p,
                    "mail",
                    t,
                    addr,
                    subject,
                    p.lazy("newsletter", brand, issue, w, "12 Market Lane", words=w),
                    words=w,
                    who=brand,
                )
            t += step


def promotions(p: Plan, t0: int, t1: int, per_week: float) -> None:
    if not p.has("mail"):
        return
    n = int((t1 - t0) / (7 * clock.DAY) * per_week)
    for _ in range(n):
        brand, addr = p.pick(p.cast.shops)
        t = t0 + p.randint(0, max(1, t1 - t0))
        w = p.randint(70, 180)
        subject = p.pick(
            (
                "{pct} off everything this weekend",
                "Your basket misses you",
                "New arrivals you will love",
                "Last chance: sale ends tonight",
                "Members-only early access",
            )
        ).format(pct=p.pick(("20%", "30%", "40%")))
        R.mail_in(
            p,
            "mail",
            t,
            addr,
            f"{brand}: {subject}",
            p.lazy("promo", brand, f"SAVE{p.seed() % 9000 + 1000}", w, words=w + 60),
            words=w + 60,
            who=brand,
        )


def spam(p: Plan, n: int) -> None:
    if not p.has("mail"):
        return
    for _ in range(n):
        t = p.at(p.randint(0, p.days + 1), p.uniform(0, 24))
        if t > p.now:
            continue
        subject = p.pick(
            (
                "Action required: account suspended",
                "You have won!",
                "Parcel delivery failed",
                "Final notice",
                "Guaranteed returns",
            )
        )
        w = p.randint(40, 120)
        R.mail_in(
            p,
            "mail",
            t,
            p.pick(SPAMMERS),
            subject,
            p.lazy("spam", w, words=w + 10),
            words=w + 10,
            folder="spam" if p.random() < 0.7 else "inbox",
        )


def announcements(p: Plan, n: int) -> None:
    """Company-wide mails to everybody; sometimes a colleague forwards one again (a near-duplicate)."""
    if not p.has("workmail"):
        return
    sender = f"internal-comms@{p.cast.persona.work_domain}"
    people = p.cast.work_people()
    for k in range(n):
        subject = ANNOUNCEMENTS[k % len(ANNOUNCEMENTS)]
        t = p.at(p.randint(0, p.days), p.uniform(8, 17))
        w = p.randint(150, 400)
        body = p.lazy("letter", (6, 3, 0, 0, 2), f"{p.cast.persona.employer} Communications", "all", "work", w, words=w)
        R.mail_in(p, "workmail", t, sender, subject, body, words=w, who="Internal Comms")
        if people and p.random() < 0.3:
            fw = p.pick(people)
            tf = t + p.randint(1, 48) * clock.HOUR
            if tf < p.now:
                note = p.pick(("FYI in case you missed it", "see below", "relevant for us?", "fwd for visibility"))
                R.mail_in(
                    p,
                    "workmail",
                    tf,
                    fw.email,
                    f"Fwd: {subject}",
                    p.lazy("forward", note, sender, clock.fmt(t), subject, body, words=w + 20),
                    words=w + 20,
                    who=fw.name,
                    forwarded=True,
                )


#: a colleague's direct messages to the person, in passing
DM_LINES = (
    "got a minute after lunch?",
    "thanks for the notes from yesterday",
    "can you have a look at my draft when you have a sec?",
    "are you joining the 3pm or should I take notes?",
    "sent you the link, it's the second tab",
    "coffee?",
    "no rush, whenever you get to it",
    "the room for tomorrow is booked, 2nd floor",
)


def banter(p: Plan, t0: int, t1: int, per_day: float) -> None:
    """#random and #general chatter in working hours, and now and then a colleague's direct message."""
    if not p.has("chat"):
        return
    people = p.cast.work_people()
    if not people:
        return
    rng = p.rng
    n = int((t1 - t0) / clock.DAY * per_day)
    days = rng.integers(0, max(1, (t1 - t0) // clock.DAY + 1), size=n).tolist()
    hours = rng.uniform(8.5, 18.5, size=n).tolist()
    who = rng.integers(0, len(people), size=n).tolist()
    base = clock.day_start(t0)
    for d, h, w in zip(days, hours, who):
        t = base + d * clock.DAY + int(h * clock.HOUR)
        if not t0 <= t <= t1 or weekday(t) >= 5:
            continue
        person = people[w]
        line = p.pick(CHAT).format(
            time=p.pick(("12:30", "13:00", "15:00")), thing="the release", project="the migration", metric="latency"
        )
        if "friday" in line and weekday(t) != 4:
            line = "happy almost-weekend"
        r = p.random()
        if r < 0.2:  # a colleague's direct message: the DM channel is named after them
            R.chat(p, t, f"dm-{person.name.split()[0].lower()}", person.name, p.pick(DM_LINES))
        else:
            R.chat(p, t, "random" if r < 0.68 else "general", person.name, line)


def soon(p: Plan) -> None:
    """A few arrivals in the first two hours after "now", so even a short episode sees the stream."""
    now = p.now
    people = p.cast.work_people()
    private = p.cast.private_people()
    for k in range(p.randint(3, 7)):
        t = now + p.randint(2, 120) * clock.MINUTE + k
        kind = p.pick(("chat", "device", "mail", "sms", "bank"))
        if kind == "chat" and people:
            who = p.pick(people)
            R.chat(
                p,
                t,
                "random",
                who.name,
                p.pick(CHAT).format(time="13:00", thing="the release", project="the migration", metric="latency"),
            )
        elif kind == "device":
            R.device(
                p,
                t,
                "notification",
                p.pick(("Weather", "News", "Calendar", "Fitness")),
                p.pick(
                    (
                        "Rain expected this afternoon",
                        "Breaking: council approves new cycle lanes",
                        "Time to stand up and stretch",
                        "You reached 5,000 steps",
                    )
                ),
            )
        elif kind == "mail" and p.cast.shops:
            brand, addr = p.pick(p.cast.shops)
            w = p.randint(70, 160)
            R.mail_in(
                p,
                "mail",
                t,
                addr,
                f"{brand}: today only",
                p.lazy("promo", brand, f"NOW{p.seed() % 900 + 100}", w, words=w + 60),
                words=w + 60,
                who=brand,
            )
        elif kind == "sms" and private:
            who = p.pick(private)
            R.sms(
                p,
                t,
                who.phone,
                p.pick(("call me when you can", "running late tonight", "did you see my email?", "can you grab milk?")),
                who=who.name,
            )
        elif kind == "bank":
            R.tx(p, t, -round(p.uniform(3, 18), 2), p.pick(p.cast.merchants), "card payment")
