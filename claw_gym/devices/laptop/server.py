"""The host end of the ``claw`` command: a Unix socket served from the step loop.

The socket file sits in the control directory that is bound into the sandbox (no
network port: the sandbox has no network). It is only served while a shell
command runs, from the same select loop that reads the shell's output, so every
request is handled on the env's thread, in arrival order, between two
observations: no locks, no races, and nothing changes the world between steps.

Protocol: the client sends one JSON object and a newline
(``{"call": "mail.list", "args": {...}}``); the server answers one JSON object and
a newline (``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``)
and closes.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from typing import Any

MAX_REQUEST = 4 << 20
MAX_CLIENTS = 16


class _Client:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.inbuf = bytearray()
        self.outbuf = b""


class ClawServer:
    def __init__(self, path: str, handle: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.path = path
        self.handle = handle
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        os.chmod(path, 0o666)  # the sandbox user is another uid; only the sandbox can see the file
        self.listener.listen(MAX_CLIENTS)
        self.listener.setblocking(False)
        self.clients: dict[int, _Client] = {}

    def rfds(self) -> list[int]:
        return [self.listener.fileno()] + [fd for fd, c in self.clients.items() if not c.outbuf]

    def wfds(self) -> list[int]:
        return [fd for fd, c in self.clients.items() if c.outbuf]

    def ready(self, readable: list[int], writable: list[int]) -> None:
        for fd in readable:
            if fd == self.listener.fileno():
                self._accept()
            elif fd in self.clients:
                self._read(self.clients[fd])
        for fd in writable:
            if fd in self.clients:
                self._write(self.clients[fd])

    def _accept(self) -> None:
        while len(self.clients) < MAX_CLIENTS:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            sock.setblocking(False)
            self.clients[sock.fileno()] = _Client(sock)

    def _drop(self, c: _Client) -> None:
        self.clients.pop(c.sock.fileno(), None)
        c.sock.close()

    def _read(self, c: _Client) -> None:
        try:
            data = c.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            c.inbuf += data
        if b"\n" not in c.inbuf and data and len(c.inbuf) <= MAX_REQUEST:
            return
        line = bytes(c.inbuf).split(b"\n", 1)[0]
        if not line.strip():
            self._drop(c)
            return
        if len(line) > MAX_REQUEST:
            reply: dict[str, Any] = {"ok": False, "error": f"request larger than {MAX_REQUEST} bytes"}
        else:
            reply = self._answer(line)
        c.outbuf = json.dumps(reply, ensure_ascii=False, default=str).encode("utf-8", "replace") + b"\n"
        self._write(c)

    def _answer(self, line: bytes) -> dict[str, Any]:
        try:
            req = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return {"ok": False, "error": f"request is not JSON: {exc}"}
        if not isinstance(req, dict):
            return {"ok": False, "error": "request must be a JSON object"}
        return self.handle(req)

    def _write(self, c: _Client) -> None:
        try:
            n = c.sock.send(c.outbuf)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(c)
            return
        c.outbuf = c.outbuf[n:]
        if not c.outbuf:
            self._drop(c)

    def close(self) -> None:
        for c in list(self.clients.values()):
            self._drop(c)
        self.listener.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass
