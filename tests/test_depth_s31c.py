"""Headroom for sales-day, support-shift and xdev-figure-text at levels 4-5 (issue 21, session 31): searching
the requester by person and every identifier of the matter by text (company, address, city, amount, ticket
number, reference, supplier) no longer finds what decides it. The deciding word comes in a DM from someone
whose say is written in the world (the manager, whose last word the rule names; the procurement clerk, who
says in the team channel that they told the tracker's keeper directly), naming the matter only by when it
came in or by its date, among same-shaped lines of theirs about other matters (:mod:`claw_gym.envs.kit.oblique`).

Each test builds the task at a level and reads its world the way an agent could, or plays it to its verdict
with actions built from the facts.
"""

from __future__ import annotations

import json
import re

import pytest
from episodes import at_level as _at_level
from episodes import failed as _failed
from episodes import play as _play
from episodes import search

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.envs import sales_day, support_shift, xdev_figure_text

SHAPE = re.compile(
    r"re the [a-z ]+ (that came in at \d\d:\d\d( on [A-Z][a-z]+day)?|dated [A-Z][a-z]{2} \d\d [A-Z][a-z]{2}): "
)


def _messages(world) -> list[dict]:
    return list(world.services["chat"].table("messages").values())


def _found(env, texts: list[str], people: list[str]) -> set[str]:
    """The records the players' method finds: each identifier by text, each requester by person."""
    out = {h["record"] for t in texts for h in search(env, t)}
    for who in people:
        cursor = 0
        while True:
            obs, *_ = env.step(A.api("events.search", person=who, limit=40, cursor=cursor))
            page = json.loads(obs["result"])
            out |= {h["record"] for h in page["items"]}
            cursor = page.get("next_cursor") or 0
            if not cursor:
                break
    return out


def _after(env, t: int) -> None:
    """Let the virtual clock run an hour past ``t`` (the DM and the sender's next line are delivered), as an agent
    waiting for the day's arrivals."""
    env.step(A.wait(max(0, t - env.world.clock.now) + clock.HOUR, wake=False))


def _the_dm(world, f: dict, sender: str) -> tuple[dict, list[dict]]:
    """The deciding DM line and the sender's other lines in the same DM."""
    dm = [m for m in _messages(world) if m["channel"] == f["dm"]]
    deciding = [m for m in dm if m["id"] == f["heard"]["msg"]] if f.get("heard") else []
    assert len(deciding) == 1 and deciding[0]["sender"] == sender
    others = [m for m in dm if m["sender"] == sender and m["id"] != deciding[0]["id"]]
    return deciding[0], others


def _same_shape(deciding: dict, others: list[dict]) -> None:
    assert SHAPE.match(deciding["text"])
    shaped = [m for m in others if SHAPE.match(m["text"])]
    assert 2 <= len(shaped) <= 4  # the same person settles other matters in the same words
    assert any(m["time"] < deciding["time"] for m in shaped) and any(m["time"] > deciding["time"] for m in shaped)


def _amounts(n: float) -> list[str]:
    return [f"{n:,.0f}", f"{n:.0f}", f"{n / 1000:.0f}k", f"{n:,.2f}", f"{n:.2f}"]


