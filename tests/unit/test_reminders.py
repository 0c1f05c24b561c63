"""workflows/reminders.py (the Planner) and workflows/campaigns.py: what falls due, when, to whom, and only once.

A real SQLite file and a staff directory CSV in tmp_path. Time travel is explicit: `Planner.run(now)` plans as of
an instant, and the outbox delivers as of the same instant through SlackDelivery's own renderer to a recording
`send` (no Slack is reached). All times are Europe/London, the Trust's time; quiet hours are 20:00 to 07:00 and
weekends, as by default.

The Trust: Olive and Peter own the policy; Carl is the CEO (and an admin); Hana is HR; Hilda is Oakfield's head and
manages Tom and Cath.
"""

import csv
import datetime as dt
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

import config
from blocks import ids
from blocks import reminders as reminder_blocks
from config import ReminderSettings, Settings, load_settings
from knowledge.answers import PolicyGuide
from knowledge.protocol import Protocol, load_protocol
from services import Services
from slack_delivery import SlackDelivery
from storage.database import Database
from storage.questions import record_question
from workflows import access_requests, campaigns
from workflows.access_requests import RequestForm
from workflows.directory import DirectoryFile
from workflows.outbox import Message, deliver_due
from workflows.reminders import Planner

from .conftest import REPO, SHIPPED_PROTOCOL

LONDON = "Europe/London"
TZ = ZoneInfo(LONDON)
OWNER, OWNER2, CEO, HR, HEAD, TEACHER, COLLEAGUE = "U0OWN", "U0OWN2", "U0CEO", "U0HR", "U0HEAD", "U0TEACH", "U0COLL"
EVERYONE = {OWNER, OWNER2, CEO, HR, HEAD, TEACHER, COLLEAGUE}
STAFF_CSV = """slack_id,name,email,roles,academy,manager_slack_id
U0OWN,Olive Owner,olive@trust.org.uk,staff;policy_owner,The Trust,U0CEO
U0OWN2,Peter Policy,peter@trust.org.uk,staff;policy_owner,The Trust,U0CEO
U0CEO,Carl Chief,carl@trust.org.uk,staff;manager;admin,The Trust,
U0HR,Hana Hughes,hana@trust.org.uk,staff;hr,The Trust,U0CEO
U0HEAD,Hilda Head,hilda@oakfield.sch.uk,staff;manager,Oakfield Academy,U0CEO
U0TEACH,Tom Teacher,tom@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
U0COLL,Cath Colleague,cath@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
"""


def london(text: str) -> dt.datetime:
    """London wall-clock time, e.g. "2027-03-24 09:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def protocol_copy(tmp_path: Path, reviewed_on: str, due: str, next_review: str = "Summer 2027") -> Protocol:
    """The shipped protocol with other review dates, written to tmp_path and loaded as the bot loads it."""
    text = SHIPPED_PROTOCOL.read_text(encoding="utf-8")
    for old, new in [("reviewed_on = 2021-05-27", f"reviewed_on = {reviewed_on}"),
                     ('next_review = "Summer 2022"', f'next_review = "{next_review}"'),
                     ("next_review_due = 2022-07-31", f"next_review_due = {due}")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"protocol-{reviewed_on}.toml"
    path.write_text(text, encoding="utf-8")
    return load_protocol(path)


_guides: dict[tuple, PolicyGuide] = {}


def guide_for(protocol: Protocol) -> PolicyGuide:
    key = (protocol.reviewed_on, protocol.next_review_due)
    if key not in _guides:
        _guides[key] = PolicyGuide(protocol)
    return _guides[key]


class Slack:
    """Where delivered messages go: recorded, never sent anywhere."""

    def __init__(self):
        self.sent: list[tuple[str, Message]] = []

    def send(self, recipient_id: str, message: Message) -> tuple[str, str]:
        self.sent.append((recipient_id, message))
        return f"D{recipient_id}", f"1700000000.{len(self.sent):06d}"


class World:
    """The bot's database, directory, protocol and outbox, and a clock that only moves when told to."""

    def __init__(self, tmp_path: Path, protocol: Protocol, reminders: ReminderSettings | None = None):
        reminders = reminders or ReminderSettings()
        staff = tmp_path / "staff.csv"
        if not staff.exists():
            staff.write_text(STAFF_CSV, encoding="utf-8")
        self.settings = Settings(
            bot_token="xoxb-test", app_token=None, signing_secret=None, api_url="http://127.0.0.1:9/api/", port=0,
            database_path=tmp_path / "data" / "bot.db", staff_directory=staff, protocol_file=SHIPPED_PROTOCOL,
            timezone=LONDON, case_acknowledge_hours=4.0, reminders=reminders)
        self.protocol = protocol
        self.services = Services(self.settings, guide_for(protocol), Database(self.settings.database_path),
                                 DirectoryFile(staff))
        self.delivery = SlackDelivery(self.services, WebClient(token="xoxb-test", base_url=self.settings.api_url))
        self.slack = Slack()

    @property
    def database(self) -> Database:
        return self.services.database

    @property
    def directory(self):
        return self.services.directory.current()

    def planner(self) -> Planner:
        return Planner(self.database, self.directory, self.protocol, self.settings.reminders, LONDON, 4.0)

    def run(self, now: dt.datetime) -> list[str]:
        return self.planner().run(now)

    def deliver(self, now: dt.datetime) -> list[tuple[str, Message]]:
        before = len(self.slack.sent)
        deliver_due(self.database, self.delivery.render, self.slack.send, now)
        return self.slack.sent[before:]

    def tick(self, now: dt.datetime) -> list[tuple[str, Message]]:
        """What a clock tick at `now` does: plan, then deliver; returns what was sent."""
        self.run(now)
        return self.deliver(now)

    def rows(self, sql: str, params=()) -> list[dict]:
        connection = sqlite3.connect(self.settings.database_path)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(sql, params)]
        finally:
            connection.close()

    def outbox(self, kind: str) -> list[dict]:
        return self.rows("SELECT * FROM outbox WHERE kind = ? ORDER BY id", (kind,))


def words(message: Message) -> str:
    return "\n".join([message.text, *(b.get("text", {}).get("text", "") for b in message.blocks or [])])


def button_ids(message: Message) -> list[str]:
    return [e["action_id"] for b in message.blocks or [] for e in b.get("elements", []) if e.get("type") == "button"]


def to(sent: list[tuple[str, Message]]) -> list[str]:
    return sorted(recipient for recipient, _ in sent)


