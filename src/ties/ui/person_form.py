"""Every profile field of a person: the person page edits them in place, the dialog adds."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ties.model import (
    CLOSENESS_LABELS,
    DEFAULT_CADENCE_DAYS,
    DETAIL_LABELS,
    PROFILE_FIELDS,
    ImportantDate,
    Person,
)
from ties.store import Store
from ties.ui.person_details import (
    DATE_LABELS,
    DetailRows,
    address_rows,
    detail_rows,
    to_addresses,
    to_dates,
    to_details,
)
from ties.ui.widgets import DateField, ErrorLabel

MUTUALITY = ((-1, "−1 · mostly one way"), (0, "0 · balanced or unsure"), (1, "+1 · mutual"))
#: Contact details the person page edits (the new-person dialog leaves them for later).
DETAIL_FIELDS = ("emails", "phones", "urls", "addresses", "birthday", "dates", "tags")
FIELDS = ("name", *PROFILE_FIELDS, *DETAIL_FIELDS)


def _text(name: str, parent: QWidget, placeholder: str = "") -> QLineEdit:
    w = QLineEdit(parent)
    w.setAccessibleName(name)
    w.setPlaceholderText(placeholder)
    return w


def _para(name: str, parent: QWidget, placeholder: str = "") -> QPlainTextEdit:
    w = QPlainTextEdit(parent)
    w.setAccessibleName(name)
    w.setPlaceholderText(placeholder)
    w.setTabChangesFocus(True)
    w.setFixedHeight(w.fontMetrics().height() * 3 + 14)
    return w


class PersonForm(QWidget):
    """The fields; :meth:`build` turns them back into a :class:`Person`.

    Signals:
        edited(): the user changed a field.
    """

    edited = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("Person details")
        self.name = _text("Name", self, "Full name")
        self.circle = QComboBox(self)
        self.circle.setAccessibleName("Circle")
        self.organization = _text("Organization", self, "Company, school, club…")
        self.role = _text("Role", self, "What they do")
        self.how_met = _text("How we met", self)
        self.met_on_known = QCheckBox(self.tr("Known"), self)
        self.met_on_known.setAccessibleName("Met on known")
        self.met_on = DateField("Met on", store_today(), self)
        self.life_phases = _text("Life phases", self, "e.g. university, first job")
        self.closeness = QComboBox(self)
        self.closeness.setAccessibleName("Closeness")
        for value, label in CLOSENESS_LABELS.items():
            self.closeness.addItem(f"{value} · {label}", value)
        self.mutuality = QComboBox(self)
        self.mutuality.setAccessibleName("Mutuality")
        for value, label in MUTUALITY:
            self.mutuality.addItem(label, value)
        self.cadence = QSpinBox(self)
        self.cadence.setAccessibleName("Contact cadence")
        self.cadence.setRange(0, 3650)
        self.cadence.setSuffix(self.tr(" days"))
        self.cadence.setSpecialValueText(self.tr("default for closeness"))
        self.interests = _para("Interests", self)
        self.needs = _para("Needs", self, "What they are looking for")
        self.offers = _para("Offers", self, "What they can help with")
        self.notes = _para("Notes", self)
        self.compact = compact
        self.emails = detail_rows("E-mail", "name@example.org", DETAIL_LABELS, self)
        self.phones = detail_rows("Phone", "+44 20 7946 0000", DETAIL_LABELS, self)
        self.urls = detail_rows("Web link", "example.org/me", DETAIL_LABELS, self)
        self.addresses = address_rows(DETAIL_LABELS, self)
        self.birthday = _text("Birthday", self, "YYYY-MM-DD, or --MM-DD without the year")
        self.dates = DetailRows("Date", [[("", "YYYY-MM-DD or --MM-DD")]], DATE_LABELS, self)
        self.tags = _text("Tags", self, "comma separated, e.g. climbing, book club")
        self._dates_before: list[ImportantDate] = []
        self.errors = {
            f: ErrorLabel(f"{f.replace('_', ' ').capitalize()} error", self) for f in FIELDS
        }
        self.reload_circles()

        def row(widget: QWidget | QHBoxLayout, *names: str) -> QWidget:
            box = QWidget(self)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            if isinstance(widget, QWidget):
                lay.addWidget(widget)
            else:
                lay.addLayout(widget)
            for n in names:
                lay.addWidget(self.errors[n])
            return box

        met = QHBoxLayout()
        met.addWidget(self.met_on_known)
        met.addWidget(self.met_on, 1)
        left = QFormLayout()
        left.addRow(self.tr("Name:"), row(self.name, "name"))
        left.addRow(self.tr("Circle:"), row(self.circle, "circle"))
        left.addRow(self.tr("Closeness:"), row(self.closeness, "closeness"))
        left.addRow(self.tr("Organization:"), row(self.organization, "organization"))
        left.addRow(self.tr("Role:"), row(self.role, "role"))
        if compact:
            lay = QVBoxLayout(self)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addLayout(left)
            for w in (
                self.how_met,
                self.met_on_known,
                self.met_on,
                self.life_phases,
                self.mutuality,
                self.cadence,
                self.interests,
                self.needs,
                self.offers,
                self.notes,
            ):
                w.hide()
            for d in (self.emails, self.phones, self.urls, self.addresses, self.dates):
                d.hide()
            self.birthday.hide()
            self.tags.hide()
        else:
            left.addRow(self.tr("How we met:"), row(self.how_met, "how_met"))
            left.addRow(self.tr("Met on:"), row(met, "met_on"))
            left.addRow(self.tr("Life phases:"), row(self.life_phases, "life_phases"))
            left.addRow(self.tr("Mutuality:"), row(self.mutuality, "mutuality"))
            left.addRow(self.tr("Keep in touch every:"), row(self.cadence, "cadence_days"))
            contact = QFormLayout()
            contact.addRow(self.tr("E-mail:"), row(self.emails, "emails"))
            contact.addRow(self.tr("Phone:"), row(self.phones, "phones"))
            contact.addRow(self.tr("Web:"), row(self.urls, "urls"))
            contact.addRow(self.tr("Address:"), row(self.addresses, "addresses"))
            contact.addRow(self.tr("Birthday:"), row(self.birthday, "birthday"))
            contact.addRow(self.tr("Dates:"), row(self.dates, "dates"))
            contact.addRow(self.tr("Tags:"), row(self.tags, "tags"))
            # The paragraphs run the whole width under both columns: at 1200 px they
            # were ~80 px wide in a third column.
            right = QFormLayout()
            right.addRow(self.tr("Interests:"), row(self.interests, "interests"))
            right.addRow(self.tr("Needs:"), row(self.needs, "needs"))
            right.addRow(self.tr("Offers:"), row(self.offers, "offers"))
            right.addRow(self.tr("Notes:"), row(self.notes, "notes"))
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.setSpacing(16)
            columns = QHBoxLayout()
            columns.setContentsMargins(0, 0, 0, 0)
            columns.setSpacing(24)
            columns.addLayout(self._section(self.tr("About"), left), 1)
            columns.addLayout(self._section(self.tr("Contact"), contact), 1)
            outer.addLayout(columns)
            outer.addLayout(self._section(self.tr("Notes"), right))
            self.columns = columns
            self._forms = (left, contact, right)
        for w in (
            self.name,
            self.organization,
            self.role,
            self.how_met,
            self.life_phases,
            self.birthday,
            self.tags,
        ):
            w.textEdited.connect(self.edited)
        for d in (self.emails, self.phones, self.urls, self.addresses, self.dates):
            d.edited.connect(self._maybe_edited)
        for c in (self.circle, self.closeness, self.mutuality):
            c.activated.connect(self.edited)
        for p in (self.interests, self.needs, self.offers, self.notes):
            p.textChanged.connect(self._para_changed)
        self.met_on_known.toggled.connect(self.met_on.setEnabled)
        self.met_on_known.clicked.connect(self.edited)
        self.met_on.dateChanged.connect(self._maybe_edited)
        self.cadence.valueChanged.connect(self._maybe_edited)
        self.closeness.activated.connect(self._cadence_hint)
        self._clear_errors_on_edit()
        self._loading = False

    def _section(self, title: str, form: QFormLayout) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(6)
        heading = QLabel(title, self)
        heading.setObjectName("sectionTitle")
        box.addWidget(heading)
        box.addLayout(form)
        box.addStretch(1)
        return box

    def fit_width(self, width: int) -> None:
        """Two columns side by side when ``width`` holds them, else one under the other
        (a narrow window scrolls down the profile instead of sideways)."""
        columns = getattr(self, "columns", None)
        if columns is None:
            return
        side = QBoxLayout.Direction.LeftToRight
        if columns.direction() != side:
            columns.setDirection(side)
            wide = self.minimumSizeHint().width()
            columns.setDirection(QBoxLayout.Direction.TopToBottom)
        else:
            wide = self.minimumSizeHint().width()
        # Each column wants ~32 em to read well, more than its bare minimum.
        narrow = width < max(wide, 64 * self.fontMetrics().horizontalAdvance("M"))
        columns.setDirection(QBoxLayout.Direction.TopToBottom if narrow else side)
        wrap = QFormLayout.RowWrapPolicy
        for form in self._forms:  # narrower still: labels above their fields
            form.setRowWrapPolicy(wrap.WrapLongRows if narrow else wrap.DontWrapRows)

    def _clear_errors_on_edit(self) -> None:
        """A field's message goes as soon as that field is changed: it spoke of the old value."""
        signals = {
            "name": self.name.textEdited,
            "organization": self.organization.textEdited,
            "role": self.role.textEdited,
            "how_met": self.how_met.textEdited,
            "life_phases": self.life_phases.textEdited,
            "circle": self.circle.activated,
            "closeness": self.closeness.activated,
            "mutuality": self.mutuality.activated,
            "interests": self.interests.textChanged,
            "needs": self.needs.textChanged,
            "offers": self.offers.textChanged,
            "notes": self.notes.textChanged,
            "met_on": self.met_on.dateChanged,
            "cadence_days": self.cadence.valueChanged,
            "emails": self.emails.edited,
            "phones": self.phones.edited,
            "urls": self.urls.edited,
            "addresses": self.addresses.edited,
            "birthday": self.birthday.textEdited,
            "dates": self.dates.edited,
            "tags": self.tags.textEdited,
        }
        for field, signal in signals.items():
            if field in self.errors:
                signal.connect(lambda *_a, f=field: self.errors[f].show_message(None))
        if "met_on" in self.errors:
            self.met_on_known.clicked.connect(lambda *_a: self.errors["met_on"].show_message(None))

    def _para_changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _maybe_edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _cadence_hint(self) -> None:
        default = DEFAULT_CADENCE_DAYS.get(self.closeness.currentData() or 3, 90)
        self.cadence.setSpecialValueText(self.tr("default ({days} days)").format(days=default))

    def reload_circles(self) -> None:
        current = self.circle.currentData()
        self.circle.clear()
        for c in self.store.circles(include_retired=True):
            if c.retired and c.key != current:
                continue
            self.circle.addItem(c.label + (" (retired)" if c.retired else ""), c.key)
        idx = self.circle.findData(current)
        if idx >= 0:
            self.circle.setCurrentIndex(idx)

    def load(self, p: Person) -> None:
        self._loading = True
        try:
            if self.circle.findData(p.circle) < 0:
                self.circle.addItem(p.circle, p.circle)
            self.name.setText(p.name)
            self.circle.setCurrentIndex(self.circle.findData(p.circle))
            self.organization.setText(p.organization)
            self.role.setText(p.role)
            self.how_met.setText(p.how_met)
            self.met_on_known.setChecked(p.met_on is not None)
            self.met_on.setEnabled(p.met_on is not None)
            if p.met_on:
                self.met_on.set_value(p.met_on)
            self.life_phases.setText(", ".join(p.life_phases))
            self.closeness.setCurrentIndex(max(self.closeness.findData(p.closeness), 0))
            self.mutuality.setCurrentIndex(max(self.mutuality.findData(p.mutuality), 0))
            self.cadence.setValue(p.cadence_days or 0)
            self.interests.setPlainText(p.interests)
            self.needs.setPlainText(p.needs)
            self.offers.setPlainText(p.offers)
            self.notes.setPlainText(p.notes)
            self.emails.set_values([(d.label, [d.value]) for d in p.emails])
            self.phones.set_values([(d.label, [d.value]) for d in p.phones])
            self.urls.set_values([(d.label, [d.value]) for d in p.urls])
            self.addresses.set_values(
                [
                    (a.label, [a.street, a.postcode, a.locality, a.region, a.country])
                    for a in p.addresses
                ]
            )
            self.birthday.setText(p.birthday or "")
            self.dates.set_values([(d.label, [d.date]) for d in p.dates])
            self._dates_before = list(p.dates)
            self.tags.setText(", ".join(p.tags))
            self._cadence_hint()
        finally:
            self._loading = False
        self.show_errors(None, "")

    def build(self, base: Person) -> Person:
        if not self.compact:
            base = replace(
                base,
                emails=to_details(self.emails),
                phones=to_details(self.phones),
                urls=to_details(self.urls),
                addresses=to_addresses(self.addresses),
                birthday=self.birthday.text().strip() or None,
                dates=to_dates(self.dates, self._dates_before),
                tags=list(
                    dict.fromkeys(t.strip() for t in self.tags.text().split(",") if t.strip())
                ),
            )
        return replace(
            base,
            name=self.name.text().strip(),
            circle=self.circle.currentData() or "other",
            organization=self.organization.text().strip(),
            role=self.role.text().strip(),
            how_met=self.how_met.text().strip(),
            met_on=self.met_on.value() if self.met_on_known.isChecked() else None,
            life_phases=[s.strip() for s in self.life_phases.text().split(",") if s.strip()],
            closeness=self.closeness.currentData(),
            mutuality=self.mutuality.currentData(),
            cadence_days=self.cadence.value() or None,
            interests=self.interests.toPlainText().strip(),
            needs=self.needs.toPlainText().strip(),
            offers=self.offers.toPlainText().strip(),
            notes=self.notes.toPlainText().strip(),
        )

    def show_errors(self, field: str | None, message: str) -> bool:
        """Show ``message`` under ``field``; False if the field is not on this form."""
        for label in self.errors.values():
            label.show_message(None)
        if field in self.errors and message:
            self.errors[field].show_message(message)
            return True
        return not message


def store_today():
    from datetime import date

    return date.today()
