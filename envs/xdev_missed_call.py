"""Proactive, cross-device: a missed call with a voicemail goes on the laptop's callback list, by name.

Nobody asks. Mid-episode a call is missed on the phone; a minute later the carrier
mails the voicemail transcript (number and message, no name; the caller asks to be called back before a
quarter hour 2-5 h on by difficulty: the task is judged then). The person keeps
~/Documents/callbacks.md on the laptop, whose header (their own words) says every
missed call that left a voicemail as ``- [ ] name | number | what about``. Only the
phone knows who the number is (saved in the phone's own contacts, not the synced
address book; a synced contact shares the first name). From level 2 another call is
missed without a voicemail (no entry); from level 4 an older, already-listed caller
rings again (the list keeps one line per person). From level 4 the caller rings from a new
number that no address book holds: their "New phone number" mail (>= 30 / 60 days back, among
the same mails from two or three other people saved on the phone) says whose it is, and the
list's header has one more line of the person's own: fix a changed number in the phone's
contacts (a second goal, checked).

Session 32 (issue 21): at levels 4-5 the header also says who returns calls for the person (a family member,
in the synced address book) and that a line is ticked off once they text that they have. Minutes after the
listed caller rings again, that person texts "re the call that came in at 14:19: I rang them back, it's sorted"
among their same-shaped texts about other things (days back, and one just after), naming no one and no number:
the listed caller's open line is ticked off (still one line per person). A search by any caller's name or number,
or "after all" / "from now on", does not land on it; the call log's times resolve it to exactly one call. At
level 5 the header's line also asks to text that person back that the line is off the list (checked: a text to
them after theirs).
"""

from __future__ import annotations

import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.persona import LAST, MAIL_DOMAINS, RELATIONS_FAMILY, Person
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_is
from claw_gym.world import World

from .kit import arrivals, deadlines, laptop_files, notation, oblique, phone_flows, plant, views
from .kit.day import clock_time

LIST = "Documents/callbacks.md"
CALLERS = [
    ("Noor", "plumber", "the leak under the kitchen sink - I could come Thursday morning"),
    ("Milan", "piano teacher", "moving Saturday's lesson, the hall is booked"),
    ("Sanne", "landlord", "the boiler service next week, I need a time to let the engineer in"),
    ("Ravi", "garage", "your car is ready, the brake pads were cheaper than quoted"),
    ("Odile", "vet's office", "the vaccination reminder for your dog, please book a slot"),
]
HEADER = (
    "# Calls to return\n"
    "Missed calls that left a voicemail go here as `- [ ] name | number | what about`, with the name\n"
    "they're saved under. Tick lines off when done.\n\n"
)


#: from level 4 the header has one more line: the person's own rule for changed numbers
FIX_LINE = "If their number changed, fix it in my phone's contacts too.\n"
#: the tradespeople's "new number" mails, all the same shape
MOVED = (
    "Hello,\n\na quick note for my customers: from the 1st I'm on {new} - the old {old} stops working then. "
    "Nothing else changes.\n\n{name}\n{role}"
)


#: from level 4 (session 32) the header names who returns calls for the person; their text ticks a line off
RETURNS_LINE = "{who} returns calls for me sometimes: when their text says one's sorted, tick that line off.\n"
#: level 5: the same line asks for a word back to them (a second party told, checked)
RETURNS_TELL = (
    "{who} returns calls for me sometimes: when their text says one's sorted, tick that line off and text {who} "
    "back that it's off the list.\n"
)
#: their text about the call (by the minute it came in) and their same-shaped texts about other things
RETURNED = ["I rang them back, it's sorted", "rang them back just now, it's sorted", "I called them back, sorted"]
ASIDES = [
    ("parcel", "I signed for it, it's in the hall"),
    ("letter from the council", "I've answered it, nothing to do"),
    ("meter reading reminder", "I sent the reading in"),
    ("school newsletter", "read it, nothing for us this week"),
    ("water bill", "I paid it from the joint account"),
]


