"""clock.py and storage/clock_lease.py: exactly one process acts as the clock, and what it owes is sent once, even
across crashes, restarts, a rate-limited Web API and two clocks started at once.

A real SQLite file, and a fake Slack Web API (tests/e2e/fake_slack.py) reached over HTTP, which counts every
chat.postMessage. Time travel is explicit: `Clock.run_due(now)`. The lease itself runs on the real clock, as it
must between processes; a lease left by a dead process is aged by rewriting its expiry, as time passing would.
"""

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from clock import LEASE, Clock
from config import ReminderSettings, Settings
from knowledge.answers import PolicyGuide
from knowledge.protocol import load_protocol
from services import Services
from slack_delivery import SlackDelivery
from storage import clock_lease
from storage import outbox as outbox_table
from storage.database import Database
from tests.e2e.fake_slack import FakeSlack
from workflows import campaigns
from workflows.directory import DirectoryFile
from workflows.reminders import Planner

from .conftest import REPO, SHIPPED_PROTOCOL

TZ = ZoneInfo("Europe/London")
OWNER, OWNER2, TEACHER = "U0OWN", "U0OWN2", "U0TEACH"
STAFF_CSV = """slack_id,name,email,roles,academy,manager_slack_id
U0OWN,Olive Owner,olive@trust.org.uk,staff;policy_owner,The Trust,U0CEO
U0OWN2,Peter Policy,peter@trust.org.uk,staff;policy_owner,The Trust,U0CEO
U0CEO,Carl Chief,carl@trust.org.uk,staff;manager;admin,The Trust,
U0HEAD,Hilda Head,hilda@oakfield.sch.uk,staff;manager,Oakfield Academy,U0CEO
U0TEACH,Tom Teacher,tom@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
"""
PEOPLE = 5
SECOND = dt.timedelta(seconds=1)


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def protocol_file(tmp_path_factory) -> Path:
    """The protocol reviewed 28 July 2026, due again on Wednesday 28 July 2027: reminders on 21 July (7 days before),
    28 July, then every Wednesday."""
    text = SHIPPED_PROTOCOL.read_text(encoding="utf-8")
    text = text.replace("reviewed_on = 2021-05-27", "reviewed_on = 2026-07-28")
    text = text.replace("next_review_due = 2022-07-31", "next_review_due = 2027-07-28")
    path = tmp_path_factory.mktemp("protocol") / "protocol.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def guide(protocol_file) -> PolicyGuide:
    return PolicyGuide(load_protocol(protocol_file))


@pytest.fixture
def fake():
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def settings(tmp_path, fake, protocol_file) -> Settings:
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF_CSV, encoding="utf-8")
    return Settings(bot_token="xoxb-test", app_token=None, signing_secret=None, api_url=fake.api_url, port=0,
                    database_path=tmp_path / "data" / "bot.db", staff_directory=staff, protocol_file=protocol_file,
                    timezone="Europe/London", case_acknowledge_hours=4.0, reminders=ReminderSettings())


def new_clock(settings: Settings, guide: PolicyGuide) -> Clock:
    """What a process starting up builds: its own Services (database, directory) and Slack client, and a Clock."""
    services = Services(settings, guide, Database(settings.database_path), DirectoryFile(settings.staff_directory))
    return Clock(SlackDelivery(services, WebClient(token=settings.bot_token, base_url=settings.api_url)))


@pytest.fixture
def clock(settings, guide) -> Clock:
    return new_clock(settings, guide)


def posted(fake: FakeSlack, ok_only: bool = True) -> list[str]:
    """Who chat.postMessage reached (sorted), counting every delivery: a double send shows up twice."""
    return sorted(c.params["channel"] for c in fake.calls("chat.postMessage") if c.ok or not ok_only)


def rows(database: Database, sql: str, params=()) -> list[dict]:
    with database.connect() as db:
        return list(db.query(sql, params))


def lease_row(database: Database) -> dict | None:
    found = rows(database, "SELECT * FROM clock_lease")
    return found[0] if found else None


def age_lease(database: Database) -> None:
    """Time passes: whoever holds the lease has not renewed it, and it has run out."""
    past = iso(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5))
    with database.connect() as db:
        db.execute("UPDATE clock_lease SET expires_at = ?", [past])


