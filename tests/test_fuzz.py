"""Action fuzzing (issue 11): garbage in, error observations out, nothing else.

Hypothesis generates well over 10,000 actions per default run, over every action kind
and every family: raw garbage text and bytes, malformed JSON, wrong field types, huge
and deeply nested values, control characters and lone surrogates, unknown endpoints,
ids of records that do not exist, well-formed calls with random arguments. After every
step: ``step`` did not raise, the observation is in the observation space, an action
reported as an error left the world's state hash unchanged and did not end the
episode, and no error is an internal one. Derandomized (fixed seed, no example
database) so a run is reproducible and CI is stable.
"""

from __future__ import annotations

import json
import string
from typing import Any

import gymnasium as gym
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import claw_gym
from claw_gym.actions import KINDS
from claw_gym.tasks import families

ACTIONS_PER_EXAMPLE = 40
EXAMPLES = {"text": 70, "shape": 60, "api": 100, "extreme": 30}  # x 40 actions = 10,400 per run
# Generation dominates the run time (stepping is ~0.1 ms): no explicit/reuse/target phases,
# flat strategies (no st.recursive), and shrinking only when something fails.
FUZZ_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
TASKS = [claw_gym.catalog(family=f)[0].task_id for f in families()]
_ENVS: dict[str, Any] = {}
COUNT = {"actions": 0, "errors": 0}


def _env(task_id: str) -> Any:
    if task_id not in _ENVS:
        _ENVS[task_id] = gym.make(f"ClawAnything/{task_id}-v0", max_steps=10**6).unwrapped
    return _ENVS[task_id]


# ---- strategies ------------------------------------------------------------------------------
_any_char = st.characters(codec=None, categories=None)  # every code point, surrogates and controls included
_nasty_text = st.one_of(
    st.text(max_size=30),
    st.text(_any_char, max_size=30),
    st.text(st.sampled_from('\x00\x01\x1b\x7f\u200b\u202e\ud800\udfff\ufeff\n\r\t"\\{}[]'), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "../../etc/passwd",
            "~/",
            "/",
            "m0001",
            "w0001",
            "n0001",
            "ev00001",
            "null",
            "2026-03-02 10:00",
            "2026-02-30",
            "9999-99-99 99:99",
            "inbox",
            "sent",
            "*",
            "%s%n",
        ]
    ),
)
_json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _nasty_text,
)
_json_value = st.one_of(
    _json_leaf,
    st.lists(_json_leaf, max_size=3),
    st.dictionaries(_nasty_text, st.one_of(_json_leaf, st.lists(_json_leaf, max_size=2)), max_size=3),
)


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


