"""The device-side shell behind adb's `shell:` and `shell,v2:` services.

A small interpreter, not a real sh: it understands quoting ('..', "..", \\),
`;`, `&&`, `||`, `$?`, and `>`/`>>` redirects into the virtual file tree, which is
what adbutils and hand-typed adb commands send. Each command maps onto a
PhoneDevice call (input, screencap, uiautomator, am, monkey) or onto the
VirtualFS (ls, cat, rm, mkdir, echo).
"""

from __future__ import annotations

import posixpath
import threading
from collections.abc import Callable

import numpy as np

from ..phone.base import PhoneDevice
from .imaging import png_bytes, raw_screencap
from .vfs import FsError, VirtualFS

Q = "\x00"  # stands for `$?` inside a word until the command runs
R = "\x01"  # marks an unquoted redirect operator, so a quoted '>' stays a plain word
OPERATORS = (";", "&&", "||", "|", "\n")

# adb key names and codes -> the PhoneDevice's key words.
KEY_ALIASES = {
    "3": "home",
    "4": "back",
    "66": "enter",
    "187": "recents",
    "HOME": "home",
    "BACK": "back",
    "ENTER": "enter",
    "APP_SWITCH": "recents",
    "RECENTS": "recents",
}


def key_name(k: str) -> str:
    """'4', 'BACK', 'KEYCODE_BACK' -> 'back'; other keys -> 'KEYCODE_X' or the number."""
    bare = k.upper()[8:] if k.upper().startswith("KEYCODE_") else k.upper()
    if bare in KEY_ALIASES:
        return KEY_ALIASES[bare]
    return k if k.isdigit() else "KEYCODE_" + bare


class ShellSyntaxError(Exception):
    pass


class Pipe:
    """stdout or stderr: keeps its own bytes and also appends them to the merged stream."""

    def __init__(self, merged: bytearray) -> None:
        self.buf, self.merged = bytearray(), merged

    def __iadd__(self, data: bytes) -> Pipe:
        self.buf += data
        self.merged += data
        return self

    def __bytes__(self) -> bytes:
        return bytes(self.buf)


class Result:
    """What a command line produced: stdout, stderr, both in order (for shell v1), exit code."""

    def __init__(self) -> None:
        self.merged = bytearray()
        self.stdout, self.stderr = Pipe(self.merged), Pipe(self.merged)
        self.code = 0