def start_campaign(database: Database, directory, started: str) -> None:
    """The policy owner asks everyone to read the protocol; the campaign counts its weeks from `started`."""
    assert campaigns.start(database, directory, "2026-07-28", OWNER, material=True, source="test").ok
    with database.connect() as db:
        db.execute("UPDATE campaigns SET started_at = ?", [iso(london(started))])
        db.execute("UPDATE outbox SET next_attempt_at = ? WHERE kind = 'policy.acknowledge'", [iso(london(started))])


# --- the lease ---------------------------------------------------------------------------------------------------


def test_one_holder_at_a_time(tmp_path):
    database = Database(tmp_path / "bot.db")

    assert clock_lease.hold(database, "web-1", LEASE) is True
    assert clock_lease.hold(database, "web-2", LEASE) is False
    assert clock_lease.hold(database, "clock", LEASE) is False
    assert lease_row(database)["holder"] == "web-1"


def test_the_holder_renews_it(tmp_path):
    database = Database(tmp_path / "bot.db")
    clock_lease.hold(database, "web-1", dt.timedelta(seconds=10))
    short = lease_row(database)["expires_at"]

    assert clock_lease.hold(database, "web-1", dt.timedelta(hours=1)) is True

    renewed = lease_row(database)
    assert renewed["holder"] == "web-1" and renewed["expires_at"] > short
    assert clock_lease.hold(database, "web-2", LEASE) is False


def test_a_lease_that_runs_out_is_taken_over(tmp_path):
    database = Database(tmp_path / "bot.db")
    clock_lease.hold(database, "web-1", LEASE)
    age_lease(database)  # web-1 died and stopped renewing

    assert clock_lease.hold(database, "web-2", LEASE) is True

    assert lease_row(database)["holder"] == "web-2"
    assert clock_lease.hold(database, "web-1", LEASE) is False  # back from the dead: it is no longer the clock


def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(tmp_path):
    database = Database(tmp_path / "bot.db")
    clock_lease.hold(database, "web-1", LEASE)

    clock_lease.release(database, "web-2")
    assert clock_lease.hold(database, "web-2", LEASE) is False
    clock_lease.release(database, "web-1")
    assert clock_lease.hold(database, "web-2", LEASE) is True


