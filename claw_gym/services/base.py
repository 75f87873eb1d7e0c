"""The service mechanism: typed endpoints, validation, records with stable ids.

A service is a class whose public operations are methods decorated with
:func:`endpoint`. The decorator reads the method's signature once, at class
creation, into an :class:`Endpoint` (name, typed parameters, defaults, a one-line
doc): that is what agents discover through ``help``/``<service>.describe``, what
the dispatcher validates arguments against, and what the tool-calling adapter
turns into JSON schemas. A ``typing.Literal[...]`` annotation makes a string
parameter an enumeration: its allowed values show in the signature (``describe``,
``claw ... --help``) and in the schema's ``enum``, not only in a refusal.

State lives in ``self.tables``: plain JSON-like dicts of records keyed by id, so
hashing, snapshots and the ``claw`` CLI need nothing service-specific. It changes only
through the table operations (``insert``, ``modify``, ``remove``, ``changed``) and the
declared setter ``set_state``; each draws a new ``version`` (the cache rule:
:mod:`claw_gym.caches`).

Contract for endpoint authors: validate everything first and raise
:class:`ServiceError` *before* the first table operation (or, in a mutating endpoint, the
first read of ``self.now``: checks never depend on the time). The world holds you to it: that
first operation is the call's commit point. A dry run (``World.call(..., dry_run=True)``)
stops there and counts the call as valid; a real call that refuses after it raises
:class:`EndpointContractError` (a bug, not a refusal), and a read endpoint (not
``mutates``) may not change anything at all.
"""

from __future__ import annotations

import inspect
import types
import typing
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Union

from .. import clock
from ..plural import count, singular
from ..snapshot import EMPTY, freeze, thaw

if TYPE_CHECKING:
    from ..world import World


class ServiceError(Exception):
    """A call the service refuses. Becomes an error observation; nothing changed."""


class EndpointContractError(RuntimeError):
    """An endpoint changed state and then refused, or a read endpoint changed state: a bug in it."""


Record = dict[str, Any]
_MISSING = inspect.Parameter.empty
_NOT_BUILT = object()  # derived(): nothing cached under that key yet

# JSON-schema names of the argument types endpoints may declare.
_TYPE_NAMES: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
}


@dataclass(frozen=True)
class Param:
    name: str
    type: Any  # str, int, float, bool, list[str], list[int], dict
    required: bool
    default: Any = None
    optional_none: bool = False  # the annotation allows None
    choices: tuple[str, ...] = ()  # a Literal[...] annotation: the only values accepted, shown in describe

    def type_name(self) -> str:
        origin = typing.get_origin(self.type)
        if origin is list:
            (item,) = typing.get_args(self.type) or (str,)
            return f"list[{_TYPE_NAMES.get(item, 'string')}]"
        return _TYPE_NAMES.get(self.type, "string")

    def schema(self) -> dict[str, Any]:
        origin = typing.get_origin(self.type)
        if origin is list:
            (item,) = typing.get_args(self.type) or (str,)
            out: dict[str, Any] = {"type": "array", "items": {"type": _TYPE_NAMES.get(item, "string")}}
        else:
            out = {"type": _TYPE_NAMES.get(self.type, "string")}
        if self.choices:
            out["enum"] = list(self.choices)
        if not self.required:
            out["default"] = self.default
        return out

    def annotation(self) -> str:
        """The type as ``describe`` and error texts show it: ``string``, or the allowed values of an enumeration."""
        return "|".join(self.choices) if self.choices else self.type_name()

    def check(self, value: Any) -> Any:
        """Return the value if it fits the declared type, else raise ServiceError."""
        if value is None and (self.optional_none or (not self.required and self.default is None)):
            return None
        if type(value) is self.type and not self.choices:  # fast path: the declared plain type (bool is not int)
            return value
        expected = self.type
        origin = typing.get_origin(expected)
        if origin is list:
            (item,) = typing.get_args(expected) or (str,)
            if not isinstance(value, list) or not all(_is_type(v, item) for v in value):
                raise ServiceError(
                    f"argument {self.name!r} must be a list of {_TYPE_NAMES.get(item, item)}s, got {_describe(value)}"
                )
            return value
        if not _is_type(value, expected):
            raise ServiceError(
                f"argument {self.name!r} must be {_TYPE_NAMES.get(expected, expected)}, got {_describe(value)}"
            )
        if self.choices and value not in self.choices:
            raise ServiceError(f"argument {self.name!r} must be one of {', '.join(self.choices)}, got {value!r}")
        return float(value) if expected is float else value


