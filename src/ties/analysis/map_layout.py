"""The relationship map: who to draw (from the journal) and where (pure geometry).

Two halves, neither of which knows about Qt:

* :func:`map_data` gathers one node per person from the journal: closeness and
  circle from the people table, activity and balance from the window's figures
  by the rules of :func:`ties.analysis.reciprocity.balances` (without a balance
  object per person), the support they gave me from
  :func:`ties.analysis.coverage.given_types` (its rules), and the links
  (people named together on an ``introduction`` entry, optionally people who
  share an organisation). It reads with ``SELECT`` only.
* :func:`layout_map` places the nodes: me at the centre, one ring (a band of
  concentric tracks) per closeness level from 5 (inside) to 1 (outside), one
  sector per circle sized by how many people it holds, and within a ring and a
  sector an even spread over the tracks with a minimum spacing, so no two
  nodes overlap. It is linear in the number of people: 10,000 people lay out
  in a few tens of milliseconds.

:func:`place_labels` chooses which name labels fit without overlapping
anything, for the view to call with its own text widths.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from ties.analysis import collector
from ties.store import map_reads as reads
from ties.store.map_reads import MapBalanceRow, MapPersonRow

if TYPE_CHECKING:
    from ties.store import Store

#: The support families a node can show: what they gave me in the window.
SUPPORT_CLASSES = ("instrumental", "psychosocial", "both", "none")
#: How a node's border reads the balance of giving and receiving.
BALANCE_CLASSES = ("over_giving", "over_taking", "balanced")
RINGS = (5, 4, 3, 2, 1)  # inside out
GOLDEN = 0.6180339887498949


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MapPerson:
    """One node: everything the map shows about a person."""

    id: int
    name: str
    circle: str
    closeness: int
    activity: float = 0.0  # entries in the window, weighted
    entries: int = 0
    families: frozenset[str] = frozenset()
    balance_class: str = "balanced"
    balance: float = 0.0
    given: float = 0.0
    received: float = 0.0
    dormant: bool = False
    archived: bool = False
    last_contact: date | None = None
    organization: str = ""

    @property
    def support(self) -> str:
        """One of :data:`SUPPORT_CLASSES`."""
        fams = self.families
        if "instrumental" in fams:
            return "both" if "psychosocial" in fams else "instrumental"
        return "psychosocial" if "psychosocial" in fams else "none"


class MapLink(NamedTuple):
    """A line between two people (a tuple: a large journal has tens of thousands)."""

    a: int
    b: int
    kind: str  # "introduction", "organization" or "person" (a link between people, issue #15)
    count: int = 1  # type: ignore[assignment]  # (shadows tuple.count: a field here)
    relation: str = ""  # for "person": partner, colleague, …
    directed: bool = False  # for "person": reads a → b


@dataclass
class MapData:
    """Everything one map picture needs, computed off the GUI thread."""

    people: list[MapPerson]
    circles: list[tuple[str, str]]  # (key, label) in the journal's order
    links: list[MapLink]
    as_of: date
    window_days: int
    support_labels: dict[str, str] = field(default_factory=dict)
    # person id → support type keys they gave me in the window (for the type filter)
    support_types: dict[int, frozenset[str]] = field(default_factory=dict)


BalancesFn = Callable[..., Sequence[Any]]
CoverageFn = Callable[..., Any]  # returns an object like ties.analysis.coverage.Coverage


def _real_balances(store: Store, as_of: date, window_days: int) -> Sequence[Any]:
    from ties.analysis.reciprocity import balances_and_entries

    # The map places people itself (no need to sort 10,000 names by their folded form)
    # and shows no follow-up or thanks flags (no need to read those entries).
    return balances_and_entries(store, as_of, window_days, by_name=False, entry_flags=False)[0]


class _Figures:
    """What a node's balance needs besides the person: the window's figures per person
    and the rules of :mod:`ties.analysis.reciprocity` (read lazily: it imports more)."""

    def __init__(self, store: Store, as_of: date, window_days: int) -> None:
        from ties.analysis import reciprocity

        self.by_person = reciprocity.window_figures(store, as_of, window_days)
        self.cadences = reciprocity.cadences(store)
        self.one_sided = reciprocity.one_sided_flag
        self.dormant = reciprocity.is_dormant
        self.days_since_added = reciprocity.days_since_added


def _real_figures(store: Store, as_of: date, window_days: int) -> _Figures:
    return _Figures(store, as_of, window_days)


def _given_and_families(
    types: Mapping[int, Iterable[str]], family_of: Mapping[str, str]
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Person id → the support types they gave, and → the families of those: one
    frozenset per combination, shared by everyone who gave the same."""
    given: dict[int, frozenset[str]] = {}
    fams: dict[int, frozenset[str]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}
    for pid, keys in types.items():
        kinds = given[pid] = frozenset(keys)
        found = shared.get(kinds)
        if found is None:
            found = shared[kinds] = frozenset(family_of[k] for k in kinds)
        fams[pid] = found
    return given, fams


