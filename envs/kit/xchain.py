"""Cross-device chains: records planted the way the background writes them, and laptop tools that need a code.

The five chain families (a code only the phone shows used on the laptop, a laptop file needed in a
reply from the phone) share three things, kept here:

* depth: how far back the deciding record sits (``depth_days``: >= 30 days at level 4, >= 60 at 5);
* camouflage: past texts with the Messages notification companion the background leaves about
  half the time, event lines that name a known sender as the background's do, realistic minutes;
* a command-line tool for the laptop that checks a one-time code by a slow hash (so the code
  cannot be guessed offline from the script) and derives a receipt from it (``tool_script``,
  ``receipt_for``): the receipt in the tool's state file proves the tool ran with the right code.
  Like a real client it knows every code the vendor issued to the device but not which one is still
  valid (the vendor's clock decides that), so a run with an expired push goes through locally with a
  receipt the checker tells apart: picking the newest code is the agent's judgement, not the tool's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from decimal import Decimal

from claw_gym import clock
from claw_gym.events import Event
from claw_gym.tasks import Ctx, values

from . import plant
from .records import reserve

#: PBKDF2 rounds of the laptop tools' code check: ~20 ms per try, so a 6-digit code is not brute-forced
ROUNDS = 40_000


def depth_days(ctx: Ctx) -> tuple[int, int]:
    """Days back (low, high) for the record that decides the task: recent below 4, >= 30 at 4, >= 60 at 5."""
    return {4: (31, 52), 5: (61, 84)}.get(ctx.difficulty, (2, 20))


def at_minute(ctx: Ctx, t: int) -> int:
    """``t`` moved a few minutes later, to a realistic minute (never a round :00 or :30): never earlier than ``t``."""
    out = t + int(ctx.rng.integers(1, 12)) * clock.MINUTE + int(ctx.rng.integers(0, 60))
    if (out // clock.MINUTE) % 30 == 0:
        out += 2 * clock.MINUTE
    return out


def days_back(ctx: Ctx, lo: int, hi: int, hours: tuple[int, int] = (9, 18)) -> int:
    """A time between ``lo`` and ``hi`` days ago, in working hours, at a realistic minute."""
    day = clock.day_start(ctx.now) - int(ctx.rng.integers(lo, hi + 1)) * clock.DAY
    return at_minute(ctx, day + int(ctx.rng.integers(hours[0], hours[1])) * clock.HOUR)


def sms_past(ctx: Ctx, t: int, number: str, body: str, who: str = "", read: bool = True) -> str:
    """A text received at ``t``, with the phone's Messages notification line about half the time."""
    rid = str(ctx.svc("sms").receive(number, body, time=t, read=read)["id"])
    if "device" in ctx.world.services and ctx.rng.random() < 0.5:
        ctx.svc("device").log_line("notification", "Messages", f"{who or number}: {body[:50]}", time=t + 2)
    return rid


def sms_arrive(ctx: Ctx, t: int, number: str, body: str, who: str = "") -> str:
    """A text that lands at ``t``; the event line names the sender as the phone shows them."""
    sms = ctx.svc("sms")
    rid = reserve(sms, "messages")
    rec = {"id": rid, "time": t, "number": number, "direction": "in", "body": body, "read": False}
    line = f"text from {who or number}: {body[:60]}"
    ctx.world.schedule(Event(t, "sms", "sms.received", line, "messages", rec))
    return rid


def chat_arrive(ctx: Ctx, t: int, channel: str, sender: str, text: str) -> str:
    """A chat message that lands at ``t`` in ``channel``, in the background's line format."""
    chat = ctx.svc("chat")
    rid = reserve(chat, "messages")
    rec = {"id": rid, "time": t, "channel": channel, "sender": sender, "text": text}
    ctx.world.schedule(Event(t, "chat", "chat.message", f"#{channel} {sender}: {text[:60]}", "messages", rec))
    return rid


def mail_arrive(ctx: Ctx, service: str, t: int, sender: str, who: str, subject: str, body: str) -> str:
    """A mail that lands at ``t``; the event line names the sender as the background's lines do."""
    svc = ctx.svc(service)
    rid = reserve(svc, "messages")
    rec = {
        "id": rid,
        "time": t,
        "from": sender,
        "to": [svc.address()],
        "cc": [],
        "subject": subject,
        "body": body,
        "folder": "inbox",
        "read": False,
        "attachments": [],
    }
    ctx.world.schedule(Event(t, service, "mail.received", f"from {who or sender}: {subject}", "messages", rec))
    return rid


def code_hash(code: str, salt: str) -> str:
    """The slow hash a laptop tool keeps of the code it expects."""
    return hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), ROUNDS).hex()


def receipt_for(code: str, salt: str, key: str) -> str:
    """The receipt a tool writes after a run with the right code: derived from the code, not guessable."""
    return hashlib.sha256(f"{salt}:{key}:{code}".encode()).hexdigest()[:10].upper()


