"""File → Backup / Restore / Export / Import dialogs."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
)

from ties.app.exchange import import_report_text
from ties.io import backup as backups
from ties.io import crypto
from ties.model import Person
from ties.paths import backup_dir
from ties.store import Store
from ties.ui import jobs
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.dialogs.exchange import BackupDialog, ExportDialog, ImportDialog, RestoreDialog


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "DEFAULT_ARGON2", (8 * 1024, 1, 1))
    monkeypatch.setattr(crypto, "MIN_ARGON2", (8 * 1024, 1, 1))


def _click(find, dialog, name: str) -> None:
    find(dialog, QPushButton, name).click()


def test_export_json_runs_off_thread_and_writes(
    demo_ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    d = ExportDialog(demo_ctx)
    qtbot.addWidget(d)
    target = tmp_path / "out.json"
    find(d, QLineEdit, "Export file").setText(str(target))
    with qtbot.waitSignal(d.accepted, timeout=20_000):
        _click(find, d, "Export")
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["entries"]) == demo_ctx.store.count_entries()


def test_export_format_changes_suffix_and_bad_folder_is_inline(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    d = ExportDialog(ctx)
    qtbot.addWidget(d)
    find(d, QComboBox, "Export format").setCurrentIndex(1)
    assert find(d, QLineEdit, "Export file").text().endswith(".zip")
    find(d, QLineEdit, "Export file").setText(str(tmp_path / "missing" / "x.zip"))
    _click(find, d, "Export")
    assert "does not exist" in d.status.text()
    assert d.job is None


def test_the_export_dialog_offers_the_calendar_and_writes_it(
    demo_ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    """The .ics export is in the one registry, so the window's Export offers it too."""
    from icalendar import Calendar

    d = ExportDialog(demo_ctx)
    qtbot.addWidget(d)
    box = find(d, QComboBox, "Export format")
    box.setCurrentIndex(box.findData("ics"))
    assert box.currentText().startswith("Calendar")
    edit = find(d, QLineEdit, "Export file")
    assert edit.text().endswith(".ics")
    target = tmp_path / "cal"
    edit.setText(str(target))
    with qtbot.waitSignal(d.accepted, timeout=20_000):
        _click(find, d, "Export")
    written = tmp_path / "cal.ics"
    assert "calendar items" in d.status.text()
    cal = Calendar.from_ical(written.read_bytes())
    assert any(c.name in ("VEVENT", "VTODO") for c in cal.walk())


def test_export_cancel_leaves_no_file(demo_ctx: AppContext, qtbot, find, tmp_path: Path) -> None:
    d = ExportDialog(demo_ctx)
    qtbot.addWidget(d)
    target = tmp_path / "out.json"
    find(d, QLineEdit, "Export file").setText(str(target))
    _click(find, d, "Export")
    assert d.job is not None
    d.job.cancelled = True  # as the Cancel button does
    qtbot.waitUntil(lambda: d.job is None, timeout=20_000)
    if d.error is not None:  # the job saw the cancel before finishing
        assert "Cancelled" in d.status.text()
        assert not target.exists()
    assert not list(tmp_path.glob(".out.json.tmp-*"))