class _NoCoverage:
    """Stands in when this build has no coverage computation: no colours, no crash."""

    def provider_families(self) -> dict[int, set[str]]:
        return {}

    def types_by_person(self) -> dict[int, set[str]]:
        return {}


def _real_coverage(store: Store, as_of: date, window_days: int) -> Any:
    try:
        from ties.analysis.coverage import given_types
    except ImportError:
        return _NoCoverage()
    # Only who gave which types (compute_coverage's rules), not the lists and suggestions.
    return given_types(store, as_of, window_days)


def _without_collector(fn: Callable[..., MapData]) -> Callable[..., MapData]:
    """Run ``fn`` with the cyclic garbage collector paused (:func:`collector.paused`): the
    map's data for 10,000 people makes ~100,000 objects and no cycles, and collecting
    while they are made cost ~20 % of the time (measured)."""

    def run(*args: Any, **kwargs: Any) -> MapData:
        with collector.paused():
            return fn(*args, **kwargs)

    return functools.update_wrapper(run, fn)


@_without_collector
def map_data(
    store: Store,
    as_of: date,
    window_days: int,
    *,
    include_archived: bool = False,
    organization_links: bool = False,
    person_links: bool = False,
    balances_fn: BalancesFn | None = None,
    coverage_fn: CoverageFn | None = None,
) -> MapData:
    """Gather the map's nodes and links from the journal (reads only).

    The balances come from one read of the people and the window's figures
    (:func:`map_people_with_figures`); a ``balances_fn`` (like
    :func:`ties.analysis.reciprocity.balances`) gives them instead, through
    :func:`map_people_from_rows`. ``coverage_fn`` defaults to
    :func:`ties.analysis.coverage.given_types` (whose ``provider_families()``
    colours the nodes and whose ``types_by_person()`` feeds the support-type
    filter and the hover card); tests may pass stand-ins with the same signatures.
    ``person_links`` adds the links between people (kind ``person``) to the links.
    """
    coverage = (coverage_fn or _real_coverage)(store, as_of, window_days)
    family_of = getattr(coverage, "family_of", None)
    if family_of is not None:  # given_types: one frozenset per kind of giver, shared
        given, fams = _given_and_families(coverage.types_by_person(), family_of)
    else:
        fams = coverage.provider_families()
        given = {int(pid): frozenset(types) for pid, types in coverage.types_by_person().items()}
    if balances_fn is None:
        # Nodes and balances from one read of the people and the window's figures:
        # no balance object per person on the way (the rules are reciprocity's).
        people = map_people_with_figures(
            reads.map_people_as_of(store, as_of.isoformat(), include_archived=include_archived),
            _real_figures(store, as_of, window_days),
            fams,
            as_of,
        )
    else:
        bal = {int(b.person_id): b for b in balances_fn(store, as_of, window_days)}
        people = map_people_from_rows(
            reads.map_people(store, include_archived=include_archived), bal, fams
        )
    by_id = {p.id for p in people}
    circles = reads.circle_labels(store)
    links = introduction_links(store, by_id)
    if organization_links:
        links += organization_link_list(people)
    if person_links:
        links += person_link_list(reads.person_links(store), by_id)
    labels = reads.support_labels(store)
    return MapData(
        people=people,
        circles=circles,
        links=links,
        as_of=as_of,
        window_days=window_days,
        support_labels=labels,
        support_types={pid: types for pid, types in given.items() if pid in by_id},
    )


#: The balance of someone with none in the window: quiet and balanced.
_QUIET = SimpleNamespace(
    weight=0, entries=0, balance=0, given=0, received=0, flags=(), last_contact=None
)


def map_people_from_rows(
    rows: Iterable[MapPersonRow], balances: Mapping[int, Any], families: Mapping[int, Any]
) -> list[MapPerson]:
    """The map's nodes from the people's rows, their balances and the families they gave
    me (person id → a balance like :class:`ties.analysis.reciprocity.PersonBalance`, and
    → family names); people without a balance are quiet and balanced."""
    people: list[MapPerson] = []
    append = people.append
    no_families: frozenset[str] = frozenset()
    days: dict[str, date] = {}  # many people share a last-contact day: parse each once
    for pid, name, circle, closeness, archived, last, org in rows:
        fams = families.get(pid)
        given = frozenset(fams) if fams else no_families
        b = balances.get(pid, _QUIET)
        last_contact = b.last_contact
        if last_contact is None and last:
            last_contact = days.get(last)
            if last_contact is None:
                last_contact = days[last] = date.fromisoformat(last)
        flags = b.flags or ()
        if "over_giving" in flags:
            balance_class = "over_giving"
        elif "over_taking" in flags:
            balance_class = "over_taking"
        else:
            balance_class = "balanced"
        append(
            MapPerson(
                pid,
                name,
                circle,
                int(closeness),
                float(b.weight or 0),
                int(b.entries or 0),
                given,
                balance_class,
                float(b.balance or 0),
                float(b.given or 0),
                float(b.received or 0),
                "dormant" in flags,
                bool(archived),
                last_contact,
                org or "",
            )
        )
    return people


