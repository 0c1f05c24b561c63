"""config.py: defaults, the .env file, and which mode `python bot.py` chooses."""

from pathlib import Path

import pytest

from config import DEFAULT_PROTOCOL_FILE, load_settings

VARIABLES = (
    "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "PORT", "DATABASE_PATH",
    "STAFF_DIRECTORY", "PROTOCOL_FILE", "TRUST_TIMEZONE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No variable from the developer's shell; whatever a .env sets is undone after the test too."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    return tmp_path / ".env"  # absent unless a test writes it


def test_defaults(env_file):
    settings = load_settings(env_file)
    assert settings.bot_token is None
    assert settings.app_token is None
    assert settings.signing_secret is None
    assert settings.api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert settings.database_path == Path("data/bot.db")
    assert settings.staff_directory == Path("data/staff.csv")
    assert settings.protocol_file == DEFAULT_PROTOCOL_FILE
    assert settings.timezone == "Europe/London"


def test_api_url_gets_a_trailing_slash(monkeypatch, env_file):
    monkeypatch.setenv("SLACK_API_URL", "http://localhost:8888/api")
    assert load_settings(env_file).api_url == "http://localhost:8888/api/"


def test_api_url_with_a_trailing_slash_is_kept(monkeypatch, env_file):
    monkeypatch.setenv("SLACK_API_URL", "https://slack-gov.com/api/")
    assert load_settings(env_file).api_url == "https://slack-gov.com/api/"


def test_values_from_the_environment(monkeypatch, env_file, tmp_path):
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "x.db"))
    monkeypatch.setenv("STAFF_DIRECTORY", str(tmp_path / "staff.csv"))
    settings = load_settings(env_file)
    assert settings.port == 8080
    assert settings.database_path == tmp_path / "x.db"
    assert settings.staff_directory == tmp_path / "staff.csv"


def test_empty_values_mean_the_default(monkeypatch, env_file):
    for name in ("PORT", "DATABASE_PATH", "SLACK_API_URL", "SLACK_APP_TOKEN"):
        monkeypatch.setenv(name, "")
    settings = load_settings(env_file)
    assert settings.port == 3000
    assert settings.database_path == Path("data/bot.db")
    assert settings.api_url == "https://slack.com/api/"
    assert settings.app_token is None


def test_socket_mode_when_there_is_an_app_token(monkeypatch, env_file):
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    assert load_settings(env_file).mode == "socket"


def test_http_mode_with_only_a_signing_secret(monkeypatch, env_file):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    assert load_settings(env_file).mode == "http"


def test_console_mode_otherwise(monkeypatch, env_file):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert load_settings(env_file).mode == "console"


def test_env_file_is_read(env_file):
    env_file.write_text("SLACK_SIGNING_SECRET=from-dotenv\nPORT=4000\n", encoding="utf-8")
    settings = load_settings(env_file)
    assert settings.signing_secret == "from-dotenv"
    assert settings.port == 4000
    assert settings.mode == "http"


def test_env_file_never_overrides_the_real_environment(monkeypatch, env_file):
    env_file.write_text("PORT=4000\nSLACK_APP_TOKEN=xapp-from-dotenv\n", encoding="utf-8")
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.setenv("SLACK_APP_TOKEN", "")
    settings = load_settings(env_file)
    assert settings.port == 5000
    assert settings.app_token is None
    assert settings.mode == "console"