# --- the policy's review --------------------------------------------------------------------------------------------

# A copy of the protocol reviewed on 28 July 2026, next due on Wednesday 28 July 2027. Its reminders fall at 09:00 on
# Saturday 29 May (60 days before: a weekend, so it waits for Monday 07:00), Monday 28 June (30 days), Wednesday
# 21 July (7 days), on the day, then every Wednesday while it is overdue.
REVIEWED, DUE = "2026-07-28", "2027-07-28"


@pytest.fixture
def review(tmp_path) -> World:
    return World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE))


def test_review_reminders_go_at_each_lead_time_on_the_day_and_weekly_while_overdue(review):
    timeline = [
        ("2027-05-29 08:59", None),
        ("2027-05-29 09:00", None),  # due, but a Saturday: queued for Monday morning
        ("2027-05-31 06:59", None),
        ("2027-05-31 07:00", "is due for review in 58 days"),
        ("2027-06-28 08:59", None),
        ("2027-06-28 09:00", "is due for review in 30 days (Summer 2027, 28 July 2027)"),
        ("2027-07-21 09:00", "is due for review in 7 days"),
        ("2027-07-27 18:00", None),
        ("2027-07-28 09:00", "is due for review today (Summer 2027)"),
        ("2027-08-03 09:00", None),
        ("2027-08-04 09:00", "was due for review Summer 2027 (28 July 2027) and is now overdue"),
        ("2027-08-11 09:00", "is now overdue"),
        ("2027-08-18 09:00", "is now overdue"),
    ]
    for when, says in timeline:
        sent = review.tick(london(when))
        if says is None:
            assert sent == [], when
        else:
            assert to(sent) == [OWNER, OWNER2], when
            for _, message in sent:
                assert says in message.text, (when, message.text)
                assert "Social Networking Protocol" in message.text
                assert "last reviewed on 28 July 2026 by The Directors' Board" in words(message)
    keys = [row["dedupe_key"] for row in review.outbox("policy.review") if row["recipient_id"] == OWNER]
    assert keys == [f"review:{REVIEWED}:{DUE}:{day}:{OWNER}" for day in (
        "2027-05-29", "2027-06-28", "2027-07-21", "2027-07-28", "2027-08-04", "2027-08-11", "2027-08-18")]
    assert {row["recipient_id"] for row in review.outbox("policy.review")} == {OWNER, OWNER2}  # only the owners


def test_the_planner_says_what_it_queued(review):
    assert review.run(london("2027-06-28 09:00")) == [
        "policy review reminder (2027-06-28) for Olive Owner, Peter Policy"]
    assert review.run(london("2027-06-28 09:00")) == []


def test_a_bot_down_through_several_reminders_sends_one_late_reminder_not_many(review):
    # Down from before the 60-day reminder until three weeks after the review date: seven points have passed.
    sent = review.tick(london("2027-08-19 10:00"))

    assert to(sent) == [OWNER, OWNER2]
    assert all("overdue" in message.text for _, message in sent)
    assert [row["dedupe_key"].split(":")[3] for row in review.outbox("policy.review")] == ["2027-08-18"] * 2
    assert review.tick(london("2027-08-19 10:00")) == []
    assert review.tick(london("2027-08-24 10:00")) == []
    assert to(review.tick(london("2027-08-25 09:00"))) == [OWNER, OWNER2]  # and weekly from there


def test_a_late_reminder_that_falls_due_while_down_waits_out_the_night(review):
    # The 7-day reminder fell due on Wednesday 21 July at 09:00; the bot comes back at 03:00 on Thursday.
    assert review.tick(london("2027-07-22 03:00")) == []
    [row, _] = review.outbox("policy.review")
    assert row["next_attempt_at"] == iso(london("2027-07-22 07:00"))
    assert to(review.tick(london("2027-07-22 07:00"))) == [OWNER, OWNER2]


def test_running_again_and_again_sends_nothing_twice(review):
    for when in ["2027-07-21 09:00", "2027-07-21 09:00", "2027-07-21 09:30", "2027-07-22 09:00", "2027-07-27 23:00"]:
        review.tick(london(when))

    assert to(review.slack.sent) == [OWNER, OWNER2]
    assert len(review.outbox("policy.review")) == 2


def test_a_new_version_with_a_new_review_date_starts_the_cycle_again(review, tmp_path):
    review.tick(london("2027-08-11 09:00"))
    assert len(review.slack.sent) == 2  # overdue

    # The review is done: version reviewed 1 September 2027, next due Friday 8 September 2028.
    new = World(tmp_path, protocol_copy(tmp_path, "2027-09-01", "2028-09-08", "Autumn 2028"))
    assert new.database.path == review.database.path  # the same records
    assert new.tick(london("2027-09-01 09:00")) == []
    assert new.tick(london("2028-07-10 08:59")) == []  # nothing until 60 days before the new date
    sent = new.tick(london("2028-07-10 09:00"))

    assert to(sent) == [OWNER, OWNER2]
    assert all("is due for review in 60 days (Autumn 2028, 8 September 2028)" in m.text for _, m in sent)
    assert "last reviewed on 1 September 2027" in words(sent[0][1])
    assert new.tick(london("2028-07-10 09:00")) == []


def test_the_shipped_protocol_long_overdue_gets_one_weekly_reminder(tmp_path, protocol):
    world = World(tmp_path, protocol)

    sent = world.tick(london("2026-12-01 09:00"))  # a Tuesday; due 31 July 2022, a Sunday

    assert to(sent) == [OWNER, OWNER2]
    assert "was due for review Summer 2022 (31 July 2022) and is now overdue" in sent[0][1].text
    [key, _] = [row["dedupe_key"] for row in world.outbox("policy.review")]
    assert key == f"review:2021-05-27:2022-07-31:2026-11-29:{OWNER}"  # the latest Sunday
    assert world.tick(london("2026-12-05 09:00")) == []


