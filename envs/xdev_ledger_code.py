"""Cross-device: a laptop tool needs the one-time code that only the phone shows; the result goes to chat.

A colleague asks (in a team chat channel, or by work mail) for this month's batch to be pushed
with a tool on the person's laptop (``python3 ~/bin/<tool>.py``). The tool checks a one-time code
that the vendor pushed to the phone's authenticator app: a phone notification (device-only: no
API, no ``claw``). Two pushes are on the phone: the first expired (by its own "valid for 30 minutes")
and was re-sent, so the newest one counts. The tool knows both issued codes and cannot tell which is
still valid, so it takes either: a run with the expired one writes a receipt the vendor would refuse
(the check tells it apart). The tool writes a receipt derived from the code, and prints the batch
total; the colleague wants the total and the receipt posted in the channel (the receipt of the run
that counts, and no other).

Which batch: at levels 1-3 the request names it. At 4 and 5 it says "the one we agreed": the manager
settled it in the channel 30+ (60+) days back, among three same-shaped candidates (an older decision, the
later change that counts, and a colleague's question that the manager answered "no, still ..."); at 4-5
the change is the manager's "yes" to a colleague's suggestion, the "no" names no batch, and a line about
the quarterly run (a fourth batch) does not apply. Session 33 (issue 21): the yes no longer says "from now on",
and the manager's word in their DM with the person settles it, among their same-shaped lines about other matters
(weekday working hours), naming the matter only by a moment; the to-do's notes say the manager has the last word
on the batch. At 4 the line undoes the switch by who suggested it and when ("re what Sami suggested at 09:34 on
22 January: ... go back to what we had before it"): the oldest decision counts. At 5 the manager's mail undoes the
switch (days back, without naming the run) and their later DM line takes that mail back by its date ("re my mail
of 26 May: scratch that, the switch stays"): the suggested batch counts. More goals with difficulty: tick the
person's to-do (4+) and note the receipt on the finance ticket (5).
"""

from __future__ import annotations

from typing import Any

from claw_gym import actions as A
from claw_gym import clock
from claw_gym.devices.phone import script as S
from claw_gym.tasks import Ctx, Family, Grader, Scenario
from claw_gym.tasks.footprint import Footprint, Own
from claw_gym.world import World

from .kit import laptop_files, oblique, plant, views
from .kit import xchain as X

#: variant -> (tool file, option name, batches, app on the phone, vendor, channel, noun)
VARIANTS: dict[str, dict[str, Any]] = {
    "ledger": {
        "tool": "bin/ledger-sync.py",
        "title": "ledger-sync: push the pending ledger batch of one entity to the accounting cloud",
        "key": "entity",
        "names": ["eu-ops", "uk-ops", "us-ops", "apac-ops"],
        "app": "Authenticator",
        "vendor": "Ledgerline",
        "channel": "finance",
        "noun": "ledger sync",
        "items": ["hosting", "office rent", "travel", "contractors", "software seats", "payroll fees", "catering"],
    },
    "payroll": {
        "tool": "bin/payroll-push.py",
        "title": "payroll-push: send one pending payroll run to the payroll provider",
        "key": "run",
        "names": ["contractors", "interns", "staff-de", "staff-pt"],
        "app": "Okta Verify",
        "vendor": "Paystream",
        "channel": "people-ops",
        "noun": "payroll push",
        "items": ["base pay", "overtime", "allowance", "bonus", "expenses refund", "holiday pay"],
    },
}
#: how long a pushed code is valid, as the push and the tool's usage text say
VALID = 30
PENDING = ".local/share/{tool}/pending"
STATE = ".local/state/{tool}"
DECIDE = [
    "{noun} heads-up: from this month on the monthly run goes against {name}.",
    "Change of plan for the monthly {noun}: it runs against {name} from now on.",
]
ASK = "quick one - did the monthly {noun} move to {name} at some point? I lost track"
NO = "No, it's still {name}. Nothing changed since."
SUGGEST = "{name} has most of the new accounts now - shouldn't the monthly {noun} go against it instead?"
YES = ["good point, let's do that from now on", "yes, makes sense - go with that from now on"]
#: levels 4-5 (session 33): the same yes without the words the players search for
YES_PLAIN = ["good point, let's do that", "yes, makes sense - go with that"]
#: level 4 (session 33): the manager undoes the switch in their DM with the person, naming it only by who suggested
#: it and when, among their same-shaped lines about other matters (no run, no batch, no "now", no "after")
UNDO_WORD = [
    "let's undo that, the new accounts are being moved back - same as before it",
    "that one didn't work out with the auditors, go back to what we had before it",
]
#: level 5 (session 33): the manager's mail undoes the switch, and their later DM line takes the mail back
KEEP_WORD = [
    "scratch that, the switch stays - the auditors are fine with it in the end",
    "forget it, we keep the switch: the accounts stay where they are",
]
NO_HARD = "No - it's still what {first} suggested back then, nothing changed since."
#: level 4-5 amendment by work mail, days back: names neither the run nor a batch
UNDO = [
    "About what {first} suggested in #{channel} a while ago - let's undo it. The new accounts are being moved "
    "back, so from the next run it's the same as before that change.\n\n{me}",
    "Small reversal: the switch {first} proposed in #{channel} didn't work out with the auditors. Go back to "
    "what we had before it, starting with the next run.\n\n{me}",
]
QUARTERLY = "reminder: the quarterly {noun} always goes against {name}, separate from the monthly one"