def test_backup_encrypted_with_matching_passphrases(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    d = BackupDialog(ctx)
    qtbot.addWidget(d)
    target = tmp_path / "b.ties.enc"
    find(d, QLineEdit, "Backup file").setText(str(target))
    find(d, QCheckBox, "Encrypt backup").setChecked(True)
    find(d, QLineEdit, "Passphrase").setText("one-passphrase")
    find(d, QLineEdit, "Repeat passphrase").setText("two-passphrase")
    _click(find, d, "Back up")
    assert "differ" in d.status.text() and not target.exists()
    find(d, QLineEdit, "Repeat passphrase").setText("one-passphrase")
    with qtbot.waitSignal(d.accepted, timeout=20_000):
        _click(find, d, "Back up")
    assert crypto.is_encrypted(target)
    assert find(d, QLineEdit, "Passphrase").echoMode() == QLineEdit.EchoMode.Password


def test_restore_lists_backups_and_replaces_journal(ctx: AppContext, qtbot, find) -> None:
    ctx.store.add_person(Person(name="Before"))
    saved = backups.backup(ctx.store)
    ctx.store.add_person(Person(name="After"))
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    tree = find(d, QTreeWidget, "Backups")
    assert tree.topLevelItemCount() == 1
    item = tree.topLevelItem(0)
    assert item.text(1) == "manual" and item.text(2).endswith(("bytes", "KB", "MB"))
    tree.setCurrentItem(item)
    assert find(d, QLineEdit, "Backup to restore").text() == str(saved)
    d.confirm = lambda text: True
    with qtbot.waitSignal(ctx.journal_opened, timeout=5000):
        _click(find, d, "Restore")
    assert [p.name for p in ctx.store.list_people()] == ["Before"]
    kinds = [b.kind for b in backups.list_backups(ctx.store.path.stem)]
    assert "before-restore" in kinds


def test_restore_refuses_a_non_journal_inline(ctx: AppContext, qtbot, find, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a journal" * 20)
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    d.confirm = lambda text: pytest.fail("must not ask")  # type: ignore[assignment]
    find(d, QLineEdit, "Backup to restore").setText(str(bad))
    _click(find, d, "Restore")
    assert "not a Ties journal" in d.status.text()
    assert ctx.store.count_people() == 0


def _before_after(ctx: AppContext) -> Path:
    """A backup holding "Before"; the journal then also holds "After"."""
    ctx.store.add_person(Person(name="Before"))
    saved = backups.backup(ctx.store)
    ctx.store.add_person(Person(name="After"))
    return saved


def _names(ctx: AppContext) -> list[str]:
    return sorted(p.name for p in ctx.store.list_people())


def _leftovers(journal: Path) -> list[Path]:
    """Temporary files a restore may make: beside the journal and in the backup folder."""
    return [*journal.parent.glob(f".{journal.name}.restore-*"), *backup_dir().glob(".restore-*")]


def _blocking_prepare(monkeypatch: pytest.MonkeyPatch, at_step: str) -> tuple:
    """Make the worker stop at ``at_step`` until the test releases it."""
    real = backups.prepare_restore
    reached, release = threading.Event(), threading.Event()

    def prepare(*args: object, **kw) -> backups.PreparedRestore:
        report = kw["progress"]

        def progress(what: str, done: int, total: int) -> None:
            if what == at_step and not reached.is_set():
                reached.set()
                if not release.wait(20):
                    raise AssertionError("the test never released the worker")
            report(what, done, total)

        kw["progress"] = progress
        return real(*args, **kw)

    monkeypatch.setattr(backups, "prepare_restore", prepare)
    return reached, release


def test_restore_runs_on_a_worker_while_the_window_keeps_turning(
    window, ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _before_after(ctx)
    reached, release = _blocking_prepare(monkeypatch, "copy")
    window.show_place("people")
    people = window.places["people"]
    assert people.model.rowCount() == 2
    d = RestoreDialog(ctx, window)
    qtbot.addWidget(d)
    d.show()
    find(d, QLineEdit, "Backup to restore").setText(str(saved))
    d.confirm = lambda text: True
    _click(find, d, "Restore")  # returns at once: the work is on a worker
    assert d.busy
    progress = find(d, QProgressBar, "Progress")
    assert progress.isVisible()
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    ticks: list[int] = []
    timer = QTimer(d)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=20_000)  # the event loop turns
    timer.stop()
    assert d.busy and progress.isVisible()
    assert _names(ctx) == ["After", "Before"]  # the journal is open and as it was meanwhile
    with qtbot.waitSignal(ctx.journal_opened, timeout=20_000):
        release.set()
    qtbot.waitUntil(lambda: d.result() == d.DialogCode.Accepted, timeout=20_000)
    assert _names(ctx) == ["Before"]
    qtbot.waitUntil(lambda: people.model.rowCount() == 1, timeout=20_000)
    assert people.model.person_at(0).name == "Before"
    assert not _leftovers(ctx.store.path)


def test_cancel_while_preparing_leaves_the_journal_as_it_was(
    ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _before_after(ctx)
    journal = ctx.store.path
    ctx.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = journal.read_bytes()
    reached, release = _blocking_prepare(monkeypatch, "copy")
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "Backup to restore").setText(str(saved))
    d.confirm = lambda text: True
    _click(find, d, "Restore")
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    _click(find, d, "Cancel")  # the worker is told; the dialog stays until it has stopped
    assert d.busy and d.job is not None and d.job.cancelled
    assert find(d, QLabel, "Status").text() == "Cancelling…"
    release.set()
    qtbot.waitUntil(lambda: not d.busy, timeout=20_000)
    assert isinstance(d.error, backups.RestoreCancelled)
    assert "cancelled" in find(d, QLabel, "Status").text()
    assert _names(ctx) == ["After", "Before"]
    assert journal.read_bytes() == before
    assert not _leftovers(journal)
    assert [b.kind for b in backups.list_backups(journal.stem)] == ["manual"]
    assert find(d, QPushButton, "Restore").isEnabled()


def test_quitting_during_a_restore_cancels_it_before_the_swap(
    ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = _before_after(ctx)
    reached, release = _blocking_prepare(monkeypatch, "verify")
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "Backup to restore").setText(str(saved))
    d.confirm = lambda text: True
    _click(find, d, "Restore")
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    releaser = threading.Timer(0.05, release.set)
    releaser.start()
    assert jobs.wait_for_all(0)  # as at quit: cancel, then wait for the worker to stop
    releaser.join()
    qtbot.waitUntil(lambda: not d.busy, timeout=20_000)
    assert isinstance(d.error, backups.RestoreCancelled)
    assert _names(ctx) == ["After", "Before"]
    assert not _leftovers(ctx.store.path)


def test_restore_with_a_wrong_passphrase_says_so_and_changes_nothing(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    ctx.store.add_person(Person(name="Before"))
    enc = backups.backup(ctx.store, tmp_path / "b.ties.enc", passphrase="right-passphrase")
    ctx.store.add_person(Person(name="After"))
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "Backup to restore").setText(str(enc))
    find(d, QLineEdit, "Passphrase").setText("wrong")
    d.confirm = lambda text: True
    _click(find, d, "Restore")
    qtbot.waitUntil(lambda: d.error is not None, timeout=20_000)
    assert "wrong passphrase" in find(d, QLabel, "Status").text()
    assert not find(d, QProgressBar, "Progress").isVisible()
    assert _names(ctx) == ["After", "Before"]
    assert not _leftovers(ctx.store.path)
    find(d, QLineEdit, "Passphrase").setText("right-passphrase")
    with qtbot.waitSignal(ctx.journal_opened, timeout=20_000):
        _click(find, d, "Restore")
    assert _names(ctx) == ["Before"]


def test_restore_of_a_damaged_backup_reports_and_changes_nothing(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    ctx.store.add_person(Person(name="Mine"))
    bad = tmp_path / "broken.ties"
    with Store.open(bad) as s:
        for i in range(50):
            s.add_person(Person(name=f"Person {i}", notes="x" * 300))
        s.conn.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(bad.read_bytes())
    for i in range(4096 * 2 + 100, min(len(data), 4096 * 4), 7):
        data[i] ^= 0x5A
    bad.write_bytes(bytes(data))
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "Backup to restore").setText(str(bad))
    d.confirm = lambda text: True
    _click(find, d, "Restore")  # the quick look passes; the full check on the worker does not
    qtbot.waitUntil(lambda: d.error is not None, timeout=20_000)
    assert "damaged" in find(d, QLabel, "Status").text()
    assert _names(ctx) == ["Mine"]
    assert not _leftovers(ctx.store.path)
    assert backups.list_backups(ctx.store.path.stem) == []


def _vcf(tmp_path: Path) -> Path:
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\nFN:Zoë Ångström\nORG:Initech\nEND:VCARD\nBEGIN:VCARD\nN:;;;;\nEND:VCARD\n",
        encoding="utf-8",
    )
    return path


def test_import_previews_then_writes_only_when_confirmed(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "File to import").setText(str(_vcf(tmp_path)))
    assert not find(d, QPushButton, "Import").isEnabled()
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: d.report is not None, timeout=10_000)
    preview = find(d, type(d.preview), "Import preview").toPlainText()
    assert "  would add    person       Zoë Ångström (Initech)" in preview
    assert preview == import_report_text(d.report)  # the very text 'ties import' prints
    assert "would add 1 (1 person); would update 0; would skip 0" in preview.splitlines()[0]
    assert "added" not in preview  # nothing is written yet: no past tense
    field = find(d, QLineEdit, "File to import")
    d.show()
    assert field.width() >= field.fontMetrics().horizontalAdvance(field.text())  # not cut
    assert "unreadable: card 2" in preview
    assert ctx.store.count_people() == 0  # the preview wrote nothing
    changed: list[Changes] = []
    ctx.changed.connect(changed.append)
    with qtbot.waitSignal(d.accepted, timeout=10_000):
        _click(find, d, "Import")
    assert [p.name for p in ctx.store.list_people()] == ["Zoë Ångström"]
    assert changed == [Changes.everything()]


