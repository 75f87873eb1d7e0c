"""adb's `sync:` service (file transfer) over the virtual file tree.

Requests are an 4-byte id plus a little-endian uint32, parsed from a byte
stream (the host may split or pack them across WRTE packets): STAT, LIST, RECV,
SEND (then DATA... DONE), QUIT. Version 1 only: we do not advertise stat_v2/ls_v2.
"""

from __future__ import annotations

import posixpath
import stat
import struct
from collections.abc import Callable

from .vfs import MAX_FILE_BYTES, FsError, VirtualFS

CHUNK = 64 * 1024  # the largest DATA block either side may send
MAX_PATH = 1024
U32 = struct.Struct("<I")


class SyncSession:
    """One sync stream: feed() it host bytes; it calls send(bytes) and close()."""

    def __init__(self, fs: VirtualFS, send: Callable[[bytes], None], close: Callable[[], None]) -> None:
        self.fs, self.send, self._close = fs, send, close
        self.buf = bytearray()
        self.upload: dict | None = None  # path, mode, data, error while inside SEND
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._close()

    def fail(self, message: str) -> None:
        data = message.encode()
        self.send(b"FAIL" + U32.pack(len(data)) + data)

    def feed(self, data: bytes) -> None:
        self.buf += data
        while not self.closed and len(self.buf) >= 8:
            rid, n = bytes(self.buf[:4]), U32.unpack_from(self.buf, 4)[0]
            if self.upload is not None:
                if not self._upload_step(rid, n):
                    return
            elif rid in (b"STAT", b"LIST", b"RECV", b"SEND"):
                if n > MAX_PATH:
                    self.fail("path too long")
                    self.close()
                    return
                if len(self.buf) < 8 + n:
                    return
                path = bytes(self.buf[8 : 8 + n]).decode("utf-8", "replace")
                del self.buf[: 8 + n]
                getattr(self, "_" + rid.decode().lower())(path)
            elif rid == b"QUIT":
                self.close()
            else:
                self.close()  # not a sync request: garbage, end the stream

    # ---- requests -----------------------------------------------------------------
    def _stat(self, path: str) -> None:
        e = self.fs.stat(path) if path else None
        if e is None:
            self.send(b"STAT" + struct.pack("<III", 0, 0, 0))
        else:
            self.send(b"STAT" + struct.pack("<III", e.mode, len(e.data), e.mtime))

    def _list(self, path: str) -> None:
        try:
            names = self.fs.listdir(path) if self.fs.is_dir(path) else []
        except FsError:
            names = []
        for name in names:
            e = self.fs.stat(posixpath.join(path, name))
            if e is None:
                continue
            raw = name.encode()
            self.send(b"DENT" + struct.pack("<IIII", e.mode, len(e.data), e.mtime, len(raw)) + raw)
        self.send(b"DONE" + bytes(16))

    def _recv(self, path: str) -> None:
        try:
            data = self.fs.read(path)
        except FsError as e:
            self.fail(str(e))
            return
        for i in range(0, len(data), CHUNK):
            block = data[i : i + CHUNK]
            self.send(b"DATA" + U32.pack(len(block)) + block)
        self.send(b"DONE" + bytes(4))

    def _send(self, spec: str) -> None:
        path, _, mode = spec.rpartition(",")
        if not path or not mode.isdigit():
            path, mode = spec, str(stat.S_IFREG | 0o644)
        self.upload = {"path": path, "mode": int(mode), "data": bytearray(), "error": None}

    def _upload_step(self, rid: bytes, n: int) -> bool:
        """Consume one DATA or DONE of an upload; False when more bytes are needed."""
        up = self.upload
        assert up is not None
        if rid == b"DATA":
            if n > CHUNK:
                self.fail("DATA block larger than 64 KiB")
                self.close()
                return False
            if len(self.buf) < 8 + n:
                return False
            up["data"] += self.buf[8 : 8 + n]
            del self.buf[: 8 + n]
            if len(up["data"]) > MAX_FILE_BYTES:
                self.fail("file too large")
                self.close()
                return False
            return True
        if rid == b"DONE":
            del self.buf[:8]
            self.upload = None
            try:
                parent = posixpath.dirname(posixpath.normpath(up["path"]))
                self.fs.mkdir(parent, parents=True)
                self.fs.write(up["path"], bytes(up["data"]), mode=up["mode"], mtime=n)
            except FsError as e:
                self.fail(str(e))
                return True
            self.send(b"OKAY" + bytes(4))
            return True
        self.fail("expected DATA or DONE")
        self.close()
        return False
