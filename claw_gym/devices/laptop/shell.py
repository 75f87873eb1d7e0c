"""One persistent bash driven through a pty (pexpect), with exit codes and time limits.

The command text is written to a file and the shell is told to source it with
stdin from /dev/null: quoting, heredocs and multi-line scripts need no escaping,
an unclosed quote is a syntax error instead of a hang, and programs that wait
for input (``read``, a ``python3`` REPL, a pager) get end-of-file at once.

The prompt (PS1) carries a per-shell token and ``$?``, so each command costs one
round trip. Past its time limit a command gets SIGINT, then SIGKILL, and at worst
the whole shell is dropped (the caller starts a new one).
"""

from __future__ import annotations

import os
import re
import secrets
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pexpect

from . import procs

FLOOD_BYTES = 1 << 20  # output beyond this interrupts the command
GRACE_S = 1.0  # between SIGINT and SIGKILL, and after SIGKILL


class Pollable(Protocol):
    """Something served while a command runs (the ``claw`` socket)."""

    def rfds(self) -> list[int]: ...
    def wfds(self) -> list[int]: ...
    def ready(self, readable: list[int], writable: list[int]) -> None: ...


@dataclass
class RunResult:
    status: int | None  # exit status; None when the shell itself died
    output: bytes  # stdout+stderr, at most FLOOD_BYTES
    dropped: int  # bytes of output not kept
    timed_out: bool = False
    flooded: bool = False
    shell_died: bool = False  # bash exited or stopped answering: close this shell, start another
    seconds: float = 0.0


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


class ShellDied(RuntimeError):
    pass


