"""SQLCipher (and OpenSSL with it) is imported only when a journal is encrypted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ties.store import Store

_PROBE = (
    "import sys, runpy, io, contextlib\n"
    "sys.argv = ['ties', '--db', sys.argv[1], 'people']\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        runpy.run_module('ties', run_name='__main__')\n"
    "    except SystemExit:\n"
    "        pass\n"
    "print('sqlcipher3' in sys.modules, '_hashlib' in sys.modules)\n"
)


def _imports(journal: Path) -> str:
    env = dict(os.environ, TIES_PASSPHRASE="correct horse battery")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(journal)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_a_plain_journals_command_imports_no_sqlcipher(tmp_path: Path) -> None:
    journal = tmp_path / "plain.ties"
    Store.open(journal).close()
    assert _imports(journal) == "False False"


def test_an_encrypted_journals_command_imports_it(tmp_path: Path) -> None:
    from ties.store import conversion

    journal = tmp_path / "secret.ties"
    Store.open(journal).close()
    conversion.encrypt(journal, "correct horse battery")
    assert _imports(journal) == "True True"


def test_the_header_is_read_where_there_is_no_pread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no ``os.pread``: the first bytes are read with an ordinary open there."""
    from ties.store import encryption

    journal = tmp_path / "plain.ties"
    Store.open(journal).close()
    want = encryption.read_header(journal)
    monkeypatch.delattr(os, "pread")
    assert encryption.read_header(journal) == want
    assert want[0].startswith(encryption.SQLITE_MAGIC)
    assert encryption.read_header(tmp_path / "missing.ties") == (b"", 0)
