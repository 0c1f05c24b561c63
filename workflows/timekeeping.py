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


def at_local(day: dt.date, hour: int, timezone: str) -> dt.datetime:
    """That hour on that day in the Trust's time zone, whatever the clocks did that day."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(timezone))


def parse_instant(text: str, timezone: str) -> dt.datetime:
    """`2026-12-01T09:00` is the Trust's local time; an explicit offset is kept."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def outside_quiet_hours(moment: dt.datetime, timezone: str, quiet: tuple[int, int], weekends: bool) -> dt.datetime:
    """The first moment at or after `moment` when a nudge may be sent: not at night, not at a weekend."""
    local = moment.astimezone(ZoneInfo(timezone))
    start, end = quiet
    for _ in range(8):
        night = (local.hour >= start or local.hour < end) if start > end else start <= local.hour < end
        weekend = weekends and local.weekday() >= 5
        if not night and not weekend:
            return local
        day = local.date() if local.hour < end and not weekend else local.date() + dt.timedelta(days=1)
        local = at_local(day, end, timezone)
    return local
