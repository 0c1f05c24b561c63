"""The clock: every so often, escalate reports nobody has picked up, then deliver what the outbox holds that is
due (and retry what failed).

Runs inside the bot process (`python bot.py`, socket or http) and on its own (`python bot.py clock`).
"""

import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from workflows import cases

log = logging.getLogger(__name__)
TICK_SECONDS = 30


def _tick(delivery) -> None:
    try:
        services = delivery.services
        escalated = cases.escalate_unacknowledged(services.database, services.directory.current(),
                                                  dt.datetime.now(dt.UTC),
                                                  dt.timedelta(hours=services.settings.case_acknowledge_hours))
        if escalated:
            log.info("clock: escalated %s", ", ".join(escalated))
        sent = delivery.deliver_due()
        if sent:
            log.info("clock: delivered %d notification(s)", sent)
    except Exception:
        log.exception("clock: this tick failed; will try again next tick")


def start_in_background(delivery) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(daemon=True)
    scheduler.add_job(_tick, "interval", seconds=TICK_SECONDS, args=[delivery], max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler


def run_forever(delivery) -> None:
    scheduler = BlockingScheduler()
    scheduler.add_job(_tick, "interval", seconds=TICK_SECONDS, args=[delivery], max_instances=1, coalesce=True)
    _tick(delivery)
    scheduler.start()
