"""System UI: status bar, navigation bar, launcher, notification shade, recents.

Notifications are a view over service state, not a copy: unread incoming SMS and
mail of the last two days, plus the phone's own app notifications
(``phone.notifications``). Opening one goes to the message; dismissing an SMS or
mail notification marks it read; action buttons answer ``phone.respond`` (and run
the notification's declared effect, e.g. a bank dispute) through ``World.call``; an
effect with a ``confirm`` question opens its app and asks first. Each card notes the
services it shows (``SimPhone.seen``) when the shade draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ... import plural
from ...clock import DAY, fmt, to_datetime
from ...faults import TransientFault
from ...services import ServiceError
from .apps.mail import MailApp
from .layout import HEIGHT, NAV_H, STATUS_H, WIDTH, W
from .render import LINE, wrap
from .widgets import Dialog, Node

if TYPE_CHECKING:
    from .apps.base import App
    from .device import SimPhone

LAUNCHER = "com.claw.launcher"
SYSTEMUI = "com.android.systemui"
RECENTS = "com.claw.launcher.recents"
RECENT_WINDOW = 2 * DAY
QUICK = (("wifi", "Wi-Fi"), ("bluetooth", "Bluetooth"), ("do_not_disturb", "DND"), ("location", "Location"))


@dataclass
class Notif:
    key: str
    package: str
    app: str
    title: str
    text: str
    time: int
    open: Callable[[], Any]
    dismiss: Callable[[], Any]
    actions: list[tuple[str, Callable[[], Any]]] = field(default_factory=list)
    shows: tuple[str, ...] = ()  # services whose records the card displays (noted when it is drawn)


def notifications(phone: SimPhone) -> list[Notif]:
    out: list[Notif] = []
    since = phone.now - RECENT_WINDOW
    if phone.has_service("phone"):
        for n in phone.service("phone").active_notifications():
            out.append(
                Notif(
                    n["id"],
                    n.get("package", "com.claw.settings"),
                    n["app"],
                    n["title"],
                    n["text"],
                    n["time"],
                    _opener(phone, n),
                    _caller(phone, "phone.dismiss", {"id": n["id"]}),
                    [(a, _responder(phone, n, a)) for a in n["actions"]],
                    ("phone",),
                )
            )
    if phone.has_service("sms"):
        for m in phone.service("sms").unread_incoming():
            if m["time"] >= since:
                name, book = phone.lookup(m["number"])
                out.append(
                    Notif(
                        m["id"],
                        "com.claw.messages",
                        "Messages",
                        name,
                        m["body"],
                        m["time"],
                        partial(phone.open_thread, m["number"]),
                        _caller(phone, "sms.mark_read", {"id": m["id"]}),
                        shows=("sms",) if book is None else ("sms", book),
                    )
                )
    for mbox, pkg, label in (("mail", "com.claw.mail", "Mail"), ("workmail", "com.claw.workmail", "Work Mail")):
        if phone.has_service(mbox) and pkg in phone.apps:
            for m in phone.service(mbox).unread("inbox"):
                if m["time"] >= since:
                    out.append(
                        Notif(
                            m["id"],
                            pkg,
                            label,
                            m["from"],
                            m["subject"],
                            m["time"],
                            partial(phone.app(pkg, MailApp).open_message, phone, m["id"], fresh=True),
                            _caller(phone, f"{mbox}.mark_read", {"id": m["id"]}),
                            shows=(mbox,),
                        )
                    )
    out.sort(key=lambda n: (n.time, n.key), reverse=True)  # newest first, as docs/phone.md says
    return out


def card_time(t: int, now: int) -> str:
    """When a card came, as its header shows it: "09:22" today, "yesterday 23:34", else with the day
    ("Sun 1 Feb 08:10"): an old card's bare "08:10" reads as this morning's."""
    days = (now - now % DAY - (t - t % DAY)) // DAY
    hhmm = fmt(t)[11:]
    if days <= 0:
        return hhmm
    if days == 1:
        return f"yesterday {hhmm}"
    d = to_datetime(t)
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b')} {hhmm}"


def _app_info(app: App) -> str:
    """The launcher's answer to a long-press on an icon."""
    return f"{app.label}: app info ({app.package})"


def _caller(phone: SimPhone, call: str, args: dict[str, Any]) -> Callable[[], Any]:
    return lambda: phone.call(call, args)


def _opener(phone: SimPhone, n: dict[str, Any]) -> Callable[[], Any]:
    pkg = n.get("package", "")
    return lambda: phone.start_app(pkg) if pkg in phone.apps else phone.close_shade()