def _returner(ctx: Ctx, busy: list[str]) -> Person:
    """Level 4-5: the family member (else a friend) who returns calls for the person, not one of the callers."""
    free = [p for p in ctx.persona.people if p.phone not in busy and p.first not in {b.split()[0] for b in busy}]
    pool = [p for p in free if p.relation in RELATIONS_FAMILY] or [p for p in free if p.relation == "friend"] or free
    return ctx.pick(pool)


def _returned(ctx: Ctx, who: Person, call: int, latest: int) -> dict[str, Any]:
    """``who`` texts that they returned the call that came in at ``call`` (by its minute only), among their
    same-shaped texts about other things; the deciding text's time, line and id."""

    def say(t: int, text: str) -> str:
        if t > ctx.now:
            return arrivals.arrive_sms(ctx, t, who.phone, text)
        return str(plant.sms(ctx, t, who.phone, text)["id"])

    refer = oblique.came_in(ctx.now)
    at = plant.jitter(ctx, call + int(ctx.rng.integers(10, 25)) * clock.MINUTE, 1)
    others = oblique.lines_about(ctx, refer, 3, ctx.now, pool=ASIDES)
    line = f"re {refer('call', call)}: {ctx.pick(RETURNED)}"
    msg = oblique.word_among(ctx, say, at, line, others, spread=3 * clock.DAY, latest=latest, gap=8 * clock.MINUTE)
    return {"returned_at": at, "returned_line": line, "returned_msg": msg}


def _moved_numbers(ctx: Ctx, caller: tuple[str, str, str], old: str) -> tuple[str, str]:
    """Level 4-5: the caller's number changed, said in a mail >= 30 / 60 days back among the same mails from
    other people saved on the phone; (new number, the mail's date for `because`)."""
    deep = 60 if ctx.difficulty >= 5 else 30
    others = ctx.sample([c for c in CALLERS if c[0] != caller[0]], 2 + (ctx.difficulty >= 5))
    new = _number(ctx)
    said = 0
    for k, (first, role, _) in enumerate([caller, *others]):
        name, was, now = (f"{first} {ctx.pick(LAST)}", _number(ctx), _number(ctx)) if k else (caller[2], old, new)
        if k:
            ctx.svc("phone").add_contact_record(f"{name} ({role})", was)
        t = ctx.now - int(ctx.rng.integers(deep + 2, deep + 40)) * clock.DAY
        t = plant.jitter(ctx, clock.day_start(t) + int(ctx.rng.integers(8, 19)) * clock.HOUR)
        sender = f"{first.lower()}.{name.split()[-1].lower()}@{ctx.pick(MAIL_DOMAINS)}"
        plant.mail_in(ctx, "mail", t, sender, "New phone number", MOVED.format(new=now, old=was, name=name, role=role))
        said = said or t
    return new, clock.fmt_date(said)


def _number(ctx: Ctx) -> str:
    return f"+1 555 {int(ctx.rng.integers(100, 999))} {int(ctx.rng.integers(1000, 9999))}"


