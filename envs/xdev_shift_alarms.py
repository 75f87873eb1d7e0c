"""Cross-device: set phone alarms from next week's shift rota, a CSV on the laptop, changed by a text.

The rota lives in ~/Documents/rota on the laptop (the manager mailed that it is there); a day
later the manager texts changes in plain words ("Tuesday you start at 14:00, not 06:00; you're
off on Thursday after all"): the file is not replaced, so the agent applies the text to it.
Alarms live on the phone (the Clock app: no API, no ``claw``), so the agent reads the file on
the laptop and sets them by hand: one alarm an hour before each shift, repeating on that
weekday. Conflict: the file's shifts the text changed are stale; alarms for them are wrong. From
level 4 this week's rota sits in the same folder as a decoy. The person's own alarms stay.

Levels 4-5 (issue 21): the instruction no longer gives the lead: "the way I always have them". The
person's rule is one line of a plain notes page written >= 30 days back (>= 60 at 5), worded without
"alarm" or "shift": a longer lead before an early start than before a later one. Their partner's rule
("an hour before, whatever the start") is a same-shaped line on another page. The manager's change text
names no rota, and the same manager texted a same-shaped change for this week days before the rota came.
Session 31: the rota's mail says the manager is off and a colleague covers ("what they tell you goes"); that
colleague's later text takes one of the manager's changes back by the text's day and the change's place ("the
second change is off after all - that day stays as first planned"), naming no day, time or rota, among their
same-shaped texts about other matters. The manager's text alone is no longer the answer.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.services.phone import DAYS
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint
from claw_gym.world import World

from .kit import household, notation, oblique, plant, records

DIR = "Documents/rota"
STARTS = ["06:00", "06:30", "07:00", "08:00", "13:00", "14:00", "22:00"]
LEAD_MIN = 60
INSTRUCTIONS = [
    "Next week's rota is on my laptop. Set alarms on my phone an hour before each of my shifts, repeating on the "
    "shift's weekday.",
    "Could you put my shifts for next week into phone alarms? One hour before each start, on that weekday. The "
    "rota file is on the laptop - {sender} texted me a change or two since, I think.",
    "Please set my wake-up alarms for next week's shifts (an hour before each one starts, repeating on that day). "
    "The rota is in Documents on the laptop.",
]


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["date", "day", "start", "end", "station"])
    for r in rows:
        w.writerow([r["date"], r["day"], r["start"], r["end"], r["station"]])
    return out.getvalue()


def _shift(ctx: Ctx, monday: int, day: int, start: str) -> dict[str, str]:
    t = monday + day * clock.DAY
    h = (int(start[:2]) + 8) % 24
    return {
        "date": clock.fmt_date(t),
        "day": DAYS[day].title(),
        "start": start,
        "end": f"{h:02d}:{start[3:]}",
        "station": ctx.pick(["Ward 3", "Ward 5", "Front desk", "Lab"]),
    }


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def _weekday(row: dict[str, str]) -> str:
    """The shift's weekday as a text says it: 'Tuesday'."""
    return clock.to_datetime(clock.parse_time(row["date"])).strftime("%A")


def alarm_for(start: str, leads: tuple[int, int] = (LEAD_MIN, LEAD_MIN)) -> str:
    """The alarm before a shift starting at ``start``: ``leads`` is (before an early start, before a later one)."""
    mins = int(start[:2]) * 60 + int(start[3:])
    m = (mins - (leads[0] if mins < EARLY_BEFORE else leads[1])) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def wanted(rows: list[dict[str, str]], leads: tuple[int, int] = (LEAD_MIN, LEAD_MIN)) -> list[list[str]]:
    """(alarm time, weekday) pairs for a rota, sorted."""
    return sorted([alarm_for(r["start"], leads), r["day"][:3].lower()] for r in rows)


#: levels 4-5: a start before 09:00 is early; the person's rule gives a lead for each kind
EARLY_BEFORE = 9 * 60
RULES = [
    "Work days: up {early} min before an early start (before 9), {late} min before a later one - the bus.",
    "Before 9 o'clock starts I need {early} minutes to get going; later starts, {late} is plenty.",
]
THEIR_RULE = "{name}'s work days: up an hour before, whatever the start."
DEEP_INSTRUCTIONS = [
    "Next week's rota is on my laptop. Set alarms on my phone for each of my shifts, the way I always have them, "
    "repeating on the shift's weekday.",
    "Could you put my shifts for next week into phone alarms, at my usual lead time before each start, on that "
    "weekday? The rota file is on the laptop.",
]


