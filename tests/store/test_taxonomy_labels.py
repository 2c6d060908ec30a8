"""Two circles or support types may not read the same: the store refuses the second."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ties.model import Circle, SupportType
from ties.store import ValidationError


def test_a_support_type_label_another_type_has_is_refused_ignoring_case_and_accents(store):
    first, second = store.support_types()[:2]
    store.save_support_type(SupportType("confidant", "Confidant", "psychosocial", "", 99))
    before = store.support_types(include_retired=True)
    for label in ("Confidant", "confidant", "CONFÍDANT", f"  {first.label.upper()} "):
        with pytest.raises(ValidationError) as err:
            store.save_support_type(replace(second, label=label))
        assert err.value.field == "label"
    assert store.support_types(include_retired=True) == before
    with pytest.raises(ValidationError, match="already called"):  # another type's key
        store.save_support_type(replace(second, label=first.key.replace("_", " ")))
    store.save_support_type(replace(second, label=second.label.upper()))  # one's own: fine
    assert store.support_type(second.key).label == second.label.upper()


def test_a_circle_name_another_circle_has_is_refused(store):
    work = next(c for c in store.circles() if c.key == "work")
    store.save_circle(Circle("club", "Book club", 50))
    with pytest.raises(ValidationError, match="already called 'Book club'"):
        store.save_circle(replace(work, label="book CLUB"))
    with pytest.raises(ValidationError):
        store.save_circle(Circle("club_2", "Böok club", 51))
    assert [c.label for c in store.circles() if c.key == "work"] == [work.label]
