"""The clock: works out what has fallen due (reminders, escalations, nudges, expiries), then delivers what the
outbox holds that is due, retrying what failed.

Every bot process may run one (`python bot.py`, socket or http), and `python bot.py clock` runs one on its own;
a lease in the database makes sure only one of them acts at a time. `python bot.py run-due --now T` runs one
tick as of the instant T: operators use it to check the schedule, tests to travel in time.
"""

import datetime as dt
import logging
import os
import signal
import socket
import sys
import uuid

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from storage import clock_lease
from workflows.reminders import Planner

log = logging.getLogger(__name__)
TICK_SECONDS = 30
LEASE = dt.timedelta(seconds=3 * TICK_SECONDS)


class Clock:
    def __init__(self, delivery):
        self.delivery = delivery
        self.services = delivery.services
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def run_due(self, now: dt.datetime | None = None) -> list[str] | None:
        """One tick as of `now`. None if another process holds the clock; else what was done."""
        if not clock_lease.hold(self.services.database, self.holder, LEASE):
            return None
        now = now or dt.datetime.now(dt.UTC)
        services = self.services
        planner = Planner(services.database, services.directory.current(), services.guide.protocol,
                          services.settings.reminders, services.settings.timezone,
                          services.settings.case_acknowledge_hours)
        done = planner.run(now)
        sent = self.delivery.deliver_due(now)
        if sent:
            done.append(f"delivered {sent} notification(s)")
        return done

    def tick(self) -> None:
        try:
            for line in self.run_due() or []:
                log.info("clock: %s", line)
        except Exception:
            log.exception("clock: this tick failed; will try again next tick")

    def start_in_background(self) -> BackgroundScheduler:
        scheduler = BackgroundScheduler(daemon=True)
        scheduler.add_job(self.tick, "interval", seconds=TICK_SECONDS, max_instances=1, coalesce=True)
        scheduler.start()
        return scheduler

    def run_forever(self) -> None:
        # A platform stops a process with SIGTERM: end as on Ctrl-C, so the lease is handed back at once.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        scheduler = BlockingScheduler()
        scheduler.add_job(self.tick, "interval", seconds=TICK_SECONDS, max_instances=1, coalesce=True)
        self.tick()
        try:
            scheduler.start()
        finally:
            clock_lease.release(self.services.database, self.holder)
