"""The journal schema and its migrations.

Full-text tables use external content and are kept in step by the store's
own writes, not by triggers: with ``trusted_schema=OFF`` SQLite refuses
triggers that write to FTS5 tables, and the store is the only writer anyway.

Each migration is a small named function run inside the caller's
``BEGIN IMMEDIATE`` transaction; the runner writes ``PRAGMA user_version`` in
that same transaction, so a failed migration leaves the file exactly at its old
version. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ties.model import DEFAULT_CIRCLES, DEFAULT_SUPPORT_TYPES, now_stamp

#: ``PRAGMA application_id`` of a Ties journal: the bytes "TIES".
APPLICATION_ID = 0x54494553

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (``executescript`` would COMMIT our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        conn.execute(buffer)


def _v1_initial(conn: sqlite3.Connection) -> None:
    run_script(conn, V1_SCHEMA)
    stamp = now_stamp()
    for pos, (key, label) in enumerate(DEFAULT_CIRCLES):
        conn.execute(
            "INSERT INTO circles (key, label, position) VALUES (?, ?, ?)", (key, label, pos)
        )
    for pos, (key, label, family, question) in enumerate(DEFAULT_SUPPORT_TYPES):
        conn.execute(
            "INSERT INTO support_types (key, label, family, question, position, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, label, family, question, pos, stamp, stamp),
        )
    conn.execute("INSERT INTO meta (key, value) VALUES ('created', ?)", (stamp,))


V1_SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE circles (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE support_types (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('instrumental', 'psychosocial')),
    question TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    circle TEXT NOT NULL DEFAULT 'other' REFERENCES circles(key) ON UPDATE CASCADE,
    organization TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    how_met TEXT NOT NULL DEFAULT '',
    met_on TEXT,
    life_phases TEXT NOT NULL DEFAULT '[]',
    closeness INTEGER NOT NULL DEFAULT 3 CHECK (closeness BETWEEN 1 AND 5),
    mutuality INTEGER NOT NULL DEFAULT 0 CHECK (mutuality BETWEEN -1 AND 1),
    interests TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    offers TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    cadence_days INTEGER CHECK (cadence_days IS NULL OR cadence_days > 0),
    archived INTEGER NOT NULL DEFAULT 0,
    last_contact TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX people_name ON people (name COLLATE NOCASE);
CREATE INDEX people_circle ON people (circle);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    time TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('conversation', 'meeting', 'call', 'message', 'event',
                                       'favor', 'introduction', 'gift', 'other')),
    direction TEXT NOT NULL CHECK (direction IN ('gave', 'received', 'mutual', 'contact')),
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 3),
    on_behalf_of INTEGER REFERENCES people(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    follow_up TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0,
    thanked INTEGER NOT NULL DEFAULT 0,
    people_label TEXT NOT NULL DEFAULT '',
    types_label TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX entries_date ON entries (date, id);
CREATE INDEX entries_people_label ON entries (people_label COLLATE NOCASE, date);
CREATE INDEX entries_follow_up ON entries (follow_up) WHERE follow_up IS NOT NULL
    AND follow_up_done = 0;
CREATE INDEX entries_on_behalf_of ON entries (on_behalf_of) WHERE on_behalf_of IS NOT NULL;
CREATE TABLE entry_people (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL DEFAULT 0,
    date TEXT NOT NULL,
    PRIMARY KEY (entry_id, person_id)
) WITHOUT ROWID;
CREATE INDEX entry_people_person ON entry_people (person_id, date);
CREATE TABLE entry_support (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    type_key TEXT NOT NULL REFERENCES support_types(key) ON UPDATE CASCADE,
    PRIMARY KEY (entry_id, type_key)
) WITHOUT ROWID;
CREATE INDEX entry_support_type ON entry_support (type_key, entry_id);
CREATE TABLE dismissals (
    item_key TEXT PRIMARY KEY,
    until TEXT,
    created TEXT NOT NULL
);
CREATE VIRTUAL TABLE people_fts USING fts5 (
    name, organization, role, notes, interests, needs, offers,
    content='people', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    note, people_label,
    content='entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""


def _v2_give_take(conn: sqlite3.Connection) -> None:
    """Copy each entry's direction and weight to its people.

    Summing give and take per person over a window then reads one compact
    index instead of looking up a million entries one by one (the reciprocity
    figures and the Today list depend on it being fast).
    """
    run_script(conn, V2_GIVE_TAKE)
    if conn.execute("SELECT 1 FROM entry_people LIMIT 1").fetchone():
        # A journal analysed before has statistics for the old indices only; without
        # them for the new one, the planner would keep reading the old, slower one.
        conn.execute("ANALYZE entry_people")
        conn.execute("ANALYZE entries")


V2_GIVE_TAKE = """
ALTER TABLE entry_people ADD COLUMN direction TEXT NOT NULL DEFAULT 'contact';
ALTER TABLE entry_people ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;
UPDATE entry_people SET (direction, weight) =
    (SELECT e.direction, e.weight FROM entries e WHERE e.id = entry_people.entry_id);
