"""``--backend ray``: the same bytes as ``--workers 1``, dying workers retried once then reported,
bad input as one line (exit 2). Needs ``ray`` (the ``[ray]`` extra); skipped without it.

The commands run as a user runs them (subprocesses). Every test that starts Ray is slow (Ray's
start-up alone takes 10-25 s here): one lets eval start and stop its own local Ray of 2 CPUs; the
others share a local Ray of 2 CPUs started here, which the commands join with ``--address`` as
they would join a cluster.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import claw_gym
from claw_gym.cli import main, ray_backend
from claw_gym.cli.runner import Backend

ray = pytest.importorskip("ray")

TESTS = Path(__file__).parent
FAMILY = "address-update"
SMALL = ["--family", FAMILY, "--limit", "2"]
TASKS = [s.task_id for s in claw_gym.catalog(family=FAMILY)][:2]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {}), "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "claw_gym.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A local Ray of 2 CPUs started in this process; the commands join it with --address, as they
    join a cluster. Its workers see a marker directory (for cli_agents.DiesOnceOnSeed1)."""
    markers = tmp_path_factory.mktemp("markers")
    old = os.environ.get("CLAW_TEST_MARKERS")
    os.environ["CLAW_TEST_MARKERS"] = str(markers)  # the raylet, and so every worker, inherits it
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address, markers
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("CLAW_TEST_MARKERS")
        else:
            os.environ["CLAW_TEST_MARKERS"] = old


def ok(*args: str) -> subprocess.CompletedProcess:
    r = cli(*args)
    assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    return r


# ---- the same bytes --------------------------------------------------------------------------
@pytest.mark.slow  # 34 s here (Ray's start-up and shutdown on a loaded 2-core machine): over the 30 s budget
def test_eval_with_its_own_local_ray_matches_workers_1():
    args = ["eval", "--agent", "cli_agents:EvenSeedOracle", *SMALL, "--episodes", "3", "--json"]
    local = ok(*args)
    on_ray = ok(*args, "--backend", "ray", "--workers", "2")
    assert on_ray.stdout == local.stdout
    assert json.loads(on_ray.stdout)["overall"]["passes"] == 4  # seeds 0 and 2 of each task


@pytest.mark.slow
def test_export_and_oracle_on_ray_match_workers_1(cluster, tmp_path):
    address = ["--backend", "ray", "--address", cluster[0]]
    a, b = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    ok("export", *SMALL, "--episodes", "2", "--all", "--out", str(a))
    ok("export", *SMALL, "--episodes", "2", "--all", "--out", str(b), *address)
    assert a.read_bytes() == b.read_bytes() and len(a.read_bytes().splitlines()) == 4
    local = ok("export", *SMALL, "--episodes", "2", "--out", "-").stdout
    assert ok("export", *SMALL, "--episodes", "2", "--out", "-", *address).stdout == local
    local = ok("oracle", "--all", *SMALL, "--episodes", "2", "--json").stdout
    assert ok("oracle", "--all", *SMALL, "--episodes", "2", "--json", *address).stdout == local


@pytest.mark.slow
def test_results_come_back_in_job_order_and_the_bar_counts_every_episode(cluster, monkeypatch):
    counted: list[int] = []

    class Bar:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n: int) -> None:
            counted.append(n)

    monkeypatch.setattr(ray_backend, "progress_bar", lambda total, desc: Bar())
    jobs = [(f"t{i // 3}", i, "{}") for i in range(12)]  # 4 groups of 3 (one per task)
    out = list(ray_backend.run_jobs(repr, jobs, "test", key=lambda j: j[0], lost=None, address=None, workers=None))
    assert out == [repr(j) for j in jobs]
    assert sorted(counted) == [3, 3, 3, 3]


def test_groups_are_runs_of_one_task():
    jobs = [("a", 0), ("a", 1), ("b", 0), ("a", 2)]
    assert ray_backend.groups_of(jobs, key=lambda j: j[0]) == [[0, 1], [2], [3]]


