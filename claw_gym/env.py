"""ClawEnv: one Gymnasium env for every task of the suite.

``reset`` picks a task (fixed, or sampled from a filtered pool), builds its world
from (task id, seed) and returns the first observation. ``step`` parses one JSON
action, sends it through the matching door (API, shell, phone), advances the
virtual clock, delivers the events that came due and, when the episode ends,
asks the family's checker for the verdict, which is the reward.

Bad input never raises: it comes back as ``error: ...`` in ``obs["result"]``,
with the world unchanged and the episode still running.

Time (see :mod:`claw_gym.timing`): ``wait`` ends at the first arrival unless told
``"wake": false``. A proactive task runs to its deadline and is judged there, only
there: ``finish`` before it means "nothing more to do for now", and the world runs on
until something arrives (the agent gets control back with the new events) or the
deadline comes (the episode ends). Reactive tasks end at ``finish``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import gymnasium as gym

from . import actions as act
from . import clock, envargs, observation, textcard, timing
from .actions import Action, ActionError
from .devices.laptop import Laptop, LaptopError, parse_timeout
from .devices.phone import PhoneDevice, PhoneFactory, SimPhone
from .devices.phone import gui as phone_gui
from .envargs import HISTORY_MODES
from .events import Event
from .faults import FaultConfig
from .faults import step_info as step_faults
from .life import views
from .limits import Limits
from .services import ServiceError
from .snapshot import Participant, WorldSnapshot
from .tasks import footprint
from .tasks import suite as cat
from .tasks.build import build
from .tasks.family import Family, Scenario
from .tasks.spec import Grader, TaskSpec, Verdict
from .world import World
from .worldcache import WorldCache

#: Virtual seconds each action kind costs. ``wait`` costs up to what it asks for (less when an
#: arrival wakes it); a proactive task's ``finish`` sleeps to the next arrival or the deadline.
ACTION_COST: dict[str, int] = {"api": 10, "shell": 15, "gui": 4, "finish": 0}
DIGEST_EVENTS = 12
_RESULT_JSON = json.JSONEncoder(ensure_ascii=False, default=str)  # one encoder: json.dumps rebuilds it per call


def _encode_result(result: Any, args: dict[str, Any]) -> str:
    """An API result as the observation's JSON; a listing page too long for the result field is cut at
    an item, with its paging field pointing on (``observation.fit_page``)."""
    text = _RESULT_JSON.encode(result)
    limit = observation.LIMITS["result"] - 256  # room for what a step appends (the deadline's line)
    if len(text) > limit and observation.is_paged(result, args):
        return _RESULT_JSON.encode(observation.fit_page(result, args, limit, _RESULT_JSON.encode))
    return text


class ClawEnv(gym.Env[dict, str]):
    metadata = {"render_modes": list(envargs.RENDER_MODES), "render_fps": 4}
    observation_space: gym.spaces.Dict  # always a Dict (the text fields, then the phone's): wrappers read .spaces

    def __init__(
        self,
        task_id: str | None = None,
        *,
        family: Any = None,
        kind: Any = None,
        difficulty: Any = None,
        split: Any = None,
        device: Any = None,
        reward_mode: str = "binary",
        history: str = "digest",
        max_steps: int | None = None,
        render_mode: str | None = None,
        screen_size: tuple[int, int] = phone_gui.SCREEN_SIZE,
        screen: bool = True,
        phone: bool | PhoneFactory = True,
        sandbox: str = "bwrap",
        faults: Any = None,
        limits: Any = None,
        world_cache: int | None = None,
    ) -> None:
        envargs.check(
            dict(
                task_id=task_id,
                family=family,
                kind=kind,
                difficulty=difficulty,
                split=split,
                device=device,
                reward_mode=reward_mode,
                history=history,
                max_steps=max_steps,
                render_mode=render_mode,
                screen_size=screen_size,
                screen=screen,
                phone=phone,
                sandbox=sandbox,
                faults=faults,
                limits=limits,
                world_cache=world_cache,
            )
        )
        # built worlds kept per (task id, seed, history): a repeated reset restores one (claw_gym/worldcache.py)
        self.world_cache = WorldCache(world_cache) if world_cache else None
        self.sandbox = sandbox  # the laptop shell: "none" only when the user asks for it
        self.laptop: Laptop | None = None
        # the devices come from factories, called with each episode's world (see docs/phone.md)
        self.phone_factory: PhoneFactory | None = _phone_factory(phone)
        self.laptop_factory: Callable[[World], Laptop] = lambda world: Laptop(world, sandbox=self.sandbox)
        if task_id is not None:
            self.pool: list[TaskSpec] = [cat.get_spec(task_id)]
            self._check_phone(self.pool[0])
        else:
            self.pool = cat.catalog(
                family=family,
                kind=kind,
                difficulty=difficulty,
                split="train" if split is None else split,
                device=device,
            )
            if not self.pool:
                raise ValueError("no task matches these filters")
            if not self._simulated_phone():  # another phone runs only the tasks it can pass
                self.pool = [s for s in self.pool if not cat.family_of(s).needs_sim_phone]
                if not self.pool:
                    raise ValueError(
                        "every task matching these filters needs the simulated phone "
                        "(Family.needs_sim_phone); another phone cannot run them"
                    )
        self.reward_mode = reward_mode
        self.faults = FaultConfig.parse(faults)  # injected service faults (claw_gym/faults.py)
        self.limits = Limits.parse(limits)  # episode growth caps (claw_gym/limits.py)
        self.history_mode = history
        self.max_steps_override = max_steps
        self.render_mode = render_mode
        self.observation_space = observation.observation_space()
        # the phone: obs["screen"] (fixed-shape RGB) and obs["ui"] (view tree) in every observation
        self.screen_size = (int(screen_size[0]), int(screen_size[1]))
        # screen=False: the simulated phone is not drawn (obs["screen"] stays black, obs["ui"] still lists
        # it), for agents that read no pixels: drawing is most of a step's cost (make_rl_env(screen=False))
        self.draw_screen = bool(screen)
        self.phone: PhoneDevice | None = None
        for key, space in phone_gui.obs_spaces(self.screen_size).items():
            self.observation_space.spaces[key] = space
        self.action_space = act_space()
        self._handlers: dict[str, Callable[[Action], tuple[str, int]]] = {
            "api": self._do_api,
            "wait": self._do_wait,
            "finish": self._do_finish,
            "shell": self._do_shell,
            "gui": self._do_gui,
        }
        self.spec_task: TaskSpec | None = None
        self.family: Family | None = None
        self.world: World | None = None
        self.scenario: Scenario | None = None
        self._oracle: list[str] | None = None
        self._steps = 0
        self._done = False
        self._finish_message: str | None = None  # set by finish on a reactive task: the episode ends
        self._arrived: list[Event] = []  # events the current step delivered
        self._verdict: Verdict | None = None
        self._last_obs: dict[str, Any] | None = None
        self._last_action: Any = None  # for the text card of render()
        # Observation pieces, keyed on versions (the cache rule: claw_gym.caches); worlds told apart by uid.
        self._encoded: tuple[Any, str] = (None, "")  # (world, service version, call, args) -> the result's JSON
        self._services_cache: tuple[Any, str] = (None, "")  # (world, world version, day) -> obs["services"]
        self._summaries: dict[str, tuple[Any, str]] = {}  # service -> ((world, its version, day), summary)

    # ---- episode lifecycle -----------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        super().reset(seed=seed)
        options = dict(options or {})
        task_id = options.pop("task_id", None)
        history = options.pop("history", self.history_mode)
        if history not in HISTORY_MODES:
            raise ValueError(f"history must be one of {HISTORY_MODES}")
        if options:
            raise ValueError(f"unknown reset options {sorted(options)}; known: task_id, history")
        if task_id is not None:
            spec = cat.get_spec(task_id)
            self._check_phone(spec)
        else:
            spec = self.pool[int(self.np_random.integers(len(self.pool)))]
        world_seed = int(self.np_random.integers(0, 2**31 - 1)) if seed is None else int(seed)
        cache_key = (spec.task_id, world_seed, history)
        if self.world_cache is not None and (warm := self._warm_reset(cache_key)) is not None:
            return warm
        self._close_laptop()
        self._close_phone()
        self.family = cat.family_of(spec)
        self.spec_task = spec
        self.world, self.scenario = build(self.family, spec, world_seed)
        self.phone = self.phone_factory(self.world) if self.phone_factory is not None else None
        self.laptop = self.laptop_factory(self.world)  # no process until the first shell action
        for name, device in (("phone", self.phone), ("laptop", self.laptop)):
            if isinstance(device, Participant):  # snapshots cover the devices (the simulated phone's UI
                self.world.add_participant(name, device)  # state, the laptop's home); a real phone keeps its own
        self.world.configure(faults=self.faults, limits=self.limits)
        self._oracle = list(self.family.oracle(self.world, self.scenario.facts))
        footprint.capture(self.world)  # what the agent found: the verdict diffs the final world against it
        self._steps = 0
        self._done = False
        self._finish_message = None
        self._verdict = None
        self._last_action = None
        self._summaries = {}  # not for correctness (keys name the world): the old world's entries go
        events = self._history_view(history)
        obs = self._observe(
            events, 'New episode. Send {"kind": "api", "call": "help", "args": {}} to list services and endpoints.'
        )
        if self.world_cache is not None:
            self._keep_world(cache_key)
        return obs, self._info(action_ok=True, error=None)

    # ---- the world cache (gym.make(..., world_cache=N)) --------------------------------------
    def _warm_reset(self, key: tuple[str, int, str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Reset by restoring the cached world of ``key``: the cold reset's observation and state."""
        assert self.world_cache is not None
        snap = self.world_cache.get(key)
        if snap is None:
            return None
        rng_state = self.np_random.bit_generator.state  # the env's own draws go on as after a cold reset
        obs = self.restore(snap)
        self.np_random.bit_generator.state = rng_state
        assert obs is not None
        obs["screen"] = obs["screen"].copy()  # the user's array: the cached one stays as it was
        self._last_obs, self._encoded, self._summaries = obs, (None, ""), {}
        return obs, self._info(action_ok=True, error=None)

    def _keep_world(self, key: tuple[str, int, str]) -> None:
        assert self.world_cache is not None and self._last_obs is not None
        obs = dict(self._last_obs, screen=self._last_obs["screen"].copy())  # not the array handed to the user
        self.world_cache.put(key, replace(self.snapshot(), last_obs=obs))

    def step(self, action: Any) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        if self.world is None:
            raise gym.error.ResetNeeded("call reset() before step()")
        if self._done:
            obs = self._observe([], "error: the episode is over; call reset()")
            return obs, 0.0, True, False, self._info(action_ok=False, error="episode is over")
        self._steps += 1
        self._last_action = action
        error: str | None = None
        step_faults(self.world.faults)  # drop faults met outside a step (direct world.call)
        self._arrived = []
        try:
            parsed = act.parse(action)
            result, cost = self._handlers[parsed.kind](parsed)
        except (ActionError, ServiceError) as exc:
            error, result, cost = str(exc), f"error: {exc}", 0
        if cost:
            self._arrived += self._pass(cost, wake=False)
        terminated = self._finish_message is not None or self._deadline_passed()
        truncated = not terminated and self._steps >= self.max_steps
        if truncated and self._always_on():
            # Out of steps: the assistant is off, the world runs on; the verdict is still the deadline's.
            self._arrived += self._pass(self._until_deadline(), wake=False)
            result += f"\nout of steps ({self.max_steps}): the world ran on to the deadline"
        if terminated and self._finish_message is None:
            result += f"\nthe deadline ({clock.fmt_long(self.world.clock.now)}) has come: the episode is over"
        reward = 0.0
        if terminated or truncated:
            self._done = True
            self._verdict = self._judge()
            reward = self._reward(self._verdict)
        arrived = self._arrived
        obs = self._observe(views.arrivals(arrived, observation.LIMITS["events"]), result)
        info = self._info(action_ok=error is None, error=error)
        info.update(step_faults(self.world.faults))  # info["fault"], info["faults"]: any door
        return obs, reward, terminated, truncated, info

    # ---- action kinds ----------------------------------------------------------------------
    def _do_api(self, a: Action) -> tuple[str, int]:
        assert self.world is not None
        call, args = a.fields["call"], a.fields["args"]
        result = self.world.call(call, args, source="api")
        version = self.world.cached_call_version(call)
        key = _encoded_key(self.world.uid, version, call, args) if version is not None else None
        if key is None:
            return _encode_result(result, args), ACTION_COST["api"]
        # A cached endpoint's result is the same while its service's version is: so is its JSON.
        if self._encoded[0] != key:
            self._encoded = (key, _encode_result(result, args))
        return self._encoded[1], ACTION_COST["api"]

    def _do_wait(self, a: Action) -> tuple[str, int]:
        assert self.world is not None
        seconds, wake = int(a.fields["seconds"]), a.fields.get("wake", True)
        if isinstance(wake, list):
            unknown = [w for w in wake if w not in self.world.services]
            if unknown:
                raise ActionError(
                    f"wake: no service {unknown[0]!r} here; services: {', '.join(sorted(self.world.services))}"
                )
            wake = frozenset(wake)
        start = self.world.clock.now
        self._arrived = self._pass(seconds, wake=wake)
        return timing.wait_result(start, self.world.clock.now, seconds, self._arrived, wake), 0

    def _do_finish(self, a: Action) -> tuple[str, int]:
        assert self.world is not None
        if not self._always_on():
            self._finish_message = a.fields.get("message", "")
            return "finished", ACTION_COST["finish"]
        # A proactive task: "nothing more to do for now". The world runs on to the next arrival
        # (control comes back with it) or to the deadline (the episode ends and is judged).
        start = self.world.clock.now
        self._arrived = self._pass(self._until_deadline(), wake=True)
        return timing.finish_result(start, self.world.clock.now, self._arrived), 0

    def _do_shell(self, a: Action) -> tuple[str, int]:
        try:
            timeout = parse_timeout(a.get("timeout"))
        except ValueError as exc:
            raise ActionError(str(exc)) from None
        assert self.laptop is not None
        try:
            return self.laptop.run(a.fields["cmd"], timeout), ACTION_COST["shell"]
        except LaptopError as exc:
            raise ActionError(str(exc)) from None

    def _close_laptop(self) -> None:
        if self.laptop is not None:
            self.laptop.close()
            self.laptop.world = None  # the world lists it as a participant: no cycle, the world goes at once
            self.laptop = None

    def _close_phone(self) -> None:
        if isinstance(self.phone, SimPhone):
            self.phone.close()  # its view tree is a cycle holding the world: break it, the world goes at once
        self.phone = None  # another phone holds no world; its factory makes the next episode's

    # ---- devices -----------------------------------------------------------------------------
    def _simulated_phone(self) -> bool:
        """Whether this env's phone is the simulated one (no phone at all counts: nothing to refuse)."""
        f = self.phone_factory
        return f is None or (isinstance(f, type) and issubclass(f, SimPhone))

    def _check_phone(self, spec: TaskSpec) -> None:
        if not self._simulated_phone() and cat.family_of(spec).needs_sim_phone:
            raise ValueError(
                f"{spec.task_id} needs the simulated phone: its oracle drives the simulated apps and "
                "its checker reads state only they change (Family.needs_sim_phone); make the env "
                "with phone=True to run it, or pick a task that does not use the phone"
            )

    def _do_gui(self, a: Action) -> tuple[str, int]:
        if self.phone is None:
            raise ActionError("this env was made with phone=False: gui actions are not available")
        try:
            return phone_gui.perform(self.phone, a.fields), ACTION_COST["gui"]
        except phone_gui.GuiError as exc:
            raise ActionError(str(exc)) from None

    # ---- time ------------------------------------------------------------------------------
    def _always_on(self) -> bool:
        """A task judged at its deadline (proactive): finish does not end it, the deadline does."""
        assert self.spec_task is not None and self.scenario is not None
        return self.spec_task.kind == "proactive" and self.scenario.deadline is not None

    def _until_deadline(self) -> int:
        assert self.world is not None and self.scenario is not None and self.scenario.deadline is not None
        return max(0, self.scenario.deadline - self.world.clock.now)

    def _pass(self, seconds: int, *, wake: bool | frozenset[str]) -> list[Event]:
        """Let up to ``seconds`` pass, never beyond the deadline; with ``wake``, stop at the first arrival
        (of the named services, when it names some)."""
        assert self.world is not None and self.scenario is not None
        if self.scenario.deadline is not None:
            seconds = min(seconds, self._until_deadline())
        return timing.pass_time(self.world, seconds, wake=wake)

    # ---- judging ---------------------------------------------------------------------------
    def _deadline_passed(self) -> bool:
        assert self.world is not None and self.scenario is not None
        return self.scenario.deadline is not None and self.world.clock.now >= self.scenario.deadline

    def _judge(self) -> Verdict:
        assert self.world is not None and self.scenario is not None and self.family is not None
        grader = Grader()
        self.family.check(self.world, self.scenario.facts, grader)
        footprint.judge(self.world, self.family.footprint, self.scenario.facts, grader.forbid)
        return grader.verdict()

    def _reward(self, verdict: Verdict) -> float:
        if self.reward_mode == "partial":
            return float(verdict.score)
        return 1.0 if verdict.passed else 0.0

    # ---- observation -----------------------------------------------------------------------
    @property
    def max_steps(self) -> int:
        assert self.spec_task is not None
        return self.max_steps_override or self.spec_task.max_steps

    def _history_view(self, mode: str) -> list[str]:
        assert self.world is not None
        return views.initial(self.world, mode, DIGEST_EVENTS, observation.LIMITS["events"])

    def _services_text(self) -> str:
        """Service summaries. Each is recomputed only when its own records change or a new day
        starts (summaries may say "today", never the minute, and read only their own service)."""
        assert self.world is not None
        uid, day = self.world.uid, clock.day_start(self.world.clock.now)
        key = (uid, self.world.version, day)
        cached_key, text = self._services_cache
        if cached_key != key:
            per = self._summaries
            lines = []
            for n, svc in self.world.services.items():
                if n == "events":
                    continue
                skey = (uid, svc.version, day)
                hit = per.get(n)
                if hit is None or hit[0] != skey:
                    hit = per[n] = (skey, svc.summary())
                lines.append(hit[1])
            text = "\n".join(lines)
            self._services_cache = (key, text)
        return text

    def _observe(self, event_lines: list[str], result: str) -> dict[str, Any]:
        assert self.world is not None and self.scenario is not None
        obs = {
            "instruction": observation.bound(self.scenario.instruction or "", observation.LIMITS["instruction"]),
            "time": clock.fmt_long(self.world.clock.now),
            "events": observation.bound_lines_tail(
                event_lines, observation.LIMITS["events"], "use events.search to read more"
            ),
            "services": observation.bound(self._services_text(), observation.LIMITS["services"]),
            "result": observation.bound(result, observation.LIMITS["result"]),
            **self._phone_obs(),
        }
        obs = observation.Observation(obs)  # the phone's frame is drawn when (if) obs["screen"] is read
        self._last_obs = obs
        return obs

    def _phone_obs(self) -> dict[str, Any]:
        if self.phone is None:
            return {"screen": phone_gui.blank(self.screen_size), "ui": "phone disabled (phone=False)"}
        if not self.draw_screen and isinstance(self.phone, SimPhone):
            ui = self.phone.ui_text(phone_gui.UI_LIMIT)  # what phone_gui.observe lists, without the frame
            return {"screen": phone_gui.blank(self.screen_size), "ui": observation.bound(ui, phone_gui.UI_LIMIT)}
        if isinstance(self.phone, SimPhone):  # what phone_gui.observe gives, the frame drawn on first read
            ui = self.phone.ui_text(phone_gui.UI_LIMIT)
            pending = observation.Pending(self.phone.frame_later(self.screen_size))
            return {"screen": pending, "ui": observation.bound(ui, phone_gui.UI_LIMIT)}
        screen, ui = phone_gui.observe(self.phone, self.screen_size)
        return {"screen": screen, "ui": observation.bound(ui, phone_gui.UI_LIMIT)}

    def _info(self, *, action_ok: bool, error: str | None) -> dict[str, Any]:
        assert self.spec_task is not None and self.world is not None and self.scenario is not None
        s = self.spec_task
        info: dict[str, Any] = {
            "task_id": s.task_id,
            "family": s.family,
            "kind": s.kind,
            "difficulty": s.difficulty,
            "split": s.split,
            "services": list(s.services),
            "devices": list(s.devices),
            "instruction": self.scenario.instruction,
            "step": self._steps,
            "time": self.world.clock.now,
            "action_ok": action_ok,
            "error": error,
        }
        if self._verdict is not None:
            info["verdict"] = self._verdict.as_dict()
        return info

    # ---- snapshots (search-based RL, branching evaluation) -----------------------------------
    def snapshot(self) -> EnvSnapshot:
        """An opaque object freezing the episode: world, step counter, done flag, verdict, last obs."""
        if self.world is None:
            raise gym.error.ResetNeeded("call reset() before snapshot()")
        return EnvSnapshot(
            self.world,
            self.world.snapshot(),
            self.spec_task,
            self.family,
            self.scenario,
            self._oracle,
            self._steps,
            self._done,
            self._finish_message,
            self._verdict,
            self._last_obs,
            self.np_random.bit_generator.state,
        )

    def restore(self, snap: EnvSnapshot) -> dict[str, Any] | None:
        """Put the episode back as it was at ``snapshot()``; returns the observation of that moment."""
        if snap.world is not self.world:
            self._close_laptop()
            if isinstance(self.phone, SimPhone) or self.phone is None:  # the simulated devices of the
                self._close_phone()  # snapshot's world come back with it
                phone = snap.world.participants.get("phone")
                if isinstance(phone, SimPhone):
                    phone.attach(snap.world)
                    self.phone = phone
            laptop = snap.world.participants.get("laptop")
            if isinstance(laptop, Laptop):
                laptop.attach(snap.world)
                self.laptop = laptop
        self.world = snap.world
        self.world.restore(snap.world_state)
        (
            self.spec_task,
            self.family,
            self.scenario,
            self._oracle,
            self._steps,
            self._done,
            self._finish_message,
            self._verdict,
        ) = (
            snap.spec_task,
            snap.family,
            snap.scenario,
            snap.oracle,
            snap.steps,
            snap.done,
            snap.finish_message,
            snap.verdict,
        )
        last = snap.last_obs  # a copy that keeps a frame not drawn yet pending (restores stay cheap)
        self._last_obs = None if last is None else observation.Observation(dict.items(last))
        self._last_action = None  # not part of the snapshot: the card shows no action
        self.np_random.bit_generator.state = snap.np_random_state
        return self._last_obs

    # ---- users' helpers ----------------------------------------------------------------------
    def oracle_actions(self) -> list[str]:
        """Action strings that solve the current episode (computed from its initial world at reset)."""
        if self._oracle is None:
            raise gym.error.ResetNeeded("call reset() before oracle_actions()")
        return list(self._oracle)

    @property
    def task(self) -> TaskSpec | None:
        return self.spec_task

    @property
    def done(self) -> bool:
        """Whether the episode has ended (a further step only says so; call reset())."""
        return self._done

    @property
    def last_obs(self) -> dict[str, Any] | None:
        """The latest observation returned (by reset, step or restore); None before the first reset."""
        return self._last_obs

    @property
    def verdict(self) -> Verdict | None:
        return self._verdict

    def render(self) -> Any:
        """``rgb_array``: the phone screen when the task uses the phone, else a text card of the last
        observation (an API-only task's phone never leaves its home screen; phone=False has none)."""
        if self.render_mode == "rgb_array" and self._last_obs is not None:
            if self.phone is not None and self.spec_task is not None and "phone" in self.spec_task.devices:
                return self._last_obs["screen"]
            return textcard.text_card(self._last_obs, self.screen_size, textcard.caption(self._last_action))
        if self.render_mode == "ansi" and self._last_obs is not None:
            return "\n".join(f"== {k} ==\n{v}" for k, v in self._last_obs.items() if k != "screen" and v)
        return None

    def close(self) -> None:
        self._close_laptop()
        self._close_phone()
        self.world = None