def _responder(phone: SimPhone, n: dict[str, Any], action: str) -> Callable[[], Any]:
    def still_open() -> None:
        if n["dismissed"] or action not in n["actions"]:
            phone.call("phone.respond", {"id": n["id"], "action": action})  # raises the service's error

    def answer() -> str:
        still_open()
        effect = (n.get("effects") or {}).get(action)
        note = ""
        if effect:
            try:
                phone.call(effect["call"], effect["args"])
            except TransientFault:
                raise  # the service hiccuped: the answer is not sent either, so tapping again redoes both
            except ServiceError as exc:  # e.g. already disputed by hand: the answer still counts
                note = f" ({effect['call']} not run: {exc})"
        phone.call("phone.respond", {"id": n["id"], "action": action})
        return f"{n['app']}, {n['title']}: {action}{note}"  # names the card: several may offer this action

    def run() -> str:
        still_open()
        effect = (n.get("effects") or {}).get(action)
        pkg = n.get("package", "")
        if effect and effect.get("confirm") and pkg in phone.apps:
            # a drastic answer (blocking a card) opens the app and asks first, as real apps do
            phone.start_app(pkg)
            phone.ask(Dialog(action, effect["confirm"], "Confirm", answer))
            return f"{n['app']}, {n['title']}: confirm {action!r}"
        return answer()

    return run


# ---- bars --------------------------------------------------------------------------------------
def status_bar(phone: SimPhone, count: int) -> Node:
    t = to_datetime(phone.now)
    settings = phone.settings()
    marks = [
        label
        for key, label in (
            ("airplane_mode", "Airplane"),
            ("do_not_disturb", "DND"),
            ("bluetooth", "BT"),
            ("wifi", "Wi-Fi"),
            ("location", "Loc"),
        )
        if settings.get(key)
    ]
    bar = Node(
        W + "FrameLayout",
        (0, 0, WIDTH, STATUS_H),
        text=f"{t:%H:%M}",
        sub="  ".join(marks + ["84%"]),
        package=SYSTEMUI,
        style="statusbar",
        rid=f"{SYSTEMUI}:id/status_bar",
        desc=f"{t:%H:%M}, {plural.count(count, 'notification')}",
        on_tap=None,
    )
    if count:
        bar.children.append(
            Node(
                W + "TextView",
                (56, 6, 72, 22),
                text=str(min(count, 99)),
                package=SYSTEMUI,
                style="badge",
                rid=f"{SYSTEMUI}:id/notification_count",
                desc=plural.count(count, "notification"),
            )
        )
    return bar


def nav_bar(phone: SimPhone) -> Node:
    bar = Node(
        W + "FrameLayout",
        (0, HEIGHT - NAV_H, WIDTH, HEIGHT),
        package=SYSTEMUI,
        style="navbar",
        rid=f"{SYSTEMUI}:id/navigation_bar",
    )
    for i, (name, handler) in enumerate((("Back", phone.back), ("Home", phone.home), ("Recents", phone.recents))):
        x = 30 + i * 110
        bar.children.append(
            Node(
                W + "ImageView",
                (x, HEIGHT - NAV_H, x + 80, HEIGHT),
                desc=name,
                package=SYSTEMUI,
                style="navbtn",
                rid=f"{SYSTEMUI}:id/{name.lower()}",
                on_tap=handler,
            )
        )
    return bar


# ---- launcher and recents ----------------------------------------------------------------------
def launcher(phone: SimPhone) -> list[Node]:
    grid = Node(W + "GridView", (0, STATUS_H, WIDTH, HEIGHT - NAV_H), package=LAUNCHER, rid=f"{LAUNCHER}:id/apps")
    cols, cw, ch = 4, WIDTH // 4, 100
    date = Node(
        W + "TextView",
        (0, STATUS_H, WIDTH, STATUS_H + 72),
        text=to_datetime(phone.now).strftime("%A, %B %d").replace(" 0", " "),
        package=LAUNCHER,
        style="bigtext",
        rid=f"{LAUNCHER}:id/date",
    )
    grid.children.append(date)
    for i, app in enumerate(phone.apps.values()):
        r, c = divmod(i, cols)
        y = STATUS_H + 88 + r * ch
        grid.children.append(
            Node(
                W + "TextView",
                (c * cw, y, (c + 1) * cw, y + ch),
                text=app.label,
                desc=app.label,
                sub=app.glyph,
                package=LAUNCHER,
                style="icon",
                color=app.color,
                rid=f"{LAUNCHER}:id/app_{app.package.rsplit('.', 1)[-1]}",
                on_tap=partial(phone.start_app, app.package),
                on_long=partial(_app_info, app),
            )
        )
    return [grid]


