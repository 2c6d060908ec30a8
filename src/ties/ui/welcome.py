"""The first-run page of an empty journal: three ways to start, no fake data."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ties.ui.icons import icon


class WelcomePage(QWidget):
    """Shown while the journal has nobody in it.

    Signals:
        add_person(), log_entry(), open_sample(): the three offers.
        encrypt_journal(): the offer to encrypt the new journal (issue #18), with the
            warning that a forgotten passphrase cannot be recovered.
    """

    add_person = Signal()
    log_entry = Signal()
    open_sample = Signal()
    encrypt_journal = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        title = QLabel(self.tr("Welcome to Ties"), self)
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            self.tr(
                "Ties is a private journal of the people in your life: who helped you, whom you "
                "helped, and who you have not seen in a while. It also shows which kinds of "
                "support your network gives you — advice, introductions, someone to confide "
                "in — and where the gaps are. Everything stays in one file on this computer."
            ),
            self,
        )
        text.setAccessibleName("Welcome text")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.person_button = QPushButton(icon("people"), self.tr("Add the first person"), self)
        self.person_button.setAccessibleName("Add the first person")
        self.entry_button = QPushButton(icon("journal"), self.tr("Log the first entry"), self)
        self.entry_button.setAccessibleName("Log the first entry")
        self.sample_button = QPushButton(icon("app"), self.tr("Explore a sample journal"), self)
        self.sample_button.setAccessibleName("Explore a sample journal")
        self.sample_button.setToolTip(
            self.tr("Opens a separate journal with made-up people; yours is not changed.")
        )
        note = QLabel(
            self.tr(
                "The sample journal is a separate file with invented people; "
                "File ▸ Open journal… brings you back to yours."
            ),
            self,
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.place_note = QLabel(self)
        self.place_note.setAccessibleName("What this place will show")
        self.place_note.setWordWrap(True)
        self.place_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.place_note.hide()
        self.encrypt_button = QPushButton(self.tr("Encrypt this journal…"), self)
        self.encrypt_button.setAccessibleName("Encrypt this journal")
        self.encrypt_note = QLabel(
            self.tr(
                "Optional: encrypt the journal with a passphrase, so that a copy of the file "
                "cannot be read without it. A forgotten passphrase cannot be recovered: "
                "without it the journal and its backups are lost."
            ),
            self,
        )
        self.encrypt_note.setAccessibleName("About encryption")
        self.encrypt_note.setObjectName("muted")
        self.encrypt_note.setWordWrap(True)
        self.encrypt_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A fixed-width column: wrapped labels get their full height only without an alignment.
        column = QWidget(self)
        column.setFixedWidth(520)
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(title)
        col.addSpacing(8)
        col.addWidget(text)
        col.addSpacing(8)
        col.addWidget(self.place_note)
        col.addSpacing(12)
        for b in (self.person_button, self.entry_button, self.sample_button):
            b.setMinimumHeight(38)
            b.setFixedWidth(300)
            col.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        self.entry_button.setDefault(True)
        col.addSpacing(10)
        col.addWidget(note)
        col.addSpacing(20)
        self.encrypt_button.setMinimumHeight(32)
        self.encrypt_button.setFixedWidth(300)
        col.addWidget(self.encrypt_button, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addWidget(self.encrypt_note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addStretch(2)
        lay.addLayout(row)
        lay.addStretch(3)
        self.person_button.clicked.connect(self.add_person)
        self.entry_button.clicked.connect(self.log_entry)
        self.sample_button.clicked.connect(self.open_sample)
        self.setFocusProxy(self.entry_button)  # the button that looks chosen has the keys
        self.encrypt_button.clicked.connect(self.encrypt_journal)

    def offer_encryption(self, *, encrypted: bool, writable: bool, unavailable: str = "") -> None:
        """Offer encryption to a plain, writable journal; say why not where it cannot be."""
        self.encrypt_button.setVisible(writable and not encrypted)
        self.encrypt_button.setEnabled(not unavailable)
        self.encrypt_note.setVisible(writable and not encrypted)
        if unavailable:
            self.encrypt_button.setToolTip(unavailable)

    def set_place(self, name: str) -> None:
        """Say what the place asked for will show (an empty Coverage repeated this page)."""
        text = PLACE_NOTES.get(name, "")
        self.place_note.setText(
            QCoreApplication.translate("WelcomePage", str(text)) if text else ""
        )
        self.place_note.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.entry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the focused button, or "Log the first entry" that looks chosen.

        A default button only answers Enter in a dialog: here Enter did nothing
        (issue #17, accessibility).
        """
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            button = (
                focused
                if isinstance(focused, QPushButton) and self.isAncestorOf(focused)
                else self.entry_button
            )
            button.click()
            return
        super().keyPressEvent(event)


#: What each place of an empty journal will show once there is something in it.
PLACE_NOTES = {
    "today": QT_TRANSLATE_NOOP(
        "WelcomePage",
        "Today will list follow-ups due, ties gone quiet and thanks to say.",
    ),
    "coverage": QT_TRANSLATE_NOOP(
        "WelcomePage",
        "Coverage will show which of the kinds of support — advice, introductions, someone "
        "to confide in and more — your network gives you, from whom, and the gaps.",
    ),
    "map": QT_TRANSLATE_NOOP(
        "WelcomePage",
        "The map will place everyone in rings by how close you are, grouped by circle.",
    ),
}
