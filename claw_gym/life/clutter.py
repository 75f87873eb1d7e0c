"""The small stuff of a life: calendar blocks without guests, one-line notes, a messy Downloads folder.

The background's calendar was mostly half-hour team meetings with the whole team invited, its notes
long and often filed in a folder, its files dated bills and documents. A family's records (a focus
block, a lunch, a customer call with one person, a note holding a code, an installer in Downloads)
are none of these, and their shape alone marked them (``python -m claw_gym.runs.camouflage``).
People's calendars hold long blocks for themselves and calls with one person; their notes are often
a line; their Downloads folder collects whatever the browser saved.

Everything here lies in the past (an upcoming block could clash with a slot a task looks for).
Builders plan through :mod:`claw_gym.life.records`, on the plan's stream.
"""

from __future__ import annotations

from .. import clock
from . import records as R
from .plan import Plan

#: blocks a person puts in the calendar: (title, location or "", minutes, guests: 0 none, 1 one colleague)
BLOCKS = (
    ("Focus time", "", 120, 0),
    ("Focus time", "", 90, 0),
    ("Lunch", "Canteen", 60, 1),
    ("Lunch", "", 45, 0),
    ("Customer call", "", 60, 1),
    ("Team sync", "", 45, 1),
    ("Travel", "", 180, 0),
    ("Workshop", "Room 2.01", 240, 0),
    ("Offsite", "", 420, 0),
    ("Doctor", "", 60, 0),
    ("Deep work: quarterly numbers", "", 150, 0),
    ("1:1", "", 30, 1),
    ("Check-in", "Video call", 30, 1),
    ("Code review", "Room 2.01", 45, 1),
    ("Catch-up", "", 30, 1),
    ("Quick sync", "Video call", 20, 1),
)
#: notes of a line or two, unfiled: (title, body)
ONE_LINERS = (
    ("Bin day", "Tuesday, paper every other Friday"),
    ("Shoe size", "EU 42, the running ones 42.5"),
    ("Pool locker", "Number 114 at the pool"),
    ("Bus times", "The 41 leaves at :12 and :42"),
    ("Plumber quote", "Quote was 180 EUR, call back after the 15th"),
    ("Paint colour", "Living room: Warm White 2, two tins"),
    ("Winter tyres", "205/55 R16, winter set in the cellar"),
    ("Gift for Sam", "Sam likes the dark chocolate from the market"),
    ("Book to find", "The one about the lighthouse keeper"),
    ("Passport", "Expires next year, renew in spring"),
    ("Vet booster", "Booster due in March"),
    ("Pharmacy", "Repeat prescription every 3 months"),
)
#: what a browser leaves in Downloads: (name, size in KB low, high)
DOWNLOADS = (
    ("boarding-pass-{n}.pdf", 80, 400),
    ("PXL_2026{n}.jpg", 900, 4200),
    ("statement-{n}.pdf", 60, 300),
    ("menu-{n}.pdf", 200, 1200),
    ("timetable-{n}.pdf", 100, 600),
    ("photos-{n}.zip", 8000, 90000),
    ("manual-{n}.pdf", 1500, 9000),
    ("map ({n}).png", 300, 1800),
    ("form-{n}.docx", 30, 120),
    ("slides-{n}.pptx", 2000, 12000),
    # named in words, as the site or the sender named them
    ("Lease agreement.pdf", 150, 900),
    ("bike-manual.pdf", 1500, 6000),
    ("Holiday photos.zip", 9000, 80000),
    ("concert-tickets.pdf", 60, 300),
    ("cv-template.docx", 30, 120),
    ("school-calendar.pdf", 100, 600),
)
#: where a download came from (the browser's download list notes it)
SOURCES = ("mail attachment", "web page", "shared link", "vendor portal")


def _past(p: Plan, hours: tuple[float, float] = (7.5, 22)) -> int:
    return p.at(p.randint(0, p.days), p.uniform(*hours)) + p.randint(0, 60)


def blocks(p: Plan, n: int) -> None:
    """``n`` past calendar blocks: long ones for oneself, short calls with one colleague."""
    if not p.has("calendar"):
        return
    people = p.cast.work_people()
    for _ in range(n):
        title, location, minutes, guests = p.pick(BLOCKS)
        start = p.at(p.randint(0, p.days - 1), p.pick((8.0, 9.0, 9.5, 10.0, 11.5, 13.0, 14.0, 15.5)))
        if start + minutes * 60 > p.now - clock.DAY or clock.weekday(start) >= 5:
            continue
        made = clock.day_start(start - p.randint(1, 11) * clock.DAY) + p.randint(8 * 3600, 19 * 3600)  # office hours
        attendees = [p.pick(people).email] if guests and people else []
        R.calendar(p, made, title, start, start + minutes * 60, location=location, attendees=attendees)


def one_liners(p: Plan, n: int) -> None:
    """``n`` unfiled notes of a line or two."""
    if not p.has("notes"):
        return
    for k in p.sample(len(ONE_LINERS), min(n, len(ONE_LINERS))):
        title, body = ONE_LINERS[k]
        t = _past(p)
        if t <= p.now:
            R.note(p, t, title, body, words=len(body.split()))


def downloads(p: Plan, n: int) -> None:
    """``n`` files the browser saved into Downloads (none of them an installer)."""
    if not p.has("files"):
        return
    for k in p.sample(len(DOWNLOADS), min(n, len(DOWNLOADS))):
        name, lo, hi = DOWNLOADS[k]
        name = name.format(n=p.randint(1000, 9999))
        t = _past(p)
        if t > p.now:
            continue
        content = (
            f"{name}\nSaved from the browser\nSize: {p.randint(lo, hi)} KB\n"
            f"Checksum: {p.randint(0, 10**10):010d}\nSource: {p.pick(SOURCES)}\n"
        )
        R.file(p, t, f"Downloads/{name}", content, words=6)
