"""``ties --screenshots DIR``: a PNG of each place, for the README and to review the look."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from ties.store import PeopleFilter
from ties.ui.main_window import MainWindow

SIZE = (1280, 800)


#: What the screenshots show typed into the quick-add line and the search box: sample
#: input in the quick-add grammar (not translated), not text of the window.
SAMPLE_QUICK_ADD = 'received #career_guidance from @"Ana Ruiz" yesterday w2: advice on the offer'
SAMPLE_SEARCH = "ana"


def _settle(ms: int = 250) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def take_all(window: MainWindow, folder: Path, suffix: str = "") -> list[Path]:
    """Show each place, grab the window, save ``<place><suffix>.png``; then quit."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    saved: list[Path] = []

    def grab(name: str) -> None:
        _settle()
        path = folder / f"{name}{suffix}.png"
        window.grab().save(str(path))
        saved.append(path)

    for place in ("today", "journal", "people", "coverage", "map"):
        window.show_place(place)
        if place == "people":
            grab("people")
            busiest = window.ctx.store.list_people(
                PeopleFilter(closeness=5), order="last_contact", descending=True, limit=1
            ) or window.ctx.store.list_people(limit=1)
            if busiest and busiest[0].id is not None:
                window.people_place().show_person(busiest[0].id)
            grab("person")
            page = window.people_place().page
            page.tabs.setCurrentIndex(1)  # the profile: details, dates, tags, links, notes
            grab("person-profile")
            page.tabs.setCurrentIndex(0)
            continue
        if place == "journal":
            window.journal_place().quick_add.line.setText(SAMPLE_QUICK_ADD)
        grab(place)
        if place == "journal":
            window.journal_place().quick_add.line.clear()
    window.search.start()
    window.search.query.setText(SAMPLE_SEARCH)
    _settle(600)
    window.search.grab().save(str(folder / f"search{suffix}.png"))
    window.search.hide()
    window.close()
    QApplication.quit()
    return saved
