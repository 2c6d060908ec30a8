"""The vCard export and the import that loses nothing: fields, round trips, duplicates."""

from __future__ import annotations

import base64
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ties.io.export_vcard import card_text, export_vcard
from ties.io.importers import import_file
from ties.model import Address, Detail, ImportantDate, Person
from ties.store import PeopleFilter, Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
SHARED = Path("/work/shared/samples/contacts")
#: The smallest PNG there is: 1 x 1 pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
_STAMP = re.compile(r"^(REV|PRODID):.*\r\n", re.M)


def _cards(store: Store, path: Path, version: str = "4.0") -> str:
    export_vcard(store, path, version=version)
    return _STAMP.sub("", path.read_bytes().decode("utf-8"))


def _full_person() -> Person:
    return Person(
        name="Ana María Pérez",
        organization="Initech, Ltd; R&D",
        role="Engineer",
        notes="Met in Lyon.\nLikes climbing, tea; and\\backslashes.",
        emails=[Detail("work", "ana@initech.example"), Detail("Uni", "ana@uni.example")],
        phones=[Detail("mobile", "+33 6 12 34 56 78"), Detail("home fax", "+33 1 23 45 67 89")],
        urls=[Detail("home", "https://ana.example/?a=1;b=2"), Detail("github", "https://gh/x")],
        addresses=[
            Address("home", "1 Rue de la Paix\nBâtiment B", "Paris", "IDF", "75002", "France"),
            Address("summer house", locality="Nice", country="France"),
        ],
        birthday="--04-15",
        dates=[
            ImportantDate("anniversary", "2010-06-01"),
            ImportantDate("started at Initech", "2020-01-06", yearly=False),
        ],
        tags=["climbing", "Lyon, 2019", "vip"],
    )


FIELDS = (
    "name",
    "organization",
    "role",
    "notes",
    "emails",
    "phones",
    "urls",
    "addresses",
    "birthday",
    "dates",
    "tags",
)


def _fields(p: Person) -> dict[str, object]:
    return {f: getattr(p, f) for f in FIELDS}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.parametrize("field", FIELDS)
def test_each_field_goes_through_vcard_and_back(tmp_path: Path, field: str, version: str) -> None:
    full = _full_person()
    person = Person(name=full.name)
    setattr(person, field, getattr(full, field))
    with Store.open(tmp_path / "a.ties") as a, Store.open(tmp_path / "b.ties") as b:
        a.add_person(person)
        export_vcard(a, tmp_path / "out.vcf", version=version)
        import_file(b, tmp_path / "out.vcf", backup=False)
        (back,) = b.list_people()
        assert getattr(back, field) == getattr(person, field)


def test_photo_goes_through_vcard_and_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.ties") as a, Store.open(tmp_path / "b.ties") as b:
        p = a.add_person(Person(name="Pic"))
        a.set_photo(p.id or 0, PNG)
        for version in ("4.0", "3.0"):
            export_vcard(a, tmp_path / "out.vcf", version=version)
            import_file(b, tmp_path / "out.vcf", backup=False)
            (back,) = b.list_people()
            assert b.get_photo(back.id or 0) == PNG


