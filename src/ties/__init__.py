"""Ties: a private, offline journal of one person's relationships.

``__version__`` is read from the installed package's metadata on first use
(module ``__getattr__``): ``importlib.metadata`` costs ~30 ms, which every
start of the window would otherwise pay before anything is shown.
"""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ties")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
