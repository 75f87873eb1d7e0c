"""Update a friend's contact card from the newest address in their mail signatures.

Cross-service: the facts are in mail (signatures over months), the fix goes to contacts,
and a reminder to todo. Conflict: older mails carry older addresses (a temporary one at
the top levels); the contact must get the newest. Noise: another friend with the same
first name who also moved (near-duplicate), a phone number change at higher levels. At
difficulty 4-5 the move sits 30+/60+ days back, said only by the signature of a quiet mail
("we're settled in"), among three older mails of the same shape with the old address, and
newer mails from the friend carry no address: the newest address is found by comparing dates.
At 4-5 a line of a household note (>= 30 / 60 days back; an expired same-keyword rule in another
note) adds a second party the instruction points to ("my usual address bits"): the person's
family member who keeps the card list is told the new address (any door), and only the new one.
At 4-5 the quiet mail's signature has the house number slipped (digits swapped, or one digit off), and the
mail says a flatmate does the flat's admin ("anything about the address goes through them"); the flatmate's
text, 2-7 days later (still >= 30 / 60 days back), fixes it naming the mail only by when it came in ("re the
mail that came in at 10:42 on 14 October: the house number is 71"), among their texts about other household
matters (issue 21, session 33), with the friend's and the namesake's same-shaped "X not Y" texts about other
things around.
"""

from __future__ import annotations

import re
from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks import outbound as O
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import household, notation, oblique, plant, records

STREETS = {
    "Lisbon": ["Rua do Salitre", "Avenida da Liberdade", "Rua da Rosa", "Travessa do Carmo"],
    "Berlin": ["Kastanienallee", "Oderberger Strasse", "Wiener Strasse", "Boxhagener Strasse"],
    "Dublin": ["Harcourt Street", "Leeson Street", "Capel Street", "Pearse Street"],
    "Toronto": ["Dundas St W", "Ossington Ave", "College St", "Bathurst St"],
}
POSTCODES = {"Lisbon": "1{}-{}", "Berlin": "1{}", "Dublin": "D0{} {}", "Toronto": "M{}K {}"}
OLD_MAIL = [
    "Hi!\n\nGreat to see you last month. Photos attached.\n\nHugs,\n{first}\n--\n{name}\n{addr}\n{phone}",
    "Hey,\n\nthanks for the book, I loved it.\n\n{first}\n--\n{name} | {addr} | {phone}",
]
NEW_MAIL = [
    "Hi all,\n\nwe finally moved! Please update your address books.\n\n{first}\n--\n{name}\n"
    "New address: {addr}\n{phone}",
    "Quick note: new place, new address (from this month): {addr}. Come visit!\n\n{first}\n--\n{name}\n{phone}",
]
QUIET_MAIL = [  # difficulty 4-5: the move only shows in the signature; {admin}: whose word on the address goes
    "Hi,\n\nwe're settled in at last, boxes still everywhere. Dinner soon?{admin}\n\n{first}\n--\n{name}\n{addr}\n"
    "{phone}",
    "Hey,\n\nsorry for the silence, busy weeks with the flat. Talk soon!{admin}\n\n{first}\n--\n{name} | {addr} | "
    "{phone}",
]
#: difficulty 4-5, in the quiet mail: the flatmate who does the flat's admin (session 33)
ADMIN = " {mate} (we share the flat now) does all the admin for it, so anything about the address goes through them."
#: difficulty 4-5: the flatmate's text fixing the house number by the quiet mail's arrival only (no street, no
#: name, not the slipped number), among their texts about other household matters (session 33)
MATE_FIX = [
    "re {ref}: the house number is {right}",
    "re {ref}: the number on the door is {right}",
]
CHAT_MAIL = [  # newer mails without an address in the signature
    "Hi,\n\nare you coming on Saturday? Bring the board game!\n\n{first}\n--\n{name}",
    "Hey,\n\nthat recipe you asked for is below. Enjoy!\n\n{first}",
]
TEMP_MAIL = [
    "Hi,\n\nfor the next few weeks I'm staying at a friend's while the flat is renovated:\n{addr}\n\n{first}\n"
    "--\n{name}\n{phone}"
]
#: same-shaped "X not Y" texts about other things: the friend's own, and the namesake's (their flat, not ours)
FIX_DECOYS = [
    "table's for {a} not {b} on Friday, Jo's coming too",
    "sorry, it's platform {a} not {b}, they changed it",
    "correction: {a}, not {b} - the buzzer list downstairs is out of date",
]
#: the relations :func:`_tell_rule` picks the card-list keeper from
FAMILY_OF = ("partner", "mother", "father", "sister", "brother")
TELL_RULE = "Friends' new addresses: tell {who} too, {pron} keeps our card list."
TELL_DECOY = "Until the wedding invitations were out, every address change went to {other} (all sent now)."
INSTRUCTIONS = [
    "I want to send {first} a card. Can you make sure their contact details are current, and remind me "
    "to post it by {due}?",
    "{first} moved recently I think - please get their current address (and number, if it changed) into contacts "
    "and add a to-do for {due} to send the birthday card.",
    "Before I mail {first}'s present: bring their contact card up to date with where they live now (and their "
    "number, if it changed), and put 'post the present' on my to-do list for {due}.",
]


