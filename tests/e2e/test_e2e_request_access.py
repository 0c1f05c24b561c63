"""/request-access end to end, as people click it: the whole bot over HTTP, Slack-signed requests, the fake Web API,
a real SQLite file and a staff directory CSV.

Tom teaches at Oakfield; Hilda is his head teacher; Carl, the CEO, manages Hilda and is an admin; Hana is HR;
Cath is a colleague of Tom's with no part in his request.
"""

import datetime as dt
import json
from urllib.parse import parse_qs

import pytest
import signing
from fake_slack import RESPONSE_URL, find_button
from slack_messages import as_message, buttons, click, dms, next_call, opened, reply_to, type_command, words

from blocks import ids
from workflows.access_requests import NOT_IN_DIRECTORY
from workflows.outbox import backoff, deliver_due
from workflows.timekeeping import long_date

TEACHER, HEAD, CEO, HR, COLLEAGUE, STRANGER = "U0TEACH", "U0HEAD", "U0CEO", "U0HR", "U0COLL", "U0STRANGER"
STAFF_CSV = """slack_id,name,email,roles,academy,manager_slack_id
U0TEACH,Tom Teacher,tom@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
U0HEAD,Hilda Head,head@oakfield.sch.uk,staff;manager,Oakfield Academy,U0CEO
U0CEO,Carl Chief,ceo@trust.org.uk,staff;manager;admin,The Trust,
U0HR,Hana Hughes,hr@trust.org.uk,staff;hr,The Trust,U0CEO
U0COLL,Cath Colleague,cath@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
"""
PURPOSE = "run the PE insta"


# --- doing what people do -------------------------------------------------------------------------------------------


def slash(bot, text: str, user: str = TEACHER, response_id: str = "command") -> tuple[int, str, str]:
    return type_command(bot, "/request-access", text, user, response_id)


def open_form(bot, text: str = PURPOSE, user: str = TEACHER) -> dict:
    before = len(bot.fake.calls("views.open"))
    status, reply, trigger_id = slash(bot, text, user)
    assert (status, reply) == (200, "")
    call = next_call(bot, "views.open", before)
    assert call.params["trigger_id"] == trigger_id
    return opened(call)


def answers(bot, **changes) -> dict:
    """A sensible request, as a teacher would fill the form in (the purpose is prefilled from the command)."""
    filled = {"platform": "Instagram", "account": "@oakfield_pe", "audience": "Year 10 and 11 PE groups",
              "pupils": "under_16", "consent": "obtained", "devices": ["yes"],
              "ends_on": bot.services.today() + dt.timedelta(days=90)}
    return filled | changes


def submit(bot, view: dict, filled: dict, user: str = TEACHER) -> tuple[int, dict | None]:
    """Press the modal's submit button; Slack's status and what the bot answered (None: close the modal)."""
    body = signing.view_submission(view, signing.form_state(view, filled), user=user)
    status, reply = bot.post(body, signing.FORM)
    return status, json.loads(reply) if reply else None


def dm_count(bot, user: str) -> int:
    return len([c for c in bot.fake.calls("chat.postMessage") if c.params.get("channel") == user])


def request_access(bot, **changes) -> tuple[dict, dict]:
    """Tom asks for permission; the head's message and Tom's receipt, once both have arrived."""
    status, reply = submit(bot, open_form(bot), answers(bot, **changes))
    assert (status, reply) == (200, None)
    [head] = dms(bot, HEAD)
    [receipt] = dms(bot, TEACHER)
    return as_message(head), as_message(receipt)


def request(bot, request_id: int = 1) -> dict:
    [row] = bot.rows("SELECT * FROM access_requests WHERE id = ?", (request_id,))
    return row


def audit(bot, reference: str = "REQ-0001") -> list[tuple[str, str]]:
    return [(r["action"], r["actor_id"]) for r in bot.rows("SELECT * FROM audit_log WHERE subject = ? ORDER BY id",
                                                          (reference,))]


def updates_of(bot, message: dict) -> list:
    return [c for c in bot.fake.calls("chat.update") if c.params.get("ts") == message["ts"]]


# --- asking -------------------------------------------------------------------------------------------------------


