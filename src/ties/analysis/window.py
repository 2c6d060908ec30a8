"""The look-back window every analysis uses: ``window_days`` days ending on ``as_of``."""

from __future__ import annotations

from datetime import date

from ties.store.errors import ValidationError

#: The window every analysis looks back over unless told otherwise: a year.
DEFAULT_WINDOW_DAYS = 365
#: The longest window an analysis accepts (a century): beyond it a window means nothing.
MAX_WINDOW_DAYS = 36_525


def check_window(window_days: int) -> None:
    if isinstance(window_days, bool) or not isinstance(window_days, int):
        raise ValidationError("The window must be a whole number of days.", "window_days")
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise ValidationError(
            f"The window must be between 1 and {MAX_WINDOW_DAYS:,} days.", "window_days"
        )


def window_start(as_of: date, window_days: int) -> date:
    """The last day *outside* the window: entries dated after it (and up to as_of) count.

    Near the first representable date the window simply starts at the beginning.
    """
    return date.fromordinal(max(as_of.toordinal() - window_days, 1))