CREATE INDEX entry_people_give_take ON entry_people (person_id, date, direction, weight);
CREATE INDEX entries_behalf_window ON entries (on_behalf_of, date, weight)
    WHERE on_behalf_of IS NOT NULL;
"""


def _v3_person_support(conn: sqlite3.Connection) -> None:
    """One row per entry, person and support type, with the entry's date, direction, weight.

    Coverage asks, for a whole year, who gave which kind of support: with this
    table that is one range read of a covering index, instead of a primary-key
    probe into ``entry_support`` for each of hundreds of thousands of rows; and
    "did anyone give this type lately" (the Today list's gaps) is one probe.
    """
    run_script(conn, V3_PERSON_SUPPORT)
    if conn.execute("SELECT 1 FROM entry_person_support LIMIT 1").fetchone():
        conn.execute("ANALYZE entry_person_support")
        conn.execute("ANALYZE entries")


V3_PERSON_SUPPORT = """
CREATE TABLE entry_person_support (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id),
    type_key TEXT NOT NULL,
    date TEXT NOT NULL,
    direction TEXT NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (entry_id, person_id, type_key)
) WITHOUT ROWID;
INSERT INTO entry_person_support (entry_id, person_id, type_key, date, direction, weight)
    SELECT ep.entry_id, ep.person_id, s.type_key, ep.date, ep.direction, ep.weight
    FROM entry_people ep JOIN entry_support s ON s.entry_id = ep.entry_id;
CREATE INDEX entry_person_support_window
    ON entry_person_support (date, type_key, person_id, direction, weight);
CREATE INDEX entry_person_support_type
    ON entry_person_support (type_key, direction, date, person_id);
