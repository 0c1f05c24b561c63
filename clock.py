"""The clock: every so often, deliver what the outbox holds that is due (and retry what failed).

Runs inside the bot process (`python bot.py`, socket or http) and on its own (`python bot.py clock`).
"""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)
TICK_SECONDS = 30


def _tick(delivery) -> None:
    try:
        sent = delivery.deliver_due()
        if sent:
            log.info("clock: delivered %d notification(s)", sent)
    except Exception:
        log.exception("clock: delivering the outbox failed; will try again next tick")


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
