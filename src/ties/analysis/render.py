"""Every sentence, report and Markdown section the analyses are shown in (no Qt).

The command line, the Markdown export and the window say things through here,
so one person's balance or one window reads the same everywhere. The figures
come from :mod:`ties.analysis.coverage` and :mod:`ties.analysis.reciprocity`;
nothing here reads the journal.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.model import CLOSENESS_LABELS, FAMILIES

if TYPE_CHECKING:
    from ties.analysis.coverage import Closure, Contribution, Coverage, Diversity, TypeCoverage
    from ties.analysis.reciprocity import MonthPoint, PersonBalance

# ------------------------------------------------------------------ coverage


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 provider``, ``3 providers``."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _names(first: list[Contribution], total: int) -> str:
    """The first people of a list (as many as were made) and how many more there are."""
    shown = ", ".join(
        f"{c.name} ({c.entries} {'entry' if c.entries == 1 else 'entries'}, weight {c.weight})"
        for c in first
    )
    more = total - len(first)
    return shown + (f" and {more} more" if more > 0 else "")


#: Names shown per list in the text and Markdown reports.
NAMES_SHOWN = 6


def _providers(t: TypeCoverage) -> str:
    return _names(t.first_providers(NAMES_SHOWN), len(t.received_cells))


def _given_to(t: TypeCoverage) -> str:
    return _names(t.first_given_to(NAMES_SHOWN), len(t.given_cells))


def window_phrase(cov: Coverage) -> str:
    return (
        f"{cov.first_day.isoformat()} to {cov.as_of.isoformat()} ({plural(cov.window_days, 'day')})"
    )


def coverage_text(cov: Coverage) -> str:
    """The readable report ``ties report coverage`` prints."""
    lines = [f"Support coverage, {window_phrase(cov)}", ""]
    for family in FAMILIES:
        fam = cov.families[family]
        lines.append(
            f"{family.capitalize()}: {plural(fam.providers, 'provider')}, weight {fam.weight}"
            f" (weak ties {_pct(fam.weak_share)}, strong ties {_pct(fam.strong_share)})"
        )
        for t in cov.support_types:
            if t.family != family:
                continue
            mark = "[x]" if t.covered else "[ ]"
            lines.append(f"  {mark} {t.label}: {t.plain_words}")
            if t.covered:
                lines.append(f"      from {_providers(t)}")
            else:
                lines.append("      GAP: nobody gave you this in the window")
                for s in t.suggestions:
                    lines.append(f"      - maybe {s.name}: {s.why}")
            if t.given_cells:
                lines.append(f"      you gave it to {_given_to(t)}")
        lines.append("")
    ties = cov.ties
    lines.append(
        f"Ties: {ties.active} active people: {ties.weak} weak, {ties.medium} medium, "
        f"{ties.strong} strong"
    )
    lines.append(diversity_sentence(cov.diversity))
    lines.append(closure_sentence(cov.closure))
    return "\n".join(lines)


def closure_sentence(c: Closure) -> str:
    """How many of the people who support me know one another, in words."""
    if c.supporters < 2:
        return "Who knows whom: fewer than two people supported you in the window."
    return (
        f"Who knows whom: {c.know_another} of the {c.supporters} people who supported you "
        f"know another of them; {c.linked_pairs:,} of {c.pairs:,} possible "
        f"{'pair is' if c.pairs == 1 else 'pairs are'} linked ({_pct(c.density)})."
        + (
            " Many of them know each other, so they may tell you the same things."
            if c.pairs >= 3 and c.density >= 0.5
            else ""
        )
    )


#: What the diversity figures are, for the window's tooltip and docs/coverage.md.
DIVERSITY_DEFINITION = (
    "Diversity is the chance that two people picked at random from those you were in "
    "touch with belong to different circles (or organisations): 0 when all are in one, "
    "close to 1 when they are spread over many."
)
#: Below the first figure people are "mostly in one"; from the second "spread widely".
DIVERSITY_WORDS = (0.35, 0.6)


def _spread(value: float, one: str, many: str) -> str:
    low, high = DIVERSITY_WORDS
    if value < low:
        return f"mostly in one {one}"
    if value < high:
        return f"spread over a few {many}"
    return f"spread widely over {many}"


def diversity_sentence(d: Diversity) -> str:
    """Diversity in words (issue #17 item 10: "circles 0.28" said nothing by itself)."""
    if not d.people:
        return "Diversity: nobody was active in the window."
    text = f"The people you were in touch with are {_spread(d.circles, 'circle', 'circles')}"
    if d.largest_circle:
        text += f" (largest: {d.largest_circle_label}, {_pct(d.largest_circle_share)})"
    if d.people > d.without_organization:
        text += f" and {_spread(d.organizations, 'organisation', 'organisations')}"
        if d.largest_organization:
            text += f" (largest: {d.largest_organization}, {_pct(d.largest_organization_share)})"
    if d.without_organization:
        text += f"; {d.without_organization} without an organisation"
    return text + "."


def diversity_figures(d: Diversity) -> str:
    """The definition and the two figures behind :func:`diversity_sentence`."""
    return f"{DIVERSITY_DEFINITION} Circles {d.circles:.2f}, organisations {d.organizations:.2f}."


def coverage_markdown(cov: Coverage) -> str:
    """The coverage as a Markdown section, for ``ties export --format markdown``."""
    out = ["## Support coverage", "", f"{window_phrase(cov)}.", ""]
    for family in FAMILIES:
        fam = cov.families[family]
        out.append(
            f"### {family.capitalize()} ({plural(fam.providers, 'provider')}, weight {fam.weight}; "
            f"weak ties {_pct(fam.weak_share)}, strong ties {_pct(fam.strong_share)})"
        )
        out.append("")
        for t in cov.support_types:
            if t.family != family:
                continue
            if t.covered:
                out.append(
                    f"- [x] **{_md(t.label)}**: {_md(t.plain_words)} — from {_md(_providers(t))}"
                )
            else:
                out.append(f"- [ ] **{_md(t.label)}**: {_md(t.plain_words)} — *gap*")
                for s in t.suggestions:
                    out.append(f"    - maybe {_md(s.name)}: {_md(s.why)}")
        out.append("")
    ties = cov.ties
    out.append(
        f"**Ties:** {ties.active} active people: {ties.weak} weak, {ties.medium} medium, "
        f"{ties.strong} strong."
    )
    out.append("")
    out.append(_md(diversity_sentence(cov.diversity)))
    out.append("")
    out.append(_md(closure_sentence(cov.closure)))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape the characters Markdown would read as formatting."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


# ------------------------------------------------------------------ plain words


def window_words(window_days: int) -> str:
    """``in the last year``, ``in the last 2 years``, ``in the last 90 days``."""
    if window_days % 365 == 0:
        years = window_days // 365
        return "in the last year" if years == 1 else f"in the last {years} years"
    if window_days == 1:
        return "in the last day"
    return f"in the last {window_days:,} days"


def ago_words(days: int | None) -> str:
    """How long ago, in the unit a person would use: ``yesterday``, ``5 weeks ago``.

    The one rule for this wording: the command line, Today, the person page, the
    people list and the map card all say it through here (the window via
    ``ties.ui.format.ago``), so the same person reads the same everywhere.
    """
    if days is None:
        return "never"
    if days < 0:
        return "in the future"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{round(days / 365.25)} years ago"


def _times(ratio: float) -> str:
    if ratio < 1.5:
        return "a bit more than"
    if ratio < 1.75:
        return "about one and a half times"
    if ratio < 2.5:
        return "about twice"
    if ratio < 3.5:
        return "about three times"
    return f"about {round(ratio)} times"


def _count_times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n:,} times"


def balance_words(given: int, received: int, window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """The balance as a person would say it: "You have given about twice what you received …"."""
    span = window_words(window_days)
    if given == 0 and received == 0:
        return f"Nothing given or received {span}"
    if received == 0:
        return f"You have given {_count_times(given)} and received nothing back {span}"
    if given == 0:
        return f"You have received {_count_times(received)} and given nothing back {span}"
    ratio = given / received
    if 0.8 <= ratio <= 1.25:
        return f"Give and take are about even {span}"
    if ratio > 1:
        return f"You have given {_times(ratio)} what you received {span}"
    return f"You have received {_times(1 / ratio)} what you gave {span}"


def summary(b: PersonBalance, window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """One line for the person page: the balance and the last contact, in plain words."""
    contact = (
        "no contact logged yet"
        if b.last_contact is None
        else f"last contact {ago_words(b.days_since_contact)}"
    )
    return f"{balance_words(b.given, b.received, window_days)}; {contact}"


def cadence_words(closeness: int, cadence_days: int) -> str:
    label = CLOSENESS_LABELS.get(closeness, str(closeness))
    every = "every day" if cadence_days == 1 else f"every {cadence_days:,} days"
    return f"{every} for {label}"


# ------------------------------------------------------------------ text tables


def counted(n: int, word: str, words: str | None = None) -> str:
    """``1 day``, ``36,500 days``: :func:`plural` with thousands marked."""
    return f"{n:,} " + plural(n, word, words).split(" ", 1)[1]


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK, emoji) characters take two."""
    if text.isascii():  # most cells: one column a character (and ~20× faster than the sum)
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
        for c in text
    )


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain text table, column widths fitted to the content as a terminal shows it."""
    lines = [headers, *rows]
    columns = list(zip(*lines, strict=True))
    widths = [max(map(display_width, column)) for column in columns]

    def cell(text: str, width: int) -> str:
        if text.isascii():  # one column a character: padded by str.ljust (10,000 rows: ~20 ms)
            return text.ljust(width)
        return text + " " * (width - display_width(text))

    out = ["  ".join(map(cell, line, widths)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


# ------------------------------------------------------------------ balances


def balance_text(
    rows: list[PersonBalance],
    as_of: date,
    window_days: int,
    person: PersonBalance | None = None,
    points: list[MonthPoint] | None = None,
) -> str:
    """The readable report ``ties report balance`` prints (``person``: one person's, with
    their month-by-month ``points``)."""
    if not rows:
        return "No people in the journal yet."
    lines = [
        table(
            [
                [
                    b.name,
                    str(b.given),
                    str(b.received),
                    str(b.mutual),
                    f"{b.balance:+d}",
                    b.last_contact.isoformat() if b.last_contact else "never",
                    ", ".join(b.flags),
                ]
                for b in rows
            ],
            ["Name", "Given", "Received", "Mutual", "Balance", "Last contact", "Flags"],
        ),
        f"\nWindow: {counted(window_days, 'day')} up to {as_of.isoformat()}.",
    ]
    if person is not None:
        lines.append(summary(person, window_days) + ".")
        if points:
            lines.append("")
            lines.append(
                table(
                    [[m.month, str(m.given), str(m.received), f"{m.balance:+d}"] for m in points],
                    ["Month", "Given", "Received", "Running balance"],
                )
            )
    return "\n".join(lines)