CREATE INDEX entry_person_support_person ON entry_person_support (person_id);
CREATE INDEX entries_introductions ON entries (id) WHERE kind = 'introduction';
"""


def _v4_window_totals(conn: sqlite3.Connection) -> None:
    """Totals per person and support type over one look-back window, kept up to date.

    Coverage needs, for a whole year, every person's entries and weight per
    support type, given and received (a mutual entry counts on both sides), and
    the Today list every person's give and take: on a million-entry journal
    each is a GROUP BY over ~400,000 rows each time.
    These tables hold the answer for one window (``window_span``: ``start``
    exclusive, ``as_of`` inclusive), moved by ``window_totals.window_totals``
    when another window is asked for (a day later, only the days that left and
    entered it are read). Unlike the search index they are kept in step by
    triggers, so every write, whatever its path (undo, import, cascade
    deletes), updates them in its own transaction. An empty ``window_span``
    means no window is held and the triggers do nothing.
    """
    run_script(conn, V4_WINDOW_TABLES)
    run_script(conn, window_triggers())


V4_WINDOW_TABLES = """
CREATE TABLE window_span (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    start TEXT NOT NULL,
    as_of TEXT NOT NULL
);
CREATE TABLE window_support (
    type_key TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    received INTEGER NOT NULL,
    received_weight INTEGER NOT NULL,
    given INTEGER NOT NULL,
    given_weight INTEGER NOT NULL,
    PRIMARY KEY (type_key, person_id)
) WITHOUT ROWID;
CREATE TABLE window_people (
    person_id INTEGER PRIMARY KEY,
    entries INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    gave INTEGER NOT NULL,
    received INTEGER NOT NULL,
    mutual INTEGER NOT NULL
);
"""

#: A row of ``entry_person_support`` (``{r}`` is NEW or OLD) added to or taken from
#: its person's sums of its support type: received counts received and mutual
#: entries, given counts gave and mutual ones.
_SUPPORT_ADD = """
    INSERT INTO window_support VALUES (
        {r}.type_key,
        {r}.person_id,
        {r}.direction != 'gave',
        CASE WHEN {r}.direction != 'gave' THEN {r}.weight ELSE 0 END,
        {r}.direction != 'received',
        CASE WHEN {r}.direction != 'received' THEN {r}.weight ELSE 0 END
    ) ON CONFLICT DO UPDATE SET
        received = received + excluded.received,
        received_weight = received_weight + excluded.received_weight,
        given = given + excluded.given,
        given_weight = given_weight + excluded.given_weight;"""
_SUPPORT_REMOVE = """
    UPDATE window_support SET
        received = received - ({r}.direction != 'gave'),
        received_weight = received_weight
            - CASE WHEN {r}.direction != 'gave' THEN {r}.weight ELSE 0 END,
        given = given - ({r}.direction != 'received'),
        given_weight = given_weight
            - CASE WHEN {r}.direction != 'received' THEN {r}.weight ELSE 0 END
    WHERE type_key = {r}.type_key AND person_id = {r}.person_id;
    DELETE FROM window_support
    WHERE type_key = {r}.type_key AND person_id = {r}.person_id AND received <= 0 AND given <= 0;"""
#: A row of ``entry_people`` added to or taken from its person's give and take.
_PEOPLE_ADD = """
    INSERT INTO window_people VALUES (
        {r}.person_id,
        1,
        {r}.weight,
        CASE WHEN {r}.direction = 'gave' THEN {r}.weight ELSE 0 END,
        CASE WHEN {r}.direction = 'received' THEN {r}.weight ELSE 0 END,
        CASE WHEN {r}.direction = 'mutual' THEN {r}.weight ELSE 0 END
    ) ON CONFLICT DO UPDATE SET
        entries = entries + 1,
        weight = weight + excluded.weight,
        gave = gave + excluded.gave,
        received = received + excluded.received,
        mutual = mutual + excluded.mutual;"""
_PEOPLE_REMOVE = """
    UPDATE window_people SET
        entries = entries - 1,
        weight = weight - {r}.weight,
        gave = gave - CASE WHEN {r}.direction = 'gave' THEN {r}.weight ELSE 0 END,
        received = received - CASE WHEN {r}.direction = 'received' THEN {r}.weight ELSE 0 END,
        mutual = mutual - CASE WHEN {r}.direction = 'mutual' THEN {r}.weight ELSE 0 END
    WHERE person_id = {r}.person_id;
    DELETE FROM window_people WHERE person_id = {r}.person_id AND entries <= 0;"""
_IN_SPAN = "EXISTS (SELECT 1 FROM window_span WHERE {r}.date > start AND {r}.date <= as_of)"
#: Contacts give and take nothing: their support rows leave the sums alone.
_GIVES_OR_TAKES = "{r}.direction IN ('received', 'gave', 'mutual') AND "
_PEOPLE_UPDATE = "UPDATE OF person_id, date, direction, weight ON entry_people"


def window_triggers() -> str:
    """The eight triggers that keep the window sums.

    Per table, a row that enters adds (an insert, and the new row of an update)
    and a row that leaves takes away (a delete, and the old row of an update),
    each only when its date is inside the held window.
    """
    support = "ON entry_person_support"
    specs = (  # name, event, NEW or OLD, body, only rows that give or take
        ("window_support_insert", f"INSERT {support}", "NEW", _SUPPORT_ADD, True),
        ("window_support_delete", f"DELETE {support}", "OLD", _SUPPORT_REMOVE, True),
        ("window_support_update_old", f"UPDATE {support}", "OLD", _SUPPORT_REMOVE, True),
        ("window_support_update_new", f"UPDATE {support}", "NEW", _SUPPORT_ADD, True),
        ("window_people_insert", "INSERT ON entry_people", "NEW", _PEOPLE_ADD, False),
        ("window_people_delete", "DELETE ON entry_people", "OLD", _PEOPLE_REMOVE, False),
        ("window_people_update_old", _PEOPLE_UPDATE, "OLD", _PEOPLE_REMOVE, False),
        ("window_people_update_new", _PEOPLE_UPDATE, "NEW", _PEOPLE_ADD, False),
    )
    return "".join(
        f"CREATE TRIGGER {name} AFTER {event}\n"
        f"WHEN {(_GIVES_OR_TAKES if gives else '').format(r=r)}{_IN_SPAN.format(r=r)}\n"
        f"BEGIN{body.format(r=r)}\nEND;\n"
        for name, event, r, body, gives in specs
    )


def _v5_person_details(conn: sqlite3.Connection) -> None:
    """The whole person: contact details, birthday and dates, tags, photo, links, vCard leftovers.

    Each list is its own table (ordered by ``position``) so a person's page reads a
    few indexed rows and import matching finds a shared e-mail or phone through
    ``match_key`` (e-mail folded to lower case, phone reduced to its digits).
    ``people.contact_words`` repeats the e-mails, phones and tags for the search
    index, which is rebuilt with it.
    """
    run_script(conn, V5_PERSON_DETAILS)
    conn.execute("INSERT INTO people_fts (people_fts) VALUES ('rebuild')")


V5_PERSON_DETAILS = """
ALTER TABLE people ADD COLUMN birthday TEXT;
ALTER TABLE people ADD COLUMN contact_words TEXT NOT NULL DEFAULT '';
CREATE TABLE person_details (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'url')),
    position INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    match_key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX person_details_match ON person_details (kind, match_key);
