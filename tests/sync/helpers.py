"""Journals and exports for the sync tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ties.io.export_json import write_json
from ties.store import Store


def content(store: Store) -> dict[str, Any]:
    """The JSON export without its time stamp, people and entries in uuid order (a
    journal's row ids, and so its export order, differ between devices)."""
    out = io.StringIO()
    write_json(store, out, exported="-")
    data = json.loads(out.getvalue())
    data["people"].sort(key=lambda p: p["uuid"])
    data["entries"].sort(key=lambda e: e["uuid"])
    return data


def journals(tmp: Path, n: int) -> list[Store]:
    return [Store.open(tmp / f"device{i}.ties") for i in range(n)]
