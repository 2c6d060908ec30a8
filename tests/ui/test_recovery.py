"""A damaged journal: the window offers the newest good backup and keeps the damage aside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from ties.io.backup import auto_backup
from ties.model import Person
from ties.store import CorruptJournalError, Store
from ties.ui.banner import ReadOnlyBanner
from ties.ui.context import AppContext
from ties.ui.recovery import offer_recovery


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 6 * page), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def _journal_with_backup(db_path: Path) -> None:
    with Store.open(db_path) as s:
        for i in range(40):
            s.add_person(Person(f"Person {i}", notes="x" * 300))
        assert auto_backup(s, force=True) is not None
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_damaged_journal_is_replaced_by_its_newest_good_backup(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_backup(db_path)
    _damage(db_path)
    damaged_bytes = db_path.read_bytes()
    with pytest.raises(CorruptJournalError):
        Store.open(db_path, check=True).close()
    ctx = AppContext(Store.open(db_path))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    assert offer_recovery(None, ctx, CorruptJournalError("damaged"))
    assert ctx.store.count_people() == 40
    assert ctx.store.integrity_problems() == []
    kept = [p for p in db_path.parent.iterdir() if ".damaged-" in p.name and p.suffix == ".ties"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    ctx.store.close()


def test_no_backup_leaves_the_damaged_file_alone(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_path) as s:
        for i in range(40):
            s.add_person(Person(f"Person {i}", notes="x" * 300))
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db_path)
    before = db_path.read_bytes()
    ctx = AppContext(Store.open(db_path, check=False))
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda self: shown.append(self.text()) or QMessageBox.StandardButton.Ok
    )
    assert not offer_recovery(None, ctx, CorruptJournalError("damaged"))
    assert "No automatic backup" in shown[0]
    ctx.store.close()
    assert db_path.read_bytes() == before


def test_read_only_banner_shows_only_for_read_only_journals(qtbot, db_path: Path) -> None:
    Store.open(db_path).close()
    banner = ReadOnlyBanner()
    qtbot.addWidget(banner)
    with Store.open(db_path) as writable:
        banner.show_for(writable)
        assert banner.isHidden()
    with Store.open(db_path, readonly=True) as readonly:
        banner.show_for(readonly)
        assert not banner.isHidden() and "read-only" in banner.text()


def _recording_status(said: list[str]):
    """An AppContext.__init__ that also records every status message."""
    from ties.ui.context import AppContext

    original = AppContext.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self.status.connect(said.append)

    return init


def test_opening_a_damaged_journal_offers_its_newest_good_backup(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.app import open_window

    _journal_with_backup(db_path)
    _damage(db_path)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda self: asked.append(self.text()) or QMessageBox.StandardButton.Yes,
    )
    said: list[str] = []
    monkeypatch.setattr(
        "ties.ui.context.AppContext.__init__",
        _recording_status(said),
    )
    window = open_window(db_path)
    qtbot.addWidget(window)
    assert "newest backup that passes its check" in asked[0]
    assert said and said[-1].startswith("The damaged journal is kept at ")  # as 'ties recover'
    assert f"; restored {db_path} from " in said[-1] and said[-1].endswith(" entries).")
    assert window.ctx.store.count_people() == 40
    assert window.ctx.store.integrity_problems() == []
    assert window.banner.isHidden()
    window.close()


def test_a_failed_restore_puts_the_damaged_journal_back(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ties.io.recovery as io_recovery
    from ties.store import JournalError

    _journal_with_backup(db_path)
    _damage(db_path)
    damaged_bytes = db_path.read_bytes()
    ctx = AppContext(Store.open(db_path, check=False))

    def no_space(*_args: object, **_kw: object) -> None:
        raise JournalError("No space left on device")

    monkeypatch.setattr(io_recovery, "commit_restore", no_space)  # fails after the set-aside
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    assert not offer_recovery(None, ctx, CorruptJournalError("damaged"))
    assert "left as it was" in warned[0]
    assert db_path.read_bytes() == damaged_bytes  # the user's file, in its place
    assert not [p for p in db_path.parent.iterdir() if ".damaged-" in p.name]
    ctx.store.close()


def test_recovery_works_on_a_worker_and_cancel_changes_nothing(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    import ties.ui.recovery as ui_recovery

    _journal_with_backup(db_path)
    _damage(db_path)
    damaged_bytes = db_path.read_bytes()
    ctx = AppContext(Store.open(db_path, check=False))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    real = ui_recovery.prepare_recovery
    reached, release = threading.Event(), threading.Event()

    def prepare(*args: object, **kw):
        reached.set()
        if not release.wait(20):
            raise AssertionError("never released")
        return real(*args, **kw)

    monkeypatch.setattr(ui_recovery, "prepare_recovery", prepare)
    seen: list[str] = []

    def busy_dialog():
        for w in QApplication.topLevelWidgets():
            if w.accessibleName() == "Recovery progress" and w.isVisible():
                return w
        return None

    def poll() -> None:  # runs while offer_recovery waits: the event loop turns
        dialog = busy_dialog()
        if not reached.is_set() or dialog is None:
            return
        timer.stop()
        seen.append(dialog.findChild(QLabel).text())
        for button in dialog.findChildren(QPushButton):
            if button.accessibleName() == "Cancel":
                button.click()
        release.set()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(5)
    assert not offer_recovery(None, ctx, CorruptJournalError("damaged"))
    timer.stop()
    assert seen and "backup" in seen[0]
    assert busy_dialog() is None
    assert db_path.read_bytes() == damaged_bytes
    leftovers = [p.name for p in db_path.parent.iterdir() if "damaged-" in p.name]
    leftovers += [p.name for p in db_path.parent.glob(f".{db_path.name}.restore-*")]
    assert leftovers == []
    ctx.store.close()


@pytest.mark.parametrize("in_keyring", [False, True])
def test_recovery_asks_the_passphrase_of_encrypted_backups_before_its_worker_starts(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch, in_keyring: bool
) -> None:
    """Backups taken before the passphrase changed: the window asks for theirs, on its thread.

    The journal's passphrase kept in the keyring (the new one) is tried first, silently.
    """
    import threading

    from PySide6.QtWidgets import QDialog

    from ties.store import conversion, encryption
    from ties.ui import unlock

    old, new = "the old passphrase", "the new passphrase"
    with Store.open(db_path) as s:
        for i in range(40):
            s.add_person(Person(f"Person {i}", notes="x" * 300))
    conversion.encrypt(db_path, old)
    with Store.open(db_path, unlock=old) as s:
        made = auto_backup(s, force=True)
        assert made is not None
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert made.read_bytes()[:16] != encryption.SQLITE_MAGIC  # encrypted with the old key
    conversion.rekey(db_path, encryption.cached_key(db_path), new)
    for aside in db_path.parent.glob("*.before-*"):
        aside.unlink()
    encryption.forget_all_keys()
    _damage(db_path)
    ctx = AppContext(Store.open(db_path, unlock=new, check=False))
    monkeypatch.setattr(unlock, "_keyring_get", lambda _p: new if in_keyring else None)
    asked: list[tuple[str, str, bool]] = []
    answers = ["not it", old]

    def exec_(dialog: unlock.UnlockDialog) -> int:
        shown = dialog.error.text() if dialog.error.isVisibleTo(dialog) else ""
        asked.append((shown, dialog.findChild(QLabel).text(), threading.current_thread() is
                      threading.main_thread()))  # fmt: skip
        dialog.field.setText(answers.pop(0))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(unlock.UnlockDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    try:
        assert offer_recovery(None, ctx, CorruptJournalError("damaged"))
        assert ctx.store.count_people() == 40
    finally:
        ctx.store.close()
    assert len(asked) == 2 and all(on_gui for _e, _t, on_gui in asked)
    assert asked[0][0] == "" and "backups of" in asked[0][1]
    assert "Wrong passphrase" in asked[1][0]
    kept = [p for p in db_path.parent.iterdir() if ".damaged-" in p.name and p.suffix == ".ties"]
    assert len(kept) == 1  # (its first page is re-encrypted when the damaged journal closes)
    encryption.forget_all_keys()


def test_recovery_without_the_backups_passphrase_leaves_the_journal_alone(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from ties.store import conversion, encryption
    from ties.ui import unlock

    with Store.open(db_path) as s:
        for i in range(40):
            s.add_person(Person(f"Person {i}", notes="x" * 300))
    conversion.encrypt(db_path, "the old passphrase")
    with Store.open(db_path, unlock="the old passphrase") as s:
        assert auto_backup(s, force=True) is not None
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conversion.rekey(db_path, encryption.cached_key(db_path), "the new passphrase")
    for aside in db_path.parent.glob("*.before-*"):
        aside.unlink()
    encryption.forget_all_keys()
    _damage(db_path)
    ctx = AppContext(Store.open(db_path, unlock="the new passphrase", check=False))
    monkeypatch.setattr(unlock, "_keyring_get", lambda _p: None)
    cancelled: list[bool] = []
    monkeypatch.setattr(
        unlock.UnlockDialog,
        "exec",
        lambda self: cancelled.append(True) or QDialog.DialogCode.Rejected,
    )
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda self: said.append(self.text()) or QMessageBox.StandardButton.Ok
    )
    try:
        assert not offer_recovery(None, ctx, CorruptJournalError("damaged"))
    finally:
        ctx.store.close()
    assert cancelled == [True]
    assert said and "No automatic backup" in said[0]
    assert not [p for p in db_path.parent.iterdir() if ".damaged-" in p.name]
    encryption.forget_all_keys()
