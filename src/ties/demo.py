"""A realistic, deterministic sample journal.

The same ``seed``, sizes and ``today`` always give the same journal, so tests
and benchmarks can rely on it. It has the shapes a real network has: many weak
ties and a few strong ones, a skewed activity (a few people with thousands of
entries, most with a handful), one-sided relationships, dormant ties, overdue
follow-ups and unthanked help.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ties.model import (
    DEFAULT_CADENCE_DAYS,
    DEFAULT_SUPPORT_TYPES,
    EARLIEST_ENTRY,
    Detail,
    Entry,
    ImportantDate,
    Person,
)
from ties.store import JournalError, Store

FIRST = (
    "Cara Dan Elif Farid Grace Hiro Ines Jonas Kavya Liam Maya Noah Olga Pedro Quinn "
    "Rosa Sven Tariq Uma Viktor Wen Ximena Yusuf Zoe Amara Bruno Chloé Diego Émile Fatima "
    "Gustavo Hana Ivan Julia Kofi Lena Mateo Nadia Oscar Priya Rafael Sofia Tomás Ulla Valeria "
    "William Yara Zeynep Aiko Björn Camille Dmitri Esther Felix Greta Hamid Isabel Jakob Keiko "
    "Lucía Marek Nora Omar Paula René Saanvi Theo Ursula Vera Wanjiru Xavier Yosef Zara"
).split()
LAST = (
    "Ruiz Okafor Lindqvist Moreau Tanaka Haddad Novak Schmidt Silva Kowalski Nguyen Ahmed "
    "Fischer García Rossi Jensen Müller Costa Dubois Yilmaz Sato Petrov Mensah Larsen Ortiz "
    "Brennan Chen Kim Patel Ibrahim Weber Álvarez Andersson Nakamura Popescu Horvat Eriksen "
    "Oyelaran Fernández Bianchi Kaya Hoffmann Mahlangu Lefèvre Wójcik Papadopoulos Ó'Brien"
).split()
ORGS = {
    "work": ["Northwind", "Northwind", "Northwind"],
    "industry": ["Contoso", "Fabrikam", "Globex", "Initech", "Umbrella Labs", "Tailspin"],
    "community": ["Running club", "Neighbourhood garden", "Choir", "Volunteer centre"],
    "family": [""],
    "friends": ["", "", "Freelance"],
    "school": ["City University", "Lycée Voltaire", "Tech Institute"],
    "online": ["Open-source project", "Design forum", "Writers' Discord"],
    "other": ["", "Gym", "Book club"],
}
ROLES = [
    "engineer",
    "manager",
    "designer",
    "director",
    "analyst",
    "founder",
    "teacher",
    "researcher",
    "recruiter",
    "nurse",
    "consultant",
    "student",
    "writer",
    "sales lead",
]
PHASES = [
    "childhood",
    "school",
    "university",
    "first job",
    "moving abroad",
    "parenthood",
    "current job",
    "startup years",
]
TOPICS = [
    "hiring",
    "machine learning",
    "gardening",
    "running",
    "public speaking",
    "fundraising",
    "product design",
    "data engineering",
    "parenting",
    "photography",
    "negotiation",
    "writing",
    "cycling",
    "cooking",
    "open source",
    "career change",
    "leadership",
    "music",
]
FEATURED = ("Ana Ruiz", "Ben Okafor")
CIRCLE_WEIGHTS = {
    "work": 28,
    "industry": 22,
    "community": 10,
    "family": 8,
    "friends": 14,
    "school": 8,
    "online": 7,
    "other": 3,
}
NOTES_GAVE = [
    "reviewed their CV",
    "introduced them to a hiring manager",
    "helped debug a tricky problem",
    "listened after a hard week",
    "sent an article on {t}",
    "gave feedback on their talk about {t}",
    "lent a book on {t}",
    "covered their shift",
    "shared contacts in {t}",
]
NOTES_RECEIVED = [
    "advice on {t}",
    "talked about my boss",
    "got a lead on a project in {t}",
    "they vouched for me",
    "encouraged me before the interview",
    "explained how {t} is changing",
    "helped me think through a career move",
    "invited me to a meetup on {t}",
    "a long walk and a laugh",
]
NOTES_MUTUAL = [
    "wrote a proposal on {t} together",
    "ran the {t} workshop together",
    "planned the reunion",
    "paired on a {t} prototype",
]
NOTES_CONTACT = [
    "quick catch-up",
    "birthday message",
    "coffee, nothing special",
    "said hello at the conference",
    "exchanged holiday photos",
    "checked in",
]
TAGS = [
    "climbing",
    "book club",
    "mentor",
    "neighbour",
    "alumni",
    "conference friend",
    "board games",
    "parents at school",
    "hiring network",
    "music",
]
#: Links the demo draws between people of one organisation or circle.
SAME_PLACE_RELATION = {"family": "family", "friends": "friend", "school": "knows"}
#: Support the sample network has not given lately, so Coverage shows real gaps.
RECENT_GAPS = ("long_view", "internal_influence")
INSTRUMENTAL = [k for k, _, f, _ in DEFAULT_SUPPORT_TYPES if f == "instrumental"]
PSYCHOSOCIAL = [k for k, _, f, _ in DEFAULT_SUPPORT_TYPES if f == "psychosocial"]


@dataclass
class _Profile:
    person: Person
    activity: float
    give_bias: float  # probability an exchange goes from me to them
    start: date
    end: date
    specialties: list[str]


#: The largest demo journal ``write_demo`` makes: ten times the benchmark's reference
#: journal of people, and ten times its entries.
MAX_DEMO_PEOPLE = 100_000
MAX_DEMO_ENTRIES = 10_000_000
#: Days before the history starts that a demo person may have met you (see ``_make_people``)
#: and after its end that a follow-up may fall.
_MET_BEFORE_DAYS = 3000
_FOLLOW_UP_DAYS = 30


def demo_today_range(years: float) -> tuple[date, date]:
    """The first and last day a demo history of ``years`` may end on.

    Every date it writes (first meetings years before, follow-ups after) must
    stay inside what the journal accepts: entries start in 1900.
    """
    first = EARLIEST_ENTRY + timedelta(days=int(365 * years) + _MET_BEFORE_DAYS)
    return first, date.max - timedelta(days=_FOLLOW_UP_DAYS + 1)


def write_demo(
    path: str | Path,
    *,
    people: int = 300,
    entries: int = 6000,
    seed: int = 7,
    years: float = 4.0,
    today: date | None = None,
) -> Store:
    """Create (or replace) a demo journal at ``path`` and return it open.

    Refuses to touch an existing journal that is not a demo journal.
    """
    if people < 1 or entries < 0:
        raise JournalError("A demo needs at least one person and no negative entry count.")
    if people > MAX_DEMO_PEOPLE or entries > MAX_DEMO_ENTRIES:
        raise JournalError(
            f"A demo has at most {MAX_DEMO_PEOPLE:,} people and {MAX_DEMO_ENTRIES:,} entries."
        )
    if not 0.1 <= years <= 100:
        raise JournalError("A demo spans between 0.1 and 100 years.")
    first, last = demo_today_range(years)
    if today is not None and not first <= today <= last:
        raise JournalError(
            f"A demo of {years:g} years must end between {first.isoformat()} and "
            f"{last.isoformat()}."
        )
    path = Path(path).expanduser()
    if path.exists() and path.stat().st_size > 0:
        with Store.open(path, create=False) as existing:
            if not existing.is_demo and existing.count_people():
                raise JournalError(
                    f"{path} is a journal with your own data; the demo will not write into it. "
                    "Give another --db path."
                )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    today = today or date.today()
    rng = random.Random(seed)
    uuid_rng = random.Random(seed * 7919 + 1)
    store = Store.open(path)
    try:
        store.set_meta("demo", "1")
        store.set_meta("name", "Sample journal")
        profiles = _make_people(rng, uuid_rng, people, today, years)
        # Its own stream, so the people and entries stay what they were before details existed.
        detail_rng = random.Random(seed * 104729 + 3)
        _add_details(detail_rng, profiles, today)
        store.bulk_insert(
            [p.person for p in profiles],
            _make_entries(rng, uuid_rng, profiles, entries, today),
        )
        store.add_links(_make_links(detail_rng, profiles))
    except BaseException:
        store.close()
        raise
    return store


def _pid(person: Person) -> int:
    """The id of a person already written to the journal."""
    if person.id is None:
        raise ValueError(f"{person.name} has not been written yet")
    return person.id


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _make_people(
    rng: random.Random, uuid_rng: random.Random, n: int, today: date, years: float
) -> list[_Profile]:
    circles = list(CIRCLE_WEIGHTS)
    weights = list(CIRCLE_WEIGHTS.values())
    span = int(365 * years)
    first_day = today - timedelta(days=span)
    profiles: list[_Profile] = []
    used: set[str] = set()
    for i in range(n):
        # The README's examples name Ana Ruiz and Ben: the demo has them.
        name = FEATURED[i] if i < len(FEATURED) else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in used:
            name = f"{name} {chr(65 + i % 26)}."
            if name in used:
                name = f"{name[:-3]} {i}"
        used.add(name)
        circle = rng.choices(circles, weights)[0]
        closeness = rng.choices([1, 2, 3, 4, 5], [30, 30, 22, 12, 6])[0]
        if circle == "family":
            closeness = max(closeness, 3)
        org = rng.choice(ORGS[circle])
        strong = closeness >= 4
        pool = PSYCHOSOCIAL if strong or circle in ("friends", "family") else INSTRUMENTAL
        other = INSTRUMENTAL if pool is PSYCHOSOCIAL else PSYCHOSOCIAL
        specialties = rng.sample(pool, k=rng.randint(1, 3))
        if rng.random() < 0.3:
            specialties.append(rng.choice(other))
        phases = rng.sample(PHASES, k=rng.choice([0, 1, 1, 2, 3] if strong else [0, 0, 1]))
        shape = rng.random()
        give_bias = 0.5
        if shape < 0.12:
            give_bias = 0.88  # I mostly give
        elif shape < 0.22:
            give_bias = 0.12  # I mostly take
        start = first_day + timedelta(days=rng.randint(0, span // 2))
        end = today
        if rng.random() < 0.18:  # drifted apart
            end = today - timedelta(
                days=rng.randint(DEFAULT_CADENCE_DAYS[closeness] + 5, span // 2)
            )
            end = max(end, start + timedelta(days=30))
        topics = rng.sample(TOPICS, k=3)
        person = Person(
            id=i + 1,
            uuid=_uuid(uuid_rng),
            name=name,
            circle=circle,
            organization=org,
            role=rng.choice(ROLES) if circle in ("work", "industry", "school", "online") else "",
            how_met=rng.choice(
                [
                    "",
                    "at a conference",
                    "through a friend",
                    "at work",
                    "online",
                    "neighbours",
                    "at university",
                ]
            ),
            met_on=start - timedelta(days=rng.randint(0, _MET_BEFORE_DAYS)),
            life_phases=phases,
            closeness=closeness,
            mutuality=rng.choices([-1, 0, 1], [12, 48, 40])[0],
            interests=", ".join(topics[:2]),
            needs=f"help with {topics[2]}" if rng.random() < 0.25 else "",
            offers=f"knows a lot about {topics[0]}" if rng.random() < 0.3 else "",
            notes=rng.choice(
                [
                    "",
                    "",
                    "Prefers mornings.",
                    "Has two kids.",
                    "Vegetarian.",
                    "Moving to Lisbon next year.",
                    "Great at giving feedback.",
                ]
            ),
            archived=rng.random() < 0.02,
            created=f"{start.isoformat()}T09:00:00.000000Z",
            updated=f"{start.isoformat()}T09:00:00.000000Z",
        )
        # Zipf-like skew: a few people carry most of the history.
        activity = 1.0 / (i + 3) ** 1.05
        profiles.append(_Profile(person, activity, give_bias, start, end, specialties))
    rng.shuffle(profiles)  # so the busiest people are not simply the first ids
    return profiles


def _ascii(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _add_details(rng: random.Random, profiles: list[_Profile], today: date) -> None:
    """E-mails, phones, birthdays, dates and tags for about half the people.

    Phone numbers are in the UK's range for drama (+44 7700 900xxx), e-mail
    domains end in ``.example``: none reaches anybody real. The featured people
    have a birthday and an anniversary within the Today list's week.
    """
    for prof in profiles:
        p = prof.person
        words = p.name.split()
        first, last = _ascii(words[0]), _ascii(words[1] if len(words) > 1 else "x")
        domain = (_ascii(p.organization) or "mail") + ".example"
        if rng.random() < 0.6:
            p.emails.append(
                Detail("work" if p.organization else "home", f"{first}.{last}@{domain}")
            )
            if rng.random() < 0.3:
                p.emails.append(Detail("home", f"{first}{rng.randint(1, 99)}@mail.example"))
        if rng.random() < 0.5:
            p.phones.append(Detail("mobile", f"+44 7700 900{rng.randint(0, 999):03d}"))
        if rng.random() < 0.45:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            if rng.random() < 0.7:
                p.birthday = date(rng.randint(1955, 2002), month, day).isoformat()
            else:
                p.birthday = f"--{month:02d}-{day:02d}"
        if rng.random() < 0.1:
            p.dates.append(ImportantDate("started working together", prof.start.isoformat()))
        p.tags = rng.sample(TAGS, k=rng.choice([0, 0, 0, 1, 1, 2, 3]))
        if p.name in FEATURED:  # the README's people show every kind of detail
            if not p.emails:
                p.emails.append(Detail("work", f"{first}.{last}@{domain}"))
            if "climbing" not in p.tags:
                p.tags = [*p.tags, "climbing"]  # a tag the two share
        if p.name == FEATURED[0]:
            soon = today + timedelta(days=3)
            p.birthday = f"1990-{soon.month:02d}-{min(soon.day, 28):02d}"
        elif p.name == FEATURED[1]:
            soon = today + timedelta(days=5)
            p.dates.append(
                ImportantDate("wedding anniversary", f"--{soon.month:02d}-{soon.day:02d}")
            )


def _make_links(
    rng: random.Random, profiles: list[_Profile]
) -> list[tuple[int, int, str, bool, date | None]]:
    """Colleagues at one organisation, family with family, a few friends of friends."""
    groups: dict[str, list[Person]] = {}
    for prof in profiles:
        p = prof.person
        key = p.organization if p.organization else p.circle
        if p.organization or p.circle in SAME_PLACE_RELATION:
            groups.setdefault(key, []).append(p)
    rows: list[tuple[int, int, str, bool, date | None]] = []
    seen: set[frozenset[int]] = set()
    for members in groups.values():
        members = sorted(members, key=lambda x: _pid(x))[:400]  # bounded per group
        for a, b in itertools.pairwise(members):
            if rng.random() < 0.5:
                continue
            relation = (
                SAME_PLACE_RELATION.get(a.circle, "colleague") if a.circle == b.circle else "knows"
            )
            pair = frozenset((_pid(a), _pid(b)))
            if pair not in seen:
                seen.add(pair)
                rows.append((_pid(a), _pid(b), relation, False, None))
    featured = [p.person for p in profiles if p.person.name in FEATURED]
    if len(featured) == 2:
        pair = frozenset(_pid(p) for p in featured)
        if pair not in seen:
            seen.add(pair)
            rows.append((_pid(featured[0]), _pid(featured[1]), "friend", False, None))
    if len(profiles) > 2:
        for _ in range(len(profiles) // 20):
            one, two = (x.person for x in rng.sample(profiles, 2))
            pair = frozenset((_pid(one), _pid(two)))
            if pair not in seen:
                seen.add(pair)
                rows.append((_pid(one), _pid(two), "introduced me to", True, None))
    return rows


def _make_entries(
    rng: random.Random,
    uuid_rng: random.Random,
    profiles: list[_Profile],
    n: int,
    today: date,
) -> Iterator[Entry]:
    if not profiles or n == 0:
        return
    weights = [p.activity for p in profiles]
    chosen = rng.choices(range(len(profiles)), weights, k=n)
    kinds = ["conversation", "meeting", "call", "message", "event", "favor", "gift", "other"]
    kind_w = [30, 20, 14, 20, 6, 6, 2, 2]
    for eid, idx in enumerate(chosen, start=1):
        prof = profiles[idx]
        span = max((prof.end - prof.start).days, 1)
        day = prof.start + timedelta(days=int(span * rng.random() ** 0.7))
        people = [_pid(prof.person)]
        kind = rng.choices(kinds, kind_w)[0]
        roll = rng.random()
        if roll < 0.22:
            direction = "contact"
        elif roll < 0.30:
            direction = "mutual"
        else:
            direction = "gave" if rng.random() < prof.give_bias else "received"
        if rng.random() < 0.08:  # group entries, and introductions between two people
            other = _pid(profiles[rng.randrange(len(profiles))].person)
            if other not in people:
                people.append(other)
                if rng.random() < 0.35:
                    kind = "introduction"
                    direction = rng.choice(["gave", "received"])
        types: list[str] = []
        if direction != "contact" and rng.random() < 0.85:
            types = rng.sample(
                prof.specialties, k=min(len(prof.specialties), rng.choice([1, 1, 2]))
            )
            if kind == "introduction" and "introductions" not in types:
                types.append("introductions")
            if (today - day).days < 400 and direction in ("received", "mutual"):
                types = [t for t in types if t not in RECENT_GAPS]
        topic = rng.choice(TOPICS)
        note_pool = {
            "gave": NOTES_GAVE,
            "received": NOTES_RECEIVED,
            "mutual": NOTES_MUTUAL,
            "contact": NOTES_CONTACT,
        }[direction]
        note = rng.choice(note_pool).format(t=topic) if rng.random() < 0.8 else ""
        follow_up = None
        done = False
        if rng.random() < 0.05:
            follow_up = day + timedelta(days=rng.choice([3, 7, 14, 30]))
            done = follow_up < today - timedelta(days=20) or rng.random() < 0.5
        thanked = (
            direction == "received"
            and ((today - day).days > 30 or rng.random() < 0.5)
            and rng.random() < 0.9
        )
        behalf = None
        if direction == "gave" and "introductions" in types and rng.random() < 0.3:
            behalf = profiles[rng.randrange(len(profiles))].person.id
            if behalf in people:
                behalf = None
        yield Entry(
            id=eid,
            uuid=_uuid(uuid_rng),
            date=day,
            person_ids=people,
            direction=direction,
            kind=kind,
            support_types=types,
            weight=rng.choices([1, 2, 3], [55, 32, 13])[0],
            on_behalf_of=behalf,
            note=note,
            follow_up=follow_up,
            follow_up_done=done,
            thanked=thanked,
            created=f"{day.isoformat()}T20:00:00.000000Z",
            updated=f"{day.isoformat()}T20:00:00.000000Z",
        )