# ---- sales-day -------------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["inbound", "referral"])
@pytest.mark.parametrize("level", [4, 5])
def test_sales_day_the_manager_s_dm_takes_one_lead_and_no_identifier_of_it_finds_the_dm(variant, level):
    for seed in range(3):
        env = _at_level("sales-day", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        boss = next(p for p in world.persona.people if p.relation == "manager")
        lead = f["leads"][f["heard"]["lead"]]
        # the rule under the money line and in the territory: the rule alone says partner
        assert lead["country"] in f["old_countries"] and lead["budget"] < f["minimum"] and lead["qualified"]
        rule = [n for n in world.services["notes"].table("notes").values() if f"EUR {f['minimum']:,}" in n["body"]]
        rule += [m for m in _messages(world) if f"EUR {f['minimum']:,} or more" in m["text"]]
        assert len(rule) == 1 and "last word on any single lead" in (rule[0].get("body") or rule[0]["text"])
        _after(env, f["heard"]["at"])
        deciding, others = _the_dm(world, f, boss.name)
        _same_shape(deciding, others)
        text = deciding["text"].lower()
        ids = [lead["company"], lead["company"].split()[0], lead["name"], lead["name"].split()[-1], lead["email"]]
        ids += [lead["country"], sales_day.CITIES[lead["country"]], *_amounts(lead["budget"])]
        assert not [i for i in ids if i.lower() in text]
        # the time it names is when exactly one of today's leads came in
        hhmm = re.search(r"came in at (\d\d:\d\d)", text).group(1)  # type: ignore[union-attr]
        assert [x["company"] for x in f["leads"] if clock.fmt(x["at"])[-5:] == hhmm] == [lead["company"]]
        assert lead["at"] < deciding["time"] < lead["by"] - 45 * clock.MINUTE
        # the players' method: the lead by person, each identifier of it by text
        found = _found(env, ids, [lead["name"], lead["email"]])
        assert deciding["id"] not in found


@pytest.mark.parametrize("variant", ["inbound", "referral"])
@pytest.mark.parametrize("level", [4, 5])
def test_sales_day_going_by_the_rule_alone_fails_and_acting_then_correcting_passes(variant, level):
    env = _at_level("sales-day", level, seed=2, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    lead = f["leads"][f["heard"]["lead"]]
    assert _failed(_play(env, sales_day.rule_oracle(env.world, f))) == [
        f"{lead['company']}'s deal is qualified at EUR {lead['budget']:,}",
        f"{lead['company']} is invited to a 30-minute demo in a free slot on the next two working days, by "
        f"{clock.fmt(lead['by'])[-5:]}",
        f"{lead['company']} is named in #sales by {clock.fmt(lead['by'])[-5:]}",
    ]
    env.reset(seed=2)  # the partner note and 'lost' as soon as it came in, then the manager's word taken
    early = {k: v for k, v in lead.items() if k != "heard"}
    both = {**f, "leads": [*f["leads"], early]}
    steps = sales_day._plan(env.world, both, [x["qualified"] for x in f["leads"]] + [False])
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- support-shift ---------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["amount", "stage"])
@pytest.mark.parametrize("level", [4, 5])
def test_support_shift_the_manager_s_dm_sends_one_ticket_up_and_no_identifier_of_it_finds_the_dm(variant, level):
    for seed in range(3):
        env = _at_level("support-shift", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        boss = next(p for p in world.persona.people if p.relation == "manager")
        tk = next(t for t in f["tickets"] if t["id"] == f["heard"]["ticket"])
        deals = world.services["crm"].table("deals")
        assert tk["key"] and not support_shift._key(f["rule"], [deals[d] for d in tk["deals"]])  # not by the CRM
        notes = [n for n in world.services["notes"].table("notes").values() if "second line" in n["body"]]
        assert len(notes) == 1 and f"{boss.first} can send any single ticket up" in notes[0]["body"]
        _after(env, f["heard"]["at"])
        deciding, others = _the_dm(world, f, boss.name)
        _same_shape(deciding, others)
        text = deciding["text"].lower()
        rec = world.services["helpdesk"].table("tickets")[tk["id"]]
        ids = [tk["id"], tk["account"], tk["account"].split()[0], tk["email"], tk["subject"]]
        ids += [rec["requester"].split("@")[0].replace(".", " "), rec["requester"].split("@")[1]]
        assert not [i for i in ids if i.lower() in text]
        hhmm = re.search(r"came in at (\d\d:\d\d)", text).group(1)  # type: ignore[union-attr]
        tickets = list(world.services["helpdesk"].table("tickets").values())
        minute = [
            t["id"] for t in tickets if clock.fmt(t["time"])[-5:] == hhmm and t["time"] > world.clock.now - clock.DAY
        ]
        later = [t["id"] for t in f["tickets"] if clock.fmt(t["at"])[-5:] == hhmm]
        assert sorted(set(minute + later)) == [tk["id"]]  # today's tickets, delivered or still to come
        assert tk["at"] < deciding["time"] < tk["due"] - 20 * clock.MINUTE
        name = rec["requester"].split("@")[0].replace(".", " ").title()
        found = _found(env, ids, [name, rec["requester"]])
        assert deciding["id"] not in found


@pytest.mark.parametrize("variant", ["amount", "stage"])
@pytest.mark.parametrize("level", [4, 5])
def test_support_shift_going_by_the_crm_alone_fails_and_replying_then_sending_up_passes(variant, level):
    env = _at_level("support-shift", level, seed=2, variant=variant)
    f = env.scenario.facts
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    tk = next(t for t in f["tickets"] if t["id"] == f["heard"]["ticket"])
    assert _failed(_play(env, support_shift.rule_oracle(env.world, f))) == [
        f"{tk['account']}'s ticket went to Tier 2 by {clock.fmt(tk['due'])[-5:]}"
    ]
    env.reset(seed=2)  # the public first reply as soon as it came in, then sent up on the manager's word
    early = {**{k: v for k, v in tk.items() if k != "heard"}, "key": False}
    steps = support_shift._plan(env.world, f, [*f["tickets"], early])
    verdict = _play(env, steps)
    assert verdict["passed"] and not verdict["violations"], verdict


# ---- xdev-figure-text ------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["po", "event"])
@pytest.mark.parametrize("level", [4, 5])
def test_xdev_figure_text_the_clerk_s_dm_names_only_the_line_s_date_and_no_identifier_finds_it(variant, level):
    for seed in range(3):
        env = _at_level("xdev-figure-text", level, seed, variant=variant)
        world, f = env.world, env.scenario.facts
        v = xdev_figure_text.VARIANTS[variant]
        gone = f["gone"]
        dm = [m for m in _messages(world) if m["channel"] == f["dm"]]
        deciding = [m for m in dm if m["text"].endswith(v["dm"])]
        assert len(deciding) == 1
        clerk = deciding[0]["sender"]
        others = [m for m in dm if m["sender"] == clerk and m["id"] != deciding[0]["id"]]
        _same_shape(deciding[0], others)
        # the team channel says only that the clerk told the tracker's keeper directly
        pointer = [m for m in _messages(world) if m["channel"] == f["channel"] and m["sender"] == clerk]
        assert [m["text"] for m in pointer if "directly" in m["text"]] == [v["pointer"]]
        assert not [m for m in _messages(world) if gone["vendor"] in m["text"] or f["ref"] in m["text"]]
        text = deciding[0]["text"]
        ids = [f["ref"], gone["vendor"], f["vendor"], gone["amount"], gone["item"], f["name"], gone["date"]]
        ids += [f["name"].split()[-1], f"{f['total']:.2f}", f"{f['stale_total']:.2f}"]
        assert not [i for i in ids if i.lower() in text.lower()]
        # the date it names is the date of exactly one row of the sheet: the one that no longer stands
        said = clock.parse_time(gone["date"])
        assert f"dated {clock.to_datetime(said):%a %d %b}:" in text
        sheet = world.services["files"].find(v["sheet"])["content"].splitlines()[1:]
        assert [r for r in sheet if r.startswith(gone["date"] + ",")] == [
            ",".join(gone[k] for k in xdev_figure_text.FIELDS)
        ]
        assert world.clock.now - 2 * clock.DAY < deciding[0]["time"] < world.clock.now
        found = _found(env, ids, [f["name"], f["number"]])
        assert deciding[0]["id"] not in found


@pytest.mark.parametrize("variant", ["po", "event"])
@pytest.mark.parametrize("level", [4, 5])
def test_xdev_figure_text_the_sheet_as_exported_fails_and_the_oracle_passes(variant, level):
    env = _at_level("xdev-figure-text", level, seed=2, variant=variant)
    f = env.scenario.facts
    assert f["dm"]  # the word is in a DM
    verdict = _play(env, env.oracle_actions())
    assert verdict["passed"] and not verdict["violations"], verdict
    env.reset(seed=2)
    failed = _failed(_play(env, xdev_figure_text.stale_oracle(env.world, f)))
    assert f"{f['name']} got the total before the call" in failed