@dataclass(frozen=True)
class EnvSnapshot:
    """Returned by :meth:`ClawEnv.snapshot`; treat as opaque. Reusable: restore it any number of times."""

    world: World
    world_state: WorldSnapshot
    spec_task: TaskSpec | None
    family: Family | None
    scenario: Scenario | None
    oracle: list[str] | None
    steps: int
    done: bool
    finish_message: str | None
    verdict: Verdict | None
    last_obs: dict[str, Any] | None  # text fields and the screen array
    np_random_state: Mapping[str, Any]  # numpy's bit-generator state, as its property gives it


_HASHABLE = (str, int, float, bool, type(None))


def _encoded_key(uid: int, version: int, call: str, args: dict[str, Any]) -> tuple[Any, ...] | None:
    """The key of a cached endpoint's JSON: world, service version, call and arguments (with their
    types: 1, 1.0 and True differ); None when an argument is a list or a dict (not kept)."""
    if not all(type(v) in _HASHABLE for v in args.values()):
        return None
    return (uid, version, call) + tuple((k, type(v), v) for k, v in args.items())


def _phone_factory(phone: bool | PhoneFactory) -> PhoneFactory | None:
    """``phone=True`` is the simulated phone, ``False`` none; anything else already is a factory."""
    if phone is True:
        return SimPhone
    return None if phone is False else phone


def act_space() -> gym.spaces.Text:
    from .spaces import UnicodeText

    return UnicodeText(act.MAX_ACTION_CHARS, min_length=1)


__all__ = ["ClawEnv", "ACTION_COST", "Event"]
