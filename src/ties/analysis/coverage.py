"""Support coverage: which kinds of support my network gives me, from whom, and the gaps.

One computation, used by the Coverage place, ``ties report coverage``, the
Today list, the relationship map and the Markdown report. The rules (see
docs/coverage.md):

* the window is ``as_of - window_days < date <= as_of``: ``window_days`` days
  ending on ``as_of``, both ends counted as whole days; nothing after ``as_of``;
* an entry counts, with its full weight, for every person it names and every
  support type it carries: ``received`` makes that person a provider,
  ``gave`` puts them in ``given_to``, ``mutual`` does both, ``contact`` neither
  (but the person is still active in the window);
* archived people do not count anywhere; retired support types are left out
  (entries that carry them count for their other types only);
* a family's weight is the sum of its types' weights (an entry carrying two
  types of one family counts in both).

The window's sums per person and support type come from
:func:`ties.store.window_totals.window_totals`, which keeps them up to date for
the window last asked for (a day later it reads only the day that left and the
day that entered). Every other read is a named function of
:mod:`ties.store.coverage_reads`; this module reads its inputs through them,
then computes over plain rows (:func:`coverage_from_rows`, :func:`suggest`),
which the tests call with hand-built rows. The text and Markdown renderings
are in :mod:`ties.analysis.render`.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from ties.analysis import collector
from ties.analysis.names import name_key
from ties.analysis.window import DEFAULT_WINDOW_DAYS, check_window, window_start
from ties.model import CLOSENESS_LABELS, FAMILIES, STRONG_TIES, WEAK_TIES, Circle, SupportType
from ties.store import Store
from ties.store import coverage_reads as reads
from ties.store.coverage_reads import CoveragePerson as _Person
from ties.store.window_totals import near_kept_window, side_totals

__all__ = ["DEFAULT_WINDOW_DAYS", "compute_coverage", "coverage_from_rows", "coverage_gaps"]

#: At most this many suggestions per gap.
MAX_SUGGESTIONS = 5
#: ... and at most this many for one reason, so that different reasons show.
PER_RULE = 2
RECEIVING = ("received", "mutual")
GIVING = ("gave", "mutual")


class Contribution(NamedTuple):
    """One person's share of one support type in the window."""

    person_id: int
    name: str
    uuid: str
    entries: int
    weight: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "uuid": self.uuid,
            "entries": self.entries,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Suggestion:
    """Someone who could plausibly fill a gap, and why the journal thinks so."""

    person_id: int
    name: str
    uuid: str
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "uuid": self.uuid, "why": self.why}


#: Makes a :class:`Contribution` from a tuple without a Python-level call.
_contribution = partial(tuple.__new__, Contribution)

#: One cell before it is shown: (sort key, person id, entries, weight), sorted.
Cell = tuple[int, int, int, int]


@dataclass
class TypeCoverage:
    """One support type: who gave it to me, whom I gave it to, who might fill a gap.

    ``providers`` and ``given_to`` are made from the cells, sorted then, the first
    time they are read: a year of a large journal has tens of thousands of them, and
    the Today list, a chart or a report's line of six names needs only the totals or
    the first few.
    """

    key: str
    label: str
    family: str
    question: str
    suggestions: list[Suggestion] = field(default_factory=list)
    received_cells: list[Cell] = field(default_factory=list, repr=False)
    given_cells: list[Cell] = field(default_factory=list, repr=False)
    people: Mapping[int, _Person] = field(default_factory=dict, repr=False, compare=False)
    #: Whether the cells are in their order yet (:func:`coverage_from_rows` sorts later).
    cells_sorted: bool = field(default=True, repr=False, compare=False)

    @cached_property
    def providers(self) -> list[Contribution]:
        """Who gave me this kind of support, by weight, then name."""
        return self._contributions(self._sorted().received_cells)

    @cached_property
    def given_to(self) -> list[Contribution]:
        """Whom I gave it to, in the same order."""
        return self._contributions(self._sorted().given_cells)

    def first_providers(self, n: int) -> list[Contribution]:
        """The first ``n`` of :attr:`providers`, without making the others (a report's line)."""
        return self._contributions(self._first(self.received_cells, n))

    def first_given_to(self, n: int) -> list[Contribution]:
        """The first ``n`` of :attr:`given_to`, without making the others."""
        return self._contributions(self._first(self.given_cells, n))

    def _sorted(self) -> TypeCoverage:
        if not self.cells_sorted:
            self.received_cells.sort()
            self.given_cells.sort()
            self.cells_sorted = True
        return self

    def _first(self, cells: list[Cell], n: int) -> list[Cell]:
        return cells[:n] if self.cells_sorted else heapq.nsmallest(n, cells)

    def _contributions(self, cells: list[Cell]) -> list[Contribution]:
        people = self.people
        return [
            _contribution((pid, (p := people[pid]).name, p.uuid, n, w)) for _, pid, n, w in cells
        ]

    @property
    def covered(self) -> bool:
        return bool(self.received_cells)

    @property
    def plain_words(self) -> str:
        """The checklist line: the type's question, or its label when it has none."""
        return self.question or self.label

    @property
    def weight(self) -> int:
        return sum(c[3] for c in self.received_cells)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "family": self.family,
            "covered": self.covered,
            "providers": [c.to_json() for c in self.providers],
            "given_to": [c.to_json() for c in self.given_to],
            "suggestions": [s.to_json() for s in self.suggestions],
        }


