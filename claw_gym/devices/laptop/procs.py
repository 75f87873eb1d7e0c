"""Process-tree helpers over /proc (no psutil): find and signal what a sandbox spawned."""

from __future__ import annotations

import os
import signal
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (all its threads), via /proc/PID/task/*/children."""
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            continue
    return out


def main_children(pid: int) -> list[int]:
    """Children forked by the main thread only: one read (enough for bash, sh and bwrap)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, parents before children."""
    out: list[int] = []
    todo = children(pid)
    while todo:
        p = todo.pop(0)
        out.append(p)
        todo += children(p)
    return out


def comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def signal_all(pids: list[int], sig: int) -> None:
    for p in pids:
        try:
            os.kill(p, sig)
        except OSError:
            pass


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and everything below it (stopped first so nothing forks meanwhile)."""
    tree = descendants(pid)
    signal_all(tree + [pid], signal.SIGSTOP)
    tree = descendants(pid)  # anything forked before the stop landed
    signal_all(tree + [pid], signal.SIGKILL)


def rss_kb(pid: int) -> int:
    """Resident memory of one process in KiB (0 if gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def uids_in_use() -> set[int]:
    """The real uids of the host's processes, zombies included (``RLIMIT_NPROC`` counts them).

    Read from ``/proc/<pid>/status``: a process that changed its uid is not dumpable, so its
    ``/proc/<pid>`` directory is owned by root whatever its uid."""
    out: set[int] = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"Uid:"):
                        out.add(int(line.split()[1]))
                        break
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return out


def signal_uid(uid: int, sig: int) -> bool:
    """Send ``sig`` to every process of ``uid`` at once: ``kill(-1)`` from a child that became ``uid``.

    The kernel walks the process list under the lock that ``fork`` needs, so no process of the
    uid escapes by forking meanwhile (a forking process with the signal pending aborts the fork).
    """
    with warnings.catch_warnings():  # the child only calls setuid, kill and _exit: safe with threads
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        code = 0
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, sig)
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


@contextmanager
def frozen(uid: int) -> Iterator[bool]:
    """Every process of ``uid`` stopped inside the block (yields whether that worked), continued after it."""
    stopped = signal_uid(uid, signal.SIGSTOP)
    try:
        yield stopped
    finally:
        if stopped:
            signal_uid(uid, signal.SIGCONT)


def kill_below(pid: int, keep: frozenset[int] = frozenset(), rounds: int = 20, uid: int | None = None) -> int:
    """SIGKILL every descendant of ``pid`` except ``keep``, even while a fork bomb runs.

    With ``uid`` (a uid only this tree uses) the whole tree is frozen first, so one scan finds
    everything; without it, race the bomb: stop, rescan, kill, for up to ``rounds`` rounds.
    """
    if uid is not None:
        with frozen(uid) as stopped:
            if stopped:
                tree = [p for p in descendants(pid) if p not in keep]
                signal_all(tree, signal.SIGKILL)
                return len(tree)
    killed = 0
    for _ in range(rounds):
        tree = [p for p in descendants(pid) if p not in keep]
        if not tree:
            break
        signal_all(tree, signal.SIGSTOP)
        tree = [p for p in descendants(pid) if p not in keep]
        signal_all(tree, signal.SIGKILL)
        killed += len(tree)
    return killed
