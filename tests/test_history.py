"""The life history: determinism, size, validity, lazy text, streaming, views, search."""

from __future__ import annotations

import copy
import json
import os
import pickle
import statistics
import subprocess
import sys

import gymnasium as gym
import pytest

import claw_gym
from claw_gym import actions as A
from claw_gym import clock
from claw_gym.events import Event
from claw_gym.life import HISTORY_DAYS, Life, history_text, history_words
from claw_gym.life.text import Lazy, LazyRecord
from claw_gym.observation import LIMITS
from claw_gym.persona import make_persona
from claw_gym.services import SERVICES
from claw_gym.services.events import record_text
from claw_gym.tasks import families, suite
from claw_gym.tasks.build import build, start_time
from claw_gym.world import World

ALL = tuple(s for s in SERVICES if s not in ("events", "device"))


def life_world(seed: int = 0, difficulty: int = 3, services: tuple[str, ...] = ALL) -> World:
    """A world with every service and a life, no family (to see every kind of trace)."""
    w = World(f"life-probe-{difficulty}", seed, services, start_time(seed * 7919 + 11))
    w.persona = make_persona(w.rng)
    Life(w, difficulty).settle()
    return w


def built(task_id: str, seed: int) -> World:
    spec = claw_gym.get_spec(task_id)
    return build(suite.family_of(spec), spec, seed)[0]


def first_task(family: str) -> str:
    return claw_gym.catalog(family=family, split=["train", "test", "heldout"])[0].task_id


# ---- determinism -------------------------------------------------------------------------------
def test_history_is_deterministic_and_the_hash_covers_the_text():
    a, b = life_world(1), life_world(1)
    assert a.state_hash() == b.state_hash()
    assert history_text(a) == history_text(b)
    assert life_world(2).state_hash() != a.state_hash()
    # the hash covers the lazily rendered text: change one rendered body, the hash moves
    c = life_world(1)
    mail = next(r for r in c.services["mail"].table("messages").values() if isinstance(r, LazyRecord))
    mail["body"] = mail["body"] + "!"
    assert c.state_hash() != a.state_hash()


def test_rendering_order_does_not_change_the_text():
    a, b = life_world(4), life_world(4)
    ra = list(a.services["mail"].table("messages").values())
    rb = list(b.services["mail"].table("messages").values())
    texts_b = [r["body"] for r in reversed(rb)][::-1]  # render b backwards
    assert [r["body"] for r in ra] == texts_b