def test_round_trip_gives_the_same_cards(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.ties") as a, Store.open(tmp_path / "b.ties") as b:
        p = a.add_person(_full_person())
        a.set_photo(p.id or 0, PNG)
        a.add_person(Person(name="Bo", extra=["X-FOO;TYPE=bar:kept\\, as is", "NICKNAME:B"]))
        for version in ("4.0", "3.0"):
            first = _cards(a, tmp_path / f"a{version}.vcf", version)
            import_file(b, tmp_path / f"a{version}.vcf", backup=False)
            assert _cards(b, tmp_path / f"b{version}.vcf", version) == first


def test_importing_its_own_export_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.ties") as a:
        p = a.add_person(_full_person())
        a.set_photo(p.id or 0, PNG)
        a.add_person(Person(name="Bo", extra=["X-FOO:kept"]))
        before = [(x, a.get_photo(x.id or 0)) for x in a.list_people()]
        export_vcard(a, tmp_path / "out.vcf")
        report = import_file(a, tmp_path / "out.vcf", backup=False)
        assert report.total("added") == report.total("updated") == 0
        assert report.total("skipped") == 2
        assert [(x, a.get_photo(x.id or 0)) for x in a.list_people()] == before


def test_the_export_is_valid_for_vobject(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.ties") as a:
        p = a.add_person(_full_person())
        a.set_photo(p.id or 0, PNG)
        for version in ("4.0", "3.0"):
            export_vcard(a, tmp_path / "out.vcf", version=version)
            (card,) = vobject.readComponents(tmp_path.joinpath("out.vcf").read_text("utf-8"))
            assert card.fn.value == "Ana María Pérez"
            assert card.version.value == version
            assert {e.value for e in card.contents["email"]} == {
                "ana@initech.example",
                "ana@uni.example",
            }
            assert card.categories.value == ["climbing", "Lyon, 2019", "vip"]


def test_long_lines_are_folded_at_75_octets_without_cutting_a_character() -> None:
    text = card_text(Person(name="é" * 100, notes="ü" * 300))
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "FN:" + "é" * 100 in text.replace("\r\n ", "")


def test_export_only_the_named_people_and_3_0(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.ties") as a:
        a.add_person(Person(name="Ann"))
        bo = a.add_person(Person(name="Bo", birthday="--02-29"))
        n = export_vcard(a, tmp_path / "out.vcf", person_ids=[bo.id or 0], version="3.0")
        text = tmp_path.joinpath("out.vcf").read_text()
        assert n == 1 and "FN:Bo" in text and "Ann" not in text
        assert "VERSION:3.0" in text and "BDAY:--02-29" in text


# ------------------------------------------------------------------ property test

_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_label = st.one_of(st.sampled_from(["home", "work", "mobile", "other"]), _text)
_day = st.dates().filter(lambda d: d.year >= 1).map(lambda d: d.isoformat())
_no_year = st.dates().map(lambda d: d.strftime("--%m-%d"))


@st.composite
def people(draw: st.DrawFn) -> Person:
    detail = st.builds(Detail, _label, _text)
    return Person(
        name=draw(_text),
        organization=draw(st.one_of(st.just(""), _text)),
        role=draw(st.one_of(st.just(""), _text)),
        notes=draw(st.one_of(st.just(""), _text)),
        emails=draw(st.lists(detail, max_size=3, unique_by=lambda d: d.value.casefold())),
        phones=draw(st.lists(detail, max_size=3, unique_by=lambda d: d.value)),
        urls=draw(st.lists(detail, max_size=2, unique_by=lambda d: d.value)),
        addresses=draw(
            st.lists(
                st.builds(Address, _label, _text, _text, _text, _text, _text),
                max_size=2,
                unique_by=lambda a: (a.street, a.locality, a.region, a.postcode, a.country),
            )
        ),
        birthday=draw(st.one_of(st.none(), _day, _no_year)),
        dates=draw(
            st.lists(
                st.builds(ImportantDate, _text, st.one_of(_day, _no_year), st.booleans()),
                max_size=2,
                unique_by=lambda d: (d.label, d.date),
            )
        ),
        tags=draw(st.lists(_text, max_size=3, unique_by=str.casefold)),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(person=people())
def test_any_person_survives_export_and_import(tmp_path: Path, person: Person) -> None:
    for version in ("4.0", "3.0"):
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        with Store.open(folder / "a.ties") as a, Store.open(folder / "b.ties") as b:
            a.add_person(replace(person))
            first = _cards(a, folder / "a.vcf", version)
            import_file(b, folder / "a.vcf", backup=False)
            (back,) = b.list_people(PeopleFilter(archived=None))
            expected = _fields(a.list_people()[0])
            got = _fields(back)
            assert got == expected
            assert _cards(b, folder / "b.vcf", version) == first


# ------------------------------------------------------------------ the samples

#: file → {name: (e-mails, phones, birthday, has a photo)}
SAMPLE_DETAILS: dict[str, dict[str, tuple[set[str], set[str], str | None, bool]]] = {
    "broken-evolution-no-version-empty-n.vcf": {
        "Ximian, Inc.": ({"hello@ximian.com"}, {"(617) 236-0442", "(617) 236-8630"}, None, False)
    },
    "broken-missing-end.vcf": {
        "Frank Dawson": (
            {"Frank_Dawson@Lotus.com", "fdawson@earthlink.net"},
            {"+1-919-676-9515", "+1-919-676-9564"},
            None,
            False,
        )
    },
    "v21-android-qp-photo.vcf": {
        "john.doe@company.com": ({"john.doe@company.com"}, set(), None, False),
        "Ñ Ñ Ñ Ñ Ñ": (set(), {"123456789"}, None, False),
    },
    "v21-nokia-qp-softbreaks.vcf": {
        "Max Müller": (
            {"max.mueller@example.com"},
            {"+491600000000", "017600000000", "+4973100000000"},
            "1980-01-01",
            False,
        )
    },
    "v21-outlook-qp-photo.vcf": {
        "Mr. John Richter James Doe Sr.": (
            {"john.doe@ibm.cm"},
            {"(905) 555-1234", "(905) 666-1234"},
            "1980-03-22",
            True,
        )
    },
    "v30-google-contacts.vcf": {
        "Mr. John Richter, James Doe Sr.": (
            {"john.doe@ibm.com"},
            {"905-555-1234", "905-666-1234"},
            "1980-03-22",
            False,
        )
    },
    "v30-iphone-ios5.vcf": {
        "Mr. John Richter James Doe Sr.": (
            {"john.doe@ibm.com"},
            {f"905-{d}-1234" for d in ("555", "666", "777", "888", "999", "111", "222")},
            "2012-06-06",
            True,
        )
    },
    "v30-macos-addressbook.vcf": {
        "Mr. John Richter,James Doe Sr.": (
            {"john.doe@ibm.com"},
            {f"905-{d}-1234" for d in ("555", "666", "777", "888", "999", "111", "222")},
            "2012-06-06",
            True,
        )
    },
    "v40-nextcloud-rfc6868-label.vcf": {
        "Dummy, Dummy": (
            {"dummy.dummy@dummy.com"},
            {"+49 1234 56789", "+49 9876 54321"},
            None,
            False,
        )
    },
    "v40-thunderbird-export.vcf": {
        "contact number one": ({"contact1@invalid"}, set(), None, False),
        "contact number two": ({"contact2@invalid"}, set(), None, False),
    },
}


@pytest.mark.parametrize("name", sorted(SAMPLE_DETAILS))
def test_every_sample_brings_its_emails_phones_birthdays_and_photos(
    store: Store, name: str
) -> None:
    report = import_file(store, FIXTURES / name, backup=False)
    people = {p.name: p for p in store.list_people()}
    for person_name, (emails, phones, birthday, photo) in SAMPLE_DETAILS[name].items():
        p = people[person_name]
        assert {e.value for e in p.emails} == emails
        assert {t.value for t in p.phones} == phones
        assert p.birthday == birthday
        assert p.has_photo == photo
        assert "E-mail:" not in p.notes and "Birthday:" not in p.notes
    assert report.fields and report.total("added") == len(people)


def test_outlook_sample_keeps_what_has_no_place_and_counts_it(store: Store) -> None:
    report = import_file(store, FIXTURES / "v21-outlook-qp-photo.vcf", backup=False)
    (p,) = store.list_people()
    assert p.dates == [ImportantDate("anniversary", "2011-01-13")]
    assert [a.locality for a in p.addresses] == ["Albaney", "New York"]
    assert p.urls == [Detail("work", "http://www.ibm.com")]
    assert "X-MS-MANAGER:Big Blue" in p.extra and "NICKNAME:Johny" in p.extra
    assert any(x.startswith("X-MS-OL-DESIGN:<card") for x in p.extra)
    assert report.fields[("kept", "X-MS-MANAGER")] == 1
    assert report.fields[("skipped", "REV")] == 1
    assert report.fields[("skipped", "LABEL")] == 2  # the printed form of the two ADRs
    assert report.fields[("mapped", "TEL")] == 2
    assert report.as_dict()["fields"]["kept"]["X-MS-ASSISTANT"] == 1


@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.vcf")))
def test_exports_of_every_sample_read_back_in_vobject(
    tmp_path: Path, name: str, version: str
) -> None:
    with Store.open(tmp_path / "a.ties") as a:
        import_file(a, FIXTURES / name, backup=False)
        count = export_vcard(a, tmp_path / "out.vcf", version=version)
        text = tmp_path.joinpath("out.vcf").read_bytes().decode("utf-8")
        cards = list(vobject.readComponents(text))
        assert len(cards) == count == a.count_people(PeopleFilter(archived=None))
        for card in cards:
            card.serialize()  # vobject can write back what it read
            assert card.fn.value
        with Store.open(tmp_path / "b.ties") as b:  # and the round trip holds for samples too
            import_file(b, tmp_path / "out.vcf", backup=False)
            first = _STAMP.sub("", text)
            assert _cards(b, tmp_path / "again.vcf", version) == first


def test_a_bom_before_the_first_card_loses_nothing(store: Store, tmp_path: Path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First Card\r\nEMAIL:first@x.example\r\n"
        "BDAY:1990-01-02\r\nEND:VCARD\r\n"
    )
    other = card.replace("First Card", "Second").replace("first@", "second@")
    path = tmp_path / "bom.vcf"
    path.write_bytes(b"\xef\xbb\xbf" + (card + other).encode())
    report = import_file(store, path, backup=False)
    assert report.total("added") == 2
    first = store.people_named("First Card")[0]
    assert (first.emails, first.birthday) == ([Detail("other", "first@x.example")], "1990-01-02")


# ------------------------------------------------------------------ links (RELATED)


def test_links_go_through_vcard_and_back(tmp_path: Path) -> None:
    from datetime import date

    with Store.open(tmp_path / "a.ties") as a, Store.open(tmp_path / "b.ties") as b:
        ana = a.add_person(Person(name="Ana"))
        bo = a.add_person(Person(name="Bo"))
        cy = a.add_person(Person(name="Cy"))
        a.link(ana.id or 0, bo.id or 0, "partner", since=date(2015, 6, 1))
        a.link(cy.id or 0, ana.id or 0, "introduced me to", directed=True)
        a.link(bo.id or 0, cy.id or 0, 'met at "Dev, Days"; 2019')
        for version in ("4.0", "3.0"):
            first = _cards(a, tmp_path / "a.vcf", version)
            report = import_file(b, tmp_path / "a.vcf", backup=False)
            assert _cards(b, tmp_path / "b.vcf", version) == first
            assert report.total("linked") == (3 if version == "4.0" else 0)

        def shape(store: Store) -> set[tuple[str, str, str, bool, object, bool]]:
            return {
                (p.name, x.other_name, x.relation, x.directed, x.since, x.incoming)
                for p in store.list_people()
                for x in store.links(p.id or 0)
            }

        assert shape(b) == shape(a)
        again = import_file(a, tmp_path / "a.vcf", backup=False)  # its own export: no change
        assert again.total("linked") == again.total("added") == again.total("updated") == 0


def test_a_link_to_somebody_not_there_is_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "r.vcf"
    line = "RELATED;TYPE=friend:urn:uuid:0b9c3a2e-0000-4000-8000-000000000001"
    path.write_text(f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dee\r\n{line}\r\nEND:VCARD\r\n")
    report = import_file(store, path, backup=False)
    (p,) = store.list_people()
    assert p.extra == [line] and report.fields[("kept", "RELATED")] == 1
    assert store.links(p.id or 0) == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared sample folder is not present")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SHARED.glob("*.csv")) if SHARED.is_dir() else []
)
def test_exports_of_the_csv_samples_read_back_in_vobject(tmp_path: Path, name: str) -> None:
    with Store.open(tmp_path / "a.ties") as a:
        import_file(a, SHARED / name, backup=False)
        for version in ("4.0", "3.0"):
            count = export_vcard(a, tmp_path / "out.vcf", version=version)
            text = tmp_path.joinpath("out.vcf").read_bytes().decode("utf-8")
            cards = list(vobject.readComponents(text))
            assert len(cards) == count >= 1
            for card in cards:
                card.serialize()
