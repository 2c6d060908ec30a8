"""The Markdown export: a readable report of the journal to print or keep.

People with their profiles and histories, preceded by the coverage and
reciprocity summaries. Written person by
person, so memory stays small however long the history is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from ties.analysis.coverage import compute_coverage
from ties.analysis.reciprocity import PersonBalance, balances
from ties.analysis.render import coverage_markdown, summary
from ties.io.atomic import atomic_write, refuse_journal_target
from ties.model import CLOSENESS_LABELS, WEIGHT_WORDS
from ties.store import PeopleFilter, Store


def _md(text: str) -> str:
    """Escape what Markdown would read as markup at the start of a line or inline."""
    out = text.replace("\\", "\\\\")
    for ch in "*_`[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def _coverage(store: Store, out: TextIO, today: date) -> None:
    text = coverage_markdown(compute_coverage(store, today))
    if text:
        out.write(f"{text.rstrip()}\n\n")


def _balances(store: Store, today: date) -> dict[int, PersonBalance]:
    return {b.person_id: b for b in balances(store, today)}


def write_markdown(
    store: Store,
    out: TextIO,
    *,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the report; returns the number of entries listed."""
    today = today or date.today()
    people = store.list_people(PeopleFilter(archived=None))
    circles = {c.key: c.label for c in store.circles(include_retired=True)}
    types = {t.key: t.label for t in store.support_types(include_retired=True)}
    total = store.count_entries()
    out.write(f"# {_md(store.name)}\n\n")
    out.write(
        f"A Ties journal report, {today.isoformat()}: {len(people):,} people, "
        f"{total:,} entries.\n\n"
    )
    _coverage(store, out, today)
    balances = _balances(store, today)
    if balances:
        out.write("## Give and take (last 12 months)\n\n")
        out.write("| Person | Given | Received | Last contact |\n|---|---:|---:|---|\n")
        for p in people:
            b = balances.get(p.id or 0)
            if b is None or p.archived:
                continue
            last = b.last_contact.isoformat() if b.last_contact else "—"
            out.write(f"| {_md(p.name)} | {b.given} | {b.received} | {last} |\n")
        out.write("\n")
    out.write("## People\n\n")
    done = 0
    for p in people:
        out.write(f"### {_md(p.name)}{' (archived)' if p.archived else ''}\n\n")
        facts = [
            ("Circle", circles.get(p.circle, p.circle)),
            ("Organisation", p.organization),
            ("Role", p.role),
            ("Closeness", f"{p.closeness} ({CLOSENESS_LABELS.get(p.closeness, '')})"),
            ("How we met", p.how_met),
            ("Met on", p.met_on.isoformat() if p.met_on else ""),
            ("Life phases", ", ".join(p.life_phases)),
            ("Interests", p.interests),
            ("What they need", p.needs),
            ("What I can offer", p.offers),
            ("Last contact", p.last_contact.isoformat() if p.last_contact else ""),
        ]
        for label, value in facts:
            if value:
                out.write(f"- **{label}:** {_md(value)}\n")
        b = balances.get(p.id or 0)
        if b is not None:
            out.write(f"- **Give and take:** {_md(summary(b))}\n")
        if p.notes:
            out.write("\n" + "\n".join(f"> {_md(line)}" for line in p.notes.splitlines()) + "\n")
        history = store.person_history(p.id or 0, limit=None)
        if history:
            out.write(f"\n#### History ({len(history):,} entries)\n\n")
            for e in history:
                tags = ", ".join(types.get(k, k) for k in e.support_types)
                bits = [e.date.isoformat(), e.direction, e.kind, WEIGHT_WORDS.get(e.weight, "")]
                line = " · ".join(b for b in bits if b)
                if len(e.person_ids) > 1:
                    line += f" · with {_md(e.people_label)}"
                if tags:
                    line += f" · {_md(tags)}"
                if e.note:
                    line += f": {_md(' '.join(e.note.split()))}"
                out.write(f"- {line}\n")
            done += len(history)
            if progress:
                progress(done, total)
        out.write("\n")
    return total


def export_markdown(
    store: Store, target: Path, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the report to ``target`` atomically."""
    refuse_journal_target(Path(target), store.path)
    with atomic_write(Path(target), "w") as fh:
        return write_markdown(store, fh, progress=progress)
