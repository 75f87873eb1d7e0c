"""Record ids: reserved now for a record that arrives later, and the rows the agent made since generation.

A family snapshots a table's ids when it builds the world; a record not among them and not brought
by the timeline (the person's life going on) is the agent's.
"""

from __future__ import annotations

from collections.abc import Iterable

from claw_gym.services import Service
from claw_gym.tasks import Ctx
from claw_gym.world import World


def reserve(svc: Service, table: str) -> str:
    """Take the next id of a table now, for a record that arrives later."""
    return svc.tables[table].new_id()


def next_id(svc: Service, table: str, ahead: int = 0) -> str:
    """The id the next insert into ``table`` will get, or the one ``ahead`` inserts after it (for
    oracles that create records and then use them)."""
    tab = svc.tables[table]
    return f"{tab.prefix}{tab.next_id + ahead:04d}"


def ids_now(ctx: Ctx, *pairs: tuple[str, str]) -> dict[str, list[str]]:
    """The ids each (service, table) present in the world holds now, keyed 'service.table' (for ``agent_rows``)."""
    return {f"{s}.{t}": sorted(ctx.svc(s).table(t)) for s, t in pairs if s in ctx.world.services}


def timeline_ids(world: World, service: str, table: str) -> set[str]:
    """Ids of records that came (or will come) through the timeline: the person's life, not the agent."""
    return {
        e.record["id"]
        for e in world.timeline.history + world.timeline.pending
        if e.service == service and e.table == table and e.record and "id" in e.record
    }


def agent_rows(world: World, service: str, table: str, before: Iterable[str]) -> list[dict]:
    """Records the agent created: not there when the family built its world (``before``, the ids then),
    not from the timeline. Empty when the service is not in this world.

    The background history may add records after the family's generator ran, always
    through timeline events, which is why those are skipped too.
    """
    if service not in world.services:
        return []
    skip = set(before) | timeline_ids(world, service, table)
    return [r for i, r in world.services[service].table(table).items() if i not in skip]