def test_import_mapping_step_for_unknown_headers(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who,Where\nAmara Lindqvist,Contoso\n", encoding="utf-8")
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "File to import").setText(str(path))
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: not d.mapping_box.isHidden(), timeout=10_000)
    find(d, QComboBox, "Column for full name").setCurrentText("Who")
    find(d, QComboBox, "Column for organisation").setCurrentText("Where")
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: d.report is not None, timeout=10_000)
    with qtbot.waitSignal(d.accepted, timeout=10_000):
        _click(find, d, "Import")
    [p] = ctx.store.list_people()
    assert (p.name, p.organization) == ("Amara Lindqvist", "Contoso")


def test_import_of_junk_shows_message_and_writes_nothing(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    path = tmp_path / "x.vcf"
    path.write_text("nothing here")
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "File to import").setText(str(path))
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: d.error is not None, timeout=10_000)
    assert "BEGIN:VCARD" in d.status.text()
    assert not find(d, QPushButton, "Import").isEnabled()
    with Store.open(ctx.store.path) as fresh:
        assert fresh.count_people() == 0


def test_quit_backup_at_most_daily_and_not_for_samples(
    ctx: AppContext, demo_ctx: AppContext
) -> None:
    from ties.ui.dialogs.exchange import quit_backup

    first = quit_backup(ctx)
    assert first is not None and first.exists()
    assert quit_backup(ctx) is None  # already today
    assert quit_backup(demo_ctx) is None  # the sample journal is not the user's data


