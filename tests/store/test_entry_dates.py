"""Entry dates the store refuses: a year before 1900 is a typo, whatever wrote it."""

from __future__ import annotations

from datetime import date

import pytest

from ties.model import Entry, Person
from ties.store import Store, ValidationError


def test_an_entry_before_1900_is_refused_and_nothing_is_written(store: Store) -> None:
    ben = store.add_person(Person(name="Ben"))
    assert ben.id is not None
    with pytest.raises(ValidationError, match="1900") as err:
        store.add_entry(Entry(date=date(26, 1, 5), person_ids=[ben.id]))
    assert err.value.field == "date"
    assert store.count_entries() == 0
    kept = store.add_entry(Entry(date=date(1900, 1, 1), person_ids=[ben.id]))
    assert kept.id is not None
