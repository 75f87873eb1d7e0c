"""Laptop: export one todo list to a markdown file in the format a note prescribes.

One line of the person's household notes page (among unrelated lines) fixes the format of a list
export: dated tasks first (soonest first, ties by title) as ``- [ ] <title> (due YYYY-MM-DD)``,
then undated ones A-Z as ``- [ ] <title>``; in the ``with-done`` variant finished tasks follow
as ``- [x] <title>`` A-Z, in the ``open`` variant they are left out. The checker compares the
task lines exactly, so an off-by-one record (a done task kept, another list's task, a wrong
date) fails. Noise: more tasks, look-alike tasks on other lists, undated and finished tasks with
difficulty. From level 4 the rule line (>= 30 / 60 days back) is worded without "export", a work
notes page holds a rule with the obvious words for work lists (it doesn't apply), and the
instruction adds a goal: mail the file to a family member or friend (attached, or the lines in
the body). From level 4 (session 33) the rule line ends on whose word goes on the layout (the partner, who
reads the lists on the fridge); days after it the person mailed the partner another printed list, and the
partner's reply, among their same-shaped mails about household matters, names it only by when it went out
("re what you sent out at 10:42 on 14 October: dates day first please, like 23.10.2026"): the dates are
DD.MM.YYYY, so neither a search on the list, its tasks, the person named in the instruction nor "from now on" /
"after all" lands on it (before, level 5 had a "from now on" note). At 5 the partner also asks to be copied in
on the next one: the copy goes to both.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import checks, jottings, oblique, plant, views

LISTS = {
    "garden": [
        "Buy tomato seedlings",
        "Fix the fence gate",
        "Order mulch",
        "Prune the apple tree",
        "Clean the gutters",
        "Repair the hose reel",
        "Plant tulip bulbs",
        "Build a compost bin",
    ],
    "move": [
        "Book the van",
        "Cancel the gym",
        "Forward the post",
        "Buy packing boxes",
        "Read the meters",
        "Update the bank address",
        "Return the old router",
        "Label the boxes",
    ],
    "wedding": [
        "Send the invitations",
        "Book the photographer",
        "Taste the cakes",
        "Pick the readings",
        "Confirm the florist",
        "Buy the rings",
        "Plan the seating",
        "Order the suits",
    ],
}
FORMAT = (
    "List exports (for printing): start with '# <list name> tasks', then one line per task - dated ones "
    "first, soonest first (same day: by title) as '- [ ] <title> (due YYYY-MM-DD)', then undated ones A-Z as "
    "'- [ ] <title>'{done}"
)
#: levels 4-5: the same rule as the person words it, without "export"
PLAIN = (
    "When I print a to-do list: heading '# <list name> tasks', then the dated ones first, soonest first (same "
    "day: by title) as '- [ ] <title> (due YYYY-MM-DD)', then the undated ones A-Z as '- [ ] <title>'{done}"
)
#: a work rule with the obvious words that does not apply to a home list
WORK = (
    "List exports for the team tracker (work lists only): '## <list>' heading, then '* <title> - DD/MM' lines, "
    "newest first, nothing finished."
)
#: levels 4-5: the rule's last words: whose word goes on the layout
SAY = " {first} reads them on the fridge: their word goes on the layout."
#: levels 4-5: that person's word on an earlier printed list the person mailed them, by when it went out only:
#: the dates day first (at 5: and a copy of the next one)
DAY_FIRST = "re {ref}: dates day first please, like {example} - the other way round I misread them"
COPY_ME = ", and copy me in on the next one"
#: their other mails of the same shape, about household matters
SUBJECT = "Quick one"
TELL = [" Then mail it to {who}, they asked for a copy.", " {who} wants a copy too: send it by mail."]
DONE = {"open": "; finished ones left out.", "with-done": "; finished ones last, A-Z, as '- [x] <title>'."}
INSTRUCTIONS = [
    "Export my '{name}' todo list to ~/{path}, in the format from my notes.",
    "Could you write my {name} tasks into ~/{path}? Use the export format I keep in my notes.",
    "I need the {name} list as a markdown file at ~/{path}, formatted the way my note says.",
]


def generate(ctx: Ctx) -> Scenario:
    todo = ctx.svc("todo")
    name = ctx.pick(sorted(LISTS))
    written = jottings.rule_time(ctx)
    deep: dict[str, Any] = {"date_fmt": "%Y-%m-%d", "to": []}
    if ctx.difficulty < 4:
        _, note = jottings.plant(ctx, FORMAT.format(done=DONE[ctx.variant]), "home", written)
    else:
        note, deep = _deep_rules(ctx, written, name)
    titles = ctx.sample(LISTS[name], min(len(LISTS[name]), 4 + ctx.difficulty))
    ids = []
    for k, title in enumerate(titles):
        undated = k >= 2 and ctx.rng.random() < 0.25 + 0.05 * ctx.difficulty
        due = None if undated else ctx.at(int(ctx.rng.integers(-3, 30)), int(ctx.rng.choice([9, 12, 18])))
        done = k >= 2 and ctx.rng.random() < 0.1 * ctx.difficulty
        ids.append(todo.add(title, due, name, done=done)["id"])
    other = ctx.pick([n for n in sorted(LISTS) if n != name])
    for title in ctx.sample(LISTS[other], ctx.difficulty):  # look-alikes on another list
        todo.add(title, ctx.at(int(ctx.rng.integers(1, 20)), 9), other)
    path = f"Documents/todo-{name}.md"
    instruction = ctx.pick(INSTRUCTIONS).format(name=name, path=path)
    if deep["to"]:
        instruction += ctx.pick(TELL).format(who=deep.pop("who"))
    facts = {"list": name, "ids": ids, "path": path, "with_done": ctx.variant == "with-done", "note": note}
    return Scenario(instruction, facts | deep)


def _deep_rules(ctx: Ctx, written: int, name: str) -> tuple[str, dict[str, Any]]:
    """Levels 4-5: the rule worded plainly (ending on whose word goes on the layout), a work rule with the obvious
    words that doesn't apply; the person's partner, weeks later, asks for the dates day first, naming the earlier
    list the person mailed them only by when it went out, among their same-shaped mails about household matters
    (at 5 also: copy them in on the next one); and someone to mail the file to. (note title, facts)"""
    if ctx.difficulty >= 5:  # room for the later word, itself >= 60 days back
        written -= int(ctx.rng.integers(15, 30)) * clock.DAY
    partner = ctx.person("partner")
    rule = PLAIN.format(done=DONE[ctx.variant]) + SAY.format(first=partner.first)
    _, note = jottings.plant(ctx, rule, "home", written)
    jottings.plant(ctx, WORK, "work", written + int(ctx.rng.integers(-20, 20)) * clock.DAY)
    # whom to mail it to: not the partner, nor anyone sharing their first name (the instruction names a first name)
    kin = [ctx.person(r) for r in ctx.sample(["mother", "sister", "brother", "friend"], 4)]
    who = next((p for p in kin if p.first != partner.first), None)
    if who is None:
        who = next(p for p in ctx.persona.people if p.first != partner.first and p.relation != "colleague")
    facts: dict[str, Any] = {"date_fmt": "%d.%m.%Y", "to": [who.email], "who": who.first}
    # an earlier printed list, mailed to the partner days after the rule was written
    other = ctx.pick([n for n in sorted(LISTS) if n != name])
    sent_at = clock.day_start(written + int(ctx.rng.integers(2, 6)) * clock.DAY)
    sent_at += int(ctx.rng.integers(9 * 60, 20 * 60)) * clock.MINUTE
    lines = [
        f"- [ ] {t} (due {clock.fmt_date(sent_at + int(ctx.rng.integers(2, 20)) * clock.DAY)})"
        for t in ctx.sample(LISTS[other], 3)
    ]
    sent = plant.mail_out(
        ctx, "mail", sent_at, partner.email, f"{other} list", f"# {other} tasks\n\n" + "\n".join(lines) + "\n"
    )
    example = clock.to_datetime(sent_at + 9 * clock.DAY).strftime("%d.%m.%Y")
    word = DAY_FIRST.format(ref=oblique.sent_out("list", sent["time"]), example=example)
    word += COPY_ME if ctx.difficulty >= 5 else ""
    at = sent["time"] + int(ctx.rng.integers(1, 3)) * clock.DAY
    at = clock.day_start(at) + int(ctx.rng.integers(9 * 60, 21 * 60)) * clock.MINUTE

    def send(t: int, text: str) -> str:
        body = f"Hi {ctx.persona.me.first},\n\n{text[:1].upper()}{text[1:]}.\n\n{partner.first}"
        return str(plant.mail_in(ctx, "mail", t, partner.email, SUBJECT, body, read=True)["id"])

    msg = oblique.word_in_day(ctx, send, at, word, oblique.came_in_on, pool=oblique.HOME_OTHERS, weekdays=False)
    facts["word"] = {"msg": msg, "line": word, "sent": sent["id"], "partner": partner.name}
    if ctx.difficulty >= 5:
        facts["to"].append(partner.email)
    return note, facts


def expected(world: World, f: dict[str, Any]) -> list[str]:
    """The task lines the note's format gives for the list's tasks as they are now."""
    items = [world.services["todo"].table("items")[i] for i in f["ids"]]
    items += [
        r for r in world.services["todo"].table("items").values() if r["list"] == f["list"] and r["id"] not in f["ids"]
    ]
    live = [r for r in items if not r["done"]]
    dated = sorted((r for r in live if r["due"] is not None), key=lambda r: (clock.fmt_date(r["due"]), r["title"]))
    fmt = f.get("date_fmt", "%Y-%m-%d")
    lines = [f"- [ ] {r['title']} (due {clock.to_datetime(r['due']).strftime(fmt)})" for r in dated]
    lines += [f"- [ ] {r['title']}" for r in sorted((r for r in live if r["due"] is None), key=lambda r: r["title"])]
    if f["with_done"]:
        lines += [f"- [x] {r['title']}" for r in sorted((r for r in items if r["done"]), key=lambda r: r["title"])]
    return lines


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    rec = views.files(world).find(f["path"])
    asked = f"the instruction asks for the list in ~/{f['path']}"
    note = f"a line in the note '{f['note']}' gives the heading, the line format and the order"
    if (
        not g.expect(
            "export written",
            rec is not None,
            f"no file {f['path']}" if rec is None else f"{f['path']} has {len(rec['content'])} characters",
            because=asked,
        )
        or rec is None
    ):
        return
    lines = [ln.strip() for ln in rec["content"].splitlines() if ln.strip()]
    want_head = f"# {f['list']} tasks"
    g.expect(
        "starts with the list heading",
        bool(lines) and lines[0].lower() == want_head,
        f"first line {lines[0]!r}" if lines else "empty file",
        because=note,
    )
    tasks = [ln for ln in lines if ln.startswith("- [")]
    want = expected(world, f)
    diff = next(((a, b) for a, b in zip(tasks, want) if a != b), None)
    g.expect(
        "the task lines are exactly the list's tasks in the note's format and order",
        tasks == want,
        f"{count(len(tasks), 'task line')}, the list gives {len(want)}"
        + (f"; first difference: {diff[0]!r} where the note gives {diff[1]!r}" if diff else "")
        + ("" if tasks == want or diff else "; the lines agree as far as both go"),
        because=note,
    )
    if f.get("to"):
        _check_copy(world, f, g, tasks == want)
    g.forbid(
        "changed tasks while exporting",
        bool(
            [
                e
                for e in world.audit.entries
                if e.ok and e.call in ("todo.complete", "todo.update_task", "todo.add_task")
            ]
        ),
    )


def _check_copy(world: World, f: dict[str, Any], g: Grader, right: bool) -> None:
    """The copy: a mail to each of them (the one the instruction names; at 5 also the partner who asked to be
    copied in) attaching the export, or carrying its task lines in the body."""
    want = expected(world, f)
    got, said = [], []
    for to in f["to"]:
        sent = checks.sent_to(world, to)
        good = [
            m for m in sent if (f["path"] in m.get("attachments", []) and right) or all(w in m["body"] for w in want)
        ]
        got.append(bool(good))
        said.append(f"{count(len(sent), 'mail')} to {to}, {len(good)} with the right list")
    g.expect(
        "a copy was mailed to them",
        all(got),
        "; ".join(said),
        because="the instruction asks to mail them the file"
        + (
            "; the partner, whose word goes on the layout, asked to be copied in on the next one"
            if len(f["to"]) > 1
            else ""
        ),
    )


SCRIPT = r"""python3 - <<'PY'
import json, subprocess
r = json.loads(subprocess.run(["claw", "todo", "list", "--list-name", "@LIST@", "--include-done", "--limit", "200"],
                              capture_output=True, text=True, check=True).stdout)
