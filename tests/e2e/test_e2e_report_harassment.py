"""/report-harassment end to end, as people use it: the whole bot over HTTP, Slack-signed requests, the fake Web
API, a real SQLite file and a staff directory CSV.

Tara is a teaching assistant at Oakfield; Hilda, her head teacher, handles her reports. Carl, the CEO, manages
Hilda and is an admin; Hana is HR. Dev is Oakfield's safeguarding lead, Elsie is Elmwood's. Cath is a colleague
of Tara's with no part in any report.
"""

import datetime as dt
import json
import logging
import re
import sqlite3
from urllib.parse import parse_qs

import pytest
import signing
from fake_slack import RESPONSE_URL, find_button
from slack_messages import as_message, buttons, click, delivered, dms, next_call, opened, reply_to, type_command, words

from blocks import ids
from blocks.cases import SAFEGUARDING_REMINDER
from clock import Clock
from workflows import cases
from workflows.cases import NOT_IN_DIRECTORY, REFUSAL

TA, HEAD, CEO, HR, DSL, ELM_DSL, COLLEAGUE, STRANGER = (
    "U0TA", "U0HEAD", "U0CEO", "U0HR", "U0DSL", "U0ELMDSL", "U0COLL", "U0STRANGER")
STAFF_CSV = """slack_id,name,email,roles,academy,manager_slack_id
U0TA,Tara Assistant,tara@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
U0HEAD,Hilda Head,head@oakfield.sch.uk,staff;manager,Oakfield Academy,U0CEO
U0CEO,Carl Chief,ceo@trust.org.uk,staff;manager;admin,The Trust,
U0HR,Hana Hughes,hr@trust.org.uk,staff;hr,The Trust,U0CEO
U0DSL,Dev Safeguarding,dsl@oakfield.sch.uk,staff;safeguarding_lead,Oakfield Academy,U0HEAD
U0ELMDSL,Elsie Safeguarding,dsl@elmwood.sch.uk,staff;safeguarding_lead,Elmwood Academy,U0CEO
U0COLL,Cath Colleague,cath@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
"""
WHAT = "A parent keeps messaging me on Facebook, calling me a disgrace"
INJECTION = "<!channel> <!here> <@U123> <#C0STAFFRM> <https://evil.example|click> Q&A & more &amp; <b>"
MENTIONS = ("<!channel>", "<!here>", "<@U123>", "<#C0STAFFRM>", "<https://evil.example")


# --- doing what people do -------------------------------------------------------------------------------------------


def slash(bot, text: str, user: str = TA, response_id: str = "command") -> tuple[int, str, str]:
    return type_command(bot, "/report-harassment", text, user, response_id)


def open_form(bot, text: str = "", user: str = TA) -> dict:
    before = len(bot.fake.calls("views.open"))
    status, reply, trigger_id = slash(bot, text, user)
    assert (status, reply) == (200, "")  # nothing said in the channel: the modal is the reply
    call = next_call(bot, "views.open", before)
    assert call.params["trigger_id"] == trigger_id
    return opened(call)


def report_answers(**changes) -> dict:
    """A report as Tara would fill it in: a parent, on Facebook, still going on."""
    return {"what_happened": WHAT, "source": "parent", "platform": "Facebook",
            "happened_when": "last night about 9pm",
            "evidence": "facebook.com/messages/t/123, screenshots saved", "ongoing": "yes"} | changes


def submit(bot, view: dict, filled: dict, user: str = TA) -> tuple[int, dict | None]:
    """Press the modal's submit button; Slack's status and what the bot answered (None: close the modal)."""
    body = signing.view_submission(view, signing.form_state(view, filled), user=user)
    status, reply = bot.post(body, signing.FORM)
    return status, json.loads(reply) if reply else None


def settled(bot, user: str = TA) -> None:
    """Wait until the submit listener has finished: its last step is publishing the reporter's App Home."""
    bot.fake.wait_for("views.publish", where=lambda c: c.params.get("user_id") == user)


def report(bot, user: str = TA, **changes) -> None:
    """Tara opens the form with /report-harassment and sends it; waits until the bot has done with it."""
    status, reply = submit(bot, open_form(bot, user=user), report_answers(**changes), user=user)
    assert (status, reply) == (200, None)
    settled(bot, user)