def _is_type(value: Any, expected: Any) -> bool:
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is Any:
        return True
    return isinstance(value, expected)


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


@dataclass(frozen=True)
class Endpoint:
    service: str
    name: str
    doc: str
    params: tuple[Param, ...]
    mutates: bool
    method: str
    cached: bool = False  # the result depends on this service's records and the arguments only
    #: what the call's verdict (accepted or refused) depends on besides its arguments, the clock and
    #: the episode's budget: OWN (this service's state), other services' names, TIMELINE (the
    #: delivered history). None: undeclared, any change of the world may move it.
    reads: tuple[str, ...] | None = None

    @property
    def qualname(self) -> str:
        return f"{self.service}.{self.name}"

    def signature(self) -> str:
        parts = []
        for p in self.params:
            parts.append(f"{p.name}: {p.annotation()}" + ("" if p.required else f" = {p.default!r}"))
        return f"{self.qualname}({', '.join(parts)})"

    def schema(self) -> dict[str, Any]:
        """JSON-schema of the arguments (for tool-calling adapters)."""
        return {
            "name": self.qualname,
            "description": self.doc,
            "parameters": {
                "type": "object",
                "properties": {p.name: p.schema() for p in self.params},
                "required": [p.name for p in self.params if p.required],
                "additionalProperties": False,
            },
        }

    def bind(self, args: dict[str, Any]) -> dict[str, Any]:
        """Validate ``args`` against the parameters; return the full keyword dict."""
        known = {p.name for p in self.params}
        extra = sorted(set(args) - known)
        if extra:
            raise ServiceError(f"{self.qualname} got unexpected argument(s) {extra}; signature: {self.signature()}")
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in args:
                out[p.name] = p.check(args[p.name])
            elif p.required:
                raise ServiceError(f"{self.qualname} is missing argument {p.name!r}; signature: {self.signature()}")
            else:
                out[p.name] = p.default
        return out


OWN = "self"  # in ``reads``: the endpoint's own service (Mail and WorkMail share their endpoints)
TIMELINE = "timeline"  # in ``reads``: the delivered history (``world.timeline``)


def endpoint(
    doc: str, *, mutates: bool = False, cached: bool = False, reads: tuple[str, ...] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a service method as an API endpoint. ``doc`` is the one line agents read.

    ``cached``: a read whose result is a function of the service's records and the arguments
    alone (no clock, no other service). Its result is kept, per arguments, until the records
    change (:meth:`Service.derived`): an agent polling its inbox pays for the listing once.

    ``reads``: the parts of the world whose state the call's verdict can depend on (:data:`OWN`,
    other services by name, :data:`TIMELINE`); the clock and the budget are tracked apart. The
    action menu keeps a dry-run verdict while these parts' versions stay the same, so a change
    elsewhere (a mail sent) does not re-check calendar slots. Undeclared (None): any change
    re-checks it. A declaration that misses a part is caught by the menu's ``check_reads`` mode.
    """
    if mutates and cached:
        raise TypeError("a mutating endpoint cannot be cached")
    if reads is not None and not all(isinstance(r, str) and r for r in reads):
        raise TypeError(f"reads must name parts of the world, got {reads!r}")

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        setattr(fn, "__claw_endpoint__", (doc, mutates, cached, reads))  # noqa: B010  (a plain function has no such slot to type)
        return fn

    return mark


MAX_PAGE = 200  # the most rows one listing call returns (``limit``); longer lists are paged
_HASHABLE_ARGUMENT = (str, int, float, bool, type(None))
_CACHED_CALLS = 64  # results of cached endpoints kept per service


def _arguments_key(name: str, kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """A cache key for an endpoint's bound arguments (None when one is a list or a dict: not cached)."""
    if all(type(v) in _HASHABLE_ARGUMENT for v in kwargs.values()):
        return (name,) + tuple((k, type(v), v) for k, v in kwargs.items())  # types too: 1, 1.0, True differ
    return None


