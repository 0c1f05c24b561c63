"""Slash commands."""

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from blocks import access_requests as request_blocks
from blocks import cases as case_blocks
from blocks.answers import answer_blocks, answer_text, help_blocks, help_text
from blocks.text import escape, unescape
from handlers.replies import open_form
from services import Services
from slack_delivery import SlackDelivery
from workflows import campaigns, cases
from workflows.access_requests import NOT_IN_DIRECTORY, parse_reference
from workflows.questions import ask, conversation_key, safeguarding_lead_for


def register(app: App, services: Services, delivery: SlackDelivery) -> None:
    @app.command("/policy")
    def policy_question(ack: Ack, command: dict):
        question = unescape(command.get("text", "")).strip()
        if not question:
            ack(response_type="ephemeral", text=help_text(), blocks=help_blocks())
            return
        user_id = command.get("user_id")
        asked = ask(services.guide, services.database, question, source="command",
                    conversation=conversation_key("slack", command.get("channel_id", ""), user_id or ""),
                    safeguarding_lead=safeguarding_lead_for(services.directory.current(), user_id))
        ack(response_type="ephemeral", text=answer_text(asked.answer), blocks=answer_blocks(asked.answer, asked.id))

    @app.command("/request-access")
    def request_access(ack: Ack, command: dict, client: WebClient, respond: Respond):
        text = unescape(command.get("text", "")).strip()
        user_id = command["user_id"]
        words = text.split()
        if len(words) == 2 and words[0].lower() == "show":
            show, blocks = delivery.permission_for(parse_reference(words[1]), user_id)
            ack(response_type="ephemeral", text=escape(show), blocks=blocks)
            return
        if services.directory.current().get(user_id) is None:
            ack(response_type="ephemeral", text=NOT_IN_DIRECTORY)
            return
        ack()
        open_form(command, client, respond, request_blocks.request_form(purpose=text, today=services.today()))

    @app.command("/report-harassment")
    def report_harassment(ack: Ack, command: dict, client: WebClient, respond: Respond):
        text = unescape(command.get("text", "")).strip()
        if services.directory.current().get(command["user_id"]) is None:
            ack(response_type="ephemeral", text=cases.NOT_IN_DIRECTORY)
            return
        ack()
        if text.lower().split()[:1] == ["contact"]:
            view = case_blocks.contact_form(text[len("contact"):].strip())
        else:
            view = case_blocks.report_form(text)
        open_form(command, client, respond, view)

    @app.command("/policy-campaign")
    def policy_campaign(ack: Ack, command: dict):
        words = unescape(command.get("text", "")).lower().split()
        if words[:1] != ["start"] or words[1:] not in ([], ["material"], ["minor"]):
            ack(response_type="ephemeral", text=CAMPAIGN_HELP)
            return
        outcome = campaigns.start(services.database, services.directory.current(),
                                  services.guide.protocol.version_id, command["user_id"],
                                  material=words[1:] != ["minor"], source="/policy-campaign")
        ack(response_type="ephemeral", text=outcome.message)
        if outcome.ok:
            delivery.deliver_due()


CAMPAIGN_HELP = ("`/policy-campaign start` asks everyone in the staff directory to read and acknowledge the current "
                 "protocol. For a new version with only minor changes, `/policy-campaign start minor` asks only "
                 "those who have not acknowledged an earlier version. Admins and the policy owner can start one.")