def case_row(bot, case_id: int = 1) -> dict:
    [row] = bot.rows("SELECT * FROM cases WHERE id = ?", (case_id,))
    return row


def addressed_to(call) -> set[str]:
    """Every person or conversation a call is addressed to."""
    params = call.params
    found = {str(params[name]) for name in ("channel", "user", "user_id") if params.get(name)}
    found |= set(str(params.get("users", "")).split(",")) - {""}
    return found


def with_sql(bot, sql: str, params: tuple = ()) -> None:
    """Change the bot's SQLite file directly: how a test moves time on."""
    connection = sqlite3.connect(bot.services.settings.database_path)
    try:
        connection.execute(sql, params)
        connection.commit()
    finally:
        connection.close()


def audit_actions(bot, reference: str = "CASE-0001") -> list[str]:
    return [r["action"] for r in bot.rows("SELECT action FROM audit_log WHERE subject = ? ORDER BY id", (reference,))]


# --- opening the form -------------------------------------------------------------------------------------------------


def test_the_command_opens_the_report_form_prefilled_and_says_nothing_in_the_channel(bot):
    view = open_form(bot, "a parent keeps messaging me &amp; won't stop")

    assert view["callback_id"] == ids.REPORT_FORM
    [what] = [b for b in view["blocks"] if b.get("block_id") == "what_happened"]
    assert what["element"]["initial_value"] == "a parent keeps messaging me & won't stop"  # as typed
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["what_happened", "source", "about", "platform", "happened_when", "evidence", "ongoing",
                      "safeguarding"]
    assert "not anonymous" in json.dumps(view)
    assert "Screenshot it first" in json.dumps(view)
    assert bot.fake.calls("chat.postMessage") == [] and bot.fake.calls(RESPONSE_URL) == []
    assert bot.rows("SELECT * FROM cases") == []  # nothing is stored until it is sent


def test_when_the_form_cannot_open_the_reporter_is_told_to_go_to_their_manager_directly(bot):
    bot.fake.fail_next("views.open", error="expired_trigger_id")

    status, _, _ = slash(bot, "a parent keeps messaging me")

    assert status == 200
    [sorry] = bot.fake.wait_for(RESPONSE_URL)
    assert sorry.params["response_type"] == "ephemeral"
    assert "tell your Head Teacher / Manager directly now" in sorry.params["text"]
    assert bot.rows("SELECT * FROM cases") == []


def test_someone_not_in_the_directory_is_told_who_to_contact_and_no_form_opens(bot):
    status, reply, _ = slash(bot, "a parent keeps messaging me", user=STRANGER)

    assert status == 200
    answer = json.loads(reply)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == NOT_IN_DIRECTORY
    assert "Head Teacher / Manager" in answer["text"]
    bot.fake.assert_no_more_calls(within=0.3)
    assert [c.method for c in bot.fake.outgoing()] == []


# --- a report about a parent --------------------------------------------------------------------------------------


def test_a_report_about_a_parent_reaches_the_head_privately_and_tara_gets_a_receipt(bot):
    report(bot)

    [head] = dms(bot, HEAD)
    [receipt] = dms(bot, TA)
    said = words(head)
    for detail in (WHAT, "A parent or family member", "Facebook", "last night about 9pm",
                   "facebook.com/messages/t/123", "Still happening:* yes", "Tara Assistant", "CASE-0001"):
        assert detail in said, detail
    assert "Confidential" in head.params["text"] and WHAT not in head.params["text"]
    assert buttons(head.params["blocks"]) == [ids.ACKNOWLEDGE_CASE, ids.ADD_CASE_NOTE, ids.CLOSE_CASE]
    assert [b["text"]["text"] for b in find_button(head.params["blocks"], ids.CLOSE_CASE)[0]["elements"]] == [
        "Acknowledge", "Add note", "Close with outcome"]
    assert "CASE-0001" in receipt.params["text"] and "Hilda Head" in receipt.params["text"]
    assert "your Head Teacher / Manager" in words(receipt)
    assert "has gone privately to" in words(receipt) and "hasn't reached" not in words(receipt)
    assert SAFEGUARDING_REMINDER not in words(receipt)
    # Only ever to the people involved, never a channel: every message went to Hilda or Tara by their user ID.
    assert {c.params["channel"] for c in bot.fake.calls("chat.postMessage")} == {HEAD, TA}
    for call in bot.fake.outgoing():
        assert addressed_to(call) <= {HEAD, TA}, call
        assert call.method in ("views.open", "chat.postMessage", "views.publish"), call.method
    row = case_row(bot)
    assert (row["status"], row["reporter_id"], row["what_happened"], row["source"]) == ("open", TA, WHAT, "parent")


