"""A person's contact details on their page: rows to edit, and clickable text to read.

E-mails, phones, web links, addresses and important dates are lists of labelled
rows (:class:`DetailRows`); :func:`contact_html` writes the at-a-glance line
under the name, whose mailto:, tel: and web links :func:`open_contact` hands to
the desktop (opening another program is the user's act; Ties itself makes no
network call).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ties.model import Address, Detail, ImportantDate, Person
from ties.ui.icons import icon

#: Schemes a click on the person page may hand to the desktop.
OPENABLE = ("mailto", "tel", "http", "https")
DATE_LABELS = ("anniversary", "started a new job", "moved", "other")


def web_url(value: str) -> str:
    """A web link as the browser wants it: ``example.org`` gains ``https://``."""
    value = value.strip()
    return value if "://" in value else f"https://{value}"


def phone_url(value: str) -> str:
    """``tel:`` with the digits and a leading + only (spaces and dashes are for people)."""
    kept = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    return f"tel:{kept}"


def open_contact(url: str) -> bool:
    """Open a mailto:, tel: or web link in the program the desktop chooses for it."""
    q = QUrl(url)
    if q.scheme().lower() not in OPENABLE:
        return False
    return QDesktopServices.openUrl(q)


def _birthday_text(birthday: str) -> str:
    from datetime import date

    if birthday.startswith("--"):
        month, day = int(birthday[2:4]), int(birthday[5:7])
        return f"{day} {date(2000, month, day):%B}"
    y, m, d = (int(x) for x in birthday.split("-"))
    return f"{d} {date(y, m, d):%B %Y}"


def contact_html(p: Person) -> str:
    """The person's details on one or two lines, each e-mail, phone and link clickable."""
    bits: list[str] = []

    def labelled(label: str, text: str) -> str:
        # Plain spaces: a line may wrap anywhere between words, so the page fits the
        # window's minimum width.
        return f"{text} <span style='color:gray'>{escape(label)}</span>" if label else text

    for d in p.emails:
        href = "mailto:" + "".join(d.value.split())  # QUrl encodes what needs it
        bits.append(labelled(d.label, f"<a href='{escape(href)}'>{escape(d.value)}</a>"))
    for d in p.phones:
        href = phone_url(d.value)
        bits.append(labelled(d.label, f"<a href='{escape(href)}'>{escape(d.value)}</a>"))
    for d in p.urls:
        href = web_url(d.value)
        bits.append(labelled(d.label, f"<a href='{escape(href)}'>{escape(d.value)}</a>"))
    if p.birthday:
        try:
            day = _birthday_text(p.birthday)
        except ValueError:
            day = p.birthday
        bits.append("birthday&nbsp;" + escape(day).replace(" ", "&nbsp;"))  # one piece
    line = "&nbsp;&nbsp;·&nbsp; ".join(bits)  # a line breaks after a dot, never before
    if p.tags:
        chips = " ".join(
            "<span style='background-color:palette(midlight)'>&nbsp;#"
            + escape(t).replace(" ", "&nbsp;")
            + "&nbsp;</span>"
            for t in p.tags
        )
        line = f"{line}<br>{chips}" if line else chips
    return line


def address_text(a: Address) -> str:
    """An address on one line, the parts it has."""
    return ", ".join(x for x in (a.street, a.postcode, a.locality, a.region, a.country) if x)


