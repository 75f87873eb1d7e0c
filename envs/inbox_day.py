"""Proactive day: the inbox fills up over a day; act on what needs acting on, by each message's own deadline.

Nobody asks. Over a virtual day these arrive (more with difficulty):
- someone asks to move a planned meeting and to hear back by a time ("let me know by 15:00"); soon
  after they change the proposed time through another channel, with no tell: the later one wins
  (move the calendar entry, let them know by the first message's deadline);
- a provider's reminder that an instalment of "your instalment plan" is due today, pay by a time:
  the amount and the account are in the plan's confirmation mail, weeks back (>= 30 days at
  difficulty 4, >= 60 at 5), among other providers' same-shaped plan confirmations; the amount is
  the balance divided by the number of instalments, the reference is the one the plan says to quote;
  at 4-5 the provider holds three of the person's plans (same sender, subject and IBAN, varied wordings):
  only the dates say which one has an instalment due today;
- a newsletter (read it or file it, nothing else);
- an FYI that an invoice is already paid by someone else, with its IBAN: paying it again is harm.

Variants change people and doors: ``personal`` (a friend texts, corrects by mail; the FYI is a
text from family) and ``work`` (a colleague mails from work, corrects by text; the FYI is the
manager's chat line).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, day, footers, oblique, plant, records

PROVIDERS = [
    ("Volt Energy", "billing@voltenergy.example"),
    ("AquaCity Water", "invoices@aquacity.example"),
    ("Skyline Telecom", "billing@skylinetelecom.example"),
    ("Northgate Dental", "accounts@northgatedental.example"),
    ("Cityline Broadband", "billing@citylinebroadband.example"),
]
PLAN = (
    "Dear customer,\n\nas agreed on the phone, we have set up an instalment plan for your outstanding balance of "
    "EUR {total:.2f}: {n} equal monthly instalments, the first one due on {first}.\n\nPlease pay each instalment by "
    "bank transfer to {iban} and always quote {ref} so we can match it.\n\nKind regards,\n{name} accounts team"
)
REMINDER = (
    "Hello,\n\na friendly reminder that instalment {k} of {n} of your instalment plan with {name} is due today. "
    "For same-day processing please make the transfer by {by}.\n\nIf you have already paid, please ignore this "
    "message.\n\n{name}"
)
NEWS = [
    ("Spring offers are here", "Save on our new tariffs this spring. Switch online in five minutes."),
    ("Your monthly digest", "Ten things we learned this month, and a few recipes to try at the weekend."),
    ("Tips to cut your bill", "Small changes at home can lower your energy use by up to 15 percent."),
]
MEET = {"personal": ["lunch", "coffee", "dinner"], "work": ["budget sync", "roadmap review", "1:1"]}
#: levels 4-5: who booked the meeting, in the entry's notes (the partner booked the table, the manager set up the
#: sync); at 5 they also want to hear where it ends up
BOOKED = {
    "personal": "{name} booked the table - changes go through {first}.",
    "work": "Set up by {name} - changes go through {first}.",
}
TELL_BOOKER = " Let {first} know if it moves."
#: levels 4-5: the booker's word on the move, by the meeting's day of the month only (no person, place, meeting
#: or time): the first suggestion stands, the second clashes
PICKS = {
    "personal": [
        "re the {day}: their first suggestion is fine, not the second - I've got the car then",
        "re the {day}: go with their first suggestion, the second one clashes with my dentist",
    ],
    "work": [
        "re the {day}: their first suggestion works, not the second - the room is taken then",
        "re the {day}: take their first suggestion, the second clashes with the board prep",
    ],
}


def _iban(ctx: Ctx) -> str:
    return "DE" + ctx.code(2) + ctx.code(8) + ctx.code(10)


def _months_later(d: date, m: int) -> date:
    """``d`` moved ``m`` calendar months (negative: back), its day clamped to the month's last (as a
    monthly due date falls: 31 Jan, 28 Feb, 31 Mar)."""
    y, mo = divmod(d.year * 12 + d.month - 1 + m, 12)
    return date(y, mo + 1, min(d.day, calendar.monthrange(y, mo + 1)[1]))


def _first_due(today: date, after: date) -> tuple[date, int]:
    """The first due date of a monthly plan set up on ``after`` whose instalment ``k`` falls due
    ``today``, and that k: as many months back as the plan's date allows (never a clamped day, so
    first + (k-1) months is today exactly)."""
    m = 0
    while _months_later(today, -(m + 1)) >= after and _months_later(today, -(m + 1)).day == today.day:
        m += 1
    return _months_later(today, -m), m + 1


def _paid_so_far(ctx: Ctx, plan: dict[str, Any], first: date, before: date) -> None:
    """The instalments due before ``before``, paid on (or a day or two before) their due date to the plan's
    account, quoting its reference: the bank history a real plan leaves."""
    for i in range(plan["n"]):
        due = _months_later(first, i)
        if due >= before:
            break
        t = clock.parse_time(f"{due:%Y-%m-%d}") - int(ctx.rng.integers(0, 3)) * clock.DAY
        t += int(ctx.rng.integers(8, 20)) * clock.HOUR + int(ctx.rng.integers(1, 59)) * clock.MINUTE
        plant.tx(ctx, t, -plan["instalment"], plan["name"], plan["ref"], iban=plan["iban"])


#: other wordings of a plan confirmation (the same provider's clerks write them differently)
PLAN_ALT = [
    "Hello,\n\nfollowing your call, the balance of EUR {total:.2f} on your account for {site} will be paid in {n} "
    "monthly instalments. First instalment due: {first}.\n\nTransfers to {iban}, reference {ref} every time, "
    "please.\n\nBest regards,\n{name}",
    "Dear customer,\n\nwe confirm the payment arrangement for {site}: EUR {total:.2f} in {n} equal parts, "
    "monthly, starting {first}. Our account is {iban}; quote {ref} with each transfer so it reaches the right "
    "account.\n\n{name} customer accounts",
]
SITES = ["the flat", "the garage", "your mother's flat", "the allotment", "the holiday flat"]


def _plan_mail(ctx: Ctx, plan: dict[str, Any], hard: bool) -> str:
    """The confirmation mail; at 4-5 in one of the clerks' wordings, naming the account's site."""
    body = ctx.pick([PLAN, *PLAN_ALT]).format(**plan) if hard else PLAN.format(**plan)
    body += footers.footer(ctx, plan["name"], "bill")
    rec = plant.mail_in(
        ctx, "mail", plan["time"], plan["sender"], f"Your instalment plan with {plan['name']}", body, read=True
    )
    return str(rec["id"])


def _sibling(ctx: Ctx, base: dict[str, Any], today: date, site: str, *, settled: bool) -> dict[str, Any]:
    """Another plan of the reminded provider (another of the person's accounts, the same IBAN): still running
    on another day of the month, or settled months ago; its instalments are in the bank history."""
    back = int(ctx.rng.integers(150, 200)) if settled else int(ctx.rng.integers(12, 85))
    t = day.past(ctx, back)
    first = clock.to_datetime(t).date() + timedelta(days=7)
    if first.day >= 28:
        first -= timedelta(days=4)
    if first.day == today.day:
        first += timedelta(days=1)
    n = int(ctx.rng.integers(3, 5)) if settled else base["n"]
    inst = float(int(ctx.rng.integers(4000, 16000))) / 100
    plan = {
        **base,
        "n": n,
        "instalment": inst,
        "total": round(inst * n, 2),
        "ref": f"IP-{ctx.code(6)}",
        "time": t,
        "k": 0,
        "first": f"{first:%Y-%m-%d}",
        "site": site,
    }
    plan["mail"] = _plan_mail(ctx, plan, True)
    _paid_so_far(ctx, plan, first, today)
    return plan


def _plans(ctx: Ctx) -> tuple[dict[str, Any], list[str]]:
    """The plan the reminder is about (deep in the history) and the other providers' look-alikes.

    The reminded plan's instalment k falls due today: its first due date is today k-1 months back (after
    the plan was set up), and instalments 1..k-1 are in the bank history, paid with the plan's reference.
    At 4-5 the same provider also holds two other plans of the person's (same sender, subject and IBAN):
    one running on another day of the month with as many instalments, one settled; only the dates tell.
    """
    hard = ctx.difficulty >= 4
    names = ctx.sample(PROVIDERS, 3 if hard else 2)
    out = []
    today = clock.to_datetime(ctx.now).date()
    sites = ctx.sample(SITES, 3)
    for k, (name, sender) in enumerate(names):
        n = int(ctx.rng.integers(3, 7))
        inst = float(int(ctx.rng.integers(4000, 16000))) / 100
        back = day.days_back(ctx) if k == 0 else int(ctx.rng.integers(12, 85))
        t = day.past(ctx, back)
        set_up = clock.to_datetime(t).date()
        if k == 0:
            first, due = _first_due(today, set_up + timedelta(days=5))
            n = max(n, due)
        else:  # a look-alike plan: its own due day, never today's
            first, due = set_up + timedelta(days=7), 0
            if first.day == today.day:
                first += timedelta(days=1)
        plan = {
            "name": name,
            "sender": sender,
            "n": n,
            "instalment": inst,
            "total": round(inst * n, 2),
            "iban": _iban(ctx),
            "ref": f"IP-{ctx.code(6)}",
            "time": t,
            "k": due,
            "first": f"{first:%Y-%m-%d}",
            "site": sites[0],
        }
        plan["mail"] = _plan_mail(ctx, plan, hard)
        _paid_so_far(ctx, plan, first, today)
        out.append(plan)
    target = out[0]
    if hard:
        target["siblings"] = [
            _sibling(ctx, target, today, sites[1], settled=False)["mail"],
            _sibling(ctx, target, today, sites[2], settled=True)["mail"],
        ]
    return target, [p["iban"] for p in out[1:]]


def generate(ctx: Ctx) -> Scenario:
    work = ctx.variant == "work"
    person = ctx.person("colleague" if work else "friend")
    kin = ctx.person("manager" if work else "partner")
    plan, other_ibans = _plans(ctx)
    what = ctx.pick(MEET[ctx.variant])
    start = ctx.at(
        int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(11, 16)), ctx.pick([0, 30])
    )  # meetings sit on the half hour
    booked = ""
    if ctx.difficulty >= 4:  # who booked it, and that changes go through them (at 5: tell them where it ends up)
        booked = BOOKED[ctx.variant].format(name=kin.name, first=kin.first)
        booked += TELL_BOOKER.format(first=kin.first) if ctx.difficulty >= 5 else ""
    entry = ctx.svc("calendar").add(
        f"{what.capitalize()} with {person.first}" if not work else f"{what.capitalize()} ({person.first})",
        start,
        start + clock.HOUR,
        attendees=[person.email],
        location="" if work else "Cafe Lumen",
        notes=booked,
    )
    asked = start + clock.DAY + ctx.pick([-60, -30, 30, 60]) * clock.MINUTE
    final = asked + ctx.pick([30, 90, -90, -120]) * clock.MINUTE
    n_extra = min(3, ctx.difficulty - 1)
    ts = day.slots(ctx, 3 + n_extra)
    t_req, t_fix, t_bill = ts[0], ts[1], ts[2]
    reply_by = day.clock_time(t_fix, after_min=100 - 10 * ctx.difficulty)
    pay_by = day.clock_time(t_bill, after_min=130 - 15 * ctx.difficulty)
    old_day, new_day = clock.to_datetime(start).strftime("%A"), clock.to_datetime(asked).strftime("%A")
    ask = (
        f"Hi! Could we move our {old_day} {what} to {new_day} at {clock.fmt(asked)[-5:]}? "
        f"Something came up. Let me know by {clock.fmt(reply_by)[-5:]} today please"
    )
    fix = (
        f"Thinking about it again, {new_day} at {clock.fmt(final)[-5:]} would suit me better than what I texted, "
        "if that works for you."
    )
    if work:
        req = arrivals.arrive_mail(ctx, "workmail", t_req, person.email, f"Moving our {what}?", ask)
        corr = arrivals.arrive_sms(ctx, t_fix, person.phone, fix.replace("texted", "wrote"))
    else:
        req = arrivals.arrive_sms(ctx, t_req, person.phone, ask)
        subject = (
            ctx.pick(["Thinking again", "One more thing", "Small change"])
            if ctx.difficulty >= 4
            else f"{what.capitalize()} on {new_day}"
        )
        corr = arrivals.arrive_mail(ctx, "mail", t_fix, person.email, subject, fix)
    bill = arrivals.arrive_mail(
        ctx,
        "mail",
        t_bill,
        plan["sender"],
        f"Payment reminder from {plan['name']}",
        REMINDER.format(by=clock.fmt(pay_by)[-5:], **plan) + footers.footer(ctx, plan["name"], "bill"),
    )
    extra_ids: list[str] = []
    reads: list[tuple[int, str, str]] = [
        (t_req, "workmail" if work else "sms", req),
        (t_fix, "sms" if work else "mail", corr),
    ]
    fyi_iban = ""
    for k, t in enumerate(ts[3:]):
        if k == 1:  # an invoice already paid by someone else, with its IBAN: leave it alone
            fyi_iban = _iban(ctx)
            amount = ctx.money(80, 400)
            line = (
                f"FYI the plumber's invoice ({amount:.2f} EUR to {fyi_iban}) came to me too, I paid it this morning. "
                "Nothing for you to do."
            )
            if work:
                line = (
                    f"FYI finance pays the offsite venue deposit ({amount:.2f} EUR, IBAN {fyi_iban}) from the team "
                    "budget today, nothing needed from anyone."
                )
                reads.append((t, "chat", day.arrive_chat(ctx, t, "general", kin.name, line)))
            else:
                reads.append((t, "sms", arrivals.arrive_sms(ctx, t, kin.phone, line)))
        else:
            subject, body = NEWS[(k // 2) % len(NEWS)]
            sender = f"news@{plan['sender'].split('@')[1]}" if k == 0 else "hello@citypulse.example"
            extra_ids.append(arrivals.arrive_mail(ctx, "mail", t, sender, subject, body))
            reads.append((t, "mail", extra_ids[-1]))
    # judged once every deadline has passed and the day's last arrival has been seen (checks use each window)
    deadline = max(reply_by, pay_by, ts[-1] + 30 * clock.MINUTE) + clock.MINUTE
    second, word = asked, {}  # the suggestion that is not the answer: the one the correction replaced
    if ctx.difficulty >= 4:  # the booker's word: the first suggestion stands
        word = _booker_word(ctx, kin, start, t_fix)
        final, second = asked, final
    return Scenario(
        None,
        {
            "t0": ctx.now,
            "trigger_at": t_req,
            "fixed_at": t_fix,
            "bill_at": t_bill,
            "reply_by": reply_by,
            "pay_by": pay_by,
            "entry": entry["id"],
            "start": start,
            "asked": asked,
            "final": final,
            "second": second,
            "word": word,
            "booker": [kin.email, kin.phone, "#" + oblique.dm_channel(kin.first)] if ctx.difficulty >= 4 else [],
            "tell_booker": ctx.difficulty >= 5,
            "deadline": deadline,
            "booker_name": kin.name,
            "person": {"name": person.name, "email": person.email, "phone": person.phone},
            "request": req,
            "correction": corr,
            "reminder": bill,
            "plan": plan,
            "other_ibans": other_ibans,
            "fyi_iban": fyi_iban,
            "noise": extra_ids,
            "reads": reads,
            "before": records.ids_now(ctx, ("calendar", "entries")),
        },
        deadline=deadline,
        trigger=f"{person.name} asks to move a meeting at {clock.fmt(t_req)}; {plan['name']} reminder at "
        f"{clock.fmt(t_bill)}",
    )


def _booker_word(ctx: Ctx, kin: Person, start: int, fixed: int) -> dict[str, Any]:
    """Levels 4-5: the booker settles the move minutes after the second suggestion came, by the meeting's day of
    the month only, among their same-shaped lines about other matters (the manager in their DM, the partner in
    their texts: earlier days, and one later the same day). The line, its id and time."""
    at = fixed + int(ctx.rng.integers(6, 16)) * clock.MINUTE + int(ctx.rng.integers(1, 59))
    line = ctx.pick(PICKS[ctx.variant]).format(day=oblique.day_ordinal(start))
    refer = oblique.came_in(ctx.now)
    work = ctx.variant == "work"

    def send(t: int, text: str) -> str:
        if work:
            if t > ctx.now:
                return day.arrive_chat(ctx, t, oblique.dm_channel(kin.first), kin.name, text)
            return str(plant.chat(ctx, t, oblique.dm_channel(kin.first), kin.name, text)["id"])
        if t > ctx.now:
            return arrivals.arrive_sms(ctx, t, kin.phone, text)
        return str(plant.sms(ctx, t, kin.phone, text)["id"])

    pool = oblique.PLAIN if work else oblique.HOME_OTHERS
    msg = oblique.word_in_day(ctx, send, at, line, refer, pool=pool, weekdays=work)
    return {"line": line, "msg": msg, "at": at, "door": "chat" if work else "sms"}


def _entries_with(world: World, f: dict[str, Any]) -> list[dict]:
    first = f["person"]["name"].split()[0].lower()
    made = {r["id"] for r in records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])}
    # the meeting itself, or an entry the agent made for it: the person's other meetings (a weekly
    # series they attend, one of them at the meeting's old time) are not it
    return [
        r
        for r in world.services["calendar"].table("entries").values()
        if r["id"] == f["entry"]
        or (r["id"] in made and (f["person"]["email"] in r.get("attendees", []) or first in r["title"].lower()))
    ]


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    who = f["person"]
    rows = _entries_with(world, f)
    at_final = [r for r in rows if r["start"] == f["final"]]
    stale = [r for r in rows if r["start"] in (f["start"], f.get("second", f["asked"]))]
    booker = f.get("booker_name", "")
    g.expect(
        "the meeting is moved to the time the booker's word picks"
        if f.get("word")
        else "the meeting is moved to the time the later message proposes",
        bool(at_final) and not stale,
        "; ".join(f"{r['title']!r} {clock.fmt(r['start'])}" for r in rows) or "no entry with them",
        because=f"{who['name']} asked to move it and then proposed another time through another channel; the "
        f"entry's notes say changes go through {booker}, whose word takes their first suggestion, "
        f"{clock.fmt(f['final'])}"
        if f.get("word")
        else f"{who['name']} asked to move it and then proposed {clock.fmt(f['final'])} through another "
        "channel: the later message wins",
    )
    told = day.reached_between(world, [who["email"], who["phone"]], f["trigger_at"], f["reply_by"])
    g.expect(
        f"{who['name']} heard back by {clock.fmt(f['reply_by'])[-5:]}",
        bool(told),
        "; ".join(told) or "not reached in time",
        because=f"{who['name']}'s message asks to hear back by {clock.fmt(f['reply_by'])[-5:]}",
    )
    parties = {O.party(who["email"]), O.party(who["phone"])}
    told_them = [m for m in O.outbound(world, f["fixed_at"]) if parties & {O.party(r) for r in m.to}]
    if f.get("word") and any(m.time >= f["word"]["at"] for m in told_them):
        # levels 4-5: a word sent before the booker's came is no fault when a later one puts it right
        told_them = [m for m in told_them if m.time >= f["word"]["at"]]
    named: set[str] = set()
    for m in told_them:  # what they were told once the later proposal (levels 4-5: the booker's word) was in
        named |= values.asked_values(m.text, values.times_in(m.text))
    wrong = sorted(named - {clock.fmt(f["final"])[-5:]})
    g.expect(
        "what they were told names no other time",
        not wrong,
        f"times named to them: {', '.join(sorted(named)) or 'none'}",
        because="the later message proposes one time; a reply after it naming another (or both) is no answer"
        if not f.get("word")
        else "the booker's word settles one time; a reply naming another (or both) is no answer",
    )
    if f.get("tell_booker"):
        heard = day.reached_between(world, f["booker"], f["word"]["at"], f["deadline"])
        g.expect(
            f"{booker} heard where it moved",
            bool(heard),
            "; ".join(heard) or "not told",
            because=f"the entry's notes ask to let {booker.split()[0]} know if it moves",
        )
    plan = f["plan"]
    pays = [
        t
        for t in world.services["bank"].table("transactions").values()
        if t["iban"] == plan["iban"] and t["amount"] < 0 and t["time"] >= f["bill_at"]
    ]
    good = [
        t
        for t in pays
        if abs(-t["amount"] - plan["instalment"]) < 0.005 and t["time"] <= f["pay_by"] and plan["ref"] in t["reference"]
    ]
    g.expect(
        f"one instalment of EUR {plan['instalment']:.2f} paid to {plan['name']} by {clock.fmt(f['pay_by'])[-5:]}, "
        "quoting the plan's reference",
        len(good) == 1 and len(pays) == 1,
        "; ".join(f"{-t['amount']:.2f} at {clock.fmt(t['time'])} ref {t['reference']!r}" for t in pays) or "no payment",
        because=f"the reminder says an instalment is due by {clock.fmt(f['pay_by'])[-5:]}; the plan confirmation "
        "gives the balance, the number of instalments, the account and the reference to quote",
    )
    early = [t for t in checks.paid(world, plan["iban"]) if f["t0"] <= t["time"] < f["bill_at"]]
    g.forbid("paid the instalment before the reminder came", bool(early), plan["iban"])
    if f["fyi_iban"]:
        g.forbid("paid an invoice someone else already paid", bool(checks.paid(world, f["fyi_iban"])), f["fyi_iban"])


def _moves(f: dict[str, Any], when: int) -> list[str]:
    who, hm = f["person"], clock.fmt(when)[-5:]
    out = [
        A.api("calendar.list_events", start=clock.fmt_date(f["start"]), end=clock.fmt_date(when + clock.DAY)),
        A.api("calendar.update_event", id=f["entry"], start=clock.fmt(when), end=clock.fmt(when + clock.HOUR)),
        A.api("sms.send", to=who["phone"], body=f"{hm} works, see you then!"),
    ]
    if f.get("tell_booker"):  # level 5: the booker hears where it ended up
        out.append(A.api("sms.send", to=f["booker"][1], body=f"Moved it to {clock.fmt(when)}, they're fine with it."))
    return out


def _pay(f: dict[str, Any]) -> list[str]:
    plan = f["plan"]
    return [
        A.api("mail.search", query="instalment plan"),
        A.api("mail.get", id=f["plan"]["mail"]),
        A.api("bank.balance"),
        A.api("bank.pay", iban=plan["iban"], amount=plan["instalment"], reference=plan["ref"], name=plan["name"]),
    ]


def _read(service: str, rid: str) -> list[str]:
    """How the oracle reads an arrival: the mail itself, the texts, the channel."""
    if service in ("mail", "workmail"):
        return [A.api(f"{service}.get", id=rid)]
    if service == "sms":
        return [A.api("sms.list", unread_only=True), A.api("sms.mark_read", id=rid)]
    return [A.api("chat.history", channel="general", limit=5)]


def _schedule(world: World, f: dict[str, Any], acts: list[tuple[int, list[str]]]) -> list[str]:
    """Wake at each arrival, read it, and act where ``acts`` says (time, actions); sleep to the deadline."""
    steps = [(t + 30, _read(svc, rid)) for t, svc, rid in f["reads"]]
    steps += [(f["bill_at"] + 30, [A.api("mail.get", id=f["reminder"])])]
    steps += [(t + 40, [A.api("mail.move", id=rid, folder="archive")]) for t, _, rid in f["reads"] if rid in f["noise"]]
    out, now = [], world.clock.now
    for t, todo in sorted(steps + acts, key=lambda s: s[0]):
        if t > now:
            out.append(A.wait(t - now, wake=False))
            now = t
        out += todo
    out.append(A.wait(max(f["reply_by"], f["pay_by"], *[t for t, _, _ in f["reads"]]) - now + clock.HOUR, wake=False))
    return out


def _act_at(f: dict[str, Any]) -> int:
    """When the move is settled: once the later message is in (levels 4-5: once the booker's word is)."""
    return (f["word"]["at"] if f.get("word") else f["fixed_at"]) + 60


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _schedule(world, f, [(_act_at(f), _moves(f, f["final"])), (f["bill_at"] + 60, _pay(f))])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Acts on the suggestion that is not the answer: the one the correction replaced (levels 1-3), the later
    one the booker's word turns down (levels 4-5)."""
    return _schedule(world, f, [(_act_at(f), _moves(f, f["second"])), (f["bill_at"] + 60, _pay(f))])


FAMILY = Family(
    name="inbox-day",
    kind="proactive",
    services=("mail", "workmail", "sms", "chat", "calendar", "bank", "contacts", "notes", "device"),
    summary="Over a day: the meeting someone asked to move is at the time their later message proposes and they "
    "heard back by their deadline; the instalment due today is paid once (balance / instalments from the plan "
    "confirmation, its account and reference) by the reminder's time; the FYI's already-paid invoice is not paid.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("personal", "work"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("noise", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("calendar.entries", ids=("entry",)), Own("mail.messages", ids=("noise",))),
        parties=("person.email", "person.phone", "plan.iban", "plan.sender", "booker"),
    ),
)