def test_many_processes_asking_at_once_give_one_holder(tmp_path):
    database = Database(tmp_path / "bot.db")
    start = threading.Barrier(8)
    won = []

    def ask(name: str):
        start.wait()
        won.append((name, clock_lease.hold(database, name, LEASE)))

    threads = [threading.Thread(target=ask, args=(f"web-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [name for name, held in won if held]
    assert len(won) == 8 and len(winners) == 1
    assert lease_row(database)["holder"] == winners[0]


# --- the clock ---------------------------------------------------------------------------------------------------


def test_run_due_plans_and_delivers_as_of_the_instant_and_says_what_it_did(clock, fake):
    done = clock.run_due(london("2027-07-21 09:00"))

    assert done == ["policy review reminder (2027-07-21) for Olive Owner, Peter Policy",
                    "delivered 2 notification(s)"]
    assert posted(fake) == [OWNER, OWNER2]
    assert all("is due for review in 7 days" in c.params["text"] for c in fake.calls("chat.postMessage"))
    assert clock.run_due(london("2027-07-21 09:00")) == []
    assert lease_row(clock.services.database)["holder"] == clock.holder


def test_a_second_clock_does_nothing_while_the_first_holds_the_lease(settings, guide, fake):
    first, second = new_clock(settings, guide), new_clock(settings, guide)
    assert first.holder != second.holder
    first.run_due(london("2027-07-21 09:00"))

    assert second.run_due(london("2027-07-28 09:00")) is None

    assert posted(fake) == [OWNER, OWNER2]
    assert first.run_due(london("2027-07-28 09:00")) != []  # the holder goes on acting
    assert posted(fake) == [OWNER, OWNER, OWNER2, OWNER2]


def test_two_clocks_started_at_once_send_everything_once(settings, guide, fake):
    database = Database(settings.database_path)
    directory = DirectoryFile(settings.staff_directory).current()
    start_campaign(database, directory, "2027-07-21 09:00")
    clocks = [new_clock(settings, guide), new_clock(settings, guide)]
    start = threading.Barrier(2)
    results = {}

    def run(clock: Clock):
        start.wait()
        results[clock.holder] = clock.run_due(london("2027-07-21 09:00"))

    threads = [threading.Thread(target=run, args=(clock,)) for clock in clocks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 2 and list(results.values()).count(None) == 1  # one found the other holding the clock
    [done] = [lines for lines in results.values() if lines is not None]
    assert f"delivered {PEOPLE + 2} notification(s)" in done
    assert posted(fake) == sorted([OWNER, OWNER2] + list(directory.people))  # the review, and everyone asked once


def test_even_without_the_lease_two_clocks_racing_send_each_reminder_once(settings, guide, fake):
    """If two processes ever both believed they were the clock, the outbox still sends each reminder once."""
    database = Database(settings.database_path)
    directory = DirectoryFile(settings.staff_directory).current()
    start_campaign(database, directory, "2027-07-21 09:00")
    clocks = [new_clock(settings, guide) for _ in range(3)]
    start = threading.Barrier(len(clocks))

    def race(clock: Clock):
        services = clock.services
        planner = Planner(services.database, services.directory.current(), services.guide.protocol,
                          services.settings.reminders, "Europe/London", 4.0)
        for when in ["2027-07-21 09:00", "2027-07-28 09:00", "2027-07-28 09:00"]:
            # All at the same instant, as clocks are: a claim is held until a moment in its sender's time, so a
            # sender living a week ahead would see a claim made a moment ago as long expired.
            start.wait()
            planner.run(london(when))
            clock.delivery.deliver_due(london(when))

    threads = [threading.Thread(target=race, args=(clock,)) for clock in clocks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The review 7 days before and on the day; everyone asked on 21 July and reminded a week later: once each.
    assert posted(fake) == sorted([OWNER, OWNER2] * 2 + list(directory.people) * 2)
    with database.connect() as db:
        assert outbox_table.waiting(db) == []


def test_a_crash_between_due_and_sent_sends_it_once_after_the_claim_runs_out(settings, guide, fake):
    dead = new_clock(settings, guide)
    database = dead.services.database
    now = london("2027-07-21 09:00")
    # The dead process planned, claimed both reminders to send them, and died before sending either.
    Planner(database, dead.services.directory.current(), dead.services.guide.protocol, settings.reminders,
            "Europe/London", 4.0).run(now)
    real = dt.datetime.now(dt.UTC)  # claims are held in real time, whatever time the schedule is at
    with database.connect() as db:
        claimed = [r["id"] for r in outbox_table.due(db, iso(now), iso(real))]
        assert len(claimed) == 2
        for outbox_id in claimed:
            assert outbox_table.claim(db, outbox_id, iso(real), iso(real + dt.timedelta(seconds=60)))
    clock_lease.hold(database, dead.holder, LEASE)

    restarted = new_clock(settings, guide)
    assert restarted.run_due(now + dt.timedelta(seconds=30)) is None  # the dead process's lease has not run out
    age_lease(database)
    assert restarted.run_due(now + dt.timedelta(days=1)) == []  # its claims have not run out, however far ahead
    assert posted(fake) == []

    with database.connect() as db:  # a minute later, in real time, the dead process's claims run out
        db.execute("UPDATE outbox SET claimed_until = ?", [iso(real - dt.timedelta(seconds=1))])
    assert restarted.run_due(now + dt.timedelta(seconds=61)) == ["delivered 2 notification(s)"]
    assert restarted.run_due(now + dt.timedelta(minutes=5)) == []
    assert posted(fake) == [OWNER, OWNER2]
    assert {r["status"] for r in rows(database, "SELECT status FROM outbox")} == {"sent"}


def run_bot(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_PATH": str(settings.database_path), "STAFF_DIRECTORY": str(settings.staff_directory),
           "PROTOCOL_FILE": str(settings.protocol_file), "PYTHONIOENCODING": "utf-8", "SLACK_BOT_TOKEN": "",
           "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_API_URL": "", "QUIET_HOURS": "",
           "QUIET_WEEKENDS": "", "TRUST_TIMEZONE": ""}
    return subprocess.run([sys.executable, "bot.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60)


def test_a_rate_limited_web_api_leaves_it_pending_with_the_reason_then_sends_it_once(clock, fake, settings):
    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "120"}, times=3)
    now = london("2027-07-21 09:00")

    assert clock.run_due(now) == ["policy review reminder (2027-07-21) for Olive Owner, Peter Policy"]

    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 429]
    listing = run_bot(settings, "outbox")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert lines[-1] == "2 notification(s) waiting."
    for recipient in (OWNER, OWNER2):
        assert any(line.endswith(f"policy.review for {recipient} about POLICY: failed 1 time(s): ratelimited; "
                                 f"next try {iso(now + dt.timedelta(seconds=120))}") for line in lines), lines

    assert clock.run_due(now + dt.timedelta(seconds=119)) == []  # Retry-After is honoured
    assert len(fake.calls("chat.postMessage")) == 2
    assert clock.run_due(now + dt.timedelta(seconds=120)) == ["delivered 1 notification(s)"]  # one still limited
    assert "1 notification(s) waiting." in run_bot(settings, "outbox").stdout
    assert "failed 2 time(s): ratelimited" in run_bot(settings, "outbox").stdout
    assert clock.run_due(now + dt.timedelta(seconds=240)) == ["delivered 1 notification(s)"]

    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 429, 429, 200, 200]
    assert posted(fake) == [OWNER, OWNER2]  # each delivered once
    assert run_bot(settings, "outbox").stdout.strip() == "0 notification(s) waiting."
    assert clock.run_due(now + dt.timedelta(hours=1)) == []


def test_a_server_error_is_kept_and_retried(clock, fake):
    fake.fail_next("chat.postMessage", status=500, times=2)
    now = london("2027-07-21 09:00")

    clock.run_due(now)

    waiting = rows(clock.services.database, "SELECT * FROM outbox WHERE status = 'pending'")
    assert [(w["attempts"], w["last_error"]) for w in waiting] == [(1, "internal_error")] * 2
    assert clock.run_due(now + dt.timedelta(minutes=1)) == ["delivered 2 notification(s)"]
    assert posted(fake) == [OWNER, OWNER2]


def test_an_unreachable_web_api_is_a_network_error_kept_for_later(settings, guide, fake):
    offline = new_clock(dataclasses.replace(settings, api_url="http://127.0.0.1:9/api/"), guide)
    database = offline.services.database

    assert offline.run_due(london("2027-07-21 09:00")) == [
        "policy review reminder (2027-07-21) for Olive Owner, Peter Policy"]

    waiting = rows(database, "SELECT * FROM outbox WHERE status = 'pending'")
    assert len(waiting) == 2 and all(w["last_error"].startswith("network: ") for w in waiting)
    clock_lease.release(database, offline.holder)
    assert new_clock(settings, guide).run_due(london("2027-07-21 10:00")) == ["delivered 2 notification(s)"]
    assert posted(fake) == [OWNER, OWNER2]


def test_a_restart_loses_nothing_sends_nothing_twice_and_catches_up_once(settings, guide, fake):
    before = new_clock(settings, guide)
    database = before.services.database
    directory = before.services.directory.current()
    assert before.run_due(london("2027-07-21 09:00"))  # the review's 7-day reminders go out
    start_campaign(database, directory, "2027-07-17 10:00")  # a Saturday
    before.run_due(london("2027-07-21 09:30"))  # everyone asked
    assert before.run_due(london("2027-07-24 10:00")) == ["reminded 5 people to acknowledge the protocol"]
    assert len(fake.calls("chat.postMessage")) == 2 + PEOPLE  # Saturday's reminders wait for Monday
    clock_lease.release(database, before.holder)  # the process stops, as run_forever does on its way out

    # A new process on the same database file, from Monday morning.
    after = new_clock(settings, guide)
    assert after.services is not before.services
    assert after.run_due(london("2027-07-26 07:00")) == [f"delivered {PEOPLE} notification(s)"]
    assert after.run_due(london("2027-07-26 07:00")) == []
    clock_lease.release(database, after.holder)

    # Down again from then until Tuesday 17 August: three weekly review reminders and three rounds went by unseen.
    again = new_clock(settings, guide)
    done = again.run_due(london("2027-08-17 10:00"))

    assert done == ["policy review reminder (2027-08-11) for Olive Owner, Peter Policy",
                    "reminded 5 people to acknowledge the protocol", f"delivered {PEOPLE + 2} notification(s)"]
    assert again.run_due(london("2027-08-17 10:00")) == []
    assert again.run_due(london("2027-08-17 16:00")) == []
    everyone = list(directory.people)
    assert posted(fake) == sorted([OWNER, OWNER2] * 2 + everyone * 3)  # review x2; asked, week 1, latest round
    with database.connect() as db:
        assert outbox_table.waiting(db) == []