def test_the_review_reminder_lists_what_staff_asked_that_the_protocol_did_not_answer(review):
    db = review.database
    record_question(db, source="dm", question="can I use my own phone for the PE <insta> & stuff?", answered=False,
                    sections=[], verdict=None, score=0.1)
    record_question(db, source="dm", question="what's the pay scale for TAs", answered=False, sections=[],
                    verdict=None, score=0.0)
    record_question(db, source="dm", question="can I add a Year 9 on snap?", answered=True, sections=["5.1"],
                    verdict="not_allowed", score=0.9)
    old = record_question(db, source="dm", question="asked before the last review", answered=False, sections=[],
                          verdict=None, score=0.0)
    with db.connect() as connection:
        connection.execute("UPDATE questions SET asked_at = '2026-07-01T10:00:00+00:00' WHERE id = ?", [old])

    [(_, message), _] = review.tick(london("2027-07-21 09:00"))

    text = words(message)
    assert "staff asked 2 question(s) the protocol did not answer" in text
    assert "can I use my own phone for the PE &lt;insta&gt; &amp; stuff?" in text  # escaped for Slack
    assert "what's the pay scale for TAs" in text
    assert "Year 9 on snap" not in text  # it was answered
    assert "before the last review" not in text


def test_with_no_unanswered_questions_the_reminder_says_nothing_of_them(review):
    [(_, message), _] = review.tick(london("2027-07-21 09:00"))
    assert "did not answer" not in words(message)


def test_a_long_list_of_unanswered_questions_shows_ten_and_how_many_more(review):
    unanswered = [f"question number {n}" for n in range(12)]

    text, blocks = reminder_blocks.review_reminder(review.protocol, dt.date(2027, 7, 21), unanswered)

    listed = blocks[-1]["text"]["text"]
    assert "staff asked 12 question(s)" in listed
    assert listed.count("•") == 10 and "question number 9" in listed and "question number 10" not in listed
    assert "…and 2 more." in listed
    assert text == "The Social Networking Protocol is due for review in 7 days (Summer 2027, 28 July 2027)."


def test_lead_times_come_from_the_settings(tmp_path):
    world = World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE), ReminderSettings(review_lead_days=(14,)))

    assert world.tick(london("2027-06-28 09:00")) == []  # not a lead time now
    assert "in 14 days" in world.tick(london("2027-07-14 09:00"))[0][1].text
    assert "today" in world.tick(london("2027-07-28 09:00"))[0][1].text


# --- requests waiting for a decision -------------------------------------------------------------------------------

# Nudged after a day, passed up after three (the defaults are 48 and 120 hours: these show the settings are used).
WAITING = ReminderSettings(request_nudge_hours=24, request_escalate_hours=72)
MONDAY = london("2027-03-01 10:00")  # GMT


def form(starts_on: dt.date, ends_on: dt.date) -> RequestForm:
    return RequestForm(kind="work_use", purpose="Run the PE department's Instagram", platform="Instagram",
                       account="@oakfield_pe", audience="Year 10 and 11 PE groups", pupils="over_16",
                       consent="obtained", trust_devices_only=True, starts_on=starts_on, ends_on=ends_on)


def pending_request(world: World, created: dt.datetime) -> access_requests.AccessRequest:
    """Tom's request to Hilda, made at `created`; what the submission itself sent is delivered then."""
    day = created.astimezone(TZ).date()
    outcome = access_requests.submit(world.database, world.directory, TEACHER, form(day, day + dt.timedelta(days=60)),
                                     day, source="test")
    assert outcome.ok, outcome
    with world.database.connect() as db:
        db.execute("UPDATE access_requests SET created_at = ? WHERE id = ?", [iso(created), outcome.subject.id])
        db.execute("UPDATE outbox SET next_attempt_at = ?", [iso(created)])
    assert to(world.deliver(created)) == [HEAD, TEACHER]  # the request to Hilda, the receipt to Tom
    return access_requests.get(world.database, outcome.subject.id)


@pytest.fixture
def waiting(tmp_path, protocol) -> World:
    return World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE), WAITING)


def test_a_waiting_request_is_nudged_then_passed_up_once_per_level_and_the_requester_told(waiting):
    request = pending_request(waiting, MONDAY)
    ref = request.reference

    assert waiting.tick(london("2027-03-02 09:59")) == []
    [(who, nudge)] = waiting.tick(london("2027-03-02 10:00"))  # 24 hours: Hilda is nudged
    assert who == HEAD
    assert nudge.text.startswith("A reminder:") and "still waiting for your decision" in words(nudge)
    assert ids.APPROVE_REQUEST in button_ids(nudge)
    assert waiting.tick(london("2027-03-02 15:00")) == []

    sent = waiting.tick(london("2027-03-04 10:00"))  # 72 hours: to Carl, Hilda's manager
    assert to(sent) == [CEO, TEACHER]
    moved = access_requests.get(waiting.database, request.id)
    assert (moved.approver_id, moved.escalation_level, moved.status) == (CEO, 1, "pending")
    assert moved.escalated_at == iso(london("2027-03-04 10:00"))
    told = dict(sent)[TEACHER]
    assert f"Your request {ref} had waited a while, so I've passed it to Carl Chief to decide." in told.text
    assert ids.APPROVE_REQUEST in button_ids(dict(sent)[CEO])
    trail = [(r["action"], r["detail"]) for r in access_requests.history(waiting.database, request.id)]
    assert ("passed to level 1", f"from {HEAD} to {CEO}") in trail
    assert waiting.tick(london("2027-03-04 10:00")) == []  # once per level
    assert access_requests.get(waiting.database, request.id).escalation_level == 1

    [(who, nudge)] = waiting.tick(london("2027-03-05 10:00"))  # a day at Carl's: Carl is nudged
    assert who == CEO and nudge.text.startswith("A reminder:")

    # Three days at Carl's runs out on Sunday: passed to HR then, but nobody is told until Monday morning.
    assert waiting.tick(london("2027-03-07 10:00")) == []
    assert access_requests.get(waiting.database, request.id).approver_id == HR
    sent = waiting.tick(london("2027-03-08 07:00"))
    assert to(sent) == [HR, TEACHER]
    assert "passed it to Hana Hughes to decide" in dict(sent)[TEACHER].text

    assert to(waiting.tick(london("2027-03-08 10:00"))) == [HR]  # HR's nudge, a day after Sunday's escalation

    # Nobody is further up: it stays with HR. It never goes back down to Carl, nor tells Tom so again and again.
    for when in ["2027-03-11 10:00", "2027-03-16 10:00", "2027-03-22 10:00", "2027-04-19 10:00"]:
        assert waiting.tick(london(when)) == [], when
    final = access_requests.get(waiting.database, request.id)
    assert (final.approver_id, final.escalation_level) == (HR, 2)
    assert len(waiting.outbox("request.escalated")) == 2
    assert [r["recipient_id"] for r in waiting.outbox("request.decide")] == [HEAD, CEO, HR]


