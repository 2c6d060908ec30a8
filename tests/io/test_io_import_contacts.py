"""vCard and CSV contacts: the real-world samples, realistic files, mapping, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ties.io.export_json import write_json
from ties.io.importers import (
    ImportFormatError,
    ImportRefused,
    Mapping,
    detect_format,
    import_file,
)
from ties.io.importers.csv_contacts import headers_of
from ties.model import Person
from ties.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
SHARED = Path("/work/shared/samples/contacts")


def _doc(store: Store) -> str:
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


def _people(store: Store) -> dict[str, Person]:
    return {p.name: p for p in store.list_people()}


# (file, {name: (organization, role, notes contain)})
VCARD_SAMPLES = {
    "v21-android-qp-photo.vcf": {
        "john.doe@company.com": ("", "", ""),
        "jane.doe@company.com": ("", "", ""),
        "Ñ Ñ Ñ Ñ Ñ": ("", "", ""),
        "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ": ("", "", "Ñ Ñ"),
        "Ñ Ñ Ñ Ñ": ("ÑÑÑÑÑÑÑÑÑÑÑÑ", "", ""),
        "ÑÑÑÑ": ("Ñ" * 44, "", ""),
    },
    "v21-outlook-qp-photo.vcf": {
        "Mr. John Richter James Doe Sr.": ("IBM", "Money Counter", "THIS SOFTWARE IS PROVIDED"),
    },
    "v21-nokia-qp-softbreaks.vcf": {"Max Müller": ("", "", "")},
    "v21-shift-jis.vcf": {"安藤 ロイド 1": ("", "", "メモ")},
    "v30-iphone-ios5.vcf": {
        "Mr. John Richter James Doe Sr.": ("IBM", "Money Counter", ""),
    },
    "v30-macos-addressbook.vcf": {
        "Mr. John Richter,James Doe Sr.": ("IBM", "Money Counter", '"AS IS"'),
    },
    "v30-google-contacts.vcf": {
        "Mr. John Richter, James Doe Sr.": ("IBM", "Money Counter", "Favotire Color: Blue"),
    },
    "v30-owncloud-fold-splits-utf8.vcf": {
        "βγδεαβγδ1" * 11: ("", "", "Длинный комментарий на русском языке"),
    },
    "v40-nextcloud-rfc6868-label.vcf": {"Dummy, Dummy": ("Dummy GmbH", "", "")},
    "v40-thunderbird-export.vcf": {
        "contact number one": ("", "", ""),
        "contact number two": ("", '"worker"', "here's some unicode text…"),
    },
    "broken-evolution-no-version-empty-n.vcf": {
        "Ximian, Inc.": ("Ximian, Inc.", "", "Welcome to the Ximian Addressbook."),
    },
    "broken-missing-end.vcf": {"Frank Dawson": ("Lotus Development Corporation", "", "")},
}


@pytest.mark.parametrize("name", sorted(VCARD_SAMPLES))
def test_vcard_samples_import_what_a_person_expects(store: Store, name: str) -> None:
    report = import_file(store, FIXTURES / name, backup=False)
    assert report.format == "vCard"
    assert report.problems == []
    people = _people(store)
    expected = VCARD_SAMPLES[name]
    assert set(people) == set(expected)
    for person_name, (org, role, note) in expected.items():
        p = people[person_name]
        assert p.organization == org
        assert p.role == role
        assert note in p.notes
        assert "\ufffd" not in p.name + p.organization + p.notes or name.startswith("v21-android")


def test_vcard_import_twice_changes_nothing(store: Store) -> None:
    import_file(store, FIXTURES / "v30-google-contacts.vcf", backup=False)
    before = _doc(store)
    report = import_file(store, FIXTURES / "v30-google-contacts.vcf", backup=False)
    assert report.total("added") == report.total("updated") == 0
    assert report.total("skipped") == 1
    assert _doc(store) == before


REALISTIC = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Zoë Ångström\r\n"
    "N:Ångström;Zoë;;;\r\n"
    "ORG:Initech;R&D\r\n"
    "TITLE:Principal eng\r\n"
    " ineer\r\n"
    "EMAIL;TYPE=WORK:zoe@initech.example\r\n"
    "EMAIL;TYPE=HOME:zoe@home.example\r\n"
    "CATEGORIES:Work,VIP\r\n"
    "NOTE:Met at the conference\\, then again in Lyon.\\nLikes climbing.\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDB\r\n"
    " kSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgN\r\n"
    "BDAY:1985-04-12\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\r\n"
    "ller\r\n"
    "ORG:\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0Asecond line\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:\r\n"
    "N:;;;;\r\n"
    "END:VCARD\r\n"
)


def test_realistic_vcard_with_folds_qp_photo_and_empty_card(store: Store, tmp_path: Path) -> None:
    store.save_circle(store.circles()[0])  # circles exist: Work matches the category
    path = tmp_path / "mixed.vcf"
    path.write_bytes(REALISTIC.encode("utf-8"))
    report = import_file(store, path, backup=False)
    people = _people(store)
    assert set(people) == {"Zoë Ångström", "Jürgen Müller"}
    zoe = people["Zoë Ångström"]
    assert zoe.organization == "Initech"
    assert zoe.role == "Principal engineer"
    assert zoe.circle == "work"
    assert "Met at the conference, then again in Lyon.\nLikes climbing." in zoe.notes
    assert zoe.birthday == "1985-04-12" and "Birthday" not in zoe.notes
    assert [e.value for e in zoe.emails] == ["zoe@initech.example", "zoe@home.example"]
    assert zoe.tags == ["Work", "VIP"] and zoe.extra == ["ORG:Initech;R&D"]
    assert people["Jürgen Müller"].notes == "first line\nsecond line"
    assert len(report.problems) == 1 and report.problems[0].startswith("card 3")
    with pytest.raises(ImportRefused, match="strict"):
        import_file(store, path, strict=True, backup=False)


def test_vcard_matches_existing_person_and_offers_update(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="ZOE ANGSTROM", organization="initech"))
    path = tmp_path / "z.vcf"
    path.write_bytes(REALISTIC.encode("utf-8"))
    report = import_file(store, path, dry_run=True, backup=False)
    assert report.counts[("updated", "person")] == 1
    assert store.count_people() == 1  # dry run wrote nothing
    import_file(store, path, backup=False)
    assert store.count_people() == 2  # Zoë updated, Jürgen added
    zoe = store.people_named("ZOE ANGSTROM")[0]
    assert zoe.role == "Principal engineer"


def test_vcard_in_utf16_and_cp1252(store: Store, tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Renée Éclair\r\nORG:Café Crème\r\nEND:VCARD\r\n"
    (tmp_path / "u16.vcf").write_bytes(card.encode("utf-16"))
    (tmp_path / "w.vcf").write_bytes(card.replace("Renée", "Renée2").encode("cp1252"))
    import_file(store, tmp_path / "u16.vcf", backup=False)
    import_file(store, tmp_path / "w.vcf", backup=False)
    assert set(_people(store)) == {"Renée Éclair", "Renée2 Éclair"}
    assert {p.organization for p in store.list_people()} == {"Café Crème"}


# ------------------------------------------------------------------------ CSV

GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Nickname,Birthday,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Organization 1 - Name,"
    "Organization 1 - Title\n"
    'Ana Ruiz,Ana,,Ruiz,,1990-02-03,"Two\nlines ""quoted""",* myContacts ::: Friends,'
    "* Work,ana@x.example,Home,ana@home.example,Globex,CTO\n"
    ",Ben,,Okafor,,,,,,,,,,\n"
)
OUTLOOK_EN = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
    '"Job Title","E-mail Address","Notes","Categories","Birthday"\r\n'
    '"Dr.","Chloé","","Lefèvre","","Fabrikam","R&D","Chemist","c@f.example","Met in Lyon",'
    '"Industry","3/14/1980"\r\n'
    '"","Short","","Row"\r\n'
)
LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Yusuf,Kaya,https://www.linkedin.com/in/example,,Umbrella Labs,Data lead,22 Dec 2025\n"
)


