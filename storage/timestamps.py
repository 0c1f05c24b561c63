"""Timestamps as stored: UTC, ISO 8601, to the second."""

import datetime as dt


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
