"""Camouflage: the records a family plants cannot be told from the background's (issue 21).

The probe (claw_gym.runs.camouflage) trains a logistic regression per table on half the families'
worlds and scores the other half's records; a surface tell (an UPPER-CASE merchant, a raw address in
the event line, minutes on the hour, an id out of time order) lets it separate them (AUC near 1).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import claw_gym
from claw_gym.runs import camouflage as probe
from claw_gym.tasks import suite
from claw_gym.tasks.build import build

#: fixed family splits (the probe's own seeded halvings): deterministic, a few seconds in all
SPLITS = 4
SEED = 21
#: issue 21's target is 0.6 (a classifier barely better than chance). Not met yet: on this sample the
#: suite measured 0.895 when the probe landed, 0.798 once planted records got the background's lines
#: and companions (claw_gym/life/blend.py) and the background its variety (life/variety.py), 0.774
#: before and 0.745 after the background got its recent and unknown-number traffic, blocks, clutter and
#: business contacts (life/recent.py, life/clutter.py) and kit.plant its seconds (0.749 at the CLI's
#: seed 0), 0.729 (0.713 at seed 0) once planted to-dos, tickets and meetings got the background's
#: later lines (life/blend.py), replies their thread (kit.plant), and the background short notes,
#: odd-hour tickets and in-episode arrivals (life/stream.py); 0.712 (0.694 at seed 0) with the families'
#: own shapes (named IT/HR senders, company small print, shipped-looking configs: kit/senders.py,
#: kit/footers.py) and event ids in time order; 0.653 (0.645 at seed 0) once the background wrote the
#: families' shapes (business cards at .example domains, notes' and to-dos' titles, daytime bookings,
#: CRM notes with figures, bigger payments, errand texts, night tickets, downloads with checksums, DMs:
#: session 30). What is left is mostly how families
#: write their records (lengths, subjects, casing, attendees, comments) and recency (a task's records
#: are fresh, unread, or still to come). Until then this is a ratchet: it fails when camouflage gets
#: worse, and is lowered with each step. TARGET_AUC is what the last step must reach.
MAX_AUC = 0.67
TARGET_AUC = 0.6


@pytest.fixture(scope="module")
def sample() -> probe.Sample:
    return probe.collect(None, tasks=1, difficulties=(1, 3, 5), seed=SEED)


def test_planted_records_cannot_be_told_from_the_background(sample):
    rep = probe.evaluate(sample, SPLITS, SEED)
    tables = ", ".join(f"{t} {a:.2f}" for t, a in sorted(rep.per_table.items(), key=lambda kv: -kv[1]))
    leaky = ", ".join(f"{f} {p:.2f} ({'; '.join(top)})" for f, p, top in rep.leaky[:8])
    assert rep.overall <= MAX_AUC, (
        f"AUC {rep.overall:.3f} > {MAX_AUC} (target {TARGET_AUC}); per table: {tables}; leakiest: {leaky}"
    )


def test_the_probe_finds_a_planted_tell():
    """Records planted on the round minute among background at random seconds: the probe sees it."""
    rng = np.random.default_rng(0)
    s = probe.Sample()
    for fam in range(8):
        for k in range(60):
            planted = k < 6
            s.add(
                "mail.messages",
                {"sec0": float(planted or rng.random() < 0.02), "len:body": float(rng.normal(5, 1))},
                planted,
                f"f{fam}",
            )
    rep = probe.evaluate(s, 3, 0)
    assert rep.overall > 0.9
    assert rep.telling[0][0] == "mail.messages:sec0" and rep.telling[0][1] > 0


def test_auc_matches_the_pairwise_definition():
    rng = np.random.default_rng(1)
    y = (rng.random(80) < 0.3).astype(int)
    s = np.round(rng.normal(size=80) + y, 1)  # with ties
    pairs = [(a, b) for a, b in itertools.product(s[y == 1], s[y == 0])]
    expected = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)
    assert probe.auc(y, s) == pytest.approx(expected)


def test_every_family_record_is_labelled_planted_and_the_life_is_not():
    spec = claw_gym.catalog(family="invoice-expense", difficulty=3)[0]
    world, scenario = build(suite.family_of(spec), spec, 0)
    planted = world.life.planted()
    ids = {r["id"] for _, _, r in planted}
    assert scenario.facts["tx"] in ids  # the family's charge
    bank = world.services["bank"].table("transactions")
    assert sum(not world.life.is_background(r) for r in bank.values()) == sum(
        1 for s, t, _ in planted if (s, t) == ("bank", "transactions")
    )
    contacts = world.services["contacts"].table("people")
    assert all(world.life.is_background(r) for r in contacts.values())  # the life's contacts


def _kit_world():
    spec = claw_gym.catalog(family="phone-dnd-meeting", difficulty=2)[0]  # mail, sms, calendar, bank-free
    world, _ = build(suite.family_of(spec), spec, 0)
    from claw_gym.tasks import Ctx

    return world, Ctx(spec, world, np.random.default_rng(0))


def test_planted_records_take_the_background_shape():
    from claw_gym.envs.kit import arrivals, plant

    world, ctx = _kit_world()
    friend = next(p for p in world.persona.people if p.relation not in ("manager", "colleague"))
    now = world.clock.now
    mails = world.services["mail"].table("messages")
    background_mail = next(r for r in mails.values() if world.life.is_background(r) and r["folder"] == "inbox")
    m = plant.mail_in(ctx, "mail", now - 5 * 86400 + 77, friend.email, "Saturday", "see you at 8?")
    assert list(m) == list(background_mail)  # the same fields, in the same order
    line = next(e.text for e in world.timeline.history if e.record is m)
    assert line == f"from {friend.name}: Saturday"  # the contact's name, not the address
    pushes = [
        r for r in world.services["device"].table("log").values() if r["app"] == "Mail" and r["time"] == m["time"] + 3
    ]
    assert pushes and pushes[-1]["text"] == f"{friend.name}: new message"
    texts = [plant.sms(ctx, now - 86400 - k * 600, friend.phone, f"running late {k}") for k in range(40)]
    notified = {r["text"] for r in world.services["device"].table("log").values() if r["app"] == "Messages"}
    share = sum(f"{friend.name}: {t['body']}" in notified for t in texts) / len(texts)
    assert 0.25 < share < 0.75  # the phone's notification about half the time, as the background's texts
    sms_line = next(e.text for e in world.timeline.history if e.record is texts[0])
    assert sms_line == f"text from {friend.name}: running late 0"  # with the preview
    rid = arrivals.arrive_sms(ctx, now + 3600, friend.phone, "here now")
    pending = next(e for e in world.timeline.pending if e.record and e.record.get("id") == rid)
    assert pending.text == f"text from {friend.name}: here now" and pending.record["read"] is False
    assert plant.jitter(ctx, now - 7200) % 60 > 0 and plant.jitter(ctx, now) // 60 % 30


def test_a_card_payment_arrival_reads_like_the_background_and_brings_its_push():
    from claw_gym.envs.kit import arrivals

    spec = claw_gym.catalog(family="invoice-expense", difficulty=2)[0]
    world, _ = build(suite.family_of(spec), spec, 0)
    from claw_gym.tasks import Ctx

    ctx = Ctx(spec, world, np.random.default_rng(0))
    rid = arrivals.arrive_charge(ctx, world.clock.now + 600, 42.5, "Bean There Cafe", "card payment")
    evs = [e for e in world.timeline.pending if e.time in (world.clock.now + 600, world.clock.now + 605)]
    assert evs[0].record["id"] == rid and evs[0].text == "Bean There Cafe -42.50 EUR (card payment)"
    assert evs[1].record["app"] == "Bank" and evs[1].record["text"] == "You paid 42.50 EUR at Bean There Cafe"


def test_display_names_read_like_a_mail_client():
    from claw_gym.life.blend import display_name

    assert display_name("rosa.novak@proton.me") == "Rosa Novak"
    assert display_name("billing@heat-wise.example") == "Heat Wise"
    assert display_name("no-reply@accounts.example") == "Accounts"
    assert display_name("not an address") == ""


def _contents(world) -> list[tuple[str, str, str]]:
    """Every stored record but the device log's, without its id and read flag (what blend may set),
    and with ids named inside it blanked (a creation line may date a deal: the ids permute)."""
    out = []
    for sname, svc in world.services.items():
        for tname, tab in svc.tables.items():
            if (sname, tname) != ("device", "log"):
                for r in tab.rows.values():
                    fields = sorted((k, repr(v)) for k, v in dict.items(r) if k not in ("id", "read"))
                    out.append((sname, tname, re.sub(r"\b[a-z]+\d{4,}\b", "ID", repr(fields))))
    return sorted(out)


_LINED = (("calendar", "entries"), ("todo", "items"), ("crm", "deals"), ("phone", "calls"))


def _unlined(world) -> int:
    """Planted records the background would have shown a line for, shown without one (or, for a
    received mail, with the bare address where the background names the sender)."""
    tl = world.timeline
    mentioned = {id(e.record) for e in tl.history + tl.pending if e.record is not None}
    n = sum(
        1
        for sname, tname, rec in world.life.planted()
        if (sname, tname) in _LINED and id(rec) not in mentioned and not _future(rec, world)
    )
    return n + sum(
        1
        for e in tl.history
        if e.kind in ("mail.received", "mail.sent")
        and e.record is not None
        and not world.life.is_background(e.record)
        and e.text.startswith((f"from {e.record['from']}:", *(f"to {a}:" for a in e.record["to"])))
    )


# families whose modules still place records with the services' own helpers (the hardened ones use kit.plant)
@pytest.mark.parametrize("family", ["chat-handover", "flight-delay", "deal-confirm"])
def test_blend_adds_lines_and_companions_and_changes_no_planted_content(family, monkeypatch):
    spec = claw_gym.catalog(family=family, difficulty=3)[0]
    world, scenario = build(suite.family_of(spec), spec, 0)
    monkeypatch.setattr("claw_gym.life.blend.blend", lambda w, planted, lines: [])
    plain, plain_scenario = build(suite.family_of(spec), spec, 0)
    assert _contents(world) == _contents(plain)  # no time, amount, text or address moved
    assert scenario.instruction == plain_scenario.instruction
    assert _unlined(plain) > 0 and _unlined(world) == 0


def _future(rec: dict, world) -> bool:
    """A record that arrives after now (a call still to come) needs no line yet; an appointment
    ahead was still entered in the past."""
    t = dict.get(rec, "time")
    return isinstance(t, int) and t > world.clock.now


def test_a_look_alike_sender_shows_the_real_organisations_name():
    from claw_gym.life.blend import impostor_name

    orgs = {"heatwise": "Heatwise", "helios-energy": "Helios Energy"}
    assert impostor_name("billing@heatw1se.example", orgs) == "Heatwise"  # a digit for a letter
    assert impostor_name("billing@heatwiise.example", orgs) == "Heatwise"  # one letter added
    assert impostor_name("it-desk@helois-energy.com", orgs) == "Helios Energy"  # two letters swapped
    assert impostor_name("maya.costa@he1ios-energy.com", orgs) == "Maya Costa"  # a person shows their own name
    assert impostor_name("billing@heatwise.example", orgs) == ""  # the real domain: the usual name
    assert impostor_name("hello@citypulse.example", orgs) == ""  # no look-alike of anything here


def test_a_look_alike_mail_in_a_world_never_names_the_odd_domain():
    spec = claw_gym.catalog(family="signin-alert", difficulty=3)[0]
    world, _ = build(suite.family_of(spec), spec, 0)
    people = world.services["contacts"].table("people").values()
    company = next(str(c["company"]) for c in people if str(c["email"]).endswith("@" + world.persona.work_domain))
    tl = world.timeline
    phish = [e for e in tl.history + tl.pending if e.kind == "mail.received" and "it-security@" in e.record["from"]]
    assert phish
    for e in phish:
        odd = e.record["from"].split("@")[1].split(".")[0]
        assert odd.lower() not in e.text.lower().replace(" ", "")  # never "Northwid" from northwid.io
        assert e.text.startswith(f"from {company}:")  # the name the real desk's mail would show


def test_a_planted_reply_joins_its_thread_and_a_new_subject_starts_one():
    from claw_gym.envs.kit import plant

    world, ctx = _kit_world()
    friend, other = [p for p in world.persona.people if p.relation not in ("manager", "colleague")][:2]
    now = world.clock.now
    first = plant.mail_in(ctx, "mail", now - 3 * 86400 + 11, friend.email, "Boat trip", "are you in?")
    mine = plant.mail_out(ctx, "mail", now - 2 * 86400 + 13, friend.email, "Re: Boat trip", "yes!")
    back = plant.mail_in(ctx, "mail", now - 86400 + 17, friend.email, "RE: boat trip", "great")
    assert mine["in_reply_to"] == first["id"] and back["in_reply_to"] == mine["id"]  # the latest before it
    stranger = plant.mail_in(ctx, "mail", now - 86400 + 19, other.email, "Re: Boat trip", "me too?")
    assert not dict.get(stranger, "in_reply_to")  # not a thread with this sender
    fresh = plant.mail_in(ctx, "mail", now - 3600 + 23, friend.email, "Dinner", "at 8")
    assert not dict.get(fresh, "in_reply_to")
    told = plant.mail_in(ctx, "mail", now - 600 + 29, friend.email, "Re: Boat trip", "ok", in_reply_to="")
    assert told["in_reply_to"] == ""  # the family's own value stands


def test_later_lines_follow_the_records_own_state_and_stay_in_the_past():
    from claw_gym.life.blend import lifecycle

    world, _ = _kit_world()
    now = world.clock.now
    t0 = now - 10 * 86400
    rng = np.random.default_rng(0)
    for _ in range(40):
        done = {"title": "Renew passport", "due": now - 86400, "done": True}
        kinds = [e.kind for e in lifecycle(world, "todo", "items", done, t0, rng)]
        assert kinds.count("todo.completed") == 1
        still = {"title": "Renew passport", "due": now + 86400, "done": False}
        assert "todo.completed" not in [e.kind for e in lifecycle(world, "todo", "items", still, t0, rng)]
        solved = {"subject": "Login fails", "status": "solved"}
        assert [e.kind for e in lifecycle(world, "helpdesk", "tickets", solved, now - 3600, rng)] == ["ticket.solved"]
        waiting = {"subject": "Login fails", "status": "pending"}
        assert lifecycle(world, "helpdesk", "tickets", waiting, t0, rng) == []
        soon = {"title": "Sync", "start": now + 3 * 3600, "end": now + 4 * 3600, "attendees": ["a@b.example"]}
        assert lifecycle(world, "calendar", "entries", soon, t0, rng) == []  # its reminder is still to come
        for e in lifecycle(world, "todo", "items", done, t0, rng):
            assert t0 < e.time <= now and e.table is None and e.record is done


def test_the_backgrounds_arrivals_ask_nothing_of_the_person():
    from claw_gym.life import stream

    texts = [b for _, b in stream.FYI] + [b for _, _, b in stream.NOTICES] + list(stream.SERVICE_TEXTS)
    asks = re.compile(r"\?|\b(please|could you|can you|deadline|by (monday|friday|tomorrow)|until|reply)\b", re.I)
    assert texts and not [t for t in texts if asks.search(t)]
    office = []
    for seed in range(12):  # a note arrives every week or so: about half the worlds see one during the episode
        spec = claw_gym.catalog(family="meeting-reschedule", difficulty=5)[0]  # a work world: workmail
        world, _ = build(suite.family_of(spec), spec, seed)
        coming = [e.record for e in world.timeline.pending if e.service == "workmail" and e.record is not None]
        office += [r for r in coming if world.life.is_background(r) and r["from"].startswith("office@")]
    assert office and all(r["subject"] in {s for s, _ in stream.FYI} for r in office)
