"""``sync_folder``: one sync of a journal with the other devices' files in a folder.

The steps, all or nothing for the journal: read the other devices' new files
(refusing everything if one comes from a newer Ties), then in one transaction
stamp this journal's own edits, merge the files' changes field by field (the
later clock stamp wins) and write the merged rows back; then write this
device's new change file, and now and then a snapshot that retires old files.
The format is ``docs/sync-format.md``.
"""

from __future__ import annotations

import os
import platform
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ties.app.sync_journal import JournalRows
from ties.model import now_stamp
from ties.store import Store
from ties.store.sync_state import Peer, SelfRow, SyncState
from ties.sync import files, hlc, rows
from ties.sync.files import FileKey, KeyMismatchError, NewerFormatError, SyncFile, SyncFileError

#: A device writes a snapshot and retires its old files once it has this many.
COMPACT_AFTER = 32
#: A device that has written nothing for this long is named in the report.
STALE_DAYS = 60


class SyncError(Exception):
    """The sync could not run; nothing in the journal was changed (the message says why)."""


@dataclass
class DeviceInfo:
    device: str
    name: str
    last_written: str
    files: int
    this_device: bool = False


@dataclass
class SyncReport:
    """What one sync did, for the command line's summary and the window's status bar."""

    folder: str
    device: str
    sent: int = 0
    received: int = 0
    applied: int = 0
    files_read: int = 0
    file_written: str | None = None
    compacted: int = 0
    devices: list[DeviceInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    at: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "device": self.device,
            "at": self.at,
            "sent": self.sent,
            "received": self.received,
            "applied": self.applied,
            "files_read": self.files_read,
            "file_written": self.file_written,
            "compacted": self.compacted,
            "devices": [
                {
                    "device": d.device,
                    "name": d.name,
                    "last_written": d.last_written,
                    "files": d.files,
                    "this_device": d.this_device,
                }
                for d in self.devices
            ],
            "problems": list(self.problems),
        }


#: Where a journal keeps its sync folder (the journal's own meta, never synced).
FOLDER_META = "sync_folder"


def chosen_folder(store: Store) -> Path | None:
    """The sync folder this journal was set to sync with, if any."""
    value = store.get_meta(FOLDER_META)
    return Path(value) if value else None


def choose_folder(store: Store, folder: Path | None) -> Path | None:
    """Remember (or, with None, forget) the journal's sync folder; refuses one that cannot
    be used (:class:`SyncError`)."""
    if folder is None:
        store.set_meta(FOLDER_META, None)
        return None
    folder = check_folder(store, folder)
    store.set_meta(FOLDER_META, str(folder))
    return folder


def file_key(store: Store) -> FileKey | None:
    """The key of an encrypted journal's sync files (None: a plain journal, plain files)."""
    key = store.cipher_key
    return None if key is None else FileKey.from_journal_key(key.raw, key.salt)


def _other_key(label: str, device: str, name: str, key: FileKey | None) -> str:
    who = f"{name} ({device})" if name else device
    if key is None:
        return (
            f"Nothing from device {who} was applied: its files ({label}) are encrypted, as its "
            "journal is, and this journal is not. Encrypt this journal from a copy of that "
            "one, or sync with a plain journal."
        )
    return (
        f"Nothing from device {who} was applied: its files ({label}) are encrypted with another "
        "journal key than this journal's (another passphrase, or a journal encrypted "
        "separately). Devices that sync an encrypted journal must hold copies of one "
        "encrypted journal; see docs/sync-format.md."
    )


def machine_id(store: Store) -> str:
    """This computer and this journal file: a copied journal becomes a new device."""
    return f"{platform.node()}:{Path(store.path).resolve()}"