_HASH_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.test_history import life_world, built
print(life_world(5).state_hash(), built({task!r}, 3).state_hash())
"""


def test_history_hash_is_the_same_in_every_process():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = _HASH_SCRIPT.format(root=root, task=first_task(next(iter(families()))))
    outs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": h},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-2:]
        for h in ("0", "4242")
    ]
    assert outs[0] == outs[1]


# ---- size --------------------------------------------------------------------------------------
def test_words_per_task_reach_the_target_and_grow_with_difficulty():
    by_diff: dict[int, list[int]] = {}
    for family in families():
        for spec in claw_gym.catalog(family=family, split=["train", "test", "heldout"])[:5]:  # difficulties 1-5
            w = built(spec.task_id, 0)
            by_diff.setdefault(spec.difficulty, []).append(history_words(w))
            h = w.timeline.history
            assert h[-1].time - h[0].time >= 90 * clock.DAY
    report = {d: (min(v), int(statistics.mean(v)), max(v)) for d, v in sorted(by_diff.items())}
    print("\nwords per task by difficulty (min, mean, max):", report)
    means = [statistics.mean(v) for _, v in sorted(by_diff.items())]
    assert statistics.mean([x for v in by_diff.values() for x in v]) >= 150_000
    assert means == sorted(means)


# ---- validity ------------------------------------------------------------------------------------
READERS = {  # (service, table) -> how an agent reads one record through the API
    ("mail", "messages"): lambda r: ("mail.get", {"id": r["id"]}),
    ("workmail", "messages"): lambda r: ("workmail.get", {"id": r["id"]}),
    ("calendar", "entries"): lambda r: ("calendar.get", {"id": r["id"]}),
    ("bank", "transactions"): lambda r: ("bank.get", {"id": r["id"]}),
    ("notes", "notes"): lambda r: ("notes.get", {"id": r["id"]}),
    ("helpdesk", "tickets"): lambda r: ("helpdesk.get", {"id": r["id"]}),
    ("crm", "deals"): lambda r: ("crm.get_deal", {"id": r["id"]}),
    ("files", "files"): lambda r: ("files.read", {"path": r["path"]}),
    ("contacts", "people"): lambda r: ("contacts.get", {"id": r["id"]}),
}


def test_every_history_record_is_valid_in_its_service():
    w = life_world(3)
    now = w.clock.now
    seen = 0
    for ev in w.timeline.history:
        assert ev.time <= now and ev.record is not None, ev
        assert ev.service in w.services
        json.dumps(ev.record)  # plain JSON, no default= needed
    for sname, svc in w.services.items():
        for tname, tab in svc.tables.items():
            for rid, rec in tab.rows.items():
                assert rec["id"] == rid
                read = READERS.get((sname, tname))
                if read is not None:
                    call, args = read(rec)
                    out = w.call(call, args)
                    assert out, (call, args)
                    seen += 1
    assert seen > 500
    # list endpoints see every record of the list-only services
    assert w.call("sms.list", {"limit": 200})["total"] == len(w.services["sms"].table("messages"))
    channels = w.call("chat.list_channels", {})
    assert sum(c["messages"] for c in channels) == len(w.services["chat"].table("messages"))
    assert w.call("todo.list", {"include_done": True, "limit": 200})["total"] == len(w.services["todo"].table("items"))
    assert w.call("device.log", {"limit": 200})["total"] == len(w.services["device"].table("log"))
    for a in w.services["crm"].table("activities").values():
        assert a["deal"] in w.services["crm"].table("deals")
    for m in w.services["mail"].table("messages").values():  # attachments exist in files
        for path in m["attachments"]:
            assert w.services["files"].find(path) is not None, path
    # every service of the world has history
    for name in ALL + ("device",):
        if name not in ("expenses", "contacts"):
            assert any(e.service == name for e in w.timeline.history), name


def test_a_trip_crosses_services():
    w = life_world(6)
    bookings = [
        m for m in w.services["mail"].table("messages").values() if m["subject"].startswith("Booking confirmed")
    ]
    assert bookings
    ref = bookings[0]["subject"].split(" - ")[-1]
    assert any(ref in t["reference"] for t in w.services["bank"].table("transactions").values())
    assert w.services["files"].find(f"Downloads/ticket-{ref}.txt") is not None
    assert any(ref in str(e["notes"]) for e in w.services["calendar"].table("entries").values())


def test_conflicts_are_planted():
    w = life_world(2)
    moved = [m for m in w.services["workmail"].table("messages").values() if m["subject"].startswith("Moved again")]
    assert moved
    title = moved[0]["subject"].split(": ", 1)[1]
    changes = [e for e in w.timeline.history if e.kind == "calendar.changed" and title in e.text]
    assert len(changes) >= 2
    entry = changes[-1].record
    assert changes[-1].text.endswith(clock.fmt(entry["start"]))  # the calendar holds the latest move
    upcoming = w.life.signals["moved_meeting"]
    assert w.services["calendar"].table("entries")[upcoming["entry"]]["start"] == upcoming["final"]
    house = w.life.signals["moved_house"]
    assert house and house["old"] != house["new"]
    contact = w.services["contacts"].by_name(house["person"])
    assert contact["address"] == house["old"]  # the stale card
    assert any(house["new"] in m["body"] for m in w.services["mail"].table("messages").values())


def test_near_duplicates_exist():
    w = life_world(0, difficulty=5)
    subjects = [m["subject"] for m in w.services["mail"].table("messages").values()]
    reminders = [s for s in subjects if s.startswith("Reminder: your")]
    assert reminders
    invoice_nums = [s.rsplit(" ", 1)[-1] for s in reminders]
    assert all(any(s.endswith(n) and not s.startswith("Reminder") for s in subjects) for n in invoice_nums)


# ---- lazy text -------------------------------------------------------------------------------------
def test_lazy_records_read_as_plain_dicts():
    from claw_gym.life.text import renderer

    @renderer("test-echo")
    def echo(mix, word):
        return f"{word} {mix.below(1000)}"

    def fresh() -> LazyRecord:
        return LazyRecord(id="m1", body=Lazy("test-echo", ("hi",), 9))

    text = fresh()["body"]
    assert text.startswith("hi ") and isinstance(text, str)
    for view in (dict(fresh()), {**fresh()}, json.loads(json.dumps(fresh())), dict(fresh().items())):
        assert view == {"id": "m1", "body": text}
    r = fresh()
    snap = copy.deepcopy(r)
    assert type(dict.__getitem__(snap, "body")) is Lazy  # snapshots stay lazy (cheap)
    assert snap == r == {"id": "m1", "body": text}
    assert pickle.loads(pickle.dumps(fresh()))["body"] == text
    assert fresh().get("body") == text and list(fresh().values()) == ["m1", text]


def test_reset_leaves_most_text_unrendered_and_a_snapshot_is_cheap():
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    env.reset(seed=0)
    world = env.unwrapped.world
    lazy = [
        r
        for s in world.services.values()
        for t in s.tables.values()
        for r in t.rows.values()
        if isinstance(r, LazyRecord)
    ]
    assert lazy and sum(not r.is_rendered() for r in lazy) > 0.8 * len(lazy)
    snap = copy.deepcopy(world)
    assert snap.services["mail"].world is snap and snap.life.world is snap  # weak back-refs follow the copy
    assert sum(
        not r.is_rendered()
        for s in snap.services.values()
        for t in s.tables.values()
        for r in t.rows.values()
        if isinstance(r, LazyRecord)
    ) > 0.8 * len(lazy)
    assert snap.state_hash() == world.state_hash()
    again = pickle.loads(pickle.dumps(world))
    assert again.services["calendar"].world is again and again.state_hash() == world.state_hash()


def test_a_dropped_world_is_freed_without_the_cyclic_gc():
    import gc
    import weakref

    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    env.reset(seed=0)
    ref = weakref.ref(env.unwrapped.world)
    enabled = gc.isenabled()
    gc.disable()
    try:
        env.reset(seed=1)
        assert ref() is None  # freed by reference counting: no cycle through services or the life
    finally:
        if enabled:
            gc.enable()


def test_building_a_world_leaves_the_cyclic_gc_alone(monkeypatch):
    """The build does not switch the GC off process-wide (other threads and users would see it)."""
    import gc

    from claw_gym.life import Life

    seen: list[bool] = []
    history = Life._history
    monkeypatch.setattr(Life, "_history", lambda self: (seen.append(gc.isenabled()), history(self))[1])
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    assert gc.isenabled()
    env.reset(seed=0)
    assert seen == [True] and gc.isenabled()


# ---- streaming ---------------------------------------------------------------------------------------
def test_an_event_arrives_exactly_at_the_step_whose_clock_passes_it():
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    env.reset(seed=2)
    world = env.unwrapped.world
    now = world.clock.now
    cost = claw_gym.env.ACTION_COST["api"]
    t = now + 2 * cost + 5  # passed by the third API call, not the second
    ev = world.schedule(
        Event(
            t,
            "notes",
            "notes.created",
            "note: streaming probe",
            "notes",
            {"title": "streaming probe", "body": "x", "folder": "", "updated": t},
        )
    )
    for step in (1, 2, 3):
        obs, *_ = env.step(A.api("help"))
        shown = "streaming probe" in obs["events"]
        assert shown == (step == 3), (step, obs["events"][-300:])
        stored = any(n["title"] == "streaming probe" for n in world.services["notes"].table("notes").values())
        assert stored == (step == 3) and (ev in world.timeline.history) == (step == 3)


def test_background_keeps_arriving_with_reserved_ids():
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    env.reset(seed=4)
    world = env.unwrapped.world
    pending = [e for e in world.timeline.pending if e.table is not None]
    assert pending and pending[0].time < world.clock.now + 2 * clock.HOUR, "the stream starts soon after now"
    reserved = {(e.service, e.table, e.record["id"]) for e in pending}
    for service, table, rid in reserved:
        assert rid not in world.services[service].table(table)  # reserved, not yet there
    obs, *_ = env.step(A.api("notes.create", title="mine", body="created mid-episode"))
    created = json.loads(obs["result"])["created"]
    assert ("notes", "notes", created) not in reserved
    obs, *_ = env.step(A.wait(2 * clock.DAY, wake=False))
    assert obs["events"] and len(obs["events"]) <= LIMITS["events"]
    due = [e for e in pending if e.time <= world.clock.now]
    assert due and all(world.services[e.service].table(e.table).get(e.record["id"]) is e.record for e in due)


def test_many_arrivals_are_bounded_with_a_marker_and_a_cursor():
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    env.reset(seed=5)
    world = env.unwrapped.world
    for k in range(400):
        world.schedule(Event(world.clock.now + 5 + k, "events", "probe", f"probe arrival number {k:03d} " + "x" * 40))
    obs, *_ = env.step(A.wait(3600, wake=False))
    text = obs["events"]
    assert len(text) <= LIMITS["events"] and text.startswith("[")
    marker = text.splitlines()[0]
    assert "events.search" in marker and '"cursor"' in marker
    call = json.loads(marker.split("events.search ", 1)[1].rstrip("]"))
    shown = len(text.splitlines()) - 1
    assert call["cursor"] == shown
    page = world.call("events.search", {"start": call["start"], "cursor": call["cursor"], "limit": 5})
    assert page["items"] and "probe arrival" in page["items"][0]["text"]
    # the first hidden one is just older than the oldest shown
    oldest_shown = int(text.splitlines()[1].split("number ")[1][:3])
    assert page["items"][0]["text"].startswith(f"probe arrival number {oldest_shown - 1:03d}")


# ---- views ---------------------------------------------------------------------------------------------
def test_history_modes():
    env = gym.make(f"ClawAnything/{first_task(next(iter(families())))}-v0")
    obs, _ = env.reset(seed=1, options={"history": "none"})
    assert obs["events"] == ""
    obs, _ = env.reset(seed=1, options={"history": "digest"})
    lines = obs["events"].splitlines()
    assert lines[0].startswith("[history:") and lines[1].startswith("[last 3 days:")
    assert 2000 > len(obs["events"]) > 200
    obs, _ = env.reset(seed=1, options={"history": "full"})
    text = obs["events"]
    assert len(text) <= LIMITS["events"] and len(text) > 4000
    marker = text.splitlines()[1]
    call = json.loads(marker.split("events.search ", 1)[1].rstrip("]"))
    world = env.unwrapped.world
    shown = text.splitlines()[2:]
    assert call["cursor"] == len(shown)
    nxt = world.call("events.search", call)
    h = world.timeline.history
    assert nxt["items"][0]["id"] == h[-len(shown) - 1].id  # page 2 starts right before page 1


def test_search_filters_and_cursor_paging_match_a_brute_force_scan():
    w = life_world(8)
    h = w.timeline.history
    start, end = clock.fmt(h[len(h) // 3].time), clock.fmt(h[2 * len(h) // 3].time)
    s, e = clock.parse_time(start), clock.parse_time(end)
    name = w.persona.by_relation("colleague")[0].name
    cases = [
        {"service": "mail"},
        {"text": "invoice"},
        {"person": name},
        {"start": start, "end": end},
        {"service": "chat", "start": start, "person": name.split()[0]},
    ]
    for q in cases:
        ids, cursor = [], 0
        while True:
            page = w.call("events.search", {**q, "limit": 37, "cursor": cursor})
            ids += [x["id"] for x in page["items"]]
            if "next_cursor" not in page:
                break
            cursor = page["next_cursor"]
        expect = [
            ev.id
            for ev in reversed(h)
            if (not q.get("service") or ev.service == q["service"])
            and ("start" not in q or ev.time >= s)
            and ("end" not in q or ev.time < e)
            and all(
                word in f"{ev.text} {ev.person} {ev.kind} {record_text(ev.record)}".lower()
                for word in q.get("text", "").split()
            )
            and q.get("person", "").lower() in f"{ev.text} {ev.person} {ev.kind}".lower()
        ]
        assert ids == expect and page["total"] == len(expect) and expect, q
    one = w.call("events.get", {"id": h[10].id})
    assert one["id"] == h[10].id and "data" in one
    # by the record id an event line ends with (what the agent sees), the newest event that delivered it
    carried = next(ev for ev in reversed(h) if ev.table is not None and ev.record and "id" in ev.record)
    by_record = w.call("events.get", {"id": carried.record["id"]})
    assert by_record["id"] == carried.id and by_record["record"] == carried.record["id"]
    with pytest.raises(claw_gym.services.ServiceError):
        w.call("events.search", {"service": "fax"})


# ---- living with the family --------------------------------------------------------------------------
def test_noise_does_not_mimic_the_family_and_its_thread_stays_findable():
    for seed in range(6):
        spec = claw_gym.catalog(family="meeting-reschedule", split=["train", "test", "heldout"])[seed]
        world, scenario = build(suite.family_of(spec), spec, seed)
        f = scenario.facts
        cal = world.services["calendar"]
        title = cal.table("entries")[f["event"]]["title"]
        assert [e["id"] for e in cal.table("entries").values() if e["title"] == title] == [f["event"]]
        hits = world.call("workmail.search", {"query": "reschedule"})
        assert {m["from"] for m in hits["items"]} == {f["requester"]}
        found = world.call("events.search", {"text": "reschedule"})
        assert found["total"] >= 2
        # the requester gets no background mail from "me" and no background traffic in the last week
        sent = [
            m
            for m in world.services["workmail"].table("messages").values()
            if m["folder"] == "sent" and f["requester"] in m["to"]
        ]
        assert not sent
        week = world.clock.now - 7 * clock.DAY
        late = [
            m
            for m in world.services["workmail"].table("messages").values()
            if m["from"] == f["requester"] and m["time"] > week and id(m) in world.life.own
        ]
        assert not late


def test_a_stale_signal_policy_fails_while_the_oracle_passes():
    for seed in range(4):
        spec = claw_gym.catalog(family="meeting-reschedule", split=["train", "test", "heldout"])[seed + 3]
        env = gym.make(spec.env_id)
        env.reset(seed=seed)
        f = env.unwrapped.scenario.facts
        stale = f["stale"]
        acts = [
            A.api(
                "calendar.update_event", id=f["event"], start=clock.fmt(stale), end=clock.fmt(stale + f["minutes"] * 60)
            ),
            A.api("workmail.reply", id=f["thread_latest"], body=f"Moved to {clock.fmt_long(stale)}."),
            A.finish("done"),
        ]
        for a in acts:
            _, reward, terminated, _, info = env.step(a)
        assert terminated and reward == 0.0 and not info["verdict"]["passed"]
        env.reset(seed=seed)
        for a in env.unwrapped.oracle_actions():
            _, reward, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                break
        assert info["verdict"]["passed"]


def test_history_spans_at_least_ninety_days_in_every_world():
    w = life_world(9, difficulty=1, services=("mail",))
    h = w.timeline.history
    assert w.clock.now - h[0].time >= HISTORY_DAYS * clock.DAY - clock.DAY


# ---- ids in time order (claw_gym.life.renumber) ------------------------------------------------
def _tables(world: World) -> dict[str, list[dict]]:
    """Each table's records, stored and pending, by 'service.table'."""
    out: dict[str, list[dict]] = {
        f"{n}.{t}": list(tab.rows.values()) for n, s in world.services.items() for t, tab in s.tables.items()
    }
    for e in world.timeline.pending:
        if e.table is not None and e.record is not None:
            out[f"{e.service}.{e.table}"].append(e.record)
    return out


