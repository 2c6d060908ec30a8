"""Plain against encrypted: the same measures on the sample journal and an encrypted copy.

``run.py --encrypted`` encrypts a copy of the cached journal once (through
``ties encrypt``'s own code, :func:`ties.store.conversion.encrypt`), keeps it
beside the plain one, and measures both in turn: the store's measures in
alternating rounds (plain first, then encrypted first, …) and the commands as
whole processes in interleaved pairs, so that load on a shared machine hits
both alike. Each row shows both medians, their ratio and the target: the
encrypted journal within 1.3× of the plain one; a whole process derives the
key once at start (the unlock's KDF), which it may take on top.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from harness import Row, runs, under

BENCH_PASSPHRASE = "benchmark passphrase"
#: The encrypted journal's budget against the plain one (issue #18).
TARGET = 1.3


def encrypted_copy(plain: Path) -> Path:
    """The encrypted copy of ``plain`` beside it, made once (again when ``plain`` was rebuilt)."""
    from ties.store import conversion

    path = plain.with_name(plain.stem + "-encrypted.ties")
    # Against the build's record, not the journal: the benchmark itself writes to both.
    built = plain.with_suffix(".json")
    since = (built if built.exists() else plain).stat().st_mtime
    if not path.exists() or path.stat().st_mtime < since or _old_format(path):
        work = plain.with_name(plain.stem + "-encrypting.ties")
        shutil.copy(plain, work)
        conversion.encrypt(work, BENCH_PASSPHRASE)
        for old in work.parent.glob(f"{work.stem}.before-*"):
            old.unlink()
        os.replace(work, path)
    return path


def _salt(path: Path) -> bytes:
    from ties.store import encryption

    with open(path, "rb") as fh:
        return fh.read(encryption.SALT_BYTES)


def _old_format(path: Path) -> bool:
    """Whether a cached copy was encrypted before Ties wrote HMAC-SHA256 pages."""
    from ties.store import encryption

    key = encryption.derive_key(BENCH_PASSPHRASE, _salt(path))
    conn = encryption.connect(path, key.in_format(encryption.PAGE_HMAC))
    try:
        found = encryption.key_of(conn)
    finally:
        conn.close()
    return found is None or found.page_hmac != encryption.PAGE_HMAC


def kdf_seconds(path: Path, repeat: int = 5) -> float:
    """Median time of the key derivation the unlock waits for (the file's own salt)."""
    from ties.store import encryption

    salt = _salt(path)
    return statistics.median(runs(lambda: encryption.derive_key(BENCH_PASSPHRASE, salt), repeat))


def kdf_row(seconds: float) -> Row:
    from ties.store import encryption

    return under(
        "unlock",
        f"key derivation (PBKDF2-SHA512, {encryption.KDF_ITERATIONS:,} iterations)",
        seconds,
        1000,
        "once per unlock: the dialog's wait; cold start pays it on top",
    )


def register_passphrase() -> None:
    """Let this process open the encrypted copy without asking (keys derived afresh)."""
    from ties.store import encryption

    encryption.forget_all_keys()
    encryption.set_default_unlock(lambda _p: BENCH_PASSPHRASE)


def encryption_variant(built, kind: str):  # type: ignore[no-untyped-def]
    """The journal to measure for ``--journal encrypted`` / ``plain-via-sqlcipher``.

    Encrypted: the cached encrypted copy, its passphrase registered as the
    process's unlock, and the key derivation (what the unlock dialog waits for)
    as a row. Via SQLCipher: every connection goes through sqlcipher3 with no
    key, to compare the two SQLite builds on the same plain file.
    """
    from ties.store import connection, encryption

    if kind == "plain-via-sqlcipher":

        def through_sqlcipher(target, key, *, uri=False):  # type: ignore[no-untyped-def]
            return encryption.connect(target, key, uri=uri, timeout=15)

        connection._sqlite_connect = through_sqlcipher  # type: ignore[assignment]
        return built, []
    path = encrypted_copy(built.path)
    row = kdf_row(kdf_seconds(path))
    register_passphrase()
    return dataclasses.replace(built, path=path), [row]


# ------------------------------------------------------------------ comparing


@dataclass
class Pair:
    """One measure on both journals (seconds; None where one side has no such row)."""

    area: str
    what: str
    plain: float | None
    encrypted: float | None
    on_top: float = 0.0  # seconds the encrypted side may take beyond TARGET × plain
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.plain or self.encrypted is None:
            return None
        return self.encrypted / self.plain

    @property
    def met(self) -> bool | None:
        if self.plain is None or self.encrypted is None:
            return None
        return self.encrypted <= TARGET * self.plain + self.on_top


def _seconds(value: str) -> float | None:
    """``"12.3 ms"`` as seconds; None for a figure that is not a time."""
    if value.endswith(" ms"):
        try:
            return float(value[:-3].replace(",", "")) / 1000
        except ValueError:
            return None
    return None


def store_pairs(
    plain,
    encrypted,
    repeat: int,
    as_of: date,
    rounds: int,
    *,
    skip_slow: bool,
    failed: list[str],
) -> Iterator[list[Pair]]:  # type: ignore[no-untyped-def]
    """The store's measures (``bench_store``) on both stores, area by area.

    For each area, every round runs it on one journal and then the other, the
    order alternating between rounds; a figure is the median over the rounds
    (each itself a median of ``repeat`` runs). The person-details measure
    builds its own journal and is left out. A measure that broke is added to ``failed``.
    """
    import bench_store

    streams = []
    for r in range(max(rounds, 1)):
        sides = [("plain", plain), ("encrypted", encrypted)]
        if r % 2:
            sides.reverse()
        streams += [
            (name, bench_store.all_rows(store, repeat, as_of, skip_slow=skip_slow))
            for name, store in sides
        ]
    while True:
        figures: dict[str, dict[tuple[str, str], list[float]]] = {"plain": {}, "encrypted": {}}
        order: list[tuple[str, str]] = []
        for name, stream in streams:
            rows = next(stream, None)
            if rows is None:
                return
            for row in rows:
                if row.value == "failed":  # shown, not dropped: see compare()
                    failed.append(f"{name} journal: {row.area} / {row.what} failed: {row.note}")
                seconds = _seconds(row.value)
                if seconds is None or row.area == "person details":
                    continue
                if (row.area, row.what) not in order:
                    order.append((row.area, row.what))
                figures[name].setdefault((row.area, row.what), []).append(seconds)
        pairs = []
        for key in order:
            p, e = figures["plain"].get(key), figures["encrypted"].get(key)
            pairs.append(
                Pair(
                    *key,
                    statistics.median(p) if p else None,
                    statistics.median(e) if e else None,
                )
            )
        if pairs:
            yield pairs


def command_pairs(plain: Path, encrypted: Path, pairs: int, kdf: float) -> list[Pair]:
    """Each command of ``whole_process.BUDGETS`` as a whole process on both journals in turn.

    A run on the plain copy and one on the encrypted copy make a pair (the one
    started first alternating); the encrypted one derives the key at start, so
    the KDF's time is allowed on top of 1.3×.
    """
    import tempfile

    import whole_process as wp
    from bench_qt import _child_env

    out: list[Pair] = []
    with (
        wp._copy_of(plain) as plain_copy,
        wp._copy_of(encrypted) as enc_copy,
        tempfile.TemporaryDirectory(prefix="ties-bench-home-") as home,
    ):
        env = _child_env(Path(home))
        enc_env = {**env, "TIES_PASSPHRASE": BENCH_PASSPHRASE}
        for budget in wp.BUDGETS:
            sides = [
                (["--db", str(plain_copy), *budget.argv], env),
                (["--db", str(enc_copy), *budget.argv], enc_env),
            ]
            for argv, e in sides:  # warm-up: bytecode, the OS file cache
                wp._run(argv, e)
            took: list[list[float]] = [[], []]
            for i in range(max(pairs, 1)):
                first = i % 2
                for side in (first, 1 - first):
                    argv, e = sides[side]
                    took[side].append(wp._run(argv, e))
            p, q = statistics.median(took[0]), statistics.median(took[1])
            out.append(
                Pair(
                    wp.AREA,
                    budget.label,
                    p,
                    q,
                    on_top=kdf,
                    note=f"without the KDF {(q - kdf) / p:.2f}×; encrypted min–max "
                    f"{min(took[1]) * 1000:.0f}–{max(took[1]) * 1000:.0f} ms",
                )
            )
    return out


def _window(journal: Path, env: dict[str, str], *places: str) -> tuple[float, int]:
    """Seconds to the window shown and idle, and peak RSS in kB (with ``--places``)."""
    import subprocess
    import sys

    script = Path(__file__).with_name("startup_unlocked.py")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(script), str(journal), *places],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    ready = None
    peak = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY") and ready is None:
                ready = time.perf_counter() - t0
            elif line.startswith("PEAK"):
                peak = int(line.split()[1])
        proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    if ready is None or proc.returncode != 0:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"the window did not start ({proc.returncode}): {err[-300:]}")
    return ready, peak


