"""workflows/access_requests.py: the rules of a request, its state machine, and the register of permissions.

Against a real SQLite file and a staff directory read from a real CSV.
"""

import csv
import dataclasses
import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from blocks import access_requests as request_blocks
from workflows import access_requests
from workflows.access_requests import LIMITS, NOT_IN_DIRECTORY, RequestForm, decide, end_permission, submit, withdraw
from workflows.directory import read_directory
from workflows.exports import PERMISSION_COLUMNS, write_permissions
from workflows.timekeeping import long_date

from .conftest import REPO
from .test_directory import TRUST

TODAY = dt.date(2026, 3, 2)
TEACHER, COLLEAGUE, HEAD, CEO, HR = "U0TEACH", "U0COLL", "U0HEAD", "U0CEO", "U0HR"
NASTY = "Run the PE insta 📸 <!channel> <@U123> & Q&A, \"quoted\", מורים ומורות\nsecond line"


def form(**changes) -> RequestForm:
    return dataclasses.replace(RequestForm(
        kind="work_use", purpose="Run the PE department's Instagram", platform="Instagram",
        account="@oakfield_pe", audience="Year 10 and 11 PE groups", pupils="under_16", consent="obtained",
        trust_devices_only=True, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=90)), **changes)


@pytest.fixture
def directory(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(TRUST, encoding="utf-8")
    return read_directory(path)


def rows(database, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(database.path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def audit(database, reference: str = "REQ-0001") -> list[dict]:
    return rows(database, "SELECT * FROM audit_log WHERE subject = ? ORDER BY id", (reference,))


def outbox(database) -> list[tuple[str, str, str]]:
    return [(r["kind"], r["recipient_id"], r["subject"]) for r in rows(database, "SELECT * FROM outbox ORDER BY id")]


def status(database, request_id: int = 1) -> str:
    return access_requests.get(database, request_id).status


def submitted(database, directory, requester=TEACHER, **changes) -> access_requests.AccessRequest:
    outcome = submit(database, directory, requester, form(**changes), TODAY, source="test")
    assert outcome.ok, outcome
    return outcome.subject


def approved(database, directory, requester=TEACHER, **changes) -> access_requests.AccessRequest:
    request = submitted(database, directory, requester, **changes)
    outcome = decide(database, directory, request.id, request.approver_id, approve=True, source="test")
    assert outcome.ok, outcome
    return outcome.subject


# --- validate ----------------------------------------------------------------------------------------------------


def test_a_complete_form_is_valid():
    assert access_requests.validate(form(), TODAY) == {}


@pytest.mark.parametrize(("changes", "field", "words"), [
    pytest.param({"starts_on": TODAY + dt.timedelta(days=10), "ends_on": TODAY + dt.timedelta(days=5)},
                 "ends_on", "before the start date", id="end before start"),
    pytest.param({"starts_on": TODAY, "ends_on": TODAY - dt.timedelta(days=1)},
                 "ends_on", "already passed", id="past end date"),
    pytest.param({"starts_on": TODAY - dt.timedelta(days=90)}, "starts_on", "agreed in advance",
                 id="start date months ago"),
    pytest.param({"purpose": "\u200b\u200c\u2060 \ufeff"}, "purpose", "fill this in", id="only invisible characters"),
    pytest.param({"ends_on": None}, "ends_on", "section 5.6", id="missing end date"),
    pytest.param({"starts_on": None}, "starts_on", "start date", id="missing start date"),
    pytest.param({"ends_on": TODAY + dt.timedelta(days=367)}, "ends_on", "a year at most", id="over a year"),
    pytest.param({"pupils": "under_16", "consent": "not_needed"}, "consent", "section 5.5",
                 id="under 16 without consent"),
    pytest.param({"trust_devices_only": False}, "devices", "section 5.3", id="work use without devices"),
    pytest.param({"kind": "something_else"}, "kind", "Choose", id="unknown kind"),
    pytest.param({"pupils": ""}, "pupils", "pupils", id="pupils not answered"),
    pytest.param({"consent": ""}, "consent", "consent", id="consent not answered"),
])
def test_each_mistake_is_reported_on_its_field(changes, field, words):
    errors = access_requests.validate(form(**changes), TODAY)

    assert list(errors) == [field]
    assert words in errors[field]


@pytest.mark.parametrize("name", ["purpose", "platform", "account", "audience"])
def test_text_over_its_limit_is_refused_and_at_its_limit_accepted(name):
    assert access_requests.validate(form(**{name: "x" * LIMITS[name]}), TODAY) == {}

    errors = access_requests.validate(form(**{name: "x" * (LIMITS[name] + 1)}), TODAY)

    assert errors == {name: f"Please keep this under {LIMITS[name]} characters."}


@pytest.mark.parametrize("name", ["purpose", "platform", "account", "audience"])
def test_a_blank_text_field_must_be_filled_in(name):
    assert access_requests.validate(form(**{name: "  \n "}), TODAY) == {name: "Please fill this in."}


def test_an_empty_form_reports_every_field():
    empty = RequestForm(kind="", purpose="", platform="", account="", audience="", pupils="", consent="",
                        trust_devices_only=False, starts_on=None, ends_on=None)

    errors = access_requests.validate(empty, TODAY)

    assert set(errors) == {"kind", "purpose", "platform", "account", "audience", "pupils", "consent", "starts_on",
                           "ends_on"}  # devices: only asked of work use, and no kind was chosen


def test_what_the_rules_allow():
    valid = access_requests.validate
    assert valid(form(ends_on=TODAY), TODAY) == {}  # ends today
    assert valid(form(ends_on=TODAY + dt.timedelta(days=366)), TODAY) == {}  # a year, leap day and all
    assert valid(form(pupils="over_16", consent="not_needed"), TODAY) == {}  # parents are informed instead
    assert valid(form(pupils="none", consent="not_needed"), TODAY) == {}
    assert valid(form(kind="pupil_connection", trust_devices_only=False), TODAY) == {}  # 5.1: no devices question
    assert valid(form(purpose=NASTY), TODAY) == {}


# --- submit ------------------------------------------------------------------------------------------------------


def test_someone_not_in_the_directory_cannot_submit_and_nothing_is_stored(database, directory):
    outcome = submit(database, directory, "U0STRANGER", form(), TODAY, source="test")

    assert not outcome.ok
    assert outcome.message == NOT_IN_DIRECTORY
    assert rows(database, "SELECT * FROM access_requests") == []
    assert outbox(database) == []


def test_with_nobody_to_decide_nothing_is_stored(database, tmp_path):
    path = tmp_path / "lonely.csv"
    path.write_text(TRUST.splitlines()[0] + "\nU0ONLY,Olly Only,o@x,staff;hr;admin,Trust,\n", encoding="utf-8")

    outcome = submit(database, read_directory(path), "U0ONLY", form(), TODAY, source="test")

    assert not outcome.ok
    assert "nobody in the staff directory who can decide" in outcome.message
    assert rows(database, "SELECT * FROM access_requests") == []
    assert rows(database, "SELECT * FROM audit_log") == []


def test_an_invalid_form_is_refused_with_its_errors_and_nothing_is_stored(database, directory):
    outcome = submit(database, directory, TEACHER, form(trust_devices_only=False), TODAY, source="test")

    assert not outcome.ok
    assert set(outcome.errors) == {"devices"}
    assert rows(database, "SELECT * FROM access_requests") == []


def test_a_request_is_stored_pending_with_the_manager_as_approver(database, directory):
    outcome = submit(database, directory, TEACHER, form(platform="  Instagram  "), TODAY,
                     source="request_access_form")

    assert outcome.ok
    request = outcome.subject
    assert request.reference == "REQ-0001"
    assert "REQ-0001" in outcome.message
    assert (request.status, request.requester_id, request.approver_id) == ("pending", TEACHER, HEAD)
    assert request.platform == "Instagram"
    assert (request.starts_on, request.ends_on) == (TODAY, TODAY + dt.timedelta(days=90))
    assert request.trust_devices_only is True
    assert request.decided_by is None and request.decided_at is None
    assert access_requests.get(database, 1) == request


def test_submitting_leaves_one_audit_entry(database, directory):
    submitted(database, directory)

    [entry] = audit(database)
    assert (entry["actor_id"], entry["action"], entry["from_status"], entry["to_status"], entry["source"]) == (
        TEACHER, "submitted", None, "pending", "test")
    assert entry["at"]


def test_submitting_queues_the_approver_first_then_the_receipt(database, directory):
    submitted(database, directory)

    assert outbox(database) == [("request.decide", HEAD, "REQ-0001"), ("request.receipt", TEACHER, "REQ-0001")]
    [decide_row] = rows(database, "SELECT * FROM outbox WHERE kind = 'request.decide'")
    assert decide_row["late_notice_to"] == TEACHER  # told when it reaches the head, if it did not at once
    assert decide_row["status"] == "pending"


def test_the_top_of_the_trust_asks_hr(database, directory):
    request = submitted(database, directory, requester=CEO)

    assert request.approver_id == HR


def test_references_count_up(database, directory):
    submitted(database, directory)
    second = submitted(database, directory, requester=COLLEAGUE)

    assert second.reference == "REQ-0002"
    assert access_requests.parse_reference(" req-0002 ") == 2
    assert access_requests.parse_reference("REQ-") is None
    assert access_requests.parse_reference("0002") is None


def test_text_is_stored_as_typed(database, directory):
    request = submitted(database, directory, purpose=NASTY, audience="<@U999> & family")

    stored = access_requests.get(database, request.id)
    assert stored.purpose == NASTY
    assert stored.audience == "<@U999> & family"


# --- decide ------------------------------------------------------------------------------------------------------


def test_the_approver_approves(database, directory):
    submitted(database, directory)

    outcome = decide(database, directory, 1, HEAD, approve=True, source="approve_request")

    assert outcome.ok
    assert outcome.message == "REQ-0001 is approved."
    request = outcome.subject
    assert (request.status, request.decided_by, request.decision_note) == ("approved", HEAD, None)
    assert request.decided_at
    assert [(e["action"], e["actor_id"], e["from_status"], e["to_status"], e["source"]) for e in audit(database)] == [
        ("submitted", TEACHER, None, "pending", "test"),
        ("approved", HEAD, "pending", "approved", "approve_request")]
    assert outbox(database)[-1] == ("request.approved", TEACHER, "REQ-0001")


def test_an_admin_may_decide_someone_elses_request(database, directory):
    submitted(database, directory)

    outcome = decide(database, directory, 1, CEO, approve=True)

    assert outcome.ok
    assert outcome.subject.decided_by == CEO


@pytest.mark.parametrize("approve", [True, False])
def test_nobody_decides_their_own_request_even_an_admin(database, directory, approve):
    submitted(database, directory, requester=CEO)  # approver: HR

    outcome = decide(database, directory, 1, CEO, approve=approve, note="fine by me")

    assert not outcome.ok
    assert "can't decide your own request" in outcome.message
    assert status(database) == "pending"
    assert [e["action"] for e in audit(database)] == ["submitted"]


@pytest.mark.parametrize("outsider", [COLLEAGUE, HR, "U0STRANGER"])
def test_an_outsider_is_refused_and_nothing_changes(database, directory, outsider):
    submitted(database, directory)
    queued = outbox(database)

    outcome = decide(database, directory, 1, outsider, approve=True)

    assert not outcome.ok
    assert "Only the person this request was sent to can decide it" in outcome.message
    assert status(database) == "pending"
    assert [e["action"] for e in audit(database)] == ["submitted"]
    assert outbox(database) == queued


def test_a_denial_needs_a_reason(database, directory):
    submitted(database, directory)

    outcome = decide(database, directory, 1, HEAD, approve=False, note="   ")

    assert not outcome.ok
    assert set(outcome.errors) == {"note"}
    assert status(database) == "pending"

    outcome = decide(database, directory, 1, HEAD, approve=False, note=" Please use the department account ")

    assert outcome.ok
    assert (outcome.subject.status, outcome.subject.decision_note) == ("denied", "Please use the department account")
    assert audit(database)[-1]["detail"] == "Please use the department account"
    assert outbox(database)[-1] == ("request.denied", TEACHER, "REQ-0001")


def test_a_reason_over_the_limit_is_refused(database, directory):
    submitted(database, directory)

    outcome = decide(database, directory, 1, HEAD, approve=False, note="x" * (LIMITS["note"] + 1))

    assert not outcome.ok and set(outcome.errors) == {"note"}
    assert status(database) == "pending"


def test_a_second_decision_is_refused_and_changes_nothing(database, directory):
    submitted(database, directory)
    assert decide(database, directory, 1, HEAD, approve=True).ok

    again = decide(database, directory, 1, HEAD, approve=True)
    deny = decide(database, directory, 1, CEO, approve=False, note="No")

    for outcome in (again, deny):
        assert not outcome.ok
        assert outcome.message == "REQ-0001 was already approved, so nothing has changed."
    assert status(database) == "approved"
    assert [e["action"] for e in audit(database)] == ["submitted", "approved"]
    assert [kind for kind, _, _ in outbox(database)].count("request.approved") == 1
    assert "request.denied" not in [kind for kind, _, _ in outbox(database)]


def test_an_unknown_request_cannot_be_decided(database, directory):
    outcome = decide(database, directory, 99, HEAD, approve=True)

    assert not outcome.ok
    assert outcome.message == "I can't find that request."


def test_two_people_deciding_at_once_leave_one_decision(database, directory):
    for round_ in range(5):
        request = submitted(database, directory)
        start = threading.Barrier(2)
        outcomes = []

        def act(actor, approve, request=request, start=start, outcomes=outcomes, source=f"round {round_}"):
            start.wait()
            outcomes.append(decide(database, directory, request.id, actor, approve=approve, note="No, sorry",
                                   source=source))

        threads = [threading.Thread(target=act, args=(HEAD, True)), threading.Thread(target=act, args=(CEO, False))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(outcome.ok for outcome in outcomes) == [False, True]
        [winner] = [outcome for outcome in outcomes if outcome.ok]
        [loser] = [outcome for outcome in outcomes if not outcome.ok]
        assert "already" in loser.message
        assert status(database, request.id) == winner.subject.status
        decisions = [e for e in audit(database, request.reference) if e["action"] in ("approved", "denied")]
        assert len(decisions) == 1
        told = [kind for kind, who, subject in outbox(database)
                if subject == request.reference and who == TEACHER and kind in ("request.approved", "request.denied")]
        assert told == [f"request.{winner.subject.status}"]


# --- withdraw ------------------------------------------------------------------------------------------------------


def test_the_requester_withdraws_a_pending_request(database, directory):
    submitted(database, directory)

    outcome = withdraw(database, 1, TEACHER, source="withdraw_request")

    assert outcome.ok
    assert status(database) == "withdrawn"
    assert [(e["action"], e["actor_id"], e["to_status"]) for e in audit(database)][-1] == (
        "withdrawn", TEACHER, "withdrawn")
    assert outbox(database)[-1] == ("request.withdrawn", HEAD, "REQ-0001")


@pytest.mark.parametrize("someone_else", [HEAD, CEO, COLLEAGUE])
def test_only_the_requester_may_withdraw(database, directory, someone_else):
    submitted(database, directory)

    outcome = withdraw(database, 1, someone_else)

    assert not outcome.ok
    assert "Only the person who made a request" in outcome.message
    assert status(database) == "pending"


def test_only_a_pending_request_can_be_withdrawn(database, directory):
    approved(database, directory)

    outcome = withdraw(database, 1, TEACHER)

    assert not outcome.ok
    assert outcome.message == "REQ-0001 was already approved, so nothing has changed."
    assert status(database) == "approved"


def test_a_withdrawn_request_cannot_be_decided_or_withdrawn_again(database, directory):
    submitted(database, directory)
    withdraw(database, 1, TEACHER)

    assert decide(database, directory, 1, HEAD, approve=True).message == \
        "REQ-0001 was already withdrawn, so nothing has changed."
    assert not withdraw(database, 1, TEACHER).ok
    assert [e["action"] for e in audit(database)] == ["submitted", "withdrawn"]


# --- end_permission ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [TEACHER, HEAD, CEO])
def test_the_requester_the_approver_or_an_admin_ends_a_permission(database, directory, who):
    approved(database, directory)

    outcome = end_permission(database, directory, 1, who, source="end_permission")

    assert outcome.ok
    assert outcome.message == "REQ-0001 has ended."
    assert (outcome.subject.status, outcome.subject.ended_by) == ("ended", who)
    assert outcome.subject.ended_at
    assert outcome.subject.decided_by == HEAD  # the decision stays on record
    assert [(e["action"], e["actor_id"], e["from_status"], e["to_status"]) for e in audit(database)][-1] == (
        "ended", who, "approved", "ended")
    ended = sorted((who, subject) for kind, who, subject in outbox(database) if kind == "request.ended")
    assert ended == [(HEAD, "REQ-0001"), (TEACHER, "REQ-0001")]


def test_an_outsider_cannot_end_a_permission(database, directory):
    approved(database, directory)

    outcome = end_permission(database, directory, 1, COLLEAGUE)

    assert not outcome.ok
    assert status(database) == "approved"


@pytest.mark.parametrize("state", ["pending", "denied", "withdrawn", "ended"])
def test_only_an_approved_permission_can_be_ended(database, directory, state):
    submitted(database, directory)
    if state == "denied":
        decide(database, directory, 1, HEAD, approve=False, note="No")
    elif state == "withdrawn":
        withdraw(database, 1, TEACHER)
    elif state == "ended":
        decide(database, directory, 1, HEAD, approve=True)
        end_permission(database, directory, 1, TEACHER)
    before = audit(database)

    outcome = end_permission(database, directory, 1, TEACHER)

    assert not outcome.ok
    assert "nothing to end" in outcome.message
    assert status(database) == state
    assert audit(database) == before


# --- the written permission --------------------------------------------------------------------------------------


def test_conditions_for_work_use_with_pupils_under_16(database, directory):
    request = approved(database, directory, pupils="under_16", consent="obtained")

    conditions = access_requests.conditions(request)

    assert [c.split("(section ")[-1] for c in conditions] == ["5.3).", "5.4).", "5.5).", "5.6)."]
    assert "Trust / Academy devices only" in conditions[0]
    assert "Keep a log" in conditions[1]
    assert "consent before any contact with a pupil under 16" in conditions[2]
    assert long_date(request.ends_on) in conditions[3] and "delete it" in conditions[3]


def test_conditions_for_a_connection_with_pupils_over_16(database, directory):
    request = approved(database, directory, kind="pupil_connection", pupils="over_16", consent="not_needed",
                       trust_devices_only=False)

    conditions = access_requests.conditions(request)

    assert not any("devices" in c for c in conditions)
    assert [c.split("(section ")[-1] for c in conditions] == ["5.4).", "5.5).", "5.6)."]
    assert "Let parents know" in conditions[1]


def test_conditions_without_pupils(database, directory):
    request = approved(database, directory, pupils="none", consent="not_needed")

    assert [c.split("(section ")[-1] for c in access_requests.conditions(request)] == ["5.3).", "5.4).", "5.6)."]


def test_the_permission_statement_says_what_where_who_until_when_and_on_what_terms(database, directory):
    request = approved(database, directory, purpose=NASTY)

    statement = access_requests.permission_statement(request, "Tom Teacher", "Hilda Head", "Europe/London")

    lines = statement.splitlines()
    assert lines[0] == "Written permission REQ-0001"
    assert lines[1] == "Hilda Head gives Tom Teacher permission to use social networking for this work purpose:"
    assert f"Purpose: {NASTY}" in statement  # as typed; escaping is for whoever shows it
    assert "Where: Instagram, on the account @oakfield_pe" in lines
    assert "With: Year 10 and 11 PE groups (pupils under 16 (or some are))" in lines
    assert f"From {long_date(TODAY)} until {long_date(TODAY + dt.timedelta(days=90))}." in lines
    assert "On these conditions:" in lines
    for condition in access_requests.conditions(request):
        assert f"- {condition}" in lines
    assert lines[-1].startswith("Approved on ")


def test_a_connection_permission_is_worded_for_a_connection(database, directory):
    request = approved(database, directory, kind="pupil_connection", trust_devices_only=False)

    statement = access_requests.permission_statement(request, "Tom Teacher", "Hilda Head", "Europe/London")

    assert "permission to accept or keep this online connection with a pupil or a pupil's family" in statement


def test_a_long_audience_is_cut_before_it_is_escaped_so_no_entity_is_broken(database, directory):
    request = submitted(database, directory, audience="x" * 78 + "& their families")

    line = request_blocks.status_line(request)

    assert "x" * 78 + "&amp;" in line
    assert "&am " not in line and "&am·" not in line


# --- lists and history ---------------------------------------------------------------------------------------------


def test_requests_by_and_waiting_for(database, directory):
    submitted(database, directory)                       # REQ-0001 teacher -> head
    submitted(database, directory, requester=COLLEAGUE)  # REQ-0002 colleague -> head
    submitted(database, directory, requester=HEAD)       # REQ-0003 head -> CEO
    withdraw(database, 2, COLLEAGUE)

    assert [r.reference for r in access_requests.requests_by(database, TEACHER)] == ["REQ-0001"]
    assert [r.reference for r in access_requests.waiting_for(database, directory, HEAD)] == ["REQ-0001"]
    # An admin sees every pending request but their own.
    assert [r.reference for r in access_requests.waiting_for(database, directory, CEO)] == ["REQ-0001", "REQ-0003"]
    assert access_requests.waiting_for(database, directory, COLLEAGUE) == []
    assert [e["action"] for e in access_requests.history(database, 2)] == ["submitted", "withdrawn"]


# --- the register of permissions -----------------------------------------------------------------------------------


def test_write_permissions_writes_a_header_and_one_row_per_request(database, directory):
    approved(database, directory, purpose=NASTY)
    submitted(database, directory, requester=COLLEAGUE, kind="pupil_connection", trust_devices_only=False)
    decide(database, directory, 2, HEAD, approve=False, note="Not a good reason, sorry")
    out = io.StringIO()

    count = write_permissions(database, directory, out)

    assert count == 2
    out.seek(0)
    reader = csv.DictReader(out)
    assert reader.fieldnames == PERMISSION_COLUMNS
    first, second = list(reader)
    assert first["reference"] == "REQ-0001"
    assert first["kind"] == access_requests.KINDS["work_use"]
    assert first["status"] == "approved"
    assert (first["requester_name"], first["approver_name"]) == ("Tom Teacher", "Hilda Head")
    assert first["purpose"] == NASTY  # commas, quotes and a line break survive the CSV
    assert first["trust_devices_only"] == "yes"
    assert first["decided_by"] == HEAD and first["decided_at"]
    assert first["ends_on"] == (TODAY + dt.timedelta(days=90)).isoformat()
    assert (second["reference"], second["status"], second["decision_note"]) == (
        "REQ-0002", "not approved", "Not a good reason, sorry")
    assert second["trust_devices_only"] == "no"
    assert second["requester_name"] == "Cath Colleague"


def test_an_empty_register_is_just_the_header(database, directory):
    out = io.StringIO()

    assert write_permissions(database, directory, out) == 0
    assert out.getvalue() == ",".join(PERMISSION_COLUMNS) + "\n"


def test_bot_py_export_permissions_prints_the_register(database, directory, tmp_path):
    approved(database, directory)
    staff = tmp_path / "staff.csv"  # the directory fixture's file
    env = {**os.environ, "DATABASE_PATH": str(database.path), "STAFF_DIRECTORY": str(staff),
           "PYTHONIOENCODING": "utf-8", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}

    result = subprocess.run([sys.executable, "bot.py", "export", "permissions"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == ",".join(PERMISSION_COLUMNS)
    assert (row["reference"], row["status"], row["requester_name"], row["approver_name"]) == (
        "REQ-0001", "approved", "Tom Teacher", "Hilda Head")


@pytest.mark.parametrize("text", ["REQ-" + "9" * 40, "REQ-١٢", "REQ-", "REQ--1"])
def test_a_request_reference_that_cannot_exist_is_simply_not_one(text):
    from workflows.access_requests import parse_reference

    assert parse_reference(text) is None
