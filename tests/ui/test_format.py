"""The window's "how long ago" is the analysis layer's wording, so one person reads the same."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ties.analysis.map_layout import MapPerson
from ties.analysis.render import ago_words
from ties.ui import format as fmt
from ties.ui.map_card import card_html

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize("days", [-2, 0, 1, 13, 45, 200, 800])
def test_window_ago_is_the_analysis_wording(days: int) -> None:
    assert fmt.ago(TODAY - timedelta(days=days), TODAY) == ago_words(days)


def test_window_ago_never() -> None:
    assert fmt.ago(None, TODAY) == "never"


def test_map_card_says_how_long_ago_in_the_same_words() -> None:
    when = TODAY - timedelta(days=45)
    person = MapPerson(id=1, name="Ana", circle="friends", closeness=3, last_contact=when)
    html = card_html(person, "Friends", TODAY, [], 365)
    assert f"({ago_words(45)})" in html
    assert "(6 weeks ago)" in html