def test_a_report_about_ones_own_manager_never_reaches_them(bot):
    report(bot, source="colleague", about=HEAD)

    [ceo] = dms(bot, CEO)
    [hr] = dms(bot, HR)
    [receipt] = dms(bot, TA)
    assert "Hilda Head" in words(ceo) and WHAT in words(ceo)  # the people handling it know who it is about
    assert WHAT in words(hr)
    assert "Carl Chief" in words(receipt) and "Hana Hughes" in words(receipt)
    assert "Hilda" not in words(receipt)
    bot.fake.assert_no_more_calls(within=0.3)
    for call in bot.fake.outgoing():
        assert HEAD not in addressed_to(call), call
    assert case_row(bot)["about_id"] == HEAD


def test_a_report_about_a_pupil_also_reaches_the_academys_safeguarding_lead(bot):
    report(bot, source="pupil", safeguarding=["pupil_involved", "child_at_risk"])

    [head] = dms(bot, HEAD)
    [dsl] = dms(bot, DSL)
    [receipt] = dms(bot, TA)
    assert "a pupil is involved, a child may be at risk" in words(head)
    assert WHAT in words(dsl) and "your academy's safeguarding lead" in words(dsl)
    assert SAFEGUARDING_REMINDER in words(receipt)
    assert "Dev Safeguarding" in words(receipt)
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.3)
    assert {c.params["channel"] for c in bot.fake.calls("chat.postMessage")} == {HEAD, DSL, TA}
    assert all(ELM_DSL not in addressed_to(call) for call in bot.fake.outgoing())


# --- handling it ------------------------------------------------------------------------------------------------


def test_an_outsider_clicking_the_buttons_is_refused_politely_and_nothing_changes(bot):
    report(bot)
    [head] = dms(bot, HEAD)
    before = (case_row(bot), audit_actions(bot), len(bot.fake.outgoing()))

    click(bot, as_message(head), ids.ACKNOWLEDGE_CASE, user=COLLEAGUE, response_id="ack")
    click(bot, as_message(head), ids.ADD_CASE_NOTE, user=COLLEAGUE, response_id="note")
    click(bot, as_message(head), ids.CLOSE_CASE, user=TA, response_id="close")  # not the reporter either

    for response_id in ("ack", "note", "close"):
        said = reply_to(bot, response_id)
        assert said == REFUSAL
        assert WHAT not in said
    bot.fake.assert_no_more_calls(within=0.3)
    assert (case_row(bot), audit_actions(bot)) == before[:2]
    assert [c.method for c in bot.fake.outgoing()[before[2]:]] == [RESPONSE_URL] * 3