def test_the_command_opens_the_form_prefilled_with_what_was_typed(bot):
    view = open_form(bot, PURPOSE)

    assert view["type"] == "modal" and view["callback_id"] == ids.REQUEST_FORM
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert set(inputs) == set(ids.REQUEST_FIELDS)
    assert inputs["purpose"]["element"]["initial_value"] == PURPOSE
    assert inputs["kind"]["element"]["initial_option"]["value"] == "work_use"
    assert inputs["starts_on"]["element"]["initial_date"] == bot.services.today().isoformat()
    assert "initial_date" not in inputs["ends_on"]["element"]  # the end date is the requester's to choose
    explained = json.dumps(view)
    for section in ("5.3", "5.5", "5.6"):
        assert f"section {section}" in explained  # each question says why it is asked
    assert bot.fake.calls("chat.postMessage") == []
    assert bot.rows("SELECT * FROM access_requests") == []


def test_submitting_stores_it_asks_the_head_and_gives_the_teacher_a_receipt(bot):
    head, receipt = request_access(bot)

    row = request(bot)
    assert (row["status"], row["requester_id"], row["approver_id"], row["purpose"]) == (
        "pending", TEACHER, HEAD, PURPOSE)
    assert audit(bot) == [("submitted", TEACHER)]
    # The head: who asks, the details, and the two buttons.
    assert "Tom Teacher" in head["text"] and "REQ-0001" in head["text"]
    details = words(head)
    for detail in (PURPOSE, "Instagram", "@oakfield_pe", "Year 10 and 11 PE groups", "pupils under 16",
                   "Parents or carers have given consent", "Trust / Academy devices only",
                   long_date(bot.services.today() + dt.timedelta(days=90))):
        assert detail in details
    assert buttons(head["blocks"]) == [ids.APPROVE_REQUEST, ids.DENY_REQUEST]
    assert {find_button(head["blocks"], action)[1]["value"] for action in buttons(head["blocks"])} == {"1"}
    # The teacher: the reference, and the truth about where it is.
    assert "REQ-0001" in receipt["text"]
    assert "has been sent to Hilda Head" in receipt["text"]
    assert buttons(receipt["blocks"]) == [ids.WITHDRAW_REQUEST]
    # Their App Home shows it too.
    [home] = bot.fake.wait_for("views.publish")
    assert home.params["user_id"] == TEACHER and "REQ-0001" in words(home.params["view"])


@pytest.mark.parametrize(("changes", "block_id", "says"), [
    pytest.param(lambda today: {"starts_on": today + dt.timedelta(days=10), "ends_on": today + dt.timedelta(days=5)},
                 "ends_on", "before the start date", id="end before start"),
    pytest.param(lambda today: {"ends_on": today - dt.timedelta(days=1)}, "ends_on", "already passed",
                 id="end date passed"),
    pytest.param(lambda today: {"pupils": "under_16", "consent": "not_needed"}, "consent", "section 5.5",
                 id="under 16 without consent"),
    pytest.param(lambda today: {"devices": []}, "devices", "section 5.3", id="devices not confirmed"),
    pytest.param(lambda today: {"ends_on": today + dt.timedelta(days=400)}, "ends_on", "a year at most",
                 id="over a year"),
])
def test_mistakes_come_back_on_the_field_and_nothing_is_sent(bot, changes, block_id, says):
    view = open_form(bot)

    status, reply = submit(bot, view, answers(bot, **changes(bot.services.today())))

    assert status == 200
    assert reply["response_action"] == "errors"
    assert list(reply["errors"]) == [block_id]
    assert says in reply["errors"][block_id]
    assert block_id in {block.get("block_id") for block in view["blocks"]}  # Slack shows it under that input
    bot.finish_listeners()
    assert bot.rows("SELECT * FROM access_requests") == []
    assert bot.fake.calls("chat.postMessage") == []


def test_someone_not_in_the_directory_is_told_who_to_contact_and_no_form_opens(bot):
    status, reply, _ = slash(bot, PURPOSE, user=STRANGER)

    assert status == 200
    answer = json.loads(reply)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == NOT_IN_DIRECTORY
    assert "Head Teacher / Manager" in answer["text"] and "IT lead or HR" in answer["text"]
    bot.finish_listeners()
    assert bot.fake.calls("views.open") == []
    assert bot.rows("SELECT * FROM access_requests") == []


