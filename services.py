"""Everything the bot needs, built once at start and handed to Slack listeners, the console and the CLI."""

import datetime as dt
import logging
from dataclasses import dataclass

from config import Settings
from knowledge.answers import PolicyGuide
from knowledge.protocol import load_protocol
from storage.database import Database
from workflows.directory import DirectoryFile
from workflows.timekeeping import local_today

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    settings: Settings
    guide: PolicyGuide
    database: Database
    directory: DirectoryFile

    def today(self) -> dt.date:
        return local_today(self.settings.timezone)

    def healthy(self) -> bool:
        try:
            with self.database.connect() as db:
                db.execute("SELECT 1").fetchone()
            return True
        except Exception:
            log.exception("health check: the database cannot be reached")
            return False


def build_services(settings: Settings) -> Services:
    guide = PolicyGuide(load_protocol(settings.protocol_file))
    directory = DirectoryFile(settings.staff_directory)
    directory.current()  # read now, so a problem in the file is in the log from the start
    return Services(settings=settings, guide=guide, database=Database(settings.database_path), directory=directory)