def test_the_head_acknowledges_then_notes_then_closes_and_tara_is_told_each_time(bot):
    report(bot)
    [head] = dms(bot, HEAD)
    head_message = as_message(head)

    click(bot, head_message, ids.ACKNOWLEDGE_CASE, user=HEAD)

    [_, acknowledged] = dms(bot, TA, count=2)
    assert "Hilda Head has picked up your report CASE-0001" in words(acknowledged)
    [update] = bot.fake.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (HEAD, head.response["ts"])
    assert ids.ACKNOWLEDGE_CASE not in buttons(update.params["blocks"])
    assert buttons(update.params["blocks"]) == [ids.ADD_CASE_NOTE, ids.CLOSE_CASE]
    assert "Acknowledged* by Hilda Head" in words(update)
    assert case_row(bot)["status"] == "acknowledged"

    # A double click on the old message (or Slack retrying it) changes nothing and tells Tara nothing more.
    click(bot, head_message, ids.ACKNOWLEDGE_CASE, user=HEAD, response_id="again")
    assert "already being handled" in reply_to(bot, "again")
    assert len(bot.fake.calls("chat.update")) == 1
    assert len(delivered(bot, TA)) == 2 and audit_actions(bot) == ["reported", "acknowledged"]

    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(update), ids.ADD_CASE_NOTE, user=HEAD)
    note_form = opened(next_call(bot, "views.open", before))
    assert note_form["callback_id"] == ids.CASE_NOTE_FORM and note_form["private_metadata"] == "1"
    assert submit(bot, note_form, {ids.CASE_NOTE: "Phoned the parent, who has agreed to stop."}, user=HEAD) == (
        200, None)
    assert [(n["author_id"], n["note"]) for n in bot.rows("SELECT * FROM case_notes")] == [
        (HEAD, "Phoned the parent, who has agreed to stop.")]

    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(update), ids.CLOSE_CASE, user=HEAD)
    close_form = opened(next_call(bot, "views.open", before))
    assert close_form["callback_id"] == ids.CASE_CLOSE_FORM
    status, errors = submit(bot, close_form, {ids.CASE_OUTCOME: "   "}, user=HEAD)
    assert status == 200 and errors["response_action"] == "errors" and ids.CASE_OUTCOME in errors["errors"]
    assert case_row(bot)["status"] == "acknowledged"
    assert submit(bot, close_form, {ids.CASE_OUTCOME: "Parent spoken to and has apologised."}, user=HEAD) == (
        200, None)

    [_, _, closed] = dms(bot, TA, count=3)
    assert "closed by Hilda Head" in words(closed)
    assert "The outcome: Parent spoken to and has apologised." in words(closed)
    [_, final] = bot.fake.wait_for("chat.update", count=2)
    assert buttons(final.params["blocks"]) == []
    assert "Parent spoken to and has apologised." in words(final)
    assert audit_actions(bot) == ["reported", "acknowledged", "note added", "closed"]
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.3)
    assert {c.params["channel"] for c in bot.fake.calls("chat.postMessage")} == {HEAD, TA}


def test_an_admin_not_routed_the_case_may_act_on_it(bot):
    report(bot)
    [head] = dms(bot, HEAD)

    click(bot, as_message(head), ids.ACKNOWLEDGE_CASE, user=CEO)

    [_, acknowledged] = dms(bot, TA, count=2)
    assert "Carl Chief has picked up your report" in words(acknowledged)


# --- time passing -------------------------------------------------------------------------------------------------


def test_a_report_nobody_acknowledges_in_time_goes_to_the_next_person_up(bot):
    report(bot)
    dms(bot, HEAD)
    hours = bot.services.settings.case_acknowledge_hours
    clock = Clock(bot.delivery)

    assert clock.run_due() is not None
    assert delivered(bot, CEO) == []  # not yet

    earlier = dt.datetime.fromisoformat(case_row(bot)["created_at"]) - dt.timedelta(hours=hours, minutes=1)
    with_sql(bot, "UPDATE cases SET created_at = ? WHERE id = 1", (earlier.isoformat(timespec="seconds"),))

    clock.run_due()
    clock.run_due()  # a second tick at (nearly) the same time escalates nothing more

    [ceo] = dms(bot, CEO)
    assert WHAT in words(ceo) and "the next person up" in words(ceo)
    assert buttons(ceo.params["blocks"])[0] == ids.ACKNOWLEDGE_CASE
    [_, escalated] = dms(bot, TA, count=2)
    assert "passed it to the next person up" in words(escalated)
    assert len(delivered(bot, TA)) == 2 and len(delivered(bot, HEAD)) == 1
    assert case_row(bot)["escalation_level"] == 1
    assert "escalated to level 1" in audit_actions(bot)

    # Carl picks it up: both his message and Hilda's show it, and Tara is told.
    click(bot, as_message(ceo), ids.ACKNOWLEDGE_CASE, user=CEO)
    [_, _, acknowledged] = dms(bot, TA, count=3)
    assert "Carl Chief has picked up your report" in words(acknowledged)
    updates = bot.fake.wait_for("chat.update", count=2)
    assert {u.params["channel"] for u in updates} == {HEAD, CEO}
    assert all(ids.ACKNOWLEDGE_CASE not in buttons(u.params["blocks"]) for u in updates)


