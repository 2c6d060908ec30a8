"""Journal settings are declared once (``ties.store.settings``) and read with their defaults."""

from __future__ import annotations

import ast
from pathlib import Path

import ties
from ties.store import Store
from ties.store import settings as registry


def test_an_unset_setting_reads_as_its_declared_default(store: Store) -> None:
    assert store.get_setting("backup_rotation") == {"daily": 7, "weekly": 4, "monthly": 12}
    assert store.get_setting("my_offers") == ""
    assert store.get_setting("cadence_days") == {}
    assert store.get_setting("my_offers", None) is None  # "not set" can still be asked
    assert store.get_setting("not declared") is None


def test_a_default_is_a_fresh_copy(store: Store) -> None:
    store.get_setting("backup_rotation")["daily"] = 99
    assert store.get_setting("backup_rotation")["daily"] == 7


def test_a_stored_value_wins(store: Store) -> None:
    store.set_setting("my_offers", "gardening")
    assert store.get_setting("my_offers") == "gardening"


def test_declared_defaults_have_their_type() -> None:
    for s in registry.SETTINGS:
        assert isinstance(s.default, s.type), s.key
        assert s.label and s.group


def test_every_setting_the_code_names_is_declared() -> None:
    """A ``get_setting("…")``/``set_setting("…")`` with a literal key names a declared setting."""
    src = Path(ties.__file__).resolve().parent
    named = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"get_setting", "set_setting"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                named.add(node.args[0].value)
    assert named and named <= set(registry.BY_KEY)
