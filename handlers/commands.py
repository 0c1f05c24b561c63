"""Slash commands."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from blocks import access_requests as request_blocks
from blocks import cases as case_blocks
from blocks.answers import answer_blocks, answer_text, help_blocks, help_text
from blocks.text import unescape
from handlers.actions import permission_for
from services import Services
from slack_delivery import SlackDelivery
from workflows import cases
from workflows.access_requests import NOT_IN_DIRECTORY, parse_reference
from workflows.questions import ask


def register(app: App, services: Services, delivery: SlackDelivery) -> None:
    @app.command("/policy")
    def policy_question(ack: Ack, command: dict):
        question = unescape(command.get("text", "")).strip()
        if not question:
            ack(response_type="ephemeral", text=help_text(), blocks=help_blocks())
            return
        asked = ask(services.guide, services.database, question, source="command")
        ack(response_type="ephemeral", text=answer_text(asked.answer), blocks=answer_blocks(asked.answer, asked.id))

    @app.command("/request-access")
    def request_access(ack: Ack, command: dict, client: WebClient):
        text = unescape(command.get("text", "")).strip()
        user_id = command["user_id"]
        words = text.split()
        if len(words) == 2 and words[0].lower() == "show" and parse_reference(words[1]):
            show, blocks = permission_for(services, delivery, parse_reference(words[1]), user_id)
            ack(response_type="ephemeral", text=show, blocks=blocks)
            return
        if services.directory.current().get(user_id) is None:
            ack(response_type="ephemeral", text=NOT_IN_DIRECTORY)
            return
        ack()
        client.views_open(trigger_id=command["trigger_id"],
                          view=request_blocks.request_form(purpose=text, today=services.today()))

    @app.command("/report-harassment")
    def report_harassment(ack: Ack, command: dict, client: WebClient):
        text = unescape(command.get("text", "")).strip()
        if services.directory.current().get(command["user_id"]) is None:
            ack(response_type="ephemeral", text=cases.NOT_IN_DIRECTORY)
            return
        ack()
        if text.lower().split()[:1] == ["contact"]:
            view = case_blocks.contact_form(text[len("contact"):].strip())
        else:
            view = case_blocks.report_form(text)
        client.views_open(trigger_id=command["trigger_id"], view=view)