@dataclass
class FamilyCoverage:
    """Instrumental or psychosocial: distinct providers, weight, and through which ties."""

    family: str
    providers: int = 0
    weight: int = 0
    weak_weight: int = 0
    strong_weight: int = 0

    @property
    def medium_weight(self) -> int:
        return self.weight - self.weak_weight - self.strong_weight

    @property
    def weak_share(self) -> float:
        return self.weak_weight / self.weight if self.weight else 0.0

    @property
    def strong_share(self) -> float:
        return self.strong_weight / self.weight if self.weight else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"providers": self.providers, "weight": self.weight}


@dataclass
class TieCounts:
    """Active people (any entry in the window) by tie strength."""

    active: int = 0
    weak: int = 0
    strong: int = 0

    @property
    def medium(self) -> int:
        return self.active - self.weak - self.strong

    def to_json(self) -> dict[str, Any]:
        return {"active": self.active, "weak": self.weak, "strong": self.strong}


@dataclass
class Diversity:
    """How spread the active people are over circles and organisations (1 − Σp²).

    People without an organisation are left out of the organisation figure
    (``without_organization`` counts them): "no organisation" is not a group.
    """

    circles: float = 0.0
    organizations: float = 0.0
    largest_circle: str | None = None
    largest_circle_label: str | None = None
    largest_circle_share: float = 0.0
    largest_organization: str | None = None
    largest_organization_share: float = 0.0
    people: int = 0
    without_organization: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "circles": round(self.circles, 2),
            "organizations": round(self.organizations, 2),
            "largest_circle": self.largest_circle,
        }


@dataclass
class Closure:
    """How many of the people who supported me know one another (links between people).

    A network whose members all know each other tends to bring the same
    information twice (an echo chamber); one whose members do not know each
    other reaches further. ``supporters``: distinct people who gave me any
    support in the window; ``linked_pairs`` of their ``pairs`` are linked in the
    journal; ``know_another``: supporters linked to at least one other supporter.
    """

    supporters: int = 0
    pairs: int = 0
    linked_pairs: int = 0
    know_another: int = 0

    @property
    def density(self) -> float:
        return self.linked_pairs / self.pairs if self.pairs else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "supporters": self.supporters,
            "pairs": self.pairs,
            "linked_pairs": self.linked_pairs,
            "density": round(self.density, 2),
            "know_another": self.know_another,
        }


