"""Keep the project itself out of the sandbox: the bwrap mounts that hide every file of claw-gym.

The sandbox shows the host's ``/usr`` (and ``/bin``, ``/lib`` ...) read-only. A claw-gym
installed there (a wheel in ``/usr/local/lib/python3.X/dist-packages``, an editable
install whose finder or source checkout lives under ``/usr``) would let an agent import
the generators and oracles, rebuild its own world from the task id and a guessed seed,
and read the answer. So every location of the *running* package is computed
(``importlib``: the packages' real directories, every file the distributions' RECORD
lists, the editable finder's mapping, the source checkout) and, where it lies inside
what the sandbox shows, its parent directory is rebuilt in a tmpfs holding every entry
but those. An emptied directory would not do: Python imports an empty ``claw_gym``
directory as a namespace package, so the names must be absent.

The ``claw`` CLI needs none of this: it is a standalone stdlib script copied into the
control directory, and it reaches the services over a Unix socket.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sysconfig
from functools import lru_cache

PACKAGES = ("claw_gym", "claw_gym.envs", "claw_gym.wrappers")
DISTRIBUTION = "claw-gym"


def _package_dirs() -> set[str]:
    """The real directories of the import packages (an editable finder's mapping included)."""
    out: set[str] = set()
    for name in PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            out.update(spec.submodule_search_locations)
    return out


def _distribution_files() -> set[str]:
    """Every file the installed claw-gym distributions list (RECORD), and their .dist-info dirs.

    For an editable install that is the ``.pth`` and the finder module with its bytecode;
    for a wheel the package files and the console script too.
    """
    out: set[str] = set()
    for dist in importlib.metadata.distributions(name=DISTRIBUTION):
        for f in dist.files or ():
            path = str(f.locate())
            out.add(path)
            parts = f.parts
            if parts and parts[0].endswith((".dist-info", ".egg-info")):
                out.add(str(dist.locate_file(parts[0])))
        # console scripts: RECORD's relative path is wrong after ``pip install --target`` (it
        # names a temporary dir), so look for them where the installers put them
        script_dirs = {os.path.join(str(dist.locate_file("")), "bin"), sysconfig.get_path("scripts")}
        for ep in dist.entry_points.select(group="console_scripts"):
            out.update(os.path.join(d, ep.name) for d in script_dirs)
    return out


def _checkouts(package_dirs: set[str]) -> set[str]:
    """Source trees the packages come from (a directory with pyproject.toml above ``claw_gym``)."""
    out = set()
    for d in package_dirs:
        root = os.path.dirname(os.path.realpath(d))
        if os.path.isfile(os.path.join(root, "pyproject.toml")) and os.path.isdir(os.path.join(root, "claw_gym")):
            out.add(root)
    return out


@lru_cache(maxsize=1)
def project_paths() -> tuple[str, ...]:
    """Every host path of the running claw-gym: packages, distribution files, source checkout (real paths)."""
    dirs = _package_dirs()
    paths = dirs | _distribution_files() | _checkouts(dirs)
    return tuple(sorted({os.path.realpath(p) for p in paths if os.path.lexists(p)}))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _outermost(paths: list[str]) -> list[str]:
    """Drop the paths that lie inside another one (hiding the outer one hides them)."""
    out: list[str] = []
    for p in sorted(paths):
        if not any(_inside(p, q) for q in out):
            out.append(p)
    return out


def visible_project_paths(roots: tuple[str, ...]) -> list[str]:
    """The project's paths the sandbox would show: those under one of the bound host ``roots``."""
    real_roots = [os.path.realpath(r) for r in roots]
    return _outermost([p for p in project_paths() if any(_inside(p, r) for r in real_roots)])


def mask_args(roots: tuple[str, ...]) -> list[str]:
    """bwrap arguments (after the system binds) that make the project's visible paths absent.

    Each parent of a hidden path becomes a read-only tmpfs with every other entry bound
    back from the host (symlinks recreated as symlinks). Parents are rebuilt shallowest
    first, so a deeper rebuild lands on top of an entry the shallower one bound back.
    """
    hidden = visible_project_paths(roots)
    by_parent: dict[str, set[str]] = {}
    for p in hidden:
        by_parent.setdefault(os.path.dirname(p), set()).add(os.path.basename(p))
    args: list[str] = []
    for parent in sorted(by_parent, key=lambda d: (d.count("/"), d)):
        args += ["--perms", "0755", "--tmpfs", parent]
        try:
            names = sorted(os.listdir(parent))
        except OSError:
            names = []
        for name in names:
            if name in by_parent[parent]:
                continue
            src = os.path.join(parent, name)
            if os.path.islink(src):
                args += ["--symlink", os.readlink(src), src]
            elif os.path.exists(src):
                args += ["--ro-bind", src, src]
        args += ["--remount-ro", parent]
    return args