live = [t for t in r["items"] if not t["done"]]
dated = sorted((t for t in live if t["due"]), key=lambda t: (t["due"][:10], t["title"]))
from datetime import date
lines = [f"- [ ] {t['title']} (due {date.fromisoformat(t['due'][:10]).strftime('@FMT@')})" for t in dated]
lines += [f"- [ ] {t['title']}" for t in sorted((t for t in live if not t["due"]), key=lambda t: t["title"])]
if @DONE@:
    lines += [f"- [x] {t['title']}" for t in sorted((t for t in r["items"] if t["done"]), key=lambda t: t["title"])]
with open("@PATH@", "w") as out:
    out.write("# @LIST@ tasks\n\n" + "\n".join(lines) + "\n")
PY"""


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    return [
        A.shell("claw notes list --query 'list exports'"),
        A.shell("cd ~ && ls Documents"),
        A.shell(
            SCRIPT.replace("@LIST@", f["list"])
            .replace("@PATH@", f["path"])
            .replace("@DONE@", str(f["with_done"]))
            .replace("@FMT@", f.get("date_fmt", "%Y-%m-%d")),
            timeout=30,
        ),
        A.shell(f"cat ~/{f['path']}"),
        *(
            [A.api("mail.send", to=f["to"], subject=f"{f['list']} list", body="Here it is.", attachments=[f["path"]])]
            if f.get("to")
            else []
        ),
        A.finish(f"Exported to ~/{f['path']}."),
    ]


FAMILY = Family(
    name="todo-export",
    count=52,
    kind="reactive",
    services=("todo", "notes", "files", "calendar", "contacts", "mail"),
    devices=("laptop",),
    summary="A markdown file in ~/Documents starts with '# <list> tasks' and its task lines are exactly the list's "
    "tasks in the format and order a line of the person's notes page gives (dated soonest first, undated "
    "A-Z, finished ones per variant; from level 4 the partner's later mail changes the dates, a work rule doesn't "
    "apply); from level 4 a copy went by mail to the person the instruction names (at 5 also to the partner, who "
    "asked); no task was changed.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("open", "with-done"),
    tasks_per_variant=15,
    max_steps=30,
    tags=("laptop",),
    footprint=Footprint(
        owns=(Own("files.files", where=path_in("path")), Own("todo.items", ids=("ids",))), parties=("to",)
    ),
)
