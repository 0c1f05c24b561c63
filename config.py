"""Settings from the environment (a `.env` file is read too, never overriding the real environment)."""

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

HERE = Path(__file__).resolve().parent
DEFAULT_PROTOCOL_FILE = HERE / "knowledge" / "protocol.toml"


@dataclass(frozen=True)
class ReminderSettings:
    review_lead_days: tuple[int, ...] = (60, 30, 7)  # before the policy's next review date; then on it, then weekly
    request_nudge_hours: float = 48  # a request waiting this long: its approver is nudged
    request_escalate_hours: float = 120  # ... this long: it goes to the next person up
    case_nudge_hours: float = 1  # a report nobody has acknowledged: its handlers are nudged
    expiry_reminder_days: tuple[int, ...] = (7, 1)  # before a permission's end date
    removal_confirm_days: int = 7  # after a permission ends: unconfirmed removal goes to the approver
    acknowledge_reminder_days: int = 7  # read-and-acknowledge reminders, this often
    quiet_hours: tuple[int, int] = (20, 7)  # no nudges from 20:00 until 07:00 ...
    quiet_weekends: bool = True  # ... nor at weekends (urgent ones still go)
    reminder_hour: int = 9  # reminders due on a date go at this hour


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    app_token: str | None
    signing_secret: str | None
    api_url: str
    port: int
    database_path: Path
    staff_directory: Path
    protocol_file: Path
    timezone: str
    case_acknowledge_hours: float  # a report nobody acknowledges in this time goes to the next person up
    reminders: ReminderSettings = ReminderSettings()

    @property
    def mode(self) -> str:
        """The mode `python bot.py` chooses when none is named (CONTRACT.md)."""
        if self.app_token:
            return "socket"
        if self.signing_secret:
            return "http"
        return "console"


def load_settings(env_file: str | os.PathLike | None = None) -> Settings:
    load_dotenv(env_file or HERE / ".env", override=False)
    env = os.environ
    api_url = env.get("SLACK_API_URL") or "https://slack.com/api/"
    if not api_url.endswith("/"):
        api_url += "/"
    return Settings(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        api_url=api_url,
        port=_port(env.get("PORT")),
        database_path=Path(env.get("DATABASE_PATH") or "data/bot.db"),
        staff_directory=Path(env.get("STAFF_DIRECTORY") or "data/staff.csv"),
        protocol_file=Path(env.get("PROTOCOL_FILE") or DEFAULT_PROTOCOL_FILE),
        timezone=_timezone(env.get("TRUST_TIMEZONE")),
        case_acknowledge_hours=_hours(env.get("CASE_ACKNOWLEDGE_HOURS"), 4.0, "CASE_ACKNOWLEDGE_HOURS"),
        reminders=_reminder_settings(env),
    )


def _port(value: str | None) -> int:
    if not value:
        return 3000
    if not value.isdigit() or not 0 <= int(value) < 65536:
        raise SystemExit(f"PORT must be a port number such as 3000, not {value!r}.")
    return int(value)


def _hours(value: str | None, default: float, name: str) -> float:
    if not value:
        return default
    try:
        hours = float(value)
    except ValueError:
        hours = 0
    if hours <= 0:
        raise SystemExit(f"{name} must be a number greater than 0, not {value!r}.")
    return hours


def _days(value: str | None, default: tuple[int, ...], name: str) -> tuple[int, ...]:
    if not value:
        return default
    try:
        days = tuple(sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True))
    except ValueError:
        days = ()
    if not days or min(days) < 0:
        raise SystemExit(f"{name} must be whole numbers of days separated by commas, such as 60,30,7, not {value!r}.")
    return days


def _whole_days(value: str | None, default: int, name: str) -> int:
    # "0.5" must not become 0 days: reminders every 0 days would stop the clock.
    if not value:
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of days, 1 or more, not {value!r}.")
    return int(value)


def _timezone(value: str | None) -> str:
    if not value:
        return "Europe/London"
    try:
        ZoneInfo(value)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        raise SystemExit(f"TRUST_TIMEZONE must be a time zone such as Europe/London, not {value!r}.") from None
    return value


def _reminder_settings(env) -> ReminderSettings:
    default = ReminderSettings()
    quiet = env.get("QUIET_HOURS") or ""
    try:
        quiet_hours = tuple(int(h) for h in quiet.split("-")) if quiet else default.quiet_hours
        assert len(quiet_hours) == 2 and all(0 <= h < 24 for h in quiet_hours)
    except (ValueError, AssertionError):
        raise SystemExit(f"QUIET_HOURS must be two hours such as 20-7, not {quiet!r}.") from None
    return ReminderSettings(
        review_lead_days=_days(env.get("REVIEW_REMINDER_DAYS"), default.review_lead_days, "REVIEW_REMINDER_DAYS"),
        request_nudge_hours=_hours(env.get("REQUEST_NUDGE_HOURS"), default.request_nudge_hours, "REQUEST_NUDGE_HOURS"),
        request_escalate_hours=_hours(env.get("REQUEST_ESCALATE_HOURS"), default.request_escalate_hours,
                                      "REQUEST_ESCALATE_HOURS"),
        case_nudge_hours=_hours(env.get("CASE_NUDGE_HOURS"), default.case_nudge_hours, "CASE_NUDGE_HOURS"),
        expiry_reminder_days=_days(env.get("EXPIRY_REMINDER_DAYS"), default.expiry_reminder_days,
                                   "EXPIRY_REMINDER_DAYS"),
        removal_confirm_days=_whole_days(env.get("REMOVAL_CONFIRM_DAYS"), default.removal_confirm_days,
                                         "REMOVAL_CONFIRM_DAYS"),
        acknowledge_reminder_days=_whole_days(env.get("ACKNOWLEDGE_REMINDER_DAYS"), default.acknowledge_reminder_days,
                                              "ACKNOWLEDGE_REMINDER_DAYS"),
        quiet_hours=quiet_hours,
        quiet_weekends=(env.get("QUIET_WEEKENDS") or "yes").lower() not in ("no", "false", "0"),
    )
