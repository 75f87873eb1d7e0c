"""No table or event kind that only a task writes (issue 21, camouflage; session 31).

A record's kind alone named a task's when the background never had one: expense claims, phone alarms,
contacts saved on the phone only, app cards in the phone's shade (and their ``phone / notification``
line), mail sent from the private mailbox, a file a client rewrote (``files / file.changed``). The
probe in test_camouflage.py compares records within a table, so it never saw these. Here, for every
family at difficulties 1, 3 and 5: each table holding a planted record (stored or still to arrive)
also holds at least two of the background's in that world, and each (service, kind) of event a family
plants also comes from the background in that world.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from episodes import at_level

from claw_gym import clock
from claw_gym.runs.camouflage import background_test
from claw_gym.tasks import catalog, family_of
from claw_gym.tasks.build import build


def _picked() -> list[Any]:
    """The first task (by id) of every (family, difficulty) at 1, 3 and 5."""
    out: dict[tuple[str, int], Any] = {}
    for s in sorted(catalog(), key=lambda s: s.task_id):
        if s.difficulty in (1, 3, 5):
            out.setdefault((s.family, s.difficulty), s)
    return [out[k] for k in sorted(out)]


def kinds_only_a_task_writes(world: Any) -> list[str]:
    """Tables with a planted record and fewer than two background ones; planted event kinds the background
    never has (both over stored rows, history and pending arrivals)."""
    is_bg = background_test(world)
    tables: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [planted, background]
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seen: set[int] = set()
    for sname, svc in world.services.items():
        for tname, tab in svc.tables.items():
            for r in tab.rows.values():
                seen.add(id(r))
                tables[f"{sname}.{tname}"][int(is_bg(r))] += 1
    tl = world.timeline
    for e in tl.history + tl.pending:
        if e.record is None:
            continue
        if e.table is not None and id(e.record) not in seen:
            seen.add(id(e.record))
            tables[f"{e.service}.{e.table}"][int(is_bg(e.record))] += 1
        kinds[f"{e.service} / {e.kind}"][int(is_bg(e.record))] += 1
    out = [f"table {t}: {bg} background, {pl} planted" for t, (pl, bg) in sorted(tables.items()) if pl and bg < 2]
    out += [
        f"event {k}: none from the background, {pl} planted" for k, (pl, bg) in sorted(kinds.items()) if pl and not bg
    ]
    return out


SPECS = _picked()


@pytest.mark.parametrize("seed", [0, pytest.param(1, marks=pytest.mark.slow)])  # seed 1: the slow suite
@pytest.mark.parametrize("family", sorted({s.family for s in SPECS}))
def test_every_kind_a_family_writes_the_background_writes_too(family, seed):
    bad = []
    for spec in [s for s in SPECS if s.family == family]:
        world, _ = build(family_of(spec), spec, seed)
        bad += [f"{spec.task_id} (level {spec.difficulty}): {g}" for g in kinds_only_a_task_writes(world)]
    assert not bad, "; ".join(bad)


def test_the_background_s_app_records_look_like_a_person_s():
    """A phone world's background: a weekday wake-up and an alarm left off, contacts on the phone only,
    cards from several apps (some dismissed, some still in the shade, some arriving during the episode);
    an expenses world's: submitted and approved claims, most linked to card payments."""
    env = at_level("dual-flight-change", 1)
    world = env.world
    bg = background_test(world)
    phone = world.services["phone"]
    alarms = [a for a in phone.table("alarms").values() if bg(a)]
    assert len(alarms) >= 2 and any(not a["enabled"] for a in alarms) and any(a["days"] for a in alarms)
    assert len([c for c in phone.table("contacts").values() if bg(c)]) >= 2
    cards = [n for n in phone.table("notifications").values() if bg(n)]
    assert len({n["app"] for n in cards}) >= 3 and any(n["dismissed"] for n in cards)
    coming = [e for e in world.timeline.pending if e.service == "phone" and e.kind == "notification" and bg(e.record)]
    assert coming and all(not e.record["actions"] for e in coming)  # informative: nothing to answer
    sent = [m for m in world.services["mail"].table("messages").values() if m["folder"] == "sent" and bg(m)]
    assert sent
    env = at_level("month-close", 3)
    world = env.world
    bg = background_test(world)
    claims = [x for x in world.services["expenses"].table("claims").values() if bg(x)]
    assert len(claims) >= 2 and {x["status"] for x in claims} <= {"submitted", "approved"}
    txs = world.services["bank"].table("transactions")
    linked = [x for x in claims if x["tx_id"]]  # (some typed by hand: no payment linked)
    assert linked and all(x["tx_id"] in txs and txs[x["tx_id"]]["amount"] == -x["amount"] for x in linked)
    assert all(x["time"] < world.clock.now - clock.DAY for x in claims)


def test_the_background_steps_aside_from_a_family_s_apps_and_alarms():
    """No background card of an app a family's cards use, no background alarm at a family alarm's time or
    with its label: the task's record stays the only one of its kind there."""
    for family, level in (("dual-flight-change", 3), ("xdev-otp-enrol", 3), ("phone-card-check", 3)):
        env = at_level(family, level)
        world = env.world
        bg = background_test(world)
        phone = world.services["phone"]
        cards = list(phone.table("notifications").values())
        cards += [e.record for e in world.timeline.pending if e.service == "phone" and e.table == "notifications"]
        theirs = {n["app"] for n in cards if not bg(n)}
        assert theirs and not [n for n in cards if bg(n) and n["app"] in theirs], family
        alarms = list(phone.table("alarms").values())
        mine = [a for a in alarms if not bg(a)]
        for a in alarms:
            if bg(a):
                assert a["label"] not in {m["label"] for m in mine} and a["time"] not in {m["time"] for m in mine}
