"""Timestamps as stored: UTC, ISO 8601, to the second."""

import datetime as dt


def utc_now(ago: dt.timedelta = dt.timedelta(0)) -> str:
    return (dt.datetime.now(dt.UTC) - ago).isoformat(timespec="seconds")