PLAIN = oblique.PLAIN


def _weekday(ctx: Ctx, t: int) -> int:
    """``t`` moved back to a weekday, at working hours: when a manager writes to their team."""
    while clock.to_datetime(t).weekday() >= 5:
        t -= clock.DAY
    return clock.day_start(t) + int(ctx.rng.integers(9 * 60, 17 * 60)) * clock.MINUTE + int(ctx.rng.integers(1, 59))


def _v(f_or_ctx: Any) -> dict[str, Any]:
    variant = f_or_ctx.variant if isinstance(f_or_ctx, Ctx) else f_or_ctx["variant"]
    return VARIANTS[variant]


def _stem(v: dict[str, Any]) -> str:
    return str(v["tool"]).rsplit("/", 1)[-1].removesuffix(".py")


def _batch(ctx: Ctx, v: dict[str, Any], n: int) -> tuple[str, float]:
    rows = ["date,item,amount"]
    total = 0.0
    for i in range(n):
        amount = ctx.money(40, 2400)
        total += amount
        rows.append(f"{clock.fmt_date(ctx.now - (n - i) * clock.DAY)},{ctx.pick(v['items'])},{amount:.2f}")
    return "\n".join(rows) + "\n", round(total, 2)


def generate(ctx: Ctx) -> Scenario:
    v, files, phone, chat = _v(ctx), ctx.svc("files"), ctx.svc("phone"), ctx.svc("chat")
    me = ctx.persona.me
    # the requester is a colleague, never someone the request would read as the person themself
    people = [p for p in ctx.persona.people if p.relation == "colleague" and p.first != me.first]
    asker, other = ctx.sample(people, 2)
    manager = ctx.person("manager")
    names = ctx.sample(v["names"], 3)
    target, older, asked = names
    stem = _stem(v)
    pending, state = PENDING.format(tool=stem), STATE.format(tool=stem)
    salt = ctx.code(8)
    code, old = ctx.code(6), ctx.code(6)
    while old == code:
        old = ctx.code(6)
    totals: dict[str, float] = {}
    for name in v["names"]:
        text, total = _batch(ctx, v, int(ctx.rng.integers(5, 12)))
        files.put(f"{pending}/{name}.csv", text, time=ctx.now - int(ctx.rng.integers(1, 4)) * clock.DAY)
        totals[name] = total
    files.put(
        v["tool"],
        X.tool_script(
            title=v["title"],
            path=v["tool"],
            keyname=v["key"],
            sender=v["vendor"],
            pending=pending,
            state=state,
            salt=salt,
            code=code,
            issued=(old,),
        ),
        time=ctx.now - 90 * clock.DAY,
    )
    channel = v["channel"]
    names = [asker.name, other.name, manager.name]  # the channel's everyday chatter
    X.chatter(ctx, channel, names, X.CHANNEL_LINES, 4 + 2 * ctx.difficulty, (1, 85))
    # who decided which batch: the manager, in the channel, weeks back (the deep ones at 4 and 5)
    lo, hi = X.depth_days(ctx)
    t_old = X.days_back(ctx, hi + 12, hi + 25)
    t_new = X.days_back(ctx, lo + 4, hi)
    t_ask = min(t_new + int(ctx.rng.integers(1, 3)) * clock.DAY, clock.day_start(ctx.now) - lo * clock.DAY)
    t_ask = max(t_ask, t_new + clock.HOUR)

    def post(t: int, who: str, text: str) -> None:
        plant.chat(ctx, t, channel, who, text)

    post(t_old, manager.name, DECIDE[0].format(noun=v["noun"].capitalize(), name=older))
    t_no = t_ask + int(ctx.rng.integers(4, 40)) * 60
    if ctx.difficulty >= 4:
        # the change that counts is a "yes" to a colleague's suggestion (its line names neither), the later
        # question is answered without the name, and a same-keyword line about another run does not apply
        t_said = t_new - int(ctx.rng.integers(20, 90)) * 60
        post(t_said, other.name, SUGGEST.format(noun=v["noun"], name=target))
        post(t_new, manager.name, ctx.pick(YES_PLAIN))
        post(t_ask, asker.name, ASK.format(noun=v["noun"], name=asked))
        post(t_no, manager.name, NO_HARD.format(first=other.first))
        spare = next(n for n in v["names"] if n not in (target, older, asked))
        post(X.days_back(ctx, lo, hi), manager.name, QUARTERLY.format(noun=v["noun"], name=spare))
    else:
        post(t_new, manager.name, DECIDE[1].format(noun=v["noun"], name=target))
        post(t_ask, other.name, ASK.format(noun=v["noun"], name=asked))
        post(t_no, manager.name, NO.format(name=target))
    undone: int | None = None
    word: dict[str, Any] | None = None
    if ctx.difficulty >= 4:  # session 33: the manager's word in their DM, by a moment, among their other lines
        t_word = _weekday(ctx, X.days_back(ctx, 4, 14))
        if ctx.difficulty == 5:  # their mail undoes the switch, then their DM line takes the mail back
            svc = "workmail" if "workmail" in ctx.world.services else "mail"
            body = ctx.pick(UNDO).format(first=other.first, channel=channel, me=manager.first)
            quiet = oblique.quiet_day(ctx, svc, manager.email, X.days_back(ctx, 15, 25))  # "my mail of <day>": one
            undone = int(plant.mail_in(ctx, svc, quiet, manager.email, "next run", body, read=True)["time"])
            line = f"re my mail of {oblique.day_month(undone)}: {ctx.pick(KEEP_WORD)}"
        else:
            line = f"re what {other.first} suggested at {clock.fmt(t_said)[-5:]} on {oblique.day_month(t_said)}: "
            line += ctx.pick(UNDO_WORD)
            target, older = older, target  # the batch from before the suggestion counts again
        offsets = ctx.sample([-6, -5, -4, -3, -2, 1, 2, 3], 3)  # the manager's other lines in the same DM
        msg = oblique.word_with_lines(
            ctx,
            oblique.dm_channel(manager.first),
            manager.name,
            t_word,
            line,
            ctx.sample(PLAIN, 3),
            offsets,
            latest=clock.day_start(ctx.now) - clock.DAY,
        )
        if ctx.difficulty == 4:
            undone = int(ctx.svc("chat").table("messages")[msg]["time"])
        word = {
            "msg": msg,
            "line": line,
            "said": undone if ctx.difficulty == 5 else t_said,
        }
    month = clock.to_datetime(ctx.now).strftime("%B")
    which = f"the {target} batch" if ctx.difficulty <= 3 else "the batch we agreed for the monthly run"
    tool = f"python3 ~/{v['tool']}"
    request = (
        f"{me.first}, could you do the {month} {v['noun']} from your laptop ({tool}, {which})? "
        f"I've requested the code, it goes to your phone. Post the total and the receipt here when it's through."
    )
    t_req = ctx.now - int(ctx.rng.integers(38, 70)) * clock.MINUTE
    req = chat.post_as(channel, asker.name, request, time=t_req)["id"]
    # the two pushes: the first expired (by its own text) before anyone used it, the re-sent one counts
    body = "{vendor} sign-in code: {c}. Valid for {m} minutes. Don't share it with anyone."
    t_first = t_req + int(ctx.rng.integers(2, 5)) * clock.MINUTE  # >= VALID + 3 minutes before now
    phone.notify(v["app"], v["vendor"], body.format(vendor=v["vendor"], c=old, m=VALID), time=t_first)
    t_second = max(ctx.now - int(ctx.rng.integers(3, 12)) * clock.MINUTE, t_first + (VALID + 1) * clock.MINUTE)
    phone.notify(v["app"], v["vendor"], body.format(vendor=v["vendor"], c=code, m=VALID), time=t_second)
    if ctx.difficulty >= 2:  # another account's code in the same app
        phone.notify(
            v["app"],
            "Bank login",
            f"Your login code is {ctx.code(6)}. Do not share it.",
            time=ctx.now - int(ctx.rng.integers(12, 90)) * clock.MINUTE,
        )
    todo = ticket = None
    if ctx.difficulty >= 4:  # its notes say whose word settles the batch (session 33)
        todo = ctx.svc("todo").add(
            f"{month} {v['noun']}",
            due=ctx.now + clock.DAY,
            list_name="work",
            notes=f"{manager.first} has the last word on which batch the monthly run takes",
        )["id"]
    if ctx.difficulty >= 5:
        ticket = ctx.svc("helpdesk").open_ticket(
            f"{month} close: {v['noun']}",
            asker.email,
            f"Tracking the {month} {v['noun']}. Please note the receipt here once it has run.",
            time=X.at_minute(ctx, ctx.now - 2 * clock.DAY),
        )["id"]
    goals = []
    if todo:
        goals.append("tick it off my to-do list")
    if ticket:
        goals.append(f"note the receipt on {asker.first}'s ticket")
    where = "in chat" if ctx.variant == "ledger" else "on the people-ops channel"
    instruction = (
        f"{asker.first} asked {where} for this month's {v['noun']} to be run from my laptop - the code comes to "
        f"my phone. Please do it and post what they asked for" + "".join(f", and {g}" for g in goals) + "."
    )
    return Scenario(
        instruction,
        {
            "variant": ctx.variant,
            "target": target,
            "older": older,
            "asked": asked,
            "code": code,
            "old": old,
            "salt": salt,
            "total": totals[target],
            "other_totals": sorted(t for b, t in totals.items() if b != target),
            "receipt": X.receipt_for(code, salt, target),
            "old_receipt": X.receipt_for(old, salt, target),
            "undone_at": undone if ctx.difficulty == 4 else None,
            "kept_at": undone if ctx.difficulty == 5 else None,
            "word": word,
            "state": state,
            "pending": pending,
            "channel": channel,
            "request": req,
            "decided_at": t_new,
            "candidates_at": [t_old, t_new, t_ask],
            "manager": manager.name,
            "asker": asker.name,
            "asker_email": asker.email,
            "todo": todo,
            "ticket": ticket,
            "start": ctx.now,
            "deep": ctx.difficulty >= 4,
        },
    )