def test_each_level_up_is_told_once_and_tara_is_told_once_per_level(bot):
    report(bot)
    dms(bot, HEAD)
    timeout = dt.timedelta(hours=bot.services.settings.case_acknowledge_hours)
    created = dt.datetime.fromisoformat(case_row(bot)["created_at"])
    database, directory = bot.services.database, bot.services.directory.current()

    assert cases.escalate_unacknowledged(database, directory, created + timeout / 2, timeout) == []
    for level, (now, person) in enumerate([(created + timeout, CEO), (created + 2 * timeout, HR)], start=1):
        assert cases.escalate_unacknowledged(database, directory, now, timeout) == ["CASE-0001"]
        assert cases.escalate_unacknowledged(database, directory, now, timeout) == []  # the same instant: once
        bot.delivery.deliver_due()
        bot.delivery.deliver_due()

        [handler] = dms(bot, person)
        assert WHAT in words(handler)
        told = dms(bot, TA, count=1 + level)
        assert "passed it to the next person up" in words(told[-1])
        bot.fake.assert_no_more_calls("chat.postMessage", within=0.2)
        assert len(delivered(bot, TA)) == 1 + level

    assert {c.params["channel"] for c in bot.fake.calls("chat.postMessage")} == {HEAD, CEO, HR, TA}


@pytest.mark.parametrize(("status", "headers"), [
    pytest.param(429, {"Retry-After": "0"}, id="rate limited"),
    pytest.param(500, {}, id="server error"),
])
def test_the_heads_message_fails_once_then_arrives_once_and_tara_is_told(bot, status, headers):
    bot.fake.fail_next("chat.postMessage", status=status, headers=headers)  # the first message: Hilda's

    report(bot)

    [failed] = dms(bot, HEAD)
    assert failed.status == status
    [receipt] = dms(bot, TA)
    assert "CASE-0001" in words(receipt)
    assert "It hasn't reached Hilda Head yet" in words(receipt)  # never told it is with her when it is not
    assert "has gone privately" not in words(receipt)
    [row] = bot.rows("SELECT * FROM outbox WHERE kind = 'case.handle'")
    assert (row["status"], row["attempts"]) == ("pending", 1)
    # The clock's next tick comes later; the retry's time (Retry-After, or the backoff) is brought forward to now.
    with_sql(bot, "UPDATE outbox SET next_attempt_at = created_at WHERE status = 'pending'")

    bot.delivery.deliver_due()

    [_, arrived] = dms(bot, HEAD, count=2)
    assert arrived.status == 200 and arrived.params["blocks"] == failed.params["blocks"]
    [_, reached] = dms(bot, TA, count=2)
    assert "has now reached the people handling it" in words(reached)
    bot.delivery.deliver_due()
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.3)
    assert len(delivered(bot, HEAD)) == 1 and len(delivered(bot, TA)) == 2
    assert bot.rows("SELECT * FROM outbox WHERE status = 'pending'") == []


# --- bad input ----------------------------------------------------------------------------------------------------