# --- deciding -------------------------------------------------------------------------------------------------------


def test_the_head_approves_and_the_teacher_gets_the_written_permission(bot):
    head, _ = request_access(bot)

    click(bot, head, ids.APPROVE_REQUEST, user=HEAD)

    [_, permission] = dms(bot, TEACHER, count=2)
    assert permission.params["text"] == "Approved: REQ-0001 is your written permission."
    statement = words(permission)
    ends_on = bot.services.today() + dt.timedelta(days=90)
    for part in ("Written permission REQ-0001", "Hilda Head gives Tom Teacher permission", f"Purpose: {PURPOSE}",
                 "Where: Instagram, on the account @oakfield_pe", "With: Year 10 and 11 PE groups",
                 f"until {long_date(ends_on)}", "Trust / Academy devices only", "(section 5.3)",
                 "Keep a log", "(section 5.4)", "consent before any contact", "(section 5.5)", "(section 5.6)",
                 "/request-access show REQ-0001"):
        assert part in statement, part
    assert buttons(permission.params["blocks"]) == [ids.END_PERMISSION]
    # The head's message now says who decided, and its buttons are gone.
    [update] = bot.fake.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (HEAD, head["ts"])
    assert buttons(update.params["blocks"]) == []
    assert "*Approved* by Hilda Head on " in words(update)
    row = request(bot)
    assert (row["status"], row["decided_by"]) == ("approved", HEAD)
    assert audit(bot) == [("submitted", TEACHER), ("approved", HEAD)]
    assert bot.fake.calls(RESPONSE_URL) == []  # nothing to apologise for


def test_the_head_denies_with_a_reason_the_teacher_sees(bot):
    head, _ = request_access(bot)

    click(bot, head, ids.DENY_REQUEST, user=HEAD)
    [deny_call] = bot.fake.wait_for("views.open", count=2)[1:]
    deny_form = opened(deny_call)
    assert deny_form["callback_id"] == ids.DENY_REASON_FORM and deny_form["private_metadata"] == "1"

    status, reply = submit(bot, deny_form, {ids.DENY_REASON: "   "}, user=HEAD)

    assert status == 200
    assert reply == {"response_action": "errors", "errors": {ids.DENY_REASON: "Please give a reason."}}
    assert request(bot)["status"] == "pending"

    reason = "Please use the department's account & ask IT to set it up"
    status, reply = submit(bot, deny_form, {ids.DENY_REASON: reason}, user=HEAD)

    assert (status, reply) == (200, None)
    [_, denied] = dms(bot, TEACHER, count=2)
    assert denied.params["text"] == "Your request REQ-0001 was not approved by Hilda Head."
    assert "Please use the department's account &amp; ask IT to set it up" in words(denied)
    [update] = bot.fake.wait_for("chat.update")
    assert update.params["ts"] == head["ts"] and buttons(update.params["blocks"]) == []
    assert "*Not approved* by Hilda Head" in words(update)
    row = request(bot)
    assert (row["status"], row["decided_by"], row["decision_note"]) == ("denied", HEAD, reason)
    assert audit(bot) == [("submitted", TEACHER), ("denied", HEAD)]


def test_an_outsider_who_clicks_approve_is_refused_and_nothing_changes(bot):
    head, _ = request_access(bot)
    sent_before = len(bot.fake.calls("chat.postMessage"))

    click(bot, head, ids.APPROVE_REQUEST, user=COLLEAGUE, response_id="outsider")

    assert reply_to(bot, "outsider") == "Only the person this request was sent to can decide it. Nothing has changed."
    bot.finish_listeners()
    assert request(bot)["status"] == "pending"
    assert audit(bot) == [("submitted", TEACHER)]
    assert len(bot.fake.calls("chat.postMessage")) == sent_before
    assert bot.fake.calls("chat.update") == []


def test_the_requester_cannot_approve_their_own_request(bot):
    head, _ = request_access(bot)

    click(bot, head, ids.APPROVE_REQUEST, user=TEACHER, response_id="forged")  # a forged or replayed click

    assert "can't decide your own request" in reply_to(bot, "forged")
    bot.finish_listeners()
    assert request(bot)["status"] == "pending"
    assert dm_count(bot, TEACHER) == 1  # the receipt only
    assert bot.fake.calls("chat.update") == []


