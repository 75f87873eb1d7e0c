"""Threads: what evolves over weeks. Work projects (mails back and forth, chat, a review
meeting, todos, notes), family and friends (texts and mails), a trip that touches five
services, support tickets, and deals moving through the CRM.
"""

from __future__ import annotations

from .. import clock
from . import records as R
from .corpus import ACCOUNTS, JOT_LINES, JOT_TITLES, POOLS, SMS
from .plan import Plan
from .variety import FIRST, LAST

PROJECTS = ("Atlas", "Beacon", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite", "Harbor", "Juniper", "Keystone")
TODO_TITLES = (
    "Renew passport",
    "Book dentist appointment",
    "Buy stamps",
    "Call the insurance about the claim",
    "Return the library books",
    "Descale the kettle",
    "Fix the bike light",
    "Buy a birthday present",
    "Pay the parking fine",
    "Sort out the tax documents",
    "Order new contact lenses",
    "Back up the laptop",
    "Cancel the old phone contract",
    "Water the neighbour's plants",
)
NOTE_TITLES = (
    "Ideas for the weekend",
    "Books to read",
    "Gift ideas",
    "Recipes to try",
    "Packing list",
    "Flat maintenance",
    "Running plan",
    "Podcast recommendations",
)


def projects(p: Plan, n: int) -> None:
    """Work threads: a kick-off mail, replies over weeks (both ways), chat, a review, todos, notes."""
    people = p.cast.work_people()
    if not people or not p.has("workmail"):
        return
    names = [PROJECTS[i] for i in p.sample(len(PROJECTS), n)]
    for name in names:
        owner = p.pick(people)
        subject = f"Project {name}: plan and open questions"
        topic = (("project", f"Project {name}"),)
        t = p.at(p.randint(0, max(1, p.days - 30)), p.uniform(9, 17))
        prev = None
        for k in range(p.randint(6, 14)):
            author = owner if k == 0 else p.pick(people)
            words = p.randint(60, 220)
            if t > p.now - clock.HOUR:
                break
            mine = k > 0 and p.random() < 0.3
            subj = subject if k == 0 else f"Re: {subject}"
            if mine:
                body = p.lazy("letter", (0, 1, 0, 0, 1), p.me(), author.first, "work", words, "", topic, words=words)
                prev = (
                    R.mail_out(
                        p, "workmail", t, author.email, subj, body, words=words, who=author.name, in_reply_to=prev
                    )
                    or prev
                )
            else:
                body = p.lazy(
                    "letter",
                    p.cast.style(author.name),
                    author.name,
                    p.me_first(),
                    "work",
                    words,
                    "",
                    topic,
                    words=words,
                )
                prev = (
                    R.mail_in(
                        p, "workmail", t, author.email, subj, body, words=words, who=author.name, in_reply_to=prev
                    )
                    or prev
                )
            if p.has("chat") and p.random() < 0.4:
                R.chat(
                    p,
                    t + 1200,
                    "general",
                    author.name,
                    f"posted an update on {name} in the mail thread, have a look when you can",
                )
            t += int(p.uniform(1, 9) * clock.DAY)
        review = p.at(min(p.days - 1, p.randint(20, max(21, p.days))), 16)
        invited = review - 5 * clock.DAY - p.randint(0, 6 * 3600)  # the invitation: any minute
        if review < p.now:
            R.calendar(
                p,
                invited,
                f"{name} review",
                review,
                review + 3600,
                location="Room 3.01",
                attendees=[owner.email],
                notes=p.lazy("agenda", f"{name} review", 60, words=60),
                words=60,
            )
            R.mail_in(
                p,
                "workmail",
                invited,
                owner.email,
                f"Invitation: {name} review",
                f"{owner.first} invited you to {name} review on {clock.fmt(review)} (Room 3.01, 60 min). "
                f"Agenda in the invite.",
                who=owner.name,
                words=20,
            )
            R.note(
                p,
                review + 3700,
                f"{name} review",
                p.lazy("notes", f"{name} review", 180, (owner.name, p.me()), words=190),
                folder="work",
                words=190,
            )
        done_at = t if t < p.now else None
        added = clock.day_start(t - 3 * clock.DAY) + p.randint(9 * clock.HOUR, 18 * clock.HOUR)  # at the desk
        row = R.todo(p, added, f"Send {name} summary", t, done=done_at is not None, list_name="work")
        if done_at is not None:
            p.ref(done_at, "todo", "todo.completed", f"task done: Send {name} summary", row)


def family_and_friends(p: Plan, per_week: float) -> None:
    """Texts with family and friends (each in their own voice), and some longer personal mails."""
    private = p.cast.private_people()
    for person in private:
        style = p.cast.styles[person.name]
        n = int(p.days / 7 * per_week * (2.0 if person.relation in ("partner", "mother", "sister") else 1.0))
        if not p.has("sms"):
            n = 0
        for _ in range(n):
            t = p.at(p.randint(0, p.days + 1), p.uniform(8, 23))
            if t > p.now:
                continue
            line = p.pick(SMS).format(
                weekday=p.pick(("Friday", "Saturday", "Sunday")),
                place="the cafe",
                food=p.pick(("pizza", "curry", "tacos")),
            )
            line = line.lower() if style.lower else line
            R.sms(p, t, person.phone, line, who=person.name)
            if p.random() < 0.3:
                R.sms(
                    p,
                    t + p.randint(60, 3600),
                    person.phone,
                    p.pick(("ok!", "sure", "sounds good", "yes", "haha", "will do")),
                    incoming=False,
                    who=person.name,
                )
        for _ in range(max(1, int(p.days / 30))):
            t = p.at(p.randint(0, p.days), p.uniform(7, 22))
            words = p.randint(80, 260)
            R.device(p, t + 3, "notification", "Mail", f"{person.name}: new message", who=person.name)
            R.mail_in(
                p,
                "mail",
                t,
                person.email,
                p.pick(("Catching up", "Photos from the weekend", "News", "Quick question", "Plans for next month")),
                p.lazy("letter", style.args(), person.name, p.me_first(), "personal", words, words=words),
                words=words,
                who=person.name,
            )


def trip(p: Plan, day: int) -> None:
    """A trip = booking mail + e-ticket file + calendar block + bank charge + a friend's text + a todo."""
    c = p.cast
    company, addr, mode = p.pick(
        (
            ("SkyJet Airways", "bookings@skyjet.example", "flight"),
            ("RailConnect", "tickets@railconnect.example", "train"),
        )
    )
    dest = p.pick(("Porto", "Vienna", "Copenhagen", "Edinburgh", "Barcelona", "Prague"))
    ref = f"{chr(65 + p.randint(0, 26))}{chr(65 + p.randint(0, 26))}{p.randint(1000, 9999)}"
    depart = p.at(day, p.pick((7.5, 9.0, 13.5, 17.0)))
    booked = depart - p.randint(10, 30) * clock.DAY
    if booked < p.start or depart + 3 * clock.DAY > p.now:
        return
    amount = round(p.uniform(90, 420), 2)
    what = f"{mode.capitalize()} {c.persona.city} - {dest}, return"
    path = f"Downloads/ticket-{ref}.txt"
    frow = R.file(p, booked, path, p.lazy("ticketfile", company, ref, what, clock.fmt(depart), p.me()))
    R.mail_in(
        p,
        "mail",
        booked,
        addr,
        f"Booking confirmed - {ref}",
        p.lazy("booking", company, ref, what, clock.fmt(depart), amount, p.me(), words=90),
        words=90,
        who=company,
        attachments=(path,) if frow is not None else (),
    )
    R.tx(p, booked + 120, -amount, company, f"Booking {ref}")
    title = f"Trip to {dest}"
    R.calendar(
        p, booked + 600, title, depart, depart + 3 * clock.DAY, location=dest, notes=f"Booking {ref} ({company})"
    )
    friend = p.pick(c.private_people())
    R.sms(p, depart - 3 * clock.HOUR, friend.phone, f"have a great time in {dest}! send pics", who=friend.name)
    row = R.todo(
        p, booked + p.randint(3600, 7200), f"Pack for {dest}", depart - clock.DAY, done=True, list_name="personal"
    )
    p.ref(depart - clock.DAY, "todo", "todo.completed", f"task done: Pack for {dest}", row)
    R.device(p, depart - 2 * clock.HOUR, "notification", company, f"Check-in is open for {ref}")


def tickets(p: Plan, n: int) -> None:
    """Support tickets from customers over the months: opened, commented, mostly solved."""
    if not p.has("helpdesk"):
        return
    for _ in range(n):
        # office hours, and a fifth from customers in other time zones at any hour
        t = p.at(p.randint(0, max(1, p.days - 3)), p.uniform(8, 18) if p.random() < 0.8 else p.uniform(0, 24))
        issue = p.pick(POOLS["issue"])
        subject = issue[0].upper() + issue[1:]
        company = p.pick(("acme", "globex", "initech", "umbrella", "vandelay"))
        if p.random() < 0.5:  # a team's shared address, or the person who ran into it
            requester = f"{p.pick(('ops', 'it', 'finance', 'support', 'admin'))}@{company}.example"
        else:
            requester = f"{p.pick(FIRST).lower()}.{p.pick(LAST).lower()}@{company}.example"
        words = p.randint(50, 140)
        short = p.random() < 0.4  # a line or two, as people write from the ticket form
        comments = [
            {
                "time": clock.fmt(t + (j + 1) * p.randint(3, 30) * clock.HOUR),
                "text": p.pick(
                    (
                        "Thanks, we are looking into it.",
                        "Could you send the exact error message?",
                        "A fix is deployed, please check again.",
                        "Still happening on our side.",
                        "Confirmed fixed, thank you!",
                    )
                ),
                "public": True,
            }
            # many are solved by the requester, or on a call, before anyone writes on the ticket
            for j in range(p.pick((0, 0, 0, 1, 2, 3)))
        ]
        old = t < p.now - 10 * clock.DAY
        status = "solved" if old else p.pick(("pending", "solved"))
        row = R.ticket(
            p,
            t,
            subject,
            requester,
            f"Hi, {issue} since {p.pick(POOLS['weekday'])}. Can you have a look?"
            if short
            else p.lazy(
                "letter",
                (6, 7, 0, 0, 1),
                requester.split("@")[0].title() + " Team",
                "support",
                "ticket",
                words,
                "",
                (("issue", issue),),
                words=words,
            ),
            status=status,
            priority=p.pick(("low", "normal", "normal", "high")),
            comments=comments,
            words=12 if short else words,
        )
        if status == "solved":
            p.ref(t + 2 * clock.DAY, "helpdesk", "ticket.solved", f"ticket solved: {subject}", row)


def deals(p: Plan, n: int) -> None:
    """CRM deals that moved through stages, with an activity for each step."""
    if not p.has("crm"):
        return
    accounts = ACCOUNTS
    people = p.cast.work_people()
    for k in range(n):
        account = accounts[k % len(accounts)]
        t = p.at(p.randint(0, max(1, p.days - 20)), p.uniform(9, 17.5))  # office hours, any minute
        stage = p.pick(("won", "lost", "won", "negotiation", "proposal"))
        amount = float(round(3000 * 50 ** p.random(), -2))  # 3k-150k, small deals the most common
        who = p.pick(people) if people else None
        deal = R.deal(
            p,
            t,
            account,
            f"{account} - {p.pick(('annual licence', 'pilot', 'renewal'))}",
            stage,
            amount,
            who.name if who is not None else p.me(),
            t + p.randint(20, 90) * clock.DAY,
            "" if stage in ("won", "lost") else "Send revised proposal",
        )
        first = who.name.split()[0] if who is not None else "them"
        for j in range(p.randint(2, 6)):
            ta = t + (j + 1) * p.randint(2, 9) * clock.DAY + p.randint(-3, 4) * clock.HOUR + p.randint(0, 3600)
            if ta > p.now:
                break
            R.crm_activity(p, ta, deal, account, _deal_note(p, j, amount, first, who.phone if who is not None else ""))


#: a deal's activity notes, step by step, as salespeople log them: short lines and call notes with the
#: figures quoted and who said what (the quote comes down towards the deal's amount)
_DEAL_NOTES = (
    (
        "Intro call, they want a demo.",
        "Intro call with {first}: they want a demo for their team next week. Mobile for the file: {phone}.",
    ),
    (
        "Demo done, positive feedback.",
        "Demo with {first} and two of their leads went well; questions about onboarding.",
    ),
    ("Sent proposal: EUR {high}.", "Sent proposal and pricing: EUR {high} for the first year."),
    ("Revised quote sent: EUR {mid}.", "{first} pushed back on price; revised quote sent at EUR {mid}."),
    (
        "Legal review: EUR {amount} agreed.",
        "Call with {first}: legal review on their side, they expect to sign at EUR {amount}.",
    ),
    (
        "Contract signed.",
        "Follow-up call about the discount: {first} accepted EUR {amount}. Mobile for the file: {phone}.",
    ),
)


def _deal_note(p: Plan, step: int, amount: float, first: str, phone: str) -> str:
    """The ``step``-th activity note of a deal worth ``amount`` (half the time the longer call note)."""
    short, long = _DEAL_NOTES[min(step, len(_DEAL_NOTES) - 1)]
    text = long if p.random() < 0.6 else short
    if "{phone}" in text and not phone:
        text = short

    def eur(x: float) -> str:
        return f"{int(round(x, -2)):,}"

    return text.format(first=first, high=eur(amount * 1.2), mid=eur(amount * 1.1), amount=eur(amount), phone=phone)


def chores(p: Plan, n_todos: int, n_notes: int) -> None:
    """Personal todos added, moved and done; notes written and edited."""
    for k in range(n_todos):
        title = TODO_TITLES[k % len(TODO_TITLES)]
        t = p.at(p.randint(0, p.days), p.uniform(7, 22))
        due = t + p.randint(2, 20) * clock.DAY
        done = due < p.now - clock.DAY and p.random() < 0.55  # some slip and stay open
        row = R.todo(p, t, title, due, done=done, list_name="personal")
        if p.random() < 0.3:
            p.ref(t + clock.DAY, "todo", "todo.changed", f"task due date changed: {title}", row)
        if done:
            p.ref(min(due, p.now - 1), "todo", "todo.completed", f"task done: {title}", row)
    for k in range(n_notes):
        title = NOTE_TITLES[k % len(NOTE_TITLES)]
        t = p.at(p.randint(0, p.days), p.uniform(7, 22))
        words = p.randint(60, 200)
        row = R.note(p, t, title, p.lazy("notes", title, words, (), words=words), words=words)
        edit = t + p.randint(1, 20) * clock.DAY
        if row is not None and row.record is not None and edit < p.now and p.random() < 0.4:
            row.record["updated"] = edit
            p.ref(edit, "notes", "notes.edited", f"note edited: {title}", row)
    jot_pages(p, p.randint(2, 5))


#: the share of notes a person with a work inbox files under "work" (envs/kit/plant.note's rule too)
WORK_FOLDER = 0.5


def jot_pages(p: Plan, n: int) -> None:
    """Pages of notes-to-self ("Misc", "Desk notes": "- " lines about bins, keys, printers, a few of them
    "never"/"always" lines): a family writes its standing rule as one line of such a page
    (envs/kit/jottings.py), so the background keeps a few pages of the same shape and titles."""
    work = p.has("workmail")
    for _ in range(n):
        kind = "work" if work and p.random() < 0.4 else "home"
        title = p.pick(JOT_TITLES[kind])
        lines = [JOT_LINES[kind][i] for i in p.sample(len(JOT_LINES[kind]), p.randint(4, 6))]
        t = p.at(p.randint(0, p.days), p.uniform(8, 21))
        folder = "work" if work and p.random() < WORK_FOLDER else ""
        R.note(p, t, title, "".join(f"- {line}\n" for line in lines), folder=folder)
