"""Helpers the reliability tests share: dumping a journal, running the real CLI.

The name is unusual on purpose: test folders have no ``__init__.py``, so a
helper module name must not clash with another folder's.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import signal
import sqlite3
import sys
import time
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


# ------------------------------------------------------------------ permissions


_LIBC = []


def _libc():  # type: ignore[no-untyped-def]
    """The C library, loaded in the parent (no dlopen between fork and exec)."""
    import ctypes

    if not _LIBC:
        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]


def _drop_file_capabilities() -> None:
    """As root, give up the capabilities that let root ignore file permissions.

    Root may write a 0444 file or a 0555 folder; dropping CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH and CAP_FOWNER (effective and permitted, so that
    ``access()`` agrees) makes permissions bind as they do for a user.
    """
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    libc = _libc()
    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~((1 << 1) | (1 << 2) | (1 << 3)) & 0xFFFFFFFF
    data[0].effective &= mask
    data[0].permitted &= mask
    data[0].inheritable &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


#: Longest a forked child may run before the test fails (it never hangs the run).
CHILD_TIMEOUT_S = 60


def _quiesce_threads() -> None:
    """Let other threads finish before a fork: a child forked while one held a lock
    (SQLite's, the import lock) would wait for it forever.

    An earlier GUI test may leave work on Qt's thread pool (a place's figures) or a
    Python thread still running; both are waited for, a while at most.
    """
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        qtcore.QThreadPool.globalInstance().waitForDone(30_000)
    import threading

    deadline = time.monotonic() + 3  # a thread that lives on (a daemon) costs 3 s at most
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _run_forked(fn, args) -> list[bytes] | None:  # type: ignore[no-untyped-def]
    """What the forked child wrote, or None when it did not finish in time (killed)."""
    import traceback

    _quiesce_threads()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        status = 0
        payload: dict = {"error": "the child exited early"}
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                try:
                    _drop_file_capabilities()
                except OSError as exc:
                    payload = {"skip": f"cannot drop root's file capabilities: {exc}"}
                    raise SystemExit from None
            payload = {"result": fn(*args)}
        except SystemExit:
            pass
        except BaseException:
            payload = {"error": traceback.format_exc()}
        try:
            os.write(write_end, json.dumps(payload, default=str).encode())
        except BaseException:
            status = 1
        os._exit(status)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([read_end], [], [], max(0.0, left))
        if not ready:  # a stuck child fails the test, never the whole run
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            return None
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return chunks


def run_unprivileged(fn, *args):  # type: ignore[no-untyped-def]
    """Run ``fn(*args)`` in a forked child for which file permissions bind.

    Not root: the child is just a child. Root (CI runs as root): the child
    drops the capabilities that bypass permissions. Returns what ``fn``
    returned (JSON-able); an exception in the child is re-raised as an
    AssertionError carrying its traceback. Skips where neither is possible.
    """

    import pytest

    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        pytest.skip("needs fork() on Linux to test file permissions")
    chunks = _run_forked(fn, args)
    if chunks is None:  # forked while a lock was held (see _quiesce_threads): once more
        chunks = _run_forked(fn, args)
    if chunks is None:
        raise AssertionError(f"the unprivileged child did not finish in {CHILD_TIMEOUT_S} s")
    payload = json.loads(b"".join(chunks) or b'{"error": "child wrote nothing"}')
    if "skip" in payload:
        pytest.skip(payload["skip"])
    if "error" in payload:
        raise AssertionError("in the unprivileged child:\n" + payload["error"])
    return payload["result"]


def _drop_capabilities_for_exec() -> None:
    """preexec_fn: as root, also drop the capabilities from the bounding set.

    After ``execve`` root's permitted capabilities are recomputed from the
    bounding set, so dropping them there keeps them gone in the new program.
    """
    import ctypes

    if os.geteuid() != 0:
        return
    libc = _libc()
    pr_capbset_drop = 24
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    _drop_file_capabilities()


def run_ties_unprivileged(argv: list[str], home: Path, timeout: float = 120):  # type: ignore[no-untyped-def]
    """Run the real ``ties`` program with file permissions binding (see run_unprivileged)."""
    import subprocess

    env = child_env(home)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    _libc()
    code = "import sys; from ties.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=_drop_capabilities_for_exec,
    )


def damage_quietly(path: Path, name: str) -> None:
    """Make ``name`` (a person's name) unreadable in the people table only, not in its index.

    Damage that ``PRAGMA quick_check`` (run at every open) does not see, as a
    disk flipping bits inside a row might leave: the full ``integrity_check``
    finds the row missing from its index, and reading the name fails with
    "Could not decode to UTF-8". The journal must be closed (no -wal).
    """
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'people'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    page = data[start : start + page_size]
    at = page.find(name.encode())
    assert at >= 0, "the people table must fit in its root page for this helper"
    data[start + at : start + at + 2] = b"\xff\xff"
    path.write_bytes(bytes(data))
