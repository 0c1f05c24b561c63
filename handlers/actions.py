"""Buttons."""

import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from blocks import access_requests as request_blocks
from blocks import cases as case_blocks
from blocks import ids
from blocks import reminders as reminder_blocks
from blocks.answers import FEEDBACK_THANKS, answer_blocks, answer_text, policy_text_blocks
from blocks.text import escape
from handlers.replies import from_home, open_form, publish_home, tell
from services import Services
from slack_delivery import SlackDelivery
from workflows import access_requests, campaigns, cases
from workflows.access_requests import NOT_IN_DIRECTORY
from workflows.outcomes import Outcome
from workflows.questions import asked_question, give_feedback
from workflows.timekeeping import local_moment


def register(app: App, services: Services, delivery: SlackDelivery) -> None:
    @app.action(re.compile(f"^({ids.ANSWER_HELPFUL}|{ids.ANSWER_NOT_HELPFUL})$"))
    def answer_feedback(ack: Ack, body: dict, action: dict, respond: Respond):
        ack()
        question_id = int(action["value"])
        give_feedback(services.database, question_id, body["user"]["id"], action["action_id"] == ids.ANSWER_HELPFUL)
        if body.get("container", {}).get("is_ephemeral") or body.get("channel", {}).get("id", "").startswith("D"):
            # Only the asker sees this answer: thank them in place of the buttons.
            asked = asked_question(services.guide, services.database, question_id)
            if asked:
                respond(replace_original=True, text=answer_text(asked.answer),
                        blocks=answer_blocks(asked.answer, asked.id, feedback_given=True))
        else:
            # A thread answer is shared: colleagues may still want to rate it, so thank this person privately.
            respond(replace_original=False, response_type="ephemeral", text=FEEDBACK_THANKS)

    @app.action(ids.SHOW_POLICY_TEXT)
    def show_policy_text(ack: Ack, action: dict, respond: Respond):
        ack()
        asked = asked_question(services.guide, services.database, int(action["value"]))
        if asked:
            respond(replace_original=False, response_type="ephemeral", text="The policy text behind this answer",
                    blocks=policy_text_blocks(asked.answer))

    @app.action(ids.OPEN_REQUEST_FORM)
    def open_request_form(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        if services.directory.current().get(body["user"]["id"]) is None:
            tell(body, client, respond, NOT_IN_DIRECTORY)
            return
        form = request_blocks.request_form(kind=action.get("value") or "work_use", today=services.today())
        open_form(body, client, respond, form)

    @app.action(re.compile(f"^({ids.OPEN_REPORT_FORM}|{ids.OPEN_CONTACT_FORM})$"))
    def open_report_form(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        if services.directory.current().get(body["user"]["id"]) is None:
            tell(body, client, respond, cases.NOT_IN_DIRECTORY)
            return
        form = case_blocks.contact_form() if action["action_id"] == ids.OPEN_CONTACT_FORM else \
            case_blocks.report_form()
        open_form(body, client, respond, form)

    @app.action(ids.ACKNOWLEDGE_CASE)
    def acknowledge_case(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        outcome = cases.acknowledge(services.database, services.directory.current(), int(action["value"]),
                                    body["user"]["id"], source=ids.ACKNOWLEDGE_CASE)
        if not outcome.ok:
            tell(body, client, respond, outcome.message)
            return
        delivery.refresh_case_messages(outcome.subject)
        delivery.deliver_due()
        if from_home(body):
            publish_home(services, client, body["user"]["id"])

    @app.action(re.compile(f"^({ids.ADD_CASE_NOTE}|{ids.CLOSE_CASE})$"))
    def case_form(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        case = cases.get(services.database, int(action["value"]))
        handlers = {h.person_id for h in cases.handlers_of(services.database, case.id)} if case else set()
        if case is None or not cases.may_handle(services.directory.current(), case, handlers, body["user"]["id"]):
            tell(body, client, respond, cases.REFUSAL)
            return
        if case.status == "closed":
            tell(body, client, respond, f"{case.reference} is already closed.")
            return
        form = case_blocks.note_form(case) if action["action_id"] == ids.ADD_CASE_NOTE else case_blocks.close_form(case)
        open_form(body, client, respond, form)

    @app.action(ids.ACKNOWLEDGE_POLICY)
    def acknowledge_policy(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        version = action["value"]
        campaigns.acknowledge(services.database, version, body["user"]["id"], source=ids.ACKNOWLEDGE_POLICY)
        if from_home(body):  # the App Home's button: no message to replace (and no response URL), show the Home
            publish_home(services, client, body["user"]["id"])
            return
        when = campaigns.acknowledged(services.database, version).get(body["user"]["id"])
        if when is None:
            tell(body, client, respond, "That version of the protocol isn't being asked about any more, so nothing "
                                        "was recorded. Thank you all the same.")
            return
        text, blocks = reminder_blocks.acknowledge_request(
            services.guide.protocol, version, acknowledged_on=local_moment(when, services.settings.timezone))
        respond(replace_original=True, text=escape(text), blocks=blocks)

    @app.action(ids.RENEW_REQUEST)
    def renew_request(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        request = access_requests.get(services.database, int(action["value"]))
        if request is None or request.requester_id != body["user"]["id"]:
            tell(body, client, respond, "Only the person the permission was given to can renew it.")
            return
        open_form(body, client, respond, request_blocks.request_form(today=services.today(), renewing=request))

    @app.action(ids.CONFIRM_REMOVED)
    def confirm_removed(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        outcome = access_requests.confirm_removal(services.database, int(action["value"]), body["user"]["id"],
                                                  source=ids.CONFIRM_REMOVED)
        tell(body, client, respond, outcome.message)

    def after_change(body: dict, client: WebClient, outcome: Outcome) -> None:
        delivery.refresh_approver_message(outcome.subject)
        delivery.deliver_due()
        if from_home(body):
            publish_home(services, client, body["user"]["id"])

    @app.action(ids.APPROVE_REQUEST)
    def approve(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        outcome = access_requests.decide(services.database, services.directory.current(), int(action["value"]),
                                         body["user"]["id"], approve=True, source=ids.APPROVE_REQUEST)
        if not outcome.ok:
            tell(body, client, respond, outcome.message)
            return
        after_change(body, client, outcome)

    @app.action(ids.DENY_REQUEST)
    def deny(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        request = access_requests.get(services.database, int(action["value"]))
        if request is None:
            tell(body, client, respond, "I can't find that request.")
            return
        refusal = access_requests.may_decide(services.directory.current(), request, body["user"]["id"])
        if refusal or request.status != "pending":
            tell(body, client, respond, refusal or access_requests.already_message(request))
            return
        open_form(body, client, respond, request_blocks.deny_reason_form(request))

    @app.action(ids.WITHDRAW_REQUEST)
    def withdraw(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        outcome = access_requests.withdraw(services.database, int(action["value"]), body["user"]["id"],
                                           source=ids.WITHDRAW_REQUEST)
        tell(body, client, respond, outcome.message)
        if outcome.ok:
            after_change(body, client, outcome)

    @app.action(ids.END_PERMISSION)
    def end_permission(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        outcome = access_requests.end_permission(services.database, services.directory.current(),
                                                 int(action["value"]), body["user"]["id"], source=ids.END_PERMISSION)
        tell(body, client, respond, outcome.message)
        if outcome.ok:
            after_change(body, client, outcome)

    @app.action(ids.SHOW_PERMISSION)
    def show_permission(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
        ack()
        text, blocks = delivery.permission_for(int(action["value"]), body["user"]["id"])
        client.chat_postMessage(channel=body["user"]["id"], text=escape(text), blocks=blocks)