def _created(world: World) -> dict[int, int]:
    """When each record appeared: its creation event, else its first mention (the moved meeting)."""
    tl = world.timeline
    events = list(reversed(tl.history + tl.pending))
    first = {id(e.record): e.time for e in events if e.record is not None}
    return first | {id(e.record): e.time for e in events if e.table is not None and e.record is not None}


@pytest.mark.parametrize("family", ["invoice-expense", "vip-ticket", "xdev-signin-approve", "chat-handover"])
def test_every_table_hands_out_its_ids_in_time_order_and_the_facts_follow(family, monkeypatch):
    from claw_gym.life import renumber as rn
    from claw_gym.tasks import build as build_module

    spec = claw_gym.catalog(family=family, difficulty=5)[0]
    world, scenario = build(suite.family_of(spec), spec, 1)
    created = _created(world)
    for name, recs in _tables(world).items():
        timed = [
            (t, int(r["id"].lstrip("abcdefghijklmnopqrstuvwxyz")))
            for r in recs
            if (t := rn.record_time(r, created)) is not None
        ]
        by_id = [t for t, _ in sorted(timed, key=lambda x: x[1])]
        assert by_id == sorted(by_id), name
    monkeypatch.setattr(build_module, "renumber", lambda w, s: {})
    plain, plain_scenario = build(suite.family_of(spec), spec, 1)
    for name, recs in _tables(world).items():
        before = _tables(plain)[name]
        assert sorted(r["id"] for r in recs) == sorted(r["id"] for r in before), name  # a permutation
    for n, svc in world.services.items():
        for t, tab in svc.tables.items():
            assert tab.next_id == plain.services[n].tables[t].next_id, (n, t)  # next_id stays
    # the facts name the same records as before (matched by content), under their new ids
    old = {r["id"]: r for recs in _tables(plain).values() for r in recs}
    new = {r["id"]: r for recs in _tables(world).values() for r in recs}

    def same(a: object, b: object) -> None:
        if isinstance(a, str) and a in old:
            assert isinstance(b, str) and b in new
            assert {k: v for k, v in dict(new[b]).items() if k != "id"}.keys() == {k for k in dict(old[a]) if k != "id"}
            assert new[b].get("time") == old[a].get("time") and new[b].get("title") == old[a].get("title")
        elif isinstance(a, dict):
            for k in a:
                same(a[k], b[k])  # type: ignore[index]
        elif isinstance(a, (list, tuple)):
            for x, y in zip(a, b):  # type: ignore[call-overload]
                same(x, y)

    same(plain_scenario.facts, scenario.facts)


