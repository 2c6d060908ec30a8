"""The layering rules: store, analysis, io and the command line never load Qt; the
store imports no layer above it; no module imports itself through others."""

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


# ------------------------------------------------------------------ the import graph


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, *, type_checking: bool) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, in functions too; ``if TYPE_CHECKING:`` bodies
    only when ``type_checking`` (they never run)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            if type_checking:
                for child in node.body:
                    visit(child)
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(*, type_checking: bool = False) -> dict[str, set[str]]:
    """Module → the ties modules it imports, read from the source with ``ast``.

    ``from ties.store import people`` imports the submodule ``ties.store.people``;
    ``from ties.store import Store`` imports the package ``ties.store``. The parent
    packages Python runs first are not counted: every submodule would otherwise be in
    a circle with a package whose ``__init__`` imports from it.
    """
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in _imports(tree, type_checking=type_checking):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in paths else base)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle (a path back to its start) for every strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            connect(v)
    circles = []
    for component in components:
        start = min(component)
        # Shortest way back to the start within the component (breadth first).
        came_from: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in came_from:
            following = []
            for v in frontier:
                for w in sorted(graph[v] & component):
                    if w not in came_from:
                        came_from[w] = v
                        following.append(w)
            frontier = following
        path = [start]
        v = came_from[start]
        while v != start:
            path.append(v)
            v = came_from[v]
        path.append(start)
        path.reverse()
        circles.append(path)
    return circles


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert _circles(graph) == [["a", "b", "c", "a"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_submodules_functions_and_not_type_checking() -> None:
    graph = import_graph()
    assert "ties.store.people" in graph["ties.store.journal"]  # from ties.store import people
    assert "ties.store" in graph["ties.cli.common"]  # from ties.store import Store
    # The window totals name StoreCore only under TYPE_CHECKING:
    assert "ties.store.core" not in graph["ties.store.window_totals"]
    assert "ties.store.core" in import_graph(type_checking=True)["ties.store.window_totals"]


def test_no_import_circles() -> None:
    """Modules form layers: following imports never leads back to where it started."""
    circles = _circles(import_graph())
    assert circles == [], "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_store_never_imports_the_layers_above_it() -> None:
    """The store is the bottom layer: it knows no analysis, io, app, cli or ui."""
    above = ("ties.analysis", "ties.io", "ties.app", "ties.cli", "ties.ui")
    graph = import_graph(type_checking=True)
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module == "ties.store" or module.startswith("ties.store.")
        for target in targets
        if target.startswith(above)
    )
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
