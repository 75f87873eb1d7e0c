"""``--backend ray``: the runner's jobs as Ray tasks, on a local Ray or on a running cluster.

Consecutive jobs of one task (same task id and env keywords) form one Ray task, so a worker
builds that task's env once and reuses it for all its episodes, as an in-process run does.
Workers build their envs from the installed package: on a cluster, every node needs claw-gym
installed; an agent module of the user's own is shipped by Ray (``py_modules``). Results come
back in job order, so reports and exports are the same bytes as with ``--workers 1``.

A group whose worker dies (or whose job raises) is run again one episode per Ray task; an
episode that fails this second time is handed to ``lost(job, reason)`` and the run goes on.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from .common import CliError, progress_bar
from .policies import is_builtin

INSTALL_HINT = "pip install 'claw-gym[ray]'"
CONNECT_SECONDS = 15.0  # an unreachable --address must fail within 30 s, a slow start-up included


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise CliError(f"--backend ray needs Ray: {INSTALL_HINT}") from None
    return ray


def check_address(address: str) -> tuple[str, int] | None:
    """(host, port) of ``--address HOST:PORT``; None for Ray's own forms ('auto', 'ray://...')."""
    if address == "auto" or "://" in address:
        return None
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise CliError(f"--address {address!r}: give HOST:PORT of the Ray head (e.g. 10.0.0.5:6379), or 'auto'")
    return host, int(port)


def _probe(address: str) -> None:
    """Fail fast, with one line, when nothing listens at HOST:PORT (Ray itself would retry for minutes)."""
    where = check_address(address)
    if where is None:
        return
    host, port = where
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise CliError(f"cannot reach a Ray cluster at {address} ({exc.strerror or exc})") from None


def modules_to_ship(policy: str | None) -> list[ModuleType]:
    """The policy's own code, for Ray to send to every worker (``runtime_env`` ``py_modules``).

    Built-in policies, claw-gym itself and installed packages are on every node already; a module
    of the user's (a file or package outside site-packages) is shipped, so a cluster's nodes need
    only claw-gym installed."""
    if policy is None or ":" not in policy or is_builtin(policy):
        return []
    top = policy.partition(":")[0].partition(".")[0]
    module = sys.modules.get(top) or importlib.import_module(top)
    where = getattr(module, "__file__", None) or ""
    if top == "claw_gym" or not where or any(p in Path(where).parts for p in ("site-packages", "dist-packages")):
        return []
    return [module]


def connect(address: str | None, workers: int | None, ship: list[ModuleType] | None = None) -> bool:
    """Join the cluster at ``address``, or start a local Ray of ``workers`` CPUs (default: all).

    Returns True when this call started Ray (the caller shuts it down). Ray's connect can hang
    on an address that answers but is no Ray head: a watchdog ends the process with status 2."""
    ray = _ray()
    if ray.is_initialized():
        return False
    common: dict[str, Any] = {
        "include_dashboard": False,
        "logging_level": "ERROR",
        "log_to_driver": False,
        "configure_logging": True,
    }
    if ship:
        common["runtime_env"] = {"py_modules": ship}
    if address is None:  # "local": a new Ray of our own, even if `ray start` runs on this machine
        ray.init(address="local", num_cpus=workers, **common)
        return True
    _probe(address)
    err = os.dup(2)  # Ray's C++ client logs each failed retry on fd 2: keep them off the user's screen

    def give_up() -> None:
        os.write(
            err, f"claw-gym: error: no Ray cluster answered at {address} within {CONNECT_SECONDS:.0f} s\n".encode()
        )
        os._exit(2)

    watchdog = threading.Timer(CONNECT_SECONDS, give_up)
    watchdog.daemon = True
    watchdog.start()
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 2)
    try:
        ray.init(address=address, **common)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise CliError(f"cannot join the Ray cluster at {address}: {_first_line(exc)}") from None
    finally:
        watchdog.cancel()
        os.dup2(err, 2)
        os.close(err)
    return True


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


def _reason(exc: BaseException) -> str:
    """One line on why a Ray task failed: the job's own exception, or the worker's death."""
    ray = _ray()
    if isinstance(exc, ray.exceptions.RayTaskError):
        cause = exc.cause if isinstance(exc.cause, BaseException) else exc
        return f"the episode raised {_first_line(cause)}"
    return f"the worker died twice ({_first_line(exc)})"


def groups_of(jobs: Sequence[Any], key: Callable[[Any], Any]) -> list[list[int]]:
    """Indices of consecutive jobs sharing ``key`` (jobs are task-major, so one group per task)."""
    out: list[list[int]] = []
    for i, job in enumerate(jobs):
        if out and key(jobs[out[-1][0]]) == key(job):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _run_group(fn: Callable[[Any], Any], jobs: list[Any]) -> list[Any]:
    return [fn(job) for job in jobs]


def run_jobs(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    desc: str,
    *,
    key: Callable[[Any], Any],
    lost: Callable[[Any, str], Any],
    address: str | None,
    workers: int | None,
    policy: str | None = None,
) -> Iterator[Any]:
    """``map(fn, jobs)`` in job order over Ray tasks (one per group), with a progress bar by episode.

    ``policy``: the spec the jobs run, whose module is shipped to the workers if it is the user's."""
    ray = _ray()
    # Ray's driver prints the cluster's error messages (a worker died, ...) on sys.stdout, where our
    # reports and exports go: send them to stderr until Ray is shut down.
    with contextlib.redirect_stdout(sys.stderr):
        started = connect(address, workers, modules_to_ship(policy))
        try:
            yield from _ordered(ray, fn, list(jobs), groups_of(jobs, key), lost, desc)
        finally:
            if started:
                ray.shutdown()


def _ordered(
    ray: Any,
    fn: Callable[[Any], Any],
    jobs: list[Any],
    groups: list[list[int]],
    lost: Callable[[Any, str], Any],
    desc: str,
) -> Iterator[Any]:
    """Submit groups in order (a bounded window in flight), retry failures per episode, yield in order."""
    task = ray.remote(max_retries=0)(_run_group)  # retries are ours: per episode, named when they fail
    window = max(4, 2 * int(ray.cluster_resources().get("CPU", 1)))
    results: dict[int, Any] = {}
    pending: dict[Any, tuple[list[int], bool]] = {}  # ref -> (job indices, is a retry)
    submitted = emitted = 0
    with progress_bar(len(jobs), desc) as bar:
        while emitted < len(jobs):
            while submitted < len(groups) and len(pending) < window:
                idx = groups[submitted]
                pending[task.remote(fn, [jobs[i] for i in idx])] = (idx, False)
                submitted += 1
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                idx, retry = pending.pop(ref)
                try:
                    out = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    if retry:
                        out = [lost(jobs[idx[0]], _reason(exc))]
                    else:
                        for i in idx:  # once more, one episode per task: a second failure names its episode
                            pending[task.remote(fn, [jobs[i]])] = ([i], True)
                        continue
                results.update(zip(idx, out))
                bar.update(len(idx))
            while emitted in results:
                yield results.pop(emitted)
                emitted += 1