@st.composite
def text_actions(draw: st.DrawFn) -> Any:
    """Not a valid action document: garbage, truncated JSON, wrong top-level types, bytes."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(st.text(_any_char, max_size=80))
    if choice == 1:
        doc = _dump({"kind": draw(st.sampled_from(KINDS)), "call": "mail.list", "args": {}})
        return doc[: draw(st.integers(0, len(doc) - 1))]
    if choice == 2:
        return _dump(draw(_json_value))
    if choice == 3:
        return draw(st.binary(max_size=60))
    if choice == 4:
        return draw(st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=3), st.floats()))
    return draw(st.text(st.sampled_from(string.printable), max_size=80))


@st.composite
def shape_actions(draw: st.DrawFn) -> Any:
    """JSON objects with a known or unknown kind and random fields of random types."""
    kind = draw(st.one_of(st.sampled_from(KINDS), _json_value))
    fields = {"kind": kind}
    for name in draw(
        st.lists(
            st.sampled_from(
                [
                    "call",
                    "args",
                    "cmd",
                    "timeout",
                    "op",
                    "x",
                    "y",
                    "x2",
                    "y2",
                    "element",
                    "text",
                    "key",
                    "duration_ms",
                    "seconds",
                    "message",
                    "bogus",
                ]
            ),
            max_size=4,
            unique=True,
        )
    ):
        fields[name] = draw(_json_value)
    if kind == "gui" and draw(st.booleans()):
        fields.update(
            op=draw(st.sampled_from(["tap", "long_press", "swipe", "type", "key", "pinch"])),
            x=draw(st.integers(-(10**6), 10**6)),
            y=draw(st.integers(-(10**6), 10**6)),
        )
    if kind == "shell" and draw(st.booleans()):
        fields.update(cmd=draw(st.sampled_from([":(){ :|:& };:", "yes", "sleep 1000", "cat /dev/zero", "ls"])))
    if kind == "wait" and draw(st.booleans()):
        fields["seconds"] = draw(st.one_of(st.integers(-10, 10**7), st.floats(), st.booleans()))
    return _dump(fields) if draw(st.booleans()) else fields


def _arg_value(draw: st.DrawFn, param: Any, ids: list[str]) -> Any:
    """A value for one endpoint parameter: usually of the declared type, sometimes not."""
    if draw(st.integers(0, 5)) == 0:
        return draw(_json_value)
    t = param.type_name()
    if param.name == "id" or param.name.endswith("_id"):
        return draw(
            st.one_of(st.sampled_from(ids or ["x1"]), st.sampled_from(["m9999", "zz0001", "", "ev99999"]), _nasty_text)
        )
    if t == "integer":
        return draw(st.one_of(st.integers(-5, 300), st.integers()))
    if t == "number":
        return draw(st.one_of(st.floats(-1e6, 1e6), st.integers(-(10**6), 10**6)))
    if t == "boolean":
        return draw(st.booleans())
    if t.startswith("list"):
        return draw(
            st.lists(st.one_of(_nasty_text, st.sampled_from(["ana@example.org", "me@example.org"])), max_size=3)
        )
    if t == "object":
        return draw(st.dictionaries(_nasty_text, _json_leaf, max_size=3))
    return draw(
        st.one_of(
            _nasty_text,
            st.sampled_from(
                ["2026-03-02", "2026-03-02 10:00", "2026-01-20 14:30", "Documents/a.txt", "inbox", "general"]
            ),
        )
    )


@st.composite
def api_actions(draw: st.DrawFn, endpoints: list[Any], ids: list[str]) -> Any:
    """Well-formed API calls (known and unknown endpoints) with random arguments."""
    if draw(st.integers(0, 9)) == 0:
        call = draw(
            st.one_of(st.sampled_from(["help", "fax.send", "mail.", ".list", "mail.list.x", "", "mail"]), _nasty_text)
        )
        return _dump({"kind": "api", "call": call, "args": draw(st.dictionaries(_nasty_text, _json_leaf, max_size=2))})
    ep = draw(st.sampled_from(endpoints))
    args = {}
    for p in ep.params:
        # sometimes leave a required one out
        if (p.required or draw(st.booleans())) and not (p.required and draw(st.integers(0, 12)) == 0):
            args[p.name] = _arg_value(draw, p, ids)
    if draw(st.integers(0, 12)) == 0:
        args[draw(_nasty_text)] = draw(_json_leaf)
    return _dump({"kind": "api", "call": ep.qualname, "args": args})


@st.composite
def extreme_actions(draw: st.DrawFn, endpoints: list[Any]) -> Any:
    """Huge, deep and odd values: megabyte strings, 10,000-deep nesting, giant numbers."""
    ep = draw(st.sampled_from(endpoints))
    name = ep.params[0].name if ep.params else "x"
    size = draw(st.sampled_from([10_000, 70_000, 1_000_000]))
    depth = draw(st.sampled_from([50, 900, 5_000, 20_000]))
    choice = draw(st.integers(0, 7))
    if choice == 0:
        return _dump({"kind": "api", "call": ep.qualname, "args": {name: "x" * size}})
    if choice == 1:
        return f'{{"kind": "api", "call": "{ep.qualname}", "args": {{"{name}": {"[" * depth}{"]" * depth}}}}}'
    if choice == 2:
        deep: Any = "leaf"
        for _ in range(depth):
            deep = [deep]
        return {"kind": "api", "call": ep.qualname, "args": {name: deep}}  # programmatic agents pass dicts
    if choice == 3:
        return _dump({"kind": "api", "call": ep.qualname, "args": {name: 10 ** draw(st.integers(20, 4000))}})
    if choice == 4:
        return '{"kind": "wait", "seconds": 1e999}' if draw(st.booleans()) else '{"kind": "api", "call": "x", "a": NaN}'
    if choice == 5:
        return _dump(
            {
                "kind": "api",
                "call": ep.qualname,
                "args": {f"k{i}": i for i in range(draw(st.sampled_from([100, 5000])))},
            }
        )
    if choice == 6:  # programmatic agents can send keys JSON cannot: ints, None, tuples, mixed
        key = draw(st.one_of(st.integers(), st.none(), st.tuples(st.integers()), st.booleans()))
        return (
            {"kind": "api", "call": ep.qualname, "args": {key: draw(_json_leaf), name: draw(_json_leaf)}, key: 1}
            if draw(st.booleans())
            else {"kind": "api", "call": ep.qualname, "args": {key: 1, "a": 2}}
        )
    return _dump(
        {
            "kind": draw(st.sampled_from(["gui", "shell", "finish"])),
            draw(st.sampled_from(["text", "cmd", "message"])): "\x00\ud800" * (size // 2),
        }
    )


# ---- the invariants --------------------------------------------------------------------------
def _run(env: Any, actions: list[Any]) -> None:
    world = env.world
    h = world.state_hash()
    for action in actions:
        if env.done:
            env.reset(seed=0)
            world, h = env.world, env.world.state_hash()
        obs, reward, terminated, truncated, info = env.step(action)  # must not raise
        COUNT["actions"] += 1
        assert env.observation_space.contains(obs), (action, {k: v[:100] for k, v in obs.items()})
        after = world.state_hash()
        if not info["action_ok"]:
            COUNT["errors"] += 1
            assert obs["result"].startswith("error: "), obs["result"][:200]
            assert after == h, f"refused action changed the world: {str(action)[:300]} -> {info['error'][:200]}"
            assert not (terminated or truncated) and reward == 0.0, str(action)[:200]
            assert "Traceback" not in obs["result"]
        h = after


def _endpoints(env: Any) -> list[Any]:
    return [ep for svc in env.world.services.values() for ep in svc.endpoints.values()]


def _ids(env: Any) -> list[str]:
    return sorted(rid for svc in env.world.services.values() for t in svc.tables.values() for rid in t.rows)


def _fuzz_group(group: str, actions_for: Any) -> None:
    """Run EXAMPLES[group] examples of ACTIONS_PER_EXAMPLE actions drawn from ``actions_for(env)``."""

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES[group])
    @given(st.sampled_from(TASKS), st.integers(0, 3), st.data())
    def fuzz(task: str, seed: int, data: st.DataObject) -> None:
        env = _env(task)
        env.reset(seed=seed)
        _run(env, data.draw(st.lists(actions_for(env), min_size=ACTIONS_PER_EXAMPLE, max_size=ACTIONS_PER_EXAMPLE)))

    before = COUNT["actions"]
    fuzz()
    assert COUNT["actions"] - before >= EXAMPLES[group] * ACTIONS_PER_EXAMPLE


def test_fuzz_text_actions():
    _fuzz_group("text", lambda env: text_actions())


def test_fuzz_shape_actions():
    _fuzz_group("shape", lambda env: shape_actions())


def test_fuzz_api_calls():
    _fuzz_group("api", lambda env: api_actions(_endpoints(env), _ids(env)))
    assert COUNT["errors"] < COUNT["actions"]  # some calls must have succeeded, or the test proves little


def test_fuzz_extreme_values():
    _fuzz_group("extreme", lambda env: extreme_actions(_endpoints(env)))


@pytest.mark.parametrize("faults", [{"rate": 0.3}])
def test_fuzz_under_faults_keeps_the_same_invariants(faults):
    """A short run with injected faults: a fault is one more error that must change nothing."""
    env = gym.make(f"ClawAnything/{TASKS[0]}-v0", max_steps=10**6, faults=faults).unwrapped

    @settings(FUZZ_SETTINGS, max_examples=10)
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        env.reset(seed=1)
        actions = data.draw(
            st.lists(
                api_actions(_endpoints(env), _ids(env)), min_size=ACTIONS_PER_EXAMPLE, max_size=ACTIONS_PER_EXAMPLE
            )
        )
        _run(env, actions)

    fuzz()
