"""Reminders end to end: read-and-acknowledge campaigns, permissions coming to an end, and `run-due` as an operator
runs it. The whole bot over HTTP, Slack-signed requests, the fake Web API, a real SQLite file and a staff CSV.

Olive owns the policy; Carl is the CEO (and an admin); Hilda heads Oakfield and manages Tom and Cath.
The clock is moved by hand: `Clock(bot.delivery).run_due(instant)` in the bot's process, or
`python bot.py run-due --now ...` in a subprocess against the same fake Slack and database.
"""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import signing
from fake_slack import RESPONSE_URL, find_button
from slack_messages import as_message, buttons, click, dms, type_command, words

from blocks import ids
from clock import Clock
from storage import clock_lease
from workflows import access_requests
from workflows.access_requests import RequestForm
from workflows.timekeeping import local_moment

REPO = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Europe/London")
OWNER, CEO, HEAD, TEACHER, COLLEAGUE = "U0OWN", "U0CEO", "U0HEAD", "U0TEACH", "U0COLL"
EVERYONE = [OWNER, CEO, HEAD, TEACHER, COLLEAGUE]
STAFF_CSV = """slack_id,name,email,roles,academy,manager_slack_id
U0OWN,Olive Owner,olive@trust.org.uk,staff;policy_owner,The Trust,U0CEO
U0CEO,Carl Chief,ceo@trust.org.uk,staff;manager;admin,The Trust,
U0HEAD,Hilda Head,head@oakfield.sch.uk,staff;manager,Oakfield Academy,U0CEO
U0TEACH,Tom Teacher,tom@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
U0COLL,Cath Colleague,cath@oakfield.sch.uk,staff,Oakfield Academy,U0HEAD
"""
VERSION = "2021-05-27"  # the shipped protocol's, which the bot loads


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


# --- doing what people do -------------------------------------------------------------------------------------------


def campaign_command(bot, text: str, user: str) -> dict:
    """Type `/policy-campaign text`; what the bot answered there and then (only the person typing sees it)."""
    status, reply, _ = type_command(bot, "/policy-campaign", text, user, "campaign")
    assert status == 200
    return json.loads(reply)


def responses(bot, response_id: str, count: int = 1) -> list:
    return bot.fake.wait_for(RESPONSE_URL, count=count, where=lambda c: c.path == f"/response/{response_id}")


def acknowledgements(bot) -> list[dict]:
    return bot.rows("SELECT version, person_id, source FROM acknowledgements ORDER BY person_id")


def home_of(bot, user: str, count: int = 1) -> dict:
    """The `count`-th App Home published for `user`."""
    calls = bot.fake.wait_for("views.publish", count=count, where=lambda c: c.params["user_id"] == user)
    return calls[count - 1].params["view"]


# --- read and acknowledge -------------------------------------------------------------------------------------------


def test_the_policy_owner_starts_a_campaign_and_everyone_is_asked_once(bot):
    reply = campaign_command(bot, "start", OWNER)

    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == "Started: 5 people have been asked to read and acknowledge the protocol."
    asked = bot.fake.wait_for("chat.postMessage", count=len(EVERYONE))
    assert sorted(c.params["channel"] for c in asked) == sorted(EVERYONE)
    for call in asked:
        assert call.params["text"].startswith("Please read the Trust's Social Networking Protocol")
        block, button = find_button(call.params["blocks"], ids.ACKNOWLEDGE_POLICY)
        assert (button["text"]["text"], button["value"]) == ("I have read and understood", VERSION)
        assert "Do not use social networking sites" in words(call.params)

    again = campaign_command(bot, "start", CEO)

    assert again["text"] == "A campaign for this version of the protocol is already running."
    bot.finish_listeners()
    assert len(bot.fake.calls("chat.postMessage")) == len(EVERYONE)
    [campaign] = bot.rows("SELECT version, material, started_by FROM campaigns")
    assert campaign == {"version": VERSION, "material": 1, "started_by": OWNER}


