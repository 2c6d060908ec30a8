"""The JSON export carries the whole person (issue #15): details, dates, tags, links, photo."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from ties.io.export_json import write_json
from ties.io.importers import import_file
from ties.model import Address, Detail, ImportantDate, Person
from ties.store import Store

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _doc(store: Store) -> str:
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


def _fill(store: Store) -> None:
    ana = store.add_person(
        Person(
            "Ana Ruiz",
            emails=[Detail("work", "ana@work.example"), Detail("", "ANA@home.example")],
            phones=[Detail("mobile", "+44 7700 900123")],
            urls=[Detail("other", "https://ana.example/ü")],
            addresses=[Address("home", "1 Main St", "Kraków", "", "30-001", "Poland")],
            birthday="--02-29",
            dates=[
                ImportantDate("wedding", "2015-06-20"),
                ImportantDate("exam", "2027-01-10", False),
            ],
            tags=["climbing", "Zürich"],
            extra=["X-ABUID:1;2", "IMPP;TYPE=home:xmpp:ana@chat.example"],
        )
    )
    ben = store.add_person(Person("Ben Okafor", birthday="1980-12-31", tags=["climbing"]))
    cy = store.add_person(Person("Cy", archived=True))
    assert ana.id and ben.id and cy.id
    store.link(ana.id, ben.id, "partner", since=date(2019, 4, 1))
    store.link(cy.id, ana.id, "introduced me to", directed=True)
    store.set_photo(ana.id, PNG)


def test_store_to_json_to_an_empty_journal_is_identical(store: Store, tmp_path: Path) -> None:
    _fill(store)
    path = tmp_path / "e.json"
    path.write_text(_doc(store), encoding="utf-8")
    with Store.open(tmp_path / "empty.ties") as empty:
        report = import_file(empty, path, backup=False)
        assert report.problems == []
        assert _doc(empty) == _doc(store)
        ana = empty.people_named("Ana Ruiz")[0]
        assert ana.id is not None and empty.get_photo(ana.id) == PNG
        assert [
            (x.other_name, x.relation, x.directed, x.incoming) for x in empty.links(ana.id)
        ] == [
            ("Ben Okafor", "partner", False, False),
            ("Cy", "introduced me to", True, True),
        ]
        again = import_file(empty, path, backup=False)
        assert again.total("added") == again.total("updated") == 0
        assert _doc(empty) == _doc(store)


def test_person_records_have_the_new_fields(store: Store) -> None:
    _fill(store)
    doc = json.loads(_doc(store))
    assert doc["version"] == 2
    ana = next(p for p in doc["people"] if p["name"] == "Ana Ruiz")
    assert ana["birthday"] == "--02-29" and ana["tags"] == ["climbing", "Zürich"]
    assert ana["photo"]["mime"] == "image/png" and ana["has_photo"] is True
    assert ana["links"][0] == {
        "name": "Ben Okafor",
        "uuid": next(p["uuid"] for p in doc["people"] if p["name"] == "Ben Okafor"),
        "relation": "partner",
        "directed": False,
        "incoming": False,
        "since": "2019-04-01",
    }
    ben = next(p for p in doc["people"] if p["name"] == "Ben Okafor")
    assert ben["photo"] is None and ben["emails"] == []


def test_a_format_1_export_still_imports(store: Store, tmp_path: Path) -> None:
    """Written by hand as Ties wrote format 1: no contact keys at all on a person."""
    person = {
        "uuid": "0b7e0f0a-1111-4a4a-8888-000000000001",
        "name": "Old Timer",
        "circle": "work",
        "organization": "",
        "role": "",
        "how_met": "",
        "met_on": None,
        "life_phases": [],
        "closeness": 3,
        "mutuality": 0,
        "interests": "",
        "needs": "",
        "offers": "",
        "notes": "",
        "cadence_days": None,
        "archived": False,
        "last_contact": None,
        "created": "2025-01-01T00:00:00.000000Z",
        "updated": "2025-01-01T00:00:00.000000Z",
    }
    text = (
        '{\n"format": "ties-export",\n"version": 1,\n"schema_version": 4,\n'
        f'"exported": "x",\n"settings": {{}},\n"circles": [],\n"support_types": [],\n'
        f'"people": [\n{json.dumps(person)}\n],\n"entries": []\n}}\n'
    )
    path = tmp_path / "old.json"
    path.write_text(text, encoding="utf-8")
    report = import_file(store, path, backup=False)
    assert report.problems == [] and report.total("added") == 1
    [p] = store.list_people()
    assert p.name == "Old Timer" and p.emails == [] and p.birthday is None and not p.has_photo


def test_bad_new_fields_are_named_and_skipped(store: Store, tmp_path: Path) -> None:
    _fill(store)
    doc = json.loads(_doc(store))
    doc["people"][0]["birthday"] = "2026-02-30"
    doc["people"][1]["photo"] = {"mime": "image/gif", "data": ""}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with Store.open(tmp_path / "other.ties") as other:
        report = import_file(other, path, backup=False)
        assert len(report.problems) >= 2
        text = " ".join(str(p) for p in report.problems)
        assert "birthday" in text and "photo" in text
