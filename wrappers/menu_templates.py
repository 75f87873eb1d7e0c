"""Composed text for the action menu: short messages that carry a fact the agent can see.

A reply that confirms a time or an amount is judged on that fact, and the menu's generic
``"Done."`` carries none. These templates put one visible fact (a time, an amount, a date,
newest first) into a fixed frame, so that an agent choosing among menu slots (and behaviour
cloning mapping an oracle's prose onto them) can send the fact without writing prose. The
frames are the same for every task; only the facts come from the observation.
"""

from __future__ import annotations

from typing import Any

#: frames, one per kind of fact; ``{}`` is the fact as the menu saw it
FRAMES = {"time": "Done - {}.", "amount": "Done - {:.2f}.", "date": "Done - {}."}
#: the ``Visible`` fields :func:`composed_texts` reads (the menu rebuilds a body's block when one moves)
READS = frozenset({"times", "amounts", "dates"})


def composed_texts(seen: Any, per_kind: int = 2) -> list[str]:
    """``"Done."`` then up to ``per_kind`` texts per kind of fact (times, amounts, dates), newest
    first, without repeats. ``seen`` is the menu's :class:`~claw_gym.wrappers.menu.Visible`."""
    texts = ["Done."]
    texts += [FRAMES["time"].format(t) for t in seen.times[:per_kind]]
    texts += [FRAMES["amount"].format(a) for a in seen.amounts[:per_kind]]
    texts += [FRAMES["date"].format(d) for d in seen.dates[:per_kind]]
    return list(dict.fromkeys(texts))