def test_a_report_full_of_mentions_is_stored_as_typed_and_never_pings_anyone(bot):
    nasty = {name: f"{name} {INJECTION}" for name in ("what_happened", "happened_when", "evidence")}
    report(bot, platform="Face&book <!here>", **nasty)
    [head] = dms(bot, HEAD)
    row = case_row(bot)
    assert row["what_happened"] == f"what_happened {INJECTION}"
    assert row["evidence"] == f"evidence {INJECTION}"
    assert row["platform"] == "Face&book <!here>"
    assert "what_happened &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;" in words(head)
    assert "Q&amp;A &amp; more &amp;amp; &lt;b&gt;" in words(head)

    click(bot, as_message(head), ids.ACKNOWLEDGE_CASE, user=HEAD)
    dms(bot, TA, count=2)
    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(head), ids.ADD_CASE_NOTE, user=HEAD)
    note_form = opened(next_call(bot, "views.open", before))
    assert submit(bot, note_form, {ids.CASE_NOTE: f"note {INJECTION}"}, user=HEAD) == (200, None)
    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(head), ids.CLOSE_CASE, user=HEAD)
    close_form = opened(next_call(bot, "views.open", before))
    assert submit(bot, close_form, {ids.CASE_OUTCOME: f"outcome {INJECTION}"}, user=HEAD) == (200, None)
    [*_, closed] = dms(bot, TA, count=3)
    bot.fake.wait_for("chat.update", count=2)

    assert bot.rows("SELECT note FROM case_notes") == [{"note": f"note {INJECTION}"}]
    assert case_row(bot)["outcome"] == f"outcome {INJECTION}"
    assert "outcome &lt;!channel&gt;" in words(closed)
    for call in bot.fake.outgoing():
        if call.method == "views.open":
            continue  # a modal's own text inputs: plain text, never read as mentions
        sent = call.dumped
        for mention in MENTIONS:
            assert mention not in sent, (call.method, mention)
        assert not re.search(r"&(?!amp;|lt;|gt;)", sent), (call.method, sent)


# --- recording a contact (5.2) ------------------------------------------------------------------------------------


def test_a_contact_is_recorded_on_the_shorter_form_and_reaches_the_manager(bot):
    view = open_form(bot, "contact a Year 10 sent me a follow request on Instagram")

    assert view["callback_id"] == ids.CONTACT_FORM
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        "what_happened", "source", "platform", "action_taken", "safeguarding"]
    [what] = [b for b in view["blocks"] if b.get("block_id") == "what_happened"]
    assert what["element"]["initial_value"] == "a Year 10 sent me a follow request on Instagram"

    status, reply = submit(bot, view, {"source": "pupil", "platform": "Instagram"})
    assert status == 200 and set(reply["errors"]) == {"action_taken"}  # what did you do?
    assert bot.rows("SELECT * FROM cases") == []

    status, reply = submit(bot, view, {"source": "pupil", "platform": "Instagram",
                                       "action_taken": "Declined it and did not reply"})
    assert (status, reply) == (200, None)
    [head] = dms(bot, HEAD)
    [receipt] = dms(bot, TA)
    assert "a record of online contact from a pupil or parent" in words(head)
    assert "Declined it and did not reply" in words(head) and "A pupil" in words(head)
    assert buttons(head.params["blocks"]) == [ids.ACKNOWLEDGE_CASE, ids.ADD_CASE_NOTE, ids.CLOSE_CASE]
    assert "CASE-0001" in words(receipt) and "Hilda Head" in words(receipt)
    assert (case_row(bot)["kind"], case_row(bot)["action_taken"]) == ("contact", "Declined it and did not reply")
    assert {c.params["channel"] for c in bot.fake.calls("chat.postMessage")} == {HEAD, TA}


def test_a_report_missing_what_happened_is_sent_back_with_the_field_to_fix(bot):
    view = open_form(bot)

    status, reply = submit(bot, view, report_answers(what_happened="", platform=""))

    assert status == 200 and reply["response_action"] == "errors"
    assert set(reply["errors"]) == {"what_happened", "platform"}
    assert bot.rows("SELECT * FROM cases") == [] and bot.fake.calls("chat.postMessage") == []


# --- from a /policy answer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "action_id", "label", "callback_id"), [
    pytest.param("a parent is abusing me on facebook", ids.OPEN_REPORT_FORM, "Report it confidentially",
                 ids.REPORT_FORM, id="harassment"),
    pytest.param("a pupil messaged me on instagram", ids.OPEN_CONTACT_FORM, "Record the contact",
                 ids.CONTACT_FORM, id="contact"),
])
def test_a_policy_answer_offers_the_right_form(bot, question, action_id, label, callback_id):
    status, reply, _ = slash_policy(bot, question)
    assert status == 200
    answer = json.loads(reply)
    assert answer["response_type"] == "ephemeral"
    _, button = find_button(answer["blocks"], action_id)
    assert button["text"]["text"] == label

    message = {"type": "message", "ts": "1700000000.000009", "text": answer["text"], "blocks": answer["blocks"]}
    click(bot, message, action_id, user=TA, channel=signing.STAFFROOM, is_ephemeral=True)

    [form] = bot.fake.wait_for("views.open")
    assert form.params["view"]["callback_id"] == callback_id


