"""Every journal setting, declared once: key, type, default, label and group.

Settings are JSON values kept in the journal (``meta`` rows named
``setting:<key>``), read with :meth:`Store.get_setting` and written with
:meth:`Store.set_setting`. ``get_setting(key)`` without a default gives the
default declared here, so no other module writes one down. After Vorta's
``store/settings.py``: one list the code, the export and a settings page can
all read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

#: A sentinel: "no default given, use the registry's".
REGISTRY_DEFAULT: Any = object()


@dataclass(frozen=True)
class Setting:
    """One journal setting.

    Attributes:
        key: its name in the journal (``setting:<key>``) and in a JSON export.
        type: the JSON type its value has (``dict``, ``str``, ``int``).
        default: the value when the journal holds none.
        label: what it is, in a few words, for a settings page.
        group: which settings page it belongs on.
    """

    key: str
    type: type
    default: Any
    label: str
    group: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "cadence_days",
        dict,
        {},
        'Days between contacts by closeness (e.g. {"5": 14}), over the built-in ones',
        "today",
    ),
    Setting("my_offers", str, "", "What I can offer others (matched against their needs)", "today"),
    Setting(
        "date_lead_days",
        int,
        7,
        "Days ahead the Today list shows birthdays and important dates",
        "today",
    ),
    Setting(
        "backup_rotation",
        dict,
        {"daily": 7, "weekly": 4, "monthly": 12},
        "How many daily, weekly and monthly automatic backups to keep",
        "backups",
    ),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def default(key: str) -> Any:
    """The declared default of ``key`` (a fresh copy), or None for a key not declared.

    Keys not declared (a newer Ties's, kept from an import) are still stored
    and exported as they are.
    """
    found = BY_KEY.get(key)
    return None if found is None else copy.deepcopy(found.default)