def test_once_passed_up_the_old_approver_can_no_longer_decide(waiting):
    request = pending_request(waiting, MONDAY)
    waiting.tick(london("2027-03-04 10:00"))

    refused = access_requests.decide(waiting.database, waiting.directory, request.id, HEAD, approve=True)

    assert not refused.ok and "Only the person this request was sent to can decide it" in refused.message
    assert access_requests.get(waiting.database, request.id).status == "pending"
    assert [r.id for r in access_requests.waiting_for(waiting.database, waiting.directory, HEAD)] == []
    assert access_requests.decide(waiting.database, waiting.directory, request.id, CEO, approve=True).ok


def test_a_decided_request_is_neither_nudged_nor_passed_up(waiting):
    request = pending_request(waiting, MONDAY)
    assert access_requests.decide(waiting.database, waiting.directory, request.id, HEAD, approve=True).ok
    waiting.deliver(MONDAY)

    for when in ["2027-03-02 10:00", "2027-03-04 10:00", "2027-03-12 10:00"]:
        assert waiting.run(london(when)) == []
    assert waiting.outbox("request.nudge") == [] and waiting.outbox("request.escalated") == []


def test_a_nudge_due_at_night_waits_for_the_morning_and_at_a_weekend_for_monday(waiting):
    tuesday = pending_request(waiting, london("2027-03-02 22:30"))  # nudge due Wednesday 22:30

    assert waiting.tick(london("2027-03-03 22:30")) == []
    [row] = waiting.outbox("request.nudge")
    assert (row["recipient_id"], row["next_attempt_at"]) == (HEAD, iso(london("2027-03-04 07:00")))
    assert waiting.tick(london("2027-03-04 06:59")) == []
    assert to(waiting.tick(london("2027-03-04 07:00"))) == [HEAD]
    assert access_requests.get(waiting.database, tuesday.id).escalation_level == 0


def test_a_nudge_due_on_friday_evening_goes_on_monday_morning(tmp_path):
    world = World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE),
                  ReminderSettings(request_nudge_hours=24, request_escalate_hours=120))
    pending_request(world, london("2027-03-04 21:00"))  # a Thursday night: nudge due Friday 21:00

    for when in ["2027-03-05 21:00", "2027-03-06 12:00", "2027-03-07 23:00"]:
        assert world.tick(london(when)) == [], when
    [row] = world.outbox("request.nudge")
    assert row["next_attempt_at"] == iso(london("2027-03-08 07:00"))
    assert to(world.tick(london("2027-03-08 07:00"))) == [HEAD]


def test_a_nudge_queued_for_the_morning_is_not_sent_if_it_was_passed_up_meanwhile(tmp_path):
    world = World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE),
                  ReminderSettings(request_nudge_hours=24, request_escalate_hours=30))
    pending_request(world, london("2027-03-01 21:00"))
    assert world.tick(london("2027-03-02 21:00")) == []  # Hilda's nudge waits for 07:00
    world.run(london("2027-03-03 03:00"))  # 30 hours: passed to Carl in the night

    sent = world.tick(london("2027-03-03 07:00"))

    assert to(sent) == [CEO, TEACHER]  # Hilda's nudge is not sent: it is no longer hers to decide
    assert [r["status"] for r in world.outbox("request.nudge")] == ["sent"]  # done with, not left waiting


# --- permissions coming to an end (5.6) ------------------------------------------------------------------------------

# Tom's permission runs from Monday 1 March to Wednesday 31 March 2027; the clocks go forward on Sunday 28 March.
STARTS, ENDS = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def approved_permission(world: World, starts=STARTS, ends=ENDS) -> access_requests.AccessRequest:
    outcome = access_requests.submit(world.database, world.directory, TEACHER, form(starts, ends), starts, "test")
    assert outcome.ok, outcome
    decided = access_requests.decide(world.database, world.directory, outcome.subject.id, HEAD, approve=True)
    assert decided.ok, decided
    moment = at(starts, "10:00")
    with world.database.connect() as db:
        db.execute("UPDATE outbox SET next_attempt_at = ?", [iso(moment)])
    assert to(world.deliver(moment)) == [HEAD, TEACHER, TEACHER]  # the request, the receipt, the permission
    return decided.subject


def at(day: dt.date, clock: str) -> dt.datetime:
    return london(f"{day.isoformat()} {clock}")


@pytest.fixture
def ending(tmp_path) -> World:
    return World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE))


def test_a_permission_is_reminded_7_days_and_1_day_before_it_ends_then_lapses_and_asks_for_removal(ending):
    permission = approved_permission(ending)
    ref = permission.reference

    assert ending.tick(london("2027-03-24 08:59")) == []
    [(who, week)] = ending.tick(london("2027-03-24 09:00"))
    assert who == TEACHER
    assert week.text == f"Your permission {ref} ends in 7 days (31 March 2027)."
    assert button_ids(week) == [ids.RENEW_REQUEST, ids.END_PERMISSION]
    assert ending.tick(london("2027-03-25 09:00")) == []

    assert ending.tick(london("2027-03-30 08:59")) == []  # 09:00 summer time now
    [(who, day)] = ending.tick(london("2027-03-30 09:00"))
    assert (who, day.text) == (TEACHER, f"Your permission {ref} ends tomorrow (31 March 2027).")

    assert ending.tick(london("2027-03-31 23:59")) == []
    assert access_requests.get(ending.database, permission.id).status == "approved"  # the end date itself counts

    assert ending.tick(london("2027-04-01 00:00")) == []  # lapsed at midnight; asked in the morning, not at night
    lapsed = access_requests.get(ending.database, permission.id)
    assert (lapsed.status, lapsed.removal_confirmed_at) == ("expired", None)
    assert access_requests.STATUS_WORDS["expired"] == "ended on its end date"
    assert ("expired", "approved", "expired", "clock") in [
        (r["action"], r["from_status"], r["to_status"], r["source"]) for r in access_requests.history(
            ending.database, permission.id)]
    [(who, asked)] = ending.tick(london("2027-04-01 07:00"))
    assert who == TEACHER
    assert f"Your permission {ref} ended on 31 March 2027." in asked.text
    assert "Please confirm the online contact has been removed (section 5.6)." in asked.text
    assert button_ids(asked) == [ids.CONFIRM_REMOVED]

    # Not confirmed a week after it ended: Hilda, who approved it, is told.
    assert ending.tick(london("2027-04-07 23:59")) == []
    assert ending.tick(london("2027-04-08 00:00")) == []  # at night: in the morning
    [(who, told)] = ending.tick(london("2027-04-08 07:00"))
    assert who == HEAD
    assert f"Tom Teacher's permission {ref} has ended, but they have not confirmed" in told.text
    assert ending.tick(london("2027-04-15 09:00")) == []
    assert [len(ending.outbox(kind)) for kind in ("request.expiring", "request.lapsed", "request.unconfirmed")] == \
        [2, 1, 1]