def _deep_rule(ctx: Ctx, boss: Any, monday: int, sent: int) -> tuple[tuple[int, int], str]:
    """Levels 4-5: the person's lead rule deep in a notes page, their partner's beside it, and the manager's
    same-shaped change text for this week (before the rota's mail, ``sent``); ((early lead, late lead), the
    note's title)."""
    leads = (int(ctx.pick([75, 90, 105])), int(ctx.pick([30, 45])))
    line = ctx.pick(RULES).format(early=leads[0], late=leads[1])
    at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx) * clock.DAY)
    title = household.rule_note(ctx, line, t=at)
    partner = ctx.person("partner")
    household.decoy_notes(ctx, [THEIR_RULE.format(name=partner.first)], around=at + 15 * clock.DAY, avoid=title)
    this = monday - 7 * clock.DAY + int(ctx.rng.integers(1, 4)) * clock.DAY
    old, new = ctx.sample(STARTS, 2)
    plant.sms(
        ctx,
        plant.jitter(ctx, min(this - 2 * clock.DAY + 17 * clock.HOUR, sent - 2 * clock.DAY)),
        boss.phone,
        f"Hi {ctx.persona.me.first}, a change for this week: {clock.to_datetime(this):%A} you start at {new}, "
        f"not {old}. Sorry!",
    )
    return leads, title


#: levels 4-5: the manager's cover takes one of the manager's changes back, by the text's day and the change's place
ORDINALS = ["first", "second", "third"]
TAKE_BACK = [
    "re what {boss} texted you on {day}: the {nth} change is off after all - that day stays as first planned",
    "about {boss}'s text of {day}: scratch the {nth} change after all, that day is as it was before it",
]
#: the cover's same-shaped lines about other matters of the ward
COVER_ASIDES = [
    "re what {boss} said at the team meeting on {day}: the {nth} point is off after all, the lockers stay as they are",
    "about the notice {boss} pinned up on {day}: the {nth} item is off after all, the car park stays open",
    "re the training {boss} listed on {day}: the {nth} session is off after all, the rest stay as they are",
    "about {boss}'s mail of {day} on uniforms: the {nth} part is off after all, keep the old ones for now",
]


def _date(t: int) -> str:
    """A day as the cover writes it, without its weekday (the weekdays are the rota's words): '14 January'."""
    d = clock.to_datetime(t)
    return f"{d.day} {d:%B}"


def _cover(ctx: Ctx, boss: Any) -> Any:
    """Levels 4-5: who covers for the manager (the rota's mail says so): a colleague."""
    pool = [p for p in ctx.persona.people if p.name != boss.name]
    return ctx.pick([p for p in pool if p.relation == "colleague"] or pool)


def _take_back(ctx: Ctx, cover: Any, boss: Any, texted: int, back: int, n: int) -> dict[str, Any]:
    """The cover's text taking back the ``back``-th of the manager's ``n`` changes (of the text sent at ``texted``),
    by the text's day and the change's place, among the cover's same-shaped texts about other matters."""
    nth = "last" if back == n - 1 and ctx.rng.random() < 0.5 else ORDINALS[back]
    day = _date(texted)
    at = clock.day_start(texted) + clock.DAY + int(ctx.rng.integers(9 * 60, 18 * 60)) * clock.MINUTE  # next day
    at = min(plant.second(ctx, at), ctx.now - 2 * clock.HOUR)

    def _say(t: int, text: str) -> dict:
        return plant.sms(ctx, t, cover.phone, text)

    others = [
        line.format(boss=boss.first, day=_date(texted - int(d) * clock.DAY), nth=ctx.pick(ORDINALS))
        for line, d in zip(ctx.sample(COVER_ASIDES, 3), ctx.rng.integers(1, 12, size=3), strict=True)
    ]
    word = ctx.pick(TAKE_BACK).format(boss=boss.first, day=day, nth=nth)
    rec = oblique.word_among(ctx, _say, at, word, others, spread=2 * clock.DAY, earliest=texted + clock.HOUR)
    return {"cover": cover.name, "cover_phone": cover.phone, "taken_back": rec["id"], "taken_back_at": rec["time"]}