@pytest.mark.parametrize("user", [TEACHER, HEAD, "U0STRANGER"])
def test_ordinary_staff_cannot_start_a_campaign(bot, user):
    reply = campaign_command(bot, "start", user)

    assert reply["text"] == "Only an admin or the policy owner can start a read-and-acknowledge campaign."
    bot.finish_listeners()
    assert bot.fake.calls("chat.postMessage") == []
    assert bot.rows("SELECT * FROM campaigns") == []


def test_anything_but_start_gets_the_help(bot):
    reply = campaign_command(bot, "stop", OWNER)

    assert "`/policy-campaign start`" in reply["text"]
    bot.finish_listeners()
    assert bot.rows("SELECT * FROM campaigns") == []


def test_acknowledging_records_it_once_even_when_double_clicked_and_thanks_in_place(bot):
    campaign_command(bot, "start", OWNER)
    [asked] = dms(bot, TEACHER)

    click(bot, as_message(asked), ids.ACKNOWLEDGE_POLICY, TEACHER, response_id="first")
    click(bot, as_message(asked), ids.ACKNOWLEDGE_POLICY, TEACHER, response_id="second")

    replies = responses(bot, "first") + responses(bot, "second")
    assert acknowledgements(bot) == [{"version": VERSION, "person_id": TEACHER, "source": ids.ACKNOWLEDGE_POLICY}]
    audit = bot.rows("SELECT actor_id FROM audit_log WHERE action = 'acknowledged'")
    assert audit == [{"actor_id": TEACHER}]
    [recorded] = bot.rows("SELECT acknowledged_at FROM acknowledgements")
    on = local_moment(recorded["acknowledged_at"], "Europe/London")
    for reply in replies:
        assert reply.params["replace_original"] is True
        assert buttons(reply.params["blocks"]) == []  # the button is gone
        assert f"Thank you. You confirmed you have read and understood it on {on}." in words(reply.params)
        assert "Social Networking Protocol" in reply.params["text"]  # still the message it was


def test_the_app_home_shows_a_manager_their_teams_completion(bot):
    campaign_command(bot, "start", OWNER)
    [asked] = dms(bot, TEACHER)
    click(bot, as_message(asked), ids.ACKNOWLEDGE_POLICY, TEACHER, response_id="tom")
    responses(bot, "tom")

    bot.send_event(signing.app_home_opened(HEAD))

    home = home_of(bot, HEAD)
    assert "*Your team:* 1 of 2 have acknowledged it. Still to do: Cath Colleague." in words(home)
    assert "Please read the Social Networking Protocol (reviewed 27 May 2021)" in words(home)
    assert buttons(home["blocks"]) == [ids.ACKNOWLEDGE_POLICY]  # Hilda has not done it herself yet

    bot.send_event(signing.app_home_opened(TEACHER))
    tom = home_of(bot, TEACHER)
    assert "You confirmed you have read and understood it on " in words(tom)
    assert "Your team" not in words(tom) and ids.ACKNOWLEDGE_POLICY not in buttons(tom["blocks"])


def test_acknowledging_from_the_app_home_records_it_and_refreshes_the_home(bot):
    campaign_command(bot, "start", OWNER)
    bot.send_event(signing.app_home_opened(HEAD))
    home = home_of(bot, HEAD)
    block, button = find_button(home["blocks"], ids.ACKNOWLEDGE_POLICY)

    status, _ = bot.post(signing.home_block_actions(button, block.get("block_id", "generated"), home, user=HEAD),
                         signing.FORM)

    assert status == 200
    refreshed = home_of(bot, HEAD, count=2)
    assert "You confirmed you have read and understood it on " in words(refreshed)
    assert ids.ACKNOWLEDGE_POLICY not in buttons(refreshed["blocks"])
    assert [a["person_id"] for a in acknowledgements(bot)] == [HEAD]


# --- a permission coming to an end ----------------------------------------------------------------------------------

