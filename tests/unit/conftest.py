"""Shared fixtures: the shipped protocol, a guide over it, and a real SQLite file per test."""

from pathlib import Path

import pytest

from config import Settings
from knowledge.answers import PolicyGuide
from knowledge.protocol import Protocol, load_protocol
from services import Services, build_services
from storage.database import Database

REPO = Path(__file__).resolve().parents[2]
SHIPPED_PROTOCOL = REPO / "knowledge" / "protocol.toml"


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    return load_protocol(SHIPPED_PROTOCOL)


@pytest.fixture(scope="session")
def guide(protocol: Protocol) -> PolicyGuide:
    return PolicyGuide(protocol)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    return Database(tmp_path / "data" / "bot.db")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        bot_token=None,
        app_token=None,
        signing_secret=None,
        api_url="https://slack.com/api/",
        port=3000,
        database_path=tmp_path / "services" / "bot.db",
        staff_directory=tmp_path / "staff.csv",
        protocol_file=SHIPPED_PROTOCOL,
        timezone="Europe/London",
        case_acknowledge_hours=4.0,
    )


@pytest.fixture
def services(settings: Settings) -> Services:
    return build_services(settings)
