"""Events: questions in a direct message, @mentions in channels (answered in a thread), and the App Home."""

import re

from slack_bolt import App, Say
from slack_sdk import WebClient

from blocks.answers import answer_blocks, answer_text, help_blocks, help_text
from blocks.text import unescape
from handlers.replies import publish_home
from services import Services
from workflows.questions import ask, conversation_key, safeguarding_lead_for

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def question_in(text: str) -> str:
    return unescape(_MENTION.sub(" ", text or "")).strip()


def register(app: App, services: Services) -> None:
    def reply(say: Say, event: dict, source: str, thread_ts: str | None = None):
        question = question_in(event.get("text", ""))
        if not question:
            say(text=help_text(), blocks=help_blocks(), thread_ts=thread_ts)
            return
        # A thread is one conversation; so is a DM outside threads. A follow-up is read with its question.
        conversation = conversation_key("slack", event.get("channel", ""), thread_ts or "")
        asked = ask(services.guide, services.database, question, source=source, conversation=conversation,
                    safeguarding_lead=safeguarding_lead_for(services.directory.current(), event.get("user")))
        say(text=answer_text(asked.answer), blocks=answer_blocks(asked.answer, asked.id), thread_ts=thread_ts)

    @app.event("message")
    def direct_message(event: dict, say: Say):
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        reply(say, event, source="dm", thread_ts=event.get("thread_ts"))

    @app.event("app_mention")
    def mention(event: dict, say: Say):
        thread_ts = event.get("thread_ts") or event["ts"]
        reply(say, event, source="mention", thread_ts=thread_ts)

    @app.event("app_home_opened")
    def app_home(event: dict, client: WebClient):
        if event.get("tab") == "home":
            publish_home(services, client, event["user"])
