"""Contact import: duplicates, "possibly the same person", photos, CSV detail columns."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from ties.app.exchange import import_report_text
from ties.cli import main
from ties.io.importers import import_file
from ties.io.importers.csv_details import csv_date
from ties.model import Address, Detail, ImportantDate, Person
from ties.store import Store

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _card(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{x}\r\n" for x in lines) + "END:VCARD\r\n"


def _write(tmp_path: Path, text: str, name: str = "in.vcf") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shared_email_in_one_file_is_one_person(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _card("FN:Jo Smith", "EMAIL:JO@x.example")
        + _card("FN:Joanna Smith", "EMAIL:jo@x.example", "TEL:+1 555 000 1111"),
    )
    report = import_file(store, path, backup=False)
    assert (report.total("added"), report.total("updated")) == (1, 1)
    (p,) = store.list_people()
    assert p.name == "Jo Smith" and [d.value for d in p.phones] == ["+1 555 000 1111"]


def test_a_shared_phone_against_the_journal_updates(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="Kim Lee", phones=[Detail("mobile", "+44 (0)20 7946 0000")]))
    path = _write(tmp_path, _card("FN:K. Lee", "TEL:+44 0 20 7946 0000", "BDAY:--05-06"))
    report = import_file(store, path, backup=False)
    assert report.total("updated") == 1
    (p,) = store.list_people()
    assert (p.name, p.birthday, len(p.phones)) == ("Kim Lee", "--05-06", 1)


def test_same_name_and_organisation_is_updated_not_duplicated(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="Ada Byron", organization="Analytical", role="Countess"))
    path = _write(
        tmp_path, _card("FN:Ada Byron", "ORG:Analytical", "TITLE:Engineer", "CATEGORIES:math")
    )
    import_file(store, path, backup=False)
    (p,) = store.list_people()
    assert p.role == "Countess"  # what the user wrote is never overwritten
    assert p.tags == ["math"]


def test_near_names_are_offered_never_merged(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="Jonathan Smith", emails=[Detail("work", "js@a.example")]))
    path = _write(tmp_path, _card("FN:Jonathon Smith", "EMAIL:other@b.example"))
    report = import_file(store, path, dry_run=True, backup=False)
    assert report.possible == [("Jonathon Smith", "Jonathan Smith")]
    text = import_report_text(report)
    assert "possibly the same person: Jonathon Smith and Jonathan Smith" in text
    import_file(store, path, backup=False)
    assert store.count_people() == 2


def test_same_name_different_emails_are_two_people_offered_as_one(
    store: Store, tmp_path: Path
) -> None:
    path = _write(
        tmp_path, _card("FN:John Smith", "EMAIL:a@x.org") + _card("FN:John Smith", "EMAIL:b@x.org")
    )
    report = import_file(store, path, backup=False)
    assert store.count_people() == 2
    assert report.possible == [("John Smith", "John Smith")]


def test_a_photo_is_stored_and_a_huge_one_is_named(store: Store, tmp_path: Path) -> None:
    huge = base64.b64encode(b"\xff\xd8\xff" + b"\0" * (9 * 1024 * 1024)).decode()
    junk = base64.b64encode(b"\xff\xd8\xff" + b"\0" * 4096).decode()
    path = _write(
        tmp_path,
        _card("FN:Pic", f"PHOTO;ENCODING=b;TYPE=PNG:{base64.b64encode(PNG).decode()}")
        + _card("FN:Huge", f"PHOTO;ENCODING=b;TYPE=JPEG:{huge}")
        + _card("FN:Junk", f"PHOTO;ENCODING=b;TYPE=JPEG:{junk}"),
    )
    report = import_file(store, path, backup=False)
    people = {p.name: p for p in store.list_people()}
    assert store.get_photo(people["Pic"].id or 0) == PNG  # small: kept byte for byte
    assert not people["Huge"].has_photo and not people["Junk"].has_photo
    assert report.fields[("skipped", "PHOTO")] == 2
    assert any("card 2" in n and "KB" in n for n in report.notes)
    assert any("card 3" in n and "damaged" in n for n in report.notes)


def test_a_large_photo_is_scaled_to_512_pixels(store: Store, tmp_path: Path) -> None:
    """Issue #15: photos are scaled on import (a phone's photo is megabytes)."""
    import io

    from PIL import Image

    raw = io.BytesIO()
    Image.effect_noise((2400, 1800), 60).convert("RGB").save(raw, format="JPEG", quality=95)
    assert len(raw.getvalue()) > 1024 * 1024
    photo = base64.b64encode(raw.getvalue()).decode()
    path = _write(tmp_path, _card("FN:Big", f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}"))
    import_file(store, path, backup=False)
    (p,) = store.list_people()
    stored = store.get_photo(p.id or 0)
    assert stored is not None and len(stored) < 300_000
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 512 and image.size == (512, 384)


def test_a_photo_link_is_kept_not_fetched(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, _card("FN:Link", "PHOTO;VALUE=uri:https://example.org/me.jpg"))
    import_file(store, path, backup=False)
    (p,) = store.list_people()
    assert p.extra == ["PHOTO;VALUE=uri:https://example.org/me.jpg"] and not p.has_photo


# ------------------------------------------------------------------------ CSV

GOOGLE = (
    "Name,Given Name,Family Name,Birthday,Notes,Group Membership,E-mail 1 - Type,"
    "E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Address 1 - Type,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country,"
    "Website 1 - Type,Website 1 - Value,Event 1 - Type,Event 1 - Value,Occupation\n"
    "Ana Lima,Ana,Lima,1990-02-03,hi,* myContacts ::: Friends,* Home,ana@h.example ::: "
    'ana@w.example,Mobile,+55 11 91234 5678,Home,"Rua A 1\nSão Paulo",Rua A 1,São Paulo,'
    "01000-000,Brasil,Blog,https://ana.example,Anniversary,2015-09-12,Pilot\n"
)
OUTLOOK = (
    "First Name,Last Name,Company,Job Title,E-mail Address,E-mail 2 Address,Business Phone,"
    "Mobile Phone,Home Street,Home City,Home Postal Code,Home Country/Region,Web Page,"
    "Birthday,Anniversary,Categories,Spouse\n"
    "Tom,Berg,Contoso,Buyer,tom@c.example,tom@home.example,+1 425 555 0100,+1 425 555 0101,"
    "1 Main St,Redmond,98052,USA,https://tom.example,3/22/1980,6/1/2005,VIP;Suppliers,Eva\n"
)
LINKEDIN = (
    'Notes:\n"a notice"\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Jane,Example,https://www.linkedin.com/in/jane,,Example Corp,Engineer,22 Dec 2025\n"
)


def test_google_csv_details(store: Store, tmp_path: Path) -> None:
    report = import_file(store, _write(tmp_path, GOOGLE, "g.csv"), backup=False)
    (p,) = store.list_people()
    assert p.emails == [Detail("home", "ana@h.example"), Detail("home", "ana@w.example")]
    assert p.phones == [Detail("mobile", "+55 11 91234 5678")]
    assert p.addresses == [Address("home", "Rua A 1", "São Paulo", "", "01000-000", "Brasil")]
    assert p.urls == [Detail("Blog", "https://ana.example")]
    assert p.dates == [ImportantDate("anniversary", "2015-09-12")]
    assert p.birthday == "1990-02-03" and p.tags == ["myContacts", "Friends"]
    assert p.extra == ["X-CSV-OCCUPATION:Pilot"]
    assert report.fields[("kept", "Occupation")] == 1
    assert report.fields[("skipped", "Address 1 - Formatted")] == 1


def test_outlook_csv_details(store: Store, tmp_path: Path) -> None:
    import_file(store, _write(tmp_path, OUTLOOK, "o.csv"), backup=False)
    (p,) = store.list_people()
    assert [d.value for d in p.emails] == ["tom@c.example", "tom@home.example"]
    assert p.phones == [Detail("work", "+1 425 555 0100"), Detail("mobile", "+1 425 555 0101")]
    assert p.addresses == [Address("home", "1 Main St", "Redmond", "", "98052", "USA")]
    assert p.birthday == "1980-03-22"
    assert p.dates == [ImportantDate("anniversary", "2005-06-01")]
    assert p.tags == ["VIP", "Suppliers"] and p.extra == ["X-CSV-SPOUSE:Eva"]


def test_linkedin_csv_details(store: Store, tmp_path: Path) -> None:
    import_file(store, _write(tmp_path, LINKEDIN, "l.csv"), backup=False)
    (p,) = store.list_people()
    assert p.urls == [Detail("linkedin", "https://www.linkedin.com/in/jane")]
    assert p.dates == [ImportantDate("connected on LinkedIn", "2025-12-22", yearly=False)]


def test_csv_dates() -> None:
    assert csv_date("22.03.1980") == "1980-03-22"
    assert csv_date("--03-22") == "--03-22"
    assert csv_date("0.0.00") is None
    assert csv_date("Dec 22, 2025") == "2025-12-22"


def test_cli_exports_vcard_for_named_people(tmp_path: Path, capsys: object) -> None:
    db = tmp_path / "j.ties"
    with Store.open(db) as s:
        s.add_person(Person(name="Ann Example", emails=[Detail("home", "ann@x.example")]))
        s.add_person(Person(name="Bo"))
    out = tmp_path / "ann.vcf"
    code = main(
        [
            "--db",
            str(db),
            "export",
            "--format",
            "vcard",
            "-o",
            str(out),
            "--person",
            "Ann",
            "--vcard-version",
            "3.0",
        ]
    )
    assert code == 0
    text = out.read_text()
    assert "VERSION:3.0" in text and "EMAIL;TYPE=INTERNET,HOME:ann@x.example" in text
    assert "FN:Bo" not in text
    assert main(["--db", str(db), "export", "--format", "vcard", "-o", str(out)]) == 0
    assert out.read_text().count("BEGIN:VCARD") == 2
    assert (
        main(
            [
                "--db",
                str(db),
                "export",
                "--format",
                "json",
                "-o",
                str(tmp_path / "x.json"),
                "--person",
                "Bo",
            ]
        )
        != 0
    )


def test_import_report_json_has_field_counts(tmp_path: Path, capsys: object) -> None:
    db = tmp_path / "j.ties"
    path = _write(tmp_path, "BEGIN:VCARD\r\nFN:A\r\nX-FOO:1\r\nPRODID:x\r\nEND:VCARD\r\n")
    assert main(["--db", str(db), "import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert data["fields"] == {
        "mapped": {"FN": 1},
        "kept": {"X-FOO": 1},
        "skipped": {"PRODID": 1},
    }


SHARED = Path("/work/shared/samples/contacts")
#: file → {name: (e-mails, phones, birthday)}
CSV_DETAILS = {
    "csv-google-contacts-utf16le.csv": {
        "Prefix Firstname Middle Lastname Suffix": (
            {"home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"},
            {"pager", "mainphone", "homephone", "homefax", "mobile", "workphone", "workfax"},
            "1975-12-12",
        )
    },
    "csv-outlook2013-german-cp1252.csv": {
        "Jürgen Größe": ({"j.groesse@example.de"}, {"040 0000000000", "0176 000000000"}, None),
        "Karin Beispiel": ({"k.beispiel@example.de"}, {"+49 (0) 40 0000000-000"}, None),
    },
    "csv-linkedin-connections.csv": {"Jane Example": (set(), set(), None)},
}


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared sample folder is not present")
@pytest.mark.parametrize("name", sorted(CSV_DETAILS))
def test_shared_csv_samples_bring_their_details(store: Store, name: str) -> None:
    import_file(store, SHARED / name, backup=False)
    people = {p.name: p for p in store.list_people()}
    for person_name, (emails, phones, birthday) in CSV_DETAILS[name].items():
        p = people[person_name]
        assert {e.value for e in p.emails} == emails
        assert {t.value for t in p.phones} == phones
        assert p.birthday == birthday
    if name.startswith("csv-google"):
        (p,) = people.values()
        assert {d.label for d in p.phones} >= {"pager", "home fax", "work fax", "mobile"}
        assert p.addresses[0].locality == "home_city" and p.tags == ["My Contacts", "Test"]


def test_an_over_long_detail_is_left_out_and_named_not_the_person(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, _card("FN:Long", "EMAIL:" + "x" * 3000 + "@x.org", "TEL:+1 555 0100"))
    report = import_file(store, path, backup=False)
    (p,) = store.list_people()
    assert p.emails == [] and [d.value for d in p.phones] == ["+1 555 0100"]
    assert report.problems == [] and "an e-mail of 3,006 characters" in report.notes[0]