def tokenize(line: str) -> list[tuple[str, list[str]]]:
    """Split a command line into [(operator_before, words)]; `$?` becomes Q."""
    out: list[tuple[str, list[str]]] = []
    words: list[str] = []
    word: list[str] | None = None
    op = ";"
    i, n = 0, len(line)
    if Q in line or R in line:
        raise ShellSyntaxError("control characters in command line")

    def end_word() -> None:
        nonlocal word
        if word is not None:
            words.append("".join(word))
            word = None

    def end_command(next_op: str) -> None:
        nonlocal words, op
        end_word()
        if words:
            out.append((op, words))
        elif next_op not in (";", "\n") or op not in (";", "\n"):
            raise ShellSyntaxError(f"syntax error: unexpected '{next_op}'")
        words, op = [], next_op

    while i < n:
        c = line[i]
        if c in " \t":
            end_word()
        elif c == "'":
            j = line.find("'", i + 1)
            if j < 0:
                raise ShellSyntaxError("syntax error: unterminated quoted string")
            word = (word or []) + [line[i + 1 : j]]
            i = j
        elif c == '"':
            word = word or []
            i += 1
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\$`':
                    i += 1
                    word.append(line[i])
                elif line.startswith("$?", i):
                    word.append(Q)
                    i += 1
                else:
                    word.append(line[i])
                i += 1
            if i >= n:
                raise ShellSyntaxError("syntax error: unterminated quoted string")
        elif c == "\\":
            if i + 1 < n:
                i += 1
                if line[i] != "\n":
                    word = (word or []) + [line[i]]
        elif line.startswith("$?", i):
            word = (word or []) + [Q]
            i += 1
        elif c in ";&|\n":
            two = line[i : i + 2]
            if two in ("&&", "||"):
                end_command(two)
                i += 1
            elif c == "&":
                raise ShellSyntaxError("background jobs (&) are not supported")
            else:
                end_command(c)
        elif c == ">":
            end_word()
            if line.startswith(">>", i):
                words.append(R + ">>")
                i += 1
            else:
                words.append(R + ">")
        else:
            word = (word or []) + [c]
        i += 1
    end_command(";")
    if op not in (";", "\n"):
        raise ShellSyntaxError(f"syntax error: unexpected end after '{op}'")
    return out


def _int(v: str) -> int:
    return int(round(float(v)))


class Shell:
    """Runs command lines against one phone and its file tree (one lock for both)."""

    def __init__(
        self, phone: PhoneDevice, fs: VirtualFS, props: dict[str, str], lock: threading.RLock | None = None
    ) -> None:
        self.phone, self.fs, self.props = phone, fs, props
        self.lock = lock or threading.RLock()
        self._png: tuple[np.ndarray, bytes] | None = None  # last screen and its PNG
        self.commands: dict[str, Callable[[list[str], Result], int]] = {
            "input": self._input,
            "screencap": self._screencap,
            "uiautomator": self._uiautomator,
            "am": self._am,
            "monkey": self._monkey,
            "wm": self._wm,
            "dumpsys": self._dumpsys,
            "getprop": self._getprop,
            "echo": self._echo,
            "ls": self._ls,
            "cat": self._cat,
            "rm": self._rm,
            "mkdir": self._mkdir,
            "true": lambda a, r: 0,
            "false": lambda a, r: 1,
        }

    # ---- driver -------------------------------------------------------------------
    def run(self, line: str) -> Result:
        res = Result()
        try:
            commands = tokenize(line)
        except ShellSyntaxError as e:
            res.stderr += f"/system/bin/sh: {e}\n".encode()
            res.code = 2
            return res
        code = 0
        with self.lock:
            for op, words in commands:
                if (op == "&&" and code != 0) or (op == "||" and code == 0):
                    continue
                if op == "|":
                    res.stderr += b"/system/bin/sh: pipes are not supported\n"
                    code = 2
                    continue
                code = self._run_one([w.replace(Q, str(code)) for w in words], res)
        res.code = code
        return res

    def _run_one(self, words: list[str], res: Result) -> int:
        redirected, target, append = self._redirect(words)
        if redirected is None:
            res.stderr += b"/system/bin/sh: syntax error: redirect without a file\n"
            return 2
        words = redirected
        out = Result() if target else res
        fn = self.commands.get(words[0]) if words else None
        if words and fn is None:
            res.stderr += f"/system/bin/sh: {words[0]}: inaccessible or not found\n".encode()
            return 127
        try:
            code = fn(words[1:], out) if fn else 0
        except FsError as e:
            out.stderr += f"{words[0]}: {e}\n".encode()
            code = 1
        except (ValueError, IndexError):
            out.stderr += f"{words[0]}: bad arguments: {' '.join(words[1:])}\n".encode()
            code = 1
        except Exception as e:  # a phone bug is this command's failure, not the connection's
            out.stderr += f"{words[0]}: internal error: {type(e).__name__}: {e}\n".encode()
            code = 1
        if target:
            res.stderr += bytes(out.stderr)
            try:
                self.fs.write(target, bytes(out.stdout), append=append)
            except FsError as e:
                res.stderr += f"/system/bin/sh: {e}\n".encode()
                return 1
        return code

    @staticmethod
    def _redirect(words: list[str]) -> tuple[list[str] | None, str | None, bool]:
        """Strip `> file` / `>> file` from words; the last redirect wins, as in sh."""
        plain: list[str] = []
        target, append = None, False
        it = iter(words)
        for w in it:
            if w in (R + ">", R + ">>"):
                target = next(it, None)
                if target is None or target.startswith(R):
                    return None, None, False
                append = w == R + ">>"
            else:
                plain.append(w)
        return plain, target, append

    @staticmethod
    def _report(err: str | None, res: Result) -> int:
        if err:
            res.stderr += (err.rstrip("\n") + "\n").encode()
            return 1
        return 0

    # ---- phone commands -----------------------------------------------------------
    def _input(self, a: list[str], res: Result) -> int:
        if a and a[0] in ("touchscreen", "touchpad", "keyboard"):
            a = a[1:]
        if len(a) >= 2 and a[0] == "-d":
            a = a[2:]
        if not a:
            res.stderr += b"usage: input [<source>] <command> [<arg>...]\n"
            return 1
        cmd, rest = a[0], a[1:]
        p = self.phone
        if cmd == "tap" and len(rest) == 2:
            return self._report(p.tap(_int(rest[0]), _int(rest[1])), res)
        if cmd == "swipe" and len(rest) in (4, 5):
            x1, y1, x2, y2 = map(_int, rest[:4])
            ms = _int(rest[4]) if len(rest) == 5 else 300
            if (x1, y1) == (x2, y2) and ms >= 500:
                return self._report(p.long_press(x1, y1), res)
            return self._report(p.swipe(x1, y1, x2, y2, ms), res)
        if cmd == "text" and rest:
            return self._report(p.type_text(" ".join(rest).replace("%s", " ")), res)
        if cmd == "keyevent" and rest:
            code = 0
            for k in (k for k in rest if not k.startswith("--")):
                key = key_name(k)
                code |= self._report(p.key(key), res)
            return code
        res.stderr += f"input: unsupported or malformed command: {' '.join(a)}\n".encode()
        return 1

    def _screencap(self, a: list[str], res: Result) -> int:
        png = "-p" in a
        paths = [x for x in a if not x.startswith("-")]
        image = self.phone.screenshot()
        data = self._encode_png(image) if png or (paths and paths[0].endswith(".png")) else raw_screencap(image)
        if paths:
            self.fs.write(paths[0], data)
        else:
            res.stdout += data
        return 0

    def _encode_png(self, image: np.ndarray) -> bytes:
        """Encoding costs milliseconds; an unchanged screen reuses the last encoding."""
        if self._png is not None and np.array_equal(self._png[0], image):
            return self._png[1]
        data = png_bytes(image)
        self._png = (image.copy(), data)
        return data

    def _uiautomator(self, a: list[str], res: Result) -> int:
        if not a or a[0] != "dump":
            res.stderr += b"uiautomator: only 'dump [--compressed] [file]' is supported\n"
            return 1
        paths = [x for x in a[1:] if not x.startswith("--")]
        path = paths[0] if paths else "/sdcard/window_dump.xml"
        xml = self.phone.ui_xml().encode()
        if path in ("/dev/tty", "/dev/stdout"):
            res.stdout += xml
        else:
            self.fs.write(path, xml)
        res.stdout += f"UI hierchary dumped to: {path}\n".encode()
        return 0

    def _am(self, a: list[str], res: Result) -> int:
        if a[:1] == ["start"] and "-n" in a:
            comp = a[a.index("-n") + 1]
            package = comp.split("/", 1)[0]
            err = self.phone.start_app(package)
            if err:
                res.stderr += (
                    f"Error: Activity not started, unable to resolve Intent {{ cmp={comp} }}\n{err}\n"
                ).encode()
                return 1
            res.stdout += f"Starting: Intent {{ cmp={comp} }}\n".encode()
            return 0
        if a[:1] == ["force-stop"] and len(a) == 2:
            if self.phone.current_package() == a[1]:
                return self._report(self.phone.key("home"), res)
            return 0
        res.stderr += f"am: unsupported: {' '.join(a)}\n".encode()
        return 1

    def _monkey(self, a: list[str], res: Result) -> int:
        if "-p" not in a:
            res.stderr += b"monkey: only 'monkey -p <package> ... 1' is supported\n"
            return 1
        package = a[a.index("-p") + 1]
        err = self.phone.start_app(package)
        if err:
            res.stderr += f"** No activities found to run, monkey aborted.\n{err}\n".encode()
            return 252
        res.stdout += b"  bash arg: -p\n  bash arg: " + package.encode() + b"\nEvents injected: 1\n"
        return 0

    def _wm(self, a: list[str], res: Result) -> int:
        if a == ["size"]:
            res.stdout += f"Physical size: {self.phone.width}x{self.phone.height}\n".encode()
            return 0
        if a == ["density"]:
            res.stdout += b"Physical density: 320\n"
            return 0
        res.stderr += f"wm: unsupported: {' '.join(a)}\n".encode()
        return 1

    def _dumpsys(self, a: list[str], res: Result) -> int:
        w, h = self.phone.width, self.phone.height
        what = a[0] if a else ""
        if what == "display":
            res.stdout += (
                f"DISPLAY MANAGER (dumpsys display)\n"
                f"  mDefaultViewport=DisplayViewport{{type=INTERNAL, valid=true, isActive=true, "
                f"displayId=0, orientation=0, logicalFrame=Rect(0, 0 - {w}, {h}), "
                f"deviceWidth={w}, deviceHeight={h}}}\n"
            ).encode()
            return 0
        if what == "window" or what == "activity":
            pkg = self.phone.current_package()
            res.stdout += (
                f"  mCurrentFocus=Window{{c1a2b3 u0 {pkg}/{pkg}.MainActivity}}\n"
                f"  mFocusedApp=ActivityRecord{{d4e5f6 u0 {pkg}/.MainActivity t1}}\n"
                f"  mResumedActivity: ActivityRecord{{d4e5f6 u0 {pkg}/.MainActivity t1}}\n"
            ).encode()
            return 0
        res.stderr += f"dumpsys: service '{what}' is not simulated\n".encode()
        return 1

    def _getprop(self, a: list[str], res: Result) -> int:
        if a:
            value = self.props.get(a[0], a[1] if len(a) > 1 else "")
            res.stdout += (value + "\n").encode()
        else:
            res.stdout += "".join(f"[{k}]: [{v}]\n" for k, v in sorted(self.props.items())).encode()
        return 0

    # ---- file commands ------------------------------------------------------------
    def _echo(self, a: list[str], res: Result) -> int:
        newline = not (a and a[0] == "-n")
        res.stdout += (" ".join(a[0 if newline else 1 :]) + ("\n" if newline else "")).encode()
        return 0

    def _ls(self, a: list[str], res: Result) -> int:
        paths = [x for x in a if not x.startswith("-")] or ["/sdcard"]
        code = 0
        for p in paths:
            try:
                names = self.fs.listdir(p)
            except FsError as e:
                res.stderr += f"ls: {e}\n".encode()
                code = 1
                continue
            if len(paths) > 1:
                res.stdout += f"{p}:\n".encode()
            res.stdout += "".join(n + "\n" for n in names).encode()
        return code

    def _cat(self, a: list[str], res: Result) -> int:
        for p in a:
            res.stdout += self.fs.read(p)
        return 0

    def _rm(self, a: list[str], res: Result) -> int:
        flags = "".join(x[1:] for x in a if x.startswith("-"))
        code = 0
        for p in (x for x in a if not x.startswith("-")):
            try:
                self.fs.remove(p, recursive="r" in flags or "R" in flags)
            except FsError as e:
                if "f" in flags and "No such file" in str(e):
                    continue
                res.stderr += f"rm: {e}\n".encode()
                code = 1
        return code

    def _mkdir(self, a: list[str], res: Result) -> int:
        parents = "-p" in a
        for p in (x for x in a if not x.startswith("-")):
            self.fs.mkdir(posixpath.normpath(p), parents=parents)
        return 0