def test_someone_not_in_the_directory_clicking_report_is_told_who_to_contact(bot):
    _, reply, _ = slash_policy(bot, "a parent is abusing me on facebook", user=STRANGER)
    answer = json.loads(reply)
    message = {"type": "message", "ts": "1700000000.000009", "text": answer["text"], "blocks": answer["blocks"]}

    click(bot, message, ids.OPEN_REPORT_FORM, user=STRANGER, channel=signing.STAFFROOM, is_ephemeral=True,
          response_id="stranger")

    assert reply_to(bot, "stranger") == NOT_IN_DIRECTORY
    bot.fake.assert_no_more_calls(within=0.3)
    assert bot.fake.calls("views.open") == []


def slash_policy(bot, question: str, user: str = TA) -> tuple[int, str, str]:
    body = signing.slash_command("/policy", question, bot.fake.response_url("policy"), user=user)
    status, reply = bot.post(body, signing.FORM)
    return status, reply, parse_qs(body)["trigger_id"][0]


# --- the App Home -------------------------------------------------------------------------------------------------


def test_the_app_home_shows_handlers_their_cases_but_never_the_person_named(bot):
    report(bot, source="colleague", about=HEAD)
    dms(bot, CEO)

    for user in (CEO, HEAD, TA):
        bot.send_event(signing.app_home_opened(user=user))
    homes = {user: bot.fake.wait_for("views.publish", where=lambda c, u=user: c.params["user_id"] == u)[-1]
             for user in (CEO, HEAD, TA)}

    assert "CASE-0001" in json.dumps(homes[CEO].params["view"])
    assert ids.ACKNOWLEDGE_CASE in buttons(homes[CEO].params["view"]["blocks"])
    assert "Your report *CASE-0001*" in json.dumps(homes[TA].params["view"])
    assert "CASE-0001" not in json.dumps(homes[HEAD].params["view"])


# --- confidentiality in the logs ----------------------------------------------------------------------------------


def test_no_log_line_holds_what_anyone_wrote(bot, caplog):
    caplog.set_level(logging.INFO)
    secrets = {"what_happened": "SECRET-WHAT Jo Bloggs in 9C", "platform": "SECRET-PLATFORM",
               "happened_when": "SECRET-WHEN", "evidence": "SECRET-EVIDENCE"}
    bot.fake.fail_next("chat.postMessage", status=500)  # a failure is logged too, still without the text

    report(bot, source="pupil", safeguarding=["child_at_risk"], **secrets)
    with_sql(bot, "UPDATE outbox SET next_attempt_at = created_at WHERE status = 'pending'")
    bot.delivery.deliver_due()
    [_, head] = dms(bot, HEAD, count=2)
    click(bot, as_message(head), ids.ACKNOWLEDGE_CASE, user=HEAD)
    click(bot, as_message(head), ids.ACKNOWLEDGE_CASE, user=COLLEAGUE, response_id="outsider")
    reply_to(bot, "outsider")
    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(head), ids.ADD_CASE_NOTE, user=HEAD)
    note_form = opened(next_call(bot, "views.open", before))
    submit(bot, note_form, {ids.CASE_NOTE: "SECRET-NOTE"}, user=HEAD)
    before = len(bot.fake.calls("views.open"))
    click(bot, as_message(head), ids.CLOSE_CASE, user=HEAD)
    close_form = opened(next_call(bot, "views.open", before))
    submit(bot, close_form, {ids.CASE_OUTCOME: "SECRET-OUTCOME"}, user=HEAD)
    bot.fake.wait_for("chat.update", count=2)
    bot.finish_listeners()

    assert "CASE-0001" in caplog.text  # failures are logged by reference
    assert "SECRET" not in caplog.text and "Jo Bloggs" not in caplog.text
    assert case_row(bot)["status"] == "closed"
