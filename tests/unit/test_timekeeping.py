"""workflows/timekeeping.py: the Trust's local time, quiet hours, and reading the instants operators type.

Europe/London changes its clocks on the last Sunday of March (01:00 GMT becomes 02:00 BST) and of October
(02:00 BST becomes 01:00 GMT): in 2026, 29 March and 25 October.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from workflows.timekeeping import at_local, local_moment, long_date, outside_quiet_hours, parse_instant

LONDON = "Europe/London"
TZ = ZoneInfo(LONDON)
NIGHTS_AND_WEEKENDS = (20, 7)
UTC = dt.UTC


def london(text: str) -> dt.datetime:
    """An instant written as London wall-clock time, e.g. "2026-11-24 21:30" (a Tuesday)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def quiet(moment: dt.datetime, hours=NIGHTS_AND_WEEKENDS, weekends: bool = True) -> dt.datetime:
    return outside_quiet_hours(moment, LONDON, hours, weekends)


# --- nights --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("when", "allowed"), [
    pytest.param("2026-11-24 21:30", "2026-11-25 07:00", id="Tuesday evening waits for Wednesday 07:00"),
    pytest.param("2026-11-24 20:00", "2026-11-25 07:00", id="quiet from 20:00 exactly"),
    pytest.param("2026-11-24 23:59", "2026-11-25 07:00", id="just before midnight"),
    pytest.param("2026-11-25 00:00", "2026-11-25 07:00", id="midnight waits for the same morning"),
    pytest.param("2026-11-25 03:15", "2026-11-25 07:00", id="early morning"),
    pytest.param("2026-11-25 06:59", "2026-11-25 07:00", id="a minute before the end"),
])
def test_a_nudge_at_night_waits_for_the_morning(when, allowed):
    assert quiet(london(when)) == london(allowed)


@pytest.mark.parametrize("when", ["2026-11-25 07:00", "2026-11-25 12:00", "2026-11-25 19:59"])
def test_in_the_working_day_a_nudge_goes_at_once(when):
    assert quiet(london(when)) == london(when)


def test_the_result_is_the_same_instant_in_the_trusts_time_zone():
    moment = utc("2026-11-25T12:00:00")

    allowed = quiet(moment)

    assert allowed == moment
    assert allowed.tzinfo == TZ and allowed.hour == 12


# --- weekends ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("when", "allowed"), [
    pytest.param("2026-11-27 20:30", "2026-11-30 07:00", id="Friday night waits for Monday"),
    pytest.param("2026-11-28 00:30", "2026-11-30 07:00", id="the small hours of Saturday"),
    pytest.param("2026-11-28 10:00", "2026-11-30 07:00", id="Saturday morning"),
    pytest.param("2026-11-29 15:00", "2026-11-30 07:00", id="Sunday afternoon"),
    pytest.param("2026-11-29 23:00", "2026-11-30 07:00", id="Sunday night"),
    pytest.param("2026-11-30 05:00", "2026-11-30 07:00", id="Monday before 07:00"),
])
def test_a_nudge_at_a_weekend_waits_for_monday_morning(when, allowed):
    assert quiet(london(when)) == london(allowed)


def test_with_weekends_allowed_only_the_nights_are_quiet():
    assert quiet(london("2026-11-28 10:00"), weekends=False) == london("2026-11-28 10:00")
    assert quiet(london("2026-11-27 21:00"), weekends=False) == london("2026-11-28 07:00")
    assert quiet(london("2026-11-29 02:00"), weekends=False) == london("2026-11-29 07:00")


# --- the clocks changing -------------------------------------------------------------------------------------------


def test_the_morning_the_clocks_go_forward_is_07_00_summer_time():
    # 05:30 UTC on Sunday 29 March 2026 is 06:30 BST: still quiet, though 05:30 would be the hour in UTC.
    allowed = quiet(utc("2026-03-29T05:30:00"), weekends=False)

    assert allowed == utc("2026-03-29T06:00:00")
    assert (allowed.hour, allowed.minute, allowed.utcoffset()) == (7, 0, dt.timedelta(hours=1))


def test_a_night_across_the_spring_change_ends_at_07_00_summer_time():
    # Saturday 28 March 2026 at 22:00 GMT; the clocks go forward in the night.
    assert quiet(utc("2026-03-28T22:00:00"), weekends=False) == utc("2026-03-29T06:00:00")
    # With weekends quiet too, Friday night waits for Monday 30 March, 07:00 BST.
    assert quiet(london("2026-03-27 21:00")) == utc("2026-03-30T06:00:00")


def test_a_night_across_the_autumn_change_ends_at_07_00_winter_time():
    # 00:30 BST on Sunday 25 October 2026 (23:30 UTC on the Saturday); the clocks go back at 02:00 BST.
    allowed = quiet(utc("2026-10-24T23:30:00"), weekends=False)

    assert allowed == utc("2026-10-25T07:00:00")
    assert (allowed.hour, allowed.utcoffset()) == (7, dt.timedelta(0))


