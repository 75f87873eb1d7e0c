"""The benchmark suite and the soak must not rot: run them in quick mode (figures printed, never asserted)."""

from __future__ import annotations

import json
import math

import pytest

from claw_gym import bench
from claw_gym.bench import __main__ as bench_main
from claw_gym.bench.core import Config
from claw_gym.bench.soak import soak


@pytest.mark.slow  # 80 s: the default suite stays under 15 minutes; CI runs it with -m slow
def test_quick_bench_runs_every_area_and_prints_json(capsys):
    assert bench_main.main(["--quick", "--repeats", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["rows"]
    assert {r["area"] for r in rows} >= {"rl", "reset", "step", "history", "snapshot", "memory", "vector", "soak"}
    rl = " | ".join(r["name"] + " / " + r["baseline"] for r in rows if r["area"] == "rl")
    for part in (
        "cold reset",
        "warm reset",
        "memory per cached world",
        "raw step",
        "wrapped step",
        "the env's step within it",
        "screen=False",
        "wrapped steps/s incl. resets",
        "import claw_gym",
        "MaskablePPO",
        "2 workers / 1",
        "bare env",
        "CartPole-v1",
    ):
        assert part in rl, part  # the RL path's table (issue 17), one run
    for r in rows:
        if r["value"] is not None:
            assert math.isfinite(r["value"]["median"]) and r["value"]["iqr"] >= 0, r
        else:
            assert r["note"], r  # an n/a row says why
    md = bench.markdown([bench.Row("step", "x", None, "us", note="none")], bench.machine())
    assert md.count("|") > 10 and "n/a" in md


def test_quick_table_and_markdown_render(capsys):
    rows = bench.run(Config(quick=True, repeats=2), only=["snapshot", "reset"])
    text = bench.table(rows)
    assert "snapshot" in text and "reset" in text
    assert bench_main.main(["--quick", "--repeats", "2", "--only", "snapshot", "--markdown"]) == 0
    assert "| measure |" in capsys.readouterr().out


def test_import_row_reads_the_childs_cpu_clock_when_asked():
    from claw_gym.bench.rl import import_seconds

    cpu = import_seconds(Config(quick=True, repeats=2, clock="cpu"))
    wall = import_seconds(Config(quick=True, repeats=2))
    # both are seconds of one fresh import (never asserted against a target: speed lives in the bench)
    assert 0 < cpu.median < 60 and 0 < wall.median < 60


@pytest.mark.slow
def test_soak_10000_episodes_memory_fds_children_flat():
    f = soak(10_000, warmup=300)
    print(
        f"soak: RSS {f['rss_start']:.1f} -> {f['rss_mid']:.1f} -> {f['rss_end']:.1f} MB, "
        f"blocks {f['blocks_start']} -> {f['blocks_mid']} -> {f['blocks_end']}, "
        f"fds {f['fds_start']} -> {f['fds_end']}, children {f['children_start']} -> {f['children_end']}"
    )
    assert f["blocks_end"] - f["blocks_start"] < 0.01 * f["blocks_start"]  # Python objects: the leak signal
    # RSS also moves with heap fragmentation, which settles; a leak grows both halves alike. 5,000
    # episodes leaking 1 KiB each would add 5 MB to the second half.
    assert f["rss_end"] - f["rss_mid"] < 5.0
    assert f["rss_end"] - f["rss_start"] < 12.0
    assert f["fds_end"] <= f["fds_start"] and f["children_end"] <= f["children_start"]
