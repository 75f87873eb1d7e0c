"""Files: the person's documents (the laptop's home directory as records).

Paths are relative to the home directory ('Documents/report.txt'); the laptop's
shell sees the same files in ~.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from .. import clock
from ..plural import count
from .base import OWN, Record, Service, ServiceError, endpoint

MAX_FILE_CHARS = 1_000_000


def clean_path(path: str) -> str:
    """Normalize a home-relative path; refuse anything that escapes home."""
    p = path.strip()
    if p.startswith("~/"):
        p = p[2:]
    parts = [s for s in p.split("/") if s not in ("", ".")]
    if not parts or p.startswith("/") or any(s == ".." for s in parts) or any("\x00" in s for s in parts):
        raise ServiceError(f"bad path {path!r}: give a path inside home, like 'Documents/notes.txt'")
    return "/".join(parts)


class Files(Service):
    name = "files"
    title = "Files"
    tables_spec = {"files": "f"}

    def find(self, path: str) -> Record | None:
        try:
            p = clean_path(path)
        except ServiceError:
            return None
        return next((f for f in self.table("files").values() if f["path"] == p), None)

    def put(self, path: str, content: str, time: int | None = None) -> Record:
        """Create or replace a file (generators, shell sync)."""
        p = clean_path(path)
        existing = self.find(p)
        t = self.now if time is None else time
        if existing is not None:
            return self.modify(existing, content=content, modified=t)
        return self.insert("files", {"path": p, "content": content, "modified": t})

    def _view(self, f: Record) -> dict[str, Any]:
        return {"path": f["path"], "size": len(f["content"].encode("utf-8")), "modified": clock.fmt(f["modified"])}

    @endpoint("List files under a directory, optionally matching a glob like '*.csv'.", reads=(OWN,))
    def list(self, dir: str = "", pattern: str = "*", limit: int = 100, offset: int = 0) -> dict:
        prefix = clean_path(dir) + "/" if dir.strip() not in ("", ".", "~", "~/") else ""
        rows = sorted(
            (
                f
                for f in self.table("files").values()
                if f["path"].startswith(prefix) and fnmatch.fnmatch(f["path"].rsplit("/", 1)[-1], pattern)
            ),
            key=lambda f: f["path"],
        )
        return self.page(rows, limit, offset, view=self._view)

    def _existing(self, path: str) -> Record:
        """The file at ``path``; a missing one is the endpoint's error."""
        f = self.find(path)
        if f is None:
            raise ServiceError(f"no file {path!r}")
        return f

    @endpoint("Read a text file.", reads=(OWN,))
    def read(self, path: str) -> dict:
        f = self._existing(path)
        return {"path": f["path"], "content": f["content"]}

    @endpoint("Write (create or replace) a text file.", mutates=True, reads=())
    def write(self, path: str, content: str) -> dict:
        p = clean_path(path)
        self.require(len(content) <= MAX_FILE_CHARS, f"file too large (max {MAX_FILE_CHARS} characters)")
        return {"written": self.put(p, content)["path"]}

    @endpoint("Move or rename a file.", mutates=True, reads=(OWN,))
    def move(self, src: str, dst: str) -> dict:
        f = self._existing(src)
        d = clean_path(dst)
        if (
            d.endswith("/")
            or self.find(d) is None
            and any(x["path"].startswith(d + "/") for x in self.table("files").values())
        ):
            d = f"{d.rstrip('/')}/{f['path'].rsplit('/', 1)[-1]}"
        self.require(self.find(d) is None, f"{d!r} already exists")
        self.modify(f, path=d, modified=self.now)
        return {"moved": src, "to": d}

    @endpoint("Delete a file.", mutates=True, reads=(OWN,))
    def delete(self, path: str) -> dict:
        f = self._existing(path)
        self.remove("files", f["id"])
        return {"deleted": f["path"]}

    def summary(self) -> str:
        return f"files: {count(len(self.table('files')), 'file')}"