def test_a_double_click_on_approve_makes_one_decision_and_one_permission(bot):
    head, _ = request_access(bot)

    click(bot, head, ids.APPROVE_REQUEST, user=HEAD, response_id="first")
    click(bot, head, ids.APPROVE_REQUEST, user=HEAD, response_id="second")

    dms(bot, TEACHER, count=2)
    [refusal] = bot.fake.wait_for(RESPONSE_URL)
    assert refusal.params["text"] == "REQ-0001 was already approved, so nothing has changed."
    bot.finish_listeners()
    assert dm_count(bot, TEACHER) == 2  # the receipt and one permission
    assert len(bot.fake.calls(RESPONSE_URL)) == 1
    assert len(bot.fake.calls("chat.update")) == 1
    assert audit(bot) == [("submitted", TEACHER), ("approved", HEAD)]


def test_approve_after_the_teacher_withdrew_changes_nothing(bot):
    head, receipt = request_access(bot)

    click(bot, receipt, ids.WITHDRAW_REQUEST, user=TEACHER, response_id="withdraw")

    assert reply_to(bot, "withdraw") == "REQ-0001 is withdrawn."
    [_, withdrawn] = dms(bot, HEAD, count=2)
    assert "Tom Teacher has withdrawn request REQ-0001" in withdrawn.params["text"]
    [update] = bot.fake.wait_for("chat.update")  # the head's buttons go
    assert update.params["ts"] == head["ts"] and buttons(update.params["blocks"]) == []

    click(bot, head, ids.APPROVE_REQUEST, user=HEAD, response_id="stale")  # on the message as it first came

    assert reply_to(bot, "stale") == "REQ-0001 was already withdrawn, so nothing has changed."
    bot.finish_listeners()
    assert request(bot)["status"] == "withdrawn"
    assert dm_count(bot, TEACHER) == 1  # the receipt; no permission
    assert audit(bot) == [("submitted", TEACHER), ("withdrawn", TEACHER)]


def test_deny_on_a_decided_request_opens_no_form(bot):
    head, _ = request_access(bot)
    click(bot, head, ids.APPROVE_REQUEST, user=HEAD)
    dms(bot, TEACHER, count=2)

    click(bot, head, ids.DENY_REQUEST, user=HEAD, response_id="late-deny")

    assert reply_to(bot, "late-deny") == "REQ-0001 was already approved, so nothing has changed."
    bot.finish_listeners()
    assert len(bot.fake.calls("views.open")) == 1  # the request form only


# --- when Slack fails -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "headers"), [
    pytest.param(429, {"Retry-After": "0"}, id="rate limited"),
    pytest.param(500, {}, id="server error"),
])
def test_when_the_heads_dm_fails_the_teacher_is_told_the_truth_then_told_when_it_arrives(bot, status, headers):
    bot.fake.fail_next("chat.postMessage", status=status, headers=headers)

    status_code, reply = submit(bot, open_form(bot), answers(bot))

    assert (status_code, reply) == (200, None)
    [receipt] = dms(bot, TEACHER)
    assert "REQ-0001 is saved" in receipt.params["text"]
    assert "I haven't been able to reach Hilda Head yet" in receipt.params["text"]
    assert "has been sent" not in receipt.params["text"]
    [failed] = bot.fake.calls("chat.postMessage")[:1]
    assert (failed.params["channel"], failed.status) == (HEAD, status)
    bot.fake.wait_for("views.publish")  # the submission's listener has finished delivering
    [waiting] = bot.rows("SELECT * FROM outbox WHERE kind = 'request.decide'")
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    assert request(bot)["status"] == "pending"  # stored before anyone was told anything

    if status == 429:
        delivered = bot.delivery.deliver_due()  # the clock's next tick: Retry-After 0 means now
    else:
        assert bot.delivery.deliver_due() == 0  # a 500 backs off ...
        later = dt.datetime.now(dt.UTC) + backoff(1)  # ... until the clock ticks again after the wait
        delivered = deliver_due(bot.services.database, bot.delivery.render, bot.delivery.send, now=later)

    assert delivered == 2
    [_, head] = dms(bot, HEAD, count=2)
    assert head.ok and buttons(head.params["blocks"]) == [ids.APPROVE_REQUEST, ids.DENY_REQUEST]
    [_, arrived] = dms(bot, TEACHER, count=2)
    assert arrived.params["text"] == "Your request REQ-0001 has now reached Hilda Head."
    assert bot.delivery.deliver_due() == 0  # nothing more to send, nobody told twice

    click(bot, as_message(head), ids.APPROVE_REQUEST, user=HEAD)  # and the late message works
    [_, _, permission] = dms(bot, TEACHER, count=3)
    assert "REQ-0001 is your written permission" in permission.params["text"]


