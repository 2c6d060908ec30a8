"""The layering rule: store, analysis, io and the command line never load Qt."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import ties

SRC = Path(ties.__file__).resolve().parent
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2"}


def _non_ui_modules() -> list[str]:
    names = []
    for m in pkgutil.walk_packages([str(SRC)], prefix="ties."):
        if m.name == "ties.ui" or m.name.startswith("ties.ui.") or m.name.endswith("__main__"):
            continue
        names.append(m.name)
    return sorted(names)


def test_no_qt_import_statements_outside_ui() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "ui" in path.relative_to(SRC).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            if roots & QT_ROOTS:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_importing_every_non_ui_module_loads_no_qt() -> None:
    """Import them all in a fresh interpreter and look at sys.modules."""
    modules = _non_ui_modules()
    assert "ties.store" in modules and "ties.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(r for r in {sorted(QT_ROOTS)!r} if r in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ui_never_writes_sql() -> None:
    """SQL belongs to the store: no SQL statements in the ui package."""
    import re

    pattern = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|\.execute\()", re.I)
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "ui").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at any depth (lazy imports inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _importers_of(package: str, layer: str) -> list[str]:
    return sorted(
        str(p.relative_to(SRC))
        for p in (SRC / package).rglob("*.py")
        if any(m == layer or m.startswith(layer + ".") for m in _imported_modules(p))
    )


def test_ui_never_imports_cli() -> None:
    """The window's shared use cases live in ties.app; only the cli may open the window."""
    assert _importers_of("ui", "ties.cli") == []


def test_app_imports_neither_ui_nor_cli() -> None:
    """ties.app is under both adapters: it may not reach back up into either."""
    assert _importers_of("app", "ties.ui") == []
    assert _importers_of("app", "ties.cli") == []
