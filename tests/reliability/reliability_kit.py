"""Helpers the reliability tests share: dumping a journal, running the real CLI.

The name is unusual on purpose: test folders have no ``__init__.py``, so a
helper module name must not clash with another folder's.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_JOURNALS = ROOT / "tests" / "fixtures" / "journals"
SCRIPTS = ROOT / "scripts"


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (the long-run commands share their code with the tests)."""
    path = SCRIPTS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"ties_script_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def dump_rows(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every table but the derived search indices, read-only, sorted."""
    return load_script("make_fixture_journal").dump_rows(path)


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` rows of a file, opened read-only."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def child_env(home: Path) -> dict[str, str]:
    """Environment for a child ``ties`` process: its own TIES_HOME, the source tree importable."""
    env = dict(os.environ)
    env["TIES_HOME"] = str(home)
    env.pop("TIES_DB", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def as_json(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
