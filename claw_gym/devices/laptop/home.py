"""The laptop's home directory as a view of the ``files`` service.

The service is the truth (checkers, hashes and snapshots read it). The home is
written from it when the shell starts; after each command (and around each
``claw`` call) the two are reconciled:

- ``push``: what changed in the service since the last sync is written to disk;
- ``pull``: what changed on disk is sent to the service through ``files.write`` /
  ``files.move`` / ``files.delete`` (``World.call`` with source ``shell``: validated
  and audited like any other door).

Both sides are compared against what was last agreed (contents and stat
signatures), so a sync costs one directory walk and no file reads when nothing
changed. Files that are not UTF-8 text or are too large stay on the laptop only,
with a note in the command's result.

Reads by commands (``cat``, ``grep``, a script opening a CSV) are not calls, so the
walk also notes them in ``reads`` (path -> virtual time of the first read seen): a
file's access time moved since the sync last set or saw it. The home is a tmpfs with
the kernel's default ``relatime``, so the first read after each sync write moves it;
``ls`` and ``stat`` do not (they read no content), and the sync's own reads are
re-stamped away. Writes need no such note: they reach the service as audited calls.
"""

from __future__ import annotations

import os
import stat as st
import weakref
from collections.abc import Callable
from typing import Any

from ...faults import TransientFault
from ...services.files import MAX_FILE_CHARS
from . import safefs
from .sandbox import as_fsuid

Sig = tuple[int, int, int]  # inode, size, mtime_ns
SKELETON = ("Documents", "Downloads", "Desktop")
MAX_FILES = 5000
SYNC_ATTEMPTS = 20  # per sync call meeting transient faults (at a fault rate of 0.3, all fail 1 in 10^10)


class HomeGone(OSError):
    """The home directory cannot be read any more (its sandbox is gone)."""