# Tom's permission runs from Monday 1 March to Wednesday 31 March 2027. Its reminders fall at 09:00 on 24 and
# 30 March; it lapses at midnight as 1 April begins, and Tom is asked in the morning.
STARTS, ENDS = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def approved_permission(bot) -> access_requests.AccessRequest:
    """Tom's permission, made and approved as the form and Hilda's button would; what that sent is delivered."""
    services = bot.services
    form = RequestForm(kind="work_use", purpose="Run the PE department's Instagram", platform="Instagram",
                       account="@oakfield_pe", audience="Year 10 and 11 PE groups", pupils="over_16",
                       consent="obtained", trust_devices_only=True, starts_on=STARTS, ends_on=ENDS)
    submitted = access_requests.submit(services.database, services.directory.current(), TEACHER, form, STARTS, "test")
    decided = access_requests.decide(services.database, services.directory.current(), submitted.subject.id, HEAD,
                                     approve=True, source="test")
    assert decided.ok, decided
    assert bot.delivery.deliver_due() == 3  # the request to Hilda, Tom's receipt, Tom's written permission
    return decided.subject


@pytest.fixture
def clock(bot) -> Clock:
    """The bot's clock (one for the test: a second would find this one holding the lease)."""
    return Clock(bot.delivery)


def run_due(clock: Clock, when: str) -> list[str]:
    done = clock.run_due(london(when))
    assert done is not None, "another clock holds the lease"
    return done


def reminder(bot, contains: str, user: str = TEACHER) -> dict:
    [call] = dms(bot, user, where=lambda c: contains in c.params["text"])
    return as_message(call)


def test_the_expiring_reminders_renew_button_opens_the_form_prefilled(bot, clock):
    permission = approved_permission(bot)

    run_due(clock, "2027-03-24 09:00")

    message = reminder(bot, "ends in 7 days")
    assert message["text"] == f"Your permission {permission.reference} ends in 7 days (31 March 2027)."
    assert buttons(message["blocks"]) == [ids.RENEW_REQUEST, ids.END_PERMISSION]
    assert [b["text"]["text"] for b in message["blocks"][-1]["elements"]] == [
        "Ask for a renewal", "It has ended, contact removed"]

    click(bot, message, ids.RENEW_REQUEST, TEACHER, response_id="renew")

    [opened] = bot.fake.wait_for("views.open")
    form = opened.params["view"]
    assert (form["callback_id"], form["title"]["text"]) == (ids.REQUEST_FORM, "Renew permission")
    initial = {b["block_id"]: b["element"] for b in form["blocks"] if b.get("type") == "input"}
    assert initial["purpose"]["initial_value"] == "Run the PE department's Instagram"
    assert initial["platform"]["initial_value"] == "Instagram"
    assert initial["account"]["initial_value"] == "@oakfield_pe"
    assert initial["audience"]["initial_value"] == "Year 10 and 11 PE groups"
    assert initial["pupils"]["initial_option"]["value"] == "over_16"
    assert initial["kind"]["initial_option"]["value"] == "work_use"
    assert access_requests.get(bot.services.database, permission.id).status == "approved"  # nothing ended


def test_someone_else_cannot_renew_it(bot, clock):
    approved_permission(bot)
    run_due(clock, "2027-03-24 09:00")
    message = reminder(bot, "ends in 7 days")

    click(bot, message, ids.RENEW_REQUEST, COLLEAGUE, response_id="renew")

    [reply] = responses(bot, "renew")
    assert reply.params["text"] == "Only the person the permission was given to can renew it."
    bot.finish_listeners()
    assert bot.fake.calls("views.open") == []


