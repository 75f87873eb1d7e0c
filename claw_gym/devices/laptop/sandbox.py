"""The bubblewrap command line and process limits around the laptop's bash.

What the sandbox gives a command: a private home (a size-capped tmpfs at
``/home/user``), the host's ``/usr`` read-only, a tiny ``/etc`` (no shadow, no
host accounts), no network, its own pid/ipc/uts namespaces, no ``/root``, no
host ``/tmp``, and no file of claw-gym itself even when it is installed under ``/usr``
(:mod:`.hide`). The control directory (``/run/claw``: the ``claw`` command, its
socket, the command file) is bound read-only.

When the env runs as root, bwrap itself runs as a fresh unprivileged uid so that
``RLIMIT_NPROC`` (which root ignores) stops fork bombs, and a compromised process
is nobody on the host.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import resource
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import procs
from .hide import mask_args

HOME = "/home/user"
CTL = "/run/claw"
USER_UID = 1000  # uid inside the sandbox
_UID_BASE = 200_000
_uid_counter = itertools.count()


@dataclass(frozen=True)
class SandboxLimits:
    """What the laptop's sandbox lets its processes use, per episode (sizes in MiB); the world's growth
    caps are :class:`claw_gym.limits.Limits`."""

    nproc: int = 96  # processes of the sandbox uid
    file_mb: int = 32  # largest file a process may write (RLIMIT_FSIZE)
    home_mb: int = 64  # size of the home tmpfs
    tmp_mb: int = 32  # size of /tmp
    cpu_s: int = 120  # CPU seconds per process
    mem_mb: int = 2048  # address space per process
    nofile: int = 256


def find_bwrap() -> str | None:
    return shutil.which("bwrap")


def pick_uid() -> int:
    """A host uid for one sandbox (root only): one of this process's 64, and one that no process
    holds now. A uid whose last sandbox is still being torn down (killed processes not yet reaped
    count against ``RLIMIT_NPROC``) would make the new sandbox's namespaces fail with EAGAIN."""
    busy = procs.uids_in_use()
    base = _UID_BASE + (os.getpid() % 8192) * 64
    uid = base
    for _ in range(64):
        uid = base + next(_uid_counter) % 64
        if uid not in busy:
            break
    return uid


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64")  # the host trees the sandbox shows


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for d in SYSTEM_DIRS[1:]:
        if os.path.islink(d):
            args += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            args += ["--ro-bind", d, d]
    args += ["--dir", "/etc"]
    for f in ("/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime", "/etc/nsswitch.conf"):
        if os.path.exists(f):
            args += ["--ro-bind", f, f]
    return args + mask_args(SYSTEM_DIRS)


def bwrap_argv(
    bwrap: str,
    ctl_dir: str,
    limits: SandboxLimits,
    env: dict[str, str],
    inner: list[str],
    home_parent: str | None = None,
) -> list[str]:
    """The full bwrap command that runs ``inner`` in the sandbox. ``home_parent``: a host directory
    shown (read-only) as ``/home``, holding the mount point ``user``: bwrap's own would carry the
    host's clock, and ``ls -la ~`` lists it as ``..`` (:func:`home_parent_dir`)."""
    argv = [
        bwrap,
        "--unshare-user",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--uid",
        str(USER_UID),
        "--gid",
        str(USER_UID),
        "--hostname",
        "laptop",
        "--clearenv",
    ]
    argv += _system_binds()
    argv += [
        "--ro-bind",
        os.path.join(ctl_dir, "passwd"),
        "/etc/passwd",
        "--ro-bind",
        os.path.join(ctl_dir, "group"),
        "/etc/group",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(limits.tmp_mb << 20),
        "--tmpfs",
        "/tmp",
        *(["--ro-bind", home_parent, os.path.dirname(HOME)] if home_parent else []),
        "--perms",
        "0700",
        "--size",
        str(limits.home_mb << 20),
        "--tmpfs",
        HOME,
        "--ro-bind",
        ctl_dir,
        CTL,
        "--remount-ro",
        "/",
        "--chdir",
        HOME,
    ]
    for k, v in env.items():
        argv += ["--setenv", k, v]
    return argv + ["--"] + inner


def write_accounts(ctl_dir: str) -> None:
    with open(os.path.join(ctl_dir, "passwd"), "w") as f:
        f.write(
            f"user:x:{USER_UID}:{USER_UID}:Laptop user:{HOME}:/bin/bash\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        )
    with open(os.path.join(ctl_dir, "group"), "w") as f:
        f.write(f"user:x:{USER_UID}:\nnogroup:x:65534:\n")


def _own_processes(uid: int) -> int:
    n = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                n += os.stat(f"/proc/{name}").st_uid == uid
            except OSError:
                pass
    return n


def preexec(limits: SandboxLimits, host_uid: int | None) -> Callable[[], None]:
    """Runs in the child between fork and exec: set limits, then drop to ``host_uid`` (if root)."""
    # Computed before fork: RLIMIT_NPROC counts every process of the uid, not just ours.
    nproc = limits.nproc if host_uid is not None else _own_processes(os.getuid()) + limits.nproc

    def run() -> None:
        for res, value in (
            (resource.RLIMIT_NPROC, nproc),
            (resource.RLIMIT_FSIZE, limits.file_mb << 20),
            (resource.RLIMIT_CPU, limits.cpu_s),
            (resource.RLIMIT_AS, limits.mem_mb << 20),
            (resource.RLIMIT_NOFILE, limits.nofile),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(res, (value, value))
        if host_uid is not None:
            os.setgroups([])
            os.setgid(host_uid)
            os.setuid(host_uid)

    return run


_libc = ctypes.CDLL(None, use_errno=True)


def home_parent_dir(base: str, when: int, owner: int | None) -> str:
    """Make ``base/home`` with the mount point ``user`` in it, both dated ``when`` (the world's virtual
    time, seconds): what the sandbox shows as ``/home``. ``owner``: the sandbox's host uid (when
    running as root), so it lists as ``user`` like the home, and bwrap (running as that uid) can
    reach it; returns its path."""
    os.chmod(base, 0o755)
    parent = os.path.join(base, "home")
    os.makedirs(os.path.join(parent, os.path.basename(HOME)))
    for path in (os.path.join(parent, os.path.basename(HOME)), parent):
        if owner is not None:
            os.chown(path, owner, owner)
        os.chmod(path, 0o700)
        os.utime(path, (when, when))
    return parent


@contextmanager
def as_fsuid(uid: int | None) -> Iterator[None]:
    """Create files in the sandbox's tmpfs as its owner (root's uid is not mapped there).

    ``setfsuid`` changes only the calling thread's filesystem uid, so this is safe in a
    threaded program; ``uid=None`` does nothing (not root, our uid is already mapped).
    """
    if uid is None:
        yield
        return
    _libc.setfsgid(uid)
    _libc.setfsuid(uid)
    try:
        yield
    finally:
        _libc.setfsuid(0)
        _libc.setfsgid(0)
