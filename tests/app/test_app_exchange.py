"""ties.app.exchange and ties.app.backups: the use cases behind export, import and backups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ties.app import backups, exchange
from ties.app.journal import NoJournalError
from ties.model import Entry, Person
from ties.store import Store


def _vcf(tmp_path: Path) -> Path:
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\nFN:Zoë\nEND:VCARD\nBEGIN:VCARD\nN:;;;;\nEND:VCARD\n", encoding="utf-8"
    )
    return path


def test_a_dry_run_into_a_missing_journal_creates_nothing_and_says_so(tmp_path: Path) -> None:
    journal = tmp_path / "new" / "j.ties"
    imported = exchange.import_into(journal, _vcf(tmp_path), dry_run=True)
    assert not journal.parent.exists() and not imported.journal_existed
    lines = imported.text().splitlines()
    assert lines[0] == "would import c.vcf (vCard): would add 1 (1 person); would update 0; " + (
        "would skip 0; unreadable 1"
    )
    assert lines[1] == "  would add    person       Zoë"
    assert lines[2].startswith("  unreadable: card 2")
    assert lines[-1].startswith(f"there is no journal at {journal} yet: a real import would")


def test_a_real_import_reports_in_the_past_tense_and_names_its_backup(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    told: list[Path] = []
    imported = exchange.import_into(journal, _vcf(tmp_path), on_new_folder=told.append)
    text = imported.text()
    assert text.startswith("imported c.vcf (vCard): added 1 (1 person)")
    assert "\n  added    person       Zoë\n" in text and "would" not in text
    assert "dry run" not in text and told == []  # the folder was there already


def test_export_counts_people_and_entries(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Ana"))
        store.add_person(Person(name="Bo", archived=True))
    out = tmp_path / "x.md"
    done = exchange.export_journal(journal, "markdown", out)
    assert (done.people, done.entries, done.path) == (2, 0, out)
    assert done.message() == f"exported 2 people and 0 entries to {out}"
    with pytest.raises(NoJournalError):
        exchange.export_journal(tmp_path / "none.ties", "json", tmp_path / "y.json")
    assert not (tmp_path / "none.ties").exists()


def test_a_calendar_export_counts_calendar_items(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    with Store.open(journal) as store:
        ana = store.add_person(Person(name="Ana"))
        store.add_person(Person(name="Bo"))
        assert ana.id is not None
        due = date(2026, 7, 1)
        store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id], follow_up=due))
    out = tmp_path / "x.ics"
    done = exchange.export_journal(journal, "ics", out)
    assert done.entries == 1 and done.counts == "calendar items"
    assert done.message() == f"exported 1 calendar items to {out}"


def test_backup_and_restore_report_what_they_did(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Ana"))
    with pytest.raises(NoJournalError):
        backups.back_up_journal(tmp_path / "none.ties", None)
    saved = backups.back_up_journal(journal, None)
    assert backups.backups_of(journal)[0].path == saved
    assert backups.backed_up_message(saved).startswith(f"backed up to {saved} (")
    with Store.open(journal) as store:
        store.add_person(Person(name="Bo"))
    restored = backups.restore_journal(saved, journal)
    assert restored.lines()[0] == f"restored {journal} from {saved.name} (1 people, 0 entries)"
    assert restored.lines()[1].startswith("the journal as it was is kept in ")
    with Store.open(journal) as store:
        assert [p.name for p in store.list_people()] == ["Ana"]


def test_recover_refuses_a_healthy_or_missing_journal(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    with pytest.raises(backups.NotFoundError, match="there is no journal at"):
        backups.recovery_source(journal)
    Store.open(journal).close()
    with pytest.raises(backups.NothingToRecover, match="passes its check"):
        backups.recovery_source(journal)


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 bytes"), (1023, "1,023 bytes"), (1536, "1.5 KB"), (3 << 20, "3.0 MB")]
)
def test_human_size(size: int, text: str) -> None:
    assert backups.human_size(size) == text


def test_the_import_text_lists_the_settings_the_file_carried(tmp_path: Path) -> None:
    """One text for 'ties import' and the window's preview: what was applied, what was not."""
    import json

    from ties.io.export_json import export_json

    source = tmp_path / "crafted.json"
    with Store.open(tmp_path / "other.ties") as other:
        other.set_setting("harmless", 3)
        export_json(other, source)
    doc = json.loads(source.read_text())
    doc["settings"]["backup_rotation"] = {"daily": 0, "weekly": 4, "monthly": 12}
    source.write_text(json.dumps(doc))
    preview = exchange.import_into(tmp_path / "j.ties", source, dry_run=True).text()
    assert "\n  setting would apply: harmless = 3" in preview  # nothing was written
    assert "\n  setting would not apply: backup_rotation (daily must keep 1 to" in preview
    text = exchange.import_into(tmp_path / "j.ties", source).text()
    assert "\n  setting applied: harmless = 3" in text
    assert "\n  setting not applied: backup_rotation (daily must keep 1 to 1000" in text


def test_the_backup_list_and_message_show_the_full_check(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    Store.open(journal).close()
    saved = backups.back_up_journal(journal, None)
    (info,) = backups.backups_of(journal)
    assert backups.full_check_text(info) == "not fully checked"
    assert backups.listing_line(info).endswith("  [not fully checked]")
    assert backups.listing_json(info)["full_check"] is None
    full = backups.full_check_backup(saved)
    assert full.ok and backups.full_check_failure(full) is None
    assert backups.backed_up_message(saved, full).endswith(", fully checked)")
    assert backups.full_check_text(info).startswith("fully checked ")
    assert backups.listing_json(info)["full_check"] == {
        "checked": full.checked.isoformat(),
        "ok": True,
        "problem": "",
    }


def test_restore_refuses_another_journals_backup_unless_asked(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.ties", tmp_path / "theirs.ties"
    for journal, name in ((mine, "Mine"), (theirs, "Theirs")):
        with Store.open(journal) as store:
            store.add_person(Person(name=name))
    backups.back_up_journal(mine, tmp_path / "mine-copy.ties")  # gives it its identity
    other = backups.back_up_journal(theirs, tmp_path / "theirs-copy.ties")
    with pytest.raises(backups.JournalError, match="another journal"):
        backups.restore_journal(other, mine)
    backups.restore_journal(other, mine, other_journal=True)
    with Store.open(mine) as store:
        assert [p.name for p in store.list_people()] == ["Theirs"]
