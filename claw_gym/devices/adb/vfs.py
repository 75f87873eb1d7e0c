"""An in-memory file tree for the served phone (/sdcard, /data/local/tmp, ...).

It exists so adb's push/pull and `uiautomator dump <path>` have somewhere to put
bytes; nothing here touches the host's disk. Paths are absolute POSIX paths.
"""

from __future__ import annotations

import posixpath
import stat
import threading
from dataclasses import dataclass

# A fixed, non-zero mtime for files the device makes itself: adbutils treats
# mtime 0 as "file missing", and a wall-clock time would break determinism.
DEVICE_MTIME = 1767225600  # 2026-01-01T00:00:00Z

DEFAULT_DIRS = (
    "/sdcard",
    "/sdcard/Download",
    "/sdcard/Pictures",
    "/sdcard/DCIM",
    "/data/local/tmp",
    "/storage/emulated/0",
    "/dev",
    "/system/bin",
)
MAX_FILE_BYTES = 64 * 1024 * 1024


class FsError(Exception):
    """A refused file operation; the message reads like Android's toybox."""


@dataclass
class Entry:
    mode: int
    data: bytes = b""
    mtime: int = DEVICE_MTIME

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.mode)


def normalize(path: str, cwd: str = "/") -> str:
    if not path:
        raise FsError("empty path")
    return posixpath.normpath(posixpath.join(cwd, path)).replace("//", "/")


class VirtualFS:
    """Files and directories keyed by normalized absolute path; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, Entry] = {"/": Entry(stat.S_IFDIR | 0o755)}
        for d in DEFAULT_DIRS:
            self.mkdir(d, parents=True)

    def stat(self, path: str) -> Entry | None:
        with self._lock:
            return self._entries.get(normalize(path))

    def is_dir(self, path: str) -> bool:
        e = self.stat(path)
        return e is not None and e.is_dir

    def read(self, path: str) -> bytes:
        p = normalize(path)
        e = self.stat(p)
        if e is None:
            raise FsError(f"{p}: No such file or directory")
        if e.is_dir:
            raise FsError(f"{p}: Is a directory")
        return e.data

    def write(self, path: str, data: bytes, mode: int = 0o644, mtime: int = DEVICE_MTIME, append: bool = False) -> None:
        p = normalize(path)
        with self._lock:
            parent = self._entries.get(posixpath.dirname(p))
            if parent is None or not parent.is_dir:
                raise FsError(f"{p}: No such file or directory")
            old = self._entries.get(p)
            if old is not None and old.is_dir:
                raise FsError(f"{p}: Is a directory")
            if append and old is not None:
                data = old.data + data
            if len(data) > MAX_FILE_BYTES:
                raise FsError(f"{p}: No space left on device")
            self._entries[p] = Entry(stat.S_IFREG | (mode & 0o7777), bytes(data), mtime or DEVICE_MTIME)

    def mkdir(self, path: str, parents: bool = False) -> None:
        p = normalize(path)
        with self._lock:
            todo = []
            cur = p
            while cur not in self._entries:
                todo.append(cur)
                cur = posixpath.dirname(cur)
            if not self._entries[cur].is_dir:
                raise FsError(f"{cur}: Not a directory")
            if not todo:
                if parents:
                    return
                raise FsError(f"{p}: File exists")
            if len(todo) > 1 and not parents:
                raise FsError(f"{p}: No such file or directory")
            for d in reversed(todo):
                self._entries[d] = Entry(stat.S_IFDIR | 0o771)

    def listdir(self, path: str) -> list[str]:
        p = normalize(path)
        with self._lock:
            e = self._entries.get(p)
            if e is None:
                raise FsError(f"{p}: No such file or directory")
            if not e.is_dir:
                return [posixpath.basename(p)]
            prefix = p.rstrip("/") + "/"
            return sorted(
                k[len(prefix) :]
                for k in self._entries
                if k.startswith(prefix) and k != p and "/" not in k[len(prefix) :]
            )

    def remove(self, path: str, recursive: bool = False) -> None:
        p = normalize(path)
        with self._lock:
            e = self._entries.get(p)
            if e is None:
                raise FsError(f"{p}: No such file or directory")
            if p == "/":
                raise FsError("/: Device or resource busy")
            if e.is_dir:
                if not recursive:
                    raise FsError(f"{p}: Is a directory")
                prefix = p + "/"
                for k in [k for k in self._entries if k.startswith(prefix)]:
                    del self._entries[k]
            del self._entries[p]