def window_pairs(
    plain: Path, encrypted: Path, pairs: int, kdf: float
) -> tuple[list[Pair], list[Row]]:
    """The window's cold start on both journals in interleaved pairs, and its peak memory.

    The encrypted window is unlocked as if its passphrase were in the system
    keyring (``startup_unlocked.py``): no dialog, the KDF still runs.
    """
    import tempfile

    import whole_process as wp
    from bench_qt import _child_env

    with (
        wp._copy_of(plain) as plain_copy,
        wp._copy_of(encrypted) as enc_copy,
        tempfile.TemporaryDirectory(prefix="ties-bench-home-") as home,
    ):
        env = {**_child_env(Path(home)), "TIES_PASSPHRASE": BENCH_PASSPHRASE}
        journals = (plain_copy, enc_copy)
        for journal in journals:  # warm-up: bytecode, the OS file cache
            _window(journal, env)
        took: list[list[float]] = [[], []]
        for i in range(max(pairs, 1)):
            for side in (i % 2, 1 - i % 2):
                took[side].append(_window(journals[side], env)[0])
        peaks = [_window(journal, env, "--places")[1] / 1024 for journal in journals]
    p, q = statistics.median(took[0]), statistics.median(took[1])
    shown = Pair(
        "cold start",
        "Ties main window on this journal, shown and idle (whole process)",
        p,
        q,
        on_top=kdf,
        note=f"without the KDF {(q - kdf) / p:.2f}×",
    )
    memory = Row(
        "memory",
        "peak RSS after showing every place once",
        f"plain {peaks[0]:.0f} MB, encrypted {peaks[1]:.0f} MB",
        "",
        None,
        "an encrypted journal keeps its decrypted pages in its own page cache",
    )
    return [shown], [memory]