def _params_of(fn: Callable[..., Any]) -> tuple[Param, ...]:
    hints = typing.get_type_hints(fn)
    params = []
    for name, p in inspect.signature(fn).parameters.items():
        if name == "self":
            continue
        ann = hints.get(name, str)
        optional_none = False
        choices: tuple[str, ...] = ()
        if typing.get_origin(ann) in (Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            optional_none = len(args) < len(typing.get_args(ann))
            ann = args[0]
        if typing.get_origin(ann) is typing.Literal:  # an enumeration of strings: str with allowed values
            choices = tuple(str(v) for v in typing.get_args(ann))
            ann = str
        required = p.default is _MISSING
        params.append(Param(name, ann, required, None if required else p.default, optional_none, choices))
    return tuple(params)


@dataclass
class Table:
    """Records of one kind (``mail.messages``), keyed by a stable id ``<prefix><n>``."""

    prefix: str
    rows: dict[str, Record] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> str:
        rid = f"{self.prefix}{self.next_id:04d}"
        self.next_id += 1
        return rid


class WorldRef:
    """A weak back-reference to the world (for services and the life generator).

    world -> service -> world would be a reference cycle: every discarded world, with its
    thousands of history records, would wait for the cyclic GC, whose passes then cost more
    than a reset. Without the cycle a world is freed at once when the env drops it. Copies
    and pickles keep the back-reference pointing at the copied world.
    """

    _world: weakref.ref[World]

    @property
    def world(self) -> World:
        world = self._world()
        if world is None:
            raise RuntimeError(f"the world of this {type(self).__name__} is gone (keep a reference to the World)")
        return world

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_world": self._world()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._world = weakref.ref(state["_world"])

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        import copy

        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            if k != "_world":
                new.__dict__[k] = copy.deepcopy(v, memo)
        world = self._world()
        assert world is not None, "copying a service whose world is gone"
        new._world = weakref.ref(copy.deepcopy(world, memo))
        return new


class Service(WorldRef):
    """Base of every service. Subclasses set ``name``, ``title``, ``tables`` and endpoints."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: table name -> id prefix, e.g. {"messages": "m"}
    tables_spec: ClassVar[dict[str, str]] = {}
    endpoints: ClassVar[dict[str, Endpoint]] = {}
    #: the state lives on the phone itself: only the phone's apps (``World.call`` from "gui") reach it
    device_only: ClassVar[bool] = False

    @classmethod
    def serves(cls, endpoint: str, source: str) -> bool:
        """Whether the door ``source`` ("api", "shell", "gui") may call ``endpoint``: a device-only
        service answers only the phone's apps, except ``describe``, which every door may read."""
        return not cls.device_only or source == "gui" or endpoint == "describe"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        eps: dict[str, Endpoint] = {}
        for klass in reversed(cls.__mro__):
            for attr, fn in vars(klass).items():
                meta = getattr(fn, "__claw_endpoint__", None)
                if meta is not None:
                    doc, mutates, cached, reads = meta
                    eps[attr] = Endpoint(cls.name, attr, doc, _params_of(fn), mutates, attr, cached, reads)
        eps["describe"] = Endpoint(
            cls.name,
            "describe",
            f"List the endpoints of {cls.name} with their arguments.",
            (),
            False,
            "describe",
            reads=(),  # the class's endpoint list: never changes
        )
        cls.endpoints = dict(sorted(eps.items()))

    def __init__(self, world: World) -> None:
        self._world = weakref.ref(world)
        self.tables: dict[str, Table] = {t: Table(prefix) for t, prefix in self.tables_spec.items()}
        self.version = 0  # drawn from the world's VersionClock by every change (the cache rule: claw_gym.caches)
        self._frozen: tuple[int, Any, Any] | None = None  # last snapshot, reused while the version is the same
        self._derived: dict[Any, Any] = {}  # views computed from the records (see derived()) at _derived_at
        self._derived_at = 0

    # ---- records -------------------------------------------------------------------------
    def table(self, name: str) -> dict[str, Record]:
        return self.tables[name].rows

    def has_record(self, rid: Any) -> bool:
        """Whether any table of this service holds a record with id ``rid``."""
        if isinstance(rid, str):
            for t in self.tables.values():
                if rid in t.rows:
                    return True
        return False

    # ---- the table operations and the setter: the only ways this service's state changes --------
    def insert(self, table: str, record: Record) -> Record:
        """Add a record, assigning an id unless it has one. Returns the stored record."""
        world = self.world
        world.before_change(self, "insert")
        tab = self.tables[table]
        if "id" not in record:
            record = {"id": tab.new_id(), **record}
        tab.rows[record["id"]] = record
        world.inserted += 1
        self.version = world.versions.next()
        return record

    def record(self, table: str, rid: Any) -> Record:
        """The record ``rid`` of ``table``, or a ServiceError naming what exists."""
        if not isinstance(rid, str) or rid not in self.tables[table].rows:
            raise ServiceError(f"no {self.name} {singular(table)} with id {rid!r}")
        return self.tables[table].rows[rid]

    def modify(self, record: Record, **changes: Any) -> Record:
        """Update fields of a stored record in place."""
        world = self.world
        world.before_change(self, "modify")
        record.update(changes)
        self.version = world.versions.next()
        return record

    def remove(self, table: str, rid: str) -> Record:
        world = self.world
        world.before_change(self, "remove")
        rec = self.tables[table].rows.pop(rid)
        self.version = world.versions.next()
        return rec

    def changed(self) -> None:
        """The table operation for records a generator placed or edited in bulk, directly in
        ``tables`` (the history, thousands at a time): call it once afterwards. Never from an
        endpoint: endpoints use insert/modify/remove, so a dry run stops before their first change."""
        world = self.world
        world.before_change(self, "changed")
        self.version = world.versions.next()

    def set_state(self, name: str, value: Any) -> None:
        """The declared setter of state kept outside the tables (a bank's opening balance, the
        phone's settings): replaces attribute ``name`` with ``value`` (JSON-like; never edit it in place)."""
        if name not in self.state_attrs:
            raise ValueError(f"{name!r} is not declared service state ({type(self).__name__}.state_attrs)")
        world = self.world
        world.before_change(self, "set_state")
        setattr(self, name, value)
        self.version = world.versions.next()

    @staticmethod
    def _viewed(views: dict[int, tuple[Any, Any]], record: Any, view: Callable[[Any], Any]) -> Any:
        hit = views.get(id(record))
        if hit is None or hit[0] is not record:  # the record is kept in the entry: its id stays its own
            hit = views[id(record)] = (record, view(record))
        return hit[1]

    def derived(self, key: Any, build: Callable[[], Any]) -> Any:
        """A view computed from the records (a sorted listing, an index), kept until they change.

        Keyed on :attr:`version` (the cache rule); records inside are the live ones. Treat it as read-only.
        """
        if self._derived_at != self.version:
            self._derived.clear()
            self._derived_at = self.version
        hit = self._derived.get(key, _NOT_BUILT)
        if hit is _NOT_BUILT:
            hit = self._derived[key] = build()
        return hit

    # ---- protocol ------------------------------------------------------------------------
    def call(self, name: str, args: dict[str, Any]) -> Any:
        ep = self.endpoints.get(name)
        if ep is None:
            close = ", ".join(self.endpoints)
            raise ServiceError(f"unknown endpoint {self.name}.{name}; {self.name} has: {close}")
        kwargs = ep.bind(args)
        method = getattr(self, ep.method)
        key = _arguments_key(name, kwargs) if ep.cached else None
        if key is None:
            return method(**kwargs)
        results = self.derived("calls", dict)
        hit = results.get(key, _NOT_BUILT)
        if hit is _NOT_BUILT:
            if len(results) >= _CACHED_CALLS:  # an agent paging or searching widely: start over
                results.clear()
            hit = results[key] = method(**kwargs)
        return hit

    def describe(self) -> list[str]:
        return [f"{ep.signature()}  -- {ep.doc}" for ep in self.endpoints.values()]

    def state(self) -> dict[str, Any]:
        """Everything a checker, hash or snapshot needs (records + id counters)."""
        return {t: {"next": tab.next_id, "rows": tab.rows} for t, tab in self.tables.items()}

    # ---- snapshot participant (see claw_gym/snapshot.py) ----------------------------------
    # Most steps change one service at most: a service that did not change since its last
    # snapshot hands out the same frozen state again, and restoring a service that is still
    # in the snapshot's state is a no-op. "Did not change" = same change token, and the same
    # declared attributes (compared frozen, so direct attribute writes are caught too).
    #: instance attributes beyond the tables that are state (a bank's opening balance, the phone's
    #: settings): snapshots cover exactly these. Keep them JSON-like (marshal); anything else is
    #: pickled, and must not reference the world or a device. Everything else is a cache or a link.
    state_attrs: ClassVar[tuple[str, ...]] = ()

    def _extra(self) -> Any:
        if not self.state_attrs:
            return EMPTY  # the common case (tables only), without building a dict
        return freeze({k: getattr(self, k) for k in self.state_attrs})

    def snapshot(self) -> Any:
        """Tables, id counters and any other instance attributes (e.g. a bank's opening balance)."""
        extra, cached = self._extra(), self._frozen
        if cached is not None and cached[0] == self.version and (cached[1] is extra or cached[1] == extra):
            return cached
        tables = freeze({t: (tab.next_id, tab.rows) for t, tab in self.tables.items()})
        self._frozen = (self.version, extra, tables)
        return self._frozen

    def restore(self, state: Any) -> None:
        token, extra, tables = state
        if token == self.version:
            now = self._extra()
            if now is extra or now == extra:
                return
        for t, (next_id, rows) in thaw(tables).items():
            tab = self.tables[t]
            tab.next_id = next_id
            tab.rows.clear()  # in place: views holding the dict stay valid
            tab.rows.update(rows)
        self._derived_at = -1  # new record objects: views holding the old ones are not reused, whatever the version
        vars(self).update(thaw(extra))
        self.version, self._frozen = token, state

    def summary(self) -> str:
        """One short line for obs['services']. Override for something more useful.

        Recomputed only when this service's version changes or a new day starts: it may say
        "today", never the minute, and reads only this service.
        """
        counts = ", ".join(count(len(t.rows), singular(name), name) for name, t in self.tables.items())
        return f"{self.name}: {counts}"

    # ---- helpers for endpoint code -------------------------------------------------------
    @property
    def now(self) -> int:
        """The clock, for endpoint code. In a mutating endpoint, reading it starts the apply phase
        like a table operation (checks never depend on the time: a dry run stops here); in a read,
        it makes the dry-run verdict depend on the time (:meth:`World.check_call` says so)."""
        world = self.world
        run = world._call
        if run is not None and not run.committed:
            if run.mutates:
                world.before_change(self, "now")
            else:
                run.read_clock = True
        return world.clock.now

    @staticmethod
    def parse_time(text: str, what: str = "time") -> int:
        try:
            return clock.parse_time(text)
        except ValueError as exc:
            raise ServiceError(f"{what}: {exc}") from None

    @staticmethod
    def require(cond: bool, message: str) -> None:
        if not cond:
            raise ServiceError(message)

    def checked(self, limit: int | None = None, offset: int = 0) -> None:
        """A read endpoint's checks are done: nothing after this call can refuse it, so a dry run
        (:meth:`World.check_call`) stops here, accepted, without computing the answer. ``limit``:
        the call's answer is a :meth:`page` of ``limit`` rows from ``offset``, whose checks are the
        last ones: a dry run makes them here (a real call makes them in :meth:`page`, as before)."""
        world = self.world
        run = world._call
        if run is None or not run.dry or run.mutates:
            return
        if limit is not None:
            self.page((), limit, offset)  # the page's own checks, on no rows
        world.checks_passed()

    def page(
        self, rows: Sequence[Any], limit: int, offset: int = 0, view: Callable[[Any], Any] | None = None
    ) -> dict[str, Any]:
        """Bounded list results: agents page through long lists rather than flood the obs.

        ``view`` (a pure record -> dict function) is applied to the returned page only, so a
        listing costs the page, not the whole mailbox. A view that is a method of this service
        is kept per record until the records change (like :meth:`derived`): listing the same
        inbox twice renders its rows once. Results are read-only, like every derived view.
        """
        if limit < 1 or limit > MAX_PAGE:
            raise ServiceError(
                f"limit must be between 1 and {MAX_PAGE}, got {limit}; for more, page on: "
                "pass each page's next_offset as the next call's offset"
            )
        if offset < 0:
            raise ServiceError("offset must be >= 0")
        chunk = rows[offset : offset + limit]
        if view is not None:
            if getattr(view, "__self__", None) is self:
                views = self.derived(("views", getattr(view, "__func__")), dict)  # noqa: B009  (a bound method's)
                chunk = [self._viewed(views, r, view) for r in chunk]
            else:
                chunk = [view(r) for r in chunk]
        out: dict[str, Any] = {"total": len(rows), "items": chunk}
        if offset + limit < len(rows):
            out["next_offset"] = offset + limit
        return out
