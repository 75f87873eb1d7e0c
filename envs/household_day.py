"""Proactive day at home: a parcel to rebook, a fee to pay, a repair visit to plan; marketing to ignore.

Nobody asks. Over a virtual day (more arrivals with difficulty):
- a courier texts that a parcel comes on a day between 13:00 and 15:00 (the person is busy then, by the
  calendar) and offers three other days to reply with by a time: the reply names one day the calendar
  leaves free over that window;
- a fee is due today by a time (``school``: the class trip, coach plus entry, reference the child's name
  from the mail; ``club``: the rowing club's season fee, boat plus locker, reference the member number):
  to the account "in our letter of <month>": one of three same-shaped letters of that sender, >= 30 / 60
  days back at difficulty 4 / 5, each with a different account (at 4-5 no month in their subjects:
  only the received date matches);
- the landlord announces a repair visit and asks to confirm by a time; the person's running note (one
  line among others) says visits to the flat go in the calendar; then the repair firm texts a new time
  for the visit (another channel, no tell): the calendar entry covers the new time, not the old;
- promotions (a shop's text, a newsletter) with difficulty: read them or not, nothing else.

At 4-5 (session 29) the fee mail names no letter: it asks for the fund's (club's) account. Of the sender's
three same-shaped letters, the deep one (>= 30 / 60 days back) moved the fund to another account and says
that bank details only change by its letters; an older one gives the account it replaced, and another one
an account for something else (lunch money, the boathouse bar). Later a fellow parent (member) texts a
fourth account they believe is the fund's now: no letter of the sender's, so it does not apply. Paying
any of those three is a violation. The visit moves twice: after the firm's text, the landlord (who arranges
it) mails again, under a subject that names nothing, with the time it is in the end, whatever the firm
texted: the calendar entry covers that time, neither the landlord's first window nor the firm's.

At 4-5 (session 33) a running note's line, weeks back, says the partner pays part of these costs and is to
be asked before paying one (at 5: and told once it's paid); minutes after the fee mail comes in the partner
texts "re the mail that came in at 10:42: I've paid the first part, you just do the second", naming no
amount, sender or purpose, among their same-shaped texts about other household matters (:mod:`.kit.oblique`):
only the second part is paid (at 5 the partner hears it is done), so neither a search on the sender, the
amounts or the reference nor "from now on" / "after all" lands on the word.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.persona import Person
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario, values
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, bulk, checks, day, notation, oblique, plant, records

COURIERS = [("ParcelPoint", "+1 555 010 4411"), ("SwiftDrop", "+1 555 010 7720"), ("Postline", "+1 555 010 3308")]
FIRMS = [("Brightwater Plumbing", "+1 555 014 2290"), ("Heatwell Services", "+1 555 014 8812")]
REPAIRS = ["the boiler service", "the leaking kitchen tap", "the bathroom extractor fan", "the radiator valves"]
CHILDREN = ["Mila", "Noah", "Lea", "Theo", "Ada", "Finn"]
PROMOS = [
    ("+1 555 019 2200", "Urbanfit: 30% off all running shoes this weekend only. Reply STOP to opt out."),
    ("+1 555 019 3300", "Greenbasket: your weekly deals are here - fresh berries 2 for 1. Reply STOP to opt out."),
]


#: how the school office and the treasurer title their letters (at 4-5: no month in the subject)
LETTER_SUBJECTS = {
    "school": ["A few practical points", "Welcome back", "News from the office", "Term update"],
    "club": ["Club news", "From the treasurer", "Season notes", "Boathouse update"],
}


#: levels 4-5: the letters' bodies: the deep one that moved the account, the one it replaced, another purpose
HARD_LETTERS = {
    "school": (
        "Dear parents,\n\nthank you for a good start to the term. The class fund now banks with the town's "
        "credit union: {iban}, with your child's name as reference as before. Bank details only ever change "
        "by a letter from this office, never by text or through the parents' group.\n\nKind regards,\n{org} "
        "school office",
        "Dear parents,\n\nwelcome back. A few practical points for this term: the class fund account is "
        "{iban} (please always give your child's name as reference), and lunch orders close on Thursdays."
        "\n\nKind regards,\n{org} school office",
        "Dear parents,\n\nlunch money for the new menu goes to the canteen's own account, {iban}, by the "
        "first of the month. The library is open again on Wednesdays.\n\nKind regards,\n{org} school office",
    ),
    "club": (
        "Dear members,\n\nfees go to the club's new account at the credit union from now on: {iban}, quoting "
        "your member number ({member}) as always. Bank details only ever change by a letter from me, never by "
        "text or word of mouth.\n\nBest,\nthe treasurer, {org}",
        "Dear members,\n\nthe club account for fees is {iban}; please quote your member number ({member}) "
        "with every payment. The boathouse is closed on public holidays.\n\nBest,\nthe treasurer, {org}",
        "Dear members,\n\nthe boathouse bar now settles tabs by transfer to its own account, {iban}. Please "
        "keep it separate from fees. Winter training starts next month.\n\nBest,\nthe treasurer, {org}",
    ),
}
#: levels 4-5: a fellow parent (member) who believes the account moved again: not a letter of the sender's
HEARSAY = {
    "school": "Hi! For the trip money - the class fund is on {iban} now I think, that's where I paid last time x",
    "club": "fyi the club takes fees on {iban} now, paid mine there last week",
}


#: levels 4-5: the running note's line that gives the partner a say on these payments (at 5: and to be told)
SPLIT = {
    "school": "{first} covers part of the school costs from their account: check with {first} before paying one",
    "club": "{first} pays part of the club fees from their account: check with {first} before paying one",
}
TELL_PARTNER = ", and tell them once it's paid"
#: levels 4-5: the partner's word on the fee mail, by the minute it came in only: they paid the first part
PAID_PART = [
    "re {ref}: I've paid the first part from my account, you just do the second",
    "re {ref}: the first part is done, I paid it - only the second is left for you",
]


def _fee(ctx: Ctx) -> dict[str, Any]:
    """The fee, its parts, who asks, and the letters (the named one deep in the history)."""
    school = ctx.variant == "school"
    a, b = (ctx.money(12, 28), ctx.money(4, 9)) if school else (ctx.money(60, 140), ctx.money(15, 40))
    sender = "office@lindenschool.example" if school else "treasurer@riversiderowing.example"
    org = "Linden Primary" if school else "Riverside Rowing Club"
    member = f"M-{ctx.code(4)}"
    back = day.days_back(ctx)
    offsets = [back, back + 34, back - 33 if back - 33 >= 3 else back + 68]
    hard, letters = ctx.difficulty >= 4, []
    subjects = ctx.sample(LETTER_SUBJECTS["school" if school else "club"], 3)
    for k, off in enumerate(offsets):
        t = day.past(ctx, off)
        iban = "DE" + ctx.code(2) + ctx.code(18)
        month = clock.to_datetime(t).strftime("%B")
        if hard:
            body = HARD_LETTERS["school" if school else "club"][k].format(iban=iban, org=org, member=member)
        elif school:
            body = (
                f"Dear parents,\n\nwelcome back. A few practical points for this term: the class fund account is "
                f"{iban} (please always give your child's name as reference), and lunch orders close on Thursdays."
                f"\n\nKind regards,\n{org} school office"
            )
        else:
            body = (
                f"Dear members,\n\nthe club account for fees is {iban}; please quote your member number ({member}) "
                f"with every payment. The boathouse is closed on public holidays.\n\nBest,\nthe treasurer, {org}"
            )
        subject = subjects[k] if hard else f"Letter from {org} - {month}"  # at 4-5 only the date says which
        rec = plant.mail_in(ctx, "mail", t, sender, subject, body, read=True)
        letters.append({"iban": iban, "month": month, "time": t, "id": rec["id"]})
    child = ctx.pick(CHILDREN)
    hearsay = []
    if hard:  # a fellow parent (member) texts a fourth account after the deep letter: hearsay, no letter
        iban = "DE" + ctx.code(2) + ctx.code(18)
        friend = ctx.person("friend")
        t = min(letters[0]["time"] + int(ctx.rng.integers(10, 25)) * clock.DAY, ctx.now - 3 * clock.DAY)
        text = HEARSAY["school" if school else "club"].format(iban=iban)
        said = plant.sms(ctx, plant.jitter(ctx, t), friend.phone, text)
        hearsay = [{"iban": iban, "id": said["id"], "time": said["time"]}]
    return {
        "school": school,
        "a": a,
        "b": b,
        "amount": round(a + b, 2),
        "sender": sender,
        "org": org,
        "child": child,
        "ref": child if school else member,
        "letter": letters[0],
        "others": [x["iban"] for x in letters[1:]] + [h["iban"] for h in hearsay],
        "hearsay": hearsay,
    }


def _landlord(ctx: Ctx) -> tuple[str, str]:
    people = ctx.svc("contacts").table("people").values()
    rec = next((r for r in people if r.get("relation") == "landlord"), None)
    if rec is None:
        return "Harbour Lettings", "rent@harbourlettings.example"
    return str(rec["name"]), str(rec["email"])


def generate(ctx: Ctx) -> Scenario:
    cal = ctx.svc("calendar")
    fee = _fee(ctx)
    partner = ctx.person("partner")
    t_note = day.past(ctx, day.days_back(ctx) + 3)
    hard = ctx.difficulty >= 4
    if hard:  # worded without "repair"/"visit", and another place's same-keyword line that does not apply
        line = (
            f"whenever someone needs letting in at home (plumber, meter man...), put it in the calendar so "
            f"{partner.first} sees it"
        )
    else:
        line = f"anyone coming to the flat (repairs, meter readings): put it in the calendar, {partner.first} checks it"
    day.note_with_line(ctx, line, t_note, extra=3 + ctx.difficulty // 2)
    others = [ctx.pick(day.NOTE_LINES)[2:], ctx.pick(day.NOTE_LINES)[2:]]
    if hard:
        others[0] = "storage unit repairs and deliveries: no need for the calendar, the caretaker lets them in"
    for line in others:  # other running notes of the same shape
        day.note_with_line(ctx, line, day.past(ctx, int(ctx.rng.integers(5, 80))))
    courier, courier_no = ctx.pick(COURIERS)
    first = clock.day_start(ctx.now) + int(ctx.rng.integers(1, 3)) * clock.DAY
    for _ in range(30):  # the person's own meetings may fill 13:00-15:00: offer days where two are still free
        if sum(_free_now(ctx, first + k * clock.DAY) for k in (1, 2, 3)) >= 2:
            break
        first += clock.DAY
    cal.add(
        ctx.pick(["Dentist", "Work offsite", "Team workshop"]),
        first + 12 * clock.HOUR + 30 * 60,
        first + 16 * clock.HOUR,
        attendees=[],
        location="",
    )
    offered = [first + k * clock.DAY for k in (1, 2, 3)]
    open_days = [d for d in offered if _free_now(ctx, d)]
    busy = open_days[int(ctx.rng.integers(0, len(open_days)))]  # the blocker takes one of the free days
    cal.add(
        ctx.pick(["Haircut", "Physio", "Client visit"]),
        busy + 13 * clock.HOUR,
        busy + 14 * clock.HOUR,
        attendees=[],
        location="",
    )
    n = 4 + min(2, ctx.difficulty - 1)
    ts = day.slots(ctx, min(6, n), gap_min=(25, 55))
    t_parcel, t_fee, t_visit, t_fix = ts[0], ts[1], ts[2], ts[3]
    rebook_by = day.clock_time(t_parcel, after_min=150 - 15 * ctx.difficulty)
    pay_by = day.clock_time(t_fee, after_min=140 - 15 * ctx.difficulty)
    confirm_by = day.clock_time(t_fix, after_min=100 - 10 * ctx.difficulty)
    ref = f"{courier[:2].upper()}{ctx.code(8)}"

    def label(d: int) -> str:
        dt = clock.to_datetime(d)
        return f"{dt:%a} {dt.day} {dt:%b}"

    parcel = arrivals.arrive_sms(
        ctx,
        t_parcel,
        courier_no,
        f"{courier}: your parcel {ref} is due {label(first)} between 13:00 and 15:00. Not home? Reply with one of "
        f"{', '.join(label(d) for d in offered)} by {clock.fmt(rebook_by)[-5:]} today to rebook.",
    )
    if hard:  # no letter named: the fund's account, which the deep letter moved
        what = (
            f"EUR {fee['a']:.2f} for the coach and EUR {fee['b']:.2f} for the museum entry to the class fund"
            if fee["school"]
            else f"EUR {fee['a']:.2f} boat use and EUR {fee['b']:.2f} locker to the club account"
        )
        fee_text = (
            f"Dear {'parent of ' + fee['child'] if fee['school'] else 'member'},\n\n"
            f"{'the class trip is next week. Please pay' if fee['school'] else 'your season fee is due today:'} "
            f"{what} today, by {clock.fmt(pay_by)[-5:]}.\n\n"
            f"{'Thank you,' if fee['school'] else 'Best,'}\n"
            f"{fee['org'] + ' school office' if fee['school'] else 'the treasurer, ' + fee['org']}"
        )
    elif fee["school"]:
        fee_text = (
            f"Dear parent of {fee['child']},\n\nthe class trip is next week. Please pay EUR {fee['a']:.2f} for the "
            f"coach and EUR {fee['b']:.2f} for the museum entry to the class fund (details in our letter of "
            f"{fee['letter']['month']}) today, by {clock.fmt(pay_by)[-5:]}.\n\nThank you,\n{fee['org']} school office"
        )
    else:
        fee_text = (
            f"Dear member,\n\nyour season fee is due today: EUR {fee['a']:.2f} boat use and EUR {fee['b']:.2f} "
            f"locker. Please transfer it by {clock.fmt(pay_by)[-5:]} to the club account in my letter of "
            f"{fee['letter']['month']}.\n\nBest,\nthe treasurer, {fee['org']}"
        )
    fee_mail = arrivals.arrive_mail(ctx, "mail", t_fee, fee["sender"], "Payment due today", fee_text)
    landlord, landlord_mail = _landlord(ctx)
    firm, firm_no = ctx.pick(FIRMS)
    repair = ctx.pick(REPAIRS)
    vday = clock.day_start(ctx.now) + int(ctx.rng.integers(2, 5)) * clock.DAY
    old_start, new_start = vday + 9 * clock.HOUR, vday + ctx.pick([11 * 60 + 30, 12 * 60 + 10, 14 * 60 + 20]) * 60
    firm_start = new_start
    visit = arrivals.arrive_mail(
        ctx,
        "mail",
        t_visit,
        landlord_mail,
        f"Repair visit - {repair}",
        f"Hello,\n\n{firm} will come for {repair} on {clock.to_datetime(vday):%A} between 09:00 and 11:00. "
        f"Please confirm by {clock.fmt(confirm_by)[-5:]} today that someone will be in.\n\nRegards,\n{landlord}",
    )
    fix = arrivals.arrive_sms(
        ctx,
        t_fix,
        firm_no,
        (
            f"Hi, {firm} here - {clock.to_datetime(vday):%A} we can only make it "
            f"{clock.fmt(new_start)[-5:]}-{clock.fmt(new_start + 90 * 60)[-5:]} now, sorry for the change."
        )
        if hard
        else f"Hi, {firm} here about {repair} on {clock.to_datetime(vday):%A}: we can only make it "
        f"{clock.fmt(new_start)[-5:]}-{clock.fmt(new_start + 90 * 60)[-5:]} now, sorry for the change.",
    )
    final: dict[str, Any] = {}
    if hard:  # the landlord's later word: another time, 90 minutes clear of the firm's and outside their first
        later = [m for m in (13 * 60, 15 * 60 + 40, 16 * 60 + 30) if abs(vday + m * 60 - firm_start) >= 100 * 60]
        new_start, old_start = vday + ctx.pick(later) * 60, firm_start
        t_final = t_fix + int(ctx.rng.integers(12, 25)) * clock.MINUTE
        final = {
            "final": arrivals.arrive_mail(
                ctx,
                "mail",
                t_final,
                landlord_mail,
                ctx.pick(["one more thing", "quick update", "sorry, again"]),
                f"Hello again,\n\n{firm} have just been on the phone with me: on {clock.to_datetime(vday):%A} "
                f"it is {clock.fmt(new_start)[-5:]}-{clock.fmt(new_start + 90 * 60)[-5:]} in the end, whatever "
                f"they texted you.\n\nRegards,\n{landlord}",
            ),
            "final_at": t_final,
            "first": vday + 9 * clock.HOUR,
        }
    split: dict[str, Any] = {"partner_contacts": []}
    if hard:  # the partner's say (a running note's line) and their word: they paid the first part
        split = _partner_word(ctx, partner, t_fee, fee)
    noise = []
    for k, t in enumerate(ts[4:]):
        if k == 0:
            no, text = ctx.pick(PROMOS)
            noise.append(arrivals.arrive_sms(ctx, t, no, text))
        else:
            noise.append(
                arrivals.arrive_mail(
                    ctx,
                    "mail",
                    t,
                    "hello@citypulse.example",
                    "This week in the city",
                    bulk.newsletter(ctx, "City Pulse", "This week in the city"),
                )
            )
    last = max(rebook_by, pay_by, confirm_by, ts[-1] + 30 * clock.MINUTE)
    return Scenario(
        None,
        {
            "trigger_at": t_parcel,
            "parcel": {"id": parcel, "number": courier_no, "by": rebook_by, "at": t_parcel},
            "offered": [clock.fmt_date(d) for d in offered],
            "fee": {**fee, "mail": fee_mail, "at": t_fee, "by": pay_by, "iban": fee["letter"]["iban"], **split},
            "visit": {
                "mail": visit,
                "fix": fix,
                "at": t_visit,
                "fix_at": t_fix,
                "by": confirm_by,
                "old": old_start,
                "new": new_start,
                "landlord": landlord_mail,
                "firm": firm_no,
                **final,
            },
            "noise": noise,
            "noise_at": ts[4:],
            "before": records.ids_now(ctx, ("calendar", "entries")),
            "deadline": last + clock.MINUTE,
        },
        deadline=last + clock.MINUTE,
        trigger=f"parcel text at {clock.fmt(t_parcel)}, fee mail at {clock.fmt(t_fee)}, visit at {clock.fmt(t_visit)}",
    )


def _partner_word(ctx: Ctx, partner: Person, t_fee: int, fee: dict[str, Any]) -> dict[str, Any]:
    """Levels 4-5: a running note's line (weeks back) says the partner pays part of these costs and is to be asked
    first (at 5: and told once it is paid); minutes after the fee mail comes in, the partner texts that they paid
    its first part, naming the mail only by the minute it came in, among their same-shaped texts about other
    matters (earlier days, and one later today). What is left to pay, and the facts for the checks."""
    rule = SPLIT["school" if fee["school"] else "club"].format(first=partner.first)
    rule += TELL_PARTNER if ctx.difficulty >= 5 else ""
    note = day.note_with_line(ctx, rule, day.past(ctx, int(ctx.rng.integers(20, 50))), extra=3)
    refer = oblique.came_in(ctx.now)
    at = t_fee + int(ctx.rng.integers(8, 20)) * clock.MINUTE + int(ctx.rng.integers(1, 59))
    line = ctx.pick(PAID_PART).format(ref=refer("mail", t_fee))

    def send(t: int, text: str) -> str:
        if t > ctx.now:
            return arrivals.arrive_sms(ctx, t, partner.phone, text)
        return str(plant.sms(ctx, t, partner.phone, text)["id"])

    msg = oblique.word_in_day(ctx, send, at, line, refer, pool=oblique.HOME_OTHERS, weekdays=False)
    return {
        "amount": fee["b"],  # the second part: the partner paid the first
        "total": fee["amount"],
        "word": {"msg": msg, "line": line, "at": at, "note": note},
        "partner": [partner.email, partner.phone] if ctx.difficulty >= 5 else [],
        "partner_name": partner.name,
        "partner_contacts": [partner.email, partner.phone],
    }


def _free_now(ctx: Ctx, d: int) -> bool:
    """Whether the calendar as generated so far (the background's meetings too) is free 13:00-15:00 on day ``d``."""
    return not checks.overlapping(
        checks.calendar_rows(ctx.world, with_pending=True), d + 13 * clock.HOUR, d + 15 * clock.HOUR
    )


def _free(world: World, f: dict[str, Any], day_iso: str) -> bool:
    """Whether the person's own calendar (not what the agent added) is free 13:00-15:00 that day."""
    d = clock.parse_time(day_iso)
    own = set(f["before"]["calendar.entries"]) | records.timeline_ids(world, "calendar", "entries")
    rows = [r for r in checks.calendar_rows(world, with_pending=True) if r["id"] in own]
    return not checks.overlapping(rows, d + 13 * clock.HOUR, d + 15 * clock.HOUR)


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    p = f["parcel"]
    texts = [
        e
        for e in day.done_between(world, "sms.send", p["at"], p["by"])
        if notation.norm_phone(str(e.args.get("to", ""))) == notation.norm_phone(p["number"])
    ]
    named: set[str] = set()
    for e in texts:
        body = str(e.args.get("body", ""))
        named |= {d.isoformat() for d in values.asked_values(body, values.dates_in(body, p["at"]))}
    ok = len(named) == 1 and next(iter(named)) in f["offered"] and _free(world, f, next(iter(named)))
    to_courier = notation.norm_phone(p["number"])
    late = [
        e
        for e in world.audit.calls("sms.send")
        if e.time > p["by"] and notation.norm_phone(str(e.args.get("to", ""))) == to_courier
    ]
    by = clock.fmt(p["by"])[-5:]
    said = f"naming {', '.join(sorted(named))}" if named else "naming a day" if texts else ""
    g.expect(
        f"the parcel is rebooked by {by} to one offered day the calendar leaves free",
        ok,
        f"{count(len(texts), 'text')} to the courier by {by} {said}".rstrip()
        + (f", {len(late)} after it" if late else "")
        + f"; offered {', '.join(f['offered'])}",
        because="the courier's text offers three days to reply with by its time; the calendar shows the "
        "delivery window busy and which offered day is free 13:00-15:00",
    )
    fee = f["fee"]
    pays = [t for t in checks.paid(world, fee["iban"]) if t["time"] >= fee["at"]]
    good = [
        t
        for t in pays
        if abs(-t["amount"] - fee["amount"]) < 0.005
        and t["time"] <= fee["by"]
        and fee["ref"].lower() in t["reference"].lower()
    ]
    moved = bool(fee.get("hearsay"))  # levels 4-5: the letter that moved the account decides
    because = (
        "today's mail gives the two parts, the time and the letter; the letter gives the account and what to quote"
    )
    if moved:
        because = (
            f"today's mail gives the two parts and the time; the sender's {fee['letter']['month']} letter moved the "
            "account to this one, says what to quote, and that bank details change only by its letters (the "
            "older letter's account was replaced, the other letter's is for something else, a text is no letter)"
        )
    if "word" in fee:
        because += (
            f"; {fee['partner_name']} (who, by the running note, pays part of these costs and is asked first) "
            "texted that they paid the first part: the second is left"
        )
    g.expect(
        f"EUR {fee['amount']:.2f} paid once to the account of the {fee['letter']['month']} letter by "
        f"{clock.fmt(fee['by'])[-5:]}, reference {fee['ref']}",
        len(good) == 1 and len(pays) == 1,
        "; ".join(f"{-t['amount']:.2f} at {clock.fmt(t['time'])} ref {t['reference']!r}" for t in pays)
        or "nothing paid to that account",
        because=because,
    )
    v = f["visit"]
    mine = records.agent_rows(world, "calendar", "entries", f["before"]["calendar.entries"])
    covers_new = [r for r in mine if r["start"] <= v["new"] < r["end"]]
    covers_old = [r for r in mine if r["start"] <= v["old"] < r["end"]]
    g.expect(
        "the repair visit is in the calendar at the firm's new time"
        if "final" not in v
        else "the repair visit is in the calendar at the time the landlord's later mail gives",
        bool(covers_new) and not covers_old,
        "; ".join(f"{r['title']!r} {clock.fmt(r['start'])}-{clock.fmt(r['end'])[-5:]}" for r in mine) or "none",
        because="the person's running note says visits to the flat go in the calendar; the firm's text moves it"
        + ("; then the landlord, who arranges it, mails the time it is in the end" if "final" in v else ""),
    )
    told = day.reached_between(world, [v["landlord"]], v["at"], v["by"])
    g.expect(
        f"the landlord had a confirmation by {clock.fmt(v['by'])[-5:]}",
        bool(told),
        "; ".join(told) or "not reached in time",
        because=f"the landlord's mail asks to confirm by {clock.fmt(v['by'])[-5:]}",
    )
    if fee.get("partner"):  # level 5: the note asks to tell the partner once it is paid
        heard = day.reached_between(world, fee["partner"], fee["word"]["at"], f["deadline"])
        g.expect(
            f"{fee['partner_name']} was told the fee is paid",
            bool(heard),
            "; ".join(heard) or "not told",
            because=f"the running note asks to tell {fee['partner_name'].split()[0]} once it's paid",
        )
    others = [i for i in fee["others"] if checks.paid(world, i)]
    g.forbid("paid an account from another letter", bool(others), ", ".join(others))


def _plan(world: World, f: dict[str, Any], visit_at: int) -> list[str]:
    p, fee, v = f["parcel"], f["fee"], f["visit"]
    free = next(d for d in f["offered"] if _free(world, f, d))
    dt = clock.to_datetime(clock.parse_time(free))
    steps: list[tuple[int, list[str]]] = [
        (
            p["at"] + 60,
            [
                A.api("sms.list", unread_only=True),
                A.api(
                    "calendar.list_events", start=f["offered"][0], end=clock.fmt_date(clock.parse_time(free) + 86400)
                ),
                A.api("sms.send", to=p["number"], body=f"{dt:%a} {dt.day} {dt:%b}"),
            ],
        ),
        (
            fee["word"]["at"] + 60 if "word" in fee else fee["at"] + 60,
            [
                A.api("mail.get", id=fee["mail"]),
                A.api("mail.search", query=fee["sender"]),
                A.api("mail.get", id=fee["letter"]["id"]),
                A.api("bank.pay", iban=fee["iban"], amount=fee["amount"], reference=fee["ref"], name=fee["org"]),
                *([A.api("sms.send", to=fee["partner"][1], body="Paid the rest of it.")] if fee.get("partner") else []),
            ],
        ),
        (v["at"] + 60, [A.api("mail.get", id=v["mail"]), A.api("notes.list", query="calendar")]),
        (
            v.get("final_at", v["fix_at"]) + 60,
            [
                A.api("sms.list", unread_only=True),
                *([A.api("mail.get", id=v["final"])] if "final" in v else []),
                A.api(
                    "calendar.create_event",
                    title="Repair visit (landlord)",
                    start=clock.fmt(visit_at),
                    end=clock.fmt(visit_at + 90 * 60),
                ),
                A.api("mail.reply", id=v["mail"], body="Thanks - someone will be in for the visit."),
            ],
        ),
    ]
    steps += [(t + 30, [A.api("sms.list", unread_only=True)]) for t in f["noise_at"]]
    out, now = [], world.clock.now
    for t, acts in sorted(steps, key=lambda x: x[0]):
        if t > now:
            out.append(A.wait(t - now, wake=False))
            now = t
        out += acts
    end = max(p["by"], fee["by"], v["by"], *f["noise_at"])
    return out + [A.wait(end - now + clock.HOUR, wake=False)]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _plan(world, f, f["visit"]["new"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Puts the visit in at the landlord's time, missing the firm's text that moved it."""
    return _plan(world, f, f["visit"]["old"])


FAMILY = Family(
    name="household-day",
    kind="proactive",
    services=("sms", "mail", "calendar", "bank", "notes", "contacts", "device"),
    summary="Over a day at home: the parcel is rebooked by text to one offered day the calendar leaves free, by "
    "the courier's time; the fee (two parts) is paid once by its time to the account of the letter the mail "
    "names (from level 4: the sender's letter that moved the account; not the one it replaced, another purpose's "
    "or one a friend texted), with the reference it says; the repair visit is in the calendar at the firm's later "
    "time (from level 4 the landlord's later mail after it) as the running note asks, and the landlord had a "
    "confirmation by their time.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("school", "club"),
    tasks_per_variant=15,
    count=30,
    max_steps=60,
    tags=("noise", "conflict"),
    stale_oracle=stale_oracle,
    footprint=Footprint(
        owns=(Own("mail.messages", ids=("noise",)),),
        parties=("parcel.number", "fee.iban", "fee.sender", "visit.landlord", "visit.firm", "fee.partner_contacts"),
    ),
)