class Shell:
    def __init__(
        self,
        argv: list[str],
        env: dict[str, str] | None,
        cmd_file: str,
        cmd_file_inside: str,
        token: str,
        preexec_fn: Callable[[], None] | None = None,
        cwd: str | None = None,
        pid_namespace: bool = False,
        uid: int | None = None,
    ) -> None:
        self.pid_namespace = pid_namespace  # argv starts a sandbox whose first child is a pid-namespace init
        self.uid = uid  # the host uid only this sandbox runs as (lets a fork bomb be frozen at once)
        self.token = token
        # the prompt carries the command's number: a late extra prompt (bash prints one more when
        # SIGINT lands while it reads input) is recognised as stale and dropped
        self._prompt = re.compile(rb"\x1eCLAW" + token.encode() + rb":(\d*):(\d+)\x1f")
        self._seq = 0
        self._exit = re.compile(rb"\x1eCLAWEXIT" + token.encode() + rb":(\d+)\x1f")
        self.cmd_file = cmd_file
        self._source = cmd_file_inside
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, echo=False, preexec_fn=preexec_fn, cwd=cwd, use_poll=True
        )
        self.child.delaybeforesend = None
        self.child.delayafterclose = 0
        self.child.delayafterterminate = 0
        self.fd = self.child.child_fd
        self.alive = True
        self._bash: int | None = None
        self._keep: frozenset[int] = frozenset()

    @property
    def bash_pid(self) -> int | None:
        """The sandboxed bash's pid (inside bubblewrap it is not the spawned child), once found."""
        return self._bash

    @staticmethod
    def new_token() -> str:
        # Not part of the world (never shown in observations): a secret marker per shell.
        return secrets.token_hex(6)

    @staticmethod
    def inner_command(token: str) -> list[str]:
        """bash under a small sh that reports bash's exit and keeps the sandbox (and its home) alive."""
        script = (
            f"bash --norc --noprofile --noediting +m -i; "
            f"printf '\\036CLAWEXIT{token}:%d\\037' $?; exec sleep 2147483647"
        )
        return ["/bin/sh", "-c", script]

    @staticmethod
    def prompt(token: str) -> str:
        return f"\x1eCLAW{token}:${{__claw_n}}:$?\x1f"

    # ---- lifecycle --------------------------------------------------------------------------
    def wait_ready(self, timeout: float = 20.0) -> None:
        """Wait for the first prompt (drains bash's startup chatter)."""
        res = self._collect(time.monotonic() + timeout, None, escalate=False)
        if res.shell_died:
            text = res.output.decode("utf-8", "replace")[-500:]
            self.close()
            raise ShellDied(f"the shell did not start: {text.strip() or 'no output'}")
        self._bash = self._find_bash()
        # Children must not print our prompt (a nested `bash -i` would end the command early).
        os.write(self.fd, b"export -n PS1 PS2; unset PROMPT_COMMAND\n")
        if self._collect(time.monotonic() + timeout, None, escalate=False).shell_died:
            raise ShellDied("the shell stopped during setup")

    def _find_bash(self) -> int | None:
        """The shell's pid on the host; ``self._keep`` gets it and its ancestors (sandbox init, sh)."""
        for p in procs.descendants(self.child.pid):
            if procs.comm(p) == "bash":
                chain, q = {p}, p
                while q != self.child.pid:
                    q = _ppid(q)
                    if q <= 1:
                        break
                    chain.add(q)
                self._keep = frozenset(chain)
                return p
        return None

    def sandbox_processes(self) -> list[int]:
        """What commands started, wherever it now hangs (orphans belong to the sandbox's init)."""
        return [p for p in procs.descendants(self.child.pid) if p not in self._keep]

    def close(self) -> None:
        if not self.alive:
            return
        self.alive = False
        # Signal by pid only while the sandbox process holds it: once reaped, its pid is free and may
        # already be another process's (pids wrap around at pid_max, which can be as low as 32768).
        if self.pid_namespace and self._unreaped():
            # Kill the namespace's init first: the kernel kills everything in the namespace and bwrap
            # reaps it and exits, so nothing is orphaned to the host's init as a lingering zombie.
            procs.signal_all(procs.children(self.child.pid), signal.SIGKILL)
            self._wait_exit(1.0)
        if self._unreaped():
            procs.kill_tree(self.child.pid)
        self.child.ptyproc.delayafterclose = 0  # pexpect would sleep 0.1 s here
        try:
            self._wait_exit(5.0)
            self.child.close(force=True)
        except Exception:  # pexpect raises if the child is already gone; nothing left to do
            pass

    def _unreaped(self) -> bool:
        """The sandbox process still holds its pid (running, or exited and not yet reaped)."""
        try:
            return bool(self.child.isalive())  # reaps it when it has exited: then the pid is free
        except Exception:  # pexpect: already reaped
            return False

    def responsive(self) -> bool:
        """The sandbox process is still there (a command may have killed everything in it)."""
        try:
            return self.alive and self.child.isalive()
        except Exception:  # pexpect: already reaped
            return False

    def _wait_exit(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while self.child.isalive() and time.monotonic() < deadline:  # isalive() reaps when it can
                time.sleep(0.0005)
        except Exception:  # already reaped
            pass

    # ---- commands ---------------------------------------------------------------------------
    def run(self, cmd: str, timeout: float, pollable: Pollable | None = None) -> RunResult:
        if not self.alive:
            raise ShellDied("the shell is not running")
        with open(self.cmd_file, "wb") as f:
            f.write((cmd if cmd.endswith("\n") else cmd + "\n").encode("utf-8", "replace"))
        t0 = time.monotonic()
        try:
            self._seq += 1
            os.write(self.fd, f"__claw_n={self._seq}; . {self._source} </dev/null\n".encode())
        except OSError:
            self.close()
            return RunResult(None, b"", 0, shell_died=True)
        res = self._collect(t0 + timeout, pollable, escalate=True, seq=self._seq)
        res.seconds = time.monotonic() - t0
        return res

    def _collect(
        self, deadline: float, pollable: Pollable | None, *, escalate: bool, seq: int | None = None
    ) -> RunResult:
        kept = bytearray()
        window = b""  # the last bytes seen, where the prompt is searched for
        total = 0
        stage = 0  # 0 running, 1 interrupted, 2 killed
        timed_out = flooded = False
        while True:
            now = time.monotonic()
            if now >= deadline or (flooded and stage == 0):
                if not escalate or stage == 2:  # bash itself is stuck: the caller drops this shell
                    return RunResult(None, bytes(kept), total - len(kept), timed_out, flooded, shell_died=True)
                timed_out = timed_out or not flooded
                stage += 1
                self._interrupt(hard=stage == 2)
                deadline = time.monotonic() + GRACE_S
                continue
            rfds = [self.fd] + (pollable.rfds() if pollable else [])
            wfds = pollable.wfds() if pollable else []
            try:
                r, w, _ = select.select(rfds, wfds, [], max(0.0, deadline - now))
            except InterruptedError:
                continue
            if pollable and (len(r) > (self.fd in r) or w):
                pollable.ready([x for x in r if x != self.fd], w)
            if self.fd not in r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.close()
                return RunResult(None, bytes(kept), total - len(kept), timed_out, flooded, shell_died=True)
            total += len(chunk)
            window = (window + chunk)[-4096:]
            if len(kept) < FLOOD_BYTES:
                kept += chunk[: FLOOD_BYTES - len(kept)]
            elif escalate:
                flooded = True
            found = self._end_marker(window, seq)
            if found is not None:
                m, died = found
                end = total - len(window) + m.start()
                del kept[end:]
                dropped = max(0, end - len(kept))
                out = self._prompt.sub(b"", bytes(kept))  # stale prompts of earlier commands
                return RunResult(int(m.group(m.lastindex or 1)), out, dropped, timed_out, flooded, shell_died=died)

    def _end_marker(self, window: bytes, seq: int | None) -> tuple[re.Match[bytes], bool] | None:
        """This command's prompt (``seq`` None: any prompt), or bash's exit marker."""
        for m in self._prompt.finditer(window):
            if seq is None or m.group(1) == str(seq).encode():
                return m, False
        exited = self._exit.search(window)
        return (exited, True) if exited else None

    def _interrupt(self, *, hard: bool) -> None:
        """SIGINT the running command and bash itself (builtin loops); SIGKILL its children if hard."""
        if self._bash is None:
            return
        if hard:
            procs.kill_below(self.child.pid, self._keep, uid=self.uid)
        else:
            procs.signal_all(procs.descendants(self._bash) + [self._bash], signal.SIGINT)

    def has_background(self) -> bool:
        """Cheap check (two /proc reads): did commands leave processes behind?

        Leftovers are children of bash, or orphans adopted by the sandbox's init.
        """
        if self._bash is None:
            return False
        if procs.main_children(self._bash):
            return True
        inits = procs.main_children(self.child.pid)  # the sandbox's init adopts orphans
        return any(p not in self._keep for q in inits for p in procs.main_children(q))

    def reap_runaway(self, limit: int) -> int:
        """Kill everything commands started if it holds ``limit`` processes or more (a fork bomb)."""
        if self._bash is None or len(self.sandbox_processes()) < limit:
            return 0
        return procs.kill_below(self.child.pid, self._keep, uid=self.uid)
