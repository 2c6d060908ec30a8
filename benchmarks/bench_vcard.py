"""vCard export and import of 10,000 people: ``.venv/bin/python benchmarks/bench_vcard.py``.

Each person has 2 e-mails, 2 phones, an address, a birthday and 3 tags (issue
#15). Targets: export < 5 s, import of the 10,000-card file into an empty
journal < 10 s. Memory: the Python heap's peak (tracemalloc) at 2,000 and
10,000 people, per person; it stays flat per person when nothing is held per
card beyond the people themselves (the file is written and read card by card).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, median, runs, table, under  # noqa: E402

FIRST = ("Ana", "Bo", "Chen", "Dana", "Emil", "Fatou", "Gert", "Hana", "Ivo", "Jun")
LAST = ("Meyer", "Okafor", "Silva", "Tanaka", "Novak", "Haddad", "Berg", "Costa")


def fill(store: object, n: int) -> None:
    """``n`` people with the details the issue names, in one transaction."""
    from ties.model import Address, Detail, Person
    from ties.store import Store

    assert isinstance(store, Store)
    with store.transaction():
        for i in range(n):
            first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
            store.add_person(
                Person(
                    name=f"{first} {last} {i}",
                    organization=f"Company {i % 97}",
                    emails=[
                        Detail("work", f"p{i}@work.example"),
                        Detail("home", f"p{i}@home.example"),
                    ],
                    phones=[
                        Detail("mobile", f"+49 170 {i:07d}"),
                        Detail("work", f"+49 30 {i:07d}"),
                    ],
                    addresses=[Address("home", f"Street {i}", "Berlin", "", "10115", "Germany")],
                    birthday=f"19{50 + i % 50:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    tags=[f"tag{i % 7}", f"group{i % 11}", "imported"],
                )
            )


def rows(sizes: list[int], repeat: int) -> list[Row]:
    from ties.io.export_vcard import export_vcard
    from ties.io.importers import import_file
    from ties.store import Store

    out: list[Row] = []
    peaks: dict[str, dict[int, int]] = {"export": {}, "import": {}}
    with tempfile.TemporaryDirectory(prefix="ties-bench-vcard-") as tmp:
        for n in sizes:
            source = Path(tmp) / f"source-{n}.ties"
            card_file = Path(tmp) / f"people-{n}.vcf"
            with Store.open(source) as store:
                fill(store, n)

                def export_once(store: Store = store, card_file: Path = card_file) -> None:
                    export_vcard(store, card_file)

                seconds = median(runs(export_once, repeat))
                tracemalloc.start()
                export_once()
                peaks["export"][n] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            what = f"{n:,} people"
            mb = card_file.stat().st_size / 2**20
            if n == max(sizes):
                out.append(under("vCard export", what, seconds, 5000, f"{mb:.1f} MB"))
            else:
                out.append(
                    Row("vCard export", what, f"{seconds * 1000:.0f} ms", note=f"{mb:.1f} MB")
                )

            def import_once(card_file: Path = card_file, n: int = n) -> None:
                target = Path(tmp) / f"target-{n}.ties"
                target.unlink(missing_ok=True)
                with Store.open(target) as empty:
                    report = import_file(empty, card_file, backup=False)
                    assert report.total("added") == n, report.summary()

            seconds = median(runs(import_once, repeat))
            tracemalloc.start()
            import_once()
            peaks["import"][n] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            if n == max(sizes):
                out.append(under("vCard import", f"{n:,} cards", seconds, 10000))
            else:
                out.append(Row("vCard import", f"{n:,} cards", f"{seconds * 1000:.0f} ms"))
    for kind, by_size in peaks.items():
        per = ", ".join(f"{n:,}: {peak / n / 1024:.1f} KB/person" for n, peak in by_size.items())
        out.append(
            Row(
                f"vCard {kind}",
                "peak Python heap",
                f"{max(by_size.values()) / 2**20:.1f} MB",
                note=per,
            )
        )
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_vcard.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--people", type=int, nargs="+", default=[2000, 10000])
    args = parser.parse_args(argv)
    for line in table(rows(args.people, args.repeat)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
