"""File access under a root the sandbox controls, never following a symlink.

The env reads and writes the sandbox's home from the host (as the sandbox's uid).
A command can plant symlinks there (``Documents -> /tmp``); every path is
therefore walked one component at a time from a directory fd with ``O_NOFOLLOW``
(and ``O_NONBLOCK``, so a planted FIFO cannot block the env). A path that meets a
symlink or a non-regular file raises ``OSError`` and is simply not synced.

The root is an fd opened once when the sandbox starts: if the sandbox's pid is
later reused, the env still reaches the right home (and only it).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def open_root(root: int) -> int:
    """A new fd of the root directory (``root`` is an fd held for the sandbox's lifetime)."""
    return os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=root)


def open_dir(root: int, rel: str, create: bool = False) -> int:
    """An fd of ``root/rel`` reached without following symlinks (creating missing dirs if asked)."""
    fd = open_root(root)
    try:
        for comp in rel.split("/") if rel else []:
            if create:
                try:
                    os.mkdir(comp, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
            nfd = os.open(comp, _DIR, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except OSError:
        os.close(fd)
        raise
    return fd


def _split(rel: str) -> tuple[str, str]:
    head, _, base = rel.rpartition("/")
    return head, base


def read_bytes(root: int, rel: str, limit: int) -> bytes:
    head, base = _split(rel)
    dfd = open_dir(root, head)
    try:
        fd = os.open(base, _READ, dir_fd=dfd)
    finally:
        os.close(dfd)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{rel}: not a regular file")
        return f.read(limit)


def write_bytes(root: int, rel: str, data: bytes, mtime_ns: int | None) -> os.stat_result:
    """Create or replace a regular file; returns its stat (after setting the mtime, if given)."""
    head, base = _split(rel)
    dfd = open_dir(root, head, create=True)
    try:
        fd = os.open(base, _WRITE, 0o644, dir_fd=dfd)
        with os.fdopen(fd, "wb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(f"{rel}: not a regular file")
            os.ftruncate(fd, 0)
            f.write(data)
            f.flush()
            if mtime_ns is not None:
                os.utime(fd, ns=(mtime_ns, mtime_ns))
            return os.fstat(fd)
    finally:
        os.close(dfd)


def lstat(root: int, rel: str) -> os.stat_result:
    head, base = _split(rel)
    dfd = open_dir(root, head)
    try:
        return os.stat(base, dir_fd=dfd, follow_symlinks=False)
    finally:
        os.close(dfd)


def unlink(root: int, rel: str) -> None:
    head, base = _split(rel)
    dfd = open_dir(root, head)
    try:
        os.unlink(base, dir_fd=dfd)
    finally:
        os.close(dfd)


def set_dir_time(root: int, rel: str, ns: int) -> None:
    fd = open_dir(root, rel)
    try:
        os.utime(fd, ns=(ns, ns))
    finally:
        os.close(fd)


def walk(root: int, max_files: int) -> Iterator[tuple[str, bool, os.stat_result]]:
    """(relative path, is_dir, lstat) of every directory and regular file, not following symlinks.

    Raises OSError if the root itself cannot be opened.
    """
    stack = [("", open_root(root))]
    files = 0
    while stack:
        rel, fd = stack.pop()
        try:
            with os.scandir(fd) as it:
                entries = list(it)
            for e in entries:
                path = f"{rel}/{e.name}" if rel else e.name
                try:
                    if e.is_dir(follow_symlinks=False):
                        cfd = os.open(e.name, _DIR, dir_fd=fd)
                        stack.append((path, cfd))
                        yield path, True, os.fstat(cfd)
                    elif e.is_file(follow_symlinks=False) and files < max_files:
                        files += 1
                        yield path, False, e.stat(follow_symlinks=False)
                except OSError:
                    continue
        finally:
            os.close(fd)


def read_quietly(root: int, rel: str, limit: int) -> bytes:
    """``read_bytes`` that leaves the file's access time as it was (a snapshot is not a read by a command)."""
    head, base = _split(rel)
    dfd = open_dir(root, head)
    try:
        try:
            fd = os.open(base, _READ | os.O_NOATIME, dir_fd=dfd)
            before = None
        except PermissionError:  # O_NOATIME needs the file's owner: put the times back afterwards
            fd = os.open(base, _READ, dir_fd=dfd)
            before = os.fstat(fd)
    finally:
        os.close(dfd)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{rel}: not a regular file")
        data = f.read(limit)
        if before is not None:
            os.utime(fd, ns=(before.st_atime_ns, before.st_mtime_ns))
        return data


def set_mode_times(root: int, rel: str, mode: int, atime_ns: int, mtime_ns: int) -> os.stat_result:
    """Set a regular file's or directory's permission bits and times (never through a symlink); its new stat."""
    head, base = _split(rel)
    dfd = open_dir(root, head) if rel else open_root(root)
    try:
        fd = os.open(base, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dfd) if rel else os.dup(dfd)
    finally:
        os.close(dfd)
    try:
        s = os.fstat(fd)
        if not (stat.S_ISREG(s.st_mode) or stat.S_ISDIR(s.st_mode)):
            raise OSError(f"{rel}: not a regular file or directory")
        path = f"/proc/self/fd/{fd}"  # an O_PATH fd: chmod/utime through its magic link reach this inode only
        os.chmod(path, mode)
        os.utime(path, ns=(atime_ns, mtime_ns))
        return os.fstat(fd)
    finally:
        os.close(fd)
