"""The project's own checks, run the way CI runs them (.ci/run): ruff over the repository, mypy over the
packages configured in pyproject.toml. A local test run then catches a lint or type break before CI does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    """The tool next to this interpreter (a venv's), else on PATH; skips the test when it isn't installed."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install {name})")
    return found


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_check_is_clean():
    out = _run(_tool("ruff"), "check", ".", "--output-format", "concise")
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_kit_is_formatted():
    out = _run(_tool("ruff"), "format", "--check", "envs/kit")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_is_clean():
    out = _run(_tool("mypy"))
    assert out.returncode == 0, out.stdout + out.stderr
