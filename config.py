"""Settings from the environment (a `.env` file is read too, never overriding the real environment)."""

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

HERE = Path(__file__).resolve().parent
DEFAULT_PROTOCOL_FILE = HERE / "knowledge" / "protocol.toml"


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
        timezone=env.get("TRUST_TIMEZONE") or "Europe/London",
        case_acknowledge_hours=_hours(env.get("CASE_ACKNOWLEDGE_HOURS")),
    )


def _port(value: str | None) -> int:
    if not value:
        return 3000
    if not value.isdigit() or not 0 <= int(value) < 65536:
        raise SystemExit(f"PORT must be a port number such as 3000, not {value!r}.")
    return int(value)


def _hours(value: str | None) -> float:
    if not value:
        return 4.0
    try:
        hours = float(value)
    except ValueError:
        hours = 0
    if hours <= 0:
        raise SystemExit(f"CASE_ACKNOWLEDGE_HOURS must be a number of hours such as 4, not {value!r}.")
    return hours
