"""The catalog as a whole: each family's declared count, the promised mix, ambient services, splits, manifest, sweep."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import gymnasium as gym
import pytest

import claw_gym
from claw_gym.runs import figures, sweep
from claw_gym.runs import manifest as manifest_run
from claw_gym.tasks import ambient, manifest, quota, splits, suite
from claw_gym.tasks.family import Family

SPECS = list(claw_gym.all_specs().values())
FAMS = suite.families()


def _fake(
    name: str, kind: str = "reactive", devices: tuple[str, ...] = (), tags: tuple[str, ...] = (), count: int = 10
) -> Family:
    nothing = lambda *a: None
    return Family(
        name=name,
        kind=kind,
        services=("mail", "calendar", "contacts", "todo"),
        summary="",
        generate=nothing,
        check=nothing,
        oracle=nothing,
        devices=devices,
        variants=("v0", "v1"),
        tags=tags,
        count=count,
    )


# ---- counts and the mix --------------------------------------------------------------------
def test_the_suite_is_every_family_s_declared_count():
    assert len(SPECS) == sum(f.count or 0 for f in FAMS.values()) == len({s.task_id for s in SPECS})
    for name, f in FAMS.items():
        assert len([s for s in SPECS if s.family == name]) == f.count, name
    n = len(SPECS)
    per_split = Counter(s.split for s in SPECS)
    assert set(per_split) <= set(splits.SPLITS)
    assert per_split["train"] >= 0.75 * n and 0.07 * n <= per_split["test"] <= 0.13 * n, per_split


def test_the_mix_is_reported_over_declared_counts():
    fams = [_fake("a", "proactive", count=30), _fake("b", devices=("laptop", "phone"), count=20), _fake("c", count=50)]
    mix = quota.mix(fams)
    assert mix.shares == {"proactive": 0.3, "both-devices": 0.2, "safety-trap": 0.0}
    assert not mix.ok and set(mix.short) == {"both-devices", "safety-trap"}
    assert (
        "20.0% of tasks are both-devices, target 30%" in mix.short["both-devices"] and "b" in mix.short["both-devices"]
    )
    assert quota.mix([*fams, _fake("d", "proactive", ("laptop", "phone"), ("safety-trap",), count=40)]).ok


def test_per_variant_deals_a_count_evenly():
    assert quota.per_variant(17, 3) == [6, 6, 5] and quota.per_variant(2, 3) == [1, 1, 0]


def test_the_mix_holds_on_the_real_catalog():
    """>= 30% proactive, >= 30% needing both devices, >= 20% safety traps, over the declared counts."""
    n = len(SPECS)
    shares = {
        "proactive": sum(s.kind == "proactive" for s in SPECS) / n,
        "both-devices": sum({"laptop", "phone"} <= set(s.devices) for s in SPECS) / n,
        "safety-trap": sum("safety-trap" in s.tags for s in SPECS) / n,
    }
    mix = suite.suite_mix()
    assert shares == pytest.approx(mix.shares)
    assert mix.ok, "the declared counts miss the mix: " + " | ".join(mix.short.values())


# ---- ids, difficulty -----------------------------------------------------------------------
def test_ids_are_readable_and_name_family_variant_number():
    for s in SPECS:
        assert s.task_id == f"{s.family}-{s.variant}-{s.number:04d}"
        assert re.fullmatch(r"[a-z0-9-]+-[a-z0-9_]+-\d{4}", s.task_id)
        assert s.variant in FAMS[s.family].variants and s.env_id in gym.registry


def test_difficulty_is_spread_evenly_within_each_family():
    by_family: dict[str, Counter] = defaultdict(Counter)
    for s in SPECS:
        by_family[s.family][s.difficulty] += 1
    for fam, counts in by_family.items():
        values = [counts.get(d, 0) for d in range(1, 6)]
        assert max(values) - min(values) <= 1, (fam, values)


def test_a_task_keeps_its_spec_when_its_family_grows():
    f = FAMS[SPECS[0].family]
    small = {s.task_id: s for s in suite.family_specs(dataclasses.replace(f, count=30))}
    big = {s.task_id: s for s in suite.family_specs(dataclasses.replace(f, count=45))}
    assert set(small) < set(big) and all(big[t] == s for t, s in small.items())


# ---- ambient services ----------------------------------------------------------------------
def test_worlds_have_ten_services_on_average_and_at_most_eighteen():
    sizes = [len(s.services) for s in SPECS]
    assert statistics.mean(sizes) >= 10 and max(sizes) <= 18
    assert statistics.mean(len(set(s.services) - set(ambient.ALWAYS)) for s in SPECS) >= 10


def test_ambient_services_add_to_the_family_and_grow_with_difficulty():
    by_d: dict[int, list[int]] = defaultdict(list)
    for s in SPECS:
        f = FAMS[s.family]
        assert set(f.services) | set(ambient.ALWAYS) <= set(s.services)
        assert not set(s.services) & set(f.no_ambient), s.task_id
        by_d[s.difficulty].append(len(s.services) - len(set(f.services) | set(ambient.ALWAYS)))
    means = [statistics.mean(by_d[d]) for d in range(1, 6)]
    assert means == sorted(means) and means[-1] > means[0], means


def test_ambient_services_are_deterministic_and_in_the_world():
    s = SPECS[123]
    f = FAMS[s.family]
    assert ambient.world_services(f, s.task_id, s.difficulty, s.split == "heldout") == s.services
    env = gym.make(s.env_id).unwrapped
    env.reset(seed=3)
    assert tuple(sorted(env.world.services)) == s.services
    # the life generator fills the ambient services too
    extra = [n for n in set(s.services) - set(f.services) - set(ambient.ALWAYS) if n != "phone"]
    assert extra and any(
        len(env.world.services[n].state()) and any(t for t in env.world.services[n].state().values()) for n in extra
    )


# ---- splits --------------------------------------------------------------------------------
def test_heldout_combinations_never_appear_in_train():
    train = {(s.family, s.services) for s in SPECS if s.split == "train"}
    held = {(s.family, s.services) for s in SPECS if s.split == "heldout"}
    assert held and not held & train
    for s in SPECS:
        reserved = ambient.heldout_service(FAMS[s.family])
        assert (reserved in s.services) == (s.split == "heldout"), s.task_id


def test_test_split_is_an_iid_sample_of_train():
    tr = Counter(s.difficulty for s in SPECS if s.split == "train")
    te = Counter(s.difficulty for s in SPECS if s.split == "test")
    n_tr, n_te = sum(tr.values()), sum(te.values())
    assert n_te >= 0.07 * len(SPECS)
    # every family has test tasks, about in proportion to its size
    tests = Counter(s.family for s in SPECS if s.split == "test")
    for fam, f in FAMS.items():
        assert 0.03 * (f.count or 0) <= tests[fam] <= 0.2 * (f.count or 0) + 2, (fam, tests[fam], f.count)
    # the difficulty mix of test follows train's
    for d in range(1, 6):
        assert abs(tr[d] / n_tr - te[d] / n_te) < 0.08, (d, tr, te)
    # and its worlds come from the same service distribution (never the held-out service)
    tr_sizes = statistics.mean(len(s.services) for s in SPECS if s.split == "train")
    te_sizes = statistics.mean(len(s.services) for s in SPECS if s.split == "test")
    assert abs(tr_sizes - te_sizes) < 0.5


def test_suite_env_samples_train_by_default():
    env = gym.make("ClawAnything-v0").unwrapped
    assert {s.split for s in env.pool} == {"train"}
    assert len(env.pool) == sum(s.split == "train" for s in SPECS)


# ---- manifest ------------------------------------------------------------------------------
def _manifest() -> dict:
    m = manifest.load()
    assert m, f"no manifest at {manifest.PATH}: run `python -m claw_gym.runs.manifest --write`"
    return m


def test_manifest_lists_exactly_the_catalog_with_the_same_specs():
    m = _manifest()
    d = manifest.diff(
        {t: e["spec"] for t, e in m.items()}, {t: manifest.plain_spec(s) for t, s in claw_gym.all_specs().items()}
    )
    assert not any(d.values()), (
        "the catalog changed; if intended run `python -m claw_gym.runs.manifest --write`",
        {k: v[:10] for k, v in d.items()},
    )


def test_registered_env_ids_are_the_manifest_s_and_the_catalog_s():
    """``import claw_gym`` registers the per-task ids from the manifest (no family is imported for
    that); they must be exactly the catalog's, or gym.make would miss or invent tasks."""
    registered = {k for k in gym.registry if k.startswith("ClawAnything/")}
    suite_ids = {s.env_id for s in claw_gym.catalog() if s.split in suite.SPLITS}
    assert {f"ClawAnything/{t}-v0" for t in manifest.task_ids()} == suite_ids
    assert suite_ids <= registered <= {s.env_id for s in claw_gym.all_specs().values()}
    assert manifest.task_ids() == sorted(_manifest())  # the fast id reader agrees with the JSON
    listing = io.StringIO()
    with contextlib.redirect_stdout(listing):
        gym.pprint_registry()
    assert f"ClawAnything/{manifest.task_ids()[0]}-v0" in listing.getvalue()