def test_a_confirmed_removal_is_not_reported_to_the_approver(ending):
    permission = approved_permission(ending)
    ending.tick(london("2027-04-01 07:00"))

    confirmed = access_requests.confirm_removal(ending.database, permission.id, TEACHER, source="test")

    assert confirmed.ok and "the contact has been removed" in confirmed.message
    again = access_requests.confirm_removal(ending.database, permission.id, TEACHER, source="test")
    assert not again.ok and again.message == "You've already confirmed that, thank you."
    assert ending.tick(london("2027-04-08 09:00")) == []
    assert ending.outbox("request.unconfirmed") == []
    actions = [r["action"] for r in access_requests.history(ending.database, permission.id)]
    assert actions.count("contact removal confirmed") == 1


def test_only_the_requester_can_confirm_removal_and_only_once_it_has_ended(ending):
    permission = approved_permission(ending)

    early = access_requests.confirm_removal(ending.database, permission.id, TEACHER)
    assert not early.ok and "is approved, so there is nothing to confirm" in early.message
    ending.tick(london("2027-04-01 07:00"))
    assert not access_requests.confirm_removal(ending.database, permission.id, HEAD).ok
    assert access_requests.get(ending.database, permission.id).removal_confirmed_at is None


def test_a_confirmation_that_arrives_after_the_reminder_was_queued_stops_it(ending):
    permission = approved_permission(ending)
    ending.tick(london("2027-04-01 07:00"))
    ending.run(london("2027-04-10 22:00"))  # the approver's notice waits for the morning
    assert len(ending.outbox("request.unconfirmed")) == 1

    access_requests.confirm_removal(ending.database, permission.id, TEACHER)

    assert ending.deliver(london("2027-04-11 07:00")) == []


def test_ending_early_by_the_requester_confirms_removal_in_the_same_step(ending):
    permission = approved_permission(ending)
    ending.tick(london("2027-03-24 09:00"))  # the 7-day reminder: "It has ended, contact removed"

    outcome = access_requests.end_permission(ending.database, ending.directory, permission.id, TEACHER, "test")

    assert outcome.ok
    ended = access_requests.get(ending.database, permission.id)
    assert (ended.status, ended.ended_by) == ("ended", TEACHER)
    assert ended.removal_confirmed_at == ended.ended_at is not None
    sent = ending.tick(london("2027-03-24 09:05"))
    assert to(sent) == [HEAD, TEACHER]
    assert button_ids(dict(sent)[TEACHER]) == []  # nothing more to confirm
    for when in ["2027-03-30 09:00", "2027-04-01 07:00", "2027-04-08 09:00", "2027-05-01 09:00"]:
        assert ending.tick(london(when)) == [], when
    assert access_requests.get(ending.database, permission.id).status == "ended"


def test_it_has_ended_clicked_after_it_lapsed_still_records_the_removal(ending):
    permission = approved_permission(ending)
    ending.tick(london("2027-03-30 09:00"))  # "ends tomorrow", with "It has ended, contact removed"
    ending.tick(london("2027-04-01 07:00"))  # it lapsed before Tom got to it

    outcome = access_requests.end_permission(ending.database, ending.directory, permission.id, TEACHER, "test")

    assert outcome.ok
    assert outcome.message == (f"{permission.reference} had already ended on its end date. Thank you: that's "
                               "recorded, the contact has been removed (section 5.6).")
    after = access_requests.get(ending.database, permission.id)
    assert (after.status, after.ended_by, after.removal_confirmed_at is not None) == ("expired", None, True)
    assert ending.tick(london("2027-04-08 09:00")) == []  # Hilda is not told he never confirmed
    again = access_requests.end_permission(ending.database, ending.directory, permission.id, TEACHER, "test")
    assert not again.ok and "nothing to end" in again.message
    by_head = access_requests.end_permission(ending.database, ending.directory, permission.id, HEAD, "test")
    assert not by_head.ok  # only the requester can say the contact is gone
    actions = [r["action"] for r in access_requests.history(ending.database, permission.id)]
    assert actions.count("contact removal confirmed") == 1


def test_ended_early_by_the_approver_the_requester_must_still_confirm(ending):
    permission = approved_permission(ending)

    assert access_requests.end_permission(ending.database, ending.directory, permission.id, HEAD, "test").ok

    ended = access_requests.get(ending.database, permission.id)
    assert ended.removal_confirmed_at is None
    sent = dict(ending.deliver(dt.datetime.fromisoformat(ended.ended_at) + dt.timedelta(minutes=1)))
    assert "Please confirm the online contact has been removed" in sent[TEACHER].text
    assert button_ids(sent[TEACHER]) == [ids.CONFIRM_REMOVED]
    week_later = dt.datetime.fromisoformat(ended.ended_at) + dt.timedelta(days=7)
    ending.run(week_later - dt.timedelta(seconds=1))
    assert ending.outbox("request.unconfirmed") == []
    ending.run(week_later)
    assert [r["recipient_id"] for r in ending.outbox("request.unconfirmed")] == [HEAD]


def test_a_bot_down_over_both_reminders_sends_the_latest_once_and_not_at_night(ending):
    permission = approved_permission(ending)

    assert ending.tick(london("2027-03-31 03:00")) == []  # back at 03:00 on the last day
    [row] = ending.outbox("request.expiring")
    assert row["dedupe_key"] == f"{permission.reference}:expiring:1"
    [(who, message)] = ending.tick(london("2027-03-31 07:00"))
    assert (who, message.text) == (TEACHER, f"Your permission {permission.reference} ends today (31 March 2027).")


def test_a_bot_down_past_the_end_date_lapses_it_without_a_stale_reminder(ending):
    permission = approved_permission(ending)

    sent = ending.tick(london("2027-04-05 10:00"))

    assert to(sent) == [TEACHER]
    assert "ended on 31 March 2027" in sent[0][1].text
    assert ending.outbox("request.expiring") == []
    assert access_requests.get(ending.database, permission.id).status == "expired"


