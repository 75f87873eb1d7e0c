"""The `shell:` / `shell,v2:` / `exec:` service of one stream.

With a command it runs it at once; without one it reads command lines from
stdin (raw bytes for v1, packets for v2) so `echo 'input tap 1 2' | adb shell` works.
With a pty (`adb shell` typed at a terminal) it also plays the terminal's part:
prompt, echo, backspace, Ctrl-C, Ctrl-D, and CRLF line endings.
Shell v2 frames output as packets: id byte (1 stdout, 2 stderr, 3 exit) + uint32 length.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from .shell import Shell

STDIN, STDOUT, STDERR, EXIT, CLOSE_STDIN, WINDOW_SIZE = 0, 1, 2, 3, 4, 5
PACKET_MAX = 32 * 1024
MAX_LINE = 1024 * 1024


def v2_packet(kind: int, data: bytes) -> bytes:
    return bytes([kind]) + struct.pack("<I", len(data)) + data


class ShellSession:
    """Runs commands for one stream and hands framed output to send(); finish() ends the stream."""

    def __init__(
        self,
        shell: Shell,
        command: str,
        v2: bool,
        send: Callable[[bytes], None],
        finish: Callable[[], None],
        pty: bool = False,
    ) -> None:
        self.shell, self.command, self.v2, self.pty = shell, command, v2, pty
        self.prompt = f"{shell.props.get('ro.product.device', 'phone')}:/ $ ".encode()
        self.escape = False  # inside a terminal escape sequence (arrow keys...)
        self.send, self._finish = send, finish
        self.buf = bytearray()  # undecoded v2 packets
        self.line = bytearray()  # stdin not yet ending in a newline
        self.code = 0
        self.done = False

    def start(self) -> None:
        if self.command.strip():
            self._run(self.command)
            self._end()
        elif self.pty:
            self._out(self.prompt)

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
            payload = bytes(self.buf[5 : 5 + n])
            del self.buf[: 5 + n]
            if kind == STDIN:
                self._stdin(payload)
            elif kind == CLOSE_STDIN:
                self._stdin(b"\n")
                self._end()

    def _stdin(self, data: bytes) -> None:
        if self.pty:
            self._keys(data)
            return
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

    def _keys(self, data: bytes) -> None:
        """Terminal line discipline for a pty session: echo what is typed, run on Enter."""
        echo = bytearray()
        for b in data:
            if self.done:
                return
            if self.escape:
                self.escape = not (0x40 <= b <= 0x7E and b != ord("["))
            elif b == 0x1B:
                self.escape = True
            elif b in (0x0D, 0x0A):
                self._out(bytes(echo) + b"\r\n")
                echo.clear()
                text = bytes(self.line).decode("utf-8", "replace").strip()
                self.line.clear()
                if text in ("exit", "logout"):
                    self._end()
                    return
                if text:
                    self._run(text)
                self._out(self.prompt)
            elif b in (0x7F, 0x08):
                if self.line:
                    while self.line and (self.line.pop() & 0xC0) == 0x80:
                        pass  # drop a whole UTF-8 character
                    echo += b"\b \b"
            elif b == 0x03:
                self.line.clear()
                self._out(bytes(echo) + b"^C\r\n" + self.prompt)
                echo.clear()
            elif b == 0x04:
                if not self.line:
                    self._out(bytes(echo))
                    self._end()
                    return
            elif (b >= 0x20 or b == 0x09) and len(self.line) < MAX_LINE:
                self.line.append(b)
                echo.append(b)
        if echo:
            self._out(bytes(echo))

    def _out(self, data: bytes) -> None:
        """Terminal output (pty sessions): one stream, as a tty delivers it."""
        if self.v2:
            for i in range(0, len(data), PACKET_MAX):
                self.send(v2_packet(STDOUT, data[i : i + PACKET_MAX]))
        else:
            self.send(data)

    def _run(self, line: str) -> None:
        res = self.shell.run(line)
        self.code = res.code
        if self.pty:
            self._out(bytes(res.merged).replace(b"\n", b"\r\n"))
            return
        if not self.v2:
            self.send(bytes(res.merged))
            return
        for kind, data in ((STDOUT, bytes(res.stdout)), (STDERR, bytes(res.stderr))):
            for i in range(0, len(data), PACKET_MAX):
                self.send(v2_packet(kind, data[i : i + PACKET_MAX]))

    def _end(self) -> None:
        if self.done:
            return
        self.done = True
        if self.v2:
            self.send(v2_packet(EXIT, bytes([self.code & 0xFF])))
        self._finish()
