"""The one clock plantsync reads: the wall clock, or the wall clock shifted by a set offset.

Freshness, the demo's as-of day and every timestamp plantsync writes come from `now()`, so a test (or
a user replaying a day) moves all of them at once by setting `PLANTSYNC_CLOCK_OFFSET_DAYS`. An offset
rather than a frozen instant: time still runs, so loads, plan versions and decisions keep their order,
and processes started later (a subprocess run, the dashboard) read the same shifted clock.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

CLOCK_ENV = "PLANTSYNC_CLOCK_OFFSET_DAYS"


def offset() -> timedelta:
    """The shift set in the environment (days, may be fractional or negative); zero when unset."""
    text = os.environ.get(CLOCK_ENV, "").strip()
    if not text:
        return timedelta(0)
    try:
        return timedelta(days=float(text))
    except ValueError:
        raise ValueError(f"{CLOCK_ENV}={text!r}: expected a number of days, e.g. 365 or -1.5") from None


def now() -> datetime:
    """The time now (UTC, aware), as plantsync reads it."""
    return datetime.now(UTC) + offset()


def today() -> date:
    """Today's date in UTC, as plantsync reads it."""
    return now().date()


def offset_days_to(instant: datetime) -> str:
    """The `PLANTSYNC_CLOCK_OFFSET_DAYS` value that makes `now()` read `instant` at this moment."""
    return repr((instant - datetime.now(UTC)) / timedelta(days=1))