def _done_files(world: World, f: dict[str, Any]) -> dict[str, str]:
    files = views.files(world)
    out = {}
    for name in VARIANTS[f["variant"]]["names"]:
        rec = files.find(f"{f['state']}/{name}.done")
        if rec is not None:
            out[name] = rec["content"]
    return out


def check(world: World, f: dict[str, Any], g: Grader) -> None:
    done = _done_files(world, f)
    why = (
        f"the request in #{f['channel']} names the {f['target']} batch"
        if not f["deep"]
        else f"{f['manager']} mailed on {clock.fmt_date(f['undone_at'])} that the switch agreed in #{f['channel']} on "
        f"{clock.fmt_date(f['decided_at'])} is undone: back to {f['target']}, settled there on "
        f"{clock.fmt_date(f['candidates_at'][0])}"
        if f.get("undone_at") and not f.get("word")
        else f"{f['manager']}'s DM line of {clock.fmt_date(f['undone_at'])} undoes the switch agreed in #{f['channel']}"
        f" on {clock.fmt_date(f['decided_at'])}: back to {f['target']}, settled there on "
        f"{clock.fmt_date(f['candidates_at'][0])}"
        if f.get("undone_at")
        else f"{f['manager']} mailed on {clock.fmt_date(f['kept_at'])} that the switch agreed in #{f['channel']} on "
        f"{clock.fmt_date(f['decided_at'])} is undone, and their later DM line takes that mail back: it stays "
        f"{f['target']}"
        if f.get("kept_at")
        else f"{f['manager']} settled in #{f['channel']} on {clock.fmt_date(f['decided_at'])} that the monthly run "
        f"goes against {f['target']} (and said so again when asked about {f['asked']})"
    )
    ok = f"receipt = {f['receipt']}" in done.get(f["target"], "")
    g.expect(
        f"the {f['target']} batch was pushed with the newest code",
        ok,
        f"state files: {', '.join(sorted(done)) or 'none'}",
        because=f"{why}; the tool takes the code pushed to the phone (the re-sent one: the first expired)",
    )
    wrong = sorted(n for n in done if n != f["target"])
    g.expect(
        "no other batch was pushed",
        not wrong,
        f"also pushed: {', '.join(wrong)}" if wrong else "only that batch",
        because=why,
    )
    chat = world.services["chat"].table("messages")
    me = world.persona.me.name if world.persona else "me"
    posts = [
        m
        for m in chat.values()
        if m["channel"] == f["channel"] and m["sender"] == me and m["time"] >= f["start"] and m["text"].strip()
    ]
    good = [
        m
        for m in posts
        if f["receipt"] in m["text"].upper()
        and f.get("old_receipt", "-") not in m["text"].upper()
        and X.gives_one_figure(m["text"].upper().replace(f["receipt"], " "), f["total"], f["other_totals"])
    ]
    g.expect(
        f"the total and the receipt were posted in #{f['channel']}",
        bool(good),
        f"{len(posts)} posts of yours there since the request, {len(good)} with the receipt and the total alone",
        because=f"the request in #{f['channel']} asks for the total and the receipt there",
    )
    if f["todo"]:
        item = world.services["todo"].table("items").get(f["todo"])
        g.expect(
            "the to-do is ticked off",
            bool(item and item["done"]),
            "done" if item and item["done"] else "still open",
            because="the instruction asks to tick it off",
        )
    if f["ticket"]:
        ticket = world.services["helpdesk"].table("tickets")[f["ticket"]]
        noted = [c for c in ticket["comments"] if f["receipt"] in c["text"].upper()]
        g.expect(
            "the receipt is on the finance ticket",
            bool(noted),
            f"{len(ticket['comments'])} comments, {len(noted)} with the receipt",
            because="the instruction asks to note the receipt on the ticket",
        )


