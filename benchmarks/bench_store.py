"""Benchmarks below the window: store queries, search, quick-add, analyses, backup, export.

Each function takes the open store (and the run's options) and returns rows.
Analyses that have not landed yet report "not available".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from harness import Row, guarded, info, median, ms, percentile, runs, timed, under

from ties.store import EntryFilter, Store, entry_query

#: 20 queries as someone types them: names, then words from notes.
SEARCHES = (
    "a",
    "an",
    "ana",
    "ana r",
    "ana ruiz",
    "b",
    "be",
    "ben",
    "ben ok",
    "boss",
    "feed",
    "feedback",
    "lis",
    "lisbon",
    "hiring man",
    "cv",
    "mat",
    "mateo",
    "kraków",
    "career move",
)

COVERAGE_RAW_SQL = """
SELECT s.type_key, ep.person_id, count(*)
FROM entries e
JOIN entry_support s ON s.entry_id = e.id
JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.date > ? AND e.date <= ? AND e.direction IN ('received', 'mutual')
GROUP BY s.type_key, ep.person_id
"""

TIMELINE_RAW_SQL = """
SELECT substr(ep.date, 1, 7) AS month, e.direction, sum(e.weight)
FROM entry_people ep JOIN entries e ON e.id = ep.entry_id
WHERE ep.person_id = ?
GROUP BY month, e.direction
"""

TODAY_RAW_SQL = """
SELECT ep.person_id, e.direction, sum(e.weight), max(ep.date)
FROM entry_people ep JOIN entries e ON e.id = ep.entry_id
WHERE ep.date > ? AND ep.date <= ?
GROUP BY ep.person_id, e.direction
"""


def journal_list(store: Store, repeat: int) -> list[Row]:
    """The queries behind the journal list, as the store runs them for the model."""
    area = "journal list (store)"
    rows: list[Row] = []
    total = store.count_entries()
    sql, args = entry_query.count_sql(EntryFilter())
    rows.append(
        info(
            area,
            "count all entries from scratch",
            median(runs(lambda: store.conn.execute(sql, args).fetchone(), repeat)),
            "once per connection, or after another connection wrote",
        )
    )
    rows.append(
        info(area, "count all entries, kept total", median(runs(store.count_entries, repeat)))
    )
    rows.append(
        info(area, "first page by date", median(runs(lambda: store.list_entries(), repeat)))
    )
    last = max(0, total - 200)
    rows.append(
        info(
            area,
            "last page by date",
            median(runs(lambda: store.list_entries(offset=last, total=total), repeat)),
        )
    )
    rows.append(
        info(
            area,
            "middle page by date",
            median(runs(lambda: store.list_entries(offset=total // 2, total=total), repeat)),
        )
    )
    for label, off in (("first", 0), ("last", last)):
        rows.append(
            info(
                area,
                f"{label} page by person",
                median(
                    runs(
                        lambda off=off: store.list_entries(order="person", offset=off, total=total),
                        repeat,
                    )
                ),
            )
        )
    key = common_support_type(store)
    f = EntryFilter(support_type=key)
    n = store.count_entries(f)
    rows.append(
        info(area, "count one support type", median(runs(lambda: store.count_entries(f), repeat)))
    )

    def middle_on_a_new_connection() -> None:
        with Store.open(store.path, check=False) as fresh:
            fresh.list_entries(f, offset=n // 2, total=n)

    rows.append(
        info(
            area,
            "middle page of one support type, first asked",
            median(runs(middle_on_a_new_connection, repeat)),
            "a new connection: sorts the matches once",
        )
    )
    for label, off in (("first", 0), ("last", max(0, n - 200)), ("next middle", n // 2 + 200)):
        rows.append(
            info(
                area,
                f"{label} page of one support type",
                median(runs(lambda off=off: store.list_entries(f, offset=off, total=n), repeat)),
                f"'{key}', {n:,} entries",
            )
        )
    return rows


def common_support_type(store: Store) -> str:
    """A psychosocial type carried by a few percent of entries (the brief's 'confidant')."""
    keys = [t.key for t in store.support_types()]
    return "confidant" if "confidant" in keys else keys[0]


def search(store: Store, repeat: int) -> list[Row]:
    area = "search"
    per_query = [median(runs(lambda q=q: store.search(q, 40), repeat)) for q in SEARCHES]
    worst = max(zip(per_query, SEARCHES, strict=True))
    p95 = percentile(per_query, 95)
    return [
        info(area, f"p50 of {len(SEARCHES)} queries as you type", percentile(per_query, 50)),
        under(
            area,
            f"p95 of {len(SEARCHES)} queries as you type",
            p95,
            30,
            f"slowest: '{worst[1]}' {ms(worst[0])}",
        ),
    ]


def quick_add(store: Store, repeat: int) -> list[Row]:
    """Parse and commit one line, as the quick-add does (the entries are deleted after)."""
    from ties import quickadd

    area = "quick-add"
    text = 'received meeting #encouragement from @"Ana Ruiz" yesterday: talked about the new job'
    saved: list[int] = []

    def once() -> None:
        q = quickadd.parse(text, date.today(), {t.key for t in store.support_types()})
        quickadd.preview(store, q)
        result = quickadd.save(store, q)
        saved.append(result.entry.id)

    # About a millisecond each: at least 15 runs, so that one slow fsync or a first write
    # into a fresh WAL page does not decide the median (it did with 3).
    times = max(repeat, 15)
    try:
        parse_only = median(
            runs(
                lambda: quickadd.parse(text, date.today(), {t.key for t in store.support_types()}),
                times,
            )
        )
        both = median(runs(once, times))
    finally:
        for eid in saved:
            store.delete_entry(eid)
    return [
        info(area, "parse", parse_only),
        under(area, "parse + commit one entry", both, 5, "synchronous=FULL, WAL: one fsync"),
    ]


def coverage(store: Store, repeat: int, as_of: date) -> list[Row]:
    """Coverage as the window sees it, for any window: after logging an entry, a day later,
    far away, short and long, on a journal open read-only.

    Schema v7 keeps sums per month, year and all time (triggers on every write), so
    every window reads a few kept periods and the days at its ends; none is moved or
    kept, and a read-only journal reads the same sums. Each window is timed as the
    Coverage place first asks for it (``compute_coverage(...).with_lists()``).
    """
    from ties.analysis import coverage as cov
    from ties.model import Entry
    from ties.store import coverage_reads

    compute_coverage = cov.compute_coverage
    area = "coverage"
    start = as_of.fromordinal(as_of.toordinal() - 365)
    window = {"start": start.isoformat(), "as_of": as_of.isoformat()}
    sql = getattr(coverage_reads, "PROVIDER_SQL", COVERAGE_RAW_SQL)  # the store's own read
    if sql is COVERAGE_RAW_SQL:
        window = (window["start"], window["as_of"])  # type: ignore[assignment]

    def place(s: Store, day: date, days: int = 365) -> None:
        s._window_memo = None  # as first asked: not the sums the last run left in memory
        try:  # as the Coverage place asks (it shows only what people gave)
            compute_coverage(s, day, days, given=False).with_lists()
        except TypeError:  # an older build: every sum
            compute_coverage(s, day, days).with_lists()

    pid = store.conn.execute("SELECT min(id) FROM people WHERE archived = 0").fetchone()[0]
    logged: list[int] = []
    after_entry: list[float] = []
    try:
        for _ in range(repeat + 1):
            entry = store.add_entry(
                Entry(
                    date=as_of,
                    person_ids=[pid],
                    direction="mutual",
                    support_types=["confidant", "expertise"],
                    weight=2,
                )
            )
            assert entry.id is not None
            logged.append(entry.id)
            after_entry.append(timed(lambda: compute_coverage(store, as_of, 365))[0])
    finally:
        for eid in logged:
            store.delete_entry(eid)
    took = median(after_entry[1:])
    next_day = as_of.fromordinal(as_of.toordinal() + 1)

    def next_day_first() -> None:
        store._window_memo = None
        compute_coverage(store, next_day, 365)

    moved = median(runs(next_day_first, repeat))
    # Windows unlike the default one, each as first asked for (nothing is kept per window).
    far = as_of.fromordinal(as_of.toordinal() - 200)
    mid_year = date(as_of.year - 1, 6, 15) if as_of.month < 7 else date(as_of.year, 6, 15)
    years_ago = as_of.replace(year=as_of.year - 3)
    others = [
        ("a 365-day window 200 days away", far, 365),
        (f"a 365-day window ending {mid_year} (mid-year: the most months)", mid_year, 365),
        (f"a 365-day window ending {years_ago} (3 years ago)", years_ago, 365),
        ("the last 30 days", as_of, 30),
        ("all time (100 years)", as_of, 36_525),
    ]
    rows = []
    for label, day, days in others:
        figure = median(runs(lambda d=day, n=days: place(store, d, n), repeat))
        rows.append(under(area, f"Coverage place, {label}", figure, 250, "with its lists"))
    with Store.open(store.path, readonly=True, check=False) as ro:
        read_only = median(runs(lambda: place(ro, as_of), repeat))
        read_only_far = median(runs(lambda: place(ro, far), repeat))
    # The raw aggregate last: its 2 s of sorting in memory left the allocator fragmented
    # for the measures after it (an encrypted journal's large page cache most).
    raw = median(runs(lambda: store.conn.execute(sql, window).fetchall(), repeat))
    result = compute_coverage(store, as_of, 365)
    to_json = median(runs(result.to_json, repeat))
    cells = sum(len(t.providers) + len(t.given_to) for t in result.support_types)
    ratio = took / raw if raw else 0.0
    return [
        under(
            area,
            "compute_coverage, 365-day window, after logging an entry",
            took,
            200,
            "the kept sums updated by the store's triggers",
        ),
        under(area, "compute_coverage, the next day", moved, 200, "no window is kept or moved"),
        *rows,
        under(area, "Coverage place on a read-only journal", read_only, 250, "with its lists"),
        under(
            area,
            "Coverage place on a read-only journal, 200 days away",
            read_only_far,
            250,
            "with its lists",
        ),
        info(area, "to_json of the result", to_json, f"{cells:,} provider and given-to cells"),
        info(area, "raw SQL aggregate (provider table)", raw),
        Row(area, "ratio to raw SQL", f"{ratio:.2f}×", "≤ 3×", ratio <= 3),
    ]


def timeline(store: Store, repeat: int, as_of: date) -> list[Row]:
    from reference import busiest_person

    from ties.analysis.reciprocity import timeline as person_timeline

    area = "timeline"
    pid, n = busiest_person(store.conn, 5_000)
    raw = median(runs(lambda: store.conn.execute(TIMELINE_RAW_SQL, (pid,)).fetchall(), repeat))
    took = median(runs(lambda: person_timeline(store, pid, as_of), repeat))
    return [
        under(area, f"one person's timeline ({n:,} entries)", took, 50),
        info(area, "raw SQL: monthly sums for that person", raw, f"ratio {took / raw:.2f}×"),
    ]


def today(store: Store, repeat: int, as_of: date) -> list[Row]:
    from ties.analysis.today import today_items

    area = "Today"
    start = as_of.fromordinal(as_of.toordinal() - 365)
    raw = median(
        runs(
            lambda: store.conn.execute(
                TODAY_RAW_SQL, (start.isoformat(), as_of.isoformat())
            ).fetchall(),
            repeat,
        )
    )

    def first_look() -> list:
        store._window_memo = None  # as a new process would: no sums left in memory
        return today_items(store, as_of)

    took, items = timed(first_look)
    took = median([took, *runs(first_look, repeat, warmup=0)])
    people = store.count_people()
    return [
        under(area, f"Today list for all {people:,} people", took, 300, f"{len(items)} items"),
        info(area, "raw SQL: window sums per person", raw, f"ratio {took / raw:.2f}×"),
    ]


def backup(store: Store, repeat: int) -> list[Row]:
    """Our backup against ``sqlite3 .backup`` of the same file, in interleaved pairs.

    Both write the whole file, so the disk's write-back of one run slows the
    next: the target is judged on the median of the per-pair ratios, with the
    smallest and largest shown.
    """
    from ties.io import backup as backups
    from ties.io import backup_checks

    area = "backup"
    pairs = max(5, repeat)
    folder = Path(tempfile.mkdtemp(prefix="ties-bench-backup-"))
    try:
        # The sqlite3 shell cannot read an encrypted journal: no baseline then.
        cli = None if getattr(store, "encrypted", False) else shutil.which("sqlite3")
        counter = iter(range(1000))
        made: list[Path] = []

        def sqlite_backup() -> None:
            target = folder / "cli.ties"
            target.unlink(missing_ok=True)
            subprocess.run(
                [cli or "sqlite3", str(store.path), f".backup '{target}'"],
                check=True,
                capture_output=True,
            )

        def ours() -> None:
            if made:  # one copy on disk at a time
                made[-1].unlink(missing_ok=True)
            made.append(backups.backup(store, folder / f"ours-{next(counter)}.ties", kind="manual"))

        raws: list[float] = []
        tooks: list[float] = []
        for _ in range(pairs if cli else max(1, repeat // 2)):
            if cli:
                raws.append(timed(sqlite_backup)[0])
            tooks.append(timed(ours)[0])
        took = median(tooks)

        def full() -> None:
            backup_checks.full_check(made[-1])

        checked = median(runs(full, max(1, repeat // 2), warmup=0))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    size = store.path.stat().st_size / 1e6
    if not raws:
        encrypted = getattr(store, "encrypted", False)
        why = "encrypted: no sqlite3 shell baseline" if encrypted else "sqlite3 CLI not found"
        # The same measure names as with a baseline: `run.py --encrypted` pairs them.
        return [
            info(area, "io.backup.backup (quick_check inline, fsynced)", took, why),
            info(area, "full integrity_check of that backup (idle / --verify full)", checked),
        ]
    raw = median(raws)
    ratios = sorted(t / r for t, r in zip(tooks, raws, strict=True))
    ratio = median(ratios)
    return [
        info(area, "sqlite3 .backup of the same file", raw, f"{len(raws)} pairs, interleaved"),
        Row(
            area,
            "io.backup.backup (quick_check inline, fsynced)",
            ms(took),
            "≤ 3× sqlite3 .backup",
            ratio <= 3,
            f"{ratio:.2f}× median of pairs (min {ratios[0]:.2f}×, max {ratios[-1]:.2f}×); "
            f"file {size:.0f} MB",
        ),
        info(
            area,
            "full integrity_check of that backup (idle / --verify full)",
            checked,
            f"{checked / raw:.2f}× sqlite3 .backup; out of the user's wait",
        ),
    ]


def export_json(store: Store, repeat: int) -> list[Row]:
    """In a child process, so its peak memory is the export's own."""
    import ties.io.export_json  # noqa: F401  (not available → reported)

    area = "JSON export"
    folder = Path(tempfile.mkdtemp(prefix="ties-bench-export-"))
    try:
        code = (
            "import resource, sys, time\n"
            "from pathlib import Path\n"
            # VmHWM, not ru_maxrss: Linux's ru_maxrss keeps the parent's peak across exec.
            "def peak():\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith('VmHWM:'): return int(line.split()[1])\n"
            "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "from ties.store import Store\n"
            "from ties.io.export_json import export_json\n"
            "s = Store.open(sys.argv[1], check=False)\n"
            "s.count_entries(); s.count_people()\n"
            "before = peak()\n"
            "t0 = time.perf_counter()\n"
            "export_json(s, Path(sys.argv[2]))\n"
            "took = time.perf_counter() - t0\n"
            "after = peak()\n"
            "print(took, before, after)\n"
        )
        out = folder / "export.json"
        proc = subprocess.run(
            [sys.executable, "-c", code, str(store.path), str(out)],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ),
        )
        took_s, before, after = proc.stdout.split()
        size = out.stat().st_size / 1e6
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    growth = (int(after) - int(before)) / 1024
    return [
        Row(
            area,
            "export every entry",
            f"{float(took_s):.1f} s",
            "< 30 s",
            float(took_s) < 30,
            f"{size:.0f} MB written",
        ),
        Row(
            area,
            "peak memory growth during the export",
            f"{growth:.0f} MB",
            "flat (< 100 MB)",
            growth < 100,
            f"process peak {int(after) / 1024:.0f} MB",
        ),
    ]


def _person_details(repeat: int) -> list[Row]:
    from bench_person_details import person_details

    return person_details(repeat)


def all_rows(
    store: Store, repeat: int, as_of: date, *, skip_slow: bool = False
) -> Iterator[list[Row]]:
    """Rows area by area, so that a run shows (and keeps) each as soon as it is measured."""
    yield guarded("journal list (store)", "store queries", lambda: journal_list(store, repeat))
    yield guarded("search", "store.search", lambda: search(store, repeat))
    yield guarded("quick-add", "quickadd", lambda: quick_add(store, repeat))
    yield guarded("coverage", "compute_coverage", lambda: coverage(store, repeat, as_of))
    yield guarded("timeline", "reciprocity.timeline", lambda: timeline(store, repeat, as_of))
    yield guarded("Today", "today_items", lambda: today(store, repeat, as_of))
    yield guarded("backup", "io.backup", lambda: backup(store, repeat))
    yield guarded("person details", "bench_person_details", lambda: _person_details(repeat))
    if not skip_slow:
        yield guarded("JSON export", "io.export_json", lambda: export_json(store, repeat))