class DetailRows(QWidget):
    """Labelled rows of one kind of detail, each with a remove button, and an Add button.

    ``parts`` names the text fields of a row, a tuple per line of the row (an address
    takes two lines); a row whose fields are all blank is left out of :meth:`values`.

    Signals:
        edited(): a row was changed, added or removed.
    """

    edited = Signal()

    def __init__(
        self,
        kind: str,
        parts: Sequence[Sequence[tuple[str, str]]],
        labels: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.parts = [list(line) for line in parts]
        self.labels = list(labels)
        self.setAccessibleName(f"{kind} list")
        self.rows: list[tuple[QWidget, QComboBox, list[QLineEdit]]] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(4)
        self.add_button = QPushButton(icon("add"), self.tr("Add {kind}").format(kind=kind.lower()))
        self.add_button.setAccessibleName(f"Add {kind.lower()}")
        self.add_button.setFlat(True)
        self.add_button.clicked.connect(self._add_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        self._lay.addLayout(bar)

    def _add_clicked(self) -> None:
        self.add_row(self.labels[0] if self.labels else "", ())
        self.rows[-1][2][0].setFocus()
        self.edited.emit()

    def add_row(self, label: str, values: Sequence[str]) -> None:
        n = len(self.rows) + 1
        row = QWidget(self)
        rl = QVBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(2)
        combo = QComboBox(row)
        combo.setEditable(True)
        combo.addItems(self.labels)
        combo.setCurrentText(label)
        combo.setAccessibleName(f"{self.kind} {n} label")
        inner = combo.lineEdit()
        if inner is not None:
            inner.setAccessibleName(f"{self.kind} {n} label text")
        # Wide enough for the longest label offered ("started a new job" for dates).
        combo.setMinimumContentsLength(max([6, *(len(x) for x in self.labels)]))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentTextChanged.connect(lambda _t: self.edited.emit())
        edits: list[QLineEdit] = []
        it = iter(values)
        for i, line in enumerate(self.parts):
            hl = QHBoxLayout()
            hl.setSpacing(4)
            if i == 0:
                hl.addWidget(combo)
            for key, placeholder in line:
                e = QLineEdit(row)
                e.setPlaceholderText(placeholder)
                e.setAccessibleName(f"{self.kind} {n}" + (f" {key}" if key else ""))
                e.setText(next(it, ""))
                e.textEdited.connect(lambda _t: self.edited.emit())
                edits.append(e)
                hl.addWidget(e, 1)
            if i == 0:
                remove = QToolButton(row)
                remove.setIcon(icon("delete"))
                remove.setToolTip(self.tr("Remove"))
                remove.setAccessibleName(f"Remove {self.kind.lower()} {n}")
                remove.clicked.connect(lambda _c=False, w=row: self._remove(w))
                hl.addWidget(remove)
            else:
                hl.insertSpacing(0, combo.sizeHint().width() + 4)
                hl.addSpacing(28)
            rl.addLayout(hl)
        self.rows.append((row, combo, edits))
        self._lay.insertWidget(self._lay.count() - 1, row)

    def _remove(self, row: QWidget) -> None:
        self.rows = [r for r in self.rows if r[0] is not row]
        row.hide()
        row.deleteLater()
        self.edited.emit()

    def clear(self) -> None:
        for row, _c, _e in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []

    def set_values(self, values: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.clear()
        for label, parts in values:
            self.add_row(label, parts)

    def values(self) -> list[tuple[str, list[str]]]:
        """(label, field texts) of every row that holds something, in order."""
        out = []
        for _row, combo, edits in self.rows:
            texts = [e.text().strip() for e in edits]
            if any(texts):
                out.append((" ".join(combo.currentText().split()), texts))
        return out


def detail_rows(kind: str, placeholder: str, labels: Sequence[str], parent: QWidget) -> DetailRows:
    """Rows of one-field details: e-mails, phones, web links."""
    return DetailRows(kind, [[("", placeholder)]], labels, parent)


def address_rows(labels: Sequence[str], parent: QWidget) -> DetailRows:
    return DetailRows(
        "Address",
        [
            [("street", "Street")],
            [
                ("postcode", "Postcode"),
                ("locality", "Town"),
                ("region", "Region"),
                ("country", "Country"),
            ],
        ],
        labels,
        parent,
    )


def to_details(rows: DetailRows) -> list[Detail]:
    return [Detail(label, texts[0]) for label, texts in rows.values()]


def to_addresses(rows: DetailRows) -> list[Address]:
    keys = [key for line in rows.parts for key, _p in line]
    return [Address(label, **dict(zip(keys, texts, strict=True))) for label, texts in rows.values()]


def to_dates(rows: DetailRows, before: Sequence[ImportantDate]) -> list[ImportantDate]:
    """Dates from the rows, each keeping the yearly flag it had (new ones are yearly)."""
    yearly = {(d.label, d.date): d.yearly for d in before}
    return [
        ImportantDate(label, texts[0], yearly.get((label, texts[0]), True))
        for label, texts in rows.values()
    ]