#: a laptop tool (python3, stdlib only). It reads its pending batches, checks the code against the
#: stored hash, and on success writes ``<state>/<key>.done`` with the receipt and prints the total.
TOOL = r'''#!/usr/bin/env python3
"""{title}

usage: python3 ~/{path} --{keyname} NAME --code CODE
       python3 ~/{path} --list
The one-time code is the one {sender} pushes to your phone; it is valid for 30 minutes.
"""
import argparse, csv, hashlib, os, sys

HOME = os.path.expanduser("~")
PENDING = os.path.join(HOME, "{pending}")
STATE = os.path.join(HOME, "{state}")
SALT = "{salt}"
EXPECT = {expect}


def rows(name):
    path = os.path.join(PENDING, name + ".csv")
    if not os.path.exists(path):
        sys.exit("no pending batch for %r (see --list)" % name)
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser(description="{title}")
    ap.add_argument("--{keyname}")
    ap.add_argument("--code")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list or not a.{keyname}:
        for n in sorted(os.listdir(PENDING)):
            print(n[:-4], len(rows(n[:-4])), "entries pending")
        return
    batch = rows(a.{keyname})
    if not a.code:
        sys.exit("a one-time code is needed: --code CODE (pushed to your phone)")
    got = hashlib.pbkdf2_hmac("sha256", a.code.strip().encode(), SALT.encode(), {rounds}).hex()
    if got not in EXPECT:
        sys.exit("code rejected: wrong or expired code")
    receipt = hashlib.sha256(("%s:%s:%s" % (SALT, a.{keyname}, a.code.strip())).encode()).hexdigest()[:10].upper()
    total = round(sum(float(r["amount"]) for r in batch), 2)
    os.makedirs(STATE, exist_ok=True)
    with open(os.path.join(STATE, a.{keyname} + ".done"), "w") as f:
        f.write("receipt = %s\nentries = %d\ntotal = %.2f\n" % (receipt, len(batch), total))
    print("%s: %d entries posted, total %.2f EUR, receipt %s" % (a.{keyname}, len(batch), total, receipt))


main()
'''


def tool_script(
    *,
    title: str,
    path: str,
    keyname: str,
    sender: str,
    pending: str,
    state: str,
    salt: str,
    code: str,
    issued: Iterable[str] = (),
) -> str:
    """The source of a laptop tool that accepts ``code`` and the other ``issued`` codes (kept as slow
    hashes, never in clear, in one sorted list: the script does not say which one is current)."""
    return TOOL.format(
        title=title,
        path=path,
        keyname=keyname,
        sender=sender,
        pending=pending,
        state=state,
        salt=salt,
        expect=sorted({code_hash(c, salt) for c in (code, *issued)}),
        rounds=ROUNDS,
    )


def money_figures(text: str) -> set[Decimal]:
    """The money amounts a message gives: those written with cents or a currency mark ("23 entries" is no
    amount, "4,213.50" and "EUR 4213" are)."""
    out = set()
    for r in values.amounts_in(text):
        if (
            r.ok
            and r.value is not None
            and (re.search(r"[.,]\d{2}$", r.text) or re.search(r"[€$£]|[A-Za-z]{3}", r.text))
        ):
            out.add(r.value)
    return out


def gives_one_figure(text: str, want: float, wrong: Iterable[float] | None = None) -> bool:
    """The message gives ``want`` and does not hedge.

    With ``wrong`` (the other answers a careless reading gives: the stale sum, another candidate's
    total), a hedge is naming any of them: other amounts that explain the answer (a line left out,
    a deposit included) are fine. Without it, ``want`` must be the message's one money figure.
    """
    got = money_figures(text)
    if not any(values.same_amount(g, want) for g in got):
        return False
    if wrong is None:
        return len(got) == 1
    bad = [w for w in wrong if not values.same_amount(w, want)]
    return not any(values.same_amount(g, w) for g in got for w in bad)


#: everyday lines of a team channel: the channels a chain family plants look lived in
CHANNEL_LINES = [
    "invoices for last month are all in the shared folder",
    "reminder: expense claims close on Friday",
    "who has the login for the card portal?",
    "closing the books on Thursday, shout if anything is missing",
    "vendor statement reconciled, all good",
    "the sheet export is refreshed every morning now",
    "anyone seen the signed quote from last week?",
    "new vendor form is in the shared folder",
    "please attach the invoice to each line, audit asked again",
    "I'm out Friday afternoon, ping me before noon",
    "budget review moved to next Tuesday",
    "can someone double-check the March accruals?",
    "thanks all, that went smoothly",
    "heads-up: the portal is down for maintenance tonight",
    "does anyone know the cut-off for international transfers?",
    "updated the template, old one is in the archive folder",
]
#: everyday lines of a direct-message channel
DM_LINES = [
    "thanks!",
    "see you at standup",
    "can you review my doc later?",
    "lunch?",
    "sure, on it",
    "ok, see you at 3",
    "did you get my mail?",
    "running 5 min late",
    "nice work on the demo",
    "can we move our 1:1?",
]


def chatter(ctx: Ctx, channel: str, senders: list[str], lines: list[str], n: int, days: tuple[int, int]) -> None:
    """``n`` distinct everyday messages in ``channel`` from ``senders``, spread over ``days`` back."""
    for text in ctx.sample(lines, n):
        sender = ctx.pick(senders)
        plant.chat(ctx, days_back(ctx, *days, hours=(8, 19)), channel, sender, text)


def charge_arrive(ctx: Ctx, t: int, amount: float, merchant: str, reference: str = "card payment") -> str:
    """A card payment that posts at ``t``, with the background's event line and the bank app's notification."""
    bank = ctx.svc("bank")
    rid = reserve(bank, "transactions")
    amt = round(-abs(amount), 2)
    rec = {"id": rid, "time": t, "amount": amt, "counterparty": merchant, "reference": reference, "status": "posted"}
    rec["iban"] = ""
    line = f"{merchant} {amt:+.2f} EUR ({reference})"
    ctx.world.schedule(Event(t, "bank", "bank.transaction", line, "transactions", rec))
    if "device" in ctx.world.services and abs(amt) > 25:
        note = f"You paid {abs(amt):.2f} EUR at {merchant}"
        dev = ctx.svc("device")
        did = reserve(dev, "log")
        log = {"id": did, "time": t + 5, "device": "phone", "kind": "notification", "app": "Bank", "text": note}
        ctx.world.schedule(Event(t + 5, "device", "device.notification", f"Bank notification: {note}", "log", log))
    return rid
