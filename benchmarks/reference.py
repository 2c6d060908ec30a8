"""The benchmark journals: built once with ``write_demo`` and cached under ``.cache/``.

The cache file name carries the scale, the seed and the schema version, so a
journal built by an older schema is rebuilt rather than migrated (migrating
sets a copy aside, which would skew the first measures). Next to each journal
a small JSON file records how long building it took and when.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 7


@dataclass(frozen=True)
class Scale:
    name: str
    people: int
    entries: int


SCALES = {
    "tiny": Scale("tiny", 200, 20_000),
    "small": Scale("small", 2_000, 100_000),
    "reference": Scale("reference", 10_000, 1_000_000),
}
#: The map's pan and zoom target is stated for 300 people.
MAP_300 = Scale("map300", 300, 6_000)


@dataclass
class Built:
    """A cached journal and how it came to be."""

    path: Path
    scale: Scale
    seconds: float  # time write_demo took
    built_now: bool  # built in this run (else read from the cache)
    built_on: str  # ISO date of the build (also the demo's "today")


def journal(scale: Scale, cache: Path = CACHE, *, rebuild: bool = False) -> Built:
    """The cached journal for ``scale``, building it first when missing."""
    from ties.demo import write_demo
    from ties.store import schema

    cache.mkdir(parents=True, exist_ok=True)
    stem = f"{scale.name}-s{SEED}-v{schema.SCHEMA_VERSION}"
    path = cache / f"{stem}.ties"
    meta = cache / f"{stem}.json"
    if path.exists() and meta.exists() and not rebuild:
        info = json.loads(meta.read_text())
        return Built(path, scale, info["seconds"], False, info["built_on"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    today = date.today()
    t0 = time.perf_counter()
    write_demo(path, people=scale.people, entries=scale.entries, seed=SEED, today=today).close()
    seconds = time.perf_counter() - t0
    meta.write_text(json.dumps({"seconds": seconds, "built_on": today.isoformat()}))
    return Built(path, scale, seconds, True, today.isoformat())


def busiest_person(conn, near: int = 5_000) -> tuple[int, int]:
    """(id, entries) of the person whose entry count is closest to ``near``."""
    row = conn.execute(
        "SELECT person_id, count(*) AS n FROM entry_people GROUP BY person_id "
        "ORDER BY abs(count(*) - ?) LIMIT 1",
        (near,),
    ).fetchone()
    return int(row[0]), int(row[1])
