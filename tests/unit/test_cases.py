"""workflows/cases.py: who a report reaches (and never reaches), who may act on it, escalation, and the register.

Against a real SQLite file and a staff directory read from a real CSV.
"""

import csv
import dataclasses
import datetime as dt
import io
import itertools
import os
import sqlite3
import subprocess
import sys

import pytest

from blocks.cases import notice, receipt
from workflows import cases
from workflows.cases import LIMITS, NOT_IN_DIRECTORY, REFUSAL, ReportForm, acknowledge, add_note, close, route, submit
from workflows.directory import HEADER, read_directory
from workflows.exports import CASE_COLUMNS, CASE_TEXT_COLUMNS, write_cases

from .conftest import REPO

TA, COLLEAGUE, HEAD, CEO, HR, DSL, IT = "U0TA", "U0COLL", "U0HEAD", "U0CEO", "U0HR", "U0DSL", "U0IT"
ELM_TA, ELM_HEAD, EXEC, ELM_DSL = "U0ELMTA", "U0ELMHEAD", "U0EXEC", "U0ELMDSL"

# Two academies. Oakfield: a TA and a colleague under the head teacher, who reports to the CEO (the top of the
# trust, and admin); Oakfield's safeguarding lead. Elmwood has a deeper chain: TA, head, executive head, CEO,
# and its own safeguarding lead. HR and an IT admin sit under the CEO.
TRUST = f"""{",".join(HEADER)}
{TA},Tara Assistant,tara@oak.sch.uk,staff,Oakfield,{HEAD}
{COLLEAGUE},Cath Colleague,cath@oak.sch.uk,staff,Oakfield,{HEAD}
{HEAD},Hilda Head,hilda@oak.sch.uk,staff;manager,Oakfield,{CEO}
{DSL},Dev Safeguarding,dev@oak.sch.uk,staff;safeguarding_lead,Oakfield,{HEAD}
{CEO},Carl Chief,carl@trust.org.uk,staff;manager;admin,Trust,
{HR},Hana Hr,hana@trust.org.uk,staff;hr,Trust,{CEO}
{IT},Ian It,ian@trust.org.uk,staff;admin,Trust,{CEO}
{ELM_TA},Ella Assistant,ella@elm.sch.uk,staff,Elmwood,{ELM_HEAD}
{ELM_HEAD},Eric Head,eric@elm.sch.uk,staff;manager,Elmwood,{EXEC}
{EXEC},Edna Executive,edna@trust.org.uk,staff;manager,Trust,{CEO}
{ELM_DSL},Elsie Safeguarding,elsie@elm.sch.uk,staff;safeguarding_lead,Elmwood,{ELM_HEAD}
"""

WHAT = "A parent keeps messaging me on Facebook about Jo Bloggs in 9C <!channel> & calling me names"
EVIDENCE = "facebook.com/messages/t/123 screenshots saved, 9:14pm and 9:40pm"
HOURS = dt.timedelta(hours=4)


def form(**changes) -> ReportForm:
    return dataclasses.replace(ReportForm(
        kind="harassment", what_happened=WHAT, source="parent", about_id=None, platform="Facebook",
        happened_when="last night about 9pm", evidence=EVIDENCE, ongoing=True), **changes)


def contact_form(**changes) -> ReportForm:
    return dataclasses.replace(ReportForm(
        kind="contact", what_happened="A Year 10 pupil sent me a follow request", source="pupil", about_id=None,
        platform="Instagram", action_taken="Declined it and did not reply"), **changes)