def test_the_repeated_hour_in_october_is_quiet_both_times():
    first = dt.datetime(2026, 10, 25, 1, 30, tzinfo=TZ, fold=0)  # 01:30 BST
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=TZ, fold=1)  # 01:30 GMT, an hour later
    assert second - first == dt.timedelta(0) and second.astimezone(UTC) - first.astimezone(UTC) == dt.timedelta(hours=1)

    assert quiet(first, weekends=False) == quiet(second, weekends=False) == utc("2026-10-25T07:00:00")


def test_the_same_utc_time_is_quiet_in_winter_and_not_in_summer():
    # 06:30 UTC is 07:30 BST on Friday 23 October, but 06:30 GMT on Monday 26 October.
    assert quiet(utc("2026-10-23T06:30:00")) == utc("2026-10-23T06:30:00")
    assert quiet(utc("2026-10-26T06:30:00")) == utc("2026-10-26T07:00:00")


def test_at_local_is_that_wall_clock_hour_whatever_the_clocks_did():
    assert at_local(dt.date(2026, 3, 28), 9, LONDON) == utc("2026-03-28T09:00:00")
    assert at_local(dt.date(2026, 3, 29), 9, LONDON) == utc("2026-03-29T08:00:00")
    assert at_local(dt.date(2026, 10, 25), 9, LONDON) == utc("2026-10-25T09:00:00")
    assert at_local(dt.date(2026, 10, 24), 9, LONDON) == utc("2026-10-24T08:00:00")
    assert at_local(dt.date(2026, 10, 24), 0, LONDON) == utc("2026-10-23T23:00:00")


# --- a different quiet window -------------------------------------------------------------------------------------


def test_a_later_evening_and_earlier_morning():
    hours = (22, 6)

    assert quiet(london("2026-11-24 21:00"), hours) == london("2026-11-24 21:00")
    assert quiet(london("2026-11-24 22:00"), hours) == london("2026-11-25 06:00")
    assert quiet(london("2026-11-25 05:59"), hours) == london("2026-11-25 06:00")
    assert quiet(london("2026-11-25 06:00"), hours) == london("2026-11-25 06:00")
    assert quiet(london("2026-11-27 23:00"), hours) == london("2026-11-30 06:00")  # Friday night


def test_a_window_that_does_not_cross_midnight():
    hours = (0, 8)  # quiet from midnight to 08:00 only

    assert quiet(london("2026-11-24 23:30"), hours) == london("2026-11-24 23:30")
    assert quiet(london("2026-11-25 00:00"), hours) == london("2026-11-25 08:00")
    assert quiet(london("2026-11-25 07:59"), hours) == london("2026-11-25 08:00")
    assert quiet(london("2026-11-25 08:00"), hours) == london("2026-11-25 08:00")


def test_an_empty_window_leaves_only_weekends_quiet():
    assert quiet(london("2026-11-25 03:00"), (7, 7)) == london("2026-11-25 03:00")
    assert quiet(london("2026-11-28 03:00"), (7, 7)) == london("2026-11-30 07:00")
    assert quiet(london("2026-11-28 03:00"), (7, 7), weekends=False) == london("2026-11-28 03:00")


def test_another_time_zone_has_its_own_nights():
    # 21:00 UTC is 16:00 in New York: a working hour there.
    moment = utc("2026-11-24T21:00:00")
    assert outside_quiet_hours(moment, "America/New_York", NIGHTS_AND_WEEKENDS, True) == moment


# --- reading instants ------------------------------------------------------------------------------------------


def test_a_naive_time_is_trust_local_time_in_winter_and_in_summer():
    winter = parse_instant("2026-12-01T09:00", LONDON)
    summer = parse_instant("2026-07-01T09:00", LONDON)

    assert winter == utc("2026-12-01T09:00:00") and winter.tzinfo == TZ
    assert summer == utc("2026-07-01T08:00:00") and summer.hour == 9


def test_an_explicit_offset_is_kept():
    moment = parse_instant("2026-12-01T09:00+05:00", LONDON)

    assert moment.utcoffset() == dt.timedelta(hours=5)
    assert moment == utc("2026-12-01T04:00:00")
    assert parse_instant("2026-07-01T09:00:00Z", LONDON) == utc("2026-07-01T09:00:00")
    assert parse_instant("2026-07-01T09:00:00+00:00", LONDON).utcoffset() == dt.timedelta(0)


def test_a_date_alone_is_midnight_trust_time():
    assert parse_instant("2026-07-01", LONDON) == utc("2026-06-30T23:00:00")


def test_other_time_zones_read_naive_times_as_their_own():
    assert parse_instant("2026-12-01T09:00", "Asia/Tokyo") == utc("2026-12-01T00:00:00")


def test_dates_and_stored_moments_read_as_the_trust_reads_them():
    assert long_date(dt.date(2026, 11, 6)) == "6 November 2026"
    assert local_moment("2026-07-01T08:30:00+00:00", LONDON) == "1 July 2026 at 09:30"
    assert local_moment("2026-12-01T08:30:00+00:00", LONDON) == "1 December 2026 at 08:30"
