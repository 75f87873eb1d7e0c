"""Oracle demonstrations mapped to menu slots: what behaviour cloning learns from, and menu coverage.

An oracle action is *expressible* when a valid slot of the action menu means the same thing to the
world. "The same" is strict, with two relaxations that follow from the suite's contracts, not from any
family:

- a free-text argument (a mail body, a chat line, a comment, a ``finish`` message, a message typed
  on the phone that carries a fact) matches when the
  menu's text carries every fact the oracle's text carries: times, dates, amounts, record ids,
  addresses, phone numbers, and every number written in it (a house number, a day). The prose
  around the facts is the person's style; the facts are what a checker can hold an agent to;
- a tap on the element whose text is X (``element="text=X"``) is a tap on the listed element that
  shows X; and any tap by selector (``text=``, ``id/``) is the tap on the listed element the phone
  resolves that selector to.

Everything else (the call, the argument names, ids, times, amounts, queries, shell commands, waits)
must be equal. Walking an episode, an action the menu cannot express is still played, as raw action
text, so that the rest of the episode is measured in the state the oracle meant.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from claw_gym.spaces import UnicodeText
from claw_gym.wrappers.menu import AMOUNT_RE, DATE_RE, EMAIL_RE, ID_RE, PHONE_RE, TIME_RE, ActionMenu, Choice

#: arguments whose value is prose a person composes (the facts in it count, not the wording)
TEXT_ARGS = frozenset({"body", "message", "content", "comment", "note", "reply", "text"})
#: endpoints that read: their effect on the world is nothing but the answer
NUMBER_RE = re.compile(r"\d+")
THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}\b)")  # 106,000 -> 106000
HISTORY_CHARS = 120  # per remembered action
SCREENS = 8  # earlier phone listings a typed message may take a code from
READ_PREFIXES = ("list", "get", "search", "history", "read", "transactions", "find", "show", "view")


def facts(text: str) -> frozenset[str]:
    """The checkable facts written in ``text``: times, dates, amounts, ids, addresses, phone numbers,
    and each number in it (``#17``; leading zeros and thousands commas dropped)."""
    found: set[str] = set(TIME_RE.findall(text)) | set(DATE_RE.findall(text)) | set(ID_RE.findall(text))
    found |= {f"{float(a):.2f}" for a in AMOUNT_RE.findall(text)}
    found |= {f"#{int(n)}" for n in NUMBER_RE.findall(THOUSANDS_RE.sub("", text))}
    found |= {e.lower() for e in EMAIL_RE.findall(text)}
    found |= {re.sub(r"\D", "", p) for p in PHONE_RE.findall(text) if not DATE_RE.match(p.strip())}
    return frozenset(found)


def _is_prose(text: str) -> bool:
    """A composed message (words and at least one fact), not a search term or a field value."""
    return " " in text.strip() and bool(facts(text))


def _parse(action: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(action)
    except (TypeError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _same_value(key: str, want: Any, got: Any) -> bool:
    if key in TEXT_ARGS and isinstance(want, str) and isinstance(got, str):
        return facts(want) <= facts(got)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
        return abs(float(want) - float(got)) < 1e-9
    return bool(want == got)


def same_action(oracle: str, offered: str) -> bool:
    """Does the menu's ``offered`` action do what the oracle's action does (see the module's doc)?"""
    a, b = _parse(oracle), _parse(offered)
    if a is None or b is None or a.get("kind") != b.get("kind"):
        return False
    if a["kind"] == "finish":
        return facts(str(a.get("message", ""))) <= facts(str(b.get("message", "")))
    if a["kind"] == "gui" and a.get("op") == b.get("op") == "type" and _is_prose(str(a.get("text", ""))):
        return facts(str(a["text"])) <= facts(str(b.get("text", "")))
    if a["kind"] != "api":
        return a == b
    if a.get("call") != b.get("call"):
        return False
    want, got = a.get("args") or {}, b.get("args") or {}
    return set(want) == set(got) and all(_same_value(k, want[k], got[k]) for k in want)


def is_change(action: str) -> bool:
    """Whether an action can change the world (reads and finishes cannot; shell and taps may)."""
    parsed = _parse(action) or {}
    kind = parsed.get("kind")
    if kind == "api":
        verb = str(parsed.get("call", "")).rsplit(".", 1)[-1]
        return not verb.startswith(READ_PREFIXES) and verb != "help"
    return kind in ("shell", "gui")


def _tapped_text(action: str) -> str | None:
    """X of a tap on ``element="text=X"``, else None."""
    parsed = _parse(action) or {}
    element = str(parsed.get("element", ""))
    if parsed.get("kind") == "gui" and parsed.get("op") == "tap" and element.startswith("text="):
        return element[5:]
    return None


def matches(action: str, choice: Choice) -> bool:
    """Does the menu entry ``choice`` do what ``action`` does (see the module's doc)?"""
    if choice.action == action:
        return True
    tapped = _tapped_text(action)
    if tapped is not None:
        return choice.label.startswith("tap(") and f'"{tapped}"' in choice.label
    return same_action(action, choice.action)


def _selector(action: str) -> str | None:
    """The element selector of a tap (``text=X``, ``id/x``, ``e12``), else None."""
    parsed = _parse(action) or {}
    if parsed.get("kind") == "gui" and parsed.get("op") == "tap" and isinstance(parsed.get("element"), str):
        return str(parsed["element"])
    return None


def _same_element(menu: ActionMenu, action: str, choice: Choice) -> bool:
    """Do two taps press the same element of the phone's current screen? The phone itself resolves
    both selectors (a ``text=`` selector keeps the spacing the listing collapses; an ``id/``
    selector names a resource id the menu's label may cut off)."""
    find = getattr(getattr(menu.unwrapped, "phone", None), "find", None)
    want, got = _selector(action), _selector(choice.action)
    if find is None or want is None or got is None:
        return False
    node = find(want)
    return node is not None and node is find(got)


def expresses(menu: ActionMenu, action: str, choice: Choice) -> bool:
    """:func:`matches`, or a tap the phone resolves to the same element as the menu's tap."""
    return matches(action, choice) or (_selector(action) is not None and _same_element(menu, action, choice))


def find_slot(menu: ActionMenu, action: str) -> int | None:
    """The valid slot of ``menu`` holding ``action`` itself, else the first one that does the same."""
    same = None
    for index in np.flatnonzero(menu.action_masks()):
        choice = menu.choice(int(index))
        if choice is None:
            continue
        if choice.action == action:
            return int(index)
        if same is None and expresses(menu, action, choice):
            same = int(index)
    return same


class DemoMenu(ActionMenu):
    """An :class:`ActionMenu` that can also play a raw action text (an oracle action the menu lacks),
    keeping its memory of earlier results as a slot step would.

    Its observations add a ``history`` text: the menu block, the rank in it and the label of the
    last ``history`` actions, newest first. Without it a screen seen twice (the bank's list, after
    checking one payment and going back) gives equal features with different right actions, which
    no policy of the features can tell apart (see :mod:`.diagnose`, ``fit_ceiling``).
    """

    _last_result: str
    last_observation: dict[str, Any]  # the raw observation last returned (for per-slot features)

    def __init__(self, env: gym.Env, history: int = 3, **kwargs: Any) -> None:
        kwargs.setdefault("ui_slots", 24)  # fewer collisions of the stable tap placement
        super().__init__(env, **kwargs)
        self.stable_taps = True  # a tap's slot follows what the element shows (menu_templates.tap_order)
        self._history: deque[str] = deque(maxlen=history)
        self._screens: deque[str] = deque(maxlen=SCREENS)  # earlier phone listings (codes read before)
        space = env.observation_space
        assert isinstance(space, spaces.Dict)
        self.observation_space = spaces.Dict({**space.spaces, "history": UnicodeText(HISTORY_CHARS * history)})
        self._starts = sorted((offset, name) for name, offset in self._offset.items())

    def _slot_name(self, index: int) -> str:
        """``block:rank label`` of a slot (what the policy did, in words a hashed feature can read)."""
        before = [(o, b) for o, b in self._starts if o <= index]
        if not before:
            return f"slot {index}"
        offset, block = max(before)
        choice = self.choice(index)
        return f"{block}:{index - offset} {choice.label if choice else ''}"[:HISTORY_CHARS]

    def slot_text(self, index: int) -> str:
        """``block label`` of a slot: what it does, without its rank (for per-slot features)."""
        before = [(o, b) for o, b in self._starts if o <= index]
        choice = self.choice(index)
        return f"{max(before)[1] if before else ''} {choice.label if choice else ''}".strip()

    def recent(self) -> list[str]:
        """What was seen before this step: earlier phone screens and earlier results."""
        return [*list(self._screens)[1:], *self._recalled]

    def _observe(self, obs: Any, done: str | None) -> Any:
        if done is not None:
            self._history.appendleft(done)
        self.last_observation = {**obs, "history": "\n".join(self._history)}
        return self.last_observation

    def build(self, obs: dict[str, Any]) -> None:
        """The menu's build, with the phone screens seen before as ``ui_recent`` (a message typed on
        one screen passes on a code read on another)."""
        super().build({**obs, "ui_recent": "\n".join(self._screens)} if "ui" in obs else obs)
        if "ui" in obs:
            self._screens.appendleft(str(obs["ui"]))

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict]:
        self._history.clear()
        self._screens.clear()
        obs, info = super().reset(seed=seed, options=options)
        return self._observe(obs, None), info

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        name = self._slot_name(int(np.asarray(action).item()))
        obs, reward, terminated, truncated, info = super().step(action)
        return self._observe(obs, name), reward, terminated, truncated, info

    def step_text(self, action: str) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        if self._last_result and not self._last_result.startswith("error:"):
            self._recalled.appendleft(self._last_result)
        self._last_result = obs.get("result", "")
        self.build(obs)
        return self._observe(obs, f"text {action}"[:HISTORY_CHARS]), reward, terminated, truncated, self._annotate(info)


@dataclass
class Walk:
    """One oracle episode seen through the menu."""

    task_id: str
    seed: int
    family: str
    slots: list[int | None] = field(default_factory=list)  # per oracle action: its slot, or None
    changes: list[bool] = field(default_factory=list)  # per oracle action: can it change the world
    observations: list[Any] = field(default_factory=list)  # the observation each action was chosen in
    masks: list[np.ndarray] = field(default_factory=list)
    passed: bool = False


def observe(env: gym.Env, menu: DemoMenu, obs: Any) -> Any:
    """``obs`` of the menu layer as ``env`` shows it: every observation wrapper between the two
    applied, innermost first."""
    layers: list[gym.ObservationWrapper] = []
    layer: Any = env
    while layer is not menu:
        if isinstance(layer, gym.ObservationWrapper):
            layers.append(layer)
        layer = layer.env
    for wrapper in reversed(layers):
        obs = wrapper.observation(obs)
    return obs


def walk(env: gym.Env, menu: DemoMenu, task_id: str, seed: int, family: str) -> Walk:
    """Play the oracle of (task, seed) through ``env`` (whose menu layer is ``menu``), mapping each
    action to a slot where the menu can express it."""
    obs, info = env.reset(seed=seed, options={"task_id": task_id})
    out = Walk(task_id, seed, family)
    done = False
    for action in menu.unwrapped.oracle_actions():
        if done:
            break
        slot = find_slot(menu, action)
        out.slots.append(slot)
        out.changes.append(is_change(action))
        out.observations.append(obs)
        out.masks.append(menu.action_masks())
        if slot is not None:
            obs, _, terminated, truncated, info = env.step(slot)
        else:
            obs, _, terminated, truncated, info = menu.step_text(action)
            obs = observe(env, menu, obs)
        done = terminated or truncated
    out.passed = bool(info.get("verdict", {}).get("passed", False))
    return out


def pairs(walks: list[Walk]) -> Iterator[tuple[Any, int, np.ndarray]]:
    """(observation, slot, mask) for every oracle action the menu expressed."""
    for w in walks:
        for obs, slot, mask in zip(w.observations, w.slots, w.masks):
            if slot is not None:
                yield obs, slot, mask


def coverage(walks: list[Walk]) -> dict[str, dict[str, Any]]:
    """Per family: the fraction of oracle actions the menu expressed, of all and of changes, and the
    fraction of episodes whose every change it expressed."""
    out: dict[str, dict[str, Any]] = {}
    for w in walks:
        row = out.setdefault(w.family, {"actions": 0, "covered": 0, "changes": 0, "changes_covered": 0, "episodes": 0})
        row["actions"] += len(w.slots)
        row["covered"] += sum(s is not None for s in w.slots)
        row["changes"] += sum(w.changes)
        row["changes_covered"] += sum(c and s is not None for s, c in zip(w.slots, w.changes))
        row["episodes"] += 1
        row["all_changes"] = row.get("all_changes", 0) + all(s is not None for s, c in zip(w.slots, w.changes) if c)
    for row in out.values():
        row["coverage"] = row["covered"] / row["actions"] if row["actions"] else 0.0
        row["change_coverage"] = row["changes_covered"] / row["changes"] if row["changes"] else 1.0
        row["episodes_fully_covered"] = row["all_changes"] / row["episodes"]
    return dict(sorted(out.items()))
