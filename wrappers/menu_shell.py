"""Shell templates for the action menu: commands over what the laptop and the services showed.

A fixed ``ls -la`` reads one folder; the commands a person types name a file or a record they
have seen. These templates fill three frames from visible facts, each kind in its own places
of the menu's ``shell`` block (so that a slot keeps its kind):

- ``claw SERVICE ENDPOINT ID``: the laptop's command-line door for an endpoint whose only
  required argument is a record id (``claw helpdesk get tk0017``, ``claw todo complete t0014``),
  for the newest visible ids a service in play holds, reads first;
- ``cat PATH``: a file path seen anywhere (a listing, a record, the request), as written;
- ``ls FOLDER``: a folder of such a path.

Nothing here knows a family: the endpoints come from the services' declarations, the ids and
paths from the observation.
"""

from __future__ import annotations

import shlex
from typing import Any

CALLS, FILES, FOLDERS = 4, 2, 2
#: how many shell slots :func:`shell_commands` fills at most (after the menu's fixed templates)
SHELL_SLOTS = CALLS + FILES + FOLDERS
IDS = 2  # the newest visible ids of each service whose id-only endpoints are offered


def _id_only(ep: Any) -> bool:
    """An endpoint a record id alone fills: a read with only optional extras, or a change that
    takes nothing else (an editor called with its id alone edits nothing)."""
    required = [p.name for p in ep.params if p.required]
    return required == ["id"] and (not ep.mutates or len(ep.params) == 1)


def id_calls(services: list[Any], seen: Any) -> list[str]:
    """``claw SERVICE ENDPOINT ID`` for the id-only endpoints (reads first, in declaration order)
    of the services in ``services`` that hold one of the newest visible ids: the newest id of
    each service first (the service of the most relevant id first), then each one's next id."""
    held = [(svc, seen.first_ids(svc, IDS)) for svc in services]
    held = sorted(((svc, ids) for svc, ids in held if ids), key=lambda h: seen.ids.index(h[1][0]))
    out: list[str] = []
    for rank in range(IDS):
        for svc, ids in held:
            if rank < len(ids):
                eps = sorted((ep for ep in svc.endpoints.values() if _id_only(ep)), key=lambda ep: bool(ep.mutates))
                out += [f"claw {svc.name} {ep.name} {ids[rank]}" for ep in eps]
    return out


def _quote(path: str) -> str:
    """``path`` for the shell: ``~/`` stays outside the quotes (the shell expands it there only)."""
    if path.startswith("~/"):
        rest = path[2:]
        return "~/" + (shlex.quote(rest) if rest else "")
    return shlex.quote(path)


def shell_commands(services: list[Any], seen: Any) -> list[tuple[int, str]]:
    """(place among the ``SHELL_SLOTS``, command) of every template the visible facts fill."""
    files = [p for p in seen.paths if "." in p.rpartition("/")[2].lstrip(".")][:FILES]
    out = list(enumerate(id_calls(services, seen)[:CALLS]))
    out += [(CALLS + k, f"cat {_quote(p)}") for k, p in enumerate(files)]
    out += [(CALLS + FILES + k, f"ls {_quote(d)}") for k, d in enumerate(seen.folders[:FOLDERS])]
    return out