def test_it_has_ended_contact_removed_ends_it_and_records_the_removal(bot, clock):
    permission = approved_permission(bot)
    run_due(clock, "2027-03-30 09:00")
    message = reminder(bot, "ends tomorrow")

    click(bot, message, ids.END_PERMISSION, TEACHER, response_id="end")

    [reply] = responses(bot, "end")
    assert reply.params["text"] == f"{permission.reference} has ended."
    ended = access_requests.get(bot.services.database, permission.id)
    assert (ended.status, ended.ended_by) == ("ended", TEACHER)
    assert ended.removal_confirmed_at is not None
    [head_notice] = dms(bot, HEAD, where=lambda c: "has been ended by Tom Teacher" in c.params["text"])
    assert "section 5.6" in head_notice.params["text"]
    [tom_notice] = dms(bot, TEACHER, where=lambda c: "has been ended by Tom Teacher" in c.params["text"])
    assert buttons(tom_notice.params["blocks"]) == []  # no "Contact removed" to click: he just said so

    # Nothing more is owed: no lapse, no request to confirm, nothing to Hilda about an unconfirmed removal.
    sent = clicks_done(bot)
    for when in ["2027-04-01 09:00", "2027-04-09 09:00"]:
        run_due(clock, when)
    assert to_tom_and_hilda(bot) == sent
    assert access_requests.get(bot.services.database, permission.id).status == "ended"


def clicks_done(bot) -> list[str]:
    """Let the click listeners finish (the bot takes no more clicks), then what Tom and Hilda have been sent.

    A listener may still be between sending a notice and marking it sent; its claim on the notice runs out a
    minute after today, so a clock travelling to 2027 would take it as abandoned and send it again."""
    bot.finish_listeners()
    return to_tom_and_hilda(bot)


def to_tom_and_hilda(bot) -> list[str]:
    """What Tom and Hilda have been sent so far (Olive hears about the protocol's overdue review meanwhile)."""
    return [c.params["text"] for c in bot.fake.calls("chat.postMessage") if c.params["channel"] in (TEACHER, HEAD)]


def test_the_lapsed_message_records_that_the_contact_was_removed(bot, clock):
    permission = approved_permission(bot)
    run_due(clock, "2027-04-01 00:00")
    assert access_requests.get(bot.services.database, permission.id).status == "expired"
    assert not any("ended on" in text for text in to_tom_and_hilda(bot))  # not at midnight

    run_due(clock, "2027-04-01 07:00")

    message = reminder(bot, "ended on 31 March 2027")
    assert "Please confirm the online contact has been removed (section 5.6)." in message["text"]
    assert buttons(message["blocks"]) == [ids.CONFIRM_REMOVED]
    [button] = message["blocks"][-1]["elements"]
    assert button["text"]["text"] == "Contact removed"

    click(bot, message, ids.CONFIRM_REMOVED, TEACHER, response_id="removed")
    click(bot, message, ids.CONFIRM_REMOVED, TEACHER, response_id="removed-again")

    replies = [c.params["text"] for c in responses(bot, "removed") + responses(bot, "removed-again")]
    assert sorted(replies) == [  # whichever click was handled first is thanked; the other is told it is done
        "Thank you. That's recorded: the contact has been removed (section 5.6).",
        "You've already confirmed that, thank you."]
    confirmed = access_requests.get(bot.services.database, permission.id)
    assert (confirmed.status, confirmed.removal_confirmed_at is not None) == ("expired", True)
    assert [r["actor_id"] for r in bot.rows("SELECT actor_id FROM audit_log WHERE action = ?",
                                            ("contact removal confirmed",))] == [TEACHER]

    sent = clicks_done(bot)
    run_due(clock, "2027-04-09 09:00")  # a week on: Hilda is not told, since Tom confirmed
    assert to_tom_and_hilda(bot) == sent