def generate(ctx: Ctx) -> Scenario:
    phone = ctx.svc("phone")
    first, role, about = ctx.pick(CALLERS)
    name = f"{first} {ctx.pick(LAST)}"
    number = _number(ctx)
    contact = phone.add_contact_record(f"{name} ({role})", number)["id"]
    moved: dict[str, Any] = {"contact": None}
    if ctx.difficulty >= 4:  # the caller rings from a new number: only an old mail says whose it is
        saved, (number, said) = number, _moved_numbers(ctx, (first, role, name), number)
        moved = {"saved_number": saved, "moved_said": said, "saved_as": f"{name} ({role})", "contact": contact}
    decoy_last = ctx.pick([x for x in LAST if x not in name])
    ctx.svc("contacts").add(
        f"{first} {decoy_last}",
        f"{first.lower()}.{decoy_last.lower()}@{ctx.pick(MAIL_DOMAINS)}",
        _number(ctx),
        relation="friend",
        address=notation.home_address(ctx),
    )
    old = [f"- [x] {ctx.person().name} | {ctx.person().phone} | dinner plans"]
    again = None
    if ctx.difficulty >= 4:  # a caller already on the list (open line) rings again
        again = ctx.person()
        old.append(f"- [ ] {again.name} | {again.phone} | the school fundraiser")
    returner = _returner(ctx, [name, again.name, again.phone, number]) if again is not None else None
    returns = RETURNS_TELL if ctx.difficulty >= 5 else RETURNS_LINE
    extra = FIX_LINE + (returns.format(who=ctx.persona.called(returner)) if returner is not None else "")
    original = HEADER.replace("\n\n", "\n" + extra + "\n") if "saved_number" in moved else HEADER
    original += "\n".join(old) + "\n"
    plant.file(ctx, notation.jitter(ctx, ctx.now - int(ctx.rng.integers(3 * 1440, 9 * 1440)) * 60), LIST, original)
    trigger = plant.arrival(ctx, deadlines.trigger_time(ctx))
    # the caller's limit, a quarter hour 2-5 h on by difficulty (past the last call): the task is judged then
    by = deadlines.stated_limit(ctx, trigger + 25 * clock.MINUTE)
    arrivals.arrive_missed_call(ctx, trigger, number)
    calls = [trigger]
    vm = trigger + int(ctx.rng.integers(1, 4)) * clock.MINUTE
    carrier = "voicemail@carrier.example"
    arrivals.arrive_mail(
        ctx,
        "mail",
        vm,
        carrier,
        f"Voicemail from {number}",
        f"New voicemail from {number} (0:{int(ctx.rng.integers(15, 55))}).\n\nTranscript: \"Hi, it's me "
        f"about {about}. Call me back before {notation.hhmm(by)} if you can"
        f'{" - on this number now" if "saved_number" in moved else ""}, thanks."',
    )
    last = vm
    silent = None
    if ctx.difficulty >= 2:  # a missed call without a voicemail: not for the list
        silent = ctx.person()
        if returner is not None and silent.phone == returner.phone:  # not the one who returns calls
            silent = ctx.pick([p for p in ctx.persona.people if p.phone != returner.phone])
        t = trigger + int(ctx.rng.integers(5, 15)) * clock.MINUTE
        arrivals.arrive_missed_call(ctx, t, silent.phone)
        calls.append(t)
        last = max(last, t)
    returned: dict[str, Any] = {}
    if again is not None:
        t = trigger + int(ctx.rng.integers(6, 20)) * clock.MINUTE
        if returner is not None:  # its own minute: "the call that came in at HH:MM" is one call
            while clock.fmt(t)[-5:] in {clock.fmt(c)[-5:] for c in calls}:
                t += clock.MINUTE
        arrivals.arrive_missed_call(ctx, t, again.phone)
        arrivals.arrive_mail(
            ctx,
            "mail",
            t + clock.MINUTE,
            carrier,
            f"Voicemail from {again.phone}",
            f'New voicemail from {again.phone}.\n\nTranscript: "Just trying you again about the fundraiser - ring me '
            f'back before {notation.hhmm(clock_time(t, after_min=int(ctx.rng.integers(90, 240))))}?"',
        )
        last = max(last, t + clock.MINUTE)
        if returner is not None:  # who returns calls for the person texts that this one is sorted
            returned = _returned(ctx, returner, t, t + int(ctx.rng.integers(45, 70)) * clock.MINUTE)
            returned.update(
                returner=returner.name,
                returned_call=t,
                open_line=f"- [ ] {again.name} | {again.phone} | the school fundraiser",
            )
            returned["returner_phone"] = returner.phone  # texting them back is no damage
            returned["tell_returner"] = ctx.difficulty >= 5  # level 5: the header asks for a word back
    return Scenario(
        None,
        {
            "name": name,
            "number": number,
            "original": original,
            "silent": silent.name if silent else None,
            "again": again.name if again else None,
            "about": about,
            "trigger_at": trigger,
            "last": last,
            # everyone who rang during the episode: ringing them back is no damage (the list is the job)
            "callers": [number] + [p.phone for p in (silent, again) if p is not None],
            **moved,
            **returned,
        },
        deadline=deadlines.deadline_after(ctx, last, content=by) + deadlines.GRACE,
        trigger=f"{clock.fmt(trigger)}: missed call from {name} ({role}), voicemail mailed at {clock.fmt(vm)}",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rec = views.files(world).find(LIST)
    text = rec["content"] if rec else ""
    header = "the header of ~/Documents/callbacks.md says how to add a missed call that left a voicemail"
    kept = [ln for ln in f["original"].splitlines() if ln.strip()]
    ticked: list[str] = []
    if "returned_line" in f:  # the listed caller's line is ticked off, not kept open (session 32)
        kept = [ln for ln in kept if ln != f["open_line"]]
        ticked = [ln for ln in text.splitlines() if ln not in kept and _ticks(ln, f["open_line"])]
    lost = [ln for ln in kept if ln not in text.splitlines()]
    g.expect(
        "the list's earlier lines are kept",
        rec is not None and not lost,
        "the file is gone"
        if rec is None
        else (
            f"{count(len(lost), 'earlier line')} changed or gone"
            if lost
            else f"all {count(len(kept), 'earlier line')} kept"
        ),
        because=f"{header}; nothing asks to change the rest",
    )
    new = [ln for ln in text.splitlines() if ln.strip() and ln not in kept + ticked and ln != f.get("open_line")]
    if "returned_line" in f:
        still = f["open_line"] in text.splitlines()
        at = laptop_files.first_written(world, LIST, lambda c: any(_ticks(ln, f["open_line"]) for ln in c.splitlines()))
        early = at is not None and at < f["returned_at"]  # before their text is a guess
        g.expect(
            f"{f['again']}'s line is ticked off",
            len(ticked) == 1 and not still and not early,
            f"still open: {f['open_line']}"
            if still
            else (
                f"ticked {clock.fmt(at)}, before the text at {clock.fmt(f['returned_at'])}"
                if early and at is not None
                else (f"{ticked}" if ticked else "no ticked line for them")
            ),
            because=f"the list's header says a text from {f['returner']} that one's sorted ticks its line off; "
            f"the text at {clock.fmt(f['returned_at'])} says so of the call that came in at "
            f"{clock.fmt(f['returned_call'])[-5:]}, {f['again']}'s",
        )
    if f.get("tell_returner"):
        told = phone_flows.texts_out(world, f["returner_phone"], f["returned_at"])
        g.expect(
            f"{f['returner']} was texted back after their text",
            bool(told),
            f"{count(len(told), 'text')} to {f['returner_phone']} since {clock.fmt(f['returned_at'])}",
            because=f"the list's header says to text {f['returner']} back that the line is off the list",
        )
    digits = notation.norm_phone(f["number"])

    def names_caller(ln: str) -> bool:
        return f["name"].lower() in ln.lower() and digits in notation.norm_phone(ln)

    hits = [ln for ln in new if names_caller(ln)]
    g.expect(
        "a new line names the caller (as saved on the phone) with their number",
        len(hits) == 1,
        f"{count(len(hits), 'matching line')} among {count(len(new), 'new line')}: {new}",
        because=f"{header}, with the name the caller is saved under (the phone's contacts)",
    )
    g.expect(
        "the new line is an open item",
        bool(hits) and all(ln.lstrip().startswith("- [ ]") for ln in hits),
        f"{hits}" if hits else "no line for the caller",
        because=f"{header} as '- [ ] name | number | what about'",
    )
    # causality: the line counts only when written after the call was missed (the pattern at t=0 is a guess)
    at = laptop_files.first_written(
        world, LIST, lambda c: any(names_caller(ln) for ln in c.splitlines() if ln not in kept)
    )
    g.expect(
        "the line was written after the call was missed",
        at is not None and at >= f["trigger_at"],
        "no line for the caller was written"
        if at is None
        else f"first written {clock.fmt(at)}, call missed {clock.fmt(f['trigger_at'])}",
        because="the header asks for missed calls that left a voicemail: the call and the voicemail come first",
    )
    if "saved_number" in f:
        book = phone_flows.phone_contacts_with(world, f["name"])
        fixed = [c for c in book if notation.norm_phone(c["phone"]) == digits]
        g.expect(
            "the caller's number is fixed in the phone's contacts",
            bool(fixed),
            "; ".join(f"{c['name']}: {c['phone']}" for c in book) or "no phone contact by that name",
            because=f"the list's header says to fix a changed number in the phone's contacts; the caller's mail of "
            f"{f['moved_said']} gives the new number",
        )
    others = [ln for ln in new if ln not in hits]
    g.expect(
        "nothing else was added (no line for a call without a voicemail, no duplicate)",
        not others,
        f"extra lines {others}" if others else "no other line added",
        because=f"{header}: only calls that left a voicemail, one line per person",
    )


def _ticks(ln: str, open_line: str) -> bool:
    """``ln`` is ``open_line`` ticked off ("- [x]", a note after it allowed)."""
    rest = open_line.removeprefix("- [ ]").strip()
    return ln.lstrip().lower().startswith("- [x]") and ln.lstrip()[5:].strip().startswith(rest)


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """After the voicemails: read them by claw, see who called in the phone's call log, append one line."""
    line = f"- [ ] {f['name']} | {f['number']} | {f['about'].split(' - ')[0].split(',')[0]}"
    return [
        A.wait(max(f["last"], f.get("returned_at", 0)) - world.clock.now + clock.MINUTE, wake=False),
        A.shell("claw mail search voicemail --limit 5"),
        *S.open_app("Phone"),
        S.tap("id/tab_recents"),
        A.shell(f"cat ~/{LIST}"),
        A.shell(f"printf '%s\\n' {shlex.quote(line)} >> ~/{LIST} && tail -n 2 ~/{LIST}"),
        *(_fix_contact(f) if "saved_number" in f else []),
        *(_tick(f) if "returned_line" in f else []),
        A.wait(6 * clock.HOUR, wake=False),
    ]


def _tick(f: dict[str, Any]) -> list[str]:
    """Read the returner's texts, match the call's minute in the call log, tick that caller's line off."""
    edit = f"s#^- \\[ \\] {f['again']} |#- [x] {f['again']} |#"
    steps = [
        A.key("home"),
        *S.open_app("Messages"),
        A.shell(f"sed -i {shlex.quote(edit)} ~/{LIST} && cat ~/{LIST}"),
    ]
    if f.get("tell_returner"):  # level 5: a word back to them, from the phone
        steps += [A.key("home"), *phone_flows.text_from_phone(f["returner_phone"], "Thanks - ticked it off the list.")]
    return steps


def _fix_contact(f: dict[str, Any]) -> list[str]:
    """Find who the new number is in the mail, then edit the phone's contact."""
    return [
        A.shell("claw mail search 'New phone number' --limit 10"),
        A.key("home"),
        *S.open_app("Contacts"),
        *S.fill("search", f["name"].split()[0]),
        S.tap(f"text={f['saved_as']}"),
        S.tap("id/edit"),
        *S.replace("phone", f["number"]),
        S.tap("id/save"),
    ]


FAMILY = Family(
    name="xdev-missed-call",
    count=60,
    kind="proactive",
    services=("phone", "mail", "files", "contacts", "sms", "notes"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="Unasked, after the call and by the time the voicemail asks to be called back (when it is judged): "
    "the laptop's callbacks.md gains exactly one open line "
    "naming the caller "
    "who left a voicemail as saved on the phone (not the synced same-first-name contact) with their number; "
    "earlier lines kept; no line for a call without a voicemail or for a caller already listed; from level 4 the "
    "caller's new number (known only from an old mail) is on the line and fixed in the phone's contacts.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("voicemail",),
    tasks_per_variant=24,
    max_steps=60,  # level 5 has the returner's texts among the arrivals: a finish per burst needs more than 40
    tags=("phone", "laptop", "proactive"),
    phone_only=("name",),
    footprint=Footprint(
        owns=(Own("files.files", where=path_is(LIST)), Own("phone.contacts", ids=("contact",))),
        parties=("callers",),
        contacts=lambda w, f: [f["returner_phone"]] if "returner_phone" in f else [],  # texting them back is fine
    ),
)
