"""The phone inbox: a plain text file in the sync folder, one quick-add line a line.

Any notes app can append to it. Ties lists the lines not done yet with the
same preview as quick-add, saves those that parse, and marks them done by
putting ``[x] `` in front, rewriting the file atomically and keeping every
line written since it was read (``docs/sync-format.md``, "Phone inbox").

The day a line was written, which a line without a date is logged on and
words like ``yesterday`` count from: a leading ``YYYY-MM-DD`` (with an optional
``HH:MM``), as many notes apps insert, else the day the file was last changed.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ties import quickadd
from ties.store import JournalError, Store

INBOX_NAME = "inbox.txt"
DONE = "[x] "
#: A last line without its line end is left for later while the file is this fresh
#: (seconds): the phone, or the sync engine, may still be writing it.
FRESH_SECONDS = 120
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*[:\-–]?\s+")
BOM = "\ufeff"


class InboxError(Exception):
    """The inbox cannot be read or rewritten (the message says why)."""


@dataclass
class InboxLine:
    number: int  # 1-based line number in the file
    text: str  # the quick-add text, without the date stamp
    raw: str  # the line as written, without its line end
    written: date
    entry: quickadd.QuickEntry | None = None
    error: str | None = None
    new_people: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.number,
            "text": self.raw,
            "written": self.written.isoformat(),
            "preview": self.entry.describe() if self.entry else None,
            "new_people": list(self.new_people),
            "error": self.error,
        }


@dataclass
class Inbox:
    path: Path
    pending: list[InboxLine]
    done: int  # lines already marked done
    waiting: str | None = None  # a last line left for later, and why


def inbox_path(target: Path) -> Path:
    """A folder means its ``inbox.txt``; a file is the inbox itself."""
    target = Path(target).expanduser()
    return target / INBOX_NAME if target.is_dir() else target


def _split(content: str) -> tuple[list[str], bool]:
    """Lines without their ends, and whether the last one had its end."""
    lines = content.splitlines()
    return lines, content.endswith(("\n", "\r"))


def _read(path: Path) -> tuple[str, float]:
    try:
        st = path.stat()
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", 0.0
    except OSError as exc:
        raise InboxError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return raw.decode("utf-8", errors="replace"), st.st_mtime


def read_inbox(store: Store, target: Path, *, now: float | None = None) -> Inbox:
    """The lines waiting in the inbox, each parsed against the journal."""
    path = inbox_path(target)
    content, mtime = _read(path)
    content = content.removeprefix(BOM)
    lines, ended = _split(content)
    now = time.time() if now is None else now
    waiting = None
    if lines and not ended and now - mtime < FRESH_SECONDS:
        waiting = f"the last line of {path.name} may still be being written; it is read later"
        lines = lines[:-1]
    file_day = datetime.fromtimestamp(mtime).date() if mtime else date.today()
    keys = {t.key for t in store.support_types()}
    pending: list[InboxLine] = []
    done = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith(DONE.strip()):
            done += 1
            continue
        written = file_day
        m = _STAMP.match(text)
        if m:
            try:
                written = date.fromisoformat(m.group(1))
                text = text[m.end() :].strip()
            except ValueError:
                pass
        line = InboxLine(number, text, raw, written)
        try:
            line.entry = quickadd.with_journal_names(store, quickadd.parse(text, written, keys))
            line.new_people = quickadd.preview(store, line.entry)
        except (quickadd.QuickAddError, JournalError) as exc:
            line.entry = None
            line.error = str(exc)
        pending.append(line)
    return Inbox(path, pending, done, waiting)


def save_lines(store: Store, inbox: Inbox, lines: list[InboxLine]) -> tuple[list[InboxLine], str]:
    """Save ``lines`` (those that parse) as entries, then mark them done in the file.

    A line edited on the phone since it was read is neither saved nor marked
    (the returned note says so: it is offered again, as it reads now). The
    entries and the marks go together: if the file cannot be rewritten, nothing
    is saved.
    """
    content, _mtime = _read(inbox.path)
    current, _ended = _split(content.removeprefix(BOM))
    ready = [ln for ln in lines if ln.entry is not None]
    same = [ln for ln in ready if ln.number - 1 < len(current) and current[ln.number - 1] == ln.raw]
    changed = [ln.number for ln in ready if ln not in same]
    with store.transaction():
        keys = {t.key for t in store.support_types()}
        for line in same:
            quickadd.save(store, quickadd.parse(line.text, line.written, keys))
        missed = mark_done(inbox.path, same)
        if missed:
            raise InboxError(
                f"{inbox.path.name} changed while Ties saved from it; nothing was saved, try again."
            )
    note = (
        f"line {', '.join(map(str, changed))} changed while Ties read the inbox; "
        "left for the next time"
        if changed
        else ""
    )
    return same, note


def mark_done(path: Path, lines: list[InboxLine], *, attempts: int = 5) -> list[int]:
    """Put ``[x] `` before each of ``lines`` in the file, keeping lines written since it was read.

    The file is read again, changed and written under a temporary name, then
    renamed over the inbox only if it did not change in between (else it tries
    again). If any line was edited since it was read, nothing is marked and
    the edited lines' numbers are returned. Raises :class:`InboxError` when the
    file cannot be written.
    """
    if not lines:
        return []
    for _ in range(attempts):
        before = path.read_bytes()
        content = before.decode("utf-8", errors="replace")
        bom = content.startswith(BOM)
        content = content.removeprefix(BOM)
        newline = "\r\n" if "\r\n" in content else "\n"
        current, ended = _split(content)
        missed: list[int] = []
        for line in lines:
            i = line.number - 1
            if i < len(current) and current[i] == line.raw:
                current[i] = DONE + line.raw
            else:
                missed.append(line.number)
        if missed:
            return missed  # nothing is marked unless every line still reads as it did
        text = (BOM if bom else "") + newline.join(current) + (newline if ended else "")
        tmp = path.with_name(f".{path.name}.ties-tmp")
        try:
            tmp.write_bytes(text.encode("utf-8"))
            if path.read_bytes() != before:
                tmp.unlink(missing_ok=True)
                continue  # written to meanwhile: read it again
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InboxError(
                f"Cannot mark lines done in {path}: {exc.strerror or exc}. Nothing was saved."
            ) from exc
        return []
    raise InboxError(f"{path} keeps changing; try again in a moment. Nothing was saved.")
