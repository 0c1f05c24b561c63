"""Slash commands."""

from slack_bolt import Ack, App

from blocks.answers import answer_blocks, answer_text, help_blocks, help_text, not_ready_text
from blocks.text import unescape
from services import Services
from workflows.questions import ask


def register(app: App, services: Services) -> None:
    @app.command("/policy")
    def policy_question(ack: Ack, command: dict):
        question = unescape(command.get("text", "")).strip()
        if not question:
            ack(response_type="ephemeral", text=help_text(), blocks=help_blocks())
            return
        asked = ask(services.guide, services.database, question, source="command")
        ack(response_type="ephemeral", text=answer_text(asked.answer), blocks=answer_blocks(asked.answer, asked.id))

    @app.command("/report-harassment")
    @app.command("/request-access")
    def workflow_not_ready(ack: Ack, command: dict):
        ack(response_type="ephemeral", text=not_ready_text(command["command"]))
