"""The camouflage probe: can a classifier tell the records a family planted from the background's?

It builds worlds for a sample of tasks of every (or the given) family at several difficulties, labels
every record present after the build as planted (the family's, :meth:`claw_gym.life.Life.planted`) or
background, extracts surface features an agent could see (field presence, casing, id rank against time
rank, minute of the hour, address shape, a companion notification, the event line's shape, text length,
read flag...), trains one logistic regression per table on half the families and scores the others
(a few random family splits). A family whose records look exactly like the background's leaves the
classifier at AUC 0.5.

Run ``python -m claw_gym.runs.camouflage [--families a,b] [--tasks 1] [--difficulties 1,3,5]`` (or the
file as a script): it prints the AUC overall and per table, the most telling features, and per family
how far its planted records stand out and through which features. Absolute imports only, so the script
run with another worktree's interpreter probes that worktree's families.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: fields whose value is a person's address or name (the sender's side of a record)
_ADDRESS_KEYS = ("from", "requester", "sender", "email")
#: short text fields whose casing/shape may give a family away
_SHORT_KEYS = ("subject", "title", "counterparty", "reference", "location", "app", "channel", "name", "path")
#: long text fields (their length)
_LONG_KEYS = ("body", "text", "notes", "content")
#: companion notifications: (service, table) -> device apps whose notification accompanies such a record
_COMPANION_APPS = {
    ("sms", "messages"): ("Messages",),
    ("bank", "transactions"): ("Bank",),
    ("mail", "messages"): ("Mail",),
}
_TIME_KEYS = ("time", "modified", "updated", "start")
_RAW_NUMBER = re.compile(r"\+\d[\d ]{7,}\d")
_ROLE_LOCAL = re.compile(r"^[a-z]+$")
#: background records sampled per (world, table): the features of a few hundred worlds stay cheap
MAX_BACKGROUND = 30


@dataclass
class Sample:
    """The labelled feature rows of one probe run, per table."""

    rows: dict[str, list[dict[str, float]]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    families: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, feats: dict[str, float], planted: bool, family: str) -> None:
        self.rows[table].append(feats)
        self.labels[table].append(int(planted))
        self.families[table].append(family)


# ---- labelling and features -----------------------------------------------------------------------
def _raw(rec: dict, key: str) -> Any:
    """A field without rendering a lazy text (its length is read through :func:`_text`)."""
    return dict.get(rec, key)


def _text(rec: dict, key: str) -> str:
    v = rec.get(key)  # renders a lazy text: the agent reads the rendered one
    return v if isinstance(v, str) else ""


def _when(rec: dict, first_event: dict[int, Any]) -> int | None:
    ev = first_event.get(id(rec))
    if ev is not None:
        return int(ev.time)
    for k in _TIME_KEYS:
        v = _raw(rec, k)
        if isinstance(v, int):
            return v
    return None


def _upper_ratio(s: str) -> float:
    letters = [c for c in s if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _address_features(prefix: str, value: str, known: set[str], out: dict[str, float]) -> None:
    addr = value.split("<")[-1].rstrip(">").strip().lower()
    if "@" not in addr:
        out[f"{prefix}:is_name"] = 1.0
        out[f"{prefix}:known"] = float(value in known)
        return
    local, _, domain = addr.partition("@")
    out[f"{prefix}:known"] = float(addr in known)
    out[f"{prefix}:local_dot"] = float("." in local)
    out[f"{prefix}:local_role"] = float(bool(_ROLE_LOCAL.match(local)))
    out[f"{prefix}:local_digit"] = float(any(c.isdigit() for c in local))
    out[f"{prefix}:domain_example"] = float(domain.endswith(".example"))
    out[f"{prefix}:domain_hyphen"] = float("-" in domain)
    out[f"{prefix}:domain_digit"] = float(any(c.isdigit() for c in domain))
    out[f"{prefix}:domain_labels"] = float(domain.count("."))


def features(
    service: str,
    table: str,
    rec: dict,
    *,
    id_gap: float,
    events: list[Any],
    companions: set[tuple[str, int]],
    known: set[str],
    pending: bool,
) -> dict[str, float]:
    """Surface features of one record, as an agent reading it (and the timeline) would see it."""
    f: dict[str, float] = {"id_gap": id_gap, "id_gap_abs": abs(id_gap), "pending": float(pending)}
    for k, v in dict.items(rec):
        if k != "id":
            f[f"has:{k}"] = float(v not in (None, "", [], {}, False))
    t = events[0].time if events else next((_raw(rec, k) for k in _TIME_KEYS if isinstance(_raw(rec, k), int)), None)
    if isinstance(t, int):
        f["sec0"] = float(t % 60 == 0)
        minute = t // 60 % 60
        f["min00_30"] = float(minute in (0, 30))
        f["min_mult5"] = float(minute % 5 == 0)
        hour = t // 3600 % 24
        f["night"] = float(hour < 7 or hour >= 22)
    start, end = _raw(rec, "start"), _raw(rec, "end")
    if isinstance(start, int) and isinstance(end, int):
        f["start_min00_30"] = float(start // 60 % 60 in (0, 30))
        f["duration_h"] = min(8.0, (end - start) / 3600)
        f["attendees"] = float(len(_raw(rec, "attendees") or []))
    for k in ("read", "done", "missed", "dismissed"):
        v = _raw(rec, k)
        if isinstance(v, bool):
            f[f"val:{k}"] = float(v)
    for k in _LONG_KEYS:
        if dict.__contains__(rec, k):
            text = _text(rec, k)
            f[f"len:{k}"] = math.log1p(len(text))
            f[f"lines:{k}"] = math.log1p(text.count("\n"))
    for k in _SHORT_KEYS:
        v = _raw(rec, k)
        if isinstance(v, str) and v:
            f[f"upper:{k}"] = _upper_ratio(v)
            f[f"digit:{k}"] = float(any(c.isdigit() for c in v))
            f[f"len:{k}"] = math.log1p(len(v))
    for k in _ADDRESS_KEYS:
        v = _raw(rec, k)
        if isinstance(v, str) and v:
            _address_features(k, v, known, f)
    for k in ("to", "cc", "attendees"):
        v = _raw(rec, k)
        if isinstance(v, list) and v and isinstance(v[0], str):
            f[f"{k}:count"] = float(len(v))
            f[f"{k}:known"] = sum(x.lower() in known for x in v) / len(v)
    number = _raw(rec, "number")
    if isinstance(number, str):
        f["number:known"] = float(number in known)
    amount = _raw(rec, "amount")
    if isinstance(amount, (int, float)):
        f["amount:cents0"] = float(round(abs(amount) * 100) % 100 == 0)
        f["amount:log"] = math.log1p(abs(amount))
        f["amount:in"] = float(amount > 0)
    apps = _COMPANION_APPS.get((service, table))
    if (
        apps is not None
        and isinstance(t, int)
        and _raw(rec, "direction") in (None, "in")
        and _raw(rec, "folder") != "sent"
    ):
        f["companion"] = float(any((app, t + d) in companions for app in apps for d in range(11)))
    f["event:none"] = float(not events)
    if events:
        line = events[0].text
        f["event:raw_address"] = float("@" in line)
        f["event:raw_number"] = float(bool(_RAW_NUMBER.search(line)))
        f["event:person"] = float(bool(events[0].person))
        f["event:upper"] = _upper_ratio(line)
        f["event:count"] = float(len(events))
    return f


def background_test(world: Any) -> Any:
    """``rec -> True`` for the life's records: :meth:`Life.is_background`, or, on a tree whose
    ``Life`` predates it, the same answer rebuilt from ``Life.own``, the contacts it added and the
    ids a fresh world of the same services holds before any life (the services' initial state)."""
    life = world.life
    if hasattr(life, "is_background"):
        return life.is_background
    from claw_gym.world import World

    fresh = World(world.task_id, world.seed, [n for n in world.services if n not in ("events", "device")], 0)
    initial = {(n, t, i) for n, svc in fresh.services.items() for t, tab in svc.tables.items() for i in tab.rows}
    contacts = (
        {id(r) for i, r in world.services["contacts"].table("people").items() if i in life.contacts_ids}
        if ("contacts" in world.services)
        else set()
    )
    where = {
        id(r): (n, t) for n, svc in world.services.items() for t, tab in svc.tables.items() for r in tab.rows.values()
    }
    own = life.own

    def is_background(rec: dict) -> bool:
        if id(rec) in own or id(rec) in contacts:
            return True
        n, t = where.get(id(rec), ("", ""))
        return (n, t, _raw(rec, "id")) in initial

    return is_background


def world_rows(world: Any, family: str, rng: np.random.Generator, sample: Sample, *, match_age: bool = False) -> None:
    """Label and featurize the records of one built world into ``sample``.

    ``match_age``: the background sample is, for each planted record, the unused background records
    nearest to it in time (a diagnostic: what is left once recency, being unread or still to come,
    no longer separates a task's fresh records from a 90-day history).
    """
    is_background = background_test(world)
    tl = world.timeline
    by_rec: dict[int, list[Any]] = defaultdict(list)
    for e in tl.history + tl.pending:
        if e.record is not None:
            by_rec[id(e.record)].append(e)
    pending_ids = {id(e.record) for e in tl.pending if e.table is not None and e.record is not None}
    companions: set[tuple[str, int]] = set()
    for svc, tab in (("device", "log"), ("phone", "notifications")):
        if svc in world.services:
            for r in world.services[svc].table(tab).values():
                if _raw(r, "kind") in (None, "notification"):
                    companions.add((str(_raw(r, "app")), int(_raw(r, "time") or 0)))
    known: set[str] = set()
    if "contacts" in world.services:
        for p in world.services["contacts"].table("people").values():
            known.update({str(p["name"]), str(p["email"]).lower(), str(p["phone"])})
    tables: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for sname, svc in world.services.items():
        for tname, tab in svc.tables.items():
            tables[(sname, tname)].extend(tab.rows.values())
    for e in tl.pending:
        if e.table is not None and e.record is not None:
            tables[(e.service, e.table)].append(e.record)
    first = {k: v[0] for k, v in by_rec.items()}
    for (sname, tname), recs in sorted(tables.items()):
        recs = list({id(r): r for r in recs}.values())
        if len(recs) < 3:
            continue
        n = len(recs)
        id_order = sorted(range(n), key=lambda i: _id_key(recs[i]))
        timed = [(_when(r, first), i) for i, r in enumerate(recs)]
        time_order = sorted(range(n), key=lambda i: (timed[i][0] if timed[i][0] is not None else -1, i))
        id_rank = {i: k for k, i in enumerate(id_order)}
        time_rank = {i: k for k, i in enumerate(time_order)}
        planted = [i for i, r in enumerate(recs) if not is_background(r)]
        if not planted:
            continue
        background = [i for i in range(n) if i not in set(planted)]
        if match_age and len(background) > MAX_BACKGROUND:
            background = _nearest_in_time(planted, background, timed)
        elif len(background) > MAX_BACKGROUND:
            background = sorted(int(x) for x in rng.choice(background, size=MAX_BACKGROUND, replace=False))
        for i in planted + background:
            r = recs[i]
            shown = timed[i][0] is not None  # a record that shows no time has no order to compare
            feats = features(
                sname,
                tname,
                r,
                id_gap=(id_rank[i] - time_rank[i]) / n if shown else 0.0,
                events=by_rec.get(id(r), []),
                companions=companions,
                known=known,
                pending=id(r) in pending_ids,
            )
            sample.add(f"{sname}.{tname}", feats, not is_background(r), family)


def _nearest_in_time(planted: list[int], background: list[int], timed: list[tuple[int | None, int]]) -> list[int]:
    """Up to :data:`MAX_BACKGROUND` background indexes, taken in turn nearest in time to each planted one."""
    when: dict[int, int] = {}
    for i in planted + background:
        t = timed[i][0]
        when[i] = t if t is not None else -1
    free = set(background)
    per = max(1, MAX_BACKGROUND // max(1, len(planted)))
    out: list[int] = []
    for i in planted:
        near = sorted(free, key=lambda j: (abs(when[j] - when[i]), j))[:per]
        out += near
        free.difference_update(near)
    return sorted(out)


def _id_key(rec: dict) -> tuple[str, int]:
    rid = str(_raw(rec, "id") or "")
    m = re.match(r"([a-z]+)(\d+)$", rid)
    return (m.group(1), int(m.group(2))) if m else (rid, 0)


def collect(
    families: Sequence[str] | None = None,
    tasks: int = 1,
    difficulties: Iterable[int] = (1, 3, 5),
    seed: int = 0,
    *,
    match_age: bool = False,
) -> Sample:
    """Build the sampled worlds and featurize their records (deterministic from the arguments)."""
    from claw_gym.tasks import catalog, family_of
    from claw_gym.tasks.build import build

    diffs = set(difficulties)
    specs = [s for s in catalog() if s.difficulty in diffs and (families is None or s.family in families)]
    picked: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for s in sorted(specs, key=lambda s: s.task_id):
        if len(picked[(s.family, s.difficulty)]) < tasks:
            picked[(s.family, s.difficulty)].append(s)
    sample = Sample()
    rng = np.random.default_rng(seed)
    for key in sorted(picked):
        for spec in picked[key]:
            world, _ = build(family_of(spec), spec, seed)
            world_rows(world, spec.family, rng, sample, match_age=match_age)
    return sample


# ---- the classifier --------------------------------------------------------------------------------
def _matrix(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    col = {n: j for j, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        for k, v in r.items():
            j = col.get(k)
            if j is not None:
                x[i, j] = v
    return x


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 300
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Logistic regression (class-balanced, L2) by gradient descent on standardized features.

    Returns (weights, bias, mean, scale) for :func:`score`.
    """
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    z = (x - mu) / sd
    pos = max(1, int(y.sum()))
    neg = max(1, len(y) - pos)
    sw = np.where(y == 1, 0.5 / pos, 0.5 / neg)
    w = np.zeros(z.shape[1])
    b = 0.0
    lr = 1.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w + b, -30, 30)))
        g = sw * (p - y)
        w -= lr * (z.T @ g + l2 * w)
        b -= lr * float(g.sum())
    return w, b, mu, sd


def score(model: tuple[np.ndarray, float, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    w, b, mu, sd = model
    return ((x - mu) / sd) @ w + b


def auc(y: np.ndarray, s: np.ndarray) -> float:
    """Area under the ROC curve (ties count half); nan without both classes."""
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i : j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    return float((r[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


@dataclass
class Report:
    overall: float  # per-table AUCs on held-out families, weighted by their planted records
    per_table: dict[str, float]
    splits: list[float]  # the overall AUC of each split
    telling: list[tuple[str, float]]  # (table:feature, standardized weight) of the all-family models
    leaky: list[tuple[str, float, list[str]]]  # (family, mean held-out percentile of its records, top features)


def splits(families: Sequence[str], n: int, seed: int) -> list[tuple[set[str], set[str]]]:
    """``n`` random halvings of the families into (train, test): fixed by ``seed``."""
    rng = np.random.default_rng(seed)
    fams = sorted(families)
    out = []
    for _ in range(n):
        perm = [fams[int(i)] for i in rng.permutation(len(fams))]
        out.append((set(perm[: len(fams) // 2]), set(perm[len(fams) // 2 :])))
    return out


def evaluate(sample: Sample, n_splits: int = 4, seed: int = 0) -> Report:
    """Train on half the families, score the rest, over ``n_splits`` fixed halvings."""
    fams = sorted({f for fs in sample.families.values() for f in fs})
    per_table: dict[str, list[tuple[float, int]]] = defaultdict(list)
    split_aucs: list[float] = []
    pct: dict[str, list[float]] = defaultdict(list)
    contrib: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for train, _test in splits(fams, n_splits, seed):
        weighted: list[tuple[float, int]] = []
        for table in sorted(sample.rows):
            rows, y, fam = sample.rows[table], np.array(sample.labels[table]), sample.families[table]
            names = sorted({k for r in rows for k in r})
            x = _matrix(rows, names)
            tr = np.array([f in train for f in fam])
            te = ~tr
            if y[tr].sum() == 0 or y[te].sum() == 0 or (y[tr] == 0).sum() == 0 or (y[te] == 0).sum() == 0:
                continue
            model = fit(x[tr], y[tr])
            s = score(model, x[te])
            a = auc(y[te], s)
            npos = int(y[te].sum())
            per_table[table].append((a, npos))
            weighted.append((a, npos))
            bg = np.sort(s[y[te] == 0])
            w, _, mu, sd = model
            bgz = ((x[te][y[te] == 0] - mu) / sd).mean(axis=0)
            for k, i in enumerate(np.flatnonzero(te)):
                if y[i] == 1:
                    pct[fam[i]].append(float(np.searchsorted(bg, s[k]) / max(1, len(bg))))
                    z = (x[i] - mu) / sd
                    for j in np.argsort(-(w * (z - bgz)))[:3]:
                        contrib[fam[i]][f"{table}:{names[j]}"] += float(w[j] * (z[j] - bgz[j]))
        if weighted:
            split_aucs.append(sum(a * n for a, n in weighted) / sum(n for _, n in weighted))
    tables = {t: sum(a * n for a, n in v) / sum(n for _, n in v) for t, v in per_table.items()}
    allw = [(a, n) for v in per_table.values() for a, n in v]
    overall = sum(a * n for a, n in allw) / sum(n for _, n in allw) if allw else float("nan")
    telling: list[tuple[str, float]] = []
    for table in sorted(sample.rows):
        rows, y = sample.rows[table], np.array(sample.labels[table])
        if 0 < y.sum() < len(y):
            names = sorted({k for r in rows for k in r})
            w = fit(_matrix(rows, names), y)[0]
            telling += [(f"{table}:{names[j]}", float(w[j])) for j in range(len(names))]
    telling.sort(key=lambda t: -abs(t[1]))
    leaky = [
        (f, float(np.mean(v)), [k for k, _ in sorted(contrib[f].items(), key=lambda kv: -kv[1])[:3]])
        for f, v in pct.items()
    ]
    leaky.sort(key=lambda t: -t[1])
    return Report(overall, tables, split_aucs, telling[:15], leaky)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--families", default="", help="comma-separated family names (default: all)")
    ap.add_argument("--tasks", type=int, default=1, help="tasks per (family, difficulty)")
    ap.add_argument("--difficulties", default="1,3,5")
    ap.add_argument("--splits", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--match-age",
        action="store_true",
        help="diagnostic: background sampled nearest in time to the planted records (recency controlled)",
    )
    a = ap.parse_args(argv)
    fams = [f for f in a.families.split(",") if f] or None
    sample = collect(fams, a.tasks, [int(d) for d in a.difficulties.split(",")], a.seed, match_age=a.match_age)
    rep = evaluate(sample, a.splits, a.seed)
    import claw_gym

    print(f"claw_gym from {claw_gym.__file__}")
    print(f"AUC overall {rep.overall:.3f}  (splits: {', '.join(f'{x:.3f}' for x in rep.splits)})")
    print("AUC per table (held-out families):")
    for t, v in sorted(rep.per_table.items(), key=lambda kv: -kv[1]):
        print(f"  {t:28s} {v:.3f}   planted rows {sum(sample.labels[t])}")
    print("most telling features (standardized weight, + = planted):")
    for name, w in rep.telling:
        print(f"  {name:48s} {w:+.2f}")
    print("leakiest families (mean percentile of their records among held-out background; 0.5 = hidden):")
    for f, p, top in rep.leaky:
        print(f"  {f:28s} {p:.2f}   {', '.join(top)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
