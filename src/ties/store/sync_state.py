"""What a journal remembers about syncing (every SQL statement of the sync lives here).

``sync_row`` holds, per synced row, the merged state (per field the winning
clock stamp and value, as JSON ``{field: [stamp, value]}``) and the row as
the journal had it when the last sync ended (``seen``), so the next sync finds
local edits by comparing (whatever path wrote them: window, command line,
undo, import). ``sync_dirty`` narrows
that comparison to rows written since: triggers fill it, only once the journal
has synced. The tables are made by schema migration ``_v6_sync``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ties.model import Circle, Entry, SupportType, now_stamp
from ties.store import derived, entries, taxonomy
from ties.store.derived import FTS_COLUMNS
from ties.store.entries import ENTRY_OWN, entry_values
from ties.store.errors import ValidationError

if TYPE_CHECKING:
    from ties.store.core import StoreCore

SYNC_TABLES = """
CREATE TABLE sync_self (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device TEXT NOT NULL,
    machine TEXT NOT NULL,
    clock TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    quiet INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sync_row (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '{}',
    seen TEXT,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE sync_dirty (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE sync_waiting (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE sync_outbox (
    n INTEGER PRIMARY KEY,
    record TEXT NOT NULL
);
CREATE TABLE sync_peer (
    device TEXT PRIMARY KEY,
    applied INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    last_seen TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sync_extra (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL
);
"""

#: Rows are noted once the journal has synced, except while the sync writes rows it
#: records as seen itself (``quiet``).
_NEW_ENTRY_COLUMNS = ("id", "uuid", *ENTRY_OWN, "people_label", "created", "updated")


def _insert_all(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: list) -> None:
    """Insert many rows with ONE statement (``json_each`` over a JSON array of rows).

    ``executemany`` runs the statement once a row, and inside the sync's transaction
    each run keeps a statement journal of the pages it touches, written to a temporary
    file: 10,000 entries made 300,000 small writes (0.4 s of system time). One
    statement journals each page once.
    """
    if not rows:
        return
    picks = ", ".join(f"value->>{i}" for i in range(len(columns)))
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picks} FROM json_each(?)",
        (json.dumps(rows, ensure_ascii=False, separators=(",", ":")),),
    )


_ON = "WHEN EXISTS (SELECT 1 FROM sync_self WHERE quiet = 0)"
_PERSON_COLUMNS = (
    "name, circle, organization, role, how_met, met_on, life_phases, closeness, mutuality, "
    "interests, needs, offers, notes, cadence_days, archived, created, updated, birthday"
)
#: A person's lists and photo (:mod:`ties.store.person_details`): a write to any of them
#: is a write to the person.
_PERSON_PARTS = (
    "person_details",
    "person_addresses",
    "person_dates",
    "person_tags",
    "person_extra",
    "person_photos",
)
#: The key of a link row (``l`` joined to its two people ``pa`` and ``pb``): the uuids sorted.
_LINK_KEY = (
    "CASE WHEN pa.uuid < pb.uuid THEN pa.uuid || ' ' || pb.uuid ELSE pb.uuid || ' ' || pa.uuid END"
)
_LINK_SOURCE = "FROM people pa, people pb"
_ENTRY_COLUMNS = (
    "date, time, kind, direction, weight, on_behalf_of, note, follow_up, follow_up_done, "
    "thanked, types_label, created, updated"
)


def _mark(name: str, event: str, kind: str, key: str, source: str = "", when: str = "") -> str:
    """A trigger that notes one row in ``sync_dirty``.

    Not ``INSERT OR IGNORE``: inside a trigger the outer statement's conflict policy
    wins, and an upsert (``set_setting``, ``save_circle``) would make a second note
    of one row fail. The row is noted only when it is not noted yet.
    """
    conditions = [c for c in (when,) if c]
    conditions.append(
        f"NOT EXISTS (SELECT 1 FROM sync_dirty d WHERE d.kind = '{kind}' AND d.key = {key})"
    )
    return (
        f"CREATE TRIGGER sync_dirty_{name} AFTER {event} {_ON}\n"
        f"BEGIN INSERT INTO sync_dirty (kind, key) SELECT '{kind}', {key} {source} "
        f"WHERE {' AND '.join(conditions)}; END;\n"
    )


def dirty_triggers() -> str:
    """Triggers that note which synced rows were written, once the journal has synced."""
    parts = []
    for op, r in (("insert", "NEW"), ("delete", "OLD"), ("update", "NEW")):
        on = op.upper()
        parts += [
            _mark(
                f"person_{op}",
                f"UPDATE OF {_PERSON_COLUMNS} ON people" if op == "update" else f"{on} ON people",
                "person",
                f"{r}.uuid",
            ),
            _mark(
                f"entry_{op}",
                f"UPDATE OF {_ENTRY_COLUMNS} ON entries" if op == "update" else f"{on} ON entries",
                "entry",
                f"{r}.uuid",
            ),
            _mark(f"circle_{op}", f"{on} ON circles", "circle", f"{r}.key"),
            _mark(f"type_{op}", f"{on} ON support_types", "type", f"{r}.key"),
            _mark(
                f"setting_{op}",
                f"{on} ON meta",
                "setting",
                f"substr({r}.key, 9)",
                when=f"{r}.key LIKE 'setting:%'",
            ),
        ]
        for table in _PERSON_PARTS:
            parts.append(
                _mark(
                    f"{table}_{op}",
                    f"{on} ON {table}",
                    "person",
                    "p.uuid",
                    source="FROM people p",
                    when=f"p.id = {r}.person_id",
                )
            )
        if op != "update":
            parts.append(
                _mark(
                    f"link_{op}",
                    f"{on} ON person_links",
                    "link",
                    _LINK_KEY,
                    source=_LINK_SOURCE,
                    when=f"pa.id = {r}.a_id AND pb.id = {r}.b_id",
                )
            )
            for table in ("entry_people", "entry_support"):
                parts.append(
                    _mark(
                        f"{table}_{op}",
                        f"{on} ON {table}",
                        "entry",
                        "e.uuid",
                        source="FROM entries e",
                        when=f"e.id = {r}.entry_id",
                    )
                )
    # A person's links go with them (ON DELETE CASCADE), after the person row has gone:
    # they are noted before it goes.
    parts.append(
        f"CREATE TRIGGER sync_dirty_person_links_gone BEFORE DELETE ON people {_ON}\n"
        f"BEGIN INSERT INTO sync_dirty (kind, key) SELECT 'link', {_LINK_KEY} "
        "FROM person_links l JOIN people pa ON pa.id = l.a_id JOIN people pb ON pb.id = l.b_id "
        "WHERE (l.a_id = OLD.id OR l.b_id = OLD.id) AND NOT EXISTS (SELECT 1 FROM sync_dirty d "
        f"WHERE d.kind = 'link' AND d.key = {_LINK_KEY}); END;\n"
    )
    return "".join(parts)


@dataclass
class SelfRow:
    device: str
    machine: str
    clock: str
    seq: int


@dataclass
class Peer:
    device: str
    applied: int
    name: str
    last_seen: str


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SyncState:
    """The sync tables of one open journal. Writes must run inside ``store.transaction()``."""

    def __init__(self, store: StoreCore) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        self._cache: dict[tuple[str, str], dict[str, list[Any]]] = {}
        self._unsaved: set[tuple[str, str]] = set()

    # ------------------------------------------------------------------ this device

    def self_row(self) -> SelfRow | None:
        row = self.conn.execute("SELECT device, machine, clock, seq FROM sync_self").fetchone()
        return SelfRow(*row) if row else None

    def set_self(self, row: SelfRow) -> None:
        self.conn.execute(
            "INSERT INTO sync_self (id, device, machine, clock, seq) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET device = excluded.device, machine = excluded.machine,"
            " clock = excluded.clock, seq = excluded.seq",
            (row.device, row.machine, row.clock, row.seq),
        )

    # ------------------------------------------------------------ rows written since

    def has_dirty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sync_dirty LIMIT 1").fetchone() is not None

    def dirty(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.conn.execute("SELECT kind, key FROM sync_dirty")]

    def clear_dirty(self) -> None:
        self.conn.execute("DELETE FROM sync_dirty")

    def waiting(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.conn.execute("SELECT kind, key FROM sync_waiting")]

    def set_waiting_many(self, waits: Iterable[tuple[str, bool]], kind: str = "entry") -> None:
        """(key, whether the row waits for a person or type still on its way)."""
        items = list(waits)
        self.conn.executemany(
            "INSERT OR IGNORE INTO sync_waiting (kind, key) VALUES (?, ?)",
            [(kind, k) for k, w in items if w],
        )
        self.conn.executemany(
            "DELETE FROM sync_waiting WHERE kind = ? AND key = ?",
            [(kind, k) for k, w in items if not w],
        )

    # ------------------------------------------------- merged state and rows as seen

    def _state(self, kind: str, key: str) -> dict[str, list[Any]]:
        found = self._cache.get((kind, key))
        if found is None:
            row = self.conn.execute(
                "SELECT state FROM sync_row WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
            found = self._cache[(kind, key)] = json.loads(row[0]) if row else {}
        return found

    def preload(self, keys: Iterable[tuple[str, str]]) -> None:
        """Read the merged state of many rows at once (a sync brings thousands)."""
        by_kind: dict[str, list[str]] = {}
        for kind, key in keys:
            if (kind, key) not in self._cache:
                by_kind.setdefault(kind, []).append(key)
        for kind, wanted in by_kind.items():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, state in self.conn.execute(
                    f"SELECT key, state FROM sync_row WHERE kind = ? AND key IN ({marks})",
                    [kind, *chunk],
                ):
                    self._cache[(kind, key)] = json.loads(state)
                for key in chunk:
                    self._cache.setdefault((kind, key), {})

    def _upsert(self, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Insert or update sync rows (kind, key, *columns) with ONE statement.

        ``sync_row`` rows are a kilobyte or more (often overflowing a page): run once a
        row, as ``executemany`` does, each run journals the pages it touches again.
        The columns' values are given as JSON values (dicts, None), not as JSON text:
        SQLite's ``->>`` gives an object back as its minified JSON text, and Python
        escapes no text twice.
        """
        if not rows:
            return
        names = ("kind", "key", *columns)
        picks = ", ".join(f"value->>{i}" for i in range(len(names)))
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns)
        self.conn.execute(
            f"INSERT INTO sync_row ({', '.join(names)}) SELECT {picks} FROM json_each(?) "
            f"WHERE 1 ON CONFLICT(kind, key) DO UPDATE SET {sets}",
            (json.dumps(rows, ensure_ascii=False, separators=(",", ":")),),
        )

    def seen(self, kind: str, key: str) -> dict[str, Any] | None:
        self.flush()
        row = self.conn.execute(
            "SELECT seen FROM sync_row WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return _load(row[0]) if row else None

    def all_seen(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every row as last seen (the first sync of a device compares all of them)."""
        self.flush()
        return {
            (r[0], r[1]): json.loads(r[2])
            for r in self.conn.execute(
                "SELECT kind, key, seen FROM sync_row WHERE seen IS NOT NULL"
            )
        }

    def seen_keys(self) -> list[tuple[str, str]]:
        self.flush()
        return [
            (r[0], r[1])
            for r in self.conn.execute("SELECT kind, key FROM sync_row WHERE seen IS NOT NULL")
        ]

    def set_seen(self, items: Iterable[tuple[str, str, dict[str, Any] | None]]) -> None:
        """Record rows as last seen; a row whose merged state waits to be written (see
        :meth:`merge`) gets both in one write (a sync row is written once, not twice)."""
        both: list[tuple[Any, ...]] = []
        only: list[tuple[Any, ...]] = []
        for kind, key, f in items:
            if (kind, key) in self._unsaved:
                self._unsaved.discard((kind, key))
                both.append((kind, key, self._cache[(kind, key)], f))
            else:
                only.append((kind, key, f))
        self._upsert(("state", "seen"), both)
        self._upsert(("seen",), only)

    def fields(self, kind: str, key: str) -> dict[str, tuple[str, Any]]:
        """field → (stamp, value) of one row."""
        return {f: (h, v) for f, (h, v) in self._state(kind, key).items()}

    def stamps(self, kind: str, key: str) -> dict[str, str]:
        return {f: hv[0] for f, hv in self._state(kind, key).items()}

    def put_fields(self, rows: Iterable[tuple[str, str, str, str, Any]]) -> None:
        """(kind, key, field, stamp, value) rows; a field keeps whichever stamp is later."""
        changed: set[tuple[str, str]] = set()
        for kind, key, name, stamp, value in rows:
            state = self._state(kind, key)
            old = state.get(name)
            if old is None or stamp > old[0]:
                state[name] = [stamp, value]
                changed.add((kind, key))
        self._unsaved -= changed
        states = [(kind, key, self._cache[(kind, key)]) for kind, key in sorted(changed)]
        self._upsert(("state",), states)

    def merge(
        self, kind: str, key: str, values: dict[str, Any], stamp: str, extra: dict[str, str]
    ) -> int:
        """Merge one change record into the row's state (kept in memory until :meth:`flush`,
        or :meth:`set_seen` of the row, writes it); returns how many fields it won."""
        state = self._state(kind, key)
        won = 0
        if not state and not extra:  # a row first heard of: every field wins
            for name, value in values.items():
                state[name] = [stamp, value]
            won = len(values)
        else:
            for name, value in values.items():
                s = extra.get(name, stamp)
                old = state.get(name)
                if old is None or s > old[0]:
                    state[name] = [s, value]
                    won += 1
        if won:
            self._unsaved.add((kind, key))
        return won

    def flush(self) -> None:
        """Write the states :meth:`merge` changed (and no row has written since)."""
        if self._unsaved:
            unsaved = sorted(self._unsaved)
            self._unsaved.clear()
            self._upsert(("state",), [(k, key, self._cache[(k, key)]) for k, key in unsaved])

    def all_rows(self) -> Iterator[tuple[str, str, dict[str, list[Any]]]]:
        """Every row's merged state (kind, key, {field: [stamp, value]}): what a snapshot holds."""
        self.flush()
        for r in self.conn.execute("SELECT kind, key, state FROM sync_row WHERE state != '{}'"):
            yield r[0], r[1], json.loads(r[2])

    # ------------------------------------------------------------------------ outbox

    def add_outbox(self, records: Iterable[dict[str, Any]]) -> None:
        self.conn.executemany(
            "INSERT INTO sync_outbox (record) VALUES (?)", ((dump(r),) for r in records)
        )

    def outbox(self) -> list[tuple[int, dict[str, Any]]]:
        return [
            (r[0], json.loads(r[1]))
            for r in self.conn.execute("SELECT n, record FROM sync_outbox ORDER BY n")
        ]

    def has_outbox(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sync_outbox LIMIT 1").fetchone() is not None

    def clear_outbox(self, upto: int) -> None:
        self.conn.execute("DELETE FROM sync_outbox WHERE n <= ?", (upto,))

    # ------------------------------------------------------------------------- peers

    def peers(self) -> dict[str, Peer]:
        return {
            r[0]: Peer(*r)
            for r in self.conn.execute("SELECT device, applied, name, last_seen FROM sync_peer")
        }

    def set_peer(self, peer: Peer) -> None:
        self.conn.execute(
            "INSERT INTO sync_peer (device, applied, name, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(device) DO UPDATE SET applied = excluded.applied, name = excluded.name,"
            " last_seen = excluded.last_seen",
            (peer.device, peer.applied, peer.name, peer.last_seen),
        )

    def extra_seen(self, name: str, size: int, mtime: float) -> bool:
        """True when a conflict copy with this size and time was read already."""
        row = self.conn.execute(
            "SELECT size, mtime FROM sync_extra WHERE name = ?", (name,)
        ).fetchone()
        return row is not None and row[0] == size and row[1] == mtime

    def set_extra(self, name: str, size: int, mtime: float) -> None:
        self.conn.execute(
            "INSERT INTO sync_extra (name, size, mtime) VALUES (?, ?, ?) ON CONFLICT(name) "
            "DO UPDATE SET size = excluded.size, mtime = excluded.mtime",
            (name, size, mtime),
        )

    def forget_dirty(self, keys: Iterable[tuple[str, str]]) -> None:
        """Rows the sync itself just wrote (and recorded as seen) need no comparing."""
        self.conn.executemany("DELETE FROM sync_dirty WHERE kind = ? AND key = ?", keys)

    # ------------------------------------------------------------- entries, many at once

    def entry_ids(self, uuids: Sequence[str]) -> dict[str, int]:
        """uuid → id of the entries the journal has among ``uuids``."""
        found: dict[str, int] = {}
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for uuid, eid in self.conn.execute(
                f"SELECT uuid, id FROM entries WHERE uuid IN ({marks})", chunk
            ):
                found[uuid] = eid
        return found

    def add_entries(self, new: Sequence[Entry], *, validated: bool = False) -> list[Entry]:
        """Add new entries as :meth:`Store.add_entry` adds one — validated, with their people,
        support types, labels, search rows and last contacts — in a few statements for all.

        A sync that brings ten thousand entries writes them here: one ``add_entry`` each
        would take seconds.
        """
        store = self.store
        if not validated:  # the sync validated each as it planned it
            for e in new:
                entries.validate_entry(store, e)
        if not new:
            return []
        conn = self.conn
        stamp = now_stamp()
        with store.transaction():
            # The caller records these entries as seen: the triggers need not note them.
            conn.execute("UPDATE sync_self SET quiet = 1")
            first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
            ids = list(range(first, first + len(new)))
            wanted = sorted({pid for e in new for pid in e.person_ids})
            names: dict[int, str] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                names.update(
                    conn.execute(f"SELECT id, name FROM people WHERE id IN ({marks})", chunk)
                )
            missing = [pid for pid in wanted if pid not in names]
            if missing:
                raise ValidationError(f"No person with id {missing[0]}.", "people")
            _insert_all(
                conn,
                "entries",
                _NEW_ENTRY_COLUMNS,
                [
                    (
                        eid,
                        e.uuid,
                        *entry_values(e),
                        ", ".join(names[p] for p in e.person_ids),
                        e.created or stamp,
                        e.updated or stamp,
                    )
                    for eid, e in zip(ids, new, strict=True)
                ],
            )
            conn.execute(  # their sort keys (schema v8), in one statement
                "UPDATE entries SET people_key = ties_sort_key(people_label) WHERE id >= ?",
                (first,),
            )
            _insert_all(
                conn,
                "entry_people",
                ("entry_id", "person_id", "position", "date", "direction", "weight"),
                [
                    (eid, pid, pos, e.date.isoformat(), e.direction, e.weight)
                    for eid, e in zip(ids, new, strict=True)
                    for pos, pid in enumerate(e.person_ids)
                ],
            )
            _insert_all(
                conn,
                "entry_support",
                ("entry_id", "type_key"),
                [(eid, key) for eid, e in zip(ids, new, strict=True) for key in e.support_types],
            )
            _insert_all(
                conn,
                "entry_person_support",
                ("entry_id", "person_id", "type_key", "date", "direction", "weight"),
                [
                    (eid, pid, key, e.date.isoformat(), e.direction, e.weight)
                    for eid, e in zip(ids, new, strict=True)
                    for pid in e.person_ids
                    for key in e.support_types
                ],
            )
            entries.count_changed(store, len(new))
            # The ids run on without a gap: one statement fills the search index for all.
            conn.execute(
                f"INSERT INTO entries_fts (rowid, {FTS_COLUMNS['entries_fts']}) "
                f"SELECT id, {FTS_COLUMNS['entries_fts']} FROM entries WHERE id BETWEEN ? AND ?",
                (ids[0], ids[-1]),
            )
            derived.refresh_last_contact(conn, wanted)
            conn.execute("UPDATE sync_self SET quiet = 0")
        return entries.get_entries(store, ids)

    # ------------------------------------------------------------ links between people

    def link_rows(self, uuids: tuple[str, str] | None = None) -> list[tuple[Any, ...]]:
        """(from uuid, to uuid, relation, directed, since) of every link, or of the one
        between two people."""
        sql = (
            "SELECT pa.uuid, pb.uuid, l.relation, l.directed, l.since FROM person_links l "
            "JOIN people pa ON pa.id = l.a_id JOIN people pb ON pb.id = l.b_id"
        )
        if uuids is None:
            return self.conn.execute(sql).fetchall()
        return self.conn.execute(
            sql + " WHERE (pa.uuid = ? AND pb.uuid = ?) OR (pa.uuid = ? AND pb.uuid = ?)",
            (uuids[0], uuids[1], uuids[1], uuids[0]),
        ).fetchall()

    # ------------------------------------------- vocabularies written as they merged

    def put_circle(self, c: Circle) -> None:
        """Write a circle as merged, without the label check of ``save_circle``: two
        devices may each have named a circle alike, and the merge must still hold both."""
        self.conn.execute(
            "INSERT INTO circles (key, label, position, retired) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET label = excluded.label, "
            "position = excluded.position, retired = excluded.retired",
            (c.key, c.label, c.position, int(c.retired)),
        )

    def put_type(self, t: SupportType, stamp: str) -> None:
        """Write a support type as merged (see :meth:`put_circle`)."""
        self.conn.execute(
            "INSERT INTO support_types (key, label, family, question, position, retired, "
            "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "label = excluded.label, family = excluded.family, question = excluded.question,"
            " position = excluded.position, retired = excluded.retired",
            (t.key, t.label, t.family, t.question, t.position, int(t.retired), stamp, stamp),
        )
        taxonomy.forget_types(self.store)