def test_expiry_reminder_days_come_from_the_settings(tmp_path):
    world = World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE), ReminderSettings(expiry_reminder_days=(2,),
                                                                                     removal_confirm_days=4))
    approved_permission(world)

    assert world.tick(london("2027-03-24 09:00")) == []
    assert "ends in 2 days" in world.tick(london("2027-03-29 09:00"))[0][1].text
    world.tick(london("2027-04-01 07:00"))
    assert world.tick(london("2027-04-04 12:00")) == []
    assert to(world.tick(london("2027-04-05 07:00"))) == [HEAD]  # four days after it ended


# --- read and acknowledge --------------------------------------------------------------------------------------------

V1, V2 = REVIEWED, "2027-09-01"  # the protocol copy's version, and a later one
SHIPPED = "2021-05-27"  # the version of the protocol in the repo, which `python bot.py` loads


@pytest.fixture
def trust(tmp_path) -> World:
    """The review is not due until July 2027: only campaign messages go out in these tests."""
    return World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE))


def start(world: World, by: str = OWNER, version: str = V1, material: bool = True, started: str | None = None):
    outcome = campaigns.start(world.database, world.directory, version, by, material=material, source="test")
    if outcome.ok and started:  # as if started then: the campaign's weeks, and its first messages, count from then
        with world.database.connect() as db:
            db.execute("UPDATE campaigns SET started_at = ? WHERE version = ?", [iso(london(started)), version])
            db.execute("UPDATE outbox SET next_attempt_at = ? WHERE kind = 'policy.acknowledge' AND subject = ?",
                       [iso(london(started)), f"POLICY-{version}"])
    return outcome


@pytest.mark.parametrize(("who", "allowed"), [
    pytest.param(OWNER, True, id="the policy owner"),
    pytest.param(CEO, True, id="an admin"),
    pytest.param(HEAD, False, id="a manager"),
    pytest.param(TEACHER, False, id="ordinary staff"),
    pytest.param(HR, False, id="HR"),
    pytest.param("U0STRANGER", False, id="someone not in the directory"),
])
def test_only_an_admin_or_a_policy_owner_can_start_a_campaign(trust, who, allowed):
    outcome = start(trust, by=who)

    assert outcome.ok is allowed
    if allowed:
        assert outcome.message == "Started: 7 people have been asked to read and acknowledge the protocol."
        assert len(trust.outbox("policy.acknowledge")) == 7
    else:
        assert outcome.message == "Only an admin or the policy owner can start a read-and-acknowledge campaign."
        assert campaigns.current(trust.database) is None
        assert trust.outbox("policy.acknowledge") == []


def test_everyone_in_the_directory_is_asked_once(trust):
    assert start(trust).ok
    again = start(trust, by=CEO)
    assert not again.ok and "already running" in again.message

    sent = trust.deliver(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))

    assert to(sent) == sorted(EVERYONE)
    for _, message in sent:
        assert message.text.startswith("Please read the Trust's Social Networking Protocol (reviewed 28 July 2026)")
        assert "Do not use social networking sites or online blogs" in words(message)  # the summary
        assert "`/policy`" in words(message)  # how to ask about it
        [button] = [e for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"]
        assert (button["action_id"], button["value"], button["text"]["text"]) == (
            ids.ACKNOWLEDGE_POLICY, V1, "I have read and understood")
    assert trust.deliver(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)) == []
    campaign = campaigns.current(trust.database)
    assert (campaign.version, campaign.material, campaign.started_by) == (V1, True, OWNER)


def test_acknowledging_is_recorded_once(trust):
    start(trust)

    assert campaigns.acknowledge(trust.database, V1, TEACHER, source="test") is True
    first = campaigns.acknowledged(trust.database, V1)[TEACHER]
    assert campaigns.acknowledge(trust.database, V1, TEACHER, source="test") is False

    assert trust.rows("SELECT person_id, acknowledged_at FROM acknowledgements") == [
        {"person_id": TEACHER, "acknowledged_at": first}]
    audit = trust.rows("SELECT actor_id FROM audit_log WHERE subject = ? AND action = 'acknowledged'",
                       (f"POLICY-{V1}",))
    assert audit == [{"actor_id": TEACHER}]


def test_weekly_reminders_go_only_to_those_who_have_not_acknowledged(trust):
    start(trust, started="2027-01-04 10:00")  # a Monday
    trust.deliver(london("2027-01-04 10:00"))
    for person in (TEACHER, HEAD):
        campaigns.acknowledge(trust.database, V1, person, source="test")

    assert trust.tick(london("2027-01-11 09:59")) == []
    sent = trust.tick(london("2027-01-11 10:00"))
    assert to(sent) == sorted(EVERYONE - {TEACHER, HEAD})
    assert all(m.text.startswith("A reminder: please read") for _, m in sent)
    assert all(ids.ACKNOWLEDGE_POLICY in button_ids(m) for _, m in sent)
    assert trust.tick(london("2027-01-11 10:00")) == []
    assert trust.tick(london("2027-01-17 23:00")) == []

    campaigns.acknowledge(trust.database, V1, COLLEAGUE, source="test")
    trust.run(london("2027-01-18 10:00"))
    campaigns.acknowledge(trust.database, V1, OWNER, source="test")  # after it was queued, before it went
    sent = trust.deliver(london("2027-01-18 10:00"))
    assert to(sent) == sorted(EVERYONE - {TEACHER, HEAD, COLLEAGUE, OWNER})


def test_a_bot_down_for_weeks_sends_one_acknowledgement_reminder(trust):
    start(trust, started="2027-01-04 10:00")
    trust.deliver(london("2027-01-04 10:00"))

    sent = trust.tick(london("2027-02-03 12:00"))  # four weekly rounds have passed

    assert to(sent) == sorted(EVERYONE)
    assert {r["dedupe_key"].rsplit(":", 1)[1] for r in trust.outbox("policy.acknowledge.reminder")} == {"4"}
    assert trust.tick(london("2027-02-04 12:00")) == []


def test_acknowledgement_reminders_falling_at_a_weekend_wait_for_monday(trust):
    start(trust, started="2027-01-09 10:00")  # a Saturday
    trust.deliver(london("2027-01-09 10:00"))

    assert trust.run(london("2027-01-16 10:00")) == ["reminded 7 people to acknowledge the protocol"]
    assert trust.deliver(london("2027-01-16 10:00")) == []
    assert {r["next_attempt_at"] for r in trust.outbox("policy.acknowledge.reminder")} == {
        iso(london("2027-01-18 07:00"))}
    assert trust.tick(london("2027-01-18 06:59")) == []
    assert to(trust.tick(london("2027-01-18 07:00"))) == sorted(EVERYONE)