def map_people_with_figures(
    rows: Iterable[MapBalanceRow],
    figures: _Figures,
    families: Mapping[int, frozenset[str]],
    as_of: date,
) -> list[MapPerson]:
    """The map's nodes from the people's rows and the window's figures, by the rules of
    :func:`ties.analysis.reciprocity.balances_from_rows`: the same nodes as
    :func:`map_people_from_rows` over :func:`_real_balances` (a test holds them equal),
    without a balance object per person on the way."""
    people: list[MapPerson] = []
    append = people.append
    by_person = figures.by_person
    cadence_of = figures.cadences.get
    one_sided, is_dormant, days_since_added = (
        figures.one_sided,
        figures.dormant,
        figures.days_since_added,
    )
    zero = (0, 0, 0, 0, 0)
    none: frozenset[str] = frozenset()
    days: dict[str, date] = {}  # many people share a last-contact day: parse each once
    for pid, name, circle, closeness, archived, stored, org, cadence, created, last in rows:
        given, received, _mutual, entries, weight = by_person.get(pid, zero)
        when = last or stored  # as of the day asked; else the one after it, as stored
        last_contact = None
        if when:
            last_contact = days.get(when)
            if last_contact is None:
                last_contact = days[when] = date.fromisoformat(when)
        balance_class = "balanced"
        dormant = False
        if not archived:  # archived people get no flags
            if given or received:
                balance_class = one_sided(given, received) or "balanced"
            quiet = (as_of - days[last]).days if last else days_since_added(as_of, created)
            dormant = is_dormant(quiet, cadence or cadence_of(closeness, 90))
        append(
            MapPerson(
                pid,
                name,
                circle,
                int(closeness),
                float(weight),
                int(entries),
                families.get(pid, none),
                balance_class,
                float(given - received),
                float(given),
                float(received),
                dormant,
                bool(archived),
                last_contact,
                org or "",
            )
        )
    return people


def introduction_links(store: Store, people: set[int]) -> list[MapLink]:
    """Pairs of people named together on an ``introduction`` entry (any date).

    The person an introduction was made on behalf of counts as named on it.
    """
    return introduction_links_from_rows(
        reads.introduction_people(store), reads.introduction_behalf(store), people
    )


def introduction_links_from_rows(
    named: Iterable[tuple[int, int]], behalf: Mapping[int, int], people: set[int]
) -> list[MapLink]:
    """The introduction links among ``people``, sorted by pair, from who each introduction
    entry names (``(entry id, person id)``, an entry's rows together) and on whose behalf
    some were made (entry id → person; counted as named unless the entry names them):
    every two people named on one entry are linked, ``count`` such entries."""
    if not people:
        return []
    # A pair is one number, ``a`` over ``b`` (ids counted from the smallest), so that
    # counting and sorting pairs hashes and compares numbers, not tuples (a tenth of
    # the time); only pairs of ``people`` are counted, so every id lies in the span.
    low = min(people)
    span = max(people) - low + 1
    counts: dict[int, int] = {}
    get = counts.get
    slow: list[tuple[int, list[int]]] = []  # one person, three or more, or on someone's behalf

    last: int | None = None
    a = 0
    b: int | None = None
    more: list[int] | None = None
    for eid, pid in named:  # an entry's rows come together: pairs as each entry ends
        if eid == last:
            if b is None:
                b = pid
            elif more is None:
                more = [pid]
            else:
                more.append(pid)
            continue
        if last is not None:
            if b is not None and more is None and last not in behalf:  # most: two people
                if a in people and b in people:
                    key = (a - low) * span + b - low if a < b else (b - low) * span + a - low
                    counts[key] = get(key, 0) + 1
            else:
                slow.append((last, [a] if b is None else [a, b, *(more or ())]))
        last, a, b, more = eid, pid, None, None
    if last is not None:
        slow.append((last, [a] if b is None else [a, b, *(more or ())]))
    for eid, names in slow:
        by = behalf.get(eid)
        if by is not None and by not in names:
            names.append(by)
        names = sorted(p for p in names if p in people)
        for i, x in enumerate(names):
            for y in names[i + 1 :]:
                key = (x - low) * span + y - low
                counts[key] = get(key, 0) + 1
    new = tuple.__new__  # what MapLink._make does, without its call
    out: list[MapLink] = []
    append = out.append
    for key in sorted(counts):
        x, y = divmod(key, span)
        append(new(MapLink, (low + x, low + y, "introduction", counts[key], "", False)))
    return out


