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