def closure_of(supporters: set[int], links: Iterable[tuple[int, int]]) -> Closure:
    """:class:`Closure` of ``supporters`` given every link (a pure function)."""
    n = len(supporters)
    pairs: set[frozenset[int]] = set()
    for a, b in links:
        if a != b and a in supporters and b in supporters:
            pairs.add(frozenset((a, b)))
    knowing = {pid for pair in pairs for pid in pair}
    return Closure(n, n * (n - 1) // 2, len(pairs), len(knowing))


class Tile(NamedTuple):
    """One tile of the heat map: what one person gave me of one support type."""

    entries: int
    weight: int


#: Makes a :class:`Tile` from a tuple without a Python-level call.
_tile = partial(tuple.__new__, Tile)

#: One row of the heat map: person id, name, total weight, support type key → tile.
ProviderRow = tuple[int, str, int, dict[str, Tile]]


@dataclass
class Coverage:
    """The support coverage of one window; :meth:`to_json` is the public JSON."""

    as_of: date
    window_days: int
    support_types: list[TypeCoverage]
    families: dict[str, FamilyCoverage]
    ties: TieCounts
    diversity: Diversity
    closure: Closure = field(default_factory=Closure)

    @property
    def first_day(self) -> date:
        """The earliest day inside the window."""
        return window_start(self.as_of, self.window_days - 1)

    @property
    def gaps(self) -> list[TypeCoverage]:
        return [t for t in self.support_types if not t.covered]

    def type(self, key: str) -> TypeCoverage:
        for t in self.support_types:
            if t.key == key:
                return t
        raise KeyError(key)

    def provider_families(self) -> dict[int, set[str]]:
        """Person id → the families of support they gave me in the window."""
        out: dict[int, set[str]] = {}
        for t in self.support_types:
            for cell in t.received_cells:
                out.setdefault(cell[1], set()).add(t.family)
        return out

    def with_lists(self) -> Coverage:
        """Make now, on a worker, what the Coverage place shows: the cells in their order
        (its checklist names the first few of each type) and the heat map's rows. The
        provider and given-to lists stay lazy: the place never shows them whole."""
        with collector.paused():  # tens of thousands of tiles, no cycles
            for t in self.support_types:
                t._sorted()
            _ = self.provider_rows
        return self

    @cached_property
    def provider_rows(self) -> list[ProviderRow]:
        """Everybody who gave me support in the window, most weight first, then by name: the
        heat map's rows (person id, name, total weight, support type key → tile), made from
        the cells (no :class:`Contribution` per cell)."""
        tiles: dict[int, dict[str, Tile]] = {}
        names: dict[int, str] = {}
        for t in self.support_types:
            key, people = t.key, t.people
            for _rank, pid, n, w in t.received_cells:
                mine = tiles.get(pid)
                if mine is None:
                    mine = tiles[pid] = {}
                    names[pid] = people[pid].name
                mine[key] = _tile((n, w))
        rows = [
            (pid, names[pid], sum(tile[1] for tile in mine.values()), mine)
            for pid, mine in tiles.items()
        ]
        rows.sort(key=lambda r: (-r[2], r[1].casefold(), r[0]))
        return rows

    def types_by_person(self) -> dict[int, set[str]]:
        """Person id → the kinds of support they gave me (the map's filter), no figures."""
        out: dict[int, set[str]] = {}
        for t in self.support_types:
            for cell in t.received_cells:
                out.setdefault(cell[1], set()).add(t.key)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "window_days": self.window_days,
            "support_types": [t.to_json() for t in self.support_types],
            "families": {f: self.families[f].to_json() for f in FAMILIES},
            "ties": self.ties.to_json(),
            "diversity": self.diversity.to_json(),
            "closure": self.closure.to_json(),
        }


def compute_coverage(
    store: Store,
    as_of: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    only: set[int] | None = None,
    given: bool = True,
) -> Coverage:
    """The support coverage of the ``window_days`` days ending on ``as_of`` (default today).

    ``only`` (person ids, e.g. the people with a tag) limits every figure, and the
    suggestions, to those people. ``given=False`` leaves every ``given_to`` empty
    (the Coverage place shows only what people gave me): half the rows to read.
    """
    with collector.paused():  # tens of thousands of cells and rows, no cycles
        return _compute_coverage(store, as_of, window_days, only, given)


