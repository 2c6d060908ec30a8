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


#: Files outside ``store/`` allowed to run SQL, and why.
SQL_OUTSIDE_STORE = {
    # Checks a file that is not (yet) a journal: a backup or a file to restore is
    # opened on its own connection, read-only, before any Store may touch it.
    "io/backup.py": "the untrusted-file checks of a backup before it is restored",
}


def test_only_the_store_runs_sql() -> None:
    """Every statement lives in ``store/``: no ``.execute(`` or ``.conn`` anywhere else."""
    import re

    pattern = re.compile(r"\.execute\(|\.executemany\(|\.executescript\(|\.conn\b")
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("store/") or rel in SQL_OUTSIDE_STORE:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
    assert all((SRC / rel).exists() for rel in SQL_OUTSIDE_STORE)  # no stale exception