def test_a_material_new_version_asks_everyone_again(trust):
    start(trust)
    for person in (TEACHER, HEAD, COLLEAGUE):
        campaigns.acknowledge(trust.database, V1, person, source="test")

    outcome = start(trust, version=V2, material=True)

    assert outcome.ok and outcome.message.startswith("Started: 7 people")
    asked = [r["recipient_id"] for r in trust.outbox("policy.acknowledge") if r["subject"] == f"POLICY-{V2}"]
    assert sorted(asked) == sorted(EVERYONE)
    assert campaigns.acknowledged(trust.database, V2) == {}
    assert campaigns.current(trust.database).version == V2


def test_a_minor_new_version_asks_only_those_who_never_acknowledged_and_carries_the_rest_over(trust):
    start(trust)
    for person in (TEACHER, HEAD):
        campaigns.acknowledge(trust.database, V1, person, source="test")
    before = campaigns.acknowledged(trust.database, V1)

    outcome = start(trust, version=V2, material=False)

    assert outcome.ok and outcome.message.startswith("Started: 5 people")
    asked = [r["recipient_id"] for r in trust.outbox("policy.acknowledge") if r["subject"] == f"POLICY-{V2}"]
    assert sorted(asked) == sorted(EVERYONE - {TEACHER, HEAD})
    carried = trust.rows("SELECT person_id, acknowledged_at, source FROM acknowledgements WHERE version = ? "
                         "ORDER BY person_id", (V2,))
    assert carried == [{"person_id": p, "acknowledged_at": before[p], "source": f"carried over from {V1}"}
                       for p in sorted([HEAD, TEACHER])]
    assert "minor change; 5 people asked" in trust.rows(
        "SELECT detail FROM audit_log WHERE subject = ?", (f"POLICY-{V2}",))[0]["detail"]


def test_a_minor_first_campaign_asks_everyone(trust):
    assert start(trust, material=False).message.startswith("Started: 7 people")


def test_a_manager_sees_their_own_teams_completion(trust):
    start(trust)
    campaigns.acknowledge(trust.database, V1, TEACHER, source="test")
    campaigns.acknowledge(trust.database, V1, OWNER, source="test")

    done, pending = campaigns.team_completion(trust.database, trust.directory, HEAD, V1)
    assert ([p.slack_id for p in done], [p.slack_id for p in pending]) == ([TEACHER], [COLLEAGUE])
    done, pending = campaigns.team_completion(trust.database, trust.directory, CEO, V1)
    assert sorted(p.slack_id for p in done) == [OWNER]
    assert sorted(p.slack_id for p in pending) == sorted([OWNER2, HR, HEAD])
    assert campaigns.team_completion(trust.database, trust.directory, TEACHER, V1) == ([], [])


# --- the command line: campaign start and the acknowledgements register ---------------------------------------------


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """A `python bot.py` environment on this test's database and directory, with nothing from the developer's."""
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF_CSV, encoding="utf-8")
    env = dict(os.environ)
    env.update({name: "" for name in SETTINGS_VARIABLES})
    env.update({"DATABASE_PATH": str(tmp_path / "data" / "bot.db"), "STAFF_DIRECTORY": str(staff),
                "PYTHONIOENCODING": "utf-8"})
    return env


def run_bot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "bot.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60)


def test_campaign_start_on_the_command_line(cli_env, tmp_path):
    refused = run_bot(cli_env, "campaign", "start", "--by", TEACHER)
    assert refused.returncode == 1
    assert "Only an admin or the policy owner" in refused.stdout

    started = run_bot(cli_env, "campaign", "start", "--by", OWNER)
    assert started.returncode == 0, started.stderr
    assert "Started: 7 people have been asked" in started.stdout

    again = run_bot(cli_env, "campaign", "start", "--by", CEO, "--minor")
    assert again.returncode == 1 and "already running" in again.stdout

    database = Database(tmp_path / "data" / "bot.db")
    campaign = campaigns.current(database)
    assert (campaign.version, campaign.material, campaign.started_by) == (SHIPPED, True, OWNER)
    with database.connect() as db:
        queued = [r["recipient_id"] for r in db["outbox"].rows_where("kind = 'policy.acknowledge'")]
    assert sorted(queued) == sorted(EVERYONE)  # waiting for the clock to send them


def test_export_acknowledgements_lists_who_acknowledged_which_version_and_who_has_not(cli_env, tmp_path):
    world = World(tmp_path, protocol_copy(tmp_path, REVIEWED, DUE))
    start(world)
    campaigns.acknowledge(world.database, V1, TEACHER, source=ids.ACKNOWLEDGE_POLICY)
    campaigns.acknowledge(world.database, V1, HEAD, source=ids.ACKNOWLEDGE_POLICY)
    start(world, version=V2, material=False)
    campaigns.acknowledge(world.database, V2, COLLEAGUE, source=ids.ACKNOWLEDGE_POLICY)
    when = campaigns.acknowledged(world.database, V1)

    result = run_bot(cli_env, "export", "acknowledgements")

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["version", "person_id", "name", "academy", "acknowledged_at", "source"]
    done = [(r["version"], r["person_id"], r["source"]) for r in rows if r["acknowledged_at"]]
    assert sorted(done) == sorted([
        (V1, TEACHER, ids.ACKNOWLEDGE_POLICY), (V1, HEAD, ids.ACKNOWLEDGE_POLICY),
        (V2, TEACHER, f"carried over from {V1}"), (V2, HEAD, f"carried over from {V1}"),
        (V2, COLLEAGUE, ids.ACKNOWLEDGE_POLICY)])
    tom = next(r for r in rows if r["person_id"] == TEACHER and r["version"] == V1)
    assert (tom["name"], tom["academy"], tom["acknowledged_at"]) == ("Tom Teacher", "Oakfield Academy", when[TEACHER])
    not_yet = sorted(r["person_id"] for r in rows if r["source"] == "not yet acknowledged")
    assert not_yet == sorted(EVERYONE - {TEACHER, HEAD, COLLEAGUE})
    assert all(r["version"] == V2 and r["acknowledged_at"] == "" for r in rows if r["source"] == "not yet acknowledged")


