"""The laptop device: one sandboxed bash per episode, its home, and the ``claw`` socket.

Started lazily by the first ``shell`` action; :meth:`Laptop.close` (called by the
env's ``reset`` and ``close``) kills the sandbox and everything in it.

The laptop is a snapshot participant (the env registers it with the world). A snapshot
covers the home (files, directories, permission bits, times, files only the laptop
holds: see :mod:`.disk`), the shell's working directory and ``reads``. A live bash
process cannot be frozen: its variables, functions, aliases, history and background
jobs are not covered. A restore therefore kills the sandbox (unless no command ran
since that snapshot was taken, when the live shell is still exactly in its state) and
the next ``shell`` action starts a new one with the restored home and working directory.
A laptop whose shell never started snapshots as data only (no process is touched).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import tempfile
import weakref
from dataclasses import dataclass
from typing import Any

from ...faults import TransientFault
from ...services import ServiceError
from . import disk, procs
from .home import Home
from .sandbox import (
    CTL,
    HOME,
    SandboxLimits,
    as_fsuid,
    bwrap_argv,
    find_bwrap,
    home_parent_dir,
    pick_uid,
    preexec,
    write_accounts,
)
from .server import ClawServer
from .shell import FLOOD_BYTES, RunResult, Shell, ShellDied

SANDBOXES = ("bwrap", "none")
DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 60.0
HEAD_CHARS = 12_000  # output kept from the start ...
TAIL_CHARS = 3_000  # ... and from the end (the result field holds 16,000)
_PAGER = """#!/bin/sh
files=0; rc=0
for a in "$@"; do case "$a" in -*|+*) ;; *) files=1; cat -- "$a" || rc=1;; esac; done
[ "$files" = 1 ] || cat
exit $rc
"""
_CLI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "claw_cli.py")


def _fast_tmp() -> str | None:
    """/dev/shm when usable: truncating the command file on a disk /tmp can cost milliseconds."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK | os.X_OK) else None


_swept: set[str | None] = set()


def _sweep_stale(tmp: str | None) -> None:
    """Once per process: remove control dirs left by processes that died without cleaning up (SIGKILL)."""
    if tmp in _swept:
        return
    _swept.add(tmp)
    base = tmp or tempfile.gettempdir()
    for name in os.listdir(base):
        parts = name.split("-")
        if len(parts) < 4 or parts[0] != "claw" or parts[1] not in ("laptop", "home") or not parts[2].isdigit():
            continue
        path = os.path.join(base, name)
        try:
            mine = os.stat(path).st_uid == os.geteuid()
        except OSError:
            continue
        if mine and not os.path.exists(f"/proc/{parts[2]}"):
            shutil.rmtree(path, ignore_errors=True)


def _date_tmp(path: str, when: int, owner: int | None) -> None:
    """Date the sandbox's fresh /tmp like the world (before any command ran, so nothing else is there)."""
    with as_fsuid(owner):
        try:
            os.utime(path, (when, when))
        except OSError:
            pass  # a /tmp that cannot be dated only shows the host's clock


@dataclass(frozen=True)
class LaptopState:
    """What a laptop snapshot holds (immutable; restorable any number of times)."""

    disk: disk.Disk | None  # None: the home is just the files service (no shell ran, or it died)
    cwd: tuple[bool, str] | None  # (inside the home?, path relative to it or absolute); None: the home
    reads: tuple[tuple[str, int], ...]
    epoch: tuple[int, int] | None  # (shell starts, command count) when taken from a live shell


def _as_plan(state: LaptopState) -> LaptopState | None:
    """What a new shell must re-create (None: nothing beyond the files service)."""
    return state if state.disk is not None or state.cwd is not None else None


class LaptopError(RuntimeError):
    """The laptop cannot run commands here (no bubblewrap, sandbox failed to start)."""


