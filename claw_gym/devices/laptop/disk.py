"""The laptop's home as snapshot data: capture it from a live sandbox, re-create it in a new one.

The ``files`` service already holds every synced file's content (the world snapshots it).
What only the disk knows is captured here: which files and directories exist, their
permission bits and times, the content of files the service does not hold (binary,
too large, refused, or edited since the last sync), and the sync's own bookkeeping
(what it last agreed on with the service), so that the first command after a restore
syncs exactly as it would have at the moment of the snapshot.

A capture costs one directory walk plus reads of the files the service lacks; files
the sync already agreed on are referenced by their agreed text, not copied. Symlinks,
FIFOs and other special files are not captured (the sync never follows them either),
nor are files a command made unreadable before the sync saw them.
"""

from __future__ import annotations

import os
import stat as st
from dataclasses import dataclass

from . import safefs
from .home import MAX_FILES, Home, _encode
from .sandbox import as_fsuid


@dataclass(frozen=True)
class FileState:
    path: str
    mode: int  # permission bits
    atime_ns: int
    mtime_ns: int
    data: bytes | None  # None: the content is the text the sync agreed on (``Disk.mirror``)
    synced: bool  # the sync knew this version of the file (else the next command's sync looks at it)


@dataclass(frozen=True)
class Disk:
    dirs: tuple[tuple[str, int, int], ...]  # (path, mode, mtime_ns), parents first; "" is the home itself
    files: tuple[FileState, ...]
    mirror: tuple[tuple[str, str], ...]  # the sync's bookkeeping (see Home)
    local: frozenset[str]
    atimes: tuple[tuple[str, int], ...]
    dir_times: tuple[tuple[str, int], ...]

    def nbytes(self) -> int:
        return sum(len(f.data) for f in self.files if f.data is not None)


def capture(home: Home) -> Disk:
    """The home's state now (between commands: disk and service were just synced)."""
    with as_fsuid(home.fsuid):
        top = os.fstat(home.root)
        dirs = [("", st.S_IMODE(top.st_mode), top.st_mtime_ns)]
        files = []
        for path, is_dir, s in sorted(safefs.walk(home.root, MAX_FILES)):
            if is_dir:
                dirs.append((path, st.S_IMODE(s.st_mode), s.st_mtime_ns))
                continue
            synced = home.sigs.get(path) == (s.st_ino, s.st_size, s.st_mtime_ns)
            data = None
            if not synced or path not in home.mirror or path in home.local:
                try:
                    data = safefs.read_quietly(home.root, path, s.st_size + 1)
                except OSError:
                    continue  # unreadable (mode 000, raced away): not captured
            files.append(FileState(path, st.S_IMODE(s.st_mode), s.st_atime_ns, s.st_mtime_ns, data, synced))
    return Disk(
        tuple(dirs),
        tuple(files),
        tuple(home.mirror.items()),
        frozenset(home.local),
        tuple(home.atimes.items()),
        tuple(home.dir_times.items()),
    )


def apply(home: Home, disk: Disk) -> None:
    """Re-create ``disk`` in the empty home of a freshly started sandbox (instead of ``materialize``)."""
    mirror = dict(disk.mirror)
    home.mirror, home.local = dict(mirror), set(disk.local)
    home.sigs, home.atimes = {}, dict(disk.atimes)
    with as_fsuid(home.fsuid):
        for path, _, _ in disk.dirs[1:]:
            try:
                os.close(safefs.open_dir(home.root, path, create=True))
            except OSError:
                pass
        for f in disk.files:
            data = f.data if f.data is not None else _encode(mirror[f.path])
            try:
                safefs.write_bytes(home.root, f.path, data, None)
                s = safefs.set_mode_times(home.root, f.path, f.mode, f.atime_ns, f.mtime_ns)
            except OSError:
                continue
            if f.synced:
                home.sigs[f.path] = (s.st_ino, s.st_size, s.st_mtime_ns)
        for path, mode, mtime in reversed(disk.dirs):  # deepest first: a read-only parent comes last
            try:
                safefs.set_mode_times(home.root, path, mode, mtime, mtime)
            except OSError:
                pass
    home.dir_times = dict(disk.dir_times)
