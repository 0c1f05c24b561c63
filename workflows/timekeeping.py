"""The Trust's local time: dates on forms and permissions are the Trust's dates, not the server's."""

import datetime as dt
from zoneinfo import ZoneInfo


def local_now(timezone: str) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(timezone))


def local_today(timezone: str) -> dt.date:
    return local_now(timezone).date()


def long_date(day: dt.date) -> str:
    """26 November 2026"""
    return f"{day.day} {day:%B %Y}"


def local_moment(utc_iso: str, timezone: str) -> str:
    """A stored UTC timestamp as the Trust reads it: 26 November 2026 at 09:30."""
    moment = dt.datetime.fromisoformat(utc_iso).astimezone(ZoneInfo(timezone))
    return f"{long_date(moment.date())} at {moment:%H:%M}"