CREATE TABLE person_addresses (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    locality TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, position)
) WITHOUT ROWID;
CREATE TABLE person_dates (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL,
    yearly INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (person_id, position)
) WITHOUT ROWID;
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(tag)) > 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (person_id, tag)
) WITHOUT ROWID;
CREATE INDEX person_tags_tag ON person_tags (tag, person_id);
CREATE TABLE person_photos (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE person_links (
    a_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    b_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    directed INTEGER NOT NULL DEFAULT 0,
    since TEXT,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id != b_id)
) WITHOUT ROWID;
CREATE INDEX person_links_b ON person_links (b_id, a_id);
CREATE TABLE person_extra (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (person_id, position)
) WITHOUT ROWID;
DROP TABLE people_fts;
CREATE VIRTUAL TABLE people_fts USING fts5 (
    name, organization, role, notes, interests, needs, offers, contact_words,
    content='people', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""


def _v6_sync(conn: sqlite3.Connection) -> None:
    """The tables a journal keeps to sync through a folder (:mod:`ties.store.sync_state`).

    Their triggers note written rows only once the journal has synced, so a
    journal that never syncs pays nothing.
    """
    from ties.store.sync_state import SYNC_TABLES, dirty_triggers

    run_script(conn, SYNC_TABLES)
    run_script(conn, dirty_triggers())


def _v7_period_sums(conn: sqlite3.Connection) -> None:
    """Sums per month, per year and for all time, always current, in place of v4's one window.

    Any window's coverage and give and take is then a few kept periods plus the
    days at its two ends (:mod:`ties.store.window_totals`), on a journal open
    read-only too, and reading never writes. v4's moving window (its tables and
    triggers) goes. An index of the introductions made on someone's behalf lets
    the map find them without reading every entry made on someone's behalf.
    """
    from ties.store import window_totals

    for name, kind in conn.execute(
        "SELECT name, type FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'window_%'"
    ).fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    for table in ("window_span", "window_support", "window_people"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    window_totals.create(conn)
    conn.execute(
        "CREATE INDEX entries_introduction_behalf ON entries (on_behalf_of, id) "
        "WHERE kind = 'introduction' AND on_behalf_of IS NOT NULL"
    )


def _v8_people_sort_key(conn: sqlite3.Connection) -> None:
    """Entries sorted by their people with accents and case left out: Émile among the E's.

    ``people_key`` is the label's folded form (:func:`ties.store.search.fold`),
    written by Ties beside the label; the index on it replaces the one on the
    label (``COLLATE NOCASE`` left Émile after Z). A stored column rather than a
    collation or an indexed function, so any SQLite program can still read and
    write the journal.
    """
    from ties.store.connection import register_sort_key

    register_sort_key(conn)
    run_script(
        conn,
        """
ALTER TABLE entries ADD COLUMN people_key TEXT NOT NULL DEFAULT '';
UPDATE entries SET people_key = ties_sort_key(people_label);
DROP INDEX IF EXISTS entries_people_label;
CREATE INDEX entries_people_key ON entries (people_key, date);
""",
    )


def _v9_kept_window(conn: sqlite3.Connection) -> None:
    """The sums of the window ending today kept beside the calendar periods.

    Every place and report looks at the last 365 days by default; v7 read them as
    this year plus last year's tail, summed at every read (~100 ms of a million-entry
    journal, twice for coverage). The kept window is moved by the first write of
    each day (:func:`ties.store.window_totals.keep_window_current`), never by a read,
    and its triggers are v7's, which now also add to it a row dated inside it.
    """
    from ties.store import window_totals

    window_totals.add_window(conn)


def _v10_unthanked(conn: sqlite3.Connection) -> None:
    """Indexes for Today's "Thanks to say": received entries not yet thanked, by day.

    The list asks for the last 30 days' unthanked entries and their people. v9
    found them through the people index (every person's days in turn) and read
    each received entry's row to see whether it was thanked: 14,000 pages of the
    million-entry journal, each decrypted on an encrypted one. Both indexes are
    partial: the entries still to thank (4 % of that journal's), and the people of
    received entries by day (a third of ``entry_people``; 10 MB there, 1.5 %). The
    constant columns let Python's SQLite 3.40 answer from the indexes alone (it
    reads the row to test a partial index's condition unless the index holds it).
    """
    run_script(
        conn,
        """
CREATE INDEX entries_unthanked ON entries (date, direction, thanked)
    WHERE direction = 'received' AND thanked = 0;
CREATE INDEX entry_people_received ON entry_people (date, direction)
    WHERE direction = 'received';
""",
    )


#: Ordered migrations; the journal's ``user_version`` is how many have run.
MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial,
    _v2_give_take,
    _v3_person_support,
    _v4_window_totals,
    _v5_person_details,
    _v6_sync,
    _v7_period_sums,
    _v8_people_sort_key,
    _v9_kept_window,
    _v10_unthanked,
)

SCHEMA_VERSION = len(MIGRATIONS)

#: Tables every Ties journal has; used to recognise a journal before trusting it.
REQUIRED_TABLES = frozenset(
    {"meta", "circles", "support_types", "people", "entries", "entry_people", "entry_support"}
)
