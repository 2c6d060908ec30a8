"""The journal side of a sync: finding local edits, and writing merged rows back.

Local edits are found by comparing each row with the fields the last sync saw
(``sync_seen``); only rows the dirty-row triggers noted are compared, except at
the first sync. Merged rows are written back through the store's ordinary
methods, following the rules of ``docs/sync-format.md`` ("Writing merged rows").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ties.model import (
    DEFAULT_CIRCLES,
    DEFAULT_SUPPORT_TYPES,
    Circle,
    Entry,
    Person,
    SupportType,
    now_stamp,
)
from ties.store import InUseError, PeopleFilter, Store, ValidationError
from ties.store.sync_state import SyncState
from ties.sync import hlc, rows
from ties.sync.hlc import Clock
from ties.sync.rows import Fields

Key = tuple[str, str]


def _local_setting(key: str) -> bool:
    return any(key.startswith(p) for p in rows.LOCAL_SETTINGS)


class JournalRows:
    """Reads rows of one journal as sync fields, and writes merged ones back."""

    def __init__(self, store: Store, state: SyncState) -> None:
        self.store = store
        self.state = state
        self._uuid_of: dict[int, str] | None = None
        self._id_of: dict[str, int] | None = None
        self.applied = 0
        #: People that local edits :meth:`capture` found took off entries (or whose entries
        #: they deleted): a person deleted elsewhere and kept here only by those entries
        #: must now go, as on every other device (:meth:`apply`).
        self.released: set[str] = set()

    # --------------------------------------------------------------------- reading

    def _people_maps(self) -> tuple[dict[int, str], dict[str, int]]:
        if self._uuid_of is None or self._id_of is None:
            people = self.store.list_people(PeopleFilter(archived=None))
            self._uuid_of = {p.id or 0: p.uuid for p in people}
            self._id_of = {p.uuid: p.id or 0 for p in people}
        return self._uuid_of, self._id_of

    def _known_person(self, p: Person) -> None:
        uuid_of, id_of = self._people_maps()
        uuid_of[p.id or 0] = p.uuid
        id_of[p.uuid] = p.id or 0

    def _forget_person(self, uuid: str) -> None:
        uuid_of, id_of = self._people_maps()
        pid = id_of.pop(uuid, None)
        if pid is not None:
            uuid_of.pop(pid, None)

    def _person_fields(self, p: Person) -> Fields:
        photo = self.store.get_photo(p.id) if p.has_photo and p.id is not None else None
        return rows.person_fields(p, photo)

    def _link(self, key: str) -> Fields | None:
        pair = key.split(" ")
        if len(pair) != 2:
            return None
        found = self.state.link_rows((pair[0], pair[1]))
        return rows.link_fields(*found[0]) if found else None

    def local(self, kind: str, key: str) -> Fields | None:
        """The row as the journal holds it now, or None when it has no such row."""
        if kind == "person":
            p = self.store.get_person_by_uuid(key)
            return self._person_fields(p) if p else None
        if kind == "link":
            return self._link(key)
        if kind == "entry":
            e = self.store.get_entry_by_uuid(key)
            return rows.entry_fields(e, self._people_maps()[0]) if e else None
        if kind == "circle":
            c = next((c for c in self.store.circles(True) if c.key == key), None)
            return rows.circle_fields(c) if c else None
        if kind == "type":
            t = next((t for t in self.store.support_types(True) if t.key == key), None)
            return rows.type_fields(t) if t else None
        if kind == "setting":
            if _local_setting(key) or f"setting:{key}" not in self.store.meta_keys("setting:"):
                return None
            return {"value": self.store.get_setting(key)}
        return None

    def everything(self) -> Iterable[tuple[str, str, Fields]]:
        """Every synced row of the journal (the first sync compares all of them)."""
        for c in self.store.circles(True):
            yield "circle", c.key, rows.circle_fields(c)
        for t in self.store.support_types(True):
            yield "type", t.key, rows.type_fields(t)
        for key in self.store.meta_keys("setting:"):
            name = key.removeprefix("setting:")
            if not _local_setting(name):
                yield "setting", name, {"value": self.store.get_setting(name)}
        people = self.store.list_people(PeopleFilter(archived=None))
        for p in people:
            yield "person", p.uuid, self._person_fields(p)
        for a, b, relation, directed, since in self.state.link_rows():
            yield "link", rows.link_key(a, b), rows.link_fields(a, b, relation, directed, since)
        uuid_of = self._people_maps()[0]
        for batch in self.store.iter_entries():
            for e in batch:
                yield "entry", e.uuid, rows.entry_fields(e, uuid_of)

    # ------------------------------------------------------------------ local edits

    def capture(self, clock: Clock, keys: Iterable[Key] | None) -> list[dict[str, Any]]:
        """Stamp what changed in the journal since the last sync; returns the change records.

        ``keys`` None compares every row (the first sync); known rows that are
        gone from the journal then become tombstones too.
        """
        records: list[dict[str, Any]] = []
        found: list[tuple[str, str, Fields]]
        if keys is None:
            found = list(self.everything())
            present = {(k, key) for k, key, _ in found}
            gone = [k for k in self.state.seen_keys() if k not in present]
            # A default circle or type deleted before the first sync is a delete too.
            gone += [
                (kind, key)
                for kind, names in (("circle", DEFAULT_CIRCLES), ("type", DEFAULT_SUPPORT_TYPES))
                for key, *_rest in names
                if (kind, key) not in present and (kind, key) not in gone
            ]
            items: Iterable[tuple[str, str, Fields | None]] = [
                *found,
                *((k, key, None) for k, key in gone),
            ]
        else:
            items = [(k, key, self.local(k, key)) for k, key in keys]
        seen_updates: list[tuple[str, str, Fields | None]] = []
        field_rows: list[tuple[str, str, str, str, Any]] = []
        items = list(items)
        all_seen = self.state.all_seen() if keys is None else None
        self.state.preload((kind, key) for kind, key, _now in items)
        for kind, key, now in items:
            if kind == "setting" and _local_setting(key):
                continue
            seen = all_seen.get((kind, key)) if all_seen is not None else self.state.seen(kind, key)
            changed = rows.diff(seen, now)
            if now is None and seen is None and rows.factory_defaults(kind, key):
                changed = {rows.DELETED: True}
            if (
                kind == "entry"
                and now is not None
                and seen is not None
                and any(f.startswith(rows.PERSON_PREFIX) for f in changed)
            ):
                # Positions are rewritten whole, so every device orders people alike.
                changed.update({f: v for f, v in now.items() if f.startswith(rows.PERSON_PREFIX)})
            if not changed:
                continue
            if kind == "entry" and seen is not None:
                self.released.update(
                    set(rows.members(seen, rows.PERSON_PREFIX))
                    - set(rows.members(now or {}, rows.PERSON_PREFIX))
                )
            made = now.get("updated") if now is not None else None
            stamp = clock.tick(hlc.iso_ms(made) if isinstance(made, str) else None)
            oldest = self._factory_stamps(clock, kind, key, seen, changed)
            field_rows += [(kind, key, f, oldest.get(f, stamp), v) for f, v in changed.items()]
            record: dict[str, Any] = {"t": kind, "k": key, "h": stamp, "f": changed}
            if oldest:
                record["x"] = oldest
            records.append(record)
            seen_updates.append((kind, key, now))
        self.state.put_fields(field_rows)
        self.state.set_seen(seen_updates)
        return records

    @staticmethod
    def _factory_stamps(
        clock: Clock, kind: str, key: str, seen: Fields | None, changed: Fields
    ) -> dict[str, str]:
        """Fields of a never-synced default circle or type still at their factory value: they
        get the oldest stamp there is, so any edit made anywhere wins over them."""
        if seen is not None:
            return {}
        defaults = rows.factory_defaults(kind, key)
        if not defaults:
            return {}
        oldest = str(hlc.Stamp(0, 0, clock.device))
        missing = object()
        return {f: oldest for f, v in changed.items() if defaults.get(f, missing) == v}

    # ---------------------------------------------------------- merged rows written

    def _values(self, kind: str, key: str) -> Fields:
        return {f: v for f, (_h, v) in self.state.fields(kind, key).items()}

    def _apply_links(
        self,
        by_kind: dict[str, list[str]],
        seen: list[tuple[str, str, Fields | None]],
        problems: list[str],
    ) -> None:
        """Write the merged links; a link one of whose people this journal does not hold
        waits for them (on their way, or deleted and perhaps brought back by an entry)."""
        _uuid_of, id_of = self._people_maps()
        waits: list[tuple[str, bool]] = []
        for key in by_kind["link"]:
            f = self._values("link", key)
            now = self._link(key)
            live = (
                rows.complete("link", f)
                and not rows.is_deleted(f)
                and rows.link_key(str(f["from"]), str(f["to"])) == key
            )
            ids: tuple[int | None, int | None] = (None, None)
            if live:
                ids = (id_of.get(str(f.get("from"))), id_of.get(str(f.get("to"))))
            if live and (ids[0] is None or ids[1] is None):
                waits.append((key, True))
                live = False
            else:
                waits.append((key, False))
            want = (
                rows.link_fields(f["from"], f["to"], f["relation"], f["directed"], f["since"])
                if live
                else None
            )
            if want == now:
                seen.append(("link", key, now))
                continue
            try:
                if want is None:
                    a, b = (id_of.get(u) for u in key.split(" ", 1))
                    if a is not None and b is not None:
                        self.store.unlink(a, b)
                else:
                    since = date.fromisoformat(want["since"]) if want["since"] else None
                    self.store.link(
                        ids[0] or 0,
                        ids[1] or 0,
                        str(want["relation"]),
                        bool(want["directed"]),
                        since,
                    )
            except (ValueError, TypeError, ValidationError) as exc:
                problems.append(f"A link between two people was not saved: {exc}")
                continue
            self.applied += 1
            seen.append(("link", key, self._link(key)))
        self.state.set_waiting_many(waits, "link")

    def apply(self, touched: set[Key], released: Iterable[str] = ()) -> list[str]:
        """Write the merged state of ``touched`` rows (and the rows they depend on) to the
        journal; returns problems worth telling.

        ``released`` are people this journal's own edits took off entries (see
        :meth:`capture`): deleted elsewhere, they go once no entry here names them.
        """
        problems: list[str] = []
        by_kind: dict[str, list[str]] = {k: [] for k in rows.KINDS}
        for kind, key in sorted(touched):
            by_kind.setdefault(kind, []).append(key)
        seen: list[tuple[str, str, Fields | None]] = []
        circles = {c.key: c for c in self.store.circles(True)}
        types = {t.key: t for t in self.store.support_types(True)}

        def put_circle(c: Circle) -> None:
            if circles.get(c.key) != c:
                self.state.put_circle(c)
                self.applied += 1
            circles[c.key] = c
            seen.append(("circle", c.key, rows.circle_fields(c)))

        def put_type(t: SupportType) -> None:
            if types.get(t.key) != t:
                self.state.put_type(t, now_stamp())
                self.applied += 1
            types[t.key] = t
            seen.append(("type", t.key, rows.type_fields(t)))

        # Circles and support types first: people and entries name them.
        for key in by_kind["circle"]:
            f = self._values("circle", key)
            if rows.complete("circle", f) and not rows.is_deleted(f):
                put_circle(rows.make_circle(key, f))
        for key in by_kind["type"]:
            f = self._values("type", key)
            if rows.complete("type", f) and not rows.is_deleted(f):
                put_type(rows.make_type(key, f))

        # People: live, or deleted but named by an entry that lives on.
        entry_fields: dict[str, Fields] = {}
        person_states: dict[str, Fields] = {}

        def person_state(uuid: str) -> Fields:
            if uuid not in person_states:
                person_states[uuid] = self._values("person", uuid)
            return person_states[uuid]

        named: set[str] = set()

        def name_people(keys: Iterable[str]) -> None:
            for key in keys:
                f = entry_fields[key] = self._values("entry", key)
                if rows.complete("entry", f) and not rows.is_deleted(f):
                    named.update(rows.members(f, rows.PERSON_PREFIX))

        name_people(by_kind["entry"])
        uuid_of, id_of = self._people_maps()
        # Rows waiting for a person or type are read again when one may come: a person,
        # type or circle changed, or an entry names someone this journal does not hold
        # (a newcomer, or a deleted person a new entry brings back).
        if by_kind["person"] or by_kind["type"] or by_kind["circle"] or named - id_of.keys():
            waiting = self.state.waiting()
            for wkind in ("entry", "link"):
                keys = {key for kind, key in waiting if kind == wkind}
                more = sorted(keys - set(by_kind[wkind]))
                by_kind[wkind] = sorted(set(by_kind[wkind]) | keys)
                if wkind == "entry":
                    name_people(more)
        # People this journal's own edits took off entries: gone if deleted elsewhere.
        check_delete: set[str] = set(released)
        for uuid in sorted(set(by_kind["person"]) | {u for u in named if u not in id_of}):
            f = person_state(uuid)
            if not rows.complete("person", f):
                continue
            if rows.is_deleted(f) and uuid not in named:
                check_delete.add(uuid)
                pid = id_of.get(uuid)
                # Deleted, but an entry this journal holds keeps them (a new entry from
                # elsewhere brought them back): their later edits are written like anyone's.
                if pid is None or not self.store.person_entry_count(pid):
                    continue
            circle = str(f["circle"])
            if circle not in circles:
                cf = self._values("circle", circle)
                put_circle(
                    rows.make_circle(circle, cf)
                    if rows.complete("circle", cf)
                    else rows.stub_circle(circle)
                )
            pid = id_of.get(uuid)
            try:
                want = rows.make_person(uuid, f, person_id=pid)
                photo = rows.photo_bytes(f.get("photo"))
                if pid is None:
                    saved = self.store.add_person(want)
                    self._known_person(saved)
                    self.applied += 1
                    old_fields = rows.person_fields(saved)
                else:
                    old = self.store.get_person(pid)
                    saved = old
                    old_fields = self._person_fields(old)
                    if old_fields != rows.person_fields(want, photo):
                        saved = self.store.update_person(want, touch=False)
                        self.applied += 1
                if old_fields["photo"] != rows.photo_text(photo):
                    self.store.set_photo(saved.id or 0, photo)
                    saved = self.store.get_person(saved.id or 0)
            except (ValueError, TypeError, ValidationError) as exc:  # a value it cannot hold
                problems.append(f"A person from the sync folder was not saved in full: {exc}")
                continue
            seen.append(("person", uuid, self._person_fields(saved)))

        # Entries: changed ones one by one, new ones all at once.
        uuid_of, id_of = self._people_maps()
        existing = self.state.entry_ids(by_kind["entry"])
        old_entries = {e.uuid: e for e in self.store.get_entries(list(existing.values()))}
        new_entries: list[Entry] = []
        waits_for: list[tuple[str, bool]] = []
        for key in by_kind["entry"]:
            f = entry_fields[key]
            old_entry = old_entries.get(key)
            if old_entry is not None:
                check_delete.update(uuid_of[p] for p in old_entry.person_ids)
                if old_entry.on_behalf_of:
                    check_delete.add(uuid_of[old_entry.on_behalf_of])
            if not rows.complete("entry", f) or rows.is_deleted(f):
                waits_for.append((key, False))
                if old_entry is not None and old_entry.id is not None:
                    self.store.delete_entry(old_entry.id)
                    self.applied += 1
                seen.append(("entry", key, None))
                continue
            for tkey in rows.split_members(f)[1]:
                if tkey not in types:
                    tf = self._values("type", tkey)
                    if rows.complete("type", tf):
                        put_type(rows.make_type(tkey, tf))
            plan = rows.make_entry(
                key, f, id_of, set(types), entry_id=old_entry.id if old_entry else None
            )
            # It waits for whatever it names that this journal does not hold: a person or
            # type on its way, or a deleted person another entry may yet bring back.
            waits_for.append((key, bool(plan.missing)))
            if plan.entry is None:
                if old_entry is not None and old_entry.id is not None:
                    self.store.delete_entry(old_entry.id)
                    self.applied += 1
                seen.append(("entry", key, None))
                continue
            try:
                if old_entry is None:
                    self.store.validate_entry(plan.entry)
                    new_entries.append(plan.entry)
                    continue
                if rows.entry_fields(old_entry, uuid_of) != rows.entry_fields(plan.entry, uuid_of):
                    saved_entry = self.store.update_entry(plan.entry, touch=False)
                    self.applied += 1
                else:
                    saved_entry = old_entry
            except (ValueError, ValidationError) as exc:  # a value this journal cannot hold
                problems.append(f"An entry from the sync folder was not saved: {exc}")
                continue
            seen.append(("entry", key, rows.entry_fields(saved_entry, uuid_of)))
        for saved_entry in self.state.add_entries(new_entries, validated=True):
            self.applied += 1
            seen.append(("entry", saved_entry.uuid, rows.entry_fields(saved_entry, uuid_of)))
        self.state.set_waiting_many(waits_for)
        self._apply_links(by_kind, seen, problems)
        # What was just written is recorded as seen: no need to compare it again.
        self.state.set_seen(seen)
        self.state.forget_dirty((kind, key) for kind, key, _f in seen)
        seen = []

        # People deleted elsewhere go once no entry here names them any more.
        old_circles: set[str] = set()
        for uuid in sorted(check_delete):
            pid = id_of.get(uuid)
            f = person_state(uuid)
            if pid is None or not rows.is_deleted(f):
                continue
            if self.store.person_entry_count(pid):
                continue
            old_circles.add(self.store.get_person(pid).circle)
            self.store.delete_person(pid)
            self._forget_person(uuid)
            self.applied += 1
            seen.append(("person", uuid, None))

        # Circles and types deleted elsewhere go once nothing here uses them.
        for key in sorted(set(by_kind["circle"]) | old_circles):
            f = self._values("circle", key)
            if key in circles and rows.is_deleted(f):
                try:
                    self.store.delete_circle(key)
                except InUseError:
                    continue
                circles.pop(key)
                self.applied += 1
                seen.append(("circle", key, None))
        for key in by_kind["type"]:
            f = self._values("type", key)
            if key in types and rows.is_deleted(f):
                try:
                    self.store.delete_support_type(key)
                except InUseError:
                    continue
                types.pop(key)
                self.applied += 1
                seen.append(("type", key, None))

        for key in by_kind["setting"]:
            if _local_setting(key):
                continue
            f = self._values("setting", key)
            live = rows.complete("setting", f) and not rows.is_deleted(f)
            current = self.local("setting", key)
            setting = {"value": f["value"]} if live else None
            if current != setting:
                self.store.set_setting(key, setting["value"] if setting else None)
                self.applied += 1
            seen.append(("setting", key, setting))
        self.state.set_seen(seen)
        return problems
