"""Proactive: a calendar invite file lands on the laptop; the phone must be silenced for it.

Mid-episode the manager mails (work mailbox) that an important call is coming and the invite was saved to
~/Downloads as an .ics file; the time is only in that file. By the time the mail gives (before the meeting
starts: the task is judged then) the agent must put the event in the calendar at the invite's time, turn Do
not disturb on on the phone (the manager asked for no buzzing) and let the manager know (their mail asks for
it: a reply, or a new mail, from either mailbox). Older .ics files of past meetings sit in Downloads as
distractors (more with difficulty). At difficulty 4-5 every invite is named as a browser saves it
("invite.ics", "invite (3).ics") and no file arrives with the mail: the client sent several slots for today
weeks ago (30+ days back at 4, 60+ at 5), all still in Downloads, same summary, same UID shape. Which one
holds is the thread's logic: the manager's #general line back then names the slot the client took (a line
about another client's slot is a decoy, on another day); at 5 (and in three quarters of the 4s) a later chat DM from the
manager's assistant, days back, says that slot fell through and they take the next one that day. The mail's
signature says the assistant runs the manager's diary; the DM names no client, time or meeting, only the day the
manager confirmed it in #general, among the assistant's same-shaped lines about the manager's other plans (session
31: a search by the manager's name or the matter's words no longer finds it). The mail asks for the outcome (in
the calendar, no phone going off) without naming the slot.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import arrivals, checks, deadlines, laptop_files, notation, oblique, plant, records, views, xchain

TOPICS = [
    "Escalation call with Northwind",
    "Board prep with the CFO",
    "Quarterly review with Bluepeak",
    "Incident review with Helix",
    "Contract walkthrough with Sable",
]
ASKS = [
    "Heads-up: {topic} later today. I saved the invite to your Downloads (.ics). Please get it in your "
    "calendar and no buzzing phones on this one - put yours on Do not disturb. Let me know once done, by {by} "
    "at the latest.",
    "{topic} got scheduled for today, invite is in your Downloads folder - please put it in your calendar. "
    "Phones silent during it please (Do not disturb), the client complained last time. Reply when sorted, "
    "before {by} please.",
    "Can you make {topic}? Invite file is in ~/Downloads. Please add it to your calendar and put your phone "
    "on Do not disturb beforehand, and drop me a line when that's done (by {by}, I brief the client then).",
]
WHY = "the manager's mail asks"
#: the level-4-5 trigger: the outcome wanted, not the file or the slot
ASKS_DEEP = [
    "{topic} is today. The invite is in your Downloads with the other slots they sent back then. I need it in "
    "your calendar, and no phone going off during it this time (Do not disturb). Tell me when it's sorted, by "
    "{by} at the latest.",
    "Reminder: {topic} today. Their invite should still be in your Downloads from when they offered times. "
    "Make sure it's in your calendar and your phone is on Do not disturb for it, then let me know before {by}.",
]
CONFIRM = [
    "{client} confirmed the {hhmm} on {day}, the other times they offered are just holds",
    "fyi {client} confirmed {hhmm} on {day} - ignore the other slots in their invite mail",
]
#: levels 4-5: the manager's assistant, who runs their diary (the trigger's signature says so), DMs the change:
#: by the day the manager confirmed the slot, naming no client, time or meeting
AMEND = [
    "re the time {boss} confirmed in #general on {day}: their side can't make it after all. We take the next one "
    "they offered, same day",
    "about what {boss} confirmed in #general on {day}: that one fell through after all - it's the next of the ones "
    "they sent, same day",
]
#: the assistant's same-shaped lines about other matters of the manager's diary
ASIDES = [
    "re the room {boss} booked for {day}: it can't take us after all, we're in the small one, same time",
    "about the lunch {boss} set up on {day}: the place can't do it after all, it's the week after",
    "re the train {boss} picked for {day}: cancelled after all, it's the next one that morning",
    "about the visit {boss} agreed for {day}: they can't host after all, we go the Thursday after",
]
SIGNATURES = [
    "{asst} runs my diary: when they move something, it's moved.",
    "My assistant {asst} handles my diary - their word on times is mine.",
]
CHANNEL = "general"
#: the manager's texts about other things, with the amendment's words ("slot", "can't do ... after all")
TEXTS = [
    "Can't do drinks at 18:00 after all, the kids' thing moved. Next week?",
    "Got a slot at the garage Friday morning, will be in around 11",
    "Running late, take the next slot in the standup without me",
    "The dentist gave me the 08:15 slot, so I'm in a bit later tomorrow",
]


def _stamp(t: int) -> str:
    return clock.to_datetime(t).strftime("%Y%m%dT%H%M%S")


def _ics(uid: str, title: str, start: int, end: int, organizer: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Claw Mail//EN\nBEGIN:VEVENT\n"
        f"UID:{uid}\nSUMMARY:{title}\nDTSTART:{_stamp(start)}\nDTEND:{_stamp(end)}\n"
        f"ORGANIZER:mailto:{organizer}\nLOCATION:Video call\nEND:VEVENT\nEND:VCALENDAR\n"
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _deep(ctx: Ctx, boss: Any, topic: str, trigger: int) -> tuple[dict[str, Any], str]:
    """Level 4-5: same-shaped live invites of today, the slot decided by a deep chat line and a later text.

    Returns the facts that differ from the shallow path, and the trigger mail's body."""
    client = topic.rsplit(" with ", 1)[-1]
    n = 3 if ctx.difficulty == 4 else 4
    first = (deadlines.deadline_after(ctx, trigger) // (15 * clock.MINUTE) + 2) * 15 * clock.MINUTE
    starts = [first]
    for _ in range(n - 1):
        starts.append(starts[-1] + ctx.pick([45, 60, 75, 90]) * clock.MINUTE)
    lo, hi = xchain.depth_days(ctx)
    sent = xchain.days_back(ctx, lo + 3, hi)  # when the client's slots were saved
    order = [int(i) for i in ctx.rng.permutation(n)]  # the save order: names say nothing about time
    cands = []
    for k, i in enumerate(order):
        path = "Downloads/invite.ics" if k == 0 else f"Downloads/invite ({k}).ics"
        end = starts[i] + ctx.pick([30, 45, 60]) * clock.MINUTE
        cands.append({"start": starts[i], "end": end, "path": path})
        body = _ics(f"{ctx.code(10)}@claw", topic, starts[i], end, boss.email)
        plant.file(ctx, sent + 40 * k + int(ctx.rng.integers(5, 30)), path, body)
    cands.sort(key=lambda c: c["start"])
    amend = ctx.difficulty == 5 or ctx.rng.random() < 0.75  # at 4 a quarter keep the confirmed slot
    took = int(ctx.rng.integers(0, n - 1)) if amend else int(ctx.rng.integers(0, n))
    day = clock.to_datetime(starts[0]).strftime("%a %d %b")
    said = xchain.days_back(ctx, lo, max(lo, (sent - ctx.now) // -clock.DAY - 1))
    line = ctx.pick(CONFIRM).format(client=client, hhmm=notation.hhmm(cands[took]["start"]), day=day)
    said = plant.chat(ctx, said, CHANNEL, boss.name, line)["time"]
    other = ctx.pick([t.rsplit(" with ", 1)[-1] for t in TOPICS if not t.endswith(client)])
    decoy = [c for i, c in enumerate(cands) if i != took][0]["start"]
    other_at = xchain.days_back(ctx, lo, hi)
    while clock.day_start(other_at) == clock.day_start(said):  # a day of its own: "confirmed on <day>" is one line
        other_at = xchain.days_back(ctx, lo, hi)
    plant.chat(
        ctx,
        other_at,
        CHANNEL,
        boss.name,
        ctx.pick(CONFIRM).format(client=other, hhmm=notation.hhmm(decoy), day=day),
    )
    chosen = took + 1 if amend else took
    facts: dict[str, Any] = {"candidates": cands, "confirmed_at": said, "took": cands[took]["start"]}
    for line in ctx.sample(TEXTS, 2):  # the manager's everyday texts: same words, other matters
        plant.sms(ctx, xchain.days_back(ctx, 2, 40), boss.phone, line)
    asst = _assistant(ctx, boss)
    dm = f"dm-{asst.first.lower()}"

    def _say(t: int, text: str) -> dict:
        return plant.chat(ctx, t, dm, asst.name, text)

    def _day(t: int) -> str:
        return f"{clock.to_datetime(t):%A %d %B}"

    at = xchain.days_back(ctx, 4, 12)
    asides = [
        line.format(boss=boss.first, day=_day(at + int(ctx.rng.integers(-20, 20)) * clock.DAY))
        for line in ctx.sample(ASIDES, 3)
    ]
    word = ctx.pick(AMEND).format(boss=boss.first, day=_day(said)) if amend else asides.pop()
    rec = oblique.word_among(ctx, _say, at, word, asides, earliest=said + clock.DAY)
    if amend:
        facts["amended_at"] = rec["time"]
    facts.update(start=cands[chosen]["start"], end=cands[chosen]["end"], path=cands[chosen]["path"])
    facts.update(assistant=asst.name, dm=dm, amended=amend)
    ask = ctx.pick(ASKS_DEEP).format(topic=topic, by=notation.hhmm(deadlines.stated_limit(ctx, trigger)))
    return facts, ask + f"\n\n{boss.first}\n--\n" + ctx.pick(SIGNATURES).format(asst=asst.name)


def _assistant(ctx: Ctx, boss: Any) -> Any:
    """Levels 4-5: the colleague who runs the manager's diary."""
    pool = [p for p in ctx.persona.people if p.name != boss.name]
    return ctx.pick([p for p in pool if p.relation == "colleague"] or pool)


def generate(ctx: Ctx) -> Scenario:
    boss = ctx.person("manager")
    if ctx.difficulty >= 4:
        return _generate_deep(ctx, boss)
    topic = ctx.pick(TOPICS)
    trigger = deadlines.trigger_time(ctx)
    start = (deadlines.deadline_after(ctx, trigger) // (15 * clock.MINUTE) + 2) * 15 * clock.MINUTE
    # the mail's limit, before the meeting starts: judged then
    limit = deadlines.stated_limit(ctx, trigger)
    end = start + ctx.pick([30, 45, 60]) * clock.MINUTE
    plain = ctx.difficulty >= 4  # browser-style names: the file's name says nothing

    def _name(slug: str, k: int) -> str:
        return f"Downloads/{'invite' if k == 0 else f'invite ({k})'}.ics" if plain else f"Downloads/invite-{slug}.ics"

    path = _name(_slug(topic), ctx.difficulty)
    for i in range(ctx.difficulty):  # invites of meetings that are over
        old = ctx.pick(TOPICS)
        t = ctx.now - (i + 1) * int(ctx.rng.integers(2, 9)) * clock.DAY - int(ctx.rng.integers(0, 3600))
        ctx.svc("files").put(
            _name(f"{_slug(old)}-{i + 1}", ctx.difficulty - 1 - i),
            _ics(f"old-{ctx.code(8)}", old, t, t + clock.HOUR, boss.email),
            time=t - clock.DAY - int(ctx.rng.integers(0, 3000)),
        )
    arrivals.arrive_file(ctx, trigger, path, _ics(f"{ctx.code(10)}@claw", topic, start, end, boss.email))
    mail = arrivals.arrive_mail(
        ctx,
        "workmail",
        trigger,
        boss.email,
        topic,
        ctx.pick(ASKS).format(topic=topic, by=notation.hhmm(limit)) + f"\n\n{boss.name.split()[0]}",
    )
    return Scenario(
        None,
        {**_facts(ctx, trigger, topic, mail, boss), "start": start, "end": end, "path": path},
        deadline=limit + deadlines.GRACE,
        trigger=f"{boss.name} mails at {clock.fmt(trigger)}: invite saved to {path}",
    )


def _facts(ctx: Ctx, trigger: int, topic: str, mail: str, boss: Any) -> dict[str, Any]:
    """What every level's checks read: the trigger, the meeting, the mail and its sender, and the phone's
    settings and the calendar's entries before the episode."""
    return {
        "trigger_at": trigger,
        "title": topic,
        "mail": mail,
        "boss": boss.email,
        "initial": dict(ctx.svc("phone").settings),
        "cal_before": sorted(ctx.svc("calendar").table("entries")),
    }


def _generate_deep(ctx: Ctx, boss: Any) -> Scenario:
    topic = ctx.pick(TOPICS)
    trigger = deadlines.trigger_time(ctx)
    for i in range(2):  # invites of meetings that are over, named the way the browser numbers on
        old = ctx.pick([t for t in TOPICS if t != topic])
        t = ctx.now - (i + 1) * int(ctx.rng.integers(2, 9)) * clock.DAY - int(ctx.rng.integers(0, 3600))
        t = t // (15 * clock.MINUTE) * 15 * clock.MINUTE  # meetings start on the quarter hour
        plant.file(
            ctx,
            t - clock.DAY,
            f"Downloads/invite ({4 + i}).ics",
            _ics(f"{ctx.code(10)}@claw", old, t, t + clock.HOUR, boss.email),
        )
    deep, body = _deep(ctx, boss, topic, trigger)
    mail = arrivals.arrive_mail(ctx, "workmail", trigger, boss.email, topic, body)
    facts = {**_facts(ctx, trigger, topic, mail, boss), **deep}
    return Scenario(
        None,
        facts,
        deadline=deadlines.stated_limit(ctx, trigger) + deadlines.GRACE,  # the mail's limit, before every slot
        trigger=f"{boss.name} mails at {clock.fmt(trigger)}: invite in Downloads",
    )


def _placed(world: World, before: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every calendar entry the agent created or moved, as it stands now: a hedge that
    places the meeting at several candidate times shows as several."""
    table = world.services["calendar"].table("entries")
    moved = {
        str(e.args.get("id"))
        for e in world.audit.calls("calendar.update_event")
        if e.ok and (e.args.get("start") or e.args.get("end"))
    }
    rows = records.agent_rows(world, "calendar", "entries", before) + [table[i] for i in sorted(moved) if i in table]
    return [(r["start"], r["end"]) for r in rows]


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rows = [r for r in checks.calendar_rows(world) if r["start"] == f["start"] and r["end"] == f["end"]]
    want = f"{clock.fmt(f['start'])}-{notation.hhmm(f['end'])}"
    others = sorted({f"{clock.fmt(s)}-{notation.hhmm(e)}" for s, e in _placed(world, f["cal_before"])} - {want})
    g.expect(
        "the invite's event is in the calendar at its time, and no other candidate",
        bool(rows) and not others,
        f"{count(len(rows), 'entry')} at {want}" + (f"; also placed {others}" if others else ""),
        because=f"{WHY} to put it in the calendar; the .ics it names gives the time",
    )
    settings = views.phone(world).settings
    g.expect(
        "the phone is on Do not disturb",
        settings["do_not_disturb"],
        f"Do not disturb is {'on' if settings['do_not_disturb'] else 'off'}",
        because=f"{WHY} for Do not disturb",
    )
    changed = sorted(k for k, v in settings.items() if k != "do_not_disturb" and v != f["initial"][k])
    g.expect(
        "no other phone setting changed",
        not changed,
        f"changed: {', '.join(changed)}" if changed else "no other setting changed",
        because=f"{WHY} for Do not disturb, nothing else on the phone",
    )
    told = checks.sent_to(world, f["boss"], after=f["trigger_at"])  # a reply or a new mail, either mailbox
    g.expect(
        "the manager was told it's done",
        bool(told),
        f"{count(len(told), 'mail')} to {f['boss']} since theirs",
        because=f"{WHY} to let them know",
    )


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Wait for the mail, read the .ics on the laptop, add the event, silence the phone, reply; stay."""
    return [
        A.wait(f["trigger_at"] - world.clock.now, wake=False),
        A.shell("claw workmail list --unread-only"),
        A.shell("ls -t ~/Downloads | head"),
        A.shell(f"cat ~/{shlex.quote(f['path'])}"),
        laptop_files.claw(
            "calendar.create_event",
            title=f["title"],
            start=clock.fmt(f["start"]),
            end=clock.fmt(f["end"]),
            location="Video call",
        ),
        *S.open_app("Settings"),
        S.tap("id/switch_do_not_disturb"),
        laptop_files.claw(
            "workmail.reply", id=f["mail"], body="It's in my calendar and my phone will be on Do not disturb."
        ),
        A.wait(8 * clock.HOUR, wake=False),
    ]


FAMILY = Family(
    name="dual-invite-dnd",
    count=60,
    kind="proactive",
    services=("workmail", "files", "calendar", "phone", "contacts", "chat", "sms"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="By the time the manager's mail gives (before the meeting), the event of the .ics invite in Downloads is "
    "in the calendar at its exact time (at 4-5 the slot the client took among same-shaped invites, unless the "
    "manager's assistant later moved it; no other candidate), the phone is on Do not disturb (no other setting "
    "changed) and the manager, whose mail asks to be told, got a mail back.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("ics",),
    tasks_per_variant=20,
    max_steps=40,
    tags=("laptop", "phone", "cross-device", "proactive"),
    footprint=Footprint(
        owns=(Own("workmail.messages", ids=("mail",)),), parties=("boss",), settings=("do_not_disturb",)
    ),
)
