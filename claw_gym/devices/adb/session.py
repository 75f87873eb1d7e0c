"""The `shell:` / `shell,v2:` / `exec:` service of one stream.

With a command it runs it at once; without one it reads command lines from
stdin (raw bytes for v1, packets for v2) so `echo 'input tap 1 2' | adb shell` works.
Shell v2 frames output as packets: id byte (1 stdout, 2 stderr, 3 exit) + uint32 length.
"""

from __future__ import annotations

import struct
from typing import Callable

from .shell import Shell

STDIN, STDOUT, STDERR, EXIT, CLOSE_STDIN, WINDOW_SIZE = 0, 1, 2, 3, 4, 5
PACKET_MAX = 32 * 1024
MAX_LINE = 1024 * 1024


def v2_packet(kind: int, data: bytes) -> bytes:
    return bytes([kind]) + struct.pack("<I", len(data)) + data


class ShellSession:
    """Runs commands for one stream and hands framed output to send(); finish() ends the stream."""

    def __init__(self, shell: Shell, command: str, v2: bool,
                 send: Callable[[bytes], None], finish: Callable[[], None]) -> None:
        self.shell, self.command, self.v2 = shell, command, v2
        self.send, self._finish = send, finish
        self.buf = bytearray()       # undecoded v2 packets
        self.line = bytearray()      # stdin not yet ending in a newline
        self.code = 0
        self.done = False

    def start(self) -> None:
        if self.command.strip():
            self._run(self.command)
            self._end()

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        if not self.v2:
            self._stdin(data)
            return
        self.buf += data
        while len(self.buf) >= 5 and not self.done:
            kind, n = self.buf[0], struct.unpack_from("<I", self.buf, 1)[0]
            if n > MAX_LINE:
                self._end()
                return
            if len(self.buf) < 5 + n:
                return
            payload = bytes(self.buf[5:5 + n])
            del self.buf[:5 + n]
            if kind == STDIN:
                self._stdin(payload)
            elif kind == CLOSE_STDIN:
                self._stdin(b"\n")
                self._end()

    def _stdin(self, data: bytes) -> None:
        self.line += data
        while b"\n" in self.line and not self.done:
            raw, _, rest = bytes(self.line).partition(b"\n")
            self.line = bytearray(rest)
            text = raw.decode("utf-8", "replace").rstrip("\r")
            if text.strip() in ("exit", "logout"):
                self._end()
                return
            if text.strip():
                self._run(text)
        if len(self.line) > MAX_LINE:
            self._end()

    def _run(self, line: str) -> None:
        res = self.shell.run(line)
        self.code = res.code
        if not self.v2:
            self.send(bytes(res.merged))
            return
        for kind, data in ((STDOUT, bytes(res.stdout)), (STDERR, bytes(res.stderr))):
            for i in range(0, len(data), PACKET_MAX):
                self.send(v2_packet(kind, data[i:i + PACKET_MAX]))

    def _end(self) -> None:
        if self.done:
            return
        self.done = True
        if self.v2:
            self.send(v2_packet(EXIT, bytes([self.code & 0xFF])))
        self._finish()