def _compute_coverage(
    store: Store, as_of: date | None, window_days: int, only: set[int] | None, given: bool
) -> Coverage:
    check_window(window_days)
    as_of = as_of or date.today()
    start = window_start(as_of, window_days)
    lo, hi = start.isoformat(), as_of.isoformat()
    received = side_totals(store, lo, hi, "received")
    given_rows = side_totals(store, lo, hi, "given") if given else []
    # Who was in touch, and how often (suggestion rule 4): from everyone's sums when the
    # window is the kept one (they are then one read, shared with balances), else one
    # probe per person now and the weak ties' counts only if rule 4 asks.
    counts = reads.active_counts(store, lo, hi) if near_kept_window(store, lo, hi) else None
    active = set(counts) if counts is not None else reads.active_ids(store, lo, hi)
    if only is not None:
        received = [r for r in received if r[1] in only]
        given_rows = [r for r in given_rows if r[1] in only]
        active &= only
    types = store.support_types()  # not retired
    people = reads.coverage_people(store)
    circles = store.circles(include_retired=True)
    links = reads.linked_pairs(store)
    cov = coverage_from_rows(
        as_of, window_days, received, given_rows, active, types, people, circles, links
    )
    if cov.gaps:
        inputs = read_suggestion_inputs(store, cov.gaps, start, as_of)

        def activity() -> Counter[int]:
            """The weak ties' entries in the window (all rule 4 reads), when it needs them."""
            if counts is None:
                weak = reads.entry_counts(store, lo, hi, WEAK_TIES)
            else:
                weak = Counter(
                    {
                        pid: n
                        for pid, n in counts.items()
                        if (p := people[pid]).closeness in WEAK_TIES and not p.archived
                    }
                )
            if only is not None:
                return Counter({pid: n for pid, n in weak.items() if pid in only})
            return weak

        suggest(cov.gaps, {t.key: t for t in types}, people, activity, inputs)
        if only is not None:
            for t in cov.gaps:
                t.suggestions = [s for s in t.suggestions if s.person_id in only]
    return cov


@dataclass(frozen=True)
class GivenTypes:
    """Who gave me which kinds of support in a window, without the figures: what the map
    shows (the colour of a node, its filter and its card), at a fraction of the cost of
    :func:`compute_coverage` (no names sorted, no lists, no suggestions)."""

    types: dict[int, set[str]]
    family_of: dict[str, str]  # type key → its family

    def types_by_person(self) -> dict[int, set[str]]:
        """Person id → the kinds of support they gave me (as :meth:`Coverage.types_by_person`)."""
        return self.types

    def provider_families(self) -> dict[int, set[str]]:
        """Person id → the families of support they gave me (as in :class:`Coverage`)."""
        return {pid: {self.family_of[k] for k in keys} for pid, keys in self.types.items()}