#: An organisation with more people than this is drawn as a star around its
#: most active member rather than as every pair (which would be a hairball).
ORG_CLIQUE_MAX = 6


def person_link_list(rows: Iterable[Any], people: set[int]) -> list[MapLink]:
    """The links between people (``map_reads.person_links`` rows) among ``people``:
    kind ``person`` with their relation (who knows whom, drawn beside introductions)."""
    return [
        MapLink(int(a), int(b), "person", 1, str(relation), bool(directed))
        for a, b, relation, directed in rows
        if a in people and b in people
    ]


def organization_link_list(people: Iterable[MapPerson]) -> list[MapLink]:
    """Links between people who share an organisation (case-insensitive)."""
    groups: dict[str, list[MapPerson]] = defaultdict(list)
    for p in people:
        if p.organization.strip():
            groups[p.organization.strip().casefold()].append(p)
    links: list[MapLink] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda p: (-p.activity, p.id))
        if len(members) <= ORG_CLIQUE_MAX:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    links.append(MapLink(min(a.id, b.id), max(a.id, b.id), "organization"))
        else:
            hub = members[0]
            for b in members[1:]:
                links.append(MapLink(min(hub.id, b.id), max(hub.id, b.id), "organization"))
    return links


# ------------------------------------------------------------------------ layout


@dataclass(frozen=True)
class LayoutParams:
    """Sizes in map units (pixels at zoom 1): the map's "default size"."""

    min_radius: float = 4.5
    max_radius: float = 13.0
    gap: float = 3.0  # between two nodes, at least
    centre_radius: float = 18.0  # the "me" disc
    ring_label_width: float = 118.0  # room for "5 · inner circle"
    ring_label_height: float = 16.0
    label_pad: float = 4.0
    min_sector_share: float = 0.035  # of the full turn, for a circle with few people
    start_angle: float = -math.pi / 2  # sectors start at twelve o'clock, clockwise

    @property
    def pitch(self) -> float:
        """Centre-to-centre distance that keeps two nodes of any size apart."""
        return 2 * self.max_radius + self.gap


@dataclass(frozen=True)
class Ring:
    closeness: int
    inner: float  # band edges; every node on this ring lies between them
    outer: float
    label_radius: float  # where the ring's label sits (in the gap just outside)
    tracks: tuple[float, ...]  # radii of the node tracks


@dataclass(frozen=True)
class Sector:
    key: str
    start: float  # radians, clockwise on screen (y down), start < end
    end: float
    count: int

    @property
    def mid(self) -> float:
        return (self.start + self.end) / 2


@dataclass(slots=True)
class PlacedNode:
    id: int
    x: float
    y: float
    r: float
    closeness: int
    circle: str
    angle: float
    distance: float


