"""Headroom for xdev-receipt-expense, xdev-shared-code, phone-alarm-from-message and phone-setting-notification at
levels 4-5 (issue 21, session 33): the players' method (search the requester and every identifier of the matter on
every service, "from now on", "after all", read the requester's DMs, follow "X has the last word" pointers) no
longer settles them. The deciding word comes from someone whose say is written in a record the task legitimately
opens, names the matter only by a date, and sits among that person's same-shaped lines about other matters.

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import finding as _finding
from episodes import found as _found
from episodes import play as _play

from claw_gym import clock
from claw_gym.envs.kit import oblique

LEVELS = [4, 5]


# ---- xdev-receipt-expense -----------------------------------------------------------------------------
RX = "xdev-receipt-expense"
FILED = "the business receipt is filed: amount, date, category, linked payment, cost centre"


def _rx(level: int, seed: int, variant: str):
    env = _at_level(RX, level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _rx_idents(world, f) -> list[str]:
    """What an agent has of the matter: the app, the amounts, the places, the codes the note and finance give,
    the client and their company (the calendar), the manager (the note) and the words the players try."""
    from claw_gym.envs.xdev_receipt_expense import VARIANTS

    app = VARIANTS[f["variant"]]["app"]
    work = next(e for e in world.services["calendar"].table("entries").values() if f["lead"]["name"] in e["notes"])
    client = work["notes"].split(",")[0]
    return [
        app,
        f"{f['amount']:.2f}",
        f"{f['personal_amount']:.2f}",
        work["location"],
        work["title"],
        client,
        f["lead"]["co"],
        *f["codes"],
        "cost centre",
        "Cost centres",
        "expense",
        "claim",
        "receipt",
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", ["ride", "meal"])
@pytest.mark.parametrize("level", LEVELS)
def test_receipt_the_players_searches_miss_the_account_lead_s_word(variant, level):
    for seed in range(2):
        env, world, f = _rx(level, seed, variant)
        msg = f["lead"]["msg"]
        manager = f["manager"]
        assert not _finding(
            env, msg, people=(manager, manager.split()[0], world.persona.me.name, "finance"), texts=_rx_idents(world, f)
        )


@pytest.mark.parametrize("variant", ["ride", "meal"])
@pytest.mark.parametrize("level", LEVELS)
def test_receipt_the_lead_s_word_names_no_identifier_and_its_day_fits_one_claim(variant, level):
    for seed in range(3):
        env, world, f = _rx(level, seed, variant)
        lead = f["lead"]
        chat = world.services["chat"].table("messages")
        word = chat[lead["msg"]]
        assert word["text"] == lead["line"] and word["sender"] == lead["name"] and word["channel"] == lead["dm"]
        assert f["cc"] in word["text"] and f["cc"] not in str(f["codes"])
        for ident in _rx_idents(world, f)[:-2]:
            assert ident.lower() not in word["text"].lower(), ident
        # the same person's same-shaped lines about other matters, at working hours of working days
        theirs = [m for m in chat.values() if m["channel"] == lead["dm"]]
        assert len(theirs) >= 4 and all(re.match(r"re the [a-z ]+ on \d+ [A-Z][a-z]+: ", m["text"]) for m in theirs)
        for m in theirs:
            d = clock.to_datetime(m["time"])
            assert d.weekday() < 5 and 9 <= d.hour < 18, clock.fmt(m["time"])
        # the day resolves to one matter: today's client entry, the only one on that day naming the lead
        day = re.search(r" on (\d+ [A-Z][a-z]+):", word["text"]).group(1)
        assert [m for m in theirs if f" on {day}:" in m["text"]] == [word]
        entries = world.services["calendar"].table("entries").values()
        on_day = [e for e in entries if oblique.day_month(e["start"]) == day and lead["name"] in (e["notes"] or "")]
        assert len(on_day) == 1 and day == oblique.day_month(f["receipt_at"])
        # whose word it is, written before it (the client entry's notes)
        assert f"claims for it take the code {lead['name'].split()[0]} gives" in on_day[0]["notes"]
        booked = [h for h in world.services["events"].search(text=on_day[0]["title"])["items"] if h["record"]]
        assert [h["record"] for h in booked] == [on_day[0]["id"]]
        assert clock.parse_time(booked[0]["time"]) < word["time"] <= env.world.clock.now - 30 * clock.DAY


@pytest.mark.parametrize("variant", ["ride", "meal"])
@pytest.mark.parametrize("level", LEVELS)
def test_receipt_the_note_s_or_finance_s_code_fails_and_the_lead_s_passes(variant, level):
    from claw_gym.envs.xdev_receipt_expense import FAMILY

    env, world, f = _rx(level, 1, variant)
    verdict = _play(env, FAMILY.oracle(world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    for cc in [*f["codes"], f"{f['cc']} / {f['cc_note']}"]:  # the players' answers, and a hedge
        env.reset(seed=1)
        assert _failed(_play(env, FAMILY.oracle(env.world, {**f, "cc": cc}))) == [FILED], cc


@pytest.mark.parametrize("variant", ["ride", "meal"])
def test_receipt_d5_the_account_lead_untold_fails(variant):
    from claw_gym.envs.xdev_receipt_expense import FAMILY

    env, world, f = _rx(5, 1, variant)
    key = f'"channel": "{f["lead"]["dm"]}"'
    steps = [s for s in FAMILY.oracle(world, f) if key not in s or "chat.post" not in s]
    assert len(steps) == len(FAMILY.oracle(world, f)) - 1
    assert _failed(_play(env, steps)) == [f"{f['lead']['name']} was told in their DM"]


# ---- xdev-shared-code ---------------------------------------------------------------------------------
SC = "xdev-shared-code"


def _sc(level: int, seed: int, variant: str):
    env = _at_level(SC, level, seed, variant=variant)
    return env, env.world, env.scenario.facts


def _sc_mails(world) -> dict[str, dict]:
    return world.services["workmail" if "workmail" in world.services else "mail"].table("messages")


def _sc_idents(world, f) -> list[str]:
    """What an agent has of the matter: the event, the service, the code, the agendas' names and dates, the invite's
    subject and dates (first set and moved to), and the words the players try."""
    from claw_gym.envs.xdev_shared_code import VARIANTS

    v = VARIANTS[f["variant"]]
    dates = [p.split("/")[-1][:10] for p in [f["agenda"], *f["others"]]]
    long = [clock.to_datetime(clock.parse_time(d)) for d in dates]
    return [
        v["event"],
        v["event"].split()[-1],
        v["service"],
        "agenda",
        "Save the date",
        f["code"],
        *dates,
        *(f"{d:%A %d %B}" for d in long),
        *(f"{d:%d %B}" for d in long),
        *(oblique.day_month(int(d.timestamp())) for d in long),
        "venue",
        "offsite",
        "workshop",
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("variant", ["offsite", "workshop"])
@pytest.mark.parametrize("level", LEVELS)
def test_shared_code_the_players_searches_miss_the_booker_s_word(variant, level):
    for seed in range(2):
        env, world, f = _sc(level, seed, variant)
        msg = f["word"]["msg"]
        organiser = _sc_mails(world)[f["word"]["invite"]]["from"]
        assert not _finding(
            env,
            msg,
            people=(f["colleague"], f["colleague"].split()[0], organiser, organiser.split("@")[0]),
            texts=_sc_idents(world, f),
        )


@pytest.mark.parametrize("variant", ["offsite", "workshop"])
@pytest.mark.parametrize("level", LEVELS)
def test_shared_code_the_booker_s_word_names_no_identifier_and_its_minute_fits_one_mail(variant, level):
    for seed in range(3):
        env, world, f = _sc(level, seed, variant)
        word = f["word"]
        chat = world.services["chat"].table("messages")
        line = chat[word["msg"]]
        assert line["text"] == word["line"] and line["sender"] == word["name"] and line["channel"] == word["dm"]
        for ident in _sc_idents(world, f)[:-2]:
            assert ident.lower() not in line["text"].lower(), ident
        theirs = [m for m in chat.values() if m["channel"] == word["dm"]]
        shape = r"re the [a-z ]+ that came in at \d\d:\d\d on \d+ [A-Z][a-z]+: "
        assert len(theirs) >= 4 and all(re.match(shape, m["text"]) for m in theirs)
        for m in theirs:
            d = clock.to_datetime(m["time"])
            assert d.weekday() < 5 and 9 <= d.hour < 18, clock.fmt(m["time"])
        # "the invite that came in at 09:07 on 6 November": one mail in any mailbox, the organiser's invite
        hhmm, day = re.match(r"re the invite that came in at (\d\d:\d\d) on (\d+ [A-Z][a-z]+):", line["text"]).groups()
        fits = [
            m
            for svc in ("mail", "workmail")
            if svc in world.services
            for m in world.services[svc].table("messages").values()
            if clock.fmt(m["time"])[-5:] == hhmm and oblique.day_month(m["time"]) == day
        ]
        assert [m["id"] for m in fits] == [word["invite"]]
        invite = fits[0]
        assert f"{word['name']} booked the venue: if the date has to move, you'll hear it from them" in invite["body"]
        stale = clock.to_datetime(clock.parse_time(f["others"][0].split("/")[-1][:10]))
        assert f"{stale:%A %d %B}" in invite["body"] and invite["time"] < line["time"]
        assert line["time"] <= world.clock.now - (30 if level == 4 else 60) * clock.DAY
        assert (
            clock.parse_time(f["agenda"].split("/")[-1][:10])
            == clock.parse_time(f["others"][0].split("/")[-1][:10]) - 7 * clock.DAY
        )


def _players_agenda(env) -> str:
    """The players' pick: the moved date when "after all", "from now on" or the organiser's and the requester's
    messages carry a move a week earlier, else the invite's date."""
    f, world = env.scenario.facts, env.world
    organiser = next(m for m in _sc_mails(world).values() if m["subject"].startswith("Save the date"))
    who = organiser["from"].split("@")[0].replace(".", " ")  # their name, as the address spells it
    hits = _found(env, "after all") | _found(env, "from now on") | _found(env, person=who)
    hits |= _found(env, person=f["colleague"])
    chat = world.services["chat"].table("messages")
    moved = any("week earlier" in chat[h]["text"] for h in hits if h in chat)
    return f["agenda"] if moved else f["others"][0]


