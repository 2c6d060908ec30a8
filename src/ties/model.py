"""The vocabulary of Ties: plain dataclasses shared by every layer.

Nothing here touches SQLite or Qt, so analysis code and tests can build
values by hand.
"""

from __future__ import annotations

import datetime as _dt
import uuid as _uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final

DIRECTIONS: Final = ("gave", "received", "mutual", "contact")
#: The earliest date an entry may have: catches a mistyped year such as 0026.
EARLIEST_ENTRY: Final = date(1900, 1, 1)
KINDS: Final = (
    "conversation",
    "meeting",
    "call",
    "message",
    "event",
    "favor",
    "introduction",
    "gift",
    "other",
)
FAMILIES: Final = ("instrumental", "psychosocial")
WEIGHTS: Final = (1, 2, 3)
WEIGHT_WORDS: Final = {1: "small", 2: "medium", 3: "large"}
CLOSENESS_LABELS: Final = {
    1: "acquaintance",
    2: "casual",
    3: "friendly",
    4: "close",
    5: "inner circle",
}
WEAK_TIES: Final = (1, 2)
STRONG_TIES: Final = (4, 5)
DEFAULT_CADENCE_DAYS: Final = {5: 14, 4: 30, 3: 90, 2: 180, 1: 365}

DEFAULT_CIRCLES: Final = (
    ("work", "Work"),
    ("industry", "Industry"),
    ("community", "Community"),
    ("family", "Family"),
    ("friends", "Friends"),
    ("school", "School"),
    ("online", "Online"),
    ("other", "Other"),
)

DEFAULT_SUPPORT_TYPES: Final = (
    (
        "career_guidance",
        "Career guidance",
        "instrumental",
        "Someone objective to talk to about my development and career",
    ),
    (
        "internal_influence",
        "Internal influence",
        "instrumental",
        "People in other departments or levels who help me influence decisions or expedite work",
    ),
    (
        "industry_insight",
        "Industry insight",
        "instrumental",
        "People at other companies in my industry who share how it is evolving",
    ),
    ("introductions", "Introductions", "instrumental", "Warm introductions and referrals"),
    ("expertise", "Expertise", "instrumental", "Ideas, advice and hands-on help"),
    ("opportunities", "Opportunities", "instrumental", "Job leads, projects and invitations"),
    ("confidant", "Confidant", "psychosocial", "Someone outside my department I can confide in"),
    (
        "shared_situation",
        "Shared situation",
        "psychosocial",
        "People in a similar life situation who understand my daily life",
    ),
    (
        "long_view",
        "Long view",
        "psychosocial",
        "People who have known me through several phases of my life",
    ),
    ("encouragement", "Encouragement", "psychosocial", "Stress relief and morale"),
    ("belonging", "Belonging", "psychosocial", "Fun, companionship and community"),
)


def new_uuid() -> str:
    return str(_uuid.uuid4())


def now_stamp() -> str:
    """UTC timestamp with microseconds; ISO text sorts in time order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_partial_date(text: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) of a birthday or important date; ``ValueError`` if not one.

    ``YYYY-MM-DD`` must be a real day; ``--MM-DD`` (no year, as vCard writes it) may be
    any day some year has, so ``--02-29`` is fine and ``--02-30`` is not.
    """
    import re

    m = re.fullmatch(r"(\d{4}|-)-(\d{2})-(\d{2})", text)
    if not m:
        raise ValueError(f"'{text}' is not a date: write YYYY-MM-DD, or --MM-DD without the year")
    year = None if m.group(1) == "-" else int(m.group(1))
    month, day = int(m.group(2)), int(m.group(3))
    try:
        date(year if year is not None else 2000, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar") from None
    if year is not None and year < 1:
        raise ValueError(f"'{text}' is not a day of the calendar")
    return year, month, day


@dataclass
class Circle:
    key: str
    label: str
    position: int = 0
    retired: bool = False


@dataclass
class SupportType:
    key: str
    label: str
    family: str
    question: str
    position: int = 0
    retired: bool = False


#: The fields of :class:`Person` that a person edits besides the name, in the order
#: the person form, ``ties add/edit`` and the CSV export list them.
PROFILE_FIELDS: tuple[str, ...] = (
    "circle",
    "organization",
    "role",
    "how_met",
    "met_on",
    "life_phases",
    "closeness",
    "mutuality",
    "interests",
    "needs",
    "offers",
    "notes",
    "cadence_days",
)


#: Labels offered for e-mails, phones, web links and addresses (free text is allowed too).
DETAIL_LABELS: Final = ("home", "work", "mobile", "other")
#: Relations offered for a link between two people (free text is allowed too).
RELATIONS: Final = ("partner", "family", "colleague", "friend", "introduced me to", "knows")


@dataclass(frozen=True)
class Detail:
    """One e-mail address, phone number or web link, with its label (home, work, …)."""

    label: str
    value: str


@dataclass(frozen=True)
class Address:
    """One postal address, with its label."""

    label: str
    street: str = ""
    locality: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""


@dataclass(frozen=True)
class ImportantDate:
    """An anniversary or other date to remember: ``YYYY-MM-DD``, or ``--MM-DD`` without a year."""

    label: str
    date: str
    yearly: bool = True


@dataclass(frozen=True)
class PersonLink:
    """A tie between two people in the journal, seen from one of them.

    ``directed`` links read "this person <relation> other" (e.g. introduced me to);
    the others hold both ways. ``other_uuid`` and ``other_name`` are filled by the
    store for display and export and ignored on write.
    """

    other_id: int
    relation: str
    directed: bool = False
    since: date | None = None
    other_uuid: str = ""
    other_name: str = ""
    #: For a directed link: true when the other person is the one the relation starts from.
    incoming: bool = False


@dataclass
class Person:
    name: str
    circle: str = "other"
    organization: str = ""
    role: str = ""
    how_met: str = ""
    met_on: date | None = None
    life_phases: list[str] = field(default_factory=list)
    closeness: int = 3
    mutuality: int = 0
    interests: str = ""
    needs: str = ""
    offers: str = ""
    notes: str = ""
    cadence_days: int | None = None
    archived: bool = False
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)
    created: str = ""
    updated: str = ""
    last_contact: date | None = None
    emails: list[Detail] = field(default_factory=list)
    phones: list[Detail] = field(default_factory=list)
    urls: list[Detail] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    birthday: str | None = None  # "YYYY-MM-DD", or "--MM-DD" without the year
    dates: list[ImportantDate] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: Raw vCard property lines Ties has no place for, written back on vCard export.
    extra: list[str] = field(default_factory=list)
    #: Filled by the store when reading; the photo itself is ``Store.get_photo``.
    has_photo: bool = False

    @property
    def tie_strength(self) -> str:
        if self.closeness in WEAK_TIES:
            return "weak"
        if self.closeness in STRONG_TIES:
            return "strong"
        return "medium"


@dataclass
class Entry:
    date: date
    person_ids: list[int]
    direction: str = "contact"
    kind: str = "conversation"
    support_types: list[str] = field(default_factory=list)
    weight: int = 1
    time: str | None = None
    on_behalf_of: int | None = None
    note: str = ""
    follow_up: _dt.date | None = None  # the field `date` shadows the type here
    follow_up_done: bool = False
    thanked: bool = False
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)
    created: str = ""
    updated: str = ""
    # Filled in by the store when reading, for display; ignored on write.
    people_label: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: a person or an entry, with a short snippet."""

    kind: str  # "person" or "entry"
    id: int
    title: str
    snippet: str
    date: date | None = None