@dataclass
class MapLayout:
    """Where everything goes; also answers "which node is here?" and "which ring?"."""

    nodes: list[PlacedNode]
    rings: list[Ring]
    sectors: list[Sector]
    radius: float  # the outer edge of the outermost ring
    params: LayoutParams
    #: Where each person sat on each (ring, circle) they were shown in since the last
    #: full layout: (id, closeness, circle) → (x, y, angle, distance). A person moved
    #: back (undo) returns to their old place when it is still free.
    homes: dict[tuple[int, int, str], tuple[float, float, float, float]] = field(
        default_factory=dict, repr=False
    )
    _grid: dict[tuple[int, int], list[int]] = field(default_factory=dict, repr=False)
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        cell = self.params.pitch
        homes = self.homes
        for i, n in enumerate(self.nodes):
            self._grid.setdefault((math.floor(n.x / cell), math.floor(n.y / cell)), []).append(i)
            self._index[n.id] = i
            homes[(n.id, n.closeness, n.circle)] = (n.x, n.y, n.angle, n.distance)

    def node(self, person_id: int) -> PlacedNode | None:
        i = self._index.get(person_id)
        return None if i is None else self.nodes[i]

    def node_at(self, x: float, y: float, slack: float = 0.0) -> PlacedNode | None:
        """The node under a point (the nearest one if discs with ``slack`` overlap it)."""
        cell = self.params.pitch
        cx, cy = math.floor(x / cell), math.floor(y / cell)
        best: PlacedNode | None = None
        best_d = math.inf
        reach = 1 + int(slack // cell)
        for gx in range(cx - reach, cx + reach + 1):
            for gy in range(cy - reach, cy + reach + 1):
                for i in self._grid.get((gx, gy), ()):
                    n = self.nodes[i]
                    d = math.hypot(n.x - x, n.y - y)
                    if d <= n.r + slack and d < best_d:
                        best, best_d = n, d
        return best

    def ring_at(self, distance: float) -> int:
        """The closeness of the ring nearest to a distance from the centre."""
        best = self.rings[0]
        for ring in self.rings:
            if ring.inner <= distance <= ring.outer:
                return ring.closeness
            if _band_distance(ring, distance) < _band_distance(best, distance):
                best = ring
        return best.closeness

    def nodes_in(self, x0: float, y0: float, x1: float, y1: float) -> list[PlacedNode]:
        """Nodes whose disc meets a rectangle (for drawing only what is visible)."""
        cell = self.params.pitch
        out = []
        for gx in range(math.floor(x0 / cell) - 1, math.floor(x1 / cell) + 2):
            for gy in range(math.floor(y0 / cell) - 1, math.floor(y1 / cell) + 2):
                for i in self._grid.get((gx, gy), ()):
                    n = self.nodes[i]
                    if x0 - n.r <= n.x <= x1 + n.r and y0 - n.r <= n.y <= y1 + n.r:
                        out.append(n)
        return out


def _band_distance(ring: Ring, d: float) -> float:
    return max(ring.inner - d, d - ring.outer, 0.0)


def node_radius(activity: float, max_activity: float, params: LayoutParams) -> float:
    """Area grows with activity, on a log scale (a few people carry most history)."""
    if activity <= 0 or max_activity <= 0:
        return params.min_radius
    t = math.log1p(activity) / math.log1p(max_activity)
    lo, hi = params.min_radius, params.max_radius
    return math.sqrt(lo * lo + (hi * hi - lo * lo) * min(t, 1.0))


def sector_angles(counts: Sequence[tuple[str, int]], params: LayoutParams) -> list[Sector]:
    """Split the full turn among circles by head count, with a minimum share each."""
    live = [(k, n) for k, n in counts if n > 0]
    total = sum(n for _, n in live)
    if not live:
        return []
    shares = [max(n / total, params.min_sector_share) for _, n in live]
    norm = sum(shares)
    sectors = []
    a = params.start_angle
    for (key, n), share in zip(live, shares, strict=True):
        span = 2 * math.pi * share / norm
        sectors.append(Sector(key, a, a + span, n))
        a += span
    return sectors


def _track_capacity(span: float, radius: float, pitch: float) -> int:
    half = _half_step(radius, pitch)
    usable = span - 2 * half
    if usable < 0:
        return 0
    return int(usable / (2 * half) + 1e-9) + 1


def _half_step(radius: float, pitch: float) -> float:
    """Half the angle between two nodes a chord of ``pitch`` apart on a track."""
    return math.asin(min(1.0, pitch / (2 * radius)))


def _ring_gap(outer: float, params: LayoutParams) -> float:
    """Room between two bands for a horizontal ring label at twelve o'clock."""
    h, w, pad = params.ring_label_height, params.ring_label_width, params.label_pad
    mid = outer + pad + h / 2
    corner = math.hypot(mid + h / 2, w / 2)
    return (corner - outer) + pad


def _room(n: int) -> int:
    """Slots a ring and circle keep for ``n`` people: a few spare, so that a person moved
    in later finds a free one without anybody else moving (:func:`layout_keeping`)."""
    return n + max(2, math.ceil(0.03 * n))


def _quotas(n: int, capacities: Sequence[int]) -> list[int]:
    """Share ``n`` nodes among tracks, proportional to capacity, never over it."""
    t = len(capacities)
    if n <= 0:
        return [0] * t
    total = sum(capacities)
    if n <= t:  # a few nodes: spread them over the band, one per chosen track
        q = [0] * t
        for i in range(n):
            j = min(t - 1, int((i + 0.5) * t / n))
            while capacities[j] - q[j] <= 0:
                j = (j + 1) % t
            q[j] += 1
        return q
    q = [min(c, int(n * c / total)) for c in capacities]
    rest = n - sum(q)
    order = sorted(range(t), key=lambda j: (-(n * capacities[j] / total - q[j]), j))
    while rest > 0:
        for j in order:
            if rest and q[j] < capacities[j]:
                q[j] += 1
                rest -= 1
    return q


def layout_map(
    people: Sequence[MapPerson],
    circle_order: Sequence[str] = (),
    params: LayoutParams | None = None,
    *,
    previous: MapLayout | None = None,
) -> MapLayout:
    """Place every person on the ring of their closeness, in the sector of their circle.

    Guarantees (tested): a node's distance from the centre lies within its
    ring's band, its angle within its circle's sector, and no two discs come
    closer than ``params.gap``.

    With a ``previous`` layout of nearly the same people (see
    :func:`layout_keeping`), everyone who kept their ring and circle keeps their
    exact place and only the few others are fitted into free slots: moving one
    person must not move anybody else (issue #17 item 8).
    """
    with collector.paused():
        params = params or LayoutParams()
        if previous is not None:
            kept = layout_keeping(people, previous, params)
            if kept is not None:
                return kept
        return _layout_map(people, circle_order, params)


#: A new layout keeps everyone where they were when at most this many people changed
#: ring or circle, came or went (and at most :data:`STABLE_SHARE` of them); beyond that
#: (a filter, another window of time) the picture is laid out afresh.
STABLE_MAX_CHANGES = 50
STABLE_SHARE = 0.05


def layout_keeping(
    people: Sequence[MapPerson], previous: MapLayout, params: LayoutParams
) -> MapLayout | None:
    """``previous`` with only the changed people moved, or ``None`` when it cannot serve.

    It cannot when the sizes differ, the set of circles changed (sectors would
    have to be redrawn), too many people changed, or a changed person's ring
    and sector hold no free slot; then the caller lays the map out afresh.
    A moved person goes back to where they sat before on that ring and circle
    if that place is free, else to the free slot nearest an angle drawn from
    their id (so the same move gives the same picture).
    """
    if params != previous.params or not previous.rings:
        return None
    sectors = {s.key: s for s in previous.sectors}
    if {p.circle for p in people} != set(sectors):
        return None
    before = {n.id: n for n in previous.nodes}
    ids = {p.id for p in people}
    moved = [
        p
        for p in people
        if (n := before.get(p.id)) is None
        or n.circle != p.circle
        or n.closeness != min(5, max(1, p.closeness))
    ]
    gone = sum(1 for pid in before if pid not in ids)
    changes = len(moved) + gone
    if changes > min(STABLE_MAX_CHANGES, max(3, int(STABLE_SHARE * len(people)))):
        return None
    moved_ids = {p.id for p in moved}
    max_activity = max((p.activity for p in people), default=0.0)
    pitch = params.pitch
    nodes: list[PlacedNode] = []
    grid: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for p in people:
        if p.id in moved_ids:
            continue
        n = before[p.id]
        r = node_radius(p.activity, max_activity, params)
        nodes.append(PlacedNode(n.id, n.x, n.y, r, n.closeness, n.circle, n.angle, n.distance))
        grid[(math.floor(n.x / pitch), math.floor(n.y / pitch))].append((n.x, n.y))

    def free(x: float, y: float) -> bool:
        gx, gy = math.floor(x / pitch), math.floor(y / pitch)
        limit = pitch * pitch - 1e-6
        for cx in (gx - 1, gx, gx + 1):
            for cy in (gy - 1, gy, gy + 1):
                for ox, oy in grid.get((cx, cy), ()):
                    if (ox - x) ** 2 + (oy - y) ** 2 < limit:
                        return False
        return True

    rings = {r.closeness: r for r in previous.rings}
    homes = dict(previous.homes)
    for p in sorted(moved, key=lambda p: p.id):
        closeness = min(5, max(1, p.closeness))
        spot = _free_spot(p, closeness, rings[closeness], sectors[p.circle], homes, free, pitch)
        if spot is None:
            return None
        x, y, a, d = spot
        grid[(math.floor(x / pitch), math.floor(y / pitch))].append((x, y))
        r = node_radius(p.activity, max_activity, params)
        nodes.append(PlacedNode(p.id, x, y, r, closeness, p.circle, a, d))
    count: dict[str, int] = defaultdict(int)
    for p in people:
        count[p.circle] += 1
    return MapLayout(
        nodes=nodes,
        rings=list(previous.rings),
        sectors=[Sector(s.key, s.start, s.end, count[s.key]) for s in previous.sectors],
        radius=previous.radius,
        params=params,
        homes=homes,
    )


def _free_spot(
    p: MapPerson,
    closeness: int,
    ring: Ring,
    sector: Sector,
    homes: Mapping[tuple[int, int, str], tuple[float, float, float, float]],
    free: Callable[[float, float], bool],
    pitch: float,
) -> tuple[float, float, float, float] | None:
    """A free slot for ``p`` on ``ring`` within ``sector``: (x, y, angle, distance)."""
    home = homes.get((p.id, closeness, p.circle))
    if home is not None and free(home[0], home[1]):
        return home
    want = sector.start + (sector.end - sector.start) * ((p.id * GOLDEN) % 1.0)
    best: tuple[float, float, float, float] | None = None
    best_off = math.inf
    span = sector.end - sector.start
    for r in ring.tracks:
        # the track's slots, as the full layout lays them (nobody sits anywhere else)
        cap = _track_capacity(span, r, pitch)
        if cap < 1:
            continue
        half = _half_step(r, pitch)
        step = (span - 2 * half) / (cap - 1) if cap > 1 else 0.0
        lo = sector.start + half if cap > 1 else sector.mid
        k = 0 if cap == 1 else max(0, min(cap - 1, round((want - lo) / step)))
        # walk outwards from the wanted angle: the first free slot on each side wins
        for direction in (1, -1):
            i = k if direction == 1 else k - 1
            while 0 <= i < cap:
                a = lo + i * step
                off = abs(a - want)
                if off >= best_off:
                    break
                x, y = r * math.cos(a), r * math.sin(a)
                if free(x, y):
                    best, best_off = (x, y, a, r), off
                    break
                i += direction
    return best


def _layout_map(
    people: Sequence[MapPerson], circle_order: Sequence[str], params: LayoutParams
) -> MapLayout:
    pitch = params.pitch
    max_activity = max((p.activity for p in people), default=0.0)
    order = list(dict.fromkeys([*circle_order, *sorted({p.circle for p in people})]))
    count: dict[str, int] = defaultdict(int)
    for p in people:
        count[p.circle] += 1
    sectors = sector_angles([(k, count.get(k, 0)) for k in order], params)
    cells: dict[tuple[int, str], list[MapPerson]] = defaultdict(list)
    for p in people:
        cells[(min(5, max(1, p.closeness)), p.circle)].append(p)
    folded = {p.id: p.name.casefold() for p in people}  # the sort keys, once per person
    radii: dict[float, float] = {}  # activity → disc radius (few distinct activities)

    nodes: list[PlacedNode] = []
    rings: list[Ring] = []
    inner = params.centre_radius + _ring_gap(params.centre_radius, params)
    for closeness in RINGS:
        # How many tracks does the most crowded cell of this ring need?
        tracks: list[float] = []
        need = [(s, len(cells.get((closeness, s.key), ()))) for s in sectors]
        t = 0
        while True:
            tracks.append(inner + params.max_radius + t * pitch)
            fits = all(
                n == 0
                or sum(_track_capacity(s.end - s.start, r, pitch) for r in tracks) >= _room(n)
                for s, n in need
            )
            if fits:
                break
            t += 1
        outer = tracks[-1] + params.max_radius
        for s, n in need:
            if not n:
                continue
            members = sorted(
                cells[(closeness, s.key)], key=lambda p: (-p.activity, folded[p.id], p.id)
            )
            caps = [_track_capacity(s.end - s.start, r, pitch) for r in tracks]
            quotas = _quotas(n, caps)
            pos = 0
            for t, (r, q) in enumerate(zip(tracks, quotas, strict=True)):
                if not q:
                    continue
                # each track starts at its own phase, so tracks do not line up into spokes
                phase = (t * GOLDEN + (0.5 if len(tracks) == 1 else 0.0)) % 1.0
                track = sorted(members[pos : pos + q], key=lambda p: (folded[p.id], p.id))
                pos += q
                half = _half_step(r, pitch)
                cap = caps[t]
                # Everyone sits on one of the track's ``cap`` slots (a pitch or more apart),
                # spread evenly over them: a slot left empty is room for a person moved
                # here later (see layout_keeping).
                step = ((s.end - s.start) - 2 * half) / (cap - 1) if cap > 1 else 0.0
                for i, p in enumerate(track):
                    if cap <= 1:
                        a = s.mid
                    else:
                        a = s.start + half + step * min(cap - 1, int((i + phase) * cap / q))
                    size = radii.get(p.activity)
                    if size is None:
                        size = radii[p.activity] = node_radius(p.activity, max_activity, params)
                    nodes.append(
                        PlacedNode(
                            p.id, r * math.cos(a), r * math.sin(a), size, closeness, p.circle, a, r
                        )
                    )
        gap = _ring_gap(outer, params)
        rings.append(
            Ring(
                closeness=closeness,
                inner=inner,
                outer=outer,
                label_radius=outer + params.label_pad + params.ring_label_height / 2,
                tracks=tuple(tracks),
            )
        )
        inner = outer + gap
    radius = rings[-1].outer
    return MapLayout(nodes=nodes, rings=rings, sectors=sectors, radius=radius, params=params)


# ------------------------------------------------------------------------ labels


@dataclass(frozen=True)
class LabelBox:
    index: int  # into the ``discs`` sequence given to :func:`place_labels`
    x: float  # top-left, in the same units as the discs
    y: float
    w: float
    h: float
    covers: bool = False  # lies over the disc of somebody less important (see place_labels)


def place_labels(
    discs: Sequence[tuple[float, float, float]],
    widths: Sequence[float],
    height: float,
    priority: Iterable[int],
    *,
    pad: float = 2.0,
    limit: int | None = None,
    obstacles: Iterable[tuple[float, float, float, float]] = (),
    tries: int | None = None,
    within: tuple[float, float, float, float] | None = None,
    cover: bool = False,
    spacing: tuple[float, float] = (0.0, 0.0),
) -> list[LabelBox]:
    """Greedy label placement: right, left, below or above each disc, or no label.

    ``discs`` are ``(x, y, r)`` in view units, ``widths`` the text widths;
    nodes are taken in ``priority`` order (the most important first), so when
    room is short it is the least important names that go. A label never
    overlaps another label, any disc or any of the ``obstacles`` (``x0, y0,
    x1, y1`` boxes); a node whose label does not fit goes without (its name
    shows on hover). With ``cover`` (a zoomed-out, crowded map, where no name
    would fit between the dots), a name that fits nowhere else may lie over the
    discs of people *less* important than its own, never over a more important
    one, a label or an obstacle; such a box says ``covers``. ``within`` skips
    nodes whose centre lies outside a box and ``tries`` stops after that many
    nodes were tried: at 10,000 people, zoomed out, a few hundred names fill
    the view and trying the rest only costs time. ``spacing`` (x, y) keeps two
    labels at least that far apart, so that two names side by side never read
    as one ("Weber" + "Sofia Popescu").

    Linear in the number of discs: every box is filed in a grid of cells about
    a label high, so a test looks at the few boxes nearby only.
    """
    cell = max(height * 2, 16.0)
    inv = 1.0 / cell
    floor = math.floor
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add(box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        for gx in range(floor(x0 * inv), floor(x1 * inv) + 1):
            for gy in range(floor(y0 * inv), floor(y1 * inv) + 1):
                found = grid.get((gx, gy))
                if found is None:
                    grid[(gx, gy)] = [box]
                else:
                    found.append(box)

    def free_in(
        cells: dict[tuple[int, int], list[tuple[float, float, float, float]]],
        x0: float,
        y0: float,
        x1: float,
        y1: float,
    ) -> bool:
        for gx in range(floor(x0 * inv), floor(x1 * inv) + 1):
            for gy in range(floor(y0 * inv), floor(y1 * inv) + 1):
                for bx0, by0, bx1, by1 in cells.get((gx, gy), ()):
                    if x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1:
                        return False
        return True

    def free(x0: float, y0: float, x1: float, y1: float) -> bool:
        return free_in(grid, x0, y0, x1, y1)

    # the discs of the people not yet tried may be covered (``cover``); everything else not
    soft: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    if cover:
        hard, grid = grid, soft
        for x, y, r in discs:
            add((x - r, y - r, x + r, y + r))
        grid = hard
    else:
        for x, y, r in discs:
            add((x - r, y - r, x + r, y + r))

    def free_of_soft(x0: float, y0: float, x1: float, y1: float) -> bool:
        return free_in(soft, x0, y0, x1, y1)

    for box in obstacles:
        add(box)
    placed: list[LabelBox] = []
    sx, sy = spacing  # a placed label is filed this much bigger than it is
    tried = 0
    for i in priority:
        if limit is not None and len(placed) >= limit:
            break
        x, y, r = discs[i]
        if within is not None and not (within[0] <= x <= within[2] and within[1] <= y <= within[3]):
            continue
        tried += 1
        if tries is not None and tried > tries:
            break
        w = widths[i]
        if cover:
            add((x - r, y - r, x + r, y + r))  # more important than all that follow
        candidates = (
            (x + r + pad, y - height / 2),
            (x - r - pad - w, y - height / 2),
            (x - w / 2, y + r + pad),
            (x - w / 2, y - r - pad - height),
        )
        fallback: tuple[float, float] | None = None
        for lx, ly in candidates:
            box = (lx, ly, lx + w, ly + height)
            # the own disc is an obstacle too, but the candidates never touch it
            if free(*box):
                if not cover or free_of_soft(*box):
                    add((lx - sx, ly - sy, lx + w + sx, ly + height + sy))
                    placed.append(LabelBox(i, lx, ly, w, height))
                    break
                if fallback is None:
                    fallback = (lx, ly)
        else:
            if fallback is not None:
                lx, ly = fallback
                add((lx - sx, ly - sy, lx + w + sx, ly + height + sy))
                placed.append(LabelBox(i, lx, ly, w, height, covers=True))
    return placed