def _encode(text: str) -> bytes:
    """UTF-8; lone surrogates (JSON allows them in API-written content) become U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


class Home:
    def __init__(
        self,
        root: str,
        world: Any,
        call: Callable[[str, dict], Any],
        fsuid: int | None,
        reads: dict[str, int] | None = None,
    ) -> None:
        # The home, held open for the sandbox's lifetime (a pid-based path could later name another process).
        self.root = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        # weak: the laptop's finalizer holds the home, and the world holds the laptop (a snapshot participant)
        self._world = weakref.ref(world)
        self.call = call  # World.call bound to source="shell"
        self.fsuid = fsuid
        self.mirror: dict[str, str] = {}  # path -> content both sides agreed on
        self.sigs: dict[str, Sig] = {}  # path -> stat signature of the disk copy
        self.local: set[str] = set()  # files kept on the laptop only (binary, too large, refused)
        self.dir_times: dict[str, int] = {}  # directory -> the mtime we stamped on it
        self.atimes: dict[str, int] = {}  # path -> access time the sync last set or saw
        self.reads: dict[str, int] = {} if reads is None else reads  # path -> when a command first read it

    @property
    def world(self) -> Any:
        return self._world()

    def close(self) -> None:
        if self.root >= 0:
            os.close(self.root)
            self.root = -1

    def _service_files(self) -> dict[str, dict]:
        svc = self.world.services.get("files")
        return {} if svc is None else {f["path"]: f for f in svc.table("files").values()}

    # ---- service -> disk ------------------------------------------------------------------
    def materialize(self) -> None:
        with as_fsuid(self.fsuid):
            for d in SKELETON:
                try:
                    os.close(safefs.open_dir(self.root, d, create=True))
                except OSError:
                    pass
        self.push()
        self.stamp_dirs(set(SKELETON) | {os.path.dirname(p) for p in self.mirror})

    def stamp_dirs(self, rels: set[str]) -> None:
        """Give directories (and their parents up to home) the world's time, so ``ls -l`` is deterministic."""
        todo = {""}
        for rel in rels:
            while rel:
                todo.add(rel)
                rel = os.path.dirname(rel)
        t = self.world.clock.now * 10**9
        with as_fsuid(self.fsuid):
            for rel in sorted(todo):
                try:
                    safefs.set_dir_time(self.root, rel, t)
                except OSError:
                    continue
                self.dir_times[rel] = t

    def push(self) -> None:
        files = self._service_files()
        with as_fsuid(self.fsuid):
            for path, rec in files.items():
                content = rec["content"]
                old = self.mirror.get(path)
                if old is content or old == content:
                    continue
                self._write(path, content, rec.get("modified"))
            for path in [p for p in self.mirror if p not in files]:
                if self._sig(path) == self.sigs.get(path):  # not edited on disk since: follow the service
                    try:
                        safefs.unlink(self.root, path)
                    except OSError:
                        pass
                del self.mirror[path]
                self.sigs.pop(path, None)

    def _write(self, path: str, content: str, modified: int | None) -> None:
        t = self.world.clock.now if modified is None else modified  # virtual time, for `ls -l`
        try:
            s = safefs.write_bytes(self.root, path, _encode(content), t * 10**9)
        except OSError:
            return  # a symlink or directory in the way, the tmpfs full: the file stays service-only
        self.mirror[path] = content
        self.sigs[path] = (s.st_ino, s.st_size, s.st_mtime_ns)
        self.atimes[path] = s.st_atime_ns

    def _sig(self, path: str) -> Sig | None:
        try:
            s = safefs.lstat(self.root, path)
        except OSError:
            return None
        return (s.st_ino, s.st_size, s.st_mtime_ns) if st.S_ISREG(s.st_mode) else None

    def _stamp_file(self, path: str) -> Sig | None:
        """Set a file the shell wrote to the world's time; its new signature."""
        t = self.world.clock.now * 10**9
        try:
            head, _, base = path.rpartition("/")
            dfd = safefs.open_dir(self.root, head)
            try:
                os.utime(base, ns=(t, t), dir_fd=dfd, follow_symlinks=False)
            finally:
                os.close(dfd)
        except OSError:
            pass
        try:
            s = safefs.lstat(self.root, path)
        except OSError:
            return None
        self.atimes[path] = s.st_atime_ns
        return (s.st_ino, s.st_size, s.st_mtime_ns) if st.S_ISREG(s.st_mode) else None

    # ---- disk -> service ------------------------------------------------------------------
    def scan(self) -> dict[str, Sig]:
        """Regular files under the home (symlinks and special files are not followed).

        Directories whose mtime is not the one we stamped are collected in ``self._touched_dirs``.
        """
        out: dict[str, Sig] = {}
        self._touched_dirs: list[str] = []
        try:
            entries = list(safefs.walk(self.root, MAX_FILES))
        except OSError:  # the home itself is gone (the sandbox died): not "every file was deleted"
            raise HomeGone("the home cannot be read") from None
        now = self.world.clock.now
        atimes, reads = self.atimes, self.reads
        for path, is_dir, s in entries:
            if is_dir:
                if s.st_mtime_ns != self.dir_times.get(path):
                    self._touched_dirs.append(path)
            else:
                out[path] = (s.st_ino, s.st_size, s.st_mtime_ns)
                seen = atimes.get(path)
                if seen != s.st_atime_ns:
                    if seen is not None and path not in reads:
                        reads[path] = now  # a command read its content
                    atimes[path] = s.st_atime_ns
        return out

    def pull(self) -> list[str]:
        """Send disk changes to the service; returns notes for the command's result."""
        notes: list[str] = []
        try:
            now = self.scan()
        except HomeGone:
            notes.append("the laptop's home went down with its shell; the files keep their last saved state")
            return notes
        changed = sorted(p for p, sig in now.items() if self.sigs.get(p) != sig)
        gone = sorted(p for p in self.sigs if p not in now)
        if self._touched_dirs:  # new or changed directories (mkdir, a file added or removed)
            self.stamp_dirs(set(self._touched_dirs))
        if not changed and not gone:
            return notes
        texts = {path: self._read(path, now[path][1], notes) for path in changed}
        # what commands touched gets the world's time (the host clock would break determinism); stamped
        # after our reads, which sets the access time back too (the next read by a command moves it)
        with as_fsuid(self.fsuid):
            for path in changed:
                sig = self._stamp_file(path)
                if sig is not None:
                    now[path] = sig
        self.stamp_dirs({os.path.dirname(p) for p in changed + gone})
        new_content: dict[str, str] = {}
        for path in changed:
            self.sigs[path] = now[path]
            text = texts[path]
            if text is None:
                self.local.add(path)
                continue
            self.local.discard(path)
            if self.mirror.get(path) != text:
                new_content[path] = text
        gone_content = {p: self.mirror[p] for p in gone if p in self.mirror}
        for path in gone:
            self.sigs.pop(path, None)
            self.atimes.pop(path, None)
            self.local.discard(path)
        # a file that vanished and reappeared elsewhere with the same content was moved
        for dst in sorted(new_content):
            if dst in self.mirror:
                continue
            src = next((p for p, c in gone_content.items() if c == new_content[dst]), None)
            if src is not None and self._send(notes, "files.move", {"src": src, "dst": dst}):
                del gone_content[src]
                self.mirror.pop(src, None)
                self.mirror[dst] = new_content.pop(dst)
        for path, text in sorted(new_content.items()):
            if self._send(notes, "files.write", {"path": path, "content": text}):
                self.mirror[path] = text
        for path in sorted(gone_content):
            if path in self._service_files() and not self._send(notes, "files.delete", {"path": path}):
                continue
            self.mirror.pop(path, None)
        return notes

    def _read(self, path: str, size: int, notes: list[str]) -> str | None:
        if size > MAX_FILE_CHARS:
            notes.append(f"{path}: larger than {MAX_FILE_CHARS} bytes, kept on the laptop only")
            return None
        try:
            data = safefs.read_bytes(self.root, path, MAX_FILE_CHARS + 1)
        except OSError as exc:
            notes.append(f"{path}: unreadable ({exc.strerror or exc}), kept on the laptop only")
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(f"{path}: not UTF-8 text, kept on the laptop only")
            return None

    def _send(self, notes: list[str], call: str, args: dict[str, Any]) -> bool:
        """One sync call. A transient fault is retried at once, as a sync client does (the
        command already changed the disk, so running it again would not be the same); the
        faults stay in the audit log and ``info["faults"]``, marked recovered."""
        what = args.get("path") or args.get("dst")
        met: list[TransientFault] = []
        for _ in range(SYNC_ATTEMPTS):
            try:
                self.call(call, args)
            except TransientFault as exc:
                met.append(exc)
                continue
            except Exception as exc:  # ServiceError: a refused path or size; the file stays local
                notes.append(f"{what}: not saved ({exc})")
                return False
            for f in met:
                f.recovered = True
            if met:
                notes.append(f"{what}: saved after {len(met)} transient service fault(s), retried by the sync")
            return True
        notes.append(f"{what}: not saved ({met[-1]})")
        return False