def words(text: str) -> list[str]:
    """An address as its sorted words: "12 Rua da Rosa" and "Rua da Rosa 12" agree; an extra candidate doesn't."""
    return sorted(re.findall(r"[a-z0-9]+", text.lower()))


def _address(ctx: Ctx, city: str) -> str:
    code = POSTCODES[city].format(ctx.code(3), ctx.code(3))
    return f"{int(ctx.rng.integers(1, 180))} {ctx.pick(STREETS[city])}, {code} {city}"


def _address_unlike(ctx: Ctx, city: str, *taken: str) -> str:
    """An address whose number and street differ from each of ``taken``'s (the check tells them apart by it)."""
    while True:
        address = _address(ctx, city)
        if all(_street(address) != _street(t) for t in taken):
            return address


def _deliver(ctx: Ctx, sender: str, subject: str, body: str, *, time: int, read: bool = False) -> dict[str, Any]:
    """A received mail placed as the background's are (sender's contact name, companions): see :mod:`.kit.plant`."""
    return plant.mail_in(ctx, "mail", time, sender, subject, body, read=read)


def _phone(ctx: Ctx) -> str:
    return f"+1 555 {ctx.code(3)} {ctx.code(4)}"


def generate(ctx: Ctx) -> Scenario:
    contacts = ctx.svc("contacts")
    friend = ctx.person("friend" if ctx.variant == "friend" else None)
    card = contacts.by_name(friend.name) or contacts.add(
        friend.name, friend.email, friend.phone, relation=friend.relation
    )
    city = ctx.pick(sorted(STREETS))
    old = _address(ctx, city)
    new = _address_unlike(ctx, city, old)
    contacts.modify(card, address=old)
    phone = _phone(ctx) if ctx.difficulty >= 3 else friend.phone
    deep = ctx.difficulty >= 4
    # the move: 2-20 days back, 31+ at difficulty 4, 61+ at 5
    moved_at = household.minute_jitter(
        ctx, ctx.now - (household.days_back(ctx) + 8 if deep else int(ctx.rng.integers(2, 20))) * clock.DAY
    )
    signed = _misnumbered(ctx, new) if deep else new  # at 4-5 the signature's house number is a slip
    t = (
        moved_at - int(ctx.rng.integers(40, 60)) * clock.DAY
        if deep
        else ctx.now - int(ctx.rng.integers(60, 120)) * clock.DAY
    )
    candidates: list[str] = []
    for k in range(3 if deep else 1):  # mails with the old address in the signature
        candidates.append(
            _deliver(
                ctx,
                friend.email,
                ctx.pick(["Photos!", "Thanks :)", "Long time"]),
                ctx.pick(OLD_MAIL).format(first=friend.first, name=friend.name, addr=old, phone=friend.phone),
                time=household.minute_jitter(ctx, t - k * int(ctx.rng.integers(6, 12)) * clock.DAY),
                read=True,
            )["id"]
        )
    stale = old
    if ctx.difficulty >= 2:  # a temporary address in between: stale by now
        stale = _address_unlike(ctx, city, old, new)
        candidates.append(
            _deliver(
                ctx,
                friend.email,
                "Staying elsewhere for a bit",
                ctx.pick(TEMP_MAIL).format(first=friend.first, name=friend.name, addr=stale, phone=friend.phone),
                time=household.minute_jitter(ctx, (t + moved_at) // 2),
                read=True,
            )["id"]
        )
    admin, mate = "", None
    if deep:  # the flatmate whose word on the address goes; the quiet mail's minute is its own
        pool = [p for p in ctx.persona.people if p.first != friend.first and p.phone and p.relation not in FAMILY_OF]
        mate = ctx.pick([p for p in pool if p.relation == "friend"] or pool)
        admin = ADMIN.format(mate=mate.name)
        minutes = {clock.fmt(m["time"]) for m in ctx.svc("mail").table("messages").values()}
        while clock.fmt(moved_at) in minutes:
            moved_at += clock.MINUTE
    candidates.append(
        _deliver(
            ctx,
            friend.email,
            ctx.pick(
                ["Hello from the new place", "Catching up"] if deep else ["We moved!", "New address", "Housewarming?"]
            ),
            ctx.pick(QUIET_MAIL if deep else NEW_MAIL).format(
                first=friend.first, name=friend.name, addr=signed, phone=phone, admin=admin
            ),
            time=moved_at,
            read=not deep,
        )["id"]
    )
    if deep:  # newer mails from the friend, no address: the newest mail is not the answer
        for _ in range(2):
            _deliver(
                ctx,
                friend.email,
                ctx.pick(["Saturday?", "That recipe", "Quick one"]),
                ctx.pick(CHAT_MAIL).format(first=friend.first, name=friend.name),
                time=household.minute_jitter(ctx, ctx.now - int(ctx.rng.integers(1, 25)) * clock.DAY),
                read=True,
            )
    twin_id = None
    if ctx.difficulty >= 3:  # near-duplicate: another contact with the same first name, also moved
        last = ctx.pick(["Brennan", "Achebe", "Sorensen", "Vidal"])
        twin_name = f"{friend.first} {last}"
        if contacts.by_name(twin_name) is None:
            twin_email = f"{friend.first.lower()}.{last.lower()}@mailbox.org"
            twin = contacts.add(twin_name, twin_email, _phone(ctx), relation="friend", address=_address(ctx, city))
            twin_id = twin["id"]
            body = ctx.pick(NEW_MAIL).format(
                first=friend.first, name=twin_name, addr=_address(ctx, city), phone=twin["phone"]
            )
            _deliver(ctx, twin_email, "New flat", body, time=ctx.now - int(ctx.rng.integers(1, 10)) * clock.DAY)
    fix: dict[str, Any] = {}
    if mate is not None:
        fix = _fix_texts(ctx, moved_at, phone, signed, new, contacts.table("people").get(twin_id or ""), mate)
    due = ctx.now + int(ctx.rng.integers(3, 10)) * clock.DAY
    instruction = ctx.pick(INSTRUCTIONS).format(first=friend.name if twin_id else friend.first, due=clock.fmt_date(due))
    remind = "remind me" in instruction  # no kind named: a calendar entry that day is a reminder too
    extra: dict[str, Any] = {"keeper": []}
    if deep:
        extra = _tell_rule(ctx, friend.name)
        instruction += " And do my usual address bits."
    return Scenario(
        instruction,
        {
            "contact": card["id"],
            "deciding_at": moved_at,
            "candidates": candidates,
            "name": friend.name,
            "address": new,
            "stale": stale,
            "phone": phone,
            "twin": twin_id,
            "twin_before": dict(contacts.table("people")[twin_id]) if twin_id else None,
            "due": clock.fmt_date(due),
            "todos_before": sorted(ctx.svc("todo").table("items")),
            "people_before": sorted(contacts.table("people")),
            "remind_any": remind,
            "cal_before": sorted(ctx.svc("calendar").table("entries")),
            "old": old,
            "start": ctx.now,
            **extra,
            **fix,
        },
    )


def _misnumbered(ctx: Ctx, address: str) -> str:
    """``address`` with its house number slipped: the digits swapped, or one digit off (same digit count)."""
    number, rest = address.split(" ", 1)
    wrong = number[::-1]
    while wrong == number or wrong.startswith("0"):
        k = int(ctx.rng.integers(len(number)))
        wrong = number[:k] + str(int(ctx.rng.integers(1 if k == 0 else 0, 10))) + number[k + 1 :]
    return f"{wrong} {rest}"


def _fix_texts(
    ctx: Ctx, moved_at: int, phone: str, signed: str, right: str, twin: dict[str, Any] | None, mate: Any
) -> dict[str, Any]:
    """Difficulty 4-5: the flatmate's text fixing the signature's house number (2-7 days after the quiet mail:
    >= 30 / 60 days back), naming the mail only by when it came in, among their texts about other household
    matters (``oblique.texts_among``); the friend's and the namesake's same-shaped "X not Y" texts about other
    things. The facts for the check."""

    def daytime(day: int) -> int:  # people text in waking hours
        return household.minute_jitter(ctx, clock.day_start(day) + int(ctx.rng.integers(9, 22)) * clock.HOUR)

    t = daytime(moved_at + int(ctx.rng.integers(2, 8)) * clock.DAY)
    right_no = right.split(" ", 1)[0]
    line = ctx.pick(MATE_FIX).format(ref=oblique.came_in_on("mail", moved_at), right=right_no)
    fixed = oblique.texts_around(ctx, mate.phone, t, line, 3, oblique.came_in_on, pool=oblique.HOME_OTHERS)
    decoys = ctx.sample(FIX_DECOYS, 2)
    a, b = ctx.sample([str(k) for k in range(2, 13)], 2)
    senders = [(phone, decoys[0])] + ([(twin["phone"], decoys[1])] if twin else [])
    for number, text in senders:
        dt = daytime(int(ctx.rng.integers(moved_at + clock.DAY, ctx.now - 2 * clock.DAY)))
        plant.sms(ctx, dt, number, text.format(a=a, b=b))
    return {"signed": signed, "fix_sms": fixed, "fix_at": t, "mate": mate.name, "line": line}


def _tell_rule(ctx: Ctx, friend: str) -> dict[str, Any]:
    """Difficulty 4-5: the note line naming who keeps the card list (a family member), >= 30/60 days back,
    and an expired same-keyword line in another note. Returns the facts to add."""
    fam = [p for p in ctx.persona.people if p.relation in FAMILY_OF]
    keeper = fam[0] if fam else ctx.person("friend")
    other = ctx.pick([p for p in ctx.persona.people if p.name not in (keeper.name, friend)])
    pron = (
        "she"
        if keeper.relation in ("mother", "sister")
        else "he"
        if keeper.relation in ("father", "brother")
        else "they"
    )
    rule_at = household.minute_jitter(ctx, ctx.now - household.days_back(ctx) * clock.DAY)
    note = household.rule_note(ctx, TELL_RULE.format(who=ctx.persona.called(keeper), pron=pron), t=rule_at)
    household.decoy_notes(
        ctx, [TELL_DECOY.format(other=ctx.persona.called(other))], around=ctx.now - 45 * clock.DAY, avoid=note
    )
    return {
        "keeper": [keeper.email, keeper.phone],
        "keeper_name": keeper.name,
        "tell_note": note,
        "rule_at": rule_at,
    }


def _street(address: str) -> list[str]:
    """The number and street of an address ("12 Rua da Rosa"), as sorted words."""
    return words(address.split(",")[0])


def _check_told(world: World, f: dict[str, Any], g: Grader) -> None:
    """The card-list keeper got the new street address by any door, and no message to them names the old one."""
    want = {O.party(p) for p in f["keeper"] if p}
    msgs = [m for m in O.outbound(world, f["start"]) if any(O.party(r) in want for r in m.to)]
    olds = (f["old"], f["stale"], f.get("signed", f["address"]))
    new, stale = set(_street(f["address"])), [set(_street(a)) for a in olds if a != f["address"]]
    told = [m for m in msgs if new <= set(words(m.text))]
    hedged = [m for m in told if any(s <= set(words(m.text)) for s in stale)]
    g.expect(
        "the card-list keeper was told the new address (and only that one)",
        bool(told) and not hedged,
        f"{count(len(msgs), 'message')} to {f['keeper_name']}; {len(told)} with the new address"
        + (f", {len(hedged)} naming an old one too" if hedged else ""),
        because=f"a line of the note '{f['tell_note']}' says friends' new addresses go to {f['keeper_name']}, who "
        "keeps the card list; the instruction asks for the usual address bits",
    )


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    people = world.services["contacts"].table("people")
    c = people.get(f["contact"])
    g.forbid("deleted the contact", c is None)
    if c is None:
        return
    asks = "the instruction asks for their current details; the newest signature gives them"
    if f.get("signed"):
        by = f"{f['mate']}'s" if f.get("mate") else "their"  # the flatmate the quiet mail says the address goes through
        asks += f" (its house number {f['signed'].split()[0]} fixed by {by} text of {clock.fmt_date(f['fix_at'])})"
    g.expect(
        "contact has the newest address",
        words(c["address"]) == words(f["address"]),
        f"address {c['address']!r}; current: {f['address']!r}",
        because=asks,
    )
    g.expect(
        "contact has the current phone",
        notation.norm_phone(c["phone"]) == notation.norm_phone(f["phone"]),
        f"phone {c['phone']!r}; the newest signature gives {f['phone']!r}",
        because="the instruction asks for their current number (details) if it changed; the newest signature gives it",
    )
    if f["twin"]:
        touched = people.get(f["twin"]) != f["twin_before"]
        g.expect(
            "the other contact with the same first name is untouched",
            not touched,
            f"{f['twin_before']['name']} {'changed' if touched else 'as it was'}",
            because="the instruction names the friend by full name; the namesake is someone else",
        )
    copies = [
        p["name"]
        for p in records.agent_rows(world, "contacts", "people", f["people_before"])
        if notation.squash(f["name"]) in notation.squash(p["name"])
    ]
    g.expect(
        "the contact was updated, not duplicated",
        not copies,
        f"new contacts named {f['name']}: {copies}" if copies else "no second card for them",
        because="the instruction asks to bring their existing contact card up to date",
    )
    if f.get("keeper"):
        _check_told(world, f, g)
    todos = records.agent_rows(world, "todo", "items", f["todos_before"])
    ok = [t for t in todos if t["due"] is not None and clock.fmt_date(t["due"]) == f["due"] and not t["done"]]
    seen = [f"to-do due {clock.fmt_date(t['due']) if t['due'] is not None else '(none)'}" for t in todos]
    if f.get("remind_any"):
        events = records.agent_rows(world, "calendar", "entries", f["cal_before"])
        ok += [e for e in events if clock.fmt_date(e["start"]) == f["due"]]
        seen += [f"calendar entry on {clock.fmt_date(e['start'])}" for e in events]
    g.expect(
        "a to-do (or, where any reminder was asked, a calendar entry) on the requested day",
        bool(ok),
        f"new: {', '.join(seen) or 'none'}; wanted {f['due']}",
        because=f"the instruction asks for {'a reminder' if f.get('remind_any') else 'a to-do'} for {f['due']}",
    )


def _act(f: dict[str, Any], address: str) -> list[str]:
    tell = []
    if f.get("keeper"):
        tell = [
            A.api("notes.list", query="addresses"),
            A.api("sms.send", to=f["keeper"][1], body=f"{f['name']} has moved: {address}. For the card list!"),
        ]
    return [
        A.api("contacts.search", query=f["name"]),
        A.api("mail.search", query="address"),
        A.api("contacts.update", id=f["contact"], address=address, phone=f["phone"]),
        *tell,
        A.api("todo.add_task", title="Post the card", due=f["due"]),
        A.finish("Updated the address and added the reminder."),
    ]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return _act(f, f["address"])


def duplicate(world: World, f: dict[str, Any]) -> list[str]:
    """Adds a new card with the current details beside the stale one: not the update asked for."""
    return [
        A.api("contacts.create", name=f["name"], phone=f["phone"], notes=f"Address: {f['address']}"),
        A.api("todo.add_task", title="Post the card", due=f["due"]),
        A.finish("Saved the new details."),
    ]


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Takes the address from an older signature."""
    return _act(f, f["stale"])


FAMILY = Family(
    name="address-update",
    count=52,
    kind="reactive",
    services=("mail", "contacts", "todo", "sms", "notes", "calendar"),
    summary="The friend's contact card (updated, not duplicated) has the address and phone of their newest "
    "signature, a namesake contact is untouched, and a new to-do (or, where only a reminder was asked, a "
    "calendar entry) is on the requested day; at 4-5 the family member the person's note names as keeper of the "
    "card list was told the new address (by any door) and no old one.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("friend", "anyone"),
    tasks_per_variant=15,
    max_steps=25,
    tags=("conflict",),
    stale_oracle=stale_oracle,
    duplicate=duplicate,
    footprint=Footprint(owns=(Own("contacts.people", ids=("contact",)),), parties=("keeper",)),
)