def given_types(
    store: Store, as_of: date | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> GivenTypes:
    """Who gave me which support types in the window, by the rules of :func:`compute_coverage`."""
    check_window(window_days)
    as_of = as_of or date.today()
    start = window_start(as_of, window_days)
    received = side_totals(store, start.isoformat(), as_of.isoformat(), "received")
    return given_types_from_rows(received, store.support_types(), reads.archived_ids(store))


def given_types_from_rows(
    received: Iterable[tuple[str, int, int, int]],
    types: list[SupportType],
    archived: set[int],
) -> GivenTypes:
    """:class:`GivenTypes` from a window's received sums (a pure function): a person gave a
    type when they have received entries of it; archived people and retired types count not."""
    family_of = {t.key: t.family for t in types}
    out: dict[int, set[str]] = {}
    for key, pid, entries, _weight in received:
        if entries and key in family_of and pid not in archived:
            out.setdefault(pid, set()).add(key)
    return GivenTypes(out, family_of)


#: One side's sums of a window: (type key, person id, entries, weight).
SideRow = tuple[str, int, int, int]


def coverage_from_rows(
    as_of: date,
    window_days: int,
    received: Iterable[SideRow],
    given: Iterable[SideRow],
    active: Iterable[int],
    types: list[SupportType],
    people: dict[int, _Person],
    circles: list[Circle],
    links: Iterable[tuple[int, int]] = (),
) -> Coverage:
    """The coverage of one window from its sums, without suggestions (a pure function).

    ``received`` and ``given`` are the window's sums of each side per support type and
    person (:func:`ties.store.window_totals.side_totals`), ``active`` everybody named on
    an entry in it; ``types`` are the support types in use (not retired), ``people``
    everybody by id (archived included: they are left out here), ``circles`` every
    circle in the journal's order (retired included, for the diversity labels).
    """
    archived = {pid for pid, p in people.items() if p.archived}
    # A cell is (sort key, person id, entries, weight); the one integer key orders by
    # weight, then name, which sorts far faster than a key function.
    rank = _name_rank(people)
    scale = len(rank) + 1
    wanted = {t.key for t in types}

    def cells(rows: Iterable[SideRow]) -> dict[str, list[Cell]]:
        out: dict[str, list[Cell]] = {key: [] for key in wanted}
        # The store's rows come by type: one comprehension per type, not a call per row.
        for key, group in groupby(rows, itemgetter(0)):
            if key in wanted:  # not a retired type
                out[key] += [
                    (rank[pid] - w * scale, pid, n, w)
                    for _key, pid, n, w in group
                    if n and pid not in archived
                ]
        return out

    received_cells, given_cells = cells(received), cells(given)
    coverage_types = [
        TypeCoverage(
            t.key,
            t.label,
            t.family,
            t.question,
            received_cells=received_cells[t.key],
            given_cells=given_cells[t.key],
            people=people,
            cells_sorted=False,
        )
        for t in types
    ]
    families = _families(coverage_types, people)
    active_people = [people[pid] for pid in active if pid not in archived]
    ties = TieCounts(
        active=len(active_people),
        weak=sum(1 for p in active_people if p.closeness in WEAK_TIES),
        strong=sum(1 for p in active_people if p.closeness in STRONG_TIES),
    )
    diversity = _diversity(circles, active_people)
    supporters = {c[1] for t in coverage_types for c in t.received_cells}
    closure = closure_of(supporters, links)
    return Coverage(as_of, window_days, coverage_types, families, ties, diversity, closure)


def _name_rank(people: dict[int, _Person]) -> dict[int, int]:
    """Person id → place in name order (case- and accent-blind first, then as written, then id)."""
    order = [(name_key(p.name), p.name, p.id) for p in people.values()]
    order.sort()
    return {pid: i for i, (_, _, pid) in enumerate(order)}


def coverage_gaps(
    store: Store, as_of: date | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> list[TypeCoverage]:
    """Only the gaps of :func:`compute_coverage`, with the same suggestions, found quickly.

    The Today list needs to know which kinds of support nobody gave, not the
    whole provider table: one index probe per type answers that. The gaps'
    ``providers`` are empty by definition; ``given_to`` is left empty here.
    """
    check_window(window_days)
    as_of = as_of or date.today()
    start = window_start(as_of, window_days)
    lo, hi = start.isoformat(), as_of.isoformat()
    types = store.support_types()
    gaps = [
        TypeCoverage(t.key, t.label, t.family, t.question)
        for t in types
        if not reads.type_covered(store, t.key, lo, hi)
    ]
    if gaps:
        people = reads.coverage_people(store)
        live = {pid for pid, p in people.items() if not p.archived}
        by_key = {t.key: t for t in types}
        inputs = read_suggestion_inputs(store, gaps, start, as_of)

        def activity() -> Counter[int]:
            counts = reads.active_counts(store, lo, hi)
            return Counter({pid: n for pid, n in counts.items() if pid in live})

        suggest(gaps, by_key, people, activity, inputs)
    return gaps


def _families(
    coverage_types: list[TypeCoverage], people: dict[int, _Person]
) -> dict[str, FamilyCoverage]:
    out = {f: FamilyCoverage(f) for f in FAMILIES}
    providers: dict[str, set[int]] = {f: set() for f in FAMILIES}
    weak = {pid for pid, p in people.items() if p.closeness in WEAK_TIES}
    strong = {pid for pid, p in people.items() if p.closeness in STRONG_TIES}
    for t in coverage_types:
        fam = out.setdefault(t.family, FamilyCoverage(t.family))
        ids = [c[1] for c in t.received_cells]
        weights = [c[3] for c in t.received_cells]
        providers.setdefault(t.family, set()).update(ids)
        fam.weight += sum(weights)
        fam.weak_weight += sum(w for pid, w in zip(ids, weights, strict=True) if pid in weak)
        fam.strong_weight += sum(w for pid, w in zip(ids, weights, strict=True) if pid in strong)
    for f, who in providers.items():
        out[f].providers = len(who)
    return out


def gini_simpson(counts: Counter[str]) -> float:
    """1 − Σp²: 0 when everyone is in one group, near 1 when spread over many."""
    total = sum(counts.values())
    if not total:
        return 0.0
    return 1.0 - sum((n / total) ** 2 for n in counts.values())


def _largest(counts: Counter[str], order: dict[str, int]) -> tuple[str | None, float]:
    """The biggest group (ties broken by ``order``, then name) and its share."""
    if not counts:
        return None, 0.0
    key = min(counts, key=lambda k: (-counts[k], order.get(k, len(order)), k))
    return key, counts[key] / sum(counts.values())


def _diversity(all_circles: list[Circle], active: list[_Person]) -> Diversity:
    circles = Counter(p.circle for p in active)
    # Count each organisation as written first (few distinct strings), then fold
    # spacing and case: "Acme  Ltd" and "acme ltd" are one group, shown as most written.
    written = Counter(p.organization for p in active)
    orgs: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for raw, n in written.items():
        org = " ".join(raw.split())
        if not org:
            continue
        folded = org.casefold()
        orgs[folded] += n
        spelling.setdefault(folded, Counter())[org] += n
    order = {c.key: i for i, c in enumerate(all_circles)}
    labels = {c.key: c.label for c in all_circles}
    circle, circle_share = _largest(circles, order)
    org_key, org_share = _largest(orgs, {})
    return Diversity(
        circles=gini_simpson(circles),
        organizations=gini_simpson(orgs),
        largest_circle=circle,
        largest_circle_label=labels.get(circle, circle) if circle else None,
        largest_circle_share=circle_share,
        largest_organization=spelling[org_key].most_common(1)[0][0] if org_key else None,
        largest_organization_share=org_share,
        people=len(active),
        without_organization=sum(n for raw, n in written.items() if not raw.strip()),
    )


# ------------------------------------------------------------------ suggestions


@dataclass(frozen=True)
class SuggestionInputs:
    """What the suggestion rules read besides the people: one read per gap at most.

    ``histories`` maps each gap's key to person id → their last provision of it
    on or before the window's start (None when all of it is inside the window);
    ``home`` is where I work (:func:`ties.store.coverage_reads.my_organization`);
    ``phases`` the life phases of people with two or more (read only for a
    "long view" gap).
    """

    histories: dict[str, dict[int, str | None]]
    home: str = ""
    phases: dict[int, list[str]] = field(default_factory=dict)


def read_suggestion_inputs(
    store: Store, gaps: list[TypeCoverage], start: date, as_of: date
) -> SuggestionInputs:
    """Read what :func:`suggest` needs for these gaps."""
    lo, hi = start.isoformat(), as_of.isoformat()
    histories = {t.key: reads.type_history(store, t.key, lo, hi) for t in gaps}
    phases = reads.life_phases(store) if any(t.key == "long_view" for t in gaps) else {}
    return SuggestionInputs(histories, reads.my_organization(store), phases)


def suggest(
    coverage_types: list[TypeCoverage],
    by_key: Mapping[str, SupportType],
    people: Mapping[int, _Person],
    activity: Counter[int] | Callable[[], Counter[int]],
    inputs: SuggestionInputs,
) -> None:
    """Fill ``suggestions`` of every gap, best first, each person once per gap.

    ``activity`` (entries per not archived person in the window) may be a
    function that reads it: only rule 4 needs it, and only when rules 1 to 3
    leave room. Each rule offers at most :data:`MAX_SUGGESTIONS` candidates
    (:func:`_pick` could never choose more of one rule), but every person a
    rule names is still "seen", so later rules skip them as before.
    """
    home = inputs.home
    phases = inputs.phases
    live = [p for p in people.values() if not p.archived]
    # Each name folded once for all the gaps (every gap sorts the same weak ties).
    folded: dict[int, str] = {}

    def name_order(pid: int) -> str:
        key = folded.get(pid)
        if key is None:
            key = folded[pid] = name_key(people[pid].name)
        return key

    strong = _ordered((p for p in live if p.closeness in STRONG_TIES), name_order)
    for t in coverage_types:
        if t.covered:
            continue
        label = t.label.lower()
        candidates: list[tuple[int, int, str]] = []  # (rule, person id, why)
        seen: set[int] = set()
        offered: Counter[int] = Counter()

        def fresh(
            pid: int,
            rule: int,
            seen: set[int] = seen,
            offered: Counter[int] = offered,
        ) -> bool:
            """Mark ``pid`` seen; True when the rule should offer them (still room)."""
            p = people.get(pid)
            if p is None or p.archived or pid in seen:
                return False
            seen.add(pid)
            if offered[rule] >= MAX_SUGGESTIONS:
                return False
            offered[rule] += 1
            return True

        history = inputs.histories.get(t.key, {})
        # 1. People who gave it before the window: the tie may just need tending.
        # All of them are "seen"; only the latest MAX_SUGGESTIONS can be offered.
        earlier = [
            (last, -pid)
            for pid, last in history.items()
            if last and pid not in seen and (p := people.get(pid)) is not None and not p.archived
        ]
        seen.update(-neg for _last, neg in earlier)
        for last, neg in heapq.nlargest(MAX_SUGGESTIONS, earlier):
            offered[1] += 1
            candidates.append((1, -neg, f"gave you {label} before this window (last on {last})"))
        # 2. What the journal knows about this particular kind of support.
        if t.key == "long_view":
            known = _ordered((people[pid] for pid in phases if pid in people), name_order)
            known.sort(key=lambda p: -len(phases[p.id]))  # stable: closest first among equals
            for p in known:
                ph = phases[p.id]
                if fresh(p.id, 2):
                    why = f"has known you through {len(ph)} phases of your life ({', '.join(ph)})"
                    candidates.append((2, p.id, why))
        elif t.key == "industry_insight":
            for p in _ordered((p for p in live if p.circle == "industry"), name_order):
                org = p.organization.strip()
                if org and org.casefold() != home.casefold() and fresh(p.id, 2):
                    candidates.append((2, p.id, f"in your industry circle, at {org}"))
        elif t.key == "internal_influence" and home:
            for p in _ordered((p for p in live if p.circle == "work"), name_order):
                if p.organization.strip().casefold() == home.casefold() and fresh(p.id, 2):
                    candidates.append((2, p.id, f"works at {home} too"))
        # 3. Strong ties who have never given it.
        for p in strong:
            if p.id not in history and fresh(p.id, 3):
                candidates.append(
                    (
                        3,
                        p.id,
                        f"a strong tie ({CLOSENESS_LABELS[p.closeness]}) who has never given "
                        f"you {label}",
                    )
                )
        # 4. Instrumental help travels through weak ties: the ones seen lately.
        # Its candidates can only be picked when rules 1-3 filled fewer than
        # MAX_SUGGESTIONS of the first places (PER_RULE each).
        room = sum(min(n, PER_RULE) for n in offered.values()) < MAX_SUGGESTIONS
        if by_key[t.key].family == "instrumental" and room:
            if callable(activity):
                activity = activity()
            counts = activity
            # Rule 4 comes last: only the first MAX_SUGGESTIONS it can offer matter, so
            # only the weak ties with at least the fifth-highest count are put in name
            # order (thousands of them otherwise, per gap).
            weak = [
                pid
                for pid in counts
                if (p := people.get(pid)) is not None
                and p.closeness in WEAK_TIES
                and not p.archived
                and pid not in history
                and pid not in seen
            ]
            if len(weak) > MAX_SUGGESTIONS:
                most = heapq.nlargest(MAX_SUGGESTIONS, map(counts.__getitem__, weak))
                weak = [pid for pid in weak if counts[pid] >= most[-1]]
            weak.sort(key=lambda pid: (-counts[pid], name_order(pid), pid))
            for pid in weak:
                if fresh(pid, 4):
                    candidates.append(
                        (
                            4,
                            pid,
                            f"a weak tie ({CLOSENESS_LABELS[people[pid].closeness]}) you were "
                            "in touch with "
                            + ("once" if counts[pid] == 1 else f"{counts[pid]} times")
                            + " in this window",
                        )
                    )
        t.suggestions = [
            Suggestion(pid, people[pid].name, people[pid].uuid, why)
            for _rule, pid, why in _pick(candidates)
        ]


def _pick(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Up to :data:`PER_RULE` per reason first, so different reasons show; then fill up."""
    taken: Counter[int] = Counter()
    first: list[tuple[int, int, str]] = []
    rest: list[tuple[int, int, str]] = []
    for c in candidates:
        if taken[c[0]] < PER_RULE:
            taken[c[0]] += 1
            first.append(c)
        else:
            rest.append(c)
    chosen = (first + rest)[:MAX_SUGGESTIONS]
    return sorted(chosen, key=lambda c: c[0])  # stable: keeps each reason's own order


def _ordered(people: Iterable[_Person], name_order: Callable[[int], str]) -> list[_Person]:
    """Closest first, then by name: the order suggestions of one kind are offered in."""
    return sorted(
        (p for p in people if not p.archived), key=lambda p: (-p.closeness, name_order(p.id), p.id)
    )


# ---------------------------------------------------------------- cell entries


def provider_entry_ids(
    store: Store, person_id: int, type_key: str, as_of: date, window_days: int
) -> list[int]:
    """The entries behind one heat-map cell, newest first."""
    check_window(window_days)
    start = window_start(as_of, window_days).isoformat()
    return reads.cell_entry_ids(store, person_id, type_key, start, as_of.isoformat())