def table(pairs: list[Pair], *, header: bool = True) -> Iterator[str]:
    """The pairs as a Markdown table: both figures, the ratio and the 1.3× target."""
    if header:
        yield "| Area | Measure | plain | encrypted | ratio | target | met | note |"
        yield "|---|---|---|---|---|---|---|---|"
    for p in pairs:
        plain = "–" if p.plain is None else f"{p.plain * 1000:.1f} ms"
        enc = "–" if p.encrypted is None else f"{p.encrypted * 1000:.1f} ms"
        ratio = "–" if p.ratio is None else f"{p.ratio:.2f}×"
        target = f"≤ {TARGET:g}×" + (" + KDF" if p.on_top else "")
        met = "" if p.met is None else ("yes" if p.met else "**no**")
        yield f"| {p.area} | {p.what} | {plain} | {enc} | {ratio} | {target} | {met} | {p.note} |"


def compare(built, args, as_of: date) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """``run.py --encrypted``: the lines of the comparison, part by part, as measured."""
    import harness

    from ties.store import Store

    enc_path = encrypted_copy(built.path)
    kdf = kdf_seconds(enc_path)
    yield [
        f"plain: {built.path} ({built.path.stat().st_size / 1e6:.0f} MB); encrypted copy: "
        f"{enc_path} ({enc_path.stat().st_size / 1e6:.0f} MB)",
        "",
        *harness.table([kdf_row(kdf)]),
        "",
    ]
    register_passphrase()
    first = True

    def lines(pairs: list[Pair]) -> list[str]:
        nonlocal first
        out = list(table(pairs, header=first))
        first = False
        return out

    if not args.no_whole:
        try:
            yield lines(command_pairs(built.path, enc_path, args.pairs, kdf))
        except Exception as exc:  # a benchmark reports, it does not stop
            yield [f"whole-process commands failed: {str(exc)[:300]}"]
        if not args.no_gui:
            try:
                shown, memory = window_pairs(built.path, enc_path, args.pairs, kdf)
                yield lines(shown)
                yield ["", *harness.table(memory), ""]
                first = True
            except Exception as exc:  # a benchmark reports, it does not stop
                yield [f"window cold start failed: {str(exc)[:300]}"]
    if not args.no_store:
        t0 = time.perf_counter()
        with (
            Store.open(built.path, check=False) as plain,
            Store.open(enc_path, check=False) as enc,
        ):
            failed: list[str] = []
            for pairs in store_pairs(
                plain, enc, args.repeat, as_of, args.rounds, skip_slow=args.quick, failed=failed
            ):
                yield lines(pairs)
        yield ["", *failed, f"Store measures: {time.perf_counter() - t0:.0f} s."]