def test_plain_tables_take_the_short_way_with_the_general_loops_result():
    """renumber's C-level pass for plain tables gives what the record-by-record loop gives, and
    declines every table that is not plain (so the loop, and its draws, decide there)."""
    from claw_gym.life import renumber as rn

    recs = [{"id": f"m{k:04d}", "time": 100 - k} for k in range(1, 6)]
    created = {id(r): 10 * k for k, r in enumerate(recs)}
    times = [created[id(r)] for r in recs]
    assert rn._when_plain("m", [r["id"] for r in recs], times) == rn._when_general("m", recs, created)
    odd = [
        (["m0001", "m0001"], [1, 2]),  # one id, two records: the earliest time wins in the loop
        (["m0001", "m0002"], [1, None]),  # untimed: the loop looks at the record's own fields
        (["m0001", 7], [1, 2]),  # an id that is no string
        (["m0001", "x0002"], [1, 2]),  # another prefix
        (["m0001", "m12a"], [1, 2]),  # not digits
        (["m0001\x1fm0003", "m0002"], [1, 2]),  # the separator inside an id
        ([], []),
    ]
    for rids, ts in odd:
        assert rn._when_plain("m", rids, ts) is None, rids
    for family in ("invoice-expense", "phone-missed-call"):  # every table of real worlds
        spec = claw_gym.catalog(family=family, difficulty=5)[0]
        world, _ = build(suite.family_of(spec), spec, 0)
        created = _created(world)
        for name, recs in _tables(world).items():
            prefix = world.services[name.split(".")[0]].tables[name.split(".")[1]].prefix
            fast = rn._when_plain(prefix, [dict.get(r, "id") for r in recs], [created.get(id(r)) for r in recs])
            assert fast is None or fast == rn._when_general(prefix, recs, created), name


