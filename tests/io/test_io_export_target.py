"""Exports refuse to write over the journal they read, whatever the path looks like."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ties.io.atomic import WouldOverwriteJournalError, refuse_journal_target
from ties.io.export_csv import export_csv
from ties.io.export_json import export_json
from ties.io.export_markdown import export_markdown
from ties.store import Store

EXPORTS: list[Callable[..., int]] = [export_json, export_csv, export_markdown]


def _person(store: Store) -> None:
    from ties.model import Person

    with store.transaction():
        store.add_person(Person(name="Ada"))


@pytest.mark.parametrize("export", EXPORTS)
def test_export_onto_the_journal_is_refused_and_the_journal_kept(
    store: Store, export: Callable[..., int]
) -> None:
    _person(store)
    before = store.path.read_bytes()
    with pytest.raises(WouldOverwriteJournalError, match="is the journal itself"):
        export(store, store.path)
    assert store.path.read_bytes() == before
    assert store.count_people() == 1
    assert sorted(p.name for p in store.path.parent.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_export_onto_a_sidecar_is_refused(store: Store, suffix: str) -> None:
    target = store.path.with_name(store.path.name + suffix)
    existed = target.exists()
    before = target.read_bytes() if existed else b""
    with pytest.raises(WouldOverwriteJournalError, match=suffix[1:]):
        export_json(store, target)
    assert target.exists() == existed
    if existed:
        assert target.read_bytes() == before


def test_relative_symlinked_and_hard_linked_paths_are_caught(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.ties"
    link.symlink_to(store.path)
    hard = tmp_path / "hard.ties"
    os.link(store.path, hard)
    for target in (
        Path(store.path.name),
        Path("sub") / ".." / store.path.name,
        link,
        hard,
    ):
        with pytest.raises(WouldOverwriteJournalError):
            export_markdown(store, target)
    # Opened through a link, the real file and its sidecars are protected too.
    with pytest.raises(WouldOverwriteJournalError):
        refuse_journal_target(store.path.with_name(store.path.name + "-wal"), link)


def test_other_files_and_a_folder_named_like_the_journal_are_fine(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "elsewhere" / store.path.name
    folder.mkdir(parents=True)
    export_json(store, folder / store.path.name)
    export_csv(store, tmp_path / (store.path.name + ".zip"))
    export_markdown(store, tmp_path / (store.path.stem + "-wal.md"))
    assert (folder / store.path.name).stat().st_size > 0