def test_it_has_ended_clicked_after_the_permission_lapsed_still_records_the_removal(bot, clock):
    permission = approved_permission(bot)
    run_due(clock, "2027-03-30 09:00")
    message = reminder(bot, "ends tomorrow")
    run_due(clock, "2027-04-01 07:00")  # it lapsed before Tom clicked

    click(bot, message, ids.END_PERMISSION, TEACHER, response_id="late")

    [reply] = responses(bot, "late")
    assert reply.params["text"] == (f"{permission.reference} had already ended on its end date. Thank you: that's "
                                    "recorded, the contact has been removed (section 5.6).")
    assert access_requests.get(bot.services.database, permission.id).removal_confirmed_at is not None
    sent = clicks_done(bot)
    run_due(clock, "2027-04-09 09:00")
    assert to_tom_and_hilda(bot) == sent  # Hilda is not told he never confirmed


def test_an_unconfirmed_removal_reaches_the_approver(bot, clock):
    permission = approved_permission(bot)
    run_due(clock, "2027-04-01 07:00")
    reminder(bot, "ended on 31 March 2027")

    run_due(clock, "2027-04-08 09:00")

    [call] = dms(bot, HEAD, where=lambda c: "have not confirmed" in c.params["text"])
    assert call.params["text"] == (
        f"Tom Teacher's permission {permission.reference} has ended, but they have not confirmed that the online "
        "contact has been removed (section 5.6). Please check with them.")


# --- python bot.py run-due, as an operator runs it -------------------------------------------------------------------


def run_bot(*args: str) -> subprocess.CompletedProcess:
    """bot.py in its own process, with the bot's environment: the fake Slack, this test's database and directory."""
    return subprocess.run([sys.executable, "bot.py", *args], cwd=REPO, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                          capture_output=True, text=True, timeout=60)


def test_run_due_in_a_subprocess_does_what_is_due_once(bot):
    services = bot.services
    form = RequestForm(kind="pupil_connection", purpose="Year 11 revision group", platform="Google Classroom",
                       account="@oak_revision", audience="Year 11 science set 1", pupils="over_16",
                       consent="obtained", trust_devices_only=True, starts_on=dt.date(2026, 11, 2),
                       ends_on=dt.date(2026, 12, 5))
    submitted = access_requests.submit(services.database, services.directory.current(), TEACHER, form,
                                       dt.date(2026, 11, 2), "test")
    assert access_requests.decide(services.database, services.directory.current(), submitted.subject.id, HEAD,
                                  approve=True).ok
    bot.delivery.deliver_due()
    before = len(bot.fake.calls("chat.postMessage"))

    first = run_bot("run-due", "--now", "2026-12-01T09:00")

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "policy review reminder (2026-11-29) for Olive Owner",  # the protocol's review is long overdue
        "reminded REQ-0001 ends in 7 day(s)",
        "delivered 2 notification(s)",
        "3 thing(s) done as of 2026-12-01T09:00.",
    ]
    sent = bot.fake.calls("chat.postMessage")[before:]
    assert sorted(c.params["channel"] for c in sent) == [OWNER, TEACHER]
    assert all(c.ok for c in sent)
    review = next(c for c in sent if c.params["channel"] == OWNER)
    assert "was due for review Summer 2022 (31 July 2022) and is now overdue" in review.params["text"]
    expiring = next(c for c in sent if c.params["channel"] == TEACHER)
    assert expiring.params["text"] == "Your permission REQ-0001 ends in 4 days (5 December 2026)."
    assert bot.rows("SELECT * FROM clock_lease") == []  # given back as it exited

    second = run_bot("run-due", "--now", "2026-12-01T09:00")

    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == ["0 thing(s) done as of 2026-12-01T09:00."]
    assert len(bot.fake.calls("chat.postMessage")) == before + 2


def test_run_due_while_another_process_holds_the_clock_does_nothing(bot):
    assert clock_lease.hold(bot.services.database, "web-1", dt.timedelta(minutes=5))

    result = run_bot("run-due", "--now", "2026-12-01T09:00")

    assert result.returncode == 1
    assert result.stdout.strip() == "Another process is running the clock; nothing was done."
    assert bot.rows("SELECT holder FROM clock_lease") == [{"holder": "web-1"}]  # not taken from its holder
    assert bot.fake.calls("chat.postMessage") == []
