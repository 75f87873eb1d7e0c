"""Laptop: export one todo list to a markdown file in the format a note prescribes.

One line of the person's household notes page (among unrelated lines) fixes the format of a list
export: dated tasks first (soonest first, ties by title) as ``- [ ] <title> (due YYYY-MM-DD)``,
then undated ones A-Z as ``- [ ] <title>``; in the ``with-done`` variant finished tasks follow
as ``- [x] <title>`` A-Z, in the ``open`` variant they are left out. The checker compares the
task lines exactly, so an off-by-one record (a done task kept, another list's task, a wrong
date) fails. Noise: more tasks, look-alike tasks on other lists, undated and finished tasks with
difficulty.
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.plural import count
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own, path_in
from claw_gym.world import World

from .kit import jottings, views

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
    _, note = jottings.plant(ctx, FORMAT.format(done=DONE[ctx.variant]), "home", written)
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
    return Scenario(
        ctx.pick(INSTRUCTIONS).format(name=name, path=path),
        {"list": name, "ids": ids, "path": path, "with_done": ctx.variant == "with-done", "note": note},
    )


def expected(world: World, f: dict[str, Any]) -> list[str]:
    """The task lines the note's format gives for the list's tasks as they are now."""
    items = [world.services["todo"].table("items")[i] for i in f["ids"]]
    items += [
        r for r in world.services["todo"].table("items").values() if r["list"] == f["list"] and r["id"] not in f["ids"]
    ]
    live = [r for r in items if not r["done"]]
    dated = sorted((r for r in live if r["due"] is not None), key=lambda r: (clock.fmt_date(r["due"]), r["title"]))
    lines = [f"- [ ] {r['title']} (due {clock.fmt_date(r['due'])})" for r in dated]
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


SCRIPT = r"""python3 - <<'PY'
import json, subprocess
r = json.loads(subprocess.run(["claw", "todo", "list", "--list-name", "@LIST@", "--include-done", "--limit", "200"],
                              capture_output=True, text=True, check=True).stdout)
live = [t for t in r["items"] if not t["done"]]
dated = sorted((t for t in live if t["due"]), key=lambda t: (t["due"][:10], t["title"]))
lines = [f"- [ ] {t['title']} (due {t['due'][:10]})" for t in dated]
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
            SCRIPT.replace("@LIST@", f["list"]).replace("@PATH@", f["path"]).replace("@DONE@", str(f["with_done"])),
            timeout=30,
        ),
        A.shell(f"cat ~/{f['path']}"),
        A.finish(f"Exported to ~/{f['path']}."),
    ]


FAMILY = Family(
    name="todo-export",
    count=52,
    kind="reactive",
    services=("todo", "notes", "files", "calendar", "contacts"),
    devices=("laptop",),
    summary="A markdown file in ~/Documents starts with '# <list> tasks' and its task lines are exactly the list's "
    "tasks in the format and order a line of the person's notes page gives (dated soonest first, undated "
    "A-Z, finished ones per variant); no task was changed.",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("open", "with-done"),
    tasks_per_variant=15,
    max_steps=30,
    tags=("laptop",),
    footprint=Footprint(owns=(Own("files.files", where=path_in("path")), Own("todo.items", ids=("ids",)))),
)
