"""Observation budget for language-model agents: at most N words per field.

A three-month event digest or a long API result can fill a context window in a few
steps. This wrapper caps each text field in words; ``events`` keeps its newest lines
(the end), every other field keeps its beginning. A cut field ends (or, for events,
starts) with a marker saying how many words were left out, so the agent knows to page.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym

DEFAULT_BUDGET = {"instruction": 400, "time": 8, "events": 600, "services": 300, "result": 1500, "ui": 600}


def cap_words(text: str, limit: int) -> str:
    """The first ``limit`` words (whitespace runs inside kept text are kept as they were)."""
    words = text.split()
    if len(words) <= limit:
        return text
    pos, seen = 0, 0
    for seen in range(limit):  # find where the limit-th word ends in the original text
        start = text.find(words[seen], pos)
        pos = start + len(words[seen])
    return text[:pos] + f"\n...[{len(words) - limit} more words]"


def cap_lines_tail(text: str, limit: int) -> str:
    """The newest whole lines that fit in ``limit`` words."""
    lines = text.splitlines()
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        n = len(line.split())
        if used + n > limit:
            break
        kept.append(line)
        used += n
    dropped = len(lines) - len(kept)
    head = [f"[{dropped} earlier lines not shown]"] if dropped else []
    return "\n".join(head + kept[::-1])


class ObservationBudget(gym.ObservationWrapper):
    """Cap each text field to a number of words (``budget``: field -> words; unlisted fields pass)."""

    def __init__(self, env: gym.Env, budget: dict[str, int] | None = None) -> None:
        super().__init__(env)
        self.budget = dict(DEFAULT_BUDGET if budget is None else budget)

    def observation(self, observation: dict[str, Any]) -> dict[str, Any]:
        out = dict(observation)
        for key, limit in self.budget.items():
            if isinstance(out.get(key), str):
                out[key] = cap_lines_tail(out[key], limit) if key == "events" else cap_words(out[key], limit)
        return out
