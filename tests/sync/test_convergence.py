"""Property tests: journals edited offline converge whatever order they sync in."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ties.app.sync import sync_folder
from ties.model import Circle, Detail, Entry, ImportantDate, Person
from ties.store import InUseError, PeopleFilter, Store, ValidationError

from .helpers import content

NAMES = ("Ana", "Bo", "Chen", "Dana")
TAGS = ("climbing", "school", "Berlin")
#: Two tiny images (a PNG and a JPEG signature is what the store checks).
PHOTOS = (b"\x89PNG\r\n\x1a\n" + b"one", b"\xff\xd8\xff" + b"two")
TYPES = ("confidant", "expertise", "belonging")

op = st.tuples(
    st.integers(0, 2),  # device
    st.sampled_from(
        (
            "add_person",
            "rename",
            "notes",
            "closeness",
            "archive",
            "delete_person",
            "add_entry",
            "note",
            "weight",
            "add_person_to_entry",
            "drop_person_from_entry",
            "types",
            "behalf",
            "delete_entry",
            "setting",
            "tags",
            "email",
            "birthday",
            "date",
            "link",
            "unlink",
            "photo",
            "circle",
            "default_circle",
            "move_circle",
            "compact",
            "sync",
            "sync",
        )
    ),
    st.integers(0, 1000),  # which row, and which value
)


def _people(store: Store) -> list[Person]:
    return sorted(store.list_people(PeopleFilter(archived=None)), key=lambda p: p.uuid)


def _entries(store: Store) -> list[Entry]:
    return sorted((e for b in store.iter_entries() for e in b), key=lambda e: e.uuid)


def apply_op(store: Store, folder: Path, kind: str, n: int) -> None:
    people = _people(store)
    entries = _entries(store)
    person = people[n % len(people)] if people else None
    entry = entries[n % len(entries)] if entries else None
    if kind == "sync":
        sync_folder(store, folder)
    elif kind == "compact":
        sync_folder(store, folder, compact=True)
    elif kind == "circle":
        key = f"c{n % 3}"
        if key in {c.key for c in store.circles(True)} and n % 2:
            with contextlib.suppress(InUseError):
                store.delete_circle(key)
        else:
            store.save_circle(Circle(key, f"Circle {key} {n % 7}", n % 5))
    elif kind == "default_circle":
        if n % 3 == 0 and "online" in {c.key for c in store.circles(True)}:
            with contextlib.suppress(InUseError):
                store.delete_circle("online")
        else:
            store.save_circle(Circle("work", f"Work {n % 5}", n % 9))
    elif kind == "move_circle" and person is not None:
        circles = [c.key for c in store.circles(True)]
        store.update_person(replace(person, circle=circles[n % len(circles)]))
    elif kind == "add_person" or person is None:
        store.add_person(Person(name=NAMES[n % len(NAMES)], notes=f"n{n}"))
    elif kind == "rename":
        store.update_person(replace(person, name=f"{NAMES[n % len(NAMES)]} {n}"))
    elif kind == "notes":
        store.update_person(replace(person, notes=f"notes {n}"))
    elif kind == "closeness":
        store.update_person(replace(person, closeness=1 + n % 5))
    elif kind == "archive":
        store.set_archived(person.id or 0, not person.archived)
    elif kind == "delete_person":
        store.delete_person(person.id or 0, with_entries=True)
    elif kind == "add_entry" or entry is None:
        store.add_entry(
            Entry(
                date=date(2026, 1, 1) + timedelta(days=n % 60),
                person_ids=[person.id or 0],
                note=f"e{n}",
                support_types=[TYPES[n % 3]],
                follow_up=date(2026, 3, 1) if n % 4 == 0 else None,
            )
        )
    elif kind == "note":
        store.update_entry(replace(entry, note=f"note {n}"))
    elif kind == "weight":
        store.update_entry(
            replace(entry, weight=1 + n % 3, date=entry.date + timedelta(days=n % 3))
        )
    elif kind == "add_person_to_entry":
        if person.id not in entry.person_ids:
            store.update_entry(replace(entry, person_ids=[*entry.person_ids, person.id or 0]))
    elif kind == "drop_person_from_entry":
        if len(entry.person_ids) > 1:
            store.update_entry(replace(entry, person_ids=entry.person_ids[1:]))
    elif kind == "types":
        store.update_entry(replace(entry, support_types=sorted({TYPES[n % 3], TYPES[n // 3 % 3]})))
    elif kind == "behalf":
        store.update_entry(replace(entry, on_behalf_of=person.id if n % 3 else None))
    elif kind == "delete_entry":
        store.delete_entry(entry.id or 0)
    elif kind == "setting":
        store.set_setting("cadence_days", {"5": 7 + n % 30})
    elif kind == "tags":
        store.update_person(replace(person, tags=[TAGS[n % 3], TAGS[n // 3 % 3]]))
    elif kind == "email":
        emails = [Detail("home", f"p{n % 5}@example.org")] if n % 4 else []
        store.update_person(replace(person, emails=emails))
    elif kind == "birthday":
        store.update_person(replace(person, birthday=f"--0{1 + n % 9}-1{n % 10}"))
    elif kind == "date":
        dates = [ImportantDate("met", f"2020-0{1 + n % 9}-1{n % 10}", bool(n % 2))]
        store.update_person(replace(person, dates=dates if n % 3 else []))
    elif kind in ("link", "unlink") and len(people) > 1:
        other = people[(n // 7 + 1 + people.index(person)) % len(people)]
        if other.id != person.id:
            if kind == "link":
                store.link(
                    person.id or 0, other.id or 0, ("friend", "colleague")[n % 2], n % 3 == 0
                )
            else:
                store.unlink(person.id or 0, other.id or 0)
    elif kind == "photo":
        store.set_photo(person.id or 0, PHOTOS[n % 2] if n % 3 else None)


def _converge(stores: list[Store], folder: Path, order: list[int]) -> None:
    for i in order:
        sync_folder(stores[i], folder)
    # Two full rounds carry every change to every device.
    for _ in range(2):
        for s in stores:
            sync_folder(s, folder)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    devices=st.integers(2, 3),
    ops=st.lists(op, min_size=1, max_size=25),
    order=st.lists(st.integers(0, 2), max_size=6),
)
def test_journals_converge_in_any_sync_order(devices: int, ops: list, order: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = base / "folder"
        folder.mkdir()
        stores = [Store.open(base / f"d{i}.ties") for i in range(devices)]
        try:
            for device, kind, n in ops:
                # A circle label another device's circle has taken is refused, as in the window.
                with contextlib.suppress(ValidationError):
                    apply_op(stores[device % devices], folder, kind, n)
            _converge(stores, folder, [i % devices for i in order])
            first = content(stores[0])
            for s in stores[1:]:
                assert content(s) == first
            # A device that joins now (from snapshots and the files after them) gets it all.
            late = Store.open(base / "late.ties")
            stores.append(late)
            sync_folder(late, folder)
            assert content(late) == first
            # Idempotent: syncing again changes nothing anywhere.
            for s in stores:
                report = sync_folder(s, folder)
                assert report.applied == 0 and report.sent == 0
                assert content(s) == first
        finally:
            for s in stores:
                s.close()
