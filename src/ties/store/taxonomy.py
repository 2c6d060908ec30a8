"""The journal's own vocabularies: circles of people and types of support."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ties.model import FAMILIES, Circle, SupportType, now_stamp
from ties.store.columns import Columns
from ties.store.core import StoreCore
from ties.store.errors import InUseError, NotFoundError, ValidationError
from ties.store.search import fold

CIRCLES = Columns("circles", ("key", "label", "position", "retired"))
SUPPORT_TYPES = Columns(
    "support_types", ("key", "label", "family", "question", "position", "retired")
)

# ----------------------------------------------------------------------- circles


_CIRCLE_FIELDS = CIRCLES.getter("key", "label", "position", "retired")


def _circle_from_row(r: Sequence[Any]) -> Circle:
    key, label, position, retired = _CIRCLE_FIELDS(r)
    return Circle(key=key, label=label, position=position, retired=bool(retired))


def circles(store: StoreCore, include_retired: bool = False) -> list[Circle]:
    sql = f"SELECT {CIRCLES.select()} FROM circles"
    if not include_retired:
        sql += " WHERE retired = 0"
    rows = store.conn.execute(sql + " ORDER BY position, key").fetchall()
    return [_circle_from_row(r) for r in rows]


def save_circle(store: StoreCore, circle: Circle) -> None:
    """Add a circle, or rename / reorder / retire an existing one."""
    key = _slug(circle.key)
    if not key:
        raise ValidationError("A circle needs a key of letters, digits or _.", "key")
    if not circle.label.strip():
        raise ValidationError("A circle needs a name.", "label")
    _refuse_taken_label(
        "circle", key, circle.label, [(c.key, c.label) for c in circles(store, True)]
    )
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO circles (key, label, position, retired) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET label = excluded.label, "
            "position = excluded.position, retired = excluded.retired",
            (key, circle.label.strip(), circle.position, int(circle.retired)),
        )


def delete_circle(store: StoreCore, key: str) -> None:
    """Delete an unused circle; a circle people are in is refused (retire it instead)."""
    n = store.conn.execute("SELECT count(*) FROM people WHERE circle = ?", (key,)).fetchone()[0]
    if n:
        raise InUseError(
            f"{n} people are in the circle '{key}'; move them or retire the circle instead.",
            n,
        )
    with store.transaction() as conn:
        if not conn.execute("DELETE FROM circles WHERE key = ?", (key,)).rowcount:
            raise NotFoundError(f"There is no circle '{key}'.")


# ----------------------------------------------------------------- support types


_TYPE_FIELDS = SUPPORT_TYPES.getter("key", "label", "family", "question", "position", "retired")


def _support_type_from_row(r: Sequence[Any]) -> SupportType:
    key, label, family, question, position, retired = _TYPE_FIELDS(r)
    return SupportType(
        key=key,
        label=label,
        family=family,
        question=question,
        position=position,
        retired=bool(retired),
    )


def support_types(store: StoreCore, include_retired: bool = False) -> list[SupportType]:
    if store._type_cache is None:
        rows = store.conn.execute(
            f"SELECT {SUPPORT_TYPES.select()} FROM support_types ORDER BY family, position, key"
        ).fetchall()
        store._type_cache = [_support_type_from_row(r) for r in rows]
    return [t for t in store._type_cache if include_retired or not t.retired]


def forget_types(store: StoreCore) -> None:
    """Drop the kept list of support types: another connection (a sync) may have written."""
    store._type_cache = None


def support_type(store: StoreCore, key: str) -> SupportType:
    for t in support_types(store, include_retired=True):
        if t.key == key:
            return t
    raise NotFoundError(unknown_type_message(store, key))


def unknown_type_message(store: StoreCore, key: str) -> str:
    valid = ", ".join(t.key for t in support_types(store))
    return f"Unknown support type '#{key}'. Valid types: {valid}."


def save_support_type(store: StoreCore, st: SupportType) -> None:
    """Add a support type or change its label, family, question, order or retirement."""
    key = _slug(st.key)
    if not key:
        raise ValidationError("A support type needs a key of letters, digits or _.", "key")
    if not st.label.strip():
        raise ValidationError("A support type needs a label.", "label")
    _refuse_taken_label(
        "support type", key, st.label, [(t.key, t.label) for t in support_types(store, True)]
    )
    if st.family not in FAMILIES:
        raise ValidationError("The family must be instrumental or psychosocial.", "family")
    stamp = now_stamp()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO support_types (key, label, family, question, position, retired, "
            "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "label = excluded.label, family = excluded.family, question = excluded.question,"
            " position = excluded.position, retired = excluded.retired, "
            "updated = excluded.updated",
            (
                key,
                st.label.strip(),
                st.family,
                st.question.strip(),
                st.position,
                int(st.retired),
                stamp,
                stamp,
            ),
        )
        store._type_cache = None


def delete_support_type(store: StoreCore, key: str) -> None:
    """Delete an unused support type; one that entries carry is refused (retire it)."""
    n = store.conn.execute(
        "SELECT count(*) FROM entry_support WHERE type_key = ?", (key,)
    ).fetchone()[0]
    if n:
        label = next((t.label for t in support_types(store, True) if t.key == key), key)
        raise InUseError(
            f"{n:,} entries carry '{label}' (#{key}); retire the support type instead of "
            "deleting it.",
            n,
        )
    with store.transaction() as conn:
        if not conn.execute("DELETE FROM support_types WHERE key = ?", (key,)).rowcount:
            raise NotFoundError(f"There is no support type '{key}'.")
        store._type_cache = None


def _refuse_taken_label(what: str, key: str, label: str, rows: list[tuple[str, str]]) -> None:
    """Two circles (or types) that read the same are one too many: checkboxes and menus would
    show the name twice. Case and accents are ignored, and a label may not be another's key."""
    want, want_slug = fold(label), _slug(fold(label))
    for other_key, other_label in rows:
        if other_key == key:
            continue
        if fold(other_label) == want or other_key == want_slug:
            raise ValidationError(
                f"Another {what} is already called '{other_label}'; choose another name.", "label"
            )


def _slug(key: str) -> str:
    import re

    return re.sub(r"[^a-z0-9_]+", "_", key.strip().lower()).strip("_")