@pytest.mark.parametrize(
    ("content", "encoding", "fmt", "expected"),
    [
        (GOOGLE, "utf-16", "Google CSV", {"Ana Ruiz": ("Globex", "CTO"), "Ben Okafor": ("", "")}),
        (
            GOOGLE,
            "utf-8-sig",
            "Google CSV",
            {"Ana Ruiz": ("Globex", "CTO"), "Ben Okafor": ("", "")},
        ),
        (
            OUTLOOK_EN,
            "cp1252",
            "Outlook CSV",
            {"Chloé Lefèvre": ("Fabrikam", "Chemist"), "Short Row": ("", "")},
        ),
        (LINKEDIN, "utf-8", "LinkedIn CSV", {"Yusuf Kaya": ("Umbrella Labs", "Data lead")}),
    ],
)
def test_csv_shapes(
    store: Store,
    tmp_path: Path,
    content: str,
    encoding: str,
    fmt: str,
    expected: dict[str, tuple[str, str]],
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content.encode(encoding))
    report = import_file(store, path, backup=False)
    assert report.format == fmt
    assert report.problems == []
    people = _people(store)
    assert {n: (p.organization, p.role) for n, p in people.items()} == expected


def test_google_csv_notes_categories_and_birthday(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(GOOGLE, encoding="utf-8")
    import_file(store, path, backup=False)
    ana = _people(store)["Ana Ruiz"]
    assert ana.notes.startswith('Two\nlines "quoted"')
    assert ana.birthday == "1990-02-03" and "Birthday" not in ana.notes
    assert ana.circle == "friends" and ana.tags == ["myContacts", "Friends"]


def test_german_outlook_headers(store: Store, tmp_path: Path) -> None:
    content = (
        '"Anrede","Vorname","Weitere Vornamen","Nachname","Suffix","Firma","Abteilung",'
        '"Position","Geburtstag","Notizen","Kategorien"\r\n'
        '"","Jürgen","","Größe","","Müller & Söhne","","Einkauf","0.0.00",'
        '"Zeile 1\r\nZeile 2",""\r\n'
    )
    path = tmp_path / "de.csv"
    path.write_bytes(content.encode("cp1252"))
    report = import_file(store, path, backup=False)
    assert report.format == "Outlook CSV"
    p = _people(store)["Jürgen Größe"]
    assert (p.organization, p.role, p.notes) == ("Müller & Söhne", "Einkauf", "Zeile 1\nZeile 2")


def test_csv_mapping_for_unknown_headers(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who;Where;Remarks\nAmara Lindqvist;Contoso;likes tea\n;;\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="header"):
        import_file(store, path, backup=False)
    assert headers_of(path) == ["Who", "Where", "Remarks"]
    mapping = Mapping(name="Who", organization="Where", notes="Remarks")
    report = import_file(store, path, mapping=mapping, backup=False)
    assert report.format == "CSV (columns chosen by hand)"
    p = _people(store)["Amara Lindqvist"]
    assert (p.organization, p.notes) == ("Contoso", "likes tea")


def test_csv_row_without_name_is_listed_by_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("First Name,Last Name,Company\nA,B,C\n,,Orphan Inc\nD,E,\n", encoding="utf-8")
    report = import_file(store, path, backup=False)
    assert report.problems == ["line 3: no name"]
    assert set(_people(store)) == {"A B", "D E"}


def test_absurd_csv_field_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('Name,Notes\nA,"' + "x" * 1_100_000 + '"\n', encoding="utf-8")
    before = _doc(store)
    with pytest.raises(ImportFormatError, match="line"):
        import_file(store, path, backup=False)
    assert _doc(store) == before


def test_too_long_name_is_listed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "long.vcf"
    path.write_text(f"BEGIN:VCARD\nFN:{'x' * 600}\nEND:VCARD\nBEGIN:VCARD\nFN:Ok\nEND:VCARD\n")
    report = import_file(store, path, backup=False)
    assert "600" in report.problems[0]
    assert set(_people(store)) == {"Ok"}


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"", ".vcf", "empty"),
        (b"just some prose without any structure", ".vcf", "BEGIN:VCARD"),
        (b'{"hello": 1}', ".json", "not a Ties JSON"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ".csv", "not a file Ties imports"),
        (b"SQLite format 3\x00" + bytes(100), ".ties", "restore"),
        (b"PK\x03\x04" + bytes(100), ".zip", "zip"),
    ],
)
def test_files_that_are_not_what_they_claim(
    store: Store, tmp_path: Path, content: bytes, suffix: str, message: str
) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(content)
    before = _doc(store)
    with pytest.raises(ImportFormatError, match=message):
        import_file(store, path)
    assert _doc(store) == before


