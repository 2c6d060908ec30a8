"""Settings → Sync: the folder, the last sync, the devices seen and the problems, and
"Sync now" — the same state the status bar shows, from the same
:class:`~ties.ui.sync.SyncController` (its last report), so the two never disagree.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ties.app.sync import SyncReport
from ties.ui.sync import SyncController, state_text


def _when(stamp: str) -> str:
    """``2026-12-07T18:15:20.2Z`` → ``2026-12-07 18:15 UTC`` (the reports are in UTC)."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp or "—"


class SyncPage(QWidget):
    """The sync state of the open journal, following the controller as it syncs."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.folder = QLabel(self)
        self.folder.setAccessibleName("Sync folder")
        self.folder.setWordWrap(True)
        self.state = QLabel(self)
        self.state.setAccessibleName("Last sync")
        self.state.setWordWrap(True)
        self.devices = QTreeWidget(self)
        self.devices.setAccessibleName("Devices seen")
        self.devices.setRootIsDecorated(False)
        self.devices.setHeaderLabels([self.tr("Device"), self.tr("Last change"), self.tr("Files")])
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Sync problems")
        self.problems.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync &now"), self)
        self.sync_button.setAccessibleName("Sync now")
        self.choose_button = QPushButton(self.tr("Choose &folder…"), self)
        self.choose_button.setAccessibleName("Choose sync folder")
        form = QFormLayout()
        form.addRow(self.tr("Folder:"), self.folder)
        form.addRow(self.tr("Last sync:"), self.state)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("Devices seen:"), self))
        lay.addWidget(self.devices, 2)
        lay.addWidget(QLabel(self.tr("Problems:"), self))
        lay.addWidget(self.problems, 1)
        lay.addLayout(buttons)
        self._connect_callbacks()
        self.refresh()

    def _connect_callbacks(self) -> None:
        self.controller.state_changed.connect(self.refresh)
        self.sync_button.clicked.connect(self.controller.sync_now)
        self.choose_button.clicked.connect(lambda: self.controller.choose(self))

    def refresh(self) -> None:
        """Show the controller's state as it is now."""
        folder = self.controller.folder()
        report = self.controller.last_report
        self.folder.setText(str(folder) if folder else self.tr("None: this journal does not sync."))
        self.sync_button.setEnabled(folder is not None and not self.controller.running())
        if folder is None:
            self.state.setText(self.tr("Choose a folder that a sync program carries."))
        elif self.controller.running():
            self.state.setText(self.tr("Syncing…"))
        elif self.controller.last_error:
            self.state.setText(self.tr("Failed: {0}").format(self.controller.last_error))
        elif report is None:
            self.state.setText(self.tr("Not synced yet."))
        else:
            self.state.setText(state_text(report))
        self._show_devices(report if folder else None)
        self.problems.clear()
        if folder is not None and report is not None:
            self.problems.addItems(report.problems)
        if folder is not None and self.controller.last_error:
            self.problems.addItem(self.controller.last_error)
        if self.problems.count() == 0:
            self.problems.addItem(self.tr("None."))

    def _show_devices(self, report: SyncReport | None) -> None:
        self.devices.clear()
        if report is None:
            return
        for d in report.devices:
            # Host names repeat (two journals on one computer): the id tells them apart.
            name = f"{d.name} ({d.device})" if d.name else d.device
            if d.this_device:
                name = self.tr("{0} (this computer)").format(name)
            QTreeWidgetItem(self.devices, [name, _when(d.last_written), str(d.files)])
        for col in range(2):
            self.devices.resizeColumnToContents(col)