@pytest.mark.parametrize("variant", ["offsite", "workshop"])
@pytest.mark.parametrize("level", LEVELS)
def test_shared_code_the_invite_s_agenda_fails_and_the_moved_one_passes(variant, level):
    from claw_gym.envs.xdev_shared_code import FAMILY

    env, world, f = _sc(level, 1, variant)
    verdict = _play(env, FAMILY.oracle(world, f))
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=1)
    verdict = _play(env, FAMILY.oracle(env.world, {**f, "agenda": _players_agenda(env)}))
    event = FAMILY.generate.__globals__["VARIANTS"][variant]["event"]
    assert _failed(verdict) == [
        f"{f['colleague']} got the coming {event}'s agenda before the prep",
        "no other agenda sent",
    ]


# ---- phone-alarm-from-message -------------------------------------------------------------------------
AL = "phone-alarm-from-message"


def _al(level: int, seed: int):
    env = _at_level(AL, level, seed)
    return env, env.world, env.scenario.facts


def _al_idents(world, f) -> list[str]:
    """What an agent has of the matter: the firm, its address and number, the reference, what the person calls it,
    the booking's date and time, the alarm's label, the requester, and the words the players try."""
    from claw_gym.envs.phone_alarm_from_message import FIRMS

    booking = world.services["mail"].table("messages")[f["booking"]]
    firm = next(x for x in FIRMS if x[1] == booking["from"])
    when = re.search(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d)", booking["body"])
    return [
        firm[0],
        firm[1],
        firm[2],
        firm[3],
        f["ref"],
        f["label"],
        *when.groups(),
        "Booking",
        "from now on",
        "after all",
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_alarm_the_players_searches_miss_the_booker_s_text(level):
    for seed in range(3):
        env, world, f = _al(level, seed)
        msg = f["booker"]["msg"]
        assert not _finding(
            env, msg, people=(f["name"], f["first"], f["sender"], world.persona.me.name), texts=_al_idents(world, f)
        )


@pytest.mark.parametrize("level", LEVELS)
def test_alarm_the_booker_s_text_names_no_identifier_and_its_day_fits_one_booking(level):
    for seed in range(3):
        env, world, f = _al(level, seed)
        b = f["booker"]
        texts = world.services["sms"].table("messages")
        word = texts[b["msg"]]
        assert word["body"] == b["line"] and word["number"] == b["phone"]
        for ident in _al_idents(world, f)[:-2]:
            assert ident.lower() not in word["body"].lower(), ident
        theirs = [m for m in texts.values() if m["number"] == b["phone"] and m["body"].startswith("re the ")]
        assert len(theirs) >= 4
        # "the one for the 9th": the only line of theirs about that day, the only booking of the firm on it
        ordinal = re.match(r"re the one for the (\d+(?:st|nd|rd|th)):", word["body"]).group(1)
        assert [m for m in theirs if f" for the {ordinal}:" in m["body"]] == [word]
        booking = world.services["mail"].table("messages")[f["booking"]]
        confirmations = [m for m in world.services["mail"].table("messages").values() if m["from"] == booking["from"]]
        on_day = [
            m
            for m in confirmations
            if oblique.day_ordinal(clock.parse_time(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", m["body"])[0])) == ordinal
        ]
        assert on_day == [booking]
        # whose word it is, written before it in the requester's own ask
        ask = next(m for m in texts.values() if m["number"] == f["sender"] and "be up " in m["body"])
        assert f"{b['name'].split()[0]} booked it, so if the time moves you'll hear it from them." in ask["body"]
        assert ask["time"] < word["time"] < world.clock.now


def _al_players(env) -> str:
    """The players' time: the booking's time (as the firm's text moves it, when one names the reference), minus the
    lead their searches of the requester find (the newest that says one)."""
    from claw_gym.envs.phone_alarm_from_message import LEADS

    f, world = env.scenario.facts, env.world
    booking = world.services["mail"].table("messages")[f["booking"]]
    at = re.search(r"\d{4}-\d\d-\d\d (\d\d:\d\d)", booking["body"])[1]
    for m in world.services["sms"].table("messages").values():
        if m["id"] in _found(env, f["ref"]) and re.search(r"\b(\d\d:\d\d)\b", m["body"]):
            at = re.search(r"\b(\d\d:\d\d)\b", m["body"])[1]
    said = sorted(
        (r["time"], minutes)
        for rid in _found(env, person=f["name"])
        for table in (world.services["sms"].table("messages"), world.services["mail"].table("messages"))
        if rid in table
        for r in [table[rid]]
        for minutes, words in LEADS.items()
        if f"{words} before" in r["body"] or f"{words} ahead" in r["body"] or f"{words} beforehand" in r["body"]
    )
    h, m = map(int, at.split(":"))
    t = h * 60 + m - said[-1][1]
    return f"{t // 60:02d}:{t % 60:02d}"


@pytest.mark.parametrize("level", LEVELS)
def test_alarm_the_players_time_fails_and_the_booker_s_passes(level):
    from claw_gym import actions as A
    from claw_gym.devices.phone import script as S

    for seed in (0, 1):
        env, world, f = _al(level, seed)
        verdict = _play(env, env.oracle_actions())
        assert verdict["passed"] and not verdict["violations"], verdict
        env.reset(seed=seed)
        hhmm = _al_players(env)
        assert hhmm != f["time"]
        steps = [*S.open_app("Clock"), S.tap("id/add_alarm"), *S.fill("time", hhmm), S.tap("id/save"), A.finish("ok")]
        assert "an alarm is on at the requested time" in _failed(_play(env, steps))


# ---- phone-setting-notification -----------------------------------------------------------------------
SN = "phone-setting-notification"


def _sn(level: int, seed: int):
    env = _at_level(SN, level, seed)
    return env, env.world, env.scenario.facts


def _sn_ask(env) -> str:
    """The asker's text, as it will arrive mid-episode."""
    f = env.scenario.facts
    return next(
        e.record["body"] for e in env.world.timeline.pending if e.service == "sms" and e.time == f["trigger_at"]
    )


def _sn_idents(env) -> list[str]:
    """What an agent has of the matter: the setting's names, the times in the ask, the asker, the rule's words,
    and the words the players try."""
    from claw_gym.services.phone import SETTING_TITLES

    f = env.scenario.facts
    times = re.findall(r"\d\d:\d\d", _sn_ask(env))
    return [SETTING_TITLES[f["setting"]], f["setting"], *times, "nudge", "undo", "Undo", "from now on", "after all"]


def _note_time(n: dict) -> int:
    return int(n.get("time", n.get("updated")) or 0)


@pytest.mark.parametrize("level", LEVELS)
def test_setting_the_players_searches_miss_the_keeper_s_text(level):
    for seed in range(3):
        env, world, f = _sn(level, seed)
        msg = f["keeper"]["msg"]
        assert not _finding(
            env,
            msg,
            people=(f["name"], f["name"].split()[0], f["sender"], world.persona.me.name),
            texts=_sn_idents(env),
        )


@pytest.mark.parametrize("level", LEVELS)
def test_setting_the_keeper_s_text_names_no_identifier_and_its_day_fits_one_note(level):
    for seed in range(3):
        env, world, f = _sn(level, seed)
        k = f["keeper"]
        texts = world.services["sms"].table("messages")
        word = texts[k["msg"]]
        assert word["body"] == k["line"] and word["number"] == k["phone"]
        for ident in _sn_idents(env)[:-2]:
            assert ident.lower() not in word["body"].lower(), ident
        theirs = [m for m in texts.values() if m["number"] == k["phone"] and m["body"].startswith("re the ")]
        assert len(theirs) >= 4 and all(re.match(r"re the [a-z' ]+ of \d+ [A-Z][a-z]+: ", m["body"]) for m in theirs)
        day = re.match(r"re the note of (\d+ [A-Z][a-z]+):", word["body"]).group(1)
        notes = world.services["notes"].table("notes")
        same = [n for n in notes.values() if oblique.day_month(_note_time(n)) == day]
        assert [n["id"] for n in same] == [k["note"]]
        rule = same[0]
        assert f"{k['name'].split()[0]} keeps an eye on these for me: what they say about them goes." in rule["body"]
        assert _note_time(rule) < word["time"] < world.clock.now
        titles = [n["title"] for n in notes.values() if "nudge" in n["body"]]
        assert len(titles) == len(set(titles)) == (2 if level == 5 else 1)  # no two pages under one title
        # the nudge is the ask's "till" time, that many minutes early
        minutes = int(re.search(r"(\d+) minutes", word["body"]).group(1))
        assert clock.fmt(f["remind_at"] + minutes * clock.MINUTE)[-5:] in re.findall(r"\d\d:\d\d", _sn_ask(env))


@pytest.mark.parametrize("level", LEVELS)
def test_setting_the_players_nudge_fails_and_the_keeper_s_passes(level):
    from claw_gym.envs.phone_setting_notification import FAMILY

    for seed in (0, 1):
        env, world, f = _sn(level, seed)
        # the players' time: the ask's end (4), moved by the later note line (5)
        end = f["remind_at"] + int(re.search(r"(\d+) minutes", f["keeper"]["line"]).group(1)) * clock.MINUTE
        if level == 5:
            later = next(n for n in world.services["notes"].table("notes").values() if "Undo nudges" in n["body"])
            end -= int(re.search(r"Undo nudges (\d+) minutes", later["body"]).group(1)) * clock.MINUTE
        verdict = _play(env, FAMILY.oracle(world, f))
        assert verdict["passed"] and not verdict["violations"], verdict
        env.reset(seed=seed)
        verdict = _play(env, FAMILY.oracle(env.world, {**f, "remind_at": end}))
        assert _failed(verdict) == ["a nudge to undo it at the time the rule gives"]


@pytest.mark.parametrize("variant", ["offsite", "workshop"])
def test_shared_code_d5_the_moved_event_not_in_the_calendar_or_on_the_old_date_fails(variant):
    from claw_gym import actions as A
    from claw_gym.envs.xdev_shared_code import FAMILY, NOTE_TITLE, RULE_MOVED

    env, world, f = _sc(5, 1, variant)
    note = next(n for n in world.services["notes"].table("notes").values() if n["title"] == NOTE_TITLE)
    assert RULE_MOVED in note["body"] and f["put_in"]["day"] == f["agenda"].split("/")[-1][:10]
    check = f"the {FAMILY.generate.__globals__['VARIANTS'][variant]['event']} is in the calendar on its new date"
    steps = FAMILY.oracle(world, f)
    skipped = [s for s in steps if not ("calendar.create_event" in s and "Prep" not in s)]
    assert len(skipped) == len(steps) - 1
    assert _failed(_play(env, skipped)) == [check]
    env.reset(seed=1)
    stale = clock.parse_time(f["put_in"]["stale"]) + 10 * clock.HOUR
    old = A.api("calendar.create_event", title="Offsite", start=clock.fmt(stale), end=clock.fmt(stale + clock.HOUR))
    assert _failed(_play(env, [*skipped[:-1], old, skipped[-1]])) == [check]
    for level in (4,):
        assert _sc(level, 1, variant)[2]["put_in"] is None