# ---- dying workers ---------------------------------------------------------------------------
@pytest.mark.slow
def test_a_worker_that_dies_twice_is_reported_and_the_run_goes_on(cluster, tmp_path):
    address = ["--backend", "ray", "--address", cluster[0]]
    r = ok("eval", "--agent", "cli_agents:DiesOnSeed1", *SMALL, "--episodes", "2", "--json", *address)
    report = json.loads(r.stdout)  # Ray's own "a worker died" lines went to stderr, not into the report
    crashes_text = json.dumps(report["crashes"])[:3000]
    assert report["overall"]["episodes"] == 4 and report["overall"]["passes"] == 2, crashes_text  # seed 0 passes
    crashes = {(c["task_id"], c["seed"]): c["error"] for c in report["crashes"]}
    assert set(crashes) == {(t, 1) for t in TASKS}
    assert all("worker died twice" in why for why in crashes.values())
    r = ok(
        "export",
        *SMALL,
        "--episodes",
        "2",
        "--policy",
        "cli_agents:DiesOnSeed1",
        "--out",
        str(tmp_path / "x.jsonl"),
        "--json",
        *address,
    )
    summary = json.loads(r.stdout)
    assert summary["written"] == 2 and len(summary["lost"]) == 2
    assert all(f"{t} seed 1: the worker died twice" in r.stderr for t in TASKS)


@pytest.mark.slow
def test_a_worker_that_dies_once_is_retried_to_the_same_report(cluster):
    address, markers = cluster
    args = ["eval", *SMALL, "--episodes", "2", "--json", "--backend", "ray", "--address", address]
    report = json.loads(ok(*args, "--agent", "cli_agents:DiesOnceOnSeed1").stdout)
    assert sorted(p.name for p in markers.iterdir()) == sorted(f"ClawAnything_{t}-v0-1" for t in TASKS)
    expected = json.loads(ok(*args, "--agent", "oracle").stdout)
    assert report["crashes"] == [] and report["overall"] == expected["overall"]


# ---- bad input -------------------------------------------------------------------------------
def test_unreachable_address_is_one_line_and_exit_2():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    r = cli("eval", "--agent", "oracle", *SMALL, "--backend", "ray", "--address", f"127.0.0.1:{port}")
    assert r.returncode == 2 and time.monotonic() - t0 < 30
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert f"cannot reach a Ray cluster at 127.0.0.1:{port}" in r.stderr


@pytest.mark.slow
def test_an_address_that_is_no_ray_head_gives_up_within_30_s():
    with socket.socket() as s:  # listens, accepts, never answers
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        t0 = time.monotonic()
        r = cli("eval", "--agent", "oracle", *SMALL, "--backend", "ray", "--address", f"127.0.0.1:{s.getsockname()[1]}")
    assert r.returncode == 2 and time.monotonic() - t0 < 30
    assert r.stderr.strip().count("\n") == 0 and "no Ray cluster answered" in r.stderr


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--address", "127.0.0.1:6379"], "--address joins a Ray cluster: add --backend ray"),
        (["--backend", "ray", "--address", "nohost"], "give HOST:PORT"),
    ],
)
def test_inconsistent_options_are_usage_errors(capsys, argv, message):
    assert main(["eval", "--agent", "oracle", *SMALL, *argv]) == 2
    assert message in capsys.readouterr().err


def test_missing_ray_names_the_extra():
    code = (
        "import sys; sys.modules['ray'] = None; from claw_gym.cli import main; "
        f"sys.exit(main(['eval', '--agent', 'oracle', '--family', '{FAMILY}', '--limit', '1', '--backend', 'ray']))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "pip install 'claw-gym[ray]'" in r.stderr and "Traceback" not in r.stderr


def test_backend_from_options():
    class Args:
        backend, workers, address = "ray", None, "10.0.0.5:6379"

    assert Backend.of(Args(), "m:f") == Backend("ray", None, "10.0.0.5:6379", "m:f")


def test_only_the_users_own_policy_module_is_shipped():
    import cli_agents  # noqa: F401  (tests/ is on the path of this test run)

    assert ray_backend.modules_to_ship("oracle") == []
    assert ray_backend.modules_to_ship("claw_gym.cli.policies:FinishPolicy") == []
    assert ray_backend.modules_to_ship("pytest:main") == []  # installed: on every node already
    assert [m.__name__ for m in ray_backend.modules_to_ship("cli_agents:DiesOnSeed1")] == ["cli_agents"]