def generate(ctx: Ctx) -> Scenario:
    files, phone = ctx.svc("files"), ctx.svc("phone")
    monday = ctx.next_weekday(0, 0)
    week = clock.to_datetime(monday).strftime("%Y-W%V")
    n = min(2 + ctx.difficulty // 2 + int(ctx.rng.integers(0, 2)), 5)
    days = sorted(int(d) for d in ctx.rng.choice(7, size=n, replace=False))
    first = [_shift(ctx, monday, d, ctx.pick(STARTS)) for d in days]
    revised = [dict(r) for r in first]
    changes: list[tuple[str, int]] = []  # (the text's words, the file's row it changes)
    for i in sorted(ctx.sample(list(range(n)), 1 if ctx.difficulty <= 2 else 2)):  # moved starts
        revised[i]["start"] = ctx.pick([s for s in STARTS if s != first[i]["start"]])
        revised[i]["end"] = _shift(ctx, monday, days[i], revised[i]["start"])["end"]
        changes.append((f"{_weekday(first[i])} you start at {revised[i]['start']}, not {first[i]['start']}", i))
    moved = [dict(r) for r in revised]
    if ctx.difficulty >= 3:  # one shift dropped
        k = int(ctx.rng.integers(0, n))
        gone = revised.pop(k)
        changes = [c for c in changes if not c[0].startswith(_weekday(gone))]
        changes.append((f"you're off on {_weekday(gone)} after all", k))
    sent = notation.jitter(ctx, ctx.now - 3 * clock.DAY, minutes=180)
    files.put(f"{DIR}/rota-{week}.csv", _csv(first), time=sent)
    boss = ctx.person("manager") if any(p.relation == "manager" for p in ctx.persona.people) else ctx.person()
    cover = _cover(ctx, boss) if ctx.difficulty >= 4 else None
    ctx.svc("mail").deliver(
        boss.email,
        f"Rota {week}",
        f"Hi,\n\nnext week's rota is in your Documents/rota folder (rota-{week}.csv). Shout if anything "
        f"doesn't work for you.\n\n{boss.first}"
        + (
            f"\n\nPS: I'm off from tomorrow. {cover.name} covers for me till I'm back - what they tell you goes."
            if cover
            else ""
        ),
        time=sent,
    )
    texted = sent + clock.DAY + int(ctx.rng.integers(30, 600)) * clock.MINUTE
    opener = "a change" if len(changes) == 1 else f"{len(changes)} changes"
    leads, note = (LEAD_MIN, LEAD_MIN), ""
    said: dict[str, Any] = {}
    if cover is not None:  # the text names no rota; the lead is the person's own rule; the cover takes one back
        listed = _listed([c for c, _ in changes])
        plant.sms(ctx, texted, boss.phone, f"Hi {ctx.persona.me.first}, {opener} for next week: {listed}.")
        leads, note = _deep_rule(ctx, boss, monday, sent)
        moves = [k for k, (c, _) in enumerate(changes) if " you start at " in c]
        # one the cover takes back, leaving a move in force: the file as it is never does the job
        back = int(ctx.pick([k for k in range(len(changes)) if len(moves) > 1 or k not in moves]))
        said = _take_back(ctx, cover, boss, texted, back, len(changes))
        row, off = changes[back][1], changes[-1][1]  # the row taken back; the dropped row (its change is last)
        said["texted"] = wanted(revised, leads)  # the manager's text alone: the answer the cover's word changes
        revised = [first[i] if i == row else moved[i] for i in range(n) if i == row or i != off]
    else:
        ctx.svc("sms").receive(
            boss.phone,
            f"Hi {ctx.persona.me.first}, {opener} to next week's rota: {_listed([c for c, _ in changes])}. Sorry!",
            time=texted,
            read=True,
        )
    if ctx.difficulty >= 4:  # this week's rota: already over, a decoy
        this = monday - 7 * clock.DAY
        files.put(
            f"{DIR}/rota-{clock.to_datetime(this):%Y-W%V}.csv",
            _csv([_shift(ctx, this, d, ctx.pick(STARTS)) for d in range(0, 5, 2)]),
            time=sent - 7 * clock.DAY,
        )
    own = phone.set_alarm("07:30", "Weekend run", ["sat", "sun"])["created"] if ctx.difficulty >= 2 else None
    before = list(phone.table("alarms"))
    pool = DEEP_INSTRUCTIONS if note else INSTRUCTIONS
    instruction = ctx.pick(pool).format(sender=boss.first)  # who texted the changes
    return Scenario(
        instruction,
        {
            "want": wanted(revised, leads),
            "stale": wanted(first, leads),
            "hourly": wanted(revised),
            "own": own,
            "before": before,
            "week": week,
            "note": note,
            **said,
        },
    )


def _cover_says(f: dict[str, Any]) -> str:
    if not f.get("cover"):
        return ""
    return f" and {f['cover']}, who covers for the manager (the rota's mail says so), takes one of them back"


def _pairs(world: World, f: dict[str, Any]) -> list[list[str]]:
    rows = records.agent_rows(world, "phone", "alarms", f["before"])
    return sorted([a["time"], d] for a in rows if a["enabled"] for d in (a["days"] or ["once"]))


def _show(pairs: list[list[str]]) -> str:
    return ", ".join(f"{t} {d}" for t, d in pairs) or "none"


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    got = _pairs(world, f)
    missing = [p for p in f["want"] if p not in got]
    extra = [p for p in got if p not in f["want"]]
    if f.get("note"):
        asked = (
            f"the instruction asks for an alarm before each shift, on its weekday, as the person always has them "
            f"(their note '{f['note']}' gives the lead before an early and a later start)"
        )
    else:
        asked = "the instruction asks for an alarm an hour before each shift, on its weekday"
    g.expect(
        "an alarm before every shift of the corrected rota",
        not missing,
        f"new alarms: {_show(got)}; the corrected rota gives {_show(f['want'])}",
        because=f"{asked}; the rota file on the laptop, with the changes the manager's later text makes"
        + _cover_says(f),
    )
    g.expect(
        "no alarm for a shift that is not on the corrected rota",
        not extra,
        f"alarms for no shift: {_show(extra)}" if extra else "every new alarm is for a shift",
        because=f"{asked}; the manager's later text moves or cancels some of the file's shifts{_cover_says(f)}",
    )
    alarms = world.services["phone"].table("alarms")
    if f["own"] is not None:
        own = alarms.get(f["own"])
        g.expect(
            "the person's own alarm is untouched",
            own is not None and own["enabled"],
            "the weekend alarm is deleted"
            if own is None
            else f"the weekend alarm is {'on' if own['enabled'] else 'off'}",
            because="the instruction asks to add shift alarms, not to change the person's own",
        )


def _alarm_steps(pairs: list[list[str]]) -> list[str]:
    by_time: dict[str, list[str]] = {}
    for t, d in pairs:
        by_time.setdefault(t, []).append(d)
    steps = [*S.open_app("Clock")]
    for t, days in sorted(by_time.items()):
        steps += [
            S.tap("id/add_alarm"),
            *S.fill("time", t),
            *S.fill("label", "Shift"),
            *S.fill("days", " ".join(days)),
            S.tap("id/save"),
        ]
    return steps


def _steps(f: dict[str, Any], pairs: list[list[str]], name: str) -> list[str]:
    return [
        A.shell("claw mail search rota --limit 5"),
        A.shell(f"claw files list --dir {DIR}"),
        A.shell(f"cat ~/{DIR}/{name}"),
        *S.open_app("Messages"),
        *_alarm_steps(pairs),
        A.finish("Alarms set for next week's shifts."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Find the rota (mail, files), read it in the shell and the manager's text, one alarm per start in Clock."""
    return _steps(f, f["want"], f"rota-{f['week']}.csv")


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Sets the alarms of the file as it is, missing the manager's text."""
    return _steps(f, f["stale"], f"rota-{f['week']}.csv")


FAMILY = Family(
    name="xdev-shift-alarms",
    count=60,
    kind="reactive",
    services=("phone", "files", "mail", "sms", "calendar", "contacts", "notes"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The phone has exactly one enabled alarm (time, weekday) before each shift of the rota CSV on the "
    "laptop as the manager's later text changes it (none for the shifts it moved or cancelled; at 4-5 less the change "
    "the manager's cover took back): an hour before, "
    "at 4-5 the lead the person's own note gives for early and later starts; the person's own alarm stays.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("week",),
    tasks_per_variant=24,
    max_steps=70,
    tags=("phone", "laptop", "conflict"),
    stale_oracle=stale_oracle,
    phone_only=(),
    footprint=Footprint(),
)