# --- what people typed -------------------------------------------------------------------------------------------


def test_mentions_and_ampersands_are_stored_as_typed_and_never_reach_slack_unescaped(bot):
    typed = "Run the PE insta <!channel> <@U123> & Q&A 📸 مرحبا بالطلاب"
    audience = "Year 11 <!here> & families"
    view = open_form(bot, "")

    status, reply = submit(bot, view, answers(bot, purpose=typed, audience=audience))

    assert (status, reply) == (200, None)
    assert (request(bot)["purpose"], request(bot)["audience"]) == (typed, audience)
    [head] = dms(bot, HEAD)
    assert "Run the PE insta &lt;!channel&gt; &lt;@U123&gt; &amp; Q&amp;A 📸 مرحبا بالطلاب" in words(head)
    dms(bot, TEACHER)
    click(bot, as_message(head), ids.APPROVE_REQUEST, user=HEAD)
    dms(bot, TEACHER, count=2)
    bot.fake.wait_for("chat.update")
    for user in (TEACHER, HEAD):
        bot.send_event(signing.app_home_opened(user))
    bot.fake.wait_for("views.publish", count=3)
    slash(bot, "show REQ-0001", response_id="show")
    bot.finish_listeners()

    outgoing = [c for c in bot.fake.outgoing() if c.method != "views.open"]  # the form is plain text
    assert {c.method for c in outgoing} >= {"chat.postMessage", "chat.update", "views.publish"}
    for call in outgoing:
        for raw in ("<!channel>", "<!here>", "<@U123>", "& Q&A", "Q&A", "& families"):
            assert raw not in call.dumped, (call.method, raw)


# --- the App Home -----------------------------------------------------------------------------------------------


def test_the_app_home_lists_the_teachers_request_and_the_heads_waiting_with_buttons(bot):
    head_message, _ = request_access(bot)
    bot.fake.wait_for("views.publish")  # the teacher's, after submitting

    bot.send_event(signing.app_home_opened(TEACHER))
    bot.send_event(signing.app_home_opened(HEAD))

    published = bot.fake.wait_for("views.publish", count=3)
    teacher_home = next(c for c in published[1:] if c.params["user_id"] == TEACHER).params["view"]
    head_home = next(c for c in published[1:] if c.params["user_id"] == HEAD).params["view"]
    assert teacher_home["type"] == "home"
    assert "*REQ-0001* · Instagram · Year 10 and 11 PE groups" in words(teacher_home)
    assert "waiting for a decision" in words(teacher_home)
    assert buttons(teacher_home["blocks"]) == [ids.WITHDRAW_REQUEST]
    assert "Waiting for your decision" in words(head_home)
    assert "Tom Teacher: *REQ-0001*" in words(head_home)
    assert buttons(head_home["blocks"]) == [ids.APPROVE_REQUEST, ids.DENY_REQUEST]

    block, button = find_button(head_home["blocks"], ids.APPROVE_REQUEST)
    status, _ = bot.post(signing.home_block_actions(button, block.get("block_id", "generated"), head_home,
                                                    user=HEAD), signing.FORM)

    assert status == 200
    [_, permission] = dms(bot, TEACHER, count=2)
    assert "REQ-0001 is your written permission" in permission.params["text"]
    [update] = bot.fake.wait_for("chat.update")  # the DM the head did not use is brought up to date too
    assert update.params["ts"] == head_message["ts"] and buttons(update.params["blocks"]) == []
    refreshed = bot.fake.wait_for("views.publish", count=4)[3]
    assert refreshed.params["user_id"] == HEAD
    assert "Waiting for your decision" not in words(refreshed.params["view"])