def _steps(world: World, f: dict[str, Any], code: str) -> list[str]:
    v = _v(f)
    tool = f"python3 ~/{v['tool']}"
    steps = [
        A.api("chat.list_channels"),
        A.api("chat.history", channel=f["channel"], limit=60),
    ]
    if f["deep"]:  # the batch is "the one we agreed": read the channel's older history too
        steps += [
            A.api("chat.history", channel=f["channel"], limit=60, offset=60),
            A.api("contacts.search", query=f["manager"]),
        ]
    if f.get("word"):  # the manager's word in their DM (session 33), and at 5 the mail it takes back
        steps += [A.api("chat.history", channel=oblique.dm_channel(f["manager"]), limit=30)]
    if f.get("undone_at") or f.get("kept_at"):  # the manager's later mail undoes the switch
        svc = "workmail" if "workmail" in world.services else "mail"
        steps += [A.api(f"{svc}.search", query=f["manager"].split()[0]), A.api(f"{svc}.list", limit=30)]
    steps += [
        S.open_shade(),
        A.key("back"),
        A.shell(f"ls ~/bin ~/{f['pending']}"),
        A.shell(f"head -20 ~/{v['tool']}"),
        A.shell(f"{tool} --list"),
        A.shell(f"cat ~/{f['pending']}/{f['target']}.csv"),
        A.shell(f"{tool} --{v['key']} {f['target']} --code {code}", timeout=30),
        A.shell(f"cat ~/{f['state']}/{f['target']}.done"),
    ]
    total = f"{f['total']:,.2f}"
    steps.append(
        A.api(
            "chat.post",
            channel=f["channel"],
            text=f"Done: the {f['target']} batch went through. Total EUR {total}, receipt {f['receipt']}.",
        )
    )
    if f["todo"]:
        steps += [A.api("todo.list", list_name="work"), laptop_files.claw("todo.complete", id=f["todo"])]
    if f["ticket"]:
        steps += [
            A.api("helpdesk.list", status="open"),
            A.api("helpdesk.get", id=f["ticket"]),
            A.shell(f"claw helpdesk comment {f['ticket']} 'Ran it: receipt {f['receipt']}, total EUR {total}.'"),
            A.api("chat.history", channel=f["channel"], limit=5),
        ]
    return [*steps, A.finish(f"Posted the total ({total}) and receipt {f['receipt']} in #{f['channel']}.")]


def oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Read the request (and at 4+ the decision weeks back), take the newest code from the shade, run the tool."""
    return _steps(world, f, f["code"])


def stale_oracle(world: World, f: dict[str, Any]) -> list[str]:
    """Uses the first push's code: the tool refuses it, so nothing is pushed."""
    return _steps(world, f, f["old"])


def _owned_paths(rec: dict, f: dict[str, Any]) -> bool:
    return str(rec.get("path", "")).startswith(f["state"] + "/")


FAMILY = Family(
    name="xdev-ledger-code",
    kind="reactive",
    services=("phone", "files", "chat", "todo", "helpdesk", "contacts", "mail", "workmail"),
    devices=("laptop", "phone"),
    needs_sim_phone=True,
    summary="The laptop tool ran for the batch the request names (at 4-5: the one the manager's DM line settles - "
    "at 4 undoing the switch agreed in the channel weeks back, at 5 taking back their mail that undid it)"
    " with the newest one-time code from the phone (its receipt is in the state file), no "
    "other batch ran, and the total and receipt were posted in the channel (plus the to-do ticked at 4+, the "
    "receipt on the ticket at 5).",
    generate=generate,
    check=check,
    oracle=oracle,
    variants=("ledger", "payroll"),
    tasks_per_variant=15,
    count=45,
    max_steps=40,
    tags=("phone", "laptop", "cross-device", "conflict"),
    stale_oracle=stale_oracle,
    phone_only=("code",),
    footprint=Footprint(
        owns=(
            Own("files.files", where=_owned_paths, new=True),
            Own("todo.items", ids=("todo",)),
            Own("helpdesk.tickets", ids=("ticket",)),
        ),
        channels=("channel",),
    ),
)
