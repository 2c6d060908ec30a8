"""The people list as the command line prints it: a few columns, no whole person records.

``ties people`` on 10,000 people spent two thirds of its reading time building
:class:`~ties.model.Person` records of which it printed six fields.
"""

from __future__ import annotations

from ties.store.core import StoreCore
from ties.store.people import PEOPLE_SORTS, PeopleFilter, _people_where, register_fold

#: What :func:`people_list_rows` gives for each person, in this order.
LIST_COLUMNS = ("name", "circle", "closeness", "organization", "role", "last_contact")


def people_list_rows(
    store: StoreCore, filt: PeopleFilter | None = None
) -> list[tuple[str, str, int, str, str, str | None]]:
    """:data:`LIST_COLUMNS` of the people ``filt`` keeps, in the order of ``list_people``."""
    where, args = _people_where(filt or PeopleFilter())
    register_fold(store.conn)
    sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM people{where} ORDER BY " + PEOPLE_SORTS[
        "name"
    ].format(d="ASC")
    return list(store.conn.execute(sql, args))


def read_every_person(store: StoreCore) -> int:
    """Read every row of the people table once, in SQLite alone; how many there are.

    The window does this before it opens, so a damaged page of the table is met
    then (as the damaged-journal message) rather than by a list later; sorting
    the list by folded name would cost ~40 ms on 10,000 people, this ~5 ms.
    """
    sql = "SELECT count(*) FROM people NOT INDEXED WHERE length(name) >= 0 AND length(notes) >= 0"
    return int(store.conn.execute(sql).fetchone()[0])