def test_detect_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "contacts.txt"
    path.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\n")
    assert detect_format(path) == "vcard"


def test_real_import_takes_a_backup_first(store: Store, tmp_path: Path) -> None:
    from ties.io.backup import list_backups

    path = tmp_path / "a.vcf"
    path.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\n")
    report = import_file(store, path)
    [b] = list_backups(store.path.stem)
    assert b.kind == "before-import" and str(b.path) == report.backup
    with Store.open(b.path, create=False) as copy:
        assert copy.count_people() == 0


# --------------------------------------------------- shared samples (not copied)

CSV_SAMPLES = {
    "csv-google-contacts-utf16le.csv": (
        "Google CSV",
        {"Prefix Firstname Middle Lastname Suffix": ("company", "jobtitle", 'note"note')},
    ),
    "csv-outlook2013-german-cp1252.csv": (
        "Outlook CSV",
        {
            "Jürgen Größe": ("unittest", "Softwareengineering", ""),
            "Karin Beispiel": ("unittest", "Vertrieb", ""),
        },
    ),
    "csv-linkedin-connections.csv": (
        "LinkedIn CSV",
        {"Jane Example": ("Example Corp", "Software Engineer", "")},
    ),
}


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared sample folder is not present")
@pytest.mark.parametrize("name", sorted(CSV_SAMPLES))
def test_shared_csv_samples(store: Store, name: str) -> None:
    fmt, expected = CSV_SAMPLES[name]
    report = import_file(store, SHARED / name, backup=False)
    assert report.format == fmt
    assert report.problems == []
    people = _people(store)
    assert set(people) == set(expected)
    for person_name, (org, role, note) in expected.items():
        p = people[person_name]
        assert (p.organization, p.role) == (org, role)
        assert note in p.notes
