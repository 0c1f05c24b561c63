"""Buttons."""

import re

from slack_bolt import Ack, App, Respond

from blocks import ids
from blocks.answers import FEEDBACK_THANKS, answer_blocks, answer_text
from services import Services
from workflows.questions import asked_question, give_feedback


def register(app: App, services: Services) -> None:
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