def test_background_texts_name_no_record_id():
    """renumber() looks up the life's records only in their id and link fields: their texts must name none."""
    import re

    from claw_gym.life.renumber import _ID

    for family in ("invoice-expense", "weekly-report", "deal-confirm"):
        spec = claw_gym.catalog(family=family, difficulty=5)[0]
        world, _ = build(suite.family_of(spec), spec, 2)
        ids = {r["id"] for recs in _tables(world).values() for r in recs}
        life = world.life
        for recs in _tables(world).values():
            for rec in recs:
                if life.is_background(rec):
                    text = "\n".join(str(v) for k, v in rec.items() if k not in ("id", "deal", "in_reply_to", "tx_id"))
                    assert not {m.group(0) for m in _ID.finditer(text)} & ids, rec["id"]
        lines = "\n".join(e.text for e in world.timeline.history if e.record is None or life.is_background(e.record))
        assert not {m.group(0) for m in re.finditer(_ID, lines)} & ids


def test_renumbered_worlds_are_the_same_in_every_process():
    code = (
        "import claw_gym, json;from claw_gym.tasks import suite;from claw_gym.tasks.build import build;"
        "s=claw_gym.catalog(family='vip-ticket', difficulty=4)[0];w,sc=build(suite.family_of(s),s,5);"
        "print(w.state_hash(), json.dumps(sc.facts, sort_keys=True, default=str), sc.instruction,"
        "[list(t.rows) for v in w.services.values() for t in v.tables.values()],"
        "[e.line() for e in w.timeline.history[-50:] + w.timeline.pending])"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(k)},
        ).stdout
        for k in (1, 2)
    }
    assert len(outs) == 1


