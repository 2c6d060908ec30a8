"""Write the fixture journal of the current schema version, for the migration tests.

Run once per schema version that ships, and commit both files it writes::

    .venv/bin/python scripts/make_fixture_journal.py

It writes ``tests/fixtures/journals/v<N>.ties`` (a journal made by this
version's code, with non-ASCII text, NULLs and long notes) and
``v<N>.json`` (every row of every table, as this version reads them). The test
``tests/reliability/test_migration_fixtures.py`` opens every fixture with the
current code and checks that the rows are still there, unchanged. Never
regenerate the file of a version that has shipped: its point is to be old.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

from ties.model import Entry, Person
from ties.store import Store, schema

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "journals"

#: Tables a dump covers: everything but the search indices, which are derived.
SKIP_PREFIXES = ("sqlite_", "people_fts", "entries_fts")


def _plain(value: object) -> object:
    """A column value as JSON holds it: a BLOB (a photo) as ``{"blob_hex": …}``."""
    if isinstance(value, bytes):
        return {"blob_hex": value.hex()}
    return value


def dump_rows(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every journal table, sorted, read straight from SQLite."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(SKIP_PREFIXES)
        ]
        out: dict[str, list[dict[str, object]]] = {}
        for table in sorted(tables):
            cur = conn.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            rows = [{c: _plain(v) for c, v in zip(cols, row, strict=True)} for row in cur]
            out[table] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
        return out
    finally:
        conn.close()


def fill(store: Store) -> None:
    """People and entries that exercise what an upgrade could get wrong."""
    long_note = "".join(
        f"Paragraph {i}: Zoë's café in Kraków, 東京の友達, Привет, emoji 🎉🤝 — line {i}.\n"
        for i in range(1300)
    )  # ~100 kB of non-ASCII text: spans overflow pages
    ana = store.add_person(
        Person(
            name="Ana Ruiz-Peña",
            circle="work",
            organization="Ñandú & Söhne GmbH",
            role="Directora técnica",
            how_met="Conferencia en São Paulo",
            met_on=date(2019, 3, 14),
            life_phases=["first job", "Zürich years"],
            closeness=4,
            mutuality=1,
            interests="climbing, ceviche",
            needs="intro to a 数据 scientist",
            offers="career advice",
            notes=long_note[:20_000],
            cadence_days=30,
        )
    )
    bo = store.add_person(Person(name="Bō Zhāng 张博", circle="friends"))  # NULL met_on, cadence
    cleo = store.add_person(
        Person(name='Cléo O\'Brien "the elder"', circle="family", closeness=5, archived=True)
    )
    dara = store.add_person(Person(name="Dara ☃", circle="other", closeness=1, mutuality=-1))
    assert ana.id and bo.id and cleo.id and dara.id
    store.add_entry(
        Entry(
            date=date(2024, 2, 29),
            person_ids=[ana.id, bo.id],
            direction="received",
            kind="meeting",
            support_types=["career_guidance", "encouragement"],
            weight=3,
            time="09:05",
            on_behalf_of=cleo.id,
            note=long_note,
            follow_up=date(2024, 3, 31),
            thanked=True,
        )
    )
    store.add_entry(Entry(date=date(2025, 12, 31), person_ids=[bo.id]))  # NULLs, empty note
    store.add_entry(
        Entry(
            date=date(2026, 1, 1),
            person_ids=[dara.id, cleo.id, ana.id],
            direction="gave",
            kind="introduction",
            support_types=["introductions"],
            weight=2,
            note="Introduced Dara to Ana; «très bien» — naïve façade, Ελληνικά, עברית, 🙂",
            follow_up=date(2026, 1, 15),
            follow_up_done=True,
        )
    )
    _fill_person_details(store, ana.id, bo.id, cleo.id)
    _fill_sync_state(store, dara.id)
    store.dismiss("follow-up:demo-ñ", until=date(2026, 2, 1))
    store.dismiss("reciprocity:forever")
    store.set_meta("name", "Fixture journal — Zoë")
    store.set_setting("cadence", {"4": 30, "note": "ünïcode"})


def _fill_person_details(store: Store, ana: int, bo: int, cleo: int) -> None:
    """Schema 5 (issue #15): details, dates, tags, a photo, links and kept vCard lines."""
    if not hasattr(store, "link"):
        return
    from dataclasses import replace

    from ties.model import Address, Detail, ImportantDate

    p = store.get_person(ana)
    store.update_person(
        replace(
            p,
            emails=[Detail("work", "ana@ñandú.example"), Detail("home", "Ana@Home.example")],
            phones=[Detail("mobile", "+55 11 91234-5678")],
            urls=[Detail("other", "https://ana.example/ü")],
            addresses=[Address("work", "Rua Açaí 1", "São Paulo", "SP", "01000-000", "Brasil")],
            birthday="--02-29",
            dates=[ImportantDate("começou no emprego", "2019-03-14", False)],
            tags=["Zürich", "mentor"],
            extra=["X-ABUID:ñ-1", "IMPP;TYPE=home:xmpp:ana@chat.example"],
        )
    )
    store.update_person(replace(store.get_person(bo), birthday="1988-12-31", tags=["mentor"]))
    store.set_photo(ana, b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    store.link(ana, bo, "colleague", since=date(2020, 1, 2))
    store.link(cleo, ana, "introduced me to", directed=True)


def _fill_sync_state(store: Store, dara: int) -> None:
    """Schema 6 (issue #19): a journal that has synced once, with an edit not yet synced."""
    if store.schema_version < 6:
        return
    from dataclasses import replace

    from ties.app.sync import sync_folder

    with tempfile.TemporaryDirectory() as folder:
        sync_folder(store, Path(folder))
    store.update_person(replace(store.get_person(dara), notes="edited after the sync — ü"))


def main() -> int:
    version = schema.SCHEMA_VERSION
    target = FIXTURES / f"v{version}.ties"
    if target.exists() and "--force" not in sys.argv:
        print(f"{target} exists; a shipped fixture is never regenerated (use --force)")
        return 1
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "fixture.ties") as store:
        fill(store)
        problems = store.integrity_problems()
        if problems:
            raise SystemExit(f"fixture is not consistent: {problems}")
        store.backup_to(target)  # one self-contained file, rollback journal mode
    expected = {"schema_version": version, "tables": dump_rows(target)}
    target.with_suffix(".json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {target} ({target.stat().st_size:,} bytes) and its .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