def check_folder(store: Store, folder: Path) -> Path:
    """The folder, made absolute; refuses a missing folder and one holding the journal."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise SyncError(f"The sync folder {folder} does not exist.")
    if not folder.is_dir():
        raise SyncError(f"{folder} is a file, not a folder.")
    folder = folder.resolve()
    journal = Path(store.path).resolve()
    if journal.is_relative_to(folder):
        raise SyncError(
            f"The journal {journal} is inside the sync folder {folder}. A sync engine would "
            "copy the live journal between computers and damage it: move the journal out "
            "of the folder first (Ties puts only its own change files there)."
        )
    return folder


@dataclass
class _Incoming:
    records: list[dict[str, Any]] = field(default_factory=list)
    applied: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    last_written: dict[str, str] = field(default_factory=dict)
    extras: list[tuple[str, int, float]] = field(default_factory=list)
    files_read: int = 0
    changed_files: int = 0  # files read that carried records
    problems: list[str] = field(default_factory=list)


def _read_incoming(
    root: Path,
    me: str,
    applied: dict[str, int],
    state: SyncState,
    key: FileKey | None = None,
    names: dict[str, str] | None = None,
) -> _Incoming:
    """Read every file this journal has not applied yet. Reads only: nothing changes.

    A device whose files another journal key sealed is skipped whole, with a note.
    """
    out = _Incoming(applied=dict(applied))
    known = names or {}
    refused: set[str] = set()
    listing = {d.name: files.device_files(d) for d in files.device_dirs(root)}
    snapshots: list[tuple[SyncFile, files.Contents]] = []
    # A device's snapshot is read when files it retired are missing from what we applied.
    for device, found in listing.items():
        done = out.applied.get(device, 0)
        plain = [f for f in found if not f.conflict_copy]
        snaps = [f for f in plain if f.kind == files.SNAPSHOT and f.seq > done]
        if not snaps:
            continue
        latest = snaps[-1]
        present = {f.seq for f in plain}
        if all(s in present for s in range(done + 1, latest.seq)):
            continue
        try:
            contents = files.read(latest.path, key)
        except NewerFormatError as exc:
            raise SyncError(str(exc)) from exc
        except KeyMismatchError:
            out.problems.append(_other_key(latest.label, device, known.get(device, ""), key))
            refused.add(device)
            continue
        except (SyncFileError, OSError) as exc:
            out.problems.append(f"Skipped {latest.label}: {exc}; it is read at the next sync.")
            continue
        snapshots.append((latest, contents))
    for snap, contents in snapshots:
        out.records += contents.records
        out.files_read += 1
        out.changed_files += 1
        out.applied[snap.device] = max(out.applied.get(snap.device, 0), snap.seq)
        for device, seq in dict(contents.header.get("seen") or {}).items():
            if isinstance(seq, int):
                out.applied[device] = max(out.applied.get(device, 0), seq)
    for device, found in listing.items():
        if device in refused:
            continue
        done = out.applied.get(device, 0)
        for f in found:
            if f.conflict_copy:
                try:
                    st = f.path.stat()
                except OSError:
                    continue
                if state.extra_seen(f.path.name, st.st_size, st.st_mtime):
                    continue
            elif f.seq <= done or f.kind == files.SNAPSHOT:
                continue
            try:
                contents = files.read(f.path, key)
            except NewerFormatError as exc:
                raise SyncError(str(exc)) from exc
            except KeyMismatchError:
                out.problems.append(_other_key(f.label, device, known.get(device, ""), key))
                break
            except FileNotFoundError:
                out.problems.append(f"{f.label} went away while it was read; it is read later.")
                if not f.conflict_copy:
                    break
                continue
            except (SyncFileError, OSError) as exc:
                if f.conflict_copy:
                    out.problems.append(f"Skipped the conflict copy {f.label}: {exc}.")
                    continue
                out.problems.append(
                    f"Skipped {f.label} and what {device} wrote after it: {exc}; "
                    "it is read at the next sync."
                )
                break
            out.files_read += 1
            out.records += contents.records
            if contents.records:
                out.changed_files += 1
            if f.conflict_copy:
                st = f.path.stat()
                out.extras.append((f.path.name, st.st_size, st.st_mtime))
            else:
                out.applied[device] = f.seq
            out.names[device] = str(contents.header.get("name") or "")
            out.last_written[device] = str(contents.header.get("written") or "")
    return out


def _merge(
    state: SyncState, clock: hlc.Clock, records: list[dict[str, Any]]
) -> tuple[set[tuple[str, str]], int, list[str]]:
    """Merge change records into the state; returns the rows that changed, how many
    fields won, and problems."""
    touched: set[tuple[str, str]] = set()
    problems: list[str] = []
    state.preload(
        (r["t"], r["k"])
        for r in records
        if isinstance(r.get("t"), str) and isinstance(r.get("k"), str)
    )
    latest = ""
    bad = 0
    won = 0
    kinds = set(rows.KINDS)
    for r in records:
        kind, key, stamp, values = r.get("t"), r.get("k"), r.get("h"), r.get("f")
        extra = r.get("x") or {}
        if (
            kind not in kinds
            or not isinstance(key, str)
            or not isinstance(stamp, str)
            or not isinstance(values, dict)
            or not isinstance(extra, dict)
        ):
            bad += 1
            continue
        try:
            hlc.parse(stamp)
            for s in extra.values():
                hlc.parse(s)
        except (ValueError, TypeError, AttributeError):
            bad += 1
            continue
        if stamp > latest:
            latest = stamp
        n = state.merge(kind, key, values, stamp, extra)
        if n:
            won += n
            touched.add((kind, key))
    if bad:
        problems.append(
            f"{bad} change records in the sync folder were not understood and left out."
        )
    # The merged states are written with the rows' "seen" once the journal has them
    # (:meth:`SyncState.set_seen`), the rest by the ``flush`` before the commit.
    if latest:
        ahead = clock.ahead_ms(latest)
        if ahead > hlc.SKEW_WARNING_MS:
            problems.append(
                f"A device's clock is {ahead / 86_400_000:.1f} days ahead of this computer's; "
                "changes still merge in the order they were made (see docs/sync-format.md)."
            )
        clock.receive(latest)
    return touched, won, problems


def _device_infos(
    root: Path, me: str, names: dict[str, str], key: FileKey | None = None
) -> list[DeviceInfo]:
    infos = []
    for d in files.device_dirs(root):
        found = [f for f in files.device_files(d) if not f.conflict_copy]
        written = ""
        name = names.get(d.name, "")
        if found:
            try:
                header = files.read_header(found[-1].path, key)
                written = str(header.get("written") or "")
                name = str(header.get("name") or name)
            except (SyncFileError, OSError):
                pass
        infos.append(DeviceInfo(d.name, name, written, len(found), d.name == me))
    return infos


def sync_folder(
    store: Store,
    folder: Path,
    *,
    compact: bool | None = None,
    now_ms: int | None = None,
) -> SyncReport:
    """Sync ``store`` with the change files in ``folder``.

    ``compact`` True forces a snapshot, False never writes one, None decides by
    the number of files. ``now_ms`` fixes this device's clock (tests).
    Raises :class:`SyncError` (nothing changed) for a folder that cannot be used
    or a file from a newer Ties; other problems are listed in the report.
    """
    folder = check_folder(store, folder)
    if store.readonly:
        raise SyncError(f"{store.path} is open read-only: it cannot take changes from the folder.")
    root = folder / files.ROOT
    state = SyncState(store)
    me_row = state.self_row()
    machine = machine_id(store)
    first = me_row is None
    if me_row is None or me_row.machine != machine:
        me_row = SelfRow(
            device=secrets.token_hex(6),
            machine=machine,
            clock=me_row.clock if me_row else "",
            seq=0,
        )
    me = me_row.device
    report = SyncReport(folder=str(folder), device=me, at=now_stamp())
    peers = state.peers()
    applied = {d: p.applied for d, p in peers.items()}
    applied.setdefault(me, me_row.seq)
    key = file_key(store)
    incoming = _read_incoming(root, me, applied, state, key, {d: p.name for d, p in peers.items()})
    report.problems += incoming.problems
    report.files_read = incoming.files_read
    journal = JournalRows(store, state)
    clock = hlc.Clock(me, me_row.clock, now_ms)
    nothing_new = (
        not first
        and not incoming.records
        and not incoming.extras
        and not state.has_dirty()
        and not state.has_outbox()
        and incoming.applied == applied
    )
    if not nothing_new:
        with store.transaction():
            state.set_self(me_row)  # the triggers start noting rows from here on
            outgoing = journal.capture(clock, None if first else state.dirty())
            state.clear_dirty()
            touched, received, problems = _merge(state, clock, incoming.records)
            report.received = received
            report.problems += problems
            report.problems += journal.apply(touched, journal.released)
            # Writing merged rows can change others (a deleted person leaves entries made
            # on their behalf): those are this device's edits, stamped now.
            outgoing += journal.capture(clock, state.dirty())
            state.clear_dirty()
            state.flush()
            state.add_outbox(outgoing)
            for device, seq in incoming.applied.items():
                if device == me:
                    continue
                old = peers.get(device)
                state.set_peer(
                    Peer(
                        device,
                        seq,
                        incoming.names.get(device, old.name if old else ""),
                        incoming.last_written.get(device, old.last_seen if old else ""),
                    )
                )
            for name, size, mtime in incoming.extras:
                state.set_extra(name, size, mtime)
            me_row.clock = str(clock.last)
            me_row.seq = max(me_row.seq, incoming.applied.get(me, 0))
            state.set_self(me_row)
        report.applied = journal.applied
        _write_outbox(store, state, root, me_row, incoming, report, key)
    _maybe_compact(store, state, root, me_row, compact, report, key)
    report.devices = _device_infos(root, me, incoming.names, key)
    for d in report.devices:
        if d.last_written and not d.this_device:
            try:
                when = datetime.fromisoformat(d.last_written.replace("Z", "+00:00"))
            except ValueError:
                continue
            days = (datetime.now(UTC) - when).days
            if days > STALE_DAYS:
                report.problems.append(
                    f"Device {d.name or d.device} has written nothing for {days} days; old "
                    "changes stay in the folder for it. If it is gone for good, delete its "
                    f"folder {files.ROOT}/{d.device}."
                )
    known = {p for p in peers if p != me}
    present = {d.device for d in report.devices}
    for device in sorted(known - present):
        name = peers[device].name or device
        report.problems.append(
            f"Device {name} is no longer in the folder; what it sent before stays in this journal."
        )
    return report


def _header(me: SelfRow, kind: str, seq: int, applied: dict[str, int]) -> dict[str, Any]:
    return {
        "device": me.device,
        "name": platform.node(),
        "kind": kind,
        "seq": seq,
        "written": now_stamp(),
        "clock": me.clock,
        "seen": {d: s for d, s in sorted(applied.items()) if d != me.device},
    }


def _next_seq(root: Path, me: SelfRow) -> int:
    own = [f.seq for f in files.device_files(root / me.device) if not f.conflict_copy]
    return max([me.seq, *own]) + 1


def _write_outbox(
    store: Store,
    state: SyncState,
    root: Path,
    me: SelfRow,
    incoming: _Incoming,
    report: SyncReport,
    key: FileKey | None = None,
) -> None:
    """Write this device's next change file, holding the journal's write lock meanwhile:
    two syncs of one journal at once (the window's and ``ties sync``) take turns, so
    they never write the same file name."""
    if not state.has_outbox() and not incoming.changed_files:
        return
    try:
        with store.transaction():
            now = state.self_row() or me
            me.seq, me.clock = now.seq, now.clock
            outbox = state.outbox()
            root.mkdir(mode=0o700, exist_ok=True)
            (root / me.device).mkdir(mode=0o700, exist_ok=True)
            seq = _next_seq(root, me)
            path = root / me.device / files.file_name(files.CHANGES, seq, key is not None)
            files.write(
                path,
                _header(me, files.CHANGES, seq, incoming.applied),
                (record for _n, record in outbox),
                key,
            )
            if outbox:
                state.clear_outbox(outbox[-1][0])
            me.seq = seq
            state.set_self(me)
    except OSError as exc:
        report.problems.append(
            f"Could not write to the sync folder ({exc.strerror or exc}); this journal's changes "
            "are kept and go out at the next sync."
        )
        return
    report.sent = len(outbox)
    report.file_written = f"{me.device}/{path.name}"


def _maybe_compact(
    store: Store,
    state: SyncState,
    root: Path,
    me: SelfRow,
    compact: bool | None,
    report: SyncReport,
    key: FileKey | None = None,
) -> None:
    own_dir = root / me.device
    own = [f for f in files.device_files(own_dir) if not f.conflict_copy]
    if compact is False or not own or (compact is None and len(own) < COMPACT_AFTER):
        return
    # Every other device must have applied a file before it may go.
    acked = me.seq
    for d in files.device_dirs(root):
        if d.name == me.device:
            continue
        theirs = [f for f in files.device_files(d) if not f.conflict_copy]
        if not theirs:
            continue
        try:
            seen = files.read_header(theirs[-1].path, key).get("seen") or {}
        except (SyncFileError, OSError):
            return
        acked = min(acked, int(seen.get(me.device, 0)))
    retire = [f for f in own if f.seq <= acked]
    if not retire:
        return
    applied = {d: p.applied for d, p in state.peers().items()}
    try:
        with store.transaction():  # one writer of this device's files at a time (see above)
            me.seq = (state.self_row() or me).seq
            seq = _next_seq(root, me)
            path = own_dir / files.file_name(files.SNAPSHOT, seq, key is not None)
            header = _header(me, files.SNAPSHOT, seq, applied)
            files.write(path, header, _snapshot_records(state), key)
            me.seq = seq
            state.set_self(me)
    except OSError as exc:
        report.problems.append(
            f"Could not write a snapshot to the sync folder ({exc.strerror or exc})."
        )
        return
    for f in own:
        if f.seq <= acked or f.kind == files.SNAPSHOT:
            try:
                os.unlink(f.path)
                report.compacted += 1
            except OSError:
                pass


def _snapshot_records(state_rows: SyncState) -> Iterator[dict[str, Any]]:
    """The whole merged state, one record a row; fields stamped unlike the row's
    latest stamp carry their own in ``x``."""
    for kind, key, state in state_rows.all_rows():
        stamps = {f: hv[0] for f, hv in state.items()}
        top = max(stamps.values())
        out: dict[str, Any] = {"t": kind, "k": key, "h": top}
        out["f"] = {f: hv[1] for f, hv in state.items()}
        odd = {f: s for f, s in stamps.items() if s != top}
        if odd:
            out["x"] = odd
        yield out