def parse_timeout(value: Any) -> float:
    """The ``timeout`` field of a shell action, checked. Raises ValueError with a fix-it message."""
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_TIMEOUT:
        raise ValueError(f"'timeout' must be a number of seconds in (0, {MAX_TIMEOUT:g}]; default {DEFAULT_TIMEOUT:g}")
    return float(value)


def schema_of(world: Any) -> dict[str, Any]:
    """What the ``claw`` command needs to build its commands: every endpoint's parameters."""
    return {
        "services": {
            name: {
                "title": svc.title or name,
                "endpoints": {
                    ep.name: {
                        "doc": ep.doc,
                        "mutates": ep.mutates,
                        "params": [
                            {
                                "name": p.name,
                                "type": p.type_name(),
                                "required": p.required,
                                "default": p.default,
                                "choices": list(p.choices),
                            }
                            for p in ep.params
                        ],
                    }
                    for ep in svc.endpoints.values()
                },
            }
            for name, svc in world.services.items()
        }
    }


class Laptop:
    def __init__(self, world: Any, sandbox: str = "bwrap", limits: SandboxLimits | None = None) -> None:
        if sandbox not in SANDBOXES:
            raise ValueError(f"sandbox must be one of {SANDBOXES}")
        self.world = world
        self.sandbox = sandbox
        self.limits = limits or SandboxLimits()
        self.shell: Shell | None = None
        self.home: Home | None = None
        self.server: ClawServer | None = None
        self.ctl: str | None = None
        self._host_home: str | None = None  # sandbox="none" only
        self._notes: list[str] = []
        self.host_uid: int | None = None  # the sandbox's uid on the host (root only)
        self._finalizer: weakref.finalize | None = None
        self.starts = 0
        #: home file -> virtual time a command first read its content (kept across shell restarts).
        #: Reads are not calls, so the home's sync notes them (see Home); writes are audited calls.
        self.reads: dict[str, int] = {}
        self._commands = 0  # bumped before and after each command: (starts, _commands) names a disk state
        self._plan: LaptopState | None = None  # restored state the next start re-creates
        self._captured: LaptopState | None = None  # the last snapshot, reused while nothing ran

    # ---- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        bwrap = find_bwrap() if self.sandbox == "bwrap" else None
        if self.sandbox == "bwrap" and bwrap is None:
            raise LaptopError(
                "the laptop shell needs bubblewrap, which is not installed (apt-get install "
                "bubblewrap); the env never runs commands unsandboxed unless created with sandbox='none'"
            )
        _sweep_stale(_fast_tmp())
        self.ctl = tempfile.mkdtemp(prefix=f"claw-laptop-{os.getpid()}-", dir=_fast_tmp())
        os.chmod(self.ctl, 0o755)
        # What must go when this laptop goes, even if nobody calls close() (runs at exit too).
        self._held: dict[str, Any] = {"dirs": [self.ctl]}
        self._finalizer = weakref.finalize(self, _teardown, self._held)
        try:
            self._start(bwrap)
        except (ShellDied, OSError) as exc:
            self.close()
            raise LaptopError(f"the laptop did not start: {exc}") from None
        self.starts += 1
        self._plan = None  # re-created: from now on the live home is the state

    def _start(self, bwrap: str | None) -> None:
        assert self.ctl is not None
        ctl_inside = CTL if bwrap else self.ctl
        with open(os.path.join(self.ctl, "schema.json"), "w", encoding="utf-8") as f:
            json.dump(schema_of(self.world), f, ensure_ascii=False, default=str)
        shutil.copyfile(_CLI, os.path.join(self.ctl, "claw.py"))
        os.makedirs(os.path.join(self.ctl, "bin"))
        python = "python3" if bwrap else sys.executable
        wrapper = os.path.join(self.ctl, "bin", "claw")
        with open(wrapper, "w") as f:
            f.write(f'#!/bin/sh\nexec {python} -I -S {ctl_inside}/claw.py "$@"\n')
        os.chmod(wrapper, 0o755)
        for pager in ("less", "more"):  # nobody can press a key here: pagers print straight through
            path = os.path.join(self.ctl, "bin", pager)
            with open(path, "w") as f:
                f.write(_PAGER)
            os.chmod(path, 0o755)
        open(os.path.join(self.ctl, "cmd"), "w").close()
        write_accounts(self.ctl)
        serve = weakref.WeakMethod(self._serve)  # the finalizer holds the server: no strong ref back to us
        self.server = self._held["server"] = ClawServer(
            os.path.join(self.ctl, "claw.sock"),
            lambda req: (serve() or (lambda _: {"ok": False, "error": "the laptop is closed"}))(req),
        )
        token = Shell.new_token()
        home = HOME if bwrap else tempfile.mkdtemp(prefix=f"claw-home-{os.getpid()}-", dir=_fast_tmp())
        if not bwrap:
            self._held["dirs"].append(home)
        env = {
            "HOME": home,
            "USER": "user",
            "LOGNAME": "user",
            "SHELL": "/bin/bash",
            "HOSTNAME": "laptop",
            "PATH": f"{ctl_inside}/bin:/usr/local/bin:/usr/bin:/bin",
            "TERM": "dumb",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            # `ls -l` prints full dates: its default shows a year instead of the time for files six
            # months older than the host's clock, and the world's dates are not the host's
            "TIME_STYLE": "long-iso",
            "PAGER": "cat",
            "GIT_PAGER": "cat",
            "MANPAGER": "cat",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "HISTFILE": "/dev/null",
            "PS1": Shell.prompt(token),
            "PS2": "",
            "CLAW_SOCKET": f"{ctl_inside}/claw.sock",
        }
        cmd_file = os.path.join(self.ctl, "cmd")
        inner = Shell.inner_command(token)
        if bwrap:
            host_uid = pick_uid() if os.geteuid() == 0 else None
            self.host_uid = host_uid
            # /home dated like the world (the episode's start: the same whenever the shell restarts)
            base = tempfile.mkdtemp(prefix=f"claw-home-{os.getpid()}-parent-", dir=_fast_tmp())
            self._held["dirs"].append(base)
            parent = home_parent_dir(base, self.world.clock.start, host_uid)
            argv = bwrap_argv(bwrap, self.ctl, self.limits, env, inner, home_parent=parent)
            self.shell = self._held["shell"] = Shell(
                argv,
                {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                cmd_file,
                f"{CTL}/cmd",
                token,
                preexec_fn=preexec(self.limits, host_uid),
                pid_namespace=True,
                uid=host_uid,
            )
            self.shell.wait_ready()
            pid1 = procs.children(self.shell.child.pid)
            if not pid1:
                raise ShellDied("the sandbox has no process")
            root = f"/proc/{pid1[0]}/root{HOME}"
            _date_tmp(f"/proc/{pid1[0]}/root/tmp", self.world.clock.start, host_uid)
        else:
            host_uid = None
            self._host_home = root = home
            self.shell = self._held["shell"] = Shell(
                inner, env, cmd_file, cmd_file, token, cwd=home, preexec_fn=preexec(self.limits, None)
            )  # limits, no isolation
            self.shell.wait_ready()
        call = weakref.WeakMethod(self._shell_call)

        def sync_call(c: Any, a: dict[str, Any]) -> Any:  # a weak reference: the home must not keep the laptop alive
            method = call()
            assert method is not None, "the laptop is gone"
            return method(c, a)

        self.home = self._held["home"] = Home(root, self.world, sync_call, host_uid, self.reads)
        plan = self._plan
        if plan is not None and plan.disk is not None:
            disk.apply(self.home, plan.disk)
        else:
            self.home.materialize()
        if plan is not None and plan.cwd is not None:
            inside, path = plan.cwd
            where = os.path.join(home, path) if inside else path
            self.shell.run(f"cd -- {shlex.quote(where)} 2>/dev/null", DEFAULT_TIMEOUT)

    def close(self) -> None:
        """Kill the sandbox and everything in it; remove its host files. Safe to call twice."""
        if self._finalizer is not None:
            self._finalizer()  # runs _teardown once
            self._finalizer = None
        self.shell = self.server = self.home = None
        self.ctl = self._host_home = None
        self._captured = None

    @property
    def seen(self) -> dict[str, int]:
        """Service -> when a command first read its records from disk (the home is ``files``), as the
        phone's ``SimPhone.seen``: for measures of what an episode used, beside the audit log."""
        return {"files": min(self.reads.values())} if self.reads else {}

    @property
    def runaway(self) -> int:
        """Background processes that count as a runaway at the start of a command."""
        return max(8, self.limits.nproc // 4)

    @property
    def running(self) -> bool:
        return self.shell is not None and self.shell.alive

    # ---- commands ---------------------------------------------------------------------------
    def run(self, cmd: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Run one command; the result text: status line, output (bounded), notes."""
        try:
            for attempt in (1, 2):
                if not (self.running and self.shell.responsive()):  # type: ignore[union-attr]  # running: a shell
                    self.close()
                    self.start()
                res, text = self._run(cmd, timeout)
                # dead on arrival (everything was killed after the last prompt): the command never ran
                if attempt == 1 and res.shell_died and res.status is None and not res.output and not res.timed_out:
                    continue
                return text
            return text
        except (OSError, ShellDied) as exc:  # the host side failed (disk full, ...): start afresh next time
            self.close()
            raise LaptopError(f"the laptop failed ({exc}); a new shell starts with the next command") from None

    def _run(self, cmd: str, timeout: float) -> tuple[RunResult, str]:
        assert self.shell is not None and self.home is not None
        # A fork bomb left by an earlier command: at the process limit it breathes (members exit,
        # bash's fork retries back off for seconds), so one count may see half the limit. A
        # quarter of it left running between commands is judged runaway and killed whole.
        reaped = self.shell.reap_runaway(self.runaway) if self.shell.has_background() else 0
        self._commands += 1
        try:
            self.home.push()
            res = self.shell.run(cmd, timeout, self.server)
        finally:
            self._commands += 1
        notes = self._notes + self.home.pull()
        self._notes = []
        if reaped:
            notes.append(
                f"killed {reaped} background processes: {self.runaway} or more were left running "
                f"(a runaway; the sandbox allows {self.limits.nproc} processes)"
            )
        if res.shell_died:
            self.close()
        return res, format_result(res, timeout, notes)

    # ---- snapshot participant (see claw_gym/snapshot.py and the module docstring) ------------
    def snapshot(self) -> LaptopState:
        reads = tuple(self.reads.items())
        if self._plan is not None:  # restored, no command since: the plan is the state
            return self._plan
        cached = self._captured
        if not self.running or self.home is None:  # data only (the common case: no shell ever started)
            if cached is None or cached.epoch is not None or cached.reads != reads:
                cached = self._captured = LaptopState(None, None, reads, None)
            return cached
        epoch = (self.starts, self._commands)
        if cached is not None and cached.epoch == epoch and cached.reads == reads:
            return cached
        try:
            captured = disk.capture(self.home)
        except OSError:  # the home is gone with its shell: the next command starts from the service
            return LaptopState(None, None, reads, None)
        self._captured = LaptopState(captured, self._cwd(), reads, epoch)
        return self._captured

    def restore(self, state: LaptopState) -> None:
        self.reads.clear()
        self.reads.update(state.reads)
        if self._plan is None and state.epoch == (self.starts, self._commands) and self.running:
            return  # no command ran since this snapshot: the live shell and its home are still its state
        if self.shell is not None or self._finalizer is not None:
            self.close()
        self._plan = _as_plan(state)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy (of a world, which lists the laptop) copy data, never the process: the
        copy is a closed laptop whose next command starts a shell on the home as it is now."""
        plan = self._plan if self._plan is not None or not self.running else _as_plan(self.snapshot())
        processes = ("shell", "server", "home", "ctl", "_host_home", "_held", "_finalizer", "_captured")
        state = {k: None if k in processes else v for k, v in vars(self).items()}
        state.update(_plan=plan, _notes=[])
        return state

    def attach(self, world: Any) -> None:
        """Use this laptop on ``world`` again (the env detaches it at reset, restores it with an old episode)."""
        self.world = world

    def _cwd(self) -> tuple[bool, str] | None:
        """The shell's working directory, read from /proc (no command, no round trip)."""
        pid = self.shell.bash_pid if self.shell is not None else None
        if pid is None:
            return None
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            return None
        home = self._host_home or HOME
        if cwd == home:
            return None
        if cwd.startswith(home + "/"):
            return (True, cwd[len(home) + 1 :])
        return (False, cwd)

    def _shell_call(self, call: Any, args: dict[str, Any]) -> Any:
        return self.world.call(call, args, source="shell")

    def _serve(self, req: dict[str, Any]) -> dict[str, Any]:
        """One ``claw`` request: sync disk first (a fresh report can be attached), then call, then show."""
        assert self.home is not None
        self._notes += self.home.pull()
        try:
            reply: dict[str, Any] = {"ok": True, "result": self._shell_call(req.get("call"), req.get("args", {}))}
        except ServiceError as exc:
            reply = {"ok": False, "error": str(exc)}
            if isinstance(exc, TransientFault):
                reply["transient"] = True  # `claw` exits 75: nothing changed, a retry may succeed
        except Exception as exc:  # a bug in a service must not kill the step: report it to the command
            reply = {"ok": False, "error": f"internal error: {type(exc).__name__}: {exc}"}
        self.home.push()
        return reply

    # ---- figures ----------------------------------------------------------------------------
    def usage(self) -> dict[str, int]:
        """Processes and resident memory (KiB) of the sandbox right now."""
        shell = self.shell  # read once: a sampling thread may call this while close() runs
        if shell is None:
            return {"processes": 0, "rss_kb": 0}
        pids = [shell.child.pid] + procs.descendants(shell.child.pid)
        return {"processes": len(pids), "rss_kb": sum(procs.rss_kb(p) for p in pids)}


def _teardown(held: dict[str, Any]) -> None:
    """Kill the shell, close the socket, remove the host directories (close() or garbage collection)."""
    if held.get("shell") is not None:
        held["shell"].close()
    if held.get("server") is not None:
        held["server"].close()
    if held.get("home") is not None:
        held["home"].close()
    for d in held.get("dirs", []):
        shutil.rmtree(d, ignore_errors=True)


def format_result(res: RunResult, timeout: float, notes: list[str]) -> str:
    text = res.output.decode("utf-8", "replace").replace("\r\n", "\n")
    if res.status is None:
        why = f"timed out after {timeout:g} s and " if res.timed_out else ""
        head = f"[the shell {why}stopped answering; a new one starts with the next command (files are kept)]"
    elif res.shell_died:
        head = f"[shell exited with status {res.status}; a new one starts with the next command (files are kept)]"
    elif res.timed_out:
        head = f"[exit {res.status}: timed out after {timeout:g} s, interrupted]"
    elif res.flooded:
        head = f"[exit {res.status}: output passed {FLOOD_BYTES >> 20} MiB, interrupted]"
    else:
        head = f"[exit {res.status}]"
    omitted = res.dropped
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        omitted += len(text) - HEAD_CHARS - TAIL_CHARS
        text = text[:HEAD_CHARS] + f"\n...[{omitted} chars omitted]...\n" + text[-TAIL_CHARS:]
    elif omitted:
        text += f"\n...[{omitted} more bytes omitted]"
    out = head + ("\n" + text if text else "")
    if notes:
        out += "\n[notes: " + "; ".join(notes[:20]) + (f"; +{len(notes) - 20} more" if len(notes) > 20 else "") + "]"
    return out