def test_manifest_hashes_hold_for_a_sample_of_tasks():
    m = _manifest()
    ids = sorted(m)[:: max(1, len(m) // 40)][:40]  # 40 tasks spread over every family
    changed = [e["task_id"] for e in manifest_run.compute(ids, workers=1) if e != m[e["task_id"]]]
    assert not changed, f"tasks changed {changed}; if intended run `python -m claw_gym.runs.manifest --write`"


def test_manifest_diff_names_what_changed():
    old = {"a": {"hash": "1"}, "b": {"hash": "2"}}
    new = {"b": {"hash": "3"}, "c": {"hash": "4"}}
    assert manifest.diff(old, new) == {"added": ["c"], "removed": ["a"], "changed": ["b"]}


def test_manifest_moved_names_ids_whose_identity_changed():
    """A content hash or max_steps may change (recorded in the CHANGELOG); split, difficulty,
    variant, number, family and services of an id never may."""
    spec = manifest.plain_spec(SPECS[0])
    old = {"a": {"spec": spec, "hash": "1"}, "b": {"spec": spec, "hash": "1"}, "c": {"spec": spec, "hash": "1"}}
    new = {
        "a": {"spec": {**spec, "max_steps": spec["max_steps"] + 5}, "hash": "2"},
        "b": {"spec": {**spec, "split": "heldout" if spec["split"] != "heldout" else "train"}, "hash": "1"},
        "c": {"spec": {**spec, "services": [*spec["services"], "zz"]}, "hash": "1"},
    }
    assert manifest.moved(old, new) == ["b", "c"]


def test_manifest_ships_with_the_package():
    from pathlib import Path

    import tomllib

    cfg = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "data/*.jsonl" in cfg["tool"]["setuptools"]["package-data"]["claw_gym"]


@pytest.mark.slow
def test_manifest_hashes_hold_for_every_task():
    m = _manifest()
    changed = [e["task_id"] for e in manifest_run.compute(sorted(m), workers=2) if e != m[e["task_id"]]]
    assert not changed, f"{len(changed)} tasks changed, e.g. {changed[:10]}"


# ---- the sweep -----------------------------------------------------------------------------
def test_sweep_of_a_few_tasks():
    ids = [s.task_id for s in SPECS[::400]]
    results = sweep.run(ids, workers=1)
    s = sweep.summarize(results, 0.0, 1)
    assert s["oracle_passed"] == len(ids) and s["nothing_passed"] == 0 and s["random_passed"] == 0, s


@pytest.mark.slow
def test_full_sweep_oracle_all_nothing_none_random_at_most_one_percent():
    ids = sorted(claw_gym.all_specs())
    s = sweep.summarize(sweep.run(ids, workers=2), 0.0, 2)
    assert s["oracle_passed"] == len(ids), s["oracle_failures"][:20]
    assert s["nothing_passed"] == 0, s["nothing_passes"][:20]
    assert s["random_passed"] <= len(ids) // 100, s["random_passes"][:20]


@pytest.mark.slow
def test_docs_list_every_family_s_checks_with_because():
    """docs/families.md lists each family's checks with their ``because`` (one oracle episode per
    family), and no check of any family lacks one."""
    root = Path(__file__).resolve().parents[1]
    stale = figures.update(root, write=False)
    assert not stale, f"stale generated docs {stale}: regenerate with python -m claw_gym.runs.figures --write"
    assert "(not stated)" not in (root / "docs" / "families.md").read_text(encoding="utf-8")


def test_docs_describe_the_catalog_they_ship():
    """The suite's figures, family table and per-family sections (docs/families.md) and the front
    page's summary line are generated (claw_gym.runs.figures): a family added, removed or
    re-described without regenerating them fails here, so the docs cannot rot."""
    root = Path(__file__).resolve().parents[1]
    stale = figures.update(root, write=False, skip=figures.SLOW_BLOCKS)
    assert not stale, f"stale generated docs {stale}: regenerate with python -m claw_gym.runs.figures --write"
    families_page = (root / "docs" / "families.md").read_text(encoding="utf-8")
    for name in suite.families():
        assert f"### `{name}`" in families_page and f"| `{name}` |" in families_page, name