def test_a_past_event_lands_where_a_full_sort_of_the_history_puts_it():
    """Timeline.schedule bisects a past event into a history it knows is in order, and sorts again
    once a late delivery left it out of order: either way the list a full sort would give."""
    spec = claw_gym.catalog(family="invoice-expense", difficulty=1)[0]
    world, _ = build(suite.family_of(spec), spec, 0)
    tl, now = world.timeline, world.clock.now

    def in_order() -> list[tuple[int, int]]:
        return sorted((e.time, e.seq) for e in tl.history)

    for k, back in enumerate((5, 90 * clock.DAY, 3 * clock.DAY, 5, 40 * clock.DAY)):
        world.schedule(Event(now - back, "events", "note", f"past {k}"))
        assert [(e.time, e.seq) for e in tl.history] == in_order()
    late = world.schedule(Event(now + 10, "events", "note", "due soon"))  # pending
    world.clock.now = now + 100  # the clock passes it without delivering (as a raw clock move does)
    world.schedule(Event(now + 50, "events", "note", "placed after it"))
    tl.advance(world)  # delivers the pending one after a later event: history out of order
    assert tl.history[-1] is late and not tl._in_order
    world.schedule(Event(now - clock.DAY, "events", "note", "into the past again"))
    assert [(e.time, e.seq) for e in tl.history] == in_order() and tl._in_order
