"""Process-tree helpers over /proc (no psutil): find and signal what a sandbox spawned."""

from __future__ import annotations

import os
import signal


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


def kill_below(pid: int, keep: frozenset[int] = frozenset(), rounds: int = 20) -> int:
    """SIGKILL every descendant of ``pid`` except ``keep``, racing a fork bomb: stop, rescan, kill."""
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