def directory_from(tmp_path, text: str, name: str = "staff.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    directory = read_directory(path)
    assert directory.problems == ()
    return directory


def without(text: str, *slack_ids: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.split(",")[0] not in slack_ids) + "\n"


@pytest.fixture
def directory(tmp_path):
    return directory_from(tmp_path, TRUST)


def rows(database, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(database.path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def execute(database, sql: str, params=()) -> None:
    conn = sqlite3.connect(database.path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def audit(database, reference: str = "CASE-0001") -> list[dict]:
    return rows(database, "SELECT * FROM audit_log WHERE subject = ? ORDER BY id", (reference,))


def outbox(database) -> list[tuple[str, str, str]]:
    return [(r["kind"], r["recipient_id"], r["subject"]) for r in rows(database, "SELECT * FROM outbox ORDER BY id")]


def handler_ids(database, case_id: int = 1) -> list[str]:
    return [h.person_id for h in cases.handlers_of(database, case_id)]


def routed(directory, reporter: str, about: str | None = None, safeguarding: bool = False) -> dict[str, str]:
    return {h.person_id: h.why for h in route(directory, directory.get(reporter), about, safeguarding)}


def reported(database, directory, reporter: str = TA, **changes) -> cases.Case:
    outcome = submit(database, directory, reporter, form(**changes), source="test")
    assert outcome.ok, outcome
    return outcome.subject


def created_at(database, case_id: int = 1) -> dt.datetime:
    return dt.datetime.fromisoformat(cases.get(database, case_id).created_at)


def snapshot(database) -> tuple:
    """Everything a change could touch."""
    return tuple(rows(database, f"SELECT * FROM {table} ORDER BY rowid")
                 for table in ("cases", "case_handlers", "case_notes", "audit_log", "outbox"))


# --- route -------------------------------------------------------------------------------------------------------


def test_a_report_goes_to_the_reporters_manager(directory):
    assert routed(directory, TA) == {HEAD: "manager"}
    assert routed(directory, ELM_TA) == {ELM_HEAD: "manager"}
    assert routed(directory, ELM_HEAD) == {EXEC: "manager"}


def test_a_report_about_a_colleague_still_goes_to_the_manager(directory):
    assert routed(directory, TA, about=COLLEAGUE) == {HEAD: "manager"}


def test_a_report_about_ones_own_manager_goes_to_their_manager_and_hr_never_to_them(directory):
    assert routed(directory, TA, about=HEAD) == {CEO: "managers_manager", HR: "hr"}
    assert routed(directory, ELM_TA, about=ELM_HEAD) == {EXEC: "managers_manager", HR: "hr"}


def test_a_report_about_a_manager_at_the_top_of_the_trust_goes_to_hr(directory):
    assert routed(directory, EXEC, about=CEO) == {HR: "hr"}


@pytest.mark.parametrize(("reporter", "about", "safeguarding"), [
    pytest.param(TA, HR, False, id="hr"),
    pytest.param(CEO, HR, False, id="hr, reported from the top of the trust"),
    pytest.param(TA, CEO, False, id="an admin higher up"),
    pytest.param(HEAD, CEO, False, id="an admin who is the reporter's manager"),
    pytest.param(TA, DSL, True, id="the safeguarding lead, with a pupil involved"),
    pytest.param(ELM_TA, EXEC, False, id="the manager's manager"),
    pytest.param(ELM_TA, ELM_HEAD, True, id="the manager, who is also above the safeguarding lead"),
])
def test_the_person_named_is_never_a_handler(directory, reporter, about, safeguarding):
    handlers = routed(directory, reporter, about=about, safeguarding=safeguarding)

    assert handlers, "somebody must get it"
    assert about not in handlers
    assert reporter not in handlers


def test_nobody_named_is_ever_a_handler_whoever_reports_whoever(directory):
    for reporter, about in itertools.product(directory.people, [*directory.people, None]):
        for safeguarding in (False, True):
            handlers = routed(directory, reporter, about=about, safeguarding=safeguarding)
            assert about not in handlers and reporter not in handlers, (reporter, about, safeguarding)
            assert handlers, (reporter, about, safeguarding)


def test_a_report_from_hr_about_their_manager_reaches_no_hr_but_an_admin(tmp_path):
    directory = directory_from(tmp_path, TRUST)

    # HR's manager is the CEO, at the top: nobody above, and the only HR person is the reporter.
    assert routed(directory, HR, about=CEO) == {IT: "admin"}


@pytest.mark.parametrize("flag", ["pupil_involved", "child_at_risk"])
def test_a_pupil_or_a_child_at_risk_adds_the_academys_safeguarding_lead_only(database, directory, flag):
    assert routed(directory, TA, safeguarding=True) == {HEAD: "manager", DSL: "safeguarding_lead"}
    assert routed(directory, ELM_TA, safeguarding=True) == {ELM_HEAD: "manager", ELM_DSL: "safeguarding_lead"}

    reported(database, directory, **{flag: True})

    assert handler_ids(database) == [HEAD, DSL]
    assert ("case.handle", DSL, "CASE-0001") in outbox(database)
    assert ELM_DSL not in {recipient for _, recipient, _ in outbox(database)}


def test_without_a_manager_a_report_goes_to_hr(tmp_path):
    directory = directory_from(tmp_path, TRUST.replace(f"Oakfield,{HEAD}\n{COLLEAGUE}", f"Oakfield,\n{COLLEAGUE}"))
    assert directory.get(TA).manager_id is None

    assert routed(directory, TA) == {HR: "hr"}
    assert routed(directory, CEO) == {HR: "hr"}


def test_a_manager_missing_from_the_directory_counts_as_no_manager(tmp_path):
    gone = TRUST.replace(f"Oakfield,{HEAD}\n{COLLEAGUE}", f"Oakfield,U0GONE\n{COLLEAGUE}")
    directory = directory_from(tmp_path, gone)
    assert directory.get(TA).manager_id == "U0GONE"

    assert routed(directory, TA) == {HR: "hr"}


def test_without_a_manager_or_hr_a_report_goes_to_the_admins(tmp_path):
    directory = directory_from(tmp_path, without(TRUST, HR))

    assert routed(directory, CEO) == {IT: "admin"}  # the reporter is an admin too, but not their own handler
    assert routed(directory, HEAD, about=CEO) == {IT: "admin"}


def test_without_anybody_at_all_a_report_is_still_stored_open_with_an_audit_entry(tmp_path, database):
    directory = directory_from(tmp_path, f"{','.join(HEADER)}\n{TA},Tara Assistant,tara@oak.sch.uk,staff,Oakfield,\n")

    assert route(directory, directory.get(TA), None, True) == []
    case = reported(database, directory, pupil_involved=True)

    assert case.status == "open" and case.reference == "CASE-0001"
    assert handler_ids(database) == []
    assert outbox(database) == [("case.receipt", TA, "CASE-0001")]  # the reporter is told nobody was found
    actions = [entry["action"] for entry in audit(database)]
    assert actions == ["reported", "no handler found"]


def test_a_report_reaching_only_admins_is_audited_as_having_no_handler(tmp_path, database):
    directory = directory_from(tmp_path, without(TRUST, HR))

    reported(database, directory, reporter=CEO)

    assert handler_ids(database) == [IT]
    assert [entry["action"] for entry in audit(database)] == ["reported", "no handler found"]


# --- submit ------------------------------------------------------------------------------------------------------


def test_a_report_is_stored_open_with_its_handlers_receipt_and_audit(database, directory):
    case = reported(database, directory, what_happened=f"  {WHAT}  \n", platform=" Facebook ")

    assert case.id == 1 and case.reference == "CASE-0001"
    assert (case.kind, case.status, case.reporter_id, case.source) == ("harassment", "open", TA, "parent")
    assert (case.what_happened, case.platform, case.evidence) == (WHAT, "Facebook", EVIDENCE)
    assert case.ongoing and not case.safeguarding and case.escalation_level == 0
    assert cases.get(database, 1) == case
    assert [dataclasses.astuple(h) for h in cases.handlers_of(database, 1)] == [(HEAD, "manager", 0)]
    assert outbox(database) == [("case.handle", HEAD, "CASE-0001"), ("case.receipt", TA, "CASE-0001")]
    [handle] = rows(database, "SELECT * FROM outbox WHERE kind = 'case.handle'")
    assert handle["late_notice_to"] == TA  # told when a failed delivery finally lands
    [entry] = audit(database)
    assert (entry["actor_id"], entry["action"], entry["from_status"], entry["to_status"], entry["source"]) == (
        TA, "reported", None, "open", "test")
    assert entry["detail"] == "routed to 1 people"


def test_references_count_up():
    assert cases.reference(7) == "CASE-0007"
    assert cases.parse_reference(" case-0007 ") == 7
    assert cases.parse_reference("REQ-0007") is None and cases.parse_reference("CASE-x") is None


def test_someone_not_in_the_directory_cannot_report_and_nothing_is_stored(database, directory):
    outcome = submit(database, directory, "U0STRANGER", form(), source="test")

    assert not outcome.ok and outcome.message == NOT_IN_DIRECTORY
    assert rows(database, "SELECT * FROM cases") == [] and outbox(database) == []


def test_naming_oneself_is_not_treated_as_a_report_about_someone(database, directory):
    case = reported(database, directory, about_id=TA)

    assert case.about_id is None
    assert handler_ids(database) == [HEAD]


@pytest.mark.parametrize(("changes", "field"), [
    ({"what_happened": "   "}, "what_happened"),
    ({"platform": ""}, "platform"),
    ({"source": ""}, "source"),
    ({"source": "other"}, "source"),  # a contact's choice, not a report's
    ({"what_happened": "x" * (LIMITS["what_happened"] + 1)}, "what_happened"),
    ({"platform": "x" * (LIMITS["platform"] + 1)}, "platform"),
    ({"happened_when": "x" * (LIMITS["happened_when"] + 1)}, "happened_when"),
    ({"evidence": "x" * (LIMITS["evidence"] + 1)}, "evidence"),
])
def test_a_report_with_a_missing_or_overlong_field_is_refused_and_not_stored(database, directory, changes, field):
    outcome = submit(database, directory, TA, form(**changes), source="test")

    assert not outcome.ok
    assert set(outcome.errors) == {field}
    assert rows(database, "SELECT * FROM cases") == [] and outbox(database) == []


def test_fields_at_their_limits_are_accepted(database, directory):
    changes = {name: "x" * LIMITS[name] for name in ("what_happened", "platform", "happened_when", "evidence")}

    assert reported(database, directory, **changes).status == "open"


def test_a_contact_needs_what_was_done_and_a_contact_source(database, directory):
    assert cases.validate(contact_form()) == {}
    assert set(cases.validate(contact_form(action_taken=" "))) == {"action_taken"}
    assert set(cases.validate(contact_form(action_taken="x" * (LIMITS["action_taken"] + 1)))) == {"action_taken"}
    assert set(cases.validate(contact_form(source="colleague"))) == {"source"}
    assert cases.validate(form(action_taken="")) == {}  # a harassment report does not ask for it

    outcome = submit(database, directory, TA, contact_form(), source="test")

    assert outcome.ok
    assert (outcome.subject.kind, outcome.subject.action_taken) == ("contact", "Declined it and did not reply")
    assert handler_ids(database) == [HEAD]


# --- acknowledge, add_note, close ---------------------------------------------------------------------------------


def test_the_handler_acknowledges_and_the_reporter_is_told(database, directory):
    reported(database, directory)

    outcome = acknowledge(database, directory, 1, HEAD, source="test")

    assert outcome.ok and outcome.subject.status == "acknowledged"
    assert (outcome.subject.acknowledged_by, bool(outcome.subject.acknowledged_at)) == (HEAD, True)
    assert ("case.acknowledged", TA, "CASE-0001") in outbox(database)
    entry = audit(database)[-1]
    assert (entry["actor_id"], entry["action"], entry["from_status"], entry["to_status"], entry["detail"]) == (
        HEAD, "acknowledged", "open", "acknowledged", "")


def test_an_admin_who_is_not_a_handler_may_act(database, directory):
    reported(database, directory)

    assert acknowledge(database, directory, 1, IT).ok
    assert add_note(database, directory, 1, CEO, "Spoke to Hilda").ok
    assert close(database, directory, 1, CEO, "Parent blocked").ok


@pytest.mark.parametrize(("actor", "about"), [
    pytest.param(COLLEAGUE, None, id="a colleague"),
    pytest.param(DSL, None, id="a safeguarding lead the case was not routed to"),
    pytest.param(HR, None, id="hr, when the case did not go to hr"),
    pytest.param(ELM_HEAD, None, id="another academy's head"),
    pytest.param("U0STRANGER", None, id="someone not in the directory"),
    pytest.param(TA, None, id="the reporter"),
    pytest.param(CEO, CEO, id="the person named, although an admin"),
    pytest.param(HEAD, HEAD, id="the person named, although the reporter's manager"),
])
def test_nobody_else_may_acknowledge_note_or_close_and_nothing_changes(database, directory, actor, about):
    reported(database, directory, about_id=about)
    before = snapshot(database)

    for outcome in (acknowledge(database, directory, 1, actor), add_note(database, directory, 1, actor, "A note"),
                    close(database, directory, 1, actor, "Sorted")):
        assert not outcome.ok
        assert outcome.message == REFUSAL
        assert WHAT not in outcome.message
    assert snapshot(database) == before


def test_a_case_that_does_not_exist_cannot_be_acted_on(database, directory):
    for outcome in (acknowledge(database, directory, 9, HEAD), add_note(database, directory, 9, HEAD, "A note"),
                    close(database, directory, 9, HEAD, "Sorted")):
        assert not outcome.ok and outcome.message == "I can't find that case."


def test_a_double_acknowledge_changes_once_and_tells_the_reporter_once(database, directory):
    reported(database, directory, about_id=HEAD)  # two handlers: the CEO and HR

    first = acknowledge(database, directory, 1, CEO)
    second = acknowledge(database, directory, 1, CEO)
    third = acknowledge(database, directory, 1, HR)

    assert first.ok and not second.ok and not third.ok
    assert second.message == "CASE-0001 is already being handled, so nothing has changed."
    assert cases.get(database, 1).acknowledged_by == CEO
    assert [e["action"] for e in audit(database)].count("acknowledged") == 1
    assert [k for k, _, _ in outbox(database)].count("case.acknowledged") == 1


def test_closing_needs_an_outcome_within_its_limit(database, directory):
    reported(database, directory)
    before = snapshot(database)

    empty = close(database, directory, 1, HEAD, "  \n ")
    long = close(database, directory, 1, HEAD, "x" * (LIMITS["outcome"] + 1))

    assert not empty.ok and set(empty.errors) == {"outcome"}
    assert not long.ok and set(long.errors) == {"outcome"}
    assert snapshot(database) == before


def test_closing_stores_the_outcome_and_tells_the_reporter(database, directory):
    reported(database, directory)
    acknowledge(database, directory, 1, HEAD)

    outcome = close(database, directory, 1, HEAD, "  Parent spoken to and has apologised.  ")

    assert outcome.ok
    case = cases.get(database, 1)
    assert (case.status, case.outcome, case.closed_by) == ("closed", "Parent spoken to and has apologised.", HEAD)
    assert ("case.closed", TA, "CASE-0001") in outbox(database)
    assert [(e["action"], e["from_status"], e["to_status"]) for e in audit(database)] == [
        ("reported", None, "open"), ("acknowledged", "open", "acknowledged"), ("closed", "acknowledged", "closed")]


def test_an_open_case_may_be_closed_without_acknowledging_but_a_closed_one_stays_closed(database, directory):
    reported(database, directory)

    assert close(database, directory, 1, HEAD, "Dealt with by phone").ok
    before = snapshot(database)
    again = close(database, directory, 1, CEO, "Something else")
    late_ack = acknowledge(database, directory, 1, HEAD)

    assert not again.ok and again.message == "CASE-0001 is already closed, so nothing has changed."
    assert not late_ack.ok
    assert snapshot(database) == before
    assert cases.get(database, 1).outcome == "Dealt with by phone"


def test_notes_are_stored_in_order_and_audited_without_their_text(database, directory):
    reported(database, directory)

    first = add_note(database, directory, 1, HEAD, "  Called the parent at 10am.  ")
    second = add_note(database, directory, 1, CEO, "Advised Hilda to involve the DSL.")

    assert first.ok and second.ok
    assert [(n["author_id"], n["note"]) for n in cases.notes(database, 1)] == [
        (HEAD, "Called the parent at 10am."), (CEO, "Advised Hilda to involve the DSL.")]
    notes = [e for e in audit(database) if e["action"] == "note added"]
    assert [(e["actor_id"], e["from_status"], e["to_status"], e["detail"]) for e in notes] == [
        (HEAD, "open", "open", ""), (CEO, "open", "open", "")]
    assert cases.get(database, 1).status == "open"  # a note is not an acknowledgement


def test_a_note_on_a_closed_case_is_refused(database, directory):
    reported(database, directory)
    assert close(database, directory, 1, HEAD, "Resolved with the parent.").ok

    late = add_note(database, directory, 1, HEAD, "One more thing")

    assert not late.ok and "already closed" in late.message and set(late.errors) == {"note"}
    assert cases.notes(database, 1) == []


def test_the_register_without_text_leaves_out_every_free_text_field():
    assert not {"platform", "what_happened", "evidence", "happened_when", "action_taken", "outcome",
                "about_id"} & set(CASE_COLUMNS)
    assert {"platform", "what_happened", "about_id"} <= set(CASE_TEXT_COLUMNS)


def test_an_empty_or_overlong_note_is_refused(database, directory):
    reported(database, directory)

    empty = add_note(database, directory, 1, HEAD, " ")
    long = add_note(database, directory, 1, HEAD, "x" * (LIMITS["note"] + 1))

    assert not empty.ok and set(empty.errors) == {"note"}
    assert not long.ok and set(long.errors) == {"note"}
    assert cases.notes(database, 1) == []


def test_the_audit_trail_never_holds_what_anyone_wrote(database, directory):
    reported(database, directory, about_id=COLLEAGUE, pupil_involved=True)
    acknowledge(database, directory, 1, HEAD, source="test")
    add_note(database, directory, 1, HEAD, "Secret note about Jo Bloggs", source="test")
    close(database, directory, 1, HEAD, "Secret outcome about Jo Bloggs", source="test")
    cases.escalate_unacknowledged(database, directory, created_at(database) + 2 * HOURS, HOURS)

    trail = audit(database)
    assert [e["action"] for e in trail] == ["reported", "acknowledged", "note added", "closed"]
    dumped = repr(trail)
    for text in (WHAT, EVIDENCE, "Facebook", "last night", "Jo Bloggs", "Secret", COLLEAGUE):
        assert text not in dumped


# --- escalate_unacknowledged --------------------------------------------------------------------------------------


def escalate(database, directory, after: dt.timedelta, case_id: int = 1) -> list[str]:
    return cases.escalate_unacknowledged(database, directory, created_at(database, case_id) + after, HOURS)


def escalations(database) -> list[tuple[str, str, str]]:
    return [(k, r, s) for k, r, s in outbox(database) if k == "case.escalated"]


def test_nothing_is_escalated_before_the_timeout(database, directory):
    reported(database, directory)
    before = snapshot(database)

    assert escalate(database, directory, HOURS - dt.timedelta(seconds=1)) == []
    assert snapshot(database) == before


def test_after_the_timeout_the_next_person_up_is_added_once_and_the_reporter_told_once(database, directory):
    reported(database, directory)
    now = created_at(database) + HOURS

    assert cases.escalate_unacknowledged(database, directory, now, HOURS) == ["CASE-0001"]
    assert cases.escalate_unacknowledged(database, directory, now, HOURS) == []  # the same instant: once
    assert cases.escalate_unacknowledged(database, directory, now + HOURS / 2, HOURS) == []

    case = cases.get(database, 1)
    assert (case.status, case.escalation_level) == ("open", 1)
    assert [dataclasses.astuple(h) for h in cases.handlers_of(database, 1)] == [
        (HEAD, "manager", 0), (CEO, "next_up", 1)]
    assert ("case.handle", CEO, "CASE-0001") in outbox(database)
    assert escalations(database) == [("case.escalated", TA, "CASE-0001")]
    entry = audit(database)[-1]
    assert (entry["actor_id"], entry["action"], entry["source"], entry["detail"]) == (
        "clock", "escalated to level 1", "clock", "1 more people told")


def test_each_level_is_escalated_once_walking_up_then_hr_then_admins(database, directory):
    reported(database, directory, reporter=ELM_TA)
    start = created_at(database)

    levels = []
    for level in range(1, 5):
        now = start + level * HOURS
        assert cases.escalate_unacknowledged(database, directory, now, HOURS) == ["CASE-0001"]
        assert cases.escalate_unacknowledged(database, directory, now, HOURS) == []
        levels.append([h.person_id for h in cases.handlers_of(database, 1) if h.level == level])

    assert levels == [[EXEC], [CEO], [HR], [IT]]  # the CEO is already a handler, so the other admin
    assert cases.get(database, 1).escalation_level == 4
    assert len(escalations(database)) == 4
    assert len({r["dedupe_key"] for r in rows(database, "SELECT * FROM outbox WHERE kind = 'case.escalated'")}) == 4


def test_when_there_is_nobody_further_up_the_reporter_is_not_told_it_was_escalated(database, directory):
    reported(database, directory)  # HEAD, then CEO, then HR, then IT, then nobody
    for level in range(1, 6):
        escalate(database, directory, level * HOURS)

    assert handler_ids(database) == [HEAD, CEO, HR, IT]
    assert len(escalations(database)) == 3
    assert cases.get(database, 1).escalation_level == 3  # not raised, and no audit row, for nobody to tell
    assert not [row for row in audit(database) if "level 4" in row["action"]]
    assert cases.get(database, 1).status == "open"


def test_the_person_named_is_skipped_when_walking_up(database, directory):
    reported(database, directory, reporter=ELM_TA, about_id=EXEC)
    assert handler_ids(database) == [ELM_HEAD]

    escalate(database, directory, HOURS)
    escalate(database, directory, 2 * HOURS)

    assert handler_ids(database) == [ELM_HEAD, CEO, HR]
    assert EXEC not in {recipient for _, recipient, _ in outbox(database)}


def test_with_nobody_above_but_the_named_person_it_falls_back_to_hr_then_admins(database, directory):
    reported(database, directory, about_id=CEO)  # to the head; above the head is only the CEO
    assert handler_ids(database) == [HEAD]

    escalate(database, directory, HOURS)
    escalate(database, directory, 2 * HOURS)

    assert [dataclasses.astuple(h) for h in cases.handlers_of(database, 1)] == [
        (HEAD, "manager", 0), (HR, "hr", 1), (IT, "admin", 2)]
    assert CEO not in {recipient for _, recipient, _ in outbox(database)}


def test_handlers_are_kept_in_the_order_they_were_routed(database, directory):
    reported(database, directory, about_id=HEAD, pupil_involved=True)

    # Not in the order of their Slack IDs: the manager's manager first, then HR, then the safeguarding lead.
    assert [(h.person_id, h.why) for h in cases.handlers_of(database, 1)] == [
        (CEO, "managers_manager"), (HR, "hr"), (DSL, "safeguarding_lead")]


def test_a_report_about_ones_manager_escalates_up_from_the_managers_manager_not_from_hr(tmp_path, database):
    # HR's Slack ID sorts before the CEO's, and HR has a manager of their own below the CEO.
    trust = TRUST.replace(HR, "U0AHR").replace(f"staff;hr,Trust,{CEO}", "staff;hr,Trust,U0DIR") + \
        f"U0DIR,Dora Director,dora@trust.org.uk,staff;manager,Trust,{CEO}\n"
    directory = directory_from(tmp_path, trust)
    reported(database, directory, about_id=HEAD)
    assert handler_ids(database) == [CEO, "U0AHR"]

    escalate(database, directory, HOURS)

    # Above the CEO there is nobody; HR already has it: the other admin, not HR's own manager (below the CEO).
    assert [h.person_id for h in cases.handlers_of(database, 1) if h.level == 1] == [IT]


def test_a_safeguarding_lead_is_not_where_escalation_starts(database, directory):
    reported(database, directory, reporter=ELM_TA, pupil_involved=True)  # ELM_HEAD and ELM_DSL

    escalate(database, directory, HOURS)

    assert [h.person_id for h in cases.handlers_of(database, 1) if h.level == 1] == [EXEC]


@pytest.mark.parametrize("handle", [
    lambda database, directory: acknowledge(database, directory, 1, HEAD),
    lambda database, directory: close(database, directory, 1, HEAD, "Dealt with"),
], ids=["acknowledged", "closed"])
def test_a_case_someone_has_picked_up_is_not_escalated(database, directory, handle):
    reported(database, directory)
    assert handle(database, directory).ok
    before = snapshot(database)

    assert escalate(database, directory, 10 * HOURS) == []
    assert snapshot(database) == before


def test_an_escalation_counts_its_timeout_from_the_last_escalation(database, directory):
    reported(database, directory)
    escalate(database, directory, HOURS + dt.timedelta(minutes=30))

    assert escalate(database, directory, 2 * HOURS) == []  # only 3h30 since the last escalation
    assert escalate(database, directory, 2 * HOURS + dt.timedelta(minutes=30)) == ["CASE-0001"]


def test_a_case_about_someone_is_never_shown_to_them_as_handled(database, directory):
    reported(database, directory, about_id=HEAD)

    assert [c.reference for c in cases.handled_by(database, CEO)] == ["CASE-0001"]
    assert cases.handled_by(database, HEAD) == []
    assert [c.reference for c in cases.reported_by(database, TA)] == ["CASE-0001"]


# --- the register -------------------------------------------------------------------------------------------------


def register(database, directory, admin: str, with_text: bool = False) -> tuple[str, list[dict]]:
    out = io.StringIO()
    count = write_cases(database, directory, admin, out, with_text=with_text)
    written = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(written)
    return out.getvalue(), written


@pytest.mark.parametrize("person", [TA, HEAD, HR, DSL, "U0STRANGER", ""])
def test_only_an_admin_may_export_the_register(database, directory, person):
    reported(database, directory)

    with pytest.raises(PermissionError):
        write_cases(database, directory, person, io.StringIO())


def test_the_register_leaves_out_free_text_unless_asked(database, directory):
    reported(database, directory, about_id=COLLEAGUE, pupil_involved=True)
    acknowledge(database, directory, 1, HEAD)
    close(database, directory, 1, HEAD, "Parent spoken to by Hilda")

    text, [row] = register(database, directory, CEO)

    assert list(row) == CASE_COLUMNS
    assert (row["reference"], row["kind"], row["status"], row["reporter_name"], row["source"]) == (
        "CASE-0001", "Threats, abuse or harassment", "closed", "Tara Assistant", "parent")
    assert (row["pupil_involved"], row["ongoing"], row["acknowledged_by"]) == ("yes", "yes", HEAD)
    assert row["handlers"] == "Hilda Head; Dev Safeguarding"
    for secret in (WHAT, "Jo Bloggs", EVIDENCE, "last night", "Parent spoken to", COLLEAGUE):
        assert secret not in text

    text, [row] = register(database, directory, CEO, with_text=True)

    assert list(row) == CASE_COLUMNS + CASE_TEXT_COLUMNS
    assert (row["what_happened"], row["evidence"], row["about_id"], row["outcome"]) == (
        WHAT, EVIDENCE, COLLEAGUE, "Parent spoken to by Hilda")


def test_the_register_leaves_out_cases_about_the_admin_asking(database, directory):
    reported(database, directory)
    reported(database, directory, about_id=CEO)
    reported(database, directory, reporter=HEAD, about_id=IT)

    _, for_ceo = register(database, directory, CEO)
    _, for_it = register(database, directory, IT)

    assert [r["reference"] for r in for_ceo] == ["CASE-0001", "CASE-0003"]
    assert [r["reference"] for r in for_it] == ["CASE-0001", "CASE-0002"]


def test_export_cases_from_the_command_line_for_an_admin_only(tmp_path, database, directory):
    reported(database, directory, pupil_involved=True)
    staff = tmp_path / "staff.csv"
    env = {**os.environ, "DATABASE_PATH": str(database.path), "STAFF_DIRECTORY": str(staff),
           "PYTHONIOENCODING": "utf-8", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}

    def export(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "bot.py", "export", "cases", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)

    result = export("--admin", CEO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(CASE_COLUMNS)
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["reference"], row["handlers"]) == ("CASE-0001", "Hilda Head; Dev Safeguarding")
    assert WHAT not in result.stdout + result.stderr

    with_text = export("--admin", CEO, "--with-text")
    assert with_text.returncode == 0, with_text.stderr
    assert list(csv.DictReader(io.StringIO(with_text.stdout)))[0]["what_happened"] == WHAT

    for refused in (export("--admin", TA), export()):
        assert refused.returncode == 2
        assert refused.stdout == ""
        assert "--admin" in refused.stderr
        assert WHAT not in refused.stderr


# --- what the reporter reads (blocks/cases.py) ---------------------------------------------------------------------


def test_the_receipt_never_says_a_report_reached_someone_slack_has_not_taken_it_to(database, directory):
    case = reported(database, directory)
    handlers = [("Hilda Head", "manager")]

    text, blocks = receipt(case, handlers)
    assert "has gone privately to: Hilda Head (your Head Teacher / Manager)" in text
    assert "hasn't reached" not in repr(blocks)

    text, blocks = receipt(case, handlers, not_reached=["Hilda Head"])
    assert "is going privately to: Hilda Head" in text and "has gone" not in text
    assert "It hasn't reached Hilda Head yet" in blocks[1]["text"]["text"]


def test_a_notice_escapes_its_block_and_leaves_its_text_plain_for_sending():
    text, [block] = notice("The outcome: <!channel> & <@U123>")

    assert block["text"]["text"] == "The outcome: &lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert text == "The outcome: <!channel> & <@U123>"  # SlackDelivery.send escapes every message's text once


def test_a_report_of_only_invisible_characters_is_not_taken_as_saying_something():
    errors = cases.validate(form(what_happened="\u200b\u200d\u2060\ufeff  "))
    assert errors["what_happened"] == "Please fill this in."


@pytest.mark.parametrize("text", ["CASE-" + "9" * 40, "CASE-١٢", "CASE-", "CASE-12x"])
def test_a_case_reference_that_cannot_exist_is_simply_not_one(text):
    assert cases.parse_reference(text) is None
