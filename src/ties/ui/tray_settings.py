"""Edit → Tray and reminders…: the settings of everything that runs while the window is closed.

These are settings of this computer (kept with the window's settings, not in
the journal): whether Ties stays in the tray, starts at login, when the
morning reminder comes and whether it shows names, and the folder where a
calendar file is kept up to date.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSystemTrayIcon,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ties.io import autostart
from ties.ui.notifications import (
    KEY_ENABLED,
    KEY_HIDE_NAMES,
    KEY_TIME,
    flag,
    reminder_time,
)
from ties.ui.settings import app_settings
from ties.ui.tray_prefs import (
    calendar_folder,
    keep_running,
    set_calendar_folder,
    set_keep_running,
)

NO_TRAY = "This desktop has no system tray: Ties closes with its window."


class TraySettingsDialog(QDialog):
    """The tray, start-at-login, reminder and calendar-file settings."""

    def __init__(self, parent: QWidget | None = None, *, tray: bool | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tray and reminders"))
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray
        self.keep = QCheckBox(
            self.tr("Keep Ties running in the tray when the window is closed"), self
        )
        self.keep.setChecked(bool(keep_running()) and self.has_tray)
        self.keep.setEnabled(self.has_tray)
        self.no_tray = QLabel(self.tr(NO_TRAY), self)
        self.no_tray.setObjectName("muted")
        self.no_tray.setVisible(not self.has_tray)
        self.login = QCheckBox(self.tr("Start Ties at login (in the tray)"), self)
        self.login.setChecked(autostart.is_enabled())
        self.remind = QCheckBox(self.tr("A morning reminder of Today's top items"), self)
        self.remind.setChecked(flag(KEY_ENABLED, True))
        self.time = QTimeEdit(self)
        self.time.setDisplayFormat("HH:mm")
        at = reminder_time()
        self.time.setTime(QTime(at.hour, at.minute))
        self.time.setAccessibleName("Reminder time")
        self.hide_names = QCheckBox(self.tr("Hide names in notifications (shared screens)"), self)
        self.hide_names.setChecked(flag(KEY_HIDE_NAMES, False))
        self.folder = QLineEdit(self)
        self.folder.setAccessibleName("Calendar folder")
        self.folder.setPlaceholderText(self.tr("No calendar file kept"))
        folder = calendar_folder()
        self.folder.setText(str(folder) if folder else "")
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.keep)
        form.addRow(self.no_tray)
        form.addRow(self.login)
        form.addRow(self.remind)
        form.addRow(self.tr("Reminder at"), self.time)
        form.addRow(self.hide_names)
        form.addRow(self.tr("Keep ties.ics in"), row)
        note = QLabel(
            self.tr(
                "The calendar file holds follow-ups and yearly dates; a calendar app can "
                "subscribe to it as a local file."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for ties.ics", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def apply(self) -> str | None:
        """Save the settings; a one-line message when something could not be done."""
        s = app_settings()
        if self.has_tray:
            set_keep_running(self.keep.isChecked())
        s.setValue(KEY_ENABLED, self.remind.isChecked())
        s.setValue(KEY_TIME, self.time.time().toString("HH:mm"))
        s.setValue(KEY_HIDE_NAMES, self.hide_names.isChecked())
        text = self.folder.text().strip()
        folder = Path(text).expanduser() if text else None
        if folder is not None and not folder.is_dir():
            return f"{folder} is not a folder; the calendar file was not set up."
        set_calendar_folder(folder)
        try:
            if self.login.isChecked():
                autostart.enable()
            else:
                autostart.disable()
        except OSError as exc:
            return f"Could not change start at login: {exc.strerror or exc}."
        return None

    def accept(self) -> None:
        problem = self.apply()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()