def recents(phone: SimPhone) -> list[Node]:
    root = Node(W + "FrameLayout", (0, STATUS_H, WIDTH, HEIGHT - NAV_H), package=LAUNCHER, rid=f"{LAUNCHER}:id/recents")
    if not phone.recent:
        root.children.append(
            Node(
                W + "TextView",
                (0, 300, WIDTH, 400),
                text="No recent items",
                package=LAUNCHER,
                style="empty",
                rid=f"{LAUNCHER}:id/empty",
            )
        )
        return [root]
    for i, pkg in enumerate(phone.recent[:5]):
        app = phone.apps[pkg]
        y = STATUS_H + 8 + i * 128
        top = phone.stacks[pkg][-1]
        root.children.append(
            Node(
                W + "FrameLayout",
                (0, y, WIDTH, y + 124),
                text=app.label,
                sub=top.view,
                desc=f"{app.label}, {top.view}",
                package=LAUNCHER,
                style="card",
                color=app.color,
                rid=f"{LAUNCHER}:id/task",
                on_tap=partial(phone.start_app, pkg),
            )
        )
    return [root]


# ---- notification shade ------------------------------------------------------------------------
def shade(phone: SimPhone, notifs: list[Notif]) -> list[Node]:
    panel = Node(
        W + "FrameLayout",
        (0, STATUS_H, WIDTH, HEIGHT - NAV_H),
        package=SYSTEMUI,
        style="shade",
        rid=f"{SYSTEMUI}:id/notification_panel",
    )
    settings = phone.settings()
    tw = (WIDTH - 16) // len(QUICK)
    y = STATUS_H + 8
    if phone.has_service("phone"):
        phone.shown("phone")  # the quick tiles show the device settings
        for i, (key, label) in enumerate(QUICK):
            on = bool(settings.get(key))
            panel.children.append(
                Node(
                    W + "Switch",
                    (8 + i * tw, y, 8 + (i + 1) * tw, y + 56),
                    text=label,
                    desc=f"{label} {'on' if on else 'off'}",
                    package=SYSTEMUI,
                    style="tile",
                    checkable=True,
                    checked=on,
                    rid=f"{SYSTEMUI}:id/tile_{key}",
                    on_tap=partial(phone.call, "phone.set_setting", {"name": key, "on": not on}),
                )
            )
        y += 64
    bottom = HEIGHT - NAV_H - 56
    first = min(phone.shade_from, max(0, len(notifs) - 1))
    if first:  # paged on: the newer cards are a tap away
        panel.children.append(
            Node(
                W + "TextView",
                (0, y, WIDTH, y + 40),
                text=f"{first} newer: tap to show them",
                package=SYSTEMUI,
                style="shade_text",
                rid=f"{SYSTEMUI}:id/newer",
                on_tap=lambda: phone.shade_page(0),
            )
        )
        y += 40
    shown = 0
    for n in notifs[first:]:
        lines = wrap(n.text[:300], WIDTH - 48, "sub")[:3]
        h = 58 + len(lines) * LINE["sub"] + (40 if n.actions else 0) + 8
        if y + h > bottom:
            break
        for service in n.shows:
            phone.shown(service)
        card = Node(
            W + "FrameLayout",
            (0, y, WIDTH, y + h),
            text=n.title,
            sub=f"{n.app} · {card_time(n.time, phone.now)}",
            lines=lines,
            desc=n.text,
            package=SYSTEMUI,
            style="notif",
            rid=f"{SYSTEMUI}:id/notification",
            on_tap=n.open,
            on_long=n.dismiss,
        )
        ax = 16
        for label, handler in n.actions:
            aw = 24 + int(len(label) * 8)
            card.children.append(
                Node(
                    W + "Button",
                    (ax, y + h - 46, ax + aw, y + h - 10),
                    text=label,
                    package=SYSTEMUI,
                    style="notif_action",
                    rid=f"{SYSTEMUI}:id/action",
                    on_tap=handler,
                )
            )
            ax += aw + 8
        panel.children.append(card)
        y += h
        shown += 1
    more = len(notifs) - first - shown
    if not notifs:
        panel.children.append(
            Node(
                W + "TextView",
                (0, y, WIDTH, y + 40),
                text="No notifications",
                package=SYSTEMUI,
                style="shade_text",
                rid=f"{SYSTEMUI}:id/more",
            )
        )
    elif more:  # a card never hides: the rest are one tap away (the row stops short of "Clear all")
        panel.children.append(
            Node(
                W + "TextView",
                (0, y, WIDTH - 150, y + 40),
                text=f"{more} more: tap to show them",
                package=SYSTEMUI,
                style="shade_text",
                rid=f"{SYSTEMUI}:id/more",
                on_tap=lambda: phone.shade_page(first + max(1, shown)),
            )
        )
    if notifs:
        panel.children.append(
            Node(
                W + "Button",
                (WIDTH - 140, bottom + 8, WIDTH - 16, bottom + 48),
                text="Clear all",
                package=SYSTEMUI,
                style="shade_text",
                rid=f"{SYSTEMUI}:id/clear_all",
                on_tap=lambda: phone.clear_notifications(notifs),
            )
        )
    return [panel]
