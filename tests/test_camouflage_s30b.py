"""Camouflage of planted records in the work and device tables (issue 21, point 2, session 30).

The background now writes the shapes the families write: CRM notes with the quoted figure, the
contact's name or a mobile; card payments in the ranges of bills, bookings and online orders; texts
about errands (a question, a day, a time) next to the banter; tickets from other time zones at any
hour, many solved without a written reply; overnight updates and backups at the minute they finish;
browser downloads with the checksum and source lines (and some named in words); colleagues' direct
messages in ``dm-<first name>`` channels. Each test reads built worlds as an agent could (the
records' fields), comparing the background's records with the ones the families plant; the last one
runs the camouflage probe and bounds the AUC of these tables.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Iterator
from typing import Any

import pytest

from claw_gym.runs import camouflage as probe
from claw_gym.tasks import catalog, family_of
from claw_gym.tasks.build import build


def _worlds(families: list[str], levels: tuple[int, ...] = (1, 3, 5), seeds: tuple[int, ...] = (0,)) -> Iterator[Any]:
    specs = sorted(catalog(), key=lambda s: s.task_id)
    for fam in families:
        for level in levels:
            spec = next(s for s in specs if s.family == fam and s.difficulty == level)
            for seed in seeds:
                yield build(family_of(spec), spec, seed)[0]


def _split(world: Any, service: str, table: str) -> tuple[list[dict], list[dict]]:
    """(planted, background) records of a table, stored rows and pending arrivals."""
    recs = list(world.services[service].table(table).values())
    recs += [e.record for e in world.timeline.pending if (e.service, e.table) == (service, table) and e.record]
    recs = list({id(r): r for r in recs}.values())
    life = world.life
    return [r for r in recs if not life.is_background(r)], [r for r in recs if life.is_background(r)]


def test_background_deal_notes_are_as_long_as_the_families_and_quote_figures_and_names():
    planted, background = [], []
    for w in _worlds(["deal-confirm", "dual-ticket-new-number"], seeds=(0, 1)):
        p, b = _split(w, "crm", "activities")
        planted += [str(r["text"]) for r in p]
        background += [str(r["text"]) for r in b]
    mp, mb = statistics.median(map(len, planted)), statistics.median(map(len, background))
    assert abs(mp - mb) <= 15, f"median note length: planted {mp}, background {mb}"
    assert sum("EUR " in t for t in background) >= len(background) / 5, "background notes quote figures"
    assert any("+1 555" in t for t in background), "some background notes keep a mobile for the file"


def test_background_card_payments_reach_the_ranges_of_bills_and_bookings():
    planted, background = [], []
    for w in _worlds(["month-close", "statement-reconcile", "trip-prep"]):
        p, b = _split(w, "bank", "transactions")
        planted += [abs(r["amount"]) for r in p if r["amount"] < 0]
        background += [abs(r["amount"]) for r in b if r["amount"] < 0]
    share = sum(a >= 50 for a in background) / len(background)
    assert share >= 0.28, f"background payments of 50 EUR or more: {share:.2f}"
    assert statistics.median(background) >= 22, statistics.median(background)


def test_background_texts_include_errands_not_only_banter():
    lengths = []
    for w in _worlds(["phone-setting-notification", "inbox-day"]):
        _, b = _split(w, "sms", "messages")
        lengths += [len(str(r["body"])) for r in b if r["direction"] == "in"]
    assert statistics.median(lengths) >= 45, statistics.median(lengths)
    assert sum(n >= 50 for n in lengths) / len(lengths) >= 0.5


def test_background_tickets_come_at_any_hour_and_many_without_a_written_reply():
    tickets = []
    for w in _worlds(["weekly-report", "vip-ticket"]):
        tickets += _split(w, "helpdesk", "tickets")[1]
    night = sum(1 for r in tickets if not 7 <= r["time"] // 3600 % 24 < 22) / len(tickets)
    bare = sum(1 for r in tickets if not r["comments"]) / len(tickets)
    assert night >= 0.04, f"background tickets at night: {night:.2f}"  # a fifth at any hour: ~8% at night
    assert bare >= 0.8, f"background tickets without comments: {bare:.2f}"


def test_overnight_updates_and_backups_are_logged_when_they_finish_not_on_the_half_hour():
    lines = []
    for w in _worlds(["month-close", "phone-setting-notification"]):
        lines += [r for r in _split(w, "device", "log")[1] if r["kind"] in ("update", "backup")]
    assert lines
    on_half_hour = [r for r in lines if r["time"] % 1800 == 0]
    assert len(on_half_hour) <= len(lines) / 20, f"{len(on_half_hour)} of {len(lines)} on the half hour"


def test_background_downloads_have_the_lines_the_families_downloads_have():
    def shape(content: str) -> tuple[str, ...]:
        return tuple(line.split(":")[0] for line in content.splitlines()[1:])  # the first line: its name

    seen = 0
    for w in _worlds(["downloads-cleanup"]):
        planted, background = _split(w, "files", "files")
        browser = {shape(str(r["content"])) for r in planted if "Saved from the browser" in str(r["content"])}
        assert browser
        for r in background:
            if str(r["path"]).startswith("Downloads/") and "Saved from the browser" in str(r["content"]):
                assert shape(str(r["content"])) in browser, (r["path"], r["content"])
                seen += 1
    assert seen


def test_colleagues_write_direct_messages_in_the_background():
    for w in _worlds(["dual-receipt-sheet", "support-shift"], levels=(3,)):
        background = _split(w, "chat", "messages")[1]
        dms = [r for r in background if str(r["channel"]).startswith("dm-")]
        assert dms, w.task_id
        for r in dms:  # a DM channel is named after the colleague who writes in it
            assert r["channel"] == "dm-" + str(r["sender"]).split()[0].lower()


#: the probe's per-table AUC (default settings: seed 0, one task per family at levels 1, 3, 5) before
#: this change: device.log 0.792, sms.messages 0.783, helpdesk.tickets 0.721, files.files 0.647,
#: bank.transactions 0.620, crm.activities 0.077 (19 rows: inverted). chat.messages (0.654) did not move
#: with the colleagues' DMs: what is left there is the families' own channels and senders.
BOUNDS = {
    "device.log": 0.73,
    "sms.messages": 0.75,
    "helpdesk.tickets": 0.71,
    "files.files": 0.58,
    "bank.transactions": 0.60,
}


@functools.cache
def _report() -> probe.Report:
    return probe.evaluate(probe.collect(None, tasks=1, difficulties=(1, 3, 5), seed=0), 4, 0)


@pytest.fixture
def report() -> probe.Report:
    return _report()


@pytest.mark.parametrize("table", sorted(BOUNDS))
@pytest.mark.slow  # a second probe run (test_camouflage holds the default ratchet)
def test_the_probe_tells_these_tables_planted_records_less_well(report, table):
    assert report.per_table[table] <= BOUNDS[table], f"{table}: AUC {report.per_table[table]:.3f}"


@pytest.mark.slow  # a second probe run (test_camouflage holds the default ratchet)
def test_crm_activities_are_no_longer_told_apart_inverted(report):
    """Short stock notes made the background the odd one out (AUC 0.077 on held-out families)."""
    # 19 planted rows: the figure moves with any draw (0.30-0.42 measured); inverted was 0.077
    assert report.per_table["crm.activities"] >= 0.2, report.per_table["crm.activities"]