def test_restore_columns_fit_and_the_file_reads_from_its_start(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    saved = backups.backup(ctx.store)
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    tree = find(d, QTreeWidget, "Backups")
    item = tree.topLevelItem(0)
    for col in range(4):  # nothing cut to "2026-11-22 0…"
        need = tree.fontMetrics().horizontalAdvance(item.text(col))
        assert tree.columnWidth(col) >= need
    assert tree.isColumnHidden(4)  # no encrypted backup: no empty "Encrypted" column
    assert item.text(3) == "not fully checked"
    tree.setCurrentItem(item)
    path = find(d, QLineEdit, "Backup to restore")
    assert path.text() == str(saved)
    assert path.cursorPosition() == 0 and path.toolTip() == str(saved)
    d.grab().save(str(tmp_path / "restore.png"))


def test_a_csv_export_typed_as_csv_is_written_as_a_zip(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    import zipfile

    ctx.store.add_person(Person(name="Ana Ruiz"))
    d = ExportDialog(ctx)
    qtbot.addWidget(d)
    fmt = find(d, QComboBox, "Export format")
    fmt.setCurrentIndex(fmt.findData("csv"))
    field = find(d, QLineEdit, "Export file")
    (tmp_path / "exp.zip").write_text("mine")
    field.setText(str(tmp_path / "exp.csv"))
    _click(find, d, "Export")  # exp.zip is someone else's file: refused, nothing replaced
    assert "exp.zip, which already exists" in d.status.text() and d.job is None
    assert (tmp_path / "exp.zip").read_text() == "mine"
    (tmp_path / "exp.zip").unlink()
    with qtbot.waitSignal(d.accepted, timeout=20_000):
        _click(find, d, "Export")
    assert not (tmp_path / "exp.csv").exists()
    assert zipfile.is_zipfile(tmp_path / "exp.zip")
    assert field.text() == str(tmp_path / "exp.zip")


def test_export_names_follow_the_format() -> None:
    from ties.ui.dialogs.exchange import export_name

    assert export_name(Path("a/exp.csv"), ".zip") == Path("a/exp.zip")
    assert export_name(Path("a/exp"), ".zip") == Path("a/exp.zip")
    assert export_name(Path("a/exp.ZIP"), ".zip") == Path("a/exp.ZIP")
    assert export_name(Path("a/v1.2"), ".json") == Path("a/v1.2.json")
    assert export_name(Path("a/r.json"), ".md") == Path("a/r.md")


def test_import_mapping_offers_every_contact_field(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    """The window maps as many fields as 'ties import --map' (it offered 7 of 10: no birthday)."""
    from dataclasses import fields

    from PySide6.QtWidgets import QGroupBox

    from ties.io.importers import Mapping

    path = tmp_path / "odd.csv"
    path.write_text("Who,Mail,Born\nAna Ruiz,,1990-04-02\n,bo@example.org,\n", encoding="utf-8")
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    find(d, QLineEdit, "File to import").setText(str(path))
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: not d.mapping_box.isHidden(), timeout=10_000)
    combos = find(d, QGroupBox, "Column mapping").findChildren(QComboBox)
    columns = [f.name for f in fields(Mapping) if f.default is None]
    assert len(combos) == len(columns) == 10  # a chooser for every field a column can hold
    for combo in combos:
        offered = [combo.itemText(i) for i in range(combo.count())]
        assert offered == ["(none)", "Who", "Mail", "Born"]
    find(d, QComboBox, "Column for full name").setCurrentText("Who")
    find(d, QComboBox, "Column for birthday").setCurrentText("Born")
    find(d, QComboBox, "Column for e-mail").setCurrentText("Mail")
    _click(find, d, "Preview import")
    qtbot.waitUntil(lambda: d.report is not None, timeout=10_000)
    with qtbot.waitSignal(d.accepted, timeout=10_000):
        _click(find, d, "Import")
    people = {p.name: p for p in ctx.store.list_people()}
    assert set(people) == {"Ana Ruiz", "bo@example.org"}  # a row with only an e-mail is named by it
    assert people["Ana Ruiz"].birthday == "1990-04-02"
    assert [e.value for e in people["bo@example.org"].emails] == ["bo@example.org"]


def test_restore_of_a_missing_file_says_so_before_asking(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    asked: list[str] = []
    d.confirm = lambda text: asked.append(text) or True
    find(d, QLineEdit, "Backup to restore").setText(str(tmp_path / "gone.ties"))
    _click(find, d, "Restore")
    assert find(d, QLabel, "Status").text() == f"There is no file at {tmp_path / 'gone.ties'}."
    assert asked == [] and d.job is None


def test_restore_says_what_each_backup_holds(ctx: AppContext, qtbot, find) -> None:
    """Issue #17 item 11: the list gave no summary (people, entries, last entry date)."""
    from datetime import date

    from ties.model import Entry
    from ties.ui.dialogs.exchange import HOLDS_COLUMN

    ana = ctx.store.add_person(Person(name="Ana")).id
    ctx.store.add_person(Person(name="Ben"))
    ctx.store.add_entry(Entry(date=date(2026, 5, 3), person_ids=[ana], note="lunch"))
    backups.backup(ctx.store)
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    tree = find(d, QTreeWidget, "Backups")
    assert tree.headerItem().text(HOLDS_COLUMN) == "Holds"
    qtbot.waitUntil(lambda: d.contents_read, timeout=5000)
    assert tree.topLevelItem(0).text(HOLDS_COLUMN) == "2 people, 1 entry, last 2026-05-03"


def test_restore_checks_the_passphrase_before_asking(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    """Issue #17 item 11: "Replace the journal?" came before a wrong passphrase was known."""
    ctx.store.add_person(Person(name="Before"))
    enc = backups.backup(ctx.store, tmp_path / "b.ties.enc", passphrase="right-passphrase")
    d = RestoreDialog(ctx)
    qtbot.addWidget(d)
    asked: list[str] = []
    d.confirm = lambda text: asked.append(text) or False  # type: ignore[assignment]
    find(d, QLineEdit, "Backup to restore").setText(str(enc))
    find(d, QLineEdit, "Passphrase").setText("wrong")
    _click(find, d, "Restore")
    qtbot.waitUntil(lambda: d.error is not None, timeout=20_000)
    assert asked == [] and "wrong passphrase" in find(d, QLabel, "Status").text()
    find(d, QLineEdit, "Passphrase").setText("right-passphrase")
    _click(find, d, "Restore")
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert asked[0].startswith("Replace the journal with b.ties.enc?")
    assert d.job is None and _names(ctx) == ["Before"]


def test_export_of_an_encrypted_journal_says_it_is_written_as_plain_text(
    ctx: AppContext, qtbot, find, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    from ties.store import conversion, encryption

    plain = ExportDialog(ctx)
    qtbot.addWidget(plain)
    assert all(w.accessibleName() != "Export is not encrypted" for w in plain.findChildren(QLabel))
    path = ctx.store.path
    ctx.store.close()
    conversion.encrypt(path, "export test passphrase")
    try:
        ctx.replace_store(Store.open(path, check=False))
        d = ExportDialog(ctx)
        qtbot.addWidget(d)
        note = find(d, QLabel, "Export is not encrypted")
        assert "plain text" in note.text()
    finally:
        encryption.forget_all_keys()
