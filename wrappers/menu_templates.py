"""Composed text for the action menu: short messages that carry a fact the agent can see.

A reply that confirms a time or an amount is judged on that fact, and the menu's generic
``"Done."`` carries none. These templates put one visible fact (a time, an amount, a date,
newest first) into a fixed frame, so that an agent choosing among menu slots (and behaviour
cloning mapping an oracle's prose onto them) can send the fact without writing prose. The
frames are the same for every task; only the facts come from the observation.

On the phone, the same idea: type a name the request gives, or a short text with a code the
screen shows, and a gesture that is the same on every screen (pull the notifications down).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

#: frames, one per kind of fact; ``{}`` is the fact as the menu saw it
FRAMES = {"time": "Done - {}.", "amount": "Done - {:.2f}.", "date": "Done - {}.", "length": "Done - {} for {} min."}
#: the ``Visible`` fields :func:`composed_texts` reads (the menu rebuilds a body's block when one moves)
READS = frozenset({"times", "amounts", "dates", "durations"})
#: words never taken for a name (sentence openers people write capitalised)
STOPWORDS = frozenset(
    """the this that then there please send text call book move reply check when what
    also make sure tell find keep after before from with your they their could would should""".split()
)


def composed_texts(seen: Any, per_kind: int = 2) -> list[str]:
    """``"Done."`` then up to ``per_kind`` texts per kind of fact (times, amounts, dates, the newest
    time with a length), newest first, without repeats. ``seen``: the menu's ``Visible``."""
    texts = ["Done."]
    texts += [FRAMES["time"].format(t) for t in seen.times[:per_kind]]
    texts += [FRAMES["amount"].format(a) for a in seen.amounts[:per_kind]]
    texts += [FRAMES["date"].format(d) for d in seen.dates[:per_kind]]
    # a time and a length written near it: what a booking's confirmation carries
    texts += [FRAMES["length"].format(t, s // 60) for t in seen.times[:1] for s in seen.durations[:per_kind]]
    return list(dict.fromkeys(texts))


# ---- the phone: typing and gestures ------------------------------------------------------------
#: capitalised words of the request: the names a person types into a search field
NAME_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")
#: a standalone number of 4-8 digits in a quoted text of the phone's listing (a code, a PIN, a ref),
#: once phone numbers (digits in groups) are taken out
CODE_RE = re.compile(r"(?<![\d.:,/-])\d{4,8}(?![\d.:,/-])")
FOCUSED_RE = re.compile(r" focused\b")
GROUPED_RE = re.compile(r"\+?\d[\d ()-]{6,}\d")
QUOTED_RE = re.compile(r'"([^"]*)"')
#: phone gestures that are the same on every screen but the shade: (label, action fields)
GESTURES = (("swipe(down from the top: notifications)", {"op": "swipe", "x": 180, "y": 4, "x2": 180, "y2": 520}),)
NAMES, CODES = 2, 2
RELEVANT = 2  # tap slots kept for the elements the request names (tap_order with keywords)
#: how many slots :func:`gui_texts` fills at most (the menu reserves them in its ``gui`` block)
GUI_SLOTS = len(GESTURES) + NAMES + CODES


def gui_texts(obs: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """(place, label, gui action fields) for the phone: the fixed gestures (but in the shade, where
    the phone refuses them) and, when a text field has focus, typing the first names of the
    request (what a contact search needs) and a short text carrying a code the screen shows (what
    a message that passes on a code needs; ``obs["ui_recent"]``, when given, adds the screens seen
    before). Each kind has its own places among the ``GUI_SLOTS``, so a slot keeps its kind."""
    ui = str(obs.get("ui", ""))
    out: list[tuple[int, str, dict[str, Any]]] = []
    if not ui.startswith("screen: notification shade"):
        out += [(k, label, fields) for k, (label, fields) in enumerate(GESTURES)]
    if not FOCUSED_RE.search(QUOTED_RE.sub("", ui)):
        return out  # typing needs a text field with focus (the phone refuses it otherwise)
    words = NAME_RE.findall(str(obs.get("instruction", "")))
    names = [w for w in dict.fromkeys(words) if w.lower() not in STOPWORDS][:NAMES]
    at = len(GESTURES)
    out += [(at + k, f"type({n!r})", {"op": "type", "text": n}) for k, n in enumerate(names)]
    shown = " ".join(QUOTED_RE.findall(ui + "\n" + str(obs.get("ui_recent", ""))))
    codes = list(dict.fromkeys(CODE_RE.findall(GROUPED_RE.sub(" ", shown))))[:CODES]
    greet = f"Hi {names[0]}, " if names else ""
    at += NAMES
    out += [
        (at + k, f"type({greet}it is {c})", {"op": "type", "text": f"{greet}it is {c}."}) for k, c in enumerate(codes)
    ]
    return out


def tap_order(
    elements: list[tuple[str, str]], slots: int, stable: bool, keywords: list[str] | tuple[str, ...] = ()
) -> list[tuple[int, tuple[str, str]]]:
    """(slot, element) for the taps of the ``gui`` block. In listing order by default; ``stable``
    places each element by a hash of what it shows (class, text, id), probing to the next free
    slot, so that the same button (the launcher's "Bank") sits in the same slot on every task
    whatever else the screen lists: a slot keeps one meaning, which a policy over slots needs.

    With ``keywords`` (the request's words), the first ``RELEVANT`` slots hold the elements whose
    text holds the most of them ("the row the request names"), the others placed as above."""
    if not stable:
        return list(enumerate(elements[:slots]))
    taken: dict[int, tuple[str, str]] = {}
    if keywords:
        score = {el: sum(w in el[1].lower() for w in keywords) for el in elements}
        best = sorted((el for el in elements if score[el] > 0), key=lambda el: -score[el])[:RELEVANT]
        taken.update(enumerate(best))
    for el in elements:
        if len(taken) == slots:
            break
        if el in taken.values():
            continue
        k = zlib.crc32(el[1].encode()) % slots
        while k in taken or k < (RELEVANT if keywords else 0):
            k = (k + 1) % slots
        taken[k] = el
    return sorted(taken.items())
