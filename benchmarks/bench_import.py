"""Import of a vCard with a large photo: ``.venv/bin/python benchmarks/bench_import.py``.

A 3 MB photo took 45 s and a 5 MB one 146 s before the unfolding was made
linear (issue #20, item 12); the target is under a second for 5 MB. Prints a
Markdown table (median of ``--repeat`` runs after one warm-up) and the
seconds per MB, which stays flat when the work is linear.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, median, runs, table, under  # noqa: E402


def photo_card(megabytes: float, name: str = "Photo Person") -> str:
    """A vCard 3.0 card whose photo is ``megabytes`` of random bytes, base64 folded at 75."""
    data = base64.b64encode(os.urandom(int(megabytes * 1024 * 1024))).decode()
    folded = "\r\n ".join(data[i : i + 74] for i in range(0, len(data), 74))
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n"
    )


def photo_rows(sizes: list[float], repeat: int) -> list[Row]:
    from ties.io.importers import import_file
    from ties.store import Store

    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="ties-bench-import-") as tmp,
        Store.open(Path(tmp) / "journal.ties") as store,
    ):
        for mb in sizes:
            path = Path(tmp) / f"photo-{mb}.vcf"
            path.write_text(photo_card(mb), encoding="ascii")

            def once(path: Path = path) -> None:
                import_file(store, path, dry_run=True)

            seconds = median(runs(once, repeat))
            note = f"{seconds / mb * 1000:.0f} ms per MB"
            if mb == 5:
                rows.append(under("vCard import", f"{mb:g} MB photo", seconds, 1000, note))
            else:
                rows.append(
                    Row("vCard import", f"{mb:g} MB photo", f"{seconds * 1000:.1f} ms", note=note)
                )
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_import.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for line in table(photo_rows([1, 3, 5, 10], args.repeat)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