# --- configuration -------------------------------------------------------------------------------------------------

SETTINGS_VARIABLES = frozenset(re.findall(r"""env\.get\(["']([A-Z0-9_]+)["']""", Path(config.__file__).read_text()))
REMINDER_VARIABLES = ("REVIEW_REMINDER_DAYS", "REQUEST_NUDGE_HOURS", "REQUEST_ESCALATE_HOURS", "CASE_NUDGE_HOURS",
                      "EXPIRY_REMINDER_DAYS", "REMOVAL_CONFIRM_DAYS", "ACKNOWLEDGE_REMINDER_DAYS", "QUIET_HOURS",
                      "QUIET_WEEKENDS", "CASE_ACKNOWLEDGE_HOURS", "TRUST_TIMEZONE")


@pytest.fixture
def environment(monkeypatch, tmp_path) -> Path:
    """No setting from the developer's shell or .env; returns an empty .env file for load_settings."""
    assert set(REMINDER_VARIABLES) <= SETTINGS_VARIABLES
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty.env"
    empty.write_text("")
    return empty


def test_the_reminder_defaults(environment):
    settings = load_settings(environment)
    assert settings.reminders == ReminderSettings()
    assert settings.reminders.review_lead_days == (60, 30, 7)
    assert settings.reminders.quiet_hours == (20, 7) and settings.reminders.quiet_weekends is True
    assert (settings.timezone, settings.case_acknowledge_hours) == ("Europe/London", 4.0)


def test_the_reminder_settings_are_read_from_the_environment(environment, monkeypatch):
    for name, value in {"REVIEW_REMINDER_DAYS": "7, 90,30", "REQUEST_NUDGE_HOURS": "24",
                        "REQUEST_ESCALATE_HOURS": "72.5", "CASE_NUDGE_HOURS": "0.5", "EXPIRY_REMINDER_DAYS": "14,2",
                        "REMOVAL_CONFIRM_DAYS": "3", "ACKNOWLEDGE_REMINDER_DAYS": "14", "QUIET_HOURS": "22-6",
                        "QUIET_WEEKENDS": "no", "CASE_ACKNOWLEDGE_HOURS": "2",
                        "TRUST_TIMEZONE": "Europe/Dublin"}.items():
        monkeypatch.setenv(name, value)

    settings = load_settings(environment)

    assert settings.reminders == ReminderSettings(
        review_lead_days=(90, 30, 7), request_nudge_hours=24, request_escalate_hours=72.5, case_nudge_hours=0.5,
        expiry_reminder_days=(14, 2), removal_confirm_days=3, acknowledge_reminder_days=14, quiet_hours=(22, 6),
        quiet_weekends=False)
    assert (settings.timezone, settings.case_acknowledge_hours) == ("Europe/Dublin", 2.0)


def test_the_reminder_settings_can_come_from_the_env_file(environment, tmp_path, monkeypatch):
    env_file = tmp_path / "reminders.env"
    env_file.write_text("QUIET_HOURS=21-8\nEXPIRY_REMINDER_DAYS=10\n")
    monkeypatch.setenv("EXPIRY_REMINDER_DAYS", "5")  # the real environment wins

    reminders = load_settings(env_file).reminders
    monkeypatch.delenv("QUIET_HOURS")  # load_dotenv set it; monkeypatch would not undo that

    assert (reminders.quiet_hours, reminders.expiry_reminder_days) == ((21, 8), (5,))


@pytest.mark.parametrize(("name", "value", "says"), [
    ("REQUEST_NUDGE_HOURS", "two days", "REQUEST_NUDGE_HOURS must be a number greater than 0, not 'two days'."),
    ("REQUEST_ESCALATE_HOURS", "0", "REQUEST_ESCALATE_HOURS must be a number greater than 0, not '0'."),
    ("CASE_NUDGE_HOURS", "-1", "CASE_NUDGE_HOURS must be a number greater than 0"),
    ("CASE_ACKNOWLEDGE_HOURS", "soon", "CASE_ACKNOWLEDGE_HOURS must be a number greater than 0"),
    ("REVIEW_REMINDER_DAYS", "sixty", "REVIEW_REMINDER_DAYS must be whole numbers of days separated by commas"),
    ("REVIEW_REMINDER_DAYS", "60,-7", "REVIEW_REMINDER_DAYS must be whole numbers of days"),
    ("EXPIRY_REMINDER_DAYS", "7;1", "EXPIRY_REMINDER_DAYS must be whole numbers of days"),
    ("EXPIRY_REMINDER_DAYS", ",", "EXPIRY_REMINDER_DAYS must be whole numbers of days"),
    ("REMOVAL_CONFIRM_DAYS", "a week", "REMOVAL_CONFIRM_DAYS must be a whole number of days, 1 or more"),
    ("REMOVAL_CONFIRM_DAYS", "0", "REMOVAL_CONFIRM_DAYS must be a whole number of days, 1 or more"),
    ("ACKNOWLEDGE_REMINDER_DAYS", "0.5", "ACKNOWLEDGE_REMINDER_DAYS must be a whole number of days, 1 or more"),
    ("ACKNOWLEDGE_REMINDER_DAYS", "-7", "ACKNOWLEDGE_REMINDER_DAYS must be a whole number of days, 1 or more"),
    ("QUIET_HOURS", "20", "QUIET_HOURS must be two hours such as 20-7, not '20'."),
    ("QUIET_HOURS", "8pm-7am", "QUIET_HOURS must be two hours such as 20-7"),
    ("QUIET_HOURS", "20-24", "QUIET_HOURS must be two hours such as 20-7"),
    ("QUIET_HOURS", "20-7-1", "QUIET_HOURS must be two hours such as 20-7"),
    ("TRUST_TIMEZONE", "Europe/Londn", "TRUST_TIMEZONE must be a time zone such as Europe/London, not 'Europe/Londn'."),
    ("TRUST_TIMEZONE", "Europe", "TRUST_TIMEZONE must be a time zone such as Europe/London"),
])
def test_a_bad_value_stops_start_up_with_a_message_naming_it(environment, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as stopped:
        load_settings(environment)

    assert says in str(stopped.value.code)


def test_the_bot_will_not_start_with_a_bad_reminder_setting(cli_env):
    result = run_bot({**cli_env, "QUIET_HOURS": "late"}, "outbox")

    assert result.returncode == 1
    assert result.stderr.strip().endswith("QUIET_HOURS must be two hours such as 20-7, not 'late'.")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
