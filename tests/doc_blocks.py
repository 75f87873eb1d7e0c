"""Fenced blocks of the markdown docs: find them, read their doc-test markers, run them as written.

The convention (documented at the top of docs/index.md): every ```python block runs in a fresh
interpreter; a ```bash block runs line by line only when marked ``run``; markers are HTML comments
right above the fence, ``<!-- doc-test: skip (reason) | run | exit N | needs X, Y -->``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = re.compile(r"^<!--\s*doc-test:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(`{3,})\s*([\w+-]*)\s*$")
SHELLS = {"bash", "sh", "shell", "console"}
NEEDS = {"laptop", "adb", "rl", "ray"}


class MarkerError(ValueError):
    """A doc-test marker that does not parse: a typo must fail, never silently skip a block."""


@dataclass
class Block:
    """One fenced block: where it is, its language and code, and what its markers ask."""

    path: str
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    skip: str | None = None
    run: bool = False
    exit: int = 0
    needs: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"{self.path}:L{self.line}"

    @property
    def runnable(self) -> bool:
        """Whether the convention runs this block at all (markers aside from needs)."""
        if self.skip is not None:
            return False
        return self.lang == "python" or (self.lang in SHELLS and self.run)


def _apply(block: Block, directive: str) -> None:
    d = directive.strip()
    if m := re.fullmatch(r"skip\s*\((.+)\)", d):
        block.skip = m.group(1).strip()
    elif d == "run":
        block.run = True
    elif m := re.fullmatch(r"exit\s+(\d+)", d):
        block.exit = int(m.group(1))
    elif m := re.fullmatch(r"needs\s+(.+)", d):
        names = {n.strip() for n in m.group(1).split(",")}
        unknown = names - NEEDS
        if unknown:
            raise MarkerError(f"unknown need {sorted(unknown)}; known: {sorted(NEEDS)}")
        block.needs |= names
    else:
        raise MarkerError(f"unknown doc-test directive {d!r} (skip (reason), run, exit N, needs X)")


def extract(text: str, path: str) -> list[Block]:
    """Every fenced block of ``text`` with the markers on the lines right above its fence."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        ticks, lang, start = m.group(1), m.group(2).lower(), i
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != ticks:
            j += 1
        if j == len(lines):
            raise MarkerError(f"{path}:L{start + 1}: unclosed code fence")
        block = Block(path, start + 1, lang, "\n".join(lines[start + 1 : j]) + "\n")
        k = start - 1
        while k >= 0 and (mm := MARKER.match(lines[k].strip())):
            for directive in re.split(r";(?![^(]*\))", mm.group(1)):  # a reason in (...) may hold ";"
                try:
                    _apply(block, directive)
                except MarkerError as exc:
                    raise MarkerError(f"{path}:L{k + 1}: {exc}") from None
            k -= 1
        if (block.run or block.exit) and block.lang not in SHELLS:
            raise MarkerError(f"{block.id}: 'run'/'exit' are for shell blocks, not {block.lang or 'plain'} ones")
        blocks.append(block)
        i = j + 1
    return blocks


def missing(needs: set[str]) -> list[str]:
    """The needs this environment lacks (so the block is skipped here, and runs where they exist)."""
    have = {
        "laptop": shutil.which("bwrap") is not None,
        "adb": shutil.which("adb") is not None and importlib.util.find_spec("adbutils") is not None,
        "rl": all(
            importlib.util.find_spec(m) is not None for m in ("stable_baselines3", "sb3_contrib", "pettingzoo", "torch")
        ),
        "ray": importlib.util.find_spec("ray") is not None,
    }
    return sorted(n for n in needs if not have[n])


def shell_lines(code: str) -> list[str]:
    """The commands of a shell block: one a line, a trailing backslash joining the next; blanks and comments dropped."""
    out, cur = [], ""
    for raw in code.splitlines():
        line = raw.strip() if cur else raw.rstrip()
        if line.endswith("\\"):
            cur += line[:-1].rstrip() + " "
            continue
        cur += line
        if cur.strip() and not cur.lstrip().startswith("#"):
            out.append(cur.strip())
        cur = ""
    if cur.strip():
        out.append(cur.strip())
    return out


def _env() -> dict[str, str]:
    """This interpreter's bin directory first on PATH, so `claw-gym` and `python` are the tested ones."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("PYTHONPATH", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(block: Block, cwd: Path, timeout: float = 120.0) -> tuple[bool, str]:
    """Run a block as written; (ok, report). A Python block must exit 0; each shell line with ``block.exit``."""
    if block.lang == "python":
        script = cwd / "snippet.py"
        script.write_text(block.code, encoding="utf-8")
        p = subprocess.run(
            [sys.executable, str(script)],
            cwd=cwd,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return p.returncode == 0, f"exit {p.returncode}\n--- stdout\n{p.stdout[-3000:]}\n--- stderr\n{p.stderr[-3000:]}"
    if block.lang in SHELLS:
        for line in shell_lines(block.code):
            p = subprocess.run(
                ["bash", "-o", "pipefail", "-c", line],
                cwd=cwd,
                env=_env(),
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
            if p.returncode != block.exit:
                return False, (
                    f"`{line}` exited {p.returncode}, documented {block.exit}\n--- stdout\n"
                    f"{p.stdout[-3000:]}\n--- stderr\n{p.stderr[-3000:]}"
                )
        return True, ""
    raise ValueError(f"{block.id}: {block.lang or 'plain'} blocks do not run")