def test_a_policy_answer_about_5_3_offers_a_button_that_opens_the_form(bot):
    status, reply = bot.command("can I use the school instagram in lessons", response_id="policy")
    assert status == 200
    answer = json.loads(reply)
    assert "Section 5.3" in words(answer)
    block, button = find_button(answer["blocks"], ids.OPEN_REQUEST_FORM)
    assert button["text"]["text"] == "Ask for written permission"
    ephemeral = {"type": "message", "ts": "", "text": answer["text"], "blocks": answer["blocks"]}

    body = signing.block_actions(button, block["block_id"], ephemeral, bot.fake.response_url("ask"),
                                 user=TEACHER, channel=signing.STAFFROOM, is_ephemeral=True)
    status, _ = bot.post(body, signing.FORM)

    assert status == 200
    [call] = bot.fake.wait_for("views.open")
    assert call.params["trigger_id"] == json.loads(parse_qs(body)["payload"][0])["trigger_id"]
    form = call.params["view"]
    assert form["callback_id"] == ids.REQUEST_FORM
    [kind] = [b for b in form["blocks"] if b.get("block_id") == "kind"]
    assert kind["element"]["initial_option"]["value"] == "work_use"


# --- showing and ending --------------------------------------------------------------------------------------------


def test_show_gives_the_permission_to_the_teacher_and_a_polite_no_to_anyone_else(bot):
    head, _ = request_access(bot)
    status, reply, _ = slash(bot, "show REQ-0001")
    assert "waiting for a decision, so there is no written permission to show" in json.loads(reply)["text"]
    click(bot, head, ids.APPROVE_REQUEST, user=HEAD)
    dms(bot, TEACHER, count=2)

    status, reply, _ = slash(bot, "show req-0001")

    assert status == 200
    shown = json.loads(reply)
    assert shown["response_type"] == "ephemeral"
    assert shown["text"] == "Approved: REQ-0001 is your written permission."
    assert "Hilda Head gives Tom Teacher permission" in words(shown)
    for outsider in (COLLEAGUE, STRANGER):
        status, reply, _ = slash(bot, "show REQ-0001", user=outsider)
        assert status == 200
        assert json.loads(reply)["text"] == "I can't find a permission of yours with that reference."
    status, reply, _ = slash(bot, "show REQ-0099")
    assert json.loads(reply)["text"] == "I can't find a permission of yours with that reference."


def test_ending_a_permission_early_tells_both_sides(bot):
    head, _ = request_access(bot)
    click(bot, head, ids.APPROVE_REQUEST, user=HEAD)
    [_, permission] = dms(bot, TEACHER, count=2)
    bot.fake.wait_for("chat.update")

    click(bot, as_message(permission), ids.END_PERMISSION, user=TEACHER, response_id="end")

    assert reply_to(bot, "end") == "REQ-0001 has ended."
    [_, _, teacher_notice] = dms(bot, TEACHER, count=3)
    [_, head_notice] = dms(bot, HEAD, count=2)
    for notice in (teacher_notice, head_notice):
        assert "Permission REQ-0001 has been ended by Tom Teacher" in notice.params["text"]
        assert "section 5.6" in notice.params["text"]
    [_, update] = bot.fake.wait_for("chat.update", count=2)
    assert update.params["ts"] == head["ts"] and buttons(update.params["blocks"]) == []
    # Still the record of who approved it and when; not "ended by" the approver at the moment they approved.
    assert "*Approved* by Hilda Head on " in words(update)
    assert "This permission has since *ended*." in words(update)
    row = request(bot)
    assert (row["status"], row["ended_by"]) == ("ended", TEACHER)
    assert audit(bot)[-1] == ("ended", TEACHER)

    click(bot, as_message(permission), ids.END_PERMISSION, user=TEACHER, response_id="end-again")

    assert reply_to(bot, "end-again") == "REQ-0001 is ended, so there is nothing to end."


@pytest.mark.parametrize("reference", ["REQ-" + "9" * 40, "REQ-0042", "REQ-abc"])
def test_show_with_a_reference_that_cannot_exist_is_simply_not_found(bot, reference):
    status, reply, _ = slash(bot, f"show {reference}")

    assert status == 200
    assert "can't find a permission of yours with that reference" in json.loads(reply)["text"]
    assert bot.fake.calls("views.open") == []
