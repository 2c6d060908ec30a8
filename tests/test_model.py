"""The shared field list matches the dataclass it names, so no copy can drift from it."""

from __future__ import annotations

from dataclasses import fields

from ties.model import PROFILE_FIELDS, Person


def test_profile_fields_are_person_fields_in_order() -> None:
    names = [f.name for f in fields(Person)]
    assert list(PROFILE_FIELDS) == names[names.index("circle") : names.index("archived")]
    assert "name" not in PROFILE_FIELDS
