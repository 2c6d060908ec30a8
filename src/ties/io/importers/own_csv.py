"""Reading Ties' own CSV export (the zip of people.csv and entries.csv) back.

Rows become the same records as the JSON export and go through the same
merge (by UUID, newer edit wins); the formula guard is taken off each cell.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ties.io.export_csv import (
    ENTRIES_FILE,
    ENTRY_COLUMNS,
    LIST_SEP,
    PEOPLE_COLUMNS,
    PEOPLE_FILE,
    unguard,
)
from ties.io.importers.csv_contacts import rows
from ties.io.importers.own_json import Record, _Bad
from ties.io.importers.report import ImportFormatError

MAX_MEMBER = 8 * 1024 * 1024 * 1024  # uncompressed bytes of one member
MAX_RATIO = 200  # uncompressed / compressed: more is a zip bomb, not an export


def looks_like(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return PEOPLE_FILE in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def readable_zip(path: Path) -> bool:
    """Whether the zip's table of contents can be read (a truncated zip loses it)."""
    try:
        with zipfile.ZipFile(path):
            return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _bool(text: str) -> bool | str:
    return {"true": True, "false": False, "": False}.get(text.strip().lower(), text)


def _int(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def _opt(text: str) -> str | None:
    return text or None


def _person(row: dict[str, str]) -> dict[str, Any]:
    d: dict[str, Any] = dict(row)
    d["life_phases"] = [s for s in row["life_phases"].split(LIST_SEP) if s.strip()]
    for key in ("closeness", "mutuality", "cadence_days"):
        d[key] = _int(row[key])
    d["archived"] = _bool(row["archived"])
    d["met_on"] = _opt(row["met_on"])
    return d


def _entry(row: dict[str, str]) -> dict[str, Any]:
    names = row["people"].split(LIST_SEP) if row["people"] else []
    uuids = row["people_uuids"].split(LIST_SEP) if row["people_uuids"] else []
    if len(names) != len(uuids):
        names = [""] * len(uuids)
    d: dict[str, Any] = dict(row)
    d["people"] = [{"uuid": u, "name": n} for u, n in zip(uuids, names, strict=True)]
    d["support_types"] = row["support_types"].split()
    d["weight"] = _int(row["weight"])
    d["on_behalf_of"] = (
        {"uuid": row["on_behalf_of_uuid"], "name": row["on_behalf_of"]}
        if row["on_behalf_of_uuid"]
        else None
    )
    for key in ("time", "follow_up"):
        d[key] = _opt(row[key])
    for key in ("follow_up_done", "thanked"):
        d[key] = _bool(row[key])
    return d


def read_records(path: Path) -> Iterator[Record]:
    """The zip's rows as the records of a JSON export; a damaged zip is a format error."""
    try:
        yield from _read_records(path)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError) as exc:
        raise ImportFormatError(
            f"{path.name} is a damaged or truncated zip file ({exc}); export it again."
        ) from None
    except OSError as exc:  # bz2's word for a damaged stream
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise ImportFormatError(
            f"{path.name} is a damaged zip file ({exc}); export it again."
        ) from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise ImportFormatError(
            f"{path.name} uses a zip compression Ties cannot read; zip people.csv and "
            "entries.csv again with the usual compression (deflate)."
        ) from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise ImportFormatError(
            f"{path.name} is an encrypted zip file; Ties exports are not encrypted this way. "
            "Unpack it and zip people.csv and entries.csv again without a password."
        ) from None


def _read_records(path: Path) -> Iterator[Record]:
    with zipfile.ZipFile(path) as zf:
        yield ("header", 0, {})
        for member, columns, convert, section in (
            (PEOPLE_FILE, PEOPLE_COLUMNS, _person, "people"),
            (ENTRIES_FILE, ENTRY_COLUMNS, _entry, "entries"),
        ):
            # Every member of that name: a zip can hold two (one added to it later),
            # and zipfile's open(name) would read only the last.
            infos = [i for i in zf.infolist() if i.filename == member]
            for n, info in enumerate(infos, 1):
                label = f"{member} ({n} of {len(infos)})" if len(infos) > 1 else member
                yield from _member_records(path, zf, info, label, columns, convert, section)


def _member_records(
    path: Path,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    member: str,
    columns: tuple[str, ...],
    convert: Callable[[dict[str, str]], dict[str, Any]],
    section: str,
) -> Iterator[Record]:
    if info.file_size > MAX_MEMBER or (
        info.compress_size
        and info.file_size / info.compress_size > MAX_RATIO
        and info.file_size > 1024 * 1024
    ):
        raise ImportFormatError(
            f"{path.name}: {member} is implausibly large ({info.file_size:,} bytes uncompressed)."
        )
    with zf.open(info) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        lineno = 0
        try:
            found = rows(text, f"{path.name}: {member}", ",")
            _, header = next(found, (0, []))
            if isinstance(header, Exception) or tuple(header) != columns:
                raise ImportFormatError(
                    f"{path.name}: {member} does not have the columns of a Ties export."
                )
            for lineno, cells in found:
                where = f"{member} line {lineno}"
                if isinstance(cells, Exception):
                    yield (section, where, _Bad(str(cells)))
                    continue
                if len(cells) != len(columns):
                    yield (section, where, _Bad(f"{len(cells)} cells, expected {len(columns)}"))
                    continue
                row = {c: unguard(v) for c, v in zip(columns, cells, strict=True)}
                yield (section, where, convert(row))
        except UnicodeDecodeError as exc:
            raise ImportFormatError(f"{path.name}: {member} near line {lineno}: {exc}") from None
